import NeuroCore
import NeuroGraph
import Testing

/// Weighted planted-partition graphs: communities of unequal sizes, edges present with probability
/// p_in / p_out and weights drawn from different distributions inside and between communities.
func plantedPartition(sizes: [Int], pIn: Double, pOut: Double, seed: UInt64) -> (Matrix, [Int]) {
    var g = SeededGenerator(seed: seed)
    let truth = sizes.enumerated().flatMap { [Int](repeating: $0.offset, count: $0.element) }
    let n = truth.count
    var w = Matrix(rows: n, columns: n)
    for i in 0..<n {
        for j in (i + 1)..<n {
            let same = truth[i] == truth[j]
            guard g.uniform() < (same ? pIn : pOut) else { continue }
            let weight = same ? 0.5 + g.uniform() : 0.2 + 0.6 * g.uniform()
            w[i, j] = weight
            w[j, i] = weight
        }
    }
    return (w, truth)
}

@Suite("Community detection on weighted graphs (Louvain modularity)")
struct CommunityTests {
    @Test("NMI with the planted partition: 1 when well separated, ≥ 0.9 at moderate mixing",
          arguments: [(0.5, 0.01, 0.999), (0.4, 0.04, 0.9), (0.5, 0.06, 0.9)])
    func planted(pIn: Double, pOut: Double, minimum: Double) {
        // Sizes stay above modularity's resolution limit (Fortunato & Barthélemy 2007): at γ = 1, much
        // smaller communities of such a graph are merged, which docs/ARCHITECTURE.md notes.
        for seed in UInt64(1)...3 {
            let (w, truth) = plantedPartition(sizes: [40, 30, 25, 20, 15], pIn: pIn, pOut: pOut, seed: seed)
            let found = louvainCommunities(w, seed: seed)
            let nmi = normalizedMutualInformation(found, truth)
            #expect(nmi >= minimum, "p_in \(pIn) p_out \(pOut) seed \(seed): NMI \(nmi)")
            // The optimiser finds at least the planted partition's modularity (up to a small slack).
            #expect(modularity(w, found) >= modularity(w, truth) - 0.01)
        }
    }

    @Test("a random graph has little modularity to find; NMI of unrelated partitions is 0")
    func unstructured() {
        let (w, _) = plantedPartition(sizes: [30, 30, 30], pIn: 0.2, pOut: 0.2, seed: 9)
        let (structured, _) = plantedPartition(sizes: [30, 30, 30], pIn: 0.4, pOut: 0.03, seed: 9)
        #expect(modularity(w, louvainCommunities(w)) < 0.3)
        #expect(modularity(structured, louvainCommunities(structured)) > 0.5)
        #expect(abs(normalizedMutualInformation([0, 0, 1, 1], [1, 1, 0, 0]) - 1) < 1e-12)
        #expect(abs(normalizedMutualInformation([0, 1, 0, 1], [0, 0, 1, 1])) < 1e-12)
    }

    @Test("deterministic for a seed; labels ordered by community size; isolated nodes stand alone")
    func conventions() {
        var (w, _) = plantedPartition(sizes: [20, 10], pIn: 0.6, pOut: 0.01, seed: 4)
        for j in 0..<30 { w[29, j] = 0; w[j, 29] = 0 }
        let a = louvainCommunities(w, seed: 5)
        #expect(a == louvainCommunities(w, seed: 5))
        #expect(a.filter { $0 == 0 }.count >= a.filter { $0 == 1 }.count)
        #expect(a.filter { $0 == a[29] }.count == 1)
        // modularity() by definition on a two-node graph: one edge, two singletons → Q = −1/2.
        let pair = Matrix(rows: 2, columns: 2, values: [0, 1, 1, 0])
        #expect(abs(modularity(pair, [0, 1]) + 0.5) < 1e-15)
        #expect(abs(modularity(pair, [0, 0])) < 1e-15)
    }
}
