/// Provenance written into every output: which tool, which command, when nothing else differs.
public struct Provenance: Sendable {
    public var toolVersion: String
    public var commandLine: String
    public init(toolVersion: String, commandLine: String) {
        self.toolVersion = toolVersion
        self.commandLine = commandLine
    }
}
