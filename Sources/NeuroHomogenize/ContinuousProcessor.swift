import Dispatch
import Foundation
import NeuroCore
import NeuroDSP
import NeuroIO
import NeuroSpectral

/// Options of the continuous (EEG/MEG) path of homogenization.
public struct ContinuousOptions: Sendable {
    /// Output rate in Hz; nil keeps the source rate (the highest, when signals differ).
    public var rate: Double? = 256
    /// High-pass edge in Hz (MNE's `l_freq`), or nil.
    public var lowFrequency: Double?
    /// Low-pass edge in Hz (MNE's `h_freq`), or nil.
    public var highFrequency: Double?
    /// Line-noise frequencies to notch out (50 or 60 Hz and harmonics).
    public var notch: [Double] = []
    /// Streaming polyphase resampling (default), or MNE's whole-record FFT resampling (`fft`), which
    /// holds each channel in memory.
    public var fftResampling = false
    /// How polyphase resampling extends the signal past its ends: `reflect` (MNE's default for
    /// `Raw.resample`, no edge artefact on signals with a DC offset) or `constant` (zeros, SciPy's default).
    public var polyphasePadding: PolyphaseResampler.Padding = .reflect
    /// Flag EEG/MEG channels whose log-PSD is an outlier (``BadChannels``) in a `bad` mask.
    public var detectBadChannels = true
    /// Per-sensor-type normalisation (BrainOmni): within each group of EEG, magnetometer and gradiometer
    /// channels, subtract the across-channel mean at every sample, then divide by the group's standard
    /// deviation over the whole recording (found in a first pass, so memory stays bounded).
    public var normalizeBySensorType = false
    /// Cut the recording into consecutive windows of this many seconds (`window_start` variable; an
    /// incomplete last window is dropped from the data).
    public var windowSeconds: Double?

    public init() {}
}

