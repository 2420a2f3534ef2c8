import Foundation
import NeuroCore
import NeuroHMM
import NeuroStore
import NeuroPipeline
import NeuroReport

/// Everything a `neurotool glmhmm` run is asked to do: the data, the grid of models (states × priors),
/// the held-out data that chooses among them, alignment, the connectome and the names. Defaults are the
/// command's.
public struct GLMHMMConfig: Sendable {
    /// Counts array, spike table or homogenized file.
    public var input: String
    /// Numbers of states as written, e.g. `3`, `1-5` or `2,4` (recorded as written).
    public var states: String
    /// Emission family (with the Poisson link).
    public var emission: Emission = .poisson(.softplus)
    /// Coupling priors as written: `none`, `gaussian`, `onehot`, or a comma-separated list of them.
    public var prior = "none"
    /// Variance of the Gaussian prior around the learnt mean.
    public var priorVariance = 0.25
    /// Learn the Gaussian prior's variance too.
    public var learnPriorVariance = false
    /// One-hot prior: Gumbel-softmax temperature.
    public var temperature = 0.2
    /// One-hot prior: Adam steps per M-step.
    public var adamSteps = 50
    /// One-hot prior: Adam learning rate.
    public var learningRate = 0.01
    /// One-hot prior: EM iterations before the one-hot choices start (negative counts as 0).
    public var oneHotWarmup = 10
    /// Bins of the history filter.
    public var historyBins = 5
    /// Number of raised-cosine history functions (nil: one exponential filter).
    public var raisedCosine: Int? = nil
    /// One bias per neuron shared by all states.
    public var sharedBias = false
    /// EM iterations at most.
    public var iterations = 100
    /// Random restarts per model.
    public var restarts = 3
    /// Random seed.
    public var seed: UInt64 = 0
    /// Sticky Dirichlet counts on the transition diagonal.
    public var stickiness = 0.0
    /// Hold out this last fraction of every sequence.
    public var testFraction: Double? = nil
    /// Held-out data in the same form as the input.
    public var test: String? = nil
    /// Bin width (seconds) of spike-time tables.
    public var binWidth: Double? = nil
    /// Binarize values above this threshold.
    public var binarize: Double? = nil
    /// Homogenized input: the recordings used.
    public var recordings: [String]? = nil
    /// Sequence lengths splitting a time × neurons array.
    public var lengths: [Int]? = nil
    /// Connectome edge list to compare the coupling with.
    public var connectome: String? = nil
    /// External covariates array.
    public var covariates: String? = nil
    /// Text file of neuron names, one per line.
    public var names: String? = nil
    /// A previous glmhmm output whose states the result's states are matched to.
    public var alignTo: String? = nil

    /// A configuration with the command's defaults.
    public init(input: String, states: String) {
        self.input = input
        self.states = states
    }

    /// The numbers of states of `states`, in order.
    public var stateGrid: [Int] {
        get throws {
            var out: [Int] = []
            for part in states.split(separator: ",") {
                let b = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                if b.count == 1, let k = b[0] { out.append(k) }
                else if b.count == 2, let a = b[0], let c = b[1], a <= c { out += Array(a...c) }
                else { throw GLMHMMRunError.unreadableStates(String(part)) }
            }
            return out
        }
    }

    /// The priors of `prior`, in order.
    public var priors: [CouplingPrior] {
        get throws {
            try prior.split(separator: ",").map { p -> CouplingPrior in
                switch p {
                case "none": return .none
                case "gaussian": return .gaussian(variance: priorVariance, learnVariance: learnPriorVariance)
                case "onehot": return .onehot(temperature: temperature, steps: adamSteps, rate: learningRate)
                default: throw GLMHMMRunError.unknownPrior(String(p))
                }
            }
        }
    }

    /// The history basis.
    public var basis: HistoryBasis {
        raisedCosine.map { HistoryBasis.raisedCosine(count: $0, bins: historyBins) } ?? .exponential(bins: historyBins)
    }

