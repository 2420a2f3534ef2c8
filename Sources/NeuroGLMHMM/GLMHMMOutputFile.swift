import Foundation
import NeuroCore
import NeuroHMM
import NeuroStore

/// One row of the model-selection table.
public struct SelectionRow: Sendable {
    /// Number of hidden states of this fit.
    public var states: Int
    /// The coupling prior, as ``CouplingPrior/name`` writes it.
    public var prior: String
    /// Final training log-likelihood (natural log).
    public var trainLogLikelihood: Double
    /// Held-out log-likelihood (natural log); nil without held-out data.
    public var testLogLikelihood: Double?
    /// Held-out bits per spike above a constant model; nil without held-out data.
    public var bitsPerSpike: Double?
    /// A row from its values.
    public init(states: Int, prior: String, trainLogLikelihood: Double, testLogLikelihood: Double?, bitsPerSpike: Double?) {
        self.states = states; self.prior = prior; self.trainLogLikelihood = trainLogLikelihood
        self.testLogLikelihood = testLogLikelihood; self.bitsPerSpike = bitsPerSpike
    }
}

/// Writes a `glmhmm` result as NetCDF-4 (layout in docs/FORMAT.md, "GLM-HMM results").
public enum GLMHMMOutputFile {
    /// Everything a `glmhmm` output holds: the kept fit, its data, model selection and the connectome comparison.
    public struct Content {
        /// The kept fit (its states renumbered when aligned).
        public var fit: GLMHMMFit
        /// The data as loaded, with neuron and sequence names (before any held-out split).
        public var data: GLMHMMData
        /// The sequences the models were fitted to: `data`'s, minus any held-out part.
        public var train: [GLMHMMSequence]
        /// The kept model's held-out log-likelihood, the constant model's, and bits per spike; nil without a test set.
        public var heldOut: (logLikelihood: Double, constant: Double, bitsPerSpike: Double)?
        /// One row per fitted (states, prior) model, in fitting order.
        public var selection: [SelectionRow]
        /// The learnt prior's (nil without one) and each state's coupling against the connectome; nil without one.
        public var connectome: (prior: ConnectomeComparison.Result?, states: [ConnectomeComparison.Result])?
        /// With `--align-to`: the fitted state now shown as each state.
        public var alignment: [Int]? = nil
        /// Content from its parts, without an alignment.
        public init(fit: GLMHMMFit, data: GLMHMMData, train: [GLMHMMSequence],
                    heldOut: (logLikelihood: Double, constant: Double, bitsPerSpike: Double)?, selection: [SelectionRow],
                    connectome: (prior: ConnectomeComparison.Result?, states: [ConnectomeComparison.Result])?) {
            self.fit = fit; self.data = data; self.train = train; self.heldOut = heldOut
            self.selection = selection; self.connectome = connectome
        }
    }

