internal import CNetCDF
import Foundation
import NeuroCore




/// The NetCDF element types neurotool reads and writes.
package enum NetCDFType {
    case double, float, int32, int8, uint8, string, char, other

    var ncType: nc_type {
        switch self {
        case .double: return nc_type(NC_DOUBLE)
        case .float: return nc_type(NC_FLOAT)
        case .int32: return nc_type(NC_INT)
        case .int8: return nc_type(NC_BYTE)
        case .uint8: return nc_type(NC_UBYTE)
        case .string: return nc_type(NC_STRING)
        case .char: return nc_type(NC_CHAR)
        case .other: return nc_type(NC_NAT)
        }
    }

    init(_ t: nc_type) {
        switch Int32(t) {
        case NC_DOUBLE: self = .double
        case NC_FLOAT: self = .float
        case NC_INT, NC_SHORT, NC_INT64, NC_UINT, NC_USHORT, NC_UINT64: self = .int32
        case NC_BYTE: self = .int8
        case NC_UBYTE: self = .uint8
        case NC_STRING: self = .string
        case NC_CHAR: self = .char
        default: self = .other
        }
    }

    package var isNumeric: Bool { [.double, .float, .int32, .int8, .uint8].contains(self) }
}

/// A NetCDF location: the file root or a group, identified by its ncid.
package struct NetCDFGroup: Sendable {
    package let ncid: Int32
    package let name: String
}

/// A NetCDF variable inside a group.
package struct NetCDFVariable: Sendable {
    package let group: NetCDFGroup
    package let varid: Int32
    package let name: String
    package let type: NetCDFType
    package let dimensionNames: [String]
    package let shape: [Int]
    package var count: Int { shape.saturatingProduct }
}

