import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// Every calcium reader against what the peer libraries (h5py, pynwb, netCDF4, numpy, csv) read from the
/// same files: `Datasets/*/expected/*.json`, written by `Datasets/celegans/generate.py` reading its own
/// outputs back. Shared conformance checks in the spirit of MNE's `_test_raw_reader`.
@Suite("Reader conformance against peer readers", .serialized)
struct ReaderConformanceTests {
    static let celegansFixtures: [String] = {
        let dir = TestSupport.path("Datasets/celegans/expected")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }()

    /// Options each lab's files need (the manifest carries the same).
    static func options(for source: String) -> ReaderOptions {
        if source.hasPrefix("flavell2023") {
            return ReaderOptions(["data": "/trace_array", "time": "/timestamp_confocal", "labels": "/neuron_labels", "layout": "channel-time"])
        }
        return ReaderOptions()
    }

    @Test("there is a peer fixture for every lab")
    func fixturesExist() {
        let labs = Set(Self.celegansFixtures.map { $0.components(separatedBy: "__")[0] })
        #expect(labs == ["flavell2023", "kato2015", "leifer2023", "lin2023", "nejatbakhsh2020", "nichols2017", "venkatachalam2024", "yemini2021"])
    }

    @Test("reads what the peer reads", arguments: celegansFixtures)
    func matchesPeer(fixture: String) throws {
        let expected = try TestSupport.json("Datasets/celegans/expected/\(fixture)")
        let source = expected["source"] as! String
        let path = TestSupport.path("Datasets/celegans/\(source)")
        let opened = try Readers.open(path, options: Self.options(for: source))
        let worm = expected["worm"] as! String
        let index = try #require(opened.recordingNames.firstIndex(of: worm), "recording \(worm) in \(opened.recordingNames)")
        let raw = try opened.load(index)
        try assertConformance(raw, expected: expected, checkTime: true)
    }

    @Test("suite2p F.npy + iscell.npy with a rate option")
    func suite2p() throws {
        let expected = try TestSupport.json("Datasets/suite2p_mouse/expected/suite2p__plane0.json")
        let opened = try Readers.open(TestSupport.path("Datasets/suite2p_mouse/plane0/F.npy"),
                                      options: ReaderOptions(["rate": "30", "iscell": "false"]))
        #expect(opened.readerName == "npy")
        let raw = try opened.load(0)
        try assertConformance(raw, expected: expected, checkTime: false)
        #expect(raw.timestamps[1] == 1.0 / 30)
        // With iscell (the default) only the ROIs marked as cells remain, in file order.
        let cells = TestSupport.doubles(expected["iscell"]).enumerated().filter { $0.element != 0 }.map(\.offset)
        let kept = try Readers.open(TestSupport.path("Datasets/suite2p_mouse/plane0/F.npy"), options: ReaderOptions(["rate": "30"])).load(0)
        #expect(kept.labels == cells.map { String(format: "roi%04d", $0) })
        #expect(kept.data.column(0) == raw.data.column(cells[0]))
    }

    func assertConformance(_ raw: RawRecording, expected: [String: Any], checkTime: Bool) throws {
        let shape = (expected["data_shape"] as! [Int])
        #expect([raw.data.rows, raw.data.columns] == shape)
        if let labels = expected["labels"] as? [String], !labels.isEmpty { #expect(raw.labels == labels) }
        if checkTime {
            #expect(TestSupport.maxAbsDifference(raw.timestamps, TestSupport.doubles(expected["time"])) == 0)
        }
        let head = TestSupport.matrixRows(expected["data_head"])
        for (i, row) in head.enumerated() {
            #expect(TestSupport.maxAbsDifference(Array(raw.data.row(i)), row) == 0, "row \(i)")
        }
        #expect(TestSupport.maxAbsDifference(raw.data.column(0), TestSupport.doubles(expected["data_col0"])) == 0)
        let sum = raw.data.values.filter { !$0.isNaN }.reduce(0, +)
        let expectedSum = TestSupport.number(expected["data_sum"])!
        #expect(abs(sum - expectedSum) <= 1e-9 * max(1, abs(expectedSum)))
    }

    @Test("formats are recognised from content and extension", arguments: [
        ("kato2015/WT_NoStim.mat", "matlab"), ("nejatbakhsh2020/worm1.nwb", "nwb"), ("flavell2023/worm1.h5", "hdf5"),
        ("leifer2023/0_labels.txt", "triplet"), ("venkatachalam2024/worm1.csv", "csv"), ("nichols2017/worms.nc", "netcdf"),
        ("yemini2021/Head_Activity.mat", "matlab"), ("lin2023/worm1.mat", "matlab"),
    ])
    func detection(file: String, reader: String) throws {
        #expect(try Readers.detect(TestSupport.path("Datasets/celegans/\(file)")).name == reader)
    }

    @Test("MATLAB ambiguous IDs keep their candidates")
    func matlabCandidates() throws {
        let source = try Readers.open(TestSupport.path("Datasets/celegans/kato2015/WT_NoStim.mat"))
        let all = try (0..<source.recordingNames.count).map { try source.load($0) }
        let candidates = all.flatMap { $0.labelCandidates ?? [] }
        #expect(candidates.contains { $0.count == 2 })
        #expect(candidates.contains { $0.isEmpty })
    }
}
