import NeuroCore
import NeuroNative

extension Provenance {
    /// The global attributes every neurotool output starts with: `title`, `neurotool_version`,
    /// `command_line`, `input_files`, `input_sha256` (of every file read, in the same order) and
    /// `parameters`. `checksums` may be passed when already computed.
    public func attributes(title: String, inputs: [String], checksums: [String]? = nil,
                           parameters: String) throws -> [(key: String, value: AttributeValue)] {
        let sums = try checksums ?? inputs.map { try FileChecksum.sha256(of: $0) }
        return [
            ("title", .text(title)),
            ("neurotool_version", .text(toolVersion)),
            ("command_line", .text(commandLine)),
            ("input_files", .text(inputs.joined(separator: "\n"))),
            ("input_sha256", .text(sums.joined(separator: "\n"))),
            ("parameters", .text(parameters)),
        ]
    }
}
