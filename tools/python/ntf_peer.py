#!/usr/bin/env python3
"""TensorLy 0.10.0 as the peer of `neurotool ntf`: runs one factorization and prints its result as JSON.

    .venv/bin/python tools/python/ntf_peer.py TENSOR.npy INIT.h5 RANK ITER SOLVER \
        [--sparsity 0.05,none,none] [--fixed-modes 0] [--nn-modes 0,1] [--tol 1e-300]

TENSOR.npy is a float64 array (any number of modes); INIT.h5 holds the initial factors as datasets
`factor0`, `factor1`, ... of shapes (I_k, RANK) (neurotool's `--init FILE` format). SOLVER is

* `hals`: tensorly.decomposition.non_negative_parafac_hals (inner hals_nnls, 5 sweeps);
* `mu`:   tensorly.decomposition.non_negative_parafac (multiplicative updates);
* `als`:  tensorly.decomposition.parafac (unconstrained CP-ALS, linesearch=False,
          normalize_factors=False).

Each is called with init=CPTensor((ones(RANK), copies of the INIT factors)), n_iter_max=ITER,
tol (default 1e-300: nonzero, or TensorLy records no errors; so small that only an exactly
unchanged error stops early) and return_errors=True, the numpy backend. Prints one line:
{"errors": [relative error after each iteration], "weights": [...], "factors": [[factor k flattened
row-major], ...]}, exactly what TensorLy returns (unnormalised). --sparsity, --fixed-modes and
--nn-modes are passed to the hals solver as sparsity_coefficients, fixed_modes and nn_modes
(fixed_modes also to mu and als). Exit status 1 and {"error": ...} if anything fails.

The helpers here (read_init, write_init, planted, fit, result_json) are also used by
tools/python/make_ntf_fixtures.py and Benchmarks/ntf/. Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings

import numpy as np

SOLVERS = ("hals", "mu", "als")
TOL = 1e-300


def read_init(path, rank: int | None = None) -> list[np.ndarray]:
    """The factors factor0, factor1, ... of an init file (float64, C order), checked for rank."""
    import h5py

    factors = []
    with h5py.File(path, "r") as f:
        k = 0
        while f"factor{k}" in f:
            factors.append(np.ascontiguousarray(f[f"factor{k}"][()], dtype=np.float64))
            k += 1
    if not factors:
        raise ValueError(f"{path}: no dataset factor0")
    for k, a in enumerate(factors):
        if a.ndim != 2 or (rank is not None and a.shape[1] != rank):
            raise ValueError(f"{path}: factor{k} has shape {a.shape}, expected (n, {rank})")
    return factors


def write_init(path, factors) -> None:
    """Writes factors as datasets factor0, factor1, ... (float64; no timestamps, so the bytes are
    the same on every run)."""
    import h5py

    with h5py.File(path, "w") as f:
        for k, a in enumerate(factors):
            f.create_dataset(f"factor{k}", data=np.asarray(a, dtype=np.float64), track_times=False)


def cp_full(factors) -> np.ndarray:
    """The full C-order tensor sum_r factors[0][:, r] x factors[1][:, r] x ... (weights 1)."""
    rank = factors[0].shape[1]
    rest = np.ones((1, rank))
    for a in factors[1:]:
        # Khatri-Rao product, row index (i_1, ..., i_n) in C order.
        rest = (rest[:, None, :] * a[None, :, :]).reshape(-1, rank)
    return (factors[0] @ rest.T).reshape([a.shape[0] for a in factors])


def planted(shape, rank: int, rng: np.random.Generator) -> tuple[np.ndarray, list[np.ndarray]]:
    """A non-negative rank-`rank` CP tensor: factors uniform [0, 1) drawn from rng in mode order
    (rng.random((I_k, rank)) for k = 0, 1, ...), and its full float64 C-order tensor."""
    factors = [rng.random((n, rank)) for n in shape]
    return cp_full(factors), factors


def fit(tensor: np.ndarray, rank: int, iterations: int, solver: str, init_factors, *, tol: float = TOL,
        sparsity=None, fixed_modes=None, nn_modes="all"):
    """Runs TensorLy's `solver` from CPTensor((ones(rank), copies of init_factors)).
    Returns (CPTensor, errors) as TensorLy returns them."""
    import tensorly as tl
    from tensorly.cp_tensor import CPTensor
    from tensorly.decomposition import non_negative_parafac, non_negative_parafac_hals, parafac

    tl.set_backend("numpy")
    init = CPTensor((np.ones(rank), [np.array(a, dtype=np.float64, copy=True) for a in init_factors]))
    with warnings.catch_warnings():
        # TensorLy warns about return_errors' future removal, and (0.10.0) about any sparsity coefficient.
        warnings.simplefilter("ignore")
        if solver == "hals":
            return non_negative_parafac_hals(
                tensor, rank, n_iter_max=iterations, init=init, tol=tol, return_errors=True,
                sparsity_coefficients=None if sparsity is None else list(sparsity),
                fixed_modes=None if fixed_modes is None else list(fixed_modes),
                nn_modes=nn_modes if nn_modes in ("all", None) else list(nn_modes))
        if solver == "mu":
            return non_negative_parafac(
                tensor, rank, n_iter_max=iterations, init=init, tol=tol, return_errors=True,
                fixed_modes=None if fixed_modes is None else list(fixed_modes))
        if solver == "als":
            return parafac(
                tensor, rank, n_iter_max=iterations, init=init, tol=tol, return_errors=True,
                linesearch=False, normalize_factors=False,
                fixed_modes=None if fixed_modes is None else list(fixed_modes))
    raise ValueError(f"unknown solver {solver!r} (one of {', '.join(SOLVERS)})")


def result_json(cp, errors) -> dict:
    """{"errors", "weights", "factors" (each flattened row-major)} as Python floats."""
    weights, factors = cp
    return {"errors": [float(e) for e in errors],
            "weights": [float(w) for w in np.asarray(weights, dtype=np.float64).ravel()],
            "factors": [[float(v) for v in np.asarray(a, dtype=np.float64).ravel(order="C")] for a in factors]}


def _modes(text: str | None):
    if text is None:
        return None
    return [int(s) for s in text.split(",") if s.strip()]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("tensor", help="float64 .npy tensor")
    p.add_argument("init", help="HDF5 file with datasets factor0, factor1, ...")
    p.add_argument("rank", type=int)
    p.add_argument("iterations", type=int, help="n_iter_max")
    p.add_argument("solver", choices=SOLVERS)
    p.add_argument("--sparsity", help="hals: sparsity_coefficients, one per mode, e.g. 0.05,none,none")
    p.add_argument("--fixed-modes", help="fixed_modes, e.g. 0 or 0,1")
    p.add_argument("--nn-modes", help="hals: nn_modes, e.g. 0,1 ('all' is the default, 'none' for none)")
    p.add_argument("--tol", type=float, default=TOL, help=f"tol (default {TOL:g}; 0 records no errors)")
    args = p.parse_args(argv)
    try:
        tensor = np.ascontiguousarray(np.load(args.tensor), dtype=np.float64)
        init = read_init(args.init, args.rank)
        if len(init) != tensor.ndim or any(a.shape[0] != n for a, n in zip(init, tensor.shape)):
            raise ValueError(f"{args.init}: factor shapes {[a.shape for a in init]} do not fit tensor {tensor.shape}")
        sparsity = None
        if args.sparsity is not None:
            sparsity = [None if s.strip().lower() == "none" else float(s) for s in args.sparsity.split(",")]
        nn_modes = "all"
        if args.nn_modes is not None:
            nn_modes = args.nn_modes if args.nn_modes in ("all",) else (
                None if args.nn_modes == "none" else _modes(args.nn_modes))
        cp, errors = fit(tensor, args.rank, args.iterations, args.solver, init, tol=args.tol,
                         sparsity=sparsity, fixed_modes=_modes(args.fixed_modes), nn_modes=nn_modes)
        print(json.dumps(result_json(cp, errors), allow_nan=False))
    except Exception as e:  # noqa: BLE001 - one JSON line for the calling test
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
