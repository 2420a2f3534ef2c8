#!/usr/bin/env python3
"""Times `neurotool glmhmm` against a NumPy/SciPy EM of the same model (numpy_em.py), same data, same
number of EM iterations, and times hmmlearn's Poisson-HMM E-step on the same counts for context.

    .venv/bin/python Benchmarks/glmhmm/make_data.py Benchmarks/.data/glmhmm
    .venv/bin/python Benchmarks/glmhmm/bench.py --neurotool .build/release/neurotool --data Benchmarks/.data/glmhmm \
        [--iterations 10] [--repeat 1] [--python-only] [--keep] [--results FILE]

On DATA/bench.npy (20 sequences x 2000 bins x 20 neurons, K = 4 planted states; names from DATA/names.txt):

* neurotool, its own child process, first (before this process loads the counts; on Linux a child's
  ru_maxrss includes its parent's peak): `NEUROTOOL glmhmm bench.npy -o OUT.nc --states 4 --iterations N
  --restarts 1 --test-fraction 0.2 --seed 0 --names names.txt --record-timing -q`; then OUT.nc's root
  attributes `fit_seconds` (wall time of the reported fit's EM) and `iterations`, s/EM iteration =
  fit_seconds / iterations; `bits_per_spike_test`, `loglik_train`, `loglik_test`. The command's wall
  time (start-up, reading, the single-state start, held-out scoring, decoding, writing) and peak
  memory are reported beside it.
* NumPy/SciPy EM (numpy_em.py, this process): the same split (last 20 % of each sequence held out),
  the same start rule (single-state GLM plus 0.3 N(0, 1) max(|w|, 0.1) jitter, from NumPy's
  default_rng(0), so not neurotool's random numbers), the same E-step, M-step (3 damped Newton steps per
  state and neuron, ridge 1e-6) and stopping rule, N iterations; s/EM iteration = the E- and M-steps'
  summed time.perf_counter time / iterations (the design matrices and the start are timed apart, as
  neurotool's fit_seconds leaves them out); held-out bits/spike of its final model as neurotool computes
  them ((LL_model - LL_const) / (spikes ln 2), LL_const a constant rate per neuron, its training mean).
* hmmlearn 0.3.3 PoissonHMM: an E-step timing only, for context. hmmlearn has no coupling or GLM, so
  it runs a plain Poisson HMM: K = 4, startprob_ and transmat_ of the NumPy fit, lambdas_ = per-state
  mean rates (the NumPy fit's posterior-weighted mean counts), and `score_samples(X, lengths)` (emission
  log-likelihoods, forward-backward, posteriors) on the same 20 x 1600 training bins, implementation
  "log" (its default) and "scaling". Beside it the NumPy scaled forward-backward on the same Poisson
  log-likelihoods, and the NumPy EM's own E-step (with GLM emissions). neurotool reports no E-step time
  of its own, so no ratio is given for these.

Also printed: the held-out bits/spike of the planted model (DATA/truth.json), an upper reference; and a
self-check of numpy_em.py (its forward-backward against tools/python/glmhmm_peer.py, its gradient and
Hessian against finite differences). Before timing, one small untimed fit of each Python side (lazy
set-up). Times are the best of --repeat runs (default 1; hmmlearn's E-step: best of 3). Prints a Markdown
table (tool, iterations, EM seconds, s/EM iteration, held-out bits/spike, ratio = NumPy's s/EM iteration
÷ neurotool's; above 1: neurotool is faster) after the machine, the BLAS thread settings and the
versions. --python-only skips neurotool. Exits 1 with a one-line message if neurotool fails or writes no
usable output.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
from common import BenchError, Report, best_of, blas_threads, load, machine, main_with, parser, require_executable, run_child  # noqa: E402


numpy_em = load("numpy_em", HERE / "numpy_em.py")

STATES = 4
TEST_FRACTION = 0.2
SEED = 0
E_STEP_REPEAT = 3
ATTRIBUTES = ("fit_seconds", "iterations", "loglik_train", "loglik_test", "bits_per_spike_test")


def neurotool_glmhmm(tool: Path, data: Path, names: Path | None, iterations: int, out: Path) -> dict:
    """OUT.nc's root attributes ATTRIBUTES, plus the command's wall seconds and peak MB."""
    import netCDF4

    argv = [str(tool.resolve()), "glmhmm", str(data), "-o", str(out), "--states", str(STATES),
            "--iterations", str(iterations), "--restarts", "1", "--test-fraction", f"{TEST_FRACTION:g}",
            "--seed", str(SEED), *(["--names", str(names)] if names else []), "--record-timing", "-q"]
    try:
        wall, peak = run_child(argv, out, f"neurotool glmhmm on {data.name}")
    except BenchError as e:
        raise BenchError(f"{e} (command: {' '.join(argv[1:])}; does this neurotool have the glmhmm command?)") from None
    try:
        with netCDF4.Dataset(out) as nc:
            missing = [a for a in ATTRIBUTES if a not in nc.ncattrs()]
            if missing:
                raise BenchError(f"neurotool glmhmm output {out.name} lacks root attribute(s) {', '.join(missing)}"
                                 + (" (was it run with --record-timing?)" if "fit_seconds" in missing else ""))
            result = {a: float(nc.getncattr(a)) for a in ATTRIBUTES}
    except OSError as e:
        raise BenchError(f"cannot read neurotool's output {out}: {e}") from None
    result["iterations"] = int(result["iterations"])
    if result["iterations"] < 1 or not result["fit_seconds"] > 0:
        raise BenchError(f"neurotool glmhmm output {out.name}: iterations {result['iterations']}, "
                         f"fit_seconds {result['fit_seconds']}")
    result["wall"], result["peak"] = wall, peak
    return result


def timed(result: dict):
    """(fit seconds, result) for best_of."""
    return result["fit_seconds"], result


def numpy_fit(counts, iterations: int):
    """(EM seconds, run) of one NumPy EM run."""
    run = numpy_em.run(counts, STATES, iterations, TEST_FRACTION, SEED)
    return run.fit.seconds, run


def poisson_loglik(x, rates):
    """(R, K) Poisson log-likelihoods, log x! included, for counts x (R, N) and rates (K, N)."""
    import numpy as np
    from scipy.special import gammaln

    return x @ np.log(rates).T - rates.sum(axis=1)[None, :] - gammaln(x + 1.0).sum(axis=1)[:, None]


def hmmlearn_e_step(X, lengths, startprob, transmat, rates, implementation: str):
    """(seconds, log-likelihood) of PoissonHMM.score_samples at fixed parameters."""
    from hmmlearn.hmm import PoissonHMM

    model = PoissonHMM(n_components=len(startprob), init_params="", params="", implementation=implementation)
    model.startprob_, model.transmat_, model.lambdas_ = startprob, transmat, rates
    start = time.perf_counter()
    loglik, _ = model.score_samples(X, lengths)
    return time.perf_counter() - start, float(loglik)


def numpy_forward_backward(x, lengths, startprob, transmat, rates):
    """(seconds, log-likelihood) of the NumPy scaled forward-backward (posteriors included) on Poisson
    log-likelihoods, sequences of equal length batched as in numpy_em's E-step."""
    import numpy as np

    start = time.perf_counter()
    ll = poisson_loglik(x, rates)
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    total = 0.0
    for length in sorted(set(lengths)):
        rows = np.stack([ll[a:b] for a, b in zip(bounds[:-1], bounds[1:]) if b - a == length])
        tot, _, _ = numpy_em.forward_backward(rows, startprob, transmat)
        total += float(tot.sum())
    return time.perf_counter() - start, total


