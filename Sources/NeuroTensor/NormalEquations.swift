import NeuroCore
import NeuroLinAlg

/// The least-squares problem for one factor matrix `A` (size × R) with the others held fixed:
/// minimise `Σ_i ‖…‖²` whose normal equations are `a_i G_i = b_i` for each row `i`.
///
/// Without a mask every row shares one Gram matrix (`⊛ AᵀA` of the other factors); with a mask each
/// row has its own (the weighted Gram of the Khatri–Rao rows it observes). `b` is the MTTKRP of the
/// (weighted) data.
struct NormalEquations {
    var b: Matrix
    /// Either one R×R matrix (`rowStride` 0) or `size × R × R` values (`rowStride` R²).
    var grams: [Double]
    var rowStride: Int
    var rank: Int { b.columns }

    init(b: Matrix, shared: Matrix) {
        self.b = b
        grams = shared.values
        rowStride = 0
    }

    init(b: Matrix, perRow: [Double]) {
        self.b = b
        grams = perRow
        rowStride = b.columns * b.columns
    }

    /// The Gram matrix of row `i`.
    func gram(_ i: Int) -> Matrix {
        let r = rank
        return Matrix(rows: r, columns: r, values: Array(grams[(i * rowStride)..<(i * rowStride + r * r)]))
    }

    /// `Σ_i a_i G_i a_iᵀ`: the squared (weighted) norm of the model, given the updated factor `a`.
    func modelSquaredNorm(_ a: Matrix) -> Double {
        let r = rank
        var total = 0.0
        grams.withUnsafeBufferPointer { g in
            for i in 0..<a.rows {
                let base = i * rowStride
                for p in 0..<r {
                    let ap = a[i, p]
                    guard ap != 0 else { continue }
                    var s = 0.0
                    for q in 0..<r { s += g[base + p * r + q] * a[i, q] }
                    total += ap * s
                }
            }
        }
        return total
    }

    /// `Σ b ⊙ a`: the inner product of the (weighted) data with the model.
    func innerProduct(_ a: Matrix) -> Double {
        var total = 0.0
        for k in a.values.indices { total += b.values[k] * a.values[k] }
        return total
    }
}

// MARK: - Factor updates, one per solver

/// HALS: `sweeps` passes of exact column-wise updates (TensorLy's `hals_nnls`), stopping early when a
/// pass changes the factor by less than 1e-8 of the first pass. `l1` is subtracted from the numerator.
func halsUpdate(_ a: inout Matrix, _ eq: NormalEquations, l1: Double, sweeps: Int) {
    let r = eq.rank, rows = a.rows, stride = eq.rowStride
    var firstChange = 0.0
    eq.grams.withUnsafeBufferPointer { g in
        eq.b.values.withUnsafeBufferPointer { b in
            a.values.withUnsafeMutableBufferPointer { av in
                for sweep in 0..<max(sweeps, 1) {
                    var change = 0.0
                    for i in 0..<rows {
                        let gi = i * stride, ai = i * r
                        for k in 0..<r {
                            let gkk = g[gi + k * r + k]
                            guard gkk != 0 else { continue }
                            var dot = 0.0
                            for s in 0..<r { dot += g[gi + k * r + s] * av[ai + s] }
                            let numerator = b[ai + k] - dot + gkk * av[ai + k] - l1
                            let updated = max(numerator / gkk, 0)
                            let d = av[ai + k] - updated
                            change += d * d
                            av[ai + k] = updated
                        }
                    }
                    if sweep == 0 { firstChange = change } else if change < 1e-8 * firstChange { break }
                }
            }
        }
    }
}

/// Multiplicative update `a ← a ⊙ max(b, ε) / max(aG + l1, ε)` (TensorLy's `non_negative_parafac`).
func multiplicativeUpdate(_ a: inout Matrix, _ eq: NormalEquations, l1: Double) {
    let r = eq.rank, stride = eq.rowStride, eps = Double.ulpOfOne
    var denominator = [Double](repeating: 0, count: r)
    for i in 0..<a.rows {
        let gi = i * stride
        for k in 0..<r {
            var s = 0.0
            for q in 0..<r { s += a[i, q] * eq.grams[gi + q * r + k] }
            denominator[k] = max(s + l1, eps)
        }
        for k in 0..<r { a[i, k] *= max(eq.b[i, k], eps) / denominator[k] }
    }
}

/// One projected gradient step from the extrapolated point `from` with step `1/L` (L the largest
/// eigenvalue of the shared Gram, or the Frobenius norm of each row's Gram under a mask).
func projectedGradientUpdate(_ a: inout Matrix, from y: Matrix, _ eq: NormalEquations, nonnegative: Bool, l1: Double) throws {
    let r = eq.rank, stride = eq.rowStride
    var sharedL = 0.0
    if stride == 0 { sharedL = try LinearSolve.symmetricEigen(eq.gram(0)).values.last ?? 0 }
    for i in 0..<a.rows {
        let gi = i * stride
        var lipschitz = sharedL
        if stride != 0 {
            var f = 0.0
            for q in 0..<(r * r) { f += eq.grams[gi + q] * eq.grams[gi + q] }
            lipschitz = f.squareRoot()
        }
        guard lipschitz > 0 else { a.setRow(i, y.row(i)); continue }
        for k in 0..<r {
            var gradient = -eq.b[i, k] + l1
            for q in 0..<r { gradient += y[i, q] * eq.grams[gi + q * r + k] }
            let step = y[i, k] - gradient / lipschitz
            a[i, k] = nonnegative ? max(step, 0) : step
        }
    }
}

/// Unconstrained least squares `a_i = b_i G_i⁻¹` (LU, as `numpy.linalg.solve`); a singular Gram gets a
/// tiny ridge (1e-12 of its trace) rather than failing.
func leastSquaresUpdate(_ a: inout Matrix, _ eq: NormalEquations) throws {
    if eq.rowStride == 0 {
        a = try solveRidged(eq.gram(0), eq.b.transposed).transposed
        return
    }
    for i in 0..<a.rows {
        let g = eq.gram(i)
        guard g.values.contains(where: { $0 != 0 }) else { continue }
        let x = try solveRidged(g, Matrix(rows: eq.rank, columns: 1, values: Array(eq.b.row(i))))
        a.setRow(i, x.values[...])
    }
}

private func solveRidged(_ g: Matrix, _ rhs: Matrix) throws -> Matrix {
    do { return try LinearSolve.general(g, rhs) } catch {
        var ridged = g
        var trace = 0.0
        for k in 0..<g.rows { trace += g[k, k] }
        for k in 0..<g.rows { ridged[k, k] += 1e-12 * max(trace, 1) }
        return try LinearSolve.general(ridged, rhs)
    }
}

extension Matrix {
    mutating func setRow(_ i: Int, _ row: ArraySlice<Double>) {
        for (k, v) in row.enumerated() { self[i, k] = v }
    }
}
