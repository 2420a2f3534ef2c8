#!/usr/bin/env python3
"""Times `neurotool ftag` against SciPy's Welch and a NumPy HFTP permutation test on the same arrays.

    .venv/bin/python Benchmarks/ftag/make_data.py Benchmarks/.data/ftag
    .venv/bin/python Benchmarks/ftag/bench.py --neurotool .build/release/neurotool --data Benchmarks/.data/ftag \
        [--repeat 3] [--hftp-repeat 1] [--permutations 1000] [--python-only] [--results FILE]

Two cases, on the arrays make_data.py writes:

* welch, welch_64x300s.npy (64 channels x 300,000 samples, 1000 Hz): SciPy
  scipy.signal.welch(x, fs=1000, nperseg=1000, axis=-1) in this process (Hann, 50 % overlap, mean
  removed per segment), timed with time.perf_counter around the call; neurotool in its own process:
  `NEUROTOOL ftag welch_64x300s.npy --rate 1000 --tags 1,2,4 --method welch --nperseg 1000
  --permutations 0 --record-timing -q -o OUT.nc`, its time the root attribute `spectra_seconds` of
  OUT.nc, the wall time of the whole command (start-up, reading, writing) and its peak memory beside it.
* hftp, hftp_4096x1024.npy (4096 units x 1024 samples, one trial, 256 Hz), tags 1, 2, 4 Hz (bins 4, 8,
  16): the HFTP permutation test with --permutations (1000) permutations. NumPy, two ways, each timed
  from drawing the permutations (rng = default_rng(0), rng.permutation(1024) each) to the thresholds
  (numpy.percentile(null, 95)) and p-values ((1 + #null >= obs) / (1 + P)):
  - rfft per permutation, vectorised over units (tools/python/ftag_peer.py's hftp_null:
    np.abs(np.fft.rfft(x[:, perm], axis=1)[:, bins]));
  - the same null from one BLAS product per batch of 250 permutations: permuting a series' samples
    permutes the rows of the Fourier matrix, so x @ [E_perm1 | E_perm2 | ...] (cosine and sine rows of
    the tag bins) gives every unit's null amplitudes (checked equal to the rfft null to 1e-9).
  neurotool: `NEUROTOOL ftag hftp_4096x1024.npy --rate 256 --tags 1,2,4 --method fft --permutations
  1000 --record-timing -q -o OUT.nc`, its time the root attribute `permutation_seconds`.

neurotool runs first, before this process loads the arrays (on Linux a child's ru_maxrss includes its
parent's peak; this script's own is printed as a floor). Before timing the peers, one small untimed
call of each (lazy set-up). Times are the best of
--repeat runs (welch, default 3) and --hftp-repeat runs (hftp, default 1: the rfft peer takes about a
minute). Prints Markdown tables (tool, seconds, wall, ratio = tool's seconds ÷ neurotool's; above 1:
neurotool is faster) after the machine (CPU model, nproc, RAM), the BLAS thread settings and the
versions. Afterwards neurotool's output is compared where it holds the same quantity: `psd` against
SciPy's Welch, `hftp_amplitude` against the observed amplitudes, `hftp_threshold` against NumPy's
(other permutations, so only statistically). --python-only skips neurotool. Exits 1 with a one-line
message if neurotool fails or writes no usable output.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
from common import BenchError, Report, best_of, blas_threads, load, machine, main_with, parser, require_executable, run_child  # noqa: E402


ftag_peer = load("ftag_peer", ROOT / "tools" / "python" / "ftag_peer.py")

WELCH = ("welch_64x300s.npy", 1000.0, 1000)  # file, rate, nperseg
HFTP = ("hftp_4096x1024.npy", 256.0)  # file, rate
TAGS = (1.0, 2.0, 4.0)
BATCH = 250




def scipy_welch(x, rate: float, nperseg: int):
    """(seconds, psd) of one scipy.signal.welch call."""
    import scipy.signal

    start = time.perf_counter()
    _, psd = scipy.signal.welch(x, fs=rate, nperseg=nperseg, axis=-1)
    return time.perf_counter() - start, psd


def draw_permutations(count: int, n: int):
    import numpy as np

    rng = np.random.default_rng(0)
    return np.stack([rng.permutation(n) for _ in range(count)])


def null_blas(x, bins, perms, batch: int = BATCH):
    """units x tags x P null amplitudes |sum_t x[perm[t]] e^{-2 pi i k t / n}| by BLAS products:
    x[:, perm] @ F.T = x @ F.T[argsort(perm)] (F: cosine and -sine rows of the tag bins)."""
    import numpy as np

    n = x.shape[1]
    k = np.asarray(bins)[:, None]
    angle = 2 * np.pi * ((k * np.arange(n)[None, :]) % n) / n
    basis = np.empty((n, 2 * len(bins)))  # F.T: column 2j cosine, 2j+1 -sine of tag j
    basis[:, 0::2], basis[:, 1::2] = np.cos(angle).T, -np.sin(angle).T
    null = np.empty((x.shape[0], len(bins), perms.shape[0]))
    for start in range(0, perms.shape[0], batch):
        block = perms[start:start + batch]
        e = np.concatenate([basis[np.argsort(p)] for p in block], axis=1)  # n x (2 tags B)
        y = (x @ e).reshape(x.shape[0], len(block), len(bins), 2)
        null[:, :, start:start + len(block)] = np.hypot(y[..., 0], y[..., 1]).transpose(0, 2, 1)
    return null


def numpy_hftp(x, bins, count: int, blas: bool):
    """(seconds, obs, threshold, pvalue, null) of one HFTP test, timed from drawing the permutations."""
    import numpy as np

    start = time.perf_counter()
    perms = draw_permutations(count, x.shape[1])
    obs = ftag_peer.hftp_observed(x, bins)
    null = null_blas(x, bins, perms) if blas else ftag_peer.hftp_null(x, bins, perms)
    threshold = np.percentile(null, 95, axis=-1)
    pvalue = (1 + (null >= obs[..., None]).sum(axis=-1)) / (1 + count)
    return time.perf_counter() - start, obs, threshold, pvalue, null


def warm_up() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    small = rng.standard_normal((4, 512))
    scipy_welch(small, 256.0, 128)
    numpy_hftp(small, [4, 8], 3, False)
    numpy_hftp(small, [4, 8], 3, True)


def neurotool_ftag(tool: Path, data: Path, rate: float, args: list[str], out: Path, attribute: str):
    """(attribute seconds, command wall seconds, peak MB) of one `neurotool ftag` run."""
    import netCDF4

    argv = [str(tool.resolve()), "ftag", str(data), "--rate", f"{rate:g}", "--tags", ",".join(f"{f:g}" for f in TAGS),
            *args, "--record-timing", "-q", "-o", str(out)]
    try:
        wall, peak = run_child(argv, out, f"neurotool ftag on {data.name}")
    except BenchError as e:
        raise BenchError(f"{e} (command: {' '.join(argv[1:])}; does this neurotool have the ftag command?)") from None
    try:
        with netCDF4.Dataset(out) as nc:
            if attribute not in nc.ncattrs():
                raise BenchError(f"neurotool ftag output {out.name} lacks root attribute {attribute} "
                                 "(was it run with --record-timing?)")
            seconds = float(nc.getncattr(attribute))
    except OSError as e:
        raise BenchError(f"cannot read neurotool's output {out}: {e}") from None
    if not seconds > 0:
        raise BenchError(f"neurotool ftag output {out.name}: {attribute} = {seconds}")
    return seconds, wall, peak


def read_variable(path: Path, name: str):
    """A variable of neurotool's output as float64, or None when it has none of that name."""
    import netCDF4
    import numpy as np

    with netCDF4.Dataset(path) as nc:
        if name not in nc.variables:
            return None
        return np.ma.filled(nc.variables[name][:].astype(np.float64), np.nan)