/// Streams one continuous recording through resampling and filtering into an open common-format
/// writer, block by block: memory holds one block of the file plus the filters' state, whatever the
/// recording's length.
///
/// Per signal:
/// 1. **Resampling** to the output rate by rational polyphase filtering (`scipy.signal.resample_poly`
///    with its Kaiser(β = 5) design and zero padding, so results compare with SciPy and MNE's
///    `method="polyphase"` sample for sample). Stim channels are not filtered: each output sample takes
///    the last input sample at or before its time, so trigger codes keep their values.
/// 2. **Notch** then **band-pass** filtering at the output rate with MNE's zero-phase FIR designs
///    (EEG and MEG channels only; stim, EOG/ECG/EMG and misc channels are left as they are).
/// Events keep their onsets in seconds.
public enum ContinuousProcessor {
    /// Processes `source` into a group named `groupName` of `writer`; returns warnings (as MNE warns when
    /// a filter is longer than the signal, which distorts it).
    @discardableResult
    public static func process(_ source: any ContinuousSource, groupName: String, sha256: String, lab: String?,
                               options: ContinuousOptions, writer: CommonFormatWriter,
                               progress: (Double) -> Void = { _ in }) throws -> [String] {
        let signals = source.signals
        guard !signals.isEmpty else {
            throw NeuroIOError.badValue(source.path, field: "signals", detail: "no data channels")
        }
        let sourceRate = signals.map(\.samplingRate).max()!
        let rate = options.rate ?? sourceRate
        guard rate > 0, rate.isFinite else { throw NeuroIOError.badValue(source.path, field: "rate", detail: "\(rate) Hz is not positive") }
        let filtered = Set(signals.indices.filter { [.eeg, .megMag, .megGrad].contains(signals[$0].kind) })
        let notchTaps = options.notch.isEmpty ? nil
            : try designed(source.path) { try MNEFilterDesign.notch(rate: rate, frequencies: options.notch) }
        let bandTaps = options.lowFrequency == nil && options.highFrequency == nil ? nil
            : try designed(source.path) { try MNEFilterDesign.bandPass(rate: rate, low: options.lowFrequency, high: options.highFrequency) }

        func pipelines(filters: Bool = true) throws -> [ChannelPipeline] {
            try signals.indices.map { k in
                try ChannelPipeline(signal: signals[k], outputRate: rate, fft: options.fftResampling, padding: options.polyphasePadding,
                                    notch: filters && filtered.contains(k) ? notchTaps : nil,
                                    band: filters && filtered.contains(k) ? bandTaps : nil, file: source.path)
            }
        }
        // Lengths and summaries only: no filter state (FFT plans) is built for these.
        let channels = try pipelines(filters: false)
        let fullCount = channels.map(\.outputLength).min()!
        var sampleCount = fullCount
        var windows: [Double] = []
        if let seconds = options.windowSeconds {
            let length = Int((seconds * rate).rounded())
            guard length >= 1, length <= fullCount else {
                throw NeuroIOError.badValue(source.path, field: "window", detail: "\(seconds) s windows do not fit \(Double(fullCount) / rate) s of data")
            }
            let count = fullCount / length
            sampleCount = count * length
            windows = (0..<count).map { Double($0 * length) / rate }
        }
        /// Runs every block (and the end) through fresh pipelines, handing on complete rows.
        func stream(progress: (Double) -> Void, _ handle: (Matrix) throws -> Void) throws {
            var channels = try pipelines()
            var assembler = RowAssembler(channels: signals.count, limit: sampleCount)
            for b in 0..<source.blockCount {
                let samples = try source.readBlock(b)
                let outputs = ChannelPipeline.run(&channels) { k, pipeline in pipeline.push(samples[k]) }
                if let rows = assembler.add(outputs) { try handle(rows) }
                progress(Double(b + 1) / Double(source.blockCount))
            }
            let rest = ChannelPipeline.run(&channels) { _, pipeline in pipeline.finish() }
            if let rows = assembler.add(rest) { try handle(rows) }
        }
        // Per-sensor-type normalisation needs each group's standard deviation: a first pass finds it.
        let groups = options.normalizeBySensorType
            ? [ChannelKind.eeg, .megMag, .megGrad].map { kind in signals.indices.filter { signals[$0].kind == kind } }.filter { !$0.isEmpty }
            : []
        var groupScale = [Double](repeating: 1, count: groups.count)
        if !groups.isEmpty {
            var squares = [Double](repeating: 0, count: groups.count), counts = [Int](repeating: 0, count: groups.count)
            try stream(progress: { progress(0.5 * $0) }) { rows in
                for i in 0..<rows.rows {
                    for (g, members) in groups.enumerated() {
                        let mean = members.reduce(0) { $0 + rows[i, $1] } / Double(members.count)
                        for c in members { squares[g] += (rows[i, c] - mean) * (rows[i, c] - mean) }
                        counts[g] += members.count
                    }
                }
            }
            groupScale = zip(squares, counts).map { s, n in n > 0 && s > 0 ? (s / Double(n)).squareRoot() : 1 }
        }
        var warnings: [String] = []
        for taps in [notchTaps, bandTaps].compactMap({ $0 }) where taps.count > sampleCount {
            warnings.append("\(source.path): filter length (\(taps.count) samples) is longer than the signal (\(sampleCount) samples at \(rate) Hz); distortion is likely")
        }
        let layout = RecordingLayout(
            name: groupName, samplingRate: rate, sampleCount: sampleCount,
            channels: signals.map { signal in
                let p = signal.position == nil && signal.kind == .eeg ? ChannelNaming.position(of: signal.name) : nil
                return Channel(name: signal.name, originalLabel: signal.originalLabel, kind: signal.kind, unit: signal.unit,
                               position: signal.position ?? p.map { [$0.x, $0.y, $0.z] })
            },
            recorded: Array(repeating: true, count: signals.count),
            labeled: signals.map { ChannelNaming.position(of: $0.name) != nil || $0.kind != .eeg },
            events: source.events, hasResidual: false,
            attributes: attributes(source: source, sha256: sha256, lab: lab, rate: rate, sourceRate: sourceRate,
                                   options: options, channels: channels, filtered: filtered.count, bandTaps: bandTaps?.count ?? 0)
                + [("normalization", .text(groups.isEmpty ? "none" : "sensor-type"))]
                + (groups.isEmpty ? [] : [("normalization_scales", .text(zip(groups, groupScale).map { "\(signals[$0.0[0]].kind.rawValue)=\($0.1)" }.joined(separator: ", ")))])
                + (windows.isEmpty ? [] : [("window_length", .number(options.windowSeconds!)), ("window_count", .integer(windows.count))]),
            windowStarts: windows)
        let output = try writer.begin(layout)
        // Spectra of the output EEG/MEG channels, for bad-channel detection (2-s Welch segments).
        let sensors = signals.indices.filter { [.eeg, .megMag, .megGrad].contains(signals[$0].kind) }
        let segment = max(2, min(Int(2 * rate), sampleCount))
        var spectra = options.detectBadChannels ? sensors.map { _ in StreamingWelch(rate: rate, segmentLength: segment) } : []
        try stream(progress: { progress(groups.isEmpty ? $0 : 0.5 + 0.5 * $0) }) { rows in
            var block = rows
            for (g, members) in groups.enumerated() {
                for i in 0..<block.rows {
                    let mean = members.reduce(0) { $0 + block[i, $1] } / Double(members.count)
                    for c in members { block[i, c] = (block[i, c] - mean) / groupScale[g] }
                }
            }
            for (j, k) in sensors.enumerated() where !spectra.isEmpty { spectra[j].push(block.column(k)) }
            try output.append(data: block)
        }
        var masks: [(name: String, values: [Bool], description: String)] = []
        var extra: [(key: String, value: AttributeValue)] = []
        if !spectra.isEmpty, let first = spectra[0].finish() {
            let psds = spectra.map { $0.finish()?.density ?? [] }
            let flags = BadChannels.flag(frequencies: first.frequencies, psds: psds, low: 1, high: min(100, rate / 2))
            var bad = [Bool](repeating: false, count: signals.count)
            for (j, k) in sensors.enumerated() { bad[k] = flags[j] }
            masks.append(("bad", bad, "channel flagged as bad: its log-PSD is an outlier among the EEG/MEG channels (kept, not dropped)"))
            let names = signals.indices.filter { bad[$0] }.map { signals[$0].name }
            extra.append(("bad_channels", .text(names.joined(separator: ", "))))
            extra.append(("bad_channel_rule", .text("log10 Welch PSD 1–\(min(100, rate / 2)) Hz, RMS distance to the median; outside Q1−10·IQR…Q3+10·IQR")))
            if !names.isEmpty { warnings.append("\(source.path): flagged \(names.count) bad channel(s): \(names.prefix(8).joined(separator: ", "))") }
        }
        try output.finish(masks: masks, attributes: extra)
        return warnings
    }

