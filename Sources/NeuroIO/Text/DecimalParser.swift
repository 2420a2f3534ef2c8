import Foundation

/// Decimal numbers parsed straight from bytes, to the same double `strtod` (and Swift's `Double(_:)`) gives.
///
/// Numbers as tables hold them (`-0.0123`, `1.5e-3`, at most 19 significant digits and a power of ten
/// within ±22 of them) take Clinger's fast path: the digits as an exact integer of at most 2⁵³, then one
/// multiplication or division by an exactly representable power of ten, which IEEE arithmetic rounds
/// correctly. Anything else (more digits, far exponents, `inf`, hexadecimal, malformed text) goes to
/// `strtod`, which decides, so the result and the set of accepted texts are `strtod`'s in every case.
enum DecimalParser {
    /// 10⁰ … 10²², each exactly representable as a double.
    static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { p, _ in p * 10 } }

    /// The number the whole of `bytes` spells (no surrounding blanks), or nil when it is not one.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let value = fastPath(bytes) { return value }
        return viaStrtod(bytes)
    }

    /// Sign, digits, an optional fraction and exponent; nil whenever the shortcut is not exact (the
    /// caller then asks `strtod`).
    @inline(__always)
    static func fastPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        var i = 0
        guard n > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits taken into the mantissa (leading zeros skipped)
        var sawDigit = false
        var exponent = 0        // power of ten applied to the mantissa
        while i < n, bytes[i] &- 48 < 10 {
            let d = UInt64(bytes[i] &- 48)
            if mantissa != 0 || d != 0 { digits += 1 }
            mantissa = mantissa &* 10 &+ d
            sawDigit = true
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- 48 < 10 {
                let d = UInt64(bytes[i] &- 48)
                if mantissa != 0 || d != 0 { digits += 1 }
                mantissa = mantissa &* 10 &+ d
                exponent -= 1
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit, digits <= 19 else { return nil }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0, exponentDigits = 0
            while i < n, bytes[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- 48) }
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -e : e
        }
        guard i == n, mantissa <= 1 << 53 else { return nil }
        var value = Double(mantissa)
        if mantissa == 0 {
            value = 0
        } else if exponent < 0 {
            guard exponent >= -22 else { return nil }
            value /= powersOfTen[-exponent]
        } else if exponent > 0 {
            guard exponent <= 22 else { return nil }
            value *= powersOfTen[exponent]
        }
        return negative ? -value : value
    }

    /// `strtod` on a NUL-terminated copy; nil unless it consumes every byte.
    static func viaStrtod(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty, bytes.count < 4096 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for (k, b) in bytes.enumerated() { buffer[k] = CChar(bitPattern: b) }
            buffer[bytes.count] = 0
            let start = buffer.baseAddress!
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(start, &end)
            // Leading blanks are skipped by strtod but are not part of a field's number.
            guard let end, end - start == bytes.count, !isBlank(bytes[0]) else { return nil }
            return value
        }
    }

    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || (b >= 0x0A && b <= 0x0D) }
}
