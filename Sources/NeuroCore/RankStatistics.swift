/// Rank-based statistics shared by the analyses (representational similarity, connectome comparison).
public enum RankStatistics {
    /// Ranks 1…n with ties given their average rank (`scipy.stats.rankdata`).
    public static func averageRanks(_ v: [Double]) -> [Double] {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var ranks = [Double](repeating: 0, count: v.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            for k in i...j { ranks[order[k]] = Double(i + j) / 2 + 1 }
            i = j + 1
        }
        return ranks
    }

    /// Spearman's ρ: Pearson correlation of the average ranks (`scipy.stats.spearmanr`).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "spearman: samples of different sizes")
        let rx = averageRanks(x), ry = averageRanks(y)
        let n = Double(x.count), mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(rx, ry) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Area under the ROC curve of `scores` for `labels` (Mann–Whitney U / (n₊ n₋), ties counted half);
    /// NaN without both classes.
    public static func rocAUC(_ scores: [Double], _ labels: [Bool]) -> Double {
        let ranks = averageRanks(scores)
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return .nan }
        let rankSum = zip(ranks, labels).filter { $0.1 }.reduce(0) { $0 + $1.0 }
        return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }
}
