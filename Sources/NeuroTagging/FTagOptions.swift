/// How spectra are estimated.
public enum SpectrumMethod: String, Sendable, CaseIterable {
    /// One full-length FFT per epoch (`scipy.signal.periodogram`, boxcar): tags fall exactly on bins
    /// when epochs hold an integer number of their cycles.
    case fft
    /// Welch's method (`scipy.signal.welch`: Hann window, `nperseg`, `noverlap`, mean removed).
    case welch
}

/// Whether trials are averaged before (evoked) or after (spectra) the spectrum.
public enum TrialAveraging: String, Sendable, CaseIterable {
    /// `evoked`: spectrum of the trial average (phase-locked power); `spectra`: average of the trials' spectra.
    case evoked, spectra
}

/// Multiple-comparison correction across channels.
public enum Correction: String, Sendable, CaseIterable {
    /// Family-wise: p < α / channels (the default, so that untagged channels stay quiet).
    case bonferroni
    /// Benjamini–Hochberg false discovery rate (`--fdr`).
    case fdr
    /// None: p < α per channel.
    case none
}

/// Everything `ftag` needs besides the data.
public struct FTagOptions: Sendable {
    /// Tagged frequencies (Hz), e.g. 1, 2, 4 for sentence, phrase, word.
    public var tags: [Double]
    /// A name per tag ("sentence", "phrase", "word"); default "1Hz", "2Hz", ….
    public var tagNames: [String]? = nil
    /// Harmonics tested per tag: 1 = the fundamental only, 2 adds 2f, ….
    public var harmonics = 1
    /// How spectra are estimated; one full-length FFT per epoch by default.
    public var method: SpectrumMethod = .fft
    /// Whether trials are averaged before the spectrum (evoked, the default) or their spectra averaged.
    public var averaging: TrialAveraging = .evoked
    /// Welch segment length in samples (nil: the epoch length).
    public var segmentLength: Int? = nil
    /// Welch overlap in samples (nil: half a segment).
    public var overlap: Int? = nil
    /// Neighbouring bins on each side used as noise (MNE tutorial: 3), and adjacent bins skipped (1).
    public var neighbors = 3
    /// Adjacent bins skipped on each side of a tag before its noise bins; 1 by default.
    public var skip = 1
    /// Permutations of the HFTP test (0: significance from the neighbour z-score instead).
    public var permutations = 1000
    /// Seed of the HFTP permutations.
    public var seed: UInt64 = 0
    /// How the neighbour test's p-values are corrected across channels (per tested frequency).
    public var correction: Correction = .bonferroni
    /// Significance level of the corrected SNR p-values; 0.05 by default.
    public var alpha = 0.05
    /// Band (Hz) of the spectra compared in representational similarity.
    public var rsaBand: ClosedRange<Double> = 0.5...2

    /// Options for the given tag frequencies (Hz), every other setting at its default.
    public init(tags: [Double]) { self.tags = tags }

    /// Names of the base tags.
    public var names: [String] {
        tagNames ?? tags.map { f in f == f.rounded() ? "\(Int(f))Hz" : "\(f)Hz" }
    }
}

/// What can be wrong with a frequency-tagging request; one line each.
public enum FTagError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A tag (or harmonic) at or above the Nyquist frequency.
    case aboveNyquist(tag: Double, nyquist: Double)
    /// A tag frequency that is not positive.
    case nonPositiveTag(Double)
    /// Epochs shorter than one cycle of the lowest tag.
    case shorterThanOneCycle(duration: Double, tag: Double)
    /// A tag that does not fall on a frequency bin of `samples`-sample epochs at `rate` Hz.
    case offBin(tag: Double, samples: Int, rate: Double)
    /// NaN or infinite samples in a channel's trial.
    case nonFinite(channel: String, trial: Int)
    /// Too few neighbouring bins around a tag for the noise estimate.
    case tooFewBins(tag: Double, needed: Int)
    /// A setting that cannot be used (the text says which and why).
    case badOption(String)
    /// Fewer than one harmonic per tag.
    case tooFewHarmonics(Int)

    /// A one-line message for the user; trials are numbered from 1.
    public var description: String {
        switch self {
        case let .aboveNyquist(tag, nyquist):
            return "tag \(tag) Hz is above the Nyquist frequency (\(nyquist) Hz)"
        case .nonPositiveTag(let f):
            return "tag \(f) Hz must be positive"
        case let .shorterThanOneCycle(duration, tag):
            return "epochs of \(duration) s are shorter than one cycle of \(tag) Hz"
        case let .offBin(tag, samples, rate):
            return "\(tag) Hz does not fall on a frequency bin of \(samples) samples at \(rate) Hz; use epochs (or Welch segments) of a whole number of its cycles"
        case let .nonFinite(channel, trial):
            return "channel \(channel) has NaN or infinite samples in trial \(trial + 1)"
        case let .tooFewBins(tag, needed):
            return "not enough frequency bins around \(tag) Hz for the noise estimate (DC and other tags excluded): use longer epochs or fewer neighbouring bins"
        case .badOption(let text):
            return text
        case .tooFewHarmonics(let h):
            return "harmonics must be at least 1 (got \(h))"
        }
    }
}
