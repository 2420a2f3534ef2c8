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
        /// Repeat the first and last samples outward (scipy's `padtype="edge"`); streams, and avoids the
        /// edge droop of zero padding on signals with an offset (raw EEG).
        case edge
        /// Mirror the signal about its end samples without repeating them (scipy's `padtype="reflect"`,
        /// which MNE's `Raw.resample(method="polyphase")` uses by default); streams.
        case reflect
    }

    /// Upsampling factor of the ratio, reduced by the common divisor.
    public let up: Int
    /// Downsampling factor of the ratio, reduced by the common divisor.
    public let down: Int
    /// How the signal is extended past its ends.
    public let padding: Padding
    /// The filter taps, already multiplied by `up`, with scipy's leading zero padding.
    public let taps: [Double]
    /// Output samples dropped from the start of the full convolution (the filter delay).
    public let preRemove: Int

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
        let streamingPadding: Padding = padding == .mean ? .constant : padding
        let single = PolyphaseResampler(up: up, down: down, padding: streamingPadding, taps: taps, preRemove: preRemove)
        return x.mapColumns { column in
            let mean = padding == .mean && !column.isEmpty ? column.reduce(0, +) / Double(column.count) : 0
            var stream = StreamingPolyphase(single)
            let output = stream.push(mean == 0 ? column : column.map { $0 - mean }) + stream.finish()
            return mean == 0 ? output : output.map { $0 + mean }
        }
    }

    private init(up: Int, down: Int, padding: Padding, taps: [Double], preRemove: Int) {
        self.up = up
        self.down = down
        self.padding = padding
        self.taps = taps
        self.preRemove = preRemove
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
