#!/usr/bin/env python3
"""Times `neurotool homogenize` on a long FIF raw file against MNE reading and resampling it.

    .venv/bin/python Benchmarks/fif/make_data.py Benchmarks/.data/fif
    .venv/bin/python Benchmarks/fif/bench.py --neurotool .build/release/neurotool --data Benchmarks/.data/fif \
        [--repeat 2] [--methods fft,polyphase] [--mne-write] [--python-only] [--results FILE]

On long_raw.fif (make_data.py: 64 magnetometers + 64 planar gradiometers, 10 min at 1000 Hz, float32
buffers, 307 MB), each tool in its own child process, alternating, --repeat times (default 2):

* neurotool: `NEUROTOOL homogenize long_raw.fif -o OUT.nc --rate 250 -q` (read, polyphase resampling
  1 -> 1/4, float32 NetCDF-4 output);
* MNE (mne_peer.py), once per --methods entry: `mne.io.read_raw_fif(path, preload=True)` then
  `raw.resample(250)` (method "fft", MNE's default) and `raw.resample(250, method="polyphase")`. MNE does
  not write anything unless --mne-write, which adds the EEG benchmark's NetCDF-4 writer (the same
  output neurotool writes) to its timed work.

Wall time is the best over the runs, peak memory the largest ru_maxrss of each child alone (os.wait4);
helpers shared with the other benchmarks (Benchmarks/common.py). Ratios are MNE ÷ neurotool (above 1:
neurotool is faster or smaller). Afterwards neurotool's output is compared with every 8th channel of
each MNE result (saved by the peer after its timed steps): largest difference as a fraction of the
channel's range, over the whole record and more than 10 s from both ends. --python-only runs only the
MNE side (and compares its two methods). Prints Markdown; exits 1 with a one-line message if a child
fails or writes no output.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
from common import BenchError, Report, load, machine, main_with, parser, require_executable, run_child  # noqa: E402

RATE = 250
MARGIN = 10.0  # seconds left out at each end for the "inner" comparison
METHODS = ("fft", "polyphase")


def versions(python: str) -> str:
    code = "import mne, scipy, numpy; print(f'MNE {mne.__version__}, SciPy {scipy.__version__}, NumPy {numpy.__version__}')"
    try:
        return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "peer versions unknown"


def compare(a, names_a, b, names_b, rate: float) -> str:
    """a: (time, channel) or (channel, time) with names_a; b: (channel, time) reference with names_b.
    One line: largest |a - b| relative to each channel's range in b, whole record and inner part."""
    import numpy as np

    index = {n: i for i, n in enumerate(names_a)}
    missing = [n for n in names_b if n not in index]
    if missing:
        return f"not compared: channels {missing[:3]} missing"
    x = np.asarray(a)
    if x.shape[0] != len(names_a):
        x = x.T
    x = x[[index[n] for n in names_b]]
    y = np.asarray(b)
    if x.shape != y.shape:
        return f"not compared: shapes {x.shape} vs {y.shape}"
    width = y.max(axis=1) - y.min(axis=1)
    rel = np.abs(x - y) / width[:, None]
    m = int(MARGIN * rate)
    inner = rel[:, m:-m] if rel.shape[1] > 2 * m else rel
    return (f"{len(names_b)} channels ({', '.join(names_b[:2])}, ...), largest |difference| {rel.max():.2g} of the "
            f"channel's range over the whole record, {inner.max():.2g} more than {MARGIN:g} s from both ends")


def main(argv=None) -> int:
    p = parser(__doc__, repeat=2, data_help="folder written by make_data.py (long_raw.fif)")
    p.add_argument("--methods", default=",".join(METHODS), help="MNE resample methods to time (fft,polyphase)")
    p.add_argument("--mne-write", action="store_true", help="MNE also writes the result as NetCDF-4 (timed)")
    p.add_argument("--python", default=sys.executable, help="Python for the MNE peer (default: this one)")
    return main_with(p, bench, argv)


