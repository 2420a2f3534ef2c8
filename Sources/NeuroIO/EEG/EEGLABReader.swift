import Foundation
import NeuroCore
import NeuroNative
import NeuroStore

/// Reads EEGLAB datasets: a `.set` MAT-file (v5 through libmatio, or v7.3 through HDF5) with its
/// samples embedded or in a separate `.fdt` file. Follows MNE's `read_raw_eeglab` (the rules are
/// spelled out in `Tests/Fixtures/eeglab/README.md`):
///
/// - The fields are those of the `EEG` variable, or the file's top-level variables (newer EEGLAB,
///   MNE's exporter). An `ALLEEG` file and epoched sets (`trials` > 1) are refused.
/// - Samples are microvolts, scaled to volts. An `.fdt` holds float32 samples, one frame of every
///   channel per sample; it is looked for beside the `.set` under the name `data` gives, then as
///   `<set name>.fdt`. It must hold at least `nbchan × pnts` values (extra bytes are ignored, as MNE
///   does).
/// - Channels come from `chanlocs.labels`; the type from `chanlocs.type` when it names a known type
///   (an empty type is guessed from the label, where MNE would say EEG). Positions of EEG channels
///   come from `X`, `Y`, `Z` (EEGLAB's X points to the nose, Y to the left ear) as `(−Y, X, Z)`, with
///   the unit told by the mean radius as MNE's `montage_units='auto'` does (m, dm, cm or mm).
/// - Events become events sorted by onset: label `type` (a numeric type is written `7`, where MNE
///   writes `7.0`), onset `(latency − 1) / srate`, duration `duration / srate`; events without a
///   latency or after the end are dropped, durations are clipped at the end.
public enum EEGLABReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `eeglab`.
    public static let name = "eeglab"
    /// One line on what the reader reads.
    public static let summary = "EEGLAB .set (MAT v5 or v7.3) with embedded samples or a .fdt file"
    /// None: the reader takes no options.
    public static let optionKeys: [String] = []
    /// Continuous signals: recordings are streamed block by block.
    public static let modality = Modality.continuous

    /// True for a `.set` file whose header is that of MAT v5 or v7.3.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        FileHeader.pathExtension(path) == "set" && MATFile.version(header: header) != nil
    }

    /// Reads the dataset's fields and opens its samples (embedded or in the `.fdt` file) for streaming.
    /// Throws ``NeuroIOError`` for an `ALLEEG` file, an epoched set, or a missing or short `.fdt`.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        try EEGLABSource(path: path)
    }
}

final class EEGLABSource: SingleStreamSource {
    let path: String
    let readerName = EEGLABReader.name
    let name: String
    private(set) var signals: [SignalInfo] = []
    private(set) var events: [Event] = []
    private(set) var attributes: [String: String] = [:]

    /// EEGLAB stores microvolts.
    static let microvolt = 1e-6

    /// Samples in a `.fdt` file, or embedded (channels × samples, column-major, microvolts).
    private enum Samples {
        case file(BinarySampleFile)
        case embedded([Double])
    }
    private let samples: Samples
    private let sampleCount: Int
    private let samplesPerBlock: Int

    var blockCount: Int { (sampleCount + samplesPerBlock - 1) / samplesPerBlock }

