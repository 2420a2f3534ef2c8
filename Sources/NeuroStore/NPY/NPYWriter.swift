import Foundation
import NeuroCore
import NeuroNative

/// Writes NumPy `.npy` files (format 1.0, little-endian, C order), atomically like every output.
public enum NPYWriter {
    /// Writes a 2-D array of 32-bit integers (`<i4`).
    public static func write(_ rows: [[Int32]], to path: String, inputs: [String] = []) throws {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "NPYWriter: ragged rows")
        var header = "{'descr': '<i4', 'fortran_order': False, 'shape': (\(rows.count), \(columns)), }"
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + rows.count * columns * 4)
        for row in rows { for v in row { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } } }
        let output = try AtomicOutput(path: path, inputs: inputs)
        try output.guarding { try Data(bytes).write(to: URL(fileURLWithPath: output.temporaryPath)) }
        try output.commit()
    }
}
