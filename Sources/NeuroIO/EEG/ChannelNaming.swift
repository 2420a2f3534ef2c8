import NeuroCore

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

    /// The type of a signal from its label, the type its header states (if any) and its unit.
    public static func kind(label: String, unit: String, stated: ChannelKind? = nil) -> ChannelKind {
        if let stated { return stated }
        let (name, fromWords) = normalize(label)
        if let fromWords { return fromWords }
        let upper = label.uppercased()
        let rules: [(words: [String], kind: ChannelKind)] = [
            (["STATUS", "TRIGGER", "TRIG", "STI", "STIM", "MARKER", "EVENT"], .stim),
            (["HEOG", "VEOG", "LOC", "ROC", "EOG"], .eog),
            (["ECG", "EKG"], .ecg),
            (["EMG", "CHIN"], .emg),
        ]
        for rule in rules where rule.words.contains(where: { upper.hasPrefix($0) || upper == $0 }) { return rule.kind }
        if montageByUpper[name.uppercased()] != nil { return .eeg }
        return voltScale(unit) != nil ? .eeg : .misc
    }

    /// The factor from `unit` to volts (µV → 1e-6), or nil when `unit` is not a voltage.
    public static func voltScale(_ unit: String) -> Double? {
        switch unit.trimmingWhitespace() {
        case "V", "v": return 1
        case "mV", "mv": return 1e-3
        case "uV", "µV", "μV", "uv", "microV", "microvolt": return 1e-6
        case "nV", "nv": return 1e-9
        default: return nil
        }
    }

    /// The position of a normalised name in the standard 10-05 montage, if it has one.
    public static func position(of name: String) -> (x: Double, y: Double, z: Double)? {
        StandardMontage1005.positions[name]
    }
}
