import NeuroCore
import NeuroDSP
import NeuroPipeline

/// The choices of the calcium-imaging pipeline, with the published pipeline's defaults.
public struct CalciumOptions: Sendable {
    /// The channel order of the output.
    public enum ChannelOrder: Equatable, Sendable {
        /// The 300 canonical C. elegans neurons (``CanonicalNeurons``), with label cleaning.
        case celegans
        /// A user-given list of names (exact matches after trimming).
        case list(name: String, names: [String])
        /// The source's own channels and labels, unchanged.
        case native

        /// How the order is written in provenance.
        public var description: String {
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

    /// Causal smoothing on the original grid.
    public var smoothing: Smoothing = .referenceDefault
    /// Per-channel normalisation after resampling.
    public var normalization: Normalization = .zscore
    /// The output channels.
    public var channelOrder: ChannelOrder = .celegans
    /// Recordings with fewer samples are skipped with a warning (reference: 600).
    public var minSamples: Int = 600
    /// Longest NaN run allowed, as a fraction of the recording's samples (reference: 0.05). Shorter runs
    /// are filled by linear interpolation between their neighbours.
    public var maxNaNRun: Double = 0.05
    /// Channels with longer NaN runs: error, or drop (mark not recorded).
    public var nanPolicy: NaNPolicy = .error
    /// Also write the residual (time derivative) variable.
    public var residual: Bool = true
    /// Keep recorded but unlabeled neurons as extra channels `unlabeled_0`, … after the ordered ones.
    public var keepUnlabeled: Bool = true

    /// The published pipeline's defaults.
    public init() {}

    /// The options for provenance.
    var parameters: ParameterList {
        ["smooth": "\(smoothing.name)(\(smoothing.parameterText))", "normalize": "\(normalization.name)(\(normalization.parameterText))",
         "channels": channelOrder.description, "min_samples": minSamples, "max_nan_run": maxNaNRun,
         "nan_policy": nanPolicy.rawValue, "residual": residual, "keep_unlabeled": keepUnlabeled]
    }
}
