/// Rates as ratios of small integers.
public enum Ratio {
    /// `up / down` equal to `value` within 1e-9 relative, with `up` and `down` at most 10000 (continued
    /// fractions), so the polyphase filter stays a few hundred thousand taps at most.
    public static func rational(_ value: Double) throws -> (up: Int, down: Int) {
        var h0 = 0, h1 = 1, k0 = 1, k1 = 0
        var x = value
        for _ in 0..<64 {
            let a = Int(x.rounded(.down))
            (h0, h1) = (h1, a * h1 + h0)
            (k0, k1) = (k1, a * k1 + k0)
            if k1 > 10_000 || h1 > 10_000 { break }
            if abs(Double(h1) / Double(k1) - value) <= 1e-9 * value { return (h1, k1) }
            let fraction = x - Double(a)
            if fraction < 1e-12 { break }
            x = 1 / fraction
        }
        throw RateRatioError(ratio: value)
    }
}
