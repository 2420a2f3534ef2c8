import Foundation
import NeuroCore

/// Small checks and facts about files that every reader and writer needs.
package enum FileAccess {
    /// Throws ``NeuroIOError/fileNotFound(_:)`` or ``NeuroIOError/emptyFile(_:)``.
    package static func requireNonEmptyFile(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NeuroIOError.fileNotFound(path)
        }
        if isDirectory.boolValue { throw NeuroIOError.unsupported(path, detail: "is a directory, expected a file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { throw NeuroIOError.emptyFile(path) }
    }

    /// `count` bytes at `offset`; a short read is ``NeuroIOError/corrupt(_:detail:)`` naming `what`.
    package static func read(_ handle: FileHandle, at offset: Int, count: Int, path: String, what: String) throws -> [UInt8] {
        do {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else {
                throw NeuroIOError.corrupt(path, detail: "truncated \(what): \(data.count) of \(count) bytes")
            }
            return [UInt8](data)
        } catch let error as NeuroIOError {
            throw error
        } catch {
            throw NeuroIOError.corrupt(path, detail: "cannot read \(what)")
        }
    }


    /// Reads the whole file, with the same errors as ``requireNonEmptyFile(_:)``.
    package static func contents(of path: String) throws -> Data {
        try requireNonEmptyFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NeuroIOError.corrupt(path, detail: "cannot read file")
        }
        return data
    }
}

extension String {
    /// A string from a NUL-terminated C character buffer (UTF-8; stops at the first NUL).
    package init(cBuffer buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
