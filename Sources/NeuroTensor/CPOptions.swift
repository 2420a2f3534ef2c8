/// The algorithm that updates one factor matrix at a time.
public enum CPSolver: String, Sendable, CaseIterable {
    /// Hierarchical ALS (column-wise exact updates; TensorLy `non_negative_parafac_hals`, tensortools
    /// `ncp_hals`). The default.
    case hals
    /// Multiplicative updates (Lee–Seung; TensorLy `non_negative_parafac`).
    case mu
    /// Block-coordinate descent with extrapolation (Xu & Yin 2013; tensortools `ncp_bcd`).
    case bcd
    /// Plain (unconstrained) CP alternating least squares, the reference (TensorLy `parafac`).
    case als
}

/// How the factors start.
public enum CPInitialization: Sendable, Equatable {
    /// Uniform [0, 1) entries from the seed, rescaled to fit the data's norm.
    case random
    /// NNDSVDa: leading singular vectors of each unfolding, split into their larger-signed part, zeros
    /// filled with the data mean (Boutsidis & Gallopoulos 2008), rescaled to fit the data's norm.
    case nndsvd
    /// Given factors, used exactly as they are (to compare with another tool from the same start).
    case given(KruskalTensor)
}

/// Everything a CP fit needs besides the data.
public struct CPOptions: Sendable {
    /// Number of components (factor columns); a fit throws below 1 or above the largest rank the shape can need.
    public var rank: Int
    /// The algorithm that updates each factor matrix; ``CPSolver/hals`` by default.
    public var solver: CPSolver = .hals
    /// Iterations (sweeps over all modes) at most.
    public var maxIterations = 500
    /// Stop when the relative error changes by less than this between iterations (0: never).
    public var tolerance = 1e-5
    /// Stop after this many seconds of fitting (nil: no limit).
    public var maxSeconds: Double? = nil
    /// Modes whose factors are non-negative; nil means every mode (ignored by ``CPSolver/als``).
    public var nonnegativeModes: Set<Int>? = nil
    /// Modes kept at their initial value.
    public var fixedModes: Set<Int> = []
    /// L1 penalty per mode (`λ Σ a`), for sparse non-negative factors; missing modes have none.
    public var sparsity: [Int: Double] = [:]
    /// How the factors start; uniform random by default.
    public var initialization: CPInitialization = .random
    /// Seed of the random start (and of the random columns NNDSVD adds where the data has too few); 0 by default.
    public var seed: UInt64 = 0
    /// HALS sweeps over the columns per mode update, stopping early when the change falls below 1e-8 of
    /// the first sweep's (TensorLy uses 5, tensortools 1).
    public var innerIterations = 5

    /// Options for a `rank`-component fit with `solver`, every other setting at its default.
    public init(rank: Int, solver: CPSolver = .hals) {
        self.rank = rank
        self.solver = solver
    }

    /// Whether `mode` is constrained to be non-negative.
    public func isNonnegative(_ mode: Int) -> Bool {
        solver != .als && (nonnegativeModes?.contains(mode) ?? true)
    }
}

/// Why a fit stopped.
public enum CPStopReason: String, Sendable {
    /// `converged` (relative error changed by less than the tolerance), `max-iterations` or `max-time`.
    case converged, maxIterations = "max-iterations", maxTime = "max-time"
}

/// A fitted CP model and how it got there.
public struct CPResult: Sendable {
    /// The model as fitted (weights 1 unless the initialization had others); see ``KruskalTensor/normalized()``.
    public var model: KruskalTensor
    /// Relative error `‖W⊙(X − M)‖ / ‖W⊙X‖` after each iteration.
    public var errors: [Double]
    /// Why the iterations ended: converged within `tolerance`, reached `maxIterations`, or ran out of `maxSeconds`.
    public var stopReason: CPStopReason
    /// Wall time of the iterations (excluding initialization), seconds.
    public var seconds: Double
    /// Number of iterations run (`errors.count`).
    public var iterations: Int { errors.count }
    /// Relative error at the end.
    public var relativeError: Double { errors.last ?? .nan }
}
