import NeuroCore

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

/// A continuous multichannel recording (EEG/MEG) read block by block, so that a long file is never in
/// memory whole. Block `i` holds, for every signal, its samples over the same stretch of time.
public protocol ContinuousSource: AnyObject {
    /// The file (the header file for multi-file formats).
    var path: String { get }
    /// The reader (`edf`, `bdf`, `brainvision`, …).
    var readerName: String { get }
    /// A name for the recording (the file stem).
    var recordingName: String { get }
    /// The signals, in file order (annotation channels excluded).
    var signals: [SignalInfo] { get }
    /// Annotations and decoded trigger events, onsets in seconds from the first sample.
    var events: [Event] { get }
    /// Number of blocks.
    var blockCount: Int { get }
    /// Samples of block `index`: one array per signal, in SI units (volts for EEG).
    func readBlock(_ index: Int) throws -> [[Double]]
    /// Facts about the file for provenance (`edf_version`, `start_time`, …).
    var attributes: [String: String] { get }
    /// Other files read besides `path` (BrainVision's `.eeg` and `.vmrk`).
    var companionPaths: [String] { get }
}

extension ContinuousSource {
    public var companionPaths: [String] { [] }
}

/// A file format holding continuous recordings.
public protocol ContinuousReader: Sendable {
    static var name: String { get }
    static var summary: String { get }
    static var optionKeys: [String] { get }
    static func recognizes(path: String, header: [UInt8]) -> Bool
    static func open(_ path: String, options: ReaderOptions) throws -> any ContinuousSource
}

extension ContinuousSource {
    /// Every sample of every signal, block after block. Meant for short recordings and checks: long
    /// recordings should be processed block by block (`readBlock`) instead.
    public func readAllSamples() throws -> [[Double]] {
        var signals = Array(repeating: [Double](), count: self.signals.count)
        for b in 0..<blockCount {
            for (k, samples) in try readBlock(b).enumerated() { signals[k] += samples }
        }
        return signals
    }
}
