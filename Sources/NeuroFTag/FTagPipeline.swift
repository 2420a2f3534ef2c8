import Foundation
import NeuroCore
import NeuroStore
import NeuroPipeline
import NeuroReport
import NeuroTagging

/// Everything a `neurotool ftag` run is asked to do: the input and how it is epoched, the tag tests, the
/// control, groups, the RSA conditions and comparison. Defaults are the command's.
public struct FTagConfig: Sendable {
    /// Homogenized file or array location.
    public var input: String
    /// Tag frequencies, names, harmonics, spectrum, noise bins, permutations, correction and level.
    public var options: FTagOptions
    /// Epochs as written: `events:LABEL`, `window:SECONDS`, or nil for the whole input.
    public var epoch: String? = nil
    /// Epoch length in seconds at events (nil: the longest whole number of cycles between events).
    public var duration: Double? = nil
    /// Sampling rate of an array input.
    public var rate: Double? = nil
    /// Recording of a homogenized file (nil: the first).
    public var recording: String? = nil
    /// Write the permutations used to this `.npy` file.
    public var exportPermutations: String? = nil
    /// Control input with the same channels and epochs.
    public var control: String? = nil
    /// Array of one group number per unit.
    public var groups: String? = nil
    /// Event labels of the conditions compared by representational similarity.
    public var conditions: [String]? = nil
    /// RSA band as written, `LOW-HIGH` in Hz.
    public var rsaBand = "0.5-2"
    /// Another ftag output whose RSA matrix is compared with this one.
    public var compareRSA: String? = nil

    /// A configuration with the command's defaults.
    public init(input: String, options: FTagOptions) {
        self.input = input
        self.options = options
    }

    /// How the input is epoched (from `epoch` and `duration`).
    public var epochs: FTagEpochs {
        get throws {
            guard let epoch else { return .whole }
            if epoch.hasPrefix("window:"), let s = Double(epoch.dropFirst("window:".count)) { return .windows(seconds: s) }
            if epoch.hasPrefix("events:"), epoch.count > "events:".count { return .events(label: String(epoch.dropFirst("events:".count)), duration: duration) }
            throw FTagRunError.unreadableEpoch(epoch)
        }
    }

    /// The RSA band (from `rsaBand`).
    public var band: ClosedRange<Double> {
        get throws {
            let band = rsaBand.split(separator: "-").compactMap { Double($0) }
            guard band.count == 2, band[0] < band[1] else { throw FTagRunError.unreadableBand(rsaBand) }
            return band[0]...band[1]
        }
    }

    /// The lowest positive tag (epochs hold whole numbers of its cycles).
    public var lowestTag: Double { options.tags.filter { $0 > 0 }.min() ?? 1 }

    /// The files a run reads, as recorded in provenance.
    public var inputFiles: [String] {
        [input, control, groups].compactMap { $0 }.map { ArrayFile.split($0).path } + (conditions != nil ? [compareRSA].compactMap { $0 } : [])
    }

    /// The parameters recorded in the output file and report, with the epochs' duration.
    public func parameters(duration: Double) -> ParameterList {
        [
            "tags": ParameterList.list(options.tags.map { String(format: "%g", $0) }),
            "names": ParameterList.list(options.names),
            "harmonics": options.harmonics,
            "epoch": epoch ?? "whole",
            "duration": duration,
            "method": options.method.rawValue,
            "average": options.averaging.rawValue,
            "nperseg": options.segmentLength.map(String.init) ?? "epoch",
            "noverlap": options.overlap.map(String.init) ?? "half",
            "neighbors": options.neighbors,
            "skip": options.skip,
            "permutations": options.permutations,
            "seed": options.seed,
            "correction": options.correction.rawValue,
            "alpha": options.alpha,
            "control": control ?? "none",
            "conditions": conditions.map { ParameterList.list($0) } ?? "none",
            "rsa_band": rsaBand,
        ]
    }
}

/// Errors of an `ftag` run's configuration and side files, carrying the offending values.
public enum FTagRunError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An epoch specification that is neither `events:LABEL` nor `window:SECONDS`.
    case unreadableEpoch(String)
    /// An RSA band that is not `LOW-HIGH` with LOW < HIGH.
    case unreadableBand(String)
    /// Fewer than two RSA conditions (the labels given).
    case tooFewConditions([String])
    /// Another output's RSA matrix (path, shape) of another size than this one's (conditions).
    case rsaShapeMismatch(path: String, shape: [Int], conditions: Int)

    /// The message, naming values only.
    public var description: String {
        switch self {
        case .unreadableEpoch(let text): return "epochs must be events:LABEL or window:SECONDS (got '\(text)')"
        case .unreadableBand(let text): return "RSA band must be LOW-HIGH in Hz (got '\(text)')"
        case .tooFewConditions(let labels): return "representational similarity needs at least two event labels (got \(labels.count))"
        case let .rsaShapeMismatch(path, shape, n):
            return "\(path): rsa is \(shape.map(String.init).joined(separator: "×")), this one \(n)×\(n)"
        }
    }
}

