import Foundation

extension Plots {
    /// Sensors seen from above (x right, y towards the nose), each a square coloured by its value, with a
    /// head outline, names of the `labelled` sensors and a colour bar. `positions` are 3-D (only x, y used);
    /// sensors without a position are skipped.
    public static func topography(positions: [[Double]?], values: [Double], names: [String], labelled: Set<Int>,
                                  title: String, colorbarLabel: String, limits: ClosedRange<Double>,
                                  colormap: Colormap = .sequential) -> SVGDocument {
        let size = 360.0, left = 30.0, top = 40.0
        var svg = SVGDocument(width: left + size + 120, height: top + size + 30)
        svg.text(title, x: left, y: 20, size: 13, weight: "bold")
        let placed = positions.indices.filter { positions[$0].map { $0.count >= 2 } ?? false }
        let xs = placed.map { positions[$0]![0] }, ys = placed.map { positions[$0]![1] }
        let radius = max(xs.map(abs).max() ?? 1, ys.map(abs).max() ?? 1, 1e-9) * 1.1
        func point(_ x: Double, _ y: Double) -> (Double, Double) {
            (left + size / 2 + x / radius * size / 2, top + size / 2 - y / radius * size / 2)
        }
        // Head outline (polygon circle) and nose.
        let circle = (0...72).map { k -> (Double, Double) in
            let a = Double(k) / 72 * 2 * Double.pi
            return point(radius / 1.1 * cos(a), radius / 1.1 * sin(a))
        }
        svg.polyline(circle, stroke: "#888")
        let (nx, ny) = point(0, radius / 1.1)
        svg.polyline([(nx - 10, ny + 2), (nx, ny - 12), (nx + 10, ny + 2)], stroke: "#888")
        let span = max(limits.upperBound - limits.lowerBound, 1e-12)
        for i in placed {
            let (x, y) = point(positions[i]![0], positions[i]![1])
            let v = (values[i] - limits.lowerBound) / span
            svg.rect(x: x - 6, y: y - 6, width: 12, height: 12, fill: colormap.hex(v), stroke: "#444",
                     title: "\(names[i]): \(String(format: "%.3g", values[i]))")
            if labelled.contains(i) { svg.text(names[i], x: x, y: y - 8, size: 9, anchor: .middle) }
        }
        // Colour bar.
        let barX = left + size + 30
        for k in 0..<50 {
            svg.rect(x: barX, y: top + size - Double(k + 1) * size / 50, width: 14, height: size / 50 + 0.5,
                     fill: colormap.hex(Double(k) / 49))
        }
        svg.text(String(format: "%.3g", limits.upperBound), x: barX + 18, y: top + 8, size: 10)
        svg.text(String(format: "%.3g", limits.lowerBound), x: barX + 18, y: top + size, size: 10)
        svg.text(colorbarLabel, x: barX + 18, y: top + size / 2, size: 10)
        return svg
    }
}
