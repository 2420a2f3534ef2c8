import NeuroCore
import Foundation

/// A MATLAB value decoded from a v7.3 (HDF5) MAT-file.
///
/// MATLAB stores arrays column-major with their dimensions reversed in HDF5, so the HDF5 C-order
/// buffer *is* MATLAB's column-major buffer; ``dims`` are MATLAB's (rows first).
indirect enum MATValue {
    /// Numeric or logical array, column-major.
    case numeric(dims: [Int], values: [Double])
    /// A char array (a row of text).
    case text(String)
    /// A cell array, elements column-major, decoded lazily.
    case cell(MATCell)
    /// A scalar struct (field name → value).
    case structure([String: MATValue], order: [String])
    /// `[]`, `{}` or `''`.
    case empty

    var className: String {
        switch self {
        case .numeric: return "numeric array"
        case .text: return "char array"
        case .cell: return "cell array"
        case .structure: return "struct"
        case .empty: return "empty array"
        }
    }

    /// All texts inside (a char array, or a cell of char arrays, recursively).
    var texts: [String] {
        switch self {
        case .text(let s): return [s]
        case .cell(let c): return (0..<c.count).flatMap { (try? c.element($0).texts) ?? [] }
        default: return []
        }
    }
}

/// A MATLAB cell array: references to its elements, decoded on demand.
struct MATCell {
    let dims: [Int]
    let references: [HDF5Object]
    let decoder: MATLABDecoder
    var count: Int { references.count }

    func element(_ i: Int) throws -> MATValue { try decoder.decode(references[i]) }
}

/// Turns HDF5 objects of a MAT-file into ``MATValue``s.
struct MATLABDecoder {
    let file: HDF5File

    func decode(_ object: HDF5Object) throws -> MATValue {
        switch object {
        case .group(let g):
            let names = try g.childNames().filter { !$0.hasPrefix("#") }
            var fields: [String: MATValue] = [:]
            for name in names { fields[name] = try decode(try g.child(name)) }
            return .structure(fields, order: names)
        case .dataset(let d):
            let cls = d.stringAttribute("MATLAB_class") ?? ""
            if (d.numericAttribute("MATLAB_empty")?.first ?? 0) != 0 { return .empty }
            let dims = Array(d.shape.reversed())
            if d.elementClass == .reference || cls == "cell" {
                return .cell(MATCell(dims: dims, references: try d.readReferences(), decoder: self))
            }
            if cls == "char" {
                let codes = try d.readDoubles().map { UInt16(clamping: Int($0)) }
                return .text(String(decoding: codes, as: UTF16.self))
            }
            if d.elementClass == .string { return .text(try d.readStrings().joined()) }
            return .numeric(dims: dims, values: try d.readDoubles())
        }
    }
}

/// Reads calcium recordings from MATLAB v7.3 MAT-files (HDF5 with a 512-byte MATLAB header), in the
/// layouts of the published C. elegans datasets (Kato 2015, Nichols 2017, Skora 2018, Kaplan 2020,
/// Uzel 2022): a struct (or the file root) with per-worm cell arrays of neuron IDs, trace matrices and
/// time vectors.
///
/// Options:
/// - `struct`: the struct holding the fields (default: the root if it has them, else the only struct);
/// - `ids`, `traces`, `time`: field names (defaults: the first present of `IDs`/`NeuronNames`/`ID`,
///   `traces`/`deltaFOverF_bc`/`deltaFOverF`, `timeVectorSeconds`/`tv`/`time`);
/// - `rate`: sampling rate in Hz when the file has no time vector.
///
/// Traces are `time × neurons`; a matrix stored `neurons × time` is transposed when the time vector
/// makes that unambiguous. An ID entry holding several names is kept as ambiguous candidates.
public enum MATLABReader: RecordingReader {
    public static let name = "matlab"
    public static let summary = "MATLAB v7.3 MAT-file with per-worm cells of IDs, traces and time vectors (Kato 2015 style)"
    public static let optionKeys = ["struct", "ids", "traces", "time", "rate"]

