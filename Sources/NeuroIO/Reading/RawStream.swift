import NeuroCore
import NeuroNative
import NeuroStore

/// One recording of a source, read block by block: channels, events and provenance up front, samples
/// a block at a time. A calcium recording is one block on its own (possibly irregular) timestamps; an
/// EDF file is many blocks on each signal's regular grid.
public protocol RawStream: AnyObject {
    /// Name of the recording inside its source (`worm1`, the file stem, …).
    var name: String { get }
    /// The signals (channels), in file order.
    var signals: [SignalInfo] { get }
    /// Annotations and decoded trigger events, onsets in seconds on the samples' clock.
    var events: [Event] { get }
    /// Facts about the file for provenance (`edf_version`, `dataset_path`, …).
    var attributes: [String: String] { get }
    /// Number of blocks.
    var blockCount: Int { get }
    /// Samples of block `index`: every signal over the same stretch of time, in SI units (volts for EEG).
    func readBlock(_ index: Int) throws -> SampleBlock
}

extension RawStream {
    /// Every sample of every signal, block after block. Meant for short recordings and checks: long
    /// recordings should be processed block by block (``readBlock(_:)``) instead.
    public func readAllSamples() throws -> [[Double]] {
        var all = Array(repeating: [Double](), count: signals.count)
        for b in 0..<blockCount {
            let block = try readBlock(b)
            for k in all.indices { all[k] += block.channel(k) }
        }
        return all
    }
}
