import Foundation
import NeuroTestSupport
import Testing

/// Writes that cannot lose data: killed, crashed, out of space, read-only, two runs at once. Never a
/// partial file under the output's name, never an input touched, one line of error, no temporary file
/// left (or, after SIGKILL, one recognisably named that the next run removes).
@Suite("Writes that cannot lose data", .serialized)
struct WriteSafetyTests {
    /// A CSV large enough that a debug build takes a while to read it, in `dir`.
    func bigCSV(in dir: String) throws -> String {
        var text = "time," + (0..<60).map { "n\($0)" }.joined(separator: ",") + "\n"
        for i in 0..<60_000 { text += "\(Double(i) / 10)," + (0..<60).map { "\(sin(Double(i * ($0 + 1)) * 0.001))" }.joined(separator: ",") + "\n" }
        let path = "\(dir)/big.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts homogenizing `input` into `output`, waits until its temporary file exists, sends `signal`,
    /// and returns the exit status and standard error.
    func interrupt(_ input: String, _ output: String, with signal: Int32) throws -> (status: Int32, stderr: String, reason: Process.TerminationReason) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.neurotool)
        process.arguments = ["homogenize", input, "--channels", "native", "-o", output]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let dir = (output as NSString).deletingLastPathComponent
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            if names.contains(where: { $0.hasSuffix(".tmp") }) || !process.isRunning { break }
            usleep(2_000)
        }
        #expect(process.isRunning, "the run ended before the signal")
        kill(process.processIdentifier, signal)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text, process.terminationReason)
    }

    @Test("SIGKILL mid-write leaves only a recognisably named temporary file, which the next run removes")
    func killed() throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = try bigCSV(in: dir)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let run = try interrupt(input, "\(dir)/out.nc", with: SIGKILL)
        #expect(run.reason == .uncaughtSignal && run.status == SIGKILL)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "big.csv" }
        #expect(left.count == 1 && left[0].hasPrefix(".out.nc.") && left[0].hasSuffix(".tmp"), "\(left)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before, "the input was written")
        // The next run to the same output cleans up after the dead one.
        let again = try TestSupport.neurotool(["homogenize", TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv"), "-o", "\(dir)/out.nc", "-q"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["big.csv", "out.nc"])
    }

    @Test("a crash while reading prints one line naming the file and leaves nothing")
    func crashed() throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = try bigCSV(in: dir)
        let run = try interrupt(input, "\(dir)/out.nc", with: SIGSEGV)
        #expect(run.reason == .exit && run.status == 70, "\(run)")
        #expect(run.stderr == "Error: \(input): neurotool crashed (SIGSEGV) after opening this file (damaged?); nothing was written\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["big.csv"])
    }

    /// A fresh tmpfs of `kilobytes` at a new directory (root only); nil, with a message, where mounting is
    /// not allowed. `readOnly` remounts it read-only after `prepare` ran on it.
    func mount(kilobytes: Int, readOnly: Bool = false, prepare: (String) throws -> Void = { _ in }) throws -> String? {
        let dir = try TestSupport.temporaryDirectory("neurotool-mount")
        let status = try TestSupport.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", dir])
        guard status.status == 0 else {
            print("skipped: cannot mount a tmpfs here (\(status.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
            return nil
        }
        try prepare(dir)
        if readOnly { #expect(try TestSupport.run("/bin/mount", ["-o", "remount,ro", dir]).status == 0) }
        return dir
    }

    func unmount(_ dir: String) { _ = try? TestSupport.run("/bin/umount", [dir]) }

    /// Every command, writing `output`: homogenize, ntf, glmhmm and ftag on small committed inputs.
    static func commands(_ output: String) -> [[String]] {
        [
            ["homogenize", "Datasets/celegans/venkatachalam2024/worm1.csv", "-o", output],
            ["ntf", "Tests/Fixtures/ntf/planted3.npy", "--rank", "3", "-o", output],
            ["glmhmm", "Tests/Fixtures/glmhmm/poisson_hmm_counts.npy", "--states", "2", "--iterations", "5", "-o", output],
            ["ftag", "Tests/Fixtures/ftag/signals.npy", "--rate", "100", "--tags", "1,2", "-o", output],
        ]
    }

    /// Checks a refused write: status 1, one line naming the output, and `dir` holding only `expected`.
    func expectRefusedWrite(_ command: [String], _ run: TestSupport.ProcessResult, in dir: String, holding expected: [String]) throws {
        #expect(run.status == 1, "\(command[0]): exit \(run.status): \(run.stderr.prefix(300))")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1 && lines.first?.hasPrefix("Error: \(dir)/out.nc: ") == true, "\(command[0]): \(run.stderr.prefix(300))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == expected, "\(command[0]) left files behind")
    }

    @Test("a full disk: every command refuses in one line and leaves no file")
    func diskFull() throws {
        // 64 KiB minus a filler: a few KiB free, less than any output needs.
        guard let dir = try mount(kilobytes: 64, prepare: { dir in
            let filler = FileManager.default.createFile(atPath: "\(dir)/filler", contents: Data(count: 60 * 1024))
            #expect(filler)
        }) else { return }
        defer { unmount(dir) }
        for command in Self.commands("\(dir)/out.nc") {
            let run = try TestSupport.neurotool(command + ["-q"])
            try expectRefusedWrite(command, run, in: dir, holding: ["filler"])
        }
    }

    @Test("a read-only output directory: every command refuses in one line")
    func readOnly() throws {
        guard let dir = try mount(kilobytes: 1024, readOnly: true) else { return }
        defer { unmount(dir) }
        for command in Self.commands("\(dir)/out.nc") {
            let run = try TestSupport.neurotool(command + ["-q"])
            try expectRefusedWrite(command, run, in: dir, holding: [])
        }
    }

    @Test("two runs writing the same output at once: a complete file, equal to one run's, and no temporary files")
    func concurrentWriters() throws {
        let dir = try TestSupport.temporaryDirectory()
        let arguments = ["homogenize", "Datasets/celegans/flavell2023/worm1.h5:/trace_array:time=/timestamp_confocal:labels=/neuron_labels:layout=channel-time",
                         "-o", "\(dir)/out.nc", "-q"]
        let solo = try TestSupport.neurotool(arguments)
        #expect(solo.status == 0, "\(solo.stderr)")
        let reference = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/out.nc"))
        try FileManager.default.removeItem(atPath: "\(dir)/out.nc")
        let processes = (0..<2).map { _ in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: TestSupport.neurotool)
            p.arguments = arguments
            p.currentDirectoryURL = URL(fileURLWithPath: TestSupport.repositoryRoot)
            p.standardError = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.nc"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/out.nc")) == reference)
    }
}
