import Foundation
import NeuroCore
import NeuroIO
import NeuroStore

/// What a homogenization run did.
public struct HomogenizationSummary: Sendable {
    /// Output group names, in order.
    public var written: [String] = []
    /// One line per skipped recording.
    public var skipped: [String] = []
    /// Recoverable oddities (dropped channels, …), one line each.
    public var warnings: [String] = []

    /// What was written, in a few words: `16 recordings (1 skipped)`.
    public var summary: String { "\(written.count) recordings (\(skipped.count) skipped)" }
}

/// Runs the homogenization pipeline over inputs and writes one common-format file.
public enum Homogenizer {
    /// Runs `config`: homogenizes its inputs into its output (see
    /// ``run(inputs:output:title:options:provenance:otherInputs:progress:)``).
    public static func run(_ config: HomogenizeConfig, provenance: Provenance,
                           progress: any ProgressReporter = SilentProgress()) throws -> HomogenizationSummary {
        try run(inputs: config.inputs, output: config.output, title: config.title, options: config.options,
                provenance: provenance, otherInputs: config.otherInputs, progress: progress)
    }

    /// Homogenizes `inputs` into `output`. Recordings are read and processed one at a time, the next
    /// one on a second thread while the previous one is written, so memory holds at most two
    /// recordings. On any error nothing is left at `output`.
    ///
    /// `otherInputs` are files read besides the recordings (the manifest, a channel list): they are
    /// checksummed into the provenance and, like every file a reader touches, may not be the output.
    public static func run(inputs: [HomogenizationInput], output: String, title: String,
                           options: HomogenizeOptions, provenance: Provenance, otherInputs: [String] = [],
                           progress: any ProgressReporter = SilentProgress()) throws -> HomogenizationSummary {
        guard !inputs.isEmpty else { throw HomogenizeError.noInputs(output: output) }
        // A file listed twice would be opened twice at once, which netcdf-c and HDF5 do not support.
        var seen = Set<String>()
        for input in inputs where !seen.insert(URL(fileURLWithPath: input.path).standardizedFileURL.resolvingSymlinksInPath().path).inserted {
            throw HomogenizeError.duplicateInput(input.path)
        }
        // Recognise (one sniff of each header) and open every source first, so that a wrong path, an
        // unreadable file or a resampler that does not apply fails before any work. Sources are closed
        // again after this check (an open HDF5 file holds megabytes of cache, a corpus thousands of files)
        // and reopened with the same reader, one at a time, while processing.
        var sources: [OpenedInput] = []
        var readFiles: [String] = []
        for input in inputs {
            let reader = try Readers.reader(for: input.path, named: input.reader)
            guard options.grid.applies(to: reader.modality) else {
                throw HomogenizeError.resamplerNotApplicable(file: input.path, resampler: options.grid.resampler.rawValue, modality: reader.modality)
            }
            let source = try Readers.open(input.path, with: reader, options: input.options)
            sources.append(OpenedInput(input: input, reader: reader, readerName: source.readerName, recordingNames: source.recordingNames))
            readFiles += [input.path] + source.companionPaths
        }
        readFiles += otherInputs
        let checksums = try readFiles.map { try FileChecksum.sha256(of: $0) }
        let checksumOf = Dictionary(zip(readFiles, checksums), uniquingKeysWith: { a, _ in a })
        let global = try provenance.attributes(title: title, inputs: readFiles, checksums: checksums,
                                               parameters: options.parameters(for: Set(sources.map { $0.reader.modality })).description)
        let writer = try CommonFormatWriter(path: output, precision: options.grid.precision, globalAttributes: global,
                                            inputs: readFiles)
        var summary = HomogenizationSummary()
        // Every recording to process, with its output group name, in input order.
        var usedNames = Set<String>()
        var jobs: [Job] = []
        for (s, opened) in sources.enumerated() {
            let input = opened.input
            let info = SourceInfo(path: input.path, sha256: checksumOf[input.path] ?? "", reader: opened.readerName, lab: input.lab)
            for (index, name) in opened.recordingNames.enumerated() {
                jobs.append(Job(source: s, index: index, group: uniqueName(groupName(for: name, input: input), used: &usedNames), info: info))
            }
        }
        defer { progress.finish() }
        do {
            // Open (and for calcium, load and process) recording i + 1 while recording i is written.
            let current = OpenSource(inputs: sources)
            try pipelined(count: jobs.count, produce: { i -> Prepared in
                let job = jobs[i]
                let stream = try current.source(job.source).recording(job.index)
                switch sources[job.source].reader.modality {
                case .calcium:
                    let raw = try RawRecording(reading: stream, source: job.info.path)
                    return .calcium(try RecordingProcessor.process(raw, groupName: job.group, source: job.info, options: options))
                case .continuous:
                    // Continuous recordings stream on the writing thread (their channels use both cores).
                    return .continuous(UnsafeSendable(stream))
                }
            }, consume: { i, prepared in
                // Progress in thousandths of a recording, so a long EEG file moves the bar too.
                let job = jobs[i]
                progress.update(completed: i * 1000, total: jobs.count * 1000, label: job.group)
                switch prepared {
                case .continuous(let stream):
                    summary.warnings += try ContinuousProcessor.process(stream.wrapped, groupName: job.group, source: job.info,
                                                                        options: options, writer: writer) { fraction in
                        progress.update(completed: i * 1000 + Int(fraction * 1000), total: jobs.count * 1000,
                                        label: "\(job.group) \(Int(fraction * 100))%")
                    }
                    summary.written.append(job.group)
                case .calcium(.skipped(let reason)):
                    summary.skipped.append(reason)
                case .calcium(.processed(let recording, let warnings)):
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

    /// An input recognised and checked, with what its source holds.
    fileprivate struct OpenedInput {
        let input: HomogenizationInput
        let reader: any RecordingReader.Type
        /// The opened source's own reader name (`bdf` for a BDF file read by the `edf` reader).
        let readerName: String
        let recordingNames: [String]
    }

    /// One recording to homogenize into group `group`.
    private struct Job {
        let source: Int, index: Int, group: String, info: SourceInfo
    }

    /// A recording ready for the writing thread: processed whole (calcium) or opened for streaming.
    private enum Prepared {
        case calcium(ProcessedRecording)
        case continuous(UnsafeSendable<any RawStream>)
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
}

/// The one input open at a time on the producer thread of the pipeline.
private final class OpenSource: @unchecked Sendable {
    private let inputs: [Homogenizer.OpenedInput]
    private var open: (index: Int, source: any RecordingSource)?

    init(inputs: [Homogenizer.OpenedInput]) { self.inputs = inputs }

    /// Input `index`, opened now with its reader unless it is the one already open (which is then closed).
    func source(_ index: Int) throws -> any RecordingSource {
        if let open, open.index == index { return open.source }
        open = nil
        let input = inputs[index].input
        let source = try Readers.open(input.path, with: inputs[index].reader, options: input.options)
        open = (index, source)
        return source
    }
}
