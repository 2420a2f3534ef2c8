import Foundation
import NeuroIO
import NeuroTestSupport
import Testing
import NeuroStore

/// `neurotool glmhmm` end to end: the contract's variables, reproducibility, spike tables, bad input.
@Suite("neurotool glmhmm")
struct GLMHMMCLITests {
    let counts = "Tests/Fixtures/glmhmm/poisson_hmm_counts.npy"

    @Test("the contract's variables, read by xarray: shapes, normalised posteriors and transitions, held-out bits/spike")
    func contract() throws {
        let dir = try TestSupport.temporaryDirectory()
        let run = try TestSupport.neurotool(["glmhmm", counts, "--lengths", "250,180", "-o", "\(dir)/g.nc", "--states", "3",
                                             "--test-fraction", "0.2", "--iterations", "15", "--restarts", "1", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import json, sys, numpy as np, xarray as xr
        d = xr.open_dataset(sys.argv[1])
        print(json.dumps({"weights": list(d["weights"].shape), "bias": list(d["bias"].shape), "transitions": float(np.abs(d["transitions"].sum("state_to") - 1).max()),
                          "posterior": float(np.abs(d["posterior"].sum("state") - 1).max()), "time": int(d.sizes["time"]),
                          "viterbi": sorted(set(int(v) for v in d["viterbi"].values)), "bits": float(d.attrs["bits_per_spike_test"]),
                          "train": float(d.attrs["loglik_train"]), "history": d["loglik_history"].values.tolist()}))
        """, "\(dir)/g.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as! [String: Any]
        #expect(got["weights"] as! [Int] == [3, 4, 4] && got["bias"] as! [Int] == [3, 4])
        #expect(TestSupport.number(got["transitions"])! < 1e-12 && TestSupport.number(got["posterior"])! < 1e-12)
        #expect(got["time"] as! Int == 200 + 144, "training bins after holding out the last 20 % of each sequence")
        #expect((got["viterbi"] as! [Int]).allSatisfy { (0..<3).contains($0) })
        #expect(TestSupport.number(got["bits"])! > 0.3, "a 3-state model beats a constant rate on held-out data")
        let history = TestSupport.doubles(got["history"])
        #expect(history.last! == TestSupport.number(got["train"])!)
    }

    @Test("--prior onehot writes the learnt categorical prior (rows sum to 1) and shows it in the report")
    func oneHot() throws {
        let dir = try TestSupport.temporaryDirectory()
        let run = try TestSupport.neurotool(["glmhmm", counts, "--lengths", "250,180", "-o", "\(dir)/g.nc", "--states", "2", "--prior", "onehot",
                                             "--iterations", "3", "--restarts", "1", "--report", "\(dir)/report", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import sys, numpy as np, xarray as xr
        d = xr.open_dataset(sys.argv[1])
        p = d["prior_onehot"].values
        print(p.shape, float(np.abs(p.sum(-1) - 1).max()), [str(c) for c in d["category"].values])
        """, "\(dir)/g.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.contains("(4, 4, 3)") && py.stdout.contains("['inhibitory', 'none', 'excitatory']"), "\(py.stdout)")
        let maxError = Double(py.stdout.split(separator: " ").dropFirst(3).first.map(String.init)?.trimmingCharacters(in: .punctuationCharacters) ?? "1") ?? 1
        #expect(maxError < 1e-12)
        #expect(try String(contentsOfFile: "\(dir)/report/glmhmm.html", encoding: .utf8).contains("Learnt one-hot prior"))
    }

    @Test("homogenized calcium traces: Gaussian emissions over the recordings' shared neurons")
    func homogenizedCalcium() throws {
        let dir = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.neurotool(["homogenize", "Datasets/celegans/kato2015/WT_NoStim.mat", "-o", "\(dir)/kato.nc", "-q"]).status == 0)
        let none = try TestSupport.neurotool(["glmhmm", "\(dir)/kato.nc", "--emission", "gaussian", "--recordings", "nope", "--states", "2", "-o", "\(dir)/g.nc"])
        #expect(none.status != 0 && none.stderr.contains("no recording 'nope'"), "\(none.stderr)")
        let run = try TestSupport.neurotool(["glmhmm", "\(dir)/kato.nc", "--emission", "gaussian", "--states", "2", "--iterations", "10",
                                             "--restarts", "1", "--test-fraction", "0.2", "-o", "\(dir)/g.nc"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("bits/observation"))
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import sys, numpy as np, xarray as xr, netCDF4
        d = xr.open_dataset(sys.argv[1])
        # The neurons labelled and recorded in every recording, straight from the homogenized file.
        f = netCDF4.Dataset(sys.argv[2])
        shared = None
        for g in f.groups.values():
            names = {str(c) for c, r, l in zip(g["channel"][:], g["recorded"][:], g["labeled"][:]) if r and l}
            shared = names if shared is None else shared & names
        same = sorted(shared) == sorted(str(n) for n in d["neuron"].values)
        print(d.sizes["neuron"], d.sizes["sequence"], bool((d["variance"].values > 0).all()) and same, d.attrs["emission"])
        """, "\(dir)/g.nc", "\(dir)/kato.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        let fields = py.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(fields.count == 4 && Int(fields[0])! >= 1 && fields[1] == "3" && fields[2] == "True" && fields[3] == "gaussian", "\(py.stdout)")
    }

    @Test("same seed: byte-identical output")
    func reproducible() throws {
        let dir = try TestSupport.temporaryDirectory()
        let args = ["glmhmm", counts, "--lengths", "250,180", "-o", "\(dir)/g.nc", "--states", "2", "--iterations", "8", "--restarts", "2", "--seed", "4", "-q"]
        #expect(try TestSupport.neurotool(args).status == 0)
        let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/g.nc"))
        #expect(try TestSupport.neurotool(args).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/g.nc")) == a)
    }

    @Test("spike-time tables are binned at --bin-width")
    func spikeTable() throws {
        let dir = try TestSupport.temporaryDirectory()
        var lines = ["time,unit"]
        for t in 0..<400 { if t % 3 == 0 { lines.append("\(Double(t) * 0.01 + 0.001),A") }; if t % 5 == 0 { lines.append("\(Double(t) * 0.01 + 0.002),B") } }
        try lines.joined(separator: "\n").write(toFile: "\(dir)/spikes.csv", atomically: true, encoding: .utf8)
        let run = try TestSupport.neurotool(["glmhmm", "\(dir)/spikes.csv", "--bin-width", "0.01", "-o", "\(dir)/g.nc", "--states", "1", "--iterations", "5", "-q"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", "import sys, xarray as xr; d = xr.open_dataset(sys.argv[1]); print([str(v) for v in d['neuron'].values], d.sizes['time'])", "\(dir)/g.nc"])
        #expect(py.stdout.contains("['A', 'B'] 400"), "\(py.stdout) \(py.stderr)")
    }

    @Test("external covariates enter the GLM: a stimulus that drives neuron 0 gets a large weight and raises held-out bits/spike")
    func covariates() throws {
        let dir = try TestSupport.temporaryDirectory()
        let make = try TestSupport.run(TestSupport.python, ["-c", """
        import numpy as np, sys
        r = np.random.default_rng(5)
        u = r.choice([-1.0, 1.0], size=(1200, 1))
        rate = np.log1p(np.exp(np.column_stack([-0.5 + 1.5 * u[:, 0], np.full(1200, 0.3), np.full(1200, -0.2)])))
        np.save(sys.argv[1] + "/x.npy", r.poisson(rate).astype(float)); np.save(sys.argv[1] + "/u.npy", u)
        """, dir])
        #expect(make.status == 0, "\(make.stderr)")
        func run(_ extra: [String]) throws -> [Double] {
            let out = "\(dir)/\(extra.isEmpty ? "plain" : "cov").nc"
            let r = try TestSupport.neurotool(["glmhmm", "\(dir)/x.npy", "-o", out, "--states", "1", "--test-fraction", "0.25", "--iterations", "5", "-q"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let py = try TestSupport.run(TestSupport.python, ["-c", "import sys, netCDF4; d = netCDF4.Dataset(sys.argv[1]); w = d['weights_full'][:]; print(float(d.bits_per_spike_test), float(w[0, 0, -1]))", out])
            return py.stdout.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let plain = try run([]), withStimulus = try run(["--covariates", "\(dir)/u.npy"])
        #expect(withStimulus[1] > 1.0, "stimulus weight \(withStimulus[1]) (planted 1.5)")
        #expect(withStimulus[0] > plain[0] + 0.05, "bits/spike \(withStimulus[0]) vs \(plain[0]) without the stimulus")
    }

    @Test("bad input: one line naming the file, non-zero exit, no output")
    func badInput() throws {
        let dir = try TestSupport.temporaryDirectory()
        #expect(try TestSupport.run(TestSupport.python, ["-c", "import numpy as np, sys; x = np.load(sys.argv[1]).astype(float); x[3, 0] = -1; np.save(sys.argv[2], x)",
                                                         TestSupport.path(counts), "\(dir)/neg.npy"]).status == 0)
        let cases: [([String], String)] = [
            (["\(dir)/neg.npy", "--states", "2"], "\(dir)/neg.npy: Poisson emissions need non-negative integer counts: -1.0 in sequence 1, bin 3, neuron 0"),
            ([counts, "--states", "0"], "the number of states must be at least 1"),
            ([counts, "--states", "2", "--lengths", "3,427"], "sequence 1 has 3 bins, fewer than the history basis needs (6)"),
            ([counts, "--states", "2", "--connectome", "Datasets/connectome/herm_full_edgelist.csv", "--iterations", "2"],
             "herm_full_edgelist.csv: neuron 'unit0' is not in the connectome"),
            ([counts, "--states", "2", "--prior", "laplace"], "--prior must be none, gaussian or onehot (got 'laplace')"),
        ]
        for (args, message) in cases {
            let run = try TestSupport.neurotool(["glmhmm"] + args + ["-o", "\(dir)/out.nc"])
            #expect(run.status != 0)
            #expect(run.stderr.contains(message), "\(run.stderr)")
            // (An invalid option value also prints the usage, as ArgumentParser does.)
            if !args.contains("laplace") { #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)") }
            #expect(!FileManager.default.fileExists(atPath: "\(dir)/out.nc"))
        }
    }

    @Test("--align-to numbers the states as a previous fit's (optimal matching by weights); restarts are summarised")
    func alignTo() throws {
        let dir = try TestSupport.temporaryDirectory()
        let base = ["glmhmm", counts, "--lengths", "250,180", "--states", "3", "--iterations", "15", "-q"]
        #expect(try TestSupport.neurotool(base + ["-o", "\(dir)/a.nc", "--seed", "1", "--restarts", "2"]).status == 0)
        let run = try TestSupport.neurotool(base + ["-o", "\(dir)/b.nc", "--seed", "9", "--align-to", "\(dir)/a.nc"])
        #expect(run.status == 0, "\(run.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import itertools, json, sys, numpy as np, xarray as xr
        a, b = xr.open_dataset(sys.argv[1]), xr.open_dataset(sys.argv[2])
        sig = lambda d: np.concatenate([d["bias"].values[:, :, None], d["weights"].values], axis=2).reshape(3, -1)
        sa, sb = sig(a), sig(b)
        cost = lambda p: float(sum(((sa[s] - sb[p[s]]) ** 2).sum() for s in range(3)))
        print(json.dumps({"aligned": cost([0, 1, 2]), "best": min(cost(p) for p in itertools.permutations(range(3))),
                          "from": sorted(int(v) for v in b["aligned_from"].values), "match": a["restart_state_match"].values.tolist(),
                          "objectives": a["restart_objective"].values.tolist(), "kept": int(a.attrs["restart"]),
                          "inputs": b.attrs["parameters"]}))
        """, "\(dir)/a.nc", "\(dir)/b.nc"])
        #expect(py.status == 0, "\(py.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as! [String: Any]
        #expect(abs(TestSupport.number(got["aligned"])! - TestSupport.number(got["best"])!) <= 1e-9 * TestSupport.number(got["best"])!,
                "the aligned numbering is the best of the 6 permutations")
        #expect(got["from"] as! [Int] == [0, 1, 2])
        let kept = got["kept"] as! Int
        #expect((got["match"] as! [[Int]])[kept] == [0, 1, 2], "the kept restart matches itself")
        #expect(TestSupport.doubles(got["objectives"]).max() == TestSupport.doubles(got["objectives"])[kept])
        #expect((got["inputs"] as! String).contains("align_to=\(dir)/a.nc"))

