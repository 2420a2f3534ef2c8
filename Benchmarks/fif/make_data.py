#!/usr/bin/env python3
"""Writes the long FIF raw file of the FIF benchmark (Benchmarks/fif/bench.py).

    .venv/bin/python Benchmarks/fif/make_data.py Benchmarks/.data/fif [--minutes 10] [--pairs 64] [--rate 1000]

One file, ``OUTDIR/long_raw.fif``, written by MNE's own writer (``raw.save(fmt="single")``: float32
FIFFT_FLOAT data buffers of 1 s, MNE's default buffer_size_sec; cal = range = 1, so the samples are SI
values), with ``OUTDIR/long_raw.json`` beside it (parameters and file size):

* ``--pairs`` (64) Neuromag-style sensor pairs MEGxxy1 (magnetometer, coil type 3024, T) and MEGxxy2
  (planar gradiometer, coil type 3012, T/m): a 306-channel system without its second gradiometers,
  128 channels by default. Positions and orientations as Datasets/meg/generate.py's helmet (a Fibonacci
  spiral on a 12 cm hemisphere, ez the outward normal, ex = e_phi, ey = e_theta); no stim channel.
* ``--minutes`` (10) at ``--rate`` (1000) Hz: 128 x 600,000 samples, 307 MB (MNE splits raw files above
  2 GB; this stays well below).
* Content per channel, in units of SCALE (100 fT for magnetometers, 2 pT/m for gradiometers): 1/f noise
  (J. O. Smith's pink filter, as Benchmarks/eeg/make_data.py; 0.5 own + 0.3 shared, unit RMS), 10 Hz
  alpha (three sources at 9.6, 10.0, 10.4 Hz, slow amplitude modulation, per-channel gains 0.2-1.0),
  50 Hz line noise (0.3, own phase) and white noise (0.05).

Everything is a function of the seed: numpy.random.default_rng([seed, 0]) for the per-channel
parameters, default_rng([seed, 2, block]) for the noise of each 10 s block (the pink filter's state
runs across blocks). MNE's machine id in the file and block ids is replaced by a constant (as
tools/python/make_fif_fixtures.py does) and meas_date is None, so two runs give identical files. Peak
memory while writing: about twice the float64 array (~1.3 GB for the defaults). The file is read back
with mne.io.read_raw_fif(preload=False): channel types, n_times, and 2 s at the start, middle and end must
equal the written values to float32 rounding. A file already there with the same parameters is kept.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
from scipy.signal import lfilter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
from common import load  # noqa: E402

FORMAT_VERSION = 1
SEED = 2029
BLOCK_SECONDS = 10
MIN_FREE_BYTES = 2 * 1024**3
SCALE = {"mag": 100e-15, "grad": 2e-12}
MACHID = np.array([0x4E455552, 0x4F544F4C], dtype=np.int32)  # as tools/python/make_fif_fixtures.py

_eeg_data = load("eeg_make_data", HERE.parent / "eeg" / "make_data.py")
PINK_B, PINK_A = _eeg_data.PINK_B, _eeg_data.PINK_A


def channels(pairs: int):
    """(names, types, locs) of `pairs` magnetometer/gradiometer pairs on the demo's helmet."""
    meg_demo = load("meg_generate", ROOT / "Datasets" / "meg" / "generate.py")
    names, types, locs = [], [], []
    for t in meg_demo.helmet(pairs):
        frame = np.concatenate([t["r0"], t["e_phi"], t["e_theta"], t["n"]])
        for suffix, kind in (("1", "mag"), ("2", "grad")):
            names.append(t["stem"] + suffix)
            types.append(kind)
            locs.append(frame)
    return names, types, locs


class Generator:
    """The signal of every channel, block by block (continuous across blocks), in SI units."""

    def __init__(self, types: list[str], rate: float, seed: int):
        c = len(types)
        self.c, self.rate, self.seed = c, rate, seed
        rng = np.random.default_rng([seed, 0])
        self.scale = np.array([SCALE[t] for t in types])
        self.alpha_gain = rng.uniform(0.2, 1.0, (c, 3))
        self.alpha_freq = np.array([9.6, 10.0, 10.4])
        self.alpha_phase = rng.uniform(0, 2 * np.pi, 3)
        self.am_freq = rng.uniform(0.05, 0.2, 3)
        line_phase = rng.uniform(0, 2 * np.pi, c)
        self.line_cos, self.line_sin = 0.3 * np.cos(line_phase), 0.3 * np.sin(line_phase)
        impulse = lfilter(PINK_B, PINK_A, np.r_[1.0, np.zeros(1 << 16)])
        self.pink_scale = 1.0 / np.sqrt(np.sum(impulse**2))
        self.zi = np.zeros((c + 1, len(PINK_A) - 1))

    def block(self, index: int, first_sample: int, n: int) -> np.ndarray:
        rng = np.random.default_rng([self.seed, 2, index])
        white = rng.standard_normal((self.c + 1, n))
        pink, self.zi = lfilter(PINK_B, PINK_A, white, axis=1, zi=self.zi)
        pink *= self.pink_scale
        x = 0.5 * pink[: self.c] + 0.3 * pink[self.c]
        t = (first_sample + np.arange(n)) / self.rate
        alpha = (1.0 + 0.5 * np.sin(2 * np.pi * self.am_freq[:, None] * t)) * \
            np.sin(2 * np.pi * self.alpha_freq[:, None] * t + self.alpha_phase[:, None])
        x += (self.alpha_gain / np.sqrt(3)) @ alpha
        w = 2 * np.pi * 50.0 * t
        x += np.outer(self.line_cos, np.cos(w)) + np.outer(self.line_sin, np.sin(w))
        x += 0.05 * rng.standard_normal((self.c, n))
        x *= self.scale[:, None]
        return x


