#!/usr/bin/env python3
"""NumPy/SciPy peer of `neurotool ftag` (frequency-tagging probes): the same definitions, printed as JSON.

    .venv/bin/python tools/python/ftag_peer.py DATA.npy --rate FS --tags 1,2,4 [--method fft|welch] \
        [--nperseg N] [--noverlap N] [--average evoked|spectra] [--neighbors 3] [--skip 1] \
        [--perms PERMS.npy] [--control CONTROL.npy]
    .venv/bin/python tools/python/ftag_peer.py CONDITIONS.npy --rate FS --rsa-band 0.5,2 [--rsa-compare B.npy]

DATA.npy is float64 units x time or units x time x trials (trials last). For one channel's samples x of
one trial (n samples, rate fs; bins k = 0..n//2 at k*fs/n):

* psd, fft:   scipy.signal.periodogram(x, fs, window='boxcar', detrend='constant', scaling='density');
* psd, welch: scipy.signal.welch(x, fs, window='hann', nperseg=N, noverlap=M (default N//2),
              detrend='constant', scaling='density', average='mean');
* amplitude (fft only): |rfft(x - mean(x))| * 2 / n, bin 0 and (n even) bin n//2 not doubled;
* --average evoked: the trials are averaged in time first, then one spectrum; spectra: one spectrum
  per trial, then their mean;
* tag bin k = round(f * L / fs), L = n (fft) or N (welch);
* snr: the MNE SSVEP tutorial's snr_spectrum(psd, noise_n_neighbor_freqs=NEIGH,
  noise_skip_neighbor_freqs=SKIP) at k (NaN within NEIGH + SKIP bins of either end);
* z: (psd[k] - mean(nb)) / std(nb, ddof=1), nb = psd[k-SKIP-NEIGH : k-SKIP] and
  psd[k+SKIP+1 : k+SKIP+1+NEIGH] (NaN when a neighbour falls outside the spectrum);
* itpc (more than one trial): |mean over trials of X_t[k] / |X_t[k]||, X_t = rfft(trial t) (no detrend,
  no window; a zero X_t[k] counts as 0), at k = round(f * n / fs) whatever --method;
* HFTP, per unit: xbar = trial average, X = rfft(xbar), X[0] = 0, obs = |X[k]| (k on n samples). With
  --perms (an integer array P x n, each row a permutation of 0..n-1, shared by all units): null_p =
  |rfft(xbar[perm_p])[k]|, threshold = numpy.percentile(null, 95), passes = obs > threshold,
  pvalue = (1 + #{null >= obs}) / (1 + P), pvalue_bh = scipy.stats.false_discovery_control(pvalue,
  method='bh') per tag across units;
* --control CONTROL.npy (same shape as DATA): d = obs - obs_control per unit and tag, control_z =
  (d - mean(d)) / std(d, ddof=0) over units per tag, control_passes = control_z > 2;
* --balanced (neurotool's tag statistics, not the MNE tutorial's): snr and z at each tag against
  NEIGH bins on each side beyond SKIP, walking outwards past DC and the other tags' bins (so that 1 Hz
  and 2 Hz at 0.25 Hz resolution are not each other's noise), dropping bins past the ends; adds
  "noise_bins" [tag][bins] and "snr_pvalue" [unit][tag] = scipy.stats.f.sf(snr, 2a, 2am), m = noise
  bins, a = independent spectra averaged (trials with --average spectra, times n // N with welch).

Prints one JSON object: "frequency" (k * fs / L), "psd" [unit][bin], "amplitude" [unit][bin] (fft only),
"tag_bins" and "itpc_bins", "snr" / "z" [unit][tag], "itpc" [unit][tag] (trials > 1), "hftp_obs"
[unit][tag], and with --perms "hftp_threshold", "pvalue", "passes", "pvalue_bh", with --control
"control_z" and "control_passes". Non-finite numbers are written as null.

With --rsa-band LO,HI the input is conditions x units x time [x trials] and only representational
similarity is computed: v_c = condition c's evoked amplitude spectrum (above) of every unit at the bins
with LO <= k*fs/n <= HI, concatenated unit-major; rsa[a, b] = scipy.spatial.distance.cosine(v_a, v_b).
Prints {"bins", "rsa"} and, with --rsa-compare B.npy (same shape), "rsa_b" and "rsa_spearman" /
"rsa_spearman_pvalue": scipy.stats.spearmanr of the two matrices' strict upper triangles (row-major).

Exit status 1 and {"error": ...} if anything fails. The functions here are also used by
tools/python/make_ftag_fixtures.py, tools/python/make_ftag_demo.py and Benchmarks/ftag/. Nothing here
is used by neurotool at run time.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np
import scipy.signal
import scipy.spatial.distance
import scipy.stats

METHODS = ("fft", "welch")
AVERAGES = ("evoked", "spectra")
NEIGHBORS = 3
SKIP = 1


# ----------------------------------------------------------------------------- spectra (last axis = time)

def psd_fft(x: np.ndarray, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """(frequency, psd) of each row: the periodogram, boxcar window, mean removed, density scaling."""
    return scipy.signal.periodogram(x, fs, window="boxcar", detrend="constant", scaling="density", axis=-1)


def psd_welch(x: np.ndarray, fs: float, nperseg: int, noverlap: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(frequency, psd) of each row by Welch's method: Hann window, noverlap default nperseg // 2."""
    n = x.shape[-1]
    if not 0 < nperseg <= n:
        raise ValueError(f"nperseg {nperseg} must be in 1..{n} (the samples per trial)")
    noverlap = nperseg // 2 if noverlap is None else noverlap
    if not 0 <= noverlap < nperseg:
        raise ValueError(f"noverlap {noverlap} must be in 0..{nperseg - 1}")
    return scipy.signal.welch(x, fs, window="hann", nperseg=nperseg, noverlap=noverlap, detrend="constant",
                              scaling="density", average="mean", axis=-1)


