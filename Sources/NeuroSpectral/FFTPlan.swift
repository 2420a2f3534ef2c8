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
    private let inversePlan: OpaquePointer
    private let lock = NSLock()

    /// Plans a transform of `length` (> 0) real samples.
    public init(length: Int) {
        precondition(length > 0, "FFT length must be positive")
        self.length = length
        let input = fftw_alloc_real(length)!
        let output = fftw_alloc_complex(length / 2 + 1)!
        self.input = input
        self.output = output
        (plan, inversePlan) = plannerLock.withLock {
            (fftw_plan_dft_r2c_1d(Int32(length), input, output, FFTW_ESTIMATE)!,
             fftw_plan_dft_c2r_1d(Int32(length), output, input, FFTW_ESTIMATE)!)
        }
    }

    deinit {
        plannerLock.withLock {
            fftw_destroy_plan(plan)
            fftw_destroy_plan(inversePlan)
        }
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

    /// The inverse of ``forward(_:)`` (so `inverse(forward(x)) == x` up to rounding): the real signal of
    /// `length` samples whose non-negative-frequency bins are `spectrum`, divided by `length`.
    public func inverse(_ spectrum: [Complex<Double>]) -> [Double] {
        precondition(spectrum.count == length / 2 + 1, "inverse FFT of \(spectrum.count) bins with a plan for \(length)")
        return lock.withLock {
            for (k, z) in spectrum.enumerated() { output[k] = (z.real, z.imaginary) }
            fftw_execute(inversePlan)
            let scale = 1 / Double(length)
            return (0..<length).map { input[$0] * scale }
        }
    }

    /// Circular convolution helper: the spectrum of `signal` multiplied bin by bin by `filter` (a
    /// spectrum of the same plan), transformed back. Used for FFT filtering without allocating
    /// `Complex` arrays.
    public func convolve(_ signal: UnsafeBufferPointer<Double>, withSpectrum filter: [Complex<Double>], into result: UnsafeMutableBufferPointer<Double>) {
        precondition(signal.count == length && result.count == length && filter.count == length / 2 + 1, "convolve: sizes")
        lock.withLock {
            input.update(from: signal.baseAddress!, count: length)
            fftw_execute(plan)
            for k in 0..<(length / 2 + 1) {
                let (a, b) = output[k], c = filter[k].real, d = filter[k].imaginary
                output[k] = (a * c - b * d, a * d + b * c)
            }
            fftw_execute(inversePlan)
            let scale = 1 / Double(length)
            for i in 0..<length { result[i] = input[i] * scale }
        }
    }

    /// The FFTW library version string.
    public static var libraryVersion: String { String(cString: nt_fftw_version()) }
}
