import Foundation
import NeuroCLI
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// The `neurotool` executable as users run it: exit codes, one-line errors, no partial outputs, and
/// outputs that independent readers (xarray, netCDF4-python, h5py) open as documented.
@Suite("neurotool command line", .serialized)
struct CLITests {
    @Test("homogenize the demo set; xarray, netCDF4 and h5py read what neurotool wrote")
    func homogenizeDemoAndCheckWithPython() throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = "\(dir)/demo.nc"
        let run = try TestSupport.neurotool(["homogenize", "--manifest", "Datasets/celegans/manifest.json", "-o", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("wrote \(out): 16 recordings (1 skipped)"))
        #expect(run.stderr.contains("warning: ") && run.stderr.contains("fewer than the minimum 600; skipped"))
        #expect(!run.stderr.contains("█"), "no progress bar when stderr is not a terminal")

        let check = try TestSupport.python("tools/python/check_common_format.py", [out])
        #expect(check.status == 0, "\(check.stderr)")
        let peer = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let file = try CommonFormatFile(path: out)
        #expect(peer["format"] as? String == "neurotool-common")
        #expect(peer["format_version"] as? String == CommonFormat.version)
        #expect((peer["command_line"] as? String)?.hasPrefix("neurotool homogenize --manifest Datasets/celegans/manifest.json") == true)
        let groups = try #require(peer["groups"] as? [String: Any])
        #expect(Set(groups.keys) == Set(file.recordingNames))
        for name in file.recordingNames {
            let r = try file.recording(name)
            let g = try #require(groups[name] as? [String: Any])
            #expect(g["channel"] as? [String] == r.channels.map(\.name))
            #expect(g["recorded"] as? [Bool] == r.recorded)
            #expect(g["labeled"] as? [Bool] == r.labeled)
            #expect(g["mask_dtype"] as? String == "bool")
            #expect(g["data_dtype"] as? String == "float32")
            #expect(g["dims"] as? [String: Int] == ["time": r.time.count, "channel": r.channels.count])
            #expect(g["h5py_data_shape"] as? [Int] == [r.time.count, r.channels.count])
            let sum = r.data.values.filter { !$0.isNaN }.reduce(0, +)
            #expect(abs(((g["data_nansum"] as? NSNumber)?.doubleValue ?? .nan) - sum) < 1e-3)
        }
    }

    @Test("info lists recordings and provenance")
    func info() throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = "\(dir)/one.nc"
        #expect(try TestSupport.neurotool(["homogenize", "Datasets/celegans/venkatachalam2024/worm1.csv", "-o", out, "--quiet"]).status == 0)
        let run = try TestSupport.neurotool(["info", out])
        #expect(run.status == 0)
        #expect(run.stdout.contains("worm1: "))
        #expect(run.stdout.contains("from Datasets/celegans/venkatachalam2024/worm1.csv [csv]"))
        let sha = try FileChecksum.sha256(of: TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv"))
        #expect(run.stdout.contains("sha256:\(sha)"))
    }

