#!/usr/bin/env python3
"""Writes the deterministic synthetic input of the homogenize benchmark.

    .venv/bin/python Benchmarks/homogenize/make_data.py OUTDIR [--worms 40]

One plain HDF5 file per worm (h5py, Flavell 2023 style, read the same way by neurotool and by
python_pipeline.py):

* ``/trace_array``        (N, T) float32, F/F20-like positive traces (neurons x time);
* ``/timestamp_confocal`` (T,) float64 seconds, ~1.7 Hz with 3 % Gaussian jitter (clipped at
  +-25 %, so strictly increasing), starting a fraction of a frame after 0;
* ``/neuron_labels``      (N,) UTF-8 strings: a canonical neuron name
  (Datasets/celegans/canonical_neurons.txt, each at most once per worm) for about half the
  neurons, '' for the rest, in random column order.

Defaults: 40 worms, 140-160 neurons and 5800-6200 samples each (about 140 MB in all). The data
are random smooth processes, not a simulation: only their shape matters for timing.

Files already present with the same parameters (recorded in OUTDIR/benchmark_data.json) are kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import h5py
import numpy as np
from scipy.signal import lfilter

ROOT = Path(__file__).resolve().parents[2]
CANONICAL = ROOT / "Datasets" / "celegans" / "canonical_neurons.txt"
MANIFEST = "benchmark_data.json"
FORMAT_VERSION = 1


def worm_name(k: int) -> str:
    return f"worm{k:02d}.h5"


def make_worm(rng: np.random.Generator, names: list[str], neurons: int, samples: int, rate: float):
    period = 1.0 / rate
    jitter = np.clip(rng.normal(0.0, 0.03 * period, samples), -0.25 * period, 0.25 * period)
    t = rng.uniform(0.1, 0.9) * period + period * np.arange(samples) + jitter
    assert np.all(np.diff(t) > 0)
    # Slow AR(1) drive (time constant 2-20 samples per neuron), rectified into calcium-like transients,
    # plus measurement noise; scaled as F/F20 around 1.
    noise = rng.normal(size=(neurons, samples))
    out = np.empty((neurons, samples), dtype=np.float32)
    for i in range(neurons):
        a = np.exp(-1.0 / rng.uniform(2.0, 20.0))
        x = lfilter([np.sqrt(1 - a * a)], [1.0, -a], noise[i])
        calcium = np.log1p(np.exp(2.0 * x - 1.0))
        f = 1.0 + rng.uniform(0.3, 1.2) * calcium + 0.04 * rng.normal(size=samples)
        out[i] = f / np.percentile(f, 20)
    labeled = rng.permutation(neurons)[: neurons // 2]
    picks = rng.choice(len(names), size=len(labeled), replace=False)
    labels = [""] * neurons
    for column, pick in zip(labeled, picks):
        labels[column] = names[pick]
    return out, t, labels


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir", help="folder for the worm*.h5 files (created if missing)")
    p.add_argument("--worms", type=int, default=40, help="number of worms (default 40)")
    p.add_argument("--neurons", type=int, default=150, help="mean neurons per worm (default 150, +-10)")
    p.add_argument("--samples", type=int, default=6000, help="mean samples per worm (default 6000, +-200)")
    p.add_argument("--rate", type=float, default=1.7, help="sampling rate in Hz (default 1.7)")
    p.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    args = p.parse_args(argv)
    if args.worms < 1 or args.neurons < 12 or args.samples < 800 or not args.rate > 0:
        p.error("need --worms >= 1, --neurons >= 12, --samples >= 800 and a positive --rate")

    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    params = {"format_version": FORMAT_VERSION, "worms": args.worms, "neurons": args.neurons,
              "samples": args.samples, "rate": args.rate, "seed": args.seed}
    manifest = outdir / MANIFEST
    files = [outdir / worm_name(k) for k in range(1, args.worms + 1)]
    if manifest.exists() and all(f.exists() for f in files):
        try:
            old = json.loads(manifest.read_text())
        except ValueError:
            old = None
        if old and old.get("parameters") == params:
            print(f"{outdir}: {args.worms} worms already present ({MANIFEST} matches); nothing to do")
            return 0
    stale = sorted(outdir.glob("worm*.h5"))
    if stale:
        print(f"{outdir}: rewriting ({len(stale)} old worm files, parameters changed or incomplete)")
        for f in stale:
            f.unlink()
    manifest.unlink(missing_ok=True)

    names = [s.strip() for s in CANONICAL.read_text().splitlines() if s.strip()]
    assert len(names) == 300, f"{CANONICAL}: {len(names)} names, expected 300"
    rng = np.random.default_rng(args.seed)
    total = 0
    for path in files:
        neurons = args.neurons + int(rng.integers(-10, 11))
        samples = args.samples + int(rng.integers(-200, 201))
        data, t, labels = make_worm(rng, names, neurons, samples, args.rate)
        with h5py.File(path, "w") as f:
            f.create_dataset("trace_array", data=data)
            f.create_dataset("timestamp_confocal", data=t.astype(np.float64))
            f.create_dataset("neuron_labels", data=labels, dtype=h5py.string_dtype("utf-8"))
        total += path.stat().st_size
    manifest.write_text(json.dumps({"parameters": params, "files": [f.name for f in files],
                                    "bytes": total}, indent=1) + "\n")
    print(f"{outdir}: wrote {len(files)} worms, {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
