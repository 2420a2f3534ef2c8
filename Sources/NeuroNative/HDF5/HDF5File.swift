internal import CHDF5
import Foundation
import NeuroCore

/// Owns one HDF5 identifier and closes it when the last reference goes away.
package final class HDF5Handle: @unchecked Sendable {
    let id: hid_t
    private let close: (hid_t) -> herr_t

    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.close = close
    }

    deinit { nativeIOLock.withLock { _ = close(id) } }
}

/// A read-only HDF5 file (also MATLAB v7.3 and NWB files, which are HDF5 underneath).
///
/// Objects are reached by absolute path (`/processing/ophys/Fluorescence`). Every failure becomes a
/// ``NeuroIOError`` naming the file; HDF5's own error printing is silenced.
package final class HDF5File: @unchecked Sendable {
    /// The path the file was opened from (used in error messages).
    package let path: String
    package let handle: HDF5Handle

    /// Opens `path` read-only, or for writing into existing datasets (the common-format writer's
    /// compressed chunks).
    package init(path: String, writable: Bool = false) throws {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        self.path = path
        try FileAccess.requireNonEmptyFile(path)
        nt_H5_silence_errors()
        guard nt_H5_is_hdf5(path) > 0 else {
            throw NeuroIOError.corrupt(path, detail: "not an HDF5 file (no HDF5 signature)")
        }
        let id = H5Fopen(path, writable ? nt_H5F_ACC_RDWR() : nt_H5F_ACC_RDONLY(), nt_H5P_DEFAULT())
        guard id >= 0 else {
            throw NeuroIOError.corrupt(path, detail: "HDF5 file cannot be opened (truncated or damaged)")
        }
        handle = HDF5Handle(id, close: H5Fclose)
    }

    /// True when `path` names an object (group or dataset) in the file.
    package func exists(_ objectPath: String) -> Bool {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        nt_H5_silence_errors()
        var prefix = ""
        for component in objectPath.split(separator: "/") {
            prefix += "/" + component
            if H5Lexists(handle.id, prefix, nt_H5P_DEFAULT()) <= 0 { return false }
        }
        return true
    }

    /// The group or dataset at `objectPath`.
    package func object(at objectPath: String) throws -> HDF5Object {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        guard exists(objectPath) else {
            let parent = PathText.directory(of: objectPath)
            let siblings = (try? group(at: parent.isEmpty ? "/" : parent).childNames()) ?? []
            throw NeuroIOError.missingKey(path, key: "HDF5 object '\(objectPath)'", available: siblings)
        }
        let id = H5Oopen(handle.id, objectPath, nt_H5P_DEFAULT())
        guard id >= 0 else { throw NeuroIOError.hdf5(path, function: "H5Oopen", detail: "cannot open '\(objectPath)'") }
        return try HDF5Object.wrap(id: id, file: self)
    }

    /// The group at `objectPath` (`/` for the root).
    package func group(at objectPath: String) throws -> HDF5Group {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        guard case .group(let g) = try object(at: objectPath) else {
            throw NeuroIOError.badValue(path, field: objectPath, detail: "is a dataset, expected a group")
        }
        return g
    }

    /// The dataset at `objectPath`.
    package func dataset(at objectPath: String) throws -> HDF5Dataset {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        guard case .dataset(let d) = try object(at: objectPath) else {
            throw NeuroIOError.badValue(path, field: objectPath, detail: "is a group, expected a dataset")
        }
        return d
    }
}

/// A group or a dataset.
package enum HDF5Object {
    case group(HDF5Group)
    case dataset(HDF5Dataset)

    static func wrap(id: hid_t, file: HDF5File) throws -> HDF5Object {
        switch H5Iget_type(id) {
        case H5I_GROUP:
            return .group(HDF5Group(handle: HDF5Handle(id, close: H5Gclose), file: file))
        case H5I_DATASET:
            return .dataset(HDF5Dataset(handle: HDF5Handle(id, close: H5Dclose), file: file))
        default:
            _ = H5Oclose(id)
            throw NeuroIOError.unsupported(file.path, detail: "HDF5 object is neither a group nor a dataset")
        }
    }

    /// The object's absolute path in its file.
    package var name: String {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        switch self {
        case .group(let g): return g.name
        case .dataset(let d): return d.name
        }
    }
}

/// Attribute access shared by groups and datasets.
package protocol HDF5Attributed {
    var handle: HDF5Handle { get }
    var file: HDF5File { get }
}

extension HDF5Attributed {
    /// The object's absolute path.
    package var name: String {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        let n = H5Iget_name(handle.id, nil, 0)
        guard n > 0 else { return "?" }
        var buffer = [CChar](repeating: 0, count: Int(n) + 1)
        _ = H5Iget_name(handle.id, &buffer, n + 1)
        return String(cBuffer: buffer)
    }

