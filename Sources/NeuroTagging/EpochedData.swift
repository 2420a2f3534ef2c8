import NeuroCore

/// Trials of several channels (or model units) sampled at one rate, each `samples` long.
///
/// `values[(trial · channels + channel) · samples + t]`: a trial's channels are contiguous, and each
/// channel's samples within it.
public struct EpochedData: Sendable {
    /// Channel (or unit) names, one per channel.
    public var channels: [String]
    /// Sensor positions (metres, head frame) when known, for topographic figures.
    public var positions: [[Double]?]
    /// A group per channel (layer, region, sensor type) for level counts; nil when there are none.
    public var groups: [String]?
    /// Sampling rate, Hz.
    public var rate: Double
    /// Samples per epoch.
    public var samples: Int
    /// Number of epochs (trials).
    public var trials: Int
    /// All samples, `trials × channels × samples`, in the layout above.
    public var values: [Double]

    /// Epoched data from its parts (nil positions: unknown); traps unless it has channels × samples × trials values.
    public init(channels: [String], positions: [[Double]?]? = nil, groups: [String]? = nil, rate: Double,
                samples: Int, trials: Int, values: [Double]) {
        precondition(values.count == channels.count * samples * trials, "EpochedData: \(values.count) values for \(channels.count) × \(samples) × \(trials)")
        self.channels = channels
        self.positions = positions ?? [[Double]?](repeating: nil, count: channels.count)
        self.groups = groups
        self.rate = rate
        self.samples = samples
        self.trials = trials
        self.values = values
    }

    /// One channel's samples in one trial.
    public func trial(_ t: Int, channel c: Int) -> ArraySlice<Double> {
        let start = (t * channels.count + c) * samples
        return values[start..<(start + samples)]
    }

    /// The trial average (evoked response) of every channel: channels × samples.
    public var evoked: Matrix {
        var m = Matrix(rows: channels.count, columns: samples)
        for t in 0..<trials {
            for c in 0..<channels.count {
                let start = (t * channels.count + c) * samples
                for s in 0..<samples { m.values[c * samples + s] += values[start + s] }
            }
        }
        for k in m.values.indices { m.values[k] /= Double(trials) }
        return m
    }

    /// Epoch length in seconds.
    public var duration: Double { Double(samples) / rate }
}
