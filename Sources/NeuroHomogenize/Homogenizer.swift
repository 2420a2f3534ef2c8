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

/// Runs the homogenization pipeline over inputs and writes one common-format file.
public enum Homogenizer {
    /// Homogenizes `inputs` into `output`. Recordings are read and processed one at a time, the next
    /// one on a second thread while the previous one is written, so memory holds at most two
    /// recordings. On any error nothing is left at `output`.
    ///
    /// `otherInputs` are files read besides the recordings (the manifest, a channel list): they are
    /// checksummed into the provenance and, like every file a reader touches, may not be the output.
    public static func run(inputs: [HomogenizationInput], output: String, title: String,
                           options: HomogenizeOptions, provenance: Provenance, otherInputs: [String] = [],
                           progress: any ProgressReporter = SilentProgress()) throws -> HomogenizationSummary {
        guard !inputs.isEmpty else { throw NeuroIOError.badValue(output, field: "inputs", detail: "no input files") }
        // A file listed twice would be opened twice at once, which netcdf-c and HDF5 do not support.
        var seen = Set<String>()
        for input in inputs where !seen.insert(URL(fileURLWithPath: input.path).standardizedFileURL.resolvingSymlinksInPath().path).inserted {
            throw NeuroIOError.badValue(input.path, field: "inputs", detail: "listed more than once")
        }
        // Open every source first: a wrong path or unreadable file fails before any work.
        // Sources are closed again after this check (an open HDF5 file holds megabytes of cache) and
        // reopened one at a time while processing.
        var sources: [(input: HomogenizationInput, names: [String], reader: String, continuous: Bool)] = []
        var readFiles: [String] = []
        for input in inputs {
            try FileChecks.requireInput(input.path)
            if Readers.continuousReader(for: input.path, reader: input.reader) != nil {
                let source = try Readers.openContinuous(input.path, reader: input.reader, options: input.options)
                sources.append((input, [source.recordingName], source.readerName, true))
                readFiles += [input.path] + source.companionPaths
            } else {
                let source = try Readers.open(input.path, reader: input.reader, options: input.options)
                sources.append((input, source.recordingNames, source.readerName, false))
                readFiles += [input.path] + source.companionPaths
            }
        }
        readFiles += otherInputs
        let checksums = try readFiles.map { try FileChecksum.sha256(of: $0) }
        let checksumOf = Dictionary(zip(readFiles, checksums), uniquingKeysWith: { a, _ in a })
        let global = try provenance.attributes(title: title, inputs: readFiles, checksums: checksums,
                                               parameters: parameterSummary(options))
        let writer = try CommonFormatWriter(path: output, precision: options.precision, globalAttributes: global,
                                            inputs: readFiles)
        var summary = HomogenizationSummary()
        // Every recording to process, with its output group name, in input order.
        var usedNames = Set<String>()
        var jobs: [(source: Int, index: Int, group: String, info: SourceInfo)] = []
        for (s, (input, names, reader, _)) in sources.enumerated() {
            let info = SourceInfo(path: input.path, sha256: checksumOf[input.path] ?? "", reader: reader, lab: input.lab)
            for (index, name) in names.enumerated() {
                jobs.append((s, index, uniqueName(groupName(for: name, input: input), used: &usedNames), info))
            }
        }
        defer { progress.finish() }
        do {
            // Load and process recording i + 1 while recording i is compressed and written.
            let current = OpenSource(inputs: sources.map(\.input))
            let continuous = sources.map(\.continuous)
            try pipelined(count: jobs.count, produce: { i -> ProcessedRecording? in
                // Continuous recordings stream on the writing thread (their channels use both cores).
                let job = jobs[i]
                guard !continuous[job.source] else { return nil }
                let raw = try current.source(job.source).load(job.index)
                return try RecordingProcessor.process(raw, groupName: job.group, source: job.info, options: options)
            }, consume: { i, processed in
                // Progress in thousandths of a recording, so a long EEG file moves the bar too.
                progress.update(completed: i * 1000, total: jobs.count * 1000, label: jobs[i].group)
                guard let processed else {
                    let job = jobs[i], input = sources[job.source].input
                    let source = try Readers.openContinuous(input.path, reader: input.reader, options: input.options)
                    summary.warnings += try ContinuousProcessor.process(source, groupName: job.group, sha256: job.info.sha256, lab: input.lab,
                                                                        options: options.continuousResolved, writer: writer) { fraction in
                        progress.update(completed: i * 1000 + Int(fraction * 1000), total: jobs.count * 1000,
                                        label: "\(job.group) \(Int(fraction * 100))%")
                    }
                    summary.written.append(job.group)
                    progress.update(completed: (i + 1) * 1000, total: jobs.count * 1000, label: "")
                    return
                }
                switch processed {
                case .skipped(let reason):
                    summary.skipped.append(reason)
                case .processed(let recording, let warnings):
                    try writer.write(recording)
                    summary.written.append(recording.name)
                    summary.warnings += warnings
                }
                progress.update(completed: (i + 1) * 1000, total: jobs.count * 1000, label: "")
            })
            guard !summary.written.isEmpty else {
                let first = summary.skipped.first.map { "; first: \($0)" } ?? ""
                throw NeuroIOError.badValue(output, field: "output", detail: "no recording was long enough to keep (\(summary.skipped.count) skipped\(first))")
            }
            try writer.commit(finalAttributes: [("skipped", .text(summary.skipped.joined(separator: "\n"))),
                                                ("warnings", .text(summary.warnings.joined(separator: "\n")))])
        } catch {
            writer.abandon()
            throw error
        }
        return summary
    }

