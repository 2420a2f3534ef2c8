import NeuroCore
import Foundation
import NeuroIO
import NeuroStore

/// One input of a homogenization: a file, the reader to use (nil: recognised from the content) and its
/// options, and the lab or dataset it belongs to.
public struct HomogenizationInput: Equatable, Sendable {
    /// The file to read.
    public var path: String
    /// Name of the reader to use (`matlab`, `edf`, …); nil to recognise the format from the file.
    public var reader: String?
    /// Options for the reader.
    public var options: ReaderOptions
    /// The lab or dataset the file belongs to; when given it prefixes the output group names instead of the file stem.
    public var lab: String?

    /// An input reading `path` with the named reader (nil: recognised from the file) and `options`.
    public init(path: String, reader: String? = nil, options: ReaderOptions = ReaderOptions(), lab: String? = nil) {
        self.path = path
        self.reader = reader
        self.options = options
        self.lab = lab
    }

    /// Parses a command-line input `PATH[:key=value…]`; a bare `:/dataset` segment sets `data`
    /// (`traces.h5:/trace_array:time=/t`). A path that exists as given is taken whole.
    public static func parse(_ argument: String) -> HomogenizationInput {
        if FileManager.default.fileExists(atPath: argument) || !argument.contains(":") {
            return HomogenizationInput(path: argument)
        }
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var options: [String: String] = [:]
        var reader: String?
        for part in parts.dropFirst() where !part.isEmpty {
            if part.hasPrefix("/") { options["data"] = part; continue }
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 {
                if kv[0] == "reader" { reader = kv[1] } else { options[kv[0]] = kv[1] }
            } else {
                options[kv[0]] = ""
            }
        }
        return HomogenizationInput(path: parts[0], reader: reader, options: ReaderOptions(options))
    }
}

/// A dataset manifest: one JSON file describing several sources, each with its reader and options.
///
/// ```json
/// { "name": "celegans-demo",
///   "sources": [ { "path": "kato2015/WT_NoStim.mat", "reader": "matlab", "lab": "kato2015",
///                  "options": { "struct": "WT_NoStim" } } ] }
/// ```
/// Paths are relative to the manifest's folder.
public struct Manifest: Equatable, Sendable {
    /// The dataset's name: the manifest's `name`, else the manifest's file name without extension.
    public var name: String
    /// Free text on the dataset, the manifest's `description` (empty when absent).
    public var description: String
    /// The sources in manifest order, relative paths resolved against the manifest's folder.
    public var inputs: [HomogenizationInput]

    private struct File: Decodable {
        struct Source: Decodable {
            var path: String
            var reader: String?
            var lab: String?
            var options: [String: String]?
        }
        var name: String?
        var description: String?
        var sources: [Source]
    }

    /// Reads a manifest; errors name the manifest and the problem.
    public static func load(_ path: String) throws -> Manifest {
        guard FileManager.default.fileExists(atPath: path) else { throw NeuroIOError.fileNotFound(path) }
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { throw NeuroIOError.emptyFile(path) }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw NeuroIOError.badValue(path, field: "manifest", detail: "missing key '\(key.stringValue)' at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw NeuroIOError.badValue(path, field: "manifest", detail: "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))' (option values are strings)")
        } catch {
            throw NeuroIOError.corrupt(path, detail: "not a valid JSON manifest")
        }
        guard !file.sources.isEmpty else { throw NeuroIOError.badValue(path, field: "sources", detail: "no sources listed") }
        let base = PathText.directory(of: path)
        let inputs = file.sources.map { s in
            HomogenizationInput(path: s.path.hasPrefix("/") ? s.path : (base as NSString).appendingPathComponent(s.path),
                                reader: s.reader, options: ReaderOptions(s.options ?? [:]), lab: s.lab)
        }
        let name = file.name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Manifest(name: name, description: file.description ?? "", inputs: inputs)
    }
}
