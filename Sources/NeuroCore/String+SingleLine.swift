extension String {
    /// The text with line breaks, tabs and other control characters written as escapes (`\n`,
    /// `\u{1B}`), so that an error message holding names read from an untrusted file stays on one line.
    public var singleLine: String {
        guard unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) else {
            return self
        }
        return String(unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            default:
                let separator = scalar == "\u{2028}" || scalar == "\u{2029}"
                return scalar.properties.generalCategory == .control || separator
                    ? "\\u{\(String(scalar.value, radix: 16, uppercase: true))}" : String(scalar)
            }
        }.joined())
    }
}