def bench(args) -> int:
    emit = Report()
    tool = None if args.python_only else require_executable(args.neurotool)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if not methods or any(m not in METHODS for m in methods):
        raise BenchError(f"--methods must be a comma-separated list of {', '.join(METHODS)}")
    if args.repeat < 1:
        raise BenchError("--repeat must be at least 1")
    data = Path(args.data)
    fif = data / "long_raw.fif"
    if not fif.is_file():
        raise BenchError(f"--data {data}: no long_raw.fif (run Benchmarks/fif/make_data.py {data} first)")
    try:
        params = json.loads((data / "long_raw.json").read_text())
    except (OSError, ValueError):
        params = {}

    work = Path(tempfile.mkdtemp(prefix="neurotool-fif-bench-"))
    commands: dict[str, tuple[list[str], Path]] = {}
    label = {}
    if tool is not None:
        out = work / "neurotool.nc"
        commands["neurotool"] = ([str(tool.resolve()), "homogenize", str(fif), "-o", str(out), "--rate", str(RATE), "-q"],
                                 out)
        label["neurotool"] = "neurotool"
    for m in methods:
        key = f"mne_{m}"
        argv = [args.python, str(HERE / "mne_peer.py"), str(fif), "--timings", str(work / f"{key}.json"),
                "--rate", str(RATE), "--method", m, "--check", str(work / f"{key}_check.npy")]
        if args.mne_write:
            argv += ["-o", str(work / f"{key}.nc")]
        commands[key] = (argv, work / f"{key}.json")
        label[key] = f"MNE ({m}{', MNE default' if m == 'fft' else ''})"

    pairs = params.get("pairs", "?")
    channels = 2 * pairs if isinstance(pairs, int) else "?"
    emit("# FIF benchmark: long raw FIF → 250 Hz\n")
    emit("\n".join(machine()))
    emit(f"- Peers: {versions(args.python)}")
    emit(f"- Input: long_raw.fif, {params.get('minutes', '?')} min, {channels} MEG channels ({pairs} magnetometers + "
         f"{pairs} planar gradiometers) at {params.get('rate', '?')} Hz, float32 buffers of 1 s, "
         f"{fif.stat().st_size / 1e6:.0f} MB (synthetic, written by MNE; Benchmarks/fif/make_data.py)")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    emit(f"- Runs: {args.repeat} per tool, alternating; best wall time, largest peak RSS (ru_maxrss from os.wait4; on "
         f"Linux it includes this script's own {own:.0f} MB, a floor); input in the page cache after the first run\n")

    times = {k: [] for k in commands}
    peaks = {k: [] for k in commands}
    steps = {k: [] for k in commands if k != "neurotool"}
    try:
        for _ in range(args.repeat):
            for key, (argv, output) in commands.items():
                seconds, peak = run_child(argv, output, label[key])
                times[key].append(seconds)
                peaks[key].append(peak)
                if key in steps:
                    steps[key].append(json.loads(output.read_text()))
        # Only now load outputs (a child's ru_maxrss includes this process's peak on Linux).
        checks = agreement(commands, methods, work)
    finally:
        if args.keep:
            print(f"outputs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    best = {k: min(v) for k, v in times.items()}
    peak = {k: max(v) for k, v in peaks.items()}
    task = {"neurotool": f"read, resample to {RATE} Hz (polyphase), write float32 NetCDF-4"}
    for m in methods:
        call = f"read_raw_fif(preload=True).resample({RATE}" + ("" if m == "fft" else ", method=\"polyphase\"") + ")"
        task[f"mne_{m}"] = f"`{call}`" + (" + NetCDF-4 write" if args.mne_write else "")
    emit("| tool | task | seconds (best) | peak MB |")
    emit("| --- | --- | ---: | ---: |")
    for key in commands:
        emit(f"| {label[key]} | {task[key]} | {best[key]:.2f} | {peak[key]:.0f} |")
    if "neurotool" in best:
        for m in methods:
            k = f"mne_{m}"
            emit(f"| **ratio MNE ({m}) ÷ neurotool** | | **{best[k] / best['neurotool']:.2f}x** | "
                 f"**{peak[k] / peak['neurotool']:.2f}x** |")
    emit()
    if "neurotool" in best:
        emit("- Ratios above 1: neurotool is faster / smaller. " + "; ".join(
            f"MNE ({m}) ÷ neurotool: time **{best[f'mne_{m}'] / best['neurotool']:.2f}x**, peak memory "
            f"**{peak[f'mne_{m}'] / peak['neurotool']:.2f}x**" for m in methods))
    for m in methods:
        k = f"mne_{m}"
        parts = [s for s in ("read", "resample", "write") if s in steps[k][0]]
        emit(f"- MNE ({m}) steps (best of each, s): " +
             ", ".join(f"{s} {min(r[s] for r in steps[k]):.2f}" for s in parts) +
             f"; output {steps[k][0]['n_times']} samples at {steps[k][0]['sfreq']:g} Hz")
    emit("- All runs (s): " + "; ".join(f"{label[k]}: {', '.join(f'{s:.2f}' for s in v)}" for k, v in times.items()))
    for line in checks:
        emit(f"- {line}")
    if args.results:
        Path(args.results).write_text("\n".join(emit.lines) + "\n", encoding="utf-8")
    return 0


def agreement(commands: dict, methods: list[str], work: Path) -> list[str]:
    """Lines comparing neurotool's output with each MNE result (every 8th channel), or MNE's methods
    with each other when neurotool did not run."""
    import numpy as np

    mne_results = {}
    for m in methods:
        path = work / f"mne_{m}_check.npy"
        mne_results[m] = (np.load(path), json.loads(path.with_suffix(".names.json").read_text()))
    lines = []
    if "neurotool" in commands:
        eeg_bench = load("eeg_bench", HERE.parent / "eeg" / "bench.py")
        try:
            nt, names = eeg_bench.read_output(commands["neurotool"][1])
        except Exception as e:  # noqa: BLE001 - reported, not fatal
            return [f"neurotool's output not compared: {type(e).__name__}: {e}"]
        for m in methods:
            y, ynames = mne_results[m]
            lines.append(f"neurotool vs MNE ({m}): " + compare(nt, names, y, ynames, RATE))
    elif len(methods) == 2:
        (x, xn), (y, yn) = mne_results[methods[1]], mne_results[methods[0]]
        lines.append(f"MNE {methods[1]} vs MNE {methods[0]}: " + compare(x, xn, y, yn, RATE))
    return lines


if __name__ == "__main__":
    sys.exit(main())
