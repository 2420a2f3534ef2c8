import NeuroCore

/// Collects channel outputs (which may arrive in different amounts per block) into complete rows.
public struct RowAssembler: Sendable {
    private var pending: [[Double]]
    private let limit: Int
    private var emitted = 0

    /// Rows of `channels` values, at most `limit` rows in all.
    public init(channels: Int, limit: Int) {
        pending = Array(repeating: [], count: channels)
        self.limit = limit
    }

    /// Adds each channel's new samples; returns the rows now complete (up to `limit` in all), if any.
    public mutating func add(_ outputs: [[Double]]) -> Matrix? {
        for k in outputs.indices { pending[k] += outputs[k] }
        let ready = min(pending.map(\.count).min() ?? 0, limit - emitted)
        guard ready > 0 else { return nil }
        var block = Matrix(rows: ready, columns: pending.count)
        for k in pending.indices {
            for i in 0..<ready { block.values[i * pending.count + k] = pending[k][i] }
            pending[k].removeFirst(ready)
        }
        emitted += ready
        return block
    }
}
