#!/usr/bin/env python3
"""The homogenization pipeline in plain NumPy: the Python side of the homogenize benchmark.

    .venv/bin/python Benchmarks/homogenize/python_pipeline.py -o OUT.nc worm01.h5 worm02.h5 ...

Does the same work as

    neurotool homogenize IN.h5... -o OUT.nc --option data=/trace_array --option time=/timestamp_confocal \\
        --option labels=/neuron_labels --option layout=channel-time --resampler reference

written as the strongest fair NumPy version rather than a transcription of the reference's Python
loops: per worm, h5py read; channel mapping onto the 300 canonical names by dict lookup (unlabeled
and duplicate labels become unlabeled_k channels after them); NaN runs filled linearly in time;
residual = np.gradient(trace, t) on the true timestamps; the reference causal moving average
(window_size 15 = the current and 7 previous samples) vectorised with cumsum, on trace and residual;
the reference resampler to dt = 0.333 s (np.interp semantics, one bracket search shared by all
channels; interp to dt/6 and block means when downsampling); per-channel z-score (population std),
residual divided by the same std; netCDF4 output, one group per worm, float32 data/residual with zlib
level 1 and the same chunking as neurotool.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import h5py
import netCDF4
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CANONICAL = ROOT / "Datasets" / "celegans" / "canonical_neurons.txt"
HALF_WINDOW = 15 // 2  # reference moving_average_smooth(window_size=15): x[j-7 : j+1]


def read_worm(path: str):
    with h5py.File(path, "r") as f:
        data = f["trace_array"][()].T.astype(np.float64)  # (N, T) float32 -> (T, N)
        t = f["timestamp_confocal"][()].astype(np.float64)
        labels = [s.strip() for s in f["neuron_labels"].asstr()[()]]
    return data, t, labels


def map_channels(labels: list[str], index: dict[str, int]):
    """Output column of each source column: canonical position, else 300 + k for unlabeled_k."""
    target = np.empty(len(labels), dtype=np.int64)
    seen = set()
    unlabeled = 0
    for j, name in enumerate(labels):
        k = index.get(name)
        if k is None or k in seen:
            target[j] = len(index) + unlabeled
            unlabeled += 1
        else:
            target[j] = k
            seen.add(k)
    return target, unlabeled


def fill_nans(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    bad = np.isnan(x)
    if not bad.any():
        return x
    x = x.copy()
    for j in np.flatnonzero(bad.any(axis=0)):
        b = bad[:, j]
        if b.all():
            raise ValueError(f"column {j} is all NaN")
        x[b, j] = np.interp(t[b], t[~b], x[~b, j])
    return x


def moving_average(x: np.ndarray) -> np.ndarray:
    """out[j] = mean(x[max(j - 7, 0) : j + 1]) along axis 0, by cumulative sums."""
    w = HALF_WINDOW + 1
    c = np.cumsum(x, axis=0)
    out = np.empty_like(x)
    head = min(w, len(x))
    out[:head] = c[:head] / np.arange(1, head + 1)[:, None]
    if len(x) > w:
        out[w:] = (c[w:] - c[:-w]) / w
    return out


def interp_columns(grid: np.ndarray, t: np.ndarray, y: np.ndarray) -> np.ndarray:
    """np.interp(grid, t, y[:, c]) for every column, sharing the bracket search."""
    n = len(t)
    j = np.clip(np.searchsorted(t, grid, side="right") - 1, 0, n - 2)
    y0 = y[j]
    out = y[j + 1]
    # numpy's formula, in place: slope = (y1 - y0) / (t1 - t0); slope * (x - t0) + y0
    out -= y0
    out /= (t[j + 1] - t[j])[:, None]
    out *= (grid - t[j])[:, None]
    out += y0
    out[grid <= t[0]] = y[0]
    out[grid >= t[-1]] = y[-1]
    return out


def resample_reference(t: np.ndarray, y: np.ndarray, dt: float):
    if dt < np.median(np.diff(t)):
        grid = np.arange(0, t[-1], dt)
        return grid, interp_columns(grid, t, y)
    fine = np.arange(0, t[-1], dt / 6)
    yf = interp_columns(fine, t, y)
    width = max(1, int(np.round(dt / np.median(np.diff(fine)[1:]))))
    n = len(fine) // width
    out = yf[: n * width].reshape(n, width, y.shape[1]).mean(axis=1)
    return dt * np.arange(n), out


def process(path: str, names: list[str], index: dict[str, int], dt: float):
    x, t, labels = read_worm(path)
    t = t - t[0]
    x = fill_nans(x, t)
    target, unlabeled = map_channels(labels, index)
    residual = np.gradient(x, t, axis=0)
    smooth = moving_average(np.hstack([x, residual]))
    grid, resampled = resample_reference(t, smooth, dt)
    n = x.shape[1]
    data, res = resampled[:, :n], resampled[:, n:]
    mean = data.mean(axis=0)
    std = data.std(axis=0)
    scale = np.where(std > 0, std, 1.0)
    channels = len(names) + unlabeled
    # Computed in float64, stored as float32 (the output precision) as soon as each column is final.
    out = np.full((len(grid), channels), np.nan, dtype=np.float32)
    out_res = np.full((len(grid), channels), np.nan, dtype=np.float32)
    out[:, target] = (data - mean) / scale
    out_res[:, target] = res / scale
    recorded = np.zeros(channels, dtype=np.int8)
    recorded[target] = 1
    labeled = recorded.copy()
    labeled[len(names):] = 0
    original = [""] * channels
    for j, k in enumerate(target):
        original[k] = labels[j]
    channel_names = names + [f"unlabeled_{k}" for k in range(unlabeled)]
    return grid, out, out_res, channel_names, recorded, labeled, original


def write_group(nc: netCDF4.Dataset, name: str, dt: float, grid, data, res, channels, recorded, labeled, original):
    g = nc.createGroup(name)
    m, c = data.shape
    g.createDimension("time", m)
    g.createDimension("channel", c)
    # neurotool's layout: one channel per chunk (up to 16384 samples), NaN fill value, and only the
    # recorded channels written, so unrecorded channels cost nothing (the same work on both sides).
    chunk_rows = max(1, min(m, 16_384))
    tv = g.createVariable("time", "f8", ("time",))
    tv.units = "s"
    tv[:] = grid
    cv = g.createVariable("channel", str, ("channel",))
    cv[:] = np.array(channels, dtype=object)
    columns = np.flatnonzero(recorded)
    for vname, values in (("data", data), ("residual", res)):
        v = g.createVariable(vname, "f4", ("time", "channel"), zlib=True, complevel=1, shuffle=True,
                             chunksizes=(chunk_rows, 1), fill_value=np.float32(np.nan))
        # A small chunk cache: netCDF-C's default per-variable cache would keep written chunks of every
        # group in memory until the file is closed (peak memory growing with the worm count).
        v.set_var_chunk_cache(size=2 * chunk_rows * 4, nelems=2, preemption=1.0)
        block = np.ascontiguousarray(values[:, columns].T.astype(np.float32))
        for k, j in enumerate(columns):
            v[:, int(j)] = block[k]
    for vname, values in (("recorded", recorded), ("labeled", labeled)):
        v = g.createVariable(vname, "i1", ("channel",))
        v.setncattr("dtype", "bool")  # setncattr: .dtype is netCDF4's own property
        v[:] = values
    ov = g.createVariable("original_label", str, ("channel",))
    ov[:] = np.array(original, dtype=object)
    g.sampling_rate = 1.0 / dt


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="NumPy homogenization pipeline (benchmark peer of neurotool).")
    p.add_argument("inputs", nargs="+", help="worm HDF5 files (make_data.py)")
    p.add_argument("-o", "--output", required=True, help="output NetCDF-4 file")
    p.add_argument("--dt", type=float, default=0.333, help="target step in seconds (default 0.333)")
    args = p.parse_args(argv)
    names = [s.strip() for s in CANONICAL.read_text().splitlines() if s.strip()]
    index = {n: i for i, n in enumerate(names)}
    with netCDF4.Dataset(args.output, "w", format="NETCDF4") as nc:
        nc.setncattr("format", "neurotool-common")
        nc.setncattr("format_version", "1.0")
        nc.setncattr("producer", "Benchmarks/homogenize/python_pipeline.py")
        groups = []
        for path in args.inputs:
            name = Path(path).stem
            write_group(nc, name, args.dt, *process(path, names, index, args.dt))
            groups.append(name)
        nc.setncattr("recordings", ",".join(groups))
    return 0


if __name__ == "__main__":
    sys.exit(main())