    package func hasAttribute(_ attribute: String) -> Bool {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        nt_H5_silence_errors()
        return H5Aexists(handle.id, attribute) > 0
    }

    /// Opens attribute `attribute` when it exists and its type class is one of `classes`, and passes
    /// it, its type and its dataspace to `body`; nil when absent or of another class.
    private func withAttribute<T>(_ attribute: String, classes: [H5T_class_t],
                                  _ body: (_ attr: hid_t, _ type: hid_t, _ space: hid_t) throws -> T?) rethrows -> T? {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        guard hasAttribute(attribute) else { return nil }
        let attr = H5Aopen(handle.id, attribute, nt_H5P_DEFAULT())
        guard attr >= 0 else { return nil }
        defer { H5Aclose(attr) }
        let type = H5Aget_type(attr)
        defer { H5Tclose(type) }
        guard classes.contains(H5Tget_class(type)) else { return nil }
        let space = H5Aget_space(attr)
        defer { H5Sclose(space) }
        // An attribute's values are stored whole, at least a byte each (fixed strings: their size each):
        // a damaged header declaring more is ignored, as an unreadable attribute is, before any allocation.
        let elements = Int(clamping: max(1, H5Sget_simple_extent_npoints(space)))
        let size = H5Tis_variable_str(type) > 0 ? 1 : max(1, H5Tget_size(type))
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: size)
        guard !overflow, bytes <= Int(clamping: H5Aget_storage_size(attr)) + 64 else { return nil }
        return try body(attr, type, space)
    }

    /// A string attribute (fixed or variable length), or nil when absent or not a string.
    package func stringAttribute(_ attribute: String) -> String? {
        withAttribute(attribute, classes: [H5T_STRING]) { attr, type, space in
            let count = max(1, Int(H5Sget_simple_extent_npoints(space)))
            if H5Tis_variable_str(type) > 0 {
                let memType = H5Tcopy(nt_H5T_C_S1()); defer { H5Tclose(memType) }
                H5Tset_size(memType, nt_H5T_VARIABLE())
                H5Tset_cset(memType, H5Tget_cset(type))
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
                guard H5Aread(attr, memType, &pointers) >= 0 else { return nil }
                defer { H5Dvlen_reclaim(memType, space, nt_H5P_DEFAULT(), &pointers) }
                return pointers.first.flatMap { $0 }.map { String(cString: $0) }
            }
            let size = H5Tget_size(type)
            var buffer = [CChar](repeating: 0, count: size * count + 1)
            let memType = H5Tcopy(type); defer { H5Tclose(memType) }
            guard H5Aread(attr, memType, &buffer) >= 0 else { return nil }
            return String(decoding: buffer.prefix(size).map { UInt8(bitPattern: $0) }.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// A numeric attribute's values converted to Double, or nil.
    package func numericAttribute(_ attribute: String) -> [Double]? {
        withAttribute(attribute, classes: [H5T_FLOAT, H5T_INTEGER]) { attr, _, space in
            var values = [Double](repeating: 0, count: max(1, Int(H5Sget_simple_extent_npoints(space))))
            guard H5Aread(attr, nt_H5T_NATIVE_DOUBLE(), &values) >= 0 else { return nil }
            return values
        }
    }

    /// The object an object-reference attribute points to (NWB's `table` attribute, for example).
    package func referenceAttribute(_ attribute: String) throws -> HDF5Object? {
        try withAttribute(attribute, classes: [H5T_REFERENCE]) { attr, _, _ in
            var ref: hobj_ref_t = 0
            guard H5Aread(attr, nt_H5T_STD_REF_OBJ(), &ref) >= 0 else {
                throw NeuroIOError.hdf5(file.path, function: "H5Aread", detail: "cannot read reference attribute '\(attribute)'")
            }
            return try file.dereference(ref, from: handle.id)
        }
    }
}

extension HDF5File {
    /// The object an HDF5 object reference points to.
    func dereference(_ ref: hobj_ref_t, from location: hid_t) throws -> HDF5Object {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        var r = ref
        let id = H5Rdereference2(location, nt_H5P_DEFAULT(), H5R_OBJECT, &r)
        guard id >= 0 else {
            throw NeuroIOError.corrupt(path, detail: "dangling HDF5 object reference")
        }
        return try HDF5Object.wrap(id: id, file: self)
    }
}

/// An HDF5 group.
package struct HDF5Group: HDF5Attributed {
    package let handle: HDF5Handle
    package let file: HDF5File

    /// Names of the links in the group, in creation or name order (HDF5's default index).
    package func childNames() throws -> [String] {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        var info = H5G_info_t()
        guard H5Gget_info(handle.id, &info) >= 0 else {
            throw NeuroIOError.hdf5(file.path, function: "H5Gget_info", detail: "cannot list group '\(name)'")
        }
        var names: [String] = []
        for i in 0..<info.nlinks {
            let n = H5Lget_name_by_idx(handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, nt_H5P_DEFAULT())
            guard n >= 0 else { continue }
            var buffer = [CChar](repeating: 0, count: Int(n) + 1)
            _ = H5Lget_name_by_idx(handle.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, Int(n) + 1, nt_H5P_DEFAULT())
            names.append(String(cBuffer: buffer))
        }
        return names
    }

    /// The child object `childName`.
    package func child(_ childName: String) throws -> HDF5Object {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        let prefix = name == "/" ? "" : name
        return try file.object(at: prefix + "/" + childName)
    }
}

/// The element type of a dataset, as far as neurotool cares.
package enum HDF5ElementClass: Equatable {
    case float, integer, string, reference, other
}

/// An HDF5 dataset.
package struct HDF5Dataset: HDF5Attributed {
    package let handle: HDF5Handle
    package let file: HDF5File

    /// Dimensions, slowest-varying first (C order, as h5py shows them).
    package var shape: [Int] {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        let space = H5Dget_space(handle.id)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank > 0 else { return [] }
        var dims = [hsize_t](repeating: 0, count: rank)
        H5Sget_simple_extent_dims(space, &dims, nil)
        return dims.map { Int(clamping: $0) }
    }

    /// Number of elements.
    /// Number of elements (saturating at `Int.max` for a shape a damaged file declares).
    package var count: Int { shape.saturatingProduct }

    /// Throws when the dataset declares far more elements than the file stores for it — a damaged or
    /// hostile header, or chunks never written — before anything is allocated for them: at most 1000
    /// elements per stored byte (no real recording compresses that well), plus 16 Mi elements of slack.
    package func requirePlausibleSize(_ elements: Int) throws {
        let stored = Int(clamping: H5Dget_storage_size(handle.id))
        let (limit, overflow) = stored.multipliedReportingOverflow(by: 1000)
        guard overflow || elements <= limit + (1 << 24) else {
            throw NeuroIOError.corrupt(file.path, detail: "dataset \(name) declares shape \(shape) but stores \(stored) bytes (damaged, or never written)")
        }
    }

    package var elementClass: HDF5ElementClass {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        let type = H5Dget_type(handle.id)
        defer { H5Tclose(type) }
        switch H5Tget_class(type) {
        case H5T_FLOAT: return .float
        case H5T_INTEGER: return .integer
        case H5T_STRING: return .string
        case H5T_REFERENCE: return .reference
        default: return .other
        }
    }

    /// All values converted to Double, in C order.
    package func readDoubles() throws -> [Double] {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        guard elementClass == .float || elementClass == .integer else {
            throw NeuroIOError.badValue(file.path, field: name, detail: "expected numbers, found \(elementClass)")
        }
        try requirePlausibleSize(count)
        var values = [Double](repeating: 0, count: count)
        guard count > 0 else { return values }
        let status = values.withUnsafeMutableBytes {
            H5Dread(handle.id, nt_H5T_NATIVE_DOUBLE(), nt_H5S_ALL(), nt_H5S_ALL(), nt_H5P_DEFAULT(), $0.baseAddress)
        }
        guard status >= 0 else {
            throw NeuroIOError.corrupt(file.path, detail: "cannot read dataset '\(name)' (truncated or damaged)")
        }
        return values
    }

    /// Rows `rows` along the first dimension (all of the others), converted to Double, in C order. Callers
    /// that stream a dataset block by block check ``requirePlausibleSize(_:)`` once, when they open it
    /// (the stored size walks every chunk's index, too slow to ask per block).
    package func readDoubles(rows: Range<Int>) throws -> [Double] {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        let dims = shape
        guard !dims.isEmpty, rows.lowerBound >= 0, rows.upperBound <= dims[0] else {
            throw NeuroIOError.badValue(file.path, field: name, detail: "row range \(rows) outside shape \(dims)")
        }
        let rowSize = Array(dims.dropFirst()).saturatingProduct
        var values = [Double](repeating: 0, count: rows.count * rowSize)
        guard !values.isEmpty else { return values }
        let fileSpace = H5Dget_space(handle.id)
        defer { H5Sclose(fileSpace) }
        var start = [hsize_t](repeating: 0, count: dims.count)
        start[0] = hsize_t(rows.lowerBound)
        var extent = dims.map { hsize_t($0) }
        extent[0] = hsize_t(rows.count)
        H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &extent, nil)
        let memSpace = H5Screate_simple(Int32(dims.count), &extent, nil)
        defer { H5Sclose(memSpace) }
        let status = values.withUnsafeMutableBytes {
            H5Dread(handle.id, nt_H5T_NATIVE_DOUBLE(), memSpace, fileSpace, nt_H5P_DEFAULT(), $0.baseAddress)
        }
        guard status >= 0 else {
            throw NeuroIOError.corrupt(file.path, detail: "cannot read rows \(rows) of dataset '\(name)'")
        }
        return values
    }

    /// All values of a string dataset (fixed or variable length, ASCII or UTF-8).
    package func readStrings() throws -> [String] {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        let type = H5Dget_type(handle.id)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING else {
            throw NeuroIOError.badValue(file.path, field: name, detail: "expected strings, found \(elementClass)")
        }
        let n = count
        guard n > 0 else { return [] }
        try requirePlausibleSize(n)
        if H5Tis_variable_str(type) > 0 {
            let memType = H5Tcopy(nt_H5T_C_S1()); defer { H5Tclose(memType) }
            H5Tset_size(memType, nt_H5T_VARIABLE())
            H5Tset_cset(memType, H5Tget_cset(type))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
            guard H5Dread(handle.id, memType, nt_H5S_ALL(), nt_H5S_ALL(), nt_H5P_DEFAULT(), &pointers) >= 0 else {
                throw NeuroIOError.corrupt(file.path, detail: "cannot read strings of '\(name)'")
            }
            let space = H5Dget_space(handle.id); defer { H5Sclose(space) }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            H5Dvlen_reclaim(memType, space, nt_H5P_DEFAULT(), &pointers)
            return strings
        }
        let size = H5Tget_size(type)
        let (bytes, overflow) = size.multipliedReportingOverflow(by: n)
        guard !overflow else { throw NeuroIOError.corrupt(file.path, detail: "dataset \(name) declares \(n) strings of \(size) bytes") }
        try requirePlausibleSize(bytes)
        var buffer = [UInt8](repeating: 0, count: bytes)
        let memType = H5Tcopy(type); defer { H5Tclose(memType) }
        guard H5Dread(handle.id, memType, nt_H5S_ALL(), nt_H5S_ALL(), nt_H5P_DEFAULT(), &buffer) >= 0 else {
            throw NeuroIOError.corrupt(file.path, detail: "cannot read strings of '\(name)'")
        }
        return (0..<n).map { i in
            String(decoding: buffer[(i * size)..<((i + 1) * size)].prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The objects an object-reference dataset points to, in C order (MATLAB cells, NWB regions).
    package func readReferences() throws -> [HDF5Object] {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        guard elementClass == .reference else {
            throw NeuroIOError.badValue(file.path, field: name, detail: "expected object references, found \(elementClass)")
        }
        guard count > 0 else { return [] }
        try requirePlausibleSize(count)
        var refs = [hobj_ref_t](repeating: 0, count: count)
        guard H5Dread(handle.id, nt_H5T_STD_REF_OBJ(), nt_H5S_ALL(), nt_H5S_ALL(), nt_H5P_DEFAULT(), &refs) >= 0 else {
            throw NeuroIOError.corrupt(file.path, detail: "cannot read object references of '\(name)'")
        }
        return try refs.map { try file.dereference($0, from: handle.id) }
    }
}

extension HDF5Dataset {
    /// The chunk dimensions (nil for a contiguous dataset).
    package var chunkShape: [Int]? {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        let plist = H5Dget_create_plist(handle.id)
        defer { H5Pclose(plist) }
        guard H5Pget_layout(plist) == H5D_CHUNKED else { return nil }
        let space = H5Dget_space(handle.id)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        guard H5Pget_chunk(plist, Int32(rank), &dims) >= 0 else { return nil }
        return dims.map { Int(clamping: $0) }
    }

    /// Writes one chunk that has already been through the dataset's whole filter pipeline (its bytes
    /// exactly as stored), at the element offset `offset` (a multiple of the chunk shape).
    package func writeFilteredChunk(offset: [Int], bytes: [UInt8]) throws {
        nativeIOLock.lock()
        defer { nativeIOLock.unlock() }
        var start = offset.map { hsize_t($0) }
        let status = bytes.withUnsafeBytes {
            H5Dwrite_chunk(handle.id, nt_H5P_DEFAULT(), 0, &start, bytes.count, $0.baseAddress)
        }
        guard status >= 0 else {
            throw NeuroIOError.hdf5(file.path, function: "H5Dwrite_chunk", detail: "cannot write chunk at \(offset) of '\(name)'")
        }
    }
}

/// Process-wide HDF5 settings.
package enum HDF5Library {
    /// Asks HDF5 not to close (and flush) the files still open when the process exits. neurotool closes
    /// or abandons every file it writes explicitly; the only files open at exit are those a failed write
    /// (a full disk) could not close, and HDF5 1.10 crashes flushing them again from its exit handler.
    /// Effective only before any other HDF5 call: the command line calls it first thing.
    package static func skipCloseAtExit() {
        _ = H5dont_atexit()
    }
}
