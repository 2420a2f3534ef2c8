import NeuroCore
import NeuroDSP
import NeuroIO

/// Every choice of the homogenization pipeline, with the published pipeline's defaults.
public struct HomogenizeOptions: Sendable {
    /// The target time grid.
    public enum Target: Equatable, Sendable {
        /// A step in seconds (default 0.333 s, the reference's).
        case dt(Double)
        /// A rate in Hz.
        case rate(Double)
        /// Each recording keeps its own median sampling interval (on a uniform grid).
        case native
    }

    /// The channel order of the output.
    public enum ChannelOrder: Equatable, Sendable {
        /// The 300 canonical C. elegans neurons (``CanonicalNeurons``), with label cleaning.
        case celegans
        /// A user-given list of names (exact matches after trimming).
        case list(name: String, names: [String])
        /// The source's own channels and labels, unchanged.
        case native

        var description: String {
            switch self {
            case .celegans: return "celegans-300"
            case .list(let name, let names): return "list:\(name) (\(names.count) channels)"
            case .native: return "native"
            }
        }
    }

    /// What to do with a channel containing a run of NaN samples longer than ``maxNaNRun``.
    public enum NaNPolicy: String, Sendable, CaseIterable {
        /// Fail with an error naming the file, recording, channel and run.
        case error
        /// Mark the channel as not recorded (the reference drops such traces).
        case drop
    }

    /// The output grid; nil means each modality's default (calcium: dt 0.333 s; EEG/MEG: 256 Hz).
    public var target: Target? = nil
    /// Filters and rate of the EEG/MEG path (its rate comes from ``target`` when that is set).
    public var continuous = ContinuousOptions()
    public var resampler: ResamplingMethod = .auto
    public var smoothing: Smoothing = .referenceDefault
    public var normalization: Normalization = .zscore
    public var channelOrder: ChannelOrder = .celegans
    /// Recordings with fewer samples are skipped with a warning (reference: 600).
    public var minSamples: Int = 600
    /// Longest NaN run allowed, as a fraction of the recording's samples (reference: 0.05). Shorter runs
    /// are filled by linear interpolation between their neighbours.
    public var maxNaNRun: Double = 0.05
    public var nanPolicy: NaNPolicy = .error
    /// Also write the residual (time derivative) variable.
    public var residual: Bool = true
    /// Keep recorded but unlabeled neurons as extra channels `unlabeled_0`, … after the ordered ones.
    public var keepUnlabeled: Bool = true
    public var precision: CommonFormat.Precision = .float32

    public init() {}

    /// The step in seconds for a source whose median sampling interval is `sourceDt`.
    public func dt(forSourceDt sourceDt: Double) -> Double {
        switch target {
        case .dt(let dt)?: return dt
        case .rate(let hz)?: return 1 / hz
        case .native?: return sourceDt
        case nil: return 0.333
        }
    }

    /// The continuous options with the output rate that ``target`` implies.
    public var continuousResolved: ContinuousOptions {
        var c = continuous
        switch target {
        case .dt(let dt)?: c.rate = 1 / dt
        case .rate(let hz)?: c.rate = hz
        case .native?: c.rate = nil
        case nil: break
        }
        return c
    }
}
