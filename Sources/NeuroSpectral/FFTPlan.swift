internal import CFFTW
import ComplexModule
import RealModule
import Foundation

/// FFTW's planner is not thread-safe (only `fftw_execute` is): plan creation and destruction hold this lock.
private let plannerLock = NSLock()

/// A reusable real-to-complex FFT of fixed length `n` (FFTW `r2c`, `FFTW_ESTIMATE` planning).
///
/// ```swift
/// let fft = RealFFT(length: 8)
/// let spectrum = fft.forward([1, 0, 0, 0, 0, 0, 0, 0])   // 5 bins, all 1+0i
/// ```
/// Planning with `FFTW_ESTIMATE` keeps start-up cheap and results independent of earlier plans.
public final class RealFFT: @unchecked Sendable {
    /// The transform length.
    public let length: Int
    private let input: UnsafeMutablePointer<Double>
    private let output: UnsafeMutablePointer<fftw_complex>
    private let plan: OpaquePointer
    private let lock = NSLock()

    /// Plans a transform of `length` (> 0) real samples.
    public init(length: Int) {
        precondition(length > 0, "FFT length must be positive")
        self.length = length
        let input = fftw_alloc_real(length)!
        let output = fftw_alloc_complex(length / 2 + 1)!
        self.input = input
        self.output = output
        plan = plannerLock.withLock {
            fftw_plan_dft_r2c_1d(Int32(length), input, output, FFTW_ESTIMATE)!
        }
    }

    deinit {
        plannerLock.withLock { fftw_destroy_plan(plan) }
        fftw_free(input)
        fftw_free(output)
    }

    /// The `length / 2 + 1` non-negative-frequency bins of the unnormalised DFT of `signal`.
    public func forward(_ signal: [Double]) -> [Complex<Double>] {
        precondition(signal.count == length, "FFT of \(signal.count) samples with a plan for \(length)")
        return lock.withLock {
            signal.withUnsafeBufferPointer { input.update(from: $0.baseAddress!, count: length) }
            fftw_execute(plan)
            return (0..<(length / 2 + 1)).map { Complex(output[$0].0, output[$0].1) }
        }
    }

    /// The FFTW library version string.
    public static var libraryVersion: String { String(cString: nt_fftw_version()) }
}
