import Foundation
import NeuroHMM

extension ConnectomeComparison {
    /// Directed synapse counts between named neurons (`Source,Target,Weight,Type` CSV rows, as the
    /// OpenWorm ConnectomeToolbox edge lists; chemical and electrical weights are added).
    public static func load(_ path: String) throws -> [String: [String: Double]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var edges: [String: [String: Double]] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, let w = Double(fields[2]) else { continue }
            edges[fields[0], default: [:]][fields[1], default: 0] += w
        }
        return edges
    }
}
