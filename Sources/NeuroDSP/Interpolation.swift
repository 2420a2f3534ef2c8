import NeuroCore
import NeuroLinAlg

/// Interpolation of sampled signals onto new sample times.
public enum Interpolation {
    /// Piecewise-linear interpolation with `numpy.interp` semantics: values before `x[0]` take `y[0]`,
    /// values after the last sample take the last value, and the formula is numpy's, so results agree
    /// bit for bit in ordinary cases. `x` must be strictly increasing. NaN samples propagate to the
    /// interval they touch.
    public static func linear(x: [Double], y: [Double], at targets: [Double]) -> [Double] {
        precondition(x.count == y.count && !x.isEmpty, "linear: x and y must have the same, non-zero length")
        let n = x.count
        var out = [Double](repeating: 0, count: targets.count)
        var j = 0
        for (k, t) in targets.enumerated() {
            if t <= x[0] { out[k] = y[0]; continue }
            if t >= x[n - 1] { out[k] = y[n - 1]; continue }
            // Targets are usually increasing: advance from the previous bracket, else search.
            if t < x[j] { j = upperBound(x, t) - 1 }
            while j + 1 < n && x[j + 1] <= t { j += 1 }
            let slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j])
            var value = slope * (t - x[j]) + y[j]
            if value.isNaN {
                value = slope * (t - x[j + 1]) + y[j + 1]
                if value.isNaN && y[j] == y[j + 1] { value = y[j] }
            }
            out[k] = value
        }
        return out
    }

    /// Cubic-spline interpolation with not-a-knot end conditions (the spline `scipy.interpolate.CubicSpline`
    /// and `interp1d(kind="cubic")` build), evaluated at `targets` (extrapolating the end polynomials).
    /// All columns of `samples` (`(time, channel)`) are fitted with one LAPACK tridiagonal solve.
    /// With fewer than 4 samples it falls back to linear interpolation.
    public static func cubicSpline(x: [Double], samples: Matrix, at targets: [Double]) throws -> Matrix {
        let n = x.count
        precondition(samples.rows == n, "cubicSpline: \(samples.rows) samples for \(n) times")
        let columns = samples.columns
        guard n >= 4 else {
            return samples.mapColumns { linear(x: x, y: $0, at: targets) }
        }
        let h = (0..<(n - 1)).map { x[$0 + 1] - x[$0] }
        // Slopes d_i = (y_{i+1} - y_i) / h_i for every column.
        // Unknowns: second derivatives M_1 … M_{n-2}; M_0 and M_{n-1} follow from not-a-knot.
        let m = n - 2
        var lower = [Double](repeating: 0, count: m - 1)
        var diag = [Double](repeating: 0, count: m)
        var upper = [Double](repeating: 0, count: m - 1)
        var rhs = Matrix(rows: m, columns: columns)
        for i in 1...(n - 2) {
            let r = i - 1
            diag[r] = 2 * (h[i - 1] + h[i])
            if r > 0 { lower[r - 1] = h[i - 1] }
            if r < m - 1 { upper[r] = h[i] }
            for c in 0..<columns {
                let dPrev = (samples[i, c] - samples[i - 1, c]) / h[i - 1]
                let dNext = (samples[i + 1, c] - samples[i, c]) / h[i]
                rhs[r, c] = 6 * (dNext - dPrev)
            }
        }
        // Not-a-knot at x_1: M_0 = ((h0 + h1) M_1 - h0 M_2) / h1, substituted into row 1.
        let h0 = h[0], h1 = h[1], hA = h[n - 2], hB = h[n - 3]
        diag[0] += h0 * (h0 + h1) / h1
        upper[0] -= h0 * h0 / h1
        // Not-a-knot at x_{n-2}: M_{n-1} = ((hB + hA) M_{n-2} - hA M_{n-3}) / hB.
        diag[m - 1] += hA * (hA + hB) / hB
        lower[m - 2] -= hA * hA / hB
        let inner = try LinearSolve.tridiagonal(lower: lower, diagonal: diag, upper: upper, rhs: rhs)
        var second = Matrix(rows: n, columns: columns)
        for c in 0..<columns {
            for i in 1...(n - 2) { second[i, c] = inner[i - 1, c] }
            second[0, c] = ((h0 + h1) * second[1, c] - h0 * second[2, c]) / h1
            second[n - 1, c] = ((hB + hA) * second[n - 2, c] - hA * second[n - 3, c]) / hB
        }
        var out = Matrix(rows: targets.count, columns: columns)
        var j = 0
        for (k, t) in targets.enumerated() {
            if t < x[j] { j = max(0, min(n - 2, upperBound(x, t) - 1)) }
            while j < n - 2 && x[j + 1] <= t { j += 1 }
            let hj = h[j]
            let a = (x[j + 1] - t) / hj, b = (t - x[j]) / hj
            for c in 0..<columns {
                let y0 = samples[j, c], y1 = samples[j + 1, c], m0 = second[j, c], m1 = second[j + 1, c]
                out[k, c] = a * y0 + b * y1 + ((a * a * a - a) * m0 + (b * b * b - b) * m1) * hj * hj / 6
            }
        }
        return out
    }

    /// Index of the first element of `sorted` greater than `value`.
    static func upperBound(_ sorted: [Double], _ value: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
