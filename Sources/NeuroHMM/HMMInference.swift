import Foundation
import NeuroCore

/// Inference in a hidden Markov chain from per-time, per-state log-likelihoods.
public enum HMMInference {
    /// What forward–backward returns for one sequence.
    public struct Posterior: Sendable {
        /// log p(observations) (natural log).
        public var logLikelihood: Double
        /// time × states: p(z_t = k | observations).
        public var states: Matrix
        /// states × states: Σ_t p(z_t = i, z_{t+1} = j | observations).
        public var transitions: Matrix
    }

    /// Forward–backward with per-step normalisation (scaled), numerically safe for any length:
    /// emissions enter as `exp(logLikelihood − max over states)` and the maxima are added back to the
    /// total log-likelihood.
    public static func forwardBackward(_ logLikelihood: Matrix, initial: [Double], transition: Matrix) -> Posterior {
        let t = logLikelihood.rows, k = logLikelihood.columns
        var alpha = Matrix(rows: t, columns: k), beta = Matrix(rows: t, columns: k)
        var emission = Matrix(rows: t, columns: k)
        var scale = [Double](repeating: 0, count: t)
        var total = 0.0
        for row in 0..<t {
            let m = (0..<k).map { logLikelihood[row, $0] }.max() ?? 0
            for s in 0..<k { emission[row, s] = exp(logLikelihood[row, s] - m) }
            total += m
        }
        for row in 0..<t {
            var sum = 0.0
            for s in 0..<k {
                var v = 0.0
                if row == 0 { v = initial[s] } else { for r in 0..<k { v += alpha[row - 1, r] * transition[r, s] } }
                v *= emission[row, s]
                alpha[row, s] = v
                sum += v
            }
            scale[row] = sum
            for s in 0..<k { alpha[row, s] /= sum }
            total += log(sum)
        }
        for s in 0..<k { beta[t - 1, s] = 1 }
        if t >= 2 {
            for row in stride(from: t - 2, through: 0, by: -1) {
                for r in 0..<k {
                    var v = 0.0
                    for s in 0..<k { v += transition[r, s] * emission[row + 1, s] * beta[row + 1, s] }
                    beta[row, r] = v / scale[row + 1]
                }
            }
        }
        var states = Matrix(rows: t, columns: k), pairs = Matrix(rows: k, columns: k)
        for row in 0..<t {
            var sum = 0.0
            for s in 0..<k { states[row, s] = alpha[row, s] * beta[row, s]; sum += states[row, s] }
            for s in 0..<k { states[row, s] /= sum }
            guard row + 1 < t else { continue }
            for r in 0..<k {
                for s in 0..<k {
                    pairs[r, s] += alpha[row, r] * transition[r, s] * emission[row + 1, s] * beta[row + 1, s] / scale[row + 1]
                }
            }
        }
        return Posterior(logLikelihood: total, states: states, transitions: pairs)
    }

    /// The most probable state path (Viterbi, in log space) and its log-probability.
    public static func viterbi(_ logLikelihood: Matrix, initial: [Double], transition: Matrix) -> (path: [Int], logProbability: Double) {
        let t = logLikelihood.rows, k = logLikelihood.columns
        let logA = transition.values.map { log($0) }, logPi = initial.map { log($0) }
        var delta = Matrix(rows: t, columns: k)
        var back = [Int](repeating: 0, count: t * k)
        for s in 0..<k { delta[0, s] = logPi[s] + logLikelihood[0, s] }
        if t > 1 {
            for row in 1..<t {
                for s in 0..<k {
                    var best = -Double.infinity, arg = 0
                    for r in 0..<k {
                        let v = delta[row - 1, r] + logA[r * k + s]
                        if v > best { best = v; arg = r }
                    }
                    delta[row, s] = best + logLikelihood[row, s]
                    back[row * k + s] = arg
                }
            }
        }
        var path = [Int](repeating: 0, count: t)
        var best = -Double.infinity
        for s in 0..<k where delta[t - 1, s] > best { best = delta[t - 1, s]; path[t - 1] = s }
        if t > 1 { for row in stride(from: t - 1, to: 0, by: -1) { path[row - 1] = back[row * k + path[row]] } }
        return (path, best)
    }
}