def compare(label: str, ours, theirs, scale_axis=None) -> str:
    """One line: largest |difference| relative to the largest value (per row when scale_axis is given)."""
    import numpy as np

    if ours is None:
        return f"{label}: not compared (neurotool's output has no such variable)."
    if ours.shape != theirs.shape and ours.T.shape == theirs.shape:
        ours = ours.T
    if ours.shape != theirs.shape:
        return f"{label}: shapes differ, neurotool {ours.shape} vs {theirs.shape}: check the output layout."
    scale = np.abs(theirs).max(axis=scale_axis, keepdims=scale_axis is not None)
    worst = float(np.nanmax(np.abs(ours - theirs) / scale))
    verdict = "agree" if worst <= 1e-9 else "DIFFER: check the implementation"
    return f"{label}: largest |difference| / largest value {worst:.3g} ({verdict})."


def seconds(x: float) -> str:
    return f"{x:.3g}"


def table(emit, rows, reference) -> None:
    """rows: (tool, seconds, command wall or None, note)."""
    emit("| tool | seconds | command wall (s) | ratio |")
    emit("| --- | ---: | ---: | ---: |")
    for name, secs, wall, _ in rows:
        ratio = f"{secs / reference:.2f}" if reference else "—"
        emit(f"| {name} | {seconds(secs)} | {seconds(wall) if wall is not None else '—'} | {ratio} |")
    emit()


