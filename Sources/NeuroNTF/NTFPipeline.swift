import Foundation
import NeuroCore
import NeuroStore
import NeuroPipeline
import NeuroReport
import NeuroTensor

/// Everything a `neurotool ntf` run is asked to do: the input, the tensor to build from it, the fits and
/// the outputs' parameters. Defaults are the command's.
public struct NTFConfig: Sendable {
    /// The tensor built from a homogenized file.
    public enum Tensor: String, Sendable, CaseIterable {
        /// Channel × time × trial windows (`TrialTensor`).
        case trials
        /// The dynamic-connectome affinity tensor (`ConnectomeTensor`).
        case connectome
    }
    /// How fits start when no starting factors are given.
    public enum Start: String, Sendable, CaseIterable {
        /// Uniform random factors from the seed.
        case random
        /// NNDSVDa of the unfoldings.
        case nndsvd
    }

    /// Homogenized file or array location.
    public var input: String
    /// Ranks fitted, in order.
    public var ranks: [Int]
    /// The CP solver.
    public var solver: CPSolver = .hals
    /// Fits per rank.
    public var replicates = 1
    /// Maximum iterations per fit.
    public var iterations = 500
    /// Stop when the relative error changes by less than this.
    public var tolerance = 1e-5
    /// Stop each fit after this many seconds.
    public var maxSeconds: Double? = nil
    /// Seed of starts, hold-out masks and the community search.
    public var seed: UInt64 = 0
    /// A file of starting factors (`factor0`, … and optional `weights`).
    public var initFile: String? = nil
    /// How fits start without `initFile`.
    public var start: Start = .random
    /// A reference solution file: components are reordered to match it.
    public var align: String? = nil
    /// Array location of the observed-entries mask.
    public var mask: String? = nil
    /// NaN entries of the input are missing.
    public var missingNaN = false
    /// Fraction of observed entries held out in cross-validation fits.
    public var holdout = 0.0
    /// The rank written as `factor0…` (nil: lowest held-out error, else the largest rank).
    public var selectedRank: Int? = nil
    /// Modes left unconstrained in sign.
    public var signedModes: Set<Int> = []
    /// Modes kept at their starting factors.
    public var fixedModes: Set<Int> = []
    /// L1 penalty per mode.
    public var sparsity: [Int: Double] = [:]
    /// HALS sweeps per mode update.
    public var innerIterations = 5
    /// The tensor built from a homogenized input (nil: the input is an array).
    public var tensor: Tensor? = nil
    /// Homogenized input: the recordings used (nil: all).
    public var recordings: [String]? = nil
    /// Trials: how they are cut.
    public var epochs: TrialEpochs = .events(label: nil, before: 1, after: 2)
    /// Trials: subtract each channel's minimum.
    public var shiftNonnegative = false
    /// Connectome: window length in seconds.
    public var window = 30.0
    /// Connectome: window step in seconds (nil: the window length).
    public var step: Double? = nil
    /// Connectome: keep neurons recorded in at least this many worms.
    public var minWorms = 1
    /// Modularity resolution of the community search.
    public var resolution = 1.0

    /// A configuration with the command's defaults.
    public init(input: String, ranks: [Int]) {
        self.input = input
        self.ranks = ranks
    }

    /// The files a run reads, as recorded in provenance: the input, mask, starting factors and reference.
    public var inputFiles: [String] {
        ([input] + [mask, initFile, align].compactMap { $0 }).map { ArrayFile.split($0).path }
    }

    /// The parameters recorded in the output file and report.
    public var parameters: ParameterList {
        [
            "solver": solver.rawValue,
            "ranks": ParameterList.list(ranks),
            "replicates": replicates,
            "iterations": iterations,
            "tol": tolerance,
            "max_time": maxSeconds.map { "\($0)" } ?? "none",
            "seed": seed,
            "init": initFile == nil ? start.rawValue : "file",
            "inner_iterations": innerIterations,
            "holdout": holdout,
            "signed_modes": ParameterList.list(signedModes.sorted()),
            "fixed_modes": ParameterList.list(fixedModes.sorted()),
            "sparsity": ParameterList.list(sparsity.keys.sorted().map { "\($0):\(sparsity[$0]!)" }),
            "missing_nan": missingNaN,
            "resolution": resolution,
        ]
    }

    /// The recipe of the tensor, given whether the input is a homogenized file.
    func recipe(homogenized: Bool) throws -> TensorRecipe {
        switch tensor {
        case nil:
            if homogenized { throw NTFError.tensorKindNeeded(input) }
            return .array
        case .connectome?:
            guard homogenized else { throw NTFError.needsHomogenized(.connectome) }
            var options = ConnectomeOptions(window: window, step: step, minWorms: minWorms)
            options.recordings = recordings
            return .connectome(options)
        case .trials?:
            guard homogenized else { throw NTFError.needsHomogenized(.trials) }
            return .trials(epochs, shiftToNonnegative: shiftNonnegative, recordings: recordings)
        }
    }
}

