import Dispatch
import Foundation
import NeuroCore
import NeuroLinAlg

/// The prior on each state's coupling weights (not the bias).
public enum CouplingPrior: Sendable, Equatable {
    /// No prior (a tiny ridge keeps Newton steps defined).
    case none
    /// `W_s ~ N(W̄, σ²)` with the across-state mean W̄ learnt; σ² learnt too when `learnVariance`.
    case gaussian(variance: Double, learnVariance: Bool)
    /// {inhibitory, none, excitatory} × strength with a shared, learnt categorical prior, relaxed by
    /// Gumbel-softmax at `temperature` while fitting (``OneHotCoupling``); `steps` Adam steps at `rate`
    /// per M-step (the reference: τ = 0.2, 50 steps, 0.01).
    case onehot(temperature: Double, steps: Int, rate: Double)

    /// A short description with the parameters: `none`, `gaussian(variance=1.0, learnt)` or
    /// `onehot(tau=0.2, adam=50x0.01)`.
    public var name: String {
        switch self {
        case .none: return "none"
        case let .gaussian(v, learn): return "gaussian(variance=\(v)\(learn ? ", learnt" : ""))"
        case let .onehot(t, steps, rate): return "onehot(tau=\(t), adam=\(steps)x\(rate))"
        }
    }
}

/// Options of an EM fit.
public struct GLMHMMOptions: Sendable {
    /// Number of hidden states K; fitting throws ``GLMHMMError/statesTooSmall(_:)`` below 1.
    public var states: Int
    /// The emission family of every neuron; Poisson with the softplus link by default.
    public var emission: Emission = .poisson(.softplus)
    /// The spike-history basis; by default the reference's single exponential filter over 5 lags.
    public var basis: HistoryBasis = .exponential(bins: 5)
    /// The prior on the coupling weights; none by default.
    public var prior: CouplingPrior = .none
    /// One bias per neuron shared by every state (the reference), rather than one per state.
    public var sharedBias = false
    /// Self-coupling (a neuron's own history) allowed; with the reference it is fitted but never put
    /// under the prior.
    public var selfCoupling = true
    /// EM iterations per restart at most (each an E-step then an M-step); 100 by default.
    public var iterations = 100
    /// Stop when the objective improves by less than this fraction of its magnitude.
    public var tolerance = 1e-7
    /// Number of EM runs from different starts (values below 1 count as 1); the best final objective is kept.
    public var restarts = 1
    /// Seed of the random starts (restart `r` draws from stream `r`) and of the one-hot prior's Gumbel noise.
    public var seed: UInt64 = 0
    /// Extra Dirichlet counts on the diagonal of the transition matrix (sticky prior; 0: none).
    public var stickiness = 0.0
    /// Newton steps per state and neuron in each M-step.
    public var newtonSteps = 3
    /// One-hot prior: EM iterations without a prior (fast Newton M-steps) before the one-hot choices are
    /// initialised from the states' weights and learnt (a staged start, as Ashwood et al. start their
    /// GLM-HMMs from simpler fits). 0: start the one-hot choices from the initial model.
    public var oneHotWarmup = 10
    /// Ridge on every weight (keeps the Newton system definite).
    public var ridge = 1e-6

    /// Options for a `states`-state fit, every other setting at its default.
    public init(states: Int) { self.states = states }
}

/// What a fit returns.
public struct GLMHMMFit: Sendable {
    /// The fitted model of the kept restart (the one with the best final objective).
    public var model: GLMHMMModel
    /// Log-likelihood of the training data after each EM iteration (natural log).
    public var logLikelihoods: [Double]
    /// The objective (log-likelihood + log prior) after each iteration.
    public var objectives: [Double]
    /// The learnt across-state mean of the coupling weights (Gaussian prior), neurons × designWidth.
    public var priorMean: Matrix?
    /// The Gaussian prior's variance σ² (as given, or as learnt with `learnVariance`); nil for other priors.
    public var priorVariance: Double?
    /// Index (from 0) of the restart this fit is.
    public var restart: Int
    /// Every restart's outcome, its states matched to the kept fit's (the kept one matches itself).
    public var restarts: [RestartSummary] = []
    /// The one-hot prior's state (with `.onehot`): per-state choices and the shared categorical prior.
    public var oneHot: OneHotCoupling? = nil
    /// Wall time of this restart's EM, seconds.
    public var seconds: Double = 0
}

