import NeuroCore
import NeuroIO
import NeuroStore

/// Every choice of a homogenization run: the shared output grid, the calcium pipeline's options and the
/// continuous (EEG/MEG) pipeline's options. Each recording goes through the pipeline of its reader's
/// ``Modality`` and takes only that part (and the grid).
public struct HomogenizeOptions: Sendable {
    /// The target grid, resampler and precision, shared by both pipelines.
    public var grid = OutputGrid()
    /// The calcium-imaging pipeline.
    public var calcium = CalciumOptions()
    /// The continuous (EEG/MEG) pipeline.
    public var continuous = ContinuousOptions()

    /// Every default.
    public init() {}

    /// The options that applied to a run whose recordings have `modalities`, as one readable line (the
    /// global `parameters` attribute): the grid, then each pipeline's options when it ran.
    public func parameterSummary(for modalities: Set<Modality>) -> String {
        (grid.parameters(for: modalities)
            + (modalities.contains(.calcium) ? calcium.parameters : [])
            + (modalities.contains(.continuous) ? continuous.parameters : []))
            .joined(separator: " ")
    }
}
