import Foundation
import NeuroCore
import NeuroHMM
import NeuroReport

/// The report page of a `glmhmm` run: provenance, the fit, states over time with the data, each state's
/// coupling matrix, the learnt prior beside the connectome, and held-out likelihood against the number
/// of states.
public enum GLMHMMReport {
    /// Builds the report of `c`; `edges` (synapse counts, `edges[source][target]`) adds the connectome figure, and
    /// `parameters` and `inputs` go in its provenance section.
    public static func make(_ c: GLMHMMOutputFile.Content, edges: [String: [String: Double]]?, provenance: Provenance,
                            parameters: String, inputs: [String]) -> Report {
        let model = c.fit.model, n = model.neurons, k = model.states
        var report = Report(title: "GLM-HMM: \(k) states, \(model.emission.name)")
        report.add(.paragraph("\(c.train.count) training sequences (\(c.train.reduce(0) { $0 + $1.length }) bins) of \(n) neurons; \(c.fit.logLikelihoods.count) EM iterations (restart \(c.fit.restart + 1)); training log-likelihood \(String(format: "%.2f", c.fit.logLikelihoods.last ?? .nan))" + (c.heldOut.map { String(format: "; held-out %.4f bits/spike above a constant-rate model", $0.bitsPerSpike) } ?? "") + "."))
        report.addProvenance(version: provenance.toolVersion, command: provenance.commandLine, details: [("parameters", parameters)], inputs: inputs)

        report.add(.heading("States over time", level: 1))
        if let first = c.train.first {
            let shown = min(first.length, 1500)
            let activity = Matrix(rows: n, columns: shown, values: (0..<n).flatMap { i in (0..<shown).map { first.activity[$0, i] } })
            let top = max(activity.values.max() ?? 1, 1e-12)
            report.add(.figure(name: "activity", svg: Plots.heatmap(values: activity, rowLabels: c.data.names, xRange: 0...Double(shown),
                                                                    xLabel: "bin", title: "Activity of \(c.data.sequenceNames.first ?? "sequence 1")",
                                                                    colormap: .sequential, limits: 0...top, colorbarLabel: "activity"),
                               caption: "The first \(shown) bins of the first training sequence."))
            let decoded = model.decode(GLMHMMSequence(activity: first.activity.selectingRows(0..<shown)))
            let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
            report.add(.figure(name: "states", svg: Plots.lines(series: (0..<k).map { s in
                (name: "state \(s + 1)", x: (0..<shown).map(Double.init), y: (0..<shown).map { decoded.posterior[$0, s] }, color: palette[s % palette.count])
            }, title: "Posterior state probabilities", xLabel: "bin", yLabel: "p(state)"),
            caption: "p(z_t = s | data) over the same bins; the Viterbi path is in the output file."))
        }
        report.add(.heading("Coupling per state", level: 1))
        var limit = 1e-12
        for s in 0..<k { for i in 0..<n { for j in 0..<n where i != j { limit = max(limit, abs(model.coupling(state: s, to: i, from: j))) } } }
        for s in 0..<k {
            let w = Matrix(rows: n, columns: n, values: (0..<n).flatMap { i in (0..<n).map { j in i == j ? Double.nan : model.coupling(state: s, to: i, from: j) } })
            report.add(.figure(name: "weights-state\(s + 1)", svg: Plots.heatmap(values: w, rowLabels: c.data.names, xRange: 0...Double(n),
                xLabel: "source neuron (same order as rows)", title: "State \(s + 1): coupling (row: target, column: source)",
                colormap: .diverging, limits: -limit...limit, colorbarLabel: "weight"), caption: "History-filter gains of every pair in state \(s + 1); the diagonal (self-coupling) is blank."))
        }
        let b = model.basis.count
        var learnt: (Matrix, String)? = nil
        if let mean = c.fit.priorMean {
            learnt = (Matrix(rows: n, columns: n, values: (0..<n).flatMap { i in (0..<n).map { j in i == j ? Double.nan : (0..<b).reduce(0) { $0 + mean[i, 1 + j * b + $1] } } }),
                      "Learnt across-state mean coupling (the prior)")
        } else if let oneHot = c.fit.oneHot {
            let p = oneHot.prior
            learnt = (Matrix(rows: n, columns: n, values: (0..<n).flatMap { i in (0..<n).map { j in i == j ? Double.nan : p[(i * n + j) * 3 + 2] - p[(i * n + j) * 3] } }),
                      "Learnt one-hot prior: π(excitatory) − π(inhibitory)")
        }
        if let (prior, title) = learnt {
            report.add(.heading("Learnt prior and the connectome", level: 1))
            let top = max(prior.values.filter(\.isFinite).map(abs).max() ?? 1, 1e-12)
            report.add(.figure(name: "prior", svg: Plots.heatmap(values: prior, rowLabels: c.data.names, xRange: 0...Double(n), xLabel: "source neuron",
                                                                 title: title, colormap: .diverging,
                                                                 limits: -top...top, colorbarLabel: "weight"),
                               caption: "What every state shares: the state-constant interactions."))
            if let edges {
                let anatomy = Matrix(rows: n, columns: n, values: (0..<n).flatMap { i in (0..<n).map { j in
                    i == j ? Double.nan : log1p(edges[c.data.names[j]]?[c.data.names[i]] ?? 0) } })
                report.add(.figure(name: "connectome", svg: Plots.heatmap(values: anatomy, rowLabels: c.data.names, xRange: 0...Double(n),
                    xLabel: "source neuron", title: "Connectome: log(1 + synapses from source to target)", colormap: .sequential,
                    limits: 0...max(anatomy.values.filter(\.isFinite).max() ?? 1, 1e-12), colorbarLabel: "log(1+synapses)"),
                    caption: c.connectome?.prior.map { String(format: "The prior predicts anatomical connections with ROC AUC %.3f (Spearman ρ with synapse counts %.3f) over %d pairs.", $0.auc, $0.spearman, $0.pairs) } ?? ""))
            }
        }
        if let states = c.connectome?.states, !states.isEmpty {
            report.add(.table(header: ["coupling", "ROC AUC", "Spearman ρ"], rows:
                (c.connectome?.prior.map { [["prior", String(format: "%.3f", $0.auc), String(format: "%.3f", $0.spearman)]] } ?? [])
                + states.enumerated().map { ["state \($0.offset + 1)", String(format: "%.3f", $0.element.auc), String(format: "%.3f", $0.element.spearman)] }))
        }
        if c.selection.count > 1 {
            report.add(.heading("Model selection", level: 1))
            let priors = Array(Set(c.selection.map(\.prior))).sorted()
            let palette = ["#1f77b4", "#d62728", "#2ca02c"]
            report.add(.figure(name: "heldout-vs-states", svg: Plots.lines(series: priors.enumerated().map { i, p in
                let rows = c.selection.filter { $0.prior == p }
                return (name: "prior \(p)", x: rows.map { Double($0.states) }, y: rows.map { $0.bitsPerSpike ?? .nan }, color: palette[i % palette.count])
            }, title: "Held-out log-likelihood vs number of states", xLabel: "states", yLabel: "bits/spike"),
            caption: "Held-out log-likelihood above a constant-rate model, per spike."))
            report.add(.table(header: ["states", "prior", "train log-lik", "held-out log-lik", "bits/spike"], rows: c.selection.map {
                ["\($0.states)", $0.prior, String(format: "%.2f", $0.trainLogLikelihood), $0.testLogLikelihood.map { String(format: "%.2f", $0) } ?? "–",
                 $0.bitsPerSpike.map { String(format: "%.4f", $0) } ?? "–"]
            }))
        }
        report.add(.figure(name: "em", svg: Plots.lines(series: [(name: "log-likelihood", x: c.fit.logLikelihoods.indices.map { Double($0 + 1) },
                                                                   y: c.fit.logLikelihoods, color: "#1f77b4")],
                                                          title: "EM history", xLabel: "iteration", yLabel: "log-likelihood"),
                           caption: "Training log-likelihood after each E-step."))
        return report
    }
}
