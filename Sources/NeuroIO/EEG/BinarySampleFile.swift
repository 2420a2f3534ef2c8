import Foundation
import NeuroCore
import NeuroNative
import NeuroStore

/// A headerless file of little-endian samples for a fixed set of channels — BrainVision's `.eeg`,
/// EEGLAB's `.fdt` — read a stretch of samples at a time.
///
/// Multiplexed files hold, sample after sample, one value per channel; vectorized files hold each
/// channel's samples one after the other.
struct BinarySampleFile {
    /// Sample encodings, named as BrainVision names them.
    enum Format: String {
        case int16 = "INT_16", uint16 = "UINT_16", int32 = "INT_32", float32 = "IEEE_FLOAT_32"
        var size: Int { self == .int32 || self == .float32 ? 4 : 2 }
    }

    let path: String
    let format: Format
    let vectorized: Bool
    let channels: Int
    /// Per-channel factor turning a stored value into SI units.
    let scales: [Double]
    /// Samples per channel, from the file size.
    let sampleCount: Int
    private let handle: FileHandle

    /// Opens `path`, refusing a file that is missing or not a whole number of `channels`-channel samples.
    /// When the header states the number of samples (`expectedSamples`), the file must hold at least
    /// that many and only those are read. A missing file is reported against the header's `field`
    /// naming it.
    init(path: String, format: Format, vectorized: Bool, scales: [Double], expectedSamples: Int? = nil,
         namedBy field: String, in header: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw NeuroIOError.badValue(header, field: field, detail: "'\((path as NSString).lastPathComponent)' not found")
        }
        try FileAccess.requireNonEmptyFile(path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw NeuroIOError.corrupt(path, detail: "cannot open data file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        let frame = scales.count * format.size
        if let expectedSamples {
            guard size >= expectedSamples * frame else {
                throw NeuroIOError.corrupt(path, detail: "holds \(size / frame) samples per channel, the header says \(expectedSamples) (truncated?)")
            }
        } else {
            guard size % frame == 0 else {
                throw NeuroIOError.corrupt(path, detail: "\(size) bytes is not a whole number of \(scales.count)-channel \(format.rawValue) samples (truncated?)")
            }
        }
        self.path = path
        self.format = format
        self.vectorized = vectorized
        self.channels = scales.count
        self.scales = scales
        self.sampleCount = expectedSamples ?? size / frame
        self.handle = handle
    }

    /// Samples per block so that one block reads about 1 MiB.
    var samplesPerMebibyte: Int { max(1, min(sampleCount, (1 << 20) / (channels * format.size))) }

    /// `count` samples of every channel from sample `first`, scaled: one array per channel.
    func read(first: Int, count: Int) throws -> [[Double]] {
        let size = format.size
        var out = (0..<channels).map { _ in [Double](repeating: 0, count: count) }
        if vectorized {
            for c in 0..<channels {
                let bytes = try EDFSource.read(handle, at: (c * sampleCount + first) * size, count: count * size,
                                               path: path, what: "samples \(first)–\(first + count) of channel \(c + 1)")
                for i in 0..<count { out[c][i] = decode(bytes, at: i * size) * scales[c] }
            }
        } else {
            let bytes = try EDFSource.read(handle, at: first * channels * size, count: count * channels * size,
                                           path: path, what: "samples \(first)–\(first + count)")
            for i in 0..<count { for c in 0..<channels { out[c][i] = decode(bytes, at: (i * channels + c) * size) * scales[c] } }
        }
        return out
    }

    func close() { try? handle.close() }

    private func decode(_ bytes: [UInt8], at p: Int) -> Double {
        switch format {
        case .int16: return Double(Int16(bitPattern: UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8))
        case .uint16: return Double(UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8)
        case .int32:
            return Double(Int32(bitPattern: UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24))
        case .float32:
            return Double(Float(bitPattern: UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24))
        }
    }
}
