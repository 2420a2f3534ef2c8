import Foundation
import NeuroCore
import NeuroNative
import NeuroStore

/// Reads BrainVision recordings: the `.vhdr` header, the `.vmrk` markers and the binary `.eeg` data
/// (`INT_16`, `UINT_16`, `INT_32`, `IEEE_FLOAT_32`; multiplexed or vectorized).
///
/// - Each channel's samples are multiplied by its resolution and converted from its unit (µV by
///   default; nV, mV, V) to volts.
/// - Markers become events labelled `Type/Description` (`Stimulus/S  1`), onset `(position − 1) / rate`,
///   duration `points / rate`; `New Segment` markers are not events (as in MNE).
/// - Units with an SI prefix are scaled to their base unit (µV → V, µS → S); only volts make EEG
///   channels, anything else is `misc` (as in MNE).
/// - Text is decoded with the header's `Codepage` (`UTF-8`, or `ANSI` read as Latin-1); without one,
///   UTF-8 then Latin-1, as MNE does. `\1` in a channel name stands for a comma.
public enum BrainVisionReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `brainvision`.
    public static let name = "brainvision"
    /// One line on what the reader reads.
    public static let summary = "BrainVision .vhdr/.vmrk/.eeg (INT_16, INT_32, IEEE_FLOAT_32; multiplexed or vectorized)"
    /// None: the reader takes no options.
    public static let optionKeys: [String] = []
    /// Continuous signals: recordings are streamed block by block.
    public static let modality = Modality.continuous

    /// True for a `.vhdr` extension, in any case; the content is not looked at.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        FileHeader.pathExtension(path) == "vhdr"
    }

    /// Reads the `.vhdr` header and the `.vmrk` markers and opens the `.eeg` samples for streaming.
    /// Throws ``NeuroIOError`` when the header is not BrainVision's or a file it names is missing or damaged.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        try BrainVisionSource(path: path)
    }
}

final class BrainVisionSource: SingleStreamSource {
    let path: String
    let readerName = BrainVisionReader.name
    let name: String
    private(set) var signals: [SignalInfo] = []
    private(set) var events: [Event] = []
    private(set) var attributes: [String: String] = [:]

    private let samples: BinarySampleFile
    private let samplesPerBlock: Int

    var blockCount: Int { (samples.sampleCount + samplesPerBlock - 1) / samplesPerBlock }

    init(path: String) throws {
        self.path = path
        name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let header = try BrainVisionSource.ini(path)
        guard header.firstLine.contains("Brain Vision") || header.firstLine.contains("BrainVision") else {
            throw NeuroIOError.corrupt(path, detail: "not a BrainVision header (first line '\(header.firstLine.prefix(60))')")
        }
        func value(_ section: String, _ key: String) -> String? { header.sections[section]?[key] }
        func require(_ section: String, _ key: String) throws -> String {
            guard let v = value(section, key), !v.isEmpty else {
                throw NeuroIOError.missingKey(path, key: "\(key) in [\(section)]", available: header.sections[section].map { Array($0.keys).sorted() } ?? [])
            }
            return v
        }
        let directory = PathText.directory(of: path)
        let dataPath = (directory as NSString).appendingPathComponent(try require("Common Infos", "DataFile"))
        let markerName = value("Common Infos", "MarkerFile")
        let dataFormat = value("Common Infos", "DataFormat") ?? "BINARY"
        guard dataFormat.uppercased() == "BINARY" else {
            throw NeuroIOError.unsupported(path, detail: "DataFormat=\(dataFormat) is not supported (only BINARY)")
        }
        let orientation = (value("Common Infos", "DataOrientation") ?? "MULTIPLEXED").uppercased()
        guard orientation == "MULTIPLEXED" || orientation == "VECTORIZED" else {
            throw NeuroIOError.unsupported(path, detail: "DataOrientation=\(orientation) is not supported")
        }
        let vectorized = orientation == "VECTORIZED"
        let formatText = value("Binary Infos", "BinaryFormat") ?? "INT_16"
        guard let format = BinarySampleFile.Format(rawValue: formatText.uppercased()) else {
            throw NeuroIOError.unsupported(path, detail: "BinaryFormat=\(formatText) is not supported (INT_16, UINT_16, INT_32, IEEE_FLOAT_32)")
        }
        guard let channelCount = Int(try require("Common Infos", "NumberOfChannels")), channelCount > 0 else {
            throw NeuroIOError.badValue(path, field: "NumberOfChannels", detail: "not a positive integer")
        }
        guard let interval = Double(try require("Common Infos", "SamplingInterval")), interval > 0 else {
            throw NeuroIOError.badValue(path, field: "SamplingInterval", detail: "not a positive number of microseconds")
        }
        let rate = 1e6 / interval

        var scales: [Double] = []
        // Channels: Ch<n>=<name>,<reference>,<resolution>,<unit>
        let channelInfos = header.sections["Channel Infos"] ?? [:]
        for i in 1...channelCount {
            guard let line = channelInfos["Ch\(i)"] else {
                throw NeuroIOError.missingKey(path, key: "Ch\(i) in [Channel Infos]", available: Array(channelInfos.keys).sorted())
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "\\1", with: ",").trimmingWhitespace()
            }
            let label = fields[0]
            let resolutionText = fields.count > 2 ? fields[2] : ""
            guard let resolution = resolutionText.isEmpty ? 1 : Double(resolutionText) else {
                throw NeuroIOError.badValue(path, field: "Ch\(i) resolution", detail: "'\(resolutionText)' is not a number")
            }
            // No unit means µV; a µ garbled by a wrong codepage still ends in V.
            var unit = fields.count > 3 && !fields[3].isEmpty ? fields[3] : "µV"
            if unit.count == 2 && unit.hasSuffix("V") && ChannelNaming.voltScale(unit) == nil { unit = "µV" }
            let (factor, base) = ChannelNaming.siScale(unit)
            scales.append(resolution * factor)
            let (name, _) = ChannelNaming.normalize(label)
            signals.append(SignalInfo(name: name, originalLabel: label, kind: ChannelNaming.kind(label: label, unit: base),
                                      unit: base.isEmpty ? "1" : base, samplingRate: rate, sampleCount: 0,
                                      attributes: ["reference": fields.count > 1 ? fields[1] : "", "resolution": resolutionText, "unit": unit]))
        }

