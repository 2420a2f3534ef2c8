import Foundation

/// How a neuron's activity depends on its linear predictor η in a state.
public enum Emission: Sendable, Equatable {
    /// Spike counts with rate `link(η)` per bin.
    case poisson(PoissonLink)
    /// 0/1 events with probability `1 / (1 + e^{−η})`.
    case bernoulli
    /// Continuous traces `η + N(0, σ²)` (σ² per neuron and state).
    case gaussian

    /// The function mapping the predictor η to a Poisson rate; its raw value names it (`softplus`, `exp`, `sigmoid`).
    public enum PoissonLink: String, Sendable, CaseIterable {
        /// `log(1 + e^η)`: smooth, non-negative, linear for large η (concave log-likelihood).
        case softplus
        /// `e^η`: the canonical link (concave log-likelihood).
        case exp
        /// `1 / (1 + e^{−η})`: the reference's rate link, at most one event per bin.
        case sigmoid
    }

    /// A short identifier: `poisson-softplus`, `poisson-exp`, `poisson-sigmoid`, `bernoulli` or `gaussian`.
    public var name: String {
        switch self {
        case .poisson(let link): return "poisson-\(link.rawValue)"
        case .bernoulli: return "bernoulli"
        case .gaussian: return "gaussian"
        }
    }

    /// Log-likelihood of one observation `x` given `η` (Gaussian: given the variance), including the
    /// constant terms (`−log x!`, `−½ log 2πσ²`) so that likelihoods compare with other tools'.
    @inlinable
    public func logLikelihood(_ x: Double, _ eta: Double, variance: Double = 1) -> Double {
        switch self {
        case .poisson:
            return logLikelihoodUpToConstant(x, eta) - lgamma(x + 1)
        case .bernoulli:
            // x log σ(η) + (1 − x) log σ(−η), computed stably.
            return x * eta - Emission.softplus(eta)
        case .gaussian:
            let r = x - eta
            return -0.5 * (log(2 * Double.pi * variance) + r * r / variance)
        }
    }

    /// The log-likelihood without its η-independent terms (`−log x!`): what optimisation compares.
    @inlinable
    public func logLikelihoodUpToConstant(_ x: Double, _ eta: Double, variance: Double = 1) -> Double {
        switch self {
        case .poisson(let link):
            let rate = Emission.rate(eta, link)
            return (x == 0 ? 0 : x * log(rate)) - rate
        default:
            return logLikelihood(x, eta, variance: variance)
        }
    }

    /// The log-likelihood up to its constant and its first and second derivatives with respect to η, in
    /// one evaluation (sharing the exponentials and logarithms).
    @inlinable
    public func valueAndDerivatives(_ x: Double, _ eta: Double, variance: Double = 1) -> (value: Double, first: Double, second: Double) {
        switch self {
        case .poisson(.softplus):
            let e = Foundation.exp(-abs(eta))
            let rate = max(max(eta, 0) + log1p(e), 1e-300)
            let s = eta >= 0 ? 1 / (1 + e) : e / (1 + e)
            let ratio = x / rate
            return ((x == 0 ? 0 : x * log(rate)) - rate, (ratio - 1) * s, -ratio * s * s / rate + (ratio - 1) * s * (1 - s))
        case .poisson(.exp):
            let rate = Foundation.exp(min(eta, 700))
            return (x * min(eta, 700) - rate, x - rate, -rate)
        default:
            let (first, second) = derivatives(x, eta, variance: variance)
            return (logLikelihoodUpToConstant(x, eta, variance: variance), first, second)
        }
    }

    /// First and second derivatives of the log-likelihood with respect to η.
    @inlinable
    public func derivatives(_ x: Double, _ eta: Double, variance: Double = 1) -> (first: Double, second: Double) {
        switch self {
        case .poisson(.exp), .poisson(.softplus):
            let (_, first, second) = valueAndDerivatives(x, eta, variance: variance)
            return (first, second)
        case .poisson(.sigmoid):
            let s = Emission.sigmoid(eta)
            // ℓ = x log s − s; dℓ/dη = x(1 − s) − s(1 − s); d² = −x s(1 − s) − s(1 − s)(1 − 2s).
            let d = s * (1 - s)
            return (x * (1 - s) - d, -x * d - d * (1 - 2 * s))
        case .bernoulli:
            let s = Emission.sigmoid(eta)
            return (x - s, -s * (1 - s))
        case .gaussian:
            return ((x - eta) / variance, -1 / variance)
        }
    }

    /// The mean activity at η.
    public func mean(_ eta: Double) -> Double {
        switch self {
        case .poisson(let link): return Emission.rate(eta, link)
        case .bernoulli: return Emission.sigmoid(eta)
        case .gaussian: return eta
        }
    }

    @inlinable static func rate(_ eta: Double, _ link: PoissonLink) -> Double {
        switch link {
        case .softplus: return max(softplus(eta), 1e-300)
        case .exp: return Foundation.exp(min(eta, 700))
        case .sigmoid: return max(sigmoid(eta), 1e-300)
        }
    }

    @inlinable static func softplus(_ x: Double) -> Double { x > 30 ? x : log1p(Foundation.exp(x)) }
    @inlinable static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : { let e = Foundation.exp(x); return e / (1 + e) }()
    }

    /// The predictor that gives mean `m` (for initialisation).
    public func inverseMean(_ m: Double) -> Double {
        switch self {
        case .poisson(.exp): return log(max(m, 1e-6))
        case .poisson(.softplus): let m = max(m, 1e-6); return m > 30 ? m : log(Foundation.exp(m) - 1)
        case .poisson(.sigmoid), .bernoulli: let p = min(max(m, 1e-6), 1 - 1e-6); return log(p / (1 - p))
        case .gaussian: return m
        }
    }
}