/// What can be wrong with a GLM-HMM request.
public enum GLMHMMError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Fewer than one state was asked for.
    case statesTooSmall(Int)
    /// No sequence holds any bin.
    case noData
    /// Sequence `sequence` has `length` bins, fewer than the `needed` history lags plus one.
    case tooShort(sequence: Int, length: Int, needed: Int)
    /// A NaN or infinite value at (`sequence`, `bin`, `neuron`).
    case nonFinite(sequence: Int, bin: Int, neuron: Int)
    /// A Poisson emission saw a value that is not a non-negative whole count.
    case notCounts(sequence: Int, bin: Int, neuron: Int, value: Double)
    /// A Bernoulli emission saw a value other than 0 or 1.
    case notBinary(sequence: Int, bin: Int, neuron: Int, value: Double)
    /// Sequences, covariates or parameters disagree in shape (the text says which).
    case shapeMismatch(String)

    /// A one-line message for the user; sequences are numbered from 1, bins and neurons from 0.
    public var description: String {
        switch self {
        case .statesTooSmall(let k): return "the number of states must be at least 1 (got \(k))"
        case .noData: return "no sequences to fit"
        case let .tooShort(s, length, needed): return "sequence \(s + 1) has \(length) bins, fewer than the history basis needs (\(needed))"
        case let .nonFinite(s, t, n): return "NaN or infinite value in sequence \(s + 1), bin \(t), neuron \(n)"
        case let .notCounts(s, t, n, v): return "Poisson emissions need non-negative integer counts: \(v) in sequence \(s + 1), bin \(t), neuron \(n)"
        case let .notBinary(s, t, n, v): return "Bernoulli emissions need 0/1 values: \(v) in sequence \(s + 1), bin \(t), neuron \(n)"
        case .shapeMismatch(let text): return text
        }
    }
}

/// Fits GLM-HMMs by expectation–maximization: forward–backward E-steps, then Newton (or, with the
/// one-hot prior, Adam) M-steps for the weights and closed-form updates of the Markov chain.
public enum GLMHMMFitter {
    /// Checks the data against the emission family.
    public static func validate(_ sequences: [GLMHMMSequence], options: GLMHMMOptions) throws {
        guard options.states >= 1 else { throw GLMHMMError.statesTooSmall(options.states) }
        guard let first = sequences.first else { throw GLMHMMError.noData }
        for (i, s) in sequences.enumerated() {
            guard s.activity.columns == first.activity.columns else {
                throw GLMHMMError.shapeMismatch("sequence \(i + 1) has \(s.activity.columns) neurons, sequence 1 \(first.activity.columns)")
            }
            guard s.length > options.basis.lags else { throw GLMHMMError.tooShort(sequence: i, length: s.length, needed: options.basis.lags + 1) }
            for t in 0..<s.length {
                for n in 0..<s.activity.columns {
                    let v = s.activity[t, n]
                    guard v.isFinite else { throw GLMHMMError.nonFinite(sequence: i, bin: t, neuron: n) }
                    switch options.emission {
                    case .poisson: if v < 0 || v != v.rounded() { throw GLMHMMError.notCounts(sequence: i, bin: t, neuron: n, value: v) }
                    case .bernoulli: if v != 0 && v != 1 { throw GLMHMMError.notBinary(sequence: i, bin: t, neuron: n, value: v) }
                    case .gaussian: break
                    }
                }
            }
        }
    }