    /// Fitting options of one model of the grid.
    public func options(states k: Int, prior: CouplingPrior) -> GLMHMMOptions {
        var options = GLMHMMOptions(states: k)
        options.emission = emission
        options.basis = basis
        options.sharedBias = sharedBias
        options.iterations = iterations
        options.restarts = restarts
        options.seed = seed
        options.stickiness = stickiness
        options.oneHotWarmup = max(0, oneHotWarmup)
        options.prior = prior
        return options
    }

    /// The files a run reads, as recorded in provenance.
    public var inputFiles: [String] {
        [ArrayFile.split(input).path] + [names, covariates.map { ArrayFile.split($0).path }, test.map { ArrayFile.split($0).path },
                                         alignTo, connectome].compactMap { $0 }
    }

    /// The parameters recorded in the output file and report, with the number of covariates the data had.
    public func parameters(covariates: Int) -> ParameterList {
        [
            "states": states,
            "emission": emission.name,
            "prior": prior,
            "prior_variance": priorVariance,
            "learn_prior_variance": learnPriorVariance,
            "onehot_warmup": oneHotWarmup,
            "history": raisedCosine.map { "raised-cosine(\($0), \(historyBins) bins)" } ?? "exponential(\(historyBins) bins)",
            "shared_bias": sharedBias,
            "align_to": alignTo ?? "none",
            "iterations": iterations,
            "restarts": restarts,
            "seed": seed,
            "stickiness": stickiness,
            "test": testFraction.map { "last \($0) of each sequence" } ?? test ?? "none",
            "binarize": binarize.map { "\($0)" } ?? "no",
            "covariates": covariates,
        ]
    }
}

/// Errors of a `glmhmm` run's configuration and side files, carrying the offending values.
public enum GLMHMMRunError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A part of the states list that is not a number or a range.
    case unreadableStates(String)
    /// A prior name that is not none, gaussian or onehot.
    case unknownPrior(String)
    /// A spike-time table (path) given without a bin width.
    case binWidthNeeded(String)
    /// A homogenized file (path) whose chosen recordings share no labelled channel.
    case noSharedNeurons(String)
    /// A names file (path) with another number of names than neurons.
    case nameCount(path: String, names: Int, neurons: Int)
    /// Covariates together with a separate held-out file (which has no covariates).
    case covariatesWithTestFile(String)
    /// A reference output (path) whose states or neurons differ from the fit's.
    case alignmentMismatch(path: String, states: Int, neurons: Int, fitStates: Int, fitNeurons: Int)
    /// A neuron name missing from the connectome (path).
    case unknownNeuron(path: String, name: String)

    /// The message, naming values only.
    public var description: String {
        switch self {
        case .unreadableStates(let part): return "numbers of states: cannot read '\(part)'"
        case .unknownPrior(let p): return "prior must be none, gaussian or onehot (got '\(p)')"
        case .binWidthNeeded(let path): return "\(path): bin width: a spike-time table needs a bin width in seconds"
        case .noSharedNeurons(let path): return "\(path): channels: no labelled channel is recorded in every recording; choose recordings that share neurons"
        case let .nameCount(path, names, neurons): return "\(path): \(names) names for \(neurons) neurons"
        case .covariatesWithTestFile(let path): return "\(path): covariates cannot go with a separate held-out file; hold out the end of each sequence instead"
        case let .alignmentMismatch(path, k, n, fk, fn):
            return "\(path): has \(k) states of \(n) neurons; this fit has \(fk) states of \(fn) neurons"
        case let .unknownNeuron(path, name):
            return "\(path): neuron '\(name)' is not in the connectome (name neurons as the connectome does)"
        }
    }
}

/// A finished `glmhmm` run: the chosen fit with everything written and reported about it.
public struct GLMHMMRun: AnalysisResult {
    /// What was asked.
    public var config: GLMHMMConfig
    /// The output file's content: the fit, data, held-out score, the selection table, the comparison.
    public var content: GLMHMMOutputFile.Content
    /// The connectome's edges, when one was compared.
    public var edges: [String: [String: Double]]?

