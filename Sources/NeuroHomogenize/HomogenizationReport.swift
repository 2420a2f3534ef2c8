import Foundation
import NeuroCore
import NeuroIO
import NeuroReport
import NeuroStore

/// The report page of a homogenized file: provenance; for calcium recordings one row per recording, a
/// neurons × time heatmap per recording, neuron coverage and a few neurons followed across labs; for
/// EEG/MEG recordings the page of ``ContinuousReport``.
public enum HomogenizationReport {
    /// Builds the report from a common-format file (reading one recording at a time).
    public static func make(from path: String) throws -> Report {
        let file = try CommonFormatFile(path: path)
        let title = file.globalAttribute("title")?.description ?? "Homogenized recordings"
        var report = Report(title: "Homogenization: \(title)")
        report.add(.paragraph("\(file.recordingNames.count) recordings homogenized into one common-format file (`\((path as NSString).lastPathComponent)`), channels in a fixed order, on a uniform time grid."))
        report.addProvenance(version: file.globalAttribute("neurotool_version")?.description ?? "?",
                             command: file.globalAttribute("command_line")?.description ?? "?",
                             details: [("parameters", file.globalAttribute("parameters")?.description ?? "?"),
                                       ("format", "\(CommonFormat.name) \(file.globalAttribute("format_version")?.description ?? "?")")])
        let inputs = (file.globalAttribute("input_files")?.description ?? "").split(separator: "\n")
        let shas = (file.globalAttribute("input_sha256")?.description ?? "").split(separator: "\n")
        report.add(.table(header: ["input", "SHA-256"], rows: zip(inputs, shas).map { [String($0), String($1.prefix(16)) + "…"] }))

        var calciumNames: [String] = [], continuousNames: [String] = []
        for name in file.recordingNames {
            let reader = try file.recordingAttribute(name, "source_reader") ?? ""
            if Readers.named(reader)?.modality == .continuous { continuousNames.append(name) } else { calciumNames.append(name) }
        }
        let notes = ["skipped", "warnings"].flatMap { (file.globalAttribute($0)?.description ?? "").split(separator: "\n").map(String.init) }
        if !notes.isEmpty {
            report.add(.heading("Skipped and warnings", level: 1))
            report.add(.list(notes))
        }
        if !continuousNames.isEmpty {
            for block in try ContinuousReport.sections(file: file, names: continuousNames) { report.add(block) }
        }
        guard !calciumNames.isEmpty else { return report }

        var rows: [[String]] = []
        var coverage: [String: Int] = [:]
        var perRecording: [(name: String, labeled: Int, unlabeled: Int)] = []
        var figures: [Report.Block] = []
        var followed: [String: [(recording: String, time: [Double], values: [Double])]] = [:]
        for name in calciumNames {
            let r = try file.recording(name)
            let a = { (key: String) in r.attribute(key)?.description ?? "" }
            let recordedCount = r.recorded.filter { $0 }.count, labeledCount = r.labeled.filter { $0 }.count
            rows.append([name, a("lab"), a("source_reader"), String(format: "%.2f", Double(a("original_sampling_rate")) ?? 0),
                         a("original_samples"), "\(r.time.count)", "\(recordedCount)", "\(labeledCount)",
                         "\(a("labels_ambiguous"))/\(a("labels_unknown"))/\(a("labels_duplicate"))", a("nan_samples_filled")])
            perRecording.append((name, labeledCount, recordedCount - labeledCount))
            for (c, channel) in r.channels.enumerated() where r.labeled[c] {
                coverage[channel.name, default: 0] += 1
                followed[channel.name, default: []].append((name, r.time, r.data.column(c)))
            }
            // Heatmap: labeled neurons (canonical order), then unlabeled ones.
            let shown = r.channels.indices.filter { r.recorded[$0] }.sorted { (r.labeled[$0] ? 0 : 1, $0) < (r.labeled[$1] ? 0 : 1, $1) }
            var matrix = Matrix(rows: shown.count, columns: r.time.count)
            for (i, c) in shown.enumerated() { for t in 0..<r.time.count { matrix[i, t] = r.data[t, c] } }
            let svg = Plots.heatmap(values: matrix, rowLabels: shown.map { r.channels[$0].name },
                                    xRange: (r.time.first ?? 0)...(r.time.last ?? 1), xLabel: "time (s)",
                                    title: "\(name): \(labeledCount) labeled + \(recordedCount - labeledCount) unlabeled neurons",
                                    colormap: .diverging, limits: -3...3, colorbarLabel: a("normalization"))
            figures.append(.figure(name: "heatmap-\(name)", svg: svg, caption: "Neurons × time for \(name) (\(a("source_file"))), after homogenization."))
        }
        report.add(.heading("Recordings", level: 1))
        report.add(.table(header: ["recording", "lab", "reader", "source Hz", "source samples", "samples", "recorded", "labeled",
                                   "ambiguous/unknown/duplicate labels", "NaN filled"], rows: rows))
        report.add(.heading("Coverage", level: 1))
        report.add(.figure(name: "neurons-per-recording", svg: Plots.bars(
            categories: perRecording.map(\.name),
            series: [("labeled", perRecording.map { Double($0.labeled) }, "#2166ac"),
                     ("unlabeled", perRecording.map { Double($0.unlabeled) }, "#bbbbbb")],
            title: "Recorded neurons per recording", yLabel: "neurons"), caption: "Recorded neurons per recording, labeled (identified) and unlabeled."))
        let covered = CanonicalNeurons.names.filter { coverage[$0] != nil }.sorted { (-(coverage[$0] ?? 0), $0) < (-(coverage[$1] ?? 0), $1) }
        let top = Array(covered.prefix(80))
        report.add(.figure(name: "neuron-coverage", svg: Plots.bars(
            categories: top, series: [("recordings", top.map { Double(coverage[$0] ?? 0) }, "#1b7837")],
            title: "In how many recordings each neuron is identified (top \(top.count) of \(covered.count))", yLabel: "recordings"),
            caption: "Coverage of canonical neurons across recordings: \(covered.count) of \(CanonicalNeurons.names.count) identified at least once."))
        // A few neurons followed across recordings.
        if let neuron = covered.first, let traces = followed[neuron] {
            let colors = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
            let series = traces.prefix(8).enumerated().map { i, tr in (name: tr.recording, x: tr.time, y: tr.values, color: colors[i % colors.count]) }
            report.add(.figure(name: "followed-\(neuron)", svg: Plots.stackedLines(series: Array(series), title: "\(neuron) in every recording that identified it",
                                                                                    xLabel: "time (s)", offset: 3),
                               caption: "The most widely identified neuron, \(neuron), after homogenization: same grid, same normalisation."))
        }
        report.add(.heading("Recordings in detail", level: 1))
        figures.forEach { report.add($0) }
        return report
    }
}
