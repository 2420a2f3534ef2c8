import Foundation
import NeuroCore
import NeuroIO
import NeuroNTF
import NeuroPipeline
import NeuroTensor
import NeuroTestSupport
import Testing

@Suite("NTF analysis in-process: models from files, configuration errors, parameters")
struct NTFAnalysisTests {
    /// A planted rank-2 non-negative 6 × 5 × 4 tensor.
    static func planted() -> LabelledTensor {
        let a = [[1.0, 0, 2, 0.5, 0, 1], [0, 1, 0.5, 0, 2, 1]], b = [[1.0, 2, 0, 0, 1], [0, 1, 1, 2, 0]], c = [[1.0, 0, 1, 2], [2, 1, 0, 1]]
        var values = [Double](repeating: 0, count: 6 * 5 * 4)
        for i in 0..<6 { for j in 0..<5 { for k in 0..<4 {
            values[(i * 5 + j) * 4 + k] = (0..<2).reduce(0) { $0 + a[$1][i] * b[$1][j] * c[$1][k] }
        } } }
        return LabelledTensor(tensor: DenseTensor(shape: [6, 5, 4], values: values), mask: nil,
                              axes: [6, 5, 4].enumerated().map { ModeAxis.indexed("dim\($0.offset)", count: $0.element) }, kind: "array")
    }

    @Test("an ntf output read back as a model gives the written factors and weights; it starts or aligns another run")
    func modelFromFile() throws {
        let dir = try TestSupport.temporaryDirectory()
        var config = NTFConfig(input: "planted.npy", ranks: [2])
        config.iterations = 200
        let first = try NTFAnalysis.run(config, data: Self.planted())
        try first.write(to: "\(dir)/first.nc", context: RunContext(commandLine: "test", inputs: []))
        let model = try NTFAnalysis.model(from: "\(dir)/first.nc", order: 3)
        #expect(model.rank == 2)
        #expect(model.weights == first.result.model.weights)
        for m in 0..<3 { #expect(model.factors[m].values == first.result.model.factors[m].values) }
        // Aligned to itself: the factor match score is 1.
        config.align = "\(dir)/first.nc"
        let aligned = try NTFAnalysis.run(config, data: Self.planted())
        #expect(abs(aligned.result.alignmentScore! - 1) < 1e-6, "\(aligned.result.alignmentScore!)")
        #expect(aligned.summary.contains("\naligned to \(dir)/first.nc: factor match score 1.000"))
        // Starting factors of rank 2 for rank 3 are refused with both ranks.
        config.align = nil
        config.initFile = "\(dir)/first.nc"
        config.ranks = [3]
        #expect(throws: NTFError.startRankMismatch(path: "\(dir)/first.nc", rank: 2, ranks: [3])) {
            try NTFAnalysis.run(config, data: Self.planted())
        }
        config.ranks = [2]
        config.initFile = nil
        config.fixedModes = [3]
        #expect(throws: NTFError.modeOutOfRange(mode: 3, order: 3)) { try NTFAnalysis.run(config, data: Self.planted()) }
        config.fixedModes = []
        config.selectedRank = 1
        #expect(throws: NTFError.selectedRankNotFitted(rank: 1, ranks: [2])) { try NTFAnalysis.run(config, data: Self.planted()) }
    }

    @Test("parameters render as the command wrote them by hand")
    func parameters() {
        var config = NTFConfig(input: "x.npy", ranks: [1, 2, 3])
        config.signedModes = [2, 0]
        config.sparsity = [2: 0.5, 0: 0.1]
        config.maxSeconds = 3
        #expect(config.parameters.description
                == "solver=hals ranks=1,2,3 replicates=1 iterations=500 tol=1e-05 max_time=3.0 seed=0 init=random inner_iterations=5 holdout=0.0 signed_modes=0,2 fixed_modes= sparsity=0:0.1,2:0.5 missing_nan=false resolution=1.0")
        config.initFile = "start.h5"
        #expect(config.parameters["init"] == "file")
        #expect(config.inputFiles == ["x.npy", "start.h5"])
    }
}
