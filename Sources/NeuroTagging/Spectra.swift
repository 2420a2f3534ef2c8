import Dispatch
import Foundation
import NeuroCore
import NeuroSpectral
import ComplexModule

/// Spectra of every channel: power spectral density, amplitude (FFT method) and inter-trial phase
/// coherence.
public struct ChannelSpectra: Sendable {
    /// Frequency of each bin, Hz: `k · rate / transformLength` for `k = 0…transformLength/2`.
    public var frequencies: [Double]
    /// Channels × frequencies, units²/Hz (`scipy.signal.periodogram` / `welch` conventions).
    public var psd: Matrix
    /// Channels × frequencies: single-sided amplitude `2|X|/n` of the mean-removed epoch (FFT method).
    public var amplitude: Matrix?
    /// Channels × frequencies: `|mean over trials of X/|X||` from each trial's full-length FFT (≥ 2 trials).
    public var itpc: Matrix?
    /// Samples per transform (the epoch, or the Welch segment): bin `k` is `k · rate / length`.
    public var transformLength: Int

    /// The bin of frequency `f`.
    public func bin(of f: Double, rate: Double) -> Int { Int((f * Double(transformLength) / rate).rounded()) }
}

/// Spectral estimation of epoched data for frequency tagging.
public enum SpectralEstimation {
    /// Computes the spectra of `data`, channels in parallel (one FFTW plan per worker).
    public static func compute(_ data: EpochedData, options: FTagOptions) -> ChannelSpectra {
        let n = data.samples, channels = data.channels.count
        let length = options.method == .fft ? n : min(options.segmentLength ?? n, n)
        let bins = length / 2 + 1
        var psd = [Double](repeating: 0, count: channels * bins)
        var amplitude = [Double](repeating: 0, count: channels * bins)
        var itpc = [Double](repeating: 0, count: channels * (n / 2 + 1))
        let evoked = options.averaging == .evoked ? data.evoked : nil
        psd.withUnsafeMutableBufferPointer { pb in
            amplitude.withUnsafeMutableBufferPointer { ab in
                itpc.withUnsafeMutableBufferPointer { ib in
                    let p = UnsafeSendable(pb.baseAddress!), a = UnsafeSendable(ab.baseAddress!), c = UnsafeSendable(ib.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: channels) { ch in
                        let fft = RealFFT(length: n)
                        // The series whose spectra are averaged: the evoked response, or every trial.
                        let series: [[Double]] = evoked.map { [Array($0.row(ch))] }
                            ?? (0..<data.trials).map { Array(data.trial($0, channel: ch)) }
                        for x in series {
                            let (density, amp) = spectrum(x, rate: data.rate, method: options.method, length: length,
                                                          overlap: options.overlap, fft: fft)
                            for k in 0..<bins {
                                p.wrapped[ch * bins + k] += density[k] / Double(series.count)
                                if let amp { a.wrapped[ch * bins + k] += amp[k] / Double(series.count) }
                            }
                        }
                        if data.trials > 1 {
                            let half = n / 2 + 1
                            var sum = [Complex<Double>](repeating: .zero, count: half)
                            for t in 0..<data.trials {
                                let spectrum = fft.forward(Array(data.trial(t, channel: ch)))
                                for k in 0..<half {
                                    let magnitude = spectrum[k].length
                                    if magnitude > 0 { sum[k] = sum[k] + Complex(spectrum[k].real / magnitude, spectrum[k].imaginary / magnitude) }
                                }
                            }
                            for k in 0..<half { c.wrapped[ch * half + k] = sum[k].length / Double(data.trials) }
                        }
                    }
                }
            }
        }
        return ChannelSpectra(
            frequencies: (0..<bins).map { Double($0) * data.rate / Double(length) },
            psd: Matrix(rows: channels, columns: bins, values: psd),
            amplitude: options.method == .fft ? Matrix(rows: channels, columns: bins, values: amplitude) : nil,
            itpc: data.trials > 1 ? Matrix(rows: channels, columns: n / 2 + 1, values: itpc) : nil,
            transformLength: length)
    }

    /// PSD (and amplitude for the FFT method) of one series.
    static func spectrum(_ x: [Double], rate: Double, method: SpectrumMethod, length: Int, overlap: Int?,
                         fft: RealFFT) -> ([Double], [Double]?) {
        switch method {
        case .welch:
            return (Welch.psd(x, rate: rate, segmentLength: length, overlap: overlap).density, nil)
        case .fft:
            let n = x.count
            let mean = x.reduce(0, +) / Double(n)
            let spectrum = fft.forward(x.map { $0 - mean })
            var density = [Double](repeating: 0, count: n / 2 + 1), amplitude = density
            for k in 0...(n / 2) {
                let single = k == 0 || (n % 2 == 0 && k == n / 2)
                density[k] = spectrum[k].lengthSquared / (rate * Double(n)) * (single ? 1 : 2)
                amplitude[k] = spectrum[k].length / Double(n) * (single ? 1 : 2)
            }
            return (density, amplitude)
        }
    }
}