    /// `lab_recording`, or `filestem_recording` without a lab (just the stem when the two are equal);
    /// anything but ASCII letters, digits, `_` and `-` becomes `_`, so names are the same in every
    /// Unicode normalisation and every reader.
    static func groupName(for recording: String, input: HomogenizationInput) -> String {
        let stem = ((input.path as NSString).lastPathComponent as NSString).deletingPathExtension
        let prefix = input.lab ?? stem
        let raw = recording == prefix ? prefix : "\(prefix)_\(recording)"
        let safe = String(raw.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-") ? Character(s) : "_"
        })
        return safe.first?.isNumber == false ? safe : "r" + safe
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
        case .dt(let dt)?: target = "dt=\(dt)"
        case .rate(let r)?: target = "rate=\(r)"
        case .native?: target = "rate=native"
        case nil: target = "dt=0.333 (calcium) rate=256 (EEG/MEG)"
        }
        let c = o.continuous
        let eeg = "l_freq=\(c.lowFrequency.map { "\($0)" } ?? "none") h_freq=\(c.highFrequency.map { "\($0)" } ?? "none") notch=\(c.notch.map { "\($0)" }.joined(separator: ","))"
        return [target, "resampler=\(o.resampler.rawValue)", "smooth=\(o.smoothing.name)(\(o.smoothing.parameterText))",
                "normalize=\(o.normalization.name)(\(o.normalization.parameterText))", "channels=\(o.channelOrder.description)",
                "min_samples=\(o.minSamples)", "max_nan_run=\(o.maxNaNRun)", "nan_policy=\(o.nanPolicy.rawValue)",
                "residual=\(o.residual)", "keep_unlabeled=\(o.keepUnlabeled)", "precision=\(o.precision.rawValue)", eeg]
            .joined(separator: " ")
    }
}

/// The one input open at a time on the producer thread of the pipeline.
private final class OpenSource: @unchecked Sendable {
    let inputs: [HomogenizationInput]
    private var open: (index: Int, source: any RecordingSource)?

    init(inputs: [HomogenizationInput]) { self.inputs = inputs }

    /// Input `index`, opened now unless it is the one already open (which is then closed).
    func source(_ index: Int) throws -> any RecordingSource {
        if let open, open.index == index { return open.source }
        open = nil
        let input = inputs[index]
        let source = try Readers.open(input.path, reader: input.reader, options: input.options)
        open = (index, source)
        return source
    }
}