    /// Fits by EM from `options.restarts` starts and keeps the best objective. A given `start` model
    /// (same states, neurons and basis) is the first restart's starting point, to compare with other tools.
    public static func fit(_ sequences: [GLMHMMSequence], options: GLMHMMOptions, start: GLMHMMModel? = nil,
                           progress: any ProgressReporter = SilentProgress()) throws -> GLMHMMFit {
        try validate(sequences, options: options)
        // The work is many modest products between element-wise steps: one BLAS thread per worker, and
        // the cores shared out by state and by sequence instead (OpenBLAS's own threads would spin
        // between the calls).
        let threads = BLASThreads.count
        BLASThreads.set(1)
        defer { BLASThreads.set(threads) }
        var data = TrainingData(sequences, basis: options.basis, emission: options.emission)
        data.products = designProducts(data)
        let single = singleStateGLM(data, options: options)
        var best: GLMHMMFit? = nil
        var finals: [GLMHMMFit] = []
        for restart in 0..<max(options.restarts, 1) {
            let clock = DispatchTime.now().uptimeNanoseconds
            var generator = SeededGenerator(seed: options.seed, stream: restart)
            var model = restart == 0 && start != nil ? start! : initialModel(single, options: options, generator: &generator)
            var lls: [Double] = [], objectives: [Double] = []
            var priorMean: Matrix? = nil, priorVariance: Double? = nil
            if case let .gaussian(v, _) = options.prior { priorVariance = v; priorMean = meanCoupling(model) }
            var oneHot: OneHotCoupling? = nil
            var adam = AdamState()
            // One-hot: a few iterations without a prior first (staged start), then the one-hot choices.
            var warmup = 0
            if case .onehot = options.prior { warmup = min(options.oneHotWarmup, options.iterations / 2) }
            func startOneHot() {
                oneHot = OneHotCoupling(from: model)
                for s in 0..<model.states { oneHot!.apply(state: s, to: &model.weights[s]) }
            }
            if case .onehot = options.prior, warmup == 0 { startOneHot() }
            for iteration in 0..<options.iterations {
                if case .onehot = options.prior, iteration == warmup, oneHot == nil { startOneHot() }
                let (ll, gammas, pairs, firsts) = eStep(model, data)
                let logPrior = oneHot.map { oneHotLogPrior($0) } ?? logPriorDensity(model, mean: priorMean, variance: priorVariance)
                lls.append(ll)
                objectives.append(ll + logPrior)
                progress.update(completed: restart * options.iterations + iteration + 1, total: max(options.restarts, 1) * options.iterations,
                                label: "restart \(restart + 1)")
                if objectives.count >= 2 && iteration != warmup {
                    let previous = objectives[objectives.count - 2], current = objectives.last!
                    if abs(current - previous) <= options.tolerance * abs(current) {
                        // Converged without the prior: go on with the one-hot choices.
                        if case .onehot = options.prior, oneHot == nil { warmup = iteration + 1; continue }
                        break
                    }
                }
                if case let .onehot(temperature, steps, rate) = options.prior, oneHot != nil {
                    chainStep(&model, pairs: pairs, firsts: firsts, options: options)
                    oneHotStep(&model, &oneHot!, data, gammas: gammas, temperature: temperature, steps: steps, rate: rate,
                               adam: &adam, generator: &generator)
                    if model.emission == .gaussian { updateVariances(&model, data, gammas: gammas) }
                } else {
                    // (Before the one-hot choices start, the one-hot prior has no mean: a plain Newton M-step.)
                    mStep(&model, data, gammas: gammas, pairs: pairs, firsts: firsts, options: options,
                          priorMean: &priorMean, priorVariance: &priorVariance)
                }
            }
            let fit = GLMHMMFit(model: model, logLikelihoods: lls, objectives: objectives, priorMean: priorMean,
                                priorVariance: priorVariance, restart: restart, oneHot: oneHot,
                                seconds: Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9)
            finals.append(fit)
            if best == nil || fit.objectives.last! > best!.objectives.last! { best = fit }
        }
        progress.finish()
        // How reproducible the states are: each restart's states matched to the kept ones.
        let kept = (0..<best!.model.states).map { StateMatching.signature(best!.model, state: $0) }
        best!.restarts = finals.map { f in
            let order = StateMatching.order(f.model, toMatch: kept)
            return RestartSummary(objective: f.objectives.last ?? .nan, logLikelihood: f.logLikelihoods.last ?? .nan,
                                  iterations: f.logLikelihoods.count, stateMatch: order,
                                  weightCorrelation: order.enumerated().map { StateMatching.correlation(kept[$0.offset], StateMatching.signature(f.model, state: $0.element)) })
        }
        return best!
    }

