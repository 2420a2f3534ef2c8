/// A pointer (or buffer) handed to `DispatchQueue.concurrentPerform` workers that each touch their
/// own elements only; the caller vouches for that, hence `@unchecked`.
public struct UnsafeSendable<Wrapped>: @unchecked Sendable {
    public let wrapped: Wrapped
    public init(_ wrapped: Wrapped) { self.wrapped = wrapped }
}
