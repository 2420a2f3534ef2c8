import Foundation
import NeuroCore
import NeuroStore
import NeuroTensor

/// Writes an `ntf` result as NetCDF-4 (layout in docs/FORMAT.md, "NTF results").
public enum NTFOutputFile {
    /// Timings (`fit_seconds`, `ensemble/seconds`) are written only when `recordTiming` is set: without
    /// them the same inputs and seed give a byte-identical file.
    public static func write(_ result: NTFResult, to path: String, inputs: [String], provenance: Provenance,
                             parameters: String, recordTiming: Bool = false) throws {
        let best = result.selected.best
        var attributes = try provenance.attributes(title: "neurotool ntf", inputs: inputs, parameters: parameters) + [
            ("tensor", .text(result.input.kind)),
            ("shape", .text(result.input.tensor.shape.map(String.init).joined(separator: "x"))),
            ("mode_names", .text(result.input.axes.map(\.name).joined(separator: ","))),
            ("observed_fraction", .number(result.input.observedFraction)),
            ("rank", .integer(result.selected.rank)),
            ("iterations", .integer(best.iterations)),
            ("stop_reason", .text(best.stopReason.rawValue)),
        ]
        if recordTiming { attributes.append(("fit_seconds", .number(best.seconds))) }
        if let score = result.alignmentScore { attributes.append(("alignment_score", .number(score))) }
        let out = try ResultFileWriter(path: path, inputs: inputs, attributes: attributes)
        do {
            let model = result.model
            try out.defineDimension("component", length: model.rank)
            try out.defineDimension("iteration", length: best.iterations)
            for (k, axis) in result.input.axes.enumerated() {
                try out.defineDimension(axis.name, length: axis.labels.count)
                // CF: a numeric coordinate takes the dimension's name; text labels go beside it.
                if let coordinates = axis.coordinates, let unit = axis.unit {
                    try out.write(axis.name, dimensions: [axis.name], values: coordinates, attributes: [("units", .text(unit))])
                    try out.write("\(axis.name)_label", dimensions: [axis.name], strings: axis.labels)
                } else {
                    try out.write(axis.name, dimensions: [axis.name], strings: axis.labels)
                }
                try out.write("factor\(k)", dimensions: [axis.name, "component"], values: model.factors[k].values,
                              attributes: [("long_name", .text("unit-norm factor of mode \(k) (\(axis.name))"))])
            }
            try out.write("weights", dimensions: ["component"], values: model.weights,
                          attributes: [("long_name", .text("component weights (product of the factor norms), decreasing"))])
            try out.write("objective", dimensions: ["iteration"], values: best.errors,
                          attributes: [("long_name", .text("relative error ‖W⊙(X−M)‖/‖W⊙X‖ after each iteration"))])
            try out.write("relative_error", dimensions: [], values: [best.relativeError])
            if let neurons = result.input.neurons, let pairs = result.input.pairs {
                try out.defineDimension("neuron", length: neurons.count)
                try out.write("neuron", dimensions: ["neuron"], strings: neurons)
                try out.write("pair_first", dimensions: ["pair"], integers: pairs.map(\.0),
                              attributes: [("long_name", .text("index into neuron of the pair's first neuron"))])
                try out.write("pair_second", dimensions: ["pair"], integers: pairs.map(\.1))
            }
            if let communities = result.communities {
                try out.write("community", dimensions: ["component", "neuron"], integers: communities.flatMap(\.membership),
                              attributes: [("long_name", .text("Louvain modularity community of each neuron in each component's affinity matrix (0 = largest)"))])
                try out.write("modularity", dimensions: ["component"], values: communities.map(\.modularity))
            }
            // Ensemble tables: rank × replicate.
            let summaries = result.summaries
            let replicates = summaries.map(\.fits.count).max() ?? 0
            try out.defineDimension("ensemble/rank", length: summaries.count)
            try out.defineDimension("ensemble/replicate", length: replicates)
            try out.write("ensemble/rank", dimensions: ["rank"], integers: summaries.map(\.rank))
            func table(_ value: (RankSummary, Int) -> Double) -> [Double] {
                summaries.flatMap { s in (0..<replicates).map { $0 < s.fits.count ? value(s, $0) : .nan } }
            }
            try out.write("ensemble/relative_error", dimensions: ["rank", "replicate"], values: table { $0.fits[$1].relativeError },
                          attributes: [("long_name", .text("final relative error of each replicate, best first"))])
            try out.write("ensemble/similarity", dimensions: ["rank", "replicate"], values: table { $0.similarity[$1] },
                          attributes: [("long_name", .text("factor match score of each replicate against the rank's best"))])
            try out.write("ensemble/iterations", dimensions: ["rank", "replicate"], values: table { Double($0.fits[$1].iterations) })
            if recordTiming {
                try out.write("ensemble/seconds", dimensions: ["rank", "replicate"], values: table { $0.fits[$1].seconds })
            }
            if summaries.contains(where: { !$0.heldOutErrors.isEmpty }) {
                try out.write("ensemble/heldout_error", dimensions: ["rank", "replicate"], values: table { $1 < $0.heldOutErrors.count ? $0.heldOutErrors[$1] : .nan },
                              attributes: [("long_name", .text("relative error on held-out entries of a fit to the rest"))])
                try out.write("ensemble/train_error", dimensions: ["rank", "replicate"], values: table { $1 < $0.trainErrors.count ? $0.trainErrors[$1] : .nan })
            }
            try out.commit()
        } catch {
            out.abandon()
            throw error
        }
    }
}
