import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// The checks every reader passes, on real files of its format (MNE's `_test_raw_reader`): it is
/// recognised; block-by-block reading equals the whole read; channels, kinds, units and events are
/// consistent; the recording survives a round trip through the common format; truncated and damaged
/// copies are refused with one line naming the file; and the input is never written.
///
/// Adding a reader = one type, one line in `Readers.all`, and its files in ``cases`` here (the first test
/// fails until every registered reader has a case).
@Suite("Reader conformance: every reader, the same checks", .serialized)
struct ReaderConformanceSuite {
    /// One file a reader must read.
    struct Case: CustomStringConvertible, Sendable {
        /// The reader expected to recognise it.
        let reader: String
        /// Under the package root.
        let file: String
        var options: [String: String] = [:]
        /// Whether a copy with its first bytes overwritten must be refused (formats whose every header byte
        /// is checked: binary containers). Text formats may read such a copy as other text.
        var headerDamageRefused = true
        /// Where the header's structure starts (512 for MATLAB v7.3 files, whose first 512 bytes are
        /// descriptive text before the HDF5 superblock).
        var headerOffset = 0
        /// The file (of the case's set) that holds the samples, cut short by the truncation test.
        var samplesFile: String? = nil
        var description: String { "\(reader): \(file)" }
    }

    static let flavell = ["data": "/trace_array", "time": "/timestamp_confocal", "labels": "/neuron_labels", "layout": "channel-time"]

    static let cases: [Case] = [
        Case(reader: "edf", file: "Datasets/eeg/test.edf"),
        Case(reader: "edf", file: "Datasets/eeg/test.bdf"),
        Case(reader: "brainvision", file: "Datasets/eeg/test.vhdr", samplesFile: "test.eeg"),
        Case(reader: "fif", file: "Datasets/meg/sim_raw.fif"),
        Case(reader: "fif", file: "Tests/Fixtures/fif/annot_raw.fif"),
        Case(reader: "eeglab", file: "Tests/Fixtures/eeglab/export_raw.set"),
        Case(reader: "eeglab", file: "Tests/Fixtures/eeglab/v73_raw.set", headerOffset: 512),
        Case(reader: "nwb-ecephys", file: "Tests/Fixtures/nwb_ecephys/ecephys.nwb"),
        Case(reader: "matlab", file: "Datasets/celegans/kato2015/WT_NoStim.mat", headerOffset: 512),
        Case(reader: "matlab", file: "Datasets/celegans/yemini2021/Head_Activity.mat"),
        Case(reader: "matlab", file: "Datasets/celegans/lin2023/worm1.mat"),
        Case(reader: "nwb", file: "Datasets/celegans/nejatbakhsh2020/worm1.nwb"),
        Case(reader: "netcdf", file: "Datasets/celegans/nichols2017/worms.nc"),
        Case(reader: "hdf5", file: "Datasets/celegans/flavell2023/worm1.h5", options: flavell),
        Case(reader: "npy", file: "Datasets/suite2p_mouse/plane0/F.npy", options: ["rate": "30"]),
        Case(reader: "triplet", file: "Datasets/celegans/leifer2023/0_gcamp.txt", headerDamageRefused: false),
        Case(reader: "csv", file: "Datasets/celegans/venkatachalam2024/worm1.csv", headerDamageRefused: false),
    ]

