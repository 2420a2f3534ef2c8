import Foundation
import NeuroCore
import NeuroNative

/// A dense numeric array of any rank read from a file: `shape` slowest-varying first, `values` in C order.
public struct NumericArray: Equatable, Sendable {
    /// Extent of each dimension, slowest-varying first.
    public var shape: [Int]
    /// The elements in C (row-major) order.
    public var values: [Double]

    /// An array of `shape` holding `values`, whose count must be the product of `shape` (a precondition).
    public init(shape: [Int], values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "NumericArray: shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }
}

/// Reads one array from a NumPy `.npy` file, an HDF5 dataset or a NetCDF variable.
///
/// A location is `PATH` or `PATH:NAME`: `tensor.npy`, `data.h5:/group/dataset`, `out.nc:variable`,
/// `out.nc:group/variable`. Without a name, an HDF5 or NetCDF file must hold exactly one numeric array
/// at its root. The format is recognised from the file's signature, not its extension.
public enum ArrayFile {
    /// Splits `location` into the file and the array name inside it (nil when not given).
    public static func split(_ location: String) -> (path: String, name: String?) {
        if FileManager.default.fileExists(atPath: location) { return (location, nil) }
        guard let colon = location.lastIndex(of: ":"), colon != location.startIndex else { return (location, nil) }
        let name = String(location[location.index(after: colon)...])
        return (String(location[..<colon]), name.isEmpty ? nil : name)
    }

    /// Reads the array at `location`.
    public static func read(_ location: String) throws -> NumericArray {
        let (path, name) = split(location)
        try FileAccess.requireNonEmptyFile(path)
        CrashReport.noteReading(path)
        switch try signature(of: path) {
        case .npy:
            if let name { throw NeuroIOError.badValue(path, field: name, detail: "a .npy file holds one array; drop ':\(name)'") }
            let array = try NPYArray.read(path)
            return NumericArray(shape: array.shape, values: array.values)
        case .netcdf:
            return try readNetCDF(path, name)
        case .hdf5:
            // NetCDF-4 files are HDF5 files too; netCDF-C reads those it wrote (with their groups).
            if let array = try? readNetCDF(path, name) { return array }
            return try readHDF5(path, name)
        case .unknown:
            throw NeuroIOError.unsupported(path, detail: "not a .npy, HDF5 or NetCDF file")
        }
    }

    private enum Signature { case npy, hdf5, netcdf, unknown }

    private static func signature(of path: String) throws -> Signature {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw NeuroIOError.fileNotFound(path) }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        if head.starts(with: [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) { return .npy }
        if head.starts(with: [0x89, 0x48, 0x44, 0x46]) { return .hdf5 }
        if head.starts(with: [0x43, 0x44, 0x46]) { return .netcdf }
        return .unknown
    }

    private static func readNetCDF(_ path: String, _ name: String?) throws -> NumericArray {
        let file = try NetCDFFile.open(path)
        defer { try? file.close() }
        var group = file.root
        var variableName = name
        if let name, name.contains("/") {
            var parts = name.split(separator: "/").map(String.init)
            variableName = parts.removeLast()
            for part in parts {
                guard let g = try file.group(named: part, in: group) else {
                    throw NeuroIOError.missingKey(path, key: "group '\(part)'", available: try file.groups(in: group).map(\.name))
                }
                group = g
            }
        }
        let variable: NetCDFVariable
        if let variableName {
            variable = try file.requireVariable(variableName, in: group)
        } else {
            let numeric = try file.variableNames(in: group).compactMap { try file.variable($0, in: group) }
                .filter { $0.type.isNumeric && !$0.shape.isEmpty }
            guard numeric.count == 1 else {
                throw NeuroIOError.badValue(path, field: "array", detail: "name the variable as \(path):NAME (found: \(numeric.map(\.name).joined(separator: ", ")))")
            }
            variable = numeric[0]
        }
        return NumericArray(shape: variable.shape, values: try file.readDoubles(variable))
    }

    private static func readHDF5(_ path: String, _ name: String?) throws -> NumericArray {
        let file = try HDF5File(path: path)
        let dataset: HDF5Dataset
        if let name {
            let objectPath = name.hasPrefix("/") ? name : "/" + name
            guard file.exists(objectPath) else {
                throw NeuroIOError.missingKey(path, key: "dataset '\(objectPath)'", available: (try? file.group(at: "/").childNames()) ?? [])
            }
            dataset = try file.dataset(at: objectPath)
        } else {
            let names = try file.group(at: "/").childNames()
            let datasets = names.compactMap { try? file.dataset(at: "/" + $0) }
            guard datasets.count == 1 else {
                throw NeuroIOError.badValue(path, field: "array", detail: "name the dataset as \(path):/NAME (found: \(names.joined(separator: ", ")))")
            }
            dataset = datasets[0]
        }
        return NumericArray(shape: dataset.shape, values: try dataset.readDoubles())
    }
}