        // Data.
        samples = try BinarySampleFile(path: dataPath, format: format, vectorized: vectorized, scales: scales, namedBy: "DataFile", in: path)
        for k in signals.indices { signals[k].sampleCount = samples.sampleCount }
        samplesPerBlock = samples.samplesPerMebibyte
        attributes = ["binary_format": format.rawValue, "orientation": orientation, "data_file": dataPath,
                      "codepage": header.codepage]

        // Markers.
        if let markerName {
            let markerPath = (directory as NSString).appendingPathComponent(markerName)
            guard FileManager.default.fileExists(atPath: markerPath) else {
                throw NeuroIOError.badValue(path, field: "MarkerFile", detail: "'\(markerName)' not found")
            }
            let markers = try BrainVisionSource.ini(markerPath)
            let infos = markers.sections["Marker Infos"] ?? [:]
            let keys = infos.keys.filter { $0.hasPrefix("Mk") }.sorted { (Int($0.dropFirst(2)) ?? 0) < (Int($1.dropFirst(2)) ?? 0) }
            for key in keys {
                let fields = infos[key]!.split(separator: ",", omittingEmptySubsequences: false).map {
                    String($0).replacingOccurrences(of: "\\1", with: ",")
                }
                guard fields.count >= 3, let position = Int(fields[2].trimmingWhitespace()), position >= 0 else {
                    throw NeuroIOError.badValue(markerPath, field: key, detail: "expected Type,Description,Position (a sample number, 1 for the first; 0 as some recorders write),…")
                }
                // "New Segment" markers start the recording (they carry its date), they are not events.
                if fields[0] == "New Segment" { continue }
                let points = fields.count > 3 ? max(0, Int(fields[3].trimmingWhitespace()) ?? 0) : 0
                let label = fields[1].isEmpty ? fields[0] : "\(fields[0])/\(fields[1])"
                // Without DataPoints in the header the length comes from the data file's size, so a cut
                // .eeg file shows only through markers that point past its end.
                guard position - 1 < samples.sampleCount || points > 0 && position - 1 == samples.sampleCount else {
                    throw NeuroIOError.corrupt(dataPath, detail: "holds \(samples.sampleCount) samples per channel but marker \(key) is at sample \(position) (truncated?)")
                }
                events.append(Event(onset: Double(position - 1) / rate, duration: Double(points) / rate, label: label))
            }
            attributes["marker_file"] = markerPath
        } else {
            throw NeuroIOError.missingKey(path, key: "MarkerFile in [Common Infos]", available: [])
        }
    }

    deinit { samples.close() }

    var companionPaths: [String] { [samples.path] + (attributes["marker_file"].map { [$0] } ?? []) }

    func readSignals(_ index: Int) throws -> [[Double]] {
        let first = index * samplesPerBlock
        return try samples.read(first: first, count: min(samplesPerBlock, samples.sampleCount - first))
    }

    /// An INI-style BrainVision file: its first line, codepage and `[Section] key=value` pairs.
    static func ini(_ path: String) throws -> (firstLine: String, codepage: String, sections: [String: [String: String]]) {
        let data = try FileAccess.contents(of: path)
        let bytes = [UInt8](data)
        // The codepage line itself is ASCII; find it before decoding the rest.
        let ascii = String(decoding: bytes.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self)
        let codepage = ascii.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Codepage=") }
            .map { String($0.dropFirst("Codepage=".count)).trimmingWhitespace() } ?? "UTF-8"
        let text: String
        if codepage.uppercased() == "ANSI" || codepage.uppercased().hasPrefix("LATIN") {
            text = String(bytes.map { Character(Unicode.Scalar($0)) })
        } else {
            text = String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
        }
        var sections: [String: [String: String]] = [:]
        var current = ""
        var firstLine = ""
        for (n, raw) in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).enumerated() {
            let line = String(raw).trimmingWhitespace()
            if n == 0 { firstLine = line }
            if line.isEmpty || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast())
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            sections[current, default: [:]][String(line[..<eq]).trimmingWhitespace()] = String(line[line.index(after: eq)...])
        }
        return (firstLine, codepage, sections)
    }
}
