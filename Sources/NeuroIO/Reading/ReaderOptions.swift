import NeuroCore
import NeuroNative
import NeuroStore

/// Options given to a reader, as `key=value` pairs (from the command line or a manifest).
///
/// Each reader declares the keys it understands; an unknown key is an error, so a typo
/// (`tiem=/t`) never goes unnoticed.
public struct ReaderOptions: Equatable, Sendable {
    /// The options by key, values as text.
    public var values: [String: String]

    /// Options holding `values` (none by default).
    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The text of option `key`, or nil when it was not given.
    public subscript(key: String) -> String? { values[key] }

    /// The value of `key` as a number, or nil when absent; throws when present but not a number.
    public func number(_ key: String, file: String) throws -> Double? {
        guard let text = values[key] else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw NeuroIOError.badValue(file, field: "option \(key)", detail: "'\(text)' is not a number")
        }
        return value
    }

    /// Throws when an option is not one of `known`.
    public func validate(known: [String], reader: String, file: String) throws {
        for key in values.keys.sorted() where !known.contains(key) {
            throw NeuroIOError.badValue(file, field: "option \(key)",
                                        detail: "unknown for reader '\(reader)' (known: \(known.joined(separator: ", ")))")
        }
    }

    /// These options with `other`'s values taking precedence.
    public func merging(_ other: ReaderOptions) -> ReaderOptions {
        ReaderOptions(values.merging(other.values) { _, new in new })
    }
}
