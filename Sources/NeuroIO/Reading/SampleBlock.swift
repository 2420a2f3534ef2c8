import NeuroCore
import NeuroNative
import NeuroStore

/// Samples of every signal of a recording over one stretch of time, as a reader delivers them: either
/// one array per signal (continuous formats, whose signals may differ in rate and so in count) or a
/// `time × signal` matrix on explicit timestamps (calcium imaging).
public struct SampleBlock: Sendable {
    /// The samples as stored.
    public enum Storage: Sendable {
        /// One array per signal, each on its own regular grid.
        case channels([[Double]])
        /// `time × signal`, every signal on the same clock.
        case rows(Matrix)
    }

    /// The samples.
    public let storage: Storage
    /// Sample times in seconds, one per row, for samples on an explicit clock; nil on a regular grid.
    public let timestamps: [Double]?

    /// A block of one array per signal, on each signal's regular grid.
    public init(channels: [[Double]]) {
        storage = .channels(channels)
        timestamps = nil
    }

    /// A `time × signal` block on `timestamps` (one per row).
    public init(rows: Matrix, timestamps: [Double]) {
        precondition(rows.rows == timestamps.count, "one timestamp per row")
        storage = .rows(rows)
        self.timestamps = timestamps
    }

    /// Number of signals.
    public var channelCount: Int {
        switch storage {
        case .channels(let c): return c.count
        case .rows(let m): return m.columns
        }
    }

    /// Signal `k`'s samples.
    public func channel(_ k: Int) -> [Double] {
        switch storage {
        case .channels(let c): return c[k]
        case .rows(let m): return m.column(k)
        }
    }

    /// The block as `time × signal` rows. Nil when signals differ in length (different rates).
    public var rows: Matrix? {
        switch storage {
        case .rows(let m): return m
        case .channels(let c):
            let n = c.first?.count ?? 0
            guard c.allSatisfy({ $0.count == n }) else { return nil }
            var m = Matrix(rows: n, columns: c.count)
            for (k, samples) in c.enumerated() { for i in 0..<n { m.values[i * c.count + k] = samples[i] } }
            return m
        }
    }
}
