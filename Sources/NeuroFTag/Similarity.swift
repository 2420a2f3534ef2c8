import Foundation

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
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "spearman: samples of different sizes")
        let rx = ranks(x), ry = ranks(y)
        let n = Double(x.count)
        let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(rx, ry) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxy / (sxx * syy).squareRoot()
    }

    static func ranks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var ranks = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        return ranks
    }
}
