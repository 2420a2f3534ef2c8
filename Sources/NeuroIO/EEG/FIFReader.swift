import Foundation
import NeuroCore
import NeuroNative
import NeuroStore

/// MEGIN/Neuromag FIF raw files (`*_raw.fif`, `*_meg.fif`), as MNE-Python writes and reads them.
///
/// A FIF file is a chain of big-endian tags (kind, type, size, next, then `size` bytes) nested in
/// blocks. The reader walks the chain once, keeping the measurement info (channel count, sampling rate,
/// one `ch_info` record per channel: kind, coil type, unit, `range × cal`, position and orientation,
/// name) and the location of every raw data buffer; samples are then read buffer by buffer
/// (int16, int32, float32 or float64), calibrated to SI units (T, T/m, V). Skipped buffers become NaN
/// marked by a `BAD_ACQ_SKIP` event; the stim channel's changes to a non-zero code become events.
public enum FIFReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `fif`.
    public static let name = "fif"
    /// One line on what the reader reads.
    public static let summary = "MEGIN/Neuromag and MNE FIF raw files: MEG magnetometers and gradiometers, EEG, stim events"
    /// None: the reader takes no options.
    public static let optionKeys: [String] = []
    /// Continuous signals: recordings are streamed block by block.
    public static let modality = Modality.continuous

    /// True when the first tag is `FIFF_FILE_ID` (kind 100, type 31), whatever the extension.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        // The first tag is FIFF_FILE_ID (kind 100, type id-struct 31).
        header.count >= 8 && Array(header[0..<8]) == [0, 0, 0, 100, 0, 0, 0, 31]
    }

    /// Walks the tag chain (and split continuations) for the measurement info and the data buffers, then streams
    /// the buffers; throws ``NeuroIOError`` for a damaged file.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        try FIFSource(path: path)
    }
}

