#!/usr/bin/env python3
"""Writes the input arrays of the frequency-tagging benchmark (Benchmarks/ftag/bench.py).

    .venv/bin/python Benchmarks/ftag/make_data.py Benchmarks/.data/ftag

Two seeded float64 C-order arrays (NPY 1.0, little-endian):

    welch_64x300s.npy    64 channels x 300,000 samples (300 s at 1000 Hz), 154 MB
    hftp_4096x1024.npy   4096 units x 1024 samples (one 4 s trial at 256 Hz), 34 MB

Both: rng = numpy.random.default_rng([seed, i]) for the i-th array (i = 0, 1); Gaussian noise
rng.standard_normal(shape), then on every 4th row (rows 0, 4, 8, ...) sinusoids at 1, 2 and 4 Hz of
amplitude 0.2 and phases rng.uniform(0, 2*pi, (rows, 3)) drawn after the noise, so that the spectra
have peaks at the tags; welch_64x300s also gets a DC offset per channel rng.uniform(-50, 50) (drawn
last), which Welch's per-segment mean removal takes out. Files already there with the same parameters
(OUTDIR/benchmark_data.json) are kept. A few seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

SEED = 2027
FORMAT_VERSION = 1
TAGS = (1.0, 2.0, 4.0)
AMPLITUDE = 0.2
# name, shape, rate, DC offsets
ARRAYS = [("welch_64x300s", (64, 300_000), 1000.0, True), ("hftp_4096x1024", (4096, 1024), 256.0, False)]


def make(outdir: Path, index: int, name: str, shape, rate: float, offsets: bool, seed: int) -> str:
    start = time.perf_counter()
    rng = np.random.default_rng([seed, index])
    x = rng.standard_normal(shape)
    tagged = np.arange(0, shape[0], 4)
    phases = rng.uniform(0, 2 * math.pi, (shape[0], len(TAGS)))
    t = np.arange(shape[1]) / rate
    for r in tagged:
        for j, f in enumerate(TAGS):
            x[r] += AMPLITUDE * np.cos(2 * math.pi * f * t + phases[r, j])
    if offsets:
        x += rng.uniform(-50, 50, (shape[0], 1))
    tmp = outdir / f"{name}.npy.part"
    with open(tmp, "wb") as f:
        np.save(f, np.ascontiguousarray(x, dtype=np.float64))
    tmp.replace(outdir / f"{name}.npy")
    return (f"{outdir / name}.npy: {' x '.join(map(str, shape))} at {rate:g} Hz, {x.nbytes / 1e6:.0f} MB, "
            f"written in {time.perf_counter() - start:.1f} s")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir", help="folder for the arrays (created if missing)")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = p.parse_args(argv)
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    params = {"format_version": FORMAT_VERSION, "seed": args.seed, "tags": list(TAGS), "amplitude": AMPLITUDE,
              "arrays": [{"name": n, "shape": list(s), "rate": r, "offsets": o} for n, s, r, o in ARRAYS]}
    sidecar = outdir / "benchmark_data.json"
    try:
        if json.loads(sidecar.read_text()) == params and all(
                (outdir / f"{a['name']}.npy").is_file() for a in params["arrays"]):
            print(f"{outdir}: already there with the same parameters, kept")
            return 0
    except (OSError, ValueError):
        pass
    sidecar.unlink(missing_ok=True)
    for index, (name, shape, rate, offsets) in enumerate(ARRAYS):
        print(make(outdir, index, name, shape, rate, offsets, args.seed), flush=True)
    sidecar.write_text(json.dumps(params, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
