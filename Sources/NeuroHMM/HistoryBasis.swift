import Foundation
import NeuroCore

/// Temporal basis for spike-history (coupling) regressors: each neuron's past activity is filtered by
/// every basis function, causally (bins t−1, t−2, …, never t).
public struct HistoryBasis: Sendable, Equatable {
    /// `functions[b][k]` is the weight of lag `k + 1` in basis function `b`.
    public var functions: [[Double]]

    /// A basis from explicit filters: `functions[b][k]` weights lag `k + 1` in function `b`.
    public init(functions: [[Double]]) { self.functions = functions }

    /// The reference's single exponential filter over `bins` lags: φ_k ∝ e^{−k}, k = 1…bins, summing to 1.
    public static func exponential(bins: Int = 5) -> HistoryBasis {
        let raw = (1...max(bins, 1)).map { exp(-Double($0)) }
        let total = raw.reduce(0, +)
        return HistoryBasis(functions: [raw.map { $0 / total }])
    }

    /// `count` raised-cosine bumps over `bins` lags on a log-stretched time axis (Pillow et al. 2008):
    /// dense at short lags, broad at long ones; each bump has unit peak.
    public static func raisedCosine(count: Int, bins: Int, stretch: Double = 1) -> HistoryBasis {
        let warp = { (t: Double) in log(t + stretch) }
        let first = warp(1), last = warp(Double(bins))
        let spacing = count > 1 ? (last - first) / Double(count - 1) : 1
        let functions = (0..<count).map { b -> [Double] in
            let center = first + Double(b) * spacing
            return (1...bins).map { k in
                let x = (warp(Double(k)) - center) * Double.pi / (2 * spacing)
                return abs(x) < Double.pi ? 0.5 * (cos(x) + 1) : 0
            }
        }
        return HistoryBasis(functions: functions)
    }

    /// Longest lag.
    public var lags: Int { functions.map(\.count).max() ?? 0 }
    /// Number of basis functions B (history columns per neuron).
    public var count: Int { functions.count }

    /// The filtered history of `activity` (time × neurons): time × (neurons · count) with column
    /// `n · count + b` = Σ_k functions[b][k] · activity[t − k − 1, n] (zero before the sequence starts).
    public func filter(_ activity: Matrix) -> Matrix {
        let t = activity.rows, n = activity.columns, b = count
        var out = Matrix(rows: t, columns: n * b)
        for row in 0..<t {
            for (j, f) in functions.enumerated() {
                for (k, w) in f.enumerated() where w != 0 && row - k - 1 >= 0 {
                    let source = (row - k - 1) * n
                    for neuron in 0..<n { out.values[row * n * b + neuron * b + j] += w * activity.values[source + neuron] }
                }
            }
        }
        return out
    }
}
