import Foundation

/// The first bytes of a file, for format sniffing.
package enum FileHeader {
    package static func read(_ path: String, count: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8](handle.readData(ofLength: count))
    }

    /// The HDF5 signature `\x89HDF\r\n\x1a\n` at offset 0 or a power-of-two userblock offset ≥ 512.
    package static func isHDF5(_ header: [UInt8], at offset: Int = 0) -> Bool {
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
        return header.count >= offset + 8 && Array(header[offset..<(offset + 8)]) == signature
    }

    package static func pathExtension(_ path: String) -> String {
        (path as NSString).pathExtension.lowercased()
    }
}
