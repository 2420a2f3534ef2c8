#!/usr/bin/env python3
"""Writes the input tensors of the NTF benchmark (Benchmarks/ntf/bench.py).

    .venv/bin/python Benchmarks/ntf/make_data.py Benchmarks/.data/ntf

Three seeded float64 C-order tensors, each a planted non-negative rank-R CP tensor plus 5 % noise,
with a matching init file (neurotool's `--init FILE` format, also what bench.py hands TensorLy):

    t40x40x60x4_r5.npy      40 x 40 x 60 x 4,  rank 5    (384,000 values,   3 MB)
    t100x100x200_r10.npy    100 x 100 x 200,   rank 10   (2,000,000 values, 16 MB)
    t200x200x400_r15.npy    200 x 200 x 400,   rank 15   (16,000,000 values, 128 MB)
    NAME_init.h5            datasets factor0, factor1, ... of shape (I_k, R), uniform [0, 1)

Tensor: rng = numpy.random.default_rng([seed, i]) for the i-th tensor (i = 0, 1, 2); planted
factors rng.random((I_k, R)) in mode order (uniform [0, 1)), the full tensor T0 = sum of their
outer products, then noise N = abs(rng.standard_normal(shape)) scaled so that
||N|| = 0.05 * ||T0|| (Frobenius), T = T0 + N. Init: rng = default_rng([seed, i, 1]),
factor_k = rng.random((I_k, R)). Files already there with the same parameters
(OUTDIR/benchmark_data.json) are kept. A few seconds, 147 MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("ntf_peer", ROOT / "tools" / "python" / "ntf_peer.py")
ntf_peer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ntf_peer)

SEED = 2026
NOISE = 0.05
FORMAT_VERSION = 1
TENSORS = [((40, 40, 60, 4), 5), ((100, 100, 200), 10), ((200, 200, 400), 15)]


def name_of(shape, rank: int) -> str:
    return "t" + "x".join(str(n) for n in shape) + f"_r{rank}"


def make(outdir: Path, index: int, shape, rank: int, seed: int) -> str:
    name = name_of(shape, rank)
    start = time.perf_counter()
    rng = np.random.default_rng([seed, index])
    clean, _ = ntf_peer.planted(shape, rank, rng)
    noise = np.abs(rng.standard_normal(shape))
    noise *= NOISE * np.linalg.norm(clean) / np.linalg.norm(noise)
    clean += noise
    del noise
    tmp = outdir / f"{name}.npy.part"
    with open(tmp, "wb") as f:
        np.save(f, np.ascontiguousarray(clean, dtype=np.float64))
    tmp.replace(outdir / f"{name}.npy")
    init_rng = np.random.default_rng([seed, index, 1])
    ntf_peer.write_init(outdir / f"{name}_init.h5", [init_rng.random((n, rank)) for n in shape])
    return (f"{outdir / name}.npy: {' x '.join(map(str, shape))}, rank {rank}, "
            f"{clean.nbytes / 1e6:.0f} MB, written in {time.perf_counter() - start:.1f} s")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir", help="folder for the tensors and init files (created if missing)")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = p.parse_args(argv)
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    params = {"format_version": FORMAT_VERSION, "seed": args.seed, "noise": NOISE,
              "tensors": [{"name": name_of(s, r), "shape": list(s), "rank": r} for s, r in TENSORS]}
    sidecar = outdir / "benchmark_data.json"
    try:
        if json.loads(sidecar.read_text()) == params and all(
                (outdir / f"{t['name']}{ext}").is_file() for t in params["tensors"] for ext in (".npy", "_init.h5")):
            print(f"{outdir}: already there with the same parameters, kept")
            return 0
    except (OSError, ValueError):
        pass
    sidecar.unlink(missing_ok=True)
    for index, (shape, rank) in enumerate(TENSORS):
        print(make(outdir, index, shape, rank, args.seed), flush=True)
    sidecar.write_text(json.dumps(params, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
