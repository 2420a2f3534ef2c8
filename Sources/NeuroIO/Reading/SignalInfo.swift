import NeuroCore
import NeuroNative
import NeuroStore

/// One signal of a continuous recording, as its file describes it.
public struct SignalInfo: Equatable, Sendable {
    /// Normalised name (`Fp1` for `EEG Fp1-REF`; the label itself when nothing matches).
    public var name: String
    /// The label exactly as stored.
    public var originalLabel: String
    /// What the signal measures (from the label, the header and the unit).
    public var kind: ChannelKind
    /// SI unit of the samples a source returns (`V` for EEG, as MNE; the file's own unit otherwise).
    public var unit: String
    /// Samples per second.
    public var samplingRate: Double
    /// Total number of samples in the file.
    public var sampleCount: Int
    /// Free-form facts worth keeping (`prefilter`, `transducer`, `resolution`).
    public var attributes: [String: String]
    /// Sensor position (and orientation) when the file states it: x, y, z in metres, then for MEG the
    /// coil's three orientation vectors (FIF's `loc`). Nil: looked up in the standard montage by name.
    public var position: [Double]? = nil
    /// Several candidate identities for the signal where the source had them (MATLAB cells of
    /// calcium-imaging labels), otherwise nil.
    public var candidates: [String]? = nil

    /// A signal as a file describes it; `position` and `candidates` are set separately where known.
    public init(name: String, originalLabel: String, kind: ChannelKind, unit: String, samplingRate: Double,
                sampleCount: Int, attributes: [String: String] = [:]) {
        self.name = name
        self.originalLabel = originalLabel
        self.kind = kind
        self.unit = unit
        self.samplingRate = samplingRate
        self.sampleCount = sampleCount
        self.attributes = attributes
    }
}