    // MARK: - Data

    /// All sequences' design matrices and activity stacked, with where each sequence starts.
    struct TrainingData {
        var design: Matrix
        var activity: Matrix
        /// Each sequence's own design matrix (the rows of `design`).
        var designs: [Matrix]
        /// Poisson: each sequence's `Σ_n log x_tn!` per bin, for the E-step; empty otherwise.
        var logFactorials: [[Double]] = []
        var starts: [Int]
        var lengths: [Int]
        var sequences: [GLMHMMSequence]
        /// Products of design columns for the Newton Hessians (nil when too large).
        var products: Matrix? = nil
        /// The Newton M-step's buffers, one set per state, reused by every iteration.
        let scratch = NewtonScratch()
        init(_ sequences: [GLMHMMSequence], basis: HistoryBasis, emission: Emission) {
            let designs = sequences.map { GLMHMMModel.design($0, basis: basis) }
            self.designs = designs
            if case .poisson = emission { logFactorials = sequences.map { GLMHMMModel.logFactorials($0.activity) } }
            let width = designs[0].columns, n = sequences[0].activity.columns
            design = Matrix(rows: designs.reduce(0) { $0 + $1.rows }, columns: width, values: designs.flatMap(\.values))
            activity = Matrix(rows: design.rows, columns: n, values: sequences.flatMap(\.activity.values))
            let lengths = sequences.map(\.length)
            self.lengths = lengths
            starts = lengths.indices.map { i in lengths[..<i].reduce(0, +) }
            self.sequences = sequences
        }
        var total: Int { design.rows }
    }

    // MARK: - E-step

    /// Forward–backward on every sequence (in parallel): total log-likelihood, stacked posteriors
    /// (time × K), summed expected transitions, summed first-bin posteriors.
    static func eStep(_ model: GLMHMMModel, _ data: TrainingData) -> (Double, Matrix, Matrix, [Double]) {
        let k = model.states
        let posteriors = Collected<HMMInference.Posterior?>(repeating: nil, count: data.sequences.count)
        DispatchQueue.concurrentPerform(iterations: data.sequences.count) { i in
            let ll = model.logLikelihoods(data.sequences[i], design: data.designs[i], logFactorials: data.logFactorials.isEmpty ? nil : data.logFactorials[i])
            let p = HMMInference.forwardBackward(ll, initial: model.initial, transition: model.transition)
            posteriors.set(i, p)
        }
        var total = 0.0
        var gammas = Matrix(rows: data.total, columns: k), pairs = Matrix(rows: k, columns: k)
        var firsts = [Double](repeating: 0, count: k)
        for (i, p) in posteriors.values.enumerated() {
            let p = p!
            total += p.logLikelihood
            for t in 0..<data.lengths[i] { for s in 0..<k { gammas[data.starts[i] + t, s] = p.states[t, s] } }
            for r in 0..<k { for s in 0..<k { pairs[r, s] += p.transitions[r, s] } }
            for s in 0..<k { firsts[s] += p.states[0, s] }
        }
        return (total, gammas, pairs, firsts)
    }

    // MARK: - M-step

