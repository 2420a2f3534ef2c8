#!/usr/bin/env python3
"""Writes the deterministic synthetic BioSemi-style BDF files of the EEG benchmark.

    .venv/bin/python Benchmarks/eeg/make_data.py OUTDIR [--minutes 60] [--channels 128] [--rate 2048]

Two files in OUTDIR, same layout:

* ``short.bdf``: 5 minutes, for the side-by-side comparison with MNE and SciPy;
* ``long.bdf``: ``--minutes`` (default 60: the issue's 1-hour, 128-channel, 2048 Hz recording,
  about 2.8 GB). Skipped, with a message, when the disk has less than 10 GB free.

The BDF header and the 24-bit little-endian data records are written here with NumPy, a few
records at a time (memory stays at a few tens of MB whatever the length). Layout, as a BioSemi
ActiveTwo file: 1-second records; ``--channels`` EEG signals named ``A1``..``A32``, ``B1``.. (the
BioSemi 128 cap's names), unit ``uV``, physical range -262144..262143 uV, digital range
-8388608..8388607 (0.03125 uV per step), prefilter ``HP:DC; LP:417 Hz``; then a ``Status``
signal (``Triggers and Status``, ``Boolean``, physical = digital range) holding trigger codes
(1, 2, 4, 8, 16 for 100 ms, every 2-5 s) in the low bits and BioSemi's "CMS in range" bit (bit 20)
above them (readers keep the low 17 bits, as MNE does).

Content per EEG channel (microvolts): a DC offset of tens of mV (uniform +-40 mV, as unreferenced
BioSemi data), 1/f ("pink") noise of ~15 uV RMS (independent per channel plus a shared component),
10 Hz alpha (three sources at 9.6, 10.0 and 10.4 Hz with slow amplitude modulation, mixed with
per-channel gains, strongest at the back: channels late in the list), 50 Hz line noise (~5-20 uV,
per-channel phase) with a small 150 Hz harmonic, and 0.5 uV white amplifier noise. Everything is a
function of the seed only; the pink-noise filter state runs across blocks, so the signal is
continuous.

Files already present with the same parameters (recorded in ``NAME.json`` beside each file) are
kept. After writing, ``short.bdf`` is read back with ``mne.io.read_raw_bdf(preload=False)`` and a
few seconds at three places are compared with the values written (to MNE's scaling).
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

FORMAT_VERSION = 1
SEED = 2048
SHORT_MINUTES = 5
MIN_FREE_BYTES = 10 * 1024**3
RECORDS_PER_BLOCK = 8

PHYS_MIN, PHYS_MAX = -262144.0, 262143.0      # uV, BioSemi
DIG_MIN, DIG_MAX = -8388608, 8388607          # 24-bit
GAIN = (PHYS_MAX - PHYS_MIN) / (DIG_MAX - DIG_MIN)
OFFSET = PHYS_MIN - DIG_MIN * GAIN             # phys = dig * GAIN + OFFSET (as MNE and the EDF spec)
CMS_IN_RANGE = 1 << 20
TRIGGER_CODES = (1, 2, 4, 8, 16)

# Pink-noise filter (J. O. Smith's 3-pole/3-zero 1/f approximation), unit gain scaled below.
PINK_B = np.array([0.049922035, -0.095993537, 0.050612699, -0.004408786])
PINK_A = np.array([1.0, -2.494956002, 2.017265875, -0.522189400])


def channel_names(count: int) -> list[str]:
    letters = "ABCDEFGH"
    if not 1 <= count <= 32 * len(letters):
        raise ValueError(f"--channels must be 1..{32 * len(letters)}")
    return [f"{letters[i // 32]}{i % 32 + 1}" for i in range(count)]


def field(text, width: int) -> bytes:
    data = str(text).encode("ascii")
    if len(data) > width:
        raise ValueError(f"header field {text!r} longer than {width} bytes")
    return data.ljust(width, b" ")


def number(value: float, width: int = 8) -> bytes:
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:g}"
    return field(text, width)


def bdf_header(names: list[str], rate: int, records: int) -> bytes:
    ns = len(names) + 1
    fixed = (b"\xffBIOSEMI" + field("X X X X neurotool-eeg-benchmark", 80)
             + field("Startdate 01-JAN-2024 X X BioSemi_ActiveTwo synthetic", 80)
             + field("01.01.24", 8) + field("10.00.00", 8) + number(256 * (ns + 1))
             + field("24BIT", 44) + number(records) + number(1) + number(ns, 4))
    eeg = len(names)
    labels = [field(n, 16) for n in names] + [field("Status", 16)]
    transducers = [field("Active Electrode", 80)] * eeg + [field("Triggers and Status", 80)]
    units = [field("uV", 8)] * eeg + [field("Boolean", 8)]
    pmin = [number(PHYS_MIN)] * eeg + [number(DIG_MIN)]
    pmax = [number(PHYS_MAX)] * eeg + [number(DIG_MAX)]
    dmin = [number(DIG_MIN)] * ns
    dmax = [number(DIG_MAX)] * ns
    prefilter = [field("HP:DC; LP:417 Hz", 80)] * eeg + [field("No filtering", 80)]
    spr = [number(rate)] * ns
    reserved = [field("", 32)] * ns
    header = fixed + b"".join(b"".join(part) for part in
                              (labels, transducers, units, pmin, pmax, dmin, dmax, prefilter, spr, reserved))
    assert len(header) == 256 * (ns + 1)
    return header


class Generator:
    """The signal of every channel, block by block (continuous across blocks)."""

    def __init__(self, channels: int, rate: int, seed: int):
        self.c, self.rate = channels, rate
        rng = np.random.default_rng([seed, 0])
        self.seed = seed
        self.dc = rng.uniform(-40000.0, 40000.0, channels)                       # uV
        self.pink_own = rng.uniform(10.0, 16.0, channels)                         # uV RMS
        self.pink_shared = rng.uniform(4.0, 8.0, channels)
        back = np.linspace(0.3, 1.0, channels)                                    # alpha grows towards the back
        self.alpha_gain = back[:, None] * rng.uniform(3.0, 9.0, (channels, 3))    # uV per source
        self.alpha_freq = np.array([9.6, 10.0, 10.4])
        self.alpha_phase = rng.uniform(0, 2 * np.pi, 3)
        self.am_freq = rng.uniform(0.05, 0.2, 3)
        line_amp = rng.uniform(5.0, 20.0, channels)
        line_phase = rng.uniform(0, 2 * np.pi, channels)
        self.line_cos, self.line_sin = line_amp * np.cos(line_phase), line_amp * np.sin(line_phase)
        self.h3 = rng.uniform(0.05, 0.15, channels) * line_amp
        # Unit-RMS scaling of the pink filter for white unit-variance input (its power gain, numerically).
        impulse = lfilter(PINK_B, PINK_A, np.r_[1.0, np.zeros(1 << 16)])
        self.pink_scale = 1.0 / np.sqrt(np.sum(impulse**2))
        self.zi = np.zeros((channels + 1, len(PINK_A) - 1))
        # Trigger schedule: onsets every 2-5 s.
        self.trig_rng = np.random.default_rng([seed, 1])
        self.next_trigger = 2.0
        self.pending: list[tuple[int, int, int]] = []  # (start sample, stop sample, code)

    def block(self, index: int, first_sample: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(channels, n) float64 microvolts and (n,) int32 Status digital values."""
        rng = np.random.default_rng([self.seed, 2, index])
        white = rng.standard_normal((self.c + 1, n))
        pink, self.zi = lfilter(PINK_B, PINK_A, white, axis=1, zi=self.zi)
        pink *= self.pink_scale
        x = pink[: self.c] * self.pink_own[:, None]
        x += self.pink_shared[:, None] * pink[self.c]
        t = (first_sample + np.arange(n)) / self.rate
        alpha = (1.0 + 0.5 * np.sin(2 * np.pi * self.am_freq[:, None] * t)) * \
            np.sin(2 * np.pi * self.alpha_freq[:, None] * t + self.alpha_phase[:, None])
        x += self.alpha_gain @ alpha
        w = 2 * np.pi * 50.0 * t
        x += np.outer(self.line_cos, np.cos(w)) + np.outer(self.line_sin, np.sin(w))
        x += np.outer(self.h3, np.sin(3 * w))
        x += 0.5 * rng.standard_normal((self.c, n))
        x += self.dc[:, None]
        status = np.full(n, CMS_IN_RANGE, dtype=np.int32)
        end_time = (first_sample + n) / self.rate
        while self.next_trigger < end_time + 5.0:
            start = int(round(self.next_trigger * self.rate))
            code = int(self.trig_rng.choice(TRIGGER_CODES))
            self.pending.append((start, start + int(0.1 * self.rate), code))
            self.next_trigger += float(self.trig_rng.uniform(2.0, 5.0))
        for start, stop, code in self.pending:
            a, b = max(start, first_sample), min(stop, first_sample + n)
            if a < b:
                status[a - first_sample:b - first_sample] |= code
        self.pending = [p for p in self.pending if p[1] > first_sample + n]
        return x, status


