#!/usr/bin/env python3
"""SciPy peer of the EEG benchmark, resampling only: `scipy.signal.resample_poly` on the EEG channels.

    .venv/bin/python Benchmarks/eeg/scipy_peer.py FILE.bdf -o OUT.nc [--down 8] [--timings T.json]

Reads the file with ``mne.io.read_raw_bdf(preload=True)``, then resamples the EEG channels with
``scipy.signal.resample_poly(data, 1, down, axis=1)`` (SciPy defaults: Kaiser beta 5 window,
zero padding) and the Status channel by sample-and-hold (every ``down``-th sample, as neurotool does),
and writes the result like mne_peer.py (float32 NetCDF-4, zlib level 1). ``--timings`` gets the
seconds of each step as JSON; ``resample`` is the resample_poly call alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mne_peer import write_netcdf  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("bdf")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--down", type=int, default=8)
    p.add_argument("--timings", help="write the seconds of each step to this JSON file")
    args = p.parse_args(argv)

    import mne

    mne.set_log_level("error")
    steps = {}
    t0 = time.perf_counter()
    raw = mne.io.read_raw_bdf(args.bdf, preload=True)
    data = raw.get_data()
    steps["read"] = time.perf_counter() - t0
    stim = [i for i, k in enumerate(raw.get_channel_types()) if k == "stim"]
    eeg = [i for i in range(len(raw.ch_names)) if i not in stim]
    t = time.perf_counter()
    resampled = resample_poly(data[eeg], 1, args.down, axis=1)
    steps["resample"] = time.perf_counter() - t
    out = np.empty((len(raw.ch_names), resampled.shape[1]))
    out[eeg] = resampled
    out[stim] = data[stim, ::args.down][:, : resampled.shape[1]]
    t = time.perf_counter()
    write_netcdf(args.output, out, raw.ch_names, raw.info["sfreq"] / args.down, "scipy_peer")
    steps["write"] = time.perf_counter() - t
    steps["total"] = time.perf_counter() - t0
    if args.timings:
        with open(args.timings, "w") as f:
            json.dump(steps, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
