import Foundation
import NeuroCore
import NeuroReport
import NeuroTensor

/// The report page of an `ntf` run: provenance, the fit, one figure per component (a panel per mode),
/// error / similarity / cross-validated error against rank, and for connectome tensors each component's
/// affinity matrix ordered by community with the named members of each community.
public enum NTFReport {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]

    /// Builds the report of `result`; `parameters` and `inputs` are listed in its provenance section.
    public static func make(_ result: NTFResult, provenance: Provenance, parameters: String, inputs: [String]) -> Report {
        let input = result.input, model = result.model, best = result.selected.best
        var report = Report(title: "Non-negative tensor factorization: \(input.kind.split(separator: "(").first ?? "")")
        report.add(.paragraph("A \(input.tensor.shape.map(String.init).joined(separator: " × ")) tensor (\(input.axes.map(\.name).joined(separator: " × "))), \(String(format: "%.1f", 100 * input.observedFraction))% of entries observed (missing entries are left out of the fit, not imputed), factorized with rank \(result.selected.rank): relative error \(String(format: "%.4f", best.relativeError)) after \(best.iterations) iterations (\(best.stopReason.rawValue))."))
        report.addProvenance(version: provenance.toolVersion, command: provenance.commandLine,
                             details: [("tensor", input.kind), ("parameters", parameters)], inputs: inputs)

        report.add(.heading("Components", level: 1))
        report.add(.paragraph("Factors are unit-norm; weights (the product of the norms) are sorted in decreasing order."))
        report.add(.table(header: ["component", "weight"] + (result.communities != nil ? ["communities", "modularity"] : []),
                          rows: (0..<model.rank).map { r in
            ["\(r + 1)", String(format: "%.4g", model.weights[r])]
                + (result.communities.map { c in ["\((c[r].membership.max() ?? -1) + 1)", String(format: "%.3f", c[r].modularity)] } ?? [])
        }))
        for r in 0..<min(model.rank, 12) {
            for (k, axis) in input.axes.enumerated() where axis.name != "pair" {
                let values = model.factors[k].column(r)
                let color = palette[r % palette.count]
                let svg: SVGDocument
                if axis.ordered, let x = axis.coordinates {
                    svg = Plots.lines(series: [(name: "component \(r + 1)", x: x, y: values, color: color)],
                                      title: "Component \(r + 1): \(axis.name) factor", xLabel: axis.unit.map { "\(axis.name) (\($0))" } ?? axis.name, yLabel: "loading")
                } else {
                    let shown = topIndices(values, limit: 60)
                    svg = Plots.bars(categories: shown.map { axis.labels[$0] }, series: [(name: "component \(r + 1)", values: shown.map { values[$0] }, color: color)],
                                     title: "Component \(r + 1): \(axis.name) factor\(shown.count < values.count ? " (largest \(shown.count) of \(values.count))" : "")",
                                     yLabel: "loading")
                }
                report.add(.figure(name: "component\(r + 1)-\(axis.name)", svg: svg, caption: "Component \(r + 1), mode \(k) (\(axis.name))."))
            }
            if let neurons = input.neurons, let pairs = input.pairs, let pairMode = input.axes.firstIndex(where: { $0.name == "pair" }),
               let communities = result.communities {
                let membership = communities[r].membership
                let affinity = NTFAnalysis.affinityMatrix(model.factors[pairMode].column(r), pairs: pairs, neurons: neurons.count)
                let order = neurons.indices.sorted { (membership[$0], $0) < (membership[$1], $1) }
                var ordered = Matrix(rows: order.count, columns: order.count)
                for (a, i) in order.enumerated() { for (b, j) in order.enumerated() { ordered[a, b] = affinity[i, j] } }
                let top = ordered.values.max() ?? 1
                report.add(.figure(name: "component\(r + 1)-affinity", svg: Plots.heatmap(
                    values: ordered, rowLabels: order.map { neurons[$0] }, xRange: 0...Double(order.count), xLabel: "neurons (same order as rows)",
                    title: "Component \(r + 1): affinity matrix ordered by community", colormap: .sequential,
                    limits: 0...max(top, 1e-12), colorbarLabel: "pair loading"),
                    caption: "Component \(r + 1): pair factor as a neuron × neuron affinity matrix, neurons grouped by Louvain community (modularity \(String(format: "%.3f", communities[r].modularity)))."))
                let groups = Dictionary(grouping: neurons.indices, by: { membership[$0] })
                let listed = groups.keys.sorted().prefix(8).compactMap { c -> String? in
                    let members = groups[c]!
                    guard members.count > 1 else { return nil }
                    return "community \(c + 1) (\(members.count)): " + members.map { neurons[$0] }.joined(separator: ", ")
                }
                if !listed.isEmpty { report.add(.list(listed)) }
            }
        }

        let summaries = result.summaries
        if summaries.count > 1 || summaries[0].fits.count > 1 {
            report.add(.heading("Rank selection", level: 1))
            let ranks = summaries.map { Double($0.rank) }
            let replicates = summaries.map(\.fits.count).max() ?? 1
            var errorSeries: [(name: String, x: [Double], y: [Double], color: String)] = [
                (name: "best", x: ranks, y: summaries.map(\.best.relativeError), color: palette[0])]
            if replicates > 1 {
                errorSeries.append((name: "worst replicate", x: ranks, y: summaries.map { $0.fits.last!.relativeError }, color: palette[8]))
            }
            report.add(.figure(name: "error-vs-rank", svg: Plots.lines(series: errorSeries, title: "Reconstruction error vs rank",
                                                                        xLabel: "rank", yLabel: "relative error"),
                               caption: "Relative error of the best and worst replicate at each rank."))
            if replicates > 1 {
                report.add(.figure(name: "similarity-vs-rank", svg: Plots.lines(series: [
                    (name: "mean", x: ranks, y: summaries.map { $0.similarity.dropFirst().reduce(0, +) / Double(max($0.similarity.count - 1, 1)) }, color: palette[2]),
                    (name: "lowest", x: ranks, y: summaries.map { $0.similarity.min() ?? 1 }, color: palette[8]),
                ], title: "Similarity to the best fit vs rank", xLabel: "rank", yLabel: "factor match score"),
                caption: "Factor match score of the other replicates against each rank's best fit: stable ranks stay near 1."))
            }
            if summaries.contains(where: { !$0.heldOutErrors.isEmpty }) {
                report.add(.figure(name: "cv-error-vs-rank", svg: Plots.lines(series: [
                    (name: "held-out (best)", x: ranks, y: summaries.map { $0.heldOutErrors.min() ?? .nan }, color: palette[1]),
                    (name: "training", x: ranks, y: summaries.map { $0.trainErrors.min() ?? .nan }, color: palette[0]),
                ], title: "Cross-validated error vs rank", xLabel: "rank", yLabel: "relative error"),
                caption: "Error on held-out entries of fits that never saw them: the rank where it stops falling is the one the data support."))
            }
            report.add(.table(header: ["rank", "best error", "held-out error", "mean similarity", "iterations (best)"], rows: summaries.map { s in
                ["\(s.rank)", String(format: "%.4f", s.best.relativeError),
                 s.heldOutErrors.min().map { String(format: "%.4f", $0) } ?? "–",
                 String(format: "%.3f", s.similarity.reduce(0, +) / Double(s.similarity.count)), "\(s.best.iterations)"]
            }))
        }
        report.add(.figure(name: "objective", svg: Plots.lines(series: [
            (name: "relative error", x: best.errors.indices.map { Double($0 + 1) }, y: best.errors, color: palette[0])],
            title: "Fit history", xLabel: "iteration", yLabel: "relative error"),
            caption: "Relative error after each iteration of the reported fit."))
        return report
    }

    /// Indices of the `limit` largest values, in their original order.
    static func topIndices(_ values: [Double], limit: Int) -> [Int] {
        guard values.count > limit else { return Array(values.indices) }
        return values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(limit).sorted()
    }
}
