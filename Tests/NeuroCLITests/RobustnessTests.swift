import Foundation
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// Cases found in review: outputs that must never destroy anything, inputs from other platforms, and
/// inputs that used to crash.
@Suite("Robustness of homogenize", .serialized)
struct RobustnessTests {
    let csv = "Datasets/celegans/venkatachalam2024/worm1.csv"

    @Test("an output naming an existing directory is refused and the directory is untouched")
    func outputIsADirectory() throws {
        let dir = try TestSupport.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: "\(dir)/results/important", withIntermediateDirectories: true)
        try "precious".write(toFile: "\(dir)/results/important/data.txt", atomically: true, encoding: .utf8)
        for output in ["\(dir)/results", "\(dir)/results/", "."] {
            let run = try TestSupport.neurotool(["homogenize", csv, "-o", output])
            #expect(run.status != 0)
            #expect(run.stderr.contains("is a directory"), "\(run.stderr)")
        }
        #expect(try String(contentsOfFile: "\(dir)/results/important/data.txt", encoding: .utf8) == "precious")
    }

    @Test("files a reader reads besides the named input are never overwritten, and are checksummed")
    func companionFilesAreInputs() throws {
        let dir = try TestSupport.temporaryDirectory()
        for suffix in ["_gcamp.txt", "_labels.txt", "_t.txt"] {
            try FileManager.default.copyItem(atPath: TestSupport.path("Datasets/celegans/leifer2023/0\(suffix)"), toPath: "\(dir)/0\(suffix)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/0_labels.txt"))
        let run = try TestSupport.neurotool(["homogenize", "\(dir)/0_gcamp.txt", "-o", "\(dir)/0_labels.txt"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("output path is also an input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/0_labels.txt")) == before)
        #expect(try TestSupport.neurotool(["homogenize", "\(dir)/0_gcamp.txt", "-o", "\(dir)/out.nc", "-q"]).status == 0)
        let files = try #require(CommonFormatFile(path: "\(dir)/out.nc").globalAttribute("input_files")?.description)
        #expect(files.split(separator: "\n").map(String.init) == ["\(dir)/0_gcamp.txt", "\(dir)/0_labels.txt", "\(dir)/0_t.txt"])
    }

    @Test("a Windows (CRLF) CSV reads exactly like the same file with LF line ends")
    func crlfText() throws {
        let dir = try TestSupport.temporaryDirectory()
        let text = try String(contentsOfFile: TestSupport.path(csv), encoding: .utf8)
        try text.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: "\(dir)/worm1.csv", atomically: true, encoding: .utf8)
        let lf = try Readers.open(TestSupport.path(csv)).load(0), crlf = try Readers.open("\(dir)/worm1.csv").load(0)
        #expect(crlf.labels == lf.labels)
        #expect(crlf.data == lf.data)
        #expect(crlf.timestamps == lf.timestamps)
    }

    @Test("a decomposed (NFD) Unicode file name gives an ASCII group name")
    func unicodeFileName() throws {
        let dir = try TestSupport.temporaryDirectory()
        let name = "wo\u{0308}rm.csv"  // "wörm" with a combining diaeresis, as macOS stores it
        try FileManager.default.copyItem(atPath: TestSupport.path(csv), toPath: "\(dir)/\(name)")
        let run = try TestSupport.neurotool(["homogenize", "\(dir)/\(name)", "-o", "\(dir)/out.nc", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try CommonFormatFile(path: "\(dir)/out.nc").recordingNames == ["wo_rm"])
    }

    @Test("a recording too short in time for the grid is skipped, not a crash")
    func tooShortInTime() throws {
        let dir = try TestSupport.temporaryDirectory()
        var lines = ["time,AVAL,AVAR"]
        for i in 0..<600 { lines.append("\(Double(i) / 10_000),\(sin(Double(i))),\(cos(Double(i)))") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/fast.csv", atomically: true, encoding: .utf8)
        let run = try TestSupport.neurotool(["homogenize", "\(dir)/fast.csv", "-o", "\(dir)/out.nc", "--resampler", "reference"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("less than two output samples"), "\(run.stderr)")
        #expect(run.stderr.contains("no recording was long enough"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["fast.csv"])
    }

    @Test("library errors reach the user with the option that changes the outcome, in one line")
    func errorsNameTheFlag() throws {
        let dir = try TestSupport.temporaryDirectory()
        let (_, channel, samples) = try TestSupport.wormWithNaNRun(in: dir)
        let nan = try TestSupport.neurotool(["homogenize", "\(dir)/worm1.csv", "-o", "\(dir)/out.nc"])
        #expect(nan.status != 0)
        #expect(nan.stderr == "Error: \(dir)/worm1.csv: recording 'worm1': channel '\(channel)' has a run of 100 NaN samples from sample 99 (limit \(Int(0.05 * Double(samples)))); use --nan-policy drop to mark such channels as not recorded\n", "\(nan.stderr)")
        let fft = try TestSupport.neurotool(["homogenize", "\(dir)/worm1.csv", "-o", "\(dir)/out.nc", "--resampler", "fft"])
        #expect(fft.status != 0)
        #expect(fft.stderr == "Error: \(dir)/worm1.csv: --resampler fft does not apply to calcium-imaging recordings (use auto, linear, cubic, reference, polyphase)\n", "\(fft.stderr)")
        let linear = try TestSupport.neurotool(["homogenize", TestSupport.path("Datasets/eeg/test.edf"), "-o", "\(dir)/out.nc", "--resampler", "linear"])
        #expect(linear.status != 0 && linear.stderr.contains("--resampler linear does not apply to EEG/MEG recordings (use auto, polyphase, fft)"), "\(linear.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["worm1.csv"])
    }

    @Test("a one-character output or input name works (Foundation's deletingLastPathComponent traps on it)")
    func oneCharacterNames() throws {
        let dir = try TestSupport.temporaryDirectory()
        try FileManager.default.copyItem(atPath: TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv"), toPath: "\(dir)/w.csv")
        let run = try TestSupport.run(TestSupport.neurotool, ["homogenize", "w.csv", "-o", "o", "-q"], workingDirectory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try CommonFormatFile(path: "\(dir)/o").recordingNames == ["w"])
    }

    @Test("an impossible .npy shape is a clear error")
    func npyShapeOverflow() throws {
        let dir = try TestSupport.temporaryDirectory()
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let padded = header + String(repeating: " ", count: 117 - header.count) + "\n"
        bytes += [UInt8(padded.utf8.count & 0xFF), UInt8(padded.utf8.count >> 8)] + Array(padded.utf8) + [0, 0, 0, 0]
        try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/huge.npy"))
        let run = try TestSupport.neurotool(["homogenize", "\(dir)/huge.npy:rate=10", "-o", "\(dir)/out.nc"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(dir)/huge.npy: .npy shape"), "\(run.stderr)")
    }

    @Test("a channel list with a repeated name is refused, naming the line")
    func duplicateChannelList() throws {
        let dir = try TestSupport.temporaryDirectory()
        try "AVAL\nAVAR\nAVAL\n".write(toFile: "\(dir)/order.txt", atomically: true, encoding: .utf8)
        let run = try TestSupport.neurotool(["homogenize", csv, "--channels", "\(dir)/order.txt", "-o", "\(dir)/out.nc"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(dir)/order.txt: line 3: channel 'AVAL' repeats line 1"), "\(run.stderr)")
    }
}

@Suite("Interrupted runs", .serialized)
struct InterruptTests {
    @Test("Ctrl-C (SIGINT) during a run leaves neither the output nor the temporary file")
    func interruptLeavesNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        // A recording large enough that parsing it takes a while in a debug build.
        var text = "time," + (0..<60).map { "n\($0)" }.joined(separator: ",") + "\n"
        for i in 0..<60_000 { text += "\(Double(i) / 10)," + (0..<60).map { "\(sin(Double(i * ($0 + 1)) * 0.001))" }.joined(separator: ",") + "\n" }
        try text.write(toFile: "\(dir)/big.csv", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.neurotool)
        process.arguments = ["homogenize", "\(dir)/big.csv", "--channels", "native", "-o", "\(dir)/out.nc"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until the temporary output exists, then interrupt.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            if names.contains(where: { $0.hasSuffix(".tmp") }) || !process.isRunning { break }
            usleep(2_000)
        }
        #expect(process.isRunning, "the run ended before it could be interrupted")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGINT)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["big.csv"])
    }
}