    /// A run of `config` with this content (and the connectome's edges, when compared).
    public init(config: GLMHMMConfig, content: GLMHMMOutputFile.Content, edges: [String: [String: Double]]? = nil) {
        self.config = config
        self.content = content
        self.edges = edges
    }

    /// The configuration's parameters and the data's number of covariates.
    public var parameters: ParameterList {
        config.parameters(covariates: content.data.sequences.first?.covariates?.columns ?? 0)
    }

    /// Writes the NetCDF result (docs/FORMAT.md, "GLM-HMM results").
    public func write(to path: String, context: RunContext) throws {
        try GLMHMMOutputFile.write(content, to: path, inputs: context.inputs, provenance: context.provenance,
                                   parameters: parameters.description, recordTiming: context.recordTiming)
    }

    /// The report page.
    public func report(context: RunContext) throws -> Report {
        GLMHMMReport.make(content, edges: edges, provenance: context.provenance, parameters: parameters.description,
                          inputs: context.inputs)
    }

    /// States, training log-likelihood and held-out bits per spike (or observation).
    public var summary: String {
        "\(content.fit.model.states) states, train log-likelihood \(String(format: "%.2f", content.fit.logLikelihoods.last ?? .nan))"
            + (content.heldOut.map { String(format: ", held-out %.4f bits/%@", $0.bitsPerSpike, config.emission == .gaussian ? "observation" : "spike") } ?? "")
    }

    /// The glmhmm summary is not followed by the report's path.
    public var announcesReport: Bool { false }
}

/// The `glmhmm` analysis: data in, the grid of models fitted, the best by held-out score chosen,
/// aligned and compared with a connectome.
public enum GLMHMMAnalysis {
    /// Loads the data `config` describes (with names and covariates) and the held-out file's sequences.
    public static func load(_ config: GLMHMMConfig) throws -> (data: GLMHMMData, test: [GLMHMMSequence]?) {
        var data = try GLMHMMInput.load(config.input, binWidth: config.binWidth, binarize: config.binarize,
                                        lengths: config.lengths, recordings: config.recordings)
        if let names = config.names {
            try FileChecks.requireInput(names)
            let list = try String(contentsOfFile: names, encoding: .utf8).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard list.count == data.names.count else {
                throw GLMHMMRunError.nameCount(path: names, names: list.count, neurons: data.names.count)
            }
            data.names = list
        }
        if let covariates = config.covariates { try GLMHMMInput.attachCovariates(covariates, to: &data) }
        guard config.testFraction == nil, let test = config.test else { return (data, nil) }
        let sequences = try GLMHMMInput.load(test, binWidth: config.binWidth, binarize: config.binarize).sequences
        if config.covariates != nil { throw GLMHMMRunError.covariatesWithTestFile(test) }
        return (data, sequences)
    }

    /// The whole `glmhmm` analysis: loads the data, then `run(_:data:test:progress:)`.
    public static func run(_ config: GLMHMMConfig, progress: any ProgressReporter = SilentProgress()) throws -> GLMHMMRun {
        _ = try (config.stateGrid, config.priors)   // a misspelt grid fails before any file is read
        let (data, test) = try load(config)
        return try run(config, data: data, test: test, progress: progress)
    }

