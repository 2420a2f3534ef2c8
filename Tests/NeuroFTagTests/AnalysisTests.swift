import Foundation
import NeuroCore
import NeuroTagging
import NeuroFTag
import NeuroPipeline
import NeuroTestSupport
import Testing

@Suite("FTag analysis in-process: RSA comparison and parameters")
struct FTagAnalysisTests {
    /// A finished run of the synthetic data (no permutations) with `rsa` as its RSA matrix, written to `path`.
    static func written(rsa: [[Double]], to path: String) throws {
        let (data, _) = SyntheticTagging.make()
        var options = FTagOptions(tags: [1, 2, 4])
        options.permutations = 0
        var run = try FTagAnalysis.run(FTagConfig(input: "synthetic.npy", options: options), data: data)
        run.extras.rsa = rsa
        run.extras.conditions = (0..<rsa.count).map { "c\($0)" }
        try run.write(to: path, context: RunContext(commandLine: "test", inputs: []))
    }

    @Test("the RSA comparison reads another output's matrix and returns Spearman's rho over the upper triangle")
    func compareRSA() throws {
        let dir = try TestSupport.temporaryDirectory()
        let reference = [[0, 0.2, 0.5, 0.9], [0.2, 0, 0.4, 0.7], [0.5, 0.4, 0, 0.3], [0.9, 0.7, 0.3, 0]]
        try Self.written(rsa: reference, to: "\(dir)/ref.nc")
        // The same order of distances: ρ = 1; the reversed order: ρ = −1.
        let same = reference.map { $0.map { 2 * $0 } }
        #expect(abs(try FTagAnalysis.compareRSA(same, with: "\(dir)/ref.nc") - 1) < 1e-12)
        let upper = [0.2, 0.5, 0.9, 0.4, 0.7, 0.3]
        var reversed = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
        var k = 0
        for i in 0..<4 { for j in (i + 1)..<4 { reversed[i][j] = 1 - upper[k]; reversed[j][i] = 1 - upper[k]; k += 1 } }
        #expect(abs(try FTagAnalysis.compareRSA(reversed, with: "\(dir)/ref.nc") + 1) < 1e-12)
        // A matrix of another size is refused with both sizes.
        #expect(throws: FTagRunError.rsaShapeMismatch(path: "\(dir)/ref.nc", shape: [4, 4], conditions: 3)) {
            try FTagAnalysis.compareRSA([[0, 1, 2], [1, 0, 3], [2, 3, 0]], with: "\(dir)/ref.nc")
        }
    }

    @Test("parameters render as the command wrote them by hand; the band and epochs are read from their spelling")
    func parameters() throws {
        var options = FTagOptions(tags: [1, 2, 4])
        options.tagNames = ["sentence", "phrase", "word"]
        options.permutations = 0
        var config = FTagConfig(input: "x.npy", options: options)
        config.epoch = "window:4"
        config.conditions = ["c1", "c2"]
        #expect(config.parameters(duration: 4).description
                == "tags=1,2,4 names=sentence,phrase,word harmonics=1 epoch=window:4 duration=4.0 method=fft average=evoked nperseg=epoch noverlap=half neighbors=3 skip=1 permutations=0 seed=0 correction=bonferroni alpha=0.05 control=none conditions=c1,c2 rsa_band=0.5-2")
        #expect(try config.band == 0.5...2)
        #expect(try config.epochs == .windows(seconds: 4))
        config.rsaBand = "2-1"
        #expect(throws: FTagRunError.unreadableBand("2-1")) { try config.band }
        config.epoch = "trials"
        #expect(throws: FTagRunError.unreadableEpoch("trials")) { try config.epochs }
    }
}
