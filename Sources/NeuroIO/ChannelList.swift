import Foundation
import NeuroCore
import NeuroNative
import NeuroStore

/// A channel-order file: one channel name a line (UTF-8, or Latin-1 when not valid UTF-8).
public enum ChannelList {
    /// The names, in order; empty lines are skipped, a repeated name is an error naming its line.
    public static func read(_ path: String) throws -> [String] {
        let lines = try TextTable.lines(of: path)
        var names: [String] = []
        var seen: [String: Int] = [:]
        for (i, line) in lines.enumerated() {
            let name = String(line).trimmingWhitespace()
            guard !name.isEmpty else { continue }
            if let first = seen[name] {
                throw NeuroIOError.badValue(path, field: "line \(i + 1)", detail: "channel '\(name)' repeats line \(first)")
            }
            seen[name] = i + 1
            names.append(name)
        }
        guard !names.isEmpty else { throw NeuroIOError.emptyFile(path) }
        return names
    }
}
