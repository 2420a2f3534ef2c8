import Foundation
import NeuroCore
import NeuroNative
import NeuroStore

/// Reads EDF, EDF+ (continuous and discontinuous) and BDF/BDF+ (BioSemi 24-bit) files, in pure Swift.
///
/// - Digital samples are scaled by each signal's physical and digital ranges, then to volts for
///   voltage units (as MNE does).
/// - `EDF Annotations` / `BDF Annotations` signals become events (TAL onsets, durations, texts, UTF-8);
///   the time-keeping TAL of each record places records in time. In EDF+D files the gaps between
///   records are filled with NaN and marked by a `BAD_ACQ_SKIP` event.
/// - A stim channel (`Status`, `Trigger`) holds integer codes masked to 17 bits (BDF: the raw digital
///   value; EDF: the physical value without unit scaling — as MNE); every change to a non-zero code
///   is an event labelled with the code (`mne.find_events` semantics).
/// - Signals may have different rates; blocks are whole data records, so every signal covers the same
///   stretch of time in a block.
/// - Labels, transducer and prefilter texts are read as UTF-8, falling back to Latin-1; numeric header
///   fields must be ASCII numbers, and a damaged field is an error naming it.
public enum EDFReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `edf`.
    public static let name = "edf"
    /// One line on what the reader reads.
    public static let summary = "EDF/EDF+ and BDF/BDF+ (BioSemi 24-bit), annotations and Status triggers as events"
    /// None: the reader takes no options.
    public static let optionKeys: [String] = []
    /// Continuous signals: recordings are streamed block by block.
    public static let modality = Modality.continuous

    /// True for an `.edf`, `.bdf` or `.rec` file that starts with ASCII `0` (EDF) or with `0xFF` then `BIOSEMI` (BDF).
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        guard ["edf", "bdf", "rec"].contains(FileHeader.pathExtension(path)), header.count >= 8 else { return false }
        return header[0] == 0x30 || (header[0] == 0xFF && String(decoding: header[1..<8], as: UTF8.self) == "BIOSEMI")
    }

    /// Reads the header and every record's annotations, then streams the data records.
    /// Throws ``NeuroIOError`` naming a damaged header field or annotation.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        try EDFSource(path: path)
    }
}

/// An opened EDF/BDF file.
final class EDFSource: SingleStreamSource {
    let path: String
    let readerName: String
    let name: String
    private(set) var signals: [SignalInfo] = []
    private(set) var events: [Event] = []
    private(set) var attributes: [String: String] = [:]

    private struct Signal {
        var label: String
        var samplesPerRecord: Int
        var scale: Double      // digital → SI
        var offset: Double     // SI
        var byteOffset: Int    // within a record
        var isAnnotation: Bool
        var isStim: Bool
    }

    private let handle: FileHandle
    private let isBDF: Bool
    private let bytesPerSample: Int
    private let headerBytes: Int
    private let recordCount: Int
    private let recordDuration: Double
    private let recordBytes: Int
    private var parsed: [Signal] = []
    /// Index in `parsed` of each signal in `signals`.
    private var dataSignals: [Int] = []
    /// Samples of gap (NaN) to insert before each record, per data signal (EDF+D).
    private var gapsBefore: [Int: Double] = [:]
    private let recordsPerBlock: Int

    var blockCount: Int { (recordCount + recordsPerBlock - 1) / recordsPerBlock }