/// A finished `ftag` run: the analysis result and the RSA extras, ready to be written and reported.
public struct FTagRun: AnalysisResult, Sendable {
    /// What was asked.
    public var config: FTagConfig
    /// What was computed.
    public var result: FTagResult
    /// RSA matrix, conditions and the Spearman ρ with another output.
    public var extras: FTagOutputFile.Extras

    /// A run of `config` with this result and RSA extras.
    public init(config: FTagConfig, result: FTagResult, extras: FTagOutputFile.Extras = .init()) {
        self.config = config
        self.result = result
        self.extras = extras
    }

    /// The configuration's parameters and the epochs' duration.
    public var parameters: ParameterList { config.parameters(duration: result.data.duration) }

    /// Writes the NetCDF result (docs/FORMAT.md, "Frequency-tagging results") and, when asked, the
    /// permutations as `.npy`.
    public func write(to path: String, context: RunContext) throws {
        try FTagOutputFile.write(result, extras: extras, to: path, inputs: context.inputs, provenance: context.provenance,
                                 parameters: parameters.description, recordTiming: context.recordTiming)
        if let export = config.exportPermutations { try NPYWriter.write(result.permutations, to: export, inputs: context.inputs) }
    }

    /// The report page.
    public func report(context: RunContext) throws -> Report {
        FTagReport.make(result, extras: extras, provenance: context.provenance, parameters: parameters.description, inputs: context.inputs)
    }

    /// Channels, epochs and the number of channels at each level.
    public var summary: String {
        let counts = Dictionary(grouping: result.levels, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }
        return "\(result.data.channels.count) channels, \(result.data.trials) epochs; levels: \(counts.map { "\($0.key) \($0.value)" }.joined(separator: ", "))"
    }
}

extension FTagAnalysis {
    /// The whole `ftag` analysis: loads the input (and control) as `config` says, then
    /// `run(_:data:control:progress:)`.
    public static func run(_ config: FTagConfig, progress: any ProgressReporter = SilentProgress()) throws -> FTagRun {
        var config = config
        config.options.rsaBand = try config.band
        let epochs = try config.epochs
        let data = try FTagInput.load(config.input, rate: config.rate, epochs: epochs, lowestTag: config.lowestTag,
                                      recording: config.recording, groups: config.groups)
        let control = try config.control.map {
            try FTagInput.load($0, rate: config.rate, epochs: epochs, lowestTag: config.lowestTag, recording: config.recording,
                               groups: config.groups)
        }
        return try run(config, data: data, control: control, progress: progress)
    }

    /// Tests the tags in `data` (against `control` when given); with conditions, the RSA matrix of the
    /// input's epochs at each condition's events, and its Spearman ρ with `compareRSA`'s.
    public static func run(_ config: FTagConfig, data: EpochedData, control: EpochedData? = nil,
                           progress: any ProgressReporter = SilentProgress()) throws -> FTagRun {
        var config = config
        config.options.rsaBand = try config.band
        let result = try run(data, options: config.options, control: control, progress: progress)
        var extras = FTagOutputFile.Extras()
        if let labels = config.conditions {
            guard labels.count >= 2 else { throw FTagRunError.tooFewConditions(labels) }
            let epochsPerCondition = try labels.map { label in
                try FTagInput.load(config.input, rate: config.rate, epochs: .events(label: label, duration: config.duration ?? data.duration),
                                   lowestTag: config.lowestTag, recording: config.recording)
            }
            let rsa = RepresentationalSimilarity.cosineDistances(conditionVectors(epochsPerCondition, band: try config.band))
            extras.rsa = rsa
            extras.conditions = labels
            if let other = config.compareRSA { extras.rsaSpearman = try compareRSA(rsa, with: other) }
        }
        return FTagRun(config: config, result: result, extras: extras)
    }

    /// Spearman ρ between `rsa` and the `rsa` matrix of another ftag output at `path` (same size).
    public static func compareRSA(_ rsa: [[Double]], with path: String) throws -> Double {
        let n = rsa.count
        let other = try ArrayFile.read("\(path):rsa")
        guard other.shape == [n, n] else { throw FTagRunError.rsaShapeMismatch(path: path, shape: other.shape, conditions: n) }
        let matrix = (0..<n).map { Array(other.values[($0 * n)..<(($0 + 1) * n)]) }
        return RepresentationalSimilarity.spearman(rsa, matrix)
    }
}
