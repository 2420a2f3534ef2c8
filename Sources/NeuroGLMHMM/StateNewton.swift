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

        /// Per-neuron objective of weights `v` (its rows for the neurons in `which`).
        func objectives(_ v: Matrix, _ which: [Int]) -> [Double] {
            let eta = data.design.multiplied(by: v.transposed)
            var out = [Double](repeating: 0, count: n)
            for i in which {
                var total = 0.0
                for row in 0..<t where gamma[row] > 1e-12 {
                    total += gamma[row] * model.emission.logLikelihoodUpToConstant(data.activity[row, i], eta[row, i], variance: variances[i])
                }
                for j in 0..<d {
                    total -= 0.5 * options.ridge * v[i, j] * v[i, j]
                    if priorColumns[i].contains(j) { let e = v[i, j] - priorMean![i, j]; total -= 0.5 * precision * e * e }
                }
                out[i] = total
            }
            return out
        }

        var value = objectives(w, Array(0..<n))
        var active = Array(0..<n)
        for _ in 0..<options.newtonSteps where !active.isEmpty {
            let eta = data.design.multiplied(by: w.transposed)
            var first = Matrix(rows: t, columns: n), curvature = Matrix(rows: t, columns: n)
            for row in 0..<t where gamma[row] > 1e-12 {
                for i in active {
                    let (f, second) = model.emission.derivatives(data.activity[row, i], eta[row, i], variance: variances[i])
                    first[row, i] = gamma[row] * f
                    curvature[row, i] = gamma[row] * max(-second, 1e-10)
                }
            }
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
            // Damped acceptance, all pending neurons evaluated together.
            var pending = active.filter { steps[$0] != nil }
            var scale = 1.0
            var improved = Set<Int>()
            for _ in 0..<12 where !pending.isEmpty {
                var candidate = w
                for i in pending { for j in 0..<d { candidate[i, j] = w[i, j] + scale * steps[i]![j] } }
                let values = objectives(candidate, pending)
                var still: [Int] = []
                for i in pending {
                    if values[i] >= value[i] {
                        for j in 0..<d { w[i, j] = candidate[i, j] }
                        if values[i] > value[i] { improved.insert(i) }
                        value[i] = values[i]
                    } else { still.append(i) }
                }
                pending = still
                scale /= 2
            }
            active = active.filter { improved.contains($0) }
        }
        return w
    }
}
