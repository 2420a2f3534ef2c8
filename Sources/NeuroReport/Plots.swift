import NeuroCore

/// Figures used in reports, each a function from plain data to an ``SVGDocument``.
public enum Plots {
    /// A heatmap of `values` (rows × columns, row-major) drawn as an embedded raster, with row labels,
    /// an x axis from `xRange`, and a colour bar. Columns beyond `maxColumns` are averaged into bins.
    public static func heatmap(values: Matrix, rowLabels: [String], xRange: ClosedRange<Double>, xLabel: String,
                               title: String, colormap: Colormap, limits: ClosedRange<Double>,
                               colorbarLabel: String, maxColumns: Int = 800) -> SVGDocument {
        let rows = values.rows
        let bins = max(1, min(values.columns, maxColumns))
        let perBin = Double(values.columns) / Double(bins)
        var rgb = [UInt8](repeating: 0, count: rows * bins * 3)
        for r in 0..<rows {
            for b in 0..<bins {
                let lo = Int(Double(b) * perBin), hi = max(lo + 1, Int(Double(b + 1) * perBin))
                var sum = 0.0, count = 0
                for c in lo..<min(hi, values.columns) where values[r, c].isFinite { sum += values[r, c]; count += 1 }
                let v = count == 0 ? Double.nan : (sum / Double(count) - limits.lowerBound) / (limits.upperBound - limits.lowerBound)
                let (red, green, blue) = colormap.rgb(v)
                rgb[(r * bins + b) * 3] = red
                rgb[(r * bins + b) * 3 + 1] = green
                rgb[(r * bins + b) * 3 + 2] = blue
            }
        }
        let showLabels = rows <= 90
        let left: Double = showLabels ? 70 : 40, top: Double = 34, plotWidth: Double = 640
        let rowHeight = max(3, min(12, 520 / Double(max(rows, 1))))
        let plotHeight = rowHeight * Double(rows)
        var svg = SVGDocument(width: left + plotWidth + 90, height: top + plotHeight + 50)
        svg.text(title, x: left, y: 20, size: 13, weight: "bold")
        if rows > 0 {
            svg.image(x: left, y: top, width: plotWidth, height: plotHeight, pixelsWide: bins, pixelsHigh: rows, rgb: rgb)
        }
        if showLabels {
            let size = min(9, rowHeight * 0.9)
            for (i, label) in rowLabels.enumerated() {
                svg.text(label, x: left - 4, y: top + (Double(i) + 0.8) * rowHeight, size: size, anchor: .end)
            }
        } else {
            svg.text("\(rows) channels", x: left - 6, y: top + plotHeight / 2, size: 10, anchor: .middle, rotate: -90)
        }
        axisTicks(&svg, range: xRange, x: left, y: top + plotHeight, width: plotWidth)
        svg.text(xLabel, x: left + plotWidth / 2, y: top + plotHeight + 40, size: 11, anchor: .middle)
        colorbar(&svg, x: left + plotWidth + 20, y: top, height: min(plotHeight, 200), colormap: colormap, limits: limits, label: colorbarLabel)
        return svg
    }

