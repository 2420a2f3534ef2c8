import Foundation
import NeuroCore
import NeuroDSP
import NeuroTestSupport
import Testing

/// Filter design, zero-phase filtering, notch and streaming resampling against MNE-Python and SciPy on
/// the same signals (`Tests/Fixtures/eeg/dsp_*.json`).
@Suite("EEG filters and resampling against MNE and SciPy")
struct EEGFilterTests {
    func fixture(_ name: String) throws -> [String: Any] { try TestSupport.json("Tests/Fixtures/eeg/\(name).json") }

    /// Parses `mne.filter.create_filter(None, 256.0, 1, 40)` into (rate, low, high).
    func arguments(of call: String) -> (Double, Double?, Double?) {
        let inner = call.split(separator: "(", maxSplits: 1)[1].dropLast()
        let parts = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return (Double(parts[1])!, Double(parts[2]), Double(parts[3]))
    }

    @Test("band-, high- and low-pass taps equal mne.filter.create_filter (max |Δ| ≤ 1e-15)")
    func designs() throws {
        let f = try fixture("dsp_filter")
        for case let d as [String: Any] in f["designs"] as! [Any] {
            let (rate, low, high) = arguments(of: d["call"] as! String)
            let taps = try MNEFilterDesign.bandPass(rate: rate, low: low, high: high)
            let expected = TestSupport.doubles(d["taps"])
            #expect(taps.count == expected.count, "\(d["call"]!)")
            #expect(TestSupport.maxAbsDifference(taps, expected) <= 1e-15, "\(d["call"]!)")
        }
    }

    @Test("notch taps equal MNE's notch_filter design (max |Δ| ≤ 1e-14: several low-passes are summed)")
    func notchDesign() throws {
        let notch = try fixture("dsp_filter")["notch"] as! [String: Any]
        let taps = try MNEFilterDesign.notch(rate: 256, frequencies: TestSupport.doubles(notch["freqs"]))
        #expect(TestSupport.maxAbsDifference(taps, TestSupport.doubles(notch["taps"])) <= 1e-14)
    }

    @Test("zero-phase filtering equals mne.filter.filter_data, whole or in pieces (max |Δ| ≤ 1e-12 of the signal scale)")
    func filtering() throws {
        let f = try fixture("dsp_filter")
        let x = TestSupport.matrixRows(f["x"])
        let scale = x.flatMap { $0 }.map(abs).max()!
        var cases: [(taps: [Double], expected: [[Double]], name: String)] = []
        for case let d as [String: Any] in f["filter_data"] as! [Any] {
            let (rate, low, high) = arguments(of: d["call"] as! String)
            cases.append((try MNEFilterDesign.bandPass(rate: rate, low: low, high: high), TestSupport.matrixRows(d["output"]), d["call"] as! String))
        }
        let notch = f["notch"] as! [String: Any]
        cases.append((TestSupport.doubles(notch["taps"]), TestSupport.matrixRows(notch["output"]), "notch"))
        for c in cases {
            for (channel, signal) in x.enumerated() {
                var whole = ZeroPhaseFIR(taps: c.taps)
                let all = whole.push(signal) + whole.finish()
                #expect(TestSupport.maxAbsDifference(all, c.expected[channel]) <= 1e-12 * scale, "\(c.name) whole")
                var pieces = ZeroPhaseFIR(taps: c.taps)
                var out: [Double] = []
                var start = 0
                for size in [1, 700, 33, 1000, 5000] where start < signal.count {
                    let end = min(signal.count, start + size)
                    out += pieces.push(Array(signal[start..<end]))
                    start = end
                }
                out += pieces.finish()
                #expect(TestSupport.maxAbsDifference(out, all) <= 1e-12 * scale, "\(c.name) pieces")
            }
        }
    }

    @Test("streaming polyphase resampling equals scipy.signal.resample_poly, in any block sizes (max |Δ| ≤ 1e-12)")
    func streamingPolyphase() throws {
        let f = try fixture("dsp_resample_poly")
        let inputs = f["inputs"] as! [String: Any]
        for case let c as [String: Any] in f["cases"] as! [Any] {
            let up = Int(TestSupport.number(c["up"])!), down = Int(TestSupport.number(c["down"])!)
            let input = [TestSupport.doubles(inputs[c["input"] as! String])]
            let expected = [TestSupport.doubles(c["output"])]
            for (channel, signal) in input.enumerated() {
                var stream = StreamingPolyphase(PolyphaseResampler(up: up, down: down))
                var out: [Double] = []
                var start = 0
                var size = 1
                while start < signal.count {
                    let end = min(signal.count, start + size)
                    out += stream.push(Array(signal[start..<end]))
                    start = end
                    size = size * 3 + 1
                }
                out += stream.finish()
                #expect(out.count == expected[channel].count)
                #expect(TestSupport.maxAbsDifference(out, expected[channel]) <= 1e-12, "up \(up) down \(down)")
            }
        }
    }

