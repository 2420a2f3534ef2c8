import NeuroCore

/// Communities of a weighted undirected graph by modularity optimisation (Louvain method, Blondel et al.
/// 2008), as the Brain Connectivity Toolbox's `community_louvain` does.
///
/// `weights` is a symmetric non-negative n × n matrix (the diagonal counts as self-loops). Nodes are
/// visited in an order drawn from `seed`, so the result is reproducible. `resolution` γ scales the null
/// model (γ > 1: more, smaller communities). Louvain is greedy, so it runs `restarts` times (node
/// orders from the seed) and keeps the partition of highest modularity; as BCT recommends, each run
/// re-optimises the final partition on the original graph until it stops changing. Returns a
/// community index per node, numbered 0, 1, … by decreasing community size (ties by first node).
/// Isolated nodes each get their own community.
public func louvainCommunities(_ weights: Matrix, resolution: Double = 1, seed: UInt64 = 0, restarts: Int = 10) -> [Int] {
    let n = weights.rows
    precondition(weights.columns == n, "louvainCommunities: the affinity matrix must be square")
    guard n > 0 else { return [] }
    var best: [Int] = [], bestQ = -Double.infinity
    for run in 0..<max(restarts, 1) {
        var generator = SeededGenerator(seed: seed, stream: run)
        var membership = Array(0..<n)
        // Rounds: local moving and aggregation from the current partition, until nothing changes.
        for _ in 0..<20 {
            var graph = aggregate(weights, membership, count: (membership.max() ?? -1) + 1)
            var round = Array(0..<graph.rows)
            while true {
                let local = moveNodes(graph, resolution: resolution, generator: &generator)
                let count = (local.max() ?? -1) + 1
                if count == graph.rows { break }
                round = round.map { local[$0] }
                graph = aggregate(graph, local, count: count)
            }
            let next = renumberedBySize(membership.map { round[$0] })
            // Refinement: single nodes of the original graph may still gain by moving.
            let refined = renumberedBySize(moveNodes(weights, resolution: resolution, generator: &generator, start: next))
            if refined == renumberedBySize(membership) { break }
            membership = refined
        }
        let q = modularity(weights, membership, resolution: resolution)
        if q > bestQ + 1e-12 { best = membership; bestQ = q }
    }
    return best
}

/// Modularity `Q = Σ_c [ W_in(c) / 2m − γ (W_tot(c) / 2m)² ]` of a partition.
public func modularity(_ weights: Matrix, _ communities: [Int], resolution: Double = 1) -> Double {
    let n = weights.rows
    let total = weights.values.reduce(0, +)
    guard total > 0 else { return 0 }
    let count = (communities.max() ?? -1) + 1
    var inside = [Double](repeating: 0, count: count), degree = [Double](repeating: 0, count: count)
    for i in 0..<n {
        for j in 0..<n {
            let w = weights[i, j]
            degree[communities[i]] += w
            if communities[i] == communities[j] { inside[communities[i]] += w }
        }
    }
    return (0..<count).reduce(0) { $0 + inside[$1] / total - resolution * (degree[$1] / total) * (degree[$1] / total) }
}

/// Phase one: move single nodes to the neighbouring community with the best modularity gain until no
/// move helps. Returns the community of each node, numbered 0..<k.
private func moveNodes(_ w: Matrix, resolution: Double, generator: inout SeededGenerator, start: [Int]? = nil) -> [Int] {
    let n = w.rows
    let total = w.values.reduce(0, +)
    var community = start ?? Array(0..<n)
    guard total > 0 else { return community }
    let degree = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + w[i, $1] } }
    var communityDegree = [Double](repeating: 0, count: n)
    for i in 0..<n { communityDegree[community[i]] += degree[i] }
    var order = Array(0..<n)
    for k in stride(from: n - 1, to: 0, by: -1) { order.swapAt(k, generator.index(below: k + 1)) }
    var linkTo = [Double](repeating: 0, count: n)
    var moved = true
    var passes = 0
    while moved && passes < 100 {
        moved = false
        passes += 1
        for i in order {
            let own = community[i]
            var neighbours: [Int] = []
            for j in 0..<n where j != i && w[i, j] > 0 {
                if linkTo[community[j]] == 0 { neighbours.append(community[j]) }
                linkTo[community[j]] += w[i, j]
            }
            communityDegree[own] -= degree[i]
            // Gain of joining c (after leaving own): k_i,in(c) − γ Σ_tot(c) k_i / 2m, doubled terms cancel.
            var best = own
            var bestGain = linkTo[own] - resolution * communityDegree[own] * degree[i] / total
            for c in neighbours where c != own {
                let gain = linkTo[c] - resolution * communityDegree[c] * degree[i] / total
                if gain > bestGain + 1e-12 * total { best = c; bestGain = gain }
            }
            communityDegree[best] += degree[i]
            if best != own { community[i] = best; moved = true }
            for c in neighbours { linkTo[c] = 0 }
            linkTo[own] = 0
        }
    }
    // Renumber 0..<k in order of first appearance.
    var map = [Int: Int]()
    return community.map { c in
        if let m = map[c] { return m }
        map[c] = map.count
        return map[c]!
    }
}

/// Phase two: one node per community, edge weights summed (internal weight becomes a self-loop).
private func aggregate(_ w: Matrix, _ community: [Int], count: Int) -> Matrix {
    var out = Matrix(rows: count, columns: count)
    for i in 0..<w.rows { for j in 0..<w.columns where w[i, j] != 0 { out[community[i], community[j]] += w[i, j] } }
    return out
}

private func renumberedBySize(_ labels: [Int]) -> [Int] {
    var size = [Int: Int](), first = [Int: Int]()
    for (i, c) in labels.enumerated() { size[c, default: 0] += 1; if first[c] == nil { first[c] = i } }
    let order = size.keys.sorted { size[$0]! > size[$1]! || (size[$0]! == size[$1]! && first[$0]! < first[$1]!) }
    let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    return labels.map { rank[$0]! }
}
