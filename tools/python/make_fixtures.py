#!/usr/bin/env python3
"""Writes the DSP cross-check fixtures of neurotool: Tests/Fixtures/dsp/*.json.

Every expected value is computed by NumPy/SciPy (or by a float64 transcription of the published
C. elegans preprocessing code, qsimeon/worm-data-preprocess, Simeon et al. 2024), so the Swift tests
can compare sample for sample. Inputs are generated from a fixed seed and rounded to a few decimals
(as a text file would store them), which keeps the JSON short while staying exact: the expected
values are computed from the rounded inputs.

Run from the repository root:

    .venv/bin/python tools/python/make_fixtures.py

Floats are written with Python's repr (shortest round-trip form), so they parse back to the same
doubles; NaN is written as null. Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import csv
import json
import math
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
import scipy.signal
from scipy.interpolate import CubicSpline

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "dsp"
SCRIPT = "tools/python/make_fixtures.py"
SEED = 20240607
DT = 0.333
PIPELINE_INPUT = "Datasets/celegans/venkatachalam2024/worm1.csv"

GENERATOR = {
    "script": SCRIPT,
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "seed": SEED,
}


# ----------------------------------------------------------------------------- JSON helpers

def floats(a) -> list:
    """A (nested) list of Python floats; NaN becomes None (JSON null)."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        v = float(arr)
        return None if math.isnan(v) else v
    return [floats(x) if arr.ndim > 1 else (None if math.isnan(float(x)) else float(x)) for x in arr]


def sig(a, digits: int = 12):
    """Round to `digits` significant digits (nested lists of floats; NaN -> None)."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        v = float(arr)
        return None if math.isnan(v) else float(f"{v:.{digits}g}")
    return [sig(x, digits) for x in arr]


def write(name: str, obj: dict) -> int:
    obj = {"description": obj.pop("description"), "generator": GENERATOR, **obj}
    path = OUT / name
    text = json.dumps(obj, allow_nan=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    # Round trip: what was written parses back to exactly the same doubles.
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)
    return len(text) + 1


def irregular_times(rng, n: int, period: float, jitter: float, start: float, decimals: int = 4) -> np.ndarray:
    """Strictly increasing frame times: `start + k*period` plus clipped Gaussian jitter, rounded."""
    noise = np.clip(rng.normal(0.0, jitter * period, n), -0.25 * period, 0.25 * period)
    t = np.round(start + period * np.arange(n) + noise, decimals)
    assert np.all(np.diff(t) > 0), "times must be strictly increasing"
    return t


def smooth_signal(rng, t: np.ndarray, noise: float, decimals: int = 6) -> np.ndarray:
    y = (np.sin(2 * np.pi * t / 23.0) + 0.5 * np.sin(2 * np.pi * t / 7.3 + 1.0)
         + 0.25 * np.cos(2 * np.pi * t / 2.9) + noise * rng.normal(size=t.size))
    return np.round(y, decimals)


# ----------------------------------------------------------------------------- reference algorithms (float64)

def moving_average_reference(x: np.ndarray, window_size: int = 15) -> np.ndarray:
    """preprocess/preprocessors/_helpers.py moving_average_smooth, transcribed in float64 (axis 0)."""
    if window_size % 2 == 0:
        window_size += 1
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    for j in range(x.shape[0]):
        start = max(j - window_size // 2, 0)
        out[j] = x[start:j + 1].mean(axis=0)
    return out


def gaussian_reference(x: np.ndarray, sigma: float = 5.0) -> np.ndarray:
    """gaussian_kernel_smooth: weight exp(-k^2/(2 sigma^2)) on x[i-k], normalised over k = 0..i."""
    x = np.asarray(x, dtype=np.float64)
    alpha = 1 / (2 * sigma ** 2)
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        weights = np.exp(-alpha * np.arange(i, -1, -1, dtype=np.float64) ** 2)
        weights /= weights.sum()
        out[i] = np.dot(weights, x[:i + 1])
    return out


def exponential_reference(x: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """exponential_kernel_smooth: s0 = x0, s_i = alpha x_i + (1 - alpha) s_{i-1}."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    out[0] = x[0]
    for i in range(1, x.shape[0]):
        out[i] = alpha * x[i] + (1 - alpha) * out[i - 1]
    return out


