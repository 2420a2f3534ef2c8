import Foundation
import NeuroCore
import NeuroTestSupport
import Testing
@testable import NeuroTensor

/// Planted low-rank non-negative tensors: the solvers find the factors, with and without missing entries.
@Suite("CP solvers recover planted factors")
struct RecoveryTests {
    /// Best of a few replicates, as a user would run it.
    func bestFit(_ p: Planted, weights: [Double]?, solver: CPSolver, iterations: Int = 500) throws -> CPResult {
        var options = CPOptions(rank: p.truth.rank, solver: solver)
        options.maxIterations = iterations
        options.tolerance = 1e-9
        let summary = try fitEnsemble(p.tensor, weights: weights, options: EnsembleOptions(ranks: [p.truth.rank], replicates: 3, base: options))
        return summary[0].best
    }

    @Test("HALS, MU and BCD: factor match score ≥ 0.95 at 5% noise, fully observed",
          arguments: [CPSolver.hals, .mu, .bcd])
    func fullyObserved(solver: CPSolver) throws {
        let p = Planted(shape: [20, 15, 12], rank: 3, noise: 0.05, seed: 1)
        let fit = try bestFit(p, weights: nil, solver: solver, iterations: solver == .mu ? 2000 : 500)
        let score = factorMatchScore(fit.model, reference: p.truth).score
        #expect(score >= 0.95, "\(solver): FMS \(score)")
        #expect(fit.relativeError < 0.08, "\(solver): error \(fit.relativeError)")
        // The recorded history is that of a descent method.
        if solver != .mu { #expect(fit.errors.last! <= fit.errors.first!) }
    }

    @Test("masked HALS/BCD with 20% and 50% missing: FMS ≥ 0.95 and error on the unseen entries near the noise level",
          arguments: [(CPSolver.hals, 0.2), (.hals, 0.5), (.bcd, 0.2), (.bcd, 0.5), (.mu, 0.2)])
    func missing(solver: CPSolver, fraction: Double) throws {
        let p = Planted(shape: [20, 15, 12], rank: 3, noise: 0.05, seed: 2)
        let mask = p.mask(missing: fraction, seed: 7)
        var corrupted = p.tensor
        for k in mask.indices where mask[k] == 0 { corrupted.values[k] = .nan }   // missing entries may be NaN
        let fit = try bestFit(Planted(truth: p.truth, tensor: corrupted), weights: mask, solver: solver, iterations: solver == .mu ? 2000 : 500)
        let score = factorMatchScore(fit.model, reference: p.truth).score
        #expect(score >= 0.95, "\(solver) \(fraction): FMS \(score)")
        let model = fit.model.full().values
        var r = 0.0, n = 0.0
        for k in mask.indices where mask[k] == 0 { r += pow(p.tensor.values[k] - model[k], 2); n += pow(p.tensor.values[k], 2) }
        #expect((r / n).squareRoot() < 0.1, "\(solver) \(fraction): unseen error \((r / n).squareRoot())")
    }

    @Test("masked fitting beats mean imputation on held-out entries (50% missing)")
    func maskedBeatsImputation() throws {
        let p = Planted(shape: [20, 15, 12], rank: 3, noise: 0.05, seed: 3)
        let mask = p.mask(missing: 0.5, seed: 8)
        var options = CPOptions(rank: 3)
        options.tolerance = 1e-9
        let masked = try fitCP(p.tensor, weights: mask, options: options).model.full().values
        // Imputation: missing entries replaced by the mean of the observed ones, then an unmasked fit.
        let observedMean = zip(p.tensor.values, mask).filter { $0.1 > 0 }.map(\.0).reduce(0, +) / mask.reduce(0, +)
        var imputed = p.tensor
        for k in mask.indices where mask[k] == 0 { imputed.values[k] = observedMean }
        let filled = try fitCP(imputed, options: options).model.full().values
        func heldOutError(_ m: [Double]) -> Double {
            var r = 0.0, n = 0.0
            for k in mask.indices where mask[k] == 0 { r += pow(p.tensor.values[k] - m[k], 2); n += pow(p.tensor.values[k], 2) }
            return (r / n).squareRoot()
        }
        #expect(heldOutError(masked) < 0.5 * heldOutError(filled), "masked \(heldOutError(masked)) vs imputed \(heldOutError(filled))")
    }

    @Test("ensembles: replicates sorted by error, similarity 1 for the best, CV error lowest near the true rank")
    func ensemble() throws {
        let p = Planted(shape: [15, 12, 10], rank: 3, noise: 0.05, seed: 4)
        var base = CPOptions(rank: 1)
        base.tolerance = 1e-7
        let summaries = try fitEnsemble(p.tensor, options: EnsembleOptions(ranks: [1, 2, 3, 4, 6], replicates: 3, holdoutFraction: 0.2, base: base))
        #expect(summaries.map(\.rank) == [1, 2, 3, 4, 6])
        for s in summaries {
            #expect(s.fits.map(\.relativeError) == s.fits.map(\.relativeError).sorted())
            #expect(abs(s.similarity[0] - 1) < 1e-12)
            #expect(s.heldOutErrors.count == 3 && s.heldOutErrors.allSatisfy { $0.isFinite && $0 > 0 })
        }
        let cv = summaries.map { $0.heldOutErrors.min()! }
        #expect(cv[2] < cv[0] && cv[2] < cv[1], "CV errors \(cv)")
        #expect(cv[2] < 0.1)
        // Training error keeps falling with rank; held-out error does not reward overfitting.
        #expect(summaries[4].best.relativeError <= summaries[2].best.relativeError)
        #expect(cv[4] >= cv[2] * 0.9)
    }

    @Test("same seed, same result bit for bit; another seed starts elsewhere")
    func determinism() throws {
        let p = Planted(shape: [10, 9, 8], rank: 2, noise: 0.05, seed: 5)
        var o = CPOptions(rank: 2)
        o.maxIterations = 30
        o.seed = 42
        let a = try fitCP(p.tensor, options: o), b = try fitCP(p.tensor, options: o)
        #expect(a.model == b.model && a.errors == b.errors)
        o.seed = 43
        let c = try fitCP(p.tensor, options: o)
        #expect(c.errors[0] != a.errors[0])
    }

    @Test("fixed modes keep their factor; L1 sparsity makes factors sparser; NNDSVD starts closer than random")
    func options() throws {
        let p = Planted(shape: [12, 10, 8], rank: 3, noise: 0.05, seed: 6)
        var o = CPOptions(rank: 3)
        o.initialization = .given(p.truth)
        o.fixedModes = [0]
        o.maxIterations = 20
        let fixed = try fitCP(p.tensor, options: o)
        #expect(fixed.model.factors[0] == p.truth.factors[0])
        #expect(fixed.model.factors[1] != p.truth.factors[1])

        var plain = CPOptions(rank: 3)
        plain.maxIterations = 200
        var sparse = plain
        sparse.sparsity = [0: 2.0, 1: 2.0, 2: 2.0]
        func zeros(_ r: CPResult) -> Int { r.model.factors.reduce(0) { $0 + $1.values.filter { $0 == 0 }.count } }
        #expect(zeros(try fitCP(p.tensor, options: sparse)) > zeros(try fitCP(p.tensor, options: plain)))

        // NNDSVD is deterministic whatever the seed.
        var svd = CPOptions(rank: 3)
        svd.initialization = .nndsvd
        svd.maxIterations = 3
        var other = svd
        other.seed = 7
        #expect(try fitCP(p.tensor, options: svd).model == fitCP(p.tensor, options: other).model)
    }
}

extension Planted {
    init(truth: KruskalTensor, tensor: DenseTensor) {
        self.truth = truth
        self.tensor = tensor
    }
}
