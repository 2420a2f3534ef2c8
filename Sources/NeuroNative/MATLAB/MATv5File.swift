internal import CMatio
import Foundation
import NeuroCore

/// A MATLAB v5 MAT-file (MATLAB 5 to 7.2, and what `scipy.io.savemat` writes), read through libmatio.
///
/// Each variable is read whole by libmatio when first asked for (v5 variables are single, often
/// compressed, records), then decoded into ``MATValue``s lazily, cell by cell and field by field.
package final class MATv5File: @unchecked Sendable {
    package let path: String
    private let mat: OpaquePointer
    /// The most elements a variable of this file can hold: deflate expands at most 1032-fold, and an
    /// element takes at least a byte. libmatio sizes arrays by their declared dimensions alone.
    private let elementLimit: Int
    /// Variables already read, kept alive while their decoded values may still refer to them.
    private var variables: [String: MatioVariable] = [:]

    private static let silenced: Void = { nt_matio_silence() }()

    package init(path: String) throws {
        _ = MATv5File.silenced
        try MATv5File.checkElements(path)
        guard let mat = nativeIOLock.withLock({ Mat_Open(path, Int32(MAT_ACC_RDONLY.rawValue)) }) else {
            throw NeuroIOError.corrupt(path, detail: "not a readable MATLAB v5 MAT-file (libmatio could not open it)")
        }
        self.mat = mat
        self.path = path
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        elementLimit = size.multipliedReportingOverflow(by: 1032).partialValue
    }

    /// Walks the top-level data elements after the 128-byte header and refuses a file whose last
    /// element runs past its end. libmatio itself reads a truncated file without complaint (zeros or
    /// garbage in the cut variable), so this check is what makes a truncated file an error.
    package static func checkElements(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw NeuroIOError.fileNotFound(path) }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        let header = try FileAccess.read(handle, at: 0, count: min(size, 128), path: path, what: "the MAT header")
        guard header.count == 128 else { throw NeuroIOError.corrupt(path, detail: "shorter than a MAT-file header (128 bytes)") }
        let bigEndian = header[126] == UInt8(ascii: "M") && header[127] == UInt8(ascii: "I")
        func word(_ bytes: [UInt8], _ at: Int) -> Int {
            let b = bytes[at..<(at + 4)].map(Int.init)
            return bigEndian ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]
        }
        var offset = 128, index = 1
        while offset < size {
            guard size - offset >= 8 else {
                throw NeuroIOError.corrupt(path, detail: "truncated: \(size - offset) stray bytes after element \(index - 1) at byte \(offset)")
            }
            let tag = try FileAccess.read(handle, at: offset, count: 8, path: path, what: "element \(index)")
            let type = word(tag, 0), length = word(tag, 4)
            // Compressed elements (type 15) are not padded; the others are, to 8 bytes.
            let end = offset + 8 + (type == 15 ? length : (length + 7) / 8 * 8)
            guard end <= size || (type != 15 && offset + 8 + length <= size && end - size < 8) else {
                throw NeuroIOError.corrupt(path, detail: "truncated: element \(index) at byte \(offset) needs \(8 + length) bytes, the file ends \(size - offset) bytes after it starts")
            }
            offset = end
            index += 1
        }
    }

    deinit {
        variables.removeAll()
        _ = nativeIOLock.withLock { Mat_Close(mat) }
    }

    /// Names of the variables, in file order. A record that cannot be read ends the list with an error
    /// (a truncated file).
    package func variableNames() throws -> [String] {
        try nativeIOLock.withLock {
            guard Mat_Rewind(mat) == 0 else { throw NeuroIOError.corrupt(path, detail: "cannot rewind the MAT-file") }
            var names: [String] = []
            while let info = Mat_VarReadNextInfo(mat) {
                if let name = info.pointee.name { names.append(String(cString: name)) }
                Mat_VarFree(info)
            }
            return names
        }
    }

    /// The file's variables as the fields of one struct.
    package func root() throws -> MATStruct {
        let names = try variableNames()
        return MATStruct(name: "", dims: [1, 1], fieldNames: names) { name, _ in try self.variable(name) }
    }

    /// Variable `name`, read and decoded.
    package func variable(_ name: String) throws -> MATValue {
        // The cache and libmatio are touched under the I/O lock: recordings of one file may load on several threads.
        let owner: MatioVariable = try nativeIOLock.withLock {
            if let known = variables[name] { return known }
            guard let pointer = Mat_VarRead(mat, name) else {
                throw NeuroIOError.corrupt(path, detail: "variable '\(name)' cannot be read (truncated or damaged file?)")
            }
            let owner = MatioVariable(pointer)
            variables[name] = owner
            return owner
        }
        return try decode(owner.pointer, owner: owner, name: name)
    }

    /// One matio variable (or a cell element / struct field inside one) as a ``MATValue``.
    private func decode(_ v: UnsafeMutablePointer<matvar_t>, owner: MatioVariable, name: String) throws -> MATValue {
        let rank = Int(v.pointee.rank)
        let dims = (0..<rank).map { Int(v.pointee.dims[$0]) }
        let count = dims.saturatingProduct
        guard count <= elementLimit else {
            throw NeuroIOError.corrupt(path, detail: "'\(name)' declares dimensions \(dims), more elements than the file can hold (damaged?)")
        }
        let cls = v.pointee.class_type
        if cls == MAT_C_EMPTY || (count == 0 && cls != MAT_C_STRUCT) { return .empty }
        switch cls {
        case MAT_C_CELL:
            return .cell(MATCell(dims: dims, count: count) { i in
                // libmatio leaves the elements it could not read empty: a damaged or truncated cell.
                guard i <= Int32.max, let element = Mat_VarGetCell(v, Int32(i)) else {
                    throw NeuroIOError.corrupt(self.path, detail: "element \(i + 1) of cell '\(name)' cannot be read (damaged file?)")
                }
                return try self.decode(element, owner: owner, name: "\(name){\(i + 1)}")
            })
        case MAT_C_STRUCT:
            let fieldCount = Int(Mat_VarGetNumberOfFields(v))
            var fields: [String] = []
            if fieldCount > 0, let names = Mat_VarGetStructFieldnames(v) {
                for k in 0..<fieldCount { fields.append(names[k].map { String(cString: $0) } ?? "") }
            }
            return .structure(MATStruct(name: name, dims: dims, fieldNames: fields) { field, i in
                guard i < count, let value = Mat_VarGetStructFieldByName(v, field, i) else { return .empty }
                return try self.decode(value, owner: owner, name: "\(name)(\(i + 1)).\(field)")
            })
        case MAT_C_CHAR:
            return .text(try characters(v, dims: dims, count: count, name: name))
        case MAT_C_DOUBLE, MAT_C_SINGLE, MAT_C_INT8, MAT_C_UINT8, MAT_C_INT16, MAT_C_UINT16,
             MAT_C_INT32, MAT_C_UINT32, MAT_C_INT64, MAT_C_UINT64:
            guard v.pointee.isComplex == 0 else {
                throw NeuroIOError.unsupported(path, detail: "'\(name)' is a complex array")
            }
            return .numeric(dims: dims, values: try numbers(v, count: count, name: name))
        case MAT_C_SPARSE:
            throw NeuroIOError.unsupported(path, detail: "'\(name)' is a sparse matrix (save it full)")
        default:
            throw NeuroIOError.unsupported(path, detail: "'\(name)' is a MATLAB object or function handle")
        }
    }

    private func numbers(_ v: UnsafeMutablePointer<matvar_t>, count: Int, name: String) throws -> [Double] {
        guard let data = v.pointee.data else {
            throw NeuroIOError.corrupt(path, detail: "'\(name)' has no data (truncated file?)")
        }
        func convert<T>(_ type: T.Type, _ toDouble: (T) -> Double) throws -> [Double] {
            guard count <= Int(v.pointee.nbytes) / MemoryLayout<T>.stride else {
                throw NeuroIOError.corrupt(path, detail: "'\(name)' holds \(v.pointee.nbytes) bytes, fewer than its \(count) elements need")
            }
            let typed = data.bindMemory(to: T.self, capacity: count)
            return (0..<count).map { toDouble(typed[$0]) }
        }
        switch v.pointee.data_type {
        case MAT_T_DOUBLE: return try convert(Double.self) { $0 }
        case MAT_T_SINGLE: return try convert(Float.self) { Double($0) }
        case MAT_T_INT8: return try convert(Int8.self) { Double($0) }
        case MAT_T_UINT8: return try convert(UInt8.self) { Double($0) }
        case MAT_T_INT16: return try convert(Int16.self) { Double($0) }
        case MAT_T_UINT16: return try convert(UInt16.self) { Double($0) }
        case MAT_T_INT32: return try convert(Int32.self) { Double($0) }
        case MAT_T_UINT32: return try convert(UInt32.self) { Double($0) }
        case MAT_T_INT64: return try convert(Int64.self) { Double($0) }
        case MAT_T_UINT64: return try convert(UInt64.self) { Double($0) }
        default:
            throw NeuroIOError.unsupported(path, detail: "'\(name)' has an unsupported element type (\(v.pointee.data_type.rawValue))")
        }
    }

    private func characters(_ v: UnsafeMutablePointer<matvar_t>, dims: [Int], count: Int, name: String) throws -> String {
        guard let data = v.pointee.data else {
            throw NeuroIOError.corrupt(path, detail: "'\(name)' has no data (truncated file?)")
        }
        let bytes = Int(v.pointee.nbytes)
        switch v.pointee.data_type {
        case MAT_T_UINT16, MAT_T_UTF16, MAT_T_INT16:
            let codes = Array(UnsafeBufferPointer(start: data.bindMemory(to: UInt16.self, capacity: bytes / 2), count: min(count, bytes / 2)))
            return MATText.rows(codes: codes, dims: dims)
        case MAT_T_UINT8, MAT_T_UTF8, MAT_T_INT8:
            let raw = Array(UnsafeBufferPointer(start: data.bindMemory(to: UInt8.self, capacity: bytes), count: bytes))
            // One byte per character (ASCII) keeps the column-major layout; multi-byte UTF-8 is a row.
            if raw.count == count && raw.allSatisfy({ $0 < 0x80 }) { return MATText.rows(codes: raw.map(UInt16.init), dims: dims) }
            return String(decoding: raw, as: UTF8.self)
        default:
            throw NeuroIOError.unsupported(path, detail: "'\(name)' is a char array of an unsupported type")
        }
    }
}

/// A variable libmatio read, freed with it.
package final class MatioVariable {
    let pointer: UnsafeMutablePointer<matvar_t>
    init(_ pointer: UnsafeMutablePointer<matvar_t>) { self.pointer = pointer }
    deinit { nativeIOLock.withLock { Mat_VarFree(pointer) } }
}
