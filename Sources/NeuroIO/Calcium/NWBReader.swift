import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// Reads optical-physiology traces from NWB 2.x files: a `RoiResponseSeries` (under a `Fluorescence` or
/// `DfOverF` container in `processing/…`), with ROI labels from its plane segmentation and time from
/// `timestamps` or `starting_time` + `rate`. `data` is scaled by its `conversion` and `offset`.
///
/// Options:
/// - `series`: name or path of the series (default: the first under `DfOverF`, else the first found);
/// - `labels`: the plane-segmentation column holding neuron names (default: the first string column of
///   `ID_labels`, `labels`, `label`, `neuron_name`, `roi_names`; no such column: all unlabeled).
public enum NWBReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `nwb`.
    public static let name = "nwb"
    /// One line on what the reader reads.
    public static let summary = "NWB 2.x RoiResponseSeries (Fluorescence/DfOverF) with ROI labels and timestamps or rate"
    /// The options it accepts: `series` (the `RoiResponseSeries`) and `labels` (a plane-segmentation column).
    public static let optionKeys = ["series", "labels"]
    /// Calcium imaging: recordings are read and processed whole.
    public static let modality = Modality.calcium
    static let labelColumns = ["ID_labels", "labels", "label", "neuron_name", "neuron_names", "roi_names", "names"]

    /// True for an `.nwb` file that starts with the HDF5 signature.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        FileHeader.pathExtension(path) == "nwb" && FileHeader.isHDF5(header)
    }

    /// Opens the `RoiResponseSeries` named by `series`, else the first under `DfOverF`, else the first found.
    /// Throws ``NeuroIOError`` when there is no `/processing` group, no such series, or none named `series`.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        let file = try HDF5File(path: path)
        guard file.exists("/processing") else {
            throw NeuroIOError.missingKey(path, key: "'/processing' group (not an NWB file with processed ophys data)",
                                          available: (try? file.group(at: "/").childNames()) ?? [])
        }
        let series = try findSeries(in: file)
        guard !series.isEmpty else {
            throw NeuroIOError.missingKey(path, key: "RoiResponseSeries under /processing", available: [])
        }
        let chosen: HDF5Group
        if let wanted = options["series"] {
            guard let match = series.first(where: { $0.name == wanted || $0.name.hasSuffix("/" + wanted) }) else {
                throw NeuroIOError.missingKey(path, key: "RoiResponseSeries '\(wanted)'", available: series.map(\.name))
            }
            chosen = match
        } else {
            chosen = series.first(where: { $0.name.contains("/DfOverF/") }) ?? series[0]
        }
        return NWBSource(path: path, file: file, series: chosen, labelColumn: options["labels"])
    }

    /// All groups under /processing (three levels deep) whose `neurodata_type` is `RoiResponseSeries`.
    static func findSeries(in file: HDF5File) throws -> [HDF5Group] {
        var found: [HDF5Group] = []
        func walk(_ group: HDF5Group, depth: Int) throws {
            for child in try group.childNames().sorted() {
                guard case .group(let g) = try group.child(child) else { continue }
                if g.stringAttribute("neurodata_type") == "RoiResponseSeries" {
                    found.append(g)
                } else if depth < 3 {
                    try walk(g, depth: depth + 1)
                }
            }
        }
        try walk(try file.group(at: "/processing"), depth: 1)
        return found
    }
}

final class NWBSource: RecordingSource {
    let path: String
    let file: HDF5File
    let series: HDF5Group
    let labelColumn: String?
    var readerName: String { NWBReader.name }
    var recordingNames: [String] { [((path as NSString).lastPathComponent as NSString).deletingPathExtension] }

    init(path: String, file: HDF5File, series: HDF5Group, labelColumn: String?) {
        self.path = path
        self.file = file
        self.series = series
        self.labelColumn = labelColumn
    }

    func load(_ index: Int) throws -> RawRecording {
        let dataset: HDF5Dataset
        guard case .dataset(let d) = try series.child("data") else {
            throw NeuroIOError.badValue(path, field: series.name + "/data", detail: "expected a dataset")
        }
        dataset = d
        let shape = dataset.shape
        guard shape.count == 1 || shape.count == 2 else {
            throw NeuroIOError.badValue(path, field: dataset.name, detail: "expected (time, roi) data, found shape \(shape)")
        }
        let rows = shape[0], columns = shape.count == 2 ? shape[1] : 1
        var values = try dataset.readDoubles()
        let conversion = dataset.numericAttribute("conversion")?.first ?? 1
        let offset = dataset.numericAttribute("offset")?.first ?? 0
        if conversion != 1 || offset != 0 { for i in values.indices { values[i] = values[i] * conversion + offset } }
        let timestamps = try readTime(rows: rows)
        let labels = try readLabels(columns: columns)
        let unit = dataset.stringAttribute("unit") ?? "1"
        let recording = RawRecording(name: recordingNames[0], labels: labels, timestamps: timestamps,
                                     data: Matrix(rows: rows, columns: columns, values: values),
                                     units: Array(repeating: unit == "n.a." ? "1" : unit, count: columns),
                                     attributes: ["nwb_series": series.name])
        try recording.validate(source: path)
        return recording
    }

    private func readTime(rows: Int) throws -> [Double] {
        if file.exists(series.name + "/timestamps") {
            return try file.dataset(at: series.name + "/timestamps").readDoubles()
        }
        guard file.exists(series.name + "/starting_time") else {
            throw NeuroIOError.missingKey(path, key: "timestamps or starting_time in '\(series.name)'",
                                          available: (try? series.childNames()) ?? [])
        }
        let start = try file.dataset(at: series.name + "/starting_time")
        guard let rate = start.numericAttribute("rate")?.first, rate > 0 else {
            throw NeuroIOError.badValue(path, field: start.name, detail: "missing or non-positive 'rate' attribute")
        }
        let t0 = try start.readDoubles().first ?? 0
        return (0..<rows).map { t0 + Double($0) / rate }
    }

    private func readLabels(columns: Int) throws -> [String] {
        let candidates = labelColumn.map { [$0] } ?? NWBReader.labelColumns
        let labels = try NWBTables.labels(of: series, region: "rois", columns: candidates, count: columns, path: path)
        if let wanted = labelColumn, labels.allSatisfy(\.isEmpty), file.exists(series.name + "/rois"),
           case .group(let table)? = try file.dataset(at: series.name + "/rois").referenceAttribute("table") {
            throw NeuroIOError.missingKey(path, key: "string column '\(wanted)' in '\(table.name)'", available: try table.childNames())
        }
        return labels
    }
}
