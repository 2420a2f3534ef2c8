import NeuroCore

/// Rational resampling by `up / down` with a Kaiser-windowed-sinc anti-aliasing filter: the algorithm and
/// filter design of `scipy.signal.resample_poly` (which MNE's `method="polyphase"` also uses), so results
/// can be compared sample for sample.
///
/// The filter has `2 · 10 · max(up, down) + 1` taps, cutoff `1 / max(up, down)` of Nyquist, β = 5.
/// The signal is zero-padded outside its ends (scipy's `padtype="constant"`), or has its mean removed
/// first and restored after (`padtype="mean"`), which avoids the edge droop of zero padding.
public struct PolyphaseResampler: Sendable {
    /// How the signal is extended past its ends.
    public enum Padding: String, Sendable {
        /// Zeros (scipy's default).
        case constant
        /// Subtract the per-channel mean before filtering and add it back after.
        case mean
    }

    public let up: Int
    public let down: Int
    public let padding: Padding
    /// The filter taps, already multiplied by `up`, with scipy's leading zero padding.
    let taps: [Double]
    /// Output samples dropped from the start of the full convolution (the filter delay).
    let preRemove: Int

    /// A resampler by the reduced ratio `up / down` (both ≥ 1).
    public init(up: Int, down: Int, padding: Padding = .constant, kaiserBeta: Double = 5) {
        precondition(up >= 1 && down >= 1, "resampling factors must be ≥ 1")
        let g = PolyphaseResampler.gcd(up, down)
        self.up = up / g
        self.down = down / g
        self.padding = padding
        let maxRate = max(self.up, self.down)
        let halfLength = 10 * maxRate
        var h = FIRDesign.lowPass(taps: 2 * halfLength + 1, cutoff: 1 / Double(maxRate), kaiserBeta: kaiserBeta)
        for i in h.indices { h[i] *= Double(self.up) }
        let prePad = self.down - halfLength % self.down
        taps = [Double](repeating: 0, count: prePad) + h
        preRemove = (halfLength + prePad) / self.down
    }

    /// Number of output samples for `n` input samples: `ceil(n · up / down)`.
    public func outputLength(_ n: Int) -> Int {
        let product = n * up
        return product / down + (product % down == 0 ? 0 : 1)
    }

    /// Resamples every column of `x` (`(time, channel)`).
    public func resample(_ x: Matrix) -> Matrix {
        if up == 1 && down == 1 { return x }
        let n = x.rows, channels = x.columns
        let outRows = outputLength(n)
        var means = [Double](repeating: 0, count: channels)
        if padding == .mean && n > 0 {
            for i in 0..<n { for c in 0..<channels { means[c] += x.values[i * channels + c] } }
            for c in 0..<channels { means[c] /= Double(n) }
        }
        var out = Matrix(rows: outRows, columns: channels)
        let hCount = taps.count
        taps.withUnsafeBufferPointer { h in
            x.values.withUnsafeBufferPointer { xs in
                out.values.withUnsafeMutableBufferPointer { ys in
                    for k in 0..<outRows {
                        // y[k] = Σ_m x[m] · h[(k + preRemove)·down − m·up]
                        let base = (k + preRemove) * down
                        let mHigh = min(n - 1, base / up)
                        let lowNumerator = base - hCount + 1
                        let mLow = max(0, lowNumerator <= 0 ? 0 : (lowNumerator + up - 1) / up)
                        guard mLow <= mHigh else { continue }
                        let row = k * channels
                        for m in mLow...mHigh {
                            let w = h[base - m * up]
                            let src = m * channels
                            for c in 0..<channels { ys[row + c] += w * (xs[src + c] - means[c]) }
                        }
                    }
                }
            }
        }
        if padding == .mean {
            for k in 0..<outRows { for c in 0..<channels { out.values[k * channels + c] += means[c] } }
        }
        return out
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
