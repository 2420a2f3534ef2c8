import ArgumentParser
import Foundation
import NeuroCore
import NeuroGLMHMM
import NeuroIO
import NeuroStore

/// `neurotool glmhmm`: hidden Markov models whose states are coupled GLMs of neural activity.
struct GLMHMMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "glmhmm",
        abstract: "State-switching GLMs (GLM-HMM) with coupling, learnable priors, held-out scores and connectome comparison.",
        discussion: """
        INPUT is a counts array (time × neurons, or sequences × time × neurons) in NPY, HDF5 (file.h5:/dataset) \
        or NetCDF, a spike-time table (CSV/TSV: time, unit) with --bin-width, or a homogenized file (each \
        recording a sequence; calcium traces → --emission gaussian, or --binarize THRESHOLD → bernoulli).
        """)

    @Argument(help: "Counts array, spike table or homogenized file.")
    var input: String

    @Option(name: [.short, .customLong("output")], help: "Output NetCDF file.")
    var output: String

    @Option(help: "Number of states, or a range/list (e.g. 1-5) for model selection on held-out data.")
    var states: String

    @Option(help: "Emission: poisson, bernoulli or gaussian.")
    var emission: String = "poisson"

    @Option(help: "Coupling prior: none, gaussian (learnable across-state mean) or onehot (learnable categorical); a list (none,gaussian,onehot) compares them.")
    var prior: String = "none"

    @Option(name: .customLong("prior-variance"), help: "Variance of the Gaussian prior around the learnt mean.")
    var priorVariance: Double = 0.25

    @Flag(name: .customLong("learn-prior-variance"), help: "Learn the Gaussian prior's variance too.")
    var learnPriorVariance = false

    @Option(help: "One-hot prior: Gumbel-softmax temperature while fitting.")
    var temperature: Double = 0.2

    @Option(name: .customLong("adam-steps"), help: "One-hot prior: Adam steps per M-step.")
    var adamSteps: Int = 50

    @Option(name: .customLong("learning-rate"), help: "One-hot prior: Adam learning rate.")
    var learningRate: Double = 0.01

    @Option(name: .customLong("onehot-warmup"), help: "One-hot prior: EM iterations without a prior before the one-hot choices start from the states' weights (0: from the first iteration).")
    var oneHotWarmup: Int = 10

    @Option(help: "Poisson link: softplus, exp or sigmoid.")
    var link: String = "softplus"

    @Option(name: .customLong("history-bins"), help: "Bins of the exponential history filter.")
    var historyBins: Int = 5

    @Option(name: .customLong("raised-cosine"), help: "Use this many raised-cosine history functions instead.")
    var raisedCosine: Int?

    @Flag(name: .customLong("shared-bias"), help: "One bias per neuron shared by all states.")
    var sharedBias = false

    @Option(help: "EM iterations at most.")
    var iterations: Int = 100

    @Option(help: "Random restarts (the best objective is kept).")
    var restarts: Int = 3

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Sticky Dirichlet prior: extra counts on the transition matrix's diagonal.")
    var stickiness: Double = 0

    @Option(name: .customLong("test-fraction"), help: "Hold out the last fraction of every sequence for evaluation.")
    var testFraction: Double?

    @Option(help: "Held-out data in the same form as INPUT.")
    var test: String?

    @Option(name: .customLong("bin-width"), help: "Bin width in seconds for spike-time tables.")
    var binWidth: Double?

    @Option(help: "Binarize values above this threshold (events for Bernoulli emissions).")
    var binarize: Double?

    @Option(help: "Homogenized input: the recordings to use (comma-separated); neurons are those labelled in all of them.")
    var recordings: String?

    @Option(help: "Comma-separated sequence lengths splitting a time × neurons array.")
    var lengths: String?

    @Option(help: "Connectome edge list (Source,Target,Weight,Type CSV) to compare the learnt coupling with.")
    var connectome: String?

    @Option(help: "External covariates (stimulus, behaviour): an array of bins × covariates over all sequences, or sequences × bins × covariates.")
    var covariates: String?

    @Option(help: "Text file of neuron names, one per line (arrays and spike tables), e.g. to compare with a connectome.")
    var names: String?

    @Option(help: "Also write an HTML + Markdown report with SVG figures into this directory.")
    var report: String?

    @Option(help: "Report page name.")
    var name: String = "glmhmm"

    @Option(name: .customLong("align-to"), help: "A previous glmhmm output: number the states to match its states (by their weights).")
    var alignTo: String?

    @Flag(name: .customLong("record-timing"), help: "Write fit_seconds (the output then differs between runs).")
    var recordTiming = false

    @Flag(name: .shortAndLong, help: "No progress bar or summary.")
    var quiet = false

    func validate() throws {
        guard ["poisson", "bernoulli", "gaussian"].contains(emission) else { throw ValidationError("--emission must be poisson, bernoulli or gaussian") }
        guard Emission.PoissonLink(rawValue: link) != nil else { throw ValidationError("--link must be softplus, exp or sigmoid") }
        guard historyBins >= 1 else { throw ValidationError("--history-bins must be at least 1") }
        guard iterations >= 1, restarts >= 1 else { throw ValidationError("--iterations and --restarts must be at least 1") }
        if testFraction != nil && test != nil { throw ValidationError("give --test-fraction or --test, not both") }
        if let f = testFraction, !(f > 0 && f < 1) { throw ValidationError("--test-fraction must be in (0, 1)") }
        for p in prior.split(separator: ",") where !["none", "gaussian", "onehot"].contains(String(p)) {
            throw ValidationError("--prior must be none, gaussian or onehot (got '\(p)')")
        }
    }

    func stateList() throws -> [Int] {
        var out: [Int] = []
        for part in states.split(separator: ",") {
            let b = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if b.count == 1, let k = b[0] { out.append(k) }
            else if b.count == 2, let a = b[0], let c = b[1], a <= c { out += Array(a...c) }
            else { throw ValidationError("--states: cannot read '\(part)'") }
        }
        return out
    }

    func run() throws {
        let grid = try stateList()
        let priors = prior.split(separator: ",").map(String.init)
        var options = GLMHMMOptions(states: grid[0])
        options.emission = emission == "bernoulli" ? .bernoulli : emission == "gaussian" ? .gaussian : .poisson(Emission.PoissonLink(rawValue: link)!)
        options.basis = raisedCosine.map { HistoryBasis.raisedCosine(count: $0, bins: historyBins) } ?? .exponential(bins: historyBins)
        options.sharedBias = sharedBias
        options.iterations = iterations
        options.restarts = restarts
        options.seed = seed
        options.stickiness = stickiness
        options.oneHotWarmup = max(0, oneHotWarmup)
        var inputs = [ArrayFile.split(input).path]
        do {
            var data = try GLMHMMInput.load(input, binWidth: binWidth, binarize: binarize,
                                            lengths: try lengths.map { try $0.split(separator: ",").map { guard let v = Int($0) else { throw ValidationError("--lengths: '\($0)'") }; return v } },
                                            recordings: recordings.map { $0.split(separator: ",").map(String.init) })
            if let names {
                try FileChecks.requireInput(names)
                let list = try String(contentsOfFile: names, encoding: .utf8).split(whereSeparator: \.isNewline)
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard list.count == data.names.count else {
                    throw CommandFailure("\(names): \(list.count) names for \(data.names.count) neurons")
                }
                data.names = list
                inputs.append(names)
            }
            if let covariates {
                try GLMHMMInput.attachCovariates(covariates, to: &data)
                inputs.append(ArrayFile.split(covariates).path)
            }
            var train = data.sequences, testSequences: [GLMHMMSequence] = []
            if let f = testFraction {
                (train, testSequences) = GLMHMMInput.holdOut(data, fraction: f, minimum: options.basis.lags)
            } else if let test {
                testSequences = try GLMHMMInput.load(test, binWidth: binWidth, binarize: binarize).sequences
                if covariates != nil { throw CommandFailure("--covariates with --test: give held-out covariates by holding out with --test-fraction instead") }
                inputs.append(ArrayFile.split(test).path)
            }
            let progress = TerminalProgress(enabled: !quiet && isatty(STDERR_FILENO) != 0)
            var selection: [SelectionRow] = []
            var best: (score: Double, fit: GLMHMMFit)? = nil
            for k in grid {
                for p in priors {
                    var o = options
                    o.states = k
                    switch p {
                    case "gaussian": o.prior = .gaussian(variance: priorVariance, learnVariance: learnPriorVariance)
                    case "onehot": o.prior = .onehot(temperature: temperature, steps: adamSteps, rate: learningRate)
                    default: o.prior = .none
                    }
                    let fit = try GLMHMMFitter.fit(train, options: o, progress: progress)
                    let held = testSequences.isEmpty ? nil : GLMHMMEvaluation.heldOut(fit.model, train: train, test: testSequences)
                    selection.append(SelectionRow(states: k, prior: o.prior.name, trainLogLikelihood: fit.logLikelihoods.last ?? .nan,
                                                  testLogLikelihood: held?.logLikelihood, bitsPerSpike: held?.bitsPerSpike))
                    let score = held?.logLikelihood ?? (fit.objectives.last ?? -.infinity)
                    if best == nil || score > best!.score || grid.count * priors.count == 1 { best = (score, fit) }
                }
            }
            var fit = best!.fit
            var alignment: [Int]? = nil
            if let alignTo {
                try FileChecks.requireInput(alignTo)
                let (reference, neurons) = try StateMatching.signatures(ofResult: alignTo)
                guard reference.count == fit.model.states, neurons == fit.model.neurons else {
                    throw CommandFailure("\(alignTo): has \(reference.count) states of \(neurons) neurons; this fit has \(fit.model.states) states of \(fit.model.neurons) neurons")
                }
                (fit, alignment) = fit.aligned(to: reference)
                inputs.append(alignTo)
            }
            let held = testSequences.isEmpty ? nil : GLMHMMEvaluation.heldOut(fit.model, train: train, test: testSequences)
            var comparison: (prior: ConnectomeComparison.Result?, states: [ConnectomeComparison.Result])? = nil
            var connectomeEdges: [String: [String: Double]]? = nil
            if let connectome {
                try FileChecks.requireInput(connectome)
                let edges = try ConnectomeComparison.load(connectome)
                connectomeEdges = edges
                let known = Set(edges.keys).union(edges.values.flatMap(\.keys))
                if let unknown = data.names.first(where: { !known.contains($0) }) {
                    throw CommandFailure("\(connectome): neuron '\(unknown)' is not in the connectome (name neurons as the connectome does)")
                }
                inputs.append(connectome)
                let n = fit.model.neurons
                func matrix(_ value: (Int, Int) -> Double) -> Matrix {
                    Matrix(rows: n, columns: n, values: (0..<n).flatMap { i in (0..<n).map { j in value(i, j) } })
                }
                var prior = fit.priorMean.map { mean in
                    ConnectomeComparison.compare(coupling: matrix { i, j in (0..<fit.model.basis.count).reduce(0) { $0 + mean[i, 1 + j * fit.model.basis.count + $1] } },
                                                 names: data.names, edges: edges)
                }
                if let oneHot = fit.oneHot {
                    // The one-hot prior's probability of a connection, 1 − π(none).
                    let p = oneHot.prior
                    prior = ConnectomeComparison.compare(coupling: matrix { i, j in i == j ? 0 : 1 - p[(i * n + j) * 3 + 1] }, names: data.names, edges: edges)
                }
                let states = (0..<fit.model.states).map { s in
                    ConnectomeComparison.compare(coupling: matrix { fit.model.coupling(state: s, to: $0, from: $1) }, names: data.names, edges: edges)
                }
                comparison = (prior, states)
            }
            let parameters = "states=\(states) emission=\(options.emission.name) prior=\(prior) prior_variance=\(priorVariance) learn_prior_variance=\(learnPriorVariance) onehot_warmup=\(oneHotWarmup) history=\(raisedCosine.map { "raised-cosine(\($0), \(historyBins) bins)" } ?? "exponential(\(historyBins) bins)") shared_bias=\(sharedBias) align_to=\(alignTo ?? "none") iterations=\(iterations) restarts=\(restarts) seed=\(seed) stickiness=\(stickiness) test=\(testFraction.map { "last \($0) of each sequence" } ?? test ?? "none") binarize=\(binarize.map { "\($0)" } ?? "no") covariates=\(data.sequences.first?.covariates?.columns ?? 0)"
            let provenance = Provenance(toolVersion: NeurotoolVersion.current, commandLine: commandLineText())
            var content = GLMHMMOutputFile.Content(fit: fit, data: data, train: train, heldOut: held, selection: selection, connectome: comparison)
            content.alignment = alignment
            try GLMHMMOutputFile.write(content, to: output, inputs: inputs, provenance: provenance, parameters: parameters, recordTiming: recordTiming)
            if let report {
                try GLMHMMReport.make(content, edges: connectomeEdges, provenance: provenance, parameters: parameters, inputs: inputs)
                    .write(directory: report, name: name)
            }
            if !quiet {
                print("wrote \(output): \(fit.model.states) states, train log-likelihood \(String(format: "%.2f", fit.logLikelihoods.last ?? .nan))"
                      + (held.map { String(format: ", held-out %.4f bits/%@", $0.bitsPerSpike, options.emission == .gaussian ? "observation" : "spike") } ?? ""))
            }
        } catch let error as GLMHMMError {
            throw CommandFailure("\(input): \(error)")
        }
    }
}
