import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// The NeuroPAL whole-brain activity files of Yemini et al. 2021 (`Head_Activity_*.mat`, MAT v5):
/// several worms per file, one entry per neuron *class*.
///
/// - `fps`: frames per second (every trace is sampled at it);
/// - `files`: 1×W cell, one name per worm;
/// - `neurons`: 1×N cell of class names (`AVA`, `RMED`);
/// - `norm_traces`: 1×N cell; entry i is a cell of W traces for a one-sided class, or 2W for a left/right
///   pair — W left traces then W right ones, in worm order. An empty entry: not recorded in that worm.
///
/// Worm `f` gets, class by class, `<class>` or `<class>L` then `<class>R`; traces shorter than the
/// worm's longest are padded with NaN. Time is `frame / fps`.
enum MATLABNeuroPALLayout {
    static func open(_ path: String, root: MATStruct, version: MATFile.Version) throws -> any RecordingSource {
        func require(_ key: String) throws -> MATValue { try root.require(key, in: path, what: "NeuroPAL variable") }
        guard let fps = try require("fps").scalar, fps > 0, fps.isFinite else {
            throw NeuroIOError.badValue(path, field: "fps", detail: "expected one positive number of frames per second")
        }
        let files = try require("files").cellElements().map { $0.texts.first ?? "" }
        let classes = try require("neurons").cellElements().map { $0.texts.first ?? "" }
        guard case .cell(let traces) = try require("norm_traces") else {
            throw NeuroIOError.badValue(path, field: "norm_traces", detail: "expected a cell with one entry per neuron class")
        }
        guard traces.count == classes.count else {
            throw NeuroIOError.badValue(path, field: "norm_traces", detail: "has \(traces.count) entries for \(classes.count) neurons")
        }
        let worms = files.count
        guard worms > 0 else { throw NeuroIOError.badValue(path, field: "files", detail: "names no worm") }
        let names = files.enumerated().map { $1.isEmpty ? "worm\($0 + 1)" : $1 }
        return LazySource(path: path, readerName: MATLABReader.name, recordingNames: names) { f in
            var labels: [String] = [], columns: [[Double]] = []
            for (i, neuronClass) in classes.enumerated() {
                let entries = try traces.element(i).cellElements()
                let sides: [(suffix: String, index: Int)]
                switch entries.count {
                case worms: sides = [("", f)]
                case 2 * worms: sides = [("L", f), ("R", worms + f)]
                default:
                    throw NeuroIOError.badValue(path, field: "norm_traces{\(i + 1)} (\(neuronClass))",
                                                detail: "has \(entries.count) traces; expected \(worms) or \(2 * worms) for \(worms) worms")
                }
                for side in sides {
                    guard let trace = entries[side.index].numbers else {
                        throw NeuroIOError.badValue(path, field: "norm_traces{\(i + 1)}{\(side.index + 1)}",
                                                    detail: "expected a numeric trace, found a \(entries[side.index].className)")
                    }
                    if trace.isEmpty { continue }
                    labels.append(neuronClass + side.suffix)
                    columns.append(trace)
                }
            }
            let frames = columns.map(\.count).max() ?? 0
            var data = Matrix(rows: frames, columns: columns.count)
            for (c, column) in columns.enumerated() {
                for t in 0..<frames { data.values[t * columns.count + c] = t < column.count ? column[t] : .nan }
            }
            let recording = RawRecording(name: names[f], labels: labels, timestamps: (0..<frames).map { Double($0) / fps }, data: data,
                                         attributes: ["matlab_version": version.rawValue, "matlab_layout": "neuropal"])
            try recording.validate(source: path)
            return recording
        }
    }
}

/// The per-worm files of Lin et al. 2023 (MAT v5): one worm per file.
///
/// - `proofread_neurons`: N×1 cell of names (empty when unidentified);
/// - `corrected_F`: N×T fluorescence, neurons × time;
/// - `times`: the time vector in seconds — a vector, or a cell whose first element is a matrix whose
///   last row is the time vector (as published);
/// - `use_flag` (optional): N×1, only neurons with a flag > 0 are kept.
enum MATLABLinLayout {
    static func open(_ path: String, root: MATStruct, version: MATFile.Version) throws -> any RecordingSource {
        func require(_ key: String) throws -> MATValue { try root.require(key, in: path, what: "Lin 2023 variable") }
        let names = try require("proofread_neurons").cellElements().map { $0.texts.first ?? "" }
        let fluorescence = try require("corrected_F")
        guard case .numeric(let dims, let values) = fluorescence, dims.count == 2 else {
            throw NeuroIOError.badValue(path, field: "corrected_F", detail: "expected a neurons × time numeric matrix, found a \(fluorescence.className)")
        }
        let (neurons, frames) = (dims[0], dims[1])
        guard neurons == names.count else {
            throw NeuroIOError.badValue(path, field: "corrected_F", detail: "has \(neurons) rows for \(names.count) proofread_neurons")
        }
        // Time: the last row of the first element of `times` (or `times` itself when a vector).
        var timeValue = try require("times")
        if case .cell = timeValue { timeValue = try timeValue.cellElements().first ?? .empty }
        guard case .numeric(let timeDims, let timeValues) = timeValue, timeValues.count % frames == 0, !timeValues.isEmpty else {
            throw NeuroIOError.badValue(path, field: "times", detail: "expected a time vector (or a matrix whose last row is one) of \(frames) samples")
        }
        let timeRows = timeValues.count / frames
        guard timeDims.first == timeRows || timeRows == 1 else {
            throw NeuroIOError.badValue(path, field: "times", detail: "is \(timeDims.map(String.init).joined(separator: "×")); expected \(frames) columns")
        }
        let times = (0..<frames).map { timeValues[$0 * timeRows + timeRows - 1] }
        var keep = Array(0..<neurons)
        if let flags = try root.field("use_flag") {
            guard let f = flags.numbers, f.count == neurons else {
                throw NeuroIOError.badValue(path, field: "use_flag", detail: "expected \(neurons) numbers, one per neuron")
            }
            keep = keep.filter { f[$0] > 0 }
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return LazySource(path: path, readerName: MATLABReader.name, recordingNames: [name]) { _ in
            var data = Matrix(rows: frames, columns: keep.count)
            for (c, n) in keep.enumerated() { for t in 0..<frames { data.values[t * keep.count + c] = values[t * neurons + n] } }
            let recording = RawRecording(name: name, labels: keep.map { names[$0] }, timestamps: times, data: data,
                                         attributes: ["matlab_version": version.rawValue, "matlab_layout": "lin"])
            try recording.validate(source: path)
            return recording
        }
    }
}
