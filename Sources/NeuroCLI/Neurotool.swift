import ArgumentParser
import NeuroCore
import NeuroIO

/// The `neurotool` command: parses arguments and calls the libraries, nothing more.
public struct Neurotool: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "neurotool",
        abstract: "Fast, reproducible analysis of neural recordings: calcium imaging and EEG/MEG to factors, states and spectra.",
        version: NeurotoolVersion.current,
        subcommands: [Homogenize.self, NTFCommand.self, Info.self, ReportCommand.self])

    public init() {}

    /// Runs the command named by the process arguments, deleting unfinished outputs on Ctrl-C.
    public static func runFromCommandLine() {
        InterruptCleanup.install()
        main()
    }
}

/// The exact command line, shell-quoted where needed, for provenance.
func commandLineText(_ arguments: [String] = CommandLine.arguments) -> String {
    arguments.enumerated().map { i, a in
        let word = i == 0 ? "neurotool" : a
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
}

/// An error found while running a command (not in its arguments): printed as one `Error:` line, without
/// the usage text ArgumentParser adds to a `ValidationError`.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
