import NeuroCore
import NeuroIO
import NeuroPipeline
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

    /// The options that applied to a run whose recordings have `modalities` (the global `parameters`
    /// attribute): the grid, then each pipeline's options when it ran.
    public func parameters(for modalities: Set<Modality>) -> ParameterList {
        var list = grid.parameters(for: modalities)
        if modalities.contains(.calcium) { list.append(contentsOf: calcium.parameters) }
        if modalities.contains(.continuous) { list.append(contentsOf: continuous.parameters) }
        return list
    }
}
