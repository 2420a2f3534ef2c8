import NeuroCore
import NeuroNative
import NeuroStore

/// The recordings of one opened file. Each is opened only when asked for (``recording(_:)``), so a
/// file with many worms never has to fit in memory at once.
///
/// A source implements ``recording(_:)`` (streaming formats) or ``load(_:)`` (formats read whole);
/// each has a default in terms of the other.
public protocol RecordingSource: AnyObject {
    /// The file (the header file for multi-file formats).
    var path: String { get }
    /// The reader that opened it (`matlab`, `edf`, …).
    var readerName: String { get }
    /// Names of the recordings inside, in file order.
    var recordingNames: [String] { get }
    /// Other files the source reads besides `path` (a triplet's labels and times, suite2p's
    /// `iscell.npy`, BrainVision's `.eeg` and `.vmrk`), so they are checksummed and never overwritten.
    var companionPaths: [String] { get }
    /// Recording `index`, ready to be read block by block.
    func recording(_ index: Int) throws -> any RawStream
    /// Recording `index` whole in memory (validated: shapes agree, timestamps strictly increasing).
    /// Meant for calcium recordings and checks; long continuous recordings are better streamed.
    func load(_ index: Int) throws -> RawRecording
}

extension RecordingSource {
    /// None: by default a source reads only `path`.
    public var companionPaths: [String] { [] }

    /// The recording whole, one block on its own timestamps.
    public func recording(_ index: Int) throws -> any RawStream {
        InMemoryStream(recording: try load(index))
    }

    /// Every block of the recording gathered into one ``RawRecording``.
    public func load(_ index: Int) throws -> RawRecording {
        try RawRecording(reading: recording(index), source: path)
    }
}
