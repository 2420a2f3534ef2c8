import Foundation
import NeuroCore
import NeuroHMM
import NeuroGLMHMM
import NeuroTestSupport
import Testing

/// A ground-truth model: K states, N neurons, sparse shared coupling (connectome-like) plus
/// state-specific deviations, softplus Poisson.
func truthModel(states k: Int, neurons n: Int, seed: UInt64) -> GLMHMMModel {
    var g = SeededGenerator(seed: seed)
    let basis = HistoryBasis.exponential()
    var shared = Matrix(rows: n, columns: n)
    for i in 0..<n { for j in 0..<n where i != j && g.uniform() < 0.2 { shared[i, j] = (g.uniform() < 0.5 ? -1 : 1) * (0.8 + 0.6 * g.uniform()) } }
    let weights = (0..<k).map { s -> Matrix in
        var w = Matrix(rows: n, columns: 1 + n)
        for i in 0..<n {
            w[i, 0] = -1.5 + 1.5 * g.uniform() + (s == i % k ? 1.2 : 0)   // state-specific drive
            for j in 0..<n { w[i, 1 + j] = shared[i, j] + (g.uniform() < 0.05 ? 1.5 * g.normal() : 0) }
        }
        return w
    }
    var a = Matrix(rows: k, columns: k, repeating: 0.02 / Double(k - 1))
    for s in 0..<k { a[s, s] = 0.98 }
    return GLMHMMModel(emission: .poisson(.softplus), basis: basis, neurons: n, covariates: 0,
                       initial: [Double](repeating: 1 / Double(k), count: k), transition: a, weights: weights, variance: nil)
}

