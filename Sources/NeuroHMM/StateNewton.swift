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
        let precision = priorVariance.map { 1 / $0 } ?? 0
        let priorColumns = (0..<n).map { priorMean != nil ? Set(couplingColumns(model, neuron: $0, options: options)) : [] }
        let buffers = data.scratch.buffers(state: s, rows: t, neurons: n)
        let objective = StateObjective(model, data, gammas: gammas, state: s, buffers: buffers)
        func evaluate(_ v: Matrix, _ which: [Int], first: inout Matrix, curvature: inout Matrix) -> [Double] {
            var totals = objective.evaluate(v, which, first: &first, curvature: &curvature)
            for i in which {
                for j in 0..<d {
                    totals[i] -= 0.5 * options.ridge * v[i, j] * v[i, j]
                    if priorColumns[i].contains(j) { let e = v[i, j] - priorMean![i, j]; totals[i] -= 0.5 * precision * e * e }
                }
            }
            return totals
        }

        // The four time × neurons derivative buffers are the state's own, lent for this M-step.
        var first = Matrix(rows: 0, columns: 0), curvature = first, candidateFirst = first, candidateCurvature = first
        swap(&first, &buffers.first); swap(&curvature, &buffers.curvature)
        swap(&candidateFirst, &buffers.candidateFirst); swap(&candidateCurvature, &buffers.candidateCurvature)
        defer {
            swap(&first, &buffers.first); swap(&curvature, &buffers.curvature)
            swap(&candidateFirst, &buffers.candidateFirst); swap(&candidateCurvature, &buffers.candidateCurvature)
        }
        var value = evaluate(w, Array(0..<n), first: &first, curvature: &curvature)
        var active = Array(0..<n)
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

/// Time × neurons buffers of one state's Newton M-step, kept for the whole fit so that no M-step
/// allocates (and the system zeroes) them again.
final class NewtonBuffers: @unchecked Sendable {
    var eta: [Double], gathered: [Double] = [], subsetFirst: [Double] = [], subsetCurvature: [Double] = []
    var first: Matrix, curvature: Matrix, candidateFirst: Matrix, candidateCurvature: Matrix

    init(rows: Int, neurons: Int) {
        eta = [Double](repeating: 0, count: rows * neurons)
        first = Matrix(rows: rows, columns: neurons)
        curvature = Matrix(rows: rows, columns: neurons)
        candidateFirst = Matrix(rows: rows, columns: neurons)
        candidateCurvature = Matrix(rows: rows, columns: neurons)
    }

    /// `eta = X Vᵀ` (time × rows of `v`), in place.
    func predict(_ design: Matrix, _ v: Matrix) {
        eta.withUnsafeMutableBufferPointer { design.multipliedTransposed(by: v, into: $0.baseAddress!) }
    }
}

/// Every state's ``NewtonBuffers`` for one fit, made on first use (M-steps of different states run
/// at the same time, each with its own buffers).
final class NewtonScratch: @unchecked Sendable {
    private let lock = NSLock()
    private var byState: [Int: NewtonBuffers] = [:]

    func buffers(state: Int, rows: Int, neurons: Int) -> NewtonBuffers {
        lock.withLock {
            if let b = byState[state], b.first.rows == rows, b.first.columns == neurons { return b }
            let b = NewtonBuffers(rows: rows, neurons: neurons)
            byState[state] = b
            return b
        }
    }
}

/// The posterior-weighted log-likelihood of one state's GLMs, every neuron at once, evaluated in the
/// state's ``NewtonBuffers``.
struct StateObjective {
    let model: GLMHMMModel
    let data: GLMHMMFitter.TrainingData
    let state: Int
    /// The state's posterior weight of every bin, 0 where it is at most 1e-12.
    let gamma: [Double]
    let buffers: NewtonBuffers

