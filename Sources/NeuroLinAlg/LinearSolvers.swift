internal import CLAPACKE
import NeuroCore

/// Failures of the LAPACK solvers.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The system is singular (LAPACK `info > 0`): pivot `index` is zero.
    case singular(index: Int)
    /// A matrix that must be positive definite is not.
    case notPositiveDefinite(order: Int)
    /// Bad arguments (LAPACK `info < 0`).
    case invalidArgument(routine: String, index: Int)

    /// One line naming the failure and the LAPACK pivot, leading minor or argument index.
    public var description: String {
        switch self {
        case .singular(let i): return "singular linear system (zero pivot at \(i))"
        case .notPositiveDefinite(let k): return "matrix is not positive definite (leading minor \(k))"
        case let .invalidArgument(routine, index): return "LAPACK \(routine): invalid argument \(index)"
        }
    }
}

/// Linear solvers backed by LAPACK.
public enum LinearSolve {
    /// Solves the tridiagonal system with sub-diagonal `lower` (n-1), `diagonal` (n) and super-diagonal
    /// `upper` (n-1) for each column of `rhs` (n × k, row-major), by LAPACK `dgtsv` (partial pivoting).
    public static func tridiagonal(lower: [Double], diagonal: [Double], upper: [Double], rhs: Matrix) throws -> Matrix {
        let n = diagonal.count
        precondition(lower.count == max(n - 1, 0) && upper.count == max(n - 1, 0) && rhs.rows == n, "tridiagonal: shapes")
        var dl = lower, d = diagonal, du = upper, b = rhs
        guard n > 0, rhs.columns > 0 else { return rhs }
        let info = LAPACKE_dgtsv(LAPACK_ROW_MAJOR, Int32(n), Int32(rhs.columns), &dl, &d, &du, &b.values, Int32(rhs.columns))
        if info > 0 { throw LinearAlgebraError.singular(index: Int(info)) }
        if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dgtsv", index: Int(-info)) }
        return b
    }

    /// Solves `A X = B` for symmetric positive definite `A` (LAPACK `dposv`, Cholesky).
    public static func positiveDefinite(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        precondition(a.rows == a.columns && b.rows == a.rows, "positiveDefinite: shapes")
        var a = a, b = b
        guard a.rows > 0, b.columns > 0 else { return b }
        let info = LAPACKE_dposv(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "U")), Int32(a.rows), Int32(b.columns),
                                 &a.values, Int32(a.rows), &b.values, Int32(b.columns))
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(order: Int(info)) }
        if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dposv", index: Int(-info)) }
        return b
    }

    /// Solves `A X = B` for a general square `A` (LAPACK `dgesv`, LU with partial pivoting, as
    /// `numpy.linalg.solve`).
    public static func general(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        precondition(a.rows == a.columns && b.rows == a.rows, "general: shapes")
        var a = a, b = b
        guard a.rows > 0, b.columns > 0 else { return b }
        var pivots = [Int32](repeating: 0, count: a.rows)
        let info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, Int32(a.rows), Int32(b.columns), &a.values, Int32(a.rows),
                                 &pivots, &b.values, Int32(b.columns))
        if info > 0 { throw LinearAlgebraError.singular(index: Int(info)) }
        if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dgesv", index: Int(-info)) }
        return b
    }

    /// Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix (LAPACK `dsyev`).
    public static func symmetricEigen(_ a: Matrix) throws -> (values: [Double], vectors: Matrix) {
        precondition(a.rows == a.columns, "symmetricEigen: matrix must be square")
        var v = a
        var w = [Double](repeating: 0, count: a.rows)
        guard a.rows > 0 else { return (w, v) }
        let info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                                 Int32(a.rows), &v.values, Int32(a.rows), &w)
        if info > 0 { throw LinearAlgebraError.singular(index: Int(info)) }
        if info < 0 { throw LinearAlgebraError.invalidArgument(routine: "dsyev", index: Int(-info)) }
        return (w, v)
    }
}
