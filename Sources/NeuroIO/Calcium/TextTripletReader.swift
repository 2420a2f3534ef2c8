import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// Reads the text triplet layout (Leifer 2023): `{i}_gcamp.txt` (time × neurons, whitespace separated),
/// `{i}_labels.txt` (one label a line, empty or `nan` for unlabeled) and `{i}_t.txt` (seconds, one a line).
/// The path may name any of the three files.
public enum TextTripletReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `triplet`.
    public static let name = "triplet"
    /// One line on what the reader reads.
    public static let summary = "text triplet {i}_gcamp.txt + {i}_labels.txt + {i}_t.txt"
    /// None: the reader takes no options.
    public static let optionKeys: [String] = []
    /// Calcium imaging: recordings are read and processed whole.
    public static let modality = Modality.calcium
    static let suffixes = ["_gcamp.txt", "_labels.txt", "_t.txt"]

    /// True for a path ending in `_gcamp.txt`, `_labels.txt` or `_t.txt`; the content is not looked at.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        suffixes.contains { path.hasSuffix($0) }
    }

    /// One recording named after the files' shared prefix, read when loaded; throws ``NeuroIOError`` when the path
    /// has none of the three endings or any of the three files is missing or empty.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        guard let suffix = suffixes.first(where: { path.hasSuffix($0) }) else {
            throw NeuroIOError.unsupported(path, detail: "triplet files end in _gcamp.txt, _labels.txt or _t.txt")
        }
        let prefix = String(path.dropLast(suffix.count))
        let tracePath = prefix + "_gcamp.txt", labelPath = prefix + "_labels.txt", timePath = prefix + "_t.txt"
        for file in [tracePath, labelPath, timePath] { try FileAccess.requireNonEmptyFile(file) }
        let recordingName = (prefix as NSString).lastPathComponent
        let companions = [tracePath, labelPath, timePath].filter { $0 != path }
        return LazySource(path: path, readerName: name, recordingNames: [recordingName], companionPaths: companions) { _ in
            let traces = try TextTable.whitespaceMatrix(tracePath)
            let times = try TextTable.numberColumn(timePath)
            let labels = try TextTable.lines(of: labelPath, keepEmptyLines: true).map { String($0).trimmingWhitespace() }
            let recording = RawRecording(name: (prefix as NSString).lastPathComponent, labels: labels, timestamps: times,
                                         data: Matrix(rows: traces.rows, columns: traces.columns, values: traces.values))
            do {
                try recording.validate(source: path)
            } catch let error as RecordingError {
                // Name the file whose length disagrees.
                switch error.problem {
                case .labelCountMismatch: throw RecordingError(file: labelPath, recording: error.recording, problem: error.problem)
                case .timeCountMismatch, .nonMonotonicTimestamps, .nonFiniteTimestamp:
                    throw RecordingError(file: timePath, recording: error.recording, problem: error.problem)
                default: throw error
                }
            }
            return recording
        }
    }
}
