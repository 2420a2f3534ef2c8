import NeuroCore
import Foundation

/// Options given to a reader, as `key=value` pairs (from the command line or a manifest).
///
/// Each reader declares the keys it understands; an unknown key is an error, so a typo
/// (`tiem=/t`) never goes unnoticed.
public struct ReaderOptions: Equatable, Sendable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public subscript(key: String) -> String? { values[key] }

    /// The value of `key` as a number, or nil when absent; throws when present but not a number.
    public func number(_ key: String, file: String) throws -> Double? {
        guard let text = values[key] else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw NeuroIOError.badValue(file, field: "option \(key)", detail: "'\(text)' is not a number")
        }
        return value
    }

    /// Throws when an option is not one of `known`.
    public func validate(known: [String], reader: String, file: String) throws {
        for key in values.keys.sorted() where !known.contains(key) {
            throw NeuroIOError.badValue(file, field: "option \(key)",
                                        detail: "unknown for reader '\(reader)' (known: \(known.joined(separator: ", ")))")
        }
    }

    /// These options with `other`'s values taking precedence.
    public func merging(_ other: ReaderOptions) -> ReaderOptions {
        ReaderOptions(values.merging(other.values) { _, new in new })
    }
}

/// The recordings of one opened source file; each is loaded only when asked for, so a file with many
/// worms never has to fit in memory at once.
public protocol RecordingSource {
    /// The file.
    var path: String { get }
    /// The reader that opened it (`matlab`, `nwb`, …).
    var readerName: String { get }
    /// Names of the recordings inside, in file order.
    var recordingNames: [String] { get }
    /// Other files the source reads besides `path` (a triplet's labels and times, suite2p's
    /// `iscell.npy`), so they are checksummed and never overwritten.
    var companionPaths: [String] { get }
    /// Loads recording `index` (validated: shapes agree, timestamps strictly increasing).
    func load(_ index: Int) throws -> RawRecording
}

/// A file format neurotool can read recordings from.
public protocol RecordingReader: Sendable {
    /// Short name used on the command line and in manifests (`matlab`, `nwb`, `hdf5`, …).
    static var name: String { get }
    /// One line on what the reader reads.
    static var summary: String { get }
    /// The option keys it accepts.
    static var optionKeys: [String] { get }
    /// True when the file looks like this reader's format (by extension and content).
    static func recognizes(path: String, header: [UInt8]) -> Bool
    /// Opens the file; fails with a ``NeuroIOError`` naming the file and the problem.
    static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource
}

/// A source whose structure was checked at open time and whose recordings are read on `load`, so
/// that opening many files costs no memory.
struct LazySource: RecordingSource {
    let path: String
    let readerName: String
    let recordingNames: [String]
    var companionPaths: [String] = []
    let loader: (Int) throws -> RawRecording
    func load(_ index: Int) throws -> RawRecording { try loader(index) }
}

extension RecordingSource {
    public var companionPaths: [String] { [] }
}

/// Finds the reader for a file and opens it.
public enum Readers {
    /// Every reader, in the order they are tried when recognising a file.
    public static let all: [any RecordingReader.Type] = [
        MATLABReader.self, NWBReader.self, NetCDFReader.self, HDF5Reader.self,
        NPYReader.self, TextTripletReader.self, CSVReader.self,
    ]

    /// Every reader of continuous (EEG/MEG) recordings.
    public static let continuous: [any ContinuousReader.Type] = [EDFReader.self, BrainVisionReader.self, NWBEcephysReader.self, FIFReader.self, EEGLABReader.self]

    /// The reader called `name`.
    public static func named(_ name: String) -> (any RecordingReader.Type)? {
        all.first { $0.name == name }
    }

    /// The continuous-recording reader for `path` (by `reader` name — `bdf` is an alias of `edf` — or
    /// recognised from the file), or nil when the file is not a continuous recording.
    public static func continuousReader(for path: String, reader: String? = nil) -> (any ContinuousReader.Type)? {
        if let reader {
            let name = reader == "bdf" ? "edf" : reader
            return continuous.first { $0.name == name }
        }
        let header = FileHeader.read(path, count: 1024)
        return continuous.first { $0.recognizes(path: path, header: header) }
    }

    /// Opens a continuous recording (EDF/BDF, BrainVision).
    public static func openContinuous(_ path: String, reader: String? = nil, options: ReaderOptions = ReaderOptions()) throws -> any ContinuousSource {
        try FileChecks.requireNonEmptyFile(path)
        guard let type = continuousReader(for: path, reader: reader) else {
            throw NeuroIOError.unsupported(path, detail: "not a continuous recording (readers: \(continuous.map { $0.name }.joined(separator: ", ")))")
        }
        try options.validate(known: type.optionKeys, reader: type.name, file: path)
        return try type.open(path, options: options)
    }

    /// The reader that recognises `path`, or an error listing the formats.
    public static func detect(_ path: String) throws -> any RecordingReader.Type {
        try FileChecks.requireNonEmptyFile(path)
        let header = FileHeader.read(path, count: 1024)
        if let reader = all.first(where: { $0.recognizes(path: path, header: header) }) { return reader }
        if let reader = continuous.first(where: { $0.recognizes(path: path, header: header) }) {
            throw NeuroIOError.unsupported(path, detail: "is a continuous \(reader.name) recording; open it with Readers.openContinuous")
        }
        throw NeuroIOError.unsupported(path, detail: "unrecognised format (readers: \(all.map { $0.name }.joined(separator: ", ")); give one with reader=NAME)")
    }

    /// Opens `path` with the named reader or the detected one.
    public static func open(_ path: String, reader: String? = nil, options: ReaderOptions = ReaderOptions()) throws -> any RecordingSource {
        let type: any RecordingReader.Type
        if let name = reader {
            guard let named = named(name) else {
                throw NeuroIOError.unsupported(path, detail: "unknown reader '\(name)' (readers: \(all.map { $0.name }.joined(separator: ", ")))")
            }
            try FileChecks.requireNonEmptyFile(path)
            type = named
        } else {
            type = try detect(path)
        }
        try options.validate(known: type.optionKeys, reader: type.name, file: path)
        return try type.open(path, options: options)
    }
}

/// The first bytes of a file, for format sniffing.
enum FileHeader {
    static func read(_ path: String, count: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8](handle.readData(ofLength: count))
    }

    /// The HDF5 signature `\x89HDF\r\n\x1a\n` at offset 0 or a power-of-two userblock offset ≥ 512.
    static func isHDF5(_ header: [UInt8], at offset: Int = 0) -> Bool {
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
        return header.count >= offset + 8 && Array(header[offset..<(offset + 8)]) == signature
    }

    static func pathExtension(_ path: String) -> String {
        (path as NSString).pathExtension.lowercased()
    }
}