def resample_linear(t, y, dt):
    grid = np.arange(0, t[-1], dt)
    return grid, np.interp(grid, t, y)


def resample_reference(t, y, dt):
    """The published rule: interp when upsampling, else interp to dt/6 and means of blocks."""
    if dt < np.median(np.diff(t)):
        grid = np.arange(0, t[-1], dt)
        return grid, np.interp(grid, t, y), "interp"
    fine = np.arange(0, t[-1], dt / 6)
    yf = np.interp(fine, t, y)
    width = max(1, int(np.round(dt / np.median(np.diff(fine)[1:]))))
    n = len(fine) // width
    out = yf[:n * width].reshape(n, width).mean(axis=1)
    return dt * np.arange(n), out, f"aggregate width={width}"


def resample_polyphase(t, y, dt):
    L = math.ceil(dt / np.median(np.diff(t)) - 1e-9)
    fine = np.arange(0, t[-1], dt / L)
    yf = np.interp(fine, t, y)
    out = scipy.signal.resample_poly(yf, 1, L, padtype="mean")
    return dt * np.arange(len(out)), out, L


def zscore(x: np.ndarray):
    """Population z-score ignoring NaN; a constant channel is only centred (scale 1)."""
    mean = np.nanmean(x)
    std = np.nanstd(x)
    scale = std if std > 0 else 1.0
    return (x - mean) / scale, mean, scale


