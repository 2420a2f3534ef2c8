/// Everything that can go wrong reading or writing a file.
///
/// Each case names the file; ``description`` is one line meant for the user, for example
/// `worms.mat: no struct field 'traces' (found: IDs, timeVectorSeconds)`.
public enum NeuroIOError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The path does not exist.
    case fileNotFound(String)
    /// The path exists but holds nothing (zero bytes).
    case emptyFile(String)
    /// The file is not of the expected format or is damaged (truncated, bad signature, bad header).
    case corrupt(String, detail: String)
    /// An HDF5 call failed.
    case hdf5(String, function: String, detail: String)
    /// A NetCDF call failed.
    case netcdf(String, function: String, message: String)
    /// An expected key, dataset, variable or column is absent.
    case missingKey(String, key: String, available: [String])
    /// A value has the wrong type, shape or content.
    case badValue(String, field: String, detail: String)
    /// No reader recognises the file, or the layout is not supported.
    case unsupported(String, detail: String)
    /// Writing the output failed.
    case writeFailed(String, detail: String)
    /// The output path is one of the inputs.
    case wouldOverwriteInput(String)

    /// One line for the user, `<path>: <problem>`; `missingKey` lists at most 12 of the keys that were found.
    /// Line breaks and other control characters (which names read from a damaged file may hold) are
    /// escaped, so the message stays on one line.
    public var description: String { message.singleLine }

    private var message: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file"
        case .emptyFile(let path):
            return "\(path): file is empty"
        case let .corrupt(path, detail):
            return "\(path): \(detail)"
        case let .hdf5(path, function, detail):
            return "\(path): HDF5 error in \(function): \(detail)"
        case let .netcdf(path, function, message):
            return "\(path): NetCDF error in \(function): \(message)"
        case let .missingKey(path, key, available):
            let found = available.isEmpty ? "" : " (found: \(available.prefix(12).joined(separator: ", "))\(available.count > 12 ? ", …" : ""))"
            return "\(path): no \(key)\(found)"
        case let .badValue(path, field, detail):
            return "\(path): \(field): \(detail)"
        case let .unsupported(path, detail):
            return "\(path): \(detail)"
        case let .writeFailed(path, detail):
            return "\(path): cannot write: \(detail)"
        case .wouldOverwriteInput(let path):
            return "\(path): output path is also an input; refusing to overwrite it"
        }
    }
}
