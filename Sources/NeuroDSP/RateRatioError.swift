/// Two rates whose ratio is not a ratio of small integers (denominator ≤ 10000), so no polyphase
/// resampler joins them.
public struct RateRatioError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output rate over the input rate.
    public let ratio: Double
    /// One line naming the ratio.
    public var description: String { "rate ratio \(ratio) is not a ratio of small integers" }
}
