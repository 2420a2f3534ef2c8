import ArgumentParser
import Foundation
import NeuroHomogenize

/// `neurotool report`: an HTML + Markdown page with SVG figures for a neurotool output.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report",
        abstract: "Write an HTML and Markdown report with SVG figures for a homogenized file.")

    @Argument(help: "A common-format file written by `neurotool homogenize`.")
    var file: String

    @Option(name: [.short, .customLong("output")], help: "Report directory (the page is <dir>/<name>.html and .md).")
    var output: String

    @Option(help: "Page name.")
    var name: String = "homogenize"

    func run() throws {
        let report = try HomogenizationReport.make(from: file)
        try report.write(directory: output, name: name)
        print("wrote \((output as NSString).appendingPathComponent(name + ".html")) and .md")
    }
}
