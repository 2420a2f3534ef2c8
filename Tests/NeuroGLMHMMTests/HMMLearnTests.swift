import Foundation
import NeuroCore
import NeuroHMM
import NeuroGLMHMM
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// A Poisson HMM without coupling is a GLM-HMM with exp link and one bias per state and neuron
/// (`log λ`): its likelihood, posteriors, Viterbi path and EM must equal hmmlearn's
/// (`Tests/Fixtures/glmhmm/poisson_hmm.json`, made by `tools/python/make_glmhmm_fixtures.py`).
@Suite("GLM-HMM against hmmlearn's PoissonHMM")
struct HMMLearnTests {
    struct Fixture {
        var json: [String: Any]
        var sequences: [GLMHMMSequence]
        func matrix(_ key: String, _ json: [String: Any]? = nil) -> Matrix {
            let rows = TestSupport.matrixRows((json ?? self.json)[key])
            return Matrix(rows: rows.count, columns: rows[0].count, values: rows.flatMap { $0 })
        }
        func model(_ source: [String: Any]? = nil) -> GLMHMMModel {
            let lambdas = matrix("lambdas", source)
            let weights = (0..<lambdas.rows).map { s in Matrix(rows: lambdas.columns, columns: 1, values: Array(lambdas.row(s)).map { log($0) }) }
            return GLMHMMModel(emission: .poisson(.exp), basis: HistoryBasis(functions: []), neurons: lambdas.columns, covariates: 0,
                               initial: TestSupport.doubles((source ?? json)["startprob"]), transition: matrix("transmat", source),
                               weights: weights, variance: nil)
        }
    }

    func load() throws -> Fixture {
        let json = try TestSupport.json("Tests/Fixtures/glmhmm/poisson_hmm.json")
        let counts = try ArrayFile.read(TestSupport.path("Tests/Fixtures/glmhmm/poisson_hmm_counts.npy"))
        let n = counts.shape[1]
        var start = 0
        let sequences = (json["lengths"] as! [Int]).map { length -> GLMHMMSequence in
            defer { start += length }
            return GLMHMMSequence(activity: Matrix(rows: length, columns: n, values: Array(counts.values[(start * n)..<((start + length) * n)])))
        }
        return Fixture(json: json, sequences: sequences)
    }

    @Test("log-likelihood per sequence and in total, posteriors and the Viterbi path at the true parameters")
    func likelihood() throws {
        let f = try load()
        let model = f.model()
        let scores = f.sequences.map { model.logLikelihood($0) }
        #expect(TestSupport.maxAbsDifference(scores, TestSupport.doubles(f.json["sequence_scores"])) < 1e-9)
        #expect(abs(scores.reduce(0, +) - TestSupport.number(f.json["score"])!) < 1e-9)
        let decoded = f.sequences.map { model.decode($0) }
        let posteriors = decoded.flatMap { $0.posterior.values }
        #expect(TestSupport.maxAbsDifference(posteriors, f.matrix("posteriors").values) < 1e-10)
        #expect(decoded.flatMap(\.viterbi) == (f.json["viterbi_states"] as! [Int]))
    }

    @Test("EM from the same start follows hmmlearn's log-likelihood history and ends at its parameters")
    func em() throws {
        let f = try load()
        let em = f.json["em"] as! [String: Any]
        var options = GLMHMMOptions(states: 3)
        options.emission = .poisson(.exp)
        options.basis = HistoryBasis(functions: [])
        options.iterations = 8
        options.tolerance = 0
        options.ridge = 0
        options.newtonSteps = 30
        let fit = try GLMHMMFitter.fit(f.sequences, options: options, start: f.model(em["start"] as? [String: Any]))
        let history = TestSupport.doubles(em["history"])
        #expect(TestSupport.maxAbsDifference(Array(fit.logLikelihoods.prefix(8)), Array(history.prefix(8))) < 1e-6,
                "ours \(fit.logLikelihoods.prefix(8)) hmmlearn \(history.prefix(8))")
    }
}
