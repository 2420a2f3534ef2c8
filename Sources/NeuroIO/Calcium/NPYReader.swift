import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// Reads traces from NumPy `.npy` files, including suite2p output (`F.npy`, ROIs × frames, with
/// `iscell.npy` beside it selecting the cells).
///
/// Options: `rate` (Hz; required unless `time` is given, since suite2p keeps the rate in a pickle),
/// `time` (a `.npy` of timestamps in seconds), `layout` (default `channel-time` for suite2p's
/// `F.npy`/`Fneu.npy`/`spks.npy`, else `time-channel`), `iscell` (`true`: keep only ROIs marked as cells
/// when `iscell.npy` is present — the default; `false`: keep all). ROIs are named `roi0000`, … by their
/// index in the file.
public enum NPYReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `npy`.
    public static let name = "npy"
    /// One line on what the reader reads.
    public static let summary = "NumPy .npy matrix; suite2p F.npy + iscell.npy with rate=HZ"
    /// The options it accepts: `rate` (Hz), `time` (`.npy` of seconds), `layout`, `iscell` (`false`: keep all ROIs).
    public static let optionKeys = ["rate", "time", "layout", "iscell"]
    /// Calcium imaging: recordings are read and processed whole.
    public static let modality = Modality.calcium
    static let suite2pNames: Set<String> = ["F.npy", "Fneu.npy", "spks.npy"]

    /// True for a `.npy` extension, in any case; the content is not looked at.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        FileHeader.pathExtension(path) == "npy"
    }

    /// One recording, read when loaded, named after the folder for suite2p's `F.npy`, `Fneu.npy` and `spks.npy`,
    /// else after the file stem; throws ``NeuroIOError`` now for a bad `layout` or a missing or empty file.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        let fileName = (path as NSString).lastPathComponent
        let isSuite2p = suite2pNames.contains(fileName)
        let layout = try TraceLayout.parse(options["layout"], file: path, fallback: isSuite2p ? .channelTime : .timeChannel)
        try FileAccess.requireNonEmptyFile(path)
        let fileName0 = (path as NSString).lastPathComponent
        let recordingName = suite2pNames.contains(fileName0)
            ? ((PathText.directory(of: path) as NSString).lastPathComponent) : (fileName0 as NSString).deletingPathExtension
        let directory0 = PathText.directory(of: path)
        let iscell0 = (directory0 as NSString).appendingPathComponent("iscell.npy")
        var companions: [String] = options["time"].map { [$0] } ?? []
        if suite2pNames.contains(fileName0), options["iscell"] != "false", FileManager.default.fileExists(atPath: iscell0) {
            companions.append(iscell0)
        }
        return LazySource(path: path, readerName: self.name, recordingNames: [recordingName], companionPaths: companions) { _ in
            let array = try NPYArray.read(path)
            var data = try layout.matrix(values: array.values, shape: array.shape, file: path, field: "array")
            var labels = (0..<data.columns).map { String(format: "roi%04d", $0) }
            let directory = PathText.directory(of: path)
            let iscellPath = (directory as NSString).appendingPathComponent("iscell.npy")
            var attributes: [String: String] = [:]
            if isSuite2p, options["iscell"] != "false", FileManager.default.fileExists(atPath: iscellPath) {
                let iscell = try NPYArray.read(iscellPath)
                guard iscell.shape.first == data.columns else {
                    throw NeuroIOError.badValue(iscellPath, field: "shape", detail: "\(iscell.shape) for \(data.columns) ROIs in \(fileName)")
                }
                let width = iscell.shape.count == 2 ? iscell.shape[1] : 1
                let keep = (0..<data.columns).filter { iscell.values[$0 * width] != 0 }
                data = data.selectingColumns(keep)
                labels = keep.map { labels[$0] }
                attributes["suite2p_iscell"] = "\(keep.count) of \(iscell.shape[0]) ROIs kept"
            }
            let timestamps: [Double]
            if let timePath = options["time"] {
                timestamps = try NPYArray.read(timePath).values
            } else {
                timestamps = try Timestamps.from(rate: try options.number("rate", file: path), count: data.rows, file: path)
            }
            let name = isSuite2p ? ((directory as NSString).lastPathComponent) : (fileName as NSString).deletingPathExtension
            let recording = RawRecording(name: name, labels: labels, timestamps: timestamps, data: data, attributes: attributes)
            try recording.validate(source: path)
            return recording
        }
    }
}
