import NeuroCore
import NeuroNative
import NeuroStore

/// Which homogenization pipeline a reader's recordings go through.
public enum Modality: String, Sendable, CaseIterable {
    /// Calcium-imaging traces: one block of samples on one clock, possibly irregular (a frame's time
    /// stamps), labelled with neuron identities; processed whole.
    case calcium
    /// Continuous signals (EEG, MEG, extracellular), each on a regular grid, read block by block and
    /// streamed so that hour-long recordings fit in little memory.
    case continuous
}

/// A file format neurotool reads recordings from: the one protocol every reader implements.
///
/// A reader recognises its files, validates its options and opens a ``RecordingSource``. Adding a
/// format is one type conforming to this protocol, one line in ``Readers/all`` and its fixtures in the
/// shared reader conformance suite.
///
/// ```swift
/// let source = try Readers.open("sub-01.bdf")
/// let stream = try source.recording(0)
/// for b in 0..<stream.blockCount { let block = try stream.readBlock(b) /* … */ }
/// ```
public protocol RecordingReader: Sendable {
    /// Short name used on the command line and in manifests (`matlab`, `nwb`, `edf`, …).
    static var name: String { get }
    /// One line on what the reader reads.
    static var summary: String { get }
    /// The option keys it accepts.
    static var optionKeys: [String] { get }
    /// The pipeline its recordings take.
    static var modality: Modality { get }
    /// True when the file looks like this reader's format (by extension and the first bytes, `header`).
    static func recognizes(path: String, header: [UInt8]) -> Bool
    /// Opens the file; fails with a ``NeuroIOError`` naming the file and the problem.
    static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource
}