    /// Log prior of the hard one-hot choices of every state under the shared categorical prior.
    static func oneHotLogPrior(_ c: OneHotCoupling) -> Double {
        let prior = c.prior, n = c.neurons
        var total = 0.0
        for l in c.logits { for i in 0..<n { for j in 0..<n where i != j {
            let pair = (i * n + j) * 3
            let choice = l[pair] > l[pair + 1] ? (l[pair] > l[pair + 2] ? 0 : 2) : (l[pair + 1] >= l[pair + 2] ? 1 : 2)
            total += log(max(prior[pair + choice], 1e-300))
        } } }
        return total
    }

    static func mStep(_ model: inout GLMHMMModel, _ data: TrainingData, gammas: Matrix, pairs: Matrix, firsts: [Double],
                      options: GLMHMMOptions, priorMean: inout Matrix?, priorVariance: inout Double?) {
        chainStep(&model, pairs: pairs, firsts: firsts, options: options)
        mStepWeights(&model, data, gammas: gammas, options: options, priorMean: &priorMean, priorVariance: &priorVariance)
    }

    /// Closed-form updates of the initial distribution and the (sticky) transition matrix.
    static func chainStep(_ model: inout GLMHMMModel, pairs: Matrix, firsts: [Double], options: GLMHMMOptions) {
        let k = model.states
        let total = firsts.reduce(0, +)
        model.initial = firsts.map { max($0 / total, 1e-12) }
        for r in 0..<k {
            var row = (0..<k).map { pairs[r, $0] + ($0 == r ? options.stickiness : 0) }
            let sum = row.reduce(0, +)
            row = sum > 0 ? row.map { max($0 / sum, 1e-12) } : (0..<k).map { $0 == r ? 1 : 0 }
            for s in 0..<k { model.transition[r, s] = row[s] }
        }
    }

    static func mStepWeights(_ model: inout GLMHMMModel, _ data: TrainingData, gammas: Matrix, options: GLMHMMOptions,
                             priorMean: inout Matrix?, priorVariance: inout Double?) {
        let k = model.states
        // Emission weights: every state's neurons by damped Newton on the posterior-weighted objective.
        let n = model.neurons
        let current = model, mean = priorMean, variance = priorVariance
        let updated = Collected<Matrix?>(repeating: nil, count: k)
        DispatchQueue.concurrentPerform(iterations: k) { s in
            updated.set(s, newtonState(current, data, products: data.products, gammas: gammas, state: s, options: options,
                                       priorMean: mean, priorVariance: variance))
        }
        model.weights = updated.values.map { $0! }
        if options.sharedBias { shareBias(&model) }
        if model.emission == .gaussian { updateVariances(&model, data, gammas: gammas) }
        if case let .gaussian(_, learn) = options.prior {
            priorMean = meanCoupling(model)
            if learn {
                var sq = 0.0, count = 0.0
                for s in 0..<k { for i in 0..<n { for j in couplingColumns(model, neuron: i, options: options) {
                    let d = model.weights[s][i, j] - priorMean![i, j]; sq += d * d; count += 1
                } } }
                priorVariance = max(sq / max(count, 1), 1e-6)
            }
        }
    }

    /// Columns of neuron `n`'s weights under the prior: coupling from other neurons (and itself unless
    /// self-coupling is handled separately, as in the reference).
    static func couplingColumns(_ model: GLMHMMModel, neuron n: Int, options: GLMHMMOptions) -> [Int] {
        let b = model.basis.count
        return (0..<model.neurons).filter { $0 != n }.flatMap { m in (0..<b).map { 1 + m * b + $0 } }
    }

    /// Replaces per-state biases by their posterior-weighted average (shared-bias models).
    static func shareBias(_ model: inout GLMHMMModel) {
        for n in 0..<model.neurons {
            let mean = (0..<model.states).reduce(0) { $0 + model.weights[$1][n, 0] } / Double(model.states)
            for s in 0..<model.states { model.weights[s][n, 0] = mean }
        }
    }

