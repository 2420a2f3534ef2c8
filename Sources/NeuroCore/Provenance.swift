/// Provenance written into every output: which tool, which command, when nothing else differs.
public struct Provenance: Sendable {
    /// The neurotool version that made the output, written as the `neurotool_version` attribute.
    public var toolVersion: String
    /// The command that made the output, as one string, written as the `command_line` attribute.
    public var commandLine: String
    /// Provenance of an output made by neurotool `toolVersion` running `commandLine`.
    public init(toolVersion: String, commandLine: String) {
        self.toolVersion = toolVersion
        self.commandLine = commandLine
    }
}
