import NeuroCore
import Foundation
import NeuroNative

/// A file of the common format opened for reading; recordings are read one at a time.
///
/// ```swift
/// let file = try CommonFormatFile(path: "demo.nc")
/// for name in file.recordingNames { let r = try file.recording(name) … }
/// ```
public final class CommonFormatFile {
    /// The file that was opened.
    public let path: String
    /// Global attributes, in file order (including `format`, `format_version`, `recordings`).
    public let globalAttributes: [(key: String, value: AttributeValue)]
    /// Group names of the recordings, in the order they were written.
    public let recordingNames: [String]
    private let file: NetCDFFile

    /// Opens `path`; throws when it is not a file of the common format.
    public init(path: String) throws {
        self.path = path
        CrashReport.noteReading(path)
        file = try NetCDFFile.open(path)
        globalAttributes = try CommonFormatFile.attributes(file, variable: nil, group: file.root)
        guard file.textAttribute("format", in: file.root) == CommonFormat.name else {
            throw NeuroIOError.unsupported(path, detail: "not a neurotool common-format file (no global format=\"\(CommonFormat.name)\")")
        }
        let version = file.textAttribute("format_version", in: file.root) ?? "?"
        guard version.split(separator: ".").first == CommonFormat.version.split(separator: ".").first else {
            throw NeuroIOError.unsupported(path, detail: "common format version \(version); this neurotool reads \(CommonFormat.version)")
        }
        let listed = file.textAttribute("recordings", in: file.root)?.split(separator: ",").map(String.init)
        recordingNames = try listed ?? file.groups(in: file.root).map(\.name)
    }

    /// The value of global attribute `key`.
    public func globalAttribute(_ key: String) -> AttributeValue? {
        globalAttributes.first { $0.key == key }?.value
    }

    /// One attribute of recording `name` (text form), without reading its samples.
    public func recordingAttribute(_ name: String, _ key: String) throws -> String? {
        guard let g = try file.group(named: name, in: file.root) else {
            throw NeuroIOError.missingKey(path, key: "recording '\(name)'", available: recordingNames)
        }
        return file.textAttribute(key, in: g) ?? file.numericAttribute(key, in: g).map { $0.map { "\($0)" }.joined(separator: ", ") }
    }

    /// A per-channel flag variable of recording `name` other than `recorded`/`labeled` (`bad`), or nil.
    public func channelMask(_ name: String, _ variable: String) throws -> [Bool]? {
        guard let g = try file.group(named: name, in: file.root) else {
            throw NeuroIOError.missingKey(path, key: "recording '\(name)'", available: recordingNames)
        }
        return try file.variable(variable, in: g).map { try file.readDoubles($0).map { $0 != 0 } }
    }

    /// Reads recording `name`: whole, or only its first `maxRows` samples (for previews of long
    /// recordings; everything else is read whole).
    public func recording(_ name: String, maxRows: Int? = nil) throws -> Recording {
        guard let g = try file.group(named: name, in: file.root) else {
            throw NeuroIOError.missingKey(path, key: "recording '\(name)'", available: recordingNames)
        }
        let timeVar = try file.requireVariable("time", in: g)
        let rows = 0..<min(timeVar.count, maxRows ?? timeVar.count)
        func samples(_ v: NetCDFVariable) throws -> [Double] {
            rows.count == v.shape.first ? try file.readDoubles(v) : try file.readDoubles(v, rows: rows)
        }
        let time = try samples(timeVar)
        let names = try file.readStrings(try file.requireVariable("channel", in: g))
        let dataVar = try file.requireVariable("data", in: g)
        let data = Matrix(rows: time.count, columns: names.count, values: try samples(dataVar))
        let residual = try file.variable("residual", in: g).map {
            Matrix(rows: time.count, columns: names.count, values: try samples($0))
        }
        let recorded = try file.readDoubles(try file.requireVariable("recorded", in: g)).map { $0 != 0 }
        let labeled = try file.readDoubles(try file.requireVariable("labeled", in: g)).map { $0 != 0 }
        let kinds = try file.readStrings(try file.requireVariable("kind", in: g))
        let units = try file.readStrings(try file.requireVariable("unit", in: g))
        let originals = try file.readStrings(try file.requireVariable("original_label", in: g))
        let positions = try file.variable("position", in: g).map { try file.readDoubles($0) }
        let orientations = try file.variable("orientation", in: g).map { try file.readDoubles($0) }
        let channels = try names.indices.map { i -> Channel in
            guard let kind = ChannelKind(rawValue: kinds[i]) else {
                throw NeuroIOError.badValue(path, field: "\(name)/kind", detail: "unknown channel kind '\(kinds[i])'")
            }
            var xyz = positions.map { Array($0[(3 * i)..<(3 * i + 3)]) }
            if xyz?.contains(where: \.isNaN) == true { xyz = nil }
            if let o = orientations.map({ Array($0[(9 * i)..<(9 * i + 9)]) }), xyz != nil, !o.contains(where: \.isNaN) { xyz! += o }
            return Channel(name: names[i], originalLabel: originals[i], kind: kind, unit: units[i], position: xyz)
        }
        var events: [Event] = []
        if let onset = try file.variable("event_onset", in: g) {
            let onsets = try file.readDoubles(onset)
            let durations = try file.readDoubles(try file.requireVariable("event_duration", in: g))
            let labels = try file.readStrings(try file.requireVariable("event_label", in: g))
            events = onsets.indices.map { Event(onset: onsets[$0], duration: durations[$0], label: labels[$0]) }
        }
        var attributes = try CommonFormatFile.attributes(file, variable: nil, group: g)
        guard case .number(let rate)? = attributes.first(where: { $0.key == "sampling_rate" })?.value else {
            throw NeuroIOError.missingKey(path, key: "attribute sampling_rate of recording '\(name)'", available: attributes.map(\.key))
        }
        attributes.removeAll { $0.key == "sampling_rate" }
        return Recording(name: name, time: time, samplingRate: rate, channels: channels, data: data, residual: residual,
                         recorded: recorded, labeled: labeled, events: events, attributes: attributes)
    }

    package static func attributes(_ file: NetCDFFile, variable: NetCDFVariable?, group: NetCDFGroup) throws -> [(key: String, value: AttributeValue)] {
        try file.attributeNames(of: variable, in: group).compactMap { key in
            if let text = file.textAttribute(key, of: variable, in: group) { return (key, .text(text)) }
            guard let numbers = file.numericAttribute(key, of: variable, in: group) else { return nil }
            if numbers.count > 1 { return (key, .numbers(numbers)) }
            if file.isIntegerAttribute(key, of: variable, in: group) { return (key, .integer(Int(numbers[0]))) }
            return (key, .number(numbers[0]))
        }
    }
}
