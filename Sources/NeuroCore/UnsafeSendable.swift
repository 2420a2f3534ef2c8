/// A pointer (or buffer) handed to `DispatchQueue.concurrentPerform` workers that each touch their
/// own elements only; the caller vouches for that, hence `@unchecked`.
public struct UnsafeSendable<Wrapped>: @unchecked Sendable {
    /// The wrapped pointer or buffer.
    public let wrapped: Wrapped
    /// Wraps `wrapped`; the caller vouches that concurrent workers touch disjoint elements of it.
    public init(_ wrapped: Wrapped) { self.wrapped = wrapped }
}
