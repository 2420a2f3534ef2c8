import Foundation
import NeuroCore
import NeuroLinAlg

/// The one-hot coupling prior (Li et al. 2024): every coupling weight of every state is a choice among
/// {inhibitory, none, excitatory} times a positive strength, `W_s[n, m] = (a_exc − a_inh) · softplus(g)`,
/// and the choice has a categorical prior π[n, m] shared by all states and learnt. While fitting, the
/// choice is relaxed by Gumbel-softmax at temperature τ and the M-step takes Adam steps on the expected
/// complete-data log-likelihood plus the log prior; the model used for inference takes the hard argmax.
/// Self-coupling (a neuron's own history), biases and covariate weights stay free, outside the prior.
public struct OneHotCoupling: Sendable {
    /// Per state: neurons × neurons × 3 logits (inhibitory, none, excitatory); the diagonal is unused.
    public var logits: [[Double]]
    /// Per state: neurons × neurons × basis strengths (before softplus).
    public var strengths: [[Double]]
    /// Shared prior logits, neurons × neurons × 3.
    public var priorLogits: [Double]
    /// Number of neurons N.
    public let neurons: Int
    /// Number of history basis functions B (strengths per ordered neuron pair).
    public let basisCount: Int

    /// The shared categorical prior π[n, m] (neurons × neurons × 3).
    public var prior: [Double] {
        var p = priorLogits
        for pair in 0..<(neurons * neurons) {
            let z = (0..<3).map { priorLogits[pair * 3 + $0] }
            let m = z.max()!, e = z.map { exp($0 - m) }, s = e.reduce(0, +)
            for c in 0..<3 { p[pair * 3 + c] = e[c] / s }
        }
        return p
    }

    /// Starts from a GLM's weights (one set per state): a weight smaller in magnitude than the state's
    /// mean magnitude starts as "none", larger ones by their sign.
    init(from model: GLMHMMModel) {
        let n = model.neurons, b = model.basis.count
        neurons = n
        basisCount = b
        logits = model.weights.map { w in
            var l = [Double](repeating: 0, count: n * n * 3)
            var magnitudes: [Double] = []
            for i in 0..<n { for j in 0..<n where i != j { magnitudes.append(abs((0..<b).reduce(0) { $0 + w[i, 1 + j * b + $1] })) } }
            let threshold = magnitudes.reduce(0, +) / Double(max(magnitudes.count, 1))
            for i in 0..<n { for j in 0..<n where i != j {
                let net = (0..<b).reduce(0) { $0 + w[i, 1 + j * b + $1] }
                let c = abs(net) < threshold ? 1 : (net > 0 ? 2 : 0)
                l[(i * n + j) * 3 + c] = 1
            } }
            return l
        }
        strengths = model.weights.map { w in
            var g = [Double](repeating: 0, count: n * n * b)
            for i in 0..<n { for j in 0..<n { for k in 0..<b {
                let v = max(abs(w[i, 1 + j * b + k]), 0.05)
                g[(i * n + j) * b + k] = v > 30 ? v : log(exp(v) - 1)
            } } }
            return g
        }
        priorLogits = [Double](repeating: 0, count: n * n * 3)
    }

    /// Coupling weights of state `s` into `weights` (neurons × design), from relaxed `y` (or hard when nil).
    func apply(state s: Int, to weights: inout Matrix, relaxed y: [Double]? = nil) {
        let n = neurons, b = basisCount
        for i in 0..<n { for j in 0..<n where i != j {
            let pair = (i * n + j) * 3
            let sign: Double
            if let y { sign = y[pair + 2] - y[pair] } else {
                let l = logits[s]
                let c = l[pair] > l[pair + 1] ? (l[pair] > l[pair + 2] ? 0 : 2) : (l[pair + 1] >= l[pair + 2] ? 1 : 2)
                sign = c == 2 ? 1 : c == 0 ? -1 : 0
            }
            for k in 0..<b { weights[i, 1 + j * b + k] = sign * Emission.softplus(strengths[s][(i * n + j) * b + k]) }
        } }
    }
}

extension GLMHMMFitter {
    /// The one-hot M-step for the emission weights: `steps` Adam steps (learning rate `rate`) on every
    /// state's logits, strengths and free weights and on the shared prior, with fresh Gumbel noise each step.
    static func oneHotStep(_ model: inout GLMHMMModel, _ coupling: inout OneHotCoupling, _ data: TrainingData, gammas: Matrix,
                           temperature: Double, steps: Int, rate: Double, adam: inout AdamState, generator: inout SeededGenerator) {
        let n = model.neurons, d = model.designWidth, k = model.states
        for _ in 0..<steps {
            // Relaxed one-hot samples y = softmax((logits + Gumbel) / τ), drawn state by state in order.
            let samples = (0..<k).map { s in
                var y = [Double](repeating: 0, count: n * n * 3)
                for pair in 0..<(n * n) {
                    let z = (0..<3).map { c -> Double in
                        let u = max(generator.uniform(), 1e-300)
                        return (coupling.logits[s][pair * 3 + c] - log(-log(u))) / temperature
                    }
                    let m = z.max()!, e = z.map { exp($0 - m) }, sum = e.reduce(0, +)
                    for c in 0..<3 { y[pair * 3 + c] = e[c] / sum }
                }
                return y
            }
            // Each state's gradients, the states at the same time.
            let current = model, relaxed = coupling
            let gradients = Collected<OneHotGradients?>(repeating: nil, count: k)
            DispatchQueue.concurrentPerform(iterations: k) { s in
                gradients.set(s, oneHotGradients(current, relaxed, data, gammas: gammas, state: s, sample: samples[s], temperature: temperature))
            }
            var gradPrior = [Double](repeating: 0, count: n * n * 3)
            for g in gradients.values { for i in gradPrior.indices { gradPrior[i] += g!.prior[i] } }
            let gradLogits = gradients.values.map { $0!.logits }, gradStrengths = gradients.values.map { $0!.strengths }
            let gradFree = gradients.values.map { $0!.free }
            // One Adam ascent step on everything.
            adam.t += 1
            for s in 0..<k {
                adam.step(&coupling.logits[s], gradLogits[s], key: "l\(s)", rate: rate)
                adam.step(&coupling.strengths[s], gradStrengths[s], key: "g\(s)", rate: rate)
                var free = model.weights[s].values
                adam.step(&free, gradFree[s].values, key: "w\(s)", rate: rate)
                model.weights[s] = Matrix(rows: n, columns: d, values: free)
            }
            adam.step(&coupling.priorLogits, gradPrior, key: "prior", rate: rate)
        }
        for s in 0..<k { coupling.apply(state: s, to: &model.weights[s]) }
    }
}

