/// ``PolyphaseResampler`` applied to one channel arriving in pieces: `push` each block of samples as it
/// is read, `finish` at the end. The concatenated outputs equal the resampler's whole-signal output
/// exactly (same sums in the same order), while only about `taps / up` input samples are kept.
public struct StreamingPolyphase: Sendable {
    public let resampler: PolyphaseResampler
    /// Input samples kept, starting at absolute index `bufferStart`.
    private var buffer: [Double] = []
    private var bufferStart = 0
    private var received = 0
    private var produced = 0
    private var first: Double?
    private var last: Double?

    public init(_ resampler: PolyphaseResampler) {
        precondition(resampler.padding != .mean, "streaming resampling cannot use mean padding (the mean is known only at the end)")
        self.resampler = resampler
    }

    /// Takes the next samples; returns the outputs that no longer depend on later input.
    public mutating func push(_ samples: [Double]) -> [Double] {
        guard !samples.isEmpty else { return [] }
        if first == nil { first = samples[0] }
        last = samples[samples.count - 1]
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
        var out: [Double] = []
        while produced < total {
            let base = (produced + resampler.preRemove) * down
            let mHigh = base / up
            if !final && mHigh >= received { break }
            let lowNumerator = base - t + 1
            let mLow = lowNumerator <= 0 ? -((-lowNumerator) / up) : (lowNumerator + up - 1) / up
            var acc = 0.0
            var m = max(mLow, resampler.padding == .edge ? mLow : 0)
            let upper = resampler.padding == .edge ? mHigh : min(mHigh, received - 1)
            while m <= upper {
                let x: Double
                if m < 0 { x = first ?? 0 } else if m >= received { x = last ?? 0 } else { x = buffer[m - bufferStart] }
                acc += taps[base - m * up] * x
                m += 1
            }
            out.append(acc)
            produced += 1
        }
        // Drop input no later output needs.
        let nextBase = (produced + resampler.preRemove) * down
        let keepFrom = max(0, min(received, (nextBase - t + 1) / up - 1))
        if keepFrom > bufferStart {
            buffer.removeFirst(keepFrom - bufferStart)
            bufferStart = keepFrom
        }
        return out
    }
}
