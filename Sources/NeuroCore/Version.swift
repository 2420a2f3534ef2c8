/// The neurotool release, written into every output's provenance.
public enum NeurotoolVersion {
    public static let current = "0.1.0"
}
