internal import CLibDeflate
import Dispatch
import NeuroCore

/// Compresses `(time, channel)` blocks into stored HDF5 chunks — byte shuffle, then zlib-format
/// deflate, the filter pipeline netCDF-4 declares with `shuffle=1, deflate=level` — on every core at
/// once, with libdeflate. The chunks are then written as they are (`H5Dwrite_chunk`), so compression,
/// the bulk of writing a file, no longer runs on one core inside the HDF5 library. Any zlib reader
/// (netCDF4-python, h5py, xarray) decodes them.
///
/// Chunks hold `chunkRows` samples of one channel. A chunk whose samples are all NaN is not produced
/// at all: the variables' fill value is NaN, so readers see NaN there, and channels that were not
/// recorded cost neither time nor space.
package struct ChunkCompressor {
    package let chunkRows: Int
    package let columns: Int
    /// Bytes per stored sample: 4 (float32) or 8 (float64).
    package let elementSize: Int
    package let level: Int32

    /// Chunks of `chunkRows` samples of one of `columns` channels, `elementSize` bytes a sample,
    /// deflated at `level`.
    package init(chunkRows: Int, columns: Int, elementSize: Int, level: Int32) {
        self.chunkRows = chunkRows
        self.columns = columns
        self.elementSize = elementSize
        self.level = level
    }

    /// One stored chunk: which rows-chunk (relative to the block) and channel, and its bytes.
    package struct Chunk {
        package var rowChunk: Int
        package var channel: Int
        package var bytes: [UInt8]
    }

    /// The stored chunks of rows `rows` of `block` (a whole number of row chunks, or the end of the
    /// recording), skipping all-NaN chunks; a last partial chunk is padded with zeros to the full
    /// chunk shape, as HDF5 stores edge chunks.
    package func compress(_ block: Matrix, rows: Range<Int>) -> [Chunk] {
        precondition(block.columns == columns, "compress: block has \(block.columns) columns, chunks \(columns)")
        let rowChunks = (rows.count + chunkRows - 1) / chunkRows
        let count = rowChunks * columns
        let results = UnsafeMutablePointer<[UInt8]?>.allocate(capacity: count)
        results.initialize(repeating: nil, count: count)
        defer { results.deinitialize(count: count); results.deallocate() }
        let output = UnsafeSendable(results)
        // Channel-major copy (tiled transpose), so each chunk reads one contiguous run of samples.
        let channelMajor = Self.transpose(block, rows: rows)
        channelMajor.withUnsafeBufferPointer { values in
            let input = UnsafeSendable(values)
            DispatchQueue.concurrentPerform(iterations: count) { task in
                let (r, c) = task.quotientAndRemainder(dividingBy: columns)
                let first = c * rows.count + r * chunkRows
                let length = min(chunkRows, rows.count - r * chunkRows)
                output.wrapped[task] = compressChunk(UnsafeBufferPointer(rebasing: input.wrapped[first..<(first + length)]))
            }
        }
        return (0..<count).compactMap { task in
            results[task].map { Chunk(rowChunk: task / columns, channel: task % columns, bytes: $0) }
        }
    }

    /// Rows `rows` of `block`, channel by channel.
    package static func transpose(_ block: Matrix, rows: Range<Int>) -> [Double] {
        let n = rows.count, c = block.columns, tile = 64
        var out = [Double](repeating: 0, count: n * c)
        block.values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i0 in stride(from: 0, to: n, by: tile) {
                    for j0 in stride(from: 0, to: c, by: tile) {
                        for i in i0..<min(i0 + tile, n) {
                            let row = (rows.lowerBound + i) * c
                            for j in j0..<min(j0 + tile, c) { dst[j * n + i] = src[row + j] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// The stored bytes of one chunk from its samples (contiguous), or nil when all are NaN.
    private func compressChunk(_ samples: UnsafeBufferPointer<Double>) -> [UInt8]? {
        guard samples.contains(where: { !$0.isNaN }) else { return nil }
        let n = chunkRows, size = elementSize
        // Shuffled: byte 0 of every element, then byte 1, … (HDF5's shuffle filter).
        var shuffled = [UInt8](repeating: 0, count: n * size)
        shuffled.withUnsafeMutableBufferPointer { out in
            if size == 4 {
                for (i, x) in samples.enumerated() {
                    let bits = Float(x).bitPattern
                    out[i] = UInt8(truncatingIfNeeded: bits)
                    out[n + i] = UInt8(truncatingIfNeeded: bits >> 8)
                    out[2 * n + i] = UInt8(truncatingIfNeeded: bits >> 16)
                    out[3 * n + i] = UInt8(truncatingIfNeeded: bits >> 24)
                }
            } else {
                for (i, x) in samples.enumerated() {
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
