import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// Reads calcium recordings from MAT-files — v7.3 (HDF5) and v5 (through libmatio) alike — in the
/// layouts of the published C. elegans datasets.
///
/// Layouts (option `layout`, recognised from the variables when absent):
/// - `cells` — Kato 2015, Nichols 2017, Skora 2018, Kaplan 2020, Uzel 2022, and a plain matrix: a
///   struct (or the file's top level) with per-worm cell arrays (or single values) of neuron IDs,
///   trace matrices and time vectors. Options `struct`, `ids`, `traces`, `time` name them (defaults:
///   the first present of `IDs`/`NeuronNames`/`ID`…, `traces`/`deltaFOverF_bc`/`deltaFOverF`…,
///   `timeVectorSeconds`/`tv`/`time`…); `rate` in Hz when there is no time vector. Traces are
///   `time × neurons`; a matrix stored `neurons × time` is transposed when the time vector makes that
///   unambiguous. An ID entry holding several names is kept as ambiguous candidates.
/// - `neuropal` — Yemini 2021 (``MATLABNeuroPALLayout``): `fps`, `files`, `neurons`, `norm_traces`.
/// - `lin` — Lin 2023 (``MATLABLinLayout``): `proofread_neurons`, `corrected_F`, `times`, `use_flag`.
public enum MATLABReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `matlab`.
    public static let name = "matlab"
    /// One line on what the reader reads.
    public static let summary = "MATLAB MAT-file, v7.3 or v5: per-worm cells (Kato 2015 style), NeuroPAL (Yemini 2021) or Lin 2023 layouts"
    /// The options it accepts: `layout` (`cells`, `neuropal` or `lin`) and, for the `cells` layout,
    /// `struct`, `ids`, `traces`, `time` and `rate`.
    public static let optionKeys = ["layout", "struct", "ids", "traces", "time", "rate"]
    /// Calcium imaging: recordings are read and processed whole.
    public static let modality = Modality.calcium
    static let layouts = ["cells", "neuropal", "lin"]

    static let idKeys = ["IDs", "NeuronNames", "ID", "neuron_names", "neuronIDs"]
    static let traceKeys = ["traces", "deltaFOverF_bc", "deltaFOverF", "traces_bc", "trace", "data"]
    static let timeKeys = ["timeVectorSeconds", "tv", "time", "timeVector", "t"]

    /// True for a `.mat` file whose header is that of MAT v5 or v7.3 (HDF5 at byte 512).
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        FileHeader.pathExtension(path) == "mat" && MATFile.version(header: header) != nil
    }

    /// Opens the file in the `layout` option's layout, else the one its variables point to, one recording per worm.
    /// Throws ``NeuroIOError`` for an unknown layout or missing variables.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        let (root, version) = try MATFile.open(path)
        let layout = options["layout"] ?? detectLayout(root.fieldNames)
        switch layout {
        case "neuropal": return try MATLABNeuroPALLayout.open(path, root: root, version: version)
        case "lin": return try MATLABLinLayout.open(path, root: root, version: version)
        case "cells": return try openCells(path, root: root, version: version, options: options)
        default:
            throw NeuroIOError.badValue(path, field: "option layout", detail: "'\(layout)' is not one of \(layouts.joined(separator: ", "))")
        }
    }

    /// The layout the top-level variables point to.
    static func detectLayout(_ names: [String]) -> String {
        if names.contains("norm_traces") && names.contains("neurons") { return "neuropal" }
        if names.contains("corrected_F") && names.contains("proofread_neurons") { return "lin" }
        return "cells"
    }

    static func openCells(_ path: String, root: MATStruct, version: MATFile.Version, options: ReaderOptions) throws -> any RecordingSource {
        let topNames = root.fieldNames
        let container: MATStruct
        if let structName = options["struct"] {
            guard case .structure(let s)? = try root.field(structName) else {
                throw NeuroIOError.missingKey(path, key: "struct variable '\(structName)'", available: topNames)
            }
            container = s
        } else if topNames.contains(where: { traceKeys.contains($0) }) {
            container = root
        } else {
            var structs: [MATStruct] = []
            for n in topNames { if case .structure(let s)? = try root.field(n) { structs.append(s) } }
            guard structs.count == 1 else {
                throw NeuroIOError.missingKey(path, key: structs.isEmpty ? "struct or trace variable" : "single struct (several found; give struct=NAME)",
                                              available: topNames)
            }
            container = structs[0]
        }
        let fields = container.fieldNames
        let where_ = container.name.isEmpty ? "the file" : "'\(container.name)'"
        func pick(_ option: String, _ defaults: [String], required: Bool) throws -> String? {
            if let chosen = options[option] {
                guard fields.contains(chosen) else {
                    throw NeuroIOError.missingKey(path, key: "field '\(chosen)' in \(where_)", available: fields)
                }
                return chosen
            }
            if let found = defaults.first(where: fields.contains) { return found }
            if required {
                throw NeuroIOError.missingKey(path, key: "field for \(option) (tried \(defaults.joined(separator: ", "))) in \(where_)",
                                              available: fields)
            }
            return nil
        }
        let traceKey = try pick("traces", traceKeys, required: true)!
        let idKey = try pick("ids", idKeys, required: true)!
        let timeKey = try pick("time", timeKeys, required: options["rate"] == nil)
        let rate = try options.number("rate", file: path)
        if let r = rate, r <= 0 { throw NeuroIOError.badValue(path, field: "option rate", detail: "must be positive") }

        func field(_ key: String) throws -> MATValue { try container.field(key) ?? .empty }
        return MATLABSource(path: path, traces: try field(traceKey), ids: try field(idKey), time: try timeKey.map(field), rate: rate,
                            keys: (traceKey, idKey, timeKey ?? "rate"), version: version)
    }

    /// A MATLAB column-major `rows × columns` buffer as a row-major matrix.
    static func matrix(columnMajor values: [Double], rows: Int, columns: Int) -> Matrix {
        var data = Matrix(rows: rows, columns: columns)
        for c in 0..<columns { for r in 0..<rows { data.values[r * columns + c] = values[c * rows + r] } }
        return data
    }
}

