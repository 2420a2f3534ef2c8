/// Colour maps for heatmaps: perceptually ordered, colour-blind safe.
public enum Colormap: Sendable {
    /// Blue–white–red for signed values (z-scores), symmetric around 0.
    case diverging
    /// Viridis-like dark-to-bright for non-negative values.
    case sequential

    /// RGB of `value` in `[0, 1]` (clamped); NaN is light grey.
    public func rgb(_ value: Double) -> (UInt8, UInt8, UInt8) {
        guard value.isFinite else { return (235, 235, 235) }
        let v = min(1, max(0, value))
        let stops: [(Double, Double, Double)]
        switch self {
        case .diverging:
            stops = [(33, 102, 172), (103, 169, 207), (247, 247, 247), (239, 138, 98), (178, 24, 43)]
        case .sequential:
            stops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        }
        let position = v * Double(stops.count - 1)
        let i = min(Int(position), stops.count - 2)
        let f = position - Double(i)
        func mix(_ a: Double, _ b: Double) -> UInt8 { UInt8((a + (b - a) * f).rounded()) }
        return (mix(stops[i].0, stops[i + 1].0), mix(stops[i].1, stops[i + 1].1), mix(stops[i].2, stops[i + 1].2))
    }

    /// `#rrggbb` of `value` in `[0, 1]`.
    public func hex(_ value: Double) -> String {
        let (r, g, b) = rgb(value)
        return "#" + [r, g, b].map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
