import ComplexModule
import Foundation
import NeuroSpectral

/// Fourier resampling of a whole signal, as MNE-Python's default `raw.resample(method="fft")`
/// (`mne.filter.resample(x, up, down)`: `npad=100`, boxcar window, `reflect_limited` padding).
///
/// The signal is extended by `padding` samples of odd reflection at both ends, its spectrum truncated
/// or zero-padded to the new length (the Nyquist bin of the shorter length doubled when downsampling,
/// halved when upsampling), scaled by `new / old`, transformed back, and the padding removed. It needs
/// the whole signal in memory (choose polyphase resampling to stream).
public enum FFTResampler {
    /// `x` resampled by `up / down`; `round(n · up / down)` samples come out.
    public static func resample(_ x: [Double], up: Int, down: Int, padding: Int = 100) -> [Double] {
        let ratio = Double(up) / Double(down)
        let n = x.count
        guard n > 0, up != down else { return x }
        let finalLength = Int((ratio * Double(n)).rounded(.toNearestOrEven))
        let pad = max(min(padding, n - 1), 0)
        var padded: [Double] = []
        padded.reserveCapacity(n + 2 * pad)
        for k in stride(from: pad, through: 1, by: -1) { padded.append(2 * x[0] - x[k]) }
        padded += x
        for k in 1...max(pad, 1) where pad > 0 { padded.append(2 * x[n - 1] - x[n - 1 - k]) }
        let oldLength = padded.count
        let newLength = Int((ratio * Double(oldLength)).rounded(.toNearestOrEven))
        var spectrum = RealFFT(length: oldLength).forward(padded)
        let shorter = min(newLength, oldLength)
        if shorter % 2 == 0 {
            let k = shorter / 2
            if k < spectrum.count { spectrum[k] = spectrum[k].multiplied(by: newLength < oldLength ? 2 : 0.5) }
        }
        let scale = Double(newLength) / Double(oldLength)
        let bins = newLength / 2 + 1
        var resized = [Complex<Double>](repeating: .zero, count: bins)
        for k in 0..<min(bins, spectrum.count) { resized[k] = spectrum[k].multiplied(by: scale) }
        // irfft(X, n) ignores the imaginary part of the DC and (for even n) the Nyquist bin.
        resized[0] = Complex(resized[0].real, 0)
        if newLength % 2 == 0 { resized[bins - 1] = Complex(resized[bins - 1].real, 0) }
        let y = RealFFT(length: newLength).inverse(resized)
        let remove = Int((ratio * Double(pad)).rounded(.toNearestOrEven))
        return Array(y[remove..<min(y.count, remove + finalLength)])
    }
}
