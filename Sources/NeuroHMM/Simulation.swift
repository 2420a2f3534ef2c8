import Foundation
import NeuroCore

/// Draws data from a GLM-HMM: states from the Markov chain, then each bin's activity from the state's
/// GLM given the history simulated so far (for tests, demos and model checks).
public enum GLMHMMSimulation {
    /// Draws one sequence per entry of `lengths` from `model`, and returns them with their true state paths.
    /// The sequences have no covariates (covariate weights are unused); Poisson rates above 50 draw from a
    /// rounded normal approximation.
    public static func simulate(_ model: GLMHMMModel, lengths: [Int], seed: UInt64) -> (sequences: [GLMHMMSequence], states: [[Int]]) {
        var g = SeededGenerator(seed: seed)
        var sequences: [GLMHMMSequence] = [], paths: [[Int]] = []
        let n = model.neurons, b = model.basis.count
        for length in lengths {
            var activity = Matrix(rows: length, columns: n)
            var path = [Int](repeating: 0, count: length)
            var state = sample(model.initial, &g)
            for t in 0..<length {
                if t > 0 { state = sample(Array(model.transition.row(state)), &g) }
                path[t] = state
                // History of the past bins only.
                var history = [Double](repeating: 0, count: n * b)
                for (j, f) in model.basis.functions.enumerated() {
                    for (k, w) in f.enumerated() where t - k - 1 >= 0 && w != 0 {
                        for m in 0..<n { history[m * b + j] += w * activity[t - k - 1, m] }
                    }
                }
                for i in 0..<n {
                    var eta = model.weights[state][i, 0]
                    for j in 0..<(n * b) { eta += model.weights[state][i, 1 + j] * history[j] }
                    activity[t, i] = draw(model.emission, eta, variance: model.variance?[state, i] ?? 1, &g)
                }
            }
            sequences.append(GLMHMMSequence(activity: activity))
            paths.append(path)
        }
        return (sequences, paths)
    }

    static func sample(_ p: [Double], _ g: inout SeededGenerator) -> Int {
        var u = g.uniform() * p.reduce(0, +)
        for (i, v) in p.enumerated() { u -= v; if u < 0 { return i } }
        return p.count - 1
    }

    static func draw(_ emission: Emission, _ eta: Double, variance: Double, _ g: inout SeededGenerator) -> Double {
        switch emission {
        case .poisson:
            let rate = emission.mean(eta)
            // Inversion by sequential search (rates per bin are small); normal approximation beyond 50.
            if rate > 50 { return max(0, (rate + rate.squareRoot() * g.normal()).rounded()) }
            var k = 0.0, p = Foundation.exp(-rate), cumulative = p
            let u = g.uniform()
            while u > cumulative && k < 1000 { k += 1; p *= rate / k; cumulative += p }
            return k
        case .bernoulli:
            return g.uniform() < emission.mean(eta) ? 1 : 0
        case .gaussian:
            return eta + variance.squareRoot() * g.normal()
        }
    }

    /// Fraction of bins whose decoded state equals the true one after the best one-to-one matching of
    /// decoded to true states (Hungarian algorithm on the confusion counts), and that matching.
    public static func stateAccuracy(decoded: [[Int]], truth: [[Int]], states k: Int) -> (accuracy: Double, matching: [Int]) {
        var confusion = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var total = 0.0
        for (d, t) in zip(decoded, truth) { for (a, b) in zip(d, t) { confusion[b][a] += 1; total += 1 } }
        let matching = optimalAssignment(cost: confusion.map { $0.map { -$0 } })   // true state → decoded state
        let correct = matching.enumerated().reduce(0.0) { $0 + confusion[$1.offset][$1.element] }
        return (correct / total, matching)
    }
}
