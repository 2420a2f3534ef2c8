import Foundation
import Crypto

/// Small checks and facts about files that every reader and writer needs.
public enum FileChecks {
    /// Throws ``NeuroIOError/fileNotFound(_:)`` or ``NeuroIOError/emptyFile(_:)``.
    static func requireNonEmptyFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NeuroIOError.fileNotFound(path)
        }
        if isDirectory.boolValue { throw NeuroIOError.unsupported(path, detail: "is a directory, expected a file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { throw NeuroIOError.emptyFile(path) }
    }

    /// Public form of ``requireNonEmptyFile(_:)`` for callers outside the readers.
    public static func requireInput(_ path: String) throws { try requireNonEmptyFile(path) }

    /// Reads the whole file, with the same errors as ``requireNonEmptyFile(_:)``.
    static func contents(of path: String) throws -> Data {
        try requireNonEmptyFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NeuroIOError.corrupt(path, detail: "cannot read file")
        }
        return data
    }
}

/// SHA-256 of files, streamed in 1 MiB blocks so large recordings are not loaded whole.
public enum FileChecksum {
    /// Lower-case hexadecimal SHA-256 of the file at `path`.
    public static func sha256(of path: String) throws -> String {
        try FileChecks.requireNonEmptyFile(path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw NeuroIOError.corrupt(path, detail: "cannot open file") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let block = handle.readData(ofLength: 1 << 20)
            if block.isEmpty { break }
            hasher.update(data: block)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

extension String {
    /// A string from a NUL-terminated C character buffer (UTF-8; stops at the first NUL).
    init(cBuffer buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
