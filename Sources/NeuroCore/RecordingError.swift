/// A problem with the content of one recording, named with its file so the user can find it.
///
/// Its description is one line: `worms.mat: recording 'worm2': 120 labels for 118 trace columns`.
public struct RecordingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the recording came from.
    public var file: String
    /// The recording inside the file.
    public var recording: String
    /// What is wrong.
    public var problem: Problem

    /// What can be wrong with a recording's content.
    public enum Problem: Equatable, Sendable {
        /// The recording has no samples or no channels.
        case empty
        /// The number of labels differs from the number of trace columns.
        case labelCountMismatch(labels: Int, columns: Int)
        /// The number of timestamps differs from the number of samples.
        case timeCountMismatch(timestamps: Int, samples: Int)
        /// Timestamp `index` is NaN or infinite.
        case nonFiniteTimestamp(index: Int)
        /// Timestamp `index` (`value` s) is not after the one before it (`previous` s).
        case nonMonotonicTimestamps(index: Int, previous: Double, value: Double)
        /// A channel has a run of `length` NaN samples from `start`, longer than `limit`.
        case nanRun(channel: String, start: Int, length: Int, limit: Int)
        /// A channel has an infinite sample at `index`.
        case infiniteValue(channel: String, index: Int)
        /// Too few samples on the output grid to resample onto.
        case tooFewSamplesForResampling(samples: Int)
        /// ΔF/F of a channel whose baseline (F₀) is not positive, as data already normalised have.
        case nonPositiveBaseline(channel: String, baseline: Double)
        /// A setting does not suit this recording (the text says which and why).
        case invalidParameter(String)
    }

    /// An error about recording `recording` of `file`.
    public init(file: String, recording: String, problem: Problem) {
        self.file = file
        self.recording = recording
        self.problem = problem
    }

    /// One line, `<file>: recording '<recording>': <problem>`, with the problem in words (``Problem/message``).
    public var description: String {
        "\(file): recording '\(recording)': \(problem.message)".singleLine
    }
}

extension RecordingError.Problem {
    /// Whether this is a run of NaN samples too long to fill.
    public var isNaNRun: Bool { if case .nanRun = self { return true } else { return false } }
    /// Whether this is a ΔF/F baseline that is not positive.
    public var isNonPositiveBaseline: Bool { if case .nonPositiveBaseline = self { return true } else { return false } }

    /// The problem in words.
    public var message: String {
        switch self {
        case .empty:
            return "no samples or no channels"
        case let .labelCountMismatch(labels, columns):
            return "\(labels) labels for \(columns) trace columns"
        case let .timeCountMismatch(timestamps, samples):
            return "\(timestamps) timestamps for \(samples) samples"
        case let .nonFiniteTimestamp(index):
            return "timestamp \(index) is NaN or infinite"
        case let .nonMonotonicTimestamps(index, previous, value):
            return "timestamps are not strictly increasing at sample \(index) (\(previous) s then \(value) s)"
        case let .nanRun(channel, start, length, limit):
            return "channel '\(channel)' has a run of \(length) NaN samples from sample \(start) (limit \(limit))"
        case let .infiniteValue(channel, index):
            return "channel '\(channel)' has an infinite value at sample \(index)"
        case let .tooFewSamplesForResampling(samples):
            return "only \(samples) samples, too few to resample"
        case let .nonPositiveBaseline(channel, baseline):
            return "channel '\(channel)': ΔF/F baseline is \(baseline) ≤ 0 (data already normalised?)"
        case let .invalidParameter(text):
            return text
        }
    }
}
