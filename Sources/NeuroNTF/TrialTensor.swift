import Foundation
import NeuroCore
import NeuroStore
import NeuroTensor

/// How trials are cut from a continuous recording.
public enum TrialEpochs: Sendable, Equatable {
    /// One trial per event whose label equals `label` (nil: every event), from `before` seconds before
    /// its onset to `after` seconds after.
    case events(label: String?, before: Double, after: Double)
    /// Consecutive, non-overlapping windows of `seconds` from the recording's start.
    case windows(seconds: Double)
}

/// Channel × time × trial tensors (× recording when several recordings share channels), the layout of
/// tensortools' trial-structured data.
///
/// Samples outside a recording, NaN samples, channels a recording lacks and trials a recording does
/// not have (recordings may have different trial counts) are missing entries, not zeros.
public enum TrialTensor {
    /// Cuts trials from the named recordings (nil: all) into a channel × time × trial (× recording) tensor with
    /// its mask; `shiftToNonnegative` subtracts each channel's minimum observed value. Throws ``NeuroIOError``
    /// for an unknown recording, unequal sampling rates, no shared recorded channel, or epochs that give no trial.
    public static func build(from file: CommonFormatFile, epochs: TrialEpochs, recordings: [String]? = nil,
                             shiftToNonnegative: Bool = false) throws -> LabelledTensor {
        let names = recordings ?? file.recordingNames
        for name in names where !file.recordingNames.contains(name) {
            throw NeuroIOError.missingKey(file.path, key: "recording '\(name)'", available: file.recordingNames)
        }
        guard !names.isEmpty else { throw NeuroIOError.badValue(file.path, field: "recordings", detail: "no recordings") }
        let loaded = try names.map { try file.recording($0) }
        let rate = loaded[0].samplingRate
        for r in loaded where abs(r.samplingRate - rate) > 1e-9 * rate {
            throw NeuroIOError.badValue(file.path, field: r.name, detail: "sampled at \(r.samplingRate) Hz, but \(loaded[0].name) at \(rate) Hz; trials need one rate")
        }
        // Channels: those every recording lists, recorded in at least one of them (file order of the first).
        var channels = loaded[0].channels.map(\.name)
        for r in loaded.dropFirst() { let names = Set(r.channels.map(\.name)); channels = channels.filter { names.contains($0) } }
        channels = channels.filter { name in loaded.contains { r in r.channels.firstIndex { $0.name == name }.map { r.recorded[$0] } ?? false } }
        guard !channels.isEmpty else { throw NeuroIOError.badValue(file.path, field: "channels", detail: "the recordings share no recorded channel") }

        // Trial starts (sample index, may be negative) per recording.
        let length: Int, offset: Double
        var starts: [[Int]] = []
        switch epochs {
        case let .events(label, before, after):
            guard before >= 0, after > 0 else {
                throw NeuroIOError.badValue(file.path, field: "epoch", detail: "need before ≥ 0 and after > 0 seconds")
            }
            length = Int(((before + after) * rate).rounded())
            offset = -before
            for r in loaded {
                let t0 = r.time.first ?? 0
                starts.append(r.events.filter { label == nil || $0.label == label }.map { Int((($0.onset - before - t0) * rate).rounded()) })
            }
            guard starts.contains(where: { !$0.isEmpty }) else {
                let known = Set(loaded.flatMap { $0.events.map(\.label) }).sorted()
                throw NeuroIOError.badValue(file.path, field: "events", detail: "no event \(label.map { "labelled '\($0)'" } ?? "") to cut trials from (labels: \(known.isEmpty ? "none" : known.prefix(10).joined(separator: ", ")))")
            }
        case .windows(let seconds):
            guard seconds > 0 else { throw NeuroIOError.badValue(file.path, field: "epoch", detail: "window must be positive") }
            length = Int((seconds * rate).rounded())
            offset = 0
            for r in loaded { starts.append(Array(stride(from: 0, through: r.time.count - length, by: max(length, 1)))) }
            guard starts.contains(where: { !$0.isEmpty }) else {
                throw NeuroIOError.badValue(file.path, field: "epoch", detail: "a \(seconds) s window is longer than every recording")
            }
        }
        guard length >= 2 else { throw NeuroIOError.badValue(file.path, field: "epoch", detail: "a trial must span at least 2 samples") }
        let trials = starts.map(\.count).max()!
        let shape = loaded.count > 1 ? [channels.count, length, trials, loaded.count] : [channels.count, length, trials]
        var values = [Double](repeating: 0, count: shape.reduce(1, *))
        var mask = [Double](repeating: 0, count: values.count)
        for (q, r) in loaded.enumerated() {
            for (c, name) in channels.enumerated() {
                guard let column = r.channels.firstIndex(where: { $0.name == name }), r.recorded[column] else { continue }
                for (k, start) in starts[q].enumerated() {
                    for t in 0..<length {
                        let row = start + t
                        guard row >= 0, row < r.data.rows else { continue }
                        let v = r.data[row, column]
                        guard v.isFinite else { continue }
                        let flat = ((c * length + t) * trials + k) * (loaded.count > 1 ? loaded.count : 1) + (loaded.count > 1 ? q : 0)
                        values[flat] = v
                        mask[flat] = 1
                    }
                }
            }
        }
        if shiftToNonnegative {
            // Subtract each channel's minimum observed value, so z-scored or ΔF/F traces become non-negative.
            let perChannel = values.count / channels.count
            for c in 0..<channels.count {
                let range = (c * perChannel)..<((c + 1) * perChannel)
                let minimum = range.filter { mask[$0] > 0 }.map { values[$0] }.min() ?? 0
                for k in range where mask[k] > 0 { values[k] -= minimum }
            }
        }
        var axes = [
            ModeAxis(name: "channel", labels: channels),
            ModeAxis(name: "time", labels: (0..<length).map { String(format: "%.3f", offset + Double($0) / rate) },
                     coordinates: (0..<length).map { offset + Double($0) / rate }, unit: "s", ordered: true),
            ModeAxis.indexed("trial", count: trials),
        ]
        if loaded.count > 1 { axes.append(ModeAxis(name: "recording", labels: names)) }
        let kind: String
        switch epochs {
        case let .events(label, before, after): kind = "trials(events=\(label ?? "any"), before=\(before) s, after=\(after) s\(shiftToNonnegative ? ", shifted" : ""))"
        case .windows(let s): kind = "trials(windows=\(s) s\(shiftToNonnegative ? ", shifted" : ""))"
        }
        return LabelledTensor(tensor: DenseTensor(shape: shape, values: values), mask: mask.contains(0) ? mask : nil,
                              axes: axes, kind: kind)
    }
}
