import Foundation
import NeuroCore
import NeuroNative
import NeuroStore

/// The registry of readers: finds the reader for a file (sniffing its first bytes once) and opens it.
public enum Readers {
    /// Every reader, in the order they are tried when recognising a file: the continuous formats first
    /// (an NWB file with an `ElectricalSeries` is read as such before the imaging reader takes it).
    public static let all: [any RecordingReader.Type] = [
        EDFReader.self, BrainVisionReader.self, NWBEcephysReader.self, FIFReader.self, EEGLABReader.self,
        MATLABReader.self, NWBReader.self, NetCDFReader.self, HDF5Reader.self,
        NPYReader.self, TextTripletReader.self, CSVReader.self,
    ]

    /// Other names readers answer to (`bdf` is read by the `edf` reader).
    public static let aliases = ["bdf": "edf"]

    /// The reader called `name` (or one of its ``aliases``).
    public static func named(_ name: String) -> (any RecordingReader.Type)? {
        let name = aliases[name] ?? name
        return all.first { $0.name == name }
    }

    /// The reader for `path`: the one called `name` when given, else the first that recognises the
    /// file's extension and first bytes. Throws when the file is missing or empty, the name unknown or
    /// no reader recognises the file.
    public static func reader(for path: String, named name: String? = nil) throws -> any RecordingReader.Type {
        if let name {
            guard let named = named(name) else {
                throw NeuroIOError.unsupported(path, detail: "unknown reader '\(name)' (readers: \(names))")
            }
            try FileAccess.requireNonEmptyFile(path)
            return named
        }
        try FileAccess.requireNonEmptyFile(path)
        let header = FileHeader.read(path, count: 1024)
        if let reader = all.first(where: { $0.recognizes(path: path, header: header) }) { return reader }
        throw NeuroIOError.unsupported(path, detail: "unrecognised format (readers: \(names); give one with reader=NAME)")
    }

    /// The reader that recognises `path`, or an error listing the formats.
    public static func detect(_ path: String) throws -> any RecordingReader.Type { try reader(for: path) }

    /// Opens `path` with `reader` after checking `options` against the keys it knows.
    public static func open(_ path: String, with reader: any RecordingReader.Type, options: ReaderOptions = ReaderOptions()) throws -> any RecordingSource {
        try options.validate(known: reader.optionKeys, reader: reader.name, file: path)
        CrashReport.noteReading(path)
        return try reader.open(path, options: options)
    }

    /// Opens `path` with the named reader or the detected one.
    public static func open(_ path: String, reader: String? = nil, options: ReaderOptions = ReaderOptions()) throws -> any RecordingSource {
        try open(path, with: try self.reader(for: path, named: reader), options: options)
    }

    /// The readers' names, comma-separated, for messages and help.
    public static var names: String { all.map { $0.name }.joined(separator: ", ") }
}
