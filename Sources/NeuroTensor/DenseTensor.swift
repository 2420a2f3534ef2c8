import NeuroCore

/// A dense N-way array of doubles in C order (the last index varies fastest), as NumPy stores it.
public struct DenseTensor: Equatable, Sendable {
    /// Size of each mode, slowest-varying first.
    public let shape: [Int]
    /// The entries in C order; there are `shape.reduce(1, *)` of them.
    public var values: [Double]

    /// A tensor of `shape` holding `values` in C order; traps unless `values.count` is the product of `shape`.
    public init(shape: [Int], values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "DenseTensor: shape \(shape) does not hold \(values.count) values")
        self.shape = shape
        self.values = values
    }

    /// A tensor of `shape` with every entry equal to `value` (0 by default).
    public init(shape: [Int], repeating value: Double = 0) {
        self.init(shape: shape, values: [Double](repeating: value, count: shape.reduce(1, *)))
    }

    /// Number of modes.
    public var order: Int { shape.count }
    /// Number of entries.
    public var count: Int { values.count }

    /// Distance in `values` between consecutive indices of each mode.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        for n in stride(from: shape.count - 2, through: 0, by: -1) { s[n] = s[n + 1] * shape[n + 1] }
        return s
    }

    /// The multi-index of flat position `flat`.
    public func index(of flat: Int) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for n in stride(from: shape.count - 1, through: 0, by: -1) {
            index[n] = rest % shape[n]
            rest /= shape[n]
        }
        return index
    }

    /// Frobenius norm.
    public var norm: Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
