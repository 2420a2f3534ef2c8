import ArgumentParser
import Foundation
import NeuroCore
import NeuroIO
import NeuroNTF
import NeuroTensor
import NeuroStore

/// `neurotool ntf`: non-negative CP of a tensor, a trial tensor or the dynamic-connectome tensor.
struct NTFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ntf",
        abstract: "Non-negative tensor factorization (HALS, MU, BCD; CP-ALS) with masks, ensembles and cross-validated rank selection.",
        discussion: """
        INPUT is a homogenized file (with --tensor trials|connectome) or a dense array: NPY, HDF5 \
        (file.h5:/dataset) or NetCDF (file.nc:variable). Missing entries come from --mask (non-zero = \
        observed), --missing-nan, or the tensor's construction; they are left out of the objective.
        """)

    @Argument(help: "Homogenized file or array location.")
    var input: String

    @Option(name: [.short, .customLong("output")], help: "Output NetCDF file.")
    var output: String

    @Option(help: "Rank (number of components).")
    var rank: Int?

    @Option(help: "Ranks to fit, e.g. 1-10 or 2,4,6.")
    var ranks: String?

    @Option(help: "Fits per rank, from different random starts.")
    var replicates: Int = 1

    @Option(help: "Solver: hals (default), mu, bcd or als (unconstrained CP).")
    var solver: String = "hals"

    @Option(help: "Maximum iterations per fit.")
    var iterations: Int = 500

    @Option(help: "Stop when the relative error changes by less than this (0: run every iteration).")
    var tol: Double = 1e-5

    @Option(name: .customLong("max-time"), help: "Stop each fit after this many seconds.")
    var maxTime: Double?

    @Option(help: "Random seed (starts, hold-out masks, community search).")
    var seed: UInt64 = 0

    @Option(name: .customLong("init"), help: "HDF5 file of starting factors (datasets factor0, factor1, …; optional weights).")
    var initFile: String?

    @Option(name: .customLong("init-method"), help: "Start when --init is not given: random or nndsvd.")
    var initMethod: String = "random"

    @Option(help: "Reference solution (an ntf output, or HDF5 factor0, factor1, …): components are reordered to match it.")
    var align: String?

    @Option(help: "Array of the tensor's shape: non-zero entries are observed, zeros missing.")
    var mask: String?

    @Flag(name: .customLong("missing-nan"), help: "Treat NaN entries of the input as missing.")
    var missingNaN = false

    @Option(help: "Fraction of observed entries held out in cross-validation fits (0: none).")
    var holdout: Double = 0

    @Option(name: .customLong("select-rank"), help: "Rank written as factor0…  (default: lowest held-out error, else the largest rank).")
    var selectRank: Int?

    @Option(name: .customLong("signed-modes"), help: "Comma-separated modes left unconstrained in sign.")
    var signedModes: String?

    @Option(name: .customLong("fixed-modes"), help: "Comma-separated modes kept at their starting factors.")
    var fixedModes: String?

    @Option(help: "L1 penalty per mode, e.g. 0:0.1,2:0.5.")
    var sparsity: String?

    @Option(name: .customLong("inner-iterations"), help: "HALS sweeps per mode update (TensorLy: 5, tensortools: 1).")
    var innerIterations: Int = 5

    @Option(help: "Tensor from a homogenized file: trials or connectome.")
    var tensor: String?

    @Option(help: "Homogenized input: the recordings to use (comma-separated; default: all).")
    var recordings: String?

    @Option(help: "Trials: events[:LABEL] (with --before/--after) or window:SECONDS.")
    var epoch: String = "events"

    @Option(help: "Trials: seconds before each event.")
    var before: Double = 1

    @Option(help: "Trials: seconds after each event.")
    var after: Double = 2

    @Flag(name: .customLong("shift-nonnegative"), help: "Trials: subtract each channel's minimum so traces are non-negative.")
    var shiftNonnegative = false

    @Option(help: "Connectome: window length in seconds.")
    var window: Double = 30

    @Option(help: "Connectome: window step in seconds (default: the window length).")
    var step: Double?

    @Option(name: .customLong("min-worms"), help: "Connectome: keep neurons recorded in at least this many worms.")
    var minWorms: Int = 1

    @Option(help: "Connectome: modularity resolution of the community search.")
    var resolution: Double = 1

    @Option(help: "Also write an HTML + Markdown report with SVG figures into this directory.")
    var report: String?

    @Option(help: "Report page name.")
    var name: String = "ntf"

    @Flag(name: .customLong("record-timing"), help: "Write fit times (fit_seconds, ensemble/seconds); the output then differs between runs.")
    var recordTiming = false

    @Flag(name: .shortAndLong, help: "No progress bar or summary.")
    var quiet = false

    func validate() throws {
        if rank == nil && ranks == nil { throw ValidationError("give --rank R or --ranks LIST") }
        if rank != nil && ranks != nil { throw ValidationError("give --rank or --ranks, not both") }
        if CPSolver(rawValue: solver) == nil { throw ValidationError("--solver must be hals, mu, bcd or als (got '\(solver)')") }
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
        guard tol >= 0 else { throw ValidationError("--tol must be non-negative") }
        guard replicates >= 1 else { throw ValidationError("--replicates must be at least 1") }
        guard holdout >= 0 && holdout < 1 else { throw ValidationError("--holdout must be in [0, 1)") }
        guard ["random", "nndsvd"].contains(initMethod) else { throw ValidationError("--init-method must be random or nndsvd") }
        if let tensor, !["trials", "connectome"].contains(tensor) { throw ValidationError("--tensor must be trials or connectome") }
    }

    func parsedRanks() throws -> [Int] {
        if let rank { return [rank] }
        var out: [Int] = []
        for part in ranks!.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if bounds.count == 1, let r = bounds[0] { out.append(r) }
            else if bounds.count == 2, let a = bounds[0], let b = bounds[1], a <= b { out += Array(a...b) }
            else { throw ValidationError("--ranks: cannot read '\(part)' (use 1-10 or 2,4,6)") }
        }
        return out
    }

    func modeList(_ text: String?, _ option: String) throws -> [Int] {
        guard let text else { return [] }
        return try text.split(separator: ",").map {
            guard let m = Int($0.trimmingCharacters(in: .whitespaces)), m >= 0 else { throw ValidationError("\(option): '\($0)' is not a mode number") }
            return m
        }
    }

    var chosenRecordings: [String]? { recordings.map { $0.split(separator: ",").map(String.init) } }

    func recipe() throws -> TensorRecipe {
        let homogenized = NTFInput.isHomogenized(input)
        switch tensor {
        case nil:
            if homogenized { throw CommandFailure("\(input) is a homogenized file: choose --tensor trials or --tensor connectome") }
            return .array
        case "connectome":
            guard homogenized else { throw CommandFailure("--tensor connectome needs a homogenized calcium file (neurotool homogenize)") }
            var options = ConnectomeOptions(window: window, step: step, minWorms: minWorms)
            options.recordings = chosenRecordings
            return .connectome(options)
        default:
            guard homogenized else { throw CommandFailure("--tensor trials needs a homogenized file (neurotool homogenize)") }
            if epoch.hasPrefix("window:") {
                guard let seconds = Double(epoch.dropFirst("window:".count)) else { throw ValidationError("--epoch window:SECONDS needs a number") }
                return .trials(.windows(seconds: seconds), shiftToNonnegative: shiftNonnegative, recordings: chosenRecordings)
            }
            guard epoch == "events" || epoch.hasPrefix("events:") else { throw ValidationError("--epoch must be events[:LABEL] or window:SECONDS") }
            let label = epoch.hasPrefix("events:") ? String(epoch.dropFirst("events:".count)) : nil
            return .trials(.events(label: label, before: before, after: after), shiftToNonnegative: shiftNonnegative, recordings: chosenRecordings)
        }
    }

    /// Factors from a file (`factor0`, …, optional `weights`): HDF5 from another tool, or an ntf output.
    func model(from path: String, order: Int) throws -> KruskalTensor {
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

    func run() throws {
        let ranks = try parsedRanks()
        var cp = CPOptions(rank: ranks[0], solver: CPSolver(rawValue: solver)!)
        cp.maxIterations = iterations
        cp.tolerance = tol
        cp.maxSeconds = maxTime
        cp.seed = seed
        cp.innerIterations = innerIterations
        cp.fixedModes = Set(try modeList(fixedModes, "--fixed-modes"))
        let signed = Set(try modeList(signedModes, "--signed-modes"))
        for part in (sparsity ?? "").split(separator: ",") {
            let kv = part.split(separator: ":")
            guard kv.count == 2, let m = Int(kv[0]), let v = Double(kv[1]), v >= 0 else {
                throw ValidationError("--sparsity: '\(part)' is not MODE:VALUE")
            }
            cp.sparsity[m] = v
        }
        cp.initialization = initMethod == "nndsvd" ? .nndsvd : .random

        var inputs = [input]
        let labelled: LabelledTensor
        do {
            labelled = try NTFInput.load(input, recipe: try recipe(), maskLocation: mask, missingNaN: missingNaN)
        }
        let order = labelled.tensor.order
        for m in cp.fixedModes.union(signed) + Array(cp.sparsity.keys) where m >= order {
            throw CommandFailure("mode \(m) does not exist: the tensor has \(order) modes (0…\(order - 1))")
        }
        if !signed.isEmpty { cp.nonnegativeModes = Set(0..<order).subtracting(signed) }
        if let mask { inputs.append(ArrayFile.split(mask).path) }
        if let initFile {
            let model = try model(from: initFile, order: order)
            guard ranks == [model.rank] else {
                throw CommandFailure("\(initFile): starting factors have rank \(model.rank), but --rank/--ranks asks for \(ranks)")
            }
            cp.initialization = .given(model)
            inputs.append(initFile)
        }
        var options = NTFOptions(ranks: ranks, cp: cp)
        if let align {
            options.reference = try model(from: align, order: order)
            inputs.append(align)
        }
        options.replicates = replicates
        options.holdoutFraction = holdout
        options.selectedRank = selectRank
        options.resolution = resolution

        let parameters = "solver=\(solver) ranks=\(ranks.map(String.init).joined(separator: ",")) replicates=\(replicates) iterations=\(iterations) tol=\(tol) max_time=\(maxTime.map { "\($0)" } ?? "none") seed=\(seed) init=\(initFile == nil ? initMethod : "file") inner_iterations=\(innerIterations) holdout=\(holdout) signed_modes=\(signed.sorted().map(String.init).joined(separator: ",")) fixed_modes=\(cp.fixedModes.sorted().map(String.init).joined(separator: ",")) sparsity=\(cp.sparsity.keys.sorted().map { "\($0):\(cp.sparsity[$0]!)" }.joined(separator: ",")) missing_nan=\(missingNaN) resolution=\(resolution)"
        let provenance = Provenance(toolVersion: NeurotoolVersion.current, commandLine: commandLineText())
        let progress = TerminalProgress(enabled: !quiet && isatty(STDERR_FILENO) != 0)
        let result: NTFResult
        do {
            result = try NTFAnalysis.run(labelled, options: options, progress: progress)
        } catch let error as TensorError {
            progress.finish()
            throw CommandFailure("\(input): \(error)")
        }
        let sources = inputs.map { ArrayFile.split($0).path }
        try NTFOutputFile.write(result, to: output, inputs: sources, provenance: provenance, parameters: parameters, recordTiming: recordTiming)
        if let report {
            try NTFReport.make(result, provenance: provenance, parameters: parameters, inputs: sources).write(directory: report, name: name)
        }
        if !quiet {
            let best = result.selected.best
            print("wrote \(output): rank \(result.selected.rank), relative error \(String(format: "%.4f", best.relativeError)) after \(best.iterations) iterations (\(best.stopReason.rawValue))")
            if let score = result.alignmentScore { print("aligned to \(align!): factor match score \(String(format: "%.3f", score))") }
            if let report { print("report: \((report as NSString).appendingPathComponent(name + ".html"))") }
        }
    }
}