    /// Each bad input: non-zero exit, one line on stderr naming the file, and no output file.
    @Test("bad inputs exit non-zero with one line and leave no output", arguments: [
        (["Datasets/celegans/nowhere.csv"], "Datasets/celegans/nowhere.csv: no such file"),
        (["Datasets/celegans/kato2015/WT_NoStim.mat:struct=Nope"], "Datasets/celegans/kato2015/WT_NoStim.mat: no struct variable 'Nope'"),
        (["Datasets/celegans/flavell2023/worm1.h5"], "Datasets/celegans/flavell2023/worm1.h5: no time vector (give time=… or rate=HZ)"),
        (["Datasets/celegans/venkatachalam2024/worm1.csv", "--dt=-1"], "--dt must be positive"),
        (["Datasets/celegans/venkatachalam2024/worm1.csv", "Datasets/celegans/./venkatachalam2024/worm1.csv"],
         "Datasets/celegans/./venkatachalam2024/worm1.csv: inputs: listed more than once"),
        (["Tests/Fixtures/eeglab/missing_fdt.set"], "Tests/Fixtures/eeglab/missing_fdt.set: data: 'missing_fdt.fdt' not found"),
        (["Tests/Fixtures/matlab_v5/wrong_types.mat"], "Tests/Fixtures/matlab_v5/wrong_types.mat: traces: expected a 2-D numeric matrix, found a char array"),
        (["Tests/Fixtures/matlab_v5/truncated.mat"], "Tests/Fixtures/matlab_v5/truncated.mat: truncated: element"),
        (["Tests/Fixtures/fif/truncated_raw.fif"], "Tests/Fixtures/fif/truncated_raw.fif: "),
    ])
    func badInput(arguments: [String], message: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = "\(dir)/out.nc"
        let run = try TestSupport.neurotool(["homogenize"] + arguments + ["-o", out])
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        let errorLines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1, "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("ΔF/F of data that is already z-scored (wrong units) is refused")
    func dffOfNormalisedData() throws {
        let dir = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.neurotool(["homogenize", "Datasets/celegans/venkatachalam2024/worm1.csv", "-o", "\(dir)/z.nc", "--quiet"]).status == 0)
        let run = try TestSupport.neurotool(["homogenize", "\(dir)/z.nc", "--normalize", "dff", "-o", "\(dir)/dff.nc"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(dir)/z.nc: recording 'worm1': channel '"), "\(run.stderr)")
        #expect(run.stderr.contains("ΔF/F baseline is"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/dff.nc"))
    }

    @Test("an input is never overwritten")
    func neverOverwritesInput() throws {
        let dir = try TestSupport.temporaryDirectory()
        let input = "\(dir)/worm1.csv"
        try FileManager.default.copyItem(atPath: TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv"), toPath: input)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let run = try TestSupport.neurotool(["homogenize", input, "-o", input])
        #expect(run.status != 0)
        #expect(run.stderr.contains("output path is also an input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test("argument validation happens in-process")
    func parsing() {
        #expect(throws: (any Error).self) { try Neurotool.parseAsRoot(["homogenize", "-o", "x.nc"]) }
        #expect(throws: (any Error).self) { try Neurotool.parseAsRoot(["homogenize", "a.csv", "-o", "x.nc", "--dt", "1", "--rate", "2"]) }
        #expect(throws: Never.self) { try Neurotool.parseAsRoot(["homogenize", "a.csv", "-o", "x.nc", "--rate", "native"]) }
    }
}

@Suite("neurotool homogenize on EEG", .serialized)
struct EEGCLITests {
    @Test("EDF, BDF and BrainVision into one file, read back by xarray, netCDF4 and h5py")
    func eegToCommonFormat() throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = "\(dir)/eeg.nc"
        let run = try TestSupport.neurotool(["homogenize", "Datasets/eeg/test.edf", "Datasets/eeg/test.bdf", "Datasets/eeg/test.vhdr",
                                             "-o", out, "--l-freq", "1", "--h-freq", "40", "--notch", "50"])
        #expect(run.status == 0, "\(run.stderr)")
        let file = try CommonFormatFile(path: out)
        #expect(file.recordingNames == ["test", "test_2", "test_3"])
        let check = try TestSupport.python("tools/python/check_common_format.py", [out])
        #expect(check.status == 0, "\(check.stderr)")
        let peer = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let groups = try #require(peer["groups"] as? [String: Any])
        for name in file.recordingNames {
            let r = try file.recording(name)
            let g = try #require(groups[name] as? [String: Any])
            #expect(g["sampling_rate"] as? Double == 256)
            #expect(g["channel"] as? [String] == r.channels.map(\.name))
            #expect((g["dims"] as? [String: Int])?["time"] == r.time.count)
        }
    }

    @Test("damaged EEG files exit non-zero with one line and leave no output", arguments: [
        "truncated.edf", "physical_range.edf", "nonascii_header.edf", "unknown_format.vhdr", "missing_eeg.vhdr", "missing_vmrk.vhdr",
    ])
    func badFiles(file: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = "Tests/Fixtures/eeg/bad/\(file)"
        let run = try TestSupport.neurotool(["homogenize", path, "-o", "\(dir)/out.nc"])
        #expect(run.status != 0)
        #expect(run.stderr.hasPrefix("Error: \(path):"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("a band above Nyquist is refused before anything is written")
    func badBand() throws {
        let dir = try TestSupport.temporaryDirectory()
        let run = try TestSupport.neurotool(["homogenize", "Datasets/eeg/test.edf", "-o", "\(dir)/out.nc", "--h-freq", "200"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("Datasets/eeg/test.edf: filter: low-pass frequency 200.0 Hz must be between 0 and Nyquist (128.0 Hz)"), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}