    init(path: String) throws {
        self.path = path
        name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let (root, version) = try MATFile.open(path)
        if root.fieldNames.contains("ALLEEG") {
            throw NeuroIOError.unsupported(path, detail: "holds an ALLEEG array of datasets; save one dataset per .set")
        }
        let eeg: MATStruct
        if case .structure(let s)? = try root.field("EEG") { eeg = s } else { eeg = root }

        func number(_ field: String) throws -> Double {
            let value = try eeg.require(field, in: path, what: "EEGLAB field")
            guard let x = value.scalar, x.isFinite else {
                throw NeuroIOError.badValue(path, field: field, detail: "expected a number, found a \(value.className)")
            }
            return x
        }
        let rate = try number("srate")
        guard rate > 0 else { throw NeuroIOError.badValue(path, field: "srate", detail: "must be positive (found \(rate))") }
        /// A count field as a whole number within `maximum`: header fields of a damaged file may hold anything.
        func count(_ field: String, maximum: Int) throws -> Int {
            let x = try number(field)
            guard x.isFinite, x == x.rounded(), abs(x) <= Double(maximum), let n = Int(exactly: x) else {
                throw NeuroIOError.badValue(path, field: field, detail: "expected a whole number of at most \(maximum), found \(x)")
            }
            return n
        }
        let channelCount = try count("nbchan", maximum: 1 << 20), pointCount = try count("pnts", maximum: 1 << 42)
        let trials = (try? number("trials")) == nil ? 1 : try count("trials", maximum: 1 << 31)
        guard channelCount > 0, pointCount > 0 else {
            throw NeuroIOError.badValue(path, field: "nbchan/pnts", detail: "must be positive (\(channelCount) channels, \(pointCount) samples)")
        }
        guard trials == 1 else {
            throw NeuroIOError.unsupported(path, detail: "is epoched (trials=\(trials)); only continuous EEGLAB sets (trials=1) can be homogenized")
        }

        // Channels.
        var labels = (0..<channelCount).map { String(format: "EEG %03d", $0) }
        var types = [String](repeating: "", count: channelCount)
        var positions = [[Double]?](repeating: nil, count: channelCount)
        if case .structure(let chanlocs)? = try eeg.field("chanlocs"), let names = try chanlocs.fieldValues("labels"), !names.isEmpty {
            guard names.count == channelCount else {
                throw NeuroIOError.badValue(path, field: "chanlocs", detail: "describes \(names.count) channels, nbchan is \(channelCount)")
            }
            labels = names.map { $0.texts.first ?? "" }
            if let t = try chanlocs.fieldValues("type"), t.count == channelCount { types = t.map { $0.texts.first ?? "" } }
            if let xs = try chanlocs.fieldValues("X"), let ys = try chanlocs.fieldValues("Y"), let zs = try chanlocs.fieldValues("Z"),
               xs.count == channelCount, ys.count == channelCount, zs.count == channelCount {
                positions = (0..<channelCount).map { c in
                    guard let x = xs[c].scalar, let y = ys[c].scalar, let z = zs[c].scalar, x.isFinite, y.isFinite, z.isFinite else { return nil }
                    return [-y, x, z]
                }
                positions = EEGLABSource.inMetres(positions)
            }
        }
        for c in 0..<channelCount {
            let stated = ChannelKind(rawValue: types[c].trimmingWhitespace().lowercased())
            let (name, _) = ChannelNaming.normalize(labels[c])
            var signal = SignalInfo(name: name, originalLabel: labels[c], kind: ChannelNaming.kind(label: labels[c], unit: "V", stated: stated),
                                    unit: "V", samplingRate: rate, sampleCount: pointCount,
                                    attributes: types[c].isEmpty ? [:] : ["type": types[c]])
            // MNE keeps positions for EEG channels only.
            signal.position = signal.kind == .eeg ? positions[c] : nil
            signals.append(signal)
        }

        // Samples.
        let data = try eeg.require("data", in: path, what: "EEGLAB field")
        switch data {
        case .text(let fileName):
            let directory = PathText.directory(of: path)
            guard (fileName as NSString).pathExtension == "fdt" else {
                throw NeuroIOError.unsupported(path, detail: "data file '\(fileName)' is not an .fdt file (old EEGLAB .dat files are not supported)")
            }
            var dataPath = fileName.hasPrefix("/") ? fileName : (directory as NSString).appendingPathComponent(fileName)
            let fallback = (directory as NSString).appendingPathComponent(name + ".fdt")
            if !FileManager.default.fileExists(atPath: dataPath) && FileManager.default.fileExists(atPath: fallback) {
                dataPath = fallback
            }
            let file = try BinarySampleFile(path: dataPath, format: .float32, vectorized: false,
                                            scales: Array(repeating: EEGLABSource.microvolt, count: channelCount),
                                            expectedSamples: pointCount, namedBy: "data", in: path)
            samples = .file(file)
            samplesPerBlock = file.samplesPerMebibyte
            attributes["data_file"] = dataPath
        case .numeric(let dims, let values):
            guard dims.count >= 2, dims[0] == channelCount, values.count == channelCount * pointCount else {
                throw NeuroIOError.badValue(path, field: "data", detail: "is \(dims.map(String.init).joined(separator: "×")); expected \(channelCount)×\(pointCount) (nbchan × pnts)")
            }
            samples = .embedded(values)
            samplesPerBlock = max(1, min(pointCount, (1 << 17) / channelCount))
        default:
            throw NeuroIOError.badValue(path, field: "data", detail: "expected a samples matrix or a .fdt file name, found a \(data.className)")
        }
        sampleCount = pointCount
        attributes["matlab_version"] = version.rawValue
        if let name = try eeg.field("setname")?.texts.first, !name.isEmpty { attributes["setname"] = name }

        // Events.
        if case .structure(let event)? = try eeg.field("event"), let kinds = try event.fieldValues("type"),
           let latencies = try event.fieldValues("latency") {
            let durations = try event.fieldValues("duration")
            guard kinds.count == latencies.count else {
                throw NeuroIOError.badValue(path, field: "event", detail: "has \(kinds.count) types for \(latencies.count) latencies")
            }
            let end = Double(pointCount) / rate
            for (k, latency) in latencies.enumerated() {
                if case .empty = latency { continue }
                guard let sample = latency.scalar else {
                    throw NeuroIOError.badValue(path, field: "event(\(k + 1)).latency", detail: "expected a sample number, found a \(latency.className)")
                }
                let onset = (sample - 1) / rate
                guard onset.isFinite, onset >= 0, onset <= end else { continue }
                let label = kinds[k].texts.first ?? kinds[k].scalar.map { EEGLABSource.numberText($0) } ?? ""
                let duration = durations.flatMap { k < $0.count ? $0[k].scalar : nil } ?? 0
                events.append(Event(onset: onset, duration: duration.isFinite ? min(duration / rate, end - onset) : 0, label: label))
            }
            events = events.enumerated().sorted { ($0.element.onset, $0.element.duration, $0.offset) < ($1.element.onset, $1.element.duration, $1.offset) }.map(\.element)
        }
    }

