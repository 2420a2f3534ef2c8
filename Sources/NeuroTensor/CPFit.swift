import Dispatch
import NeuroCore

/// Fits a (non-negative) CP model of `tensor` with `options.rank` components.
///
/// `weights` (same size as the tensor, nil for none) makes the objective the weighted least squares
/// `Σ w (x − m)²`: a 0/1 mask fits the observed entries only, and every solver solves that problem
/// exactly (per-row normal equations), with no imputation. Entries of weight 0 may be NaN.
///
/// Each iteration updates every free mode once, in order; the relative error after it is recorded and
/// the fit stops when it changes by less than `options.tolerance`, after `options.maxIterations`, or
/// after `options.maxSeconds`. Deterministic for a given seed (and BLAS thread count).
///
/// ```swift
/// var options = CPOptions(rank: 3)          // HALS, random start, tol 1e-5, 500 iterations
/// let fit = try fitCP(tensor, options: options)
/// let model = fit.model.normalized()        // unit factors, weights sorted
/// ```
public func fitCP(_ tensor: DenseTensor, weights: [Double]? = nil, options: CPOptions,
                  progress: any ProgressReporter = SilentProgress()) throws -> CPResult {
    let problem = try CPProblem(tensor, weights: weights, options: options)
    return try problem.fit(options, progress: progress)
}

extension CPProblem {
    func fit(_ options: CPOptions, progress: any ProgressReporter = SilentProgress()) throws -> CPResult {
        var factors = try initialFactors(options)
        let modes = (0..<shape.count).filter { !options.fixedModes.contains($0) }
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

        var errors: [Double] = []
        var reason = CPStopReason.maxIterations
        // Block-coordinate descent state: previous iterate, extrapolated point, momentum.
        var previous = factors
        var extrapolated = factors
        var momentum = 1.0
        // Without a mask, MTTKRPs come from a dimension tree (two passes over the data per iteration).
        var tree = weights == nil && shape.count >= 3 ? DimensionTree(shape: shape) : nil
        var versions = [Int](repeating: 0, count: shape.count)

        for iteration in 0..<options.maxIterations {
            var error = Double.nan
            var restarted = false
            for mode in modes {
                let eq = tree != nil
                    ? NormalEquations(b: tree!.mttkrp(weightedData, factors: factors, versions: versions, mode: mode),
                                      shared: khatriRaoGram(factors, excluding: mode))
                    : normalEquations(factors, mode: mode)
                let l1 = options.sparsity[mode] ?? 0
                var a = factors[mode]
                switch options.solver {
                case .als:
                    try leastSquaresUpdate(&a, eq)
                case _ where !options.isNonnegative(mode) && options.solver != .bcd:
                    try leastSquaresUpdate(&a, eq)
                case .hals:
                    halsUpdate(&a, eq, l1: l1, sweeps: options.innerIterations)
                case .mu:
                    multiplicativeUpdate(&a, eq, l1: l1)
                case .bcd:
                    try projectedGradientUpdate(&a, from: extrapolated[mode], eq, nonnegative: options.isNonnegative(mode), l1: l1)
                }
                factors[mode] = a
                versions[mode] += 1
                if mode == modes.last { error = relativeError(eq, a) }
            }
            if options.solver == .bcd {
                if let last = errors.last, error > last {
                    // The extrapolation overshot: return to the previous iterate and restart momentum.
                    factors = previous
                    extrapolated = previous
                    for m in versions.indices { versions[m] += 1 }
                    momentum = 1
                    error = last
                    restarted = true
                } else {
                    let next = (1 + (1 + 4 * momentum * momentum).squareRoot()) / 2
                    let w = min((momentum - 1) / next, 0.9999)
                    for mode in modes {
                        var y = factors[mode]
                        for k in y.values.indices { y.values[k] += w * (factors[mode].values[k] - previous[mode].values[k]) }
                        extrapolated[mode] = y
                    }
                    previous = factors
                    momentum = next
                }
            }
            errors.append(error)
            progress.update(completed: iteration + 1, total: options.maxIterations, label: "rank \(options.rank)")
            if options.tolerance > 0, !restarted, errors.count >= 2, abs(errors[errors.count - 2] - error) < options.tolerance {
                reason = .converged
                break
            }
            if let limit = options.maxSeconds, elapsed() >= limit {
                reason = .maxTime
                break
            }
        }
        return CPResult(model: KruskalTensor(factors: factors), errors: errors, stopReason: reason, seconds: elapsed())
    }
}
