import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// Parsing of delimited numeric text (CSV/TSV rows, whitespace-separated matrices), with errors that
/// name the file, the line and the column.
enum TextTable {
    /// The lines of a UTF-8 (or Latin-1) text file, without line terminators; trailing empty lines dropped.
    /// With `keepEmptyLines`, only the empty string after a final newline is dropped (label files, where
    /// an empty line is an unlabeled neuron).
    static func lines(of path: String, keepEmptyLines: Bool = false) throws -> [Substring] {
        let data = try FileAccess.contents(of: path)
        let bytes = [UInt8](data)
        // Every tool that writes tables ends each line; a last line without its end is most likely cut
        // short (a truncated copy whose last number lost digits would otherwise read as a valid row).
        if let last = bytes.last, last != UInt8(ascii: "\n"), last != UInt8(ascii: "\r") {
            let lineCount = bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw NeuroIOError.badValue(path, field: "line \(lineCount)", detail: "has no line end, so the file looks truncated (end it with a newline if it is complete)")
        }
        let text = String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
        // `\r\n` is one Character in Swift, so split on any newline (LF, CRLF, CR).
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if keepEmptyLines {
            if lines.last == "" { lines.removeLast() }
            return lines
        }
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        return lines
    }

    /// One numeric field: empty, `nan`, `NaN`, `NA` are NaN; anything else must parse as a number.
    static func number(_ field: Substring, file: String, line: Int, column: Int) throws -> Double {
        let trimmed = field.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .nan }
        if let value = Double(trimmed) { return value }
        switch trimmed.lowercased() {
        case "nan", "na", "n/a", "null": return .nan
        default:
            let shown = String(trimmed.prefix(40)).unicodeScalars.map { $0.properties.generalCategory == .control ? "\u{FFFD}" : String($0) }.joined()
            throw NeuroIOError.badValue(file, field: "line \(line), column \(column)", detail: "'\(shown)' is not a number")
        }
    }

    /// A numeric matrix, one row a line, values separated by runs of blanks or commas; all rows must
    /// have the same length. Parsed from the bytes in one pass.
    static func whitespaceMatrix(_ path: String) throws -> (rows: Int, columns: Int, values: [Double]) {
        let text = try TextLines(path: path)
        var values: [Double] = []
        values.reserveCapacity(text.bytes(from: 0) / 2)
        var columns = -1
        try text.withBytes { bytes in
            for (i, range) in text.lines.enumerated() {
                var count = 0, k = range.lowerBound
                while k < range.upperBound {
                    while k < range.upperBound, isSeparator(bytes[k]) { k += 1 }
                    guard k < range.upperBound else { break }
                    let start = k
                    while k < range.upperBound, !isSeparator(bytes[k]) { k += 1 }
                    count += 1
                    if columns < 0 || count <= columns {
                        values.append(try number(UnsafeBufferPointer(rebasing: bytes[start..<k]), file: path, line: i + 1, column: count))
                    }
                }
                if columns < 0 { columns = count }
                guard count == columns else {
                    throw NeuroIOError.badValue(path, field: "line \(i + 1)", detail: "\(count) values, expected \(columns) (truncated or ragged file)")
                }
            }
        }
        return (text.lines.count, max(columns, 0), values)
    }

    @inline(__always)
    private static func isSeparator(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x2C }

    /// One number a line (a column of times); an empty line is NaN.
    static func numberColumn(_ path: String) throws -> [Double] {
        let text = try TextLines(path: path)
        return try text.withBytes { bytes in
            try text.lines.enumerated().map { i, range in
                try number(UnsafeBufferPointer(rebasing: bytes[range]), file: path, line: i + 1, column: 1)
            }
        }
    }

    /// Splits a delimited line, honouring double quotes around fields.
    static func split(_ line: Substring, delimiter: Character) -> [Substring] {
        guard line.contains("\"") else { return line.split(separator: delimiter, omittingEmptySubsequences: false) }
        var fields: [Substring] = []
        var start = line.startIndex, inQuotes = false, i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "\"" { inQuotes.toggle() } else if c == delimiter && !inQuotes {
                fields.append(line[start..<i])
                start = line.index(after: i)
            }
            i = line.index(after: i)
        }
        fields.append(line[start..<line.endIndex])
        return fields.map { f in
            let t = f.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("\"") && t.hasSuffix("\"") && t.count >= 2 ? Substring(t.dropFirst().dropLast()) : f
        }
    }
}
