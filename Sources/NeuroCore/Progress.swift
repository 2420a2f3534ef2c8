/// Receives progress of long work. The CLI shows it as a bar on stderr when stderr is a terminal.
public protocol ProgressReporter: Sendable {
    /// Work `completed` of `total` units is done; `label` names the current item.
    func update(completed: Int, total: Int, label: String)
    /// The work is over (successfully or not).
    func finish()
}

/// A reporter that ignores everything (the default for library calls and tests).
public struct SilentProgress: ProgressReporter {
    /// A reporter that discards every update.
    public init() {}
    /// Does nothing.
    public func update(completed: Int, total: Int, label: String) {}
    /// Does nothing.
    public func finish() {}
}