    private static func designed(_ file: String, _ body: () throws -> [Double]) throws -> [Double] {
        do {
            return try body()
        } catch let failure as MNEFilterDesign.Failure {
            throw NeuroIOError.badValue(file, field: "filter", detail: failure.description)
        }
    }

    static func attributes(source: any ContinuousSource, sha256: String, lab: String?, rate: Double, sourceRate: Double,
                           options: ContinuousOptions, channels: [ChannelPipeline], filtered: Int,
                           bandTaps: Int) -> [(key: String, value: AttributeValue)] {
        var a: [(key: String, value: AttributeValue)] = [
            ("source_file", .text(source.path)),
            ("source_sha256", .text(sha256)),
            ("source_reader", .text(source.readerName)),
            ("source_recording", .text(source.recordingName)),
        ]
        if let lab { a.append(("lab", .text(lab))) }
        let rates = Set(source.signals.map(\.samplingRate)).sorted()
        a += [
            ("original_sampling_rate", .number(sourceRate)),
            ("original_sampling_rates", .text(rates.map { "\($0)" }.joined(separator: ", "))),
            ("original_samples", .integer(source.signals.map(\.sampleCount).max() ?? 0)),
            ("dt", .number(1 / rate)),
            ("resampler", .text(rates == [rate] ? "none" : (options.fftResampling ? "fft" : "polyphase"))),
            ("resampler_detail", .text(channels.map(\.resamplingSummary).uniqued().joined(separator: "; "))),
            ("filter_low", .number(options.lowFrequency ?? 0)),
            ("filter_high", .number(options.highFrequency ?? 0)),
            ("filter_design", .text(options.lowFrequency == nil && options.highFrequency == nil ? "none"
                : "MNE firwin, hamming, zero-phase; \(bandTaps) taps")),
            ("notch", .text(options.notch.map { "\($0)" }.joined(separator: ", "))),
            ("filtered_channels", .integer(filtered)),
        ]
        for (key, value) in source.attributes.sorted(by: { $0.key < $1.key }) { a.append(("source_" + key, .text(value))) }
        return a
    }
}

/// Collects channel outputs (which may arrive in different amounts per block) into complete rows.
struct RowAssembler {
    private var pending: [[Double]]
    private let limit: Int
    private var emitted = 0

    init(channels: Int, limit: Int) {
        pending = Array(repeating: [], count: channels)
        self.limit = limit
    }

    /// Adds each channel's new samples; returns the rows now complete (up to `limit` in all), if any.
    mutating func add(_ outputs: [[Double]]) -> Matrix? {
        for k in outputs.indices { pending[k] += outputs[k] }
        let ready = min(pending.map(\.count).min() ?? 0, limit - emitted)
        guard ready > 0 else { return nil }
        var block = Matrix(rows: ready, columns: pending.count)
        for k in pending.indices {
            for i in 0..<ready { block.values[i * pending.count + k] = pending[k][i] }
            pending[k].removeFirst(ready)
        }
        emitted += ready
        return block
    }
}

/// Resampling and filtering of one channel.
struct ChannelPipeline: @unchecked Sendable {
    private var resampler: StreamingPolyphase?
    /// FFT resampling: the whole channel, resampled at `finish`.
    private var whole: (up: Int, down: Int, samples: [Double])?
    private var hold: SampleAndHold?
    private var notch: ZeroPhaseFIR?
    private var band: ZeroPhaseFIR?
    let outputLength: Int
    let resamplingSummary: String

