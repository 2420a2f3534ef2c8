/// Resampling of trigger channels: output sample `k` takes input sample `floor(k · down / up)`, so codes
/// are neither smoothed nor invented; `ceil(n · up / down)` outputs in all, like the polyphase path.
public struct SampleAndHold: Sendable {
    /// The rate ratio.
    public let up: Int, down: Int
    private var received = 0
    private var produced = 0
    private var buffer: [Double] = []
    private var bufferStart = 0

    /// Resampling by `up / down`.
    public init(up: Int, down: Int) {
        self.up = up
        self.down = down
    }

    /// The output samples that `samples` (the next input) complete.
    public mutating func push(_ samples: [Double]) -> [Double] {
        buffer += samples
        received += samples.count
        var out: [Double] = []
        while true {
            let index = produced * down / up
            guard index < received else { break }
            out.append(buffer[index - bufferStart])
            produced += 1
        }
        let keep = produced * down / up
        if keep > bufferStart {
            buffer.removeFirst(min(buffer.count, keep - bufferStart))
            bufferStart = keep
        }
        return out
    }

    /// The remaining output samples.
    public mutating func finish() -> [Double] {
        let total = (received * up + down - 1) / down
        var out: [Double] = []
        while produced < total {
            let index = min(produced * down / up, received - 1)
            out.append(index >= bufferStart ? buffer[index - bufferStart] : buffer.last ?? 0)
            produced += 1
        }
        return out
    }
}