    deinit { if case .file(let f) = samples { f.close() } }

    var companionPaths: [String] { if case .file(let f) = samples { return [f.path] }; return [] }

    func readSignals(_ index: Int) throws -> [[Double]] {
        let first = index * samplesPerBlock, count = min(samplesPerBlock, sampleCount - first)
        switch samples {
        case .file(let file):
            return try file.read(first: first, count: count)
        case .embedded(let values):
            let channels = signals.count
            return (0..<channels).map { c in (first..<(first + count)).map { values[$0 * channels + c] * EEGLABSource.microvolt } }
        }
    }

    /// Positions in metres, the unit told by the mean distance from the origin as MNE does: below
    /// 0.25 metres, below 2.5 decimetres, below 25 centimetres, else millimetres.
    static func inMetres(_ positions: [[Double]?]) -> [[Double]?] {
        let radii = positions.compactMap { $0.map { sqrt($0[0] * $0[0] + $0[1] * $0[1] + $0[2] * $0[2]) } }
        guard !radii.isEmpty else { return positions }
        let mean = radii.reduce(0, +) / Double(radii.count)
        let factor = mean < 0.25 ? 1 : mean < 2.5 ? 0.1 : mean < 25 ? 0.01 : 0.001
        return factor == 1 ? positions : positions.map { $0?.map { $0 * factor } }
    }

    /// A numeric event type as EEGLAB and MNE print it (`7`, not `7.0`).
    static func numberText(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
