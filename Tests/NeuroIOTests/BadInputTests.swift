import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// Damaged copies of the real demo files: every reader must fail with one line that names the file.
@Suite("Bad input gives a clear error naming the file", .serialized)
struct BadInputTests {
    /// A copy of `relative` (under Datasets/) in a temp dir, truncated to `fraction` of its bytes.
    func truncatedCopy(_ relative: String, fraction: Double) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestSupport.path("Datasets/\(relative)")))
        let path = try TestSupport.temporaryDirectory() + "/" + (relative as NSString).lastPathComponent
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
        return path
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    func load(_ path: String, _ options: [String: String] = [:]) throws {
        let source = try Readers.open(path, options: ReaderOptions(options))
        for i in source.recordingNames.indices { _ = try source.load(i) }
    }

    @Test("truncated HDF5, MAT, NWB, NetCDF and NPY files", arguments: [
        "celegans/flavell2023/worm1.h5", "celegans/kato2015/WT_NoStim.mat", "celegans/nejatbakhsh2020/worm2.nwb",
        "celegans/nichols2017/worms.nc", "suite2p_mouse/plane0/F.npy",
    ])
    func truncated(file: String) throws {
        let path = try truncatedCopy(file, fraction: 0.5)
        let options: [String: String] = file.hasSuffix(".npy") ? ["rate": "30"]
            : (file.contains("flavell") ? ["data": "/trace_array", "time": "/timestamp_confocal", "layout": "channel-time"] : [:])
        let text = try #require(message { try load(path, options) })
        #expect(text.hasPrefix(path + ":"), "\(text)")
        #expect(!text.contains("\n"))
    }

    @Test func emptyFileAndWrongPath() throws {
        let dir = try TestSupport.temporaryDirectory()
        _ = FileManager.default.createFile(atPath: dir + "/empty.h5", contents: Data())
        #expect(message { try load(dir + "/empty.h5") } == "\(dir)/empty.h5: file is empty")
        #expect(message { try load(dir + "/missing.mat") } == "\(dir)/missing.mat: no such file")
    }

    @Test func matFileWithoutTheExpectedKeys() throws {
        let path = TestSupport.path("Datasets/celegans/kato2015/WT_NoStim.mat")
        #expect(message { try load(path, ["struct": "WT_Stim"]) } == "\(path): no struct variable 'WT_Stim' (found: WT_NoStim)")
        let text = try #require(message { try load(path, ["traces": "deltaFOverF_bc"]) })
        #expect(text.hasPrefix("\(path): no field 'deltaFOverF_bc' in '/WT_NoStim'"), "\(text)")
    }

    @Test func unknownReaderOptionIsAnError() throws {
        let path = TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv")
        #expect(message { try load(path, ["tiem": "t"]) } == "\(path): option tiem: unknown for reader 'csv' (known: time, rate)")
    }

    @Test func mismatchedLabelAndTraceCounts() throws {
        let dir = try TestSupport.temporaryDirectory()
        for suffix in ["_gcamp.txt", "_labels.txt", "_t.txt"] {
            try FileManager.default.copyItem(atPath: TestSupport.path("Datasets/celegans/leifer2023/1\(suffix)"), toPath: "\(dir)/1\(suffix)")
        }
        var labels = try String(contentsOfFile: "\(dir)/1_labels.txt", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        labels.removeFirst()
        try labels.joined(separator: "\n").write(toFile: "\(dir)/1_labels.txt", atomically: true, encoding: .utf8)
        let text = try #require(message { try load("\(dir)/1_gcamp.txt") })
        #expect(text == "\(dir)/1_labels.txt: recording '1': 47 labels for 48 trace columns")
    }

    @Test func nonMonotonicTimestamps() throws {
        let dir = try TestSupport.temporaryDirectory()
        var lines = try String(contentsOfFile: TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        lines.swapAt(10, 11)
        try (lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/worm1.csv", atomically: true, encoding: .utf8)
        let text = try #require(message { try load("\(dir)/worm1.csv") })
        #expect(text.hasPrefix("\(dir)/worm1.csv: recording 'worm1': timestamps are not strictly increasing at sample 10"), "\(text)")
    }

    @Test func raggedCSV() throws {
        let dir = try TestSupport.temporaryDirectory()
        var lines = try String(contentsOfFile: TestSupport.path("Datasets/celegans/venkatachalam2024/worm1.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        lines[5] = lines[5].split(separator: ",").dropLast().joined(separator: ",")
        try (lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/worm1.csv", atomically: true, encoding: .utf8)
        let text = try #require(message { try load("\(dir)/worm1.csv") })
        #expect(text.hasPrefix("\(dir)/worm1.csv: line 6:"), "\(text)")
    }

    @Test func matlabV5WithoutVariables() throws {
        let dir = try TestSupport.temporaryDirectory()
        var header = Data("MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024".utf8)
        header.append(Data(repeating: 0x20, count: 116 - header.count))
        header.append(Data([0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01, 0x49, 0x4D]))
        header.append(Data(repeating: 0, count: 64))
        try header.write(to: URL(fileURLWithPath: dir + "/v5.mat"))
        let text = try #require(message { try load(dir + "/v5.mat") })
        #expect(text == "\(dir)/v5.mat: no struct or trace variable", "\(text)")
    }
}
