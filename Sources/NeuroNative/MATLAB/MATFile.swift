import NeuroCore

/// Opens a MAT-file of either family and gives its variables as one ``MATStruct``.
///
/// - v7.3 files are HDF5 behind a 512-byte MATLAB header: read with HDF5 (``MATv73Decoder``).
/// - v5 files (MATLAB 5 to 7.2, `scipy.io.savemat`) begin with the text `MATLAB 5.0 MAT-file`:
///   read with libmatio (``MATv5File``).
package enum MATFile {
    package enum Version: String { case v5 = "5", v73 = "7.3" }

    /// The MAT-file version from the first bytes (at least 520 of them for v7.3), or nil.
    package static func version(header: [UInt8]) -> Version? {
        if FileHeader.isHDF5(header, at: 512) { return .v73 }
        let text = Array("MATLAB 5.0 MAT-file".utf8)
        if header.count >= 128, Array(header.prefix(text.count)) == text { return .v5 }
        return nil
    }

    /// The variables of `path` as the fields of one struct, with the file's version.
    package static func open(_ path: String) throws -> (root: MATStruct, version: Version) {
        let header = FileHeader.read(path, count: 528)
        switch version(header: header) {
        case .v73:
            return (try MATv73Decoder(file: try HDF5File(path: path)).root(), .v73)
        case .v5:
            return (try MATv5File(path: path).root(), .v5)
        case nil:
            throw NeuroIOError.unsupported(path, detail: "not a MATLAB v5 or v7.3 MAT-file (no MAT header)")
        }
    }
}