/// The worms of one MAT-file in the `cells` layout: element `i` of each per-worm cell, or the single values.
final class MATLABSource: RecordingSource {
    let path: String
    let traces: MATValue
    let ids: MATValue
    let time: MATValue?
    let rate: Double?
    let keys: (traces: String, ids: String, time: String)
    let version: MATFile.Version
    var readerName: String { MATLABReader.name }

    /// Per-worm cells when the traces field is a cell of matrices, else one worm (decided once, at open).
    let isPerWorm: Bool

    init(path: String, traces: MATValue, ids: MATValue, time: MATValue?, rate: Double?,
         keys: (traces: String, ids: String, time: String), version: MATFile.Version) {
        self.path = path
        self.traces = traces
        self.ids = ids
        self.time = time
        self.rate = rate
        self.keys = keys
        self.version = version
        if case .cell(let c) = traces, c.count > 0, case .numeric = (try? c.element(0)) ?? .empty {
            isPerWorm = true
        } else {
            isPerWorm = false
        }
    }

    var recordingNames: [String] {
        guard case .cell(let c) = traces, isPerWorm else { return ["worm1"] }
        return (1...c.count).map { "worm\($0)" }
    }

    func load(_ index: Int) throws -> RawRecording {
        let name = recordingNames[index]
        func element(_ value: MATValue, _ key: String) throws -> MATValue {
            guard isPerWorm else { return value }
            guard case .cell(let c) = value else {
                throw NeuroIOError.badValue(path, field: key, detail: "expected a cell with one entry per worm, found a \(value.className)")
            }
            guard index < c.count else {
                throw NeuroIOError.badValue(path, field: key, detail: "has \(c.count) entries but '\(keys.traces)' has \(recordingNames.count) worms")
            }
            return try c.element(index)
        }
        let suffix = isPerWorm ? "{\(index + 1)}" : ""
        let traceValue = try element(traces, keys.traces)
        guard case .numeric(let dims, let values) = traceValue, dims.count == 2 else {
            throw NeuroIOError.badValue(path, field: "\(keys.traces)\(suffix)", detail: "expected a 2-D numeric matrix, found a \(traceValue.className)")
        }
        // Labels: a cell with one entry per neuron; each entry a char array, a cell of candidates, or empty.
        let idValue = try element(ids, keys.ids)
        var candidates: [[String]] = []
        switch idValue {
        case .cell(let c): for i in 0..<c.count { candidates.append(try c.element(i).texts) }
        case .text(let s): candidates = [[s]]
        case .empty: candidates = []
        default:
            throw NeuroIOError.badValue(path, field: "\(keys.ids)\(suffix)", detail: "expected a cell of neuron IDs, found a \(idValue.className)")
        }
        // Time vector (seconds) or a rate.
        var timestamps: [Double]? = nil
        if let time {
            let value = try element(time, keys.time)
            guard case .numeric(_, let t) = value else {
                throw NeuroIOError.badValue(path, field: "\(keys.time)\(suffix)", detail: "expected a numeric time vector, found a \(value.className)")
            }
            timestamps = t
        }
        var (rows, columns) = (dims[0], dims[1])
        let timeCount = timestamps?.count ?? rows
        var colMajor = values
        if rows != timeCount && columns == timeCount {
            // Stored neurons × time: transpose by swapping the roles of the dimensions.
            var transposed = [Double](repeating: 0, count: values.count)
            for r in 0..<rows { for c in 0..<columns { transposed[r * columns + c] = values[c * rows + r] } }
            colMajor = transposed
            swap(&rows, &columns)
        }
        let data = MATLABReader.matrix(columnMajor: colMajor, rows: rows, columns: columns)
        let times = timestamps ?? (0..<rows).map { Double($0) / rate! }
        let labels = candidates.map { $0.count == 1 ? $0[0] : $0.joined(separator: "/") }
        let recording = RawRecording(name: name, labels: labels, labelCandidates: candidates, timestamps: times, data: data,
                                     attributes: ["matlab_fields": "\(keys.ids), \(keys.traces), \(keys.time)",
                                                  "matlab_version": version.rawValue, "matlab_layout": "cells"])
        try recording.validate(source: path)
        return recording
    }
}
