/// What a raw neuron label from a lab's file turns into after cleaning.
public enum NeuronLabel: Equatable, Sendable {
    /// A name of the channel order (for C. elegans: one of ``CanonicalNeurons/names``).
    case named(String)
    /// The neuron was recorded but carries no usable identity.
    case unlabeled(UnlabeledReason)

    /// Why a label could not be used.
    public enum UnlabeledReason: String, Equatable, Sendable {
        /// Empty, whitespace, or a placeholder such as `nan`, `unknown`, a bare number.
        case missing
        /// Several candidates (`AVAL/AVAR`, `AVAL?`, a MATLAB cell with two names).
        case ambiguous
        /// A name that is not in the channel order (`AVAX`).
        case unknown
        /// A second neuron with a name already taken in the same recording (the first one keeps it).
        case duplicate
    }

    /// The name, if the label resolved to one.
    public var name: String? {
        if case .named(let name) = self { return name }
        return nil
    }
}

/// Label cleaning as the published homogenization pipeline does it.
///
/// Rules, in order:
/// 1. whitespace is trimmed; empty strings and placeholders (`nan`, `none`, `unknown`, `unlabeled`,
///    `unlabeled_3`, a bare number) are ``NeuronLabel/UnlabeledReason/missing``;
/// 2. `?`, `/`, `,`, `;`, `|` or inner spaces mark an ambiguous identity (``NeuronLabel/UnlabeledReason/ambiguous``);
/// 3. the label is upper-cased and leading zeros of numbered classes are stripped (`VB01` → `VB1`,
///    `DA09` → `DA9`; `VA10` is kept);
/// 4. what is not in the known names is ``NeuronLabel/UnlabeledReason/unknown``.
public enum NeuronLabelCleaner {
    private static let placeholders: Set<String> = ["NAN", "NONE", "NULL", "UNKNOWN", "UNLABELED", "UNLABELLED", "UNK", "-", "NA", "N/A"]
    private static let ambiguityMarks: Set<Character> = ["?", "/", ",", ";", "|", " ", "\t"]

    /// Cleans one label against a set of known names (defaults to the 300 canonical neurons).
    public static func clean(_ raw: String, known: Set<String> = canonicalSet) -> NeuronLabel {
        let trimmed = raw.trimmingWhitespace()
        let upper = trimmed.uppercased()
        if trimmed.isEmpty || placeholders.contains(upper) || trimmed.allSatisfy(\.isNumber)
            || upper.hasPrefix("UNLABELED_") || upper.hasPrefix("UNLABELLED_") {
            return .unlabeled(.missing)
        }
        if trimmed.contains(where: { ambiguityMarks.contains($0) }) { return .unlabeled(.ambiguous) }
        let name = stripLeadingZeros(upper)
        return known.contains(name) ? .named(name) : .unlabeled(.unknown)
    }

    /// Cleans a label given as several candidates (a MATLAB cell of strings): one candidate is a label,
    /// none is missing, more than one is ambiguous.
    public static func clean(candidates: [String], known: Set<String> = canonicalSet) -> NeuronLabel {
        let nonEmpty = candidates.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        switch nonEmpty.count {
        case 0: return .unlabeled(.missing)
        case 1: return clean(nonEmpty[0], known: known)
        default: return .unlabeled(.ambiguous)
        }
    }

    /// `VB01` → `VB1`: zeros between the letter prefix and the first non-zero digit go.
    public static func stripLeadingZeros(_ label: String) -> String {
        guard let firstDigit = label.firstIndex(where: \.isNumber) else { return label }
        let prefix = label[..<firstDigit], digits = label[firstDigit...]
        guard !prefix.isEmpty, digits.allSatisfy(\.isNumber) else { return label }
        let stripped = digits.drop(while: { $0 == "0" })
        return stripped.isEmpty ? label : String(prefix) + String(stripped)
    }

    /// The canonical names as a set.
    public static let canonicalSet: Set<String> = Set(CanonicalNeurons.names)
}

extension String {
    /// The string without leading and trailing white space (any Unicode space or line break) and NULs.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace || $0 == "\u{0}" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
