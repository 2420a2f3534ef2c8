import NeuroCore
import NeuroDSP
import NeuroStore
import NeuroLinAlg
import NeuroTensor

/// The dynamic functional connectome tensor of Dyballa et al. (2024): differential affinities between
/// neurons, per time window and worm, laid out TIME-WINDOW × WORM × NEURON-PAIR.
///
/// **Differential affinity.** For worm `w`, let `dᵢ(t)` be the time derivative of neuron `i`'s trace
/// (the common format's `residual`, which is exactly that; or `numpy.gradient` of `data` when a file has
/// no residual) and `zᵢ(t) = dᵢ(t) / rmsᵢ` with `rmsᵢ` the root mean square of `dᵢ` over the whole
/// recording (scale-free: every neuron's derivative has unit power). The instantaneous affinity is
/// `aᵢⱼ(t) = max(0, zᵢ(t) zⱼ(t))`: large when both neurons change strongly in the same direction at the
/// same time, zero when they move in opposite directions or one is still. The window affinity is its
/// mean over the samples of window `k` (`[k·step, k·step + window)` seconds from the recording's start):
/// `Aᵢⱼ(k) = (1/|k|) Σ_{t∈k} aᵢⱼ(t)`. Since `max(0, zᵢzⱼ) = zᵢ⁺zⱼ⁺ + zᵢ⁻zⱼ⁻` (positive and negative
/// parts), each window is two BLAS products `Pᵀ P + Nᵀ N`.
///
/// **Missing entries.** Neurons are the labelled, recorded channels of any worm (in the file's channel
/// order). Pairs are the neuron pairs recorded together in at least one worm. An entry is missing
/// (mask 0, never a zero) when the worm lacks either neuron, when the window runs past the worm's
/// recording, or when a sample is not finite.
public struct ConnectomeOptions: Sendable {
    /// Window length, seconds.
    public var window: Double = 30
    /// Window step, seconds (default: the window length, no overlap).
    public var step: Double? = nil
    /// Keep neurons recorded (labelled) in at least this many worms.
    public var minWorms = 1
    /// Recordings to use (nil: every recording of the file).
    public var recordings: [String]? = nil

    /// Options with the given window and step in seconds (nil step: the window), for every recording.
    public init(window: Double = 30, step: Double? = nil, minWorms: Int = 1) {
        self.window = window
        self.step = step
        self.minWorms = minWorms
    }

    /// The tensor's `kind`, e.g. `connectome(window=30.0 s, step=30.0 s, min_worms=1, affinity=…)`.
    public var description: String {
        "connectome(window=\(window) s, step=\(step ?? window) s, min_worms=\(minWorms), affinity=mean max(0, z_i z_j) of RMS-scaled derivatives)"
    }
}

