import Foundation
import NeuroCore
import NeuroHMM
import NeuroStore

/// Neural activity for a GLM-HMM, with neuron names.
public struct GLMHMMData: Sendable {
    /// The sequences, each bins × neurons, all with the same neurons.
    public var sequences: [GLMHMMSequence]
    /// One name per neuron, in column order (`unit0`, `unit1`, … for arrays).
    public var names: [String]
    /// A name per sequence (recording, or `sequence1`, …).
    public var sequenceNames: [String]
    /// Bin width in seconds when known.
    public var binWidth: Double?

    /// Data of sequences (each bins × neurons) with their neurons' and sequences' names.
    public init(sequences: [GLMHMMSequence], names: [String], sequenceNames: [String], binWidth: Double? = nil) {
        self.sequences = sequences
        self.names = names
        self.sequenceNames = sequenceNames
        self.binWidth = binWidth
    }
}

/// Loads GLM-HMM input data and splits off held-out bins.
public enum GLMHMMInput {
    /// Loads `location`: a homogenized file (every recording a sequence, neurons recorded in all of them;
    /// values above `binarize` become 1 and the rest 0 when given), a spike-time table (CSV/TSV with
    /// columns time and unit, binned at `binWidth` seconds), or a counts array (time × neurons, or
    /// sequences × time × neurons) in NPY/HDF5/NetCDF. `lengths` splits a 2-D array into sequences.
    public static func load(_ location: String, binWidth: Double? = nil, binarize: Double? = nil, lengths: [Int]? = nil,
                            recordings: [String]? = nil) throws -> GLMHMMData {
        let path = ArrayFile.split(location).path
        if FileManager.default.fileExists(atPath: location), let file = try? CommonFormatFile(path: location) {
            return try homogenized(file, binarize: binarize, recordings: recordings)
        }
        let ext = (path as NSString).pathExtension.lowercased()
        if ["csv", "tsv", "txt"].contains(ext) {
            guard let binWidth, binWidth > 0 else {
                throw GLMHMMRunError.binWidthNeeded(path)
            }
            return try spikeTable(path, binWidth: binWidth)
        }
        let array = try ArrayFile.read(location)
        var data: GLMHMMData
        switch array.shape.count {
        case 2:
            let (t, n) = (array.shape[0], array.shape[1])
            let parts = lengths ?? [t]
            guard parts.reduce(0, +) == t, parts.allSatisfy({ $0 > 0 }) else {
                throw NeuroIOError.badValue(path, field: "lengths", detail: "sequence lengths \(parts) do not add up to the \(t) bins")
            }
            var start = 0
            let sequences = parts.map { length -> GLMHMMSequence in
                defer { start += length }
                return GLMHMMSequence(activity: Matrix(rows: length, columns: n, values: Array(array.values[(start * n)..<((start + length) * n)])))
            }
            data = GLMHMMData(sequences: sequences, names: (0..<n).map { "unit\($0)" }, sequenceNames: sequences.indices.map { "sequence\($0 + 1)" }, binWidth: binWidth)
        case 3:
            let (q, t, n) = (array.shape[0], array.shape[1], array.shape[2])
            let sequences = (0..<q).map { GLMHMMSequence(activity: Matrix(rows: t, columns: n, values: Array(array.values[($0 * t * n)..<(($0 + 1) * t * n)]))) }
            data = GLMHMMData(sequences: sequences, names: (0..<n).map { "unit\($0)" }, sequenceNames: (0..<q).map { "sequence\($0 + 1)" }, binWidth: binWidth)
        default:
            throw NeuroIOError.badValue(path, field: "array", detail: "has shape \(array.shape); expected time × neurons or sequences × time × neurons")
        }
        if let binarize { data.sequences = data.sequences.map { GLMHMMSequence(activity: $0.activity.mapValues { $0 > binarize ? 1 : 0 }) } }
        return data
    }

