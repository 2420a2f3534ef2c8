import ComplexModule
import Foundation
import RealModule

/// ``Welch`` accumulated over a signal that arrives in pieces: the same segments, window and scaling,
/// so `finish()` equals `Welch.psd` of the concatenated signal, while only one segment is kept.
public struct StreamingWelch: Sendable {
    /// Sampling rate in Hz.
    public let rate: Double
    /// Samples per segment; consecutive segments overlap by `segmentLength / 2` samples.
    public let segmentLength: Int
    private let step: Int
    private let window: [Double]
    private let scale: Double
    private let fft: RealFFT
    private var pending: [Double] = []
    private var sum: [Double]
    private var segments = 0

    /// An empty estimate over Hann-windowed segments of `segmentLength` samples (at least 2) at `rate` Hz.
    public init(rate: Double, segmentLength: Int) {
        precondition(segmentLength > 1, "Welch segments need at least 2 samples")
        self.rate = rate
        self.segmentLength = segmentLength
        step = segmentLength - segmentLength / 2
        window = (0..<segmentLength).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(segmentLength)) }
        scale = 1 / (rate * window.reduce(0) { $0 + $1 * $1 })
        fft = RealFFT(length: segmentLength)
        sum = [Double](repeating: 0, count: segmentLength / 2 + 1)
    }

    /// Adds samples; every complete segment is transformed and accumulated.
    public mutating func push(_ samples: [Double]) {
        pending += samples
        while pending.count >= segmentLength {
            let segment = Array(pending.prefix(segmentLength))
            let mean = segment.reduce(0, +) / Double(segmentLength)
            let spectrum = fft.forward(zip(segment, window).map { ($0 - mean) * $1 })
            for k in sum.indices { sum[k] += spectrum[k].lengthSquared * scale }
            segments += 1
            pending.removeFirst(step)
        }
    }

    /// The one-sided PSD (units²/Hz) averaged over the segments seen; nil when there was none.
    public func finish() -> (frequencies: [Double], density: [Double])? {
        guard segments > 0 else { return nil }
        let n = segmentLength
        let density = sum.indices.map { k -> Double in
            let d = sum[k] / Double(segments)
            return k > 0 && !(n % 2 == 0 && k == n / 2) ? 2 * d : d
        }
        return ((0...(n / 2)).map { Double($0) * rate / Double(n) }, density)
    }
}