        let wrong = try TestSupport.neurotool(["glmhmm", counts, "--lengths", "250,180", "--states", "2", "--iterations", "3", "-q",
                                               "-o", "\(dir)/c.nc", "--align-to", "\(dir)/a.nc"])
        #expect(wrong.status != 0 && wrong.stderr.contains("a.nc: has 3 states of 4 neurons; this fit has 2 states of 4 neurons"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/c.nc"))
    }

    @Test("at the demo's scale (24 neurons of the real connectome, 3 states): the one-hot prior predicts the anatomy better than any state fitted without a prior")
    func oneHotAtScale() throws {
        let dir = try TestSupport.temporaryDirectory()
        let common = ["glmhmm", "Datasets/glmhmm/counts.npy", "--names", "Datasets/glmhmm/names.txt", "--states", "3",
                      "--test-fraction", "0.2", "--iterations", "30", "--connectome", "Datasets/connectome/herm_full_edgelist.csv", "-q"]
        let plain = try TestSupport.neurotool(common + ["--prior", "none", "-o", "\(dir)/none.nc"])
        let oneHot = try TestSupport.neurotool(common + ["--prior", "onehot", "--adam-steps", "10", "--learning-rate", "0.05", "-o", "\(dir)/onehot.nc"])
        #expect(plain.status == 0 && oneHot.status == 0, "\(plain.stderr) \(oneHot.stderr)")
        let py = try TestSupport.run(TestSupport.python, ["-c", """
        import json, sys, netCDF4
        out = {}
        for name in ("none", "onehot"):
            d = netCDF4.Dataset(sys.argv[1] + "/" + name + ".nc")
            out[name] = {"auc": float(getattr(d, "connectome_auc", -1)), "states": d["connectome_auc_state"][:].tolist(),
                         "bits": float(d.bits_per_spike_test)}
        print(json.dumps(out))
        """, dir])
        #expect(py.status == 0, "\(py.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(py.stdout.utf8)) as! [String: [String: Any]]
        let bestPlainState = TestSupport.doubles(got["none"]!["states"]).max()!
        let prior = TestSupport.number(got["onehot"]!["auc"])!
        #expect(prior > bestPlainState + 0.03 && prior > 0.75, "one-hot prior AUC \(prior) vs best state without a prior \(bestPlainState)")
        let bits = TestSupport.number(got["onehot"]!["bits"])!, plainBits = TestSupport.number(got["none"]!["bits"])!
        #expect(bits > plainBits - 0.01, "held-out bits/spike \(bits) vs \(plainBits) without a prior")
    }
}
