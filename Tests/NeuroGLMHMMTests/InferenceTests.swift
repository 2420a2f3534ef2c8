import Foundation
import NeuroCore
@testable import NeuroGLMHMM
import NeuroTestSupport
import Testing

@Suite("HMM inference against brute-force enumeration")
struct InferenceTests {
    /// A random tiny chain: 3 states, 6 bins.
    func tiny(seed: UInt64) -> (Matrix, [Double], Matrix) {
        var g = SeededGenerator(seed: seed)
        let ll = Matrix(rows: 6, columns: 3, values: (0..<18).map { _ in -3 * g.uniform() - 0.1 })
        var pi = (0..<3).map { _ in g.uniform() + 0.1 }
        pi = pi.map { $0 / pi.reduce(0, +) }
        var a = Matrix(rows: 3, columns: 3)
        for r in 0..<3 {
            let row = (0..<3).map { _ in g.uniform() + 0.05 }
            for s in 0..<3 { a[r, s] = row[s] / row.reduce(0, +) }
        }
        return (ll, pi, a)
    }

    @Test("likelihood, state and pair posteriors and the Viterbi path equal enumeration over all 3⁶ paths", arguments: [1, 2, 3] as [UInt64])
    func enumeration(seed: UInt64) {
        let (ll, pi, a) = tiny(seed: seed)
        var total = 0.0, bestScore = -Double.infinity, bestPath: [Int] = []
        var marginal = Matrix(rows: 6, columns: 3), pairs = Matrix(rows: 3, columns: 3)
        var paths: [([Int], Double)] = []
        for code in 0..<729 {
            var path = [Int](), c = code
            for _ in 0..<6 { path.append(c % 3); c /= 3 }
            var logp = log(pi[path[0]]) + ll[0, path[0]]
            for t in 1..<6 { logp += log(a[path[t - 1], path[t]]) + ll[t, path[t]] }
            paths.append((path, logp))
            total += exp(logp)
            if logp > bestScore { bestScore = logp; bestPath = path }
        }
        for (path, logp) in paths {
            let w = exp(logp) / total
            for t in 0..<6 { marginal[t, path[t]] += w }
            for t in 0..<5 { pairs[path[t], path[t + 1]] += w }
        }
        let fb = HMMInference.forwardBackward(ll, initial: pi, transition: a)
        #expect(abs(fb.logLikelihood - log(total)) < 1e-12)
        #expect(TestSupport.maxAbsDifference(fb.states.values, marginal.values) < 1e-12)
        #expect(TestSupport.maxAbsDifference(fb.transitions.values, pairs.values) < 1e-12)
        let v = HMMInference.viterbi(ll, initial: pi, transition: a)
        #expect(v.path == bestPath)
        #expect(abs(v.logProbability - bestScore) < 1e-12)
    }

    @Test("scaling keeps long sequences finite (10 000 bins of very unlikely data)")
    func longSequence() {
        let ll = Matrix(rows: 10_000, columns: 2, values: (0..<20_000).map { -800 - Double($0 % 7) })
        let a = Matrix(rows: 2, columns: 2, values: [0.9, 0.1, 0.2, 0.8])
        let fb = HMMInference.forwardBackward(ll, initial: [0.5, 0.5], transition: a)
        #expect(fb.logLikelihood.isFinite && fb.logLikelihood < -8_000_000)
        #expect(fb.states.values.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
    }

    @Test("the exponential history basis is the reference's: φ_k ∝ e^{−k}, k = 1…5, summing to 1; filtering is causal")
    func basis() {
        let b = HistoryBasis.exponential()
        #expect(b.functions.count == 1 && b.functions[0].count == 5)
        #expect(abs(b.functions[0].reduce(0, +) - 1) < 1e-15)
        #expect(abs(b.functions[0][0] / b.functions[0][1] - M_E) < 1e-12)
        let spikes = Matrix(rows: 8, columns: 1, values: [0, 0, 1, 0, 0, 0, 0, 0])
        let h = b.filter(spikes)
        #expect(h[2, 0] == 0 && abs(h[3, 0] - b.functions[0][0]) < 1e-15 && abs(h[7, 0] - b.functions[0][4]) < 1e-15)
    }
}

@Suite("Vectorised softplus-Poisson emission")
struct EmissionBlockTests {
    @Test("the block form equals the scalar value and derivatives within a few ulps, for counts 0–5 and η in ±40")
    func blockMatchesScalar() {
        var g = SeededGenerator(seed: 5)
        let n = 2003
        let x = (0..<n).map { _ in Double(Int(g.uniform() * 6)) }, eta = (0..<n).map { _ in (g.uniform() - 0.5) * 80 }
        var value = [Double](repeating: 0, count: n), first = value, second = value, only = value
        var scratch = [Double](repeating: 0, count: 2 * n)
        Emission.softplusPoissonBlock(x: x, eta: eta, count: n, value: &value, first: &first, second: &second)
        Emission.softplusPoissonValues(x: x, eta: eta, count: n, value: &only, scratch: &scratch)
        let emission = Emission.poisson(.softplus)
        func close(_ a: Double, _ b: Double) -> Bool { a == b || abs(a - b) <= 1e-13 * max(abs(a), abs(b), 1e-300) }
        for i in 0..<n {
            let (v, d1, d2) = emission.valueAndDerivatives(x[i], eta[i])
            // The curvature is a difference of two terms of size about x (they cancel for very negative η):
            // compare it at that scale.
            #expect(close(value[i], v) && close(first[i], d1) && abs(second[i] - d2) <= 1e-12 * (1 + x[i]), "x \(x[i]) η \(eta[i])")
            #expect(close(only[i], emission.logLikelihoodUpToConstant(x[i], eta[i])))
        }
    }
}
