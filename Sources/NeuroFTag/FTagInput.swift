import Foundation
import NeuroCore
import NeuroTagging
import NeuroStore

/// How a continuous recording is cut into epochs.
public enum FTagEpochs: Sendable, Equatable {
    /// One epoch per event labelled `label`, `duration` seconds long (nil: the longest whole number of
    /// cycles of the lowest tag that fits between consecutive events).
    case events(label: String, duration: Double?)
    /// Consecutive epochs of `seconds`.
    case windows(seconds: Double)
    /// The whole recording (or array) as it is, trimmed to a whole number of cycles of the lowest tag.
    case whole
}

/// Loads frequency-tagging input: a homogenized recording (sensor channels, events) or an array of
/// units × time (× trials) with a sampling rate.
public enum FTagInput {
    /// Channel kinds analysed in homogenized files (not triggers).
    static let analysedKinds: Set<ChannelKind> = [.eeg, .megMag, .megGrad, .calcium, .misc, .eog, .ecg, .emg]

    /// Epochs a homogenized file's `recording` (nil: the first) or a units × time (× trials) array sampled at
    /// `rate`, with `groups` an array of one group number per unit (arrays only).
    /// Throws ``FTagInputError`` for an array without a rate or an epoching it cannot have,
    /// ``FTagError/shorterThanOneCycle(duration:tag:)`` for epochs shorter than a cycle of `lowestTag`,
    /// and ``NeuroIOError`` for unreadable input or epochs that do not fit.
    public static func load(_ location: String, rate: Double?, epochs: FTagEpochs, lowestTag: Double,
                            recording: String? = nil, groups: String? = nil) throws -> EpochedData {
        let path = ArrayFile.split(location).path
        if FileManager.default.fileExists(atPath: location), let file = try? CommonFormatFile(path: location) {
            let r = try file.recording(recording ?? file.recordingNames.first ?? "")
            return try FTagInput.epochs(of: r, path: path, epochs: epochs, lowestTag: lowestTag)
        }
        guard let rate, rate > 0 else {
            throw FTagInputError.rateNeeded(path)
        }
        let array = try ArrayFile.read(location)
        guard array.shape.count == 2 || array.shape.count == 3 else {
            throw NeuroIOError.badValue(path, field: "array", detail: "has shape \(array.shape); expected units × time or units × time × trials")
        }
        let units = array.shape[0], samples = array.shape[1], trials = array.shape.count == 3 ? array.shape[2] : 1
        // Reorder units × time × trials into trial-major epochs.
        var values = [Double](repeating: 0, count: array.values.count)
        for u in 0..<units { for s in 0..<samples { for t in 0..<trials {
            values[(t * units + u) * samples + s] = array.values[(u * samples + s) * trials + t]
        } } }
        var groupLabels: [String]? = nil
        if let groups {
            let g = try ArrayFile.read(groups)
            guard g.values.count == units else {
                throw NeuroIOError.badValue(ArrayFile.split(groups).path, field: "groups", detail: "has \(g.values.count) values for \(units) units")
            }
            groupLabels = g.values.map { $0 == $0.rounded() ? "group \(Int($0))" : "group \($0)" }
        }
        let whole = EpochedData(channels: (0..<units).map { "unit\($0)" }, groups: groupLabels, rate: rate,
                                samples: samples, trials: trials, values: values)
        switch epochs {
        case .whole:
            return try trimmed(whole, lowestTag: lowestTag, path: path)
        case .windows(let seconds):
            guard trials == 1 else { throw FTagInputError.arrayHasTrials(path) }
            let continuous = Matrix(rows: units, columns: samples, values: values).transposed
            return try cut(continuous, channels: whole.channels, positions: nil, groups: groupLabels, rate: rate,
                           starts: Array(stride(from: 0, through: samples - Int((seconds * rate).rounded()), by: max(Int((seconds * rate).rounded()), 1))),
                           length: Int((seconds * rate).rounded()), path: path, lowestTag: lowestTag)
        case .events:
            throw FTagInputError.arrayHasNoEvents(path)
        }
    }

