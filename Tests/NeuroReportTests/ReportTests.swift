import Foundation
import NeuroCore
import NeuroReport
import NeuroTestSupport
import Testing

@Suite("Figures and reports")
struct ReportTests {
    @Test("PNG output has a valid signature, header and chunk CRCs (checked by Python's zlib)")
    func pngIsValid() throws {
        let png = PNGEncoder.encode(width: 3, height: 2, rgb: [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90])
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let dir = try TestSupport.temporaryDirectory()
        try Data(png).write(to: URL(fileURLWithPath: dir + "/x.png"))
        let script = """
        import struct, sys, zlib
        b = open(sys.argv[1], 'rb').read(); i = 8; out = b''
        while i < len(b):
            n, = struct.unpack('>I', b[i:i+4]); t = b[i+4:i+8]; d = b[i+8:i+8+n]
            assert zlib.crc32(t + d) == struct.unpack('>I', b[i+8+n:i+12+n])[0], t
            if t == b'IHDR': print(struct.unpack('>IIBBBBB', d))
            if t == b'IDAT': out += d
            i += 12 + n
        print(list(zlib.decompress(out)))
        """
        try script.write(toFile: dir + "/check.py", atomically: true, encoding: .utf8)
        let run = try TestSupport.run(TestSupport.python, [dir + "/check.py", dir + "/x.png"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "(3, 2, 8, 2, 0, 0, 0)\n[0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90]\n")
    }

    @Test("colour maps: ends and midpoint; NaN is grey")
    func colormaps() {
        #expect(Colormap.diverging.hex(0.5) == "#f7f7f7")
        #expect(Colormap.diverging.hex(0) == "#2166ac")
        #expect(Colormap.diverging.hex(2) == "#b2182b")
        #expect(Colormap.sequential.hex(.nan) == "#ebebeb")
    }

    @Test("a report writes HTML, Markdown and the SVG files it links, with text escaped")
    func reportFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        var report = Report(title: "A <test> & more")
        report.add(.table(header: ["a", "b"], rows: [["1", "x|y"]]))
        let heat = Plots.heatmap(values: Matrix(rows: 2, columns: 3, values: [0, 1, 2, -1, -2, .nan]), rowLabels: ["AVAL", "AVAR"],
                                 xRange: 0...1, xLabel: "time (s)", title: "h", colormap: .diverging, limits: -2...2, colorbarLabel: "z")
        report.add(.figure(name: "heat", svg: heat, caption: "cap"))
        try report.write(directory: dir, name: "page")
        let html = try String(contentsOfFile: dir + "/page.html", encoding: .utf8)
        let markdown = try String(contentsOfFile: dir + "/page.md", encoding: .utf8)
        #expect(html.contains("<h1>A &lt;test&gt; &amp; more</h1>"))
        #expect(html.contains("data:image/png;base64,"))
        #expect(markdown.contains("![cap](figures/page/heat.svg)"))
        #expect(markdown.contains("x\\|y"))
        let svg = try String(contentsOfFile: dir + "/figures/page/heat.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains(">AVAR</text>"))
    }
}
