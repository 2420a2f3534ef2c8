import Foundation
import NeuroCore
import NeuroTagging
import NeuroStore

/// Writes an `ftag` result as NetCDF-4 (layout in docs/FORMAT.md, "Frequency-tagging results").
public enum FTagOutputFile {
    /// The significance rule in words, for the file and the report.
    public static func significanceRule(_ o: FTagOptions) -> String {
        let correction: String
        switch o.correction {
        case .bonferroni: correction = "Bonferroni across channels"
        case .fdr: correction = "Benjamini–Hochberg across channels"
        case .none: correction = "uncorrected"
        }
        return "SNR F test against \(2 * o.neighbors) neighbouring bins, p < \(o.alpha) (\(correction))"
            + (o.permutations > 0 ? "; and HFTP amplitude above the 95th percentile of \(o.permutations) permutations" : "")
    }

    /// What a run adds to the analysis: the RSA matrix between conditions and its comparison with another output.
    public struct Extras: Sendable {
        /// Conditions × conditions cosine distances between the conditions' evoked amplitude spectra (nil: none).
        public var rsa: [[Double]]? = nil
        /// The event labels of the RSA conditions, in the matrix's order.
        public var conditions: [String] = []
        /// Spearman ρ between `rsa` and another output's RSA matrix, when one was compared.
        public var rsaSpearman: Double? = nil
        /// No extras: no RSA matrix, conditions or comparison.
        public init() {}
    }

    /// Writes `result` and `extras` to a NetCDF-4 file at `path`, with provenance attributes; `recordTiming` adds
    /// the spectra and permutation wall times (otherwise the same inputs give the same file). Throws on write errors.
    public static func write(_ result: FTagResult, extras: Extras = Extras(), to path: String, inputs: [String],
                             provenance: Provenance, parameters: String, recordTiming: Bool = false) throws {
        let data = result.data, channels = data.channels.count, tested = result.tagFrequencies.count
        var attributes = try provenance.attributes(title: "neurotool ftag", inputs: inputs, parameters: parameters) + [
            ("sampling_rate", .number(data.rate)),
            ("epochs", .integer(data.trials)),
            ("epoch_samples", .integer(data.samples)),
            ("epoch_seconds", .number(data.duration)),
            ("method", .text(result.options.method.rawValue)),
            ("averaging", .text(result.options.averaging.rawValue)),
            ("significance", .text(significanceRule(result.options) + (result.controlZ != nil ? "; and experiment − control z > 2" : ""))),
        ]
        if recordTiming {
            attributes.append(("spectra_seconds", .number(result.spectraSeconds)))
            attributes.append(("permutation_seconds", .number(result.permutationSeconds)))
        }
        if let rho = extras.rsaSpearman { attributes.append(("rsa_spearman", .number(rho))) }
        let out = try ResultFileWriter(path: path, inputs: inputs, attributes: attributes)
        do {
            try out.defineDimension("channel", length: channels)
            try out.defineDimension("frequency", length: result.spectra.frequencies.count)
            try out.defineDimension("tag", length: tested)
            try out.write("channel", dimensions: ["channel"], strings: data.channels)
            if let groups = data.groups { try out.write("group", dimensions: ["channel"], strings: groups) }
            try out.write("frequency", dimensions: ["frequency"], values: result.spectra.frequencies, attributes: [("units", .text("Hz"))])
            try out.write("psd", dimensions: ["channel", "frequency"], values: result.spectra.psd.values,
                          attributes: [("long_name", .text("power spectral density (\(result.options.method.rawValue), \(result.options.averaging.rawValue))")), ("units", .text("unit²/Hz"))])
            if let amplitude = result.spectra.amplitude {
                try out.write("amplitude", dimensions: ["channel", "frequency"], values: amplitude.values,
                              attributes: [("long_name", .text("single-sided amplitude 2|X|/n"))])
            }
            try out.write("tag", dimensions: ["tag"], values: result.tagFrequencies, attributes: [("units", .text("Hz"))])
            let names = result.options.names
            try out.write("tag_name", dimensions: ["tag"], strings: result.tagBase.indices.map {
                result.tagHarmonic[$0] == 1 ? names[result.tagBase[$0]] : "\(names[result.tagBase[$0]])×\(result.tagHarmonic[$0])"
            })
            try out.write("tag_harmonic", dimensions: ["tag"], integers: result.tagHarmonic)
            try out.write("snr", dimensions: ["channel", "tag"], values: result.snr.values,
                          attributes: [("long_name", .text("power over the mean of \(result.options.neighbors) neighbouring bins each side, skipping \(result.options.skip)"))])
            try out.write("zscore", dimensions: ["channel", "tag"], values: result.zscore.values,
                          attributes: [("long_name", .text("(power − mean of neighbours) / their standard deviation"))])
            try out.write("pvalue", dimensions: ["channel", "tag"], values: result.pvalue.values,
                          attributes: [("long_name", .text("p of the SNR under locally flat noise: (1 + SNR/m)^-m, m = noise bins; uncorrected"))])
            try out.write("significant", dimensions: ["channel", "tag"], integers: result.significant.flatMap { $0.map { $0 ? 1 : 0 } })
            if let itpc = result.itpc {
                try out.write("itpc", dimensions: ["channel", "tag"], values: itpc.values,
                              attributes: [("long_name", .text("inter-trial phase coherence |mean e^{iφ}|"))])
            }
            if let hftp = result.hftp {
                try out.write("hftp_amplitude", dimensions: ["channel", "tag"], values: hftp.observed.values,
                              attributes: [("long_name", .text("|rfft| of the trial-averaged response at the tag bin"))])
                try out.write("hftp_threshold", dimensions: ["channel", "tag"], values: hftp.threshold.values,
                              attributes: [("long_name", .text("95th percentile of the permutation null"))])
                try out.write("hftp_pvalue", dimensions: ["channel", "tag"], values: hftp.pvalue.values,
                              attributes: [("long_name", .text("(1 + #null ≥ observed) / (1 + permutations)"))])
            }
            if let z = result.controlZ {
                try out.write("control_z", dimensions: ["channel", "tag"], values: z.values,
                              attributes: [("long_name", .text("experiment − control amplitude difference, z-scored across channels"))])
            }
            try out.write("level", dimensions: ["channel"], strings: result.levels)
            // Level counts per group.
            let groups = data.groups ?? [String](repeating: "all", count: channels)
            let groupNames = Array(Set(groups)).sorted(), levelNames = Array(Set(result.levels)).sorted()
            try out.defineDimension("group_name", length: groupNames.count)
            try out.defineDimension("level_name", length: levelNames.count)
            try out.write("group_name", dimensions: ["group_name"], strings: groupNames)
            try out.write("level_name", dimensions: ["level_name"], strings: levelNames)
            try out.write("level_counts", dimensions: ["group_name", "level_name"], integers: groupNames.flatMap { g in
                levelNames.map { l in zip(groups, result.levels).filter { $0.0 == g && $0.1 == l }.count }
            })
            if let rsa = extras.rsa {
                try out.defineDimension("condition", length: rsa.count)
                try out.defineDimension("condition2", length: rsa.count)
                try out.write("condition", dimensions: ["condition"], strings: extras.conditions)
                try out.write("rsa", dimensions: ["condition", "condition2"], values: rsa.flatMap { $0 },
                              attributes: [("long_name", .text("cosine distance between conditions' evoked amplitude spectra in \(result.options.rsaBand.lowerBound)–\(result.options.rsaBand.upperBound) Hz"))])
            }
            try out.commit()
        } catch {
            out.abandon()
            throw error
        }
    }
}
