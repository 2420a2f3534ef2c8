import NeuroCore

/// How alike two CP models are, component by component after the best matching.
public struct FactorMatch: Sendable {
    /// Mean similarity of the matched components, in [0, 1] (1: the same model up to scaling/order).
    public var score: Double
    /// For each component of the reference, the matched component of the other model.
    public var assignment: [Int]
    /// Similarity of each matched pair.
    public var componentScores: [Double]
}

/// The factor match score of `model` against `reference` (tensortools' `kruskal_align` score, Tomasi &
/// Bro 2006): components are normalised, the similarity of a pair is the product over modes of the
/// absolute cosine of their factors, times `1 − |λ₁ − λ₂| / max(λ₁, λ₂)` for the weights when
/// `includeWeights`; the pairing maximises the total (Hungarian algorithm). The models may differ in
/// rank; unmatched components of the larger count as 0 only through the mean over the reference.
public func factorMatchScore(_ model: KruskalTensor, reference: KruskalTensor, includeWeights: Bool = true) -> FactorMatch {
    precondition(model.shape == reference.shape, "factorMatchScore: shapes differ")
    let a = reference.normalized(sorted: false), b = model.normalized(sorted: false)
    var similarity = [[Double]](repeating: [Double](repeating: 0, count: b.rank), count: a.rank)
    for i in 0..<a.rank {
        for j in 0..<b.rank {
            var s = 1.0
            for n in a.factors.indices {
                var dot = 0.0
                for k in 0..<a.factors[n].rows { dot += a.factors[n][k, i] * b.factors[n][k, j] }
                s *= abs(dot)
            }
            if includeWeights {
                let larger = max(a.weights[i], b.weights[j])
                s *= larger > 0 ? 1 - abs(a.weights[i] - b.weights[j]) / larger : 1
            }
            similarity[i][j] = s
        }
    }
    let transpose = a.rank > b.rank
    let cost: [[Double]] = transpose
        ? (0..<b.rank).map { j in (0..<a.rank).map { -similarity[$0][j] } }
        : similarity.map { $0.map { -$0 } }
    let matched = optimalAssignment(cost: cost)
    var assignment = [Int](repeating: -1, count: a.rank)
    if transpose { for (j, i) in matched.enumerated() { assignment[i] = j } } else { assignment = matched }
    let scores = assignment.enumerated().map { i, j in j >= 0 ? similarity[i][j] : 0 }
    return FactorMatch(score: scores.reduce(0, +) / Double(max(a.rank, 1)), assignment: assignment, componentScores: scores)
}

/// `model` with its components reordered (and factor signs flipped in pairs toward the reference) to match
/// `reference` as ``factorMatchScore(_:reference:includeWeights:)`` pairs them; both normalised.
/// Unmatched components of `model` follow in their original order.
public func aligned(_ model: KruskalTensor, to reference: KruskalTensor) -> KruskalTensor {
    let match = factorMatchScore(model, reference: reference, includeWeights: false)
    let normalized = model.normalized(sorted: false)
    var order = match.assignment.filter { $0 >= 0 }
    order += (0..<normalized.rank).filter { !order.contains($0) }
    var out = normalized.permutingComponents(order)
    let ref = reference.normalized(sorted: false)
    for r in 0..<min(out.rank, ref.rank) {
        // Flip factors pointing away from the reference, an even number of them so the tensor is unchanged.
        let dots = out.factors.indices.map { n in
            (0..<out.factors[n].rows).reduce(0.0) { $0 + out.factors[n][$1, r] * ref.factors[n][$1, r] }
        }
        var flips = dots.indices.filter { dots[$0] < 0 }
        if flips.count % 2 == 1, let weakest = flips.min(by: { abs(dots[$0]) < abs(dots[$1]) }) { flips.removeAll { $0 == weakest } }
        for n in flips { for k in 0..<out.factors[n].rows { out.factors[n][k, r] = -out.factors[n][k, r] } }
    }
    return out
}
