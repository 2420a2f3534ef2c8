import NeuroCore
import NeuroLinAlg
import Testing

@Suite("BLAS and LAPACK wrappers")
struct LinearAlgebraTests {
    func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows { for j in 0..<b.columns { for k in 0..<a.columns { c[i, j] += a[i, k] * b[k, j] } } }
        return c
    }

    @Test func dgemmMatchesTheDefinition() {
        var rng = SystemRandomNumberGenerator()
        let a = Matrix(rows: 7, columns: 5, values: (0..<35).map { _ in Double.random(in: -1...1, using: &rng) })
        let b = Matrix(rows: 5, columns: 4, values: (0..<20).map { _ in Double.random(in: -1...1, using: &rng) })
        let c = a.multiplied(by: b), reference = naiveProduct(a, b)
        #expect(zip(c.values, reference.values).allSatisfy { abs($0 - $1) < 1e-12 })
        let t = a.transposeMultiplied(by: a), tReference = naiveProduct(a.transposed, a)
        #expect(zip(t.values, tReference.values).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(zip(a.multiplied(by: [1, 0, 0, 0, 0]), a.column(0)).allSatisfy { abs($0 - $1) < 1e-15 })
    }

    @Test func tridiagonalSolveSatisfiesTheSystem() throws {
        let lower = [1.0, 2, 0.5], diagonal = [4.0, 5, 6, 7], upper = [0.3, 1, 2]
        let rhs = Matrix(rows: 4, columns: 2, values: [1, 2, 3, 4, 5, 6, 7, 8])
        let x = try LinearSolve.tridiagonal(lower: lower, diagonal: diagonal, upper: upper, rhs: rhs)
        for c in 0..<2 {
            for i in 0..<4 {
                var s = diagonal[i] * x[i, c]
                if i > 0 { s += lower[i - 1] * x[i - 1, c] }
                if i < 3 { s += upper[i] * x[i + 1, c] }
                #expect(abs(s - rhs[i, c]) < 1e-12)
            }
        }
    }

    @Test func indefiniteMatrixIsAThrownError() {
        let a = Matrix(rows: 2, columns: 2, values: [1, 2, 2, 1])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) {
            try LinearSolve.positiveDefinite(a, Matrix(rows: 2, columns: 1, values: [1, 1]))
        }
    }

    @Test func symmetricEigenvalues() throws {
        let (values, vectors) = try LinearSolve.symmetricEigen(Matrix(rows: 2, columns: 2, values: [2, 1, 1, 3]))
        #expect(abs(values[0] - (5 - 5.0.squareRoot()) / 2) < 1e-12)
        #expect(abs(values[1] - (5 + 5.0.squareRoot()) / 2) < 1e-12)
        #expect(abs(vectors[0, 0] * vectors[0, 1] + vectors[1, 0] * vectors[1, 1]) < 1e-12)
    }
}

@Suite("OpenBLAS kernel choice")
struct BLASRuntimeTests {
    @Test("generic kernels on an AVX-512 / AVX2 CPU get a better core type; a recognised CPU is left alone")
    func coreType() {
        let skylake: Set<Substring> = ["fma", "avx", "avx2", "avx512f", "avx512dq", "avx512bw", "avx512vl"]
        #expect(BLASRuntime.betterCoreType(cpuFlags: skylake, current: "Prescott") == "SkylakeX")
        #expect(BLASRuntime.betterCoreType(cpuFlags: ["fma", "avx", "avx2"], current: "Prescott") == "Haswell")
        #expect(BLASRuntime.betterCoreType(cpuFlags: ["sse3"], current: "Prescott") == nil)
        #expect(BLASRuntime.betterCoreType(cpuFlags: skylake, current: "Haswell") == nil)
        #expect(!BLASRuntime.coreName.isEmpty)
    }
}