    @Test("reflect padding (MNE's default for polyphase) equals scipy resample_poly(padtype='reflect'), streamed (max |Δ| ≤ 1e-12)")
    func reflectPadding() throws {
        let f = try fixture("dsp_resample_poly")
        let x = TestSupport.doubles((f["inputs"] as! [String: Any])["x512"]).map { $0 + 40e-3 }  // a DC offset, as raw EEG has
        let dir = try TestSupport.temporaryDirectory()
        try JSONSerialization.data(withJSONObject: x).write(to: URL(fileURLWithPath: "\(dir)/x.json"))
        let script = """
        import json, sys, scipy.signal
        x = json.load(open(sys.argv[1]))
        print(json.dumps({f"{u}/{d}": list(scipy.signal.resample_poly(x, u, d, padtype="reflect")) for u, d in [(1, 2), (1, 8), (2, 3), (5, 4)]}))
        """
        try script.write(toFile: "\(dir)/peer.py", atomically: true, encoding: .utf8)
        let run = try TestSupport.run(TestSupport.python, ["\(dir)/peer.py", "\(dir)/x.json"])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try JSONDecoder().decode([String: [Double]].self, from: Data(run.stdout.utf8))
        for (up, down) in [(1, 2), (1, 8), (2, 3), (5, 4)] {
            var stream = StreamingPolyphase(PolyphaseResampler(up: up, down: down, padding: .reflect))
            var out: [Double] = []
            var start = 0
            for size in [5, 100, 1, 2000] where start < x.count {
                out += stream.push(Array(x[start..<min(x.count, start + size)]))
                start += size
            }
            out += stream.finish()
            #expect(TestSupport.maxAbsDifference(out, expected["\(up)/\(down)"]!) <= 1e-12, "\(up)/\(down)")
        }
    }

    @Test("impossible bands are refused with a clear message")
    func badBands() {
        #expect(throws: MNEFilterDesign.Failure.invalidBand("low-pass frequency 200.0 Hz must be between 0 and Nyquist (128.0 Hz)")) {
            try MNEFilterDesign.bandPass(rate: 256, low: nil, high: 200)
        }
        #expect(throws: MNEFilterDesign.Failure.self) { try MNEFilterDesign.bandPass(rate: 256, low: 40, high: 1) }
        #expect(throws: MNEFilterDesign.Failure.self) { try MNEFilterDesign.notch(rate: 100, frequencies: [50]) }
    }
}

@Suite("FFT resampling against MNE")
struct FFTResamplingTests {
    @Test("equals mne.filter.resample (method fft, its defaults) (max |Δ| ≤ 1e-12 of the scale)")
    func matchesMNE() throws {
        let f = try TestSupport.json("Tests/Fixtures/eeg/dsp_resample_fft.json")
        let inputs = f["inputs"] as! [String: Any]
        for case let c as [String: Any] in f["cases"] as! [Any] {
            let x = TestSupport.doubles(inputs[c["input"] as! String])
            let from = Int(TestSupport.number(c["from_hz"])!), to = Int(TestSupport.number(c["to_hz"])!)
            let y = FFTResampler.resample(x, up: to, down: from)
            let expected = TestSupport.doubles(c["mne"])
            let scale = x.map(abs).max()!
            #expect(y.count == expected.count)
            #expect(TestSupport.maxAbsDifference(y, expected) <= 1e-12 * scale, "\(from) → \(to)")
        }
    }
}

@Suite("Bad-channel detection")
struct BadChannelTests {
    @Test("a flat channel and a channel with 100× the power are flagged; ordinary ones are not")
    func outliers() {
        let f = (0...128).map { Double($0) }
        var rng = SystemRandomNumberGenerator()
        var psds = (0..<20).map { _ in f.map { 1 / max($0, 1) * Double.random(in: 0.8...1.25, using: &rng) } }
        psds[3] = f.map { _ in 0 }
        psds[7] = psds[7].map { $0 * 100 }
        let flags = BadChannels.flag(frequencies: f, psds: psds)
        #expect(flags.indices.filter { flags[$0] } == [3, 7])
    }

    @Test("fewer than four channels: only flat ones are flagged")
    func fewChannels() {
        #expect(BadChannels.flag(frequencies: [0, 1, 2], psds: [[1, 1, 1], [0, 0, 0], [100, 100, 100]]) == [false, true, false])
    }
}