/// A NetCDF-4 file, opened for reading or created for writing. All calls are serialised.
package final class NetCDFFile: @unchecked Sendable {
    package let path: String
    private var ncid: Int32 = -1
    private var isOpen = false

    private init(path: String) { self.path = path }

    /// Opens an existing NetCDF (3 or 4) file read-only.
    package static func open(_ path: String) throws -> NetCDFFile {
        try FileAccess.requireNonEmptyFile(path)
        do {
            return try open(path, mode: NC_NOWRITE)
        } catch NeuroIOError.netcdf(_, _, let message) {
            throw NeuroIOError.corrupt(path, detail: "not a readable NetCDF file (\(message))")
        }
    }

    /// Opens an existing NetCDF-4 file for adding groups, variables and attributes.
    package static func openForWriting(_ path: String) throws -> NetCDFFile {
        try open(path, mode: NC_WRITE)
    }

    private static func open(_ path: String, mode: Int32) throws -> NetCDFFile {
        let file = NetCDFFile(path: path)
        var id: Int32 = -1
        try file.check(nativeIOLock.withLock { nc_open(path, mode, &id) }, "nc_open")
        file.ncid = id
        file.isOpen = true
        return file
    }

    /// Creates a new NetCDF-4 file at `path`, replacing what is there (callers write to a temporary path).
    package static func create(_ path: String) throws -> NetCDFFile {
        let file = NetCDFFile(path: path)
        var id: Int32 = -1
        try file.check(nativeIOLock.withLock { nc_create(path, NC_NETCDF4 | NC_CLOBBER, &id) }, "nc_create")
        file.ncid = id
        file.isOpen = true
        return file
    }

    deinit { if isOpen { _ = nativeIOLock.withLock { nc_close(ncid) } } }

    /// Flushes and closes the file; throws if the data could not be written.
    package func close() throws {
        guard isOpen else { return }
        isOpen = false
        try check(nativeIOLock.withLock { nc_close(ncid) }, "nc_close")
    }

    /// The root group.
    package var root: NetCDFGroup { NetCDFGroup(ncid: ncid, name: "/") }

    // MARK: - Reading structure

    /// Sub-groups of `group`, in file order.
    package func groups(in group: NetCDFGroup) throws -> [NetCDFGroup] {
        try nativeIOLock.withLock {
            var n: Int32 = 0
            try check(nc_inq_grps(group.ncid, &n, nil), "nc_inq_grps")
            guard n > 0 else { return [] }
            var ids = [Int32](repeating: 0, count: Int(n))
            try check(nc_inq_grps(group.ncid, &n, &ids), "nc_inq_grps")
            return try ids.map { id in
                var length = 0
                try check(nc_inq_grpname_len(id, &length), "nc_inq_grpname_len")
                var buffer = [CChar](repeating: 0, count: length + 1)
                try check(nc_inq_grpname(id, &buffer), "nc_inq_grpname")
                return NetCDFGroup(ncid: id, name: String(cBuffer: buffer))
            }
        }
    }

    /// The sub-group called `name`, or nil.
    package func group(named name: String, in parent: NetCDFGroup) throws -> NetCDFGroup? {
        try groups(in: parent).first { $0.name == name }
    }

    /// Names of the variables in `group`.
    package func variableNames(in group: NetCDFGroup) throws -> [String] {
        try nativeIOLock.withLock {
            var n: Int32 = 0
            try check(nc_inq_varids(group.ncid, &n, nil), "nc_inq_varids")
            var ids = [Int32](repeating: 0, count: Int(n))
            if n > 0 { try check(nc_inq_varids(group.ncid, &n, &ids), "nc_inq_varids") }
            return try ids.map { id in
                var buffer = [CChar](repeating: 0, count: Int(NC_MAX_NAME) + 1)
                try check(nc_inq_varname(group.ncid, id, &buffer), "nc_inq_varname")
                return String(cBuffer: buffer)
            }
        }
    }

    /// The variable `name` in `group`, or nil when absent.
    package func variable(_ name: String, in group: NetCDFGroup) throws -> NetCDFVariable? {
        try nativeIOLock.withLock {
            var varid: Int32 = 0
            guard nc_inq_varid(group.ncid, name, &varid) == NC_NOERR else { return nil }
            var type: nc_type = 0
            var ndims: Int32 = 0
            try check(nc_inq_var(group.ncid, varid, nil, &type, &ndims, nil, nil), "nc_inq_var")
            var dimids = [Int32](repeating: 0, count: Int(ndims))
            if ndims > 0 { try check(nc_inq_vardimid(group.ncid, varid, &dimids), "nc_inq_vardimid") }
            var names: [String] = []
            var shape: [Int] = []
            for d in dimids {
                var buffer = [CChar](repeating: 0, count: Int(NC_MAX_NAME) + 1)
                var length = 0
                try check(nc_inq_dim(group.ncid, d, &buffer, &length), "nc_inq_dim")
                names.append(String(cBuffer: buffer))
                shape.append(length)
            }
            return NetCDFVariable(group: group, varid: varid, name: name, type: NetCDFType(type),
                                  dimensionNames: names, shape: shape)
        }
    }

    /// The variable `name` in `group`, or a ``NeuroIOError/missingKey(_:key:available:)`` error.
    package func requireVariable(_ name: String, in group: NetCDFGroup) throws -> NetCDFVariable {
        if let v = try variable(name, in: group) { return v }
        throw NeuroIOError.missingKey(path, key: "variable '\(name)' in group '\(group.name)'",
                                      available: (try? variableNames(in: group)) ?? [])
    }

    // MARK: - Reading values

    /// All values of a numeric variable converted to Double, in C order.
    package func readDoubles(_ v: NetCDFVariable) throws -> [Double] {
        guard v.type.isNumeric else {
            throw NeuroIOError.badValue(path, field: v.name, detail: "expected a numeric variable")
        }
        var values = [Double](repeating: 0, count: v.count)
        guard v.count > 0 else { return values }
        try check(nativeIOLock.withLock { nc_get_var_double(v.group.ncid, v.varid, &values) }, "nc_get_var_double(\(v.name))")
        return values
    }

    /// Values of a numeric variable along its first dimension, rows `rows`.
    package func readDoubles(_ v: NetCDFVariable, rows: Range<Int>) throws -> [Double] {
        var start = [Int](repeating: 0, count: v.shape.count)
        var count = v.shape
        start[0] = rows.lowerBound
        count[0] = rows.count
        var values = [Double](repeating: 0, count: count.reduce(1, *))
        guard !values.isEmpty else { return values }
        try check(nativeIOLock.withLock { nc_get_vara_double(v.group.ncid, v.varid, &start, &count, &values) },
                  "nc_get_vara_double(\(v.name))")
        return values
    }

    /// All values of a string variable: `NC_STRING`, or `NC_CHAR` whose last dimension is the string length.
    package func readStrings(_ v: NetCDFVariable) throws -> [String] {
        switch v.type {
        case .string:
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: v.count)
            guard v.count > 0 else { return [] }
            try check(nativeIOLock.withLock { nc_get_var_string(v.group.ncid, v.varid, &pointers) }, "nc_get_var_string(\(v.name))")
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = nativeIOLock.withLock { nc_free_string(pointers.count, &pointers) }
            return strings
        case .char:
            let width = v.shape.last ?? 1
            var bytes = [CChar](repeating: 0, count: v.count)
            if v.count > 0 { try check(nativeIOLock.withLock { nc_get_var_text(v.group.ncid, v.varid, &bytes) }, "nc_get_var_text(\(v.name))") }
            let n = v.shape.count <= 1 ? 1 : v.count / max(width, 1)
            return (0..<n).map { i in
                let slice = bytes[(i * width)..<((i + 1) * width)].map { UInt8(bitPattern: $0) }
                return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self).trimmingWhitespace()
            }
        default:
            throw NeuroIOError.badValue(path, field: v.name, detail: "expected a string variable")
        }
    }

    /// A text attribute of a variable (or of the group when `variable` is nil), or nil when absent.
    package func textAttribute(_ name: String, of variable: NetCDFVariable? = nil, in group: NetCDFGroup) -> String? {
        nativeIOLock.withLock {
            let varid = variable?.varid ?? NC_GLOBAL
            var type: nc_type = 0
            var length = 0
            guard nc_inq_att(group.ncid, varid, name, &type, &length) == NC_NOERR else { return nil }
            if Int32(type) == NC_CHAR {
                var buffer = [CChar](repeating: 0, count: length + 1)
                guard nc_get_att_text(group.ncid, varid, name, &buffer) == NC_NOERR else { return nil }
                return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            if Int32(type) == NC_STRING, length >= 1 {
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: length)
                guard nc_get_att_string(group.ncid, varid, name, &pointers) == NC_NOERR else { return nil }
                let s = pointers[0].map { String(cString: $0) }
                _ = nc_free_string(length, &pointers)
                return s
            }
            return nil
        }
    }

    /// A numeric attribute converted to Double, or nil when absent or not numeric.
    package func numericAttribute(_ name: String, of variable: NetCDFVariable? = nil, in group: NetCDFGroup) -> [Double]? {
        nativeIOLock.withLock {
            let varid = variable?.varid ?? NC_GLOBAL
            var type: nc_type = 0
            var length = 0
            guard nc_inq_att(group.ncid, varid, name, &type, &length) == NC_NOERR,
                  NetCDFType(type).isNumeric, length > 0 else { return nil }
            var values = [Double](repeating: 0, count: length)
            guard nc_get_att_double(group.ncid, varid, name, &values) == NC_NOERR else { return nil }
            return values
        }
    }

    /// True when the attribute is stored as an integer type.
    package func isIntegerAttribute(_ name: String, of variable: NetCDFVariable? = nil, in group: NetCDFGroup) -> Bool {
        nativeIOLock.withLock {
            var type: nc_type = 0
            var length = 0
            guard nc_inq_att(group.ncid, variable?.varid ?? NC_GLOBAL, name, &type, &length) == NC_NOERR else { return false }
            return [NC_INT, NC_SHORT, NC_INT64, NC_UINT, NC_USHORT, NC_UINT64, NC_BYTE, NC_UBYTE].contains(Int32(type))
        }
    }

    /// Names of the attributes of a variable (or of the group).
    package func attributeNames(of variable: NetCDFVariable? = nil, in group: NetCDFGroup) throws -> [String] {
        try nativeIOLock.withLock {
            let varid = variable?.varid ?? NC_GLOBAL
            var n: Int32 = 0
            if let v = variable {
                try check(nc_inq_varnatts(group.ncid, v.varid, &n), "nc_inq_varnatts")
            } else {
                try check(nc_inq_natts(group.ncid, &n), "nc_inq_natts")
            }
            return try (0..<n).map { i in
                var buffer = [CChar](repeating: 0, count: Int(NC_MAX_NAME) + 1)
                try check(nc_inq_attname(group.ncid, varid, i, &buffer), "nc_inq_attname")
                return String(cBuffer: buffer)
            }
        }
    }

    // MARK: - Writing

    /// Creates a sub-group.
    package func defineGroup(_ name: String, in parent: NetCDFGroup) throws -> NetCDFGroup {
        var id: Int32 = 0
        try check(nativeIOLock.withLock { nc_def_grp(parent.ncid, name, &id) }, "nc_def_grp(\(name))")
        return NetCDFGroup(ncid: id, name: name)
    }

    /// Creates a dimension and returns its id.
    @discardableResult
    package func defineDimension(_ name: String, length: Int, in group: NetCDFGroup) throws -> Int32 {
        var id: Int32 = 0
        try check(nativeIOLock.withLock { nc_def_dim(group.ncid, name, length, &id) }, "nc_def_dim(\(name))")
        return id
    }

    /// Creates a variable over existing dimensions (looked up by name), optionally deflated and chunked.
    package func defineVariable(_ name: String, type: NetCDFType, dimensions: [String], in group: NetCDFGroup,
                        deflate: Int32? = nil, chunks: [Int]? = nil) throws -> NetCDFVariable {
        try nativeIOLock.withLock {
            var dimids: [Int32] = []
            var shape: [Int] = []
            for d in dimensions {
                var id: Int32 = 0
                try check(nc_inq_dimid(group.ncid, d, &id), "nc_inq_dimid(\(d))")
                var length = 0
                try check(nc_inq_dimlen(group.ncid, id, &length), "nc_inq_dimlen(\(d))")
                dimids.append(id)
                shape.append(length)
            }
            var varid: Int32 = 0
            try check(nc_def_var(group.ncid, name, type.ncType, Int32(dimids.count), &dimids, &varid), "nc_def_var(\(name))")
            if var chunks, !dimensions.isEmpty, !shape.contains(0) {
                try check(nc_def_var_chunking(group.ncid, varid, NC_CHUNKED, &chunks), "nc_def_var_chunking(\(name))")
                // netcdf-c keeps every chunk of a variable in its cache until the file closes unless told
                // otherwise: cache two chunks only, so memory stays bounded however long the output grows.
                let chunkBytes = chunks.reduce(8, *)
                try check(nc_set_var_chunk_cache(group.ncid, varid, 2 * chunkBytes, 2, 1.0), "nc_set_var_chunk_cache(\(name))")
            }
            if let level = deflate, !dimensions.isEmpty, !shape.contains(0) {
                try check(nc_def_var_deflate(group.ncid, varid, 1, 1, level), "nc_def_var_deflate(\(name))")
            }
            return NetCDFVariable(group: group, varid: varid, name: name, type: type, dimensionNames: dimensions, shape: shape)
        }
    }

    /// Makes NaN the fill value of a float variable (`_FillValue`): what readers see where nothing was
    /// written.
    package func setNaNFill(_ v: NetCDFVariable) throws {
        try nativeIOLock.withLock {
            switch v.type {
            case .float:
                var nan = Float.nan
                try check(nc_def_var_fill(v.group.ncid, v.varid, 0, &nan), "nc_def_var_fill(\(v.name))")
            case .double:
                var nan = Double.nan
                try check(nc_def_var_fill(v.group.ncid, v.varid, 0, &nan), "nc_def_var_fill(\(v.name))")
            default:
                break
            }
        }
    }

    /// Writes a text attribute on a variable, or on the group when `variable` is nil.
    package func putAttribute(_ name: String, text: String, on variable: NetCDFVariable? = nil, in group: NetCDFGroup) throws {
        let bytes = Array(text.utf8)
        try check(nativeIOLock.withLock {
            nc_put_att_text(group.ncid, variable?.varid ?? NC_GLOBAL, name, bytes.count, bytes.map { CChar(bitPattern: $0) })
        }, "nc_put_att_text(\(name))")
    }

    /// Writes a double (array) attribute.
    package func putAttribute(_ name: String, doubles: [Double], on variable: NetCDFVariable? = nil, in group: NetCDFGroup) throws {
        try check(nativeIOLock.withLock {
            nc_put_att_double(group.ncid, variable?.varid ?? NC_GLOBAL, name, nc_type(NC_DOUBLE), doubles.count, doubles)
        }, "nc_put_att_double(\(name))")
    }

    /// Writes a 32-bit integer (array) attribute.
    package func putAttribute(_ name: String, integers: [Int32], on variable: NetCDFVariable? = nil, in group: NetCDFGroup) throws {
        try check(nativeIOLock.withLock {
            nc_put_att_int(group.ncid, variable?.varid ?? NC_GLOBAL, name, nc_type(NC_INT), integers.count, integers)
        }, "nc_put_att_int(\(name))")
    }

    /// Writes an attribute of any ``AttributeValue`` kind.
    package func put(_ key: String, _ value: AttributeValue, on variable: NetCDFVariable?, in group: NetCDFGroup) throws {
        switch value {
        case .text(let s): try putAttribute(key, text: s, on: variable, in: group)
        case .number(let d): try putAttribute(key, doubles: [d], on: variable, in: group)
        case .integer(let i): try putAttribute(key, integers: [Int32(clamping: i)], on: variable, in: group)
        case .numbers(let a): try putAttribute(key, doubles: a, on: variable, in: group)
        }
    }

    /// Writes all values of a numeric variable (converted by netCDF to the variable's type).
    package func write(_ values: [Double], to v: NetCDFVariable) throws {
        guard !values.isEmpty else { return }
        precondition(values.count == v.count, "write: \(values.count) values for variable \(v.name) of \(v.count)")
        try check(nativeIOLock.withLock { nc_put_var_double(v.group.ncid, v.varid, values) }, "nc_put_var_double(\(v.name))")
    }

    /// Writes rows `start..<start+rows` along the first dimension of a numeric variable.
    package func write(_ values: [Double], to v: NetCDFVariable, startRow: Int) throws {
        guard !values.isEmpty else { return }
        let rowSize = v.shape.dropFirst().reduce(1, *)
        var start = [Int](repeating: 0, count: v.shape.count)
        start[0] = startRow
        var count = v.shape
        count[0] = values.count / max(rowSize, 1)
        try check(nativeIOLock.withLock { nc_put_vara_double(v.group.ncid, v.varid, &start, &count, values) },
                  "nc_put_vara_double(\(v.name))")
    }

    /// Writes booleans as 0/1 bytes.
    package func write(_ flags: [Bool], to v: NetCDFVariable) throws {
        guard !flags.isEmpty else { return }
        let bytes: [Int8] = flags.map { $0 ? 1 : 0 }
        try check(nativeIOLock.withLock { nc_put_var_schar(v.group.ncid, v.varid, bytes) }, "nc_put_var_schar(\(v.name))")
    }

    /// Writes the values of a string variable.
    package func write(_ strings: [String], to v: NetCDFVariable) throws {
        guard !strings.isEmpty else { return }
        var cStrings = strings.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        try cStrings.withUnsafeMutableBufferPointer { buffer in
            try buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { rebound in
                try check(nativeIOLock.withLock { nc_put_var_string(v.group.ncid, v.varid, rebound.baseAddress) },
                          "nc_put_var_string(\(v.name))")
            }
        }
    }

    // MARK: - Errors

    private func check(_ status: Int32, _ function: String) throws {
        guard status == NC_NOERR else {
            throw NeuroIOError.netcdf(path, function: function, message: NetCDFFile.message(status))
        }
    }

    private static func message(_ status: Int32) -> String {
        String(cString: nc_strerror(status))
    }
}
