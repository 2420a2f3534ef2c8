#!/usr/bin/env python3
"""Deterministic generator of the MEG demo recording ``Datasets/meg/sim_raw.fif`` (and its README.md).

Run from the repository root (or ``make datasets``), about two seconds:

    .venv/bin/python Datasets/meg/generate.py

What it writes
--------------
A 30 s, 500 Hz Neuromag-style raw FIF file written by MNE's own writer (``raw.save(fmt="single")``:
float32 data buffers of 1 s), 64 channels:

* 60 MEG channels in 20 Neuromag-style triplets MEGxxy1 (magnetometer, coil type 3024, T), MEGxxy2 and
  MEGxxy3 (planar gradiometers, coil type 3012, T/m), xx = 01..05, y = 1..4 (MEG0111, MEG0112,
  MEG0113, MEG0121, ... MEG0543). Sensor k sits on a helmet-like hemisphere (``helmet``): a Fibonacci
  spiral of HELMET_POINTS points on the sphere of radius HELMET_RADIUS around the origin, with
  z = HELMET_RADIUS * (1 - (k + 0.5) / n * (1 - HELMET_Z_MIN)) (top of the head down to 8.6 degrees
  below the equator) and azimuth k * golden angle. MNE's ``loc`` of every channel of a triplet is
  [r0 (m), ex, ey, ez] in the device frame (x right, y front, z up; MNE's default dev_head_t, the
  identity, makes it the head frame too): ez = the outward unit normal r0 / |r0| (the coil's normal),
  and with e_phi = (-sin phi, cos phi, 0), e_theta = ez x e_phi:
  magnetometer ex = e_phi, ey = e_theta; gradiometer 2 ex = e_phi, ey = e_theta (it measures
  d(B.ez)/d(ex), along e_phi); gradiometer 3 ex = e_theta, ey = -e_phi (along e_theta). Every frame is
  right-handed (ex x ey = ez). The table in README.md lists them.
* EEG001 (Fz-like, frontal) and EEG002 (Oz-like, occipital), V; loc = electrode position on a 9 cm
  sphere, reference position zeros (none given), six zeros.
* EOG061 (V) and the trigger channel STI014.

cal = range = 1 for every channel (create_info's): the float32 samples in the file are SI values.
first_samp = FIRST_SAMP (the acquisition ran FIRST_SAMP / 500 s before the stored part, as in real
Neuromag files), meas_date None, line_freq 50, info["description"] names this script.

The signals
-----------
Sources (current dipoles, nAm) in a spherical conductor centred at the origin; the MEG lead fields are
Sarvas' (1987) closed-form field of a dipole in a sphere (``sarvas``); a magnetometer is B . ez at its
centre, a planar gradiometer the difference of B . ez at r0 +- (GRAD_BASELINE / 2) ex divided by
GRAD_BASELINE (16.8 mm, the Neuromag baseline). The EEG channels mix the same source waveforms with the
stated weights (EEG_WEIGHTS, uV per nAm; two electrodes are too few for a head model).

1. Alpha: two occipital dipoles (ALPHA_SOURCES) whose moments are a 10 Hz rhythm: one shared and two own
   Gaussian white noises band-passed 8.5-11.5 Hz (4th-order Butterworth, zero phase), mixed 0.8 shared +
   0.6 own, scaled to unit RMS, waxing and waning with 1 + 0.5 sin(2 pi 0.07 t + phase), then times
   ALPHA_NAM nAm.
2. Evoked responses: after every event two auditory-cortex dipoles (EVOKED_SOURCES) follow the M50/M100/M200
   waveform ``evoked_waveform`` (peak 1 at 100 ms); the one opposite the stimulated side (code 1 =
   left, 2 = right) peaks at EVOKED_CONTRA nAm, the other at EVOKED_IPSI.
3. Sensor noise with a 1/f power spectrum (white Gaussian noise shaped by 1/sqrt(f) above 0.1 Hz in the
   Fourier domain, unit RMS), own per channel: NOISE_RMS per channel type.
4. 50 Hz line noise from the environment: a uniform field LINE_FIELD (fT) and a uniform gradient tensor
   LINE_GRADIENT (pT/m, symmetric and traceless as a source-free field's is), both times cos(2 pi 50 t):
   a magnetometer sees LINE_FIELD . ez, a gradiometer ez . LINE_GRADIENT . ex (its exact response to a
   uniform gradient); EEG/EOG LINE_EEG uV with their own phases.
5. Blinks (EOG061, BLINK_UV uV peak, Gaussian of 70 ms SD, at BLINKS seconds), 10 % of them in EEG001.
6. STI014: events at EVENTS (seconds from the first stored sample, code), pulses of PULSE_SAMPLES samples.

Random numbers: numpy.random.default_rng([SEED, part]), part 0 alpha, 1 sensor noise, 2 line phases.
MNE puts the machine's MAC address into the file and block ids; this script replaces
mne._fiff.write.get_machid by a constant (as tools/python/make_fif_fixtures.py does) and meas_date is
None, so two runs give byte-identical files. The script then reads the file back with
mne.io.read_raw_fif, checks the channel types, the data (float32 rounding), mne.find_events against
EVENTS, the 10 Hz and 50 Hz peaks and the evoked response, and writes the statistics into README.md.
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
from pathlib import Path

import mne
import mne._fiff.write as fiff_write
import numpy as np
import scipy
from scipy.signal import butter, sosfiltfilt, welch

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "Datasets" / "meg"
FIF = OUT / "sim_raw.fif"
SCRIPT = "Datasets/meg/generate.py"

SEED = 20251216
MACHID = np.array([0x4E455552, 0x4F544F4C], dtype=np.int32)  # "NEUR", "OTOL": fixed, not this machine's MAC
SFREQ = 500.0
SECONDS = 30
N_TIMES = int(SFREQ * SECONDS)
FIRST_SAMP = 7500  # 15 s of acquisition before the stored part

HELMET_POINTS = 20
HELMET_RADIUS = 0.12           # m
HELMET_Z_MIN = -0.15           # lowest z / radius (8.6 degrees below the equator)
GRAD_BASELINE = 0.0168         # m, Neuromag planar gradiometer baseline
MU0_4PI = 1e-7                 # mu0 / (4 pi), T m / A
NAM = 1e-9                     # A m per nAm

# (position (m), direction (unit, made tangential)) of the sources
ALPHA_SOURCES = [((-0.022, -0.062, 0.022), (0.0, 0.3, 1.0)),   # left occipital
                 ((0.022, -0.062, 0.022), (0.0, 0.3, 1.0))]    # right occipital
ALPHA_NAM = 15.0
ALPHA_BAND = (8.5, 11.5)
EVOKED_SOURCES = [((-0.052, 0.006, 0.028), (0.0, 0.0, 1.0)),   # left auditory cortex
                  ((0.052, 0.006, 0.028), (0.0, 0.0, 1.0))]    # right auditory cortex
EVOKED_CONTRA, EVOKED_IPSI = 40.0, 25.0  # nAm at the M100 peak
# events: (seconds from the first stored sample, code); 1 = left-ear tone, 2 = right-ear tone
EVENTS = [(2.0, 1), (4.3, 2), (6.5, 1), (8.9, 2), (11.2, 2), (13.4, 1), (15.8, 1), (18.1, 2),
          (20.5, 1), (22.7, 2), (25.0, 1), (27.4, 2)]
PULSE_SAMPLES = 25  # 50 ms
BLINKS = [3.1, 9.6, 16.9, 23.8, 28.6]
BLINK_UV = 180.0
NOISE_RMS = {"mag": 40e-15, "grad": 0.8e-12, "eeg": 3e-6, "eog": 8e-6}
LINE_FIELD = np.array([30.0, -20.0, 40.0]) * 1e-15                    # T
LINE_GRADIENT = np.array([[0.30, 0.10, -0.05],
                          [0.10, -0.10, 0.20],
                          [-0.05, 0.20, -0.20]]) * 1e-12               # T/m, symmetric, trace 0
LINE_EEG = {"eeg": 3e-6, "eog": 5e-6}
# EEG: uV per nAm of each source (left alpha, right alpha, left auditory, right auditory)
EEG_WEIGHTS = {"EEG001": [0.1, 0.1, -0.12, -0.12], "EEG002": [0.35, 0.35, 0.05, 0.05]}
EEG_POS = {"EEG001": (0.0, 0.0636, 0.0636), "EEG002": (0.0, -0.0886, 0.0156)}  # m, 9 cm sphere
BLINK_TO_EEG001 = 0.1

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


# ----------------------------------------------------------------------------- geometry and physics

def helmet(points: int = HELMET_POINTS) -> list[dict]:
    """The triplets (20 here; Benchmarks/fif/make_data.py asks for more): name stem, position r0 and the unit
    vectors n (= ez), e_phi, e_theta."""
    out = []
    for k in range(points):
        z = 1.0 - (k + 0.5) / points * (1.0 - HELMET_Z_MIN)
        phi = k * GOLDEN_ANGLE
        rho = math.sqrt(1.0 - z * z)
        n = np.array([rho * math.cos(phi), rho * math.sin(phi), z])
        e_phi = np.array([-math.sin(phi), math.cos(phi), 0.0])
        e_theta = np.cross(n, e_phi)
        out.append({"stem": f"MEG{k // 4 + 1:02d}{k % 4 + 1}", "r0": HELMET_RADIUS * n, "n": n,
                    "e_phi": e_phi, "e_theta": e_theta})
    return out


def meg_channels() -> list[dict]:
    """60 channels: name, type, loc (12 floats), and the point(s)/direction the lead field needs."""
    chans = []
    for t in helmet():
        r0, n, ep, et = t["r0"], t["n"], t["e_phi"], t["e_theta"]
        chans.append({"name": t["stem"] + "1", "type": "mag", "r0": r0, "ex": ep, "ey": et, "ez": n})
        chans.append({"name": t["stem"] + "2", "type": "grad", "r0": r0, "ex": ep, "ey": et, "ez": n})
        chans.append({"name": t["stem"] + "3", "type": "grad", "r0": r0, "ex": et, "ey": -ep, "ez": n})
    for c in chans:
        c["loc"] = np.concatenate([c["r0"], c["ex"], c["ey"], c["ez"]])
    return chans


def sarvas(points: np.ndarray, r0: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Magnetic field (T) at `points` (n, 3) of a current dipole q (A m) at r0 in a conducting sphere
    centred at the origin (Sarvas 1987)."""
    a_vec = points - r0
    a = np.linalg.norm(a_vec, axis=1)
    r = np.linalg.norm(points, axis=1)
    ar = np.sum(a_vec * points, axis=1)
    f = a * (r * a + r * r - points @ r0)
    grad_f = ((a * a / r + ar / a + 2 * a + 2 * r)[:, None] * points
              - (a + 2 * r + ar / a)[:, None] * r0[None, :])
    qxr0 = np.cross(q, r0)
    return MU0_4PI * (f[:, None] * qxr0[None, :] - (points @ qxr0)[:, None] * grad_f) / (f * f)[:, None]


