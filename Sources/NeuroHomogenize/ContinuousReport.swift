import Foundation
import NeuroCore
import NeuroIO
import NeuroReport
import NeuroSpectral
import NeuroStore

/// The EEG/MEG part of a homogenization report: what each recording became, a few channels before and
/// after, and the mean power spectrum of each sensor type (EEG, magnetometers, gradiometers) before and after
/// resampling and filtering.
enum ContinuousReport {
    static let colors = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

    /// Seconds of each recording shown and used for the spectra.
    static let previewSeconds = 60.0

    /// The first `previewSeconds` of every signal of a source, read block by block.
    static func preview(_ source: any RawStream) throws -> [[Double]] {
        let limit = source.signals.map { Int(previewSeconds * $0.samplingRate) }
        var signals = Array(repeating: [Double](), count: source.signals.count)
        for b in 0..<source.blockCount where zip(signals, limit).contains(where: { $0.count < $1 }) {
            let block = try source.readBlock(b)
            for k in signals.indices { signals[k] += block.channel(k) }
        }
        return zip(signals, limit).map { Array($0.prefix($1)) }
    }

    /// The sensor types plotted, each in its own unit.
    struct SensorGroup {
        let kind: ChannelKind, title: String, scale: Double, unit: String, psdUnit: String
        static let all = [
            SensorGroup(kind: .eeg, title: "EEG channels", scale: 1e6, unit: "µV", psdUnit: "V²/Hz"),
            SensorGroup(kind: .megMag, title: "magnetometers", scale: 1e15, unit: "fT", psdUnit: "T²/Hz"),
            SensorGroup(kind: .megGrad, title: "gradiometers", scale: 1e13, unit: "fT/cm", psdUnit: "(T/m)²/Hz"),
        ]
    }

    /// Mean log₁₀ Welch PSD of several signals (2-second segments).
    static func meanLogPSD(_ signals: [[Double]], rate: Double) -> (x: [Double], y: [Double]) {
        let segment = Int(min(2 * rate, Double(signals.map(\.count).min() ?? 0)))
        var sum: [Double] = []
        var frequencies: [Double] = []
        for s in signals {
            let (f, p) = Welch.psd(s, rate: rate, segmentLength: max(segment, 8))
            frequencies = f
            if sum.isEmpty { sum = [Double](repeating: 0, count: p.count) }
            for k in p.indices { sum[k] += log10(max(p[k], 1e-30)) }
        }
        return (frequencies, sum.map { $0 / Double(max(signals.count, 1)) })
    }

    static func sections(file: CommonFormatFile, names: [String]) throws -> [Report.Block] {
        var blocks: [Report.Block] = [.heading("EEG/MEG recordings", level: 1)]
        var rows: [[String]] = []
        var figures: [Report.Block] = []
        for name in names {
            // A preview: at most the first minute of each recording is read, however long it is.
            let rate = Double(try file.recordingAttribute(name, "sampling_rate") ?? "") ?? 256
            let r = try file.recording(name, maxRows: Int(previewSeconds * rate))
            let a = { (key: String) in r.attribute(key)?.description ?? "" }
            let kinds = Dictionary(grouping: r.channels, by: \.kind).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
            rows.append([name, a("source_reader"), a("original_sampling_rates"), "\(r.samplingRate)",
                         kinds.joined(separator: ", "), "\(r.events.count)",
                         "\(a("filter_low"))–\(a("filter_high")) Hz; notch \(a("notch").isEmpty ? "none" : a("notch"))"])
            let groups = SensorGroup.all.map { g in (g, r.channels.indices.filter { r.channels[$0].kind == g.kind }) }.filter { !$0.1.isEmpty }
            guard !groups.isEmpty else { continue }
            let seconds = min(5.0, Double(r.time.count) / r.samplingRate)
            // Before: the source file itself, when it is still where the output says it came from.
            let sourcePath = a("source_file")
            var sourceSignals: (values: [[Double]], byLabel: [String: Int], infos: [SignalInfo])? = nil
            if let source = try? Readers.open(sourcePath, reader: a("source_reader")).recording(0) {
                let byLabel = Dictionary(source.signals.indices.map { (source.signals[$0].originalLabel, $0) }, uniquingKeysWith: { a, _ in a })
                sourceSignals = (try preview(source), byLabel, source.signals)
            }
            for (group, channels) in groups {
                let shown = Array(channels.prefix(8))
                var before: [[Double]]? = nil
                var beforeRate = 0.0
                if let sourceSignals {
                    before = channels.compactMap { sourceSignals.byLabel[r.channels[$0].originalLabel].map { sourceSignals.values[$0] } }
                    beforeRate = sourceSignals.infos.first { $0.kind == group.kind }?.samplingRate ?? 0
                }
                func traces(_ values: [[Double]], rate: Double, label: String) -> SVGDocument {
                    let n = Int(seconds * rate)
                    let series = values.enumerated().map { i, v -> (name: String, x: [Double], y: [Double], color: String) in
                        let part = Array(v.prefix(n)), mean = part.reduce(0, +) / Double(max(part.count, 1))
                        return (r.channels[shown[i]].name, part.indices.map { Double($0) / rate }, part.map { ($0 - mean) * group.scale }, colors[i % colors.count])
                    }
                    let spread = values.flatMap { Array($0.prefix(n)) }.map { abs($0) * group.scale }.sorted()
                    let offset = max(1, spread.isEmpty ? 1 : spread[spread.count * 95 / 100])
                    return Plots.stackedLines(series: series, title: "\(name): \(label)", xLabel: "time (s)", offset: offset)
                }
                let id = group.kind.rawValue
                if let before, beforeRate > 0 {
                    figures.append(.figure(name: "\(id)-before-\(name)",
                                           svg: traces(Array(before.prefix(shown.count)), rate: beforeRate,
                                                       label: "first \(group.title) as recorded (\(beforeRate) Hz, \(group.unit), mean removed)"),
                                           caption: "\(name): \(shown.count) \(group.title) as stored in \(sourcePath)."))
                }
                figures.append(.figure(name: "\(id)-after-\(name)",
                                       svg: traces(shown.map { r.data.column($0) }, rate: r.samplingRate,
                                                   label: "\(group.title) after homogenization (\(r.samplingRate) Hz, \(group.unit))"),
                                       caption: "\(name): the same \(group.title) after resampling and filtering."))
                // Mean log-PSD of the group, before and after.
                var curves: [(name: String, x: [Double], y: [Double], color: String)] = []
                if let before, beforeRate > 0 {
                    let b = meanLogPSD(before, rate: beforeRate)
                    let limit = b.x.lastIndex { $0 <= r.samplingRate / 2 } ?? b.x.count - 1
                    curves.append(("as recorded", Array(b.x[...limit]), Array(b.y[...limit]), "#999999"))
                }
                let after = meanLogPSD(channels.map { r.data.column($0) }, rate: r.samplingRate)
                curves.append(("homogenized", after.x, after.y, "#2166ac"))
                figures.append(.figure(name: "\(id)-psd-\(name)",
                                       svg: Plots.lines(series: curves, title: "\(name): mean log₁₀ PSD of \(channels.count) \(group.title)",
                                                        xLabel: "frequency (Hz)", yLabel: "log₁₀ \(group.psdUnit)"),
                                       caption: "Welch PSD averaged over the \(group.title) (first minute), before and after resampling and filtering (up to the new Nyquist frequency)."))
            }
        }
        blocks.append(.table(header: ["recording", "reader", "source Hz", "output Hz", "channels", "events", "filters"], rows: rows))
        return blocks + figures
    }
}
