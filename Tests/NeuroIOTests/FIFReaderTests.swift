import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing

/// FIF raw files written by MNE-Python from known arrays (`Tests/Fixtures/fif`, made by
/// `tools/python/make_fif_fixtures.py`), read as `mne.io.read_raw_fif` reads them.
@Suite("FIF raw files against MNE-Python")
struct FIFReaderTests {
    let directory = TestSupport.path("Tests/Fixtures/fif")

    @Test("channels, kinds, units, samples in SI units, positions and stim events equal MNE's",
          arguments: ["meg_raw.fif", "meg_raw_int.fif", "meg_raw_short.fif"])
    func matchesMNE(file: String) throws {
        let expected = ((try TestSupport.json("Tests/Fixtures/fif/expected.json"))["files"] as! [String: Any])[file] as! [String: Any]
        let source = try Readers.openContinuous("\(directory)/\(file)")
        #expect(source.readerName == "fif")
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
        #expect(source.signals[5].position == nil)
        // Events: changes of the stim channel to a non-zero code, seconds from the first sample.
        let onsets = TestSupport.doubles(expected["event_onsets_s"])
        let codes = (expected["events"] as! [[Int]]).map { String($0[2]) }
        #expect(source.events.map(\.label) == codes)
        #expect(TestSupport.maxAbsDifference(source.events.map(\.onset), onsets) < 1e-12)
    }

    @Test("a truncated file and a broken tag chain are refused with the file and the place named",
          arguments: [("truncated_raw.fif", "past the end of the file"), ("broken_raw.fif", "points to byte 89296, past the end of the file")])
    func damaged(file: String, message: String) {
        do {
            _ = try Readers.openContinuous("\(directory)/\(file)")
            Issue.record("\(file) accepted")
        } catch {
            #expect("\(error)".contains(file) && "\(error)".contains(message), "\(error)")
        }
    }
}
