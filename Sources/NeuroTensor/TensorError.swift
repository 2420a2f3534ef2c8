/// What can be wrong with a factorization request. Descriptions are one line for the user.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A rank below 1.
    case rankTooSmall(Int)
    /// A rank above what the tensor's shape can identify.
    case rankTooLarge(Int, maximum: Int, shape: [Int])
    /// A tensor of fewer than two modes.
    case orderTooSmall([Int])
    /// A mask, weights or starting factors whose shape differs from the tensor's.
    case shapeMismatch(what: String, expected: [Int], found: [Int])
    /// A NaN or infinite entry outside the mask.
    case nonFinite(index: [Int])
    /// A negative entry while every mode is non-negative.
    case negativeEntry(index: [Int], value: Double)
    /// A negative weight in the mask.
    case negativeWeight(index: [Int])
    /// A slice of a mode with no observed entry.
    case emptySlice(mode: Int, index: Int)
    /// Every entry is missing.
    case nothingObserved
    /// Every mode is fixed: nothing to fit.
    case allModesFixed
    /// A setting that cannot be used (the text says which and why).
    case badOption(String)

    /// A one-line message for the user, such as `rank must be at least 1 (got 0)`.
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
