/// What a channel measures.
public enum ChannelKind: String, CaseIterable, Sendable, Codable {
    /// Calcium-imaging fluorescence of one neuron or ROI.
    case calcium
    /// Scalp or intracranial EEG electrode.
    case eeg
    /// MEG magnetometer.
    case megMag = "meg_mag"
    /// MEG planar gradiometer.
    case megGrad = "meg_grad"
    /// Electro-oculogram.
    case eog
    /// Electrocardiogram.
    case ecg
    /// Electromyogram.
    case emg
    /// Trigger / status channel.
    case stim
    /// Anything else.
    case misc
}

/// One column of a recording.
public struct Channel: Equatable, Sendable {
    /// The channel name in the output order (a canonical neuron name, `unlabeled_3`, `Fp1`, …).
    public var name: String
    /// The label exactly as the source file had it (empty when it had none).
    public var originalLabel: String
    /// What the channel measures.
    public var kind: ChannelKind
    /// Physical unit of the samples (`1` for dimensionless fluorescence ratios, `V`, `T`, `T/m`, …).
    public var unit: String
    /// Sensor position `[x, y, z]` in metres (head coordinates), when known; for MEG coils followed by
    /// their three orientation unit vectors (ex, ey, ez: 12 values, as FIF's `loc`).
    public var position: [Double]?

    /// A channel named `name`; by default a dimensionless (`1`) calcium channel with no original label or position.
    public init(name: String, originalLabel: String = "", kind: ChannelKind = .calcium, unit: String = "1", position: [Double]? = nil) {
        self.name = name
        self.originalLabel = originalLabel
        self.kind = kind
        self.unit = unit
        self.position = position
    }
}

/// An annotated interval: a stimulus, a marker, a behavioural state.
public struct Event: Equatable, Sendable {
    /// Start, in seconds from the start of the recording.
    public var onset: Double
    /// Length in seconds (0 for instantaneous markers).
    public var duration: Double
    /// Free text (`Stimulus/S  1`, `stim on`, …).
    public var label: String

    /// An event at `onset` seconds lasting `duration` seconds (0, an instantaneous marker, by default).
    public init(onset: Double, duration: Double = 0, label: String) {
        self.onset = onset
        self.duration = duration
        self.label = label
    }
}
