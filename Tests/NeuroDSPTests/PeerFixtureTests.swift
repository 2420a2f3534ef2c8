import Foundation
import NeuroCore
import NeuroDSP
import NeuroTestSupport
import Testing

/// Interpolation, filters, derivatives and smoothers against numpy/scipy on the same inputs
/// (fixtures from `tools/python/make_fixtures.py` in the pinned venv). Tolerances are stated per test.
@Suite("DSP against numpy and scipy")
struct PeerFixtureTests {
    func fixture(_ name: String) throws -> [String: Any] { try TestSupport.json("Tests/Fixtures/dsp/\(name).json") }

    @Test("linear interpolation equals numpy.interp (max |Δ| ≤ 1e-13)")
    func linearInterpolation() throws {
        let f = try fixture("interp_linear")
        let out = Interpolation.linear(x: TestSupport.doubles(f["t"]), y: TestSupport.doubles(f["y"]), at: TestSupport.doubles(f["targets"]))
        #expect(TestSupport.maxAbsDifference(out, TestSupport.doubles(f["expected"])) <= 1e-13)
        // The matrix form gives the same values.
        let m = Resampling.linear(times: TestSupport.doubles(f["t"]), data: Matrix(columns: [TestSupport.doubles(f["y"])]),
                                  at: TestSupport.doubles(f["targets"]))
        #expect(m.column(0) == out)
    }

    @Test("cubic spline equals scipy CubicSpline (not-a-knot) (max |Δ| ≤ 1e-10)")
    func cubicSpline() throws {
        for case let c as [String: Any] in try fixture("cubic_spline")["cases"] as! [Any] {
            let columns = TestSupport.matrixRows(c["columns"])
            let out = try Interpolation.cubicSpline(x: TestSupport.doubles(c["t"]), samples: Matrix(columns: columns),
                                                    at: TestSupport.doubles(c["targets"]))
            for (j, expected) in TestSupport.matrixRows(c["expected"]).enumerated() {
                #expect(TestSupport.maxAbsDifference(out.column(j), expected) <= 1e-10)
            }
        }
    }

