import ArgumentParser
import Foundation
import NeuroCore
import NeuroTagging
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

    @OptionGroup var out: OutputOptions

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

    @Option(help: "Report page name.")
    var name: String = "ftag"

    @Flag(name: .customLong("record-timing"), help: "Write spectra_seconds and permutation_seconds (the output then differs between runs).")
    var recordTiming = false

    func validate() throws {
        guard SpectrumMethod(rawValue: method) != nil else { throw ValidationError("--method must be fft or welch") }
        guard TrialAveraging(rawValue: average) != nil else { throw ValidationError("--average must be evoked or spectra") }
        guard neighbors >= 1, skip >= 0 else { throw ValidationError("--neighbors must be at least 1 and --skip at least 0") }
        guard permutations >= 0 else { throw ValidationError("--permutations must be non-negative") }
        if fdr && uncorrected { throw ValidationError("--fdr and --uncorrected exclude each other") }
        guard alpha > 0 && alpha < 1 else { throw ValidationError("--alpha must be in (0, 1)") }
    }

    /// The run these options ask for.
    func config() throws -> FTagConfig {
        var options = FTagOptions(tags: try tags.split(separator: ",").map {
            guard let f = Double($0.trimmingCharacters(in: .whitespaces)) else { throw ValidationError("--tags: '\($0)' is not a frequency") }
            return f
        })
        options.tagNames = tagNames.map { $0.split(separator: ",").map(String.init) }
        if let names = options.tagNames, names.count != options.tags.count {
            throw ValidationError("--tag-names gives \(names.count) names for \(options.tags.count) tags")
        }
        (options.harmonics, options.method, options.averaging) = (harmonics, SpectrumMethod(rawValue: method)!, TrialAveraging(rawValue: average)!)
        (options.segmentLength, options.overlap, options.neighbors, options.skip) = (nperseg, noverlap, neighbors, skip)
        (options.permutations, options.seed, options.alpha) = (permutations, seed, alpha)
        options.correction = fdr ? .fdr : uncorrected ? .none : .bonferroni
        var c = FTagConfig(input: input, options: options)
        (c.epoch, c.duration, c.rate, c.recording, c.exportPermutations) = (epoch, duration, rate, recording, exportPermutations)
        (c.control, c.groups, c.rsaBand, c.compareRSA) = (control, groups, rsaBand, compareRSA)
        c.conditions = conditions.map { $0.split(separator: ",").map(String.init) }
        return c
    }

    func run() throws {
        let config = try config()
        try out.run(input: input, inputs: config.inputFiles, name: name, recordTiming: recordTiming) {
            try FTagAnalysis.run(config, progress: $0)
        }
    }
}
