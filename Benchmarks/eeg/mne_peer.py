#!/usr/bin/env python3
"""MNE peer of the EEG benchmark: the same work as `neurotool homogenize FILE.bdf --rate 256 --l-freq 1
--h-freq 40 --notch 50`, written the way an MNE user would.

    .venv/bin/python Benchmarks/eeg/mne_peer.py FILE.bdf -o OUT.nc [--rate 256] [--pad auto]

Steps (MNE defaults otherwise, default picks):

    raw = mne.io.read_raw_bdf(path, preload=True)
    raw.resample(256, method="polyphase")      # pad="auto": SciPy resample_poly with padtype="reflect"
    raw.notch_filter(50)
    raw.filter(1, 40)

then the data are saved as float32 NetCDF-4 with netCDF4-python in neurotool's layout: one variable
``data`` (time, channel), shuffle + zlib level 1, one channel per chunk of up to 16384 samples,
NaN fill value, plus ``time`` and ``channel`` coordinates, so both sides do the same output I/O.

``--pad constant`` makes MNE's polyphase resampling zero-pad the edges (SciPy's own default, and
neurotool's) instead of reflecting them; bench.py uses it once to show where the two differ.
``--max-memory-gb N`` caps this process's address space (RLIMIT_AS), so a run that would not fit
fails with MemoryError instead of waking the kernel's OOM killer. ``--timings FILE`` writes the
seconds of each step as JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import numpy as np


def write_netcdf(path: str, data: np.ndarray, names: list[str], rate: float, title: str) -> None:
    """data: (channel, time) array; written as float32 (time, channel) like neurotool's output."""
    import netCDF4

    channels, samples = data.shape
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.title = title
        nc.createDimension("time", samples)
        nc.createDimension("channel", channels)
        t = nc.createVariable("time", "f8", ("time",))
        t.units = "s"
        t[:] = np.arange(samples) / rate
        c = nc.createVariable("channel", str, ("channel",))
        c[:] = np.array(names, dtype=object)
        v = nc.createVariable("data", "f4", ("time", "channel"), zlib=True, complevel=1, shuffle=True,
                              chunksizes=(min(samples, 16384), 1), fill_value=np.float32(np.nan))
        v.units = "V"
        v[:] = np.ascontiguousarray(data.T, dtype=np.float32)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("bdf")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--rate", type=float, default=256.0)
    p.add_argument("--l-freq", type=float, default=1.0)
    p.add_argument("--h-freq", type=float, default=40.0)
    p.add_argument("--notch", type=float, default=50.0)
    p.add_argument("--pad", default="auto", help="pad of Raw.resample (auto = MNE's default, reflect)")
    p.add_argument("--max-memory-gb", type=float, help="cap the address space of this process")
    p.add_argument("--timings", help="write the seconds of each step to this JSON file")
    args = p.parse_args(argv)
    if args.max_memory_gb:
        limit = int(args.max_memory_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    import mne

    mne.set_log_level("error")
    steps = {}
    t0 = time.perf_counter()
    raw = mne.io.read_raw_bdf(args.bdf, preload=True)
    steps["read"] = time.perf_counter() - t0
    t = time.perf_counter()
    raw.resample(args.rate, method="polyphase", pad=args.pad)
    steps["resample"] = time.perf_counter() - t
    t = time.perf_counter()
    raw.notch_filter(args.notch)
    steps["notch"] = time.perf_counter() - t
    t = time.perf_counter()
    raw.filter(args.l_freq, args.h_freq)
    steps["filter"] = time.perf_counter() - t
    t = time.perf_counter()
    write_netcdf(args.output, raw.get_data(), raw.ch_names, raw.info["sfreq"], "mne_peer")
    steps["write"] = time.perf_counter() - t
    steps["total"] = time.perf_counter() - t0
    if args.timings:
        with open(args.timings, "w") as f:
            json.dump(steps, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
