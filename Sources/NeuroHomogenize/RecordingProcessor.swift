import NeuroCore
import NeuroDSP

/// The outcome of processing one raw recording.
public enum ProcessedRecording {
    /// The homogenized recording, with recoverable oddities as warnings.
    case processed(Recording, warnings: [String])
    /// The recording was too short to keep; `reason` says why, naming the file.
    case skipped(reason: String)
}

/// The per-recording steps of homogenization, in the published order: skip short recordings, shift time
/// to 0, map channels, fill short NaN gaps, residual (derivative on the true timestamps), causal
/// smoothing on the original grid, resampling to the target grid, per-channel normalisation.
public enum RecordingProcessor {
    /// Runs every step on `raw` and returns the homogenized recording named `groupName`.
    public static func process(_ raw: RawRecording, groupName: String, source: SourceInfo,
                               options: HomogenizeOptions) throws -> ProcessedRecording {
        let file = source.path
        func fail(_ problem: RecordingError.Problem) -> RecordingError {
            RecordingError(file: file, recording: raw.name, problem: problem)
        }
        let n = raw.data.rows
        if n < options.calcium.minSamples {
            return .skipped(reason: "\(file): recording '\(raw.name)': \(n) samples, fewer than the minimum \(options.calcium.minSamples); skipped")
        }
        var warnings: [String] = []

        // 1. Time from 0; events on the same clock.
        let t0 = raw.timestamps[0]
        let times = raw.timestamps.map { $0 - t0 }
        let events = raw.events.map { Event(onset: $0.onset - t0, duration: $0.duration, label: $0.label) }
        let intervals = zip(times.dropFirst(), times).map { $0 - $1 }
        let sourceDt = Statistics.median(intervals)

        // 2. Channels.
        let mapping = ChannelMapping.make(labels: raw.labels, candidates: raw.labelCandidates, kinds: raw.kinds,
                                          units: raw.units, order: options.calcium.channelOrder, keepUnlabeled: options.calcium.keepUnlabeled)
        let used = Array(Set(mapping.sourceColumn.compactMap { $0 })).sorted()
        var traces = raw.data.selectingColumns(used)
        let position = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($0.element, $0.offset) })

        // 3. NaN gaps: short runs are filled linearly, long ones fail or drop the channel.
        let limit = max(1, Int((options.calcium.maxNaNRun * Double(n)).rounded(.down)))
        var filled = 0
        var dropped = Set<Int>()
        var allNaN: [String] = []
        for (k, j) in used.enumerated() {
            var column = traces.column(k)
            if let bad = column.firstIndex(where: { $0.isInfinite }) {
                throw fail(.infiniteValue(channel: raw.labels[j].isEmpty ? "column \(j + 1)" : raw.labels[j], index: bad))
            }
            let runs = NaNRuns.find(column)
            guard !runs.isEmpty else { continue }
            if let long = runs.first(where: { $0.count > limit }) {
                let channel = raw.labels[j].isEmpty ? "column \(j + 1)" : raw.labels[j]
                if options.calcium.nanPolicy == .error || long.count == n {
                    if long.count == n {
                        allNaN.append(channel)
                        dropped.insert(k)
                        continue
                    }
                    throw fail(.nanRun(channel: channel, start: long.lowerBound, length: long.count, limit: limit))
                }
                warnings.append("\(file): recording '\(raw.name)': channel '\(channel)' has \(long.count) NaN samples in a row; marked not recorded")
                dropped.insert(k)
                continue
            }
            filled += NaNRuns.fillLinearly(&column, runs: runs, times: times)
            traces.setColumn(k, column)
        }
        if !allNaN.isEmpty {
            let shown = allNaN.prefix(5).joined(separator: ", ") + (allNaN.count > 5 ? ", …" : "")
            warnings.append("\(file): recording '\(raw.name)': \(allNaN.count) channels are all NaN (\(shown)); marked not recorded")
        }
        for k in dropped { traces.setColumn(k, [Double](repeating: 0, count: n)) }

        // 4. Residual on the true timestamps, 5. causal smoothing on the original grid.
        var residual: Matrix? = nil
        if options.calcium.residual {
            residual = traces.mapColumns { Derivative.gradient($0, at: times) }
        }
        if options.calcium.smoothing != .none {
            traces = traces.mapColumns(options.calcium.smoothing.apply)
            residual = residual?.mapColumns(options.calcium.smoothing.apply)
        }

        // 6. Resample data and residual together.
        let dt = options.grid.calciumDt(forSourceDt: sourceDt)
        guard dt > 0, dt.isFinite else { throw fail(.invalidParameter("target step \(dt) s is not positive")) }
        let outputSamples = times[n - 1] / dt
        guard outputSamples <= 1e9 else {
            throw fail(.invalidParameter("a step of \(dt) s gives \(outputSamples) samples over \(times[n - 1]) s; choose a larger step"))
        }
        if outputSamples <= 1 {
            return .skipped(reason: "\(file): recording '\(raw.name)': lasts \(times[n - 1]) s, less than two output samples at dt \(dt) s; skipped")
        }
        var stacked = traces
        if let residual {
            var values: [Double] = []
            values.reserveCapacity(n * traces.columns * 2)
            for i in 0..<n { values.append(contentsOf: traces.row(i)); values.append(contentsOf: residual.row(i)) }
            stacked = Matrix(rows: n, columns: traces.columns * 2, values: values)
        }
        guard let method = options.grid.calciumMethod else {
            throw HomogenizeError.resamplerNotApplicable(file: file, resampler: options.grid.resampler.rawValue, modality: .calcium)
        }
        let resampled = try Resampling.resample(times: times, data: stacked, dt: dt, method: method)
        guard resampled.grid.count >= 2 else { throw fail(.tooFewSamplesForResampling(samples: resampled.grid.count)) }
        let m = resampled.grid.count
        let width = traces.columns

        // 7. Normalise each channel (the residual is divided by the same scale).
        var out = Matrix(rows: m, columns: mapping.channels.count, repeating: .nan)
        var outResidual = options.calcium.residual ? Matrix(rows: m, columns: mapping.channels.count, repeating: .nan) : nil
        var recorded = [Bool](repeating: false, count: mapping.channels.count)
        // Parameters per output channel (column in `resampled`, offset, scale), then one row-major pass.
        var plan: [(channel: Int, source: Int, offset: Double, scale: Double)] = []
        for (c, source) in mapping.sourceColumn.enumerated() {
            guard let j = source, let k = position[j], !dropped.contains(k) else { continue }
            do {
                let (offset, scale) = try options.calcium.normalization.parameters(resampled.data.column(k))
                plan.append((c, k, offset, scale))
            } catch Normalization.Failure.nonPositiveBaseline(let f0) {
                throw fail(.nonPositiveBaseline(channel: mapping.channels[c].name, baseline: f0))
            }
            recorded[c] = true
        }
        let inWidth = resampled.data.columns, outWidth = mapping.channels.count
        resampled.data.values.withUnsafeBufferPointer { src in
            out.values.withUnsafeMutableBufferPointer { dst in
                for i in 0..<m {
                    for p in plan { dst[i * outWidth + p.channel] = (src[i * inWidth + p.source] - p.offset) / p.scale }
                }
            }
            if outResidual != nil {
                outResidual!.values.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<m {
                        for p in plan { dst[i * outWidth + p.channel] = src[i * inWidth + width + p.source] / p.scale }
                    }
                }
            }
        }
        let labeled = zip(recorded, mapping.identified).map { $0 && $1 }

        let timeGrid = resampled.grid.times
        var attributes = source.attributes(recording: raw.name)
        attributes += [
            ("original_samples", .integer(n)),
            ("original_duration", .number(times[n - 1])),
            ("original_start_time", .number(t0)),
            ("original_median_dt", .number(sourceDt)),
            ("original_min_dt", .number(intervals.min() ?? 0)),
            ("original_max_dt", .number(intervals.max() ?? 0)),
            ("original_sampling_rate", .number(1 / sourceDt)),
            ("dt", .number(dt)),
            ("resampler", .text(method.rawValue)),
            ("resampler_detail", .text(resampled.summary)),
            ("smoother", .text(options.calcium.smoothing.name)),
            ("smoother_parameters", .text(options.calcium.smoothing.parameterText)),
            ("normalization", .text(options.calcium.normalization.name)),
            ("normalization_parameters", .text(options.calcium.normalization.parameterText)),
            ("channel_order", .text(options.calcium.channelOrder.description)),
            ("n_recorded", .integer(recorded.filter { $0 }.count)),
            ("n_labeled", .integer(labeled.filter { $0 }.count)),
            ("labels_missing", .integer(mapping.unlabeledCounts[.missing] ?? 0)),
            ("labels_ambiguous", .integer(mapping.unlabeledCounts[.ambiguous] ?? 0)),
            ("labels_unknown", .integer(mapping.unlabeledCounts[.unknown] ?? 0)),
            ("labels_duplicate", .integer(mapping.unlabeledCounts[.duplicate] ?? 0)),
            ("nan_policy", .text(options.calcium.nanPolicy.rawValue)),
            ("nan_max_run", .integer(limit)),
            ("nan_samples_filled", .integer(filled)),
            ("channels_dropped_nan", .integer(dropped.count)),
        ]
        for (key, value) in raw.attributes.sorted(by: { $0.key < $1.key }) { attributes.append(("source_" + key, .text(value))) }
        let recording = Recording(name: groupName, time: timeGrid, samplingRate: 1 / dt, channels: mapping.channels,
                                  data: out, residual: outResidual, recorded: recorded, labeled: labeled,
                                  events: events, attributes: attributes)
        return .processed(recording, warnings: warnings)
    }
}

/// Runs of consecutive NaN samples in a trace.
enum NaNRuns {
    static func find(_ x: [Double]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var i = 0
        while i < x.count {
            if x[i].isNaN {
                let start = i
                while i < x.count && x[i].isNaN { i += 1 }
                runs.append(start..<i)
            } else {
                i += 1
            }
        }
        return runs
    }

    /// Fills each run by linear interpolation in time between its neighbours (nearest value at the ends).
    static func fillLinearly(_ x: inout [Double], runs: [Range<Int>], times: [Double]) -> Int {
        var count = 0
        for run in runs {
            let before = run.lowerBound - 1, after = run.upperBound
            for i in run {
                if before >= 0 && after < x.count {
                    let w = (times[i] - times[before]) / (times[after] - times[before])
                    x[i] = x[before] + w * (x[after] - x[before])
                } else {
                    x[i] = before >= 0 ? x[before] : x[after]
                }
                count += 1
            }
        }
        return count
    }
}
