import NeuroCore

/// Ranks × replicates of one factorization, as tensortools' `Ensemble` fits them, plus cross-validation.
public struct EnsembleOptions: Sendable {
    /// The ranks to fit, in the order fitted and reported; must not be empty.
    public var ranks: [Int]
    /// Fits per rank, each from its own derived seed (replicate 0 uses `base.seed`); at least 1.
    public var replicates: Int = 1
    /// Fraction of the observed entries held out in each cross-validation fit (0: no cross-validation).
    public var holdoutFraction: Double = 0
    /// Everything else; `rank` is replaced by each of `ranks`. A `.given` initialization starts the
    /// first replicate of its rank; the others start at random.
    public var base: CPOptions

    /// Options to fit each of `ranks` `replicates` times from `base`, cross-validating when `holdoutFraction > 0`.
    public init(ranks: [Int], replicates: Int = 1, holdoutFraction: Double = 0, base: CPOptions) {
        self.ranks = ranks
        self.replicates = replicates
        self.holdoutFraction = holdoutFraction
        self.base = base
    }
}

/// The fits of one rank.
public struct RankSummary: Sendable {
    /// The number of components of these fits.
    public var rank: Int
    /// Every replicate's fit, best (lowest final error) first.
    public var fits: [CPResult]
    /// Factor match score of each replicate (same order) against the best one.
    public var similarity: [Double]
    /// Per replicate: relative error on the held-out entries of a fit to the rest (empty without CV).
    public var heldOutErrors: [Double]
    /// Per replicate: relative error of that cross-validation fit on the entries it saw.
    public var trainErrors: [Double]
    /// The replicate with the lowest final relative error (`fits[0]`).
    public var best: CPResult { fits[0] }
}

/// Fits every rank `replicates` times (seeds derived from `base.seed`, the rank and the replicate) and,
/// with a hold-out fraction, as many cross-validation fits: each holds out a random set of the observed
/// entries (weight set to 0), fits the rest, and scores the model on what it did not see. This is true
/// masked cross-validation: the held-out entries never enter the objective.
public func fitEnsemble(_ tensor: DenseTensor, weights: [Double]? = nil, options: EnsembleOptions,
                        progress: any ProgressReporter = SilentProgress()) throws -> [RankSummary] {
    guard !options.ranks.isEmpty else { throw TensorError.badOption("no ranks to fit") }
    guard options.replicates >= 1 else { throw TensorError.badOption("replicates must be at least 1 (got \(options.replicates))") }
    guard options.holdoutFraction >= 0 && options.holdoutFraction < 1 else {
        throw TensorError.badOption("hold-out fraction must be in [0, 1) (got \(options.holdoutFraction))")
    }
    let cv = options.holdoutFraction > 0
    let total = options.ranks.count * options.replicates * (cv ? 2 : 1)
    var done = 0
    var summaries: [RankSummary] = []
    for rank in options.ranks {
        var rankOptions = options.base
        rankOptions.rank = rank
        let problem = try CPProblem(tensor, weights: weights, options: rankOptions)
        var fits: [CPResult] = []
        var heldOut: [Double] = [], train: [Double] = []
        for replicate in 0..<options.replicates {
            var o = rankOptions
            o.seed = derivedSeed(options.base.seed, rank: rank, replicate: replicate)
            if case .given = o.initialization, replicate > 0 { o.initialization = .random }
            progress.update(completed: done, total: total, label: "rank \(rank) replicate \(replicate + 1)")
            fits.append(try problem.fit(o))
            done += 1
            if cv {
                var generator = SeededGenerator(seed: o.seed, stream: 1)
                let observed = weights ?? [Double](repeating: 1, count: tensor.count)
                var trainWeights = observed
                var held = [Bool](repeating: false, count: tensor.count)
                for k in observed.indices where observed[k] > 0 && generator.uniform() < options.holdoutFraction {
                    trainWeights[k] = 0
                    held[k] = true
                }
                let trainProblem = try CPProblem(tensor, weights: trainWeights, options: o, requireObservedSlices: false)
                progress.update(completed: done, total: total, label: "rank \(rank) cross-validation \(replicate + 1)")
                let fit = try trainProblem.fit(o)
                done += 1
                let model = fit.model.full().values
                var residual = 0.0, norm = 0.0
                for k in held.indices where held[k] {
                    let x = tensor.values[k], w = observed[k]
                    residual += w * (x - model[k]) * (x - model[k])
                    norm += w * x * x
                }
                heldOut.append(norm > 0 ? (residual / norm).squareRoot() : .nan)
                train.append(fit.relativeError)
            }
        }
        let order = fits.indices.sorted { fits[$0].relativeError < fits[$1].relativeError || (fits[$0].relativeError == fits[$1].relativeError && $0 < $1) }
        fits = order.map { fits[$0] }
        if cv {
            heldOut = order.map { heldOut[$0] }
            train = order.map { train[$0] }
        }
        let best = fits[0].model
        let similarity = fits.map { factorMatchScore($0.model, reference: best).score }
        summaries.append(RankSummary(rank: rank, fits: fits, similarity: similarity, heldOutErrors: heldOut, trainErrors: train))
    }
    progress.finish()
    return summaries
}

/// The seed of one replicate of one rank: replicate 0 of any rank uses `seed` itself, so a single fit
/// with `--seed S` starts exactly as documented.
func derivedSeed(_ seed: UInt64, rank: Int, replicate: Int) -> UInt64 {
    replicate == 0 ? seed : seed &+ UInt64(replicate) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(rank) &* 0xBF58_476D_1CE4_E5B9
}
