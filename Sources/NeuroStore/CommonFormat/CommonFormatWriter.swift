import NeuroCore
import Foundation
import NeuroNative

/// The common format's identity, written as global attributes (see `docs/FORMAT.md`).
public enum CommonFormat {
    /// Value of the global `format` attribute.
    public static let name = "neurotool-common"
    /// Value of the global `format_version` attribute. Bump the minor version for additions, the major
    /// for anything a reader of an older version would misread.
    public static let version = "1.0"

    /// Sample precision of `data` (and `residual`).
    public enum Precision: String, Sendable, CaseIterable {
        /// `float32` (the default: half the size) or `float64` samples.
        case float32, float64
        package var netcdfType: NetCDFType { self == .float32 ? .float : .double }
    }
}

/// Everything about a recording except its samples: what a streaming writer needs up front.
public struct RecordingLayout: Sendable {
    /// Group name of the recording in the file.
    public var name: String
    /// Sampling rate in Hz.
    public var samplingRate: Double
    /// Number of time samples that will be written.
    public var sampleCount: Int
    /// Time of the first sample in seconds.
    public var startTime: Double
    /// Explicit sample times; nil means `startTime + i / samplingRate`.
    public var time: [Double]?
    /// Channels in output order, one per column of the samples.
    public var channels: [Channel]
    /// `recorded[c]`: the source had data for channel `c`.
    public var recorded: [Bool]
    /// `labeled[c]`: channel `c` carries an identity (a canonical name) rather than `unlabeled_k`.
    public var labeled: [Bool]
    /// Annotations, onsets in seconds on the recording's clock.
    public var events: [Event]
    /// Whether a `residual` variable is written beside `data`; every block must then carry residual rows.
    public var hasResidual: Bool
    /// Attributes of the recording's group, in the order written.
    public var attributes: [(key: String, value: AttributeValue)]
    /// Onsets (s) of fixed-length analysis windows, written as `window_start(window)` when not empty.
    public var windowStarts: [Double]

    /// A layout of `sampleCount` samples at `samplingRate` Hz from `startTime` seconds, with no explicit `time`.
    public init(name: String, samplingRate: Double, sampleCount: Int, startTime: Double = 0, channels: [Channel],
                recorded: [Bool], labeled: [Bool], events: [Event] = [], hasResidual: Bool = false,
                attributes: [(key: String, value: AttributeValue)] = [], windowStarts: [Double] = []) {
        self.windowStarts = windowStarts
        self.name = name
        self.samplingRate = samplingRate
        self.sampleCount = sampleCount
        self.startTime = startTime
        self.channels = channels
        self.recorded = recorded
        self.labeled = labeled
        self.events = events
        self.hasResidual = hasResidual
        self.attributes = attributes
    }

    /// The layout of a complete recording. `time` must be `startTime + i / samplingRate`.
    public init(_ r: Recording) {
        self.init(name: r.name, samplingRate: r.samplingRate, sampleCount: r.data.rows, startTime: r.time.first ?? 0,
                  channels: r.channels, recorded: r.recorded, labeled: r.labeled, events: r.events,
                  hasResidual: r.residual != nil, attributes: r.attributes)
        time = r.time
    }
}

/// Writes a file of the common format: one NetCDF-4 group per recording.
///
/// The file is written to a temporary path beside `path` and renamed into place by ``commit()``;
/// until then (and if anything fails) no file exists at `path`. The writer refuses a `path` that is
/// one of the inputs.
///
/// Structure and metadata go through netCDF-C; the samples (`data`, `residual`) are compressed on all
/// cores by ``ChunkCompressor`` and stored chunk by chunk through HDF5, which is what a NetCDF-4 file is
/// underneath. Only one of the two libraries has the file open at any time.
///
/// ```swift
/// let writer = try CommonFormatWriter(path: "out.nc", globalAttributes: [("title", .text("demo"))])
/// try writer.write(recording)
/// try writer.commit()
/// ```
public final class CommonFormatWriter {
    /// Where the finished file goes; it appears there only on ``commit(finalAttributes:)``.
    public var path: String { output.path }
    /// Precision the samples (`data`, `residual`) are stored in.
    public let precision: CommonFormat.Precision
    /// Deflate level of the sample variables (1: fast, as the benchmarks assume).
    public let compressionLevel: Int32 = 1
    package let output: AtomicOutput
    package var temporaryPath: String { output.temporaryPath }
    private var names: [String] = []