    init(_ model: GLMHMMModel, _ data: GLMHMMFitter.TrainingData, gammas: Matrix, state s: Int, buffers: NewtonBuffers) {
        self.model = model
        self.data = data
        state = s
        gamma = (0..<data.total).map { let g = gammas[$0, s]; return g > 1e-12 ? g : 0 }
        self.buffers = buffers
    }

    /// At weights `v` (neurons × design columns), for the neurons in `which` (ascending): each one's
    /// objective `Σ_t γ_t ℓ(x_tn, η_tn)` (entry `n` of the result, the others 0), and in its column of
    /// `first` / `curvature` (time × neurons) every bin's `γ_t ℓ′` and `γ_t max(−ℓ″, 1e-10)`.
    func evaluate(_ v: Matrix, _ which: [Int], first: inout Matrix, curvature: inout Matrix) -> [Double] {
        let n = model.neurons, t = data.total
        var totals = [Double](repeating: 0, count: n)
        guard model.emission == .poisson(.softplus) else {
            generic(v, which, first: &first, curvature: &curvature, totals: &totals)
            return totals
        }
        if which.count == n {
            buffers.predict(data.design, v)
            Emission.softplusPoissonWeighted(BlockLayout(rows: t, columns: n), x: data.activity.values, xStride: n,
                                             eta: buffers.eta, etaStride: n, gamma: gamma, first: &first.values,
                                             curvature: &curvature.values, outStride: n, totals: &totals)
            return totals
        }
        // A subset (neurons still halving their step): its weights, predictors and counts gathered.
        let m = which.count, b = buffers
        if b.gathered.isEmpty {
            b.gathered = [Double](repeating: 0, count: t * n); b.subsetFirst = b.gathered; b.subsetCurvature = b.gathered
        }
        let subset = Matrix(rows: m, columns: v.columns, values: which.flatMap { v.row($0) })
        b.predict(data.design, subset)
        data.activity.values.withUnsafeBufferPointer { x in
            b.gathered.withUnsafeMutableBufferPointer { g in
                for row in 0..<t { for (k, i) in which.enumerated() { g[row * m + k] = x[row * n + i] } }
            }
        }
        var partial = [Double](repeating: 0, count: m)
        Emission.softplusPoissonWeighted(BlockLayout(rows: t, columns: m), x: b.gathered, xStride: m, eta: b.eta, etaStride: m,
                                         gamma: gamma, first: &b.subsetFirst, curvature: &b.subsetCurvature, outStride: m,
                                         totals: &partial)
        for (k, i) in which.enumerated() { totals[i] = partial[k] }
        first.values.withUnsafeMutableBufferPointer { f in
            curvature.values.withUnsafeMutableBufferPointer { c in
                b.subsetFirst.withUnsafeBufferPointer { sf in
                    b.subsetCurvature.withUnsafeBufferPointer { sc in
                        for row in 0..<t {
                            for (k, i) in which.enumerated() { f[row * n + i] = sf[row * m + k]; c[row * n + i] = sc[row * m + k] }
                        }
                    }
                }
            }
        }
        return totals
    }

    /// Every other emission, bin by bin through ``Emission/valueAndDerivatives(_:_:variance:)``.
    private func generic(_ v: Matrix, _ which: [Int], first: inout Matrix, curvature: inout Matrix, totals: inout [Double]) {
        let n = model.neurons, t = data.total
        let variances = (0..<n).map { model.variance?[state, $0] ?? 1 }
        buffers.predict(data.design, v)
        let emission = model.emission
        buffers.eta.withUnsafeBufferPointer { e in
            data.activity.values.withUnsafeBufferPointer { x in
                first.values.withUnsafeMutableBufferPointer { f in
                    curvature.values.withUnsafeMutableBufferPointer { c in
                        for row in 0..<t {
                            let g = gamma[row], base = row * n
                            guard g > 0 else { for i in which { f[base + i] = 0; c[base + i] = 0 }; continue }
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
}
