import Foundation
import NeuroCore
import NeuroGraph
import NeuroStore
import NeuroTensor

/// Everything `neurotool ntf` does after loading: ensembles over ranks, choice of the reported rank,
/// communities on connectome factors.
public struct NTFOptions: Sendable {
    /// The ranks to fit, in the order reported; a fit throws when empty.
    public var ranks: [Int]
    /// Fits per rank from different seeds; 1 by default.
    public var replicates = 1
    /// Fraction of the observed entries held out per cross-validation fit; 0 (the default): none.
    public var holdoutFraction = 0.0
    /// Options of every fit (solver, iterations, tolerance, seed, start, constraints).
    public var cp: CPOptions
    /// The rank whose best fit becomes `factor0…` (nil: lowest held-out error with cross-validation,
    /// else the largest rank).
    public var selectedRank: Int? = nil
    /// Modularity resolution γ for the communities of connectome components.
    public var resolution = 1.0
    /// A reference solution (same shape): the reported components are reordered to match it.
    public var reference: KruskalTensor? = nil

    /// Options to fit each of `ranks` once with `cp`: no cross-validation, no reference, resolution 1.
    public init(ranks: [Int], cp: CPOptions) {
        self.ranks = ranks
        self.cp = cp
    }
}

/// Communities of one connectome component.
public struct ComponentCommunities: Sendable {
    /// Community index per neuron (0 = largest).
    public var membership: [Int]
    /// Modularity of `membership` on the component's affinity matrix, at the resolution γ used.
    public var modularity: Double
}

/// The outcome of an `ntf` run: every rank's fits and the reported, normalised model.
public struct NTFResult: Sendable {
    /// The tensor that was factorized, with its mask and axes.
    public var input: LabelledTensor
    /// The fits of each rank, in the order of ``NTFOptions/ranks``.
    public var summaries: [RankSummary]
    /// The fits of the reported rank: `selectedRank`, else the lowest held-out error, else the largest rank.
    public var selected: RankSummary
    /// The selected rank's best model, normalised (unit factors, weights sorted decreasing).
    public var model: KruskalTensor
    /// Per component, for connectome tensors.
    public var communities: [ComponentCommunities]?
    /// Factor match score against the reference solution, when one was given.
    public var alignmentScore: Double?
}

/// The `ntf` analysis of a loaded tensor: ensemble fits, rank choice, alignment and communities.
public enum NTFAnalysis {
    /// Fits every rank, picks the reported one, normalises (and aligns to `options.reference`) its best model,
    /// and for connectome tensors finds the Louvain communities of each component's pair factor.
    /// Throws ``NTFError/selectedRankNotFitted(rank:ranks:)``, the fits' ``TensorError``s, or
    /// ``TensorError/shapeMismatch(what:expected:found:)`` for a reference of another shape.
    public static func run(_ input: LabelledTensor, options: NTFOptions,
                           progress: any ProgressReporter = SilentProgress()) throws -> NTFResult {
        if let chosen = options.selectedRank, !options.ranks.contains(chosen) {
            throw NTFError.selectedRankNotFitted(rank: chosen, ranks: options.ranks)
        }
        let ensemble = EnsembleOptions(ranks: options.ranks, replicates: options.replicates,
                                       holdoutFraction: options.holdoutFraction, base: options.cp)
        let summaries = try fitEnsemble(input.tensor, weights: input.mask, options: ensemble, progress: progress)
        let selected: RankSummary
        if let chosen = options.selectedRank {
            selected = summaries.first { $0.rank == chosen }!
        } else if options.holdoutFraction > 0 {
            selected = summaries.min { ($0.heldOutErrors.min() ?? .infinity) < ($1.heldOutErrors.min() ?? .infinity) }!
        } else {
            selected = summaries.last!
        }
        var model = selected.best.model.normalized()
        var alignmentScore: Double? = nil
        if let reference = options.reference {
            guard reference.shape == model.shape else {
                throw TensorError.shapeMismatch(what: "reference solution", expected: model.shape, found: reference.shape)
            }
            model = aligned(model, to: reference)
            alignmentScore = factorMatchScore(model, reference: reference).score
        }
        var communities: [ComponentCommunities]? = nil
        if let neurons = input.neurons, let pairs = input.pairs, let pairMode = input.axes.firstIndex(where: { $0.name == "pair" }) {
            communities = (0..<model.rank).map { r in
                let affinity = affinityMatrix(model.factors[pairMode].column(r), pairs: pairs, neurons: neurons.count)
                let membership = louvainCommunities(affinity, resolution: options.resolution, seed: options.cp.seed)
                return ComponentCommunities(membership: membership, modularity: modularity(affinity, membership, resolution: options.resolution))
            }
        }
        return NTFResult(input: input, summaries: summaries, selected: selected, model: model, communities: communities,
                         alignmentScore: alignmentScore)
    }

    /// A component's pair factor as a symmetric neuron × neuron affinity matrix (zero diagonal).
    public static func affinityMatrix(_ pairFactor: [Double], pairs: [(Int, Int)], neurons: Int) -> Matrix {
        var w = Matrix(rows: neurons, columns: neurons)
        for (p, (i, j)) in pairs.enumerated() {
            w[i, j] = max(pairFactor[p], 0)
            w[j, i] = max(pairFactor[p], 0)
        }
        return w
    }
}
