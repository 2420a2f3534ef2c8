import NeuroCore
import NeuroTensor

/// One mode of a tensor with what its indices mean.
public struct ModeAxis: Sendable, Equatable {
    /// Dimension name in the output (`window`, `worm`, `pair`, `channel`, `time`, `trial`, `dim2`, …).
    public var name: String
    /// One label per index (neuron pair `AVAL~AVAR`, worm id, channel name, or the index itself).
    public var labels: [String]
    /// Numeric coordinate per index when there is one (window start, time from event), with its unit.
    public var coordinates: [Double]?
    /// Unit of `coordinates` (`s` for times), nil when there is none.
    public var unit: String?
    /// Whether neighbouring indices are ordered (time): plotted as lines rather than bars.
    public var ordered: Bool

    /// An axis from its name and labels, with optional coordinates and unit; unordered unless `ordered`.
    public init(name: String, labels: [String], coordinates: [Double]? = nil, unit: String? = nil, ordered: Bool = false) {
        self.name = name
        self.labels = labels
        self.coordinates = coordinates
        self.unit = unit
        self.ordered = ordered
    }

    /// An axis labelled by index.
    public static func indexed(_ name: String, count: Int) -> ModeAxis {
        ModeAxis(name: name, labels: (0..<count).map(String.init), coordinates: (0..<count).map(Double.init), ordered: true)
    }
}

/// A tensor ready to factorize: values, which entries are observed, and labelled modes.
public struct LabelledTensor: Sendable {
    /// The values, in C order; entries with mask 0 are left out of the fit whatever they hold.
    public var tensor: DenseTensor
    /// 1 for observed entries, 0 for missing ones; nil when everything is observed.
    public var mask: [Double]?
    /// One axis per mode, each with as many labels as that mode has indices.
    public var axes: [ModeAxis]
    /// For connectome tensors: the neurons and, per pair index, the two neuron indices (i < j).
    public var neurons: [String]?
    /// Per pair index, the indices `(i, j)` into `neurons` with `i < j`; nil except for connectome tensors.
    public var pairs: [(Int, Int)]?
    /// What the tensor is, for provenance (`connectome(window=30 s, step=30 s)`, `array`, …).
    public var kind: String

    /// A labelled tensor from its parts; traps unless each axis has one label per index of its mode.
    public init(tensor: DenseTensor, mask: [Double]?, axes: [ModeAxis], kind: String,
                neurons: [String]? = nil, pairs: [(Int, Int)]? = nil) {
        precondition(axes.map(\.labels.count) == tensor.shape, "LabelledTensor: axes do not match the shape")
        self.tensor = tensor
        self.mask = mask
        self.axes = axes
        self.kind = kind
        self.neurons = neurons
        self.pairs = pairs
    }

    /// Fraction of entries observed.
    public var observedFraction: Double {
        guard let mask else { return 1 }
        return mask.reduce(0, +) / Double(max(mask.count, 1))
    }
}
