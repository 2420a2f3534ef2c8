import Foundation

/// A report page written as HTML (self-contained, figures inline) and Markdown (figures as SVG files
/// beside it, so it renders on a repository page). Deterministic: no dates, no random ids.
public struct Report {
    /// One piece of a report page, rendered in the order it was added.
    public enum Block {
        /// A heading of `level` (1 is the page's sections).
        case heading(String, level: Int)
        /// A paragraph of text (Markdown inline syntax).
        case paragraph(String)
        /// A table with a header row.
        case table(header: [String], rows: [[String]])
        /// An SVG figure saved as `name`.svg, with its caption.
        case figure(name: String, svg: SVGDocument, caption: String)
        /// A bulleted list.
        case list([String])
        /// A block of preformatted text.
        case code(String)
    }

    /// The page title, written as the top heading (and the HTML `<title>`).
    public var title: String
    /// The page content, in order.
    public var blocks: [Block] = []

    /// An empty page titled `title`.
    public init(title: String) { self.title = title }

    /// Appends `block` to the end of the page.
    public mutating func add(_ block: Block) { blocks.append(block) }

    /// The "Provenance" section every analysis page opens with: tool version, command line, `details`
    /// (label, value) such as the parameters, then one row per input file.
    public mutating func addProvenance(version: String, command: String, details: [(String, String)], inputs: [String] = []) {
        add(.heading("Provenance", level: 1))
        add(.table(header: ["field", "value"],
                   rows: [["neurotool version", version], ["command", command]] + details.map { [$0.0, $0.1] } + inputs.map { ["input", $0] }))
    }

    /// Writes `<directory>/<name>.html`, `<directory>/<name>.md` and the SVGs under
    /// `<directory>/figures/<name>/`. Each file is written to a temporary name and renamed.
    public func write(directory: String, name: String) throws {
        let figureDirectory = (directory as NSString).appendingPathComponent("figures/\(name)")
        try FileManager.default.createDirectory(atPath: figureDirectory, withIntermediateDirectories: true)
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto; color: #222; line-height: 1.45; }
        table { border-collapse: collapse; font-size: 13px; margin: 1em 0; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
        th { background: #f2f2f2; }
        figure { margin: 1.5em 0; }
        figcaption { font-size: 13px; color: #555; }
        pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 12px; }
        </style></head><body>
        <h1>\(escape(title))</h1>

        """
        var markdown = "# \(title)\n\n"
        for block in blocks {
            switch block {
            case let .heading(text, level):
                html += "<h\(level + 1)>\(escape(text))</h\(level + 1)>\n"
                markdown += String(repeating: "#", count: level + 1) + " \(text)\n\n"
            case .paragraph(let text):
                html += "<p>\(escape(text))</p>\n"
                markdown += "\(text)\n\n"
            case let .table(header, rows):
                html += "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
                for row in rows { html += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
                html += "</table>\n"
                markdown += "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---|" }.joined() + "\n"
                for row in rows { markdown += "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
                markdown += "\n"
            case let .figure(figureName, svg, caption):
                let file = "figures/\(name)/\(figureName).svg"
                try atomicWrite(svg.text, to: (directory as NSString).appendingPathComponent(file))
                html += "<figure>\(svg.text)<figcaption>\(escape(caption))</figcaption></figure>\n"
                markdown += "![\(caption)](\(file))\n\n*\(caption)*\n\n"
            case .list(let items):
                html += "<ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
                markdown += items.map { "- \($0)" }.joined(separator: "\n") + "\n\n"
            case .code(let text):
                html += "<pre>\(escape(text))</pre>\n"
                markdown += "```\n\(text)\n```\n\n"
            }
        }
        html += "</body></html>\n"
        try atomicWrite(html, to: (directory as NSString).appendingPathComponent("\(name).html"))
        try atomicWrite(markdown, to: (directory as NSString).appendingPathComponent("\(name).md"))
    }

    private func escape(_ s: String) -> String { SVGDocument.escape(s) }

    private func atomicWrite(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
