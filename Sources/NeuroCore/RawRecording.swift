/// One recording exactly as a reader found it in a source file, before any processing.
///
/// Samples are `(time, channel)`; `timestamps` may be irregular (calcium imaging) but must be
/// strictly increasing, which ``validate(source:)`` checks.
public struct RawRecording: Sendable {
    /// Name of the recording inside its source (`worm1`, `sub-01`, …).
    public var name: String
    /// Labels as stored in the file, one per column (`""` where the file had none). For MATLAB cells
    /// holding several candidates the candidates are kept in ``labelCandidates``.
    public var labels: [String]
    /// Several candidate identities per column where the source had them (otherwise `nil`).
    public var labelCandidates: [[String]]?
    /// Sample times in seconds, one per row of ``data``.
    public var timestamps: [Double]
    /// Samples, `(time, channel)`.
    public var data: Matrix
    /// What the channels measure.
    public var kinds: [ChannelKind]
    /// Units of the channels.
    public var units: [String]
    /// Annotations, onsets in seconds on the same clock as ``timestamps``.
    public var events: [Event]
    /// Free-form facts about the source worth keeping (`dataset_path`, `nwb_series`, …).
    public var attributes: [String: String]

    /// A recording of `data` as read; `kinds` default to `calcium` and `units` to `1` for every label.
    /// Nothing is checked here: call ``validate(source:)``.
    public init(name: String, labels: [String], labelCandidates: [[String]]? = nil, timestamps: [Double],
                data: Matrix, kinds: [ChannelKind]? = nil, units: [String]? = nil,
                events: [Event] = [], attributes: [String: String] = [:]) {
        self.name = name
        self.labels = labels
        self.labelCandidates = labelCandidates
        self.timestamps = timestamps
        self.data = data
        self.kinds = kinds ?? Array(repeating: .calcium, count: labels.count)
        self.units = units ?? Array(repeating: "1", count: labels.count)
        self.events = events
        self.attributes = attributes
    }

    /// Checks the invariants every reader must deliver; throws ``RecordingError`` naming the file.
    public func validate(source: String) throws {
        if data.rows == 0 || data.columns == 0 {
            throw RecordingError(file: source, recording: name, problem: .empty)
        }
        if labels.count != data.columns {
            throw RecordingError(file: source, recording: name,
                                 problem: .labelCountMismatch(labels: labels.count, columns: data.columns))
        }
        if timestamps.count != data.rows {
            throw RecordingError(file: source, recording: name,
                                 problem: .timeCountMismatch(timestamps: timestamps.count, samples: data.rows))
        }
        for i in timestamps.indices {
            if !timestamps[i].isFinite {
                throw RecordingError(file: source, recording: name, problem: .nonFiniteTimestamp(index: i))
            }
            if i > 0 && timestamps[i] <= timestamps[i - 1] {
                throw RecordingError(file: source, recording: name,
                                     problem: .nonMonotonicTimestamps(index: i, previous: timestamps[i - 1], value: timestamps[i]))
            }
        }
    }
}
