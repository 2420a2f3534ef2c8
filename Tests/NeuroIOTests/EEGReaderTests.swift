import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing

/// EDF/BDF and BrainVision readers against MNE-Python and pyedflib reading the same files
/// (`Tests/Fixtures/eeg`, written by `tools/python/make_eeg_fixtures.py`).
@Suite("EEG readers against MNE and pyedflib", .serialized)
struct EEGReaderTests {
    /// All samples of every signal of a source, concatenated over blocks.
    static func readAll(_ source: any ContinuousSource) throws -> [[Double]] {
        var signals = Array(repeating: [Double](), count: source.signals.count)
        for b in 0..<source.blockCount {
            for (k, samples) in try source.readBlock(b).enumerated() { signals[k] += samples }
        }
        return signals
    }

    @Test("the three real sample files read as MNE reads them", arguments: [
        ("Datasets/eeg/test.edf", "mne_test_edf"), ("Datasets/eeg/test.bdf", "mne_test_bdf"), ("Datasets/eeg/test.vhdr", "mne_test_vhdr"),
    ])
    func matchesMNE(file: String, fixture: String) throws {
        let expected = try TestSupport.json("Tests/Fixtures/eeg/\(fixture).json")
        let source = try Readers.openContinuous(TestSupport.path(file))
        let names = expected["ch_names"] as! [String]
        #expect(source.signals.map(\.originalLabel) == names)
        #expect(source.signals.allSatisfy { $0.samplingRate == TestSupport.number(expected["sfreq"]) })
        let types = expected["ch_types"] as! [String]
        #expect(source.signals.map { $0.kind == .stim ? "stim" : ($0.kind == .eeg ? "eeg" : "misc") } == types)
        let data = try Self.readAll(source)
        let first = TestSupport.matrixRows(expected["first_samples"]), sums = TestSupport.doubles(expected["sums"])
        for k in names.indices {
            #expect(data[k].count == Int(TestSupport.number(expected["n_times"])!))
            #expect(TestSupport.maxAbsDifference(Array(data[k].prefix(first[k].count)), first[k]) <= 1e-15, "\(names[k])")
            let sum = data[k].reduce(0, +)
            #expect(abs(sum - sums[k]) <= 1e-9 * max(1, abs(sums[k])), "\(names[k]) sum \(sum) vs \(sums[k])")
        }
        for (name, values) in expected["channels_full"] as! [String: Any] {
            let k = try #require(names.firstIndex(of: name))
            #expect(TestSupport.maxAbsDifference(data[k], TestSupport.doubles(values)) <= 1e-15, "\(name)")
        }
        let annotations = (expected["annotations"] as! [[Any]]).map {
            Event(onset: TestSupport.number($0[0])!, duration: TestSupport.number($0[1])!, label: $0[2] as! String)
        }
        let stimEvents = source.events.filter { $0.label.allSatisfy(\.isNumber) && source.signals.contains { $0.kind == .stim } }
        let textEvents = source.events.filter { e in !stimEvents.contains(e) }
        #expect(textEvents.count == annotations.count)
        for (a, b) in zip(textEvents, annotations) {
            #expect(a.label == b.label && abs(a.onset - b.onset) < 1e-9 && abs(a.duration - b.duration) < 1e-9, "\(a) vs \(b)")
        }
        if let events = expected["events"] as? [[Any]] {
            let rate = source.signals[0].samplingRate
            #expect(stimEvents.map { Int(($0.onset * rate).rounded()) } == events.map { Int(TestSupport.number($0[0])!) })
            #expect(stimEvents.map(\.label) == events.map { "\(Int(TestSupport.number($0[2])!))" })
        }
    }

    @Test("names are normalised to the 10-05 spelling, the label kept")
    func naming() {
        #expect(ChannelNaming.normalize("EEG Fp1-REF").name == "Fp1")
        #expect(ChannelNaming.normalize("EEG Fp1-REF").kind == .eeg)
        #expect(ChannelNaming.normalize("FP1").name == "Fp1")
        #expect(ChannelNaming.normalize("EOG LOC").kind == .eog)
        #expect(ChannelNaming.normalize("A1").name == "A1")
        #expect(ChannelNaming.kind(label: "Status", unit: "") == .stim)
        #expect(ChannelNaming.kind(label: "CP6", unit: "S") == .misc)
        #expect(ChannelNaming.siScale("µS") == (1e-6, "S"))
        #expect(ChannelNaming.voltScale("nV") == 1e-9)
        #expect(ChannelNaming.position(of: "Cz") != nil)
    }
}