    /// Starts a file. `inputs` are the files the output is made from; `path` must not be one of them.
    public init(path: String, precision: CommonFormat.Precision = .float32,
                globalAttributes: [(key: String, value: AttributeValue)], inputs: [String] = []) throws {
        self.precision = precision
        output = try AtomicOutput(path: path, inputs: inputs)
        try output.guarding {
            let file = try NetCDFFile.create(temporaryPath)
            try file.putAttribute("format", text: CommonFormat.name, in: file.root)
            try file.putAttribute("format_version", text: CommonFormat.version, in: file.root)
            for (key, value) in globalAttributes { try file.put(key, value, on: nil, in: file.root) }
            try file.close()
        }
    }

    /// An error about the temporary file, told about the output the user asked for.
    package func naming(_ error: any Error) -> any Error { output.naming(error) }

    /// Writes a whole recording as one group.
    public func write(_ recording: Recording) throws {
        let stream = try begin(RecordingLayout(recording))
        try stream.append(data: recording.data, residual: recording.residual)
        try stream.finish()
    }

    /// Defines a recording's group and metadata; its samples then go through the returned stream in
    /// blocks of rows, so a long recording never has to be in memory whole. Finish each stream before
    /// beginning the next.
    public func begin(_ layout: RecordingLayout) throws -> RecordingStream {
        guard output.isOpen else { throw NeuroIOError.writeFailed(path, detail: "writer already committed or abandoned") }
        guard !names.contains(layout.name) else {
            throw NeuroIOError.writeFailed(path, detail: "two recordings named '\(layout.name)'")
        }
        names.append(layout.name)
        return try output.guarding {
            let file = try NetCDFFile.openForWriting(temporaryPath)
            let chunkRows = try RecordingStream.defineGroup(layout, in: file, precision: precision, level: compressionLevel, writer: self)
            try file.close()
            return try RecordingStream(writer: self, layout: layout, chunkRows: chunkRows)
        }
    }

    /// Finishes the file and moves it to `path` (replacing an older output there). `finalAttributes`
    /// are global attributes known only at the end (what was skipped, warnings).
    public func commit(finalAttributes: [(key: String, value: AttributeValue)] = []) throws {
        guard output.isOpen else { throw NeuroIOError.writeFailed(path, detail: "writer already committed or abandoned") }
        try output.guarding {
            let file = try NetCDFFile.openForWriting(temporaryPath)
            try file.putAttribute("recordings", text: names.joined(separator: ","), in: file.root)
            for (key, value) in finalAttributes { try file.put(key, value, on: nil, in: file.root) }
            try file.close()
        }
        try output.commit()
    }

    /// Drops the temporary file; nothing is left at `path`.
    public func abandon() { output.abandon() }
}

/// Receives the samples of one recording, in blocks of consecutive rows, and stores them as compressed
/// chunks.
public final class RecordingStream {
    /// The recording's layout, as given to ``CommonFormatWriter/begin(_:)``.
    public let layout: RecordingLayout
    private unowned let writer: CommonFormatWriter
    private let compressor: ChunkCompressor
    private var file: HDF5File?
    private var data: HDF5Dataset?
    private var residual: HDF5Dataset?
    /// Rows received but not yet stored (less than one chunk).
    private var pendingData: Matrix
    private var pendingResidual: Matrix?
    /// Rows stored so far.
    private var rowsStored = 0
    /// Rows received so far.
    public private(set) var rowsWritten = 0

