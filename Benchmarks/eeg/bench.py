#!/usr/bin/env python3
"""Times `neurotool homogenize` on BioSemi BDF recordings against MNE and SciPy doing the same work.

    .venv/bin/python Benchmarks/eeg/make_data.py Benchmarks/.data/eeg
    .venv/bin/python Benchmarks/eeg/bench.py --neurotool .build/release/neurotool --data Benchmarks/.data/eeg

On short.bdf (5 min, 128 EEG + Status, 2048 Hz), each tool in its own child process, alternating,
--repeat times (default 2):

* neurotool, full chain: ``homogenize short.bdf -o X.nc --rate 256 --l-freq 1 --h-freq 40 --notch 50
  --quiet`` against mne_peer.py (read_raw_bdf(preload=True), Raw.resample(256, method="polyphase"),
  notch_filter(50), filter(1, 40), float32 NetCDF-4 zlib-1 output);
* neurotool, resampling only (``--rate 256 --resample-padding constant``, no filters) against scipy_peer.py (MNE read, then
  ``scipy.signal.resample_poly(data, 1, 8, axis=1)`` on the EEG channels, same output); the peer
  also reports the resample_poly call alone.

On long.bdf (the 1-hour file, if make_data.py wrote it): neurotool's full chain, --long-repeat times
(default 1): time and peak memory. MNE on the hour needs the whole recording in memory as float64
(7.6 GB for 129 x 7,372,800 samples) before resampling; it is tried only with --mne-long, in a child
with a time limit (--mne-long-timeout, 1200 s) and an address-space cap (--mne-long-memory-gb), so
that it fails with MemoryError instead of waking the OOM killer.

Wall time is the best over the runs; peak memory is ru_maxrss of that child alone (os.wait4), the
largest over the runs (helpers shared with Benchmarks/homogenize/bench.py). Afterwards the outputs
are compared channel by channel: neurotool's resampling against SciPy's, the full chain against MNE
with its defaults and against MNE with zero padding in Raw.resample (pad="constant", one extra
untimed run), which is what neurotool does. Prints Markdown to stdout; exits 1 with a one-line message
if a child fails or writes no output.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("homogenize_bench", HERE.parent / "homogenize" / "bench.py")
_homogenize_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_homogenize_bench)
BenchError = _homogenize_bench.BenchError
machine = _homogenize_bench.machine
run_child = _homogenize_bench.run_child
require_executable = _homogenize_bench.require_executable
Report = _homogenize_bench.Report
run_main = _homogenize_bench.run_main

RATE, L_FREQ, H_FREQ, NOTCH = 256, 1, 40, 50


def run_child_limited(argv: list[str], output: Path, label: str, timeout: float) -> tuple[str, float, float]:
    """Like run_child, but stops the child after `timeout` seconds. Returns (status, seconds, peak MB)
    with status 'ok', 'timeout' or 'failed: <last stderr line>'."""
    if output.exists():
        output.unlink()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        status = None
        while True:
            pid, wstatus, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                break
            if time.perf_counter() - start > timeout:
                os.kill(child.pid, signal.SIGKILL)
                _, wstatus, usage = os.wait4(child.pid, 0)
                status = "timeout"
                break
            time.sleep(0.5)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(wstatus)
        if status is None:
            if child.returncode != 0:
                err.seek(0)
                lines = [s for s in err.read().decode("utf-8", "replace").splitlines() if s.strip()]
                status = f"failed (exit {child.returncode}): {lines[-1].strip() if lines else 'no message'}"
            elif not output.exists() or output.stat().st_size == 0:
                status = "failed: exited 0 without writing its output"
            else:
                status = "ok"
    return status, seconds, usage.ru_maxrss / 1024.0


def versions(python: str) -> str:
    code = "import mne, scipy, numpy, netCDF4; print(f'MNE {mne.__version__}, SciPy {scipy.__version__}, " \
           "NumPy {numpy.__version__}, netCDF4 {netCDF4.__version__}')"
    try:
        return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "peer versions unknown"


def read_output(path: Path):
    """(data (time, channel) float64, channel names) of a neurotool file (first group) or a peer's file."""
    import netCDF4
    import numpy as np

    with netCDF4.Dataset(path) as nc:
        g = nc.groups[list(nc.groups)[0]] if nc.groups else nc
        data = np.ma.filled(g["data"][:].astype(np.float64), np.nan)
        names = [str(s) for s in g["channel"][:]]
    return data, names


