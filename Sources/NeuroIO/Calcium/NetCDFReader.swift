import NeuroCore
import Foundation
import NeuroNative
import NeuroStore

/// Reads traces from NetCDF (3 or 4) files written by other tools: one recording per group that holds
/// the data variable (or the root when it does).
///
/// Options: `data` (variable, default `trace`, then `data`), `time` (variable, default `time`) or `rate`,
/// `labels` (string variable, default `neuron`, then `channel`), `layout` (default: from the dimension
/// names — `time` first means `time-channel`).
public enum NetCDFReader: RecordingReader {
    /// The reader's name on the command line and in manifests: `netcdf`.
    public static let name = "netcdf"
    /// One line on what the reader reads.
    public static let summary = "NetCDF 3/4 variables for traces, time and labels, one recording per group"
    /// The options it accepts: `data`, `time`, `labels` (variable names), `rate` (Hz) and `layout`.
    public static let optionKeys = ["data", "time", "rate", "labels", "layout"]
    /// Calcium imaging: recordings are read and processed whole.
    public static let modality = Modality.calcium

    /// True for an `.nc`, `.nc4`, `.cdf` or `.netcdf` file that starts with the classic `CDF` or the HDF5 signature.
    public static func recognizes(path: String, header: [UInt8]) -> Bool {
        let ext = FileHeader.pathExtension(path)
        let classic = header.count >= 3 && header[0] == 0x43 && header[1] == 0x44 && header[2] == 0x46  // "CDF"
        return ["nc", "nc4", "cdf", "netcdf"].contains(ext) && (classic || FileHeader.isHDF5(header))
    }

    /// One recording per group holding the data variable (the root's named after the file stem), read when loaded.
    /// Throws ``NeuroIOError`` when no group holds one.
    public static func open(_ path: String, options: ReaderOptions) throws -> any RecordingSource {
        let file = try NetCDFFile.open(path)
        let dataCandidates = options["data"].map { [$0] } ?? ["trace", "data", "traces"]
        var groups: [NetCDFGroup] = []
        func holdsData(_ g: NetCDFGroup) throws -> Bool {
            try dataCandidates.contains { try file.variable($0, in: g) != nil }
        }
        if try holdsData(file.root) { groups = [file.root] }
        for g in try file.groups(in: file.root) where try holdsData(g) { groups.append(g) }
        guard !groups.isEmpty else {
            throw NeuroIOError.missingKey(path, key: "data variable (\(dataCandidates.joined(separator: " or ")))",
                                          available: (try? file.variableNames(in: file.root)) ?? [])
        }
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return LazySource(path: path, readerName: name, recordingNames: groups.map { $0.name == "/" ? stem : $0.name }) { i in
            try load(file, group: groups[i], options: options, dataCandidates: dataCandidates)
        }
    }

    static func load(_ file: NetCDFFile, group: NetCDFGroup, options: ReaderOptions, dataCandidates: [String]) throws -> RawRecording {
        let path = file.path
        let dataVar = try dataCandidates.lazy.compactMap { try file.variable($0, in: group) }.first!
        let fallback: TraceLayout = dataVar.dimensionNames.first == "time" || dataVar.dimensionNames.count < 2
            ? .timeChannel : (dataVar.dimensionNames.last == "time" ? .channelTime : .timeChannel)
        let layout = try TraceLayout.parse(options["layout"], file: path, fallback: fallback)
        let data = try layout.matrix(values: try file.readDoubles(dataVar), shape: dataVar.shape, file: path, field: dataVar.name)
        let timestamps: [Double]
        if let rate = try options.number("rate", file: path) {
            timestamps = try Timestamps.from(rate: rate, count: data.rows, file: path)
        } else {
            timestamps = try file.readDoubles(try file.requireVariable(options["time"] ?? "time", in: group))
        }
        var labels = Array(repeating: "", count: data.columns)
        let labelNames = options["labels"].map { [$0] } ?? ["neuron", "channel", "labels"]
        if let labelVar = try labelNames.lazy.compactMap({ try file.variable($0, in: group) }).first {
            labels = try file.readStrings(labelVar)
        } else if let wanted = options["labels"] {
            throw NeuroIOError.missingKey(path, key: "label variable '\(wanted)'", available: try file.variableNames(in: group))
        }
        let unit = file.textAttribute("units", of: dataVar, in: group) ?? "1"
        let name = group.name == "/" ? ((path as NSString).lastPathComponent as NSString).deletingPathExtension : group.name
        let recording = RawRecording(name: name, labels: labels, timestamps: timestamps, data: data,
                                     units: Array(repeating: unit, count: data.columns),
                                     attributes: ["netcdf_variable": dataVar.name])
        try recording.validate(source: path)
        return recording
    }
}
