import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
@testable import NeuroTensor
import NeuroStore

/// Same tensor, same start, same number of iterations: neurotool's solvers against TensorLy 0.10.0
/// (`Tests/Fixtures/ntf/*_tensorly.json`, made by `tools/python/make_ntf_fixtures.py`).
@Suite("CP solvers against TensorLy on the same tensor and start")
struct TensorLyParityTests {
    struct Case {
        var tensor: DenseTensor
        var start: KruskalTensor
        var json: [String: Any]
    }

    /// Reads the case through neurotool's own readers: the tensor from `.npy`, the start from HDF5.
    func load(_ name: String) throws -> Case {
        let dir = TestSupport.path("Tests/Fixtures/ntf")
        let array = try ArrayFile.read("\(dir)/\(name).npy")
        let json = try TestSupport.json("Tests/Fixtures/ntf/\(name)_tensorly.json")
        let factors = try array.shape.indices.map { k -> Matrix in
            let f = try ArrayFile.read("\(dir)/\(name)_init.h5:/factor\(k)")
            return Matrix(rows: f.shape[0], columns: f.shape[1], values: f.values)
        }
        return Case(tensor: DenseTensor(shape: array.shape, values: array.values), start: KruskalTensor(factors: factors), json: json)
    }

    static let runs: [(String, String)] = ["planted3", "planted4"].flatMap { c in
        ["hals", "hals_sparse", "hals_fixed0", "hals_nn01", "mu", "als"].map { (c, $0) }
    }

    @Test("relative error after every iteration within 1e-9, factors within 1e-7 (relative)", arguments: runs)
    func parity(name: String, run: String) throws {
        let c = try load(name)
        let expected = (c.json["runs"] as! [String: Any])[run] as! [String: Any]
        let rank = c.start.rank, order = c.tensor.order
        var options = CPOptions(rank: rank, solver: run == "mu" ? .mu : run == "als" ? .als : .hals)
        options.initialization = .given(c.start)
        options.maxIterations = (c.json["iterations"] as! NSNumber).intValue
        options.tolerance = 0
        if run == "hals_sparse" { options.sparsity = [0: 0.05] }
        if run == "hals_fixed0" { options.fixedModes = [0] }
        if run == "hals_nn01" { options.nonnegativeModes = [0, 1] }
        let fit = try fitCP(c.tensor, options: options)

        let errors = TestSupport.doubles(expected["errors"])
        #expect(fit.errors.count == errors.count)
        let errorGap = TestSupport.maxAbsDifference(fit.errors, errors)
        #expect(errorGap <= 1e-9, "\(name) \(run): max |Δ error| \(errorGap)")
        let factors = (expected["factors"] as! [Any]).map(TestSupport.doubles)
        for n in 0..<order {
            let scale = factors[n].map(abs).max() ?? 1
            let gap = TestSupport.maxAbsDifference(fit.model.factors[n].values, factors[n])
            #expect(gap <= 1e-7 * scale, "\(name) \(run): factor \(n) max |Δ| \(gap)")
        }
    }
}
