import Foundation
import NeuroCore
import NeuroIO

/// What a homogenization run did.
public struct HomogenizationSummary: Sendable {
    /// Output group names, in order.
    public var written: [String] = []
    /// One line per skipped recording.
    public var skipped: [String] = []
    /// Recoverable oddities (dropped channels, …), one line each.
    public var warnings: [String] = []
}

/// Provenance written into every output: which tool, which command, when nothing else differs.
public struct Provenance: Sendable {
    public var toolVersion: String
    public var commandLine: String
    public init(toolVersion: String, commandLine: String) {
        self.toolVersion = toolVersion
        self.commandLine = commandLine
    }
}

/// Runs the homogenization pipeline over inputs and writes one common-format file.
public enum Homogenizer {
    /// Homogenizes `inputs` into `output`. Recordings are read, processed and written one at a time,
    /// so memory holds one recording. On any error nothing is left at `output`.
    public static func run(inputs: [HomogenizationInput], output: String, title: String,
                           options: HomogenizeOptions, provenance: Provenance,
                           progress: any ProgressReporter = SilentProgress()) throws -> HomogenizationSummary {
        guard !inputs.isEmpty else { throw NeuroIOError.badValue(output, field: "inputs", detail: "no input files") }
        // Open every source first: a wrong path or unreadable file fails before any work.
        var sources: [(input: HomogenizationInput, source: any RecordingSource, sha: String)] = []
        for input in inputs {
            let source = try Readers.open(input.path, reader: input.reader, options: input.options)
            sources.append((input, source, try FileChecksum.sha256(of: input.path)))
        }
        let global: [(key: String, value: AttributeValue)] = [
            ("title", .text(title)),
            ("neurotool_version", .text(provenance.toolVersion)),
            ("command_line", .text(provenance.commandLine)),
            ("input_files", .text(inputs.map(\.path).joined(separator: "\n"))),
            ("input_sha256", .text(sources.map(\.sha).joined(separator: "\n"))),
            ("parameters", .text(parameterSummary(options))),
        ]
        let writer = try CommonFormatWriter(path: output, precision: options.precision, globalAttributes: global,
                                            inputs: inputs.map(\.path))
        var summary = HomogenizationSummary()
        var usedNames = Set<String>()
        let total = sources.reduce(0) { $0 + $1.source.recordingNames.count }
        var done = 0
        defer { progress.finish() }
        do {
            for (input, source, sha) in sources {
                let info = SourceInfo(path: input.path, sha256: sha, reader: source.readerName, lab: input.lab)
                for index in source.recordingNames.indices {
                    let raw = try source.load(index)
                    progress.update(completed: done, total: total, label: "\(input.lab ?? (input.path as NSString).lastPathComponent) \(raw.name)")
                    let name = uniqueName(groupName(for: raw.name, input: input), used: &usedNames)
                    switch try RecordingProcessor.process(raw, groupName: name, source: info, options: options) {
                    case .skipped(let reason):
                        summary.skipped.append(reason)
                    case .processed(let recording, let warnings):
                        try writer.write(recording)
                        summary.written.append(name)
                        summary.warnings += warnings
                    }
                    done += 1
                    progress.update(completed: done, total: total, label: "")
                }
            }
            guard !summary.written.isEmpty else {
                throw NeuroIOError.badValue(output, field: "output", detail: "no recording was long enough to keep (\(summary.skipped.count) skipped)")
            }
            try writer.commit(finalAttributes: [("skipped", .text(summary.skipped.joined(separator: "\n"))),
                                                ("warnings", .text(summary.warnings.joined(separator: "\n")))])
        } catch {
            writer.abandon()
            throw error
        }
        return summary
    }

    /// `lab_recording`, or `filestem_recording` without a lab; characters NetCDF dislikes become `_`.
    static func groupName(for recording: String, input: HomogenizationInput) -> String {
        let stem = ((input.path as NSString).lastPathComponent as NSString).deletingPathExtension
        let prefix = input.lab ?? stem
        let raw = recording == prefix ? prefix : "\(prefix)_\(recording)"
        return String(raw.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
    }

    static func uniqueName(_ name: String, used: inout Set<String>) -> String {
        var candidate = name, k = 2
        while used.contains(candidate) { candidate = "\(name)_\(k)"; k += 1 }
        used.insert(candidate)
        return candidate
    }

    /// The options as one readable line, for the global `parameters` attribute.
    public static func parameterSummary(_ o: HomogenizeOptions) -> String {
        let target: String
        switch o.target {
        case .dt(let dt): target = "dt=\(dt)"
        case .rate(let r): target = "rate=\(r)"
        case .native: target = "rate=native"
        }
        return [target, "resampler=\(o.resampler.rawValue)", "smooth=\(o.smoothing.name)(\(o.smoothing.parameterText))",
                "normalize=\(o.normalization.name)(\(o.normalization.parameterText))", "channels=\(o.channelOrder.description)",
                "min_samples=\(o.minSamples)", "max_nan_run=\(o.maxNaNRun)", "nan_policy=\(o.nanPolicy.rawValue)",
                "residual=\(o.residual)", "keep_unlabeled=\(o.keepUnlabeled)", "precision=\(o.precision.rawValue)"]
            .joined(separator: " ")
    }
}
