import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// EEGLAB sets written by MNE's exporter (eeglabio, MAT v5), by scipy in the classic `EEG` struct with
/// an `.fdt`, and by hdf5storage as MAT v7.3 (`Tests/Fixtures/eeglab`, made by
/// `tools/python/make_eeglab_fixtures.py`), read as `mne.io.read_raw_eeglab` reads them.
@Suite("EEGLAB sets against MNE-Python")
struct EEGLABReaderTests {
    let directory = TestSupport.path("Tests/Fixtures/eeglab")

    func expected(_ file: String) throws -> [String: Any] {
        ((try TestSupport.json("Tests/Fixtures/eeglab/expected.json"))["files"] as! [String: Any])[file] as! [String: Any]
    }

    @Test("channels, types, samples in volts, positions and events equal MNE's",
          arguments: ["export_raw.set", "fdt_raw.set", "v73_raw.set", "renamed_fdt.set"])
    func matchesMNE(file: String) throws {
        let expected = try expected(file)
        let source = try Readers.open("\(directory)/\(file)").recording(0)
        #expect(try Readers.open("\(directory)/\(file)").readerName == "eeglab")
        let names = expected["ch_names"] as! [String]
        #expect(source.signals.map(\.originalLabel) == names)
        // MNE types a channel with an empty chanlocs.type as EEG; neurotool guesses from the label (HEOG → EOG).
        let kinds: [String: ChannelKind] = ["eeg": .eeg, "eog": .eog, "ecg": .ecg, "emg": .emg, "misc": .misc]
        let wantedKinds = zip(names, expected["ch_types"] as! [String]).map { $1 == "eeg" && $0 == "HEOG" ? .eog : kinds[$1]! }
        #expect(source.signals.map(\.kind) == wantedKinds)
        #expect(source.signals.allSatisfy { $0.unit == "V" && $0.samplingRate == TestSupport.number(expected["sfreq"])! })
        let samples = try source.readAllSamples()
        let n = expected["n_times"] as! Int
        let first40 = TestSupport.matrixRows(expected["first40"]), last40 = TestSupport.matrixRows(expected["last40"])
        let sums = TestSupport.doubles(expected["sums"]), squares = TestSupport.doubles(expected["sums_of_squares"])
        for c in names.indices {
            #expect(samples[c].count == n)
            #expect(Array(samples[c].prefix(40)) == first40[c], "\(file) channel \(c) first samples")
            #expect(Array(samples[c].suffix(40)) == last40[c], "\(file) channel \(c) last samples")
            #expect(abs(samples[c].reduce(0, +) - sums[c]) <= 1e-9 * max(abs(sums[c]), 1e-12), "\(file) channel \(c) sum")
            #expect(abs(samples[c].map { $0 * $0 }.reduce(0, +) - squares[c]) <= 1e-9 * squares[c], "\(file) channel \(c) sum of squares")
        }
        // Positions (metres, MNE's head frame) for EEG channels; none for the others.
        let locs = (expected["loc"] as! [Any]).map { ($0 as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        for c in names.indices {
            if let loc = locs[c], loc.allSatisfy(\.isFinite), source.signals[c].kind == .eeg {
                let position = try #require(source.signals[c].position, "\(file) channel \(c) position")
                #expect(TestSupport.maxAbsDifference(position, loc) < 1e-12, "\(file) channel \(c) position")
            } else {
                #expect(source.signals[c].position == nil, "\(file) channel \(c) has no position in MNE")
            }
        }
        // Events: MNE rounds onsets to the microsecond and writes a numeric type 7 as '7.0'.
        let annotations = (expected["annotations"] as! [[Any]]).map { (TestSupport.number($0[0])!, TestSupport.number($0[1])!, $0[2] as! String) }
        #expect(source.events.map(\.label) == annotations.map { $0.2.hasSuffix(".0") ? String($0.2.dropLast(2)) : $0.2 })
        #expect(TestSupport.maxAbsDifference(source.events.map(\.onset), annotations.map(\.0)) <= 5e-7)
        #expect(TestSupport.maxAbsDifference(source.events.map(\.duration), annotations.map(\.1)) <= 1e-6)
    }

    @Test("the .fdt is a companion file (checksummed, never overwritten), found beside the .set")
    func fdtCompanion() throws {
        let source = try Readers.open("\(directory)/fdt_raw.set")
        #expect(source.companionPaths == ["\(directory)/fdt_raw.fdt"])
        let renamed = try Readers.open("\(directory)/renamed_fdt.set")
        #expect(renamed.companionPaths == ["\(directory)/renamed_fdt.fdt"], "falls back to <set name>.fdt as MNE does")
    }

    @Test("a missing .fdt, an epoched set, a text srate and a short .fdt give one line naming the file", arguments: [
        ("missing_fdt.set", "data: 'missing_fdt.fdt' not found"),
        ("epoched.set", "is epoched (trials=3)"),
        ("wrong_types.set", "srate: expected a number, found a char array"),
    ])
    func badFiles(file: String, message: String) throws {
        do {
            _ = try Readers.open("\(directory)/\(file)").recording(0)
            Issue.record("\(file) was accepted")
        } catch let error as NeuroIOError {
            #expect(error.description.contains(file), "\(error)")
            #expect(error.description.contains(message), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a truncated .fdt is refused; a longer one is read up to pnts, as MNE does")
    func fdtLength() throws {
        let dir = try TestSupport.temporaryDirectory()
        for name in ["fdt_raw.set", "fdt_raw.fdt"] {
            try FileManager.default.copyItem(atPath: "\(directory)/\(name)", toPath: "\(dir)/\(name)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/fdt_raw.fdt"))
        try (bytes + Data(count: 4 * 6 * 3)).write(to: URL(fileURLWithPath: "\(dir)/fdt_raw.fdt"))
        let longer = try Readers.open("\(dir)/fdt_raw.set").recording(0)
        #expect(try longer.readAllSamples()[0].count == 4000)
        try bytes.prefix(bytes.count - 24).write(to: URL(fileURLWithPath: "\(dir)/fdt_raw.fdt"))
        #expect(throws: NeuroIOError.self) { _ = try Readers.open("\(dir)/fdt_raw.set").recording(0) }
    }
}
