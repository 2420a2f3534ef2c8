import NeuroCore
import NeuroLinAlg

/// The Khatri–Rao (column-wise Kronecker) product of `matrices` in C order: row `(i₀, i₁, …)` (last
/// index fastest) of the result is the element-wise product of row `iₖ` of each matrix. With no
/// matrices, one row of ones of width `columns`.
public func khatriRao(_ matrices: [Matrix], columns: Int? = nil) -> Matrix {
    let r = matrices.first?.columns ?? columns ?? 0
    var result = Matrix(rows: 1, columns: r, repeating: 1)
    for m in matrices {
        precondition(m.columns == r, "khatriRao: column mismatch")
        var next = Matrix(rows: result.rows * m.rows, columns: r)
        result.values.withUnsafeBufferPointer { left in
            m.values.withUnsafeBufferPointer { right in
                next.values.withUnsafeMutableBufferPointer { out in
                    var o = 0
                    for a in 0..<result.rows {
                        let la = a * r
                        for b in 0..<m.rows {
                            let rb = b * r
                            for c in 0..<r { out[o + c] = left[la + c] * right[rb + c] }
                            o += r
                        }
                    }
                }
            }
        }
        result = next
    }
    return result
}

/// The matricized tensor times Khatri–Rao product for `mode`: `X₍ₙ₎ · KhatriRao(A⁽ᵐ⁾, m ≠ n)`, the
/// `size(mode) × R` matrix every CP solver needs once per mode and iteration.
///
/// The tensor is never unfolded or copied. With `L` the product of the sizes before `mode` and `Rₜ` that
/// of those after, the C-order tensor *is* an `(L·Iₙ) × Rₜ` matrix: one BLAS `dgemm` against the
/// Khatri–Rao product of the trailing factors (`Rₜ × R`) gives `Z`, and the leading factors are then
/// folded in by an `L·Iₙ·R` reduction (`M[i,r] = Σₗ K_left[l,r] · Z[l,i,r]`). The last mode is a single
/// `dgemm` with the transposed view. Only the Khatri–Rao product of one side is formed.
public func mttkrp(_ tensor: [Double], shape: [Int], factors: [Matrix], mode: Int) -> Matrix {
    precondition(factors.count == shape.count && shape.reduce(1, *) == tensor.count, "mttkrp: shapes")
    let rank = factors[mode].columns
    let size = shape[mode]
    let leading = shape[..<mode].reduce(1, *)
    let trailing = shape[(mode + 1)...].reduce(1, *)
    if trailing == 1 {
        // Last mode: the tensor is an L × Iₙ matrix; Mᵀ-free product Xᵀ · K_left.
        let left = khatriRao(Array(factors[..<mode]), columns: rank)
        return Matrix(rows: leading, columns: size, values: tensor).transposeMultiplied(by: left)
    }
    let right = khatriRao(Array(factors[(mode + 1)...]))
    let z = Matrix(rows: leading * size, columns: trailing, values: tensor).multiplied(by: right)
    guard leading > 1 else { return z }
    let left = khatriRao(Array(factors[..<mode]))
    var m = Matrix(rows: size, columns: rank)
    z.values.withUnsafeBufferPointer { zb in
        left.values.withUnsafeBufferPointer { lb in
            m.values.withUnsafeMutableBufferPointer { mb in
                for l in 0..<leading {
                    let kl = l * rank
                    let zl = l * size * rank
                    for i in 0..<size {
                        let zi = zl + i * rank, mi = i * rank
                        for r in 0..<rank { mb[mi + r] += lb[kl + r] * zb[zi + r] }
                    }
                }
            }
        }
    }
    return m
}

/// `⊛_{m ≠ mode} A⁽ᵐ⁾ᵀA⁽ᵐ⁾`: the Gram matrix of the Khatri–Rao product, from the factors alone.
public func khatriRaoGram(_ factors: [Matrix], excluding mode: Int) -> Matrix {
    let rank = factors[mode].columns
    var v = Matrix(rows: rank, columns: rank, repeating: 1)
    for (m, a) in factors.enumerated() where m != mode { v = hadamard(v, a.transposeMultiplied(by: a)) }
    return v
}

/// Per-row Gram matrices of a masked problem: for each index `i` of `mode`,
/// `G_i = Σ_j w_ij k_j k_jᵀ` over the Khatri–Rao rows `k_j`, returned as `size(mode) × R × R` values.
///
/// Computed as one MTTKRP of the weight tensor against the "pair factors" whose columns are the products
/// `a_r ⊙ a_s` (r ≤ s): the Khatri–Rao product of those has column `(r,s)` equal to `k_r ⊙ k_s`, so BLAS
/// does all the work and the symmetric half is mirrored.
public func maskedGrams(weights: [Double], shape: [Int], factors: [Matrix], mode: Int) -> [Double] {
    let rank = factors[mode].columns
    var pairs: [(Int, Int)] = []
    for r in 0..<rank { for s in r..<rank { pairs.append((r, s)) } }
    let pairFactors = factors.enumerated().map { (m, a) -> Matrix in
        var p = Matrix(rows: a.rows, columns: pairs.count)
        guard m != mode else { return p }
        for i in 0..<a.rows { for (c, (r, s)) in pairs.enumerated() { p[i, c] = a[i, r] * a[i, s] } }
        return p
    }
    let m = mttkrp(weights, shape: shape, factors: pairFactors, mode: mode)
    let size = shape[mode]
    var grams = [Double](repeating: 0, count: size * rank * rank)
    for i in 0..<size {
        let base = i * rank * rank
        for (c, (r, s)) in pairs.enumerated() {
            grams[base + r * rank + s] = m[i, c]
            grams[base + s * rank + r] = m[i, c]
        }
    }
    return grams
}
