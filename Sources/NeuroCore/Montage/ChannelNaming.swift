/// Channel names, types and units of EEG/MEG files, made uniform.
///
/// Names are normalised to the standard 10-05 spelling when they match it (case-insensitively, after
/// removing a leading `EEG`/`EOG`/… type word and a trailing reference such as `-REF`, `-LE`, `-A1`):
/// `EEG Fp1-REF` → `Fp1`, `FP1` → `Fp1`. Other labels are kept as they are (trimmed).
public enum ChannelNaming {
    static let typeWords: [(prefix: String, kind: ChannelKind)] = [
        ("EEG", .eeg), ("EOG", .eog), ("ECG", .ecg), ("EKG", .ecg), ("EMG", .emg), ("MEG", .megMag),
    ]
    static let referenceSuffixes = ["-REF", "-LE", "-RE", "-AVG", "-AR", "-A1", "-A2", "-M1", "-M2", "-AV"]
    static let montageByUpper: [String: String] = Dictionary(
        StandardMontage1005.positions.keys.map { ($0.uppercased(), $0) }, uniquingKeysWith: { a, _ in a })

    /// The normalised name of a label and the type its words imply (nil when they imply none).
    public static func normalize(_ label: String) -> (name: String, kind: ChannelKind?) {
        var text = label.trimmingWhitespace()
        var kind: ChannelKind? = nil
        let upper = text.uppercased()
        for (prefix, k) in typeWords where upper.hasPrefix(prefix + " ") || upper.hasPrefix(prefix + "-") || upper.hasPrefix(prefix + "_") {
            kind = k
            text = String(text.dropFirst(prefix.count + 1)).trimmingWhitespace()
            break
        }
        if let name = montageByUpper[text.uppercased()] { return (name, kind) }
        for suffix in referenceSuffixes where text.uppercased().hasSuffix(suffix) {
            let stem = String(text.dropLast(suffix.count))
            if let name = montageByUpper[stem.uppercased()] { return (name, kind) }
        }
        return (text.isEmpty ? label : text, kind)
    }

    /// The type of a signal from its label, the type its header states (if any) and its unit: type
    /// words and stim names first; then anything not measured in volts is `misc` (as MNE types a
    /// BrainVision channel in µS or °C); voltage signals are EEG unless named otherwise.
    public static func kind(label: String, unit: String, stated: ChannelKind? = nil) -> ChannelKind {
        if let stated { return stated }
        let (_, fromWords) = normalize(label)
        if let fromWords { return fromWords }
        let upper = label.uppercased()
        if ["STATUS", "TRIGGER"].contains(upper) || upper.hasPrefix("STI ") || upper.hasPrefix("STIM") { return .stim }
        let rules: [(words: [String], kind: ChannelKind)] = [
            (["HEOG", "VEOG", "LOC", "ROC", "EOG"], .eog),
            (["ECG", "EKG"], .ecg),
            (["EMG"], .emg),
        ]
        for rule in rules where rule.words.contains(where: { upper.hasPrefix($0) }) { return rule.kind }
        return voltScale(unit) != nil ? .eeg : .misc
    }

    /// The factor from `unit` to volts (µV → 1e-6), or nil when `unit` is not a voltage.
    public static func voltScale(_ unit: String) -> Double? {
        let (factor, base) = siScale(unit)
        return base == "V" ? factor : nil
    }

    /// A unit split into an SI prefix factor and its base unit (`µS` → (1e-6, `S`)); units without a
    /// known prefix and base are returned unchanged with factor 1. `u`, `µ` (U+00B5) and `μ` (U+03BC)
    /// all mean micro.
    public static func siScale(_ unit: String) -> (factor: Double, base: String) {
        let u = unit.trimmingWhitespace()
        let bases: Set<String> = ["V", "S", "A", "T", "Ohm", "Ω"]
        if bases.contains(u) { return (1, u) }
        let prefixes: [(String, Double)] = [("µ", 1e-6), ("μ", 1e-6), ("u", 1e-6), ("m", 1e-3), ("n", 1e-9), ("p", 1e-12), ("f", 1e-15)]
        for (prefix, factor) in prefixes where u.hasPrefix(prefix) {
            let rest = String(u.dropFirst(prefix.count))
            if bases.contains(rest) { return (factor, rest) }
        }
        return (1, u)
    }

    /// The position of a normalised name in the standard 10-05 montage, if it has one.
    public static func position(of name: String) -> (x: Double, y: Double, z: Double)? {
        StandardMontage1005.positions[name]
    }
}
