import Foundation
import NeuroCore
import NeuroNative
import NeuroStore

/// NWB extracellular electrophysiology: an `ElectricalSeries` in `/acquisition` (LFP, ECoG, sEEG),
/// samples in volts (`data × conversion + offset`), channel labels from the electrodes table, trials
/// from `/intervals/trials` as events. Streams the data in row blocks.
public enum NWBEcephysReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `nwb-ecephys`.
    public static let name = "nwb-ecephys"
    /// One line on what the reader reads.
    public static let summary = "NWB ElectricalSeries (acquisition): rate or uniform timestamps, conversion/offset to volts, electrode labels, trials"
    /// The options it accepts: `series` (the `ElectricalSeries` in `/acquisition`) and
    /// `labels` (an electrodes-table column).
    public static let optionKeys = ["series", "labels"]
    /// Continuous signals: recordings are streamed block by block.
    public static let modality = Modality.continuous

    /// True for an `.nwb` HDF5 file with an `ElectricalSeries` in `/acquisition` (the file is opened to look).
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        guard FileHeader.pathExtension(path) == "nwb", FileHeader.isHDF5(header),
              let file = try? HDF5File(path: path) else { return false }
        return !((try? electricalSeries(in: file)) ?? []).isEmpty
    }

    /// Groups of `/acquisition` whose `neurodata_type` is `ElectricalSeries`.
    static func electricalSeries(in file: HDF5File) throws -> [HDF5Group] {
        guard file.exists("/acquisition") else { return [] }
        let acquisition = try file.group(at: "/acquisition")
        return try acquisition.childNames().sorted().compactMap { name in
            guard case .group(let g) = try acquisition.child(name), g.stringAttribute("neurodata_type") == "ElectricalSeries" else { return nil }
            return g
        }
    }

    /// Opens the `ElectricalSeries` named by `series`, else the first by name, for streaming in row blocks.
    /// Throws ``NeuroIOError`` when there is none or none named `series`.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        let file = try HDF5File(path: path)
        let all = try electricalSeries(in: file)
        guard !all.isEmpty else { throw NeuroIOError.missingKey(path, key: "ElectricalSeries in /acquisition", available: []) }
        let series: HDF5Group
        if let wanted = options["series"] {
            guard let match = all.first(where: { $0.name.hasSuffix("/" + wanted) }) else {
                throw NeuroIOError.missingKey(path, key: "ElectricalSeries '\(wanted)'", available: all.map(\.name))
            }
            series = match
        } else {
            series = all[0]
        }
        return try NWBEcephysSource(path: path, file: file, series: series, labelColumn: options["labels"])
    }
}

