import Foundation
import NeuroCore
import NeuroLinAlg

extension GLMHMMFitter {
    /// Products of every pair of design columns, `P[t, (a, b)] = x_ta x_tb` for a ≤ b, so that every
    /// neuron's weighted Hessian `Xᵀ diag(c_n) X` comes out of one product `Cᵀ P`; nil when it would
    /// take more than `limit` values (then each neuron's Hessian is its own product).
    static func designProducts(_ data: TrainingData, limit: Int = 40_000_000) -> Matrix? {
        let d = data.design.columns, q = d * (d + 1) / 2
        guard data.total * q <= limit else { return nil }
        var p = Matrix(rows: data.total, columns: q)
        data.design.values.withUnsafeBufferPointer { x in
            p.values.withUnsafeMutableBufferPointer { out in
                for t in 0..<data.total {
                    var c = 0
                    for a in 0..<d { for b in a..<d { out[t * q + c] = x[t * d + a] * x[t * d + b]; c += 1 } }
                }
            }
        }
        return p
    }

    /// Damped Newton steps on every neuron of state `s` at once. The predictors, gradients and Hessians
    /// of all neurons are BLAS products (`η = X Wᵀ`, `G = (γ ℓ')ᵀ X`, `H = (γ ℓ'')ᵀ P`); each neuron then
    /// solves its own system and halves its step until its objective does not decrease.
    static func newtonState(_ model: GLMHMMModel, _ data: TrainingData, products: Matrix?, gammas: Matrix, state s: Int,
                            options: GLMHMMOptions, priorMean: Matrix?, priorVariance: Double?) -> Matrix {
        let n = model.neurons, d = model.designWidth, t = data.total
        var w = model.weights[s]
        let gamma = (0..<t).map { gammas[$0, s] }
        let precision = priorVariance.map { 1 / $0 } ?? 0
        let priorColumns = (0..<n).map { priorMean != nil ? Set(couplingColumns(model, neuron: $0, options: options)) : [] }
        let variances = (0..<n).map { model.variance?[s, $0] ?? 1 }

        /// Evaluates the neurons in `which` at weights `v`: the objective of each, and the posterior-weighted
        /// first derivative and curvature of every bin (columns of `first` / `curvature`), in one pass.
        // Block buffers of the vectorised softplus-Poisson path, reused by every evaluation.
        var blockValue: [Double] = [], blockFirst: [Double] = [], blockSecond: [Double] = []
        func evaluate(_ v: Matrix, _ which: [Int], first: inout Matrix, curvature: inout Matrix) -> [Double] {
            let eta = data.design.multiplied(by: v.transposed)
            var totals = [Double](repeating: 0, count: n)
            let emission = model.emission
            if emission == .poisson(.softplus) {
                // Vectorised: the chosen neurons' columns gathered into contiguous blocks, evaluated at once.
                let m = which.count, count = t * m
                let all = m == n
                var xs = all ? data.activity.values : [Double](repeating: 0, count: count)
                var es = all ? eta.values : [Double](repeating: 0, count: count)
                if !all {
                    for row in 0..<t { for (k, i) in which.enumerated() { xs[row * m + k] = data.activity.values[row * n + i]; es[row * m + k] = eta.values[row * n + i] } }
                }
                if blockValue.count < count {
                    blockValue = [Double](repeating: 0, count: count); blockFirst = blockValue; blockSecond = blockValue
                }
                Emission.softplusPoissonBlock(x: xs, eta: es, count: count, value: &blockValue, first: &blockFirst, second: &blockSecond)
                let value = blockValue, d1 = blockFirst, d2 = blockSecond
                first.values.withUnsafeMutableBufferPointer { f in
                    curvature.values.withUnsafeMutableBufferPointer { c in
                        for row in 0..<t {
                            let g = gamma[row], base = row * n
                            guard g > 1e-12 else { for i in which { f[base + i] = 0; c[base + i] = 0 }; continue }
                            for (k, i) in which.enumerated() {
                                let at = row * m + k
                                totals[i] += g * value[at]
                                f[base + i] = g * d1[at]
                                c[base + i] = g * max(-d2[at], 1e-10)
                            }
                        }
                    }
                }
            } else {
            // Row by row (contiguous in every matrix), the chosen neurons of each row.
            eta.values.withUnsafeBufferPointer { e in
                data.activity.values.withUnsafeBufferPointer { x in
                    first.values.withUnsafeMutableBufferPointer { f in
                        curvature.values.withUnsafeMutableBufferPointer { c in
                            for row in 0..<t {
                                let g = gamma[row], base = row * n
                                guard g > 1e-12 else { for i in which { f[base + i] = 0; c[base + i] = 0 }; continue }
                                for i in which {
                                    let (value, d1, d2) = emission.valueAndDerivatives(x[base + i], e[base + i], variance: variances[i])
                                    totals[i] += g * value
                                    f[base + i] = g * d1
                                    c[base + i] = g * max(-d2, 1e-10)
                                }
                            }
                        }
                    }
                }
            }
            }
            for i in which {
                for j in 0..<d {
                    totals[i] -= 0.5 * options.ridge * v[i, j] * v[i, j]
                    if priorColumns[i].contains(j) { let e = v[i, j] - priorMean![i, j]; totals[i] -= 0.5 * precision * e * e }
                }
            }
            return totals
        }

        var first = Matrix(rows: t, columns: n), curvature = Matrix(rows: t, columns: n)
        var value = evaluate(w, Array(0..<n), first: &first, curvature: &curvature)
        var active = Array(0..<n)
        var candidateFirst = first, candidateCurvature = curvature
        for _ in 0..<options.newtonSteps where !active.isEmpty {
            let gradients = first.transposeMultiplied(by: data.design)          // n × d
            let packed = products.map { curvature.transposeMultiplied(by: $0) }   // n × d(d+1)/2
            var steps = [[Double]?](repeating: nil, count: n)
            for i in active {
                var h = Matrix(rows: d, columns: d)
                if let packed {
                    var c = 0
                    for a in 0..<d { for b in a..<d { h[a, b] = packed[i, c]; h[b, a] = packed[i, c]; c += 1 } }
                } else {
                    var weighted = data.design
                    for row in 0..<t { let r = curvature[row, i].squareRoot(); for j in 0..<d { weighted.values[row * d + j] *= r } }
                    h = weighted.transposeMultiplied(by: weighted)
                }
                var g = Array(gradients.row(i))
                for j in 0..<d {
                    h[j, j] += options.ridge
                    g[j] -= options.ridge * w[i, j]
                    if priorColumns[i].contains(j) { h[j, j] += precision; g[j] -= precision * (w[i, j] - priorMean![i, j]) }
                    if !options.selfCoupling && (j - 1) / max(model.basis.count, 1) == i && j >= 1 && j <= n * model.basis.count { h[j, j] += 1e12 }
                }
                steps[i] = try? LinearSolve.positiveDefinite(h, Matrix(rows: d, columns: 1, values: g)).values
            }
            // Damped acceptance, all pending neurons evaluated together; an accepted candidate's
            // derivatives serve the next Newton step.
            var pending = active.filter { steps[$0] != nil }
            var scale = 1.0
            var improved = Set<Int>()
            for _ in 0..<12 where !pending.isEmpty {
                var candidate = w
                for i in pending { for j in 0..<d { candidate[i, j] = w[i, j] + scale * steps[i]![j] } }
                let values = evaluate(candidate, pending, first: &candidateFirst, curvature: &candidateCurvature)
                var still: [Int] = [], accepted: [Int] = []
                for i in pending {
                    if values[i] >= value[i] {
                        for j in 0..<d { w[i, j] = candidate[i, j] }
                        accepted.append(i)
                        if values[i] > value[i] { improved.insert(i) }
                        value[i] = values[i]
                    } else { still.append(i) }
                }
                if accepted.count == n {
                    // Every neuron took its step: the candidate's derivatives are all current.
                    swap(&first, &candidateFirst)
                    swap(&curvature, &candidateCurvature)
                } else if !accepted.isEmpty {
                    first.values.withUnsafeMutableBufferPointer { f in candidateFirst.values.withUnsafeBufferPointer { cf in
                        curvature.values.withUnsafeMutableBufferPointer { c in candidateCurvature.values.withUnsafeBufferPointer { cc in
                            for row in 0..<t { let base = row * n; for i in accepted { f[base + i] = cf[base + i]; c[base + i] = cc[base + i] } }
                        } }
                    } }
                }
                pending = still
                scale /= 2
            }
            active = active.filter { improved.contains($0) }
        }
        return w
    }
}
