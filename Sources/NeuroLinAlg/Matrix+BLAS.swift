internal import COpenBLAS
internal import CVectorMath
import NeuroCore

extension Matrix {
    /// The product `self · other` (BLAS `dgemm`).
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(columns == other.rows, "Matrix product of \(rows)×\(columns) and \(other.rows)×\(other.columns)")
        var c = Matrix(rows: rows, columns: other.columns)
        guard rows > 0, other.columns > 0, columns > 0 else { return c }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(other.columns), Int32(columns),
                    1.0, values, Int32(columns), other.values, Int32(other.columns), 0.0, &c.values, Int32(other.columns))
        return c
    }

    /// The product `selfᵀ · other` without forming the transpose (BLAS `dgemm`).
    public func transposeMultiplied(by other: Matrix) -> Matrix {
        precondition(rows == other.rows, "Matrix product of (\(rows)×\(columns))ᵀ and \(other.rows)×\(other.columns)")
        var c = Matrix(rows: columns, columns: other.columns)
        guard rows > 0, other.columns > 0, columns > 0 else { return c }
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(columns), Int32(other.columns), Int32(rows),
                    1.0, values, Int32(columns), other.values, Int32(other.columns), 0.0, &c.values, Int32(other.columns))
        return c
    }

    /// `c = self · otherᵀ` written into `c` (`rows × other.rows`, row-major) without allocating
    /// (BLAS `dgemm`): e.g. every bin's linear predictor under several neurons' weights.
    public func multipliedTransposed(by other: Matrix, into c: UnsafeMutablePointer<Double>) {
        precondition(columns == other.columns, "Matrix product of \(rows)×\(columns) and (\(other.rows)×\(other.columns))ᵀ")
        guard rows > 0, other.rows > 0 else { return }
        guard columns > 0 else { c.update(repeating: 0, count: rows * other.rows); return }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(other.rows), Int32(columns),
                    1.0, values, Int32(columns), other.values, Int32(other.columns), 0.0, c, Int32(other.rows))
    }

    /// The matrix-vector product `self · x` (BLAS `dgemv`).
    public func multiplied(by x: [Double]) -> [Double] {
        precondition(columns == x.count, "Matrix-vector product of \(rows)×\(columns) and \(x.count)")
        var y = [Double](repeating: 0, count: rows)
        guard rows > 0, columns > 0 else { return y }
        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(columns), 1.0, values, Int32(columns), x, 1, 0.0, &y, 1)
        return y
    }
}

/// Controls the number of threads OpenBLAS uses for large products.
public enum BLASThreads {
    /// Current thread count.
    public static var count: Int { Int(openblas_get_num_threads()) }
    /// Sets the thread count (1 makes results reproducible bit for bit across runs).
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
}

/// Which OpenBLAS kernels run, and which would suit this CPU better.
public enum BLASRuntime {
    /// The kernel family OpenBLAS picked at load time ("Haswell", "SkylakeX", "Prescott", …).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// A better `OPENBLAS_CORETYPE` when OpenBLAS fell back to generic kernels on a CPU it does not
    /// recognise (Debian's OpenBLAS predates recent Xeons and picks SSE3 "Prescott" kernels there, several
    /// times slower); nil when its own choice is fine. `cpuFlags` are /proc/cpuinfo's `flags`.
    public static func betterCoreType(cpuFlags: Set<Substring>, current: String = coreName) -> String? {
        let generic: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Northwood", "Banias"]
        guard generic.contains(current) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        if cpuFlags.contains("avx") { return "Sandybridge" }
        return nil
    }
}

/// BLAS level-1 kernels on raw buffers, for inner loops that cannot be phrased as matrix products.
public enum VectorKernels {
    /// `Σ a[i] b[i]` over `count` contiguous elements (BLAS `ddot`: OpenBLAS's SIMD kernel for this CPU).
    @inlinable
    public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        blasDot(a, b, count)
    }
}

@usableFromInline
func blasDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
    cblas_ddot(Int32(count), a, 1, b, 1)
}

/// Element-wise exponentials and logarithms over whole arrays, 2 or 4 at a time (glibc's libmvec,
/// AVX2 when the CPU has it); within libmvec's 4-ulp bound of the scalar functions.
public enum VectorMath {
    /// `y[i] = exp(x[i])`.
    public static func exp(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) { nt_vm_exp(x, y, count) }
    /// `y[i] = log(x[i])`.
    public static func log(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) { nt_vm_log(x, y, count) }
    /// `y[i] = log(1 + x[i])`.
    public static func log1p(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) { nt_vm_log1p(x, y, count) }
}
