import Foundation
import NeuroCore
import NeuroReport

/// An analysis's parameters for provenance: ordered `key=value` pairs, rendered by one formatter as
/// `key=value key=value …` (the `parameters` attribute of every output file and report page).
public struct ParameterList: Sendable, Equatable, CustomStringConvertible, ExpressibleByDictionaryLiteral {
    /// One parameter: its key and its value as text.
    public struct Entry: Sendable, Equatable {
        /// The parameter's name, e.g. `seed`.
        public var key: String
        /// The parameter's value as written, e.g. `0`.
        public var value: String
    }

    /// The parameters in the order they are written.
    public private(set) var entries: [Entry] = []

    /// An empty list.
    public init() {}

    /// A list of `(key, value)` pairs in literal order; each value is written by `String(describing:)`
    /// (as string interpolation writes it).
    public init(dictionaryLiteral elements: (String, any CustomStringConvertible)...) {
        for (key, value) in elements { append(key, value) }
    }

    /// Adds `key=value` at the end (the value written as string interpolation writes it).
    public mutating func append(_ key: String, _ value: any CustomStringConvertible) {
        entries.append(Entry(key: key, value: String(describing: value)))
    }

    /// Adds every entry of `other` at the end, in its order.
    public mutating func append(contentsOf other: ParameterList) { entries += other.entries }

    /// The value of `key`, if present.
    public subscript(key: String) -> String? { entries.first { $0.key == key }?.value }

    /// `key=value key=value …`: the one rendering of parameters for files and reports.
    public var description: String { entries.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }

    /// A comma-separated list of values (`1,2,3`), as list-valued parameters are written.
    public static func list(_ values: [any CustomStringConvertible]) -> String {
        values.map { String(describing: $0) }.joined(separator: ",")
    }
}

/// What a run knows beyond its configuration: the provenance (tool version and command line), the
/// input files it read, and whether timings are written (outputs then differ between runs).
public struct RunContext: Sendable {
    /// Tool version and exact command line.
    public var provenance: Provenance
    /// The files the run read, in the order they are recorded.
    public var inputs: [String]
    /// Write wall-clock timings into the output (then it is not byte-identical between runs).
    public var recordTiming: Bool

    /// A context for the current tool version.
    public init(commandLine: String, inputs: [String], recordTiming: Bool = false,
                toolVersion: String = NeurotoolVersion.current) {
        provenance = Provenance(toolVersion: toolVersion, commandLine: commandLine)
        self.inputs = inputs
        self.recordTiming = recordTiming
    }
}

/// What every analysis does at the end: its parameters for provenance, its file, its report page, one
/// summary line.
public protocol AnalysisResult {
    /// The parameters recorded in the output file and the report (derived from the run's configuration).
    var parameters: ParameterList { get }
    /// Writes the result file (NetCDF-4) at `path`.
    func write(to path: String, context: RunContext) throws
    /// The report page of the run.
    func report(context: RunContext) throws -> Report
    /// What was computed, in a few words, after `wrote OUTPUT: ` (may hold further lines).
    var summary: String { get }
    /// Whether the summary is followed by the report page's path when a report is written.
    var announcesReport: Bool { get }
}

extension AnalysisResult {
    /// By default the report's path is announced.
    public var announcesReport: Bool { true }
}

/// The shared end of every pipeline.
public enum Pipeline {
    /// Writes `result` to `output`, its report page `name` into the `report` directory when one is given,
    /// and returns the summary (`wrote OUTPUT: …`, then `report: DIR/NAME.html` when announced).
    @discardableResult
    public static func finish(_ result: some AnalysisResult, output: String, report: String?, name: String,
                              context: RunContext) throws -> String {
        try result.write(to: output, context: context)
        var lines = ["wrote \(output): \(result.summary)"]
        if let report {
            try result.report(context: context).write(directory: report, name: name)
            if result.announcesReport { lines.append("report: \((report as NSString).appendingPathComponent(name + ".html"))") }
        }
        return lines.joined(separator: "\n")
    }
}
