internal import CLibDeflate
import Dispatch
import NeuroCore

/// Compresses `(time, channel)` blocks into stored HDF5 chunks — byte shuffle, then zlib-format
/// deflate, the same filter pipeline netCDF-4 declares with `shuffle=1, deflate=level` — on every core
/// at once, with libdeflate. The chunks are then written as they are (`H5Dwrite_chunk`), so compression,
/// the bulk of writing a file, no longer runs on one core inside the HDF5 library. Any zlib reader
/// (netCDF4-python, h5py, xarray) decodes them.
struct ChunkCompressor {
    let chunkRows: Int
    let columns: Int
    let precision: CommonFormat.Precision
    let level: Int32

    var elementSize: Int { precision == .float32 ? 4 : 8 }

    /// The stored bytes of each chunk of rows `rows` of `block`, in order; a last partial chunk is padded
    /// with zeros to the full chunk shape, as HDF5 stores edge chunks.
    func compress(_ block: Matrix, rows: Range<Int>) -> [[UInt8]] {
        precondition(block.columns == columns, "compress: block has \(block.columns) columns, chunks \(columns)")
        let count = (rows.count + chunkRows - 1) / chunkRows
        let results = UnsafeMutablePointer<[UInt8]>.allocate(capacity: count)
        results.initialize(repeating: [], count: count)
        defer { results.deinitialize(count: count); results.deallocate() }
        let output = UnsafeSendablePointer(results)
        block.values.withUnsafeBufferPointer { values in
            let input = UnsafeSendableBuffer(UnsafeBufferPointer(rebasing: values[(rows.lowerBound * columns)..<(rows.upperBound * columns)]))
            DispatchQueue.concurrentPerform(iterations: count) { k in
                output.pointer[k] = compressChunk(k, of: input.buffer, rows: rows.count)
            }
        }
        return Array(UnsafeBufferPointer(start: results, count: count))
    }

    private func compressChunk(_ k: Int, of values: UnsafeBufferPointer<Double>, rows: Int) -> [UInt8] {
        let n = chunkRows * columns, size = elementSize
        let first = k * chunkRows * columns, last = min(rows * columns, first + n)
        // Shuffled: byte j of every element, then byte j + 1, … (HDF5's shuffle filter).
        var shuffled = [UInt8](repeating: 0, count: n * size)
        shuffled.withUnsafeMutableBufferPointer { out in
            for i in 0..<(last - first) {
                let x = values[first + i]
                if size == 4 {
                    let bits = Float(x).bitPattern
                    for j in 0..<4 { out[j * n + i] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(j))) }
                } else {
                    let bits = x.bitPattern
                    for j in 0..<8 { out[j * n + i] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(j))) }
                }
            }
        }
        guard let compressor = libdeflate_alloc_compressor(level) else { fatalError("libdeflate: out of memory") }
        defer { libdeflate_free_compressor(compressor) }
        var stored = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, shuffled.count))
        let length = shuffled.withUnsafeBytes { src in
            stored.withUnsafeMutableBytes { dst in
                libdeflate_zlib_compress(compressor, src.baseAddress, src.count, dst.baseAddress, dst.count)
            }
        }
        precondition(length > 0, "libdeflate: output buffer too small")
        stored.removeLast(stored.count - length)
        return stored
    }
}

/// Pointers handed to `concurrentPerform`, where each iteration touches its own elements only.
private struct UnsafeSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

private struct UnsafeSendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
    init(_ buffer: UnsafeBufferPointer<T>) { self.buffer = buffer }
}
