import ArgumentParser
import Foundation
import NeuroCore
import NeuroDSP
import NeuroHomogenize
import NeuroIO
import NeuroStore

extension OutputGrid.Resampler: ExpressibleByArgument {}
extension CalciumOptions.NaNPolicy: ExpressibleByArgument {}

/// `neurotool homogenize`: heterogeneous recordings in, one common-format file out.
struct Homogenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read recordings in any supported format and write one resampled, channel-ordered NetCDF-4 file.",
        discussion: """
        INPUT is a file, optionally followed by reader options: PATH:key=value:key=value (a segment starting \
        with '/' sets the dataset path: traces.h5:/trace_array:time=/t). Formats are recognised from content \
        and extension; readers: \(Readers.names).
        """)

    @Argument(help: "Input files (PATH[:key=value...]).")
    var inputs: [String] = []

    @Option(name: [.short, .customLong("output")], help: "Output NetCDF-4 file.")
    var output: String

    @Option(help: "Dataset manifest (JSON) listing sources with reader, lab and options.")
    var manifest: String?

    @Option(help: "Target time step in seconds (default 0.333 for calcium imaging).")
    var dt: Double?

    @Option(help: "Target sampling rate in Hz (default 256 for EEG/MEG), or 'native' to keep each recording's rate.")
    var rate: String?

    @Option(help: "High-pass edge in Hz for EEG/MEG channels (MNE's l_freq; zero-phase FIR, MNE's design).")
    var lFreq: Double?

    @Option(help: "Low-pass edge in Hz for EEG/MEG channels (MNE's h_freq).")
    var hFreq: Double?

    @Option(help: "Line-noise frequencies to notch out of EEG/MEG channels, comma-separated (e.g. 50,100,150).")
    var notch: String?

    @Flag(help: "EEG/MEG: per-sensor-type normalisation (subtract the across-channel mean at each sample, divide by the group's standard deviation).")
    var normalizeSensors = false

    @Option(help: "EEG/MEG: cut the recording into consecutive windows of this many seconds (window_start variable; the incomplete tail is dropped).")
    var window: Double?

    @Option(help: "EEG/MEG polyphase padding: reflect (MNE's default) or constant (zeros, SciPy's default).")
    var resamplePadding: String = "reflect"

    @Flag(help: "EEG/MEG: do not flag outlying channels in a bad mask.")
    var noBadChannels = false

    @Option(help: "Resampler. Calcium: auto (linear up, anti-aliased polyphase down), linear, cubic, reference, polyphase. EEG/MEG: polyphase (streaming, default) or fft (MNE's whole-record default).")
    var resampler: OutputGrid.Resampler = .auto

    @Option(help: "Causal smoother: none, moving, gaussian, exponential.")
    var smooth: String = "moving"

    @Option(help: "Moving-average window in samples (8 = the reference's window_size 15).")
    var smoothWindow: Int = 8

    @Option(help: "Gaussian smoother sigma in samples.")
    var smoothSigma: Double = 5

    @Option(help: "Exponential smoother alpha (0 < alpha ≤ 1).")
    var smoothAlpha: Double = 0.5

    @Option(help: "Normalisation per channel: zscore, dff, none.")
    var normalize: String = "zscore"

    @Option(help: "Baseline percentile for dff.")
    var dffPercentile: Double = 20

    @Option(help: "Channel order: celegans (300 canonical neurons), native, or a file with one channel name a line.")
    var channels: String = "celegans"

    @Option(help: "Reader for every input (default: recognised per file).")
    var reader: String?

    @Option(name: .customLong("option"), help: "Reader option key=value for every input (repeatable).")
    var readerOptions: [String] = []

    @Option(help: "Skip recordings with fewer samples.")
    var minSamples: Int = 600

    @Option(help: "Longest NaN run, as a fraction of the recording; shorter runs are interpolated.")
    var maxNanRun: Double = 0.05

    @Option(help: "Channels with longer NaN runs: error or drop (mark not recorded).")
    var nanPolicy: CalciumOptions.NaNPolicy = .error

    @Flag(help: "Do not write the residual (derivative) variable.")
    var noResidual = false

    @Flag(help: "Drop recorded but unlabeled neurons instead of keeping them as unlabeled_k channels.")
    var dropUnlabeled = false

    @Flag(help: "Store samples as float64 (default float32).")
    var float64 = false

    @Option(help: "Dataset title (default: the manifest's name or the output's file name).")
    var title: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors (warnings stay in the output's attributes).")
    var quiet = false

    func validate() throws {
        if inputs.isEmpty && manifest == nil { throw ValidationError("give INPUT files or --manifest FILE") }
        if dt != nil && rate != nil { throw ValidationError("give either --dt or --rate, not both") }
        if let dt, !(dt >= 1e-6 && dt <= 1e6) { throw ValidationError("--dt must be positive (between 1e-6 and 1e6 s)") }
        if let rate, rate != "native", !((Double(rate) ?? 0) > 0 && (Double(rate) ?? 0) <= 1e6) {
            throw ValidationError("--rate must be a positive number of Hz (at most 1e6) or 'native'")
        }
        if !(smoothSigma > 0 && smoothSigma <= 1e5) { throw ValidationError("--smooth-sigma must be between 0 and 1e5 samples") }
        if !(smoothWindow >= 1 && smoothWindow <= 1_000_000) { throw ValidationError("--smooth-window must be between 1 and 1e6 samples") }
        if minSamples < 2 { throw ValidationError("--min-samples must be at least 2") }
        if !(maxNanRun >= 0 && maxNanRun <= 1) { throw ValidationError("--max-nan-run is a fraction between 0 and 1") }
    }

    func makeOptions() throws -> HomogenizeOptions {
        var o = HomogenizeOptions()
        if let dt { o.grid.target = .dt(dt) }
        guard let padding = PolyphaseResampler.Padding(rawValue: resamplePadding), [.reflect, .constant, .edge].contains(padding) else {
            throw ValidationError("--resample-padding must be reflect, constant or edge")
        }
        o.continuous.polyphasePadding = padding
        o.continuous.normalizeBySensorType = normalizeSensors
        o.continuous.detectBadChannels = !noBadChannels
        if let window {
            guard window > 0 && window.isFinite else { throw ValidationError("--window must be a positive number of seconds") }
            o.continuous.windowSeconds = window
        }
        o.continuous.lowFrequency = lFreq
        o.continuous.highFrequency = hFreq
        if let notch {
            let values = notch.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ValidationError("--notch takes positive frequencies in Hz separated by commas, e.g. 50,100")
            }
            o.continuous.notch = values.map { $0! }
        }
        if let rate { o.grid.target = rate == "native" ? .native : .rate(Double(rate)!) }
        o.grid.resampler = resampler
        switch smooth {
        case "none": o.calcium.smoothing = .none
        case "moving":
            guard smoothWindow >= 1 else { throw ValidationError("--smooth-window must be ≥ 1") }
            o.calcium.smoothing = .moving(window: smoothWindow)
        case "gaussian":
            guard smoothSigma > 0 else { throw ValidationError("--smooth-sigma must be positive") }
            o.calcium.smoothing = .gaussian(sigma: smoothSigma)
        case "exponential":
            guard smoothAlpha > 0 && smoothAlpha <= 1 else { throw ValidationError("--smooth-alpha must be in (0, 1]") }
            o.calcium.smoothing = .exponential(alpha: smoothAlpha)
        default: throw ValidationError("--smooth must be none, moving, gaussian or exponential")
        }
        switch normalize {
        case "zscore": o.calcium.normalization = .zscore
        case "dff":
            guard dffPercentile >= 0 && dffPercentile <= 100 else { throw ValidationError("--dff-percentile must be in [0, 100]") }
            o.calcium.normalization = .deltaFOverF(percentile: dffPercentile)
        case "none": o.calcium.normalization = .none
        default: throw ValidationError("--normalize must be zscore, dff or none")
        }
        switch channels {
        case "celegans": o.calcium.channelOrder = .celegans
        case "native": o.calcium.channelOrder = .native
        default:
            let names = try ChannelList.read(channels)
            o.calcium.channelOrder = .list(name: (channels as NSString).lastPathComponent, names: names)
        }
        o.calcium.minSamples = minSamples
        o.calcium.maxNaNRun = maxNanRun
        o.calcium.nanPolicy = nanPolicy
        o.calcium.residual = !noResidual
        o.calcium.keepUnlabeled = !dropUnlabeled
        o.grid.precision = float64 ? .float64 : .float32
        return o
    }

    func run() throws {
        let config = try HomogenizeConfig(arguments: inputs, manifest: manifest, reader: reader, readerOptions: try parsedReaderOptions(),
                                          output: output, title: title, channelList: ["celegans", "native"].contains(channels) ? nil : channels,
                                          options: try makeOptions())
        let progress = TerminalProgress(enabled: !quiet && isatty(STDERR_FILENO) != 0)
        let summary: HomogenizationSummary
        do { summary = try Homogenizer.run(config, provenance: Provenance(toolVersion: NeurotoolVersion.current, commandLine: commandLineText()), progress: progress) }
        catch { throw commandError(error, input: output) }
        guard !quiet else { return }
        for line in summary.skipped + summary.warnings { printError("warning: \(line)") }
        print("wrote \(output): \(summary.summary)")
    }

    /// `--option key=value` pairs.
    func parsedReaderOptions() throws -> ReaderOptions {
        var shared: [String: String] = [:]
        for pair in readerOptions {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw ValidationError("--option takes key=value, got '\(pair)'") }
            shared[kv[0]] = kv[1]
        }
        return ReaderOptions(shared)
    }
}