def tangential(r0, direction) -> np.ndarray:
    """Unit vector of `direction` with its radial part (which a sphere makes silent) removed."""
    u = np.asarray(r0, float) / np.linalg.norm(r0)
    d = np.asarray(direction, float)
    d = d - (d @ u) * u
    return d / np.linalg.norm(d)


def lead_field(chans: list[dict], sources) -> np.ndarray:
    """(channels, sources): T (mag) or T/m (grad) per nAm of each source along its tangential direction."""
    out = np.zeros((len(chans), len(sources)))
    for j, (pos, direction) in enumerate(sources):
        r0 = np.asarray(pos, float)
        q = tangential(r0, direction) * NAM
        for i, c in enumerate(chans):
            if c["type"] == "mag":
                out[i, j] = sarvas(c["r0"][None, :], r0, q)[0] @ c["ez"]
            else:
                h = GRAD_BASELINE / 2
                b = sarvas(np.stack([c["r0"] + h * c["ex"], c["r0"] - h * c["ex"]]), r0, q) @ c["ez"]
                out[i, j] = (b[0] - b[1]) / GRAD_BASELINE
    return out


# ----------------------------------------------------------------------------- waveforms

def pink(rng: np.random.Generator, rows: int, n: int) -> np.ndarray:
    """(rows, n) noise with a 1/f power spectrum above 0.1 Hz, each row scaled to unit RMS."""
    spec = np.fft.rfft(rng.standard_normal((rows, n)), axis=1)
    f = np.fft.rfftfreq(n, 1 / SFREQ)
    spec *= 1.0 / np.sqrt(np.maximum(f, 0.1))
    spec[:, 0] = 0.0
    x = np.fft.irfft(spec, n=n, axis=1)
    return x / np.sqrt(np.mean(x * x, axis=1, keepdims=True))


