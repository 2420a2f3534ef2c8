import Foundation
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// `neurotool ntf` end to end: the CLI contract, peers reading the output, reproducibility, bad input.
@Suite("neurotool ntf")
struct NTFCLITests {
    let tensor = "Tests/Fixtures/ntf/planted3.npy"
    let start = "Tests/Fixtures/ntf/planted3_init.h5"

    @Test("from TensorLy's start, the output's error history equals TensorLy's; xarray reads the contract's variables")
    func contract() throws {
        let dir = try TestSupport.temporaryDirectory()
        let out = "\(dir)/ntf.nc"
        let run = try TestSupport.neurotool(["ntf", tensor, "-o", out, "--rank", "3", "--init", start,
                                             "--iterations", "30", "--tol", "0", "--solver", "hals", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let script = """
        import json, sys, xarray as xr, numpy as np
        ds = xr.open_dataset(sys.argv[1])
        root = ds.attrs
        print(json.dumps({"vars": sorted(ds.data_vars), "objective": ds["objective"].values.tolist(),
                          "relative_error": float(ds["relative_error"]), "weights": ds["weights"].values.tolist(),
                          "norms": [float(np.linalg.norm(ds[f"factor{k}"].values[:, 0])) for k in range(3)],
                          "iterations": int(root["iterations"]), "sha": root["input_sha256"], "cmd": root["command_line"]}))
        """
        let py = try TestSupport.run(TestSupport.python, ["-c", script, out])
        #expect(py.status == 0, "\(py.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as! [String: Any]
        let vars = got["vars"] as! [String]
        for name in ["factor0", "factor1", "factor2", "weights", "objective", "relative_error"] { #expect(vars.contains(name)) }
        let expected = try TestSupport.json("Tests/Fixtures/ntf/planted3_tensorly.json")
        let errors = TestSupport.doubles(((expected["runs"] as! [String: Any])["hals"] as! [String: Any])["errors"])
        #expect(TestSupport.maxAbsDifference(TestSupport.doubles(got["objective"]), errors) <= 1e-9)
        #expect(abs(TestSupport.number(got["relative_error"])! - errors.last!) <= 1e-9)
        let weights = TestSupport.doubles(got["weights"])
        #expect(weights == weights.sorted(by: >))
        for n in TestSupport.doubles(got["norms"]) { #expect(abs(n - 1) < 1e-12) }
        #expect(TestSupport.number(got["iterations"]) == 30)
        #expect((got["sha"] as! String).contains(try FileChecksum.sha256(of: TestSupport.path(tensor))))
        #expect((got["cmd"] as! String).hasPrefix("neurotool ntf "))
    }

    @Test("same seed: byte-identical output with ensembles, masks and cross-validation")
    func reproducible() throws {
        let dir = try TestSupport.temporaryDirectory()
        let args = ["ntf", tensor, "--ranks", "1-3", "--replicates", "2", "--holdout", "0.2", "--seed", "7", "--iterations", "50", "-q", "-o", "\(dir)/out.nc"]
        #expect(try TestSupport.neurotool(args).status == 0)
        try FileManager.default.moveItem(atPath: "\(dir)/out.nc", toPath: "\(dir)/a.nc")
        #expect(try TestSupport.neurotool(args).status == 0)
        try FileManager.default.moveItem(atPath: "\(dir)/out.nc", toPath: "\(dir)/b.nc")
        let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.nc")), b = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.nc"))
        #expect(a == b, "two runs with the same seed differ")
        // Another seed starts elsewhere.
        #expect(try TestSupport.neurotool(args.map { $0 == "7" ? "8" : $0 }).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/out.nc")) != a)
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import sys, netCDF4, numpy as np
        a, b = netCDF4.Dataset(sys.argv[1]), netCDF4.Dataset(sys.argv[2])
        for name in ["factor0", "factor1", "factor2", "weights", "objective"]:
            assert np.array_equal(a[name][:], b[name][:]), name
        for name in ["relative_error", "similarity", "heldout_error", "train_error"]:
            assert np.array_equal(a["ensemble"][name][:], b["ensemble"][name][:], equal_nan=True), name
        print(a["ensemble"]["heldout_error"][:].shape)
        """, "\(dir)/a.nc", "\(dir)/b.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.contains("(3, 2)"))
    }

    @Test("--align reorders another run's components to match a reference ntf output (read back as NetCDF arrays)")
    func align() throws {
        let dir = try TestSupport.temporaryDirectory()
        let base = ["ntf", tensor, "--rank", "3", "--iterations", "200", "-q"]
        #expect(try TestSupport.neurotool(base + ["--seed", "1", "-o", "\(dir)/ref.nc"]).status == 0)
        let run = try TestSupport.neurotool(base + ["--seed", "2", "--align", "\(dir)/ref.nc", "-o", "\(dir)/aligned.nc"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import sys, netCDF4, numpy as np
        ref, new = netCDF4.Dataset(sys.argv[1]), netCDF4.Dataset(sys.argv[2])
        # component r of the aligned run is the reference's component r: cosines near 1 on the diagonal
        cos = [min(abs(np.dot(ref[f"factor{k}"][:, r], new[f"factor{k}"][:, r])) for k in range(3)) for r in range(3)]
        print(float(new.alignment_score), min(cos))
        """, "\(dir)/ref.nc", "\(dir)/aligned.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        let values = py.stdout.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(values.count == 2 && values[0] > 0.95 && values[1] > 0.95, "\(py.stdout)")
    }

    @Test("bad input: one line naming the file, non-zero exit, no output", arguments: [
        (["--rank", "0"], "rank must be at least 1"),
        (["--rank", "81"], "rank 81 is larger than a 12×10×8 tensor can need (at most 80)"),
        (["--rank", "2", "--mask", "Tests/Fixtures/ntf/planted4.npy"], "planted4.npy: mask: has shape [6, 5, 4, 7], the tensor [12, 10, 8]"),
        (["--rank", "2", "--solver", "nmf"], "--solver must be hals, mu, bcd or als"),
        (["--rank", "2", "--tensor", "connectome"], "--tensor connectome needs a homogenized calcium file"),
        (["--rank", "3", "--init", "Tests/Fixtures/ntf/planted4_init.h5"], "planted4_init.h5: starting factors have rank 2"),
        (["--rank", "2", "--init", "Tests/Fixtures/ntf/planted4_init.h5"], "initial factors has shape"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        let run = try TestSupport.neurotool(["ntf", tensor, "-o", "\(dir)/out.nc"] + arguments)
        #expect(run.status != 0)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }.count == 1, "\(run.stderr)")
        if !arguments.contains("--solver") { #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test("NaN outside the mask, negative entries, truncated and all-missing inputs are refused with the file named")
    func badTensors() throws {
        let dir = try TestSupport.temporaryDirectory()
        let script = """
        import numpy as np, sys
        d = sys.argv[1]
        t = np.load(sys.argv[2])
        nan = t.copy(); nan[1, 2, 3] = np.nan; np.save(d + "/nan.npy", nan)
        neg = t.copy(); neg[0, 0, 0] = -1; np.save(d + "/neg.npy", neg)
        raw = open(sys.argv[2], "rb").read(); open(d + "/cut.npy", "wb").write(raw[: len(raw) // 2])
        mask = np.ones(t.shape); mask[4] = 0; np.save(d + "/mask.npy", mask)
        """
        #expect(try TestSupport.run(TestSupport.python, ["-c", script, dir, TestSupport.path(tensor)]).status == 0)
        let cases: [([String], String)] = [
            (["\(dir)/nan.npy"], "\(dir)/nan.npy: NaN or infinite value at [1, 2, 3] outside the mask"),
            (["\(dir)/neg.npy"], "\(dir)/neg.npy: negative entry -1.0 at [0, 0, 0]"),
            (["\(dir)/cut.npy"], "\(dir)/cut.npy: truncated .npy data"),
            ([tensor, "--mask", "\(dir)/mask.npy"], "mode 0 index 4 has no observed entries"),
        ]
        for (args, message) in cases {
            let run = try TestSupport.neurotool(["ntf"] + args + ["-o", "\(dir)/out.nc", "--rank", "2"])
            #expect(run.status != 0)
            #expect(run.stderr.contains(message), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/out.nc"))
        }
        // The same NaN is fine once declared missing.
        let ok = try TestSupport.neurotool(["ntf", "\(dir)/nan.npy", "-o", "\(dir)/ok.nc", "--rank", "2", "--missing-nan", "-q"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test("connectome tensor from the demo C. elegans file: labelled factors, communities and a report")
    func connectome() throws {
        let dir = try TestSupport.temporaryDirectory()
        let homogenized = "\(dir)/celegans.nc"
        #expect(try TestSupport.neurotool(["homogenize", "--manifest", "Datasets/celegans/manifest.json", "-o", homogenized, "-q"]).status == 0)
        let run = try TestSupport.neurotool(["ntf", homogenized, "--tensor", "connectome", "--window", "60", "--min-worms", "3",
                                             "-o", "\(dir)/c.nc", "--rank", "2", "--iterations", "100", "--report", "\(dir)/report", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import sys, xarray as xr, numpy as np
        ds = xr.open_dataset(sys.argv[1])
        assert list(ds["factor2"].dims) == ["pair", "component"]
        assert ds["worm"].values[0] == "kato2015_worm1", ds["worm"].values
        assert ds["window"].attrs["units"] == "s"
        names = ds["neuron"].values
        first, second = ds["pair_first"].values, ds["pair_second"].values
        assert all(first < second)
        assert str(ds["pair"].values[0]) == names[first[0]] + "~" + names[second[0]]
        assert ds["community"].shape == (2, len(names))
        print(len(names), ds.attrs["tensor"])
        """, "\(dir)/c.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.contains("min_worms=3"))
        // --recordings restricts the worms; an unknown name is a one-line error naming the file.
        let two = try TestSupport.neurotool(["ntf", homogenized, "--tensor", "connectome", "--window", "60", "--recordings", "kato2015_worm1,kato2015_worm2",
                                             "-o", "\(dir)/two.nc", "--rank", "1", "--iterations", "20", "-q"])
        #expect(two.status == 0, "\(two.stderr)")
        let worms = try TestSupport.run(TestSupport.python, ["-c", "import sys, xarray as xr; print([str(w) for w in xr.open_dataset(sys.argv[1])['worm'].values])", "\(dir)/two.nc"])
        #expect(worms.stdout.contains("['kato2015_worm1', 'kato2015_worm2']"), "\(worms.stdout)")
        let bad = try TestSupport.neurotool(["ntf", homogenized, "--tensor", "connectome", "--recordings", "nope", "-o", "\(dir)/bad.nc", "--rank", "1"])
        #expect(bad.status != 0 && bad.stderr.contains("no recording 'nope'"), "\(bad.stderr)")
        let html = try String(contentsOfFile: "\(dir)/report/ntf.html", encoding: .utf8)
        #expect(html.contains("affinity matrix ordered by community"))
        #expect(html.contains("<svg"))
    }
}
