import Foundation
import RealModule
import ComplexModule

/// Power spectral density by Welch's method, as `scipy.signal.welch` computes it with its defaults:
/// periodic Hann window, 50 % overlap, each segment's mean removed, one-sided density in units²/Hz,
/// segments averaged by the mean.
public enum Welch {
    /// The PSD of `signal` sampled at `rate` Hz with segments of `segmentLength` samples.
    /// Returns `segmentLength / 2 + 1` frequencies (Hz) and densities; fewer samples than one segment
    /// use one segment of the signal's length.
    public static func psd(_ signal: [Double], rate: Double, segmentLength: Int = 256, overlap: Int? = nil)
        -> (frequencies: [Double], density: [Double]) {
        let n = min(segmentLength, signal.count)
        guard n > 0 else { return ([], []) }
        let noverlap = overlap ?? n / 2
        let step = n - noverlap
        let window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        let scale = 1 / (rate * window.reduce(0) { $0 + $1 * $1 })
        let fft = RealFFT(length: n)
        let segments = (signal.count - noverlap) / step
        var density = [Double](repeating: 0, count: n / 2 + 1)
        for s in 0..<segments {
            let segment = Array(signal[(s * step)..<(s * step + n)])
            let mean = segment.reduce(0, +) / Double(n)
            let spectrum = fft.forward(zip(segment, window).map { ($0 - mean) * $1 })
            for k in density.indices { density[k] += spectrum[k].lengthSquared * scale }
        }
        for k in density.indices {
            density[k] /= Double(max(segments, 1))
            if k > 0 && !(n % 2 == 0 && k == n / 2) { density[k] *= 2 }
        }
        return ((0...(n / 2)).map { Double($0) * rate / Double(n) }, density)
    }
}
