import NeuroCore
@testable import NeuroTensor

/// Planted low-rank non-negative tensors with known factors, for recovery tests.
struct Planted {
    var truth: KruskalTensor
    var tensor: DenseTensor

    /// Factors uniform in [0, 1) with a few entries boosted so components are distinct, plus Gaussian
    /// noise of relative size `noise` (kept non-negative by folding).
    init(shape: [Int], rank: Int, noise: Double, seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        let factors = shape.map { size -> Matrix in
            var m = Matrix(rows: size, columns: rank)
            for i in 0..<size { for r in 0..<rank { m[i, r] = g.uniform() < 0.3 ? 1 + g.uniform() : 0.1 * g.uniform() } }
            return m
        }
        truth = KruskalTensor(factors: factors)
        var clean = truth.full()
        let scale = clean.norm / Double(clean.count).squareRoot()
        for k in clean.values.indices { clean.values[k] = abs(clean.values[k] + noise * scale * g.normal()) }
        tensor = clean
    }

    /// A 0/1 mask with about `fraction` of the entries missing.
    func mask(missing fraction: Double, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return tensor.values.map { _ in g.uniform() < fraction ? 0 : 1 }
    }
}

/// Reference MTTKRP by definition: loop over every entry.
func naiveMTTKRP(_ x: DenseTensor, _ factors: [Matrix], mode: Int) -> Matrix {
    let rank = factors[0].columns
    var m = Matrix(rows: x.shape[mode], columns: rank)
    for k in 0..<x.count {
        let index = x.index(of: k)
        for r in 0..<rank {
            var p = x.values[k]
            for (n, a) in factors.enumerated() where n != mode { p *= a[index[n], r] }
            m[index[mode], r] += p
        }
    }
    return m
}

func randomMatrix(_ rows: Int, _ columns: Int, _ g: inout SeededGenerator) -> Matrix {
    Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in g.uniform() - 0.3 })
}
