import Foundation

/// Normalized mutual information of two partitions of the same nodes, `2 I(A;B) / (H(A) + H(B))`
/// (the arithmetic normalisation, scikit-learn's default `normalized_mutual_info_score`). 1 for
/// identical partitions up to relabelling; 1 when both are a single community.
public func normalizedMutualInformation(_ a: [Int], _ b: [Int]) -> Double {
    precondition(a.count == b.count, "normalizedMutualInformation: partitions of different sizes")
    let n = Double(a.count)
    guard n > 0 else { return 1 }
    var joint = [[Int]: Double](), pa = [Int: Double](), pb = [Int: Double]()
    for (x, y) in zip(a, b) {
        joint[[x, y], default: 0] += 1 / n
        pa[x, default: 0] += 1 / n
        pb[y, default: 0] += 1 / n
    }
    func entropy(_ p: [Int: Double]) -> Double { -p.values.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) } }
    let ha = entropy(pa), hb = entropy(pb)
    guard ha + hb > 0 else { return 1 }
    var mutual = 0.0
    for (key, p) in joint where p > 0 { mutual += p * log(p / (pa[key[0]]! * pb[key[1]]!)) }
    return max(0, min(1, 2 * mutual / (ha + hb)))
}