    /// Horizontal tick marks and labels at round numbers.
    static func axisTicks(_ svg: inout SVGDocument, range: ClosedRange<Double>, x: Double, y: Double, width: Double) {
        svg.line(x1: x, y1: y, x2: x + width, y2: y, stroke: "#555")
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return }
        for tick in niceTicks(range) {
            let px = x + (tick - range.lowerBound) / span * width
            svg.line(x1: px, y1: y, x2: px, y2: y + 4, stroke: "#555")
            svg.text(SVGDocument.number(tick), x: px, y: y + 16, size: 10, anchor: .middle)
        }
    }

    /// About five round tick values inside `range`.
    static func niceTicks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0 else { return [range.lowerBound] }
        let raw = span / 5
        let magnitude = pow10(floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var t = (range.lowerBound / step).rounded(.up) * step
        while t <= range.upperBound + step * 1e-9 { ticks.append(t); t += step }
        return ticks
    }

    static func colorbar(_ svg: inout SVGDocument, x: Double, y: Double, height: Double, colormap: Colormap,
                         limits: ClosedRange<Double>, label: String) {
        let steps = 32
        for i in 0..<steps {
            let v = 1 - Double(i) / Double(steps - 1)
            svg.rect(x: x, y: y + Double(i) * height / Double(steps), width: 12, height: height / Double(steps) + 0.5, fill: colormap.hex(v))
        }
        svg.text(SVGDocument.number(limits.upperBound), x: x + 16, y: y + 8, size: 9)
        svg.text(SVGDocument.number(limits.lowerBound), x: x + 16, y: y + height, size: 9)
        svg.text(label, x: x + 6, y: y + height + 14, size: 9, anchor: .middle)
    }

    /// Vertical bars, one group per category, one colour per series (stacked when `stacked`).
    public static func bars(categories: [String], series: [(name: String, values: [Double], color: String)],
                            title: String, yLabel: String, stacked: Bool = true, width: Double = 760, rotateLabels: Bool = true) -> SVGDocument {
        let left: Double = 56, top: Double = 40, plotHeight: Double = 220
        let bottom: Double = rotateLabels ? 90 : 40
        let plotWidth = width - left - 20
        var svg = SVGDocument(width: width, height: top + plotHeight + bottom)
        svg.text(title, x: left, y: 20, size: 13, weight: "bold")
        let totals = categories.indices.map { i in
            stacked ? series.reduce(0) { $0 + $1.values[i] } : (series.map { $0.values[i] }.max() ?? 0)
        }
        let maxValue = max(totals.max() ?? 1, 1e-12)
        let slot = plotWidth / Double(max(categories.count, 1))
        let barWidth = stacked ? slot * 0.8 : slot * 0.8 / Double(max(series.count, 1))
        for (i, category) in categories.enumerated() {
            var base = 0.0
            for (k, s) in series.enumerated() {
                let h = s.values[i] / maxValue * plotHeight
                let x = left + Double(i) * slot + slot * 0.1 + (stacked ? 0 : Double(k) * barWidth)
                let y = top + plotHeight - (stacked ? base : 0) - h
                svg.rect(x: x, y: y, width: barWidth, height: h, fill: s.color, title: "\(category) \(s.name): \(SVGDocument.number(s.values[i]))")
                if stacked { base += h }
            }
            if categories.count <= 80 {
                let cx = left + (Double(i) + 0.5) * slot
                if rotateLabels {
                    svg.text(category, x: cx, y: top + plotHeight + 8, size: min(10, slot * 0.9), anchor: .end, rotate: -60)
                } else {
                    svg.text(category, x: cx, y: top + plotHeight + 14, size: 10, anchor: .middle)
                }
            }
        }
        svg.line(x1: left, y1: top + plotHeight, x2: left + plotWidth, y2: top + plotHeight, stroke: "#555")
        svg.line(x1: left, y1: top, x2: left, y2: top + plotHeight, stroke: "#555")
        for tick in niceTicks(0...maxValue) {
            let y = top + plotHeight - tick / maxValue * plotHeight
            svg.line(x1: left - 4, y1: y, x2: left, y2: y, stroke: "#555")
            svg.text(SVGDocument.number(tick), x: left - 6, y: y + 3, size: 9, anchor: .end)
        }
        svg.text(yLabel, x: 14, y: top + plotHeight / 2, size: 11, anchor: .middle, rotate: -90)
        var lx = left + plotWidth - 10
        for s in series.reversed() {
            svg.text(s.name, x: lx, y: top - 8, size: 10, anchor: .end)
            lx -= Double(s.name.count) * 6 + 8
            svg.rect(x: lx, y: top - 16, width: 8, height: 8, fill: s.color)
            lx -= 10
        }
        return svg
    }

    /// Line traces over a shared x axis, stacked vertically with an offset so each stays readable.
    public static func stackedLines(series: [(name: String, x: [Double], y: [Double], color: String)], title: String,
                                    xLabel: String, offset: Double) -> SVGDocument {
        let left: Double = 150, top: Double = 34, plotWidth: Double = 600, rowHeight: Double = 46
        let plotHeight = rowHeight * Double(max(series.count, 1))
        var svg = SVGDocument(width: left + plotWidth + 20, height: top + plotHeight + 46)
        svg.text(title, x: 10, y: 20, size: 13, weight: "bold")
        let xs = series.flatMap(\.x)
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9)
        for (i, s) in series.enumerated() {
            let baseline = top + (Double(i) + 0.5) * rowHeight
            let points = zip(s.x, s.y).map { (left + ($0 - xMin) / (xMax - xMin) * plotWidth, baseline - $1 / offset * rowHeight * 0.5) }
            svg.polyline(points, stroke: s.color)
            svg.text(s.name, x: left - 6, y: baseline + 3, size: 10, anchor: .end)
        }
        axisTicks(&svg, range: xMin...xMax, x: left, y: top + plotHeight, width: plotWidth)
        svg.text(xLabel, x: left + plotWidth / 2, y: top + plotHeight + 38, size: 11, anchor: .middle)
        return svg
    }

    /// Lines over a shared x axis with axes, ticks and a legend.
    public static func lines(series: [(name: String, x: [Double], y: [Double], color: String)], title: String,
                             xLabel: String, yLabel: String) -> SVGDocument {
        let left: Double = 64, top: Double = 36, width: Double = 640, height: Double = 260
        var svg = SVGDocument(width: left + width + 30, height: top + height + 50)
        svg.text(title, x: left, y: 20, size: 13, weight: "bold")
        let xs = series.flatMap(\.x).filter(\.isFinite), ys = series.flatMap(\.y).filter(\.isFinite)
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1e-12)
        let yMin = ys.min() ?? 0, yMax = max(ys.max() ?? 1, yMin + 1e-12)
        for s in series {
            let points = zip(s.x, s.y).map { (left + ($0 - xMin) / (xMax - xMin) * width, top + height - ($1 - yMin) / (yMax - yMin) * height) }
            svg.polyline(points, stroke: s.color)
        }
        axisTicks(&svg, range: xMin...xMax, x: left, y: top + height, width: width)
        svg.line(x1: left, y1: top, x2: left, y2: top + height, stroke: "#555")
        for tick in niceTicks(yMin...yMax) {
            let y = top + height - (tick - yMin) / (yMax - yMin) * height
            svg.line(x1: left - 4, y1: y, x2: left, y2: y, stroke: "#555")
            svg.text(SVGDocument.number(tick), x: left - 6, y: y + 3, size: 9, anchor: .end)
        }
        svg.text(xLabel, x: left + width / 2, y: top + height + 38, size: 11, anchor: .middle)
        svg.text(yLabel, x: 16, y: top + height / 2, size: 11, anchor: .middle, rotate: -90)
        for (i, s) in series.enumerated() {
            svg.rect(x: left + width - 150, y: top + 6 + Double(i) * 16, width: 10, height: 10, fill: s.color)
            svg.text(s.name, x: left + width - 134, y: top + 15 + Double(i) * 16, size: 10)
        }
        return svg
    }

    private static func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }
}

import Foundation
