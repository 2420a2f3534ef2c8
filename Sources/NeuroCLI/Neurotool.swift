import ArgumentParser
import NeuroCore
import NeuroIO
import NeuroLinAlg
import Foundation
import NeuroStore

/// The `neurotool` command: parses arguments and calls the libraries, nothing more.
public struct Neurotool: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "neurotool",
        abstract: "Fast, reproducible analysis of neural recordings: calcium imaging and EEG/MEG to factors, states and spectra.",
        version: NeurotoolVersion.current,
        subcommands: [Homogenize.self, NTFCommand.self, GLMHMMCommand.self, FTagCommand.self, Info.self, ReportCommand.self])

    public init() {}

    /// Runs the command named by the process arguments, deleting unfinished outputs on Ctrl-C.
    public static func runFromCommandLine() {
        useFastBLASKernels()
        InterruptCleanup.install()
        CrashReport.install()
        let command: any ParsableCommand
        do { command = try parseAsRoot() } catch { exit(withError: error) }
        var running = command
        do {
            try running.run()
        } catch {
            // ArgumentParser's own errors (help, usage, validation, exit codes) print as it prints them;
            // whatever a library threw is printed as one line, even when it quotes a damaged file's bytes.
            let fromParser = String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
            exit(withError: fromParser ? error : CommandFailure("\(error)"))
        }
    }

    /// OpenBLAS chooses its kernels when it loads, from the CPU model; on CPUs newer than the installed
    /// OpenBLAS it falls back to slow generic ones. Then restart once with `OPENBLAS_CORETYPE` set to the
    /// best family the CPU's flags support (the user's own `OPENBLAS_CORETYPE` always wins).
    static func useFastBLASKernels() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["NEUROTOOL_BLAS_CHECKED"] == nil,
              let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let core = BLASRuntime.betterCoreType(cpuFlags: Set(flagsLine.split(separator: " ")))
        else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("NEUROTOOL_BLAS_CHECKED", "1", 1)
        var argv = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &argv)
        // execv returned: carry on with the kernels already loaded.
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
    init(_ message: String) { description = message.singleLine }
}
