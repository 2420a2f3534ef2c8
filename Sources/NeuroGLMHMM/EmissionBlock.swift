import Foundation
import NeuroLinAlg

extension Emission {
    /// ``valueAndDerivatives(_:_:variance:)`` of the softplus Poisson emission for a whole block of
    /// `(x, η)` pairs: the exponentials and logarithms go through ``VectorMath`` (several values per
    /// instruction), the rest is plain arithmetic. Agrees with the scalar form to within a few ulps.
    static func softplusPoissonBlock(x: UnsafePointer<Double>, eta: UnsafePointer<Double>, count n: Int,
                                     value: UnsafeMutablePointer<Double>, first: UnsafeMutablePointer<Double>,
                                     second: UnsafeMutablePointer<Double>) {
        softplusRates(eta: eta, count: n, e: first, rate: second, logRate: value)
        for i in 0..<n {
            let e = first[i], rate = second[i], xi = x[i], eta = eta[i]
            let s = eta >= 0 ? 1 / (1 + e) : e / (1 + e)
            let ratio = xi / rate
            value[i] = (xi == 0 ? 0 : xi * value[i]) - rate
            first[i] = (ratio - 1) * s
            second[i] = -ratio * s * s / rate + (ratio - 1) * s * (1 - s)
        }
    }

    /// ``logLikelihoodUpToConstant(_:_:variance:)`` of the softplus Poisson emission for a block:
    /// `value[i] = x log rate − rate`. `scratch` holds `2 · count` values.
    static func softplusPoissonValues(x: UnsafePointer<Double>, eta: UnsafePointer<Double>, count n: Int,
                                      value: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>) {
        softplusRates(eta: eta, count: n, e: scratch, rate: scratch + n, logRate: value)
        for i in 0..<n { let xi = x[i]; value[i] = (xi == 0 ? 0 : xi * value[i]) - scratch[n + i] }
    }

    /// `e = exp(−|η|)`, the softplus rate `max(η, 0) + log1p(e)` (at least 1e-300) and its logarithm.
    private static func softplusRates(eta: UnsafePointer<Double>, count n: Int, e: UnsafeMutablePointer<Double>,
                                      rate: UnsafeMutablePointer<Double>, logRate: UnsafeMutablePointer<Double>) {
        for i in 0..<n { e[i] = -abs(eta[i]) }
        VectorMath.exp(e, into: e, count: n)
        VectorMath.log1p(e, into: rate, count: n)
        for i in 0..<n { rate[i] = max(max(eta[i], 0) + rate[i], 1e-300) }
        VectorMath.log(rate, into: logRate, count: n)
    }
}