final class NWBEcephysSource: SingleStreamSource {
    let path: String
    let file: HDF5File
    let data: HDF5Dataset
    let conversion: Double
    let offset: Double
    let samplesPerBlock = 65_536
    private(set) var signals: [SignalInfo] = []
    private(set) var events: [Event] = []
    private(set) var attributes: [String: String] = [:]
    var readerName: String { NWBEcephysReader.name }
    var name: String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }
    let sampleCount: Int
    var blockCount: Int { (sampleCount + samplesPerBlock - 1) / samplesPerBlock }

    init(path: String, file: HDF5File, series: HDF5Group, labelColumn: String?) throws {
        self.path = path
        self.file = file
        guard case .dataset(let d) = try series.child("data") else {
            throw NeuroIOError.badValue(path, field: series.name + "/data", detail: "expected a dataset")
        }
        data = d
        let shape = d.shape
        guard shape.count == 1 || shape.count == 2, shape[0] > 0 else {
            throw NeuroIOError.badValue(path, field: d.name, detail: "expected (time, channel) data, found shape \(shape)")
        }
        try d.requirePlausibleSize(shape.saturatingProduct)
        sampleCount = shape[0]
        let channels = shape.count == 2 ? shape[1] : 1
        conversion = d.numericAttribute("conversion")?.first ?? 1
        offset = d.numericAttribute("offset")?.first ?? 0
        let unit = d.stringAttribute("unit") ?? "volts"
        guard ["volts", "V", "volt"].contains(unit) else {
            throw NeuroIOError.badValue(path, field: d.name, detail: "unit '\(unit)': an ElectricalSeries must be in volts")
        }
        // Timing: a rate, or timestamps that must be uniform.
        var rate: Double, start: Double
        if file.exists(series.name + "/starting_time") {
            let s = try file.dataset(at: series.name + "/starting_time")
            guard let r = s.numericAttribute("rate")?.first, r > 0 else {
                throw NeuroIOError.badValue(path, field: s.name, detail: "missing or non-positive 'rate' attribute")
            }
            rate = r
            start = try s.readDoubles().first ?? 0
        } else if file.exists(series.name + "/timestamps") {
            let t = try file.dataset(at: series.name + "/timestamps").readDoubles()
            guard t.count == sampleCount, t.count >= 2 else {
                throw NeuroIOError.badValue(path, field: series.name + "/timestamps", detail: "\(t.count) timestamps for \(sampleCount) samples")
            }
            let step = (t.last! - t.first!) / Double(t.count - 1)
            guard step > 0, zip(t.dropFirst(), t).allSatisfy({ abs(($0 - $1) - step) <= 1e-6 * step + 1e-9 }) else {
                throw NeuroIOError.unsupported(path, detail: "\(series.name)/timestamps are irregular; only uniformly sampled ElectricalSeries are supported")
            }
            rate = 1 / step
            start = t[0]
        } else {
            throw NeuroIOError.missingKey(path, key: "starting_time or timestamps in '\(series.name)'", available: (try? series.childNames()) ?? [])
        }
        let labels = try NWBTables.labels(of: series, region: "electrodes", columns: labelColumn.map { [$0] } ?? ["label", "channel_name", "location"],
                                          count: channels, path: path)
        signals = labels.enumerated().map { i, label in
            let name = label.isEmpty ? "e\(i)" : label
            return SignalInfo(name: name, originalLabel: label, kind: .eeg, unit: "V", samplingRate: rate, sampleCount: sampleCount,
                              attributes: ["nwb_series": series.name])
        }
        if Set(signals.map(\.name)).count != signals.count {
            // Locations repeat across electrodes: number them.
            signals = signals.enumerated().map { i, s in var s = s; s.name = "\(s.name)-\(i)"; return s }
        }
        attributes = ["nwb_series": series.name, "start_time": "\(start)", "conversion": "\(conversion)", "offset": "\(offset)"]
        // Trials as events, relative to the first sample.
        if file.exists("/intervals/trials/start_time") {
            let starts = try file.dataset(at: "/intervals/trials/start_time").readDoubles()
            let stops = file.exists("/intervals/trials/stop_time") ? try file.dataset(at: "/intervals/trials/stop_time").readDoubles() : starts
            events = zip(starts, stops).map { Event(onset: $0 - start, duration: max($1 - $0, 0), label: "trial") }
        }
    }

    func readSignals(_ index: Int) throws -> [[Double]] {
        let rows = (index * samplesPerBlock)..<min(sampleCount, (index + 1) * samplesPerBlock)
        let values = try data.readDoubles(rows: rows)
        let channels = signals.count
        return (0..<channels).map { c in rows.indices.map { r in values[r * channels + c] * conversion + offset } }
    }
}

/// NWB's DynamicTable conventions shared by the readers.
enum NWBTables {
    /// For a DynamicTableRegion dataset `region` of `owner` (its `table` attribute references the table),
    /// the first of `columns` that is a string column of the table, indexed by the region; blank labels
    /// when there is no region or none of the columns.
    static func labels(of owner: HDF5Group, region: String, columns: [String], count: Int, path: String) throws -> [String] {
        let blank = Array(repeating: "", count: count)
        guard owner.file.exists(owner.name + "/" + region) else { return blank }
        let dataset = try owner.file.dataset(at: owner.name + "/" + region)
        // An index that is not a whole number (a damaged file) is -1, refused below as outside the table.
        let indices = try dataset.readDoubles().map { Int(exactly: $0) ?? -1 }
        guard indices.count == count else {
            throw NeuroIOError.badValue(path, field: dataset.name, detail: "\(indices.count) table indices for \(count) data columns")
        }
        guard case .group(let table)? = try dataset.referenceAttribute("table") else { return blank }
        let tableColumns = try table.childNames()
        for name in columns where tableColumns.contains(name) {
            guard case .dataset(let column) = try table.child(name), column.elementClass == .string else { continue }
            let all = try column.readStrings()
            return try indices.map { i in
                guard i >= 0 && i < all.count else {
                    throw NeuroIOError.badValue(path, field: dataset.name, detail: "index \(i) outside the table of \(all.count) rows")
                }
                return all[i]
            }
        }
        return blank
    }
}