@Suite("GLM-HMM fits recover simulated truth")
struct FitTests {
    @Test("K = 3, N = 8, 6 sequences of 400 bins: state accuracy ≥ 0.95 after matching, likelihood near the truth's")
    func recovery() throws {
        let truth = truthModel(states: 3, neurons: 8, seed: 1)
        let (sequences, states) = GLMHMMSimulation.simulate(truth, lengths: [Int](repeating: 400, count: 6), seed: 2)
        var options = GLMHMMOptions(states: 3)
        options.iterations = 40
        options.restarts = 2
        let fit = try GLMHMMFitter.fit(sequences, options: options)
        let decoded = sequences.map { fit.model.decode($0).viterbi }
        let (accuracy, _) = GLMHMMSimulation.stateAccuracy(decoded: decoded, truth: states, states: 3)
        #expect(accuracy >= 0.95, "state accuracy \(accuracy)")
        // EM never decreases the objective.
        for (a, b) in zip(fit.objectives, fit.objectives.dropFirst()) { #expect(b >= a - 1e-6 * abs(a)) }
        let trueLL = sequences.reduce(0) { $0 + truth.logLikelihood($1) }
        #expect(fit.logLikelihoods.last! >= trueLL - 0.01 * abs(trueLL), "fit \(fit.logLikelihoods.last!) vs truth \(trueLL)")

        // Weight recovery: matched states' coupling correlates with the truth's.
        let (_, matching) = GLMHMMSimulation.stateAccuracy(decoded: decoded, truth: states, states: 3)
        var a: [Double] = [], b: [Double] = []
        for s in 0..<3 { for i in 0..<8 { for j in 0..<8 where i != j {
            a.append(truth.coupling(state: s, to: i, from: j)); b.append(fit.model.coupling(state: matching[s], to: i, from: j))
        } } }
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        let r = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
            / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
        #expect(r > 0.8, "coupling correlation with the truth \(r)")

        // Held-out bits/spike close to the true model's on new sequences.
        let (test, _) = GLMHMMSimulation.simulate(truth, lengths: [400, 400], seed: 3)
        let fitted = GLMHMMEvaluation.heldOut(fit.model, train: sequences, test: test).bitsPerSpike
        let ideal = GLMHMMEvaluation.heldOut(truth, train: sequences, test: test).bitsPerSpike
        #expect(fitted > 0 && fitted >= ideal - 0.05, "held-out \(fitted) bits/spike vs the true model's \(ideal)")
    }

    @Test("bad input: K < 1, negative or non-integer counts, NaN, sequences shorter than the history basis")
    func badInput() {
        let ok = GLMHMMSequence(activity: Matrix(rows: 20, columns: 2, repeating: 1))
        func error(_ s: [GLMHMMSequence], _ o: GLMHMMOptions) -> GLMHMMError? {
            do { try GLMHMMFitter.validate(s, options: o); return nil } catch let e as GLMHMMError { return e } catch { return nil }
        }
        #expect(error([ok], GLMHMMOptions(states: 0)) == .statesTooSmall(0))
        var bad = ok; bad.activity[3, 1] = -1
        #expect(error([bad], GLMHMMOptions(states: 2)) == .notCounts(sequence: 0, bin: 3, neuron: 1, value: -1))
        bad = ok; bad.activity[4, 0] = 0.5
        #expect(error([bad], GLMHMMOptions(states: 2)) == .notCounts(sequence: 0, bin: 4, neuron: 0, value: 0.5))
        bad = ok; bad.activity[5, 0] = .nan
        #expect(error([bad], GLMHMMOptions(states: 2)) == .nonFinite(sequence: 0, bin: 5, neuron: 0))
        bad = ok; bad.activity[5, 0] = 2
        var bernoulli = GLMHMMOptions(states: 2); bernoulli.emission = .bernoulli
        #expect(error([bad], bernoulli) == .notBinary(sequence: 0, bin: 5, neuron: 0, value: 2))
        #expect(error([ok, GLMHMMSequence(activity: Matrix(rows: 4, columns: 2))], GLMHMMOptions(states: 2)) == .tooShort(sequence: 1, length: 4, needed: 6))
    }

    @Test("restarts: each restart's states matched to the kept fit's; a well-identified model finds the same states every time")
    func restartMatching() throws {
        let truth = truthModel(states: 3, neurons: 8, seed: 1)
        let (sequences, _) = GLMHMMSimulation.simulate(truth, lengths: [Int](repeating: 400, count: 6), seed: 4)
        var options = GLMHMMOptions(states: 3)
        options.iterations = 30
        options.restarts = 3
        let fit = try GLMHMMFitter.fit(sequences, options: options)
        #expect(fit.restarts.count == 3)
        let kept = fit.restarts[fit.restart]
        #expect(kept.stateMatch == [0, 1, 2] && kept.weightCorrelation.allSatisfy { abs($0 - 1) < 1e-12 })
        #expect(kept.objective == fit.objectives.last! && fit.restarts.allSatisfy { $0.objective <= kept.objective })
        for r in fit.restarts {
            #expect(Set(r.stateMatch) == [0, 1, 2], "a permutation")
            #expect(r.weightCorrelation.allSatisfy { $0 > 0.9 }, "restart states agree with the kept ones: \(r.weightCorrelation) \(r.objective) vs \(kept.objective)")
        }
        // Aligning a shuffled copy to the fit's own signatures undoes the shuffle, restart matches included.
        let signatures = (0..<3).map { StateMatching.signature(fit.model, state: $0) }
        let shuffled = fit.permutingStates([2, 0, 1])
        #expect(shuffled.model.weights[0] == fit.model.weights[2])
        let (back, order) = shuffled.aligned(to: signatures)
        #expect(order == [1, 2, 0])
        #expect(back.model.weights == fit.model.weights && back.model.transition == fit.model.transition)
        #expect(back.restarts == fit.restarts)
    }
}

@Suite("Learnable Gaussian prior")
struct PriorTests {
    @Test("the learnt prior mean recovers the shared (connectome-like) coupling support better than the states' average without a prior")
    func sharedSupport() throws {
        let truth = truthModel(states: 3, neurons: 8, seed: 11)
        let (sequences, _) = GLMHMMSimulation.simulate(truth, lengths: [Int](repeating: 300, count: 4), seed: 12)
        // Shared support: pairs whose coupling is non-zero in every state of the truth.
        var labels: [Bool] = []
        for i in 0..<8 { for j in 0..<8 where i != j {
            labels.append((0..<3).allSatisfy { truth.coupling(state: $0, to: i, from: j) != 0 })
        } }
        func auc(_ coupling: (Int, Int) -> Double) -> Double {
            var scores: [Double] = []
            for i in 0..<8 { for j in 0..<8 where i != j { scores.append(abs(coupling(i, j))) } }
            return RankStatistics.rocAUC(scores, labels)
        }
        var options = GLMHMMOptions(states: 3)
        options.iterations = 30
        options.restarts = 1
        let plain = try GLMHMMFitter.fit(sequences, options: options)
        options.prior = .gaussian(variance: 0.1, learnVariance: false)
        let withPrior = try GLMHMMFitter.fit(sequences, options: options)
        let mean = withPrior.priorMean!
        let aucPrior = auc { i, j in mean[i, 1 + j] }
        let aucPlain = auc { i, j in (0..<3).reduce(0) { $0 + plain.model.coupling(state: $1, to: i, from: j) } / 3 }
        #expect(aucPrior >= aucPlain, "prior \(aucPrior) vs none \(aucPlain)")
        #expect(aucPrior > 0.8, "prior AUC \(aucPrior)")
        // The prior pulls the states' coupling together.
        func spread(_ m: GLMHMMModel) -> Double {
            var total = 0.0
            for i in 0..<8 { for j in 0..<8 where i != j {
                let c = (0..<3).map { m.coupling(state: $0, to: i, from: j) }
                let mu = c.reduce(0, +) / 3
                total += c.reduce(0) { $0 + ($1 - mu) * ($1 - mu) }
            } }
            return total
        }
        #expect(spread(withPrior.model) < spread(plain.model))

        // The one-hot prior: its probability of a connection, 1 − π(none), finds the shared support too.
        options.prior = .onehot(temperature: 0.2, steps: 20, rate: 0.05)
        options.iterations = 15
        let oneHot = try GLMHMMFitter.fit(sequences, options: options)
        let p = oneHot.oneHot!.prior
        let aucOneHot = auc { i, j in 1 - p[(i * 8 + j) * 3 + 1] }
        #expect(aucOneHot > 0.8, "one-hot prior AUC \(aucOneHot) (no prior \(aucPlain))")
        // Hard choices: every state's coupling is −s, 0 or +s with s > 0.
        for s in 0..<3 { for i in 0..<8 { for j in 0..<8 where i != j {
            let w = oneHot.model.coupling(state: s, to: i, from: j)
            let l = oneHot.oneHot!.logits[s][(i * 8 + j) * 3..<((i * 8 + j) * 3 + 3)]
            if l.max()! == l[l.startIndex + 1] { #expect(w == 0) } else { #expect(w != 0) }
        } } }
    }
}
