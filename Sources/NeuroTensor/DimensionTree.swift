import NeuroCore
import NeuroLinAlg

/// MTTKRPs of every mode in two passes over the tensor instead of one pass per mode (a two-level
/// dimension tree; Phan, Tichavský & Cichocki 2013, Kaya & Uçar 2018).
///
/// The modes are split into a left group `0..<split` and a right group. With the C-order tensor viewed
/// as an `I_left × I_right` matrix:
/// - `P = X · KhatriRao(right factors)` (`I_left × R`, one `dgemm`) serves every left mode: its MTTKRP
///   is `P` folded with the other left factors, a reduction over `I_left · R` values only;
/// - `Q = KhatriRao(left factors)ᵀ · X` (`R × I_right`, one `dgemm`) serves every right mode likewise.
/// `P` only depends on the right factors and `Q` on the left ones, so updating the left modes in turn
/// (each with the latest factors, as every solver here requires) reuses one `P`, and the same for `Q`.
/// The results equal ``mttkrp(_:shape:factors:mode:)`` up to rounding. Each product is recomputed when
/// a factor it depends on has changed, which `versions` (bumped on every factor update) tells.
struct DimensionTree {
    let shape: [Int]
    let split: Int
    private var p: Matrix?
    private var pVersions: [Int] = []
    private var q: Matrix?
    private var qVersions: [Int] = []

    init(shape: [Int]) {
        self.shape = shape
        // The split that makes the two sides' sizes closest (the most balanced products).
        var best = 1, bestBalance = Int.max
        for s in 1..<shape.count {
            let left = shape[..<s].reduce(1, *), right = shape[s...].reduce(1, *)
            let balance = max(left, right) / max(min(left, right), 1)
            if balance < bestBalance { best = s; bestBalance = balance }
        }
        split = best
    }

    mutating func mttkrp(_ data: [Double], factors: [Matrix], versions: [Int], mode: Int) -> Matrix {
        let left = shape[..<split].reduce(1, *), right = shape[split...].reduce(1, *)
        let x = Matrix(rows: left, columns: right, values: data)
        if mode < split {
            let depends = Array(versions[split...])
            if p == nil || pVersions != depends {
                p = x.multiplied(by: khatriRao(Array(factors[split...])))
                pVersions = depends
            }
            return fold(p!, shape: Array(shape[..<split]), factors: Array(factors[..<split]), mode: mode)
        } else {
            let depends = Array(versions[..<split])
            if q == nil || qVersions != depends {
                q = khatriRao(Array(factors[..<split])).transposeMultiplied(by: x).transposed
                qVersions = depends
            }
            return fold(q!, shape: Array(shape[split...]), factors: Array(factors[split...]), mode: mode - split)
        }
    }

    /// `M[i, r] = Σ_{index with index[mode] = i} partial[index, r] · Π_{m ≠ mode} A_m[index_m, r]` over a
    /// group's modes (`partial` is `Π shape × R`, C order).
    private func fold(_ partial: Matrix, shape: [Int], factors: [Matrix], mode: Int) -> Matrix {
        let rank = partial.columns
        guard shape.count > 1 else { return partial }
        var m = Matrix(rows: shape[mode], columns: rank)
        var index = [Int](repeating: 0, count: shape.count)
        var weight = [Double](repeating: 1, count: rank)
        partial.values.withUnsafeBufferPointer { pv in
            m.values.withUnsafeMutableBufferPointer { mv in
                for flat in 0..<partial.rows {
                    for r in 0..<rank { weight[r] = 1 }
                    for (k, a) in factors.enumerated() where k != mode {
                        let row = index[k] * rank
                        a.values.withUnsafeBufferPointer { av in for r in 0..<rank { weight[r] *= av[row + r] } }
                    }
                    let base = flat * rank, out = index[mode] * rank
                    for r in 0..<rank { mv[out + r] += pv[base + r] * weight[r] }
                    // Next C-order index.
                    var k = shape.count - 1
                    while k >= 0 {
                        index[k] += 1
                        if index[k] < shape[k] { break }
                        index[k] = 0
                        k -= 1
                    }
                }
            }
        }
        return m
    }
}
