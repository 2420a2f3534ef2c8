import Foundation
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// `neurotool ftag` end to end: the contract's variables, the HFTP test against a NumPy transcription
/// with the same (exported) permutations, bad input.
@Suite("neurotool ftag")
struct FTagCLITests {
    let signals = "Tests/Fixtures/ftag/signals.npy"

    @Test("HFTP amplitudes, null thresholds, p-values, ITPC and the control rule equal ftag_peer.py on the exported permutations")
    func hftpAgainstNumPy() throws {
        let dir = try TestSupport.temporaryDirectory()
        let control = "\(dir)/control.npy"
        let make = try TestSupport.run(TestSupport.python, ["-c", "import numpy as np, sys; x = np.load(sys.argv[1]); np.save(sys.argv[2], 0.5 * x[:, ::-1, :] + 0.1)",
                                                            TestSupport.path(signals), control])
        #expect(make.status == 0, "\(make.stderr)")
        let run = try TestSupport.neurotool(["ftag", signals, "--rate", "250", "--tags", "1,2,4", "--permutations", "300", "--seed", "3",
                                             "--export-permutations", "\(dir)/perms.npy", "--control", control, "-o", "\(dir)/out.nc", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let peer = try TestSupport.python("tools/python/ftag_peer.py", [TestSupport.path(signals), "--rate", "250", "--tags", "1,2,4",
                                                                       "--perms", "\(dir)/perms.npy", "--control", control])
        #expect(peer.status == 0, "\(peer.stderr)")
        let mine = try TestSupport.run(TestSupport.python, ["-c", """
        import json, sys, netCDF4
        d = netCDF4.Dataset(sys.argv[1])
        print(json.dumps({k: d[k][:].tolist() for k in ["hftp_amplitude", "hftp_threshold", "hftp_pvalue", "itpc", "control_z", "psd"]}))
        """, "\(dir)/out.nc"])
        #expect(mine.status == 0, "\(mine.stderr)")
        let ours = try JSONSerialization.jsonObject(with: Data(mine.stdout.utf8)) as! [String: Any]
        let theirs = try JSONSerialization.jsonObject(with: Data(peer.stdout.utf8)) as! [String: Any]
        func flat(_ v: Any?) -> [Double] { (v as! [Any]).flatMap { ($0 as! [Any]).map { ($0 as! NSNumber).doubleValue } } }
        for (key, theirKey, tolerance) in [("hftp_amplitude", "hftp_obs", 1e-12), ("hftp_threshold", "hftp_threshold", 1e-12),
                                           ("itpc", "itpc", 1e-12), ("control_z", "control_z", 1e-10), ("psd", "psd", 1e-12)] {
            let a = flat(ours[key]), b = flat(theirs[theirKey])
            let scale = b.map(abs).max() ?? 1
            #expect(a.count == b.count && TestSupport.maxAbsDifference(a, b) <= tolerance * scale, "\(key): max |Δ| \(TestSupport.maxAbsDifference(a, b))")
        }
        #expect(flat(ours["hftp_pvalue"]) == flat(theirs["pvalue"]), "p-values count the same null draws")
        // The exported permutations are permutations of the samples.
        let perms = try ArrayFile.read("\(dir)/perms.npy")
        #expect(perms.shape == [300, 1000])
        #expect(Set(perms.values[0..<1000].map { Int($0) }) == Set(0..<1000))
    }

    @Test("the demo-style EEG pipeline: homogenized EDF+ with annotations → epochs at events → levels per channel")
    func homogenizedInput() throws {
        let dir = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.neurotool(["homogenize", "Datasets/ftag/ftag_demo.edf", "-o", "\(dir)/eeg.nc", "-q"]).status == 0)
        let truth = try TestSupport.json("Datasets/ftag/truth.json")
        let run = try TestSupport.neurotool(["ftag", "\(dir)/eeg.nc", "--tags", "1,2,4", "--tag-names", "sentence,phrase,word",
                                             "--epoch", "events:trial", "--duration", "4", "-o", "\(dir)/ftag.nc", "--report", "\(dir)/report", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import json, sys, xarray as xr
        ds = xr.open_dataset(sys.argv[1])
        print(json.dumps({str(c): [float(f) for f, s in zip(ds["tag"].values, ds["significant"].sel(channel=c).values) if s] for c in ds["channel"].values}))
        """, "\(dir)/ftag.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        let found = try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as! [String: [Double]]
        let expected = truthMap(truth)
        #expect(!found.isEmpty)
        for (channel, tags) in found {
            #expect(Set(tags) == Set(expected[channel] ?? []), "\(channel): found \(tags), planted \(expected[channel] ?? [])")
        }
        for (channel, tags) in expected where found[channel] != nil { #expect(Set(found[channel]!) == Set(tags)) }
        let html = try String(contentsOfFile: "\(dir)/report/ftag.html", encoding: .utf8)
        #expect(html.contains("SNR spectrum") && html.contains("<svg"))
    }

    /// Channel → planted frequencies, from `Datasets/ftag/truth.json` (whatever its exact layout: a map of
    /// channel to frequencies, possibly under a key).
    func truthMap(_ json: [String: Any]) -> [String: [Double]] {
        let source = (json["channels"] as? [String: Any]) ?? (json["tagged"] as? [String: Any]) ?? json
        var map: [String: [Double]] = [:]
        for (k, v) in source { if let list = v as? [Any] { map[k] = list.compactMap { ($0 as? NSNumber)?.doubleValue } } }
        return map.filter { !$0.value.isEmpty }
    }

    @Test("bad input: one line naming the file, non-zero exit, no output", arguments: [
        (["--rate", "250", "--tags", "200"], "tag 200.0 Hz is above the Nyquist frequency (125.0 Hz)"),
        (["--rate", "250", "--tags", "0.1"], "epochs of 4.0 s are shorter than one cycle of 0.1 Hz"),
        (["--rate", "250", "--tags", "1.3"], "1.3 Hz does not fall on a frequency bin of 961 samples at 250.0 Hz"),
        (["--tags", "1"], "an array needs its sampling rate: give --rate HZ"),
        (["--rate", "250", "--tags", "1", "--epoch", "events:word"], "an array has no events"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        let run = try TestSupport.neurotool(["ftag", signals, "-o", "\(dir)/out.nc"] + arguments)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("NaN samples and missing events are refused with the file named")
    func badData() throws {
        let dir = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.run(TestSupport.python, ["-c", "import numpy as np, sys; x = np.load(sys.argv[1]); x[2, 10, 3] = np.nan; np.save(sys.argv[2], x)",
                                                         TestSupport.path(signals), "\(dir)/nan.npy"]).status == 0)
        let nan = try TestSupport.neurotool(["ftag", "\(dir)/nan.npy", "--rate", "250", "--tags", "1,2,4", "-o", "\(dir)/out.nc"])
        #expect(nan.status != 0 && nan.stderr.contains("\(dir)/nan.npy: channel unit2 has NaN or infinite samples in trial 4"), "\(nan.stderr)")
        #expect(try TestSupport.neurotool(["homogenize", "Datasets/eeg/test.edf", "-o", "\(dir)/eeg.nc", "-q"]).status == 0)
        let events = try TestSupport.neurotool(["ftag", "\(dir)/eeg.nc", "--tags", "1", "--epoch", "events:nothing", "-o", "\(dir)/out.nc"])
        #expect(events.status != 0 && events.stderr.contains("no event labelled 'nothing'"), "\(events.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/out.nc"))
    }
}

@Suite("neurotool homogenize on NWB ecephys")
struct NWBEcephysCLITests {
    @Test("an ElectricalSeries homogenizes like EEG: channels by electrode label, volts, trials as events")
    func homogenize() throws {
        let dir = try TestSupport.temporaryDirectory()
        let run = try TestSupport.neurotool(["homogenize", "Tests/Fixtures/nwb_ecephys/ecephys.nwb", "-o", "\(dir)/e.nc", "--rate", "250", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import sys, xarray as xr
        d = xr.open_dataset(sys.argv[1], group="ecephys")
        print([str(c) for c in d["channel"].values], d.sizes["time"], sorted(set(str(u) for u in d["unit"].values)), d.attrs["source_reader"])
        """, "\(dir)/e.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.contains("['LFP1', 'LFP2', 'LFP3', 'LFP4', 'LFP5', 'LFP6'] 500 ['V'] nwb-ecephys"), "\(py.stdout)")
    }
}

@Suite("neurotool homogenize on FIF")
struct FIFCLITests {
    @Test("MEG magnetometers and gradiometers stay apart (kind, unit T or T/m), positions and coil orientations from the file, stim events kept")
    func homogenize() throws {
        let dir = try TestSupport.temporaryDirectory()
        let run = try TestSupport.neurotool(["homogenize", "Tests/Fixtures/fif/meg_raw.fif", "-o", "\(dir)/m.nc", "--rate", "250", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import sys, xarray as xr
        d = xr.open_dataset(sys.argv[1], group="meg_raw")
        import numpy as np
        o = d["orientation"].values
        print([str(k) for k in d["kind"].values], [str(u) for u in d["unit"].values], d.sizes["time"], round(float(d["position"].values[0][0]), 4),
              [str(e) for e in d["event_label"].values], np.round(o[0][2], 4).tolist(), bool(np.isnan(o[3]).all()))
        """, "\(dir)/m.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        // The magnetometer's normal (ez) is loc[9..<12] of MNE's fixture; EEG channels carry no orientation.
        #expect(py.stdout.contains("['meg_mag', 'meg_grad', 'meg_grad', 'eeg', 'eeg', 'stim', 'eog'] ['T', 'T/m', 'T/m', 'V', 'V', 'V', 'V'] 750 -0.1066 ['1', '2', '5', '1'] [-0.9825, 0.186, 0.0156] True"), "\(py.stdout)")
        // Read back by neurotool: position and orientation together for MEG, position alone for EEG.
        let channels = try CommonFormatFile(path: "\(dir)/m.nc").recording("meg_raw").channels
        #expect(channels[0].position?.count == 12 && channels[3].position?.count == 3 && channels[5].position == nil)
    }
}
