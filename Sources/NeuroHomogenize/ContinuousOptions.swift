import NeuroDSP
import NeuroPipeline

/// The choices of the continuous (EEG/MEG) pipeline; its rate and resampler come from the ``OutputGrid``.
public struct ContinuousOptions: Sendable {
    /// High-pass edge in Hz (MNE's `l_freq`), or nil.
    public var lowFrequency: Double?
    /// Low-pass edge in Hz (MNE's `h_freq`), or nil.
    public var highFrequency: Double?
    /// Line-noise frequencies to notch out (50 or 60 Hz and harmonics).
    public var notch: [Double] = []
    /// How polyphase resampling extends the signal past its ends: `reflect` (MNE's default for
    /// `Raw.resample`, no edge artefact on signals with a DC offset) or `constant` (zeros, SciPy's default).
    public var polyphasePadding: PolyphaseResampler.Padding = .reflect
    /// Flag EEG/MEG channels whose log-PSD is an outlier (``BadChannels``) in a `bad` mask.
    public var detectBadChannels = true
    /// Per-sensor-type normalisation (BrainOmni): within each group of EEG, magnetometer and gradiometer
    /// channels, subtract the across-channel mean at every sample, then divide by the group's standard
    /// deviation over the whole recording (found in a first pass, so memory stays bounded).
    public var normalizeBySensorType = false
    /// Cut the recording into consecutive windows of this many seconds (`window_start` variable; an
    /// incomplete last window is dropped from the data).
    public var windowSeconds: Double?

    /// No filters, reflect padding, bad-channel flags on, no sensor-type normalisation, no windows.
    public init() {}

    /// The options for provenance.
    var parameters: ParameterList {
        ["l_freq": lowFrequency.map { "\($0)" } ?? "none", "h_freq": highFrequency.map { "\($0)" } ?? "none",
         "notch": notch.isEmpty ? "none" : ParameterList.list(notch), "padding": polyphasePadding.rawValue,
         "bad_channels": detectBadChannels, "normalize_sensors": normalizeBySensorType,
         "window": windowSeconds.map { "\($0)" } ?? "none"]
    }
}
