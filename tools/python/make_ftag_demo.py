#!/usr/bin/env python3
"""Writes the frequency-tagging demo recording: Datasets/ftag/ (ftag_demo.edf, truth.json).

Run from the repository root (or `make datasets`):

    .venv/bin/python tools/python/make_ftag_demo.py

What it does
------------
1. Background: the real EEG of Datasets/eeg/test.edf (MNE's test file, 6 s at 512 Hz, BSD-3; read with
   mne.io.read_raw_edf), every CHANNEL_STEP-th of its 136 EEG channels A1..I8 (not Ergo-Left/Right,
   Status), in µV, resampled to 256 Hz (scipy.signal.resample_poly(x, 1, 2, padtype='line')). The six
   seconds are stretched to the whole recording by concatenating seeded random segments of them
   (lengths uniform 1-3 s, starts uniform in the interior, 0.125 s from either end; each segment time-
   reversed with probability 1/2 and sign-flipped with probability 1/2, operations that keep the
   spectra and the channels' covariance) with 0.25 s equal-power (cos/sin) cross-fades of the
   channel-demeaned data; the channel means are added back afterwards. Every channel takes the same
   segments, so the channels keep their real covariance. The reversals and flips make the reuse of
   six seconds less periodic: without them the background alone reaches snr ~3 at some tag bins.
2. Design: 30 trials of 4 s; the first starts at 2 s, the next follow after seeded pauses of 0.5-1.5 s
   (multiples of 0.125 s, so every onset is a whole sample at 256 Hz and exact in an EDF+ annotation's
   0.1 ms resolution); the recording ends 2 s or more after the last trial, at a whole second.
3. Tagged responses, phase-locked to trial onsets: set A (4 channels) gets 4 Hz ("word"), set B (4)
   1 Hz + 2 Hz ("sentence", "phrase"), set C (4) 2 Hz only; every other channel nothing. Sets drawn
   with the seed. Within each trial a * cos(2*pi*f*(t - onset) + phase), with 0.125 s half-Hann ramps at
   both ends, zero between trials. The amplitudes are sized per channel from the background itself
   (planted_powers): the power added at each tag bin is what makes the expected snr of the trial-
   averaged periodograms (3 neighbour bins on each side, 1 skipped) TARGET_SNR (3) there, that is
   about 2 times the background at the bin, more in set B where 1 Hz and 2 Hz lie in each other's
   noise bins (at 0.25 Hz resolution) and raise the noise estimate. The response's RMS stays well
   under the background's (reported; the traces do not show it by eye).
4. Writes ftag_demo.edf with pyedflib's EdfWriter (EDF+C, 1 s records, 16-bit, µV, physical range per
   channel from its data; the samples are quantised here, rounding to nearest, and written with
   writeSamples(digital=True)) and an EDF+ annotation "trial" (duration 4 s) at every trial onset;
   start 2020-01-02 10:30:00, no clock, anonymous header. truth.json: channel -> tagged frequencies
   and the design (onsets, sets, amplitudes, phases, seed, the background's segments).
5. Checks: mne.io.read_raw_edf reads it back with 30 "trial" annotations (duration 4 s) at the written
   onsets and the written digital samples (dig * cal + offset, to 1e-12 of the largest value); NumPy
   epochs of MNE's reading at those annotations, trial-averaged periodograms and the SSVEP snr
   (ftag_peer: 3 neighbours, 1 skipped) separate the sets: at each tag the lowest snr of the channels
   tagged there is above the highest snr of the others. The snr per channel goes to truth.json.

Deterministic (seed 20251213): two runs give byte-identical files. Nothing here is used by neurotool
at run time.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import platform
import re
import sys
import warnings
from pathlib import Path

import mne
import numpy as np
import pyedflib
import scipy
import scipy.signal

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ftag_peer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "Datasets" / "eeg" / "test.edf"
OUT = ROOT / "Datasets" / "ftag"
EDF = OUT / "ftag_demo.edf"
SCRIPT = "tools/python/make_ftag_demo.py"
SEED = 20251213
RATE = 256
CHANNEL_STEP = 4  # every 4th EEG channel: 34 of 136, ~2.7 MB (all 136 would make ~11 MB)
TRIALS = 30
TRIAL_SECONDS = 4.0
FIRST_ONSET = 2.0
PAUSES = np.arange(0.5, 1.5 + 1e-9, 0.125)
TAIL = 2.0
SEGMENT_SECONDS = (1.0, 3.0)
CROSSFADE = 0.25
SOURCE_EDGE = 0.125
RAMP = 0.125
TARGET_SNR = 3.0
NEIGHBORS, SKIP = 3, 1
TAG_NAMES = {1.0: "sentence", 2.0: "phrase", 4.0: "word"}
SETS = {"A": [4.0], "B": [1.0, 2.0], "C": [2.0]}
SET_SIZE = 4
START = dt.datetime(2020, 1, 2, 10, 30, 0)


def source_eeg() -> tuple[list[str], np.ndarray]:
    """(names, µV at RATE Hz) of the EEG channels A1..I8 of test.edf, every CHANNEL_STEP-th."""
    raw = mne.io.read_raw_edf(SOURCE, preload=True, verbose="error")
    names = [n for n in raw.ch_names if re.fullmatch(r"[A-I][0-9]+", n)]
    if len(names) != 136:
        raise SystemExit(f"{SOURCE}: expected 136 EEG channels A1..I8, found {len(names)}")
    names = names[::CHANNEL_STEP]
    x = raw.get_data(picks=names) * 1e6
    rate = raw.info["sfreq"]
    if rate != 2 * RATE:
        raise SystemExit(f"{SOURCE}: expected 512 Hz, found {rate}")
    return names, scipy.signal.resample_poly(x, 1, 2, axis=1, padtype="line")


def stretch(x: np.ndarray, samples: int, rng: np.random.Generator) -> tuple[np.ndarray, list[list[int]]]:
    """`samples` long background from seeded segments of x with equal-power cross-fades; also the
    segments as [start, length, reversed, negated] (start and length in x's samples)."""
    means = x.mean(axis=1, keepdims=True)
    y = x - means
    edge, fade = int(SOURCE_EDGE * RATE), int(CROSSFADE * RATE)
    lo, hi = int(SEGMENT_SECONDS[0] * RATE), int(SEGMENT_SECONDS[1] * RATE)
    theta = (np.arange(fade) + 0.5) / fade * (math.pi / 2)
    fade_out, fade_in = np.cos(theta), np.sin(theta)
    pieces, segments, length = [], [], 0
    while length < samples + fade:
        n = int(rng.integers(lo, hi + 1))
        start = int(rng.integers(edge, y.shape[1] - edge - n + 1))
        reverse, negate = bool(rng.random() < 0.5), bool(rng.random() < 0.5)
        seg = y[:, start:start + n]
        seg = (-1.0 if negate else 1.0) * (seg[:, ::-1] if reverse else seg)
        segments.append([start, n, int(reverse), int(negate)])
        if pieces:
            tail = pieces[-1]
            tail[:, -fade:] = tail[:, -fade:] * fade_out + seg[:, :fade] * fade_in
            seg = seg[:, fade:]
        pieces.append(seg)
        length += seg.shape[1]
    return np.concatenate(pieces, axis=1)[:, :samples] + means, segments


def design(rng: np.random.Generator) -> tuple[list[float], int]:
    """(trial onsets in s, total samples)."""
    onsets = [FIRST_ONSET]
    for _ in range(TRIALS - 1):
        onsets.append(onsets[-1] + TRIAL_SECONDS + float(rng.choice(PAUSES)))
    seconds = math.ceil(onsets[-1] + TRIAL_SECONDS + TAIL)
    return onsets, seconds * RATE


def epochs(x: np.ndarray, onsets) -> np.ndarray:
    """channels x samples x trials of TRIAL_SECONDS from each onset."""
    n = int(TRIAL_SECONDS * RATE)
    starts = [int(round(o * RATE)) for o in onsets]
    return np.stack([x[:, s:s + n] for s in starts], axis=2)


def noise_level(psd: np.ndarray, k: int) -> np.ndarray:
    """Mean psd of the snr noise bins around k (3 on each side, skipping 1)."""
    nb = np.concatenate((psd[..., k - SKIP - NEIGHBORS:k - SKIP], psd[..., k + SKIP + 1:k + SKIP + 1 + NEIGHBORS]),
                        axis=-1)
    return nb.mean(axis=-1)


def planted_powers(psd: np.ndarray, bins: list[int]) -> np.ndarray:
    """Power (µV²/Hz at the bin, trial-averaged periodogram) to add at each of one channel's tag bins so
    that the expected snr there is TARGET_SNR given this background psd: for each tag f,
    (psd[k_f] + S_f) / mean over its noise bins of (psd + the S_g of tags g lying there) = TARGET_SNR,
    a small linear system (1 Hz and 2 Hz are each other's noise bins at 0.25 Hz resolution)."""
    m = np.eye(len(bins))
    rhs = np.empty(len(bins))
    for i, k in enumerate(bins):
        noise = list(range(k - SKIP - NEIGHBORS, k - SKIP)) + list(range(k + SKIP + 1, k + SKIP + 1 + NEIGHBORS))
        rhs[i] = TARGET_SNR * psd[noise].mean() - psd[k]
        for j, other in enumerate(bins):
            if other in noise:
                m[i, j] -= TARGET_SNR / len(noise)
    powers = np.linalg.solve(m, rhs)
    if not (powers > 0).all():
        raise SystemExit(f"no positive response powers for bins {bins}: {powers}")
    return powers


def spectra_snr(x: np.ndarray, onsets) -> np.ndarray:
    """channels x tags: snr of the trial-averaged periodograms (ftag_peer, fft / spectra)."""
    spec = ftag_peer.spectrum(epochs(x, onsets), RATE, "fft", "spectra")
    bins = ftag_peer.tag_bins(sorted(TAG_NAMES), RATE, spec["length"])
    return ftag_peer.snr_spectrum(spec["psd"], NEIGHBORS, SKIP)[:, bins]


def quantise(data: np.ndarray) -> tuple[list[dict], np.ndarray, np.ndarray]:
    """EDF headers (µV, physical range per channel from its data, 16-bit), the digital samples
    (rounded to nearest) and what they decode to (MNE's and the EDF spec's dig * cal + offset)."""
    headers, digital, decoded = [], [], []
    for x in data:
        pmin, pmax = float(math.floor(x.min()) - 1), float(math.ceil(x.max()) + 1)
        headers.append({"physical_min": pmin, "physical_max": pmax, "digital_min": -32768, "digital_max": 32767})
        cal = (pmax - pmin) / 65535
        d = np.clip(np.round((x - pmin) / cal - 32768), -32768, 32767).astype(np.int32)
        digital.append(d)
        decoded.append(d * cal + (pmin + 32768 * cal))
    return headers, np.array(digital), np.array(decoded)


def write_edf(path: Path, names, headers, digital: np.ndarray, onsets) -> None:
    full = [{"label": n, "dimension": "uV", "sample_frequency": RATE, "prefilter": "", "transducer": "", **h}
            for n, h in zip(names, headers)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = pyedflib.EdfWriter(str(path), len(full), file_type=pyedflib.FILETYPE_EDFPLUS)
        w.setSignalHeaders(full)
        w.setStartdatetime(START)
        w.setPatientCode("X")
        w.setPatientName("X")
        w.setEquipment("neurotool ftag demo")
        w.writeSamples([np.ascontiguousarray(d) for d in digital], digital=True)
        for onset in onsets:
            w.writeAnnotation(onset, TRIAL_SECONDS, "trial")
        w.close()


def read_back(path: Path, names, decoded: np.ndarray, onsets) -> tuple[np.ndarray, list[float], str]:
    """MNE's reading (µV) and 'trial' onsets, checked against what was written."""
    raw = mne.io.read_raw_edf(path, preload=True, verbose="error")
    if raw.ch_names != list(names) or raw.info["sfreq"] != RATE or raw.n_times != decoded.shape[1]:
        raise SystemExit(f"{path.name}: MNE reads {len(raw.ch_names)} channels at {raw.info['sfreq']} Hz, "
                         f"{raw.n_times} samples")
    got = raw.get_data() * 1e6
    worst = float(np.abs(got - decoded).max() / np.abs(decoded).max())
    if worst > 1e-12:
        raise SystemExit(f"{path.name}: MNE's reading differs from the written digital samples by {worst:.3g} "
                         "(relative to the largest value)")
    trial = [(float(o), float(d)) for o, d, s in zip(raw.annotations.onset, raw.annotations.duration,
                                                      raw.annotations.description) if s == "trial"]
    read_onsets = [o for o, _ in trial]
    if len(trial) != TRIALS or not np.allclose(read_onsets, onsets, atol=1e-9, rtol=0) or any(
            d != TRIAL_SECONDS for _, d in trial):
        raise SystemExit(f"{path.name}: MNE reads {len(trial)} 'trial' annotations, onsets {read_onsets[:3]}...")
    return got, read_onsets, f"equal to the written samples to {worst:.1g} of the largest value"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    names, source = source_eeg()
    onsets, samples = design(rng)
    background, segments = stretch(source, samples, rng)

    # Channel sets, phases and amplitudes.
    order = rng.permutation(len(names))
    members = {s: sorted((names[i] for i in order[j * SET_SIZE:(j + 1) * SET_SIZE]), key=names.index)
               for j, s in enumerate(SETS)}
    channel_tags = {n: [] for n in names}
    for s, freqs in SETS.items():
        for n in members[s]:
            channel_tags[n] = list(freqs)
    phases = rng.uniform(0, 2 * math.pi, (len(names), len(TAG_NAMES)))
    tags = sorted(TAG_NAMES)
    n_trial = int(TRIAL_SECONDS * RATE)
    bg_spec = ftag_peer.spectrum(epochs(background, onsets), RATE, "fft", "spectra")
    bins = ftag_peer.tag_bins(tags, RATE, n_trial)
    t = np.arange(n_trial) / RATE
    ramp_n = int(RAMP * RATE)
    envelope = np.ones(n_trial)
    ramp = 0.5 - 0.5 * np.cos(math.pi * (np.arange(ramp_n) + 0.5) / ramp_n)
    envelope[:ramp_n], envelope[-ramp_n:] = ramp, ramp[::-1]
    response = np.zeros_like(background)
    amplitudes, power_ratios = {}, []
    for c, name in enumerate(names):
        if not channel_tags[name]:
            continue
        powers = planted_powers(bg_spec["psd"][c], [bins[tags.index(f)] for f in channel_tags[name]])
        one = np.zeros(n_trial)
        amplitudes[name] = {}
        for f, power in zip(channel_tags[name], powers):
            j = tags.index(f)
            a = math.sqrt(2 * power / TRIAL_SECONDS) / envelope.mean()
            amplitudes[name][f"{f:g}"] = a
            power_ratios.append(power / noise_level(bg_spec["psd"][c], bins[j]))
            one += a * np.cos(2 * math.pi * f * t + phases[c, j])
        for o in onsets:
            s = int(round(o * RATE))
            response[c, s:s + n_trial] += one * envelope
    data = background + response

    headers, digital, decoded = quantise(data)
    quantisation = float(np.abs(decoded - data).max())
    write_edf(EDF, names, headers, digital, onsets)
    got, read_onsets, diff = read_back(EDF, names, decoded, onsets)

    # Separation of the sets by snr at each tag (on MNE's reading, epoched at MNE's onsets).
    snr = spectra_snr(got, read_onsets)
    bg_snr = spectra_snr(background, onsets)
    lines = [f"{EDF.relative_to(ROOT)}: {len(names)} channels x {samples} samples ({samples / RATE:g} s at {RATE} Hz), "
             f"{EDF.stat().st_size / 1e6:.2f} MB; quantisation error <= {quantisation:.3g} µV; MNE reads it back with "
             f"{len(read_onsets)} 'trial' annotations, {diff}"]
    for j, f in enumerate(tags):
        on = [snr[c, j] for c, n in enumerate(names) if f in channel_tags[n]]
        off = [snr[c, j] for c, n in enumerate(names) if f not in channel_tags[n]]
        lines.append(f"  {f:g} Hz ({TAG_NAMES[f]}): snr of the {len(on)} tagged channels {min(on):.2f}..{max(on):.2f}, "
                     f"of the other {len(off)} {min(off):.2f}..{max(off):.2f}")
        if not min(on) > max(off):
            raise SystemExit(f"{f:g} Hz: the tagged channels' snr ({min(on):.3g}) does not exceed the others' "
                             f"({max(off):.3g})")
    tagged = [c for c, n in enumerate(names) if channel_tags[n]]
    in_trials = np.concatenate([np.arange(int(round(o * RATE)), int(round(o * RATE)) + n_trial) for o in onsets])
    rms = np.sqrt((response[tagged][:, in_trials] ** 2).mean(axis=1))
    bg_rms = background[tagged][:, in_trials].std(axis=1)
    lines.append(f"  planted power / background noise-bin level at the tags: "
                 f"{min(power_ratios):.2f}..{max(power_ratios):.2f}")
    lines.append(f"  response RMS / background RMS (tagged channels, within trials): "
                 f"{(rms / bg_rms).min():.2f}..{(rms / bg_rms).max():.2f}; background alone snr at the tags "
                 f"{np.nanmin(bg_snr):.2f}..{np.nanmax(bg_snr):.2f}")

    truth = {
        "description": (
            "Frequency-tagging demo: ftag_demo.edf is real EEG (MNE's test.edf, every 4th EEG channel, "
            "stretched to the whole recording by seeded cross-faded segments, some time-reversed or sign-flipped) "
            "plus phase-locked sinusoidal "
            "responses in 30 trials of 4 s (EDF+ annotation 'trial' at each onset, duration 4 s). 'channels': "
            "channel -> tagged frequencies (Hz; [] = none). 'sets': the three channel sets and their "
            "frequencies. 'amplitudes_uV': per tagged channel and frequency, the sinusoid's amplitude (µV, "
            "before the 0.125 s onset/offset ramps), sized per channel so that the expected snr of the "
            "trial-averaged periodograms (3 neighbours, 1 skipped) at the tag is 'target_snr' given the background. "
            "'snr_check': the snr measured on MNE's reading of the file. 'phases_rad': channel -> frequency -> "
            "phase at trial onset."),
        "script": SCRIPT,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "mne": mne.__version__,
        "pyedflib": pyedflib.__version__,
        "writer": "pyedflib.EdfWriter (EDF+C), writeSamples (physical µV) + writeAnnotation(onset, 4.0, 'trial')",
        "source": "Datasets/eeg/test.edf",
        "seed": SEED,
        "file": EDF.name,
        "rate": RATE,
        "samples": samples,
        "trial_seconds": TRIAL_SECONDS,
        "trials": TRIALS,
        "onsets": onsets,
        "tag_names": {f"{f:g}": v for f, v in TAG_NAMES.items()},
        "sets": {s: {"frequencies": SETS[s], "channels": members[s]} for s in SETS},
        "channels": channel_tags,
        "target_snr": TARGET_SNR,
        "amplitudes_uV": amplitudes,
        "phases_rad": {n: {f"{f:g}": float(phases[c, tags.index(f)]) for f in channel_tags[n]}
                       for c, n in enumerate(names) if channel_tags[n]},
        "snr_check": {"method": "fft", "average": "spectra", "neighbors": NEIGHBORS, "skip": SKIP,
                      "snr": {n: {f"{f:g}": float(snr[c, j]) for j, f in enumerate(tags)}
                              for c, n in enumerate(names)}},
        "background_segments": {"source_rate": RATE, "crossfade_s": CROSSFADE, "segments": segments},
    }
    text = json.dumps(truth, indent=1, allow_nan=False) + "\n"
    (OUT / "truth.json").write_text(text, encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