def warm_up() -> None:
    """One small untimed fit and E-step of each Python side (NumPy/SciPy/hmmlearn lazy set-up)."""
    import numpy as np

    rng = np.random.default_rng(0)
    counts = rng.poisson(0.5, (2, 40, 3))
    run = numpy_em.run(counts, 2, 2, TEST_FRACTION, 0)
    x = np.concatenate(run.train)
    rates = np.maximum(numpy_em.state_rates(numpy_em.prepare(run.train), run.fit.gamma), 1e-6)
    for implementation in ("log", "scaling"):
        hmmlearn_e_step(x, [len(s) for s in run.train], run.fit.model.initial, run.fit.model.transition, rates,
                        implementation)


def versions() -> str:
    from importlib.metadata import version

    import numpy as np
    import scipy

    return f"NumPy {np.__version__}, SciPy {scipy.__version__}, hmmlearn {version('hmmlearn')}"


def seconds(x: float) -> str:
    return f"{x:.3g}"


def main(argv=None) -> int:
    p = parser(__doc__, repeat=1)
    p.add_argument("--iterations", type=int, default=10, help="EM iterations per fit (default 10)")
    return main_with(p, bench, argv)


def bench(args) -> int:
    import resource

    import numpy as np

    emit = Report()
    tool = None if args.python_only else require_executable(args.neurotool)
    if args.iterations < 1 or args.repeat < 1:
        raise BenchError("--iterations and --repeat must be at least 1")
    data = Path(args.data)
    path = data / "bench.npy"
    if not path.is_file():
        raise BenchError(f"--data {data}: no bench.npy (run Benchmarks/glmhmm/make_data.py {data} first)")
    names = data / "names.txt" if (data / "names.txt").is_file() else None
    work = Path(tempfile.mkdtemp(prefix="neurotool-glmhmm-bench-"))
    try:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        nt = None
        if tool is not None:
            out = work / "glmhmm.nc"
            nt = best_of(args.repeat, lambda: timed(neurotool_glmhmm(tool, path, names, args.iterations, out)))[1]

        counts = np.load(path)
        if counts.ndim != 3:
            raise BenchError(f"{path}: shape {counts.shape}; expected sequences x time x neurons")
        if names is not None:
            listed = [s.strip() for s in names.read_text(encoding="utf-8").splitlines() if s.strip()]
            if len(listed) != counts.shape[2]:
                raise BenchError(f"{names}: {len(listed)} names for {counts.shape[2]} neurons")
        emit("# glmhmm benchmark: GLM-HMM EM (Poisson, softplus, coupling)\n")
        for line in machine():
            emit(line)
        emit(f"- BLAS threads: {blas_threads()}")
        emit(f"- Peers: {versions()}")
        emit(f"- Data: {path.name}, {' × '.join(map(str, counts.shape))} (sequences × time × neurons), "
             f"mean count {counts.mean():.3f}/bin; K = {STATES}, last {TEST_FRACTION:g} of each sequence held out, "
             f"{args.iterations} EM iterations, one start, best of {args.repeat} run(s)")
        emit("- s/EM iteration: neurotool fit_seconds / iterations; NumPy: the E- and M-steps' time / iterations "
             "(design matrices and the single-state start excluded on both sides); ratio = NumPy's ÷ neurotool's "
             "(above 1: neurotool is faster). The two start from the same rule with different random numbers, so "
             f"their likelihoods differ somewhat. neurotool runs first (ru_maxrss includes this script's own "
             f"{own:.0f} MB on Linux, a floor)")
        check = numpy_em.self_check()
        worst = max(check.values())
        emit(f"- numpy_em self-check (forward-backward vs glmhmm_peer, gradient/Hessian vs finite differences): "
             f"largest difference {worst:.2g} ({'ok' if worst < 1e-5 else 'CHECK numpy_em.py'})")
        warm_up()

        secs, run = best_of(args.repeat, lambda: numpy_fit(counts, args.iterations))
        fit = run.fit
        truth = json.loads((data / "truth.json").read_text()) if (data / "truth.json").is_file() else None
        truth_bits = None
        if truth is not None:
            planted = numpy_em.Model(np.asarray(truth["initial"]), np.asarray(truth["transition"]),
                                     np.asarray(truth["weights"]))
            truth_bits = numpy_em.held_out(planted, run.train, run.test)[2]

        emit("\n| tool | iterations | EM (s) | s/EM iteration | held-out bits/spike | ratio |")
        emit("| --- | ---: | ---: | ---: | ---: | ---: |")
        nt_per_it = nt["fit_seconds"] / nt["iterations"] if nt else None
        np_per_it = secs / fit.iterations
        ratio = f"{np_per_it / nt_per_it:.2f}" if nt_per_it else "—"
        emit(f"| NumPy/SciPy EM (numpy_em.py) | {fit.iterations} | {seconds(secs)} | {seconds(np_per_it)} | "
             f"{run.held[2]:.4f} | {ratio} |")
        if nt:
            emit(f"| neurotool glmhmm | {nt['iterations']} | {seconds(nt['fit_seconds'])} | {seconds(nt_per_it)} | "
                 f"{nt['bits_per_spike_test']:.4f} | 1.00 |")
        if truth_bits is not None:
            emit(f"| planted model (truth.json), no fit | — | — | — | {truth_bits:.4f} | — |")
        emit()
        e_mean = float(np.mean(fit.e_seconds))
        m_mean = float(np.mean(fit.m_seconds)) if fit.m_seconds else math.nan
        emit(f"NumPy: E-step {e_mean:.3g} s, M-step {m_mean:.3g} s per iteration (mean); design matrices "
             f"{run.setup_seconds:.3g} s and the single-state start {run.start_seconds:.3g} s before the EM; "
             f"train log-likelihood {fit.logliks[-1]:.2f}, held-out {run.held[0]:.2f}.")
        if nt:
            emit(f"neurotool: train log-likelihood {nt['loglik_train']:.2f}, held-out {nt['loglik_test']:.2f}; "
                 f"command {nt['wall']:.2f} s wall (EM {nt['fit_seconds']:.2f} s; the rest is start-up, reading, the "
                 f"single-state start, scoring, decoding and writing), peak memory {nt['peak']:.0f} MB.")
            if nt["iterations"] < args.iterations:
                emit(f"neurotool stopped after {nt['iterations']} of {args.iterations} iterations (converged).")
            gap = nt["bits_per_spike_test"] - run.held[2]
            emit(f"Held-out bits/spike, neurotool − NumPy: {gap:+.4f} (same rule, different random starts: a small "
                 "difference is expected, shrinking with more iterations).")
        else:
            emit("neurotool: not run (--python-only).")

        # E-step context: a plain Poisson HMM at the NumPy fit's parameters.
        prepared = numpy_em.prepare(run.train)
        rates = np.maximum(numpy_em.state_rates(prepared, fit.gamma), 1e-6)
        x = prepared.x
        lengths = [s.shape[0] for s in run.train]
        start, trans = fit.model.initial, fit.model.transition
        emit(f"\nE-step only, for context: a Poisson HMM with no coupling (K = {STATES}, per-state mean rates of the "
             f"NumPy fit) on the {len(lengths)} × {lengths[0]} training bins, best of {E_STEP_REPEAT}. "
             "hmmlearn has no "
             "GLM emissions, so this is not the same work as a GLM-HMM E-step; neurotool reports no E-step time.\n")
        emit("| E-step | seconds |")
        emit("| --- | ---: |")
        rows = []
        for implementation in ("log", "scaling"):
            t, ll = best_of(E_STEP_REPEAT, lambda: hmmlearn_e_step(x, lengths, start, trans, rates, implementation))
            rows.append((f"hmmlearn PoissonHMM.score_samples (implementation=\"{implementation}\")", t, ll))
        t, ll = best_of(E_STEP_REPEAT, lambda: numpy_forward_backward(x, lengths, start, trans, rates))
        rows.append(("NumPy scaled forward-backward (numpy_em.forward_backward), same Poisson HMM", t, ll))
        for name, t, _ in rows:
            emit(f"| {name} | {seconds(t)} |")
        emit(f"| NumPy EM's E-step with GLM emissions (mean per iteration, above) | {seconds(e_mean)} |")
        emit()
        lls = [r[2] for r in rows]
        spread = max(lls) - min(lls)
        emit(f"Poisson-HMM log-likelihood, hmmlearn vs NumPy: largest difference {spread:.3g} "
             f"({'agree' if spread <= 1e-6 * abs(lls[0]) else 'DIFFER: check'}).")
    finally:
        if args.keep:
            print(f"neurotool output kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.results:
        Path(args.results).write_text("\n".join(emit.lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
