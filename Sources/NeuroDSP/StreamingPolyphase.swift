import NeuroLinAlg

/// ``PolyphaseResampler`` applied to one channel arriving in pieces: `push` each block of samples as it
/// is read, `finish` at the end. The concatenated outputs equal the resampler's whole-signal output
/// exactly (same sums in the same order), while only about `taps / up` input samples are kept.
///
/// Each output is a dot product of input samples with one phase of the filter. The filter's phases are
/// stored reversed and contiguous, so that an output whose inputs are all in the buffer is one BLAS
/// `ddot` of two contiguous runs.
public struct StreamingPolyphase: Sendable {
    /// The resampler whose ratio, filter and padding are applied.
    public let resampler: PolyphaseResampler
    /// Phase `p` of the filter, reversed, at `phaseStart[p]..<phaseStart[p + 1]` of `phases`:
    /// `phases[phaseStart[p] + r] = taps[p + (L_p − 1 − r) · up]`.
    private let phases: [Double]
    private let phaseStart: [Int]
    /// Input samples kept, starting at absolute index `bufferStart`.
    private var buffer: [Double] = []
    private var bufferStart = 0
    private var received = 0
    private var produced = 0
    private var first: Double?
    private var last: Double?
    /// The first samples, for reflection at the start.
    private var head: [Double] = []

    /// An empty stream through `resampler`, whose padding must not be `.mean` (a precondition: the mean is known
    /// only at the end).
    public init(_ resampler: PolyphaseResampler) {
        precondition(resampler.padding != .mean, "streaming resampling cannot use mean padding (the mean is known only at the end)")
        self.resampler = resampler
        let up = resampler.up, taps = resampler.taps
        var phases: [Double] = [], starts = [0]
        for p in 0..<up {
            let length = (taps.count - p + up - 1) / up
            phases += (0..<length).map { r in taps[p + (length - 1 - r) * up] }
            starts.append(phases.count)
        }
        self.phases = phases
        phaseStart = starts
    }

    /// Takes the next samples; returns the outputs that no longer depend on later input.
    public mutating func push(_ samples: [Double]) -> [Double] {
        guard !samples.isEmpty else { return [] }
        if first == nil { first = samples[0] }
        last = samples[samples.count - 1]
        let reach = resampler.taps.count / resampler.up + 2
        if head.count < reach { head += samples.prefix(reach - head.count) }
        buffer += samples
        received += samples.count
        return produce(final: false)
    }

    /// Ends the input; returns the remaining outputs (`ceil(n · up / down)` outputs in all).
    public mutating func finish() -> [Double] {
        produce(final: true)
    }

    private mutating func produce(final: Bool) -> [Double] {
        let up = resampler.up, down = resampler.down
        let taps = resampler.taps, t = taps.count
        let total = final ? resampler.outputLength(received) : Int.max
        let reach = t / up + 2
        // Reflection at the start needs the first samples: wait for them (or for the end).
        if resampler.padding == .reflect && !final && received < reach { return [] }
        let padded = resampler.padding != .constant
        var out: [Double] = []
        // The buffer does not change while outputs are produced: take its address (and the filter's) once.
        let phaseStorage = phases, samples = buffer
        phaseStorage.withUnsafeBufferPointer { hBuffer in samples.withUnsafeBufferPointer { bBuffer in
        let h = hBuffer.baseAddress!, b = bBuffer.baseAddress ?? UnsafePointer(bitPattern: 8)!
        while produced < total {
            let base = (produced + resampler.preRemove) * down
            let mHigh = base / up
            if !final && mHigh >= received { break }
            let lowNumerator = base - t + 1
            let mLow = lowNumerator <= 0 ? -((-lowNumerator) / up) : (lowNumerator + up - 1) / up
            var acc = 0.0
            var m = padded ? mLow : max(mLow, 0)
            let upper = padded ? mHigh : min(mHigh, received - 1)
            if m >= bufferStart && upper < received && upper >= m {
                // Interior: every input sample is in the buffer; one dot product with the reversed phase.
                let p = base % up
                let offset = phaseStart[p + 1] - 1 - (base - p) / up + m
                acc = VectorKernels.dot(h + offset, b + (m - bufferStart), count: upper - m + 1)
                m = upper + 1
            }
            while m <= upper {
                let x: Double
                if m >= 0 && m < received {
                    x = b[m - bufferStart]
                } else if resampler.padding == .reflect {
                    let i = reflected(m, count: received)
                    x = i < head.count ? head[i] : b[i - bufferStart]
                } else {
                    x = m < 0 ? (first ?? 0) : (last ?? 0)
                }
                acc += taps[base - m * up] * x
                m += 1
            }
            out.append(acc)
            produced += 1
        }
        } }
        // Drop input no later output needs (keeping enough of the end for a reflection).
        let nextBase = (produced + resampler.preRemove) * down
        let keepFrom = max(0, min(received - reach, (nextBase - t + 1) / up - 1))
        if keepFrom > bufferStart && keepFrom <= received {
            buffer.removeFirst(keepFrom - bufferStart)
            bufferStart = keepFrom
        }
        return out
    }

    /// Index `m` mirrored into `0..<count` without repeating the ends (numpy/scipy "reflect").
    private func reflected(_ m: Int, count n: Int) -> Int {
        guard n > 1 else { return 0 }
        let period = 2 * (n - 1)
        var i = abs(m) % period
        if i > n - 1 { i = period - i }
        return i
    }
}
