import Foundation
import NeuroCore
import NeuroDSP
import NeuroHomogenize
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

@Suite("Channel mapping onto the canonical order")
struct ChannelMappingTests {
    @Test func duplicatesKeepTheFirstAndUnlabeledAreAppended() {
        let labels = ["AVAL", "VB01", "AVAL", "", "AVAX", "RIML"]
        let m = ChannelMapping.make(labels: labels, candidates: nil, kinds: Array(repeating: .calcium, count: 6),
                                    units: Array(repeating: "1", count: 6), order: .celegans, keepUnlabeled: true)
        #expect(m.channels.count == 300 + 3)
        #expect(m.sourceColumn[CanonicalNeurons.index["AVAL"]!] == 0)
        #expect(m.sourceColumn[CanonicalNeurons.index["VB1"]!] == 1)
        #expect(m.sourceColumn[CanonicalNeurons.index["RIML"]!] == 5)
        #expect(m.channels.suffix(3).map(\.name) == ["unlabeled_0", "unlabeled_1", "unlabeled_2"])
        #expect(Array(m.sourceColumn.suffix(3)) == [2, 3, 4])
        #expect(m.unlabeledCounts == [.duplicate: 1, .missing: 1, .unknown: 1])
        #expect(m.channels[CanonicalNeurons.index["VB1"]!].originalLabel == "VB01")
    }

    @Test func customListAndNativeOrders() {
        let list = ChannelMapping.make(labels: ["b", "a", "z"], candidates: nil, kinds: [.eeg, .eeg, .eeg], units: ["V", "V", "V"],
                                       order: .list(name: "l", names: ["a", "b", "c"]), keepUnlabeled: false)
        #expect(list.channels.map(\.name) == ["a", "b", "c"])
        #expect(list.sourceColumn == [1, 0, nil])
        let native = ChannelMapping.make(labels: ["x", "", "x", "unlabeled_4"], candidates: nil, kinds: Array(repeating: .misc, count: 4),
                                         units: Array(repeating: "1", count: 4), order: .native, keepUnlabeled: true)
        #expect(native.channels.map(\.name) == ["x", "ch1", "x_2", "unlabeled_4"])
        #expect(native.identified == [true, false, true, false])
    }
}

@Suite("Homogenization pipeline", .serialized)
struct HomogenizeTests {
    let provenance = Provenance(toolVersion: "test", commandLine: "neurotool test")

    @Test("end to end equals the NumPy transcription of the published pipeline (max |Δ| ≤ 1e-9)")
    func matchesReferencePipeline() throws {
        let f = try TestSupport.json("Tests/Fixtures/dsp/pipeline_reference.json")
        let path = TestSupport.path(f["input"] as! String)
        var options = HomogenizeOptions()
        options.grid.resampler = .reference
        options.calcium.channelOrder = .native
        let raw = try Readers.open(path).load(0)
        guard case .processed(let r, _) = try RecordingProcessor.process(raw, groupName: "w", source: SourceInfo(path: path, sha256: "", reader: "csv"),
                                                                        options: options) else {
            Issue.record("recording was skipped")
            return
        }
        #expect(r.channels.map(\.originalLabel) == f["labels"] as! [String])
        #expect(r.data.rows == (f["n_time"] as! Int))
        // The fixture stores a sample of rows (12 significant digits) to stay small.
        let rows = f["rows"] as! [Int]
        let time = TestSupport.doubles(f["time"]), data = TestSupport.matrixRows(f["data"]), residual = TestSupport.matrixRows(f["residual"])
        #expect(rows.count == 40)
        for (k, i) in rows.enumerated() {
            #expect(abs(r.time[i] - time[k]) <= 1e-9)
            #expect(TestSupport.maxAbsDifference(Array(r.data.row(i)), data[k]) <= 1e-9, "row \(i)")
            #expect(TestSupport.maxAbsDifference(Array(r.residual!.row(i)), residual[k]) <= 1e-9, "residual row \(i)")
        }
    }