def write(path: Path, params: dict) -> tuple[np.ndarray, float]:
    """Writes the file; returns (the float64 array written, seconds)."""
    import mne
    import mne._fiff.write as fiff_write

    start = time.perf_counter()
    fiff_write.get_machid = lambda: MACHID.copy()  # deterministic FILE_ID/BLOCK_ID
    names, types, locs = channels(params["pairs"])
    rate = float(params["rate"])
    total = int(round(params["minutes"] * 60 * rate))
    gen = Generator(types, rate, params["seed"])
    data = np.empty((len(names), total))
    step = int(BLOCK_SECONDS * rate)
    for index, first in enumerate(range(0, total, step)):
        n = min(step, total - first)
        data[:, first:first + n] = gen.block(index, first, n)
    info = mne.create_info(names, rate, types)
    with info._unlock():
        info["line_freq"] = 50.0
        info["description"] = "neurotool FIF benchmark: synthetic (Benchmarks/fif/make_data.py)"
        for ch, loc in zip(info["chs"], locs):
            ch["loc"] = loc.astype(np.float64)
    raw = mne.io.RawArray(data, info, verbose="error")
    tmp = path.with_name(path.stem + ".part_raw.fif")
    raw.save(tmp, fmt="single", overwrite=True, verbose="error")
    tmp.replace(path)
    return data, time.perf_counter() - start


def verify(path: Path, data: np.ndarray, params: dict) -> str:
    import mne

    raw = mne.io.read_raw_fif(path, preload=False, verbose="error")
    types = raw.get_channel_types()
    want = {"mag": params["pairs"], "grad": params["pairs"]}
    got = {k: types.count(k) for k in set(types)}
    if got != want or raw.n_times != data.shape[1] or raw.info["sfreq"] != params["rate"]:
        raise SystemExit(f"make_data.py: MNE reads {path} as {got}, {raw.n_times} samples at "
                         f"{raw.info['sfreq']} Hz: not what was written")
    rate = int(params["rate"])
    worst = 0.0
    peak = np.abs(data).max(axis=1)
    for a in (0, data.shape[1] // 2, data.shape[1] - 2 * rate):
        part = raw.get_data(start=a, stop=a + 2 * rate)
        worst = max(worst, float((np.abs(part - data[:, a:a + 2 * rate]).max(axis=1) / peak).max()))
    if worst > 1e-6:
        raise SystemExit(f"make_data.py: MNE reads {path} with values up to {worst:.3g} of a channel's maximum "
                         "off what was written")
    return (f"MNE reads {path.name}: {params['pairs']} mag + {params['pairs']} grad at {rate} Hz, {raw.n_times} "
            f"samples; 3 x 2 s match the written values (largest difference {worst:.2g} of a channel's maximum)")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir", help="folder for long_raw.fif (created if missing)")
    p.add_argument("--minutes", type=float, default=10.0, help="length in minutes (default 10)")
    p.add_argument("--pairs", type=int, default=64, help="magnetometer + gradiometer pairs (default 64: 128 channels)")
    p.add_argument("--rate", type=int, default=1000, help="sampling rate in Hz (default 1000)")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    args = p.parse_args(argv)
    if not args.minutes > 0 or args.rate < 1 or not 1 <= args.pairs <= 99 * 4:
        p.error("--minutes and --rate must be positive, --pairs 1..396")
    total = int(round(args.minutes * 60 * args.rate))
    size = 2 * args.pairs * total * 4
    if size > 2_000_000_000:
        p.error(f"{size / 1e9:.2f} GB of samples: MNE would split the file (2 GB); ask for less")
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    path, sidecar = outdir / "long_raw.fif", outdir / "long_raw.json"
    params = {"format_version": FORMAT_VERSION, "minutes": args.minutes, "pairs": args.pairs, "rate": args.rate,
              "seed": args.seed, "fmt": "single"}
    try:
        old = json.loads(sidecar.read_text())
        if {k: old.get(k) for k in params} == params and path.stat().st_size == old.get("file_size"):
            print(f"{path}: already there with the same parameters, kept")
            return 0
    except (OSError, ValueError):
        pass
    free = shutil.disk_usage(outdir).free
    if free - size < MIN_FREE_BYTES:
        print(f"{path}: skipped, {size / 1e9:.1f} GB needed and only {free / 1e9:.1f} GB free")
        return 1
    sidecar.unlink(missing_ok=True)
    data, seconds = write(path, params)
    sidecar.write_text(json.dumps({**params, "file_size": path.stat().st_size}, indent=1) + "\n")
    print(f"{path}: {args.minutes:g} min, {args.pairs} mag + {args.pairs} grad at {args.rate} Hz, "
          f"{path.stat().st_size / 1e6:.0f} MB in {seconds:.1f} s", flush=True)
    print(verify(path, data, params))
    return 0


if __name__ == "__main__":
    sys.exit(main())