def to_digital(uv: np.ndarray) -> np.ndarray:
    d = np.rint((uv - OFFSET) / GAIN)
    np.clip(d, DIG_MIN, DIG_MAX, out=d)
    return d.astype(np.int32)


def write_bdf(path: Path, minutes: float, channels: int, rate: int, seed: int) -> float:
    records = int(round(minutes * 60))
    names = channel_names(channels)
    gen = Generator(channels, rate, seed)
    tmp = path.with_name(path.name + ".part")
    start = time.perf_counter()
    with open(tmp, "wb") as f:
        f.write(bdf_header(names, rate, records))
        for index, first in enumerate(range(0, records, RECORDS_PER_BLOCK)):
            nrec = min(RECORDS_PER_BLOCK, records - first)
            uv, status = gen.block(index, first * rate, nrec * rate)
            digital = np.empty((channels + 1, nrec * rate), dtype="<i4")
            digital[:channels] = to_digital(uv)
            digital[channels] = status
            # (signal, record, sample) -> (record, signal, sample), then the low 3 bytes of each int32.
            ordered = digital.reshape(channels + 1, nrec, rate).transpose(1, 0, 2)
            packed = np.ascontiguousarray(ordered).view(np.uint8).reshape(nrec, channels + 1, rate, 4)[..., :3]
            f.write(np.ascontiguousarray(packed).tobytes())
    tmp.replace(path)
    return time.perf_counter() - start


