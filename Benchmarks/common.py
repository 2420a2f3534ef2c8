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


_homogenize = load("homogenize_bench", BENCHMARKS / "homogenize" / "bench.py")
BenchError = _homogenize.BenchError
machine = _homogenize.machine
run_child = _homogenize.run_child
require_executable = _homogenize.require_executable
Report = _homogenize.Report
run_main = _homogenize.run_main
