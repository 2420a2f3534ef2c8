import Foundation
import NeuroCore
import NeuroHMM
import NeuroGLMHMM
import NeuroPipeline
import NeuroTestSupport
import Testing

@Suite("GLM-HMM analysis in-process: model selection, alignment, parameters")
struct AnalysisTests {
    static func data(states k: Int = 2, neurons n: Int = 5) -> GLMHMMData {
        let truth = truthModel(states: k, neurons: n, seed: 11)
        let (sequences, _) = GLMHMMSimulation.simulate(truth, lengths: [500, 500, 500], seed: 12)
        return GLMHMMData(sequences: sequences, names: (0..<n).map { "n\($0)" }, sequenceNames: ["a", "b", "c"], binWidth: nil)
    }

    @Test("a states grid with held-out data keeps the model with the best held-out log-likelihood")
    func selection() throws {
        var config = GLMHMMConfig(input: "simulated.npy", states: "1-3")
        config.testFraction = 0.25
        config.iterations = 15
        config.restarts = 1
        let run = try GLMHMMAnalysis.run(config, data: Self.data())
        let rows = run.content.selection
        #expect(rows.map(\.states) == [1, 2, 3])
        #expect(rows.allSatisfy { $0.testLogLikelihood != nil && $0.prior == "none" })
        let best = rows.max { $0.testLogLikelihood! < $1.testLogLikelihood! }!
        #expect(run.content.fit.model.states == best.states)
        // Two planted states: one state explains the held-out data worse than the chosen model.
        #expect(rows[0].testLogLikelihood! < best.testLogLikelihood!)
        #expect(best.states >= 2)
        // The written held-out score is the chosen model's.
        #expect(abs(run.content.heldOut!.logLikelihood - best.testLogLikelihood!) < 1e-9)
        #expect(run.summary.hasPrefix("\(best.states) states, train log-likelihood "))
        #expect(run.summary.contains("bits/spike"))
    }

    @Test("alignment to a previous output numbers the states as its states")
    func alignment() throws {
        let dir = try TestSupport.temporaryDirectory()
        let data = Self.data()
        var config = GLMHMMConfig(input: "simulated.npy", states: "2")
        config.iterations = 10
        config.restarts = 1
        let first = try GLMHMMAnalysis.run(config, data: data)
        #expect(first.content.alignment == nil)
        let context = RunContext(commandLine: "test", inputs: [])
        try first.write(to: "\(dir)/first.nc", context: context)
        // The reference with its states swapped: the aligned fit must swap them back.
        let swapped = first.content.fit.permutingStates([1, 0])
        var content = first.content
        content.fit = swapped
        try GLMHMMRun(config: config, content: content, edges: nil).write(to: "\(dir)/swapped.nc", context: context)
        config.alignTo = "\(dir)/swapped.nc"
        let aligned = try GLMHMMAnalysis.run(config, data: data)
        #expect(aligned.content.alignment == [1, 0])
        for s in 0..<2 {
            #expect(StateMatching.signature(aligned.content.fit.model, state: s) == StateMatching.signature(swapped.model, state: s))
        }
        #expect(aligned.parameters["align_to"] == "\(dir)/swapped.nc")
        // A reference of another number of states is refused with its values.
        config.states = "3"
        config.alignTo = "\(dir)/first.nc"
        #expect(throws: GLMHMMRunError.alignmentMismatch(path: "\(dir)/first.nc", states: 2, neurons: 5, fitStates: 3, fitNeurons: 5)) {
            try GLMHMMAnalysis.run(config, data: data)
        }
    }

    @Test("parameters render as the command wrote them by hand")
    func parameters() throws {
        var config = GLMHMMConfig(input: "x.npy", states: "1-3")
        config.prior = "none,gaussian"
        config.raisedCosine = 3
        config.testFraction = 0.2
        config.binarize = 0.5
        #expect(config.parameters(covariates: 2).description
                == "states=1-3 emission=poisson-softplus prior=none,gaussian prior_variance=0.25 learn_prior_variance=false onehot_warmup=10 history=raised-cosine(3, 5 bins) shared_bias=false align_to=none iterations=100 restarts=3 seed=0 stickiness=0.0 test=last 0.2 of each sequence binarize=0.5 covariates=2")
        #expect(throws: GLMHMMRunError.unreadableStates("x")) { try GLMHMMConfig(input: "x.npy", states: "1,x").stateGrid }
        #expect(try GLMHMMConfig(input: "x.npy", states: "2,4-5").stateGrid == [2, 4, 5])
    }
}
