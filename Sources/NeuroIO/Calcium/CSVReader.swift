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
            let text = try TextLines(path: path)
            guard !text.lines.isEmpty else { throw NeuroIOError.emptyFile(path) }
            let headerLine = Substring(text.string(0))
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
            guard text.lines.count > 1, !channelColumns.isEmpty else {
                throw NeuroIOError.badValue(path, field: "table", detail: "no data rows or no neuron columns")
            }
            let rows = text.lines.count - 1
            // A complete row spends at least a delimiter per value, so the text's size bounds the values: a
            // header claiming a million columns over short rows cannot reserve gigabytes.
            var values = [Double](repeating: .nan, count: min([rows, channelColumns.count].saturatingProduct, text.bytes(from: 1)))
            var times = [Double](repeating: .nan, count: timeColumn == nil ? 0 : rows)
            try text.withBytes { bytes in
                try values.withUnsafeMutableBufferPointer { out in
                    try CSVReader.parseRows(text, bytes, delimiter: delimiter.asciiValue ?? UInt8(ascii: ","),
                                            header: header, timeColumn: timeColumn, values: out, times: &times)
                }
            }
            if timeColumn == nil { times = try Timestamps.from(rate: rate, count: rows, file: path) }
            let recording = RawRecording(name: recordingName,
                                         labels: channelColumns.map { header[$0] }, timestamps: times,
                                         data: Matrix(rows: rows, columns: channelColumns.count, values: values))
            try recording.validate(source: path)
            return recording
        }
    }

    /// Fills `values` (row-major, neuron columns only) and `times` from the data rows, byte by byte; a row
    /// with a quoted field is split as text. Rows must have the header's number of fields.
    static func parseRows(_ text: TextLines, _ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, header: [String],
                          timeColumn: Int?, values: UnsafeMutableBufferPointer<Double>, times: inout [Double]) throws {
        let path = text.path
        let columns = header.count, channels = columns - (timeColumn == nil ? 0 : 1)
        guard values.count == (text.lines.count - 1) * channels else {
            // Fewer values than rows × columns fit in the text: some row is short.
            let short = text.lines.indices.dropFirst().first { row in
                bytes[text.lines[row]].reduce(1) { $1 == delimiter ? $0 + 1 : $0 } != columns
            } ?? 1
            let found = bytes[text.lines[short]].reduce(1) { $1 == delimiter ? $0 + 1 : $0 }
            throw NeuroIOError.badValue(path, field: "line \(short + 1)", detail: "\(found) fields, header has \(columns) (truncated or ragged file)")
        }
        var next = 0
        let quoted = memchr(bytes.baseAddress!, Int32(UInt8(ascii: "\"")), bytes.count) != nil
        for row in 1..<text.lines.count {
            let range = text.lines[row]
            let line = row + 1
            if quoted && bytes[range].contains(UInt8(ascii: "\"")) {
                let fields = TextTable.split(Substring(text.string(row)), delimiter: Character(Unicode.Scalar(delimiter)))
                guard fields.count == columns else {
                    throw NeuroIOError.badValue(path, field: "line \(line)", detail: "\(fields.count) fields, header has \(columns) (truncated or ragged file)")
                }
                for (c, field) in fields.enumerated() {
                    let value = try TextTable.number(field, file: path, line: line, column: c + 1)
                    if c == timeColumn { times[row - 1] = value } else { values[next] = value; next += 1 }
                }
                continue
            }
            // Fields are counted to the end of the row; only the header's number of them are parsed.
            var fields = 0, start = range.lowerBound, k = range.lowerBound
            while true {
                if k == range.upperBound || bytes[k] == delimiter {
                    if fields < columns {
                        let value = try TextTable.number(UnsafeBufferPointer(rebasing: bytes[start..<k]), file: path, line: line, column: fields + 1)
                        if fields == timeColumn { times[row - 1] = value } else { values[next] = value; next += 1 }
                    }
                    fields += 1
                    if k == range.upperBound { break }
                    start = k + 1
                }
                k += 1
            }
            guard fields == columns else {
                throw NeuroIOError.badValue(path, field: "line \(line)", detail: "\(fields) fields, header has \(columns) (truncated or ragged file)")
            }
        }
    }
}
