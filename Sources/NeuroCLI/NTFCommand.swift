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

    @OptionGroup var out: OutputOptions

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

    @Option(help: "Report page name.")
    var name: String = "ntf"

    @Flag(name: .customLong("record-timing"), help: "Write fit times (fit_seconds, ensemble/seconds); the output then differs between runs.")
    var recordTiming = false

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

    func modeList(_ text: String?, _ option: String) throws -> Set<Int> {
        guard let text else { return [] }
        return Set(try text.split(separator: ",").map {
            guard let m = Int($0.trimmingCharacters(in: .whitespaces)), m >= 0 else { throw ValidationError("\(option): '\($0)' is not a mode number") }
            return m
        })
    }

    /// The run these options ask for.
    func config() throws -> NTFConfig {
        var c = NTFConfig(input: input, ranks: try rank.map { [$0] } ?? integerList(ranks!, option: "--ranks", hint: " (use 1-10 or 2,4,6)"))
        (c.solver, c.replicates, c.iterations, c.tolerance, c.maxSeconds, c.seed) = (CPSolver(rawValue: solver)!, replicates, iterations, tol, maxTime, seed)
        (c.initFile, c.start, c.align, c.mask, c.missingNaN, c.holdout) = (initFile, NTFConfig.Start(rawValue: initMethod)!, align, mask, missingNaN, holdout)
        (c.selectedRank, c.innerIterations, c.resolution) = (selectRank, innerIterations, resolution)
        c.fixedModes = try modeList(fixedModes, "--fixed-modes")
        c.signedModes = try modeList(signedModes, "--signed-modes")
        for part in (sparsity ?? "").split(separator: ",") {
            let kv = part.split(separator: ":")
            guard kv.count == 2, let m = Int(kv[0]), let v = Double(kv[1]), v >= 0 else {
                throw ValidationError("--sparsity: '\(part)' is not MODE:VALUE")
            }
            c.sparsity[m] = v
        }
        (c.tensor, c.recordings, c.shiftNonnegative) = (tensor.flatMap(NTFConfig.Tensor.init(rawValue:)), recordings.map { $0.split(separator: ",").map(String.init) }, shiftNonnegative)
        (c.window, c.step, c.minWorms) = (window, step, minWorms)
        if c.tensor == .trials && NTFInput.isHomogenized(input) {
            if epoch.hasPrefix("window:") {
                guard let seconds = Double(epoch.dropFirst("window:".count)) else { throw ValidationError("--epoch window:SECONDS needs a number") }
                c.epochs = .windows(seconds: seconds)
            } else {
                guard epoch == "events" || epoch.hasPrefix("events:") else { throw ValidationError("--epoch must be events[:LABEL] or window:SECONDS") }
                c.epochs = .events(label: epoch.hasPrefix("events:") ? String(epoch.dropFirst("events:".count)) : nil, before: before, after: after)
            }
        }
        return c
    }

    func run() throws {
        let config = try config()
        try out.run(input: input, inputs: config.inputFiles, name: name, recordTiming: recordTiming) {
            try NTFAnalysis.run(config, progress: $0)
        }
    }
}