/// Builds the window × worm × pair affinity tensor described at ``ConnectomeOptions``.
public enum ConnectomeTensor {
    /// Builds the tensor from a homogenized calcium file.
    public static func build(from file: CommonFormatFile, options: ConnectomeOptions) throws -> LabelledTensor {
        guard options.window > 0, (options.step ?? options.window) > 0 else {
            throw NeuroIOError.badValue(file.path, field: "connectome window", detail: "window and step must be positive")
        }
        let names = options.recordings ?? file.recordingNames
        for name in names where !file.recordingNames.contains(name) {
            throw NeuroIOError.missingKey(file.path, key: "recording '\(name)'", available: file.recordingNames)
        }
        guard !names.isEmpty else { throw NeuroIOError.badValue(file.path, field: "recordings", detail: "no recordings to build a connectome from") }
        struct Worm { var name: String; var neurons: [String]; var z: Matrix; var rate: Double }
        var worms: [Worm] = []
        var neuronOrder: [String] = []
        var wormCount: [String: Int] = [:]
        for name in names {
            let r = try file.recording(name)
            let keep = r.channels.indices.filter { r.recorded[$0] && r.labeled[$0] }
            guard !keep.isEmpty, r.time.count >= 2 else { continue }
            let derivative: Matrix
            if let residual = r.residual {
                derivative = residual.selectingColumns(keep)
            } else {
                derivative = r.data.selectingColumns(keep).mapColumns { Derivative.gradient($0, at: r.time) }
            }
            // Scale each neuron's derivative to unit RMS over the recording (finite samples).
            let z = derivative.mapColumns { d in
                let finite = d.filter(\.isFinite)
                let rms = (finite.reduce(0) { $0 + $1 * $1 } / Double(max(finite.count, 1))).squareRoot()
                return d.map { rms > 0 ? $0 / rms : 0 }
            }
            let neurons = keep.map { r.channels[$0].name }
            for n in neurons {
                if wormCount[n] == nil { neuronOrder.append(n) }
                wormCount[n, default: 0] += 1
            }
            worms.append(Worm(name: name, neurons: neurons, z: z, rate: r.samplingRate))
        }
        guard !worms.isEmpty else {
            throw NeuroIOError.badValue(file.path, field: "recordings", detail: "no recording has labelled, recorded neurons")
        }
        let neurons = neuronOrder.filter { wormCount[$0]! >= options.minWorms }
        let index = Dictionary(uniqueKeysWithValues: neurons.enumerated().map { ($1, $0) })
        // Pairs recorded together in at least one worm.
        var together = Set<Int>()
        let n = neurons.count
        for worm in worms {
            let present = worm.neurons.compactMap { index[$0] }.sorted()
            for a in 0..<present.count { for b in (a + 1)..<present.count { together.insert(present[a] * n + present[b]) } }
        }
        let pairs = together.sorted().map { ($0 / n, $0 % n) }
        guard !pairs.isEmpty else {
            throw NeuroIOError.badValue(file.path, field: "neurons", detail: "no two labelled neurons are recorded together in any worm")
        }
        let pairSlot = Dictionary(uniqueKeysWithValues: pairs.enumerated().map { ($1.0 * n + $1.1, $0) })
        let step = options.step ?? options.window
        // Windows: as many as the longest worm holds.
        func windowCount(_ w: Worm) -> Int {
            let samples = Int((options.window * w.rate).rounded())
            let duration = Double(w.z.rows) / w.rate
            return samples < 1 || duration < options.window ? 0 : Int(((duration - options.window) / step + 1e-9).rounded(.down)) + 1
        }
        let windows = worms.map(windowCount).max() ?? 0
        guard windows > 0 else {
            throw NeuroIOError.badValue(file.path, field: "connectome window", detail: "window of \(options.window) s is longer than every recording")
        }
        var values = [Double](repeating: 0, count: windows * worms.count * pairs.count)
        var mask = [Double](repeating: 0, count: values.count)
        for (w, worm) in worms.enumerated() {
            let local = worm.neurons.map { index[$0] }
            let length = Int((options.window * worm.rate).rounded())
            for k in 0..<windowCount(worm) {
                let start = Int((Double(k) * step * worm.rate).rounded())
                guard start + length <= worm.z.rows else { continue }
                // Positive and negative parts of z over the window (NaN samples contribute nothing and
                // are counted per pair below).
                let rows = start..<(start + length)
                var positive = Matrix(rows: length, columns: local.count), negative = positive
                var finite = Matrix(rows: length, columns: local.count)
                for (t, row) in rows.enumerated() {
                    for c in 0..<local.count {
                        let v = worm.z[row, c]
                        guard v.isFinite else { continue }
                        finite[t, c] = 1
                        if v > 0 { positive[t, c] = v } else { negative[t, c] = -v }
                    }
                }
                let sums = positive.transposeMultiplied(by: positive)
                let negatives = negative.transposeMultiplied(by: negative)
                let counts = finite.transposeMultiplied(by: finite)
                for a in 0..<local.count {
                    guard let i = local[a] else { continue }
                    for b in 0..<local.count where b != a {
                        guard let j = local[b], i < j, let p = pairSlot[i * n + j] else { continue }
                        let count = counts[a, b]
                        guard count > 0 else { continue }
                        let flat = (k * worms.count + w) * pairs.count + p
                        values[flat] = (sums[a, b] + negatives[a, b]) / count
                        mask[flat] = 1
                    }
                }
            }
        }
        let windowStarts = (0..<windows).map { Double($0) * step }
        let axes = [
            ModeAxis(name: "window", labels: windowStarts.map { String(format: "%.1f s", $0) }, coordinates: windowStarts, unit: "s", ordered: true),
            ModeAxis(name: "worm", labels: worms.map(\.name)),
            ModeAxis(name: "pair", labels: pairs.map { "\(neurons[$0.0])~\(neurons[$0.1])" }),
        ]
        let complete = !mask.contains(0)
        return LabelledTensor(tensor: DenseTensor(shape: [windows, worms.count, pairs.count], values: values),
                              mask: complete ? nil : mask, axes: axes, kind: options.description,
                              neurons: neurons, pairs: pairs)
    }
}
