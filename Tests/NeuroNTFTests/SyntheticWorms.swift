import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import NeuroStore

/// Synthetic homogenized calcium files written with the real common-format writer.
enum SyntheticWorms {
    /// Worms whose neurons form two groups: in the first half of each recording group A follows one
    /// shared slow signal and group B another; in the second half group A and C co-vary. Every neuron
    /// also has its own noise. Worm `w` lacks neuron `missing[w]` (not recorded).
    static let groupA = ["AVAL", "AVAR", "AVBL", "AVBR", "RIML", "RIMR"]
    static let groupB = ["ASHL", "ASHR", "AWCL", "AWCR", "AIBL", "AIBR"]
    static let groupC = ["SMDVL", "SMDVR", "RMEL", "RMER"]

    static func write(to path: String, worms: Int = 4, samples: Int = 1200, rate: Double = 2, missing: [String?] = [], seed: UInt64 = 1) throws {
        let names = groupA + groupB + groupC
        var g = SeededGenerator(seed: seed)
        let writer = try CommonFormatWriter(path: path, precision: .float64, globalAttributes: [("title", .text("synthetic worms"))])
        for w in 0..<worms {
            // Smooth random drivers: random walks low-pass filtered by a moving average.
            func driver() -> [Double] {
                var x = 0.0
                let walk = (0..<samples).map { _ -> Double in x = 0.95 * x + g.normal(); return x }
                return walk.indices.map { i in walk[max(0, i - 3)...min(samples - 1, i + 3)].reduce(0, +) / 7 }
            }
            let d1 = driver(), d2 = driver()
            var data = Matrix(rows: samples, columns: names.count)
            for (c, name) in names.enumerated() {
                let own = driver()
                for t in 0..<samples {
                    let firstHalf = t < samples / 2
                    var shared = 0.0
                    if groupA.contains(name) { shared = d1[t] }
                    if groupB.contains(name) { shared = firstHalf ? d2[t] : 0 }
                    if groupC.contains(name) { shared = firstHalf ? 0 : d1[t] }
                    data[t, c] = shared + 0.3 * own[t]
                }
            }
            let time = (0..<samples).map { Double($0) / rate }
            let duration = Double(samples) / rate
            let residual = data.mapColumns { derivative($0, rate: rate) }
            let absent = w < missing.count ? missing[w] : nil
            let recorded = names.map { $0 != absent }
            let channels = names.map { Channel(name: $0, kind: .calcium) }
            try writer.write(Recording(name: "worm\(w + 1)", time: time, samplingRate: rate, channels: channels, data: data,
                                       residual: residual, recorded: recorded, labeled: recorded,
                                       events: [Event(onset: duration / 4, label: "stim"), Event(onset: 3 * duration / 4, label: "stim"),
                                                Event(onset: duration / 2, label: "odor")]))
        }
        try writer.commit()
    }

    /// numpy.gradient with unit spacing 1/rate.
    static func derivative(_ y: [Double], rate: Double) -> [Double] {
        y.indices.map { i in
            if i == 0 { return (y[1] - y[0]) * rate }
            if i == y.count - 1 { return (y[i] - y[i - 1]) * rate }
            return (y[i + 1] - y[i - 1]) * rate / 2
        }
    }
}
