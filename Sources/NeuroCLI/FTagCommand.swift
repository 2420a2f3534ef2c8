import ArgumentParser
import Foundation
import NeuroCore
import NeuroFTag
import NeuroIO
import NeuroStore

/// `neurotool ftag`: which channels or model units follow tagged stimulus rhythms.
struct FTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ftag",
        abstract: "Frequency-tagging probes: spectra, SNR, ITPC, the HFTP permutation test and hierarchical levels per channel or unit.",
        discussion: """
        INPUT is a homogenized file (sensor channels and events of one recording) or an array of units × time \
        (× trials) in NPY, HDF5 (file.h5:/dataset) or NetCDF with --rate. Epochs hold a whole number of cycles \
        of every tag, so each tag falls exactly on an FFT bin.
        """)

    @Argument(help: "Homogenized file or array location.")
    var input: String

    @Option(name: [.short, .customLong("output")], help: "Output NetCDF file.")
    var output: String

    @Option(help: "Tagged frequencies in Hz, e.g. 1,2,4.")
    var tags: String

    @Option(name: .customLong("tag-names"), help: "A name per tag, e.g. sentence,phrase,word.")
    var tagNames: String?

    @Option(help: "Harmonics tested per tag (1: the fundamental only).")
    var harmonics: Int = 1

    @Option(help: "Epochs: events:LABEL (with --duration, or the longest whole number of cycles between events) or window:SECONDS; default: the whole input.")
    var epoch: String?

    @Option(help: "Epoch length in seconds for --epoch events:LABEL.")
    var duration: Double?

    @Option(help: "Sampling rate (Hz) of an array input.")
    var rate: Double?

    @Option(help: "Recording of a homogenized file (default: the first).")
    var recording: String?

    @Option(help: "Spectrum: fft (full-length periodogram) or welch.")
    var method: String = "fft"

    @Option(help: "Average trials before the spectrum (evoked) or average the spectra (spectra).")
    var average: String = "evoked"

    @Option(help: "Welch segment length in samples (default: the epoch).")
    var nperseg: Int?

    @Option(help: "Welch overlap in samples (default: half a segment).")
    var noverlap: Int?

    @Option(help: "Neighbouring bins on each side used as noise.")
    var neighbors: Int = 3

    @Option(help: "Adjacent bins skipped on each side.")
    var skip: Int = 1

    @Option(help: "Permutations of the HFTP test (0: none; significance from the SNR test alone).")
    var permutations: Int = 1000

    @Option(help: "Seed of the permutations.")
    var seed: UInt64 = 0

    @Option(name: .customLong("export-permutations"), help: "Write the permutations used to this .npy file (int32, permutations × samples).")
    var exportPermutations: String?

    @Option(help: "Control input (same channels and epochs): significance also needs experiment − control z > 2.")
    var control: String?

    @Flag(help: "Benjamini–Hochberg correction across channels, per tag (default: Bonferroni).")
    var fdr = false

    @Flag(help: "No correction across channels.")
    var uncorrected = false

    @Option(help: "Significance level.")
    var alpha: Double = 0.05

    @Option(help: "Array of one group number per unit (layer, region) for level counts.")
    var groups: String?

    @Option(help: "Event labels of conditions for representational similarity, e.g. c1,c2,c3.")
    var conditions: String?

    @Option(name: .customLong("rsa-band"), help: "Band (Hz) of the spectra compared across conditions.")
    var rsaBand: String = "0.5-2"

    @Option(name: .customLong("compare-rsa"), help: "Another ftag output: Spearman ρ between its RSA matrix and this one.")
    var compareRSA: String?

    @Option(help: "Also write an HTML + Markdown report with SVG figures into this directory.")
    var report: String?

    @Option(help: "Report page name.")
    var name: String = "ftag"

    @Flag(name: .customLong("record-timing"), help: "Write spectra_seconds and permutation_seconds (the output then differs between runs).")
    var recordTiming = false

    @Flag(name: .shortAndLong, help: "No progress bar or summary.")
    var quiet = false

    func validate() throws {
        guard SpectrumMethod(rawValue: method) != nil else { throw ValidationError("--method must be fft or welch") }
        guard TrialAveraging(rawValue: average) != nil else { throw ValidationError("--average must be evoked or spectra") }
        guard neighbors >= 1, skip >= 0 else { throw ValidationError("--neighbors must be at least 1 and --skip at least 0") }
        guard permutations >= 0 else { throw ValidationError("--permutations must be non-negative") }
    }

    func parsedTags() throws -> [Double] {
        try tags.split(separator: ",").map {
            guard let f = Double($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--tags: '\($0)' is not a frequency") }
            return f
        }
    }

    func parsedEpochs() throws -> FTagEpochs {
        guard let epoch else { return .whole }
        if epoch.hasPrefix("window:"), let s = Double(epoch.dropFirst("window:".count)) { return .windows(seconds: s) }
        if epoch.hasPrefix("events:"), epoch.count > "events:".count { return .events(label: String(epoch.dropFirst("events:".count)), duration: duration) }
        throw ValidationError("--epoch must be events:LABEL or window:SECONDS")
    }

    func run() throws {
        var options = FTagOptions(tags: try parsedTags())
        options.tagNames = tagNames.map { $0.split(separator: ",").map(String.init) }
        if let names = options.tagNames, names.count != options.tags.count {
            throw ValidationError("--tag-names gives \(names.count) names for \(options.tags.count) tags")
        }
        options.harmonics = harmonics
        options.method = SpectrumMethod(rawValue: method)!
        options.averaging = TrialAveraging(rawValue: average)!
        options.segmentLength = nperseg
        options.overlap = noverlap
        options.neighbors = neighbors
        options.skip = skip
        options.permutations = permutations
        options.seed = seed
        if fdr && uncorrected { throw ValidationError("--fdr and --uncorrected exclude each other") }
        options.correction = fdr ? .fdr : uncorrected ? .none : .bonferroni
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be in (0, 1)") }
        options.alpha = alpha
        let band = rsaBand.split(separator: "-").compactMap { Double($0) }
        guard band.count == 2, band[0] < band[1] else { throw ValidationError("--rsa-band must be LOW-HIGH in Hz") }
        options.rsaBand = band[0]...band[1]
        let lowest = options.tags.filter { $0 > 0 }.min() ?? 1
        let epochs = try parsedEpochs()

        var inputs = [ArrayFile.split(input).path]
        let progress = TerminalProgress(enabled: !quiet && isatty(STDERR_FILENO) != 0)
        let result: FTagResult
        var extras = FTagOutputFile.Extras()
        do {
            let data = try FTagInput.load(input, rate: rate, epochs: epochs, lowestTag: lowest, recording: recording, groups: groups)
            var controlData: EpochedData? = nil
            if let control {
                controlData = try FTagInput.load(control, rate: rate, epochs: epochs, lowestTag: lowest, recording: recording, groups: groups)
                inputs.append(ArrayFile.split(control).path)
            }
            if let groups { inputs.append(ArrayFile.split(groups).path) }
            result = try FTagAnalysis.run(data, options: options, control: controlData, progress: progress)
            if let conditions {
                let labels = conditions.split(separator: ",").map(String.init)
                guard labels.count >= 2 else { throw ValidationError("--conditions needs at least two event labels") }
                let epochsPerCondition = try labels.map { label in
                    try FTagInput.load(input, rate: rate, epochs: .events(label: label, duration: duration ?? data.duration),
                                       lowestTag: lowest, recording: recording)
                }
                extras.rsa = RepresentationalSimilarity.cosineDistances(FTagAnalysis.conditionVectors(epochsPerCondition, band: options.rsaBand))
                extras.conditions = labels
                if let compareRSA {
                    let other = try ArrayFile.read("\(compareRSA):rsa")
                    guard other.shape == [labels.count, labels.count] else {
                        throw CommandFailure("\(compareRSA): rsa is \(other.shape.map(String.init).joined(separator: "×")), this one \(labels.count)×\(labels.count)")
                    }
                    let matrix = (0..<labels.count).map { Array(other.values[($0 * labels.count)..<(($0 + 1) * labels.count)]) }
                    extras.rsaSpearman = RepresentationalSimilarity.spearman(extras.rsa!, matrix)
                    inputs.append(compareRSA)
                }
            }
        } catch let error as FTagError {
            progress.finish()
            throw CommandFailure("\(input): \(error)")
        }
        let parameters = "tags=\(options.tags.map { String(format: "%g", $0) }.joined(separator: ",")) names=\(options.names.joined(separator: ",")) harmonics=\(harmonics) epoch=\(epoch ?? "whole") duration=\(result.data.duration) method=\(method) average=\(average) nperseg=\(nperseg.map(String.init) ?? "epoch") noverlap=\(noverlap.map(String.init) ?? "half") neighbors=\(neighbors) skip=\(skip) permutations=\(permutations) seed=\(seed) correction=\(options.correction.rawValue) alpha=\(alpha) control=\(control ?? "none") conditions=\(conditions ?? "none") rsa_band=\(rsaBand)"
        let provenance = Provenance(toolVersion: NeurotoolVersion.current, commandLine: commandLineText())
        try FTagOutputFile.write(result, extras: extras, to: output, inputs: inputs, provenance: provenance,
                                 parameters: parameters, recordTiming: recordTiming)
        if let exportPermutations { try NPYWriter.write(result.permutations, to: exportPermutations, inputs: inputs) }
        if let report {
            try FTagReport.make(result, extras: extras, provenance: provenance, parameters: parameters, inputs: inputs)
                .write(directory: report, name: name)
        }
        if !quiet {
            let counts = Dictionary(grouping: result.levels, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }
            print("wrote \(output): \(result.data.channels.count) channels, \(result.data.trials) epochs; levels: \(counts.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            if let report { print("report: \((report as NSString).appendingPathComponent(name + ".html"))") }
        }
    }
}
