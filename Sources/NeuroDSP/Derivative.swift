/// Time derivatives of sampled signals.
public enum Derivative {
    /// The derivative of `y` sampled at (possibly irregular) times `t`, with `numpy.gradient(y, t)`
    /// semantics: second-order central differences inside, first-order one-sided differences at the ends.
    /// Fewer than 2 samples give zeros.
    public static func gradient(_ y: [Double], at t: [Double]) -> [Double] {
        precondition(y.count == t.count, "gradient: \(y.count) values for \(t.count) times")
        let n = y.count
        guard n >= 2 else { return [Double](repeating: 0, count: n) }
        var g = [Double](repeating: 0, count: n)
        g[0] = (y[1] - y[0]) / (t[1] - t[0])
        g[n - 1] = (y[n - 1] - y[n - 2]) / (t[n - 1] - t[n - 2])
        if n > 2 {
            for i in 1..<(n - 1) {
                let dx1 = t[i] - t[i - 1], dx2 = t[i + 1] - t[i]
                let a = -dx2 / (dx1 * (dx1 + dx2))
                let b = (dx2 - dx1) / (dx1 * dx2)
                let c = dx1 / (dx2 * (dx1 + dx2))
                g[i] = a * y[i - 1] + b * y[i] + c * y[i + 1]
            }
        }
        return g
    }
}
