#!/usr/bin/env python3
"""Writes the NTF (non-negative CP tensor factorization) cross-check fixtures of neurotool:
Tests/Fixtures/ntf/.

For each case (`planted3`: 12 x 10 x 8, rank 3; `planted4`: 6 x 5 x 4 x 7, rank 2):

* `<case>.npy`: float64 C-order tensor, a planted non-negative rank-R CP tensor plus small
  non-negative noise: rng = numpy.random.default_rng(tensor_seed); factors k = 0, 1, ... drawn in
  mode order as rng.random((I_k, R)); tensor = sum_r outer products (weights 1) +
  0.01 * abs(rng.standard_normal(shape)) (drawn after the factors, from the same rng).
* `<case>_init.h5`: the initial factors, datasets `factor0`, `factor1`, ... of shape (I_k, R),
  rng = default_rng(init_seed), rng.random((I_k, R)) in mode order (neurotool's `--init FILE` format).
* `<case>_tensorly.json`: what TensorLy 0.10.0 (numpy backend) returns for 30 iterations from
  init=CPTensor((ones(R), copies of the init factors)), tol=1e-300, return_errors=True, for the runs
  hals, hals_sparse (sparsity_coefficients=[0.05, None, ...]), hals_fixed0 (fixed_modes=[0]),
  hals_nn01 (nn_modes=[0, 1]), mu (non_negative_parafac) and als (parafac, linesearch=False,
  normalize_factors=False). Each run holds `errors` (relative error after each iteration, as
  TensorLy records it), `weights` and `factors` (factor k flattened row-major), unnormalised.

The TensorLy calls are tools/python/ntf_peer.py's `fit` (the live peer runs the same code).
Run from the repository root:

    .venv/bin/python tools/python/make_ntf_fixtures.py

Deterministic (fixed seeds, HDF5 written without timestamps): two runs give identical bytes on the
same machine (TensorLy's results may differ in the last bits with another BLAS). Floats are written
with Python's repr (json.dump of Python floats): they parse back to the same doubles. Nothing here
is used by neurotool at run time.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import numpy as np
import tensorly

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ntf_peer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "ntf"
SCRIPT = "tools/python/make_ntf_fixtures.py"
ITERATIONS = 30
NOISE = 0.01
TOL = 1e-300
FIXED_TOL = -1.0  # hals_fixed0 only, see runs_for

# name, shape, rank, tensor seed, init seed
CASES = [
    ("planted3", (12, 10, 8), 3, 20251203, 20251204),
    ("planted4", (6, 5, 4, 7), 2, 20251205, 20251206),
]


def runs_for(ndim: int) -> dict:
    """name -> (solver, keyword arguments of ntf_peer.fit, the TensorLy call as text)."""
    sparsity = [0.05] + [None] * (ndim - 1)
    common = f"n_iter_max={ITERATIONS}, init=CPTensor((np.ones(rank), init_factors)), tol=1e-300, return_errors=True"
    hals = f"tensorly.decomposition.non_negative_parafac_hals(tensor, rank, {common}"
    return {
        "hals": ("hals", {}, hals + ")"),
        "hals_sparse": ("hals", {"sparsity": sparsity}, hals + f", sparsity_coefficients={sparsity})"),
        # With mode 0 held at its random start the fit reaches a fixed point within ~26 iterations:
        # two consecutive errors are then the same double, and any positive tol stops TensorLy there.
        # A negative tol never stops it (|decrease| < tol is never true) and still records errors.
        "hals_fixed0": ("hals", {"fixed_modes": [0], "tol": FIXED_TOL},
                        hals.replace("tol=1e-300", f"tol={FIXED_TOL}") + ", fixed_modes=[0])"),
        "hals_nn01": ("hals", {"nn_modes": [0, 1]}, hals + ", nn_modes=[0, 1])"),
        "mu": ("mu", {}, f"tensorly.decomposition.non_negative_parafac(tensor, rank, {common})"),
        "als": ("als", {}, f"tensorly.decomposition.parafac(tensor, rank, {common}, linesearch=False, "
                           "normalize_factors=False)"),
    }


def write_json(path: Path, obj: dict) -> None:
    """One top-level key per line and one run per line (short diffs), floats as Python reprs."""
    lines = ["{"]
    items = list(obj.items())
    for i, (key, value) in enumerate(items):
        sep = "," if i < len(items) - 1 else ""
        if key == "runs":
            lines.append(f"{json.dumps(key)}: {{")
            runs = list(value.items())
            for j, (name, run) in enumerate(runs):
                rsep = "," if j < len(runs) - 1 else ""
                lines.append(f" {json.dumps(name)}: {json.dumps(run, allow_nan=False)}{rsep}")
            lines.append("}" + sep)
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, allow_nan=False)}{sep}")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


def make_case(name: str, shape, rank: int, tensor_seed: int, init_seed: int) -> list[str]:
    rng = np.random.default_rng(tensor_seed)
    clean, _ = ntf_peer.planted(shape, rank, rng)
    tensor = np.ascontiguousarray(clean + NOISE * np.abs(rng.standard_normal(shape)), dtype=np.float64)
    init_rng = np.random.default_rng(init_seed)
    init = [init_rng.random((n, rank)) for n in shape]

    np.save(OUT / f"{name}.npy", tensor)
    ntf_peer.write_init(OUT / f"{name}_init.h5", init)
    # What neurotool will read back is what was computed here.
    assert np.array_equal(np.load(OUT / f"{name}.npy"), tensor)
    assert all(np.array_equal(a, b) for a, b in zip(ntf_peer.read_init(OUT / f"{name}_init.h5", rank), init))

    runs, report = {}, []
    for run, (solver, options, call) in runs_for(len(shape)).items():
        init_copy = [a.copy() for a in init]
        options = {"tol": TOL, **options}
        cp, errors = ntf_peer.fit(tensor, rank, ITERATIONS, solver, init_copy, **options)
        assert all(np.array_equal(a, b) for a, b in zip(init_copy, init)), f"{name}/{run}: TensorLy changed the init"
        result = ntf_peer.result_json(cp, errors)
        e = result["errors"]
        if len(e) != ITERATIONS:
            raise SystemExit(f"{name}/{run}: TensorLy returned {len(e)} errors, expected {ITERATIONS}")
        if not e[-1] < e[0]:
            raise SystemExit(f"{name}/{run}: error did not decrease ({e[0]} -> {e[-1]})")
        # The recorded error is TensorLy's own formula; check it against the returned model.
        direct = float(np.linalg.norm(tensor - tensorly.cp_to_tensor(cp)) / np.linalg.norm(tensor))
        if abs(direct - e[-1]) > 1e-8:
            raise SystemExit(f"{name}/{run}: last recorded error {e[-1]} but the model's is {direct}")
        rises = sum(1 for a, b in zip(e, e[1:]) if b > a * (1 + 1e-12))
        runs[run] = {"call": call, "tol": options["tol"], **result}
        report.append(f"  {run:12s} error {e[0]:.4g} -> {e[-1]:.6g} (model {direct:.6g}), "
                      f"{rises} rise(s) over {ITERATIONS} iterations")
    if not runs["hals"]["errors"][-1] < 0.1:
        raise SystemExit(f"{name}: HALS ends at relative error {runs['hals']['errors'][-1]}, expected < 0.1")

    noise_rel = float(np.linalg.norm(tensor - clean) / np.linalg.norm(tensor))
    write_json(OUT / f"{name}_tensorly.json", {
        "description": (f"TensorLy {tensorly.__version__} (numpy backend) on {name}.npy {list(shape)}, rank {rank}, "
                        f"{ITERATIONS} iterations from {name}_init.h5 as CPTensor((ones(rank), factors)); "
                        "errors[i] = relative error after iteration i+1 as TensorLy records it; weights and "
                        "factors exactly as returned (unnormalised); factors[k] = factor k (I_k x rank) "
                        "flattened row-major. The planted model explains all but "
                        f"{noise_rel:.4g} of the tensor (relative norm of the noise)."),
        "script": SCRIPT,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "tensorly": tensorly.__version__,
        "tensor": f"{name}.npy",
        "init": f"{name}_init.h5",
        "shape": list(shape),
        "rank": rank,
        "iterations": ITERATIONS,
        "tol": TOL,
        "tensor_seed": tensor_seed,
        "init_seed": init_seed,
        "noise": f"{NOISE} * abs(standard_normal)",
        "runs": runs,
    })
    return [f"{name}: {list(shape)} rank {rank}, noise {noise_rel:.3g} of the tensor's norm", *report]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        print("\n".join(make_case(*case)))
    print(f"wrote {OUT.relative_to(ROOT)}/: " + ", ".join(sorted(p.name for p in OUT.iterdir() if p.name != "README.md")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