    package init(writer: CommonFormatWriter, layout: RecordingLayout, chunkRows: Int) throws {
        self.writer = writer
        self.layout = layout
        let c = layout.channels.count
        compressor = ChunkCompressor(chunkRows: chunkRows, columns: c, elementSize: writer.precision == .float32 ? 4 : 8, level: writer.compressionLevel)
        pendingData = Matrix(rows: 0, columns: c)
        pendingResidual = layout.hasResidual ? Matrix(rows: 0, columns: c) : nil
        if layout.sampleCount > 0 && c > 0 {
            let file = try HDF5File(path: writer.temporaryPath, writable: true)
            let d = try file.dataset(at: "/\(layout.name)/data")
            guard d.chunkShape == [chunkRows, 1] else {
                throw NeuroIOError.writeFailed(writer.path, detail: "recording '\(layout.name)': unexpected chunk shape \(d.chunkShape ?? [])")
            }
            self.file = file
            data = d
            residual = layout.hasResidual ? try file.dataset(at: "/\(layout.name)/residual") : nil
        }
    }

    /// Defines the group, its dimensions, variables and attributes, and writes everything but the
    /// samples. Returns the number of rows per chunk of `data`.
    package static func defineGroup(_ layout: RecordingLayout, in file: NetCDFFile, precision: CommonFormat.Precision,
                            level: Int32, writer: CommonFormatWriter) throws -> Int {
        let g = try file.defineGroup(layout.name, in: file.root)
        let t = layout.sampleCount, c = layout.channels.count
        try file.defineDimension("time", length: t, in: g)
        try file.defineDimension("channel", length: c, in: g)
        // One channel per chunk, up to 16384 samples: unrecorded channels are never stored.
        let chunkRows = max(1, min(t, 16_384))
        let timeVar = try file.defineVariable("time", type: .double, dimensions: ["time"], in: g)
        try file.putAttribute("units", text: "s", on: timeVar, in: g)
        try file.putAttribute("long_name", text: "time since the start of the recording", on: timeVar, in: g)
        let channelVar = try file.defineVariable("channel", type: .string, dimensions: ["channel"], in: g)
        try file.putAttribute("long_name", text: "channel name in canonical order", on: channelVar, in: g)
        let data = try file.defineVariable("data", type: precision.netcdfType, dimensions: ["time", "channel"], in: g,
                                           deflate: level, chunks: [chunkRows, 1])
        try file.setNaNFill(data)
        try file.putAttribute("long_name", text: "samples; NaN where a channel was not recorded", on: data, in: g)
        let units = Set(layout.channels.map(\.unit))
        if units.count == 1 { try file.putAttribute("units", text: units.first!, on: data, in: g) }
        if layout.hasResidual {
            let r = try file.defineVariable("residual", type: precision.netcdfType, dimensions: ["time", "channel"], in: g,
                                            deflate: level, chunks: [chunkRows, 1])
            try file.setNaNFill(r)
            try file.putAttribute("long_name", text: "time derivative of the trace (per second), processed like data", on: r, in: g)
        }
        let recordedVar = try file.defineVariable("recorded", type: .int8, dimensions: ["channel"], in: g)
        try file.putAttribute("dtype", text: "bool", on: recordedVar, in: g)
        let labeledVar = try file.defineVariable("labeled", type: .int8, dimensions: ["channel"], in: g)
        try file.putAttribute("dtype", text: "bool", on: labeledVar, in: g)
        let kindVar = try file.defineVariable("kind", type: .string, dimensions: ["channel"], in: g)
        let unitVar = try file.defineVariable("unit", type: .string, dimensions: ["channel"], in: g)
        let originalVar = try file.defineVariable("original_label", type: .string, dimensions: ["channel"], in: g)
        var windowVar: NetCDFVariable?
        if !layout.windowStarts.isEmpty {
            try file.defineDimension("window", length: layout.windowStarts.count, in: g)
            let v = try file.defineVariable("window_start", type: .double, dimensions: ["window"], in: g)
            try file.putAttribute("units", text: "s", on: v, in: g)
            try file.putAttribute("long_name", text: "onset of each fixed-length analysis window", on: v, in: g)
            windowVar = v
        }
        var positionVar: NetCDFVariable?
        if layout.channels.contains(where: { $0.position != nil }) {
            try file.defineDimension("xyz", length: 3, in: g)
            let v = try file.defineVariable("position", type: .double, dimensions: ["channel", "xyz"], in: g)
            try file.putAttribute("units", text: "m", on: v, in: g)
            try file.putAttribute("long_name", text: "sensor position (head coordinates); NaN when unknown", on: v, in: g)
            positionVar = v
        }
        // MEG coils: three orientation unit vectors (ex, ey, ez; ez normal to the coil) after the position.
        var orientationVar: NetCDFVariable?
        if layout.channels.contains(where: { ($0.position?.count ?? 0) >= 12 }) {
            try file.defineDimension("axis", length: 3, in: g)
            let v = try file.defineVariable("orientation", type: .double, dimensions: ["channel", "axis", "xyz"], in: g)
            try file.putAttribute("long_name", text: "sensor orientation: rows ex, ey, ez (ez normal to the coil), as FIF's loc; NaN when unknown", on: v, in: g)
            orientationVar = v
        }
        var eventVars: (NetCDFVariable, NetCDFVariable, NetCDFVariable)?
        if !layout.events.isEmpty {
            try file.defineDimension("event", length: layout.events.count, in: g)
            let onset = try file.defineVariable("event_onset", type: .double, dimensions: ["event"], in: g)
            try file.putAttribute("units", text: "s", on: onset, in: g)
            let duration = try file.defineVariable("event_duration", type: .double, dimensions: ["event"], in: g)
            try file.putAttribute("units", text: "s", on: duration, in: g)
            let label = try file.defineVariable("event_label", type: .string, dimensions: ["event"], in: g)
            eventVars = (onset, duration, label)
        }
        try file.putAttribute("sampling_rate", doubles: [layout.samplingRate], in: g)
        for (key, value) in layout.attributes { try file.put(key, value, on: nil, in: g) }

        try file.write(layout.time ?? (0..<t).map { layout.startTime + Double($0) / layout.samplingRate }, to: timeVar)
        try file.write(layout.channels.map(\.name), to: channelVar)
        try file.write(layout.recorded, to: recordedVar)
        try file.write(layout.labeled, to: labeledVar)
        try file.write(layout.channels.map(\.kind.rawValue), to: kindVar)
        try file.write(layout.channels.map(\.unit), to: unitVar)
        try file.write(layout.channels.map(\.originalLabel), to: originalVar)
        if let windowVar { try file.write(layout.windowStarts, to: windowVar) }
        if let positionVar {
            try file.write(layout.channels.flatMap { $0.position.map { Array($0.prefix(3)) } ?? [.nan, .nan, .nan] }, to: positionVar)
        }
        if let orientationVar {
            try file.write(layout.channels.flatMap { c in (c.position?.count ?? 0) >= 12 ? Array(c.position![3..<12]) : [Double](repeating: .nan, count: 9) },
                           to: orientationVar)
        }
        if let (onset, duration, label) = eventVars {
            try file.write(layout.events.map(\.onset), to: onset)
            try file.write(layout.events.map(\.duration), to: duration)
            try file.write(layout.events.map(\.label), to: label)
        }
        return chunkRows
    }

