import NeuroCore
import NeuroLinAlg

/// A CP (Kruskal) tensor: `Σ_r weights[r] · a⁽⁰⁾_r ∘ a⁽¹⁾_r ∘ …`, one factor matrix (size × rank) per mode.
public struct KruskalTensor: Equatable, Sendable {
    /// Scale of each component; one entry per factor column.
    public var weights: [Double]
    /// One factor matrix per mode, `size × rank`, in the order of the modes.
    public var factors: [Matrix]

    /// A Kruskal tensor from its parts; traps unless there is at least one factor, each with `weights.count` columns.
    public init(weights: [Double], factors: [Matrix]) {
        precondition(!factors.isEmpty && factors.allSatisfy { $0.columns == weights.count }, "KruskalTensor: rank mismatch")
        self.weights = weights
        self.factors = factors
    }

    /// Unit weights.
    public init(factors: [Matrix]) {
        self.init(weights: [Double](repeating: 1, count: factors.first?.columns ?? 0), factors: factors)
    }

    /// Number of components (`weights.count`).
    public var rank: Int { weights.count }
    /// Size of each mode of the represented tensor: the row count of each factor.
    public var shape: [Int] { factors.map(\.rows) }

    /// The dense tensor it represents: `X₍₀₎ = A⁽⁰⁾ · diag(weights) · KhatriRao(A⁽¹⁾, …)ᵀ`, one `dgemm`.
    public func full() -> DenseTensor {
        var first = factors[0]
        for i in 0..<first.rows { for r in 0..<rank { first[i, r] *= weights[r] } }
        guard factors.count > 1 else {
            return DenseTensor(shape: shape, values: first.multiplied(by: [Double](repeating: 1, count: rank)))
        }
        let rest = khatriRao(Array(factors.dropFirst()))
        let unfolded = first.multiplied(by: rest.transposed)
        return DenseTensor(shape: shape, values: unfolded.values)
    }

    /// The same tensor with unit-norm factor columns, their norms gathered in `weights`, components sorted
    /// by decreasing weight (tensortools' and TensorLy's convention for reporting) unless `sorted` is false.
    public func normalized(sorted: Bool = true) -> KruskalTensor {
        var out = self
        for n in out.factors.indices {
            for r in 0..<rank {
                var norm = 0.0
                for i in 0..<out.factors[n].rows { norm += out.factors[n][i, r] * out.factors[n][i, r] }
                norm = norm.squareRoot()
                guard norm > 0 else { continue }
                for i in 0..<out.factors[n].rows { out.factors[n][i, r] /= norm }
                out.weights[r] *= norm
            }
        }
        guard sorted else { return out }
        let order = (0..<rank).sorted { out.weights[$0] > out.weights[$1] || (out.weights[$0] == out.weights[$1] && $0 < $1) }
        return out.permutingComponents(order)
    }

    /// Components reordered: component `r` of the result is component `order[r]` of `self`.
    public func permutingComponents(_ order: [Int]) -> KruskalTensor {
        KruskalTensor(weights: order.map { weights[$0] },
                      factors: factors.map { $0.selectingColumns(order) })
    }

    /// Squared Frobenius norm, from the factors' Gram matrices (no dense tensor).
    public var squaredNorm: Double {
        var product = Matrix(rows: rank, columns: rank, repeating: 1)
        for a in factors { product = hadamard(product, a.transposeMultiplied(by: a)) }
        var total = 0.0
        for r in 0..<rank { for s in 0..<rank { total += weights[r] * weights[s] * product[r, s] } }
        return total
    }
}

/// Element-wise product of two matrices of the same shape.
func hadamard(_ a: Matrix, _ b: Matrix) -> Matrix {
    var c = a
    for k in c.values.indices { c.values[k] *= b.values[k] }
    return c
}
