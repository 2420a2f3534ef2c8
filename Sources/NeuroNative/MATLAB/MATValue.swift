import NeuroCore

/// A MATLAB value decoded from a MAT-file, whichever its version (v5 through libmatio, v7.3 through
/// HDF5). Cells and structs decode their elements only when asked, so a file with many worms or a long
/// embedded recording is never decoded whole just to read one field.
///
/// Numeric arrays are MATLAB's column-major buffers; ``dims`` are MATLAB's (rows first).
package indirect enum MATValue {
    /// Numeric or logical array, column-major, converted to `Double`.
    case numeric(dims: [Int], values: [Double])
    /// A char array (one row of text).
    case text(String)
    /// A cell array, elements column-major, decoded lazily.
    case cell(MATCell)
    /// A struct or struct array (field name → value per element), decoded lazily.
    case structure(MATStruct)
    /// `[]`, `{}` or `''`.
    case empty

    package var className: String {
        switch self {
        case .numeric: return "numeric array"
        case .text: return "char array"
        case .cell: return "cell array"
        case .structure: return "struct"
        case .empty: return "empty array"
        }
    }

    /// All texts inside (a char array, or a cell of char arrays, recursively), up to the first cell
    /// element that cannot be read.
    package var texts: [String] {
        switch self {
        case .text(let s): return [s]
        case .cell(let c):
            var texts: [String] = []
            for i in 0..<c.count {
                guard let element = try? c.element(i) else { break }
                texts += element.texts
            }
            return texts
        default: return []
        }
    }

    /// The numbers of a numeric array (nil for anything else; `[]` for an empty array).
    package var numbers: [Double]? {
        switch self {
        case .numeric(_, let values): return values
        case .empty: return []
        default: return nil
        }
    }

    /// The single number of a 1×1 numeric array.
    package var scalar: Double? {
        if case .numeric(_, let values) = self, values.count == 1 { return values[0] }
        return nil
    }

    /// The elements of a cell (a value that is not a cell counts as a cell of itself).
    package func cellElements() throws -> [MATValue] {
        switch self {
        case .cell(let c): return try (0..<c.count).map { try c.element($0) }
        case .empty: return []
        default: return [self]
        }
    }
}

/// A MATLAB cell array: its elements are decoded on demand.
package struct MATCell {
    package let dims: [Int]
    package let count: Int
    package let element: (Int) throws -> MATValue
}

/// A MATLAB struct or struct array (`dims`, product `count`), or the top level of a MAT-file
/// (its variables as fields). Field values are decoded on demand.
package struct MATStruct {
    /// Where it is in the file (`EEG`, `EEG.chanlocs`), for messages.
    package let name: String
    package let dims: [Int]
    package let fieldNames: [String]
    package let value: (_ field: String, _ element: Int) throws -> MATValue

    package var count: Int { dims.saturatingProduct }

    /// Field `name` of element `element`; nil when the struct has no such field.
    package func field(_ field: String, element: Int = 0) throws -> MATValue? {
        guard fieldNames.contains(field) else { return nil }
        return try value(field, element)
    }

    /// Field `name` of the first element, or an error naming the file and what the field is (`what`).
    package func require(_ field: String, in path: String, what: String) throws -> MATValue {
        guard let value = try self.field(field) else {
            throw NeuroIOError.missingKey(path, key: "\(what) '\(field)'", available: fieldNames)
        }
        return value
    }

    /// Field `name` for every element of a struct array.
    ///
    /// A v5 struct array holds one value per element; a v7.3 struct array (HDF5) holds each field as
    /// a cell with one entry per element, which is what a 1×1 struct whose field is a cell looks like
    /// here too (as pymatreader reads them). Both give one value per element.
    package func fieldValues(_ field: String) throws -> [MATValue]? {
        guard fieldNames.contains(field) else { return nil }
        if count != 1 { return try (0..<count).map { try value(field, $0) } }
        let only = try value(field, 0)
        if case .cell(let c) = only { return try (0..<c.count).map { try c.element($0) } }
        return [only]
    }
}