def alpha_moments(t: np.ndarray) -> np.ndarray:
    """(2, n) moments (nAm) of the two occipital sources."""
    rng = np.random.default_rng([SEED, 0])
    sos = butter(4, ALPHA_BAND, btype="bandpass", fs=SFREQ, output="sos")
    white = rng.standard_normal((3, len(t)))
    band = sosfiltfilt(sos, white, axis=1)
    band /= np.sqrt(np.mean(band * band, axis=1, keepdims=True))
    mixed = 0.8 * band[0] + 0.6 * band[1:]
    mixed /= np.sqrt(np.mean(mixed * mixed, axis=1, keepdims=True))
    phases = rng.uniform(0, 2 * np.pi, 2)
    envelope = 1.0 + 0.5 * np.sin(2 * np.pi * 0.07 * t[None, :] + phases[:, None])
    return ALPHA_NAM * envelope * mixed


def evoked_waveform(tau: np.ndarray) -> np.ndarray:
    """M50 (-0.3 at 50 ms), M100 (1 at 100 ms), M200 (-0.4 at 200 ms); tau in s after the stimulus."""
    g = lambda c, w: np.exp(-(((tau - c) / w) ** 2))  # noqa: E731
    return np.where(tau >= 0, -0.3 * g(0.05, 0.015) + g(0.10, 0.025) - 0.4 * g(0.20, 0.04), 0.0)