    init(signal: SignalInfo, outputRate: Double, fft: Bool, padding: PolyphaseResampler.Padding, notch: [Double]?, band: [Double]?, file: String) throws {
        let (up, down) = try Ratio.rational(outputRate / signal.samplingRate, file: file, signal: signal.originalLabel)
        if signal.kind == .stim {
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
            outputLength = signal.sampleCount
        } else if fft && signal.kind != .stim {
            outputLength = Int((Double(signal.sampleCount) * Double(up) / Double(down)).rounded(.toNearestOrEven))
        } else {
            outputLength = PolyphaseResampler(up: up, down: down).outputLength(signal.sampleCount)
        }
        self.notch = notch.map { ZeroPhaseFIR(taps: $0) }
        self.band = band.map { ZeroPhaseFIR(taps: $0) }
    }

    mutating func push(_ samples: [Double]) -> [Double] {
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

    mutating func finish() -> [Double] {
        var x: [Double] = []
        if let w = whole { x = FFTResampler.resample(w.samples, up: w.up, down: w.down) }
        if resampler != nil { x = resampler!.finish() }
        if hold != nil { x = hold!.finish() }
        if notch != nil { x = notch!.push(x) + notch!.finish() }
        if band != nil { x = band!.push(x) + band!.finish() }
        return x
    }

    /// Runs `body` on every channel, spread over the cores; returns the outputs in channel order.
    static func run(_ pipelines: inout [ChannelPipeline], _ body: @escaping @Sendable (Int, inout ChannelPipeline) -> [Double]) -> [[Double]] {
        let count = pipelines.count
        let results = UnsafeMutablePointer<[Double]>.allocate(capacity: count)
        results.initialize(repeating: [], count: count)
        defer { results.deinitialize(count: count); results.deallocate() }
        pipelines.withUnsafeMutableBufferPointer { buffer in
            let shared = SendableBuffers(pipelines: buffer, results: results)
            DispatchQueue.concurrentPerform(iterations: count) { k in
                shared.results[k] = body(k, &shared.pipelines[k])
            }
        }
        return Array(UnsafeBufferPointer(start: results, count: count))
    }
}

/// Buffers touched by `concurrentPerform`, one element per iteration.
private struct SendableBuffers: @unchecked Sendable {
    let pipelines: UnsafeMutableBufferPointer<ChannelPipeline>
    let results: UnsafeMutablePointer<[Double]>
}

/// Resampling of trigger channels: output sample `k` takes input sample `floor(k · down / up)`, so codes
/// are neither smoothed nor invented; `ceil(n · up / down)` outputs in all, like the polyphase path.
struct SampleAndHold: Sendable {
    let up: Int, down: Int
    private var received = 0
    private var produced = 0
    private var buffer: [Double] = []
    private var bufferStart = 0

    init(up: Int, down: Int) {
        self.up = up
        self.down = down
    }

    mutating func push(_ samples: [Double]) -> [Double] {
        buffer += samples
        received += samples.count
        var out: [Double] = []
        while true {
            let index = produced * down / up
            guard index < received else { break }
            out.append(buffer[index - bufferStart])
            produced += 1
        }
        let keep = produced * down / up
        if keep > bufferStart {
            buffer.removeFirst(min(buffer.count, keep - bufferStart))
            bufferStart = keep
        }
        return out
    }

    mutating func finish() -> [Double] {
        let total = (received * up + down - 1) / down
        var out: [Double] = []
        while produced < total {
            let index = min(produced * down / up, received - 1)
            out.append(index >= bufferStart ? buffer[index - bufferStart] : buffer.last ?? 0)
            produced += 1
        }
        return out
    }
}

/// Rates as ratios of small integers.
enum Ratio {
    /// `up / down` equal to `value` within 1e-9 relative, with `down ≤ 10000` (continued fractions).
    static func rational(_ value: Double, file: String, signal: String) throws -> (up: Int, down: Int) {
        var h0 = 0, h1 = 1, k0 = 1, k1 = 0
        var x = value
        for _ in 0..<64 {
            let a = Int(x.rounded(.down))
            (h0, h1) = (h1, a * h1 + h0)
            (k0, k1) = (k1, a * k1 + k0)
            if k1 > 10_000 { break }
            if abs(Double(h1) / Double(k1) - value) <= 1e-9 * value { return (h1, k1) }
            let fraction = x - Double(a)
            if fraction < 1e-12 { break }
            x = 1 / fraction
        }
        throw NeuroIOError.badValue(file, field: "signal '\(signal)'",
                                    detail: "rate ratio \(value) is not a ratio of small integers; choose another --rate")
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, in first-seen order.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
