import Foundation
import NeuroCore

/// A progress bar on stderr, drawn only when stderr is a terminal (never in logs or CI).
final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var drawn = false

    init(enabled: Bool = isatty(STDERR_FILENO) != 0) { self.enabled = enabled }

    func update(completed: Int, total: Int, label: String) {
        guard enabled, total > 0 else { return }
        lock.withLock {
            let width = 30
            let filled = min(width, completed * width / total)
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let text = "\r\(bar) \(Int((Double(completed) / Double(total) * 100).rounded()))% \(label.prefix(40))"
            FileHandle.standardError.write(Data((text.padding(toLength: 80, withPad: " ", startingAt: 0)).utf8))
            drawn = true
        }
    }

    func finish() {
        guard enabled else { return }
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\r\(String(repeating: " ", count: 80))\r".utf8)) }
            drawn = false
        }
    }
}

/// Writes a line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
