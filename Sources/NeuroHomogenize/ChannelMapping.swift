import NeuroCore

/// Where each source column goes in the output, and why unlabeled columns are unlabeled.
public struct ChannelMapping: Equatable, Sendable {
    /// Output channels: first the channel order's names, then `unlabeled_k` for kept unlabeled columns.
    public var channels: [Channel]
    /// For each output channel, the source column feeding it (nil: not recorded).
    public var sourceColumn: [Int?]
    /// `identified[c]`: output channel `c` is a named channel of the order (not `unlabeled_k`).
    public var identified: [Bool]
    /// How many source labels fell in each unlabeled category.
    public var unlabeledCounts: [NeuronLabel.UnlabeledReason: Int]

    /// Maps raw labels onto `order`. Duplicates keep their first occurrence; the rest become unlabeled.
    public static func make(labels: [String], candidates: [[String]]?, kinds: [ChannelKind], units: [String],
                            order: CalciumOptions.ChannelOrder, keepUnlabeled: Bool) -> ChannelMapping {
        var counts: [NeuronLabel.UnlabeledReason: Int] = [:]
        switch order {
        case .native:
            var seen: [String: Int] = [:]
            var channels: [Channel] = []
            for (j, raw) in labels.enumerated() {
                let trimmed = raw.trimmingWhitespace()
                var name = trimmed.isEmpty ? "ch\(j)" : trimmed
                if let n = seen[name] { seen[name] = n + 1; name += "_\(n + 1)" } else { seen[name] = 1 }
                channels.append(Channel(name: name, originalLabel: raw, kind: kinds[j], unit: units[j]))
            }
            // Placeholders (`unlabeled_3`, `nan`, empty) name a column but identify nothing.
            let identified = labels.map { NeuronLabelCleaner.clean($0, known: [$0.trimmingWhitespace().uppercased()]) != .unlabeled(.missing) }
            return ChannelMapping(channels: channels, sourceColumn: labels.indices.map { $0 },
                                  identified: identified, unlabeledCounts: [:])
        case .celegans, .list:
            let names: [String]
            let resolve: (Int) -> NeuronLabel
            switch order {
            case .list(_, let list):
                names = list
                let known = Set(list)
                resolve = { j in
                    let t = labels[j].trimmingWhitespace()
                    return t.isEmpty ? .unlabeled(.missing) : (known.contains(t) ? .named(t) : .unlabeled(.unknown))
                }
            default:
                names = CanonicalNeurons.names
                resolve = { j in
                    if let c = candidates?[j], c.count != 1 { return NeuronLabelCleaner.clean(candidates: c) }
                    return NeuronLabelCleaner.clean(labels[j])
                }
            }
            let index = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            var sourceColumn = [Int?](repeating: nil, count: names.count)
            var originals = [String](repeating: "", count: names.count)
            var unlabeledColumns: [Int] = []
            for j in labels.indices {
                var label = resolve(j)
                if case .named(let n) = label, sourceColumn[index[n]!] != nil { label = .unlabeled(.duplicate) }
                switch label {
                case .named(let n):
                    sourceColumn[index[n]!] = j
                    originals[index[n]!] = labels[j]
                case .unlabeled(let reason):
                    counts[reason, default: 0] += 1
                    unlabeledColumns.append(j)
                }
            }
            let unit = units.first ?? "1", kind = kinds.first ?? .calcium
            var channels = names.indices.map { Channel(name: names[$0], originalLabel: originals[$0],
                                                       kind: sourceColumn[$0].map { kinds[$0] } ?? kind,
                                                       unit: sourceColumn[$0].map { units[$0] } ?? unit) }
            var identified = [Bool](repeating: true, count: names.count)
            if keepUnlabeled {
                for (k, j) in unlabeledColumns.enumerated() {
                    channels.append(Channel(name: "unlabeled_\(k)", originalLabel: labels[j], kind: kinds[j], unit: units[j]))
                    sourceColumn.append(j)
                    identified.append(false)
                }
            }
            return ChannelMapping(channels: channels, sourceColumn: sourceColumn, identified: identified, unlabeledCounts: counts)
        }
    }
}
