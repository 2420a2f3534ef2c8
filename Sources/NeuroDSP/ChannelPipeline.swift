import Dispatch
import NeuroCore

/// Resampling and filtering of one channel.
public struct ChannelPipeline: @unchecked Sendable {
    private var resampler: StreamingPolyphase?
    /// FFT resampling: the whole channel, resampled at `finish`.
    private var whole: (up: Int, down: Int, samples: [Double])?
    private var hold: SampleAndHold?
    private var notch: ZeroPhaseFIR?
    private var band: ZeroPhaseFIR?
    /// Output samples for the whole signal.
    public let outputLength: Int
    /// How the channel is resampled, for provenance.
    public let resamplingSummary: String

    /// The pipeline of a signal of `sampleCount` samples at `rate` Hz, resampled to `outputRate` (sample and
    /// hold for a trigger channel, `isStim`; MNE's FFT method when `fft`; else streaming polyphase with
    /// `padding`), then filtered with the `notch` and `band` taps when given. Throws
    /// ``RateRatioError`` when the two rates are not a ratio of small integers.
    public init(rate: Double, sampleCount: Int, isStim: Bool, outputRate: Double, fft: Bool, padding: PolyphaseResampler.Padding,
                notch: [Double]?, band: [Double]?) throws {
        let (up, down) = try Ratio.rational(outputRate / rate)
        if isStim {
            hold = up == down ? nil : SampleAndHold(up: up, down: down)
            resamplingSummary = up == down ? "none" : "stim: sample and hold \(up)/\(down)"
        } else if up != down && fft {
            whole = (up, down, [])
            resamplingSummary = "fft (MNE: npad 100, boxcar, reflect_limited) \(up)/\(down)"
        } else if up != down {
            let r = PolyphaseResampler(up: up, down: down, padding: padding)
            resampler = StreamingPolyphase(r)
            resamplingSummary = "polyphase up \(r.up) down \(r.down), Kaiser(β=5), \(r.taps.count) taps, \(padding.rawValue) padding"
        } else {
            resamplingSummary = "none"
        }
        if up == down {
            outputLength = sampleCount
        } else if fft && !isStim {
            outputLength = Int((Double(sampleCount) * Double(up) / Double(down)).rounded(.toNearestOrEven))
        } else {
            outputLength = PolyphaseResampler(up: up, down: down).outputLength(sampleCount)
        }
        self.notch = notch.map { ZeroPhaseFIR(taps: $0) }
        self.band = band.map { ZeroPhaseFIR(taps: $0) }
    }

    /// The output samples that `samples` (the next input) complete.
    public mutating func push(_ samples: [Double]) -> [Double] {
        var x = samples
        if whole != nil {
            whole!.samples += x
            return []
        }
        if resampler != nil { x = resampler!.push(x) }
        if hold != nil { x = hold!.push(x) }
        if notch != nil { x = notch!.push(x) }
        if band != nil { x = band!.push(x) }
        return x
    }

    /// The remaining output samples, at the end of the input.
    public mutating func finish() -> [Double] {
        var x: [Double] = []
        if let w = whole { x = FFTResampler.resample(w.samples, up: w.up, down: w.down) }
        if resampler != nil { x = resampler!.finish() }
        if hold != nil { x = hold!.finish() }
        if notch != nil { x = notch!.push(x) + notch!.finish() }
        if band != nil { x = band!.push(x) + band!.finish() }
        return x
    }

    /// Runs `body` on every channel, spread over the cores; returns the outputs in channel order.
    public static func run(_ pipelines: inout [ChannelPipeline], _ body: @escaping @Sendable (Int, inout ChannelPipeline) -> [Double]) -> [[Double]] {
        let count = pipelines.count
        let results = UnsafeMutablePointer<[Double]>.allocate(capacity: count)
        results.initialize(repeating: [], count: count)
        defer { results.deinitialize(count: count); results.deallocate() }
        pipelines.withUnsafeMutableBufferPointer { buffer in
            let pipelines = UnsafeSendable(buffer), outputs = UnsafeSendable(results)
            DispatchQueue.concurrentPerform(iterations: count) { k in
                outputs.wrapped[k] = body(k, &pipelines.wrapped[k])
            }
        }
        return Array(UnsafeBufferPointer(start: results, count: count))
    }
}
