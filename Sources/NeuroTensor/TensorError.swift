/// What can be wrong with a factorization request. Descriptions are one line for the user.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    case rankTooSmall(Int)
    case rankTooLarge(Int, maximum: Int, shape: [Int])
    case orderTooSmall([Int])
    case shapeMismatch(what: String, expected: [Int], found: [Int])
    case nonFinite(index: [Int])
    case negativeEntry(index: [Int], value: Double)
    case negativeWeight(index: [Int])
    case emptySlice(mode: Int, index: Int)
    case nothingObserved
    case allModesFixed
    case badOption(String)

    public var description: String {
        switch self {
        case .rankTooSmall(let r):
            return "rank must be at least 1 (got \(r))"
        case let .rankTooLarge(r, maximum, shape):
            return "rank \(r) is larger than a \(shape.map(String.init).joined(separator: "×")) tensor can need (at most \(maximum))"
        case .orderTooSmall(let shape):
            return "a tensor needs at least 2 modes for CP (shape \(shape))"
        case let .shapeMismatch(what, expected, found):
            return "\(what) has shape \(found), expected \(expected)"
        case .nonFinite(let index):
            return "NaN or infinite value at \(index) outside the mask (mark missing entries in a mask)"
        case let .negativeEntry(index, value):
            return "negative entry \(value) at \(index), but every mode is non-negative"
        case .negativeWeight(let index):
            return "negative mask weight at \(index)"
        case let .emptySlice(mode, index):
            return "mode \(mode) index \(index) has no observed entries (all missing); drop it before fitting"
        case .nothingObserved:
            return "every entry is missing"
        case .allModesFixed:
            return "every mode is fixed; nothing to fit"
        case .badOption(let text):
            return text
        }
    }
}
