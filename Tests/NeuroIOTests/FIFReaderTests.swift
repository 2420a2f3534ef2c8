import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// FIF raw files written by MNE-Python from known arrays (`Tests/Fixtures/fif`, made by
/// `tools/python/make_fif_fixtures.py`), read as `mne.io.read_raw_fif` reads them.
@Suite("FIF raw files against MNE-Python")
struct FIFReaderTests {
    let directory = TestSupport.path("Tests/Fixtures/fif")

    @Test("channels, kinds, units, samples in SI units, positions and stim events equal MNE's",
          arguments: ["meg_raw.fif", "meg_raw_int.fif", "meg_raw_short.fif"])
    func matchesMNE(file: String) throws {
        let expected = ((try TestSupport.json("Tests/Fixtures/fif/expected.json"))["files"] as! [String: Any])[file] as! [String: Any]
        let source = try Readers.open("\(directory)/\(file)").recording(0)
        #expect(try Readers.open("\(directory)/\(file)").readerName == "fif")
        #expect(source.signals.map(\.originalLabel) == (expected["ch_names"] as! [String]))
        let kinds: [String: ChannelKind] = ["mag": .megMag, "grad": .megGrad, "eeg": .eeg, "stim": .stim, "eog": .eog]
        #expect(source.signals.map(\.kind) == (expected["ch_types"] as! [String]).map { kinds[$0]! })
        #expect(source.signals.map(\.unit) == ["T", "T/m", "T/m", "V", "V", "V", "V"])
        #expect(source.signals.allSatisfy { $0.samplingRate == TestSupport.number(expected["sfreq"])! && $0.sampleCount == expected["n_times"] as! Int })
        let samples = try source.readAllSamples()
        let first5 = TestSupport.matrixRows(expected["first5"]), sums = TestSupport.doubles(expected["sums"])
        for c in 0..<7 {
            for (t, v) in first5[c].enumerated() { #expect(samples[c][t] == v, "\(file) channel \(c) sample \(t): \(samples[c][t]) vs \(v)") }
            #expect(abs(samples[c].reduce(0, +) - sums[c]) <= 1e-9 * max(abs(sums[c]), 1e-300) + 1e-25, "\(file) channel \(c) sum")
        }
        // MEG positions with orientation (loc), EEG positions.
        let locs = (expected["loc"] as! [Any]).map { ($0 as? [Any])?.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
        for c in 0..<3 { #expect(TestSupport.maxAbsDifference(source.signals[c].position!, locs[c]!) < 1e-7) }
        #expect(TestSupport.maxAbsDifference(source.signals[3].position!, Array(locs[3]!.prefix(3))) < 1e-7)
        #expect(source.signals[5].position == nil)
        // Events: changes of the stim channel to a non-zero code, seconds from the first sample.
        let onsets = TestSupport.doubles(expected["event_onsets_s"])
        let codes = (expected["events"] as! [[Int]]).map { String($0[2]) }
        #expect(source.events.map(\.label) == codes)
        #expect(TestSupport.maxAbsDifference(source.events.map(\.onset), onsets) < 1e-12)
    }

    @Test("split files (name-1.fif, …) are followed as MNE writes them, samples and events continuous across the splits")
    func splitFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        let script = """
        import json, sys, numpy as np, mne
        mne.set_log_level("ERROR")
        info = mne.create_info(["EEG001", "EEG002", "STI014"], 1000.0, ["eeg", "eeg", "stim"])
        x = np.random.default_rng(0).standard_normal((3, 400000)) * 1e-5
        x[2] = 0; x[2, 1000:1010] = 3; x[2, 390000:390010] = 7
        raw = mne.io.RawArray(x, info)
        raw.save(sys.argv[1] + "/split_raw.fif", split_size="2MB", overwrite=True)
        back = mne.io.read_raw_fif(sys.argv[1] + "/split_raw.fif", preload=True)
        d = back.get_data()
        print(json.dumps({"n": int(back.n_times), "sums": d.sum(axis=1).tolist(), "last": d[:, -1].tolist(),
                          "files": sorted(f for f in __import__("os").listdir(sys.argv[1]))}))
        """
        let run = try TestSupport.run(TestSupport.python, ["-c", script, dir])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect((expected["files"] as! [String]).count > 1, "MNE wrote one file only")
        let source = try Readers.open("\(dir)/split_raw.fif").recording(0)
        #expect(try Readers.open("\(dir)/split_raw.fif").companionPaths.count == (expected["files"] as! [String]).count - 1)
        let samples = try source.readAllSamples()
        #expect(samples[0].count == expected["n"] as! Int)
        let sums = TestSupport.doubles(expected["sums"]), last = TestSupport.doubles(expected["last"])
        for c in 0..<3 {
            #expect(abs(samples[c].reduce(0, +) - sums[c]) <= 1e-9 * max(abs(sums[c]), 1e-12), "channel \(c)")
            #expect(abs(samples[c].last! - last[c]) <= 1e-15 * abs(last[c]) + 1e-30)
        }
        #expect(source.events.map(\.label) == ["3", "7"] && abs(source.events[1].onset - 390) < 1e-9)
    }

    @Test("MNE annotations become events (onsets from the first sample, durations, descriptions) beside the stim events")
    func annotations() throws {
        let expected = ((try TestSupport.json("Tests/Fixtures/fif/expected.json"))["files"] as! [String: Any])["annot_raw.fif"] as! [String: Any]
        let source = try Readers.open("\(directory)/annot_raw.fif").recording(0)
        let wanted = (expected["annotations"] as! [[Any]]).map { (TestSupport.number($0[0])!, TestSupport.number($0[1])!, $0[2] as! String) }
        let found = source.events.filter { !["1", "2", "5"].contains($0.label) }
        #expect(found.count == wanted.count)
        for (e, w) in zip(found, wanted) {
            #expect(abs(e.onset - w.0) < 1e-6 && abs(e.duration - w.1) < 1e-6 && e.label == w.2, "\(e) vs \(w)")
        }
        #expect(source.events.filter { ["1", "2", "5"].contains($0.label) }.count == 4)
    }

    @Test("a truncated file and a broken tag chain are refused with the file and the place named",
          arguments: [("truncated_raw.fif", "past the end of the file"), ("broken_raw.fif", "points to byte 89296, past the end of the file")])
    func damaged(file: String, message: String) {
        do {
            _ = try Readers.open("\(directory)/\(file)").recording(0)
            Issue.record("\(file) accepted")
        } catch {
            #expect("\(error)".contains(file) && "\(error)".contains(message), "\(error)")
        }
    }
}
