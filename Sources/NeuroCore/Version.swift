/// The neurotool release, written into every output's provenance.
public enum NeurotoolVersion {
    /// This build's version, `MAJOR.MINOR.PATCH`, written as the `neurotool_version` attribute of outputs.
    public static let current = "0.1.0"
}
