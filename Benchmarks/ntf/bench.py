#!/usr/bin/env python3
"""Times `neurotool ntf --solver hals` against TensorLy's non_negative_parafac_hals (and tensortools'
ncp_hals when installed), same tensors, same init, same number of iterations.

    .venv/bin/python Benchmarks/ntf/make_data.py Benchmarks/.data/ntf
    .venv/bin/python Benchmarks/ntf/bench.py --neurotool .build/release/neurotool --data Benchmarks/.data/ntf \
        [--iterations 20] [--repeat 1] [--python-only] [--results FILE]

For each tensor NAME.npy of --data (rank R from the name, `..._rR`), from NAME_init.h5:

* TensorLy (numpy backend, this process): non_negative_parafac_hals(tensor, R, n_iter_max=N,
  init=CPTensor((ones(R), factors)), tol=1e-300, return_errors=True), timed with time.perf_counter
  around the call; s/iteration = total / N; final relative error = the last of TensorLy's errors.
* tensortools (if importable; `pip install -r Benchmarks/ntf/requirements-optional.txt`):
  ncp_hals(tensor, R, init=KTensor(factors), max_iter=N-1, tol=-inf, verbose=False) (tensortools
  runs max_iter + 1 iterations; a negative tol never stops it early), timed the same way. It is another HALS variant (3 inner sweeps,
  no epsilon floor), so its errors differ somewhat from TensorLy's.
* neurotool, its own child process: `NEUROTOOL ntf NAME.npy -o OUT.nc --rank R --solver hals
  --iterations N --tol 0 --init NAME_init.h5 --seed 0 --record-timing -q`; then OUT.nc's root attributes
  `fit_seconds` (wall time of the fit itself) and `iterations`, and its scalar variable
  `relative_error`; s/iteration = fit_seconds / iterations. The wall time of the whole command
  (start-up, reading, writing) and the child's peak memory are reported beside it.

Before the first tensor, one small untimed call of each peer (TensorLy's lazy set-up, tensortools'
numba compilation). Times are the best of --repeat runs (default 1). Prints one Markdown table per tensor (tool,
iterations, fit seconds, s/iteration, final relative error, s/iteration ÷ neurotool's) after the
machine (CPU model, nproc, RAM) and the BLAS thread settings, and the difference between
neurotool's and TensorLy's final errors (same algorithm and init: a fast but wrong run shows).
--python-only skips neurotool. Exits 1 with a one-line message if neurotool fails or writes no
usable output.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
from common import BenchError, Report, best_of, blas_threads, load, machine, main_with, parser, require_executable, run_child  # noqa: E402


ntf_peer = load("ntf_peer", ROOT / "tools" / "python" / "ntf_peer.py")

TOL = 1e-300
NAME = re.compile(r"^t[0-9x]+_r([0-9]+)$")


def inputs(data: Path) -> list[tuple[Path, Path, int]]:
    """(tensor, init, rank) for each NAME.npy with a NAME_init.h5 beside it, smallest first."""
    found = []
    for tensor in data.glob("*.npy"):
        m = NAME.match(tensor.stem)
        init = tensor.with_name(tensor.stem + "_init.h5")
        if m and init.is_file():
            found.append((tensor, init, int(m.group(1))))
    if not found:
        raise BenchError(f"--data {data}: no tNxN..._rR.npy with a _init.h5 beside it "
                         f"(run Benchmarks/ntf/make_data.py {data} first)")
    return sorted(found, key=lambda t: t[0].stat().st_size)


def tensorly_hals(tensor, init, rank: int, iterations: int) -> tuple[float, int, float]:
    """(seconds, iterations, final relative error) of one TensorLy call."""
    import numpy as np
    from tensorly.cp_tensor import CPTensor
    from tensorly.decomposition import non_negative_parafac_hals

    cp_init = CPTensor((np.ones(rank), [a.copy() for a in init]))
    start = time.perf_counter()
    _, errors = non_negative_parafac_hals(tensor, rank, n_iter_max=iterations, init=cp_init, tol=TOL,
                                          return_errors=True)
    seconds = time.perf_counter() - start
    if not errors:
        raise BenchError("TensorLy recorded no errors")
    return seconds, len(errors), float(errors[-1])


def tensortools_module():
    try:
        import tensortools
        return tensortools
    except Exception as e:  # noqa: BLE001 - ImportError, or numba failing at import
        return f"{type(e).__name__}: {e}" if not isinstance(e, ModuleNotFoundError) else None


def tensortools_hals(tt, tensor, init, rank: int, iterations: int) -> tuple[float, int, float]:
    import numpy as np

    u = tt.KTensor([a.copy() for a in init])
    start = time.perf_counter()
    result = tt.ncp_hals(tensor, rank, init=u, max_iter=iterations - 1, tol=-np.inf, verbose=False)
    seconds = time.perf_counter() - start
    return seconds, len(result.obj_hist), float(result.obj_hist[-1])


def warm_up(tt) -> None:
    """One small untimed call of each peer: TensorLy's first call pays for lazy set-up, tensortools'
    compiles its numba kernel (and warns about non-contiguous arrays while doing so)."""
    import warnings

    import numpy as np

    rng = np.random.default_rng(0)
    small = rng.random((4, 4, 4))
    init = [rng.random((4, 2)) for _ in range(3)]
    tensorly_hals(small, init, 2, 2)
    if tt is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tt.ncp_hals(small, 2, init=tt.KTensor([a.copy() for a in init]), max_iter=1, verbose=False)


def neurotool_hals(tool: Path, tensor: Path, init: Path, rank: int, iterations: int, out: Path):
    """(fit seconds, iterations, final relative error, command wall seconds, peak MB) of one run."""
    import netCDF4
    import numpy as np

    argv = [str(tool.resolve()), "ntf", str(tensor), "-o", str(out), "--rank", str(rank), "--solver", "hals",
            "--iterations", str(iterations), "--tol", "0", "--init", str(init), "--seed", "0", "--record-timing", "-q"]
    try:
        wall, peak = run_child(argv, out, f"neurotool ntf on {tensor.name}")
    except BenchError as e:
        raise BenchError(f"{e} (command: {' '.join(argv[1:])}; does this neurotool have the ntf command?)") from None
    try:
        with netCDF4.Dataset(out) as nc:
            missing = [a for a in ("fit_seconds", "iterations") if a not in nc.ncattrs()]
            if missing or "relative_error" not in nc.variables:
                raise BenchError(f"neurotool ntf output {out.name} lacks "
                                 + ", ".join([f"root attribute {a}" for a in missing]
                                             + ([] if "relative_error" in nc.variables else ["variable relative_error"])))
            fit = float(nc.getncattr("fit_seconds"))
            done = int(nc.getncattr("iterations"))
            error = float(np.asarray(nc.variables["relative_error"][:], dtype=np.float64).reshape(-1)[-1])
    except OSError as e:
        raise BenchError(f"cannot read neurotool's output {out}: {e}") from None
    if done < 1 or not fit > 0:
        raise BenchError(f"neurotool ntf output {out.name}: iterations {done}, fit_seconds {fit}")
    return fit, done, error, wall, peak


def versions(tt) -> str:
    import numpy as np
    import tensorly

    text = f"TensorLy {tensorly.__version__} (numpy backend), NumPy {np.__version__}"
    if tt is not None and not isinstance(tt, str):
        from importlib.metadata import version

        text += f", tensortools {version('tensortools')} (numba {version('numba')})"
    return text


def seconds(x: float) -> str:
    return f"{x:.3g}"


def main(argv=None) -> int:
    p = parser(__doc__, repeat=1)
    p.add_argument("--iterations", type=int, default=20, help="HALS iterations per run (default 20)")
    p.add_argument("--only", help="only tensors whose name contains this text")
    return main_with(p, bench, argv)


def bench(args) -> int:
    import numpy as np
    import tensorly as tl

    emit = Report()
    tool = None if args.python_only else require_executable(args.neurotool)
    if args.iterations < 1 or args.repeat < 1:
        raise BenchError("--iterations and --repeat must be at least 1")
    data = inputs(Path(args.data))
    if args.only:
        data = [d for d in data if args.only in d[0].stem]
        if not data:
            raise BenchError(f"--only {args.only}: no tensor of --data {args.data} has that in its name")
    tl.set_backend("numpy")
    tt = tensortools_module()
    emit("# ntf benchmark: non-negative CP (HALS)\n")
    for line in machine():
        emit(line)
    emit(f"- BLAS threads: {blas_threads()}")
    emit(f"- Peers: {versions(tt)}")
    if tt is None:
        emit("- tensortools: not installed")
    elif isinstance(tt, str):
        emit(f"- tensortools: not usable ({tt})")
        tt = None
    warm_up(tt)
    emit(f"- {args.iterations} iterations from the same init file, best of {args.repeat} run(s); "
         "s/iteration = fit time / iterations; ratio = tool's s/iteration ÷ neurotool's "
         "(above 1: neurotool is faster)")
    work = Path(tempfile.mkdtemp(prefix="neurotool-ntf-bench-"))
    try:
        for tensor_path, init_path, rank in data:
            tensor = np.load(tensor_path)
            init = ntf_peer.read_init(init_path, rank)
            if len(init) != tensor.ndim or any(a.shape[0] != n for a, n in zip(init, tensor.shape)):
                raise BenchError(f"{init_path}: factor shapes {[a.shape for a in init]} do not fit {tensor.shape}")
            shape = " × ".join(map(str, tensor.shape))
            emit(f"\n## {tensor_path.name}: {shape}, rank {rank} ({tensor.nbytes / 1e6:.0f} MB float64)\n")
            rows = []  # (tool, iterations, fit seconds, final error)
            tly = best_of(args.repeat, lambda: tensorly_hals(tensor, init, rank, args.iterations))
            rows.append(("TensorLy non_negative_parafac_hals", tly[1], tly[0], tly[2]))
            if tt is not None:
                ttr = best_of(args.repeat, lambda: tensortools_hals(tt, tensor, init, rank, args.iterations))
                rows.append(("tensortools ncp_hals (same init)", ttr[1], ttr[0], ttr[2]))
            nt = None
            if tool is not None:
                out = work / f"{tensor_path.stem}.nc"
                nt = best_of(args.repeat, lambda: neurotool_hals(tool, tensor_path, init_path, rank,
                                                                 args.iterations, out))
                rows.append(("neurotool ntf --solver hals", nt[1], nt[0], nt[2]))
            del tensor
            nt_per_it = nt[0] / nt[1] if nt else None
            emit("| tool | iterations | fit (s) | s/iteration | final relative error | ratio |")
            emit("| --- | ---: | ---: | ---: | ---: | ---: |")
            for name, its, secs, err in rows:
                per_it = secs / its
                ratio = f"{per_it / nt_per_it:.2f}" if nt_per_it else "—"
                emit(f"| {name} | {its} | {seconds(secs)} | {seconds(per_it)} | {err:.6g} | {ratio} |")
            emit()
            if nt:
                emit(f"neurotool command: {nt[3]:.2f} s wall (fit {nt[0]:.2f} s; the rest is start-up, reading the "
                     f"tensor and writing the output), peak memory {nt[4]:.0f} MB.")
                diff = abs(nt[2] - tly[2])
                emit(f"Final relative error, neurotool − TensorLy: {nt[2] - tly[2]:+.3g} "
                     f"({'agree' if diff <= 1e-6 * max(1.0, tly[2]) else 'DIFFER: check the implementation'}).")
            else:
                emit("neurotool: not run (--python-only).")
            if tt is not None:
                emit("tensortools runs another HALS variant (3 inner sweeps per mode, no epsilon floor), "
                     "so its error differs somewhat from TensorLy's.")
    finally:
        if args.keep:
            print(f"neurotool outputs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.results:
        Path(args.results).write_text("\n".join(emit.lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
