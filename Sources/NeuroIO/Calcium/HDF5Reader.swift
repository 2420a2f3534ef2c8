import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// Reads traces from any HDF5 file given the paths of its datasets (Flavell 2023, Dag 2023 style).
///
/// Options: `data` (dataset path; default: the only 2-D numeric dataset at the root), `time` (dataset
/// of seconds) or `rate` (Hz), `labels` (string dataset, one per channel), `layout`
/// (`time-channel`, default, or `channel-time`). On the command line `file.h5:/dataset` sets `data`.
public enum HDF5Reader: RecordingReader {
    /// The reader's name on the command line and in manifests: `hdf5`.
    public static let name = "hdf5"
    /// One line on what the reader reads.
    public static let summary = "generic HDF5: trace, time and label datasets given by path"
    /// The options it accepts: `data`, `time` and `labels` (dataset paths), `rate` (Hz), and
    /// `layout` (`time-channel` or `channel-time`).
    public static let optionKeys = ["data", "time", "rate", "labels", "layout"]
    /// Calcium imaging: recordings are read and processed whole.
    public static let modality = Modality.calcium

    /// True for an `.h5`, `.hdf5`, `.hdf` or `.he5` file that starts with the HDF5 signature.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        ["h5", "hdf5", "hdf", "he5"].contains(FileHeader.pathExtension(path)) && FileHeader.isHDF5(header)
    }

    /// One recording named after the file stem, read when loaded; the named datasets are checked now.
    /// Throws ``NeuroIOError`` when a dataset is missing, neither `time` nor `rate` is given, or, without `data`,
    /// the root does not hold exactly one 2-D numeric dataset.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        let file = try HDF5File(path: path)
        let layout = try TraceLayout.parse(options["layout"], file: path)
        let dataPath: String
        if let given = options["data"] {
            dataPath = given.hasPrefix("/") ? given : "/" + given
        } else {
            let root = try file.group(at: "/")
            var matrices: [String] = []
            for name in try root.childNames() {
                if case .dataset(let d) = try root.child(name), d.shape.count == 2,
                   d.elementClass == .float || d.elementClass == .integer { matrices.append("/" + name) }
            }
            guard matrices.count == 1 else {
                throw NeuroIOError.missingKey(path, key: "data=/PATH option (\(matrices.count) candidate 2-D datasets)",
                                              available: (try? root.childNames()) ?? [])
            }
            dataPath = matrices[0]
        }
        let dataset = try file.dataset(at: dataPath)
        let timePath = options["time"], labelPath = options["labels"]
        let rate = try options.number("rate", file: path)
        if let timePath { _ = try file.dataset(at: timePath) }
        if let labelPath { _ = try file.dataset(at: labelPath) }
        if timePath == nil { _ = try Timestamps.from(rate: rate, count: 1, file: path) }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return LazySource(path: path, readerName: self.name, recordingNames: [name]) { _ in
            let data = try layout.matrix(values: try dataset.readDoubles(), shape: dataset.shape, file: path, field: dataPath)
            let timestamps = try timePath.map { try file.dataset(at: $0).readDoubles() }
                ?? Timestamps.from(rate: rate, count: data.rows, file: path)
            let labels = try labelPath.map { try file.dataset(at: $0).readStrings() } ?? Array(repeating: "", count: data.columns)
            let recording = RawRecording(name: name, labels: labels, timestamps: timestamps, data: data,
                                         attributes: ["hdf5_dataset": dataPath])
            try recording.validate(source: path)
            return recording
        }
    }
}
