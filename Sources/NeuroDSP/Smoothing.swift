import Foundation

/// Causal smoothing of a trace: each output sample depends only on the present and past samples.
///
/// These are the three smoothers of the published C. elegans pipeline, with its defaults.
public enum Smoothing: Equatable, Sendable {
    /// No smoothing.
    case none
    /// Mean of the current and previous `window - 1` samples (fewer at the start). The reference's
    /// `moving_average_smooth(window_size=15)` averages `15 // 2 + 1 = 8` samples, so the default is 8.
    case moving(window: Int)
    /// Weights `exp(-k² / (2σ²))` on the sample `k` steps back, normalised over the samples available
    /// (σ in samples; reference default 5). Weights below 1e-18 of the peak are dropped.
    case gaussian(sigma: Double)
    /// Exponential moving average `s_i = α x_i + (1 − α) s_{i−1}`, `s_0 = x_0` (reference α = 0.5).
    case exponential(alpha: Double)

    /// The reference pipeline's default smoother.
    public static let referenceDefault = Smoothing.moving(window: 8)

    /// Name as written in the output attributes and accepted by the CLI.
    public var name: String {
        switch self {
        case .none: return "none"
        case .moving: return "moving"
        case .gaussian: return "gaussian"
        case .exponential: return "exponential"
        }
    }

    /// The parameter as `key=value` text for provenance.
    public var parameterText: String {
        switch self {
        case .none: return ""
        case .moving(let w): return "window=\(w)"
        case .gaussian(let s): return "sigma=\(s)"
        case .exponential(let a): return "alpha=\(a)"
        }
    }

    /// Smooths one trace. NaN samples propagate into the outputs whose window contains them.
    public func apply(_ x: [Double]) -> [Double] {
        let n = x.count
        guard n > 0 else { return x }
        switch self {
        case .none:
            return x
        case .moving(let window):
            let w = max(1, window)
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let start = max(0, i - w + 1)
                var sum = 0.0
                for k in start...i { sum += x[k] }
                out[i] = sum / Double(i - start + 1)
            }
            return out
        case .gaussian(let sigma):
            let alpha = 1 / (2 * sigma * sigma)
            // Weights below 1e-18 of the peak are dropped; never look further back than the trace.
            let reachSamples = (sigma * (2 * log(1e18)).squareRoot()).rounded(.up)
            let reach = reachSamples.isFinite ? Int(min(reachSamples, Double(n))) : n
            let weights = (0...reach).map { exp(-alpha * Double($0 * $0)) }
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var sum = 0.0, total = 0.0
                for k in 0...min(i, reach) {
                    sum += weights[k] * x[i - k]
                    total += weights[k]
                }
                out[i] = sum / total
            }
            return out
        case .exponential(let a):
            var out = x
            for i in 1..<n { out[i] = a * x[i] + (1 - a) * out[i - 1] }
            return out
        }
    }
}
