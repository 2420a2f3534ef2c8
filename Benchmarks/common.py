"""Helpers every `make bench` script shares: loading sibling scripts as modules, the machine line, the
child-process runner and report writer of Benchmarks/homogenize/bench.py, BLAS-thread and best-of helpers.

A benchmark imports it with

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from common import ROOT, BenchError, Report, best_of, blas_threads, load, machine, ...
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent


def load(name: str, path: Path):
    """Imports the Python file at `path` as module `name` (registered first, for dataclasses)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def blas_threads() -> str:
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    set_ = [f"{n}={os.environ[n]}" for n in names if n in os.environ]
    return ", ".join(set_) if set_ else "OPENBLAS_NUM_THREADS/OMP_NUM_THREADS unset (OpenBLAS uses every core)"


def best_of(repeat: int, run):
    """The fastest of `repeat` calls of `run()` (which returns (seconds, …))."""
    results = [run() for _ in range(max(repeat, 1))]
    return min(results, key=lambda r: r[0])


def parser(doc: str, repeat: int, data_help: str = "folder written by make_data.py"):
    """The options every side-by-side benchmark takes: --neurotool, --data, --repeat, --python-only,
    --keep, --results; add the benchmark's own, then call `main_with(p, bench, argv)`."""
    import argparse
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--neurotool", help="path of the neurotool executable (required unless --python-only)")
    p.add_argument("--data", required=True, help=data_help)
    p.add_argument("--repeat", type=int, default=repeat, help=f"runs per tool; the best time is reported (default {repeat})")
    p.add_argument("--python-only", action="store_true", help="only the Python peers (no neurotool)")
    p.add_argument("--keep", action="store_true", help="keep neurotool's output files (their folder is printed)")
    p.add_argument("--results", help="also write the Markdown report to this file")
    return p


def main_with(p, bench, argv=None) -> int:
    """Parses `argv`, requires --neurotool unless --python-only, runs `bench(args)` with the shared
    error handling."""
    args = p.parse_args(argv)
    if not args.python_only and not args.neurotool:
        p.error("--neurotool is required (or --python-only)")
    return run_main(bench, args)


_homogenize = load("homogenize_bench", BENCHMARKS / "homogenize" / "bench.py")
BenchError = _homogenize.BenchError
machine = _homogenize.machine
run_child = _homogenize.run_child
require_executable = _homogenize.require_executable
Report = _homogenize.Report
run_main = _homogenize.run_main
