import ComplexModule
import NeuroSpectral

/// Zero-phase FIR filtering of one channel arriving in pieces, exactly as MNE's `filter_data` filters a
/// whole signal: the signal is extended at both ends by odd reflection (`2·x[0] − x[k]`, MNE's
/// `reflect_limited` padding of `min(taps, n) − 1` samples), convolved with the (odd, symmetric)
/// taps, and the delay `(taps − 1) / 2` removed. Convolution runs block by block through FFTW
/// (overlap-save), so memory stays at a few filter lengths whatever the recording's length.
///
/// ```swift
/// var filter = ZeroPhaseFIR(taps: try MNEFilterDesign.bandPass(rate: 256, low: 1, high: 40))
/// var y = filter.push(block1) + filter.push(block2)
/// y += filter.finish()          // as many samples out as went in
/// ```
public struct ZeroPhaseFIR: Sendable {
    /// The filter taps, odd in number.
    public let taps: [Double]
    private let half: Int
    private let fftLength: Int
    private let fft: RealFFT
    private let spectrum: [Complex<Double>]
    /// Received samples from absolute index `bufferStart` on.
    private var buffer: [Double] = []
    private var bufferStart = 0
    /// The first `taps.count` samples, for the reflection at the start.
    private var head: [Double] = []
    private var received = 0
    private var produced = 0

    /// A filter with odd-length taps (one tap is a plain gain).
    public init(taps: [Double]) {
        precondition(taps.count % 2 == 1, "zero-phase FIR filters have an odd number of taps")
        self.taps = taps
        half = (taps.count - 1) / 2
        var n = 1
        while n < max(4 * taps.count, 4096) { n *= 2 }
        fftLength = n
        fft = RealFFT(length: n)
        spectrum = fft.forward(taps + [Double](repeating: 0, count: n - taps.count))
    }

    /// Takes the next samples; returns the filtered samples that no longer depend on later input.
    public mutating func push(_ samples: [Double]) -> [Double] {
        guard !samples.isEmpty else { return [] }
        if head.count < taps.count { head += samples.prefix(taps.count - head.count) }
        buffer += samples
        received += samples.count
        return produce(final: false)
    }

    /// Ends the input; returns the remaining filtered samples.
    public mutating func finish() -> [Double] {
        produce(final: true)
    }

    private mutating func produce(final: Bool) -> [Double] {
        if taps.count == 1 {
            let out = buffer.map { $0 * taps[0] }
            buffer.removeAll()
            bufferStart = received
            produced = received
            return out
        }
        // The edge padding depends on the signal length when it is shorter than the filter.
        guard final || received >= taps.count else { return [] }
        let n = received
        let edge = max(min(taps.count, final ? n : taps.count) - 1, 0)
        let blockLength = fftLength - taps.count + 1
        var out: [Double] = []
        var window = [Double](repeating: 0, count: fftLength)
        var result = [Double](repeating: 0, count: fftLength)
        while produced < (final ? n : Int.max) {
            let start = produced - half
            if !final && start + fftLength > received { break }
            for i in 0..<fftLength { window[i] = sample(start + i, total: n, edge: edge, final: final) }
            window.withUnsafeBufferPointer { w in
                result.withUnsafeMutableBufferPointer { r in fft.convolve(w, withSpectrum: spectrum, into: r) }
            }
            let count = final ? min(blockLength, n - produced) : blockLength
            out.append(contentsOf: result[(taps.count - 1)..<(taps.count - 1 + count)])
            produced += count
        }
        let keepFrom = max(0, produced - half)
        if keepFrom > bufferStart {
            buffer.removeFirst(min(buffer.count, keepFrom - bufferStart))
            bufferStart = keepFrom
        }
        return out
    }

    /// The padded signal at absolute index `i` (odd reflection limited to `edge` samples, zeros beyond).
    private func sample(_ i: Int, total n: Int, edge: Int, final: Bool) -> Double {
        if i < 0 {
            let m = -i
            return m <= edge && m < head.count ? 2 * head[0] - head[m] : 0
        }
        if i < received { return buffer[i - bufferStart] }
        guard final else { return 0 }
        let j = i - (n - 1)
        return j <= edge && n - 1 - j >= bufferStart ? 2 * buffer[n - 1 - bufferStart] - buffer[n - 1 - j - bufferStart] : 0
    }
}
