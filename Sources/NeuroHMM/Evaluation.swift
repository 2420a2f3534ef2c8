import Foundation
import NeuroCore

/// Held-out scores of a fitted model.
public enum GLMHMMEvaluation {
    /// Log-likelihood of `test` under `model`, and in bits per spike (per observation for Gaussian data)
    /// above a constant model: each neuron at its mean activity in `train` (Poisson rate, Bernoulli
    /// probability, or Gaussian mean and variance), no states, no coupling.
    public static func heldOut(_ model: GLMHMMModel, train: [GLMHMMSequence], test: [GLMHMMSequence])
        -> (logLikelihood: Double, constant: Double, bitsPerSpike: Double) {
        let n = model.neurons
        var mean = [Double](repeating: 0, count: n), square = mean
        var bins = 0.0
        for s in train { for t in 0..<s.length { for i in 0..<n { mean[i] += s.activity[t, i]; square[i] += s.activity[t, i] * s.activity[t, i] } }; bins += Double(s.length) }
        let variance = (0..<n).map { max(square[$0] / bins - pow(mean[$0] / bins, 2), 1e-8) }
        mean = mean.map { $0 / bins }
        var ll = 0.0, constant = 0.0, spikes = 0.0
        for s in test {
            ll += model.logLikelihood(s)
            for t in 0..<s.length {
                for i in 0..<n {
                    let x = s.activity[t, i]
                    switch model.emission {
                    case .poisson:
                        let r = max(mean[i], 1e-12)
                        constant += (x == 0 ? 0 : x * log(r)) - r - lgamma(x + 1)
                        spikes += x
                    case .bernoulli:
                        let p = min(max(mean[i], 1e-12), 1 - 1e-12)
                        constant += x * log(p) + (1 - x) * log(1 - p)
                        spikes += x
                    case .gaussian:
                        let r = x - mean[i]
                        constant += -0.5 * (log(2 * Double.pi * variance[i]) + r * r / variance[i])
                        spikes += 1
                    }
                }
            }
        }
        return (ll, constant, (ll - constant) / (max(spikes, 1) * log(2)))
    }
}

/// How well learnt coupling predicts an anatomical connectome.
public enum ConnectomeComparison {
    /// The agreement of one coupling matrix with the connectome, over unordered neuron pairs.
    public struct Result: Sendable {
        /// ROC AUC of |coupling| for the presence of a connection (either direction), over neuron pairs.
        public var auc: Double
        /// Spearman ρ of |coupling| with the synapse count (both directions summed).
        public var spearman: Double
        /// Number of unordered neuron pairs scored: `n(n − 1)/2` for `n` names.
        public var pairs: Int
        /// Number of those pairs with at least one synapse in either direction (the positives of the AUC).
        public var connected: Int
    }

    /// Compares a neurons × neurons coupling matrix (row: target, column: source) with the connectome
    /// over the pairs of `names` the connectome knows (names absent from it are an error for the caller).
    public static func compare(coupling: Matrix, names: [String], edges: [String: [String: Double]]) -> Result {
        var scores: [Double] = [], synapses: [Double] = []
        for i in 0..<names.count {
            for j in (i + 1)..<names.count {
                let w = max(abs(coupling[i, j]), abs(coupling[j, i]))
                let count = (edges[names[i]]?[names[j]] ?? 0) + (edges[names[j]]?[names[i]] ?? 0)
                scores.append(w)
                synapses.append(count)
            }
        }
        let labels = synapses.map { $0 > 0 }
        return Result(auc: RankStatistics.rocAUC(scores, labels), spearman: RankStatistics.spearman(scores, synapses), pairs: scores.count,
                      connected: labels.filter { $0 }.count)
    }
}
