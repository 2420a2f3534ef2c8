/// A dense, row-major matrix of `Double`.
///
/// The one matrix type of neurotool: recordings store `(time, channel)` samples in it, and the
/// linear-algebra module extends it with BLAS/LAPACK operations. Element `(i, j)` lives at
/// `values[i * columns + j]`.
///
/// ```swift
/// var m = Matrix(rows: 2, columns: 3)
/// m[1, 2] = 4
/// m.column(2)   // [0, 4]
/// ```
public struct Matrix: Equatable, Sendable {
    /// Number of rows (time samples for a recording).
    public private(set) var rows: Int
    /// Number of columns (channels for a recording).
    public private(set) var columns: Int
    /// Row-major storage, `rows * columns` values.
    public var values: [Double]

    /// A matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major values; `values.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "Matrix storage has \(values.count) values, expected \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The element at row `i`, column `j`.
    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        (0..<rows).map { values[$0 * columns + j] }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> ArraySlice<Double> {
        values[(i * columns)..<((i + 1) * columns)]
    }

    /// Appends rows `range` of `other` (same number of columns) in place, growing the storage
    /// geometrically, so that many small appends cost linear time.
    public mutating func appendRows(of other: Matrix, _ range: Range<Int>) {
        precondition(other.columns == columns, "appending rows of \(other.columns) columns to \(columns)")
        values.append(contentsOf: other.values[(range.lowerBound * columns)..<(range.upperBound * columns)])
        rows += range.count
    }

    /// Removes every row, keeping the storage for the next appends.
    public mutating func removeAllRows() {
        values.removeAll(keepingCapacity: true)
        rows = 0
    }

    /// Replaces column `j`.
    public mutating func setColumn(_ j: Int, _ column: [Double]) {
        precondition(column.count == rows, "Column has \(column.count) values, expected \(rows)")
        for i in 0..<rows { values[i * columns + j] = column[i] }
    }

    /// The transpose (copied in 64 × 64 tiles, so large matrices stay cache-friendly).
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        let tile = 64, r = rows, c = columns
        values.withUnsafeBufferPointer { src in
            t.values.withUnsafeMutableBufferPointer { dst in
                for i0 in stride(from: 0, to: r, by: tile) {
                    for j0 in stride(from: 0, to: c, by: tile) {
                        for i in i0..<min(i0 + tile, r) {
                            for j in j0..<min(j0 + tile, c) { dst[j * r + i] = src[i * c + j] }
                        }
                    }
                }
            }
        }
        return t
    }

    /// A matrix made of the given columns (in that order).
    public func selectingColumns(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: rows, columns: indices.count)
        for i in 0..<rows {
            for (k, j) in indices.enumerated() { out.values[i * indices.count + k] = values[i * columns + j] }
        }
        return out
    }

    /// A matrix made of rows `range`.
    public func selectingRows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns, values: Array(values[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// A matrix with each column transformed by `transform` (which may change the column length).
    public func mapColumns(_ transform: ([Double]) throws -> [Double]) rethrows -> Matrix {
        guard columns > 0 else { return self }
        let channelMajor = transposed
        var outColumns: [[Double]] = []
        outColumns.reserveCapacity(columns)
        for j in 0..<columns { outColumns.append(try transform(Array(channelMajor.row(j)))) }
        return Matrix(columns: outColumns)
    }

    /// A matrix from equally long columns.
    public init(columns: [[Double]]) {
        let rows = columns.first?.count ?? 0
        var flat: [Double] = []
        flat.reserveCapacity(rows * columns.count)
        for c in columns {
            precondition(c.count == rows, "Columns differ in length")
            flat.append(contentsOf: c)
        }
        self = Matrix(rows: columns.count, columns: rows, values: flat).transposed
    }
}
