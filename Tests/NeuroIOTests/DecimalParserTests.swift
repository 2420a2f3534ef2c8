import Foundation
@testable import NeuroIO
import Testing

/// The byte-level number parser against Swift's `Double(String)` (strtod): the same double, bit for bit,
/// and the same texts accepted, on edge cases and on a million random decimal texts.
@Suite("Decimal parsing from bytes equals strtod")
struct DecimalParserTests {
    func parsed(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBufferPointer { DecimalParser.parse($0) }
    }

    func expectSame(_ text: String) {
        let expected = Double(text), got = parsed(text)
        #expect(expected?.bitPattern == got?.bitPattern || (expected?.isNaN == true && got?.isNaN == true),
                "'\(text)': strtod \(String(describing: expected)), parsed \(String(describing: got))")
    }

    @Test("edge cases: signs, zeros, exponents, long mantissas, halfway cases, specials, malformed text")
    func edgeCases() {
        let texts = [
            "0", "-0", "+0", "0.0", "-0.0", ".5", "5.", "-.5", "1", "-1", "+1", "1.344", "0.1", "0.2", "0.3",
            "1e0", "1E5", "1e-5", "1.5e+3", "-2.5E-3", "1e22", "1e23", "1e-22", "1e-23", "9007199254740992",
            "9007199254740993", "9007199254740993.0", "123456789012345678", "1234567890123456789",
            "12345678901234567890", "0.1234567890123456789", "2.2250738585072014e-308", "4.9e-324", "1e-400",
            "1.7976931348623157e308", "1e309", "-1e309", "0e999", "00001.5", "1.000000000000000000001",
            "inf", "-inf", "Infinity", "nan", "NaN", "0x1p3", "1e", "1e+", "e5", ".", "-", "+", "", "1.2.3", "1,5",
            "1 ", " 1", "1d0", "12a", "--1", "0.000000000000000000000000000001", "7.2057594037927933e16",
        ]
        for text in texts { expectSame(text) }
    }

    @Test("a million random decimals parse to strtod's double")
    func random() {
        var rng = Xorshift(seed: 20261204)
        for _ in 0..<1_000_000 {
            var text = rng.next() % 4 == 0 ? "-" : ""
            let integerDigits = Int(rng.next() % 12)
            for _ in 0..<integerDigits { text += String(rng.next() % 10) }
            if rng.next() % 3 != 0 {
                text += "."
                for _ in 0..<Int(rng.next() % 20) { text += String(rng.next() % 10) }
            }
            if rng.next() % 3 == 0 { text += "e" + (rng.next() % 2 == 0 ? "-" : "") + String(rng.next() % 40) }
            expectSame(text)
        }
    }
}

/// A small deterministic generator.
struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E3779B97F4A7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