    /// The epochs of a homogenized recording.
    public static func epochs(of r: Recording, path: String, epochs: FTagEpochs, lowestTag: Double) throws -> EpochedData {
        let keep = r.channels.indices.filter { r.recorded[$0] && analysedKinds.contains(r.channels[$0].kind) }
        guard !keep.isEmpty else { throw NeuroIOError.badValue(path, field: r.name, detail: "no recorded sensor channels") }
        let data = r.data.selectingColumns(keep)
        let channels = keep.map { r.channels[$0].name }
        let positions = keep.map { r.channels[$0].position }
        let groups = keep.map { r.channels[$0].kind.rawValue }
        let rate = r.samplingRate, t0 = r.time.first ?? 0
        switch epochs {
        case .whole:
            let samples = Int((Double(data.rows) / rate * lowestTag).rounded(.down) / lowestTag * rate)
            return try cut(data, channels: channels, positions: positions, groups: groups, rate: rate, starts: [0],
                           length: samples, path: path, lowestTag: lowestTag)
        case .windows(let seconds):
            let length = Int((seconds * rate).rounded())
            return try cut(data, channels: channels, positions: positions, groups: groups, rate: rate,
                           starts: length > 0 ? Array(stride(from: 0, through: data.rows - length, by: length)) : [],
                           length: length, path: path, lowestTag: lowestTag)
        case let .events(label, duration):
            let onsets = r.events.filter { $0.label == label }.map(\.onset).sorted()
            guard !onsets.isEmpty else {
                let labels = Set(r.events.map(\.label)).sorted()
                throw NeuroIOError.badValue(path, field: r.name, detail: "no event labelled '\(label)' to cut epochs at (labels: \(labels.isEmpty ? "none" : labels.prefix(12).joined(separator: ", ")))")
            }
            let seconds: Double
            if let duration { seconds = duration } else {
                let end = t0 + Double(data.rows) / rate
                let gaps = zip(onsets.dropFirst(), onsets).map { $0 - $1 } + [end - onsets.last!]
                seconds = ((gaps.min() ?? 0) * lowestTag + 1e-9).rounded(.down) / lowestTag
            }
            let length = Int((seconds * rate).rounded())
            return try cut(data, channels: channels, positions: positions, groups: groups, rate: rate,
                           starts: onsets.map { Int((($0 - t0) * rate).rounded()) }, length: length, path: path, lowestTag: lowestTag)
        }
    }

    /// Epochs of `length` samples at `starts` (those that fit in the recording) from a time × channel matrix.
    static func cut(_ data: Matrix, channels: [String], positions: [[Double]?]?, groups: [String]?, rate: Double,
                    starts: [Int], length: Int, path: String, lowestTag: Double) throws -> EpochedData {
        guard Double(length) / rate >= 1 / lowestTag - 1e-9, length >= 2 else {
            throw FTagError.shorterThanOneCycle(duration: Double(length) / rate, tag: lowestTag)
        }
        let fitting = starts.filter { $0 >= 0 && $0 + length <= data.rows }
        guard !fitting.isEmpty else {
            throw NeuroIOError.badValue(path, field: "epoch", detail: "no epoch of \(Double(length) / rate) s fits in the recording")
        }
        var values = [Double](repeating: 0, count: fitting.count * channels.count * length)
        for (t, start) in fitting.enumerated() {
            for c in 0..<channels.count {
                let base = (t * channels.count + c) * length
                for s in 0..<length { values[base + s] = data[start + s, c] }
            }
        }
        return EpochedData(channels: channels, positions: positions, groups: groups, rate: rate, samples: length,
                           trials: fitting.count, values: values)
    }

    /// An epoched array trimmed to a whole number of cycles of the lowest tag.
    static func trimmed(_ data: EpochedData, lowestTag: Double, path: String) throws -> EpochedData {
        let samples = Int((data.duration * lowestTag + 1e-9).rounded(.down) / lowestTag * data.rate + 1e-9)
        guard samples >= 2, Double(samples) / data.rate >= 1 / lowestTag - 1e-9 else {
            throw FTagError.shorterThanOneCycle(duration: data.duration, tag: lowestTag)
        }
        guard samples < data.samples else { return data }
        var values: [Double] = []
        values.reserveCapacity(data.trials * data.channels.count * samples)
        for t in 0..<data.trials { for c in 0..<data.channels.count { values += data.trial(t, channel: c).prefix(samples) } }
        return EpochedData(channels: data.channels, positions: data.positions, groups: data.groups, rate: data.rate,
                           samples: samples, trials: data.trials, values: values)
    }
}

/// Errors of `FTagInput` that concern how an array is epoched, carrying the array's path.
public enum FTagInputError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An array given without its sampling rate.
    case rateNeeded(String)
    /// An array with trials (a third dimension) asked to be cut into windows.
    case arrayHasTrials(String)
    /// An array asked to be cut at events (it has none).
    case arrayHasNoEvents(String)

    /// The message, naming values only.
    public var description: String {
        switch self {
        case .rateNeeded(let path): return "\(path): rate: an array needs its sampling rate"
        case .arrayHasTrials(let path): return "\(path): epoch: the array already has trials; it cannot be cut into windows"
        case .arrayHasNoEvents(let path): return "\(path): epoch: an array has no events; cut it into windows or give trials as a third dimension"
        }
    }
}
