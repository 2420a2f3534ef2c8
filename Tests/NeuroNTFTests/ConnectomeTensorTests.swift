import Foundation
import NeuroCore
import NeuroGraph
import NeuroIO
import NeuroNTF
import NeuroTensor
import NeuroTestSupport
import Testing
import NeuroStore

@Suite("Dynamic-connectome tensors and their communities")
struct ConnectomeTensorTests {
    @Test("affinities equal the documented formula entry by entry; missing neurons and short worms are masked, not zero")
    func formula() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = "\(dir)/worms.nc"
        try SyntheticWorms.write(to: path, worms: 3, samples: 400, missing: [nil, "AVAR", nil])
        let file = try CommonFormatFile(path: path)
        var options = ConnectomeOptions(window: 50, step: 25)
        let t = try ConnectomeTensor.build(from: file, options: options)
        let neurons = t.neurons!, pairs = t.pairs!
        #expect(neurons.count == 16 && pairs.count == 16 * 15 / 2)
        #expect(t.tensor.shape == [7, 3, 120])     // 200 s, 50 s windows every 25 s
        #expect(t.axes[0].coordinates == [0, 25, 50, 75, 100, 125, 150])
        for (w, name) in file.recordingNames.enumerated() {
            let r = try file.recording(name)
            let z = r.residual!.mapColumns { d in
                let rms = (d.reduce(0) { $0 + $1 * $1 } / Double(d.count)).squareRoot()
                return d.map { $0 / rms }
            }
            for k in 0..<7 {
                for (p, (i, j)) in pairs.enumerated() {
                    let flat = (k * 3 + w) * pairs.count + p
                    let ci = r.channels.firstIndex { $0.name == neurons[i] }!, cj = r.channels.firstIndex { $0.name == neurons[j] }!
                    guard r.recorded[ci] && r.recorded[cj] else {
                        #expect(t.mask![flat] == 0, "\(name) \(neurons[i])~\(neurons[j]) should be missing")
                        continue
                    }
                    var sum = 0.0
                    for s in (k * 50)..<(k * 50 + 100) { sum += max(0, z[s, ci] * z[s, cj]) }
                    #expect(t.mask![flat] == 1)
                    #expect(abs(t.tensor.values[flat] - sum / 100) <= 1e-12 * max(1, sum / 100))
                }
            }
        }
        // A window longer than every recording is an error, not an empty tensor.
        options.window = 1000
        #expect(throws: NeuroIOError.self) { try ConnectomeTensor.build(from: file, options: options) }
    }

    @Test("end to end: NTF of planted co-activity finds the two phases and the groups as communities")
    func plantedCommunities() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = "\(dir)/worms.nc"
        try SyntheticWorms.write(to: path, worms: 4, samples: 1200, missing: [nil, "RIMR", "ASHL", nil], seed: 3)
        let t = try ConnectomeTensor.build(from: CommonFormatFile(path: path), options: ConnectomeOptions(window: 60, step: 30))
        var cp = CPOptions(rank: 2)
        cp.tolerance = 1e-7
        var options = NTFOptions(ranks: [2], cp: cp)
        options.replicates = 3
        let result = try NTFAnalysis.run(t, options: options)
        let neurons = t.neurons!
        // Truth per phase: first half A and B are two modules; second half A and C are one module.
        func truth(_ groups: [[String]]) -> [Int] {
            neurons.map { n in groups.firstIndex { $0.contains(n) } ?? groups.count }
        }
        let firstHalf = truth([SyntheticWorms.groupA, SyntheticWorms.groupB])
        let secondHalf = truth([SyntheticWorms.groupA + SyntheticWorms.groupC])
        let windows = t.axes[0].coordinates!
        var matched: Set<String> = []
        for r in 0..<2 {
            let temporal = result.model.factors[0].column(r)
            let early = zip(windows, temporal).filter { $0.0 + 60 <= 300 }.map(\.1).reduce(0, +)
            let late = zip(windows, temporal).filter { $0.0 >= 300 }.map(\.1).reduce(0, +)
            let membership = result.communities![r].membership
            // Neurons outside the active groups are isolated or loosely attached; score the active ones.
            if early > late {
                let active = neurons.indices.filter { firstHalf[$0] < 2 }
                let nmi = normalizedMutualInformation(active.map { membership[$0] }, active.map { firstHalf[$0] })
                #expect(nmi > 0.9, "first-phase component: NMI \(nmi)")
                matched.insert("early")
            } else {
                let active = SyntheticWorms.groupA + SyntheticWorms.groupC
                let ids = Set(active.map { membership[neurons.firstIndex(of: $0)!] })
                #expect(ids.count == 1, "second-phase component splits A∪C: \(ids)")
                matched.insert("late")
            }
        }
        #expect(matched == ["early", "late"], "components should separate the two phases")
    }
}