    /// Fits every model of the states × priors grid to the training part of `data` (all of it, or all
    /// but the last `testFraction` of each sequence) and keeps the one with the best held-out
    /// log-likelihood (without held-out data, the best objective; a single model is always kept). Then
    /// numbers its states as the `alignTo` output's and compares its coupling with the connectome.
    public static func run(_ config: GLMHMMConfig, data: GLMHMMData, test: [GLMHMMSequence]? = nil,
                           progress: any ProgressReporter = SilentProgress()) throws -> GLMHMMRun {
        let grid = try config.stateGrid, priors = try config.priors
        var train = data.sequences, testSequences = test ?? []
        if let f = config.testFraction {
            (train, testSequences) = GLMHMMInput.holdOut(data, fraction: f, minimum: config.basis.lags)
        }
        var selection: [SelectionRow] = []
        var best: (score: Double, fit: GLMHMMFit)? = nil
        for k in grid {
            for p in priors {
                let fit = try GLMHMMFitter.fit(train, options: config.options(states: k, prior: p), progress: progress)
                let held = testSequences.isEmpty ? nil : GLMHMMEvaluation.heldOut(fit.model, train: train, test: testSequences)
                selection.append(SelectionRow(states: k, prior: p.name, trainLogLikelihood: fit.logLikelihoods.last ?? .nan,
                                              testLogLikelihood: held?.logLikelihood, bitsPerSpike: held?.bitsPerSpike))
                let score = held?.logLikelihood ?? (fit.objectives.last ?? -.infinity)
                if best == nil || score > best!.score || grid.count * priors.count == 1 { best = (score, fit) }
            }
        }
        guard var fit = best?.fit else { throw GLMHMMError.noData }
        var alignment: [Int]? = nil
        if let alignTo = config.alignTo {
            try FileChecks.requireInput(alignTo)
            let (reference, neurons) = try StateMatching.signatures(ofResult: alignTo)
            guard reference.count == fit.model.states, neurons == fit.model.neurons else {
                throw GLMHMMRunError.alignmentMismatch(path: alignTo, states: reference.count, neurons: neurons,
                                                       fitStates: fit.model.states, fitNeurons: fit.model.neurons)
            }
            (fit, alignment) = fit.aligned(to: reference)
        }
        let held = testSequences.isEmpty ? nil : GLMHMMEvaluation.heldOut(fit.model, train: train, test: testSequences)
        var edges: [String: [String: Double]]? = nil
        var comparison: (prior: ConnectomeComparison.Result?, states: [ConnectomeComparison.Result])? = nil
        if let connectome = config.connectome {
            try FileChecks.requireInput(connectome)
            let loaded = try ConnectomeComparison.load(connectome)
            let known = Set(loaded.keys).union(loaded.values.flatMap(\.keys))
            if let unknown = data.names.first(where: { !known.contains($0) }) {
                throw GLMHMMRunError.unknownNeuron(path: connectome, name: unknown)
            }
            edges = loaded
            comparison = compare(fit, names: data.names, edges: loaded)
        }
        var content = GLMHMMOutputFile.Content(fit: fit, data: data, train: train, heldOut: held, selection: selection, connectome: comparison)
        content.alignment = alignment
        return GLMHMMRun(config: config, content: content, edges: edges)
    }

    /// The learnt prior's and each state's coupling compared with the connectome: the Gaussian prior's
    /// mean summed over the basis, or the one-hot prior's probability of a connection (1 − π(none)).
    public static func compare(_ fit: GLMHMMFit, names: [String], edges: [String: [String: Double]])
        -> (prior: ConnectomeComparison.Result?, states: [ConnectomeComparison.Result]) {
        let n = fit.model.neurons, b = fit.model.basis.count
        func matrix(_ value: (Int, Int) -> Double) -> Matrix {
            Matrix(rows: n, columns: n, values: (0..<n).flatMap { i in (0..<n).map { j in value(i, j) } })
        }
        var prior = fit.priorMean.map { mean in
            ConnectomeComparison.compare(coupling: matrix { i, j in (0..<b).reduce(0) { $0 + mean[i, 1 + j * b + $1] } },
                                         names: names, edges: edges)
        }
        if let oneHot = fit.oneHot {
            let p = oneHot.prior
            prior = ConnectomeComparison.compare(coupling: matrix { i, j in i == j ? 0 : 1 - p[(i * n + j) * 3 + 1] }, names: names, edges: edges)
        }
        let states = (0..<fit.model.states).map { s in
            ConnectomeComparison.compare(coupling: matrix { fit.model.coupling(state: s, to: $0, from: $1) }, names: names, edges: edges)
        }
        return (prior, states)
    }
}
