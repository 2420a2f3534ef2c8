import NeuroCore
import NeuroDSP
import NeuroIO
import NeuroPipeline
import NeuroStore

/// The output grid every recording is brought onto, whatever its modality: the target step or rate, the
/// resampler and the sample precision. Resolved once, here, for both pipelines.
public struct OutputGrid: Sendable {
    /// The target time grid.
    public enum Target: Equatable, Sendable {
        /// A step in seconds.
        case dt(Double)
        /// A rate in Hz.
        case rate(Double)
        /// Each recording keeps its own rate (calcium: its median sampling interval, on a uniform grid).
        case native
    }

    /// The resampler, one choice for the run. Each modality takes the methods that apply to it
    /// (``calciumMethod``, ``continuousMethod``); a recording whose modality has none is refused before any
    /// work (``HomogenizeError/resamplerNotApplicable(file:resampler:modality:)``).
    public enum Resampler: String, Sendable, CaseIterable {
        /// Calcium: linear up, anti-aliased polyphase down. EEG/MEG: streaming polyphase.
        case auto
        /// Calcium only: linear interpolation (`numpy.interp`).
        case linear
        /// Calcium only: not-a-knot cubic spline.
        case cubic
        /// Calcium only: the published pipeline's dt/6-and-average rule.
        case reference
        /// Calcium: polyphase decimation of a fine linear grid. EEG/MEG: streaming rational polyphase.
        case polyphase
        /// EEG/MEG only: MNE's whole-record FFT resampling.
        case fft
    }

    /// Default calcium step (the published pipeline's 0.333 s).
    public static let defaultCalciumDt = 0.333
    /// Default EEG/MEG rate in Hz.
    public static let defaultContinuousRate = 256.0

    /// The grid; nil means each modality's default (calcium: dt 0.333 s; EEG/MEG: 256 Hz).
    public var target: Target? = nil
    /// The resampler.
    public var resampler: Resampler = .auto
    /// Precision of the stored samples.
    public var precision: CommonFormat.Precision = .float32

    /// A grid with each modality's defaults.
    public init() {}

    /// The calcium resampling method of ``resampler`` (the method of the same name), or nil for `fft`,
    /// which does not apply to calcium traces.
    public var calciumMethod: ResamplingMethod? { ResamplingMethod(rawValue: resampler.rawValue) }

    /// The continuous resampling of ``resampler``, or nil when it does not apply to continuous signals.
    public var continuousMethod: ContinuousResampling? {
        switch resampler {
        case .auto, .polyphase: return .polyphase
        case .fft: return .fft
        case .linear, .cubic, .reference: return nil
        }
    }

    /// Whether ``resampler`` applies to recordings of `modality`.
    public func applies(to modality: Modality) -> Bool {
        modality == .calcium ? calciumMethod != nil : continuousMethod != nil
    }

    /// The resamplers that apply to recordings of `modality`, in declaration order.
    public static func resamplers(for modality: Modality) -> [Resampler] {
        Resampler.allCases.filter { var grid = OutputGrid(); grid.resampler = $0; return grid.applies(to: modality) }
    }

    /// The calcium step in seconds for a source whose median sampling interval is `sourceDt`.
    public func calciumDt(forSourceDt sourceDt: Double) -> Double {
        switch target {
        case .dt(let dt)?: return dt
        case .rate(let hz)?: return 1 / hz
        case .native?: return sourceDt
        case nil: return Self.defaultCalciumDt
        }
    }

    /// The continuous output rate in Hz; nil keeps the source's rate.
    public var continuousRate: Double? {
        switch target {
        case .dt(let dt)?: return 1 / dt
        case .rate(let hz)?: return hz
        case .native?: return nil
        case nil: return Self.defaultContinuousRate
        }
    }

    /// The grid's parameters for provenance, for a run whose recordings have `modalities`.
    func parameters(for modalities: Set<Modality>) -> ParameterList {
        var list = ParameterList()
        switch target {
        case .dt(let dt)?: list.append("dt", dt)
        case .rate(let r)?: list.append("rate", r)
        case .native?: list.append("rate", "native")
        case nil:
            if modalities.contains(.calcium) { list.append("dt", Self.defaultCalciumDt) }
            if modalities.contains(.continuous) { list.append("rate", Self.defaultContinuousRate) }
        }
        list.append("resampler", resampler.rawValue)
        list.append("precision", precision.rawValue)
        return list
    }
}
