import NeuroCore
import NeuroTestSupport
import Testing
@testable import NeuroTensor

@Suite("Tensor kernels: Khatri–Rao, MTTKRP, masked Grams, reconstruction, assignment")
struct KernelTests {
    @Test("MTTKRP equals the entry-by-entry definition on every mode of 3-, 4- and 5-way tensors (≤ 1e-12 relative)",
          arguments: [[7, 5, 6], [4, 3, 5, 6], [3, 2, 4, 2, 3], [9, 1, 4]])
    func mttkrpMatchesDefinition(shape: [Int]) {
        var g = SeededGenerator(seed: UInt64(shape.reduce(0, +)))
        let x = DenseTensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in g.normal() })
        let factors = shape.map { randomMatrix($0, 3, &g) }
        for mode in shape.indices {
            let fast = mttkrp(x.values, shape: shape, factors: factors, mode: mode)
            let slow = naiveMTTKRP(x, factors, mode: mode)
            let scale = slow.values.map(abs).max() ?? 1
            #expect(TestSupport.maxAbsDifference(fast.values, slow.values) <= 1e-12 * scale, "mode \(mode) of \(shape)")
        }
    }

    @Test("masked per-row Grams equal Σ_j w_ij k_j k_jᵀ by definition (≤ 1e-12)")
    func maskedGramsMatchDefinition() {
        let shape = [4, 5, 3]
        var g = SeededGenerator(seed: 11)
        let w = (0..<60).map { _ in g.uniform() < 0.3 ? 0.0 : 1.0 }
        let factors = shape.map { randomMatrix($0, 3, &g) }
        let t = DenseTensor(shape: shape, values: w)
        for mode in 0..<3 {
            let grams = maskedGrams(weights: w, shape: shape, factors: factors, mode: mode)
            var expected = [Double](repeating: 0, count: shape[mode] * 9)
            for k in 0..<60 where w[k] != 0 {
                let index = t.index(of: k)
                var kr = [Double](repeating: 1, count: 3)
                for n in 0..<3 where n != mode { for r in 0..<3 { kr[r] *= factors[n][index[n], r] } }
                for r in 0..<3 { for s in 0..<3 { expected[index[mode] * 9 + r * 3 + s] += kr[r] * kr[s] } }
            }
            #expect(TestSupport.maxAbsDifference(grams, expected) <= 1e-12, "mode \(mode)")
        }
    }

    @Test("full() equals Σ_r λ_r a_r ∘ b_r ∘ c_r; normalized() keeps the tensor and sorts weights")
    func reconstruction() {
        var g = SeededGenerator(seed: 3)
        let model = KruskalTensor(weights: [2, 5, 1], factors: [randomMatrix(4, 3, &g), randomMatrix(3, 3, &g), randomMatrix(5, 3, &g)])
        let full = model.full()
        var expected = [Double](repeating: 0, count: 60)
        for k in 0..<60 {
            let i = full.index(of: k)
            for r in 0..<3 { expected[k] += model.weights[r] * model.factors[0][i[0], r] * model.factors[1][i[1], r] * model.factors[2][i[2], r] }
        }
        #expect(TestSupport.maxAbsDifference(full.values, expected) <= 1e-13)
        let n = model.normalized()
        #expect(TestSupport.maxAbsDifference(n.full().values, expected) <= 1e-13)
        #expect(n.weights == n.weights.sorted(by: >))
        for a in n.factors { for r in 0..<3 { #expect(abs(a.column(r).reduce(0) { $0 + $1 * $1 } - 1) < 1e-12) } }
        #expect(abs(model.squaredNorm - expected.reduce(0) { $0 + $1 * $1 }) <= 1e-10 * model.squaredNorm)
    }

    @Test("optimal assignment equals brute force over all permutations", arguments: [(5, 5), (3, 6), (1, 4), (6, 6)])
    func hungarian(size: (Int, Int)) {
        var g = SeededGenerator(seed: UInt64(size.0 * 10 + size.1))
        for _ in 0..<20 {
            let cost = (0..<size.0).map { _ in (0..<size.1).map { _ in g.uniform() } }
            let assignment = optimalAssignment(cost: cost)
            #expect(Set(assignment).count == size.0)
            let total = assignment.enumerated().reduce(0.0) { $0 + cost[$1.offset][$1.element] }
            var best = Double.infinity
            func search(_ row: Int, _ used: Set<Int>, _ sum: Double) {
                if row == size.0 { best = min(best, sum); return }
                for j in 0..<size.1 where !used.contains(j) { search(row + 1, used.union([j]), sum + cost[row][j]) }
            }
            search(0, [], 0)
            #expect(abs(total - best) < 1e-12)
        }
    }

    @Test("factor match score: 1 for a permuted, rescaled copy; lower for a different model; alignment restores order")
    func factorMatch() {
        let p = Planted(shape: [6, 5, 4], rank: 3, noise: 0, seed: 5)
        var shuffled = p.truth.permutingComponents([2, 0, 1])
        for r in 0..<3 { for i in 0..<6 { shuffled.factors[0][i, r] *= 3 }; for i in 0..<4 { shuffled.factors[2][i, r] /= 3 } }
        let match = factorMatchScore(shuffled, reference: p.truth)
        #expect(abs(match.score - 1) < 1e-12)
        #expect(match.assignment == [1, 2, 0])
        let other = Planted(shape: [6, 5, 4], rank: 3, noise: 0, seed: 99).truth
        #expect(factorMatchScore(other, reference: p.truth).score < 0.9)
        let back = aligned(shuffled, to: p.truth)
        #expect(abs(factorMatchScore(back, reference: p.truth).score - 1) < 1e-12)
        #expect(factorMatchScore(back, reference: p.truth).assignment == [0, 1, 2])
    }
}

@Suite("Dimension-tree MTTKRP")
struct DimensionTreeTests {
    @Test("every mode's MTTKRP equals the direct one (≤ 1e-12 relative), and products are reused only while valid",
          arguments: [[7, 5, 6], [4, 3, 5, 6], [3, 2, 4, 2, 3], [2, 9]])
    func matchesDirect(shape: [Int]) {
        var g = SeededGenerator(seed: 17)
        let x = (0..<shape.reduce(1, *)).map { _ in g.normal() }
        var factors = shape.map { randomMatrix($0, 4, &g) }
        var tree = DimensionTree(shape: shape)
        var versions = [Int](repeating: 0, count: shape.count)
        for sweep in 0..<2 {
            for mode in shape.indices {
                let fast = tree.mttkrp(x, factors: factors, versions: versions, mode: mode)
                let direct = mttkrp(x, shape: shape, factors: factors, mode: mode)
                let scale = direct.values.map(abs).max() ?? 1
                #expect(TestSupport.maxAbsDifference(fast.values, direct.values) <= 1e-12 * scale, "sweep \(sweep) mode \(mode) of \(shape)")
                // Change the factor, as a solver would, before the next mode.
                factors[mode] = randomMatrix(shape[mode], 4, &g)
                versions[mode] += 1
            }
        }
    }
}

