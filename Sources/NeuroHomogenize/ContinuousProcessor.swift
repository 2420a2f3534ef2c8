import Dispatch
import Foundation
import NeuroCore
import NeuroDSP
import NeuroIO
import NeuroSpectral
import NeuroStore

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
    public static func process(_ source: any RawStream, groupName: String, source info: SourceInfo,
                               options all: HomogenizeOptions, writer: CommonFormatWriter,
                               progress: (Double) -> Void = { _ in }) throws -> [String] {
        let options = all.continuous
        let path = info.path
        guard let resampling = all.grid.continuousMethod else {
            throw HomogenizeError.resamplerNotApplicable(file: path, resampler: all.grid.resampler.rawValue, modality: .continuous)
        }
        let signals = source.signals
        guard !signals.isEmpty else {
            throw NeuroIOError.badValue(path, field: "signals", detail: "no data channels")
        }
        // Rates and lengths come from headers that may be damaged: check them before any filter is designed
        // or any buffer sized from them.
        for signal in signals {
            guard signal.samplingRate.isFinite, signal.samplingRate > 0, signal.samplingRate <= Self.maximumRate else {
                throw NeuroIOError.badValue(path, field: "signal '\(signal.originalLabel)'",
                                            detail: "sampling rate \(signal.samplingRate) Hz is not plausible (0 < rate ≤ \(Int(Self.maximumRate)) Hz)")
            }
        }
        guard signals.contains(where: { $0.sampleCount > 0 }) else {
            throw NeuroIOError.badValue(path, field: "signals", detail: "no samples")
        }
        let sourceRate = signals.map(\.samplingRate).max()!
        let rate = all.grid.continuousRate ?? sourceRate
        guard rate > 0, rate.isFinite else { throw NeuroIOError.badValue(path, field: "rate", detail: "\(rate) Hz is not positive") }
        let filtered = Set(signals.indices.filter { [.eeg, .megMag, .megGrad].contains(signals[$0].kind) })
        let notchTaps = options.notch.isEmpty ? nil
            : try designed(path) { try MNEFilterDesign.notch(rate: rate, frequencies: options.notch) }
        let bandTaps = options.lowFrequency == nil && options.highFrequency == nil ? nil
            : try designed(path) { try MNEFilterDesign.bandPass(rate: rate, low: options.lowFrequency, high: options.highFrequency) }

        func pipelines(filters: Bool = true) throws -> [ChannelPipeline] {
            try signals.indices.map { k in
                do {
                    return try ChannelPipeline(rate: signals[k].samplingRate, sampleCount: signals[k].sampleCount, isStim: signals[k].kind == .stim,
                                               outputRate: rate, fft: resampling == .fft, padding: options.polyphasePadding,
                                               notch: filters && filtered.contains(k) ? notchTaps : nil,
                                               band: filters && filtered.contains(k) ? bandTaps : nil)
                } catch let error as RateRatioError {
                    throw NeuroIOError.badValue(path, field: "signal '\(signals[k].originalLabel)'", detail: "\(error.description); choose another output rate")
                }
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
                throw NeuroIOError.badValue(path, field: "window", detail: "\(seconds) s windows do not fit \(Double(fullCount) / rate) s of data")
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
                let outputs = ChannelPipeline.run(&channels) { k, pipeline in pipeline.push(samples.channel(k)) }
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
            warnings.append("\(path): filter length (\(taps.count) samples) is longer than the signal (\(sampleCount) samples at \(rate) Hz); distortion is likely")
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
            attributes: info.attributes(recording: source.name)
                + attributes(source: source, rate: rate, sourceRate: sourceRate, resampling: resampling,
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
            if !names.isEmpty { warnings.append("\(path): flagged \(names.count) bad channel(s): \(names.prefix(8).joined(separator: ", "))") }
        }
        try output.finish(masks: masks, attributes: extra)
        return warnings
    }

    /// The highest sampling rate accepted from a header (10 MHz: far above any EEG, MEG or extracellular
    /// recording; a larger value is a damaged field).
    static let maximumRate = 10_000_000.0

    private static func designed(_ file: String, _ body: () throws -> [Double]) throws -> [Double] {
        do {
            return try body()
        } catch let failure as MNEFilterDesign.Failure {
            throw NeuroIOError.badValue(file, field: "filter", detail: failure.description)
        }
    }

    /// What the recording was and what the pipeline did to it, after the source attributes.
    static func attributes(source: any RawStream, rate: Double, sourceRate: Double, resampling: ContinuousResampling,
                           options: ContinuousOptions, channels: [ChannelPipeline], filtered: Int,
                           bandTaps: Int) -> [(key: String, value: AttributeValue)] {
        var a: [(key: String, value: AttributeValue)] = []
        let rates = Set(source.signals.map(\.samplingRate)).sorted()
        a += [
            ("original_sampling_rate", .number(sourceRate)),
            ("original_sampling_rates", .text(rates.map { "\($0)" }.joined(separator: ", "))),
            ("original_samples", .integer(source.signals.map(\.sampleCount).max() ?? 0)),
            ("dt", .number(1 / rate)),
            ("resampler", .text(rates == [rate] ? "none" : resampling.rawValue)),
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