    /// Writes the next block of rows (`(time, channel)`); `residual` must be given iff the layout has one.
    public func append(data block: Matrix, residual residualBlock: Matrix? = nil) throws {
        precondition(block.columns == layout.channels.count, "block has \(block.columns) channels, layout \(layout.channels.count)")
        precondition((residualBlock != nil) == layout.hasResidual, "residual block presence must match the layout")
        precondition(residualBlock == nil || residualBlock!.rows == block.rows, "residual block has a different number of rows")
        guard rowsWritten + block.rows <= layout.sampleCount else {
            throw NeuroIOError.writeFailed(writer.path, detail: "recording '\(layout.name)': more rows than the \(layout.sampleCount) declared")
        }
        rowsWritten += block.rows
        if pendingData.rows > 0 {
            // Complete the pending partial chunk first.
            let take = min(block.rows, compressor.chunkRows - pendingData.rows)
            pendingData.appendRows(of: block, 0..<take)
            if let r = residualBlock { pendingResidual?.appendRows(of: r, 0..<take) }
            guard pendingData.rows == compressor.chunkRows else { return }
            try store(pendingData, pendingResidual, rows: 0..<pendingData.rows)
            pendingData.removeAllRows()
            pendingResidual?.removeAllRows()
            try storeWholeChunks(of: block, residualBlock, from: take)
        } else {
            try storeWholeChunks(of: block, residualBlock, from: 0)
        }
    }

