import NeuroCore

/// A validated factorization problem: the data with missing entries zeroed, the weights, and the
/// weighted data the solvers read.
struct CPProblem {
    let shape: [Int]
    /// `W ⊙ X` (just `X` without weights), missing entries 0.
    let weightedData: [Double]
    /// Entry weights (nil: every entry observed with weight 1).
    let weights: [Double]?
    /// `Σ W X²`.
    let squaredNorm: Double

    /// Checks `tensor`, `weights` and `options` and prepares the problem. Entries with weight 0 may hold
    /// anything (NaN included); observed entries must be finite, and non-negative when every mode is.
    init(_ tensor: DenseTensor, weights: [Double]?, options: CPOptions, requireObservedSlices: Bool = true) throws {
        let shape = tensor.shape
        guard shape.count >= 2 else { throw TensorError.orderTooSmall(shape) }
        guard options.rank >= 1 else { throw TensorError.rankTooSmall(options.rank) }
        let maximum = (0..<shape.count).map { n in shape.enumerated().filter { $0.offset != n }.map(\.element).reduce(1, *) }.min() ?? 0
        guard options.rank <= maximum else { throw TensorError.rankTooLarge(options.rank, maximum: maximum, shape: shape) }
        guard !(0..<shape.count).allSatisfy({ options.fixedModes.contains($0) }) else { throw TensorError.allModesFixed }
        if let w = weights, w.count != tensor.count {
            throw TensorError.shapeMismatch(what: "mask", expected: shape, found: [w.count])
        }
        let allNonnegative = (0..<shape.count).allSatisfy { options.isNonnegative($0) }
        var data = tensor.values
        var total = 0.0
        var observed = 0
        for k in data.indices {
            let w = weights?[k] ?? 1
            guard w >= 0, w.isFinite else { throw TensorError.negativeWeight(index: tensor.index(of: k)) }
            if w == 0 { data[k] = 0; continue }
            let x = data[k]
            guard x.isFinite else { throw TensorError.nonFinite(index: tensor.index(of: k)) }
            if allNonnegative && x < 0 { throw TensorError.negativeEntry(index: tensor.index(of: k), value: x) }
            data[k] = w * x
            total += w * x * x
            observed += 1
        }
        guard observed > 0 else { throw TensorError.nothingObserved }
        if let w = weights, requireObservedSlices {
            for (n, size) in shape.enumerated() {
                let sums = sliceSums(w, shape: shape, mode: n)
                if let empty = (0..<size).first(where: { sums[$0] == 0 }) { throw TensorError.emptySlice(mode: n, index: empty) }
            }
        }
        self.shape = shape
        self.weights = weights
        weightedData = data
        squaredNorm = total
    }

    /// The normal equations of `mode` at the current factors.
    func normalEquations(_ factors: [Matrix], mode: Int) -> NormalEquations {
        let b = mttkrp(weightedData, shape: shape, factors: factors, mode: mode)
        if let weights {
            return NormalEquations(b: b, perRow: maskedGrams(weights: weights, shape: shape, factors: factors, mode: mode))
        }
        return NormalEquations(b: b, shared: khatriRaoGram(factors, excluding: mode))
    }

    /// Relative error `‖W⊙(X − M)‖ / ‖W⊙X‖` from the normal equations of the last updated mode and its
    /// updated factor: `Σ W X² − 2 Σ b ⊙ a + Σ a G aᵀ` (TensorLy's shortcut, extended to masks).
    func relativeError(_ eq: NormalEquations, _ a: Matrix) -> Double {
        let residual = squaredNorm - 2 * eq.innerProduct(a) + eq.modelSquaredNorm(a)
        return (max(residual, 0) / squaredNorm).squareRoot()
    }
}

/// Sum of `values` over every index but `mode`, for each index of `mode`.
func sliceSums(_ values: [Double], shape: [Int], mode: Int) -> [Double] {
    let size = shape[mode]
    let trailing = shape[(mode + 1)...].reduce(1, *)
    var sums = [Double](repeating: 0, count: size)
    values.withUnsafeBufferPointer { v in
        for k in 0..<v.count { sums[(k / trailing) % size] += v[k] }
    }
    return sums
}
