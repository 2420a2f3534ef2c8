/// How continuous recordings are resampled.
public enum ContinuousResampling: String, Sendable {
    /// Streaming rational polyphase filtering (`scipy.signal.resample_poly`, MNE's `method="polyphase"`).
    case polyphase
    /// MNE's whole-record FFT resampling, which holds each channel in memory.
    case fft
}