def expected_block(seconds: tuple[int, int], records: int, channels: int, rate: int, seed: int):
    """Regenerates seconds [a, b) of a file of `records` records exactly as written (digital values
    scaled as MNE does, in volts; Status masked to 17 bits)."""
    a, b = seconds
    gen = Generator(channels, rate, seed)
    out_eeg, out_status = [], []
    for index, first in enumerate(range(0, b, RECORDS_PER_BLOCK)):
        nrec = min(RECORDS_PER_BLOCK, records - first)
        uv, status = gen.block(index, first * rate, nrec * rate)
        lo, hi = max(a, first), min(b, first + nrec)
        if lo < hi:
            sl = slice((lo - first) * rate, (hi - first) * rate)
            out_eeg.append((to_digital(uv[:, sl]) * GAIN + OFFSET) * 1e-6)
            out_status.append(status[sl] & (2**17 - 1))
    return np.concatenate(out_eeg, axis=1), np.concatenate(out_status)


def verify_with_mne(path: Path, params: dict) -> str:
    import mne

    raw = mne.io.read_raw_bdf(path, preload=False, verbose="error")
    channels, rate, seed = params["channels"], params["rate"], params["seed"]
    if raw.info["sfreq"] != rate or len(raw.ch_names) != channels + 1 or raw.ch_names[-1] != "Status":
        raise SystemExit(f"make_data.py: MNE reads {path} with sfreq {raw.info['sfreq']}, "
                         f"{len(raw.ch_names)} channels ({raw.ch_names[:3]}...): not what was written")
    if raw.n_times != int(round(params["minutes"] * 60)) * rate:
        raise SystemExit(f"make_data.py: MNE reads {raw.n_times} samples from {path}")
    worst, events = 0.0, 0
    total = raw.n_times // rate
    for a in (0, total // 2, total - 3):
        eeg, status = expected_block((a, a + 3), total, channels, rate, seed)
        got = raw.get_data(start=a * rate, stop=(a + 3) * rate)
        worst = max(worst, float(np.max(np.abs(got[:channels] - eeg))))
        if not np.array_equal(got[channels].astype(np.int64), status.astype(np.int64)):
            raise SystemExit(f"make_data.py: MNE's Status channel of {path} at {a} s differs from what was written")
        events += int(np.count_nonzero(np.diff(status) > 0))
    if worst > 1e-12:
        raise SystemExit(f"make_data.py: MNE reads {path} with values up to {worst:.3g} V off what was written")
    return (f"MNE reads {path.name}: {channels} EEG + Status at {rate:g} Hz, {raw.n_times} samples; "
            f"3 x 3 s match the written values (largest |difference| {worst:.2g} V, Status identical)")


def make(path: Path, minutes: float, channels: int, rate: int, seed: int, verify: bool) -> None:
    params = {"format_version": FORMAT_VERSION, "minutes": minutes, "channels": channels, "rate": rate,
              "seed": seed, "record_seconds": 1}
    sidecar = path.with_suffix(".json")
    size = 256 * (channels + 2) + int(round(minutes * 60)) * (channels + 1) * rate * 3
    if path.exists() and sidecar.exists() and path.stat().st_size == size:
        try:
            if json.loads(sidecar.read_text()) == params:
                print(f"{path}: already there with the same parameters, kept")
                if verify:
                    print(verify_with_mne(path, params))
                return
        except (OSError, ValueError):
            pass
    free = shutil.disk_usage(path.parent).free
    if free - size < MIN_FREE_BYTES:
        print(f"{path}: skipped, {size / 1e9:.1f} GB needed and only {free / 1e9:.1f} GB free "
              f"(at least {MIN_FREE_BYTES / 1024**3:.0f} GB must stay free)")
        return
    sidecar.unlink(missing_ok=True)
    seconds = write_bdf(path, minutes, channels, rate, seed)
    sidecar.write_text(json.dumps(params, indent=1) + "\n")
    print(f"{path}: {minutes:g} min, {channels} EEG + Status at {rate} Hz, {size / 1e9:.2f} GB in {seconds:.1f} s")
    if verify:
        print(verify_with_mne(path, params))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir", help="folder for short.bdf and long.bdf (created if missing)")
    p.add_argument("--minutes", type=float, default=60.0, help="length of long.bdf in minutes (default 60)")
    p.add_argument("--channels", type=int, default=128, help="EEG channels (default 128, plus Status)")
    p.add_argument("--rate", type=int, default=2048, help="sampling rate in Hz (default 2048)")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    p.add_argument("--short-only", action="store_true", help="write only short.bdf")
    args = p.parse_args(argv)
    if not args.minutes * 60 >= 1 or float(args.minutes * 60).is_integer() is False or args.rate < 1:
        p.error("--minutes must be a positive whole number of seconds, --rate positive")
    try:
        channel_names(args.channels)
    except ValueError as e:
        p.error(str(e))
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    make(outdir / "short.bdf", SHORT_MINUTES, args.channels, args.rate, args.seed, verify=True)
    if not args.short_only:
        make(outdir / "long.bdf", args.minutes, args.channels, args.rate, args.seed, verify=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