def fill_nan_runs(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Linear interpolation in time between a NaN run's neighbours; nearest value at the ends."""
    x = x.copy()
    bad = np.isnan(x)
    if bad.any() and not bad.all():
        x[bad] = np.interp(t[bad], t[~bad], x[~bad])
    return x


# ----------------------------------------------------------------------------- fixtures

def interp_linear(rng) -> dict:
    t = irregular_times(rng, 200, 0.35, 0.08, start=0.8)
    y = smooth_signal(rng, t, 0.1)
    main = np.arange(0, t[-1], DT)
    extra = np.array([-1.0, -1e-3, t[0], t[1], t[57], t[120], t[-2], t[-1], t[-1] + 0.1, t[-1] + 5.0])
    targets = np.sort(np.concatenate([main, extra]))
    return {
        "description": ("numpy.interp(targets, t, y) on irregular times (~0.35 s, jittered, t[0] = 0.8). "
                        "targets = arange(0, t_last, 0.333) plus points before t[0], on knots and after "
                        "t_last (clamping to y[0] / y[-1]); sorted ascending."),
        "t": floats(t), "y": floats(y), "targets": floats(targets),
        "expected": floats(np.interp(targets, t, y)),
    }


def cubic_spline(rng) -> dict:
    cases = []
    t = irregular_times(rng, 60, 0.35, 0.08, start=0.0)
    y = smooth_signal(rng, t, 0.05)
    targets = np.sort(np.concatenate([np.arange(0, t[-1], DT), [t[10], t[-1], -0.2, t[-1] + 0.3]]))
    cases.append({"name": "one column", "t": floats(t), "columns": [floats(y)], "targets": floats(targets),
                  "expected": [floats(CubicSpline(t, y)(targets))]})
    t2 = irregular_times(rng, 60, 0.6, 0.1, start=0.3)
    cols = [smooth_signal(rng, t2, 0.05),
            np.round(np.cumsum(rng.normal(size=60)), 6),
            np.round(400 + 30 * np.exp(-t2 / 9.0) + rng.normal(size=60), 4)]
    targets2 = np.sort(np.concatenate([np.arange(0, t2[-1], DT), [t2[0], t2[33], t2[-1]]]))
    cases.append({"name": "three columns (multi-column solve)", "t": floats(t2), "columns": [floats(c) for c in cols],
                  "targets": floats(targets2),
                  "expected": [floats(CubicSpline(t2, c)(targets2)) for c in cols]})
    # Small n: scipy's not-a-knot with 4 samples is one cubic through all of them.
    t3 = np.array([0.0, 0.7, 1.5, 2.0])
    y3 = np.array([1.0, -0.5, 0.25, 2.0])
    targets3 = np.linspace(-0.5, 2.5, 13)
    cases.append({"name": "four samples (single cubic), with extrapolation", "t": floats(t3), "columns": [floats(y3)],
                  "targets": floats(targets3), "expected": [floats(CubicSpline(t3, y3)(targets3))]})
    return {
        "description": ("scipy.interpolate.CubicSpline(t, column) (not-a-knot, extrapolate=True) evaluated at "
                        "targets; columns and expected are lists of columns. Targets include a few points "
                        "outside [t[0], t[-1]] (extrapolation of the end polynomials)."),
        "cases": cases,
    }


def firwin_kaiser() -> dict:
    specs = [(21, 0.5, 5.0), (61, 1 / 3, 5.0), (121, 1 / 6, 5.0), (41, 1 / 2, 5.0), (81, 1 / 4, 5.0),
             (20, 0.5, 5.0), (41, 0.25, 8.6), (11, 0.8, 0.0), (7, 0.1, 14.0), (3, 0.5, 5.0)]
    cases = []
    for taps, cutoff, beta in specs:
        cases.append({
            "taps": taps, "cutoff": float(cutoff), "beta": float(beta),
            "expected": floats(scipy.signal.firwin(taps, cutoff, window=("kaiser", beta))),
            "window": floats(scipy.signal.windows.kaiser(taps, beta, sym=True)),
        })
    windows = [{"length": n, "beta": b, "expected": floats(scipy.signal.windows.kaiser(n, b, sym=True))}
               for n, b in [(1, 5.0), (2, 5.0), (5, 0.0), (8, 5.0), (9, 30.0)]]
    return {
        "description": ("scipy.signal.firwin(taps, cutoff, window=('kaiser', beta)) (low-pass, scale=True, "
                        "cutoff as a fraction of Nyquist) and the window "
                        "scipy.signal.windows.kaiser(taps, beta, sym=True) of each case; "
                        "'windows' are extra Kaiser windows (edge lengths 1 and 2)."),
        "cases": cases, "windows": windows,
    }


def resample_poly(rng) -> dict:
    n = 500
    x = np.round(np.cumsum(rng.normal(size=n)) * 0.3 + 2.0 + rng.normal(size=n), 6)
    cases = []
    for up, down in [(1, 6), (2, 3), (3, 2), (1, 2)]:
        for padtype in ["constant", "mean"]:
            y = scipy.signal.resample_poly(x, up, down, padtype=padtype)
            cases.append({"up": up, "down": down, "padtype": padtype, "columns": 1,
                          "expected": [floats(y)]})
    m = 317
    x2 = np.round(np.column_stack([np.sin(np.arange(m) / 5.0) + 3.0 + 0.1 * rng.normal(size=m),
                                   rng.normal(size=m) - 1.5]), 6)
    two = []
    for up, down in [(1, 4), (1, 6)]:
        y2 = scipy.signal.resample_poly(x2, up, down, axis=0, padtype="mean")
        two.append({"up": up, "down": down, "padtype": "mean", "columns": 2, "expected": [floats(c) for c in y2.T]})
    return {
        "description": ("scipy.signal.resample_poly(x, up, down, padtype=...) with the default window "
                        "('kaiser', 5.0). 'x' is the single-column input of 'cases' (length 500); "
                        "'x2' (two columns, length 317, given as columns) is the input of 'two_column_cases' "
                        "(axis=0). expected is a list of output columns, length ceil(n*up/down)."),
        "x": floats(x), "cases": cases,
        "x2": [floats(c) for c in x2.T], "two_column_cases": two,
    }


def gradient(rng) -> dict:
    cases = []
    t = irregular_times(rng, 150, 0.35, 0.1, start=0.0)
    y = smooth_signal(rng, t, 0.05)
    cases.append({"name": "irregular, 150 samples", "t": floats(t), "y": floats(y),
                  "expected": floats(np.gradient(y, t))})
    for k, (tt, yy) in enumerate([([0.0, 0.4], [1.0, 2.0]), ([0.0, 0.3, 1.0], [1.0, -1.0, 4.0])]):
        tt, yy = np.array(tt), np.array(yy)
        cases.append({"name": f"{len(tt)} samples", "t": floats(tt), "y": floats(yy),
                      "expected": floats(np.gradient(yy, tt))})
    return {
        "description": ("numpy.gradient(y, t) on irregular times: second-order central differences "
                        "inside, first-order one-sided differences at both ends (edge_order=1)."),
        "cases": cases,
    }


def smoothing(rng) -> dict:
    n = 300
    x = np.round(np.sin(np.arange(n) / 9.0) + 0.3 * rng.normal(size=n) + 1.0, 6)
    return {
        "description": ("The three causal smoothers of qsimeon/worm-data-preprocess "
                        "(preprocess/preprocessors/_helpers.py), transcribed in float64. moving: "
                        "moving_average_smooth(window_size=15): out[j] = mean(x[max(j - 15//2, 0) : j+1]), "
                        "i.e. 8 samples (Swift .moving(window: 8)); gaussian: sigma=5, weight "
                        "exp(-k^2/(2 sigma^2)) on x[i-k] normalised over k = 0..i; exponential: alpha=0.5, "
                        "s0 = x0, s_i = alpha x_i + (1-alpha) s_{i-1}."),
        "x": floats(x),
        "moving": {"window_size": 15, "swift_window": 8, "expected": floats(moving_average_reference(x, 15))},
        "gaussian": {"sigma": 5.0, "expected": floats(gaussian_reference(x, 5.0))},
        "exponential": {"alpha": 0.5, "expected": floats(exponential_reference(x, 0.5))},
    }


def resample_methods(rng) -> dict:
    specs = [
        ("kato-like 2.85 Hz, 900 samples (upsampled to 3.003 Hz)", 2.85, 900),
        ("flavell-like 1.7 Hz, 160 samples (upsampled)", 1.7, 160),
        ("fast 10 Hz, 300 samples (downsampled: reference blocks of 6, polyphase L=4)", 10.0, 300),
        ("4 Hz, 200 samples (downsampled: reference blocks of 6, polyphase L=2)", 4.0, 200),
    ]
    cases = []
    for name, rate, n in specs:
        t = irregular_times(rng, n, 1 / rate, 0.03, start=0.0)  # t[0] = 0 (already shifted)
        t[0] = 0.0
        y = smooth_signal(rng, t, 0.1)
        median = float(np.median(np.diff(t)))
        g_ref, y_ref, how = resample_reference(t, y, DT)
        g_poly, y_poly, L = resample_polyphase(t, y, DT)
        g_lin, y_lin = resample_linear(t, y, DT)
        cases.append({
            "name": name, "dt": DT, "median_source_dt": median, "downsampling": bool(DT > median),
            "t": floats(t), "y": floats(y),
            "reference": {"time": floats(g_ref), "values": floats(y_ref), "branch": how},
            "polyphase": {"time": floats(g_poly), "values": floats(y_poly), "factor": L},
            "linear": {"time": floats(g_lin), "values": floats(y_lin)},
        })
    return {
        "description": (
            "Resamplers onto dt = 0.333 s from irregular times starting at 0. reference: if dt < "
            "median(diff(t)) np.interp onto arange(0, t_last, dt), else interp onto fine = arange(0, t_last, "
            "dt/6), width = max(1, int(round(dt / median(diff(fine)[1:])))), means of len(fine)//width "
            "blocks, times dt*arange(n). polyphase: L = ceil(dt/median(diff(t)) - 1e-9), interp onto "
            "arange(0, t_last, dt/L), scipy.signal.resample_poly(., 1, L, padtype='mean'), times "
            "dt*arange(len). linear: np.interp onto arange(0, t_last, dt). Note: 2.85 Hz and 1.7 Hz are "
            "both slower than 1/0.333 Hz, so for them all three methods are plain interpolation; the 10 Hz "
            "and 4 Hz cases exercise the downsampling branches."),
        "cases": cases,
    }


def zscore_dff(rng) -> dict:
    n = 240
    x = np.round(400 + 60 * np.sin(np.arange(n) / 11.0) + 8 * rng.normal(size=n), 3)
    for i in [0, 17, 18, 19, 100, 239]:
        x[i] = np.nan
    z, mean, scale = zscore(x)
    f0 = float(np.nanpercentile(x, 20))
    const = np.full(10, 3.5)
    const[4] = np.nan
    zc, mc, sc = zscore(const)
    return {
        "description": ("Per-channel normalisation with NaNs (null). zscore: (x - nanmean) / nanstd (population, "
                        "ddof=0), NaNs kept; a constant channel is only centred (scale 1). dff: (x - F0) / F0 with "
                        "F0 = np.nanpercentile(x, 20) (linear interpolation)."),
        "x": floats(x),
        "zscore": {"mean": float(mean), "scale": float(scale), "expected": floats(z)},
        "dff": {"percentile": 20.0, "f0": f0, "expected": floats((x - f0) / f0)},
        "constant": {"x": floats(const), "mean": float(mc), "scale": float(sc), "expected": floats(zc)},
    }


def read_csv_table(path: Path):
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    assert header[0].lower() == "time", header[0]

    def number(cell: str) -> float:
        cell = cell.strip()
        return math.nan if cell == "" or cell.lower() == "nan" else float(cell)

    body = np.array([[number(c) for c in r] for r in rows[1:] if r], dtype=np.float64)
    return header, body[:, 0], body[:, 1:]


def pipeline_reference() -> dict:
    header, t_raw, X = read_csv_table(ROOT / PIPELINE_INPUT)
    t = t_raw - t_raw[0]
    nan_cells = int(np.isnan(X).sum())
    X = np.column_stack([fill_nan_runs(X[:, j], t) for j in range(X.shape[1])])
    residual = np.gradient(X, t, axis=0)
    Xs = moving_average_reference(X, 15)
    Rs = moving_average_reference(residual, 15)
    grid = None
    data_cols, res_cols, means, scales = [], [], [], []
    branch = None
    for j in range(X.shape[1]):
        g, d, branch = resample_reference(t, Xs[:, j], DT)
        _, r, _ = resample_reference(t, Rs[:, j], DT)
        grid = g if grid is None else grid
        z, mean, scale = zscore(d)
        data_cols.append(z)
        res_cols.append(r / scale)
        means.append(mean)
        scales.append(scale)
    data = np.column_stack(data_cols)
    res = np.column_stack(res_cols)
    m = len(grid)
    # Stored rows: the start (smoother warm-up, first grid points), every 125th row, and the end.
    rows = sorted(set(range(0, 20)) | set(range(0, m, 125)) | set(range(m - 5, m)))
    return {
        "description": (
            f"End-to-end homogenization of {PIPELINE_INPUT} (csv module; empty/nan cells -> NaN: "
            f"{nan_cells} here), as `neurotool homogenize {PIPELINE_INPUT} -o X --resampler reference "
            "--channels native --float64`: time shifted to 0; NaN runs filled linearly in time; residual = "
            "np.gradient(trace, t); moving-average smoothing (reference window_size 15 = 8 samples) of trace "
            "AND residual on the original grid (as the reference and RecordingProcessor do); reference "
            "resampler to dt = 0.333 s (this ~1 Hz recording is upsampled: np.interp onto arange(0, t_last, "
            "dt)); per-channel z-score (population std); residual divided by the same std. Columns are in "
            "file order, 'labels' = header[1:] verbatim (it has a duplicate, AVEL, and 'RMEL?'; neurotool's "
            "native order renames the second AVEL to AVEL_2). To stay small only the rows listed in 'rows' "
            "are stored ('data'/'residual' are time-major, one entry per stored row; 'time' are those rows' "
            "times, exact), data rounded to 12 significant digits; 'n_time' is the full grid length, and "
            "'column_mean'/'column_scale' are each channel's pre-normalisation mean and std (12 digits)."),
        "input": PIPELINE_INPUT,
        "dt": DT,
        "labels": header[1:],
        "n_time": m,
        "n_channels": data.shape[1],
        "resampler_branch": branch,
        "rows": rows,
        "time": floats(grid[rows]),
        "data": sig(data[rows]),
        "residual": sig(res[rows]),
        "column_mean": sig(means),
        "column_scale": sig(scales),
    }


README = """# DSP fixtures

Cross-check fixtures for the NeuroDSP / NeuroHomogenize tests. Every expected value was computed
by NumPy/SciPy (or by a float64 transcription of the published pipeline's code,
qsimeon/worm-data-preprocess, `preprocess/preprocessors/_helpers.py`) from deterministic inputs
(fixed seed). Each file carries a `description` and a `generator` (script, Python, NumPy and
SciPy versions, seed). Floats are Python reprs (they parse back to the same doubles); NaN is `null`.

Regenerate from the repository root:

    .venv/bin/python tools/python/make_fixtures.py

| file | what |
| --- | --- |
{rows}

Notes

* `resample_methods.json`: 2.85 Hz and 1.7 Hz sources are slower than the 3.003 Hz target, so every
  method interpolates for them; the 10 Hz and 4 Hz cases exercise the downsampling branches
  (reference: interp to dt/6 and means of 6; polyphase: interp to dt/L and `resample_poly(., 1, L,
  padtype='mean')`).
* `pipeline_reference.json` stores only a subset of rows (`rows`: the first 20, every 125th and the
  last 5), rounded to 12 significant digits, plus per-channel mean/std, to stay small; compare the
  output of `neurotool homogenize Datasets/celegans/venkatachalam2024/worm1.csv -o X --resampler
  reference --channels native --float64` at those rows with a relative tolerance of ~1e-10.
"""

FILES = {
    "interp_linear.json": "numpy.interp on irregular times, with clamping outside the samples",
    "cubic_spline.json": "scipy CubicSpline (not-a-knot) on 1, 3 (multi-column) and 4-sample cases",
    "firwin_kaiser.json": "scipy.signal.firwin with Kaiser windows, and the windows themselves",
    "resample_poly.json": "scipy.signal.resample_poly for (1,6), (2,3), (3,2), (1,2) x constant/mean; 2-column cases",
    "gradient.json": "numpy.gradient(y, t) on irregular times (and n = 2, 3)",
    "smoothing.json": "reference moving (window_size 15), gaussian (sigma 5), exponential (alpha 0.5) smoothers",
    "resample_methods.json": "reference, polyphase and linear resamplers onto dt = 0.333 s, with output times",
    "zscore_dff.json": "z-score (population std, NaN ignored) and dF/F with F0 = 20th percentile",
    "pipeline_reference.json": "end-to-end pipeline on venkatachalam2024/worm1.csv (reference resampler)",
}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    builders = {
        "interp_linear.json": lambda: interp_linear(rng),
        "cubic_spline.json": lambda: cubic_spline(rng),
        "firwin_kaiser.json": firwin_kaiser,
        "resample_poly.json": lambda: resample_poly(rng),
        "gradient.json": lambda: gradient(rng),
        "smoothing.json": lambda: smoothing(rng),
        "resample_methods.json": lambda: resample_methods(rng),
        "zscore_dff.json": lambda: zscore_dff(rng),
        "pipeline_reference.json": pipeline_reference,
    }
    total = 0
    for name, build in builders.items():
        size = write(name, build())
        total += size
        print(f"{name:26s} {size:8d} bytes")
    rows = "\n".join(f"| `{k}` | {v} |" for k, v in FILES.items())
    (OUT / "README.md").write_text(README.format(rows=rows), encoding="utf-8")
    print(f"{'total':26s} {total:8d} bytes")
    assert total < 400_000, f"fixtures too large: {total} bytes"
    return 0


if __name__ == "__main__":
    sys.exit(main())
