#!/usr/bin/env python3
"""Writes the input of the GLM-HMM benchmark (Benchmarks/glmhmm/bench.py).

    .venv/bin/python Benchmarks/glmhmm/make_data.py Benchmarks/.data/glmhmm

Seeded counts drawn from the model `neurotool glmhmm` fits (Poisson, softplus link, 5-bin exponential
history; numpy_em.py's `simulate`), K = 4 states, N = 20 neurons, 20 sequences x 2000 bins:

    bench.npy     int64 C-order (20, 2000, 20), sequences x time x neurons, 6.4 MB
    names.txt     unit0 ... unit19, one per line (the names neurotool gives a 3-D array's neurons)
    truth.json    the planted model (initial, transition, weights K x N x (1 + N)) and the true states

The planted model, rng = numpy.random.default_rng([seed, part]):

* shared coupling (part 0): each ordered pair m != n coupled with probability DENSITY, strength
  U(0.5, 1.5) with the sign of the presynaptic neuron m (excitatory with probability 0.5, Dale's
  principle), then scaled by c = GAIN / the spectral radius of its excitatory (positive) part, the
  rule of Datasets/glmhmm/generate.py (softplus is 1-Lipschitz: the excitatory loops alone stay
  bounded below 1);
* states (part 1): per state, 5 random neurons aim at 1.0 counts per bin, 5 others at 0.1, the rest
  at 0.3 (bias = softplus^-1(rate) + N(0, 0.2^2)), and 6 state-specific deviations of
  +-0.5 max|W_shared| at random off-diagonal entries; transitions 0.98 on the diagonal, 0.02/3
  elsewhere; initial distribution uniform;
* simulation (part 2): numpy_em.simulate.

The script checks that every neuron's mean count is within 0.05-2 per bin and no count exceeds 50
(with seed 2030: 0.107-1.06, mean 0.45, largest 10).
Files already there with the same parameters (OUTDIR/benchmark_data.json) are kept. About a second.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("numpy_em", HERE / "numpy_em.py")
numpy_em = importlib.util.module_from_spec(_spec)
sys.modules["numpy_em"] = numpy_em  # its dataclasses look their module up
_spec.loader.exec_module(numpy_em)

SEED = 2030
FORMAT_VERSION = 1
STATES, NEURONS, SEQUENCES, BINS = 4, 20, 20, 2000
STAY = 0.98
DENSITY = 0.25
GAIN = 1.0
HIGH, LOW, BASE, PER_GROUP = 1.0, 0.1, 0.3, 5
BIAS_JITTER = 0.2
DEVIATIONS, DEVIATION_SIZE = 6, 0.5
MAX_COUNT = 50
MIN_MEAN, MAX_MEAN = 0.05, 2.0


def planted(seed: int) -> numpy_em.Model:
    n, k = NEURONS, STATES
    rng = np.random.default_rng([seed, 0])
    coupled = (rng.random((n, n)) < DENSITY) & ~np.eye(n, dtype=bool)
    sign = np.where(rng.random(n) < 0.5, 1.0, -1.0)
    raw = np.where(coupled, rng.uniform(0.5, 1.5, (n, n)), 0.0) * sign[None, :]
    shared = raw * (GAIN / float(np.max(np.abs(np.linalg.eigvals(np.maximum(raw, 0.0))))))
    rng = np.random.default_rng([seed, 1])
    weights = np.zeros((k, n, n + 1))
    size = DEVIATION_SIZE * np.max(np.abs(shared))
    off_diagonal = np.flatnonzero(~np.eye(n, dtype=bool).ravel())
    for s in range(k):
        rates = np.full(n, BASE)
        order = rng.permutation(n)
        rates[order[:PER_GROUP]] = HIGH
        rates[order[PER_GROUP:2 * PER_GROUP]] = LOW
        weights[s, :, 0] = numpy_em.inverse_softplus(rates) + rng.normal(0.0, BIAS_JITTER, n)
        coupling = shared.copy().ravel()
        picks = rng.choice(off_diagonal, size=DEVIATIONS, replace=False)
        coupling[picks] += np.where(rng.random(DEVIATIONS) < 0.5, -size, size)
        weights[s, :, 1:] = coupling.reshape(n, n)
    return numpy_em.Model(np.full(k, 1.0 / k), numpy_em.sticky_transition(k, STAY), weights)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir", help="folder for the data (created if missing)")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = p.parse_args(argv)
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    params = {"format_version": FORMAT_VERSION, "seed": args.seed, "states": STATES, "neurons": NEURONS,
              "sequences": SEQUENCES, "bins": BINS, "stay": STAY, "density": DENSITY, "gain": GAIN,
              "rates": [HIGH, LOW, BASE, PER_GROUP], "bias_jitter": BIAS_JITTER,
              "deviations": [DEVIATIONS, DEVIATION_SIZE]}
    sidecar = outdir / "benchmark_data.json"
    files = ("bench.npy", "names.txt", "truth.json")
    try:
        if json.loads(sidecar.read_text()) == params and all((outdir / f).is_file() for f in files):
            print(f"{outdir}: already there with the same parameters, kept")
            return 0
    except (OSError, ValueError):
        pass
    sidecar.unlink(missing_ok=True)
    start = time.perf_counter()
    model = planted(args.seed)
    counts, states = numpy_em.simulate(model, SEQUENCES, BINS, np.random.default_rng([args.seed, 2]))
    means = counts.mean(axis=(0, 1))
    if not (means.min() >= MIN_MEAN and means.max() <= MAX_MEAN and counts.max() <= MAX_COUNT):
        raise SystemExit(f"make_data.py: the simulated rates are not sensible (neuron means {means.min():.3f}-"
                         f"{means.max():.3f}, largest count {counts.max()}); lower GAIN")
    tmp = outdir / "bench.npy.part"
    with open(tmp, "wb") as f:
        np.save(f, np.ascontiguousarray(counts, dtype=np.int64))
    tmp.replace(outdir / "bench.npy")
    (outdir / "names.txt").write_text("".join(f"unit{i}\n" for i in range(NEURONS)), encoding="utf-8")
    (outdir / "truth.json").write_text(json.dumps({
        "initial": model.initial.tolist(), "transition": model.transition.tolist(),
        "weights": model.weights.tolist(), "history_filter": numpy_em.PHI.tolist(), "states": states.tolist(),
    }) + "\n", encoding="utf-8")
    sidecar.write_text(json.dumps(params, indent=1) + "\n")
    print(f"{outdir / 'bench.npy'}: {' x '.join(map(str, counts.shape))} int64 (sequences x time x neurons), "
          f"K = {STATES}; mean count {counts.mean():.3f}/bin (neurons {means.min():.3f}-{means.max():.3f}), "
          f"largest {counts.max()}, {100 * (counts == 0).mean():.1f} % zeros, state occupancy "
          + ", ".join(f"{(states == s).mean():.2f}" for s in range(STATES))
          + f"; written in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
