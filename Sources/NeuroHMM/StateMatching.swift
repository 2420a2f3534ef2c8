import NeuroCore

/// Matching the states of two fits — across restarts, against a reference fit or a simulation's truth —
/// by their GLM weights. HMM states have no inherent order, so comparing fits needs the permutation
/// that pairs each state with its counterpart.
public enum StateMatching {
    /// Each state's weights as one vector: every neuron's bias and coupling gains (summed over the
    /// history basis), `neurons × (1 + neurons)` values.
    public static func signature(_ model: GLMHMMModel, state s: Int) -> [Double] {
        let n = model.neurons
        return (0..<n).flatMap { i in [model.weights[s][i, 0]] + (0..<n).map { j in model.coupling(state: s, to: i, from: j) } }
    }

    /// The order of states that best matches `reference`: `order[r]` is the state of `model` paired with
    /// state `r` of `reference` (Hungarian algorithm on the squared distances between signatures).
    /// `reference` holds one signature per reference state, each as long as `signature(model, …)`.
    public static func order(_ model: GLMHMMModel, toMatch reference: [[Double]]) -> [Int] {
        let mine = (0..<model.states).map { signature(model, state: $0) }
        let cost = reference.map { r in mine.map { m in zip(r, m).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } }
        return optimalAssignment(cost: cost)
    }

    /// `model` with its states reordered to match `reference` (same number of states).
    public static func aligned(_ model: GLMHMMModel, to reference: [[Double]]) -> (model: GLMHMMModel, order: [Int]) {
        let order = order(model, toMatch: reference)
        return (model.permutingStates(order), order)
    }

    /// Pearson correlation of two signatures (NaN when either is constant).
    public static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) { ab += (x - ma) * (y - mb); aa += (x - ma) * (x - ma); bb += (y - mb) * (y - mb) }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : .nan
    }
}

/// How one random restart ended, and how its states match the kept (best) restart's.
public struct RestartSummary: Sendable, Equatable {
    /// The restart's final objective (log-likelihood + log prior).
    public var objective: Double
    /// The restart's final training log-likelihood (natural log).
    public var logLikelihood: Double
    /// Number of EM iterations the restart ran.
    public var iterations: Int
    /// `stateMatch[s]`: the state of this restart paired with state `s` of the kept restart.
    public var stateMatch: [Int]
    /// Correlation of each kept state's weights with its match in this restart (1: the same state).
    public var weightCorrelation: [Double]
}

extension GLMHMMFit {
    /// The same fit with its states reordered: state `s` of the result is state `order[s]` of `self`
    /// (the model, the one-hot prior's per-state choices and the restart matches follow).
    public func permutingStates(_ order: [Int]) -> GLMHMMFit {
        var out = self
        out.model = model.permutingStates(order)
        if var oneHot {
            oneHot.logits = order.map { oneHot.logits[$0] }
            oneHot.strengths = order.map { oneHot.strengths[$0] }
            out.oneHot = oneHot
        }
        out.restarts = restarts.map { r in
            var r = r
            r.stateMatch = order.map { r.stateMatch[$0] }
            r.weightCorrelation = order.map { r.weightCorrelation[$0] }
            return r
        }
        return out
    }

    /// The fit with its states ordered to match a reference fit's (signatures as
    /// ``StateMatching/signature(_:state:)`` gives them), and the order used.
    public func aligned(to reference: [[Double]]) -> (fit: GLMHMMFit, order: [Int]) {
        let order = StateMatching.order(model, toMatch: reference)
        return (permutingStates(order), order)
    }
}