/// Errors of an `ntf` run's configuration, carrying the offending values.
public enum NTFError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The input is a homogenized file but no tensor kind was chosen.
    case tensorKindNeeded(String)
    /// This tensor kind is built only from a homogenized file.
    case needsHomogenized(NTFConfig.Tensor)
    /// A mode number beyond the tensor's order.
    case modeOutOfRange(mode: Int, order: Int)
    /// Starting factors (file) of another rank than the one fitted.
    case startRankMismatch(path: String, rank: Int, ranks: [Int])
    /// The selected rank is not among the fitted ranks.
    case selectedRankNotFitted(rank: Int, ranks: [Int])

    /// The message, naming values only.
    public var description: String {
        switch self {
        case .tensorKindNeeded(let path):
            return "\(path) is a homogenized file: choose a tensor (trials or connectome)"
        case .needsHomogenized(.connectome):
            return "a connectome tensor needs a homogenized calcium file (neurotool homogenize)"
        case .needsHomogenized(.trials):
            return "a trial tensor needs a homogenized file (neurotool homogenize)"
        case let .modeOutOfRange(mode, order):
            return "mode \(mode) does not exist: the tensor has \(order) modes (0…\(order - 1))"
        case let .startRankMismatch(path, rank, ranks):
            return "\(path): starting factors have rank \(rank), but the ranks asked for are \(ranks)"
        case let .selectedRankNotFitted(rank, ranks):
            return "selected rank \(rank) is not among the fitted ranks \(ranks)"
        }
    }
}

/// A finished `ntf` run: its configuration and result, ready to be written and reported.
public struct NTFRun: AnalysisResult, Sendable {
    /// What was asked.
    public var config: NTFConfig
    /// What was computed.
    public var result: NTFResult

    /// A run of `config` with this result.
    public init(config: NTFConfig, result: NTFResult) {
        self.config = config
        self.result = result
    }

    /// The configuration's parameters.
    public var parameters: ParameterList { config.parameters }

    /// Writes the NetCDF result (docs/FORMAT.md, "NTF results").
    public func write(to path: String, context: RunContext) throws {
        try NTFOutputFile.write(result, to: path, inputs: context.inputs, provenance: context.provenance,
                                parameters: parameters.description, recordTiming: context.recordTiming)
    }

    /// The report page.
    public func report(context: RunContext) throws -> Report {
        NTFReport.make(result, provenance: context.provenance, parameters: parameters.description, inputs: context.inputs)
    }

    /// Rank, relative error, iterations and stop reason; the factor match score when aligned.
    public var summary: String {
        let best = result.selected.best
        var text = "rank \(result.selected.rank), relative error \(String(format: "%.4f", best.relativeError)) after \(best.iterations) iterations (\(best.stopReason.rawValue))"
        if let score = result.alignmentScore, let align = config.align {
            text += "\naligned to \(align): factor match score \(String(format: "%.3f", score))"
        }
        return text
    }
}

extension NTFAnalysis {
    /// Loads the tensor `config` describes (array or built from a homogenized file, with its mask).
    public static func load(_ config: NTFConfig) throws -> LabelledTensor {
        try NTFInput.load(config.input, recipe: config.recipe(homogenized: NTFInput.isHomogenized(config.input)),
                          maskLocation: config.mask, missingNaN: config.missingNaN)
    }

    /// The whole `ntf` analysis: loads the tensor, then `run(_:data:progress:)`.
    public static func run(_ config: NTFConfig, progress: any ProgressReporter = SilentProgress()) throws -> NTFRun {
        try run(config, data: load(config), progress: progress)
    }

    /// Fits `data` as `config` asks: checks the modes, reads starting factors and the reference, runs the
    /// ensemble over the ranks and chooses the reported rank.
    public static func run(_ config: NTFConfig, data: LabelledTensor,
                           progress: any ProgressReporter = SilentProgress()) throws -> NTFRun {
        var cp = CPOptions(rank: config.ranks[0], solver: config.solver)
        cp.maxIterations = config.iterations
        cp.tolerance = config.tolerance
        cp.maxSeconds = config.maxSeconds
        cp.seed = config.seed
        cp.innerIterations = config.innerIterations
        cp.fixedModes = config.fixedModes
        cp.sparsity = config.sparsity
        cp.initialization = config.start == .nndsvd ? .nndsvd : .random
        let order = data.tensor.order
        for m in config.fixedModes.union(config.signedModes) + Array(config.sparsity.keys) where m >= order {
            throw NTFError.modeOutOfRange(mode: m, order: order)
        }
        if !config.signedModes.isEmpty { cp.nonnegativeModes = Set(0..<order).subtracting(config.signedModes) }
        if let initFile = config.initFile {
            let start = try model(from: initFile, order: order)
            guard config.ranks == [start.rank] else {
                throw NTFError.startRankMismatch(path: initFile, rank: start.rank, ranks: config.ranks)
            }
            cp.initialization = .given(start)
        }
        var options = NTFOptions(ranks: config.ranks, cp: cp)
        if let align = config.align { options.reference = try model(from: align, order: order) }
        options.replicates = config.replicates
        options.holdoutFraction = config.holdout
        options.selectedRank = config.selectedRank
        options.resolution = config.resolution
        return NTFRun(config: config, result: try run(data, options: options, progress: progress))
    }

    /// Factors from a file (`factor0`, …, optional `weights`): HDF5 from another tool, or an ntf output.
    public static func model(from path: String, order: Int) throws -> KruskalTensor {
        let factors = try (0..<order).map { k -> Matrix in
            let a = try ArrayFile.read("\(path):factor\(k)")
            guard a.shape.count == 2 else {
                throw NeuroIOError.badValue(path, field: "factor\(k)", detail: "must be a matrix (size × rank), has shape \(a.shape)")
            }
            return Matrix(rows: a.shape[0], columns: a.shape[1], values: a.values)
        }
        let rank = factors[0].columns
        guard factors.allSatisfy({ $0.columns == rank }) else {
            throw NeuroIOError.badValue(path, field: "factors", detail: "have different numbers of columns")
        }
        let weights = (try? ArrayFile.read("\(path):weights"))?.values ?? [Double](repeating: 1, count: rank)
        guard weights.count == rank else { throw NeuroIOError.badValue(path, field: "weights", detail: "has \(weights.count) values for rank \(rank)") }
        return KruskalTensor(weights: weights, factors: factors)
    }
}