final class FIFSource: SingleStreamSource {
    let path: String
    /// The file and its split continuations (`name-1.fif`, …), in order.
    private var paths: [String] = []
    private var handles: [FileHandle] = []
    private(set) var signals: [SignalInfo] = []
    private(set) var events: [Event] = []
    private(set) var attributes: [String: String] = [:]
    var readerName: String { FIFReader.name }
    var name: String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }

    /// A data buffer: where its bytes are, their type, and the samples it holds (nil offset: skipped).
    struct Buffer { var file: Int; var offset: UInt64?; var type: Int32; var samples: Int; var firstSample: Int }
    private var buffers: [Buffer] = []
    private var calibrations: [Double] = []
    var blockCount: Int { buffers.count }

    // FIF constants (MNE's fiff constants).
    enum Kind {
        static let blockStart: Int32 = 104, blockEnd: Int32 = 105
        static let nchan: Int32 = 200, sfreq: Int32 = 201, chInfo: Int32 = 203, lowpass: Int32 = 219, highpass: Int32 = 223
        static let firstSample: Int32 = 208, dataBuffer: Int32 = 300, dataSkip: Int32 = 301
        static let measInfo: Int32 = 101
        static let refBlock: Int32 = 118, refRole: Int32 = 115, refFileName: Int32 = 118
        static let refRoleNext: Int32 = 2
        /// MNE's annotations: onsets (BASELINE_MIN) and ends (BASELINE_MAX) in seconds from the start of
        /// acquisition, descriptions as one COMMENT string joined by ':' (':' inside written `{COLON}`).
        static let annotations: Int32 = 3810, annotationOnsets: Int32 = 3568, annotationEnds: Int32 = 3569, comment: Int32 = 206
        static let rawBlocks: Set<Int32> = [102, 112, 117, 119]   // raw, continuous, SMSH raw, IAS raw
    }

    /// What the walk keeps across the files of a split recording.
    private struct Walk {
        var nchan = 0, rate = 0.0, first: Int? = nil
        var infos: [(kind: Int32, range: Float, cal: Float, coil: Int32, loc: [Float], unit: Int32, name: String)] = []
        var sample = 0
        var pendingSkip = 0
        var annotationOnsets: [Float] = [], annotationEnds: [Float] = [], annotationTexts: [String] = []
    }

    init(path: String) throws {
        self.path = path
        var walk = Walk()
        var next: String? = path
        while let current = next {
            try FileAccess.requireNonEmptyFile(current)
            guard let h = FileHandle(forReadingAtPath: current) else { throw NeuroIOError.fileNotFound(current) }
            paths.append(current)
            handles.append(h)
            next = try walkFile(handles.count - 1, &walk).map { name in
                (PathText.directory(of: current) as NSString).appendingPathComponent((name as NSString).lastPathComponent)
            }
            if let n = next, paths.contains(n) { throw NeuroIOError.corrupt(current, detail: "split files refer to each other in a loop") }
        }
        let nchan = walk.nchan, rate = walk.rate, infos = walk.infos, sample = walk.sample, first = walk.first ?? 0
        guard nchan > 0, rate > 0, infos.count == nchan else {
            throw NeuroIOError.corrupt(path, detail: "no complete measurement info (\(infos.count) channel records for \(nchan) channels, sampling rate \(rate))")
        }
        guard !buffers.isEmpty else { throw NeuroIOError.corrupt(path, detail: "no raw data buffers") }
        calibrations = infos.map { Double($0.range) * Double($0.cal) }
        signals = infos.map { info in
            let kind = FIFSource.kind(info.kind, unit: info.unit)
            var s = SignalInfo(name: info.name, originalLabel: info.name, kind: kind, unit: FIFSource.unit(info.unit), samplingRate: rate,
                               sampleCount: sample, attributes: ["coil_type": "\(info.coil)", "fif_kind": "\(info.kind)"])
            // MEG: position and the coil's orientation vectors; EEG: the electrode position (the rest of
            // its loc is the reference electrode).
            if [.megMag, .megGrad].contains(kind), info.loc[0..<3].contains(where: { $0 != 0 }), !info.loc.contains(where: \.isNaN) {
                s.position = info.loc.map(Double.init)
            } else if kind == .eeg, info.loc[0..<3].contains(where: { $0 != 0 }), !info.loc[0..<3].contains(where: \.isNaN) {
                s.position = info.loc[0..<3].map(Double.init)
            }
            return s
        }
        if !walk.annotationOnsets.isEmpty {
            guard walk.annotationOnsets.count == walk.annotationTexts.count, walk.annotationEnds.count == walk.annotationOnsets.count else {
                throw NeuroIOError.corrupt(path, detail: "annotations: \(walk.annotationOnsets.count) onsets, \(walk.annotationEnds.count) ends, \(walk.annotationTexts.count) descriptions")
            }
            let t0 = Double(first) / rate
            for (k, text) in walk.annotationTexts.enumerated() {
                let onset = Double(walk.annotationOnsets[k]), end = Double(walk.annotationEnds[k])
                events.append(Event(onset: onset - t0, duration: max(end - onset, 0), label: text))
            }
        }
        attributes["first_sample"] = "\(first)"
        attributes["buffers"] = "\(buffers.count)"
        try decodeStimEvents()
    }

    deinit { for h in handles { try? h.close() } }

    /// The split continuations read besides `path`.
    var companionPaths: [String] { Array(paths.dropFirst()) }

    /// Walks the tag chain of file `index`, adding its buffers; returns the next split file's name.
    private func walkFile(_ index: Int, _ w: inout Walk) throws -> String? {
        let file = paths[index]
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? UInt64) ?? 0
        var blocks: [Int32] = []
        var offset: UInt64 = 0
        var nextFile: String? = nil, refRole: Int32 = 0, refName: String? = nil
        while offset + 16 <= size {
            let header = try read(index, at: offset, count: 16, what: "tag header")
            let kind = int32(header, 0), type = int32(header, 4), length = int32(header, 8), next = int32(header, 12)
            guard length >= 0, offset + 16 + UInt64(length) <= size else {
                throw NeuroIOError.corrupt(file, detail: "tag \(kind) at byte \(offset) claims \(length) bytes past the end of the file (truncated?)")
            }
            let data = offset + 16
            func int() throws -> Int32 { int32(try read(index, at: data, count: 4, what: "tag \(kind)"), 0) }
            func float() throws -> Float { float32(try read(index, at: data, count: 4, what: "tag \(kind)"), 0) }
            let inRaw = blocks.contains { Kind.rawBlocks.contains($0) }
            switch kind {
            case Kind.blockStart:
                blocks.append(try int())
                if blocks.last == Kind.refBlock { refRole = 0; refName = nil }
            case Kind.blockEnd:
                if blocks.last == Kind.refBlock, refRole == Kind.refRoleNext { nextFile = refName }
                _ = blocks.popLast()
            case Kind.refRole where blocks.last == Kind.refBlock: refRole = try int()
            case Kind.refFileName where blocks.last == Kind.refBlock:
                refName = String(decoding: try read(index, at: data, count: Int(length), what: "split file name"), as: UTF8.self)
            case Kind.nchan where blocks.last == Kind.measInfo:
                let n = Int(try int())
                guard index == 0 || n == w.nchan else { throw NeuroIOError.corrupt(file, detail: "split file has \(n) channels, the first \(w.nchan)") }
                w.nchan = n
            case Kind.sfreq where blocks.last == Kind.measInfo: w.rate = Double(try float())
            case Kind.lowpass where blocks.last == Kind.measInfo && index == 0: attributes["lowpass"] = "\(try float())"
            case Kind.highpass where blocks.last == Kind.measInfo && index == 0: attributes["highpass"] = "\(try float())"
            case Kind.chInfo where blocks.last == Kind.measInfo && index == 0:
                guard length >= 96 else { throw NeuroIOError.corrupt(file, detail: "channel info tag at byte \(offset) has \(length) bytes, expected 96") }
                let b = try read(index, at: data, count: 96, what: "channel info")
                let nameBytes = b[80..<96].prefix { $0 != 0 }
                w.infos.append((int32(b, 8), float32(b, 12), float32(b, 16), int32(b, 20), (0..<12).map { float32(b, 24 + 4 * $0) },
                                int32(b, 72), String(decoding: nameBytes, as: UTF8.self)))
            case Kind.firstSample where inRaw && w.first == nil: w.first = Int(try int())
            case Kind.annotationOnsets where blocks.last == Kind.annotations:
                let b = try read(index, at: data, count: Int(length), what: "annotation onsets")
                w.annotationOnsets += stride(from: 0, to: b.count - 3, by: 4).map { float32(b, $0) }
            case Kind.annotationEnds where blocks.last == Kind.annotations:
                let b = try read(index, at: data, count: Int(length), what: "annotation ends")
                w.annotationEnds += stride(from: 0, to: b.count - 3, by: 4).map { float32(b, $0) }
            case Kind.comment where blocks.last == Kind.annotations:
                let text = String(decoding: try read(index, at: data, count: Int(length), what: "annotation descriptions"), as: UTF8.self)
                w.annotationTexts += text.split(separator: ":", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "{COLON}", with: ":") }
            case Kind.dataSkip where inRaw: w.pendingSkip = Int(try int())
            case Kind.dataBuffer where inRaw:
                guard w.nchan > 0 else { throw NeuroIOError.corrupt(file, detail: "data buffer before the measurement info") }
                let bytes: Int
                switch type {
                case 2, 16: bytes = 2    // int16 (16: DAU_PACK16, what MNE writes for fmt="short")
                case 3, 4: bytes = 4
                case 5: bytes = 8
                default: throw NeuroIOError.unsupported(file, detail: "data buffers of FIF type \(type) are not supported (int16, int32, float32, float64 are)")
                }
                guard Int(length) % (w.nchan * bytes) == 0 else {
                    throw NeuroIOError.corrupt(file, detail: "data buffer at byte \(offset) holds \(length) bytes, not a whole number of \(w.nchan)-channel samples")
                }
                let samples = Int(length) / (w.nchan * bytes)
                for _ in 0..<w.pendingSkip {
                    buffers.append(Buffer(file: index, offset: nil, type: type, samples: samples, firstSample: w.sample))
                    events.append(Event(onset: Double(w.sample) / max(w.rate, 1), duration: Double(samples) / max(w.rate, 1), label: "BAD_ACQ_SKIP"))
                    w.sample += samples
                }
                w.pendingSkip = 0
                buffers.append(Buffer(file: index, offset: data, type: type, samples: samples, firstSample: w.sample))
                w.sample += samples
            default: break
            }
            if next == -1 { break }
            let following = next > 0 ? UInt64(next) : data + UInt64(length)
            guard following > offset else { throw NeuroIOError.corrupt(file, detail: "tag chain loops back at byte \(offset)") }
            if next > 0 && following + 16 > size {
                throw NeuroIOError.corrupt(file, detail: "tag \(kind) at byte \(offset) points to byte \(following), past the end of the file")
            }
            offset = following
        }
        return nextFile
    }


    static func kind(_ fiffKind: Int32, unit: Int32) -> ChannelKind {
        switch fiffKind {
        case 1, 301: return unit == 201 ? .megGrad : .megMag    // MEG and reference MEG: T/m is a gradiometer
        case 2, 802, 902: return .eeg                           // EEG, sEEG, ECoG
        case 3: return .stim
        case 202: return .eog
        case 302: return .emg
        case 402: return .ecg
        default: return .misc
        }
    }

    static func unit(_ code: Int32) -> String {
        switch code {
        case 112: return "T"
        case 201: return "T/m"
        case 107: return "V"
        default: return "1"
        }
    }

    func readSignals(_ index: Int) throws -> [[Double]] {
        try readBlock(index, channels: Array(signals.indices))
    }

    /// The samples of `channels` only (every one of them is read from the file; only these are decoded).
    private func readBlock(_ index: Int, channels: [Int]) throws -> [[Double]] {
        let buffer = buffers[index], n = signals.count
        guard let offset = buffer.offset else { return Array(repeating: Array(repeating: .nan, count: buffer.samples), count: channels.count) }
        let width = buffer.type == 2 || buffer.type == 16 ? 2 : buffer.type == 5 ? 8 : 4
        let data = try readData(buffer.file, at: offset, count: buffer.samples * n * width, what: "data buffer \(index + 1)")
        let samples = buffer.samples, type = buffer.type
        // Channel by channel (samples are interleaved, big-endian), straight from the bytes read.
        return data.withUnsafeBytes { raw in
            channels.map { c in
                let calibration = calibrations[c]
                return [Double](unsafeUninitializedCapacity: samples) { out, count in
                    func load<T: FixedWidthInteger>(_: T.Type, _ t: Int) -> T {
                        T(bigEndian: raw.loadUnaligned(fromByteOffset: (t * n + c) * width, as: T.self))
                    }
                    switch type {
                    case 2, 16: for t in 0..<samples { out[t] = Double(Int16(bitPattern: load(UInt16.self, t))) * calibration }
                    case 3: for t in 0..<samples { out[t] = Double(Int32(bitPattern: load(UInt32.self, t))) * calibration }
                    case 4: for t in 0..<samples { out[t] = Double(Float(bitPattern: load(UInt32.self, t))) * calibration }
                    default: for t in 0..<samples { out[t] = Double(bitPattern: load(UInt64.self, t)) * calibration }
                    }
                    count = samples
                }
            }
        }
    }

    /// Events from the stim channel: each change to a non-zero code (`find_events`, initial event excluded).
    private func decodeStimEvents() throws {
        guard let k = signals.firstIndex(where: { $0.kind == .stim }) else { return }
        var previous: Int?
        for b in 0..<buffers.count {
            let values = try readBlock(b, channels: [k])[0]
            for (i, v) in values.enumerated() where !v.isNaN {
                guard abs(v) < 9.0e15 else {
                    throw NeuroIOError.corrupt(path, detail: "stim channel '\(signals[k].originalLabel)' holds \(v), not a trigger code")
                }
                let code = Int(v.rounded())
                if let p = previous, code != p && code != 0 {
                    events.append(Event(onset: Double(buffers[b].firstSample + i) / signals[k].samplingRate, label: "\(code)"))
                }
                previous = code
            }
        }
        events.sort { $0.onset < $1.onset }
        attributes["stim_channel"] = signals[k].originalLabel
    }

    private func read(_ file: Int, at offset: UInt64, count: Int, what: String) throws -> [UInt8] {
        [UInt8](try readData(file, at: offset, count: count, what: what))
    }

    private func readData(_ file: Int, at offset: UInt64, count: Int, what: String) throws -> Data {
        do {
            try handles[file].seek(toOffset: offset)
            let data = try handles[file].read(upToCount: count) ?? Data()
            guard data.count == count else {
                throw NeuroIOError.corrupt(paths[file], detail: "\(what) at byte \(offset) is cut short (\(data.count) of \(count) bytes)")
            }
            return data
        } catch let error as NeuroIOError { throw error } catch {
            throw NeuroIOError.corrupt(paths[file], detail: "cannot read \(what) at byte \(offset): \(error.localizedDescription)")
        }
    }
}

private func int32(_ b: [UInt8], _ at: Int) -> Int32 {
    Int32(bitPattern: UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3]))
}

private func float32(_ b: [UInt8], _ at: Int) -> Float {
    Float(bitPattern: UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3]))
}