    @Test("same inputs give byte-identical output files")
    func deterministic() throws {
        let dir = try TestSupport.temporaryDirectory()
        let manifest = try Manifest.load(TestSupport.path("Datasets/celegans/manifest.json"))
        let inputs = Array(manifest.inputs.prefix(4))
        for name in ["a.nc", "b.nc"] {
            _ = try Homogenizer.run(inputs: inputs, output: "\(dir)/\(name)", title: "t", options: HomogenizeOptions(), provenance: provenance)
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.nc")), b = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.nc"))
        #expect(a == b)
    }

    @Test("the demo manifest: every lab read, the short worm skipped, grids uniform at dt")
    func demoManifest() throws {
        let dir = try TestSupport.temporaryDirectory()
        let manifest = try Manifest.load(TestSupport.path("Datasets/celegans/manifest.json"))
        let summary = try Homogenizer.run(inputs: manifest.inputs, output: "\(dir)/demo.nc", title: manifest.name,
                                          options: HomogenizeOptions(), provenance: provenance)
        #expect(summary.skipped.count == 1)
        #expect(summary.skipped[0].contains("nichols2017/worms.nc: recording 'worm2': 400 samples"))
        let file = try CommonFormatFile(path: "\(dir)/demo.nc")
        #expect(file.recordingNames == summary.written)
        #expect(Set(file.recordingNames.map { $0.components(separatedBy: "_")[0] }) ==
                ["kato2015", "nejatbakhsh2020", "flavell2023", "leifer2023", "venkatachalam2024", "nichols2017", "yemini2021", "lin2023"])
        for name in file.recordingNames {
            let r = try file.recording(name)
            #expect(Array(r.channels.prefix(300).map(\.name)) == CanonicalNeurons.names)
            let steps = zip(r.time.dropFirst(), r.time).map { $0 - $1 }
            #expect(abs(Statistics.median(steps) - 0.333) < 1e-9)
            for (c, recorded) in r.recorded.enumerated() {
                let column = r.data.column(c)
                if recorded {
                    #expect(column.allSatisfy { $0.isFinite }, "\(name) \(r.channels[c].name)")
                    let mean = column.reduce(0, +) / Double(column.count)
                    #expect(abs(mean) < 1e-4)
                } else {
                    #expect(column.allSatisfy { $0.isNaN })
                }
            }
            #expect(r.attribute("source_sha256")?.description.count == 64)
        }
        // The Leifer worm with a NaN run had it filled (5 samples, well under the limit).
        let leifer = try file.recording("leifer2023_1")
        #expect(leifer.attribute("nan_samples_filled") == .integer(5))
    }

    @Test("a long NaN run fails without output, or drops the channel with --nan-policy drop")
    func nanPolicy() throws {
        let dir = try TestSupport.temporaryDirectory()
        let (input, channel, samples) = try TestSupport.wormWithNaNRun(in: dir)
        let out = "\(dir)/out.nc"
        do {
            _ = try Homogenizer.run(inputs: [HomogenizationInput(path: input)], output: out, title: "t", options: HomogenizeOptions(), provenance: provenance)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "\(input): recording 'worm1': channel '\(channel)' has a run of 100 NaN samples from sample 99 (limit \(Int(0.05 * Double(samples))))")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["worm1.csv"])
        var options = HomogenizeOptions()
        options.calcium.nanPolicy = .drop
        let summary = try Homogenizer.run(inputs: [HomogenizationInput(path: input)], output: out, title: "t", options: options, provenance: provenance)
        #expect(summary.warnings.count == 1)
        let r = try CommonFormatFile(path: out).recording(summary.written[0])
        let c = try #require(r.channels.firstIndex { $0.originalLabel == channel })
        #expect(r.recorded[c] == false && r.labeled[c] == false)
        #expect(r.attribute("channels_dropped_nan") == .integer(1))
    }

    @Test("command-line inputs carry reader options")
    func inputParsing() {
        let input = HomogenizationInput.parse("traces.h5:/trace_array:time=/t:reader=hdf5")
        #expect(input.path == "traces.h5")
        #expect(input.reader == "hdf5")
        #expect(input.options == ReaderOptions(["data": "/trace_array", "time": "/t"]))
    }
}