    @Test("every registered reader has a conformance case")
    func everyReaderHasACase() {
        let covered = Set(Self.cases.map(\.reader))
        for reader in Readers.all { #expect(covered.contains(reader.name), "no conformance case for reader '\(reader.name)'") }
    }

    /// The file and every companion, with their SHA-256, to check that nothing wrote them.
    func checksums(_ source: any RecordingSource) throws -> [String: String] {
        let files = [source.path] + source.companionPaths
        return Dictionary(uniqueKeysWithValues: try files.map { ($0, try FileChecksum.sha256(of: $0)) })
    }

    @Test("recognised, blocks equal the whole read, consistent channels and events, round trip, input untouched",
          arguments: cases)
    func conforms(_ c: Case) throws {
        let path = TestSupport.path(c.file)
        #expect(try Readers.detect(path).name == c.reader)
        let source = try Readers.open(path, options: ReaderOptions(c.options))
        let before = try checksums(source)
        #expect(!source.recordingNames.isEmpty)
        #expect(Set(source.recordingNames).count == source.recordingNames.count, "recording names are unique")
        for index in source.recordingNames.indices {
            let stream = try source.recording(index)
            #expect(stream.name == source.recordingNames[index])
            let signals = stream.signals
            try #require(!signals.isEmpty)

            // Channels: a unit each and a name (calcium ROIs may be unlabeled), finite positive rates.
            for s in signals {
                #expect(!s.unit.isEmpty && (!s.name.isEmpty || s.kind == .calcium), "\(s)")
                #expect(s.samplingRate.isFinite && s.samplingRate > 0, "\(s.name): rate \(s.samplingRate)")
            }
            // Block by block, each signal gets exactly its sample count.
            var blocks = Array(repeating: [Double](), count: signals.count)
            var times: [Double] = []
            for b in 0..<stream.blockCount {
                let block = try stream.readBlock(b)
                #expect(block.channelCount == signals.count)
                for k in signals.indices { blocks[k] += block.channel(k) }
                times += block.timestamps ?? []
            }
            #expect(blocks.map(\.count) == signals.map(\.sampleCount))
            let duration = times.isEmpty ? Double(signals[0].sampleCount) / signals[0].samplingRate : times.last! - times[0]

            // Events: finite, in order, within the recording.
            let start = times.first ?? 0
            for (e, next) in zip(stream.events, stream.events.dropFirst()) { #expect(e.onset <= next.onset, "events sorted") }
            for e in stream.events {
                #expect(e.onset.isFinite && e.duration >= 0 && !e.label.isEmpty, "\(e)")
                #expect(e.onset >= start - 1e-9 && e.onset <= start + duration + 1, "event at \(e.onset) s of \(duration) s")
            }

            // The whole read (every signal on one clock) equals the blocks, bit for bit.
            guard Set(signals.map(\.samplingRate)).count == 1 || !times.isEmpty else { continue }
            let whole = try source.load(index)
            #expect(whole.labels == signals.map(\.originalLabel))
            #expect(whole.kinds == signals.map(\.kind) && whole.units == signals.map(\.unit))
            for k in signals.indices {
                #expect(TestSupport.sameBits(whole.data.column(k), blocks[k]), "signal \(signals[k].name)")
            }

            // Round trip through the common format (float64): samples, time, names, kinds, units, events.
            let out = try TestSupport.temporaryDirectory() + "/roundtrip.nc"
            let writer = try CommonFormatWriter(path: out, precision: .float64, globalAttributes: [], inputs: [path])
            let channels = signals.map { Channel(name: $0.name, originalLabel: $0.originalLabel, kind: $0.kind, unit: $0.unit) }
            let t0 = whole.timestamps[0]
            try writer.write(Recording(name: "r", time: whole.timestamps.map { $0 - t0 }, samplingRate: signals[0].samplingRate,
                                       channels: channels, data: whole.data,
                                       recorded: Array(repeating: true, count: channels.count),
                                       labeled: Array(repeating: true, count: channels.count),
                                       events: whole.events.map { Event(onset: $0.onset - t0, duration: $0.duration, label: $0.label) }))
            try writer.commit()
            let back = try CommonFormatFile(path: out).recording("r")
            #expect(back.channels.map(\.name) == channels.map(\.name))
            #expect(back.channels.map(\.originalLabel) == channels.map(\.originalLabel))
            #expect(back.channels.map(\.kind) == channels.map(\.kind) && back.channels.map(\.unit) == channels.map(\.unit))
            #expect(back.data.rows == whole.data.rows && back.data.columns == whole.data.columns)
            #expect(TestSupport.sameBits(back.data.values, whole.data.values))
            #expect(TestSupport.maxAbsDifference(back.time, whole.timestamps.map { $0 - t0 }) == 0)
            #expect(back.events.map(\.label) == whole.events.map(\.label))
            #expect(TestSupport.maxAbsDifference(back.events.map(\.onset), whole.events.map { $0.onset - t0 }) <= 1e-9)
        }
        #expect(try checksums(source) == before, "the reader wrote its input")
    }

    /// A copy of the case's file (and its companions, under the same names) in a fresh directory.
    func copy(_ c: Case) throws -> String {
        let path = TestSupport.path(c.file)
        let source = try Readers.open(path, options: ReaderOptions(c.options))
        let dir = try TestSupport.temporaryDirectory()
        for file in [path] + source.companionPaths {
            try FileManager.default.copyItem(atPath: file, toPath: dir + "/" + (file as NSString).lastPathComponent)
        }
        return dir + "/" + (path as NSString).lastPathComponent
    }

    /// Opens `path` and reads every block of every recording; the error's text if that fails.
    func refusal(_ path: String, _ c: Case) -> String? {
        do {
            let source = try Readers.open(path, reader: c.reader, options: ReaderOptions(c.options))
            for i in source.recordingNames.indices {
                let stream = try source.recording(i)
                for b in 0..<stream.blockCount { _ = try stream.readBlock(b) }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("a truncated copy is refused with one line naming the file", arguments: cases)
    func truncated(_ c: Case) throws {
        let path = try copy(c)
        let directory = (path as NSString).deletingLastPathComponent
        let cut = c.samplesFile.map { directory + "/" + $0 } ?? path
        let data = try Data(contentsOf: URL(fileURLWithPath: cut))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        let text = try #require(refusal(path, c), "a copy cut to half its bytes was read without complaint")
        // The message names the file, or the file of the set that does not fit (a triplet's times).
        #expect(text.hasPrefix(directory + "/") && text.contains(": ") && !text.contains("\n"), "\(text)")
    }

    @Test("a copy with its header overwritten is refused with one line naming the file", arguments: cases.filter(\.headerDamageRefused))
    func damagedHeader(_ c: Case) throws {
        let path = try copy(c)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        for i in c.headerOffset..<min(c.headerOffset + 64, data.count) { data[i] = UInt8(truncatingIfNeeded: 0xA5 &+ i * 31) }
        try data.write(to: URL(fileURLWithPath: path))
        let text = try #require(refusal(path, c), "a copy with its first 64 bytes overwritten was read without complaint")
        #expect(text.hasPrefix(path + ":") && !text.contains("\n"), "\(text)")
    }
}
