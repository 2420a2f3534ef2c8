import Crypto
import Foundation
import NeuroCore
import NeuroNative

/// SHA-256 of files, streamed in 1 MiB blocks so large recordings are not loaded whole.
public enum FileChecksum {
    /// Lower-case hexadecimal SHA-256 of the file at `path`.
    public static func sha256(of path: String) throws -> String {
        try FileAccess.requireNonEmptyFile(path)
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
