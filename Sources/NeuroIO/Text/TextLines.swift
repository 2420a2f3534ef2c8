import Foundation
import NeuroCore
import NeuroNative

/// A text file's bytes, memory-mapped, and its lines as byte ranges (LF, CRLF or CR line ends), for
/// parsing numbers without making strings.
///
/// Every tool that writes tables ends each line; a file whose last line has no line end is most likely
/// cut short (a truncated copy whose last number lost digits would otherwise read as a valid row), so it
/// is refused. Trailing lines of blanks are dropped.
struct TextLines {
    let path: String
    let data: Data
    /// Each line's bytes, without its line end.
    let lines: [Range<Int>]

    init(path: String) throws {
        try FileAccess.requireNonEmptyFile(path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw NeuroIOError.corrupt(path, detail: "cannot read file")
        }
        self.path = path
        self.data = data
        var lines: [Range<Int>] = []
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let last = bytes.last else { return }
            if last != 0x0A && last != 0x0D {
                let count = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                throw NeuroIOError.badValue(path, field: "line \(count)", detail: "has no line end, so the file looks truncated (end it with a newline if it is complete)")
            }
            lines.reserveCapacity(bytes.count / 64)
            let base = raw.baseAddress!
            let hasCR = memchr(base, 0x0D, raw.count) != nil
            var start = 0
            if !hasCR {
                // LF only: memchr finds each line end.
                while start < raw.count, let p = memchr(base + start, 0x0A, raw.count - start) {
                    let end = base.distance(to: UnsafeRawPointer(p))
                    lines.append(start..<end)
                    start = end + 1
                }
            } else {
                var i = 0
                while i < bytes.count {
                    let b = bytes[i]
                    if b == 0x0A || b == 0x0D {
                        lines.append(start..<i)
                        if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                        start = i + 1
                    }
                    i += 1
                }
            }
            while let range = lines.last, bytes[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.removeLast() }
        }
        self.lines = lines
    }

    /// Runs `body` on the file's bytes (valid only inside it).
    func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try data.withUnsafeBytes { try body($0.bindMemory(to: UInt8.self)) }
    }

    /// Line `index` (0-based) as text: UTF-8, or Latin-1 when it is not valid UTF-8.
    func string(_ index: Int) -> String {
        withBytes { bytes in
            let line = UnsafeBufferPointer(rebasing: bytes[lines[index]])
            return String(validating: line, as: UTF8.self) ?? String(line.map { Character(Unicode.Scalar($0)) })
        }
    }

    /// Total bytes of the lines from `index` on (a bound on how many values they can hold).
    func bytes(from index: Int) -> Int { lines.dropFirst(index).reduce(0) { $0 + $1.count } }
}

extension TextTable {
    /// One numeric field's bytes: blanks around it ignored; empty, `nan`, `NA`, `n/a`, `null` (any case)
    /// are NaN; anything else must be a number `strtod` reads whole.
    @inline(__always)
    static func number(_ field: UnsafeBufferPointer<UInt8>, file: String, line: Int, column: Int) throws -> Double {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 || field[start] == 0x09 { start += 1 }
        while end > start, field[end - 1] == 0x20 || field[end - 1] == 0x09 { end -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: field[start..<end])
        if trimmed.isEmpty { return .nan }
        if let value = DecimalParser.parse(trimmed) { return value }
        // The slow path decides: missing-value words, and the error naming the text.
        return try number(Substring(String(decoding: trimmed, as: UTF8.self)), file: file, line: line, column: column)
    }
}
