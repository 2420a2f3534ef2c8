import Foundation
import NeuroSpectral
import Testing

@Suite("FFTW real FFT")
struct FFTTests {
    @Test("matches the DFT definition", arguments: [8, 15, 64])
    func matchesDefinition(n: Int) {
        let signal = (0..<n).map { sin(Double($0) * 0.7) + 0.3 * cos(Double($0) * 2.1) }
        let spectrum = RealFFT(length: n).forward(signal)
        #expect(spectrum.count == n / 2 + 1)
        for k in 0...(n / 2) {
            var re = 0.0, im = 0.0
            for t in 0..<n {
                re += signal[t] * cos(2 * .pi * Double(k * t) / Double(n))
                im -= signal[t] * sin(2 * .pi * Double(k * t) / Double(n))
            }
            #expect(abs(spectrum[k].real - re) < 1e-10 && abs(spectrum[k].imaginary - im) < 1e-10)
        }
        #expect(RealFFT.libraryVersion.hasPrefix("fftw-3"))
    }
}