    @Test("Kaiser window and firwin equal scipy (max |Δ| ≤ 1e-14)")
    func firwin() throws {
        for case let c as [String: Any] in try fixture("firwin_kaiser")["cases"] as! [Any] {
            let taps = Int(TestSupport.number(c["taps"])!)
            let cutoff = TestSupport.number(c["cutoff"])!, beta = TestSupport.number(c["beta"])!
            #expect(TestSupport.maxAbsDifference(FIRDesign.kaiser(length: taps, beta: beta), TestSupport.doubles(c["window"])) <= 1e-14)
            #expect(TestSupport.maxAbsDifference(FIRDesign.lowPass(taps: taps, cutoff: cutoff, kaiserBeta: beta),
                                                 TestSupport.doubles(c["expected"])) <= 1e-14)
        }
    }

    @Test("polyphase resampling equals scipy.signal.resample_poly (max |Δ| ≤ 1e-12)")
    func resamplePoly() throws {
        let f = try fixture("resample_poly")
        let single = [TestSupport.doubles(f["x"])], double = TestSupport.matrixRows(f["x2"])
        let cases = (f["cases"] as! [Any]).map { ($0, single) } + (f["two_column_cases"] as! [Any]).map { ($0, double) }
        #expect(cases.count == 10)
        for case let (c as [String: Any], columns) in cases {
            let up = Int(TestSupport.number(c["up"])!), down = Int(TestSupport.number(c["down"])!)
            let padding = PolyphaseResampler.Padding(rawValue: c["padtype"] as! String)!
            let out = PolyphaseResampler(up: up, down: down, padding: padding).resample(Matrix(columns: columns))
            for (j, expected) in TestSupport.matrixRows(c["expected"]).enumerated() {
                #expect(out.rows == expected.count)
                #expect(TestSupport.maxAbsDifference(out.column(j), expected) <= 1e-12, "up \(up) down \(down) \(padding)")
            }
        }
    }

    @Test("gradient equals numpy.gradient on irregular times (max |Δ| ≤ 1e-12)")
    func gradient() throws {
        for case let c as [String: Any] in try fixture("gradient")["cases"] as! [Any] {
            let g = Derivative.gradient(TestSupport.doubles(c["y"]), at: TestSupport.doubles(c["t"]))
            #expect(TestSupport.maxAbsDifference(g, TestSupport.doubles(c["expected"])) <= 1e-12, "\(c["name"] ?? "")")
        }
    }

    @Test("the three causal smoothers equal the reference implementations (max |Δ| ≤ 1e-12)")
    func smoothers() throws {
        let f = try fixture("smoothing")
        let x = TestSupport.doubles(f["x"])
        func expected(_ key: String) -> [Double] { TestSupport.doubles((f[key] as! [String: Any])["expected"]) }
        #expect(TestSupport.maxAbsDifference(Smoothing.moving(window: 8).apply(x), expected("moving")) <= 1e-12)
        #expect(TestSupport.maxAbsDifference(Smoothing.gaussian(sigma: 5).apply(x), expected("gaussian")) <= 1e-12)
        #expect(TestSupport.maxAbsDifference(Smoothing.exponential(alpha: 0.5).apply(x), expected("exponential")) <= 1e-12)
    }

    @Test("reference, polyphase and linear resamplers equal their NumPy/SciPy transcriptions (max |Δ| ≤ 1e-12)")
    func resamplers() throws {
        for case let c as [String: Any] in try fixture("resample_methods")["cases"] as! [Any] {
            let t = TestSupport.doubles(c["t"]), y = TestSupport.doubles(c["y"])
            let dt = TestSupport.number(c["dt"])!
            for method in [ResamplingMethod.reference, .polyphase, .linear] {
                guard let expected = c[method.rawValue] as? [String: Any] else { continue }
                let out = try Resampling.resample(times: t, data: Matrix(columns: [y]), dt: dt, method: method)
                #expect(TestSupport.maxAbsDifference(out.grid.times, TestSupport.doubles(expected["time"])) <= 1e-12, "\(method) time")
                #expect(TestSupport.maxAbsDifference(out.data.column(0), TestSupport.doubles(expected["values"])) <= 1e-12, "\(method)")
            }
        }
    }

    @Test("z-score and ΔF/F equal numpy with NaNs ignored (max |Δ| ≤ 1e-12)")
    func normalisations() throws {
        let f = try fixture("zscore_dff")
        let x = TestSupport.doubles(f["x"])
        func part(_ key: String) -> [String: Any] { f[key] as! [String: Any] }
        #expect(TestSupport.maxAbsDifference(try Normalization.zscore.apply(x).values, TestSupport.doubles(part("zscore")["expected"])) <= 1e-12)
        #expect(TestSupport.maxAbsDifference(try Normalization.deltaFOverF(percentile: 20).apply(x).values, TestSupport.doubles(part("dff")["expected"])) <= 1e-12)
        let constant = part("constant")
        #expect(TestSupport.maxAbsDifference(try Normalization.zscore.apply(TestSupport.doubles(constant["x"])).values,
                                             TestSupport.doubles(constant["expected"])) == 0)
    }
}

@Suite("DSP properties")
struct DSPPropertyTests {
    @Test("a non-positive ΔF/F baseline is refused")
    func dffNeedsPositiveBaseline() {
        #expect(throws: Normalization.Failure.nonPositiveBaseline(-1)) {
            try Normalization.deltaFOverF(percentile: 0).apply([-1, 0, 1, 2])
        }
    }

    @Test("anti-aliased downsampling removes a tone above the new Nyquist; linear interpolation aliases it")
    func antiAliasing() throws {
        // 10 Hz sampling, a 1.4 Hz tone, target dt 0.5 s (Nyquist 1 Hz): the tone must not survive.
        let t = (0..<2000).map { Double($0) / 10 }
        let y = t.map { sin(2 * .pi * 1.4 * $0) }
        let aa = try Resampling.resample(times: t, data: Matrix(columns: [y]), dt: 0.5, method: .polyphase)
        let naive = try Resampling.resample(times: t, data: Matrix(columns: [y]), dt: 0.5, method: .linear)
        func rms(_ v: [Double]) -> Double { (v.dropFirst(20).dropLast(20).map { $0 * $0 }.reduce(0, +) / Double(v.count - 40)).squareRoot() }
        #expect(rms(aa.data.column(0)) < 0.01)
        #expect(rms(naive.data.column(0)) > 0.5)
    }

    @Test("grids follow numpy.arange(0, end, dt)")
    func grid() {
        #expect(TimeGrid(dt: 0.5, below: 2).count == 4)
        #expect(TimeGrid(dt: 0.5, below: 2.1).count == 5)
        #expect(TestSupport.maxAbsDifference(TimeGrid(dt: 0.333, below: 1).times, [0, 0.333, 0.666, 0.999]) < 1e-15)
    }
}
