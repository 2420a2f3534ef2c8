import Foundation
import NeuroSpectral
import NeuroTestSupport
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

@Suite("Welch PSD")
struct WelchTests {
    @Test("equals scipy.signal.welch with its defaults (relative |Δ| ≤ 1e-10)")
    func matchesScipy() throws {
        let f = try TestSupport.json("Tests/Fixtures/eeg/dsp_psd.json")
        let x = TestSupport.matrixRows(try TestSupport.json("Tests/Fixtures/eeg/dsp_filter.json")["x"])[0]
        let (freqs, psd) = Welch.psd(x, rate: 256, segmentLength: 512)
        #expect(TestSupport.maxAbsDifference(freqs, TestSupport.doubles(f["freqs"])) <= 1e-12)
        let expected = TestSupport.doubles(f["psd"])
        #expect(zip(psd, expected).allSatisfy { abs($0 - $1) <= 1e-10 * abs($1) + 1e-30 })
    }

    @Test("a sine's power sits at its frequency")
    func sinePeak() {
        let x = (0..<4096).map { sin(2 * Double.pi * 10 * Double($0) / 256) }
        let (freqs, psd) = Welch.psd(x, rate: 256, segmentLength: 256)
        #expect(freqs[psd.indices.max { psd[$0] < psd[$1] }!] == 10)
    }
}

@Suite("Streaming Welch")
struct StreamingWelchTests {
    @Test("accumulating in pieces equals Welch on the whole signal (relative |Δ| ≤ 1e-12)")
    func piecesEqualWhole() throws {
        let x = TestSupport.matrixRows(try TestSupport.json("Tests/Fixtures/eeg/dsp_filter.json")["x"])[1]
        let (freqs, whole) = Welch.psd(x, rate: 256, segmentLength: 512)
        var stream = StreamingWelch(rate: 256, segmentLength: 512)
        var start = 0
        for size in [3, 500, 1, 900, 10_000] where start < x.count {
            stream.push(Array(x[start..<min(x.count, start + size)]))
            start += size
        }
        let (f, p) = try #require(stream.finish())
        #expect(f == freqs)
        #expect(zip(p, whole).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) + 1e-300 })
    }
}