def evoked_moments(t: np.ndarray) -> np.ndarray:
    """(2, n) moments (nAm) of the left and right auditory sources."""
    out = np.zeros((2, len(t)))
    for onset, code in EVENTS:
        w = evoked_waveform(t - onset)
        left, right = (EVOKED_IPSI, EVOKED_CONTRA) if code == 1 else (EVOKED_CONTRA, EVOKED_IPSI)
        out[0] += left * w
        out[1] += right * w
    return out


def blinks(t: np.ndarray) -> np.ndarray:
    """EOG blink trace (V)."""
    out = np.zeros(len(t))
    for b in BLINKS:
        out += BLINK_UV * 1e-6 * np.exp(-0.5 * ((t - b) / 0.07) ** 2)
    return out


# ----------------------------------------------------------------------------- the recording

def simulate():
    """(raw, sources dict, meg channel list, lead fields)."""
    t = np.arange(N_TIMES) / SFREQ
    chans = meg_channels()
    names = [c["name"] for c in chans] + ["EEG001", "EEG002", "EOG061", "STI014"]
    types = [c["type"] for c in chans] + ["eeg", "eeg", "eog", "stim"]
    n_meg = len(chans)
    alpha = alpha_moments(t)
    evoked = evoked_moments(t)
    moments = np.vstack([alpha, evoked])                                # (4, n) nAm
    lf = np.hstack([lead_field(chans, ALPHA_SOURCES), lead_field(chans, EVOKED_SOURCES)])  # (60, 4)

    data = np.zeros((len(names), N_TIMES))
    data[:n_meg] = lf @ moments
    noise = pink(np.random.default_rng([SEED, 1]), len(names) - 1, N_TIMES)
    line_rng = np.random.default_rng([SEED, 2])
    line = np.cos(2 * np.pi * 50.0 * t)
    for i, c in enumerate(chans):
        data[i] += NOISE_RMS[c["type"]] * noise[i]
        data[i] += (LINE_FIELD @ c["ez"] if c["type"] == "mag" else c["ez"] @ LINE_GRADIENT @ c["ex"]) * line
    blink = blinks(t)
    for k, name in enumerate(["EEG001", "EEG002"]):
        i = n_meg + k
        data[i] = np.asarray(EEG_WEIGHTS[name]) * 1e-6 @ moments + NOISE_RMS["eeg"] * noise[i]
        data[i] += LINE_EEG["eeg"] * np.cos(2 * np.pi * 50.0 * t + line_rng.uniform(0, 2 * np.pi))
    data[n_meg] += BLINK_TO_EEG001 * blink
    i = n_meg + 2
    data[i] = blink + NOISE_RMS["eog"] * noise[i] + LINE_EEG["eog"] * np.cos(
        2 * np.pi * 50.0 * t + line_rng.uniform(0, 2 * np.pi))
    for onset, code in EVENTS:
        s = int(round(onset * SFREQ))
        data[-1, s:s + PULSE_SAMPLES] = code

    info = mne.create_info(names, SFREQ, types)
    with info._unlock():
        info["line_freq"] = 50.0
        info["description"] = f"neurotool MEG demo: simulated, not a recording ({SCRIPT}, seed {SEED})"
        for ch, c in zip(info["chs"][:n_meg], chans):
            ch["loc"] = c["loc"].astype(np.float64)
        for ch in info["chs"][n_meg:n_meg + 2]:
            ch["loc"] = np.r_[EEG_POS[ch["ch_name"]], np.zeros(9)]
    raw = mne.io.RawArray(data, info, first_samp=FIRST_SAMP, verbose="error")
    return raw, chans, lf