    static func homogenized(_ file: CommonFormatFile, binarize: Double?, recordings chosen: [String]?) throws -> GLMHMMData {
        for name in chosen ?? [] where !file.recordingNames.contains(name) {
            throw NeuroIOError.missingKey(file.path, key: "recording '\(name)'", available: file.recordingNames)
        }
        let recordings = try (chosen ?? file.recordingNames).map { try file.recording($0) }
        guard let first = recordings.first else { throw NeuroIOError.badValue(file.path, field: "recordings", detail: "none") }
        var names = first.channels.indices.filter { first.recorded[$0] && first.labeled[$0] }.map { first.channels[$0].name }
        for r in recordings.dropFirst() {
            let present = Set(r.channels.indices.filter { r.recorded[$0] && r.labeled[$0] }.map { r.channels[$0].name })
            names = names.filter { present.contains($0) }
        }
        guard names.count >= 1 else {
            throw GLMHMMRunError.noSharedNeurons(file.path)
        }
        let sequences = recordings.map { r -> GLMHMMSequence in
            let columns = names.map { name in r.channels.firstIndex { $0.name == name }! }
            var activity = r.data.selectingColumns(columns)
            if let binarize { activity = activity.mapValues { $0 > binarize ? 1 : 0 } }
            return GLMHMMSequence(activity: activity)
        }
        return GLMHMMData(sequences: sequences, names: names, sequenceNames: recordings.map(\.name), binWidth: 1 / first.samplingRate)
    }

    static func spikeTable(_ path: String, binWidth: Double) throws -> GLMHMMData {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let separator: Character = text.contains("\t") ? "\t" : ","
        var spikes: [(Double, String)] = []
        for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2 else { continue }
            guard let time = Double(fields[0]) else {
                if i == 0 { continue }     // header
                throw NeuroIOError.badValue(path, field: "line \(i + 1)", detail: "'\(fields[0])' is not a spike time")
            }
            guard time.isFinite, time >= 0 else { throw NeuroIOError.badValue(path, field: "line \(i + 1)", detail: "spike time \(time) must be a non-negative number") }
            spikes.append((time, fields[1]))
        }
        guard !spikes.isEmpty else { throw NeuroIOError.badValue(path, field: "spikes", detail: "the table holds no spikes") }
        let units = Array(Set(spikes.map(\.1))).sorted()
        let index = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1, $0) })
        let bins = Int((spikes.map(\.0).max()! / binWidth).rounded(.down)) + 1
        var counts = Matrix(rows: bins, columns: units.count)
        for (time, unit) in spikes { counts[Int(time / binWidth), index[unit]!] += 1 }
        return GLMHMMData(sequences: [GLMHMMSequence(activity: counts)], names: units, sequenceNames: ["sequence1"], binWidth: binWidth)
    }

    /// Attaches external covariates (stimulus, behaviour) from an array: bins × covariates over all
    /// sequences in order, or sequences × bins × covariates.
    public static func attachCovariates(_ location: String, to data: inout GLMHMMData) throws {
        let path = ArrayFile.split(location).path
        let array = try ArrayFile.read(location)
        let lengths = data.sequences.map(\.length), total = lengths.reduce(0, +)
        let c = array.shape.last ?? 0
        let fits = (array.shape.count == 2 && array.shape[0] == total)
            || (array.shape.count == 3 && array.shape[0] == lengths.count && lengths.allSatisfy { $0 == array.shape[1] })
        guard fits else {
            throw NeuroIOError.badValue(path, field: "covariates", detail: "has shape \(array.shape); expected \(total) bins × covariates (sequences of \(lengths) bins)")
        }
        guard array.values.allSatisfy(\.isFinite) else { throw NeuroIOError.badValue(path, field: "covariates", detail: "hold NaN or infinite values") }
        var start = 0
        for i in data.sequences.indices {
            let n = lengths[i]
            data.sequences[i].covariates = Matrix(rows: n, columns: c, values: Array(array.values[(start * c)..<((start + n) * c)]))
            start += n
        }
    }

    /// Splits off the last `fraction` of every sequence as held-out sequences (time blocks).
    public static func holdOut(_ data: GLMHMMData, fraction: Double, minimum: Int) -> (train: [GLMHMMSequence], test: [GLMHMMSequence]) {
        var train: [GLMHMMSequence] = [], test: [GLMHMMSequence] = []
        for s in data.sequences {
            let cut = s.length - Int((Double(s.length) * fraction).rounded())
            guard cut > minimum, s.length - cut > minimum else { train.append(s); continue }
            train.append(GLMHMMSequence(activity: s.activity.selectingRows(0..<cut), covariates: s.covariates?.selectingRows(0..<cut)))
            test.append(GLMHMMSequence(activity: s.activity.selectingRows(cut..<s.length), covariates: s.covariates?.selectingRows(cut..<s.length)))
        }
        return (train, test)
    }
}

extension Matrix {
    func mapValues(_ f: (Double) -> Double) -> Matrix { Matrix(rows: rows, columns: columns, values: values.map(f)) }
}