def onsets(x):
    """Samples where a stim channel steps to a new non-zero code (mne.find_events semantics)."""
    import numpy as np

    x = np.asarray(x)
    prev = np.r_[0, x[:-1]]
    return np.flatnonzero((x != prev) & (x != 0))


def compare_eeg(a, b, names_a, names_b, rate: float, span=None, threshold: float = 1e-6, margin: float = 10.0) -> dict:
    """Channel-by-channel comparison of the EEG columns (all but Status) of a against reference b.
    rel = |a - b| / range of the channel (of `span`'s output when given, else of b). Returns the worst
    relative and absolute differences over the whole record, how far from each end rows exceed
    `threshold`, and the worst more than `margin` seconds from both ends."""
    import numpy as np

    if names_a != names_b or a.shape != b.shape:
        raise BenchError(f"outputs differ in layout: {a.shape} {names_a[:2]}... vs {b.shape} {names_b[:2]}...")
    eeg = [i for i, n in enumerate(names_b) if n != "Status"]
    x, y = a[:, eeg], b[:, eeg]
    ref = y if span is None else span[:, eeg]
    width = ref.max(axis=0) - ref.min(axis=0)
    diff = np.abs(x - y)
    rel = diff / width
    worst_row = rel.max(axis=1)
    n = len(worst_row)
    bad = np.flatnonzero(worst_row > threshold)
    head = int(bad[bad < n // 2].max()) + 1 if np.any(bad < n // 2) else 0
    tail = n - int(bad[bad >= n // 2].min()) if np.any(bad >= n // 2) else 0
    m = int(margin * rate)
    return {"channels": len(eeg), "rel": float(rel.max()), "abs": float(diff.max()),
            "median_span": float(np.median(width)), "head_s": head / rate, "tail_s": tail / rate,
            "margin": margin, "inner_rel": float(rel[m:n - m].max()), "inner_abs": float(diff[m:n - m].max())}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--neurotool", required=True, help="path of the neurotool executable")
    p.add_argument("--data", required=True, help="folder written by make_data.py (short.bdf, long.bdf)")
    p.add_argument("--repeat", type=int, default=2, help="runs per tool on short.bdf; best time reported (2)")
    p.add_argument("--long-repeat", type=int, default=1, help="neurotool runs on long.bdf (default 1; 0 skips it)")
    p.add_argument("--mne-long", action="store_true", help="also try MNE on long.bdf (needs > 8 GB of RAM)")
    p.add_argument("--mne-long-timeout", type=float, default=1200.0, help="seconds before the MNE long run is stopped")
    p.add_argument("--mne-long-memory-gb", type=float, default=16.0, help="address-space cap of the MNE long run")
    p.add_argument("--python", default=sys.executable, help="Python for the peers (default: this one)")
    p.add_argument("--keep", action="store_true", help="keep the output files (their folder is printed)")
    p.add_argument("--results", help="also write the Markdown report to this file")
    return run_main(bench, p.parse_args(argv))


def bench(args) -> int:
    emit = Report()
    report = emit.lines
    tool = require_executable(args.neurotool)
    data = Path(args.data)
    short, long_ = data / "short.bdf", data / "long.bdf"
    if not short.is_file():
        raise BenchError(f"--data {data}: no short.bdf (run make_data.py {data} first)")
    if args.repeat < 1 or args.long_repeat < 0:
        raise BenchError("--repeat must be at least 1 and --long-repeat at least 0")
    long_params = None
    if long_.is_file() and (data / "long.json").is_file():
        long_params = json.loads((data / "long.json").read_text())
    short_params = json.loads((data / "short.json").read_text()) if (data / "short.json").is_file() else {}

    work = Path(tempfile.mkdtemp(prefix="neurotool-eeg-bench-"))
    nt = str(tool.resolve())
    filters = ["--rate", str(RATE), "--l-freq", str(L_FREQ), "--h-freq", str(H_FREQ), "--notch", str(NOTCH)]
    out = {k: work / f"{k}.nc" for k in ("nt_full", "mne", "nt_resample", "scipy", "mne_constant", "nt_long", "mne_long")}
    timing_files = {k: work / f"{k}.json" for k in ("mne", "scipy", "mne_constant", "mne_long")}
    commands = {
        "nt_full": ([nt, "homogenize", str(short), "-o", str(out["nt_full"]), *filters, "--quiet"], out["nt_full"]),
        "mne": ([args.python, str(HERE / "mne_peer.py"), str(short), "-o", str(out["mne"]),
                 "--timings", str(timing_files["mne"])], out["mne"]),
        "nt_resample": ([nt, "homogenize", str(short), "-o", str(out["nt_resample"]), "--rate", str(RATE),
                         "--resample-padding", "constant", "--quiet"],
                        out["nt_resample"]),
        "scipy": ([args.python, str(HERE / "scipy_peer.py"), str(short), "-o", str(out["scipy"]),
                   "--timings", str(timing_files["scipy"])], out["scipy"]),
    }
    label = {"nt_full": "neurotool", "mne": "MNE (mne_peer.py)", "nt_resample": "neurotool",
             "scipy": "SciPy (scipy_peer.py)", "scipy_call": "SciPy `resample_poly` call alone", "nt_long": "neurotool"}
    task = {"nt_full": "short.bdf: read, resample to 256 Hz, notch 50, band-pass 1–40, write",
            "mne": "same",
            "nt_resample": "short.bdf: read, resample to 256 Hz, write",
            "scipy": "same (MNE read, `resample_poly(data, 1, 8, axis=1)`, write)",
            "scipy_call": "resample 128 × 614400 float64 in memory"}

    size_short = short.stat().st_size
    channels = short_params.get("channels", "?")
    emit("# EEG benchmark: BDF → 256 Hz, notch, band-pass\n")
    emit("\n".join(machine()))
    emit(f"- Peers: {versions(args.python)}")
    emit(f"- Input: short.bdf, {short_params.get('minutes', '?')} min, {channels} EEG + Status at "
         f"{short_params.get('rate', '?')} Hz, BDF 24-bit, 1-s records ({size_short / 1e6:.0f} MB; synthetic, "
         f"Benchmarks/eeg/make_data.py); output float32 NetCDF-4, shuffle + zlib 1, one channel per chunk")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    emit(f"- Runs: {args.repeat} per tool on short.bdf, alternating; best wall time, largest peak RSS "
         f"(ru_maxrss from os.wait4; on Linux it includes this script's own {own:.0f} MB, a floor); "
         f"input files in the page cache after the first run\n")

    times = {k: [] for k in commands}
    peaks = {k: [] for k in commands}
    steps = {"mne": [], "scipy": []}
    long_result = None
    mne_long = None
    try:
        for _ in range(args.repeat):
            for key, (argv, output) in commands.items():
                seconds, peak = run_child(argv, output, f"{label[key]} ({key})")
                times[key].append(seconds)
                peaks[key].append(peak)
                if key in steps:
                    steps[key].append(json.loads(timing_files[key].read_text()))
        if long_params is not None and args.long_repeat > 0:
            runs = []
            for _ in range(args.long_repeat):
                runs.append(run_child([nt, "homogenize", str(long_), "-o", str(out["nt_long"]), *filters, "--quiet"],
                                      out["nt_long"], "neurotool (long.bdf)"))
            long_result = (min(s for s, _ in runs), max(m for _, m in runs), [s for s, _ in runs])
            if args.mne_long:
                mne_long = run_child_limited(
                    [args.python, str(HERE / "mne_peer.py"), str(long_), "-o", str(out["mne_long"]),
                     "--timings", str(timing_files["mne_long"]), "--max-memory-gb", str(args.mne_long_memory_gb)],
                    out["mne_long"], "MNE (long.bdf)", args.mne_long_timeout)
                if mne_long[0] == "ok":
                    mne_long = mne_long + (json.loads(timing_files["mne_long"].read_text()),)
                out["mne_long"].unlink(missing_ok=True)
        # Only now load outputs: on Linux a child's ru_maxrss starts from this process's own peak
        # (exec keeps the high-water mark of the memory it replaces), so this process stays small
        # (~25 MB) until every child has run.
        checks = compare_all(out, RATE)
        if long_result is not None:
            long_result = long_result + (long_output_summary(out["nt_long"]),)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    best = {k: min(v) for k, v in times.items()}
    peak = {k: max(v) for k, v in peaks.items()}
    best["scipy_call"] = min(s["resample"] for s in steps["scipy"])
    emit("| tool | task | seconds (best) | peak MB |")
    emit("| --- | --- | ---: | ---: |")
    for key in ("nt_full", "mne", "nt_resample", "scipy", "scipy_call"):
        emit(f"| {label[key]} | {task[key]} | {best[key]:.2f} | {f'{peak[key]:.0f}' if key in peak else '—'} |")
    if long_result is not None:
        lp = long_params
        emit(f"| neurotool | long.bdf ({lp['minutes']:g} min, {long_.stat().st_size / 1e9:.2f} GB): same as the first row | "
             f"{long_result[0]:.2f} | {long_result[1]:.0f} |")
    emit()
    emit(f"- **MNE / neurotool** (full chain, short.bdf; above 1: neurotool is faster or smaller): "
         f"time **{best['mne'] / best['nt_full']:.2f}x**, "
         f"peak memory **{peak['mne'] / peak['nt_full']:.2f}x**")
    emit(f"- **SciPy / neurotool** (resampling only, short.bdf): whole process time "
         f"**{best['scipy'] / best['nt_resample']:.2f}x**, peak memory **{peak['scipy'] / peak['nt_resample']:.2f}x**; "
         f"the `resample_poly` call alone against neurotool's whole run: **{best['scipy_call'] / best['nt_resample']:.2f}x**")
    mne_steps = {k: min(s[k] for s in steps["mne"]) for k in steps["mne"][0]}
    sci_steps = {k: min(s[k] for s in steps["scipy"]) for k in steps["scipy"][0]}
    emit("- MNE peer's steps (best of each, s): " + ", ".join(f"{k} {v:.2f}" for k, v in mne_steps.items() if k != "total")
         + "; SciPy peer's: " + ", ".join(f"{k} {v:.2f}" for k, v in sci_steps.items() if k != "total"))
    emit("- All runs (s): " + "; ".join(f"{label[k]} {k}: " + ", ".join(f"{s:.2f}" for s in v) for k, v in times.items()))
    for line in checks:
        emit(f"- {line}")
    if long_result is not None:
        lp = long_params
        emit(f"- **long.bdf** ({lp['minutes']:g} min, {lp['channels']} EEG + Status at {lp['rate']} Hz, "
             f"{long_.stat().st_size / 1e9:.2f} GB): neurotool {long_result[0]:.1f} s "
             f"({', '.join(f'{s:.1f}' for s in long_result[2])}), peak RSS **{long_result[1]:.0f} MB** "
             f"(the issue asks for well under 500 MB); {long_result[3]}")
    elif long_params is None:
        emit(f"- long.bdf: not there (make_data.py skips it with less than 10 GB free disk); not run")
    else:
        emit("- long.bdf: not run (--long-repeat 0)")
    if long_params is not None:
        raw_gb = (long_params["channels"] + 1) * long_params["minutes"] * 60 * long_params["rate"] * 8 / 1e9
        if mne_long is None:
            emit(f"- MNE on long.bdf: not run — `read_raw_bdf(preload=True)` alone holds {raw_gb:.1f} GB of float64 "
                 f"samples before resampling (try it with --mne-long)")
        elif mne_long[0] == "ok":
            s = mne_long[3]
            emit(f"- MNE on long.bdf (tried, --mne-long): {mne_long[1]:.1f} s, peak RSS **{mne_long[2]:.0f} MB** "
                 f"({mne_long[2] / long_result[1]:.0f}x neurotool's); steps (s): "
                 + ", ".join(f"{k} {v:.1f}" for k, v in s.items() if k != "total")
                 + f" ({raw_gb:.1f} GB of float64 samples once preloaded)")
        else:
            emit(f"- MNE on long.bdf (tried, --mne-long, {args.mne_long_timeout:.0f} s limit, address space capped at "
                 f"{args.mne_long_memory_gb:g} GB): {mne_long[0]} after {mne_long[1]:.1f} s, peak RSS {mne_long[2]:.0f} MB")
    if args.keep:
        emit(f"- Outputs kept in {work}")
    if args.results:
        Path(args.results).write_text("\n".join(report) + "\n", encoding="utf-8")
    return 0


def long_output_summary(path: Path) -> str:
    import netCDF4
    import numpy as np

    with netCDF4.Dataset(path) as nc:
        g = nc.groups[list(nc.groups)[0]]
        v = g["data"]
        t, c = v.shape
        middle = np.asarray(v[t // 2: t // 2 + 2560, :])  # 10 s in the middle
        finite = bool(np.isfinite(middle).all())
        return (f"output {t} samples × {c} channels at {g.getncattr('sampling_rate'):g} Hz, "
                f"{path.stat().st_size / 1e6:.0f} MB, {'finite' if finite else 'NOT finite'} in the middle 10 s")


def compare_all(out: dict, rate: float) -> list[str]:
    try:
        import netCDF4
        import numpy as np
    except ImportError as e:
        return [f"outputs not compared ({e.name} is not installed for {sys.executable}; use .venv/bin/python)"]
    lines = []
    a, na = read_output(out["nt_resample"])
    b, nb = read_output(out["scipy"])
    c = compare_eeg(a, b, na, nb, rate)
    stim_same = bool(np.array_equal(a[:, na.index("Status")], b[:, nb.index("Status")]))
    lines.append(f"Resampling alone, neurotool vs SciPy `resample_poly` ({c['channels']} EEG channels, float32 "
                 f"outputs): largest |difference| {c['abs']:.3g} V = {c['rel']:.2g} of the channel's range; "
                 f"Status (every 8th sample) {'identical' if stim_same else 'DIFFERENT'}")
    del a, b

    full, nf = read_output(out["nt_full"])
    with netCDF4.Dataset(out["nt_full"]) as nc:
        g = nc.groups[list(nc.groups)[0]]
        design = {k: str(g.getncattr(k)) for k in ("resampler_detail", "filter_design") if k in g.ncattrs()}
    m, nm = read_output(out["mne"])
    c1 = compare_eeg(full, m, nf, nm, rate)
    lines.append(
        f"Full chain, neurotool (reflect padding, MNE's default) vs MNE defaults: largest |difference| "
        f"{c1['abs']:.3g} V = {c1['rel']:.2g} of the channel's range over the whole record (float32 rounding: the "
        f"same Kaiser β=5 polyphase filter with SciPy's `padtype=\"reflect\"`, the same MNE FIR filters; "
        f"neurotool: {design.get('resampler_detail', '?')}; {design.get('filter_design', '?')})")
    s_nt, s_m = full[:, nf.index("Status")], m[:, nm.index("Status")]
    e_nt, e_m = onsets(s_nt), onsets(s_m)
    aligned = len(e_nt) == len(e_m)
    shift = int(np.max(np.abs(e_nt - e_m))) if aligned and len(e_nt) else 0
    lines.append(f"Status: neurotool samples and holds (every 8th sample), MNE uses `_resample_stim_channels`: "
                 f"{int(np.count_nonzero(s_nt != s_m))} of {len(s_nt)} samples differ; trigger onsets "
                 f"{len(e_nt)} vs {len(e_m)}, " + (f"largest shift {shift} sample(s) at 256 Hz" if aligned
                                                   else "NOT the same number"))
    return lines


if __name__ == "__main__":
    sys.exit(main())
