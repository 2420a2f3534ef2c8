import Foundation
import NeuroCore
@testable import NeuroHMM
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
    /// A block of 37 bins × 7 neurons stored inside a wider matrix (row stride 9), counts 0–5, η in ±40,
    /// and posterior weights including zero and sub-threshold (≤ 1e-12) rows.
    struct Block {
        let rows = 37, columns = 7, stride = 9
        var x: [Double], eta: [Double], gamma: [Double]
        init(seed: UInt64) {
            var g = SeededGenerator(seed: seed)
            x = (0..<(37 * 9)).map { _ in Double(Int(g.uniform() * 6)) }
            eta = (0..<(37 * 9)).map { _ in (g.uniform() - 0.5) * 80 }
            gamma = (0..<37).map { r in r % 11 == 0 ? 0 : r % 13 == 0 ? 1e-13 : g.uniform() }
        }
    }

    func close(_ a: Double, _ b: Double, scale: Double = 1) -> Bool { a == b || abs(a - b) <= 1e-13 * max(abs(a), abs(b), scale * 1e-300) }

    @Test("the weighted kernel (vector and scalar forms) equals γ times the scalar value and derivatives within a few ulps",
          arguments: [true, false])
    func weightedMatchesScalar(vectorised: Bool) {
        let b = Block(seed: 5), emission = Emission.poisson(.softplus)
        let outStride = 8
        var first = [Double](repeating: .nan, count: b.rows * outStride), curvature = first
        var totals = [Double](repeating: 1, count: b.columns)   // added to, not cleared
        Emission.softplusPoissonWeighted(BlockLayout(rows: b.rows, columns: b.columns), x: b.x, xStride: b.stride,
                                         eta: b.eta, etaStride: b.stride, gamma: b.gamma, first: &first,
                                         curvature: &curvature, outStride: outStride, totals: &totals, vectorised: vectorised)
        var expected = [Double](repeating: 1, count: b.columns)
        for r in 0..<b.rows {
            let g = b.gamma[r] > 1e-12 ? b.gamma[r] : 0
            for j in 0..<b.columns {
                let x = b.x[r * b.stride + j], eta = b.eta[r * b.stride + j]
                let (v, d1, d2) = emission.valueAndDerivatives(x, eta)
                expected[j] += g * v
                // ℓ′ = (x/λ − 1) σ: near x = λ the difference cancels, so allow an absolute floor there.
                #expect(abs(first[r * outStride + j] - g * d1) <= 1e-13 * abs(g * d1) + 1e-15 * g, "x \(x) η \(eta)")
                // The curvature is a difference of two terms of size about x (they cancel for very
                // negative η): compare it at that scale.
                #expect(abs(curvature[r * outStride + j] - g * max(-d2, 1e-10)) <= 1e-12 * (1 + x) * g, "x \(x) η \(eta)")
            }
            #expect(first[r * outStride + b.columns].isNaN, "a column outside the block was written")
        }
        for j in 0..<b.columns { #expect(abs(totals[j] - expected[j]) <= 1e-12 * max(1, abs(expected[j])), "column \(j)") }
    }

    @Test("the row sums (vector and scalar forms) equal the sums of the scalar log-likelihoods", arguments: [true, false])
    func rowSumsMatchScalar(vectorised: Bool) {
        let b = Block(seed: 6), emission = Emission.poisson(.softplus)
        var sums = [Double](repeating: .nan, count: b.rows)
        Emission.softplusPoissonRowSums(BlockLayout(rows: b.rows, columns: b.columns), x: b.x, xStride: b.stride,
                                        eta: b.eta, etaStride: b.stride, sums: &sums, vectorised: vectorised)
        for r in 0..<b.rows {
            let expected = (0..<b.columns).reduce(0.0) { $0 + emission.logLikelihoodUpToConstant(b.x[r * b.stride + $1], b.eta[r * b.stride + $1]) }
            #expect(abs(sums[r] - expected) <= 1e-12 * max(1, abs(expected)), "row \(r)")
        }
    }

    @Test("a row longer than the kernel's tile (300 neurons) is evaluated whole")
    func longRows() {
        var g = SeededGenerator(seed: 7)
        let rows = 3, columns = 300
        let x = (0..<(rows * columns)).map { _ in Double(Int(g.uniform() * 4)) }, eta = (0..<(rows * columns)).map { _ in g.uniform() * 6 - 3 }
        var sums = [Double](repeating: 0, count: rows), first = [Double](repeating: 0, count: rows * columns), curvature = first
        var totals = [Double](repeating: 0, count: columns)
        Emission.softplusPoissonRowSums(BlockLayout(rows: rows, columns: columns), x: x, xStride: columns, eta: eta, etaStride: columns, sums: &sums)
        Emission.softplusPoissonWeighted(BlockLayout(rows: rows, columns: columns), x: x, xStride: columns, eta: eta, etaStride: columns,
                                         gamma: [1, 1, 1], first: &first, curvature: &curvature, outStride: columns, totals: &totals)
        let emission = Emission.poisson(.softplus)
        for r in 0..<rows {
            let expected = (0..<columns).reduce(0.0) { $0 + emission.logLikelihoodUpToConstant(x[r * columns + $1], eta[r * columns + $1]) }
            #expect(abs(sums[r] - expected) <= 1e-11 * max(1, abs(expected)))
        }
        for j in [0, 255, 256, 299] {
            let expected = (0..<rows).reduce(0.0) { $0 + emission.logLikelihoodUpToConstant(x[$1 * columns + j], eta[$1 * columns + j]) }
            #expect(abs(totals[j] - expected) <= 1e-12 * max(1, abs(expected)), "column \(j)")
            #expect(close(first[2 * columns + j], emission.valueAndDerivatives(x[2 * columns + j], eta[2 * columns + j]).first))
        }
    }
}
