import Foundation
import NeuroCore
import NeuroNative

/// Temporary output files to delete when the process is interrupted (Ctrl-C, `kill`), so that an
/// interrupted run leaves nothing behind, as a failed one does.
///
/// Paths are kept as C strings in fixed slots, because a signal handler may only call async-signal-safe
/// functions (`unlink`, `_exit`) and must not allocate.
public enum InterruptCleanup {
    package static let capacity = 16
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    package static let lock = NSLock()

    /// Installs handlers for SIGINT and SIGTERM that delete the registered files and exit with 128 + signal,
    /// and keeps HDF5 from flushing, at exit, files a failed write left open
    /// (``HDF5Library/skipCloseAtExit()``): it must run before anything touches HDF5.
    public static func install() {
        HDF5Library.skipCloseAtExit()
        _ = slots
        let handler: @convention(c) (Int32) -> Void = { signal in
            InterruptCleanup.removeRegistered()
            _exit(128 + signal)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        // A process started from a thread that blocks signals inherits that mask; unblock these two.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Deletes every registered file (async-signal-safe: only `unlink`).
    static func removeRegistered() {
        for i in 0..<capacity {
            if let path = slots[i] { unlink(path) }
        }
    }

    /// Remembers `path` for deletion on interrupt; returns the slot to pass to ``unregister(_:)``.
    package static func register(_ path: String) -> Int? {
        lock.withLock {
            guard let i = (0..<capacity).first(where: { slots[$0] == nil }) else { return nil }
            slots[i] = strdup(path)
            return i
        }
    }

    /// Forgets a path (it was renamed into place or deleted).
    package static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock {
            let p = slots[slot]
            slots[slot] = nil
            free(p)
        }
    }
}
