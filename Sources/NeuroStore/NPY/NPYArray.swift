import Foundation
import NeuroCore
import NeuroNative

/// A numeric array read from a NumPy `.npy` file (format versions 1, 2 and 3).
package struct NPYArray {
    package var shape: [Int]
    /// Values in C order (Fortran-ordered files are reordered on reading).
    package var values: [Double]

    /// Reads `path`; supports little- and big-endian floats (2/4/8 bytes), signed and unsigned integers
    /// (1/2/4/8 bytes) and booleans. Object arrays (pickles) are refused.
    package static func read(_ path: String) throws -> NPYArray {
        let data = try FileAccess.contents(of: path)
        let bytes = [UInt8](data)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw NeuroIOError.corrupt(path, detail: "not a NumPy .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1: headerLength = Int(bytes[8]) | Int(bytes[9]) << 8; headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw NeuroIOError.corrupt(path, detail: "truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default: throw NeuroIOError.unsupported(path, detail: ".npy format version \(major) is not supported")
        }
        guard bytes.count >= headerStart + headerLength else { throw NeuroIOError.corrupt(path, detail: "truncated .npy header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header), let shapeText = field("shape", in: header) else {
            throw NeuroIOError.corrupt(path, detail: ".npy header lacks 'descr' or 'shape'")
        }
        let fortran = field("fortran_order", in: header) == "True"
        // Every dimension must be a number: dropping one that does not parse would misread the array.
        let dimensions = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = dimensions.compactMap { Int($0) }
        guard shape.count == dimensions.count else { throw NeuroIOError.corrupt(path, detail: ".npy shape \(shapeText) is impossible") }
        let type = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        guard type.count >= 3, let size = Int(type.dropFirst(2)) else {
            throw NeuroIOError.unsupported(path, detail: ".npy dtype '\(type)' is not supported")
        }
        let order = type.first!, kind = type[type.index(after: type.startIndex)]
        guard kind != "O" else { throw NeuroIOError.unsupported(path, detail: ".npy holds Python objects (a pickle), not numbers") }
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard d >= 0, !overflow else { throw NeuroIOError.corrupt(path, detail: ".npy shape \(shapeText) is impossible") }
            count = product
        }
        let start = headerStart + headerLength
        let (needed, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, bytes.count - start >= needed else {
            throw NeuroIOError.corrupt(path, detail: "truncated .npy data: \(bytes.count - start) bytes for \(count) values of \(size) bytes")
        }
        let bigEndian = order == ">"
        var values = [Double](repeating: 0, count: count)
        try bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress! + start
            func raw<T: FixedWidthInteger>(_ i: Int, _: T.Type) -> T {
                var v: T = 0
                memcpy(&v, base + i * size, size)
                return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
            }
            for i in 0..<count {
                switch (kind, size) {
                case ("f", 8): values[i] = Double(bitPattern: raw(i, UInt64.self))
                case ("f", 4): values[i] = Double(Float(bitPattern: raw(i, UInt32.self)))
                case ("f", 2): values[i] = Double(Float16Bits.toFloat(raw(i, UInt16.self)))
                case ("i", 1): values[i] = Double(Int8(bitPattern: raw(i, UInt8.self)))
                case ("i", 2): values[i] = Double(Int16(bitPattern: raw(i, UInt16.self)))
                case ("i", 4): values[i] = Double(Int32(bitPattern: raw(i, UInt32.self)))
                case ("i", 8): values[i] = Double(Int64(bitPattern: raw(i, UInt64.self)))
                case ("u", 1), ("b", 1): values[i] = Double(raw(i, UInt8.self))
                case ("u", 2): values[i] = Double(raw(i, UInt16.self))
                case ("u", 4): values[i] = Double(raw(i, UInt32.self))
                case ("u", 8): values[i] = Double(raw(i, UInt64.self))
                default: throw NeuroIOError.unsupported(path, detail: ".npy dtype '\(type)' is not supported")
                }
            }
        }
        if fortran && shape.count == 2 {
            let (r, c) = (shape[0], shape[1])
            var cOrder = values
            for i in 0..<r { for j in 0..<c { cOrder[i * c + j] = values[j * r + i] } }
            values = cOrder
        } else if fortran && shape.count > 2 {
            throw NeuroIOError.unsupported(path, detail: "Fortran-ordered .npy arrays with more than 2 dimensions")
        }
        return NPYArray(shape: shape, values: values)
    }

    /// The text of `key`'s value in the header dictionary literal.
    private static func field(_ key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        var rest = header[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...close])
        }
        if let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) { rest = rest[..<end] }
        return rest.trimmingCharacters(in: .whitespaces)
    }
}

/// IEEE half-precision decoding (the format the reference pipeline's float16 pickles use).
package enum Float16Bits {
    package static func toFloat(_ bits: UInt16) -> Float {
        let sign: Float = (bits & 0x8000) != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F), mantissa = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * pow(2, -24)
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * pow(2, Float(exponent - 15))
        }
    }
}
