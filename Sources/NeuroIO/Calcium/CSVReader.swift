import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// Reads a CSV/TSV table with a header row: a time column (seconds) and one column per neuron, named by
/// its label (Venkatachalam 2024 style). The delimiter (`,`, tab or `;`) is taken from the header.
///
/// Options: `time` (time column name; default the first of `time`, `t`, `seconds`, `time_s`,
/// `timestamp`), `rate` (Hz, when there is no time column). Empty cells and `nan` are NaN.
public enum CSVReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `csv`.
    public static let name = "csv"
    /// One line on what the reader reads.
    public static let summary = "CSV/TSV table: a time column plus one column per neuron"
    /// The options it accepts: `time` (the time column's name) and `rate` (Hz, when there is no time column).
    public static let optionKeys = ["time", "rate"]
    /// Calcium imaging: recordings are read and processed whole.
    public static let modality = Modality.calcium
    static let timeNames = ["time", "t", "seconds", "time_s", "timestamp", "time (s)"]

    /// True for a `.csv` or `.tsv` extension, in any case; the content is not looked at.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        ["csv", "tsv"].contains(FileHeader.pathExtension(path))
    }

    /// One recording named after the file stem, parsed when loaded; throws ``NeuroIOError`` now only for a missing or
    /// empty file.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        try FileAccess.requireNonEmptyFile(path)
        let recordingName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return LazySource(path: path, readerName: name, recordingNames: [recordingName]) { _ in
            let lines = try TextTable.lines(of: path)
            guard let headerLine = lines.first else { throw NeuroIOError.emptyFile(path) }
            let delimiter: Character = headerLine.contains("\t") ? "\t" : (headerLine.contains(",") ? "," : ";")
            let header = TextTable.split(headerLine, delimiter: delimiter).map { String($0).trimmingWhitespace() }
            var timeColumn: Int?
            if let wanted = options["time"] {
                guard let i = header.firstIndex(of: wanted) else {
                    throw NeuroIOError.missingKey(path, key: "time column '\(wanted)'", available: header)
                }
                timeColumn = i
            } else {
                timeColumn = header.firstIndex { timeNames.contains($0.lowercased()) }
            }
            let rate = try options.number("rate", file: path)
            if timeColumn == nil && rate == nil {
                throw NeuroIOError.missingKey(path, key: "time column (\(timeNames.joined(separator: ", "))) or rate=HZ option", available: header)
            }
            let channelColumns = header.indices.filter { $0 != timeColumn }
            guard lines.count > 1, !channelColumns.isEmpty else {
                throw NeuroIOError.badValue(path, field: "table", detail: "no data rows or no neuron columns")
            }
            var times: [Double] = []
            var values: [Double] = []
            // A complete row spends at least a delimiter per value, so the text's size bounds the values: a
            // header claiming a million columns over short rows cannot reserve gigabytes.
            let textBytes = lines.dropFirst().reduce(0) { $0 + $1.utf8.count }
            values.reserveCapacity(min((lines.count - 1) * channelColumns.count, textBytes))
            for (i, line) in lines.enumerated().dropFirst() {
                let fields = TextTable.split(line, delimiter: delimiter)
                guard fields.count == header.count else {
                    throw NeuroIOError.badValue(path, field: "line \(i + 1)", detail: "\(fields.count) fields, header has \(header.count) (truncated or ragged file)")
                }
                if let tc = timeColumn { times.append(try TextTable.number(fields[tc], file: path, line: i + 1, column: tc + 1)) }
                for c in channelColumns { values.append(try TextTable.number(fields[c], file: path, line: i + 1, column: c + 1)) }
            }
            let rows = lines.count - 1
            if timeColumn == nil { times = try Timestamps.from(rate: rate, count: rows, file: path) }
            let recording = RawRecording(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension,
                                         labels: channelColumns.map { header[$0] }, timestamps: times,
                                         data: Matrix(rows: rows, columns: channelColumns.count, values: values))
            try recording.validate(source: path)
            return recording
        }
    }
}
