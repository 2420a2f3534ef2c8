import Foundation
import NeuroCore
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// NWB ElectricalSeries read as pynwb reads them (`Tests/Fixtures/nwb_ecephys`, written by pynwb from
/// known arrays with `tools/python/make_nwb_ecephys_fixtures.py`).
@Suite("NWB extracellular electrophysiology against pynwb")
struct NWBEcephysTests {
    let directory = TestSupport.path("Tests/Fixtures/nwb_ecephys")

    @Test("samples in volts, rate, start, electrode labels and trials equal pynwb's", arguments: ["ecephys.nwb", "ecephys_timestamps.nwb"])
    func matchesPyNWB(file: String) throws {
        let expected = (try TestSupport.json("Tests/Fixtures/nwb_ecephys/expected.json"))[file] as! [String: Any]
        let source = try Readers.open("\(directory)/\(file)").recording(0)
        #expect(try Readers.open("\(directory)/\(file)").readerName == "nwb-ecephys")
        #expect(source.signals.map(\.originalLabel) == (expected["labels"] as! [String]))
        #expect(source.signals.allSatisfy { $0.unit == "V" && abs($0.samplingRate - TestSupport.number(expected["rate"])!) < 1e-9 })
        let samples = try source.readAllSamples()
        #expect(samples[0].count == (expected["n_samples"] as! Int))
        let first = TestSupport.matrixRows(expected["first_samples_volts"])
        for (r, row) in first.enumerated() {
            for (c, v) in row.enumerated() { #expect(abs(samples[c][r] - v) <= 1e-15 + 1e-12 * abs(v), "row \(r) channel \(c)") }
        }
        let sums = TestSupport.doubles(expected["sums_volts"])
        for (c, s) in sums.enumerated() { #expect(abs(samples[c].reduce(0, +) - s) <= 1e-9 * max(abs(s), 1e-6), "channel \(c) sum") }
        let trials = TestSupport.matrixRows(expected["trials"] ?? [])
        let start = TestSupport.number(expected["starting_time"]) ?? 0
        #expect(source.events.count == trials.count)
        for (e, t) in zip(source.events, trials) {
            #expect(abs(e.onset - (t[0] - start)) < 1e-12 && abs(e.duration - (t[1] - t[0])) < 1e-12 && e.label == "trial")
        }
    }

    @Test("irregular timestamps are refused with the file named")
    func irregular() {
        do {
            _ = try Readers.open("\(directory)/ecephys_irregular.nwb").recording(0)
            Issue.record("irregular timestamps accepted")
        } catch {
            #expect("\(error)".contains("ecephys_irregular.nwb") && "\(error)".contains("irregular"), "\(error)")
        }
    }
}