/// One state's share of the gradient of the relaxed one-hot objective.
struct OneHotGradients {
    /// With respect to the state's logits and strengths, its free weights (bias, self-coupling,
    /// covariates; neurons × design), and its term of the shared prior's logits.
    var logits: [Double], strengths: [Double], free: Matrix, prior: [Double]
}

extension GLMHMMFitter {
    /// The gradient of state `s`'s relaxed objective at the one-hot sample `y`: `dJ/dη = γ ℓ′(x, η)`
    /// (through the state's ``StateObjective``), `dJ/dW = (dJ/dη)ᵀ X`, then the chain rule to the
    /// logits (softmax at temperature τ), the strengths (softplus) and the prior.
    static func oneHotGradients(_ model: GLMHMMModel, _ coupling: OneHotCoupling, _ data: TrainingData, gammas: Matrix,
                                state s: Int, sample y: [Double], temperature: Double) -> OneHotGradients {
        let n = model.neurons, b = model.basis.count, d = model.designWidth
        let prior = coupling.prior
        var w = model.weights[s]
        coupling.apply(state: s, to: &w, relaxed: y)
        let buffers = data.scratch.buffers(state: s, rows: data.total, neurons: n)
        let objective = StateObjective(model, data, gammas: gammas, state: s, buffers: buffers)
        _ = objective.evaluate(w, Array(0..<n), first: &buffers.first, curvature: &buffers.curvature)
        let gw = buffers.first.transposeMultiplied(by: data.design)      // neurons × design
        var gl = [Double](repeating: 0, count: n * n * 3), gs = [Double](repeating: 0, count: n * n * b)
        var gp = [Double](repeating: 0, count: n * n * 3)
        for i in 0..<n { for j in 0..<n where i != j {
            let pair = (i * n + j) * 3
            var dSign = 0.0
            for kk in 0..<b {
                let g = coupling.strengths[s][(i * n + j) * b + kk]
                let dw = gw[i, 1 + j * b + kk]
                dSign += dw * Emission.softplus(g)
                gs[(i * n + j) * b + kk] = dw * (y[pair + 2] - y[pair]) * Emission.sigmoid(g)
            }
            // u = dJ/dy: coupling through the sign, plus the log prior.
            let u = [-dSign + log(max(prior[pair], 1e-300)), log(max(prior[pair + 1], 1e-300)), dSign + log(max(prior[pair + 2], 1e-300))]
            let mean = (0..<3).reduce(0) { $0 + y[pair + $1] * u[$1] }
            for c in 0..<3 {
                gl[pair + c] = y[pair + c] * (u[c] - mean) / temperature
                gp[pair + c] = y[pair + c] - prior[pair + c]
            }
        } }
        // Free weights: bias, self-coupling, covariates (coupling columns are driven through the prior's parameters).
        var free = Matrix(rows: n, columns: d)
        for i in 0..<n {
            free[i, 0] = gw[i, 0]
            for kk in 0..<b { free[i, 1 + i * b + kk] = gw[i, 1 + i * b + kk] }
            for j in (1 + n * b)..<d { free[i, j] = gw[i, j] }
        }
        return OneHotGradients(logits: gl, strengths: gs, free: free, prior: gp)
    }
}

/// Adam (Kingma & Ba 2015) moment estimates per named parameter block, for gradient ascent.
struct AdamState {
    var t = 0
    var m: [String: [Double]] = [:]
    var v: [String: [Double]] = [:]

    mutating func step(_ x: inout [Double], _ g: [Double], key: String, rate: Double, beta1: Double = 0.9, beta2: Double = 0.999) {
        var mk = m[key] ?? [Double](repeating: 0, count: x.count), vk = v[key] ?? [Double](repeating: 0, count: x.count)
        let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
        for i in x.indices where g[i] != 0 || mk[i] != 0 {
            mk[i] = beta1 * mk[i] + (1 - beta1) * g[i]
            vk[i] = beta2 * vk[i] + (1 - beta2) * g[i] * g[i]
            x[i] += rate * (mk[i] / c1) / ((vk[i] / c2).squareRoot() + 1e-8)
        }
        m[key] = mk
        v[key] = vk
    }
}