def main(argv=None) -> int:
    p = parser(__doc__, repeat=3)
    p.add_argument("--hftp-repeat", type=int, default=1, help="hftp: runs per tool (default 1)")
    p.add_argument("--permutations", type=int, default=1000, help="hftp: permutations (default 1000)")
    p.add_argument("--only", choices=("welch", "hftp"), help="run one case only")
    return main_with(p, bench, argv)


def bench(args) -> int:
    import resource

    import numpy as np
    import scipy

    emit = Report()
    tool = None if args.python_only else require_executable(args.neurotool)
    if args.repeat < 1 or args.hftp_repeat < 1 or args.permutations < 1:
        raise BenchError("--repeat, --hftp-repeat and --permutations must be at least 1")
    data = Path(args.data)
    cases = [c for c in ("welch", "hftp") if args.only in (None, c)]
    files = {"welch": data / WELCH[0], "hftp": data / HFTP[0]}
    for case in cases:
        if not files[case].is_file():
            raise BenchError(f"--data {data}: no {files[case].name} (run Benchmarks/ftag/make_data.py {data} first)")
    work = Path(tempfile.mkdtemp(prefix="neurotool-ftag-bench-"))
    outputs = {case: work / f"{case}.nc" for case in cases}
    try:
        # neurotool first, before this process loads the arrays: on Linux a child's ru_maxrss includes the
        # peak of the process that started it, so this script's own peak (printed) is a floor for its figures.
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        nt = {}
        if tool is not None and "welch" in cases:
            _, rate, nperseg = WELCH
            nt["welch"] = best_of(args.repeat, lambda: neurotool_ftag(
                tool, files["welch"], rate, ["--method", "welch", "--nperseg", str(nperseg), "--permutations", "0"],
                outputs["welch"], "spectra_seconds"))
        if tool is not None and "hftp" in cases:
            nt["hftp"] = best_of(args.hftp_repeat, lambda: neurotool_ftag(
                tool, files["hftp"], HFTP[1], ["--method", "fft", "--permutations", str(args.permutations)],
                outputs["hftp"], "permutation_seconds"))

        emit("# ftag benchmark: spectra and the HFTP permutation test\n")
        for line in machine():
            emit(line)
        emit(f"- BLAS threads: {blas_threads()}")
        emit(f"- Peers: SciPy {scipy.__version__}, NumPy {np.__version__}")
        emit("- ratio = tool's seconds ÷ neurotool's (above 1: neurotool is faster); neurotool's seconds are the "
             "stage's own time from its output (`--record-timing`), its command wall time and peak memory beside "
             f"them (ru_maxrss from os.wait4, which on Linux includes this script's own {own:.0f} MB, a floor); "
             "neurotool runs first, then the Python peers")
        warm_up()

        if "welch" in cases:
            name, rate, nperseg = WELCH
            x = np.load(files["welch"])
            emit(f"\n## welch: {name}, {' × '.join(map(str, x.shape))} at {rate:g} Hz, nperseg {nperseg} "
                 f"({x.nbytes / 1e6:.0f} MB float64), best of {args.repeat}\n")
            sp = best_of(args.repeat, lambda: scipy_welch(x, rate, nperseg))
            del x
            rows = [("SciPy signal.welch(x, fs=1000, nperseg=1000, axis=-1)", sp[0], None, "")]
            run = nt.get("welch")
            if run:
                rows.append(("neurotool ftag --method welch (spectra_seconds)", run[0], run[1], ""))
            table(emit, rows, run[0] if run else None)
            if run:
                emit(f"neurotool command: {run[1]:.2f} s wall (spectra {run[0]:.2f} s; the rest is start-up, reading "
                     f"the array and writing the output), peak memory {run[2]:.0f} MB.")
                emit(compare("Welch psd, neurotool vs SciPy (per channel)", read_variable(outputs["welch"], "psd"),
                             sp[1], scale_axis=1))
            else:
                emit("neurotool: not run (--python-only).")

        if "hftp" in cases:
            name, rate = HFTP
            x = np.load(files["hftp"])
            bins = ftag_peer.tag_bins(TAGS, rate, x.shape[1])
            emit(f"\n## hftp: {name}, {' × '.join(map(str, x.shape))} at {rate:g} Hz, tags "
                 f"{', '.join(f'{f:g}' for f in TAGS)} Hz (bins {', '.join(map(str, bins))}), "
                 f"{args.permutations} permutations, best of {args.hftp_repeat}\n")
            rf = best_of(args.hftp_repeat, lambda: numpy_hftp(x, bins, args.permutations, False))
            bl = best_of(args.hftp_repeat, lambda: numpy_hftp(x, bins, args.permutations, True))
            if not np.allclose(bl[4], rf[4], rtol=1e-9, atol=1e-9 * float(rf[4].max())):
                raise BenchError("the BLAS null differs from the rfft null: check null_blas")
            rows = [("NumPy rfft of x[:, perm] per permutation", rf[0], None, ""),
                    (f"NumPy DFT rows by BLAS (x @ E, {BATCH} permutations a product)", bl[0], None, "")]
            run = nt.get("hftp")
            if run:
                rows.append(("neurotool ftag --permutations (permutation_seconds)", run[0], run[1], ""))
            table(emit, rows, run[0] if run else None)
            passes = rf[1] > rf[2]
            tagged = np.zeros(x.shape[0], dtype=bool)
            tagged[::4] = True
            emit("NumPy: fraction of units passing at 1/2/4 Hz: planted rows "
                 f"{passes[tagged].mean(axis=0).round(3).tolist()}, "
                 f"noise rows {passes[~tagged].mean(axis=0).round(3).tolist()} (expected ~0.05).")
            if run:
                emit(f"neurotool command: {run[1]:.2f} s wall (permutations {run[0]:.2f} s), peak memory "
                     f"{run[2]:.0f} MB.")
                emit(compare("HFTP observed amplitude, neurotool vs NumPy",
                             read_variable(outputs["hftp"], "hftp_amplitude"), rf[1]))
                thr = read_variable(outputs["hftp"], "hftp_threshold")
                if thr is None or thr.shape != rf[2].shape:
                    emit("HFTP threshold: not compared (no hftp_threshold of the same shape in neurotool's output).")
                else:
                    ratio = thr / rf[2]
                    emit(f"HFTP threshold, neurotool ÷ NumPy (other permutations): median {np.median(ratio):.4f}, "
                         f"5-95 % {np.percentile(ratio, 5):.3f}-{np.percentile(ratio, 95):.3f}.")
            else:
                emit("neurotool: not run (--python-only).")
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
