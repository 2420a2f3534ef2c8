import ArgumentParser
import Foundation
import NeuroIO
import NeuroStore

/// `neurotool info`: what a common-format file holds.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print what a neurotool common-format file holds: recordings, channels, rates, provenance.")

    @Argument(help: "A file written by neurotool.")
    var file: String

    func run() throws {
        let f = try CommonFormatFile(path: file)
        print("\(file): \(CommonFormat.name) \(f.globalAttribute("format_version")?.description ?? "?")")
        for key in ["title", "neurotool_version", "command_line", "parameters"] {
            if let v = f.globalAttribute(key) { print("  \(key): \(v)") }
        }
        let inputs = (f.globalAttribute("input_files")?.description ?? "").split(separator: "\n")
        let shas = (f.globalAttribute("input_sha256")?.description ?? "").split(separator: "\n")
        for (i, s) in zip(inputs, shas) { print("  input: \(i)  sha256:\(s)") }
        print("  \(f.recordingNames.count) recordings:")
        for name in f.recordingNames {
            let r = try f.recording(name)
            let recorded = r.recorded.filter { $0 }.count, labeled = r.labeled.filter { $0 }.count
            let duration = (r.time.last ?? 0) - (r.time.first ?? 0)
            let original = r.attribute("original_sampling_rate").flatMap { v -> String? in
                if case .number(let x) = v { return String(format: ", source %.3f Hz", x) } else { return nil }
            } ?? ""
            print(String(format: "    %@: %d samples at %.4g Hz (%.1f s%@), %d channels, %d recorded, %d labeled, %d events",
                         name, r.time.count, r.samplingRate, duration, original, r.channels.count, recorded, labeled, r.events.count))
            if let source = r.attribute("source_file") { print("      from \(source) [\(r.attribute("source_reader")?.description ?? "?")]") }
        }
    }
}