# ----------------------------------------------------------------------------- checks and statistics

def check(path: Path, written: np.ndarray, chans: list[dict], lf: np.ndarray) -> dict:
    raw = mne.io.read_raw_fif(path, preload=True, verbose="error")
    types = raw.get_channel_types()
    counts = {k: types.count(k) for k in ("mag", "grad", "eeg", "eog", "stim")}
    want = {"mag": 20, "grad": 40, "eeg": 2, "eog": 1, "stim": 1}
    problems = []
    if counts != want:
        problems.append(f"channel types {counts}, expected {want}")
    coils = sorted({(t, int(c["coil_type"]), int(c["unit"])) for t, c in zip(types, raw.info["chs"])
                    if t in ("mag", "grad")})
    if coils != [("grad", 3012, 201), ("mag", 3024, 112)]:
        problems.append(f"coil types/units {coils}")
    if raw.n_times != N_TIMES or raw.first_samp != FIRST_SAMP or raw.info["sfreq"] != SFREQ:
        problems.append(f"n_times {raw.n_times}, first_samp {raw.first_samp}, sfreq {raw.info['sfreq']}")
    data = raw.get_data()
    rel = np.abs(data - written).max(axis=1) / np.maximum(np.abs(written).max(axis=1), 1e-300)
    if rel.max() > 1e-6:
        problems.append(f"data differ from what was written by up to {rel.max():.3g} of a channel's maximum")
    events = mne.find_events(raw, stim_channel="STI014", verbose="error")
    want_events = [[FIRST_SAMP + int(round(o * SFREQ)), 0, c] for o, c in EVENTS]
    if events.tolist() != want_events:
        problems.append(f"find_events gives {events.tolist()}, expected {want_events}")

    mag = [i for i, t in enumerate(types) if t == "mag"]
    grad = [i for i, t in enumerate(types) if t == "grad"]
    f, psd = welch(data[:len(chans)], fs=SFREQ, nperseg=int(4 * SFREQ))
    # the magnetometer with the largest alpha lead field
    occ = int(np.argmax(np.abs(lf[mag, 0]) + np.abs(lf[mag, 1])))
    occ_i = mag[occ]
    band = (f >= 2) & (f <= 40)
    alpha_peak = float(f[band][np.argmax(psd[occ_i, band])])
    line_band = (f >= 40) & (f <= 60)
    line_peak = float(f[line_band][np.argmax(psd[mag][:, line_band].mean(axis=0))])
    if abs(alpha_peak - 10.0) > 1.0:
        problems.append(f"alpha peak at {alpha_peak} Hz on {raw.ch_names[occ_i]}")
    if line_peak != 50.0:
        problems.append(f"line peak at {line_peak} Hz")

    epochs = mne.Epochs(raw, events, event_id={"left": 1, "right": 2}, tmin=-0.1, tmax=0.4,
                        baseline=(None, 0), picks=["grad"], preload=True, verbose="error")
    ev = epochs.average()
    ch, lat = ev.get_peak(ch_type="grad")
    if not 0.08 <= lat <= 0.12:
        problems.append(f"evoked grad peak at {lat * 1000:.0f} ms")
    ev_left = epochs["left"].average().data
    ev_right = epochs["right"].average().data
    i100 = int(round((0.1 + 0.1) * SFREQ))
    grad_names = [raw.ch_names[i] for i in grad]
    left_side = [k for k, n in enumerate(grad_names) if chans[[c["name"] for c in chans].index(n)]["r0"][0] < 0]
    right_side = [k for k, n in enumerate(grad_names) if chans[[c["name"] for c in chans].index(n)]["r0"][0] > 0]

    def side(d, ks):
        return float(np.sqrt(np.mean(d[ks, i100] ** 2)))

    lat_ratio = {"left tone (1)": side(ev_left, right_side) / side(ev_left, left_side),
                 "right tone (2)": side(ev_right, left_side) / side(ev_right, right_side)}
    if min(lat_ratio.values()) <= 1.0:
        problems.append(f"evoked responses not larger opposite the stimulated ear: {lat_ratio}")
    if problems:
        raise SystemExit("generate.py: " + "; ".join(problems))

    def rms(idx):
        return float(np.sqrt(np.mean(data[idx] ** 2)))

    alpha_only = lf[:, :2] @ alpha_moments(np.arange(N_TIMES) / SFREQ)
    evoked_peak = np.abs(lf[:, 2:] @ np.array([EVOKED_IPSI, EVOKED_CONTRA]))
    return {
        "counts": counts, "events": events.tolist(),
        "rms": {"mag": rms(mag), "grad": rms(grad), "EEG001": rms([len(chans)]),
                "EEG002": rms([len(chans) + 1]), "EOG061": rms([len(chans) + 2])},
        "alpha_rms_mag": float(np.sqrt(np.mean(alpha_only[mag] ** 2))),
        "alpha_rms_grad": float(np.sqrt(np.mean(alpha_only[grad] ** 2))),
        "alpha_max_rms_mag": float(np.sqrt(np.mean(alpha_only[mag] ** 2, axis=1)).max()),
        "alpha_max_rms_grad": float(np.sqrt(np.mean(alpha_only[grad] ** 2, axis=1)).max()),
        "evoked_max_mag": float(evoked_peak[mag].max()), "evoked_max_grad": float(evoked_peak[grad].max()),
        "occipital_mag": raw.ch_names[occ_i], "alpha_peak": alpha_peak, "line_peak": line_peak,
        "alpha_to_median": float(psd[occ_i, np.argmin(np.abs(f - alpha_peak))] / np.median(psd[occ_i, band])),
        "evoked_peak": (ch, lat), "lateralization": lat_ratio, "max_rel_dev": float(rel.max()),
        "file_size": path.stat().st_size, "n_epochs": len(epochs),
    }


