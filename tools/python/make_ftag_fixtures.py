#!/usr/bin/env python3
"""Writes the frequency-tagging (`neurotool ftag`) cross-check fixtures: Tests/Fixtures/ftag/.

* `signals.npy`: float64 (5 units, 1000 samples, 6 trials), 250 Hz (4 s trials, 0.25 Hz bins).
  rng = numpy.random.default_rng(SEED); drawn in this order: phases rng.uniform(0, 2*pi, (5, 3)) (unit x
  tag 1, 2, 4 Hz), DC offsets rng.uniform(-20, 20, 5), then the noise rng.standard_normal((5, 1000, 6)).
  Unit u, trial r: offset[u] + sum over its tags of AMPLITUDE * cos(2*pi*f*t + phase[u, f]) (the same
  phase in every trial: phase-locked) + NOISE * noise[u, :, r], t = arange(1000) / 250. Unit 0 holds
  1 and 2 Hz, unit 1 4 Hz, unit 2 all three, units 3 and 4 noise only.
* `rsa_conditions.npy`, `rsa_conditions_b.npy`: float64 (3 conditions, 5 units, 1000 samples), 250 Hz,
  one trial each: the same planted sinusoids (RSA_PLAN below) and DC offsets, with Gaussian noise
  drawn from default_rng(RSA_SEED) and default_rng(RSA_SEED_B) respectively.
* `spectra.json`: what was computed, with which calls and versions; the cases (file, parameters); the
  ITPC spectrum of signals.npy (units x 501 bins) and at the tags; the RSA of rsa_conditions.npy and
  of rsa_conditions_b.npy for the band 0.5-2 Hz and the Spearman correlation of the two.
* `spectra_<case>.json`, one per case (fft/evoked, fft/spectra, welch nperseg 500/evoked, welch
  nperseg 250 noverlap 100/spectra): frequency, psd, amplitude (fft only), the full snr spectrum, and
  snr and z at the tags 1, 2, 4 Hz (neighbors 3, skip 1). One file per case keeps each JSON file under
  200 kB (signals.npy is 240 kB by its shape).

Every number comes from tools/python/ftag_peer.py (the live peer runs the same code); its docstring
gives the definitions. Run from the repository root (or `make fixtures`):

    .venv/bin/python tools/python/make_ftag_fixtures.py

Deterministic (fixed seeds, no clock): two runs give identical bytes on the same machine. Floats are
written with Python's repr (json.dumps of Python floats): they parse back to the same doubles;
non-finite values (the snr spectrum's edges, z where a neighbour is missing) are written as null.
Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from pathlib import Path

import mne
import numpy as np
import scipy

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ftag_peer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "ftag"
SCRIPT = "tools/python/make_ftag_fixtures.py"
SEED = 20251210
RSA_SEED = 20251211
RSA_SEED_B = 20251212
RATE = 250.0
UNITS, SAMPLES, TRIALS = 5, 1000, 6
TAGS = [1.0, 2.0, 4.0]
UNIT_TAGS = {0: [1.0, 2.0], 1: [4.0], 2: [1.0, 2.0, 4.0], 3: [], 4: []}
AMPLITUDE = 0.5
NOISE = 1.0
NEIGHBORS, SKIP = 3, 1
RSA_BAND = (0.5, 2.0)
RSA_NOISE = 0.5
# condition -> unit -> [(frequency Hz, amplitude, phase rad)]; bins of 0.5..2 Hz are 0.5, 0.75, ..., 2.
RSA_PLAN = {
    0: {0: [(1.0, 1.0, 0.0)], 1: [(1.0, 0.8, 1.0)], 2: [(0.75, 0.5, 0.3)]},
    1: {0: [(1.0, 0.9, 0.5)], 1: [(1.0, 0.6, 2.0), (2.0, 0.4, 0.0)], 3: [(1.5, 0.5, 1.2)]},
    2: {2: [(2.0, 1.0, 0.0)], 3: [(0.5, 0.8, 0.7)], 4: [(1.25, 1.0, 2.5)]},
}
RSA_OFFSETS = [4.0, -3.0, 0.5, 10.0, -7.5]

# name -> (method, average, nperseg, noverlap as given, noverlap used)
CASES = {
    "fft_evoked": ("fft", "evoked", None, None),
    "fft_spectra": ("fft", "spectra", None, None),
    "welch500_evoked": ("welch", "evoked", 500, None),
    "welch250_spectra": ("welch", "spectra", 250, 100),
}

CALLS = {
    "psd_fft": "scipy.signal.periodogram(x, fs, window='boxcar', detrend='constant', scaling='density', axis=-1)",
    "psd_welch": ("scipy.signal.welch(x, fs, window='hann', nperseg=NPERSEG, noverlap=NOVERLAP (default "
                  "NPERSEG // 2), detrend='constant', scaling='density', average='mean', axis=-1)"),
    "amplitude": ("abs(numpy.fft.rfft(x - x.mean())) * 2 / n, bin 0 and (n even) bin n // 2 divided by n only "
                  "(not doubled)"),
    "average": ("evoked: x = data.mean(axis=trials), then one spectrum; spectra: one spectrum per trial, then "
                "numpy mean over trials"),
    "tag_bin": "k = round(f * L / fs), L = n (fft) or NPERSEG (welch)",
    "frequency": "k * fs / L, k = 0 .. L // 2",
    "snr_spectrum": ("MNE tutorial tutorials/time-freq/50_ssvep.py snr_spectrum(psd, noise_n_neighbor_freqs=3, "
                     "noise_skip_neighbor_freqs=1): psd / (np.convolve(psd, kernel, 'valid') NaN-padded by 4 bins "
                     "at both ends), kernel = [1, 1, 1, 0, 0, 0, 1, 1, 1] / 6"),
    "snr": "snr_spectrum[:, k]",
    "z": ("(psd[k] - mean(nb)) / numpy.std(nb, ddof=1), nb = psd[k-4 : k-1] + psd[k+2 : k+5] (NaN when a "
          "neighbour lies outside 0 .. L // 2)"),
    "itpc": ("abs(mean over trials of X_t[k] / abs(X_t[k])), X_t = numpy.fft.rfft(trial t) (no detrend, no "
             "window; zero coefficients contribute 0), k = round(f * n / fs)"),
    "rsa": ("v_c = amplitude spectrum of condition c's trial average, bins with 0.5 <= k*fs/n <= 2, units "
            "concatenated (unit-major); rsa[a, b] = scipy.spatial.distance.cosine(v_a, v_b) for every a, b "
            "(the diagonal included, as scipy returns it)"),
    "rsa_spearman": ("scipy.stats.spearmanr(rsa[iu], rsa_b[iu]), iu = numpy.triu_indices(3, 1) (strict upper "
                     "triangle, row-major)"),
}


def write_json(path: Path, obj: dict) -> None:
    """One top-level key per line (short diffs), floats as Python reprs, non-finite as null."""
    items = list(obj.items())
    lines = ["{"] + [f"{json.dumps(k)}: {json.dumps(ftag_peer.jsonable(v), allow_nan=False)}"
                     + ("," if i < len(items) - 1 else "") for i, (k, v) in enumerate(items)] + ["}"]
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


def make_signals() -> tuple[np.ndarray, dict]:
    rng = np.random.default_rng(SEED)
    phases = rng.uniform(0, 2 * math.pi, (UNITS, len(TAGS)))
    offsets = rng.uniform(-20, 20, UNITS)
    noise = rng.standard_normal((UNITS, SAMPLES, TRIALS))
    t = np.arange(SAMPLES) / RATE
    clean = np.zeros((UNITS, SAMPLES))
    for u, freqs in UNIT_TAGS.items():
        clean[u] += offsets[u]
        for f in freqs:
            clean[u] += AMPLITUDE * np.cos(2 * math.pi * f * t + phases[u, TAGS.index(f)])
    data = np.ascontiguousarray(clean[:, :, None] + NOISE * noise, dtype=np.float64)
    return data, {"phases": phases, "offsets": offsets}


def make_rsa_conditions(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(SAMPLES) / RATE
    out = np.empty((len(RSA_PLAN), UNITS, SAMPLES))
    for c, plan in RSA_PLAN.items():
        for u in range(UNITS):
            x = np.full(SAMPLES, RSA_OFFSETS[u])
            for f, a, phi in plan.get(u, []):
                x += a * np.cos(2 * math.pi * f * t + phi)
            out[c, u] = x
    out += RSA_NOISE * rng.standard_normal(out.shape)
    return np.ascontiguousarray(out, dtype=np.float64)


def save(name: str, array: np.ndarray) -> None:
    np.save(OUT / name, array)
    assert np.array_equal(np.load(OUT / name), array)  # what neurotool will read back


def case_json(data: np.ndarray, name: str, method: str, average: str, nperseg, noverlap) -> tuple[dict, list[str]]:
    spec = ftag_peer.spectrum(data, RATE, method, average, nperseg, noverlap)
    length = spec["length"]
    bins = ftag_peer.tag_bins(TAGS, RATE, length)
    snr_full = ftag_peer.snr_spectrum(spec["psd"], noise_n_neighbor_freqs=NEIGHBORS, noise_skip_neighbor_freqs=SKIP)
    snr = snr_full[:, bins]
    z = np.stack([ftag_peer.tag_z(spec["psd"], k, NEIGHBORS, SKIP) for k in bins], axis=1)
    used_overlap = None if method == "fft" else (nperseg // 2 if noverlap is None else noverlap)
    out = {
        "description": (f"Spectra of signals.npy {list(data.shape)} (units x samples x trials, {RATE:g} Hz), method "
                        f"{method}, average {average}: frequency (k * fs / {length}), psd [unit][bin], "
                        + ("amplitude [unit][bin], " if spec["amplitude"] is not None else "")
                        + "snr_spectrum [unit][bin] (null at the edges), and at the tags snr and z [unit][tag] "
                        "(null where a neighbour bin is missing). Calls: spectra.json 'calls'."),
        "script": SCRIPT,
        "case": name,
        "method": method,
        "average": average,
        "nperseg": nperseg,
        "noverlap": used_overlap,
        "noverlap_given": noverlap,
        "length": length,
        "rate": RATE,
        "tags": TAGS,
        "neighbors": NEIGHBORS,
        "skip": SKIP,
        "tag_bins": bins,
        "snr": snr,
        "z": z,
        "frequency": spec["frequency"],
        "psd": spec["psd"],
    }
    if spec["amplitude"] is not None:
        out["amplitude"] = spec["amplitude"]
    out["snr_spectrum"] = snr_full
    report = [f"  {name:18s} L {length:4d}, tag bins {bins}: snr per unit at 1/2/4 Hz "
              + "; ".join("/".join("nan" if not np.isfinite(v) else f"{v:.3g}" for v in row) for row in snr)]
    return out, report


def check_truth(data: np.ndarray) -> list[str]:
    """The planted tags stand out: in fft/evoked, a tagged unit's psd at the tag bin is over 50 times its
    median psd (0.25-20 Hz), an untagged unit's below that, and the tagged units' itpc exceeds 0.9. (The
    snr itself is no clean test here: with 3 neighbours and 1 skipped bin, 1 Hz and 2 Hz are each
    other's noise bins at 0.25 Hz resolution.)"""
    spec = ftag_peer.spectrum(data, RATE, "fft", "evoked")
    bins = ftag_peer.tag_bins(TAGS, RATE, SAMPLES)
    band = (spec["frequency"] >= 0.25) & (spec["frequency"] <= 20)
    ratio = spec["psd"][:, bins] / np.median(spec["psd"][:, band], axis=1, keepdims=True)
    coherence = ftag_peer.itpc(data)[:, bins]
    for u, freqs in UNIT_TAGS.items():
        for j, f in enumerate(TAGS):
            tagged = f in freqs
            if tagged != (ratio[u, j] > 50) or (tagged and not coherence[u, j] > 0.9):
                raise SystemExit(f"unit {u} at {f} Hz: psd / median {ratio[u, j]:.3g}, itpc {coherence[u, j]:.3g} "
                                 f"({'tagged' if tagged else 'untagged'})")
    tagged = [(u, TAGS.index(f)) for u in UNIT_TAGS for f in UNIT_TAGS[u]]
    untagged = [(u, j) for u in UNIT_TAGS for j in range(len(TAGS)) if (u, j) not in tagged]
    return [f"  planted tags recovered (fft/evoked psd / median psd: tagged >= {min(ratio[i] for i in tagged):.3g}, "
            f"untagged <= {max(ratio[i] for i in untagged):.3g}; itpc tagged >= "
            f"{min(coherence[i] for i in tagged):.3g}, untagged <= {max(coherence[i] for i in untagged):.3g})"]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    data, drawn = make_signals()
    save("signals.npy", data)
    cond_a = make_rsa_conditions(RSA_SEED)
    cond_b = make_rsa_conditions(RSA_SEED_B)
    save("rsa_conditions.npy", cond_a)
    save("rsa_conditions_b.npy", cond_b)
    report = [f"signals.npy {list(data.shape)} at {RATE:g} Hz"] + check_truth(data)

    cases = {}
    for name, (method, average, nperseg, noverlap) in CASES.items():
        case, lines = case_json(data, name, method, average, nperseg, noverlap)
        write_json(OUT / f"spectra_{name}.json", case)
        cases[name] = {"file": f"spectra_{name}.json", "method": method, "average": average, "nperseg": nperseg,
                       "noverlap": case["noverlap"], "length": case["length"], "tag_bins": case["tag_bins"]}
        report += lines

    itpc_bins = ftag_peer.tag_bins(TAGS, RATE, SAMPLES)
    itpc = ftag_peer.itpc(data)
    rsa_a, rsa_bins = ftag_peer.rsa(cond_a, RATE, RSA_BAND)
    rsa_b, _ = ftag_peer.rsa(cond_b, RATE, RSA_BAND)
    rho, pvalue = ftag_peer.rsa_spearman(rsa_a, rsa_b)
    report.append(f"  rsa (bins {rsa_bins}): upper {rsa_a[np.triu_indices(3, 1)].round(4).tolist()} vs "
                  f"{rsa_b[np.triu_indices(3, 1)].round(4).tolist()}, spearman {rho:.3g}")

    write_json(OUT / "spectra.json", {
        "description": (
            f"Frequency-tagging references for signals.npy {list(data.shape)} (units x samples x trials, float64, "
            f"{RATE:g} Hz, 4 s trials, 0.25 Hz bins; unit 0 tagged at 1 and 2 Hz, unit 1 at 4 Hz, unit 2 at all "
            "three, units 3-4 noise only). 'cases': one file per spectrum estimate (spectra_<case>.json: "
            "frequency, psd, amplitude (fft), snr_spectrum, and snr and z at the tags). 'itpc': the inter-trial "
            "phase coherence spectrum [unit][bin] on the 1000-sample FFT bins and its values at the tags "
            "[unit][tag]. 'rsa': cosine-distance matrices of rsa_conditions.npy and rsa_conditions_b.npy "
            "(3 conditions x 5 units x 1000 samples, one trial) over 0.5-2 Hz and the Spearman correlation of "
            "their strict upper triangles. 'calls': the exact definitions. Non-finite values are null."),
        "script": SCRIPT,
        "peer": "tools/python/ftag_peer.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "mne": mne.__version__,
        "mne_note": "snr_spectrum is the MNE tutorial's function copied into ftag_peer.py, not an MNE API call",
        "signals": "signals.npy",
        "shape": list(data.shape),
        "rate": RATE,
        "seed": SEED,
        "unit_tags": {str(u): f for u, f in UNIT_TAGS.items()},
        "amplitude": AMPLITUDE,
        "noise": NOISE,
        "phases": drawn["phases"],
        "offsets": drawn["offsets"],
        "tags": TAGS,
        "neighbors": NEIGHBORS,
        "skip": SKIP,
        "calls": CALLS,
        "cases": cases,
        "itpc": {"tag_bins": itpc_bins, "frequency": ftag_peer.frequencies(SAMPLES, RATE), "spectrum": itpc,
                 "tags": itpc[:, itpc_bins]},
        "rsa": {"conditions": "rsa_conditions.npy", "conditions_b": "rsa_conditions_b.npy",
                "seeds": [RSA_SEED, RSA_SEED_B], "noise": RSA_NOISE, "rate": RATE, "band": list(RSA_BAND),
                "bins": rsa_bins, "rsa": rsa_a, "rsa_b": rsa_b, "spearman": rho, "spearman_pvalue": pvalue},
    })
    print("\n".join(report))
    # signals.npy is 240 kB by its shape (5 x 1000 x 6 float64); the JSON files stay under 200 kB.
    big = [p.name for p in OUT.glob("*.json") if p.stat().st_size > 200_000]
    if big:
        raise SystemExit(f"JSON files over 200 kB: {big}")
    written = sorted(p.name for p in OUT.iterdir() if p.name != "README.md")
    print(f"wrote {OUT.relative_to(ROOT)}/: " + ", ".join(written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
