import Foundation
import NeuroCore
import NeuroTagging
import NeuroReport

/// The report page of an `ftag` run: provenance; the spectrum (SNR averaged over channels) with the
/// tags marked; SNR per channel at each tag (on the scalp when sensor positions are known); the level
/// of each channel and the counts per group; the RSA matrix when conditions were compared.
public enum FTagReport {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]

    /// Builds the report of `result` (with the RSA figure from `extras`); `parameters` and `inputs` go in its
    /// provenance section.
    public static func make(_ result: FTagResult, extras: FTagOutputFile.Extras, provenance: Provenance,
                            parameters: String, inputs: [String]) -> Report {
        let data = result.data, options = result.options, names = options.names
        var report = Report(title: "Frequency tagging: \(names.joined(separator: ", "))")
        let found = result.levels.filter { $0 != "none" }.count
        report.add(.paragraph("\(data.channels.count) channels, \(data.trials) epochs of \(String(format: "%.3g", data.duration)) s at \(String(format: "%g", data.rate)) Hz; tags \(zip(names, options.tags).map { "\($0) \(String(format: "%g", $1)) Hz" }.joined(separator: ", ")). \(found) channels follow at least one tag (\(FTagOutputFile.significanceRule(options))\(result.controlZ != nil ? "; and above the control by z > 2" : ""))."))
        report.addProvenance(version: provenance.toolVersion, command: provenance.commandLine, details: [("parameters", parameters)], inputs: inputs)

        report.add(.heading("Spectrum", level: 1))
        let frequencies = result.spectra.frequencies
        let upper = min(frequencies.last ?? 0, (options.tags.max() ?? 1) * Double(options.harmonics) * 1.5 + 1)
        let shown = frequencies.indices.filter { frequencies[$0] > 0 && frequencies[$0] <= upper }
        var snrMean = [Double](repeating: 0, count: frequencies.count), counted = snrMean
        for c in 0..<data.channels.count {
            let snr = TagStatistics.snrSpectrum(Array(result.spectra.psd.row(c)), neighbors: options.neighbors, skip: options.skip)
            for k in frequencies.indices where snr[k].isFinite { snrMean[k] += snr[k]; counted[k] += 1 }
        }
        for k in frequencies.indices { snrMean[k] = counted[k] > 0 ? snrMean[k] / counted[k] : .nan }
        let top = shown.map { snrMean[$0] }.filter(\.isFinite).max() ?? 1
        var series: [(name: String, x: [Double], y: [Double], color: String)] = [
            (name: "SNR, mean over channels", x: shown.map { frequencies[$0] }, y: shown.map { snrMean[$0] }, color: palette[0])]
        for (i, f) in options.tags.enumerated() {
            series.append((name: "\(names[i]) (\(String(format: "%g", f)) Hz)", x: [f, f], y: [0, top], color: palette[(i + 1) % palette.count]))
        }
        report.add(.figure(name: "snr-spectrum", svg: Plots.lines(series: series, title: "SNR spectrum with the tagged frequencies",
                                                                  xLabel: "frequency (Hz)", yLabel: "SNR"),
                           caption: "Power over the mean of \(options.neighbors) neighbouring bins on each side (skipping \(options.skip)), averaged over channels; vertical lines mark the tags."))

        report.add(.heading("Channels", level: 1))
        for (j, f) in result.tagFrequencies.enumerated() where result.tagHarmonic[j] == 1 {
            let values = (0..<data.channels.count).map { result.snr[$0, j] }
            let significant = Set((0..<data.channels.count).filter { result.significant[$0][j] })
            let name = names[result.tagBase[j]]
            let finite = values.filter(\.isFinite)
            let svg: SVGDocument
            if data.positions.contains(where: { $0 != nil }) {
                svg = Plots.topography(positions: data.positions, values: values, names: data.channels, labelled: significant,
                                       title: "SNR at \(String(format: "%g", f)) Hz (\(name)); named sensors are significant",
                                       colorbarLabel: "SNR", limits: 0...max(finite.max() ?? 1, 1e-12))
            } else {
                let order = values.indices.sorted { (values[$0].isFinite ? values[$0] : -1) > (values[$1].isFinite ? values[$1] : -1) }.prefix(60).sorted()
                svg = Plots.bars(categories: order.map { data.channels[$0] + (significant.contains($0) ? " *" : "") },
                                 series: [(name: "SNR", values: order.map { values[$0] }, color: palette[(result.tagBase[j] + 1) % palette.count])],
                                 title: "SNR at \(String(format: "%g", f)) Hz (\(name)); * significant", yLabel: "SNR")
            }
            report.add(.figure(name: "snr-\(name)", svg: svg, caption: "SNR of each channel at \(String(format: "%g", f)) Hz; \(significant.count) significant."))
        }
        let groups = data.groups ?? [String](repeating: "all", count: data.channels.count)
        let groupNames = Array(Set(groups)).sorted()
        let levelNames = Array(Set(result.levels)).sorted().filter { $0 != "none" }
        if !levelNames.isEmpty {
            report.add(.figure(name: "levels", svg: Plots.bars(categories: groupNames, series: levelNames.enumerated().map { i, level in
                (name: level, values: groupNames.map { g in Double(zip(groups, result.levels).filter { $0.0 == g && $0.1 == level }.count) },
                 color: palette[i % palette.count])
            }, title: "Channels per level and group", yLabel: "channels", rotateLabels: groupNames.count > 6),
            caption: "How many channels follow each combination of tags, per group."))
        }
        report.add(.table(header: ["channel", "level"] + result.tagFrequencies.indices.map { "SNR \(String(format: "%g", result.tagFrequencies[$0])) Hz" },
                          rows: data.channels.indices.filter { result.levels[$0] != "none" }.map { c in
            [data.channels[c], result.levels[c]] + result.tagFrequencies.indices.map { String(format: "%.2f", result.snr[c, $0]) + (result.significant[c][$0] ? " *" : "") }
        }))
        if let rsa = extras.rsa {
            report.add(.heading("Representational similarity", level: 1))
            let m = Matrix(rows: rsa.count, columns: rsa.count, values: rsa.flatMap { $0 })
            report.add(.figure(name: "rsa", svg: Plots.heatmap(values: m, rowLabels: extras.conditions, xRange: 0...Double(rsa.count),
                                                               xLabel: "conditions (same order as rows)", title: "Cosine distance between conditions",
                                                               colormap: .sequential, limits: 0...max(m.values.max() ?? 1, 1e-12), colorbarLabel: "distance"),
                               caption: "Cosine distances between the conditions' evoked amplitude spectra in \(options.rsaBand.lowerBound)–\(options.rsaBand.upperBound) Hz\(extras.rsaSpearman.map { String(format: "; Spearman ρ with the other source: %.3f", $0) } ?? "")."))
        }
        return report
    }
}
