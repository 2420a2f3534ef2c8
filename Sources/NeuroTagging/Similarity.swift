import Foundation
import NeuroCore

/// Representational similarity: condition × condition distances and their comparison across sources.
public enum RepresentationalSimilarity {
    /// Cosine distances `1 − a·b / (|a||b|)` between every pair of condition vectors
    /// (`scipy.spatial.distance.cosine`).
    public static func cosineDistances(_ vectors: [[Double]]) -> [[Double]] {
        vectors.map { a in
            vectors.map { b in
                var dot = 0.0, na = 0.0, nb = 0.0
                for (x, y) in zip(a, b) { dot += x * y; na += x * x; nb += y * y }
                return 1 - dot / (na.squareRoot() * nb.squareRoot())
            }
        }
    }

    /// Spearman's ρ between the strict upper triangles (row-major) of two matrices of the same size.
    public static func spearman(_ a: [[Double]], _ b: [[Double]]) -> Double {
        func upper(_ m: [[Double]]) -> [Double] {
            m.indices.flatMap { i in ((i + 1)..<m.count).map { m[i][$0] } }
        }
        return spearman(upper(a), upper(b))
    }

    /// Spearman's ρ of two samples (average ranks for ties).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double { RankStatistics.spearman(x, y) }
}
