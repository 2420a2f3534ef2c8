import Foundation
import NeuroCore
import NeuroLinAlg
import Testing

@Suite("Vector kernels against the scalar functions")
struct VectorMathTests {
    /// Values spanning the ranges the GLM-HMM and the resamplers meet, odd count (a scalar tail).
    static let inputs: [Double] = {
        var g = SeededGenerator(seed: 11)
        return (0..<1001).map { _ in (g.uniform() - 0.5) * 60 } + [0, -0.0, 1e-300, 1e-20, 700, -745]
    }()

    @Test("exp, log and log1p of arrays agree with Foundation's within 4 ulps")
    func elementwise() {
        let x = Self.inputs, positive = x.map { abs($0) + 1e-300 }, aboveMinusOne = x.map { max($0, -0.999) }
        var y = [Double](repeating: 0, count: x.count)
        func check(_ input: [Double], _ vector: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void, _ scalar: (Double) -> Double, _ name: String) {
            vector(input, &y, input.count)
            for (i, v) in input.enumerated() {
                let want = scalar(v)
                #expect(y[i] == want || abs(y[i] - want) <= 4 * want.ulp, "\(name)(\(v)): \(y[i]) vs \(want)")
            }
        }
        check(x, { VectorMath.exp($0, into: $1, count: $2) }, Foundation.exp, "exp")
        check(positive, { VectorMath.log($0, into: $1, count: $2) }, Foundation.log, "log")
        check(aboveMinusOne, { VectorMath.log1p($0, into: $1, count: $2) }, Foundation.log1p, "log1p")
    }

    @Test("ddot over raw buffers equals the plain sum of products")
    func dot() {
        let a = Self.inputs.map { $0 / 60 }, b = a.reversed().map { $0 + 0.5 }
        let plain = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let scale = zip(a, b).reduce(0) { $0 + abs($1.0 * $1.1) }
        let blas = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in VectorKernels.dot(pa.baseAddress!, pb.baseAddress!, count: a.count) }
        }
        #expect(abs(blas - plain) <= 1e-14 * scale, "\(blas) vs \(plain)")
    }
}
