// The fuzz executable, built two ways from the same targets (`Tests/Fuzz/NeuroFuzzTargets`):
//
// - with `-DFUZZING` and `--sanitize=fuzzer --sanitize=address` (`make fuzz`), libFuzzer drives it: the
//   target is named by `NEUROTOOL_FUZZ_TARGET` and the entry points below run each input it makes;
// - in the ordinary build it replays files through a target (`neurotool-fuzz run TARGET FILE…`), which is
//   how `make test` replays the crashers found so far, each in its own process.
import Foundation
import NeuroFuzzTargets

/// The package root, where seeds and companions are found: `NEUROTOOL_ROOT`, else the current directory.
func packageRoot() -> String {
    ProcessInfo.processInfo.environment["NEUROTOOL_ROOT"] ?? FileManager.default.currentDirectoryPath
}

func targetList() -> String {
    FuzzTarget.all.map { "\($0.name)\t\($0.seeds.joined(separator: " "))\t\($0.summary)" }.joined(separator: "\n")
}

#if FUZZING
nonisolated(unsafe) var workspace: FuzzWorkspace?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt {
    let name = ProcessInfo.processInfo.environment["NEUROTOOL_FUZZ_TARGET"] ?? ""
    if name == "list" {
        print(targetList())
        exit(0)
    }
    guard let target = FuzzTarget.named(name) else {
        FileHandle.standardError.write(Data("set NEUROTOOL_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: ", ")) (or list)\n".utf8))
        exit(2)
    }
    do {
        let space = try FuzzWorkspace(target: target, root: packageRoot())
        workspace = space
        atexit { workspace?.remove() }
    } catch {
        FileHandle.standardError.write(Data("cannot prepare \(name): \(error)\n".utf8))
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    workspace!.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#else
@main
struct FuzzReplay {
    static let usage = """
        usage: neurotool-fuzz list                   the targets, their seeds and what they exercise
               neurotool-fuzz run TARGET FILE...     runs each file through TARGET: prints 'FILE: read' or
                                                     'FILE: refused: <error>'; a crash ends the process
        """

    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "list":
            print(targetList())
        case "run" where arguments.count >= 2:
            guard let target = FuzzTarget.named(arguments[1]) else {
                FileHandle.standardError.write(Data("neurotool-fuzz: no target '\(arguments[1])'\n".utf8))
                exit(2)
            }
            let workspace = try FuzzWorkspace(target: target, root: packageRoot())
            defer { workspace.remove() }
            for file in arguments.dropFirst(2) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                let refusal = bytes.withUnsafeBytes { workspace.run($0) }
                print("\(file): " + (refusal.map { "refused: \($0)" } ?? "read"))
            }
        default:
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(2)
        }
    }
}
#endif