    /// Stores the complete chunks of `block` from row `start`, keeps the remainder pending.
    private func storeWholeChunks(of block: Matrix, _ residualBlock: Matrix?, from start: Int) throws {
        let complete = ((block.rows - start) / compressor.chunkRows) * compressor.chunkRows
        if complete > 0 { try store(block, residualBlock, rows: start..<(start + complete)) }
        let rest = (start + complete)..<block.rows
        if !rest.isEmpty {
            pendingData.appendRows(of: block, rest)
            if let r = residualBlock { pendingResidual?.appendRows(of: r, rest) }
        }
    }

    /// Stores the last, partial chunk and checks that every declared row was written. `masks` are
    /// per-channel flags known only once all samples were seen (`bad`), and `attributes` facts of the
    /// same kind; both are added to the recording's group.
    public func finish(masks: [(name: String, values: [Bool], description: String)] = [],
                       attributes: [(key: String, value: AttributeValue)] = []) throws {
        if pendingData.rows > 0 { try store(pendingData, pendingResidual, rows: 0..<pendingData.rows) }
        pendingData = Matrix(rows: 0, columns: pendingData.columns)
        file = nil
        data = nil
        residual = nil
        guard rowsWritten == layout.sampleCount else {
            throw NeuroIOError.writeFailed(writer.path, detail: "recording '\(layout.name)': \(rowsWritten) of \(layout.sampleCount) rows written")
        }
        guard !masks.isEmpty || !attributes.isEmpty else { return }
        do {
            let netcdf = try NetCDFFile.openForWriting(writer.temporaryPath)
            guard let g = try netcdf.group(named: layout.name, in: netcdf.root) else {
                throw NeuroIOError.writeFailed(writer.path, detail: "recording '\(layout.name)' vanished")
            }
            for mask in masks {
                precondition(mask.values.count == layout.channels.count, "mask \(mask.name) has the wrong length")
                let v = try netcdf.defineVariable(mask.name, type: .int8, dimensions: ["channel"], in: g)
                try netcdf.putAttribute("dtype", text: "bool", on: v, in: g)
                try netcdf.putAttribute("long_name", text: mask.description, on: v, in: g)
                try netcdf.write(mask.values, to: v)
            }
            for (key, value) in attributes { try netcdf.put(key, value, on: nil, in: g) }
            try netcdf.close()
        } catch {
            writer.abandon()
            throw writer.naming(error)
        }
    }

    /// Compresses and stores rows `rows` of a block (a whole number of chunks, or the end of the recording).
    private func store(_ block: Matrix, _ residualBlock: Matrix?, rows: Range<Int>) throws {
        guard let data else { return }
        let chunkIndex = rowsStored / compressor.chunkRows
        for (dataset, source) in [(data, block), (residual, residualBlock)] {
            guard let dataset, let source else { continue }
            for chunk in compressor.compress(source, rows: rows) {
                try dataset.writeFilteredChunk(offset: [(chunkIndex + chunk.rowChunk) * compressor.chunkRows, chunk.channel],
                                               bytes: chunk.bytes)
            }
        }
        rowsStored += rows.count
    }
}