# ----------------------------------------------------------------------------- README

def readme(stats: dict, chans: list[dict]) -> str:
    rows = []
    for c in chans:
        r = c["r0"] * 1000
        rows.append(f"| {c['name']} | {c['type']} | {r[0]:.1f}, {r[1]:.1f}, {r[2]:.1f} | "
                    f"{', '.join(f'{v:.3f}' for v in c['ex'])} | {', '.join(f'{v:.3f}' for v in c['ey'])} | "
                    f"{', '.join(f'{v:.3f}' for v in c['ez'])} |")
    ev = ", ".join(f"{o:g} s ({c})" for o, c in EVENTS)
    r = stats["rms"]
    ch, lat = stats["evoked_peak"]
    lr = stats["lateralization"]
    return f"""# meg: a simulated Neuromag-style MEG recording (FIF)

`sim_raw.fif` is a **simulation**, not a recording: no head was measured. It is written by MNE-Python's
own FIF writer (`raw.save(fmt="single")`, MNE {mne.__version__}) from [`generate.py`](generate.py)
(`make datasets`, or `.venv/bin/python {SCRIPT}`), seed {SEED}; two runs give byte-identical files
(MNE's machine id in the file/block ids is replaced by a constant, meas_date is None).

    neurotool homogenize Datasets/meg/sim_raw.fif -o out/meg.nc --rate 250

| | |
| --- | --- |
| file | `sim_raw.fif`, {stats['file_size']} bytes: float32 data buffers (FIFFT_FLOAT) of 1 s, cal = range = 1 (samples are SI values) |
| length | {SECONDS} s at {SFREQ:g} Hz ({N_TIMES} samples), first_samp {FIRST_SAMP} (acquisition started {FIRST_SAMP / SFREQ:g} s earlier) |
| channels | 64: 20 magnetometers (coil 3024, T) + 40 planar gradiometers (coil 3012, T/m) in 20 triplets MEGxxy1/2/3, EEG001 (Fz-like), EEG002 (Oz-like) (V), EOG061 (V), STI014 (stim) |
| events | STI014 pulses of {PULSE_SAMPLES} samples ({PULSE_SAMPLES / SFREQ * 1000:g} ms): {ev}; code 1 = left-ear tone, 2 = right-ear tone. `mne.find_events(raw, stim_channel="STI014")` finds all {len(EVENTS)} (sample = first_samp + 500 × seconds) |
| line frequency | 50 Hz (info["line_freq"]) |

## Sensors

A helmet-like hemisphere: a Fibonacci spiral of {HELMET_POINTS} points on a sphere of radius {HELMET_RADIUS * 100:g} cm
around the origin, from the top of the head to {math.degrees(math.asin(-HELMET_Z_MIN)):.1f}° below the equator
(point k: z = R (1 − (k + ½)/20 · {1 - HELMET_Z_MIN:g}), azimuth k × 137.5°). Device frame = head frame (MNE's
default identity dev_head_t): x right, y front, z up. Each channel's MNE `loc` is [r0, ex, ey, ez]: ez is the
outward normal (the coil normal); with e_φ = (−sin φ, cos φ, 0) and e_θ = ez × e_φ, the magnetometer and
gradiometer 2 have ex = e_φ, ey = e_θ, gradiometer 3 has ex = e_θ, ey = −e_φ (frames right-handed). A planar
gradiometer measures d(B·ez)/d(ex), here the difference over a 16.8 mm baseline. EEG001 at (0, 63.6, 63.6) mm and
EEG002 at (0, −88.6, 15.6) mm on a 9 cm sphere, no reference position.

| channel | type | r0 (mm) | ex | ey | ez |
| --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

## Signals

* **Alpha** (10 Hz): two occipital dipoles at (∓22, −62, 22) mm, tangential moments of {ALPHA_NAM:g} nAm RMS, each
  band-passed 8.5–11.5 Hz Gaussian noise (0.8 shared + 0.6 own), waxing and waning with 1 + 0.5 sin(2π 0.07 t + φ).
  Field: Sarvas' formula for a dipole in a sphere centred at the origin. On the magnetometers the alpha alone is
  {stats['alpha_rms_mag'] * 1e15:.0f} fT RMS on average, {stats['alpha_max_rms_mag'] * 1e15:.0f} fT on the strongest
  ({stats['occipital_mag']}); on the gradiometers {stats['alpha_rms_grad'] * 1e12:.2f} pT/m on average,
  {stats['alpha_max_rms_grad'] * 1e12:.2f} pT/m on the strongest.
* **Evoked responses** after every event: auditory dipoles at (∓52, 6, 28) mm, vertical (tangential part), with an
  M50/M100/M200 waveform (−0.3 at 50 ms, 1 at 100 ms, −0.4 at 200 ms, Gaussians of 15, 25, 40 ms);
  {EVOKED_CONTRA:g} nAm at 100 ms opposite the stimulated ear, {EVOKED_IPSI:g} nAm on the same side. At the M100
  peak: up to {stats['evoked_max_mag'] * 1e15:.0f} fT (magnetometers), {stats['evoked_max_grad'] * 1e12:.1f} pT/m
  (gradiometers).
* **Sensor noise**, 1/f power spectrum (above 0.1 Hz), own per channel: magnetometers {NOISE_RMS['mag'] * 1e15:g} fT,
  gradiometers {NOISE_RMS['grad'] * 1e12:g} pT/m, EEG {NOISE_RMS['eeg'] * 1e6:g} µV, EOG {NOISE_RMS['eog'] * 1e6:g} µV RMS.
* **50 Hz line noise**: a uniform field (30, −20, 40) fT and a uniform, symmetric, traceless gradient (entries
  0.05–0.3 pT/m), so magnetometers see up to 54 fT and gradiometers a few tenths of a pT/m; EEG 3 µV, EOG 5 µV.
* **EEG** (two electrodes are too few for a head model): the same four source moments mixed with fixed weights
  (µV per nAm): EEG001 {EEG_WEIGHTS['EEG001']}, EEG002 {EEG_WEIGHTS['EEG002']} (left alpha, right alpha, left
  auditory, right auditory), plus noise and line; EEG001 also gets 10 % of the blinks.
* **EOG061**: blinks of {BLINK_UV:g} µV (Gaussian, 70 ms SD) at {', '.join(f'{b:g}' for b in BLINKS)} s, plus noise
  and line.

## What MNE reads back

Checked by `generate.py` (it stops with a message otherwise): `mne.io.read_raw_fif` gives
{stats['counts']['mag']} mag + {stats['counts']['grad']} grad + {stats['counts']['eeg']} eeg +
{stats['counts']['eog']} eog + {stats['counts']['stim']} stim channels (coil types 3024/3012, units T and T/m),
the written data to float32 rounding (largest difference {stats['max_rel_dev']:.1g} of a channel's maximum) and
the {len(EVENTS)} events. Statistics of the file:

* RMS over the whole recording: magnetometers {r['mag'] * 1e15:.0f} fT, gradiometers {r['grad'] * 1e12:.2f} pT/m,
  EEG001 {r['EEG001'] * 1e6:.1f} µV, EEG002 {r['EEG002'] * 1e6:.1f} µV, EOG061 {r['EOG061'] * 1e6:.1f} µV.
* Welch spectrum (4 s segments) of {stats['occipital_mag']}: largest peak in 2–40 Hz at {stats['alpha_peak']:g} Hz,
  {stats['alpha_to_median']:.0f}× the median of that band; the magnetometers' mean spectrum peaks at
  {stats['line_peak']:g} Hz in 40–60 Hz.
* Average of the {stats['n_epochs']} epochs (−0.1…0.4 s, baseline before the event), gradiometers: peak on {ch} at
  {lat * 1000:.0f} ms. At 100 ms the gradiometers opposite the stimulated ear are {lr['left tone (1)']:.1f}× (left
  tones) and {lr['right tone (2)']:.1f}× (right tones) stronger (RMS) than those on the same side.

Versions: Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, MNE {mne.__version__}.

## Licence

Synthetic data, generated here; no third-party data.
"""


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.parse_args(argv)
    fiff_write.get_machid = lambda: MACHID.copy()  # deterministic FILE_ID/BLOCK_ID
    raw, chans, lf = simulate()
    written = raw.get_data()
    OUT.mkdir(parents=True, exist_ok=True)
    raw.save(FIF, fmt="single", overwrite=True, verbose="error")
    stats = check(FIF, written, chans, lf)
    (OUT / "README.md").write_text(readme(stats, chans), encoding="utf-8")
    r = stats["rms"]
    print(f"{FIF.relative_to(REPO)}: {stats['file_size']} bytes, {N_TIMES} samples at {SFREQ:g} Hz, "
          f"{sum(stats['counts'].values())} channels {stats['counts']}")
    print(f"RMS: mag {r['mag'] * 1e15:.0f} fT, grad {r['grad'] * 1e12:.2f} pT/m, EEG001 {r['EEG001'] * 1e6:.1f} uV, "
          f"EEG002 {r['EEG002'] * 1e6:.1f} uV, EOG {r['EOG061'] * 1e6:.1f} uV; alpha alone mag "
          f"{stats['alpha_rms_mag'] * 1e15:.0f} fT (max {stats['alpha_max_rms_mag'] * 1e15:.0f}), grad "
          f"{stats['alpha_rms_grad'] * 1e12:.2f} pT/m (max {stats['alpha_max_rms_grad'] * 1e12:.2f}); "
          f"evoked peak mag {stats['evoked_max_mag'] * 1e15:.0f} fT, grad {stats['evoked_max_grad'] * 1e12:.1f} pT/m")
    print(f"alpha peak {stats['alpha_peak']:g} Hz on {stats['occipital_mag']} ({stats['alpha_to_median']:.0f}x median), "
          f"line peak {stats['line_peak']:g} Hz; evoked grad peak {stats['evoked_peak'][0]} at "
          f"{stats['evoked_peak'][1] * 1000:.0f} ms; lateralization {stats['lateralization']}")
    print(f"mne.find_events: {len(stats['events'])} events {stats['events']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