    /// `fit_seconds` is written only with `recordTiming` (otherwise the file is byte-identical for the same inputs and seed).
    public static func write(_ c: Content, to path: String, inputs: [String], provenance: Provenance, parameters: String,
                             recordTiming: Bool = false) throws {
        let model = c.fit.model, k = model.states, n = model.neurons
        var attributes = try provenance.attributes(title: "neurotool glmhmm", inputs: inputs, parameters: parameters) + [
            ("emission", .text(model.emission.name)),
            ("states", .integer(k)),
            ("iterations", .integer(c.fit.logLikelihoods.count)),
            ("restart", .integer(c.fit.restart)),
            ("loglik_train", .number(c.fit.logLikelihoods.last ?? .nan)),
        ]
        if recordTiming { attributes.append(("fit_seconds", .number(c.fit.seconds))) }
        if let h = c.heldOut {
            attributes += [("loglik_test", .number(h.logLikelihood)), ("loglik_test_constant", .number(h.constant)),
                           ("bits_per_spike_test", .number(h.bitsPerSpike))]
        }
        if let prior = c.connectome?.prior {
            attributes += [("connectome_auc", .number(prior.auc)), ("connectome_spearman", .number(prior.spearman)),
                           ("connectome_pairs", .integer(prior.pairs)), ("connectome_connected", .integer(prior.connected))]
        }
        let out = try ResultFileWriter(path: path, inputs: inputs, attributes: attributes)
        do {
            try out.defineDimension("state", length: k)
            try out.defineDimension("state_to", length: k)
            try out.defineDimension("neuron", length: n)
            try out.defineDimension("source", length: n)
            try out.defineDimension("design", length: model.designWidth)
            try out.defineDimension("iteration", length: c.fit.logLikelihoods.count)
            try out.write("neuron", dimensions: ["neuron"], strings: c.data.names)
            try out.write("source", dimensions: ["source"], strings: c.data.names)
            let coupling = (0..<k).flatMap { s in (0..<n).flatMap { i in (0..<n).map { j in model.coupling(state: s, to: i, from: j) } } }
            try out.write("weights", dimensions: ["state", "neuron", "source"], values: coupling,
                          attributes: [("long_name", .text("coupling of neuron from source in each state (history filter gain, summed over basis functions)"))])
            try out.write("weights_full", dimensions: ["state", "neuron", "design"], values: model.weights.flatMap(\.values),
                          attributes: [("long_name", .text("every GLM weight: bias, then source n′ × basis b at 1 + n′·B + b, then covariates"))])
            try out.write("bias", dimensions: ["state", "neuron"], values: (0..<k).flatMap { s in (0..<n).map { model.weights[s][$0, 0] } })
            if let mean = c.fit.priorMean {
                let prior = (0..<n).flatMap { i in (0..<n).map { j in (0..<model.basis.count).reduce(0) { $0 + mean[i, 1 + j * model.basis.count + $1] } } }
                try out.write("prior", dimensions: ["neuron", "source"], values: prior,
                              attributes: [("long_name", .text("learnt across-state mean of the coupling (Gaussian prior)")),
                                           ("variance", .number(c.fit.priorVariance ?? .nan))])
            }
            if let oneHot = c.fit.oneHot {
                let p = oneHot.prior
                try out.defineDimension("category", length: 3)
                try out.write("category", dimensions: ["category"], strings: ["inhibitory", "none", "excitatory"])
                try out.write("prior", dimensions: ["neuron", "source"], values: (0..<n).flatMap { i in (0..<n).map { j in i == j ? 0 : p[(i * n + j) * 3 + 2] - p[(i * n + j) * 3] } },
                              attributes: [("long_name", .text("learnt one-hot prior: π(excitatory) − π(inhibitory)"))])
                try out.write("prior_onehot", dimensions: ["neuron", "source", "category"], values: p,
                              attributes: [("long_name", .text("learnt categorical prior over {inhibitory, none, excitatory}, shared by all states"))])
            }
            try out.write("transitions", dimensions: ["state", "state_to"], values: model.transition.values)
            try out.write("initial", dimensions: ["state"], values: model.initial)
            if let v = model.variance { try out.write("variance", dimensions: ["state", "neuron"], values: v.values) }
            try out.write("loglik_history", dimensions: ["iteration"], values: c.fit.logLikelihoods)
            // Posteriors and Viterbi paths of the training sequences, stacked.
            let decoded = c.train.map { model.decode($0) }
            let bins = c.train.reduce(0) { $0 + $1.length }
            try out.defineDimension("time", length: bins)
            try out.defineDimension("sequence", length: c.train.count)
            try out.write("posterior", dimensions: ["time", "state"], values: decoded.flatMap(\.posterior.values))
            try out.write("viterbi", dimensions: ["time"], integers: decoded.flatMap(\.viterbi))
            try out.write("sequence_start", dimensions: ["sequence"], integers: c.train.indices.map { i in c.train[..<i].reduce(0) { $0 + $1.length } })
            try out.write("sequence_name", dimensions: ["sequence"], strings: Array(c.data.sequenceNames.prefix(c.train.count)))
            if !c.selection.isEmpty {
                try out.defineDimension("selection/model", length: c.selection.count)
                try out.write("selection/states", dimensions: ["model"], integers: c.selection.map(\.states))
                try out.write("selection/prior", dimensions: ["model"], strings: c.selection.map(\.prior))
                try out.write("selection/loglik_train", dimensions: ["model"], values: c.selection.map(\.trainLogLikelihood))
                try out.write("selection/loglik_test", dimensions: ["model"], values: c.selection.map { $0.testLogLikelihood ?? .nan })
                try out.write("selection/bits_per_spike_test", dimensions: ["model"], values: c.selection.map { $0.bitsPerSpike ?? .nan })
            }
            if !c.fit.restarts.isEmpty {
                let r = c.fit.restarts
                try out.defineDimension("restart", length: r.count)
                try out.write("restart_objective", dimensions: ["restart"], values: r.map(\.objective),
                              attributes: [("long_name", .text("final objective (log-likelihood + log prior) of each random restart; the kept one is the attribute 'restart'"))])
                try out.write("restart_loglik", dimensions: ["restart"], values: r.map(\.logLikelihood))
                try out.write("restart_iterations", dimensions: ["restart"], integers: r.map(\.iterations))
                try out.write("restart_state_match", dimensions: ["restart", "state"], integers: r.flatMap(\.stateMatch),
                              attributes: [("long_name", .text("the state of each restart matched (Hungarian, on weights) to each state of the kept fit"))])
                try out.write("restart_weight_correlation", dimensions: ["restart", "state"], values: r.flatMap(\.weightCorrelation),
                              attributes: [("long_name", .text("correlation of each kept state's weights (bias and coupling) with its match in each restart"))])
            }
            if let order = c.alignment {
                try out.write("aligned_from", dimensions: ["state"], integers: order,
                              attributes: [("long_name", .text("the fitted state shown as each state, after matching the states to the --align-to reference"))])
            }
            if let states = c.connectome?.states, !states.isEmpty {
                try out.write("connectome_auc_state", dimensions: ["state"], values: states.map(\.auc))
                try out.write("connectome_spearman_state", dimensions: ["state"], values: states.map(\.spearman))
            }
            try out.commit()
        } catch {
            out.abandon()
            throw error
        }
    }
}