def amplitude(x: np.ndarray) -> np.ndarray:
    """Single-sided amplitude spectrum of each row: |rfft(x - mean)| * 2 / n, bin 0 and the Nyquist
    bin (n even) |.| / n."""
    n = x.shape[-1]
    a = np.abs(np.fft.rfft(x - x.mean(axis=-1, keepdims=True), axis=-1)) * 2 / n
    a[..., 0] /= 2
    if n % 2 == 0:
        a[..., n // 2] /= 2
    return a


def frequencies(length: int, fs: float) -> np.ndarray:
    """k * fs / length for k = 0 .. length // 2."""
    return np.arange(length // 2 + 1) * fs / length


def as_trials(data: np.ndarray) -> np.ndarray:
    """units x time [x trials] -> float64 units x time x trials."""
    data = np.asarray(data, dtype=np.float64)
    if data.ndim == 2:
        data = data[:, :, None]
    if data.ndim != 3:
        raise ValueError(f"expected units x time or units x time x trials, got shape {data.shape}")
    if not np.isfinite(data).all():
        raise ValueError("the data hold NaN or infinite values")
    return data


def spectrum(data: np.ndarray, fs: float, method: str = "fft", average: str = "evoked", nperseg: int | None = None,
             noverlap: int | None = None) -> dict:
    """{"length", "frequency", "psd" (units x bins), "amplitude" (fft only)} of units x time x trials,
    averaged over trials as `average` says."""
    data = as_trials(data)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r} (one of {', '.join(METHODS)})")
    if average not in AVERAGES:
        raise ValueError(f"unknown average {average!r} (one of {', '.join(AVERAGES)})")
    n = data.shape[1]
    # evoked: the trials' mean in time, one spectrum per unit; spectra: units x trials x time.
    x = data.mean(axis=2) if average == "evoked" else np.moveaxis(data, 2, 1)
    if method == "fft":
        length = n
        freq, psd = psd_fft(x, fs)
        amp = amplitude(x)
    else:
        if nperseg is None:
            raise ValueError("welch needs nperseg")
        length = nperseg
        freq, psd = psd_welch(x, fs, nperseg, noverlap)
        amp = None
    if average == "spectra":
        psd = psd.mean(axis=1)
        amp = None if amp is None else amp.mean(axis=1)
    exact = frequencies(length, fs)
    assert np.allclose(freq, exact, rtol=1e-12, atol=0), "scipy's frequencies are not k * fs / L"
    return {"length": length, "frequency": exact, "psd": psd, "amplitude": amp}


def tag_bins(tags, fs: float, length: int) -> list[int]:
    """round(f * length / fs) per tag (Python's round, half to even), checked to lie inside the spectrum."""
    bins = [int(round(f * length / fs)) for f in tags]
    for f, k in zip(tags, bins):
        if not 0 <= k <= length // 2:
            raise ValueError(f"tag {f} Hz is outside 0..{fs / 2} Hz")
    return bins


# ----------------------------------------------------------------------------- statistics at tags

def snr_spectrum(psd: np.ndarray, noise_n_neighbor_freqs: int = 1, noise_skip_neighbor_freqs: int = 1) -> np.ndarray:
    """The MNE SSVEP tutorial's snr_spectrum (tutorials/time-freq/50_ssvep.py): each bin's power over
    the mean of noise_n_neighbor_freqs bins on each side, skipping noise_skip_neighbor_freqs adjacent
    bins; NaN within n + skip bins of either end."""
    averaging_kernel = np.concatenate((np.ones(noise_n_neighbor_freqs), np.zeros(2 * noise_skip_neighbor_freqs + 1),
                                       np.ones(noise_n_neighbor_freqs)))
    averaging_kernel /= averaging_kernel.sum()
    mean_noise = np.apply_along_axis(lambda psd_: np.convolve(psd_, averaging_kernel, mode="valid"), axis=-1, arr=psd)
    edge_width = noise_n_neighbor_freqs + noise_skip_neighbor_freqs
    pad_width = [(0, 0)] * (mean_noise.ndim - 1) + [(edge_width, edge_width)]
    mean_noise = np.pad(mean_noise, pad_width=pad_width, constant_values=np.nan)
    return psd / mean_noise


def tag_z(psd: np.ndarray, k: int, neighbors: int = NEIGHBORS, skip: int = SKIP) -> np.ndarray:
    """(psd[..., k] - mean(nb)) / std(nb, ddof=1) over nb = psd[k-skip-neighbors : k-skip] and
    psd[k+skip+1 : k+skip+1+neighbors]; NaN where a neighbour falls outside the spectrum."""
    bins = psd.shape[-1]
    if k - skip - neighbors < 0 or k + skip + neighbors >= bins:
        return np.full(psd.shape[:-1], np.nan)
    nb = np.concatenate((psd[..., k - skip - neighbors:k - skip], psd[..., k + skip + 1:k + skip + 1 + neighbors]),
                        axis=-1)
    return (psd[..., k] - nb.mean(axis=-1)) / nb.std(axis=-1, ddof=1)


def neighbour_bins(k: int, count: int, neighbors: int = NEIGHBORS, skip: int = SKIP, excluded=()) -> list[int]:
    """--balanced noise bins of k (neurotool's TagStatistics.neighbourBins): `neighbors` bins on each side
    beyond `skip` adjacent ones, walking outwards and passing over DC (bin 0) and the `excluded` bins
    (the other tags), so that each side keeps its count; bins past either end are dropped."""
    excluded = set(excluded)
    below, j = [], k - skip - 1
    while len(below) < neighbors and j >= 1:
        if j not in excluded:
            below.append(j)
        j -= 1
    above, j = [], k + skip + 1
    while len(above) < neighbors and j < count:
        if j not in excluded:
            above.append(j)
        j += 1
    return below[::-1] + above


def balanced_snr_z(psd: np.ndarray, k: int, excluded, neighbors: int = NEIGHBORS, skip: int = SKIP):
    """(snr, z, m) at k against its --balanced noise bins nb (m of them): psd[k] / mean(nb) and
    (psd[k] - mean(nb)) / std(nb, ddof=1)."""
    nb = psd[..., neighbour_bins(k, psd.shape[-1], neighbors, skip, excluded)]
    mean = nb.mean(axis=-1)
    return psd[..., k] / mean, (psd[..., k] - mean) / nb.std(axis=-1, ddof=1), nb.shape[-1]


def snr_pvalue(snr, m: int, averaged: int = 1):
    """Survival function of F(2 * averaged, 2 * averaged * m) at snr: the p-value of an snr against m
    noise bins when the spectrum is locally flat noise and `averaged` independent spectra were averaged
    (for averaged = 1 that is (1 + snr / m) ** -m)."""
    return scipy.stats.f.sf(snr, 2 * averaged, 2 * averaged * m)


def itpc(data: np.ndarray) -> np.ndarray:
    """Inter-trial phase coherence, units x bins: |mean over trials of X_t / |X_t||, X_t = rfft of
    trial t (no detrend, no window); a zero coefficient contributes 0."""
    data = as_trials(data)
    x = np.fft.rfft(data, axis=1)  # units x bins x trials
    mag = np.abs(x)
    unit = np.divide(x, mag, out=np.zeros_like(x), where=mag != 0)
    return np.abs(unit.mean(axis=2))


def hftp_observed(evoked: np.ndarray, bins) -> np.ndarray:
    """units x tags: |rfft(evoked)[k]| with the DC coefficient set to 0."""
    x = np.fft.rfft(evoked, axis=-1)
    x[..., 0] = 0
    return np.abs(x[..., list(bins)])


def hftp_null(evoked: np.ndarray, bins, perms: np.ndarray) -> np.ndarray:
    """units x tags x P: |rfft(evoked[:, perm_p])[k]| for each permutation row of perms."""
    perms = check_perms(perms, evoked.shape[-1])
    bins = list(bins)
    null = np.empty(evoked.shape[:-1] + (len(bins), perms.shape[0]))
    for p, perm in enumerate(perms):
        null[..., p] = np.abs(np.fft.rfft(evoked[..., perm], axis=-1)[..., bins])
    return null


def check_perms(perms: np.ndarray, n: int) -> np.ndarray:
    perms = np.asarray(perms)
    if perms.ndim != 2 or perms.shape[1] != n or perms.shape[0] < 1 or not np.issubdtype(perms.dtype, np.integer):
        raise ValueError(f"permutations must be an integer array P x {n} with P >= 1, got {perms.dtype} {perms.shape}")
    if not (np.sort(perms, axis=1) == np.arange(n)).all():
        raise ValueError(f"every row of the permutations must be a permutation of 0..{n - 1}")
    return perms.astype(np.intp)


def hftp(data: np.ndarray, bins, perms: np.ndarray | None = None) -> dict:
    """The HFTP test of units x time [x trials] at FFT bins (on the full trial length): {"obs"} and, with
    perms, {"null", "threshold", "passes", "pvalue"} (each units x tags; null units x tags x P)."""
    evoked = as_trials(data).mean(axis=2)
    obs = hftp_observed(evoked, bins)
    out = {"obs": obs}
    if perms is not None:
        null = hftp_null(evoked, bins, perms)
        out["null"] = null
        out["threshold"] = np.percentile(null, 95, axis=-1)
        out["passes"] = obs > out["threshold"]
        out["pvalue"] = (1 + (null >= obs[..., None]).sum(axis=-1)) / (1 + null.shape[-1])
    return out


def bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values per tag (column) across units (rows)."""
    return scipy.stats.false_discovery_control(np.asarray(p, dtype=np.float64), axis=0, method="bh")


def control_z(obs_exp: np.ndarray, obs_control: np.ndarray) -> np.ndarray:
    """units x tags: d = obs_exp - obs_control standardised over units per tag (std with ddof 0)."""
    d = np.asarray(obs_exp, dtype=np.float64) - np.asarray(obs_control, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (d - d.mean(axis=0)) / d.std(axis=0, ddof=0)


# ----------------------------------------------------------------------------- representational similarity

def rsa_vectors(conditions: np.ndarray, fs: float, band: tuple[float, float]) -> tuple[np.ndarray, list[int]]:
    """(conditions x features, bins): each condition's evoked amplitude spectrum of every unit at the
    bins with band[0] <= k*fs/n <= band[1], concatenated unit-major."""
    conditions = np.asarray(conditions, dtype=np.float64)
    if conditions.ndim == 4:
        conditions = conditions.mean(axis=3)
    if conditions.ndim != 3:
        raise ValueError(f"expected conditions x units x time [x trials], got shape {conditions.shape}")
    n = conditions.shape[2]
    freq = frequencies(n, fs)
    bins = [int(k) for k in np.flatnonzero((freq >= band[0]) & (freq <= band[1]))]
    if not bins:
        raise ValueError(f"no frequency bin in {band[0]}..{band[1]} Hz")
    amp = amplitude(conditions)[:, :, bins]
    return amp.reshape(amp.shape[0], -1), bins


def rsa(conditions: np.ndarray, fs: float, band: tuple[float, float]) -> tuple[np.ndarray, list[int]]:
    """(conditions x conditions cosine distances, bins)."""
    v, bins = rsa_vectors(conditions, fs, band)
    c = v.shape[0]
    out = np.empty((c, c))
    for a in range(c):
        for b in range(c):
            out[a, b] = scipy.spatial.distance.cosine(v[a], v[b])
    return out, bins


def rsa_spearman(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(rho, p) of scipy.stats.spearmanr over the strict upper triangles of two RSA matrices (row-major)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"RSA matrices of shapes {a.shape} and {b.shape} cannot be compared")
    iu = np.triu_indices(a.shape[0], 1)
    result = scipy.stats.spearmanr(a[iu], b[iu])
    return float(result.statistic), float(result.pvalue)


# ----------------------------------------------------------------------------- command line

def jsonable(x):
    """Nested lists (and dicts) of Python floats/bools/ints, non-finite floats as None."""
    if isinstance(x, np.ndarray):
        if x.dtype == bool:
            return x.tolist()
        if np.issubdtype(x.dtype, np.integer):
            return x.tolist()
        return [jsonable(v) for v in x] if x.ndim > 1 else [v if math.isfinite(v) else None for v in x.tolist()]
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, (float, np.floating)):
        return float(x) if math.isfinite(x) else None
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def analyse(data: np.ndarray, fs: float, tags, method: str = "fft", average: str = "evoked",
            nperseg: int | None = None, noverlap: int | None = None, neighbors: int = NEIGHBORS, skip: int = SKIP,
            perms: np.ndarray | None = None, control: np.ndarray | None = None, balanced: bool = False) -> dict:
    """Everything the command line prints, as numpy arrays (see the module docstring)."""
    data = as_trials(data)
    n, trials = data.shape[1], data.shape[2]
    spec = spectrum(data, fs, method, average, nperseg, noverlap)
    bins = tag_bins(tags, fs, spec["length"])
    fft_bins = tag_bins(tags, fs, n)
    snr = snr_spectrum(spec["psd"], noise_n_neighbor_freqs=neighbors, noise_skip_neighbor_freqs=skip)
    out = {"frequency": spec["frequency"], "tag_bins": bins, "itpc_bins": fft_bins, "psd": spec["psd"]}
    if spec["amplitude"] is not None:
        out["amplitude"] = spec["amplitude"]
    if balanced:
        # Noise bins that skip DC and the other tags; the F-test p-value counts the independent spectra
        # averaged (trials for `spectra`, times the disjoint Welch segments).
        stats = [balanced_snr_z(spec["psd"], k, set(bins) - {k}, neighbors, skip) for k in bins]
        out["snr"] = np.stack([s_ for s_, _, _ in stats], axis=1)
        out["z"] = np.stack([z_ for _, z_, _ in stats], axis=1)
        out["noise_bins"] = [neighbour_bins(k, spec["psd"].shape[-1], neighbors, skip, set(bins) - {k}) for k in bins]
        averaged = (trials if average == "spectra" else 1) * (n // spec["length"] if method == "welch" else 1)
        out["snr_pvalue"] = np.stack([snr_pvalue(s_, m_, averaged) for s_, _, m_ in stats], axis=1)
    else:
        out["snr"] = snr[:, bins]
        out["z"] = np.stack([tag_z(spec["psd"], k, neighbors, skip) for k in bins], axis=1)
    if trials > 1:
        out["itpc"] = itpc(data)[:, fft_bins]
    test = hftp(data, fft_bins, perms)
    out["hftp_obs"] = test["obs"]
    if perms is not None:
        out["hftp_threshold"] = test["threshold"]
        out["pvalue"] = test["pvalue"]
        out["passes"] = test["passes"]
        out["pvalue_bh"] = bh(test["pvalue"])
    if control is not None:
        control = as_trials(control)
        if control.shape != data.shape:
            raise ValueError(f"control shape {control.shape} differs from the data's {data.shape}")
        z = control_z(test["obs"], hftp(control, fft_bins)["obs"])
        out["control_z"] = z
        out["control_passes"] = z > 2
    return out


def _floats(text: str) -> list[float]:
    return [float(s) for s in text.split(",") if s.strip()]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", help="float64 .npy: units x time [x trials] (or conditions x units x time with --rsa-band)")
    p.add_argument("--rate", type=float, required=True, help="sampling rate (Hz)")
    p.add_argument("--tags", help="tagged frequencies (Hz), e.g. 1,2,4")
    p.add_argument("--method", choices=METHODS, default="fft")
    p.add_argument("--nperseg", type=int, help="welch: samples per segment")
    p.add_argument("--noverlap", type=int, help="welch: overlap in samples (default nperseg // 2)")
    p.add_argument("--average", choices=AVERAGES, default="evoked")
    p.add_argument("--neighbors", type=int, default=NEIGHBORS, help=f"noise bins on each side (default {NEIGHBORS})")
    p.add_argument("--skip", type=int, default=SKIP, help=f"adjacent bins skipped (default {SKIP})")
    p.add_argument("--perms", help="integer .npy, P x time: the HFTP permutations")
    p.add_argument("--control", help="float64 .npy shaped like DATA: the control condition")
    p.add_argument("--balanced", action="store_true",
                   help="snr and z at the tags against noise bins that pass over DC and the other tags; "
                        "adds noise_bins and snr_pvalue")
    p.add_argument("--rsa-band", help="LO,HI (Hz): representational similarity of conditions instead")
    p.add_argument("--rsa-compare", help="with --rsa-band: a second conditions .npy to compare with")
    args = p.parse_args(argv)
    try:
        data = np.load(args.data)
        if args.rsa_band is not None:
            band = _floats(args.rsa_band)
            if len(band) != 2:
                raise ValueError(f"--rsa-band {args.rsa_band}: expected LO,HI")
            matrix, bins = rsa(data, args.rate, (band[0], band[1]))
            out = {"bins": bins, "rsa": matrix}
            if args.rsa_compare:
                other, _ = rsa(np.load(args.rsa_compare), args.rate, (band[0], band[1]))
                out["rsa_b"] = other
                out["rsa_spearman"], out["rsa_spearman_pvalue"] = rsa_spearman(matrix, other)
        else:
            if not args.tags:
                raise ValueError("--tags is required (e.g. --tags 1,2,4)")
            out = analyse(data, args.rate, _floats(args.tags), args.method, args.average, args.nperseg, args.noverlap,
                          args.neighbors, args.skip, None if args.perms is None else np.load(args.perms),
                          None if args.control is None else np.load(args.control), args.balanced)
        print(json.dumps({k: jsonable(v) for k, v in out.items()}, allow_nan=False))
    except Exception as e:  # noqa: BLE001 - one JSON line for the calling test
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