    static let idKeys = ["IDs", "NeuronNames", "ID", "neuron_names", "neuronIDs"]
    static let traceKeys = ["traces", "deltaFOverF_bc", "deltaFOverF", "traces_bc", "trace", "data"]
    static let timeKeys = ["timeVectorSeconds", "tv", "time", "timeVector", "t"]

    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        FileHeader.pathExtension(path) == "mat" && FileHeader.isHDF5(header, at: 512)
    }

    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        let file = try HDF5File(path: path)
        let decoder = MATLABDecoder(file: file)
        let root = try file.group(at: "/")
        let topNames = try root.childNames().filter { !$0.hasPrefix("#") }
        let container: HDF5Group
        if let structName = options["struct"] {
            guard topNames.contains(structName) else {
                throw NeuroIOError.missingKey(path, key: "variable '\(structName)'", available: topNames)
            }
            container = try file.group(at: "/" + structName)
        } else if topNames.contains(where: { traceKeys.contains($0) }) {
            container = root
        } else {
            var structs: [HDF5Group] = []
            for n in topNames { if case .group(let g) = try root.child(n) { structs.append(g) } }
            guard structs.count == 1 else {
                throw NeuroIOError.missingKey(path, key: structs.isEmpty ? "struct or trace variable" : "single struct (several found; give struct=NAME)",
                                              available: topNames)
            }
            container = structs[0]
        }
        let fields = try container.childNames().filter { !$0.hasPrefix("#") }
        func pick(_ option: String, _ defaults: [String], required: Bool) throws -> String? {
            if let chosen = options[option] {
                guard fields.contains(chosen) else {
                    throw NeuroIOError.missingKey(path, key: "field '\(chosen)' in '\(container.name)'", available: fields)
                }
                return chosen
            }
            if let found = defaults.first(where: fields.contains) { return found }
            if required {
                throw NeuroIOError.missingKey(path, key: "field for \(option) (tried \(defaults.joined(separator: ", "))) in '\(container.name)'",
                                              available: fields)
            }
            return nil
        }
        let traceKey = try pick("traces", traceKeys, required: true)!
        let idKey = try pick("ids", idKeys, required: true)!
        let timeKey = try pick("time", timeKeys, required: options["rate"] == nil)
        let rate = try options.number("rate", file: path)
        if let r = rate, r <= 0 { throw NeuroIOError.badValue(path, field: "option rate", detail: "must be positive") }

        func field(_ key: String) throws -> MATValue { try decoder.decode(try container.child(key)) }
        let traces = try field(traceKey), ids = try field(idKey)
        let time = try timeKey.map(field)
        return MATLABSource(path: path, traces: traces, ids: ids, time: time, rate: rate,
                            keys: (traceKey, idKey, timeKey ?? "rate"))
    }
}

/// The worms of one MAT-file: element `i` of each per-worm cell, or the single values.
struct MATLABSource: RecordingSource {
    let path: String
    let traces: MATValue
    let ids: MATValue
    let time: MATValue?
    let rate: Double?
    let keys: (traces: String, ids: String, time: String)
    var readerName: String { MATLABReader.name }

    /// Per-worm cells when the traces field is a cell of matrices, else one worm (decided once, at open).
    let isPerWorm: Bool

    init(path: String, traces: MATValue, ids: MATValue, time: MATValue?, rate: Double?, keys: (traces: String, ids: String, time: String)) {
        self.path = path
        self.traces = traces
        self.ids = ids
        self.time = time
        self.rate = rate
        self.keys = keys
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
        guard case .numeric(let dims, let values) = try element(traces, keys.traces), dims.count == 2 else {
            throw NeuroIOError.badValue(path, field: "\(keys.traces){\(index + 1)}", detail: "expected a 2-D numeric matrix")
        }
        // Labels: a cell with one entry per neuron; each entry a char array, a cell of candidates, or empty.
        let idValue = try element(ids, keys.ids)
        var candidates: [[String]] = []
        switch idValue {
        case .cell(let c): for i in 0..<c.count { candidates.append(try c.element(i).texts) }
        case .text(let s): candidates = [[s]]
        case .empty: candidates = []
        default:
            throw NeuroIOError.badValue(path, field: "\(keys.ids){\(index + 1)}", detail: "expected a cell of neuron IDs, found a \(idValue.className)")
        }
        // Time vector (seconds) or a rate.
        var timestamps: [Double]? = nil
        if let time {
            guard case .numeric(_, let t) = try element(time, keys.time) else {
                throw NeuroIOError.badValue(path, field: "\(keys.time){\(index + 1)}", detail: "expected a numeric time vector")
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
        // Column-major (MATLAB) to row-major (time, channel).
        var data = Matrix(rows: rows, columns: columns)
        for c in 0..<columns { for r in 0..<rows { data.values[r * columns + c] = colMajor[c * rows + r] } }
        let times = timestamps ?? (0..<rows).map { Double($0) / rate! }
        let labels = candidates.map { $0.count == 1 ? $0[0] : $0.joined(separator: "/") }
        let recording = RawRecording(name: name, labels: labels, labelCandidates: candidates, timestamps: times, data: data,
                                     attributes: ["matlab_fields": "\(keys.ids), \(keys.traces), \(keys.time)"])
        try recording.validate(source: path)
        return recording
    }
}
