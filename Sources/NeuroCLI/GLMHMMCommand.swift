import ArgumentParser
import Foundation
import NeuroCore
import NeuroHMM
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

    @OptionGroup var out: OutputOptions

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

    @Option(help: "Report page name.")
    var name: String = "glmhmm"

    @Option(name: .customLong("align-to"), help: "A previous glmhmm output: number the states to match its states (by their weights).")
    var alignTo: String?

    @Flag(name: .customLong("record-timing"), help: "Write fit_seconds (the output then differs between runs).")
    var recordTiming = false

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

    /// The run these options ask for.
    func config() throws -> GLMHMMConfig {
        var c = GLMHMMConfig(input: input, states: states)
        c.emission = emission == "bernoulli" ? .bernoulli : emission == "gaussian" ? .gaussian : .poisson(Emission.PoissonLink(rawValue: link)!)
        (c.prior, c.priorVariance, c.learnPriorVariance, c.temperature, c.adamSteps, c.learningRate, c.oneHotWarmup)
            = (prior, priorVariance, learnPriorVariance, temperature, adamSteps, learningRate, oneHotWarmup)
        (c.historyBins, c.raisedCosine, c.sharedBias, c.iterations, c.restarts, c.seed, c.stickiness)
            = (historyBins, raisedCosine, sharedBias, iterations, restarts, seed, stickiness)
        (c.testFraction, c.test, c.binWidth, c.binarize, c.connectome, c.covariates, c.names, c.alignTo)
            = (testFraction, test, binWidth, binarize, connectome, covariates, names, alignTo)
        c.recordings = recordings.map { $0.split(separator: ",").map(String.init) }
        c.lengths = try lengths.map { try $0.split(separator: ",").map { guard let v = Int($0) else { throw ValidationError("--lengths: '\($0)'") }; return v } }
        return c
    }

    func run() throws {
        let config = try config()
        try out.run(input: input, inputs: config.inputFiles, name: name, recordTiming: recordTiming) {
            try GLMHMMAnalysis.run(config, progress: $0)
        }
    }
}
