import NeuroCore

/// Turns the HDF5 objects of a MATLAB v7.3 MAT-file into ``MATValue``s.
///
/// MATLAB stores arrays column-major with their dimensions reversed in HDF5, so the HDF5 C-order
/// buffer *is* MATLAB's column-major buffer. Cells and struct-array fields are datasets of object
/// references; structs are groups.
package struct MATv73Decoder {
    package let file: HDF5File

    /// The file's variables, as the fields of one struct.
    package func root() throws -> MATStruct {
        try structure(try file.group(at: "/"), name: "")
    }

    package func structure(_ group: HDF5Group, name: String) throws -> MATStruct {
        let names = try group.childNames().filter { !$0.hasPrefix("#") }
        return MATStruct(name: name, dims: [1, 1], fieldNames: names) { field, _ in
            try self.decode(try group.child(field))
        }
    }

    package func decode(_ object: HDF5Object) throws -> MATValue {
        switch object {
        case .group(let g):
            return .structure(try structure(g, name: g.name))
        case .dataset(let d):
            let cls = d.stringAttribute("MATLAB_class") ?? ""
            if (d.numericAttribute("MATLAB_empty")?.first ?? 0) != 0 { return .empty }
            let dims = Array(d.shape.reversed())
            if d.elementClass == .reference || cls == "cell" {
                let references = try d.readReferences()
                return .cell(MATCell(dims: dims, count: references.count) { try self.decode(references[$0]) })
            }
            if cls == "char" {
                // A code that is not a UTF-16 unit (a damaged file) reads as U+FFFD.
                let codes = try d.readDoubles().map { UInt16(exactly: $0) ?? 0xFFFD }
                return .text(MATText.rows(codes: codes, dims: dims))
            }
            if d.elementClass == .string { return .text(try d.readStrings().joined()) }
            return .numeric(dims: dims, values: try d.readDoubles())
        }
    }
}

/// MATLAB char arrays.
package enum MATText {
    /// The text of a char array stored column-major as UTF-16 code units: a row vector as is, the rows
    /// of a char matrix joined by newlines (trailing blanks, MATLAB's padding, removed).
    package static func rows(codes: [UInt16], dims: [Int]) -> String {
        let rows = dims.first ?? 1
        guard rows > 1, codes.count % rows == 0 else { return String(decoding: codes, as: UTF16.self) }
        let columns = codes.count / rows
        return (0..<rows).map { r in
            let row = (0..<columns).map { codes[$0 * rows + r] }
            var text = String(decoding: row, as: UTF16.self)
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }.joined(separator: "\n")
    }
}
