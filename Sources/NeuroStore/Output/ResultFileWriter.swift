import Foundation
import NeuroCore
import NeuroNative

/// Writes an analysis result (factors, tables, histories) as a NetCDF-4 file of labelled variables.
///
/// Like every neurotool output it appears only when complete (see ``AtomicOutput``). Variables are
/// written whole; names with a group (`ensemble/objective`) go into that group, created on first use.
///
/// ```swift
/// let out = try ResultFileWriter(path: "ntf.nc", inputs: ["x.npy"], attributes: [("title", .text("ntf"))])
/// try out.defineDimension("component", length: 3)
/// try out.write("weights", dimensions: ["component"], values: [3, 2, 1])
/// try out.commit()
/// ```
public final class ResultFileWriter {
    /// Where the finished file goes; it appears there only on ``commit()``.
    public var path: String { output.path }
    private let output: AtomicOutput
    private let file: NetCDFFile
    private var groups: [String: NetCDFGroup] = [:]

    /// Starts the file with global attributes; `path` must not be one of `inputs`.
    public init(path: String, inputs: [String], attributes: [(key: String, value: AttributeValue)]) throws {
        output = try AtomicOutput(path: path, inputs: inputs)
        let temporary = output.temporaryPath
        file = try output.guarding { try NetCDFFile.create(temporary) }
        try setAttributes(attributes)
    }

    deinit { if output.isOpen { try? file.close(); output.abandon() } }

    private func group(_ path: String) throws -> NetCDFGroup {
        if path.isEmpty || path == "/" { return file.root }
        if let g = groups[path] { return g }
        let parts = path.split(separator: "/").map(String.init)
        var current = file.root
        var sofar = ""
        for part in parts {
            sofar += "/" + part
            if let g = groups[sofar] { current = g; continue }
            let g = try file.group(named: part, in: current) ?? file.defineGroup(part, in: current)
            groups[sofar] = g
            current = g
        }
        groups[path] = current
        return current
    }

    /// Splits `group/name` into its group and its last component.
    private func locate(_ name: String) throws -> (NetCDFGroup, String) {
        guard let slash = name.lastIndex(of: "/") else { return (file.root, name) }
        return (try group(String(name[..<slash])), String(name[name.index(after: slash)...]))
    }

    /// Defines a dimension (`group/name` puts it in a group).
    public func defineDimension(_ name: String, length: Int) throws {
        try output.guarding {
            let (g, base) = try locate(name)
            try file.defineDimension(base, length: length, in: g)
        }
    }

    /// Writes a float64 variable over existing dimensions (none for a scalar).
    public func write(_ name: String, dimensions: [String], values: [Double],
                      attributes: [(key: String, value: AttributeValue)] = []) throws {
        try define(name, type: .double, dimensions: dimensions, attributes: attributes) { try self.file.write(values, to: $0) }
    }

    /// Writes a 32-bit integer variable.
    public func write(_ name: String, dimensions: [String], integers: [Int],
                      attributes: [(key: String, value: AttributeValue)] = []) throws {
        try define(name, type: .int32, dimensions: dimensions, attributes: attributes) {
            try self.file.write(integers.map(Double.init), to: $0)
        }
    }

    /// Writes a variable-length string variable (labels, names).
    public func write(_ name: String, dimensions: [String], strings: [String],
                      attributes: [(key: String, value: AttributeValue)] = []) throws {
        try define(name, type: .string, dimensions: dimensions, attributes: attributes) { try self.file.write(strings, to: $0) }
    }

    private func define(_ name: String, type: NetCDFType, dimensions: [String],
                        attributes: [(key: String, value: AttributeValue)], body: (NetCDFVariable) throws -> Void) throws {
        try output.guarding {
            let (g, base) = try locate(name)
            let compress = type != .string && !dimensions.isEmpty
            let v = try file.defineVariable(base, type: type, dimensions: dimensions, in: g, deflate: compress ? 1 : nil)
            for (key, value) in attributes { try file.put(key, value, on: v, in: g) }
            try body(v)
        }
    }

    /// Adds attributes to the file (`group` nil or "/") or to a group.
    public func setAttributes(_ attributes: [(key: String, value: AttributeValue)], group name: String = "/") throws {
        try output.guarding {
            let g = try group(name)
            for (key, value) in attributes { try file.put(key, value, on: nil, in: g) }
        }
    }

    /// Closes the file and moves it into place.
    public func commit() throws {
        try output.guarding { try file.close() }
        try output.commit()
    }

    /// Drops everything written; nothing is left at `path`.
    public func abandon() {
        try? file.close()
        output.abandon()
    }
}