    init(path: String) throws {
        self.path = path
        name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        try FileAccess.requireNonEmptyFile(path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw NeuroIOError.corrupt(path, detail: "cannot open file") }
        self.handle = handle
        let fileSize = Int((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0)
        let fixed = try EDFSource.read(handle, at: 0, count: 256, path: path, what: "header")
        isBDF = fixed[0] == 0xFF
        readerName = isBDF ? "bdf" : "edf"
        bytesPerSample = isBDF ? 3 : 2
        func field(_ range: Range<Int>, _ name: String) throws -> String { try EDFSource.ascii(fixed, range, field: name, path: path) }
        let version = isBDF ? "BIOSEMI" : try field(0..<8, "version")
        let reserved = try field(192..<236, "reserved")
        headerBytes = try EDFSource.integer(try field(184..<192, "header size"), field: "header size", path: path)
        var records = try EDFSource.integer(try field(236..<244, "number of data records"), field: "number of data records", path: path)
        recordDuration = try EDFSource.number(try field(244..<252, "data record duration"), field: "data record duration", path: path)
        let ns = try EDFSource.integer(try field(252..<256, "number of signals"), field: "number of signals", path: path)
        guard ns > 0, headerBytes == 256 * (ns + 1) else {
            throw NeuroIOError.corrupt(path, detail: "header size \(headerBytes) does not match \(ns) signals (expected \(256 * (ns + 1)))")
        }
        let signalHeader = try EDFSource.read(handle, at: 256, count: 256 * ns, path: path, what: "signal headers")
        func column(_ offset: Int, _ width: Int, _ name: String, text: Bool = false) throws -> [String] {
            try (0..<ns).map { i in
                let start = offset * ns + i * width
                return text ? try EDFSource.checkedText(signalHeader, start..<(start + width), field: "\(name) of signal \(i + 1)", path: path)
                    : try EDFSource.ascii(signalHeader, start..<(start + width), field: "\(name) of signal \(i + 1)", path: path)
            }
        }
        let labels = try column(0, 16, "label", text: true)
        let transducers = try column(16, 80, "transducer", text: true)
        let dimensions = try column(96, 8, "physical dimension", text: true)
        let physMin = try column(104, 8, "physical minimum"), physMax = try column(112, 8, "physical maximum")
        let digMin = try column(120, 8, "digital minimum"), digMax = try column(128, 8, "digital maximum")
        let prefilters = try column(136, 80, "prefiltering", text: true)
        let samples = try column(216, 8, "number of samples per record")

        var byteOffset = 0
        for i in 0..<ns {
            let label = labels[i]
            let n = try EDFSource.integer(samples[i], field: "number of samples of signal '\(label)'", path: path)
            guard n > 0 else { throw NeuroIOError.corrupt(path, detail: "signal '\(label)': \(n) samples per record") }
            let isAnnotation = label == "EDF Annotations" || label == "BDF Annotations"
            var scale = 1.0, offset = 0.0
            if !isAnnotation {
                let pmin = try EDFSource.number(physMin[i], field: "physical minimum of '\(label)'", path: path)
                let pmax = try EDFSource.number(physMax[i], field: "physical maximum of '\(label)'", path: path)
                let dmin = try EDFSource.number(digMin[i], field: "digital minimum of '\(label)'", path: path)
                let dmax = try EDFSource.number(digMax[i], field: "digital maximum of '\(label)'", path: path)
                guard pmax != pmin else {
                    throw NeuroIOError.badValue(path, field: "signal '\(label)'", detail: "physical minimum equals physical maximum (\(pmin))")
                }
                guard dmax != dmin else {
                    throw NeuroIOError.badValue(path, field: "signal '\(label)'", detail: "digital minimum equals digital maximum (\(dmin))")
                }
                let cal = (pmax - pmin) / (dmax - dmin)
                let unitScale = ChannelNaming.voltScale(dimensions[i]) ?? 1
                scale = cal * unitScale
                offset = (pmin - cal * dmin) * unitScale
            }
            let (name, _) = ChannelNaming.normalize(label)
            let kind = isAnnotation ? ChannelKind.misc : ChannelNaming.kind(label: label, unit: dimensions[i])
            if kind == .stim && !isAnnotation {
                // Trigger codes: BDF's raw digital value, EDF's physical value without unit scaling
                // (as MNE reads them); the masking to 17 bits happens when samples are read.
                let pmin = try EDFSource.number(physMin[i], field: "physical minimum of '\(label)'", path: path)
                let pmax = try EDFSource.number(physMax[i], field: "physical maximum of '\(label)'", path: path)
                let dmin = try EDFSource.number(digMin[i], field: "digital minimum of '\(label)'", path: path)
                let dmax = try EDFSource.number(digMax[i], field: "digital maximum of '\(label)'", path: path)
                let cal = (pmax - pmin) / (dmax - dmin)
                scale = isBDF ? 1 : cal
                offset = isBDF ? 0 : pmin - cal * dmin
            }
            parsed.append(Signal(label: label, samplesPerRecord: n, scale: scale, offset: offset, byteOffset: byteOffset,
                                 isAnnotation: isAnnotation, isStim: kind == .stim))
            byteOffset += n * bytesPerSample
            if !isAnnotation {
                dataSignals.append(i)
                let unit = kind == .stim ? "1" : (ChannelNaming.voltScale(dimensions[i]) != nil ? "V" : (dimensions[i].isEmpty ? "1" : dimensions[i]))
                signals.append(SignalInfo(name: name, originalLabel: label, kind: kind, unit: unit,
                                          samplingRate: Double(n) / recordDuration, sampleCount: 0,
                                          attributes: ["transducer": transducers[i], "prefilter": prefilters[i],
                                                       "physical_dimension": dimensions[i]]))
            }
        }
        recordBytes = byteOffset
        guard recordDuration > 0 || parsed.allSatisfy(\.isAnnotation) else {
            throw NeuroIOError.badValue(path, field: "data record duration", detail: "\(recordDuration) s is not positive")
        }
        let complete = (fileSize - headerBytes) / recordBytes
        if records < 0 { records = complete }
        guard complete >= records else {
            throw NeuroIOError.corrupt(path, detail: "truncated: the header announces \(records) data records, the file holds \(complete) (\(fileSize) bytes)")
        }
        recordCount = records
        recordsPerBlock = max(1, min(records, (1 << 20) / max(recordBytes, 1)))
        attributes = ["edf_version": version, "edf_reserved": reserved, "record_duration": "\(recordDuration)",
                      "record_count": "\(records)", "start_date": try field(168..<176, "start date"),
                      "start_time": try field(176..<184, "start time"),
                      "patient": EDFSource.text(fixed, 8..<88), "recording": EDFSource.text(fixed, 88..<168)]
        try scanAnnotations(discontinuous: reserved.hasPrefix("EDF+D") || reserved.hasPrefix("BDF+D"))
        let gapSeconds = gapsBefore.values.reduce(0, +)
        for k in signals.indices {
            signals[k].sampleCount = parsed[dataSignals[k]].samplesPerRecord * records
                + Int((gapSeconds * signals[k].samplingRate).rounded())
        }
        try decodeStimEvents()
        events.sort { ($0.onset, $0.label) < ($1.onset, $1.label) }
    }

    deinit { try? handle.close() }

    // MARK: - Annotations (EDF+ TALs)

    /// Reads every record's annotation bytes: events, and in EDF+D files the gaps between records.
    private func scanAnnotations(discontinuous: Bool) throws {
        guard let a = parsed.firstIndex(where: \.isAnnotation) else { return }
        let signal = parsed[a]
        var onsets: [Double] = []
        for r in 0..<recordCount {
            let bytes = try EDFSource.read(handle, at: headerBytes + r * recordBytes + signal.byteOffset,
                                           count: signal.samplesPerRecord * bytesPerSample, path: path, what: "annotations of record \(r + 1)")
            let (recordOnset, found) = try EDFSource.parseTALs(bytes, path: path, record: r + 1)
            onsets.append(recordOnset ?? (onsets.last.map { $0 + recordDuration } ?? 0))
            events += found
        }
        let start = onsets.first ?? 0
        events = events.map { Event(onset: $0.onset - start, duration: $0.duration, label: $0.label) }
        attributes["first_record_onset"] = "\(start)"
        guard discontinuous else { return }
        for r in 1..<max(onsets.count, 1) {
            let gap = onsets[r] - onsets[r - 1] - recordDuration
            if gap > 1e-9 {
                gapsBefore[r] = gap
                events.append(Event(onset: onsets[r - 1] + recordDuration - start, duration: gap, label: "BAD_ACQ_SKIP"))
            } else if gap < -1e-9 {
                throw NeuroIOError.corrupt(path, detail: "EDF+D record \(r + 1) starts at \(onsets[r]) s, before the end of record \(r)")
            }
        }
    }

    /// The time-keeping onset and the annotations of one record's TAL bytes.
    static func parseTALs(_ bytes: [UInt8], path: String, record: Int) throws -> (onset: Double?, events: [Event]) {
        var recordOnset: Double?
        var events: [Event] = []
        for tal in bytes.split(separator: 0, omittingEmptySubsequences: true) {
            let parts = tal.split(separator: 0x14, omittingEmptySubsequences: false)
            guard let timing = parts.first, !timing.isEmpty else { continue }
            let times = timing.split(separator: 0x15, omittingEmptySubsequences: false)
            guard let onset = Double(String(decoding: times[0], as: UTF8.self).replacingOccurrences(of: "+", with: "")) else {
                throw NeuroIOError.corrupt(path, detail: "record \(record): unreadable annotation onset '\(String(decoding: times[0], as: UTF8.self))'")
            }
            let duration = times.count > 1 ? Double(String(decoding: times[1], as: UTF8.self)) ?? 0 : 0
            let texts = parts.dropFirst().map { text(Array($0), 0..<$0.count) }.filter { !$0.isEmpty }
            if texts.isEmpty {
                if recordOnset == nil { recordOnset = onset }
            } else {
                for t in texts { events.append(Event(onset: onset, duration: duration, label: t)) }
            }
        }
        return (recordOnset, events)
    }

    // MARK: - Stim channel

    /// Events from the stim channel: each change of its lower 16 bits to a non-zero code.
    private func decodeStimEvents() throws {
        guard let k = signals.firstIndex(where: { $0.kind == .stim }) else { return }
        let s = parsed[dataSignals[k]]
        // A code already present at the first sample is not an event (`find_events(initial_event=False)`).
        var previous: Int?
        var sample = 0
        // Only the stim signal's bytes of each record are read, not the whole file.
        for r in 0..<recordCount {
            let bytes = try EDFSource.read(handle, at: headerBytes + r * recordBytes + s.byteOffset,
                                           count: s.samplesPerRecord * bytesPerSample, path: path, what: "trigger samples of record \(r + 1)")
            let block = decode(bytes, firstRecord: r, records: 1, stride: 0, offset: 0, signal: k)
            for value in block {
                defer { sample += 1 }  // gap samples (NaN) count, so onsets stay on the file's clock
                guard !value.isNaN else { continue }
                guard let code = Int(exactly: value.rounded()) else {
                    throw NeuroIOError.badValue(path, field: "signal \(signals[k].name)", detail: "trigger value \(value) is not a trigger code (damaged scaling?)")
                }
                if let p = previous, code != p && code != 0 {
                    events.append(Event(onset: Double(sample) / signals[k].samplingRate, label: "\(code)"))
                }
                previous = code
            }
        }
        attributes["stim_channel"] = signals[k].originalLabel
    }

    // MARK: - Samples

    func readSignals(_ index: Int) throws -> [[Double]] {
        let bytes = try blockBytes(index)
        return (0..<signals.count).map { decode(bytes, block: index, signal: $0) }
    }

    /// The bytes of the data records of block `index`, read once for all signals.
    private func blockBytes(_ index: Int) throws -> [UInt8] {
        let first = index * recordsPerBlock, last = min(recordCount, first + recordsPerBlock)
        return try EDFSource.read(handle, at: headerBytes + first * recordBytes, count: (last - first) * recordBytes,
                                  path: path, what: "data records \(first + 1)–\(last)")
    }

    /// Samples of data signal `k` decoded from block `index`'s bytes (with NaN gap samples before
    /// discontinuous records).
    private func decode(_ bytes: [UInt8], block index: Int, signal k: Int) -> [Double] {
        let first = index * recordsPerBlock, last = min(recordCount, first + recordsPerBlock)
        return decode(bytes, firstRecord: first, records: last - first, stride: recordBytes, offset: parsed[dataSignals[k]].byteOffset, signal: k)
    }

    /// Samples of data signal `k` for `records` records from `firstRecord`, whose bytes start at
    /// `r · stride + offset` in `bytes` for record `r` of the range.
    private func decode(_ bytes: [UInt8], firstRecord first: Int, records: Int, stride: Int, offset: Int, signal k: Int) -> [Double] {
        let s = parsed[dataSignals[k]]
        let rate = signals[k].samplingRate
        var out: [Double] = []
        out.reserveCapacity(records * s.samplesPerRecord)
        bytes.withUnsafeBufferPointer { buffer in
            for r in 0..<records {
                if let gap = gapsBefore[first + r] {
                    out.append(contentsOf: repeatElement(Double.nan, count: Int((gap * rate).rounded())))
                }
                var p = r * stride + offset
                for _ in 0..<s.samplesPerRecord {
                    let digital: Int
                    if isBDF {
                        let raw = Int(buffer[p]) | Int(buffer[p + 1]) << 8 | Int(buffer[p + 2]) << 16
                        digital = s.isStim ? raw : (raw & 0x80_0000 != 0 ? raw - 0x100_0000 : raw)
                    } else {
                        digital = Int(Int16(bitPattern: UInt16(buffer[p]) | UInt16(buffer[p + 1]) << 8))
                    }
                    let value = Double(digital) * s.scale + s.offset
                    // Trigger codes are integers masked to BioSemi's 16 trigger bits plus bit 16 (as MNE).
                    out.append(s.isStim ? Double((Int(exactly: value.rounded()) ?? 0) & 0x1FFFF) : value)
                    p += bytesPerSample
                }
            }
        }
        return out
    }

    // MARK: - Header fields

    static func read(_ handle: FileHandle, at offset: Int, count: Int, path: String, what: String) throws -> [UInt8] {
        try FileAccess.read(handle, at: offset, count: count, path: path, what: what)
    }

    /// A field that must be printable ASCII (numbers, dates, the reserved field), trimmed.
    static func ascii(_ bytes: [UInt8], _ range: Range<Int>, field: String, path: String) throws -> String {
        let slice = bytes[range]
        if let bad = slice.first(where: { $0 < 0x20 || $0 > 0x7E }) {
            throw NeuroIOError.corrupt(path, detail: "header field '\(field)' holds a non-ASCII byte 0x\(String(bad, radix: 16))")
        }
        return String(decoding: slice, as: UTF8.self).trimmingWhitespace()
    }

    /// A free-text field: UTF-8, or Latin-1 when it is not valid UTF-8; trimmed.
    static func text(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        let slice = Array(bytes[range])
        let decoded = String(validating: slice, as: UTF8.self) ?? String(slice.map { Character(Unicode.Scalar($0)) })
        return decoded.trimmingWhitespace()
    }

    /// A text field that may hold UTF-8 or Latin-1, but no control characters (C0 or C1): anything else
    /// is a damaged header.
    static func checkedText(_ bytes: [UInt8], _ range: Range<Int>, field: String, path: String) throws -> String {
        let slice = Array(bytes[range])
        if let utf8 = String(validating: slice, as: UTF8.self) {
            if let bad = utf8.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
                throw NeuroIOError.corrupt(path, detail: "header field '\(field)' holds a control character U+\(String(bad.value, radix: 16, uppercase: true))")
            }
            return utf8.trimmingWhitespace()
        }
        if let bad = slice.first(where: { $0 < 0x20 || (0x7F...0x9F).contains($0) }) {
            throw NeuroIOError.corrupt(path, detail: "header field '\(field)' holds a non-ASCII byte 0x\(String(bad, radix: 16)) that is neither UTF-8 nor Latin-1 text")
        }
        return String(slice.map { Character(Unicode.Scalar($0)) }).trimmingWhitespace()
    }

    static func integer(_ text: String, field: String, path: String) throws -> Int {
        guard let v = Int(text) ?? Double(text).flatMap({ Int(exactly: $0) }) else {
            throw NeuroIOError.corrupt(path, detail: "header field '\(field)' is not an integer: '\(text)'")
        }
        return v
    }

    static func number(_ text: String, field: String, path: String) throws -> Double {
        guard let v = Double(text), v.isFinite else {
            throw NeuroIOError.corrupt(path, detail: "header field '\(field)' is not a number: '\(text)'")
        }
        return v
    }
}
