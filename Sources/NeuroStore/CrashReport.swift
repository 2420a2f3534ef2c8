import Foundation
import NeuroCore

/// The last word of a process that crashed anyway: one line naming the file being read, and no
/// temporary output left behind.
///
/// neurotool's own code refuses damaged files with an error, but the native libraries it reads through
/// (HDF5 1.10 above all) can still crash on some deliberately damaged files (their bugs, found by `make
/// fuzz`). When the CLI has called ``install()``, such a crash prints `Error: FILE: neurotool crashed
/// (SIGSEGV) after opening this file (damaged?); nothing was written`, FILE being the last file opened
/// for reading, deletes the temporary outputs that
/// ``InterruptCleanup`` knows, and exits with status 70. Set `NEUROTOOL_CRASH_BACKTRACE=1` to keep the
/// Swift runtime's backtrace instead (for debugging neurotool itself).
public enum CrashReport {
    /// The file being read, as bytes in a fixed buffer (a signal handler may not allocate or lock).
    nonisolated(unsafe) static let reading: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    static let capacity = 4096
    static let lock = NSLock()

    /// Remembers `path` as the file being read (readers and array loaders call this when they open one).
    public static func noteReading(_ path: String) {
        let bytes = Array(path.utf8.prefix(capacity - 1))
        lock.withLock {
            for (i, b) in bytes.enumerated() { reading[i] = CChar(bitPattern: b) }
            reading[bytes.count] = 0
        }
    }

    /// Installs the handler for the fatal signals (segmentation fault, bus error, arithmetic error,
    /// illegal instruction and trap, abort), on an alternate stack so that a stack overflow is reported
    /// too. Does nothing when `NEUROTOOL_CRASH_BACKTRACE` is set.
    public static func install() {
        guard ProcessInfo.processInfo.environment["NEUROTOOL_CRASH_BACKTRACE"] == nil else { return }
        _ = reading
        _ = InterruptCleanup.slots
        let size = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        sigaltstack(&stack, nil)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in CrashReport.handle(signal) }
        action.sa_flags = Int32(SA_ONSTACK)
        sigemptyset(&action.sa_mask)
        for signal in [SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT] { sigaction(signal, &action, nil) }
    }

    /// Async-signal-safe: `write`, `unlink`, `_exit` only.
    static func handle(_ signal: Int32) {
        func put(_ text: StaticString) { _ = write(2, text.utf8Start, text.utf8CodeUnitCount) }
        put("Error: ")
        if reading[0] != 0 { _ = write(2, reading, strlen(reading)) } else { put("(no file open)") }
        put(": neurotool crashed (")
        switch signal {
        case SIGSEGV: put("SIGSEGV")
        case SIGBUS: put("SIGBUS")
        case SIGFPE: put("SIGFPE")
        case SIGILL: put("SIGILL")
        case SIGTRAP: put("SIGTRAP")
        default: put("SIGABRT")
        }
        put(") after opening this file (damaged?); nothing was written\n")
        InterruptCleanup.removeRegistered()
        _exit(70)
    }
}