    static func updateVariances(_ model: inout GLMHMMModel, _ data: TrainingData, gammas: Matrix) {
        var v = Matrix(rows: model.states, columns: model.neurons)
        for s in 0..<model.states {
            let eta = data.design.multiplied(by: model.weights[s].transposed)
            for n in 0..<model.neurons {
                var num = 0.0, den = 0.0
                for t in 0..<data.total { let r = data.activity[t, n] - eta[t, n]; num += gammas[t, s] * r * r; den += gammas[t, s] }
                v[s, n] = max(num / max(den, 1e-12), 1e-8)
            }
        }
        model.variance = v
    }

    static func meanCoupling(_ model: GLMHMMModel) -> Matrix {
        var m = Matrix(rows: model.neurons, columns: model.designWidth)
        for w in model.weights { for i in m.values.indices { m.values[i] += w.values[i] / Double(model.states) } }
        return m
    }

    static func logPriorDensity(_ model: GLMHMMModel, mean: Matrix?, variance: Double?) -> Double {
        guard let mean, let variance else { return 0 }
        var total = 0.0
        for w in model.weights {
            for n in 0..<model.neurons {
                for j in 1..<(1 + model.neurons * model.basis.count) where (j - 1) / model.basis.count != n {
                    let e = w[n, j] - mean[n, j]
                    total -= 0.5 * (e * e / variance + log(2 * Double.pi * variance))
                }
            }
        }
        return total
    }

    // MARK: - Initialisation

    /// One GLM for all the data (a single-state fit), the common starting point of every restart.
    static func singleStateGLM(_ data: TrainingData, options: GLMHMMOptions) -> GLMHMMModel {
        let n = data.activity.columns
        let width = data.design.columns
        var weights = Matrix(rows: n, columns: width)
        for i in 0..<n {
            let mean = (0..<data.total).reduce(0) { $0 + data.activity[$1, i] } / Double(data.total)
            weights[i, 0] = options.emission.inverseMean(mean)
        }
        let covariates = width - 1 - n * options.basis.count
        var model = GLMHMMModel(emission: options.emission, basis: options.basis, neurons: n, covariates: covariates,
                                initial: [1], transition: Matrix(rows: 1, columns: 1, values: [1]), weights: [weights],
                                variance: options.emission == .gaussian ? Matrix(rows: 1, columns: n, repeating: 1) : nil)
        let ones = Matrix(rows: data.total, columns: 1, repeating: 1)
        var single = options
        single.prior = .none
        single.newtonSteps = 8
        model.weights[0] = newtonState(model, data, products: data.products, gammas: ones, state: 0, options: single,
                                       priorMean: nil, priorVariance: nil)
        if options.emission == .gaussian { updateVariances(&model, data, gammas: ones) }
        return model
    }

    /// A restart's start: the single GLM with every state's weights jittered, a sticky transition
    /// matrix (0.95 on the diagonal) and a uniform initial distribution.
    static func initialModel(_ single: GLMHMMModel, options: GLMHMMOptions, generator: inout SeededGenerator) -> GLMHMMModel {
        let k = options.states
        var model = single
        model.initial = [Double](repeating: 1 / Double(k), count: k)
        var a = Matrix(rows: k, columns: k, repeating: k > 1 ? 0.05 / Double(k - 1) : 0)
        for s in 0..<k { a[s, s] = k > 1 ? 0.95 : 1 }
        model.transition = a
        model.weights = (0..<k).map { _ in
            var w = single.weights[0]
            for i in w.values.indices { w.values[i] += 0.3 * generator.normal() * max(abs(w.values[i]), 0.1) }
            return w
        }
        if let v = single.variance { model.variance = Matrix(rows: k, columns: v.columns, values: (0..<k).flatMap { _ in v.values }) }
        return model
    }
}

/// Results gathered from concurrent workers, one slot each, behind a lock.
final class Collected<T>: @unchecked Sendable {
    private(set) var values: [T]
    private let lock = NSLock()
    init(repeating value: T, count: Int) { values = [T](repeating: value, count: count) }
    func set(_ i: Int, _ value: T) { lock.withLock { values[i] = value } }
}
