import Foundation
import NeuroCore
import NeuroLinAlg

/// One recording (trial, session, worm): activity of every neuron per time bin, and optional external
/// covariates (stimulus, behaviour) per bin.
public struct GLMHMMSequence: Sendable {
    /// Activity per bin, time × neurons (spike counts, 0/1 events or continuous values, as the emission needs).
    public var activity: Matrix
    /// External covariates per bin, time × covariates; nil for none.
    public var covariates: Matrix?
    /// A sequence from its activity and optional covariates; traps unless `covariates` has one row per bin.
    public init(activity: Matrix, covariates: Matrix? = nil) {
        precondition(covariates == nil || covariates!.rows == activity.rows, "GLMHMMSequence: covariates per bin")
        self.activity = activity
        self.covariates = covariates
    }
    /// Number of time bins (rows of `activity`).
    public var length: Int { activity.rows }
}

/// A hidden Markov model whose states are multi-neuron GLMs with coupling.
///
/// In state `s`, neuron `n` at bin `t` has predictor `η = W_s[n] · d_t` with the design row
/// `d_t = [1, h_t, u_t]`: a bias, every neuron's filtered past activity `h_t` (``HistoryBasis``; column
/// `1 + n'·B + b` holds neuron n′ through basis function b) and the covariates `u_t`.
public struct GLMHMMModel: Sendable {
    /// The emission family, shared by every state and neuron.
    public var emission: Emission
    /// The history basis that filters every neuron's past activity into the design.
    public var basis: HistoryBasis
    /// Number of neurons N.
    public var neurons: Int
    /// Number of external covariates (design columns after the history; 0 for none).
    public var covariates: Int
    /// Initial state distribution (K).
    public var initial: [Double]
    /// K × K, rows sum to 1.
    public var transition: Matrix
    /// Per state: neurons × designWidth.
    public var weights: [Matrix]
    /// K × neurons observation variances (Gaussian emissions only).
    public var variance: Matrix?

    /// A model from its parts, stored as given (nothing is checked or normalised).
    public init(emission: Emission, basis: HistoryBasis, neurons: Int, covariates: Int, initial: [Double],
                transition: Matrix, weights: [Matrix], variance: Matrix?) {
        self.emission = emission
        self.basis = basis
        self.neurons = neurons
        self.covariates = covariates
        self.initial = initial
        self.transition = transition
        self.weights = weights
        self.variance = variance
    }

    /// Number of hidden states K (`weights.count`).
    public var states: Int { weights.count }
    /// Columns of the design: 1 bias, `neurons × basis.count` history columns, then the covariates.
    public var designWidth: Int { 1 + neurons * basis.count + covariates }

    /// Coupling of `to` from `from` in state `s` (summed over basis functions, the net filter gain).
    public func coupling(state s: Int, to n: Int, from m: Int) -> Double {
        (0..<basis.count).reduce(0) { $0 + weights[s][n, 1 + m * basis.count + $1] }
    }

    /// The design matrix `[1 | history | covariates]` of a sequence (time × designWidth).
    public func design(_ sequence: GLMHMMSequence) -> Matrix {
        GLMHMMModel.design(sequence, basis: basis)
    }

    static func design(_ sequence: GLMHMMSequence, basis: HistoryBasis) -> Matrix {
        let history = basis.filter(sequence.activity)
        let c = sequence.covariates?.columns ?? 0
        let width = 1 + history.columns + c
        var x = Matrix(rows: sequence.length, columns: width)
        for t in 0..<sequence.length {
            x.values[t * width] = 1
            for j in 0..<history.columns { x.values[t * width + 1 + j] = history.values[t * history.columns + j] }
            for j in 0..<c { x.values[t * width + 1 + history.columns + j] = sequence.covariates![t, j] }
        }
        return x
    }

    /// time × states log-likelihood of the observations of a sequence under each state's GLM.
    /// `design` and `logFactorials` (Poisson: `Σ_n log x_tn!` of every bin) may be given when known.
    public func logLikelihoods(_ sequence: GLMHMMSequence, design: Matrix? = nil, logFactorials: [Double]? = nil) -> Matrix {
        let x = design ?? self.design(sequence)
        var out = Matrix(rows: sequence.length, columns: states)
        if case .poisson = emission {
            // −log x! is the same in every state; subtract it once per bin.
            let constant = logFactorials ?? Self.logFactorials(sequence.activity)
            let count = sequence.length * neurons
            var eta = [Double](repeating: 0, count: count), sums = [Double](repeating: 0, count: sequence.length)
            for s in 0..<states {
                x.multipliedTransposed(by: weights[s], into: &eta)
                if emission == .poisson(.softplus) {
                    Emission.softplusPoissonRowSums(BlockLayout(rows: sequence.length, columns: neurons), x: sequence.activity.values,
                                                    xStride: neurons, eta: eta, etaStride: neurons, sums: &sums)
                } else {
                    for t in 0..<sequence.length {
                        var sum = 0.0
                        for n in 0..<neurons { sum += emission.logLikelihoodUpToConstant(sequence.activity[t, n], eta[t * neurons + n]) }
                        sums[t] = sum
                    }
                }
                for t in 0..<sequence.length { out[t, s] = sums[t] - constant[t] }
            }
            return out
        }
        for s in 0..<states {
            let eta = x.multiplied(by: weights[s].transposed)
            for t in 0..<sequence.length {
                var sum = 0.0
                for n in 0..<neurons {
                    sum += emission.logLikelihood(sequence.activity[t, n], eta[t, n], variance: variance?[s, n] ?? 1)
                }
                out[t, s] = sum
            }
        }
        return out
    }

    /// `Σ_n log x_tn!` of every bin (row) of a counts matrix.
    static func logFactorials(_ counts: Matrix) -> [Double] {
        (0..<counts.rows).map { t in (0..<counts.columns).reduce(0.0) { $0 + lgamma(counts[t, $1] + 1) } }
    }

    /// log p(activity) of a sequence, summed over state paths.
    public func logLikelihood(_ sequence: GLMHMMSequence) -> Double {
        HMMInference.forwardBackward(logLikelihoods(sequence), initial: initial, transition: transition).logLikelihood
    }

    /// Posterior state probabilities (time × states) and the Viterbi path of a sequence.
    public func decode(_ sequence: GLMHMMSequence) -> (posterior: Matrix, viterbi: [Int]) {
        let ll = logLikelihoods(sequence)
        return (HMMInference.forwardBackward(ll, initial: initial, transition: transition).states,
                HMMInference.viterbi(ll, initial: initial, transition: transition).path)
    }

    /// The same model with its states reordered: state `s` of the result is state `order[s]` of `self`.
    public func permutingStates(_ order: [Int]) -> GLMHMMModel {
        var out = self
        out.initial = order.map { initial[$0] }
        out.weights = order.map { weights[$0] }
        var a = Matrix(rows: states, columns: states)
        for (i, oi) in order.enumerated() { for (j, oj) in order.enumerated() { a[i, j] = transition[oi, oj] } }
        out.transition = a
        if let v = variance { out.variance = Matrix(rows: states, columns: neurons, values: order.flatMap { Array(v.row($0)) }) }
        return out
    }
}
