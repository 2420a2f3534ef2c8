import Foundation

/// Windowed-sinc FIR filter design, matching `scipy.signal.firwin` and `scipy.signal.get_window`.
public enum FIRDesign {
    /// A low-pass FIR filter of `taps` coefficients with cutoff `cutoff` (a fraction of Nyquist, 0–1),
    /// Kaiser window of shape `beta`, scaled to unit gain at DC: `scipy.signal.firwin(taps, cutoff,
    /// window=("kaiser", beta))`.
    public static func lowPass(taps: Int, cutoff: Double, kaiserBeta beta: Double) -> [Double] {
        lowPass(taps: taps, cutoff: cutoff, window: kaiser(length: taps, beta: beta))
    }

    /// A low-pass FIR filter with the given window (`scipy.signal.firwin(taps, cutoff, window=…)`).
    public static func lowPass(taps: Int, cutoff: Double, window: [Double]) -> [Double] {
        precondition(taps > 0 && cutoff > 0 && cutoff <= 1 && window.count == taps, "lowPass: taps > 0 and 0 < cutoff ≤ 1")
        let alpha = 0.5 * Double(taps - 1)
        var h = (0..<taps).map { i -> Double in
            let m = Double(i) - alpha
            return cutoff * sinc(cutoff * m) * window[i]
        }
        let sum = h.reduce(0, +)
        for i in h.indices { h[i] /= sum }
        return h
    }

    /// The symmetric Kaiser window (`scipy.signal.windows.kaiser(length, beta, sym=True)`).
    public static func kaiser(length: Int, beta: Double) -> [Double] {
        guard length > 1 else { return [Double](repeating: 1, count: length) }
        let denominator = besselI0(beta)
        return (0..<length).map { n in
            let r = 2 * Double(n) / Double(length - 1) - 1
            return besselI0(beta * (max(0, 1 - r * r)).squareRoot()) / denominator
        }
    }

    /// The symmetric Hamming window (`scipy.signal.get_window("hamming", n, fftbins=False)`).
    public static func hamming(length: Int) -> [Double] {
        guard length > 1 else { return [Double](repeating: 1, count: length) }
        return (0..<length).map { 0.54 - 0.46 * cos(2 * Double.pi * Double($0) / Double(length - 1)) }
    }

    /// `sin(πx) / (πx)`, 1 at 0.
    public static func sinc(_ x: Double) -> Double {
        x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
    }

    /// The modified Bessel function of the first kind, order 0, by its power series (converges for all x;
    /// used here for |x| ≤ 50, where it is accurate to a few ulps).
    public static func besselI0(_ x: Double) -> Double {
        let q = x * x / 4
        var term = 1.0, sum = 1.0, k = 1.0
        while term > sum * 1e-17 {
            term *= q / (k * k)
            sum += term
            k += 1
        }
        return sum
    }
}
