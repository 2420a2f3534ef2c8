import Foundation
internal import CVectorMath

/// The shape of a row-major block of bins × neurons. Each array of a block is passed with its own row
/// stride, so a block can be all of an activity matrix or a gathered subset of its neurons.
struct BlockLayout {
    var rows: Int
    var columns: Int
}

extension Emission {
    /// The posterior-weighted softplus-Poisson terms of one state over a block, in one pass (C kernel,
    /// AVX2 through glibc's libmvec when the CPU has it): for row `r` with weight `g = gamma[r]` (0 when
    /// `g ≤ 1e-12`), `first[r, j] = g ℓ′`, `curvature[r, j] = g max(−ℓ″, 1e-10)` and `totals[j] += g ℓ`,
    /// where `(ℓ, ℓ′, ℓ″)` is ``valueAndDerivatives(_:_:variance:)`` of `(x[r, j], η[r, j])`.
    /// `vectorised: false` runs the kernel's scalar form (the one used without AVX2).
    static func softplusPoissonWeighted(_ block: BlockLayout, x: UnsafePointer<Double>, xStride: Int,
                                        eta: UnsafePointer<Double>, etaStride: Int, gamma: UnsafePointer<Double>,
                                        first: UnsafeMutablePointer<Double>, curvature: UnsafeMutablePointer<Double>,
                                        outStride: Int, totals: UnsafeMutablePointer<Double>, vectorised: Bool = true) {
        let kernel = vectorised ? nt_spp_weighted : nt_spp_weighted_scalar
        kernel(x, xStride, eta, etaStride, gamma, block.rows, block.columns, first, curvature, outStride, totals)
    }

    /// `sums[r] = Σ_j (x log λ − λ)` over row `r` of a block, the softplus-Poisson log-likelihood of
    /// a bin without its `−log x!` terms.
    static func softplusPoissonRowSums(_ block: BlockLayout, x: UnsafePointer<Double>, xStride: Int,
                                       eta: UnsafePointer<Double>, etaStride: Int, sums: UnsafeMutablePointer<Double>,
                                       vectorised: Bool = true) {
        let kernel = vectorised ? nt_spp_row_sums : nt_spp_row_sums_scalar
        kernel(x, xStride, eta, etaStride, block.rows, block.columns, sums)
    }
}
