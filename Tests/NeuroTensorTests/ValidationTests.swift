import NeuroCore
import Testing
@testable import NeuroTensor

@Suite("Bad factorization requests get clear errors")
struct ValidationTests {
    let p = Planted(shape: [5, 4, 3], rank: 2, noise: 0.01, seed: 1)

    func error(_ body: () throws -> Void) -> TensorError? {
        do { try body(); return nil } catch let e as TensorError { return e } catch { return nil }
    }

    @Test("rank < 1 and rank larger than the tensor can need")
    func ranks() {
        #expect(error { _ = try fitCP(p.tensor, options: CPOptions(rank: 0)) } == .rankTooSmall(0))
        #expect(error { _ = try fitCP(p.tensor, options: CPOptions(rank: 13)) } == .rankTooLarge(13, maximum: 12, shape: [5, 4, 3]))
        #expect(TensorError.rankTooLarge(13, maximum: 12, shape: [5, 4, 3]).description.contains("5×4×3"))
    }

    @Test("NaN outside the mask is refused; inside it is ignored")
    func nan() throws {
        var t = p.tensor
        t.values[7] = .nan
        #expect(error { _ = try fitCP(t, options: CPOptions(rank: 2)) } == .nonFinite(index: t.index(of: 7)))
        var mask = [Double](repeating: 1, count: t.count)
        mask[7] = 0
        #expect(try fitCP(t, weights: mask, options: CPOptions(rank: 2)).relativeError.isFinite)
    }

    @Test("negative entries need a signed mode or ALS; an all-missing slice and all-fixed modes are refused")
    func constraints() throws {
        var t = p.tensor
        t.values[3] = -1
        #expect(error { _ = try fitCP(t, options: CPOptions(rank: 2)) } == .negativeEntry(index: [0, 1, 0], value: -1))
        var signed = CPOptions(rank: 2)
        signed.nonnegativeModes = [0, 1]
        #expect(try fitCP(t, options: signed).relativeError.isFinite)
        #expect(try fitCP(t, options: CPOptions(rank: 2, solver: .als)).relativeError.isFinite)

        var mask = [Double](repeating: 1, count: p.tensor.count)
        for j in 0..<4 { for k in 0..<3 { mask[2 * 12 + j * 3 + k] = 0 } }
        #expect(error { _ = try fitCP(p.tensor, weights: mask, options: CPOptions(rank: 2)) } == .emptySlice(mode: 0, index: 2))
        #expect(error { _ = try fitCP(p.tensor, weights: [Double](repeating: 0, count: 60), options: CPOptions(rank: 2)) } == .nothingObserved)

        var fixed = CPOptions(rank: 2)
        fixed.fixedModes = [0, 1, 2]
        #expect(error { _ = try fitCP(p.tensor, options: fixed) } == .allModesFixed)
        #expect(error { _ = try fitCP(DenseTensor(shape: [5], repeating: 1), options: CPOptions(rank: 1)) } == .orderTooSmall([5]))
    }
}
