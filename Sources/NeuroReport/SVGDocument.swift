import Foundation

/// A small SVG writer: shapes, text and embedded PNG rasters, with XML escaping. Output is
/// deterministic (numbers are printed with fixed precision), so reports are byte-stable.
public struct SVGDocument {
    /// Width of the drawing, in SVG user units (pixels).
    public let width: Double
    /// Height of the drawing, in SVG user units (pixels).
    public let height: Double
    private var body: [String] = []

    /// An empty drawing of `width` × `height` units, on a white background.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Fixed-precision number text (two decimals, no trailing zeros).
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Adds a rectangle filled with `fill`, outlined 0.5 units wide in `stroke` when given, with `title` as tooltip.
    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              stroke: String? = nil, title: String? = nil) {
        let strokeText = stroke.map { " stroke=\"\($0)\" stroke-width=\"0.5\"" } ?? ""
        let open = "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(fill)\"\(strokeText)"
        if let title { body.append(open + "><title>\(Self.escape(title))</title></rect>") } else { body.append(open + "/>") }
    }

    /// Adds a line from (`x1`, `y1`) to (`x2`, `y2`), `width` units wide.
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#333", width: Double = 1) {
        body.append("<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"/>")
    }

    /// Adds an unfilled polyline through `points` (x, y); points with a NaN or infinite coordinate are skipped.
    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.2) {
        let text = points.filter { $0.0.isFinite && $0.1.isFinite }.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        body.append("<polyline points=\"\(text)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"/>")
    }

    /// Where text sits relative to its `x` (SVG `text-anchor`): it starts, is centred, or ends there.
    public enum Anchor: String { case start, middle, end }

    /// Adds `s` (XML-escaped) at (`x`, `y`), `size` units high, aligned by `anchor`; `rotate` turns it that many
    /// degrees about (`x`, `y`).
    public mutating func text(_ s: String, x: Double, y: Double, size: Double = 11, anchor: Anchor = .start,
                              rotate: Double? = nil, weight: String? = nil, fill: String = "#222") {
        let transform = rotate.map { " transform=\"rotate(\(Self.number($0)) \(Self.number(x)) \(Self.number(y)))\"" } ?? ""
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        body.append("<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\"\(w)\(transform)>\(Self.escape(s))</text>")
    }

    /// Embeds an RGB raster, stretched to the given box without smoothing.
    public mutating func image(x: Double, y: Double, width: Double, height: Double, pixelsWide: Int, pixelsHigh: Int, rgb: [UInt8]) {
        let png = Data(PNGEncoder.encode(width: pixelsWide, height: pixelsHigh, rgb: rgb)).base64EncodedString()
        body.append("<image x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(png)\"/>")
    }

    /// The complete SVG text.
    public var text: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body.joined(separator: "\n") + "\n</svg>\n"
    }
}
