#!/usr/bin/env python3
"""Times `neurotool homogenize` against the same pipeline in NumPy (python_pipeline.py).

    .venv/bin/python Benchmarks/homogenize/make_data.py /tmp/homogenize-bench
    .venv/bin/python Benchmarks/homogenize/bench.py --neurotool .build/release/neurotool --data /tmp/homogenize-bench

Each tool runs as its own child process, alternately, --repeat times (default 3); the table reports
each tool's best wall time and its peak resident memory (ru_maxrss of that child alone, from
os.wait4; the largest over the runs). After the runs the two outputs
are compared group by group (same shapes and NaN layout, largest absolute difference), so the two
sides demonstrably did the same work. Prints Markdown to stdout; exits 1 with a one-line message if
a child fails or writes no output.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


class BenchError(Exception):
    pass


def machine() -> list[str]:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or model
    cores = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GB RAM"
                break
    except OSError:
        pass
    return [f"- Machine: {model}, {cores} logical cores ({usable} usable){memory}",
            f"- OS: {platform.system()} {platform.release()}; Python {platform.python_version()}"]


def run_child(argv: list[str], output: Path, label: str) -> tuple[float, float]:
    """Runs argv once; returns (wall seconds, peak RSS in MB) of that child alone."""
    if output.exists():
        output.unlink()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        except OSError as e:
            raise BenchError(f"{label}: cannot start {argv[0]}: {e.strerror}") from None
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            lines = [s for s in err.read().decode("utf-8", "replace").splitlines() if s.strip()]
            detail = lines[-1].strip() if lines else "no message"
            raise BenchError(f"{label} failed (exit {child.returncode}): {detail}")
    if not output.exists() or output.stat().st_size == 0:
        raise BenchError(f"{label} exited 0 but wrote no output {output}")
    return seconds, usage.ru_maxrss / 1024.0  # Linux: kilobytes


def compare(a: Path, b: Path) -> str:
    """One line: do the two outputs hold the same groups and (nearly) the same samples?"""
    try:
        import netCDF4
        import numpy as np
    except ImportError as e:
        return f"outputs not compared ({e.name} is not installed for {sys.executable}; use .venv/bin/python)"

    worst = 0.0
    with netCDF4.Dataset(a) as da, netCDF4.Dataset(b) as db:
        ga, gb = list(da.groups), list(db.groups)
        if ga != gb:
            return f"outputs differ: groups {ga[:3]}... vs {gb[:3]}..."
        for g in ga:
            for v in ("data", "residual"):
                x = np.ma.filled(da.groups[g][v][:].astype(np.float64), np.nan)
                y = np.ma.filled(db.groups[g][v][:].astype(np.float64), np.nan)
                if x.shape != y.shape:
                    return f"outputs differ: {g}/{v} shapes {x.shape} vs {y.shape}"
                if not np.array_equal(np.isnan(x), np.isnan(y)):
                    return f"outputs differ: {g}/{v} NaN layout"
                if np.isfinite(x).any():
                    worst = max(worst, float(np.nanmax(np.abs(x - y))))
    return f"outputs agree: {len(ga)} groups, largest |difference| in data/residual {worst:.3g}"


def require_executable(path: str) -> Path:
    """The neurotool executable, or a BenchError saying how to build it."""
    tool = Path(path)
    if not tool.is_file() or not os.access(tool, os.X_OK):
        raise BenchError(f"--neurotool {tool}: not an executable file (build it: swift build -c release)")
    return tool


class Report:
    """Lines printed as they come and kept for --results."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)


def run_main(bench_function, args) -> int:
    """Runs a benchmark, turning a BenchError into one line on stderr and exit status 1."""
    try:
        return bench_function(args)
    except BenchError as e:
        print(f"bench.py: {e}", file=sys.stderr)
        return 1


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Benchmark neurotool homogenize against a NumPy pipeline.")
    p.add_argument("--neurotool", required=True, help="path of the neurotool executable")
    p.add_argument("--data", required=True, help="folder written by make_data.py")
    p.add_argument("--repeat", type=int, default=3, help="runs per tool; the best time is reported (default 3)")
    p.add_argument("--python", default=sys.executable, help="Python for python_pipeline.py (default: this one)")
    p.add_argument("--keep", action="store_true", help="keep the two output files (their folder is printed)")
    p.add_argument("--results", help="also write the Markdown report to this file (e.g. Benchmarks/RESULTS.md)")
    return run_main(bench, p.parse_args(argv))


def bench(args) -> int:
    emit = Report()
    report = emit.lines
    tool = require_executable(args.neurotool)
    data = Path(args.data)
    inputs = sorted(str(f) for f in data.glob("*.h5"))
    if not inputs:
        raise BenchError(f"--data {data}: no *.h5 files (run make_data.py {data} first)")
    if args.repeat < 1:
        raise BenchError("--repeat must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="neurotool-bench-"))
    out_nt, out_py = work / "neurotool.nc", work / "python.nc"
    commands = {
        "neurotool": ([str(tool.resolve()), "homogenize", *inputs, "-o", str(out_nt),
                       "--option", "data=/trace_array", "--option", "time=/timestamp_confocal",
                       "--option", "labels=/neuron_labels", "--option", "layout=channel-time",
                       "--resampler", "reference", "--quiet"], out_nt),
        "python (NumPy)": ([args.python, str(HERE / "python_pipeline.py"), *inputs, "-o", str(out_py)], out_py),
    }
    size = sum(os.path.getsize(f) for f in inputs)
    emit("# homogenize benchmark\n")
    emit("\n".join(machine()))
    emit(f"- Input: {len(inputs)} files in {data} ({size / 1e6:.0f} MB), reference resampler, dt 0.333 s, "
          f"moving average, z-score, float32 zlib-1 NetCDF-4 output")
    emit(f"- Runs: {args.repeat} per tool, alternating; best wall time, largest peak RSS\n")
    times = {k: [] for k in commands}
    peaks = {k: [] for k in commands}
    try:
        for _ in range(args.repeat):
            for label, (argv, output) in commands.items():
                seconds, peak = run_child(argv, output, label)
                times[label].append(seconds)
                peaks[label].append(peak)
        check = compare(out_nt, out_py)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    best = {k: min(v) for k, v in times.items()}
    peak = {k: max(v) for k, v in peaks.items()}
    nt, py = "neurotool", "python (NumPy)"
    emit("| tool | seconds (best) | peak MB |")
    emit("| --- | ---: | ---: |")
    for label in commands:
        emit(f"| {label} | {best[label]:.2f} | {peak[label]:.0f} |")
    emit(f"| **ratio python / neurotool** | **{best[py] / best[nt]:.2f}x** | **{peak[py] / peak[nt]:.2f}x** |")
    emit()
    emit(f"- All runs (s): " + "; ".join(f"{k}: " + ", ".join(f"{s:.2f}" for s in v) for k, v in times.items()))
    emit(f"- {check}")
    if args.keep:
        emit(f"- Outputs kept in {work}")
    if args.results:
        Path(args.results).write_text("\n".join(report) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
