#!/usr/bin/env python3
"""Deterministic generator of the small multi-lab C. elegans calcium-imaging demo set.

Run from the repository root:

    .venv/bin/python Datasets/celegans/generate.py

What it does
------------
1. Builds the canonical list of 300 hermaphrodite neurons (302 minus CANL/CANR)
   from ``Datasets/connectome/IndividualNeurons.csv``.
2. Builds a signed connectivity matrix from the hermaphrodite connectome
   (``Datasets/connectome/herm_full_edgelist.csv``).
3. Simulates one independent "worm" per recording with a leaky rate model on that
   connectome, driven by a forward/reverse locomotion switch and slow shared inputs,
   then turns activity into GCaMP-like fluorescence (exponential calcium kernel,
   baseline, noise).
4. Samples each worm at its lab's own (jittered) frame rate, records a random subset
   of neurons, labels a random part of them, and adds the label "dirt" that real
   shared datasets have (zero-padded names, ambiguous IDs, duplicates, typos).
5. Writes each lab's recordings with that lab's usual file format and writer library
   (MATLAB v7.3 via hdf5storage, MATLAB v5 via scipy.io, NWB via pynwb, HDF5 via h5py,
   plain text, CSV, NetCDF-4 via netCDF4-python) plus a suite2p-style mouse recording.
6. Reads every file back with the peer library and writes the cross-check fixtures
   ``Datasets/celegans/expected/<lab>__<worm>.json`` used by the Swift readers, and
   the dataset ``manifest.json``.

Everything is seeded (numpy ``default_rng`` with seed 2024; the two MATLAB v5 labs,
added later, have their own streams so every earlier file stayed the same) and no
wall-clock time is embedded, so two runs produce byte-identical files (see README.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import re
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import hdf5storage
import netCDF4
import numpy as np
import scipy
import scipy.io

# pynwb / hdmf are imported lazily in write_nwb() (they are slow to import).

# --------------------------------------------------------------------------------------
# Paths and global constants
# --------------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "Datasets" / "celegans"  # C. elegans demo set (this folder)
MOUSE_OUT = REPO / "Datasets" / "suite2p_mouse"  # mammalian suite2p example
CONNECTOME = REPO / "Datasets" / "connectome"

SEED = 2024

# Fine simulation grid and model time constants (seconds).
SIM_DT = 0.05  # integration step
TAU_NEURON = 0.5  # leak time constant of the rate model
TAU_CALCIUM = 1.0  # GCaMP decay time constant
BURN_IN = 30.0  # simulated but discarded, so every worm starts "mid-behaviour"
SPECTRAL_RADIUS = 0.9  # connectivity is rescaled to this spectral radius (stable)

MIN_SAMPLES = 600  # the neurotool pipeline skips shorter worms (one worm here is shorter)

# Fixed "session" date used wherever a writer wants a timestamp.
FIXED_DATE = dt.datetime(2024, 1, 1, 12, 0, 0, tzinfo=dt.timezone.utc)

# GABAergic (inhibitory) neurons of the hermaphrodite; all other presynaptic neurons
# are excitatory with probability EXCITATORY_FRACTION.
GABAERGIC = (
    {f"DD{i}" for i in range(1, 7)}
    | {f"VD{i}" for i in range(1, 14)}
    | {"RMED", "RMEV", "RMEL", "RMER", "AVL", "DVB", "RIS"}
)
EXCITATORY_FRACTION = 0.7

# Neurons that carry the locomotion drives (command interneurons and motor classes).
REVERSE_CLASSES = ("AVA", "AVD", "AVE", "RIM", "AIB")
REVERSE_MOTOR = ("VA", "DA", "AS")
FORWARD_CLASSES = ("AVB", "PVC", "RIB", "AIY")
FORWARD_MOTOR = ("VB", "DB")
HEAD_SWING_CLASSES = ("SMD", "RIV", "SMB", "RME")

# Motor neurons whose numbers are written zero-padded by some labs (VB01, DA09).
PADDABLE = re.compile(r"^(AS|DA|DB|DD|VA|VB|VC|VD)(\d)$")

# Neurons outside the head (ventral-cord motor neurons, mid-body and tail neurons). The two
# head-only recordings (yemini2021, lin2023) draw their neurons from the rest.
VENTRAL_CORD_MOTOR = re.compile(r"^(AS|DA|DB|DD|VA|VB|VC|VD)\d+$")
NOT_HEAD = {"DVA", "DVB", "DVC", "LUAL", "LUAR", "ALNL", "ALNR", "HSNL", "HSNR", "SDQL", "SDQR",
            "BDUL", "BDUR", "ALML", "ALMR", "AVM"}


def in_head(name: str) -> bool:
    """Head neuron: not a ventral-cord motor neuron, not posterior (P...: PVC, PHA, PLM, PQR ...),
    not one of the mid-body/tail neurons in NOT_HEAD."""
    return not (VENTRAL_CORD_MOTOR.match(name) or name.startswith("P") or name in NOT_HEAD)


# --------------------------------------------------------------------------------------
# 1. Canonical neuron list
# --------------------------------------------------------------------------------------


def load_canonical_neurons() -> list[str]:
    """Return the 300 canonical hermaphrodite neuron names, sorted.

    IndividualNeurons.csv is ';'-separated: name; full name; lineage; description.
    We drop male-specific neurons (description starting with "Male"), the male
    interneurons PVS/PVU, the excretory canal neurons CANL/CANR (no synapses) and
    grouped entries such as "DX1/2".
    """
    names = []
    with open(CONNECTOME / "IndividualNeurons.csv", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            cols = [c.strip() for c in line.split(";")]
            name, description = cols[0], cols[3]
            if description.lower().startswith("male"):
                continue
            if name in {"PVS", "PVU", "CANL", "CANR"} or "/" in name:
                continue
            names.append(name)
    names = sorted(names)
    assert len(names) == 300 == len(set(names)), f"expected 300 neurons, got {len(names)}"
    return names


def canonical_name(raw: str) -> str:
    """Strip stray spaces and drop zero padding of numbered motor neurons (VB01 -> VB1).

    Only a single leading zero before one digit is dropped, so VA10 stays VA10.
    """
    name = raw.strip()
    m = re.fullmatch(r"(AS|DA|DB|DD|VA|VB|VC|VD)0(\d)", name)
    return f"{m.group(1)}{m.group(2)}" if m else name


def zero_pad(name: str) -> str:
    """Inverse of canonical_name for single-digit motor neurons (VB1 -> VB01)."""
    m = PADDABLE.match(name)
    return f"{m.group(1)}0{m.group(2)}" if m else name


# --------------------------------------------------------------------------------------
# 2. Connectome -> signed weight matrix
# --------------------------------------------------------------------------------------


def load_connectivity(neurons: list[str], rng: np.random.Generator) -> np.ndarray:
    """Signed connectivity W[post, pre] scaled to SPECTRAL_RADIUS.

    Chemical synapses get the sign of their presynaptic neuron (Dale's principle):
    GABAergic neurons inhibit, the rest excite with probability EXCITATORY_FRACTION.
    Electrical synapses (gap junctions) are symmetric and always positive.
    Synapse counts are compressed with log1p so a few huge contacts do not dominate.
    Edges to non-neurons (muscles, pharynx, hypodermis, ...) are ignored.
    """
    index = {n: i for i, n in enumerate(neurons)}
    n = len(neurons)
    chemical = np.zeros((n, n))
    electrical = np.zeros((n, n))
    with open(CONNECTOME / "herm_full_edgelist.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            pre = canonical_name(row["Source"])
            post = canonical_name(row["Target"])
            if pre not in index or post not in index:
                continue  # muscle, pharyngeal cell, CAN, ...
            weight = float(row["Weight"])
            kind = row["Type"].strip()
            i, j = index[post], index[pre]
            if kind == "chemical":
                chemical[i, j] += weight
            elif kind == "electrical":
                electrical[i, j] = max(electrical[i, j], weight)
            else:
                raise ValueError(f"unknown synapse type {kind!r}")
    electrical = np.maximum(electrical, electrical.T)  # gap junctions are symmetric

    # One sign per presynaptic neuron (column).
    sign = np.where(rng.random(n) < EXCITATORY_FRACTION, 1.0, -1.0)
    for name in GABAERGIC:
        sign[index[name]] = -1.0
    w = np.log1p(chemical) * sign[None, :] + 0.5 * np.log1p(electrical)
    np.fill_diagonal(w, 0.0)
    radius = np.max(np.abs(np.linalg.eigvals(w)))
    return w * (SPECTRAL_RADIUS / radius)


# --------------------------------------------------------------------------------------
# 3. Simulation: rate model -> calcium -> fluorescence
# --------------------------------------------------------------------------------------


def _members(neurons: list[str], prefixes: tuple[str, ...], motor: bool = False) -> np.ndarray:
    """Boolean mask of neurons whose name starts with one of the class prefixes.

    With motor=True the prefix must be followed directly by a number (VA1, DA9 ...).
    """
    if motor:
        pattern = re.compile(rf"^({'|'.join(prefixes)})\d+$")
    else:
        pattern = re.compile(rf"^({'|'.join(prefixes)})")
    return np.array([bool(pattern.match(n)) for n in neurons])


def ou_process(n_steps: int, tau: float, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Ornstein-Uhlenbeck process with time constant tau and stationary std sigma."""
    a = math.exp(-SIM_DT / tau)
    b = sigma * math.sqrt(1.0 - a * a)
    out = np.empty(n_steps)
    v = rng.normal(0.0, sigma)
    for k in range(n_steps):
        v = a * v + b * rng.normal()
        out[k] = v
    return out


def locomotion_state(n_steps: int, rng: np.random.Generator) -> np.ndarray:
    """Forward (+1) / reverse (-1) switching with exponential dwell times.

    Forward runs last ~25 s on average, reversals ~6 s, as in freely moving worms.
    """
    state = np.empty(n_steps)
    k, current = 0, 1.0
    while k < n_steps:
        mean_dwell = 25.0 if current > 0 else 6.0
        length = max(1, int(rng.exponential(mean_dwell) / SIM_DT))
        state[k : k + length] = current
        k += length
        current = -current
    return state


def simulate_worm(w: np.ndarray, neurons: list[str], duration: float, rng: np.random.Generator):
    """Simulate one worm for `duration` seconds (after burn-in).

    Model (per step of SIM_DT):
        x <- x + dt/tau * (-x + tanh(W x + I(t))) + noise
        I(t) = locomotion switch (forward vs reverse neurons) + head swing (SMD/RIV/
               SMB/RME) + weak global slow drift + private slow input per neuron
        rate = softplus(2 x)
        c   <- c + dt/tau_ca * (rate - c)        # GCaMP calcium kernel
    Returns (t, calcium) with t in seconds from the start of the recording and
    calcium of shape (steps, neurons).
    """
    n = len(neurons)
    n_steps = int(math.ceil((duration + BURN_IN) / SIM_DT)) + 1

    # Shared drives: locomotion switch, head swing, and a slow global modulation.
    loco = locomotion_state(n_steps, rng)
    # Smooth the switch a little so transitions take ~1 s, like real reversals.
    kernel = np.exp(-np.arange(0, 5.0, SIM_DT) / 1.0)
    loco = np.convolve(loco, kernel / kernel.sum(), mode="full")[:n_steps]
    head = ou_process(n_steps, tau=3.0, sigma=1.0, rng=rng)
    slow = ou_process(n_steps, tau=60.0, sigma=1.0, rng=rng)

    reverse = _members(neurons, REVERSE_CLASSES) | _members(neurons, REVERSE_MOTOR, motor=True)
    forward = _members(neurons, FORWARD_CLASSES) | _members(neurons, FORWARD_MOTOR, motor=True)
    swing = _members(neurons, HEAD_SWING_CLASSES)
    swing_sign = np.where(np.array([n.endswith("L") for n in neurons]), 1.0, -1.0)  # L vs R
    slow_loading = rng.normal(0.0, 0.15, n)
    # Each neuron also has its own slow private input (sensory/neuromodulatory state),
    # an Ornstein-Uhlenbeck process with a neuron-specific time constant of 5-20 s.
    private_tau = rng.uniform(5.0, 20.0, n)
    private_a = np.exp(-SIM_DT / private_tau)
    private_b = 0.6 * np.sqrt(1.0 - private_a**2)
    private = rng.normal(0.0, 0.6, n)

    drive_gain = 1.2
    noise_std = 0.15 * math.sqrt(SIM_DT / TAU_NEURON)
    x = rng.normal(0.0, 0.1, n)
    c = np.full(n, math.log(2.0))  # softplus(0): calcium starts at rest
    calcium = np.empty((n_steps, n))
    decay = SIM_DT / TAU_NEURON
    ca_decay = SIM_DT / TAU_CALCIUM
    for k in range(n_steps):
        private = private_a * private + private_b * rng.normal(size=n)
        drive = (
            drive_gain * (forward * loco[k] - reverse * loco[k])
            + 0.8 * swing * swing_sign * head[k]
            + slow_loading * slow[k]
            + private
        )
        x = x + decay * (-x + np.tanh(w @ x + drive)) + noise_std * rng.normal(size=n)
        rate = np.logaddexp(0.0, 2.0 * x)  # softplus: non-negative "firing"
        c = c + ca_decay * (rate - c)
        calcium[k] = c
    first = int(round(BURN_IN / SIM_DT))
    calcium = calcium[first:]
    t = np.arange(calcium.shape[0]) * SIM_DT
    return t, calcium


def frame_times(n_samples: int, rate_hz: float, rng: np.random.Generator,
                jitter: bool = True, start: float | None = None) -> np.ndarray:
    """Acquisition times (s) of n_samples frames at ~rate_hz.

    Jitter is Gaussian with 3 % of the frame period, clipped to +-25 %, so the
    timestamps stay strictly increasing. The first frame is a little after t = 0.
    """
    period = 1.0 / rate_hz
    if start is None:
        start = rng.uniform(0.1, 0.9) * period
    t = start + np.arange(n_samples) * period
    if jitter:
        t = t + np.clip(rng.normal(0.0, 0.03 * period, n_samples), -0.25 * period, 0.25 * period)
    assert np.all(np.diff(t) > 0)
    return t


# --------------------------------------------------------------------------------------
# 4. Worm specifications and label dirt
# --------------------------------------------------------------------------------------


@dataclass
class WormSpec:
    """One recording: which lab, how long, how fast, how many neurons, which dirt."""

    lab: str
    worm: str  # worm name as the file identifies it (group, file stem, index)
    rate_hz: float
    n_samples: int
    n_recorded: int
    jitter: bool = True
    zero_pad_all: bool = False  # lab convention: VB01, DA09 ...
    zero_pad: tuple[str, ...] = ()  # individual zero-padded labels
    ambiguous: tuple[tuple[str, str], ...] = ()  # (neuron, style) style: cell2|question|slash
    duplicate: tuple[str, ...] = ()  # label repeated on a later, unlabeled column
    not_a_neuron: tuple[str, ...] = ()  # bogus label put on an unlabeled column
    force: tuple[str, ...] = ()  # extra neurons that must be recorded and labeled
    nan_run: tuple[int, int, int] | None = None  # (column, first row, length)
    start: float | None = None  # fixed first timestamp (for rate-based files)
    head_only: bool = False  # record only head neurons (in_head)


@dataclass
class Recording:
    """A sampled worm: data (T x N, time-major), times (T,), per-column labels."""

    spec: WormSpec
    time: np.ndarray
    fluor: np.ndarray  # raw fluorescence, a.u. (before each lab's normalisation)
    neurons: list[str]  # true identity of each column
    labels: list[list[str]]  # per column: [] unlabeled, [name] or [cand1, cand2]
    dirt: list[str] = field(default_factory=list)  # human-readable dirt description


def partner(name: str) -> str | None:
    """Left/right partner of a bilateral neuron (AVAL -> AVAR)."""
    if name.endswith("L"):
        return name[:-1] + "R"
    if name.endswith("R"):
        return name[:-1] + "L"
    return None


def make_recording(spec: WormSpec, neurons: list[str], w: np.ndarray,
                   rng: np.random.Generator) -> Recording:
    """Simulate, sample and label one worm according to its spec."""
    t_sample = frame_times(spec.n_samples, spec.rate_hz, rng, jitter=spec.jitter, start=spec.start)
    t_fine, calcium = simulate_worm(w, neurons, t_sample[-1] + 1.0, rng)

    # Which neurons are in the field of view: forced ones plus a random subset.
    forced = list(dict.fromkeys(
        list(spec.force) + [n for n, _ in spec.ambiguous] + list(spec.duplicate)
        + [canonical_name(z) for z in spec.zero_pad]))
    avoid = {partner(n) for n, _ in spec.ambiguous} - {None}  # keep partners unlabeled
    pool = [n for n in neurons if n not in forced and (in_head(n) or not spec.head_only)]
    extra = rng.choice(len(pool), size=spec.n_recorded - len(forced), replace=False)
    recorded = forced + [pool[i] for i in extra]
    order = rng.permutation(len(recorded))  # columns come in no particular order
    recorded = [recorded[i] for i in order]

    # Fluorescence: calcium at the frame times, per-neuron baseline and gain, noise.
    idx = [neurons.index(n) for n in recorded]
    ca = np.stack([np.interp(t_sample, t_fine, calcium[:, i]) for i in idx], axis=1)
    baseline = rng.lognormal(math.log(400.0), 0.4, len(idx))  # camera counts
    gain = rng.uniform(0.4, 1.2, len(idx))
    fluor = baseline * (1.0 + gain * ca)
    fluor += rng.normal(0.0, 1.0, fluor.shape) * 0.04 * baseline  # shot + read noise
    fluor = np.maximum(fluor, 1.0)

    # Labels: 30-70 % of the recorded neurons are identified (forced ones always).
    frac = rng.uniform(0.3, 0.7)
    labeled = {n for n in recorded if rng.random() < frac and n not in avoid} | set(forced)
    labels = [[n] if n in labeled else [] for n in recorded]
    dirt = []

    def col(name: str) -> int:
        return recorded.index(name)

    def random_unlabeled() -> int:
        return int(rng.choice([j for j, lab in enumerate(labels) if not lab]))

    def swap_columns(a: int, b: int) -> None:
        recorded[a], recorded[b] = recorded[b], recorded[a]
        labels[a], labels[b] = labels[b], labels[a]
        fluor[:, [a, b]] = fluor[:, [b, a]]

    for name in spec.zero_pad:
        true = canonical_name(name)
        labels[col(true)] = [name]
        dirt.append(f"column {col(true)}: zero-padded '{name}' (canonical {true})")
    if spec.zero_pad_all:
        for j, lab in enumerate(labels):
            if lab and PADDABLE.match(lab[0]):
                labels[j] = [zero_pad(lab[0])]
                dirt.append(f"column {j}: zero-padded '{labels[j][0]}' (canonical {lab[0]})")
    for name, style in spec.ambiguous:
        j, other = col(name), partner(name)
        labels[j] = {"cell2": [name, other], "question": [f"{name}?"],
                     "slash": [f"{name}/{other}"]}[style]
        dirt.append(f"column {j}: ambiguous {labels[j]} (true neuron {name})")
    for name in spec.duplicate:
        # An unlabeled neuron gets the same label; the true neuron must come first.
        first, second = col(name), random_unlabeled()
        if second < first:
            swap_columns(first, second)
            first, second = second, first
        labels[second] = [name]
        dirt.append(f"columns {first} and {second}: duplicate '{name}' "
                    f"(first occurrence, column {first}, is the true one; "
                    f"column {second} is really {recorded[second]})")
    for bogus in spec.not_a_neuron:
        j = random_unlabeled()
        labels[j] = [bogus]
        dirt.append(f"column {j}: '{bogus}' is not a neuron (really {recorded[j]})")
    if spec.nan_run is not None:
        c, r0, length = spec.nan_run
        fluor[r0 : r0 + length, c] = np.nan
        dirt.append(f"column {c}: NaN in rows {r0}..{r0 + length - 1} (dropped frames)")
    if spec.n_samples < MIN_SAMPLES:
        dirt.append(f"only {spec.n_samples} samples (< {MIN_SAMPLES}): pipeline must skip it")
    return Recording(spec, t_sample, fluor, recorded, labels, dirt)


# Per-lab normalisations of raw fluorescence (what each lab ships).


def dff(f: np.ndarray) -> np.ndarray:
    """Delta F / F0 with F0 = 10th percentile of each neuron (NaN-aware)."""
    f0 = np.nanpercentile(f, 10, axis=0)
    return (f - f0) / f0


def ratio_to_f20(f: np.ndarray) -> np.ndarray:
    """F / F20 per neuron, F20 = 20th percentile (a robust baseline)."""
    return f / np.nanpercentile(f, 20, axis=0)


def single_precision(a: np.ndarray) -> np.ndarray:
    """Round to float32 precision but keep float64 (pipelines computing in single
    precision and saving double); this also lets gzip compress the files well."""
    return a.astype(np.float32).astype(np.float64)


def label_string(lab: list[str], unlabeled: str = "") -> str:
    """One string per column for the string-based formats (only MATLAB has cells)."""
    if not lab:
        return unlabeled
    assert len(lab) == 1, "2-candidate labels are only used in the MATLAB file"
    return lab[0]


# --------------------------------------------------------------------------------------
# 5. Writers (one per lab, each with its own peer library)
# --------------------------------------------------------------------------------------

MATLAB_HEADER_TEXT = (
    "MATLAB 7.3 MAT-file, Platform: hdf5storage {version}, "
    "Created on: Mon Jan 01 12:00:00 2024 HDF5 schema 1.00 ."
)


def _matlab_cell(items: list, shape: tuple[int, int]) -> np.ndarray:
    """A numpy object array, which hdf5storage writes as a MATLAB cell array."""
    cell = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        cell[i] = item
    return cell.reshape(shape)


def write_kato(recs: list[Recording], path: Path) -> None:
    """kato2015/WT_NoStim.mat: MATLAB v7.3 struct of 1xW cells, written by hdf5storage.

    IDs{w}{n} is a cell with 0 (unlabeled), 1 or 2 (ambiguous) char rows;
    traces{w} is T x N double dF/F; timeVectorSeconds{w} is T x 1 double.
    """
    ids, traces, times = [], [], []
    for rec in recs:
        per_neuron = [
            _matlab_cell([np.str_(s) for s in lab], (1, len(lab))) if lab
            else _matlab_cell([], (0, 0))
            for lab in rec.labels
        ]
        ids.append(_matlab_cell(per_neuron, (1, len(per_neuron))))
        traces.append(single_precision(dff(rec.fluor)))
        times.append(rec.time.reshape(-1, 1).astype(np.float64))
    n = len(recs)
    struct = {
        "IDs": _matlab_cell(ids, (1, n)),
        "traces": _matlab_cell(traces, (1, n)),
        "timeVectorSeconds": _matlab_cell(times, (1, n)),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    # matlab_compatible: MATLAB attributes, column-major (reversed) dimensions, cells as
    # object references into /#refs#. oned_as='row' makes char arrays 1 x len like
    # MATLAB's (every numeric array here is already 2-D). MATLAB itself compresses
    # with deflate and no Fletcher-32 checksums; hdf5storage also adds shuffle.
    options = hdf5storage.Options(matlab_compatible=True, store_python_metadata=False,
                                  oned_as="row", compressed_fletcher32_filter=False)
    hdf5storage.write(struct, path="/WT_NoStim", filename=str(path),
                      truncate_existing=True, options=options)
    # hdf5storage stamps the current time into the 128-byte MATLAB header text in the
    # HDF5 userblock. Rewrite it with a fixed date so the file is byte-stable.
    text = MATLAB_HEADER_TEXT.format(version=hdf5storage.__version__)
    header = text.encode("ascii").ljust(116, b" ") + bytes(8) + b"\x00\x02IM"
    assert len(header) == 128
    with open(path, "r+b") as fh:
        fh.write(header)


def write_nwb(rec: Recording, path: Path) -> None:
    """nejatbakhsh2020/wormK.nwb: NWB 2.x written by pynwb.

    Labels are the string column ID_labels of the PlaneSegmentation; the ROI
    response series is T x N raw fluorescence (float32 camera counts). Worm 1 has
    explicit timestamps and a cached schema; worm 2 only starting_time + rate and
    no cached schema.
    """
    import hdmf.container
    from hdmf.backends.hdf5.h5_utils import H5DataIO
    from pynwb import NWBHDF5IO, NWBFile
    from pynwb.ophys import Fluorescence, ImageSegmentation, OpticalChannel

    # hdmf gives every container a random UUID4 object_id. Draw them from a seeded
    # generator instead so reruns write identical files.
    id_rng = random.Random(f"{SEED}-{rec.spec.lab}-{rec.spec.worm}")
    hdmf.container.uuid4 = lambda: uuid.UUID(int=id_rng.getrandbits(128), version=4)

    spec = rec.spec
    nwb = NWBFile(
        session_description=f"Simulated NeuroPAL whole-brain imaging, {spec.worm} (neurotool demo)",
        identifier=f"neurotool-celegans-demo-{spec.lab}-{spec.worm}",
        session_start_time=FIXED_DATE,
        file_create_date=FIXED_DATE,
        lab="simulated (after Nejatbakhsh et al. 2020)",
        institution="neurotool demo data",
        experiment_description="Synthetic data generated by Datasets/celegans/generate.py",
    )
    device = nwb.create_device(name="Microscope", description="simulated spinning-disk confocal")
    channel = OpticalChannel(name="GCaMP", description="GCaMP6s", emission_lambda=515.0)
    plane = nwb.create_imaging_plane(
        name="ImagingVolume", optical_channel=channel, device=device,
        description="whole head volume", excitation_lambda=488.0, indicator="GCaMP6s",
        location="head", imaging_rate=spec.rate_hz,
    )
    ophys = nwb.create_processing_module(name="ophys", description="calcium imaging")
    segmentation = ImageSegmentation(name="ImageSegmentation")
    ophys.add(segmentation)
    planes = segmentation.create_plane_segmentation(
        name="PlaneSegmentation", description="one voxel per tracked neuron",
        imaging_plane=plane,
    )
    planes.add_column(name="ID_labels", description="NeuroPAL neuron ID ('' = unlabeled)")
    pos_rng = np.random.default_rng([SEED, 7, int(spec.worm[-1])])
    for lab in rec.labels:
        x, y, z = pos_rng.integers(0, 256), pos_rng.integers(0, 128), pos_rng.integers(0, 21)
        planes.add_roi(voxel_mask=[(int(x), int(y), int(z), 1.0)], ID_labels=label_string(lab))

    rois = planes.create_roi_table_region(region=list(range(len(rec.labels))),
                                          description="all tracked neurons")
    # Raw summed camera counts: integer-valued, stored as float32.
    counts = np.round(rec.fluor).astype(np.float32)
    data = H5DataIO(counts, compression="gzip", compression_opts=6,
                    shuffle=True)
    kwargs = dict(name="RoiResponseSeries", data=data, rois=rois, unit="a.u.",
                  description="raw GCaMP fluorescence (summed camera counts, no background subtraction)")
    if spec.jitter:
        kwargs["timestamps"] = H5DataIO(rec.time, compression="gzip", compression_opts=6)
    else:
        kwargs["starting_time"] = float(rec.time[0])
        kwargs["rate"] = spec.rate_hz
    # Add the Fluorescence container to the file first, then create the series inside
    # it, so the `rois` region and its PlaneSegmentation share an ancestor.
    fluorescence = Fluorescence(name="Fluorescence")
    ophys.add(fluorescence)
    fluorescence.create_roi_response_series(**kwargs)

    path.parent.mkdir(parents=True, exist_ok=True)
    with NWBHDF5IO(str(path), mode="w") as io_:
        # worm1 embeds the NWB/hdmf schema (the pynwb default, ~200 kB); worm2 does not,
        # so readers are exercised on files with and without /specifications.
        io_.write(nwb, cache_spec=spec.jitter)


def write_flavell(rec: Recording, path: Path) -> None:
    """flavell2023/wormK.h5: plain HDF5 via h5py, neurons x time float32 F/F20."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(path, "w") as f:
        f.create_dataset("trace_array", data=ratio_to_f20(rec.fluor).T.astype(np.float32),
                         compression="gzip", compression_opts=6, shuffle=True)
        f.create_dataset("timestamp_confocal", data=rec.time.astype(np.float64))
        f.create_dataset("neuron_labels", data=[label_string(x) for x in rec.labels],
                         dtype=h5py.string_dtype("utf-8"))


def write_leifer(rec: Recording, folder: Path, unlabeled: str) -> None:
    """leifer2023/<k>_gcamp.txt, <k>_labels.txt, <k>_t.txt plain-text triplet.

    gcamp: T rows x N columns, space-separated, GCaMP/RFP ratio with 3 decimals,
    missing frames written as 'nan'. labels: N lines. t: T lines, seconds.
    """
    folder.mkdir(parents=True, exist_ok=True)
    k = rec.spec.worm
    rfp = 1.0 + 0.02 * np.random.default_rng([SEED, 11, int(k)]).normal(size=rec.fluor.shape)
    ratio = rec.fluor / (np.nanmedian(rec.fluor, axis=0) * rfp)
    np.savetxt(folder / f"{k}_gcamp.txt", ratio, fmt="%.3f", delimiter=" ")
    np.savetxt(folder / f"{k}_t.txt", rec.time, fmt="%.3f")
    with open(folder / f"{k}_labels.txt", "w", encoding="utf-8", newline="\n") as fh:
        for lab in rec.labels:
            fh.write(label_string(lab, unlabeled) + "\n")


def write_venkatachalam(rec: Recording, path: Path) -> None:
    """venkatachalam2024/worm1.csv: time column + one dF/F column per neuron."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header, k = ["time"], 0
    for lab in rec.labels:
        if lab:
            header.append(label_string(lab))
        else:
            header.append(f"unlabeled_{k}")
            k += 1
    values = dff(rec.fluor)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for t, row in zip(rec.time, values):
            writer.writerow([f"{t:.3f}"] + [f"{v:.3f}" for v in row])


def write_nichols(recs: list[Recording], path: Path) -> None:
    """nichols2017/worms.nc: NetCDF-4, one group per worm with dims (time, neuron)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with netCDF4.Dataset(path, "w", format="NETCDF4") as nc:
        nc.title = "neurotool C. elegans demo (simulated, after Nichols et al. 2017)"
        nc.Conventions = "CF-1.8"
        for rec in recs:
            g = nc.createGroup(rec.spec.worm)
            g.createDimension("time", len(rec.time))
            g.createDimension("neuron", len(rec.labels))
            tv = g.createVariable("time", "f8", ("time",))
            tv.units = "s"
            tv.long_name = "frame acquisition time"
            tv[:] = rec.time
            nv = g.createVariable("neuron", str, ("neuron",))
            nv.long_name = "neuron label ('' = unlabeled)"
            nv[:] = np.array([label_string(x) for x in rec.labels], dtype=object)
            trace = g.createVariable("trace", "f8", ("time", "neuron"), zlib=True,
                                     complevel=6, shuffle=True)
            trace.units = "1"
            trace.long_name = "GCaMP fluorescence F/F0"
            f0 = np.nanpercentile(rec.fluor, 10, axis=0)
            trace[:] = single_precision(rec.fluor / f0)


# MATLAB v5 MAT-files (scipy.io.savemat). scipy writes the current date into the 116-byte
# header text; savemat_v5 overwrites it with a fixed one (bytes 116-127 are kept: zero
# subsystem offset, version 0x0100, endianness tag "IM").
MATLAB_V5_HEADER_TEXT = (
    "MATLAB 5.0 MAT-file, Platform: scipy {version}, Created on: Mon Jan 01 12:00:00 2024"
)


def savemat_v5(path: Path, variables: dict, compress: bool) -> None:
    """Write a MATLAB v5 MAT-file with scipy (compress=True: every variable is one zlib
    miCOMPRESSED element, what MATLAB's default `save` (-v7) writes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scipy.io.savemat(str(path), variables, format="5", do_compression=compress, oned_as="column")
    text = MATLAB_V5_HEADER_TEXT.format(version=scipy.__version__).encode("ascii").ljust(116, b" ")
    assert len(text) == 116
    with open(path, "r+b") as fh:
        fh.write(text)


def neuron_classes(names: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """NeuroPAL neuron classes: a left/right pair XL, XR is class X with members (XL, XR);
    any other neuron is a single-sided class of its own (RMED, AVG, RIS, AVL ...).
    Sorted by class name."""
    present = set(names)
    classes: dict[str, tuple[str, ...]] = {}
    for n in names:
        if n.endswith("L") and n[:-1] + "R" in present:
            key, members = n[:-1], (n, n[:-1] + "R")
        elif n.endswith("R") and n[:-1] + "L" in present:
            continue  # listed with its left partner
        else:
            key, members = n, (n,)
        assert key not in classes, f"class {key} defined twice"
        classes[key] = members
    return sorted(classes.items())


def _v5_cell(items: list, shape: tuple[int, int]) -> np.ndarray:
    """A numpy object array, which scipy.io.savemat writes as a MATLAB cell array."""
    cell = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        cell[i] = item
    return cell.reshape(shape, order="F")


def yemini_traces(rec: Recording) -> np.ndarray:
    """T x N dF/F0 (F0 = 10th percentile) scaled to a maximum of 1, float32-rounded."""
    d = dff(rec.fluor)
    return single_precision(d / np.max(d, axis=0))


def write_yemini(recs: list[Recording], head: list[str], path: Path) -> None:
    """yemini2021/Head_Activity.mat: MATLAB v5 (compressed), all worms in one file, indexed
    by neuron class (NeuroPAL, Yemini et al. 2021).

    fps 1x1; files 1xW cell of char (the worm names); neurons 1xN cell of class names;
    is_L{i}: Wx1 NaN (single-sided class) or 2Wx1 [1 x W, 0 x W] (L/R class);
    norm_traces{i}: Wx1 or 2Wx1 cell, element f (left / single) or W+f (right) is worm f's
    Tx1 trace, or [] (0x0 double) when that neuron was not recorded; is_AWCL_OFF 1xW
    logical. (The published files also hold max_traces, the same cells of un-normalised
    traces; left out here, it would add ~150 kB and nothing for a reader to check.)
    """
    classes = neuron_classes(head)
    n_worms = len(recs)
    columns = [{name: j for j, name in enumerate(rec.neurons)} for rec in recs]
    traces = [yemini_traces(rec) for rec in recs]
    is_l, norm = [], []
    for _, members in classes:
        if len(members) == 1:
            is_l.append(np.full((n_worms, 1), np.nan))
        else:
            is_l.append(np.concatenate([np.ones(n_worms), np.zeros(n_worms)]).reshape(-1, 1))
        slots = [(f, m) for m in members for f in range(n_worms)]  # all worms' L, then all R
        items = []
        for f, m in slots:
            j = columns[f].get(m)
            items.append(np.zeros((0, 0)) if j is None else traces[f][:, j].reshape(-1, 1).copy())
        norm.append(_v5_cell(items, (len(items), 1)))
    n = len(classes)
    variables = {
        "fps": np.array([[recs[0].spec.rate_hz]]),
        "files": _v5_cell([rec.spec.worm for rec in recs], (1, n_worms)),
        "neurons": _v5_cell([c for c, _ in classes], (1, n)),
        "is_L": _v5_cell(is_l, (1, n)),
        "norm_traces": _v5_cell(norm, (1, n)),
        "is_AWCL_OFF": (np.arange(n_worms) % 2 == 0).reshape(1, n_worms),  # AWC asymmetry
    }
    savemat_v5(path, variables, compress=True)


def neuropal_dirt(rec: Recording, head: list[str]) -> None:
    """Describe how a yemini2021 worm sits in the class-indexed layout (for the report)."""
    present = set(rec.neurons)
    both, one, single = [], [], []
    for cls, members in neuron_classes(head):
        hit = [m for m in members if m in present]
        if len(members) == 1 and hit:
            single.append(cls)
        elif len(hit) == 2:
            both.append(cls)
        elif hit:
            one.append(hit[0])
    rec.dirt.append(f"L/R classes with both sides: {', '.join(both)}")
    rec.dirt.append(f"L/R classes with one side only (other side []): {', '.join(one)}")
    rec.dirt.append(f"single-sided classes (is_L = NaN): {', '.join(single)}")


def write_lin(rec: Recording, path: Path, k: int) -> list[int]:
    """lin2023/wormK.mat: MATLAB v5 (compressed), one worm per file (Lin et al. 2023).

    proofread_neurons Nx1 cell of char ('' = unidentified); use_flag Nx1 double 0/1;
    corrected_F NxT double (neurons x time, float32-rounded counts, first column NaN);
    F_0 Nx1 double (10th percentile); times 1x1 cell holding a 2xT double
    [volume number (1-based); time in s]; stim 1xT double odor on/off (not used).
    Returns the columns with use_flag 1.
    """
    rng = np.random.default_rng([SEED, 23, k])
    n, t = rec.fluor.shape[1], rec.fluor.shape[0]
    names = [label_string(lab) for lab in rec.labels]
    # Proofreading rejects a few neurons: one identified and two unidentified ones.
    labeled = [j for j, lab in enumerate(rec.labels) if lab]
    unlabeled = [j for j, lab in enumerate(rec.labels) if not lab]
    off = sorted([int(rng.choice(labeled))] + [int(j) for j in rng.choice(unlabeled, 2, replace=False)])
    use = np.ones((n, 1))
    use[off] = 0.0
    rec.dirt.append("use_flag = 0 (dropped) on columns " + ", ".join(
        f"{j} ('{names[j]}')" for j in off))
    corrected = single_precision(rec.fluor.T)
    corrected[:, 0] = np.nan  # the first volume has no bleach correction
    rec.dirt.append("corrected_F: first sample NaN in every neuron")
    f0 = np.nanpercentile(corrected, 10, axis=1).reshape(n, 1)
    times = np.vstack([np.arange(1.0, t + 1.0), rec.time])
    stim = ((rec.time % 60.0) >= 30.0) & ((rec.time % 60.0) < 40.0)  # 10 s odor pulses
    variables = {
        "proofread_neurons": _v5_cell(names, (n, 1)),
        "use_flag": use,
        "corrected_F": corrected,
        "F_0": f0,
        "times": _v5_cell([times], (1, 1)),
        "stim": stim.astype(np.float64).reshape(1, t),
    }
    savemat_v5(path, variables, compress=True)
    return [j for j in range(n) if j not in off]


def write_suite2p(folder: Path, n_rois: int = 40, n_frames: int = 2000, rate_hz: float = 30.0):
    """suite2p_mouse/plane0/{F,iscell}.npy: a 30 Hz mouse two-photon recording.

    Activity is a smoothed random process (sparse events + slow drift) convolved
    with a GCaMP kernel (tau 0.7 s); F is float32 ROIs x frames as suite2p saves it.
    """
    rng = np.random.default_rng([SEED, 99])
    folder.mkdir(parents=True, exist_ok=True)
    events = (rng.random((n_rois, n_frames)) < 0.004) * rng.exponential(1.0, (n_rois, n_frames))
    kernel = np.exp(-np.arange(0, 4.0, 1.0 / rate_hz) / 0.7)
    calcium = np.stack([np.convolve(e, kernel)[:n_frames] for e in events])
    drift = np.cumsum(rng.normal(0, 0.002, (n_rois, n_frames)), axis=1)
    baseline = rng.uniform(150.0, 600.0, (n_rois, 1))
    f = baseline * (1.0 + 0.8 * calcium + drift) + rng.normal(0, 8.0, (n_rois, n_frames))
    np.save(folder / "F.npy", f.astype(np.float32))
    prob = rng.uniform(0.0, 1.0, n_rois)
    iscell = np.stack([(prob > 0.3).astype(np.float64), prob], axis=1)  # suite2p layout
    np.save(folder / "iscell.npy", iscell)


# --------------------------------------------------------------------------------------
# 6. Read-back with the peer libraries -> expected/*.json fixtures
# --------------------------------------------------------------------------------------


def _json_float(v: float) -> float | None:
    """JSON has no NaN: missing values become null."""
    v = float(v)
    return None if math.isnan(v) else v


def fixture(source: str, worm: str, labels: list[str], time, data: np.ndarray) -> dict:
    """The cross-check record: raw labels, times, and a digest of the T x N data."""
    data = np.asarray(data, dtype=np.float64)
    finite = data[~np.isnan(data)]
    return {
        "source": source,
        "worm": worm,
        "labels": list(labels),
        "time": [float(t) for t in time],
        "data_shape": [int(data.shape[0]), int(data.shape[1])],
        "data_head": [[_json_float(v) for v in row] for row in data[:5]],
        "data_sum": math.fsum(finite.tolist()),  # correctly rounded sum, NaN ignored
        "data_col0": [_json_float(v) for v in data[:, 0]],
    }


def _matlab_string(ds: h5py.Dataset) -> str:
    """A MATLAB char array (uint16 code units) as a Python string."""
    return "".join(chr(c) for c in ds[()].ravel(order="F"))


def read_kato(path: Path, struct: str = "WT_NoStim"):
    """Follow MATLAB's object references with plain h5py (no hdf5storage)."""
    out = []
    with h5py.File(path, "r") as f:
        assert f.userblock_size == 512
        s = f[struct]
        assert s.attrs["MATLAB_class"] == b"struct"

        def deref(ref):
            return f[ref]

        id_cells = [deref(r) for r in s["IDs"][()].ravel(order="F")]
        tr_cells = [deref(r) for r in s["traces"][()].ravel(order="F")]
        tv_cells = [deref(r) for r in s["timeVectorSeconds"][()].ravel(order="F")]
        for k, (ids, tr, tv) in enumerate(zip(id_cells, tr_cells, tv_cells), start=1):
            labels = []
            for ref in ids[()].ravel(order="F"):
                entry = deref(ref)
                assert entry.attrs["MATLAB_class"] == b"cell"
                if entry.attrs.get("MATLAB_empty", 0):
                    labels.append("")  # {} = unlabeled
                else:
                    labels.append("/".join(_matlab_string(deref(r))
                                           for r in entry[()].ravel(order="F")))
            data = tr[()].T  # HDF5 stores the MATLAB T x N matrix as N x T
            time = tv[()].ravel()
            out.append((f"worm{k}", labels, time, data))
    return out


def read_nwb(path: Path):
    from pynwb import NWBHDF5IO

    with NWBHDF5IO(str(path), mode="r") as io_:
        nwb = io_.read()
        series = nwb.processing["ophys"]["Fluorescence"]["RoiResponseSeries"]
        planes = series.rois.table
        rows = series.rois.data[:]
        labels = [planes["ID_labels"][int(i)] for i in rows]
        data = series.data[:]
        time = series.get_timestamps()  # timestamps, or starting_time + k / rate
        return labels, np.asarray(time, dtype=np.float64), np.asarray(data)


def read_flavell(path: Path):
    with h5py.File(path, "r") as f:
        data = f["trace_array"][()].T  # stored neurons x time
        time = f["timestamp_confocal"][()]
        labels = [s.decode("utf-8") for s in f["neuron_labels"][()]]
    return labels, time, data


def read_leifer(folder: Path, k: str):
    data = np.loadtxt(folder / f"{k}_gcamp.txt", ndmin=2)
    time = np.loadtxt(folder / f"{k}_t.txt")
    with open(folder / f"{k}_labels.txt", encoding="utf-8", newline="") as fh:
        text = fh.read()
    assert text.endswith("\n")
    labels = text[:-1].split("\n")
    return labels, time, data


def read_venkatachalam(path: Path):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], np.array(rows[1:], dtype=np.float64)
    return header[1:], body[:, 0], body[:, 1:]


def read_nichols(path: Path):
    out = []
    with netCDF4.Dataset(path, "r") as nc:
        for name, g in nc.groups.items():
            out.append((name, [str(s) for s in g["neuron"][:]], g["time"][:].data,
                        np.asarray(g["trace"][:])))
    return out


def _mat_text(x: np.ndarray) -> str:
    """A char array as scipy.io.loadmat returns it (array(['AVA']), or empty) as a str."""
    return str(x[0]) if x.size else ""


def read_yemini(path: Path):
    """scipy.io.loadmat, then the NeuroPAL rules: for worm f and each class i in file order,
    a Wx1 is_L{i} gives one neuron <class> from norm_traces{i}{f}; a 2Wx1 one gives <class>L
    from element f and <class>R from element W+f; empty ([]) traces are skipped."""
    m = scipy.io.loadmat(str(path))
    fps = float(m["fps"].item())
    files = [_mat_text(x) for x in m["files"].ravel(order="F")]
    classes = [_mat_text(x) for x in m["neurons"].ravel(order="F")]
    sides = m["is_L"].ravel(order="F")
    cells = m["norm_traces"].ravel(order="F")
    n_worms = len(files)
    assert len(sides) == len(cells) == len(classes)
    out = []
    for f, worm in enumerate(files):
        labels, cols = [], []
        for cls, side, cell in zip(classes, sides, cells):
            side, cell = side.ravel(order="F"), cell.ravel(order="F")
            assert len(side) == len(cell)
            if len(side) == n_worms:
                assert np.all(np.isnan(side))
                slots = [(cls, cell[f])]
            elif len(side) == 2 * n_worms:
                assert side[f] == 1 and side[n_worms + f] == 0
                slots = [(cls + "L", cell[f]), (cls + "R", cell[n_worms + f])]
            else:
                raise ValueError(f"{path}: is_L of {cls} has {len(side)} entries for {n_worms} worms")
            for name, trace in slots:
                if trace.size == 0:
                    continue
                assert trace.shape[1] == 1, f"{name}: trace is not a column"
                labels.append(name)
                cols.append(trace[:, 0])
        data = np.stack(cols, axis=1)
        time = np.arange(data.shape[0]) / fps
        out.append((worm, labels, time, data))
    return out


def read_lin(path: Path):
    """scipy.io.loadmat: neurons with use_flag > 0, raw proofread_neurons names, corrected_F
    transposed to time x neurons, time = last row of times{1} (times.flatten()[0][-1])."""
    m = scipy.io.loadmat(str(path))
    names = [_mat_text(x) for x in m["proofread_neurons"].ravel(order="F")]
    keep = m["use_flag"].ravel(order="F") > 0
    data = m["corrected_F"][keep, :].T
    time = m["times"].flatten()[0][-1]
    labels = [name for name, k in zip(names, keep) if k]
    return labels, np.asarray(time, dtype=np.float64), data


# --------------------------------------------------------------------------------------
# 7. The demo set
# --------------------------------------------------------------------------------------

SPECS = [
    # kato2015: MATLAB, ~2.85 Hz, IDs are cells; lab convention writes VB01, DA09 ...
    WormSpec("kato2015", "worm1", 2.85, 720, 48, zero_pad_all=True,
             ambiguous=(("AVAL", "cell2"),), force=("VB2", "DB1")),
    WormSpec("kato2015", "worm2", 2.85, 800, 56, zero_pad_all=True,
             duplicate=("RIML",), force=("VA10", "DA9")),
    WormSpec("kato2015", "worm3", 2.85, 880, 64, zero_pad_all=True,
             ambiguous=(("SMDVL", "cell2"),), not_a_neuron=("AVAX",), force=("AS1",)),
    # nejatbakhsh2020: NWB, 4 Hz; worm1 irregular timestamps, worm2 rate + starting_time.
    WormSpec("nejatbakhsh2020", "worm1", 4.0, 960, 60, zero_pad=("DA09",),
             ambiguous=(("AVAL", "question"),)),
    WormSpec("nejatbakhsh2020", "worm2", 4.0, 1000, 56, jitter=False, start=2.0,
             duplicate=("AVBL",)),
    # flavell2023: h5py, ~1.7 Hz, stored neurons x time float32.
    WormSpec("flavell2023", "worm1", 1.7, 640, 72, ambiguous=(("AVAL", "slash"),),
             not_a_neuron=("AVAX",)),
    WormSpec("flavell2023", "worm2", 1.7, 700, 64, duplicate=("RIBL",)),
    # leifer2023: text triplets, ~3 Hz; worm 1 has a 5-sample NaN run.
    WormSpec("leifer2023", "0", 3.0, 630, 44, not_a_neuron=("AVAX",)),
    WormSpec("leifer2023", "1", 3.0, 660, 48, zero_pad=("VB01",), nan_run=(2, 200, 5)),
    # venkatachalam2024: CSV, ~1 Hz (11 min so it has >= 600 samples).
    WormSpec("venkatachalam2024", "worm1", 1.0, 660, 48, duplicate=("AVEL",),
             ambiguous=(("RMEL", "question"),)),
    # nichols2017: NetCDF-4, ~2.5 Hz; worm2 is deliberately too short (400 < 600).
    WormSpec("nichols2017", "worm1", 2.5, 900, 56, zero_pad_all=True,
             ambiguous=(("RIML", "question"),), force=("DA9",)),
    WormSpec("nichols2017", "worm2", 2.5, 400, 44, zero_pad_all=True, force=("VB1",)),
]

# The two MATLAB v5 labs (head neurons only). Their worms use their own random streams
# [SEED, 100 + k], drawn after all of SPECS, so adding them left every other file unchanged.
V5_SPECS = [
    # yemini2021: NeuroPAL, exactly 4 Hz from t = 0, every recorded neuron identified; the
    # worm names are the `files` entries. AVA: both sides in the first worm, one side in the others.
    WormSpec("yemini2021", "20190924_01", 4.0, 720, 36, jitter=False, start=0.0, head_only=True,
             force=("AVAL", "AVAR", "RMED")),
    WormSpec("yemini2021", "20190924_03", 4.0, 640, 32, jitter=False, start=0.0, head_only=True,
             force=("AVAL", "RIS")),
    WormSpec("yemini2021", "20190925_02", 4.0, 680, 40, jitter=False, start=0.0, head_only=True,
             force=("AVAR", "AVG", "RMEV")),
    # lin2023: one file per worm, ~2 Hz, proofread names ('' = unidentified) and use_flag.
    WormSpec("lin2023", "worm1", 2.0, 660, 52, head_only=True, duplicate=("AWCL",),
             ambiguous=(("ASHL", "question"),)),
    WormSpec("lin2023", "worm2", 2.0, 620, 46, head_only=True, ambiguous=(("AWCL", "slash"),)),
]

# How each leifer2023 worm writes unlabeled neurons in <k>_labels.txt.
LEIFER_UNLABELED = {"0": "", "1": "nan"}

MANIFEST_DESCRIPTION = (
    "Synthetic multi-lab C. elegans whole-brain calcium imaging demo set: one rate "
    "model on the hermaphrodite connectome, sampled and written the way eight labs ship "
    "their data (MATLAB v7.3 and v5, NWB, HDF5, text triplets, CSV, NetCDF-4), including "
    "label dirt (zero-padded names, ambiguous and duplicate IDs, a non-neuron label), "
    "a NaN run and one worm too short for the pipeline. Generated by generate.py."
)


def main() -> int:
    neurons = load_canonical_neurons()
    (OUT / "canonical_neurons.txt").write_text("\n".join(neurons) + "\n", encoding="utf-8")

    w = load_connectivity(neurons, np.random.default_rng([SEED, 0]))

    recs: dict[str, list[Recording]] = {}
    for k, spec in enumerate(SPECS, start=1):
        rec = make_recording(spec, neurons, w, np.random.default_rng([SEED, k]))
        recs.setdefault(spec.lab, []).append(rec)
    # The MATLAB v5 labs, after all the others (own streams, see V5_SPECS).
    head = [n for n in neurons if in_head(n)]
    for k, spec in enumerate(V5_SPECS, start=1):
        rec = make_recording(spec, neurons, w, np.random.default_rng([SEED, 100 + k]))
        if spec.lab == "yemini2021":
            rec.labels = [[n] for n in rec.neurons]  # NeuroPAL: every neuron is identified
            neuropal_dirt(rec, head)
        recs.setdefault(spec.lab, []).append(rec)

    # Fresh output folders so no stale file survives a spec change.
    for lab in recs:
        shutil.rmtree(OUT / lab, ignore_errors=True)
    shutil.rmtree(OUT / "expected", ignore_errors=True)
    shutil.rmtree(MOUSE_OUT / "plane0", ignore_errors=True)
    shutil.rmtree(MOUSE_OUT / "expected", ignore_errors=True)

    write_kato(recs["kato2015"], OUT / "kato2015" / "WT_NoStim.mat")
    for rec in recs["nejatbakhsh2020"]:
        write_nwb(rec, OUT / "nejatbakhsh2020" / f"{rec.spec.worm}.nwb")
    for rec in recs["flavell2023"]:
        write_flavell(rec, OUT / "flavell2023" / f"{rec.spec.worm}.h5")
    for rec in recs["leifer2023"]:
        write_leifer(rec, OUT / "leifer2023", LEIFER_UNLABELED[rec.spec.worm])
    write_venkatachalam(recs["venkatachalam2024"][0], OUT / "venkatachalam2024" / "worm1.csv")
    write_nichols(recs["nichols2017"], OUT / "nichols2017" / "worms.nc")
    write_suite2p(MOUSE_OUT / "plane0")
    write_yemini(recs["yemini2021"], head, OUT / "yemini2021" / "Head_Activity.mat")
    lin_keep = {rec.spec.worm: write_lin(rec, OUT / "lin2023" / f"{rec.spec.worm}.mat", k)
                for k, rec in enumerate(recs["lin2023"], start=1)}

    # ---- read everything back with the peer libraries -> fixtures + manifest
    fixtures: list[tuple[str, dict]] = []
    sources: list[dict] = []

    rel = "kato2015/WT_NoStim.mat"
    for worm, labels, time, data in read_kato(OUT / rel):
        fixtures.append((f"kato2015__{worm}", fixture(rel, worm, labels, time, data)))
    sources.append({"path": rel, "reader": "matlab", "lab": "kato2015",
                    "options": {"struct": "WT_NoStim"}})

    for rec in recs["nejatbakhsh2020"]:
        rel = f"nejatbakhsh2020/{rec.spec.worm}.nwb"
        labels, time, data = read_nwb(OUT / rel)
        fixtures.append((f"nejatbakhsh2020__{rec.spec.worm}",
                         fixture(rel, rec.spec.worm, labels, time, data)))
        sources.append({"path": rel, "reader": "nwb", "lab": "nejatbakhsh2020",
                        "options": {"labels": "ID_labels"}})

    for rec in recs["flavell2023"]:
        rel = f"flavell2023/{rec.spec.worm}.h5"
        labels, time, data = read_flavell(OUT / rel)
        fixtures.append((f"flavell2023__{rec.spec.worm}",
                         fixture(rel, rec.spec.worm, labels, time, data)))
        sources.append({"path": rel, "reader": "hdf5", "lab": "flavell2023",
                        "options": {"data": "/trace_array", "time": "/timestamp_confocal",
                                    "labels": "/neuron_labels", "layout": "channel-time"}})

    for rec in recs["leifer2023"]:
        k = rec.spec.worm
        rel = f"leifer2023/{k}_gcamp.txt"
        labels, time, data = read_leifer(OUT / "leifer2023", k)
        fixtures.append((f"leifer2023__{k}", fixture(rel, k, labels, time, data)))
        sources.append({"path": rel, "reader": "triplet", "lab": "leifer2023"})

    rel = "venkatachalam2024/worm1.csv"
    labels, time, data = read_venkatachalam(OUT / rel)
    fixtures.append(("venkatachalam2024__worm1", fixture(rel, "worm1", labels, time, data)))
    sources.append({"path": rel, "reader": "csv", "lab": "venkatachalam2024"})

    rel = "nichols2017/worms.nc"
    for worm, labels, time, data in read_nichols(OUT / rel):
        fixtures.append((f"nichols2017__{worm}", fixture(rel, worm, labels, time, data)))
    sources.append({"path": rel, "reader": "netcdf", "lab": "nichols2017",
                    "options": {"data": "trace", "time": "time", "labels": "neuron"}})

    rel = "yemini2021/Head_Activity.mat"
    for rec, (worm, labels, time, data) in zip(recs["yemini2021"], read_yemini(OUT / rel)):
        # What came back is what was meant: every recorded neuron once, its own trace.
        assert worm == rec.spec.worm and sorted(labels) == sorted(rec.neurons)
        norm = yemini_traces(rec)
        assert np.array_equal(data, norm[:, [rec.neurons.index(x) for x in labels]])
        assert np.array_equal(time, rec.time)
        fixtures.append((f"yemini2021__{worm}", fixture(rel, worm, labels, time, data)))
    sources.append({"path": rel, "reader": "matlab", "lab": "yemini2021",
                    "options": {"layout": "neuropal"}})

    for rec in recs["lin2023"]:
        rel = f"lin2023/{rec.spec.worm}.mat"
        labels, time, data = read_lin(OUT / rel)
        keep = lin_keep[rec.spec.worm]
        assert np.array_equal(time, rec.time)
        assert np.all(np.isnan(data[0])) and not np.any(np.isnan(data[1:]))
        assert np.array_equal(data[1:], single_precision(rec.fluor)[1:, keep])
        assert labels == [label_string(rec.labels[j]) for j in keep]
        fixtures.append((f"lin2023__{rec.spec.worm}",
                         fixture(rel, rec.spec.worm, labels, time, data)))
        sources.append({"path": rel, "reader": "matlab", "lab": "lin2023",
                        "options": {"layout": "lin"}})

    (OUT / "expected").mkdir(parents=True, exist_ok=True)
    for name, fx in fixtures:
        _write_json(OUT / "expected" / f"{name}.json", fx)

    # suite2p: numpy stores neither times nor labels; the 30 Hz rate is a reader option.
    f = np.load(MOUSE_OUT / "plane0" / "F.npy")
    iscell = np.load(MOUSE_OUT / "plane0" / "iscell.npy")
    s2p = fixture("plane0/F.npy", "plane0", [], [], f.T)
    s2p["rate_hz"] = 30.0
    s2p["iscell"] = [int(v) for v in iscell[:, 0]]
    (MOUSE_OUT / "expected").mkdir(parents=True, exist_ok=True)
    _write_json(MOUSE_OUT / "expected" / "suite2p__plane0.json", s2p)

    manifest = {"name": "celegans-demo", "description": MANIFEST_DESCRIPTION, "sources": sources}
    _write_json(OUT / "manifest.json", manifest, indent=2)

    # Consistency checks between what we meant to write and what came back.
    for name, fx in fixtures:
        t = np.asarray(fx["time"])
        assert np.all(np.diff(t) > 0), f"{name}: time not strictly increasing"
        assert len(fx["labels"]) == fx["data_shape"][1], f"{name}: label count"
        assert len(t) == fx["data_shape"][0], f"{name}: time length"

    report(recs)
    return 0


def _write_json(path: Path, obj, indent: int | None = None) -> None:
    text = json.dumps(obj, indent=indent, allow_nan=False, ensure_ascii=True)
    path.write_text(text + "\n", encoding="utf-8")


def report(recs: dict[str, list[Recording]]) -> None:
    """Print a summary of every worm and its deliberate dirt (pasted in README.md)."""
    buf = io.StringIO()
    for lab, rs in recs.items():
        for rec in rs:
            n_lab = sum(1 for x in rec.labels if x)
            print(f"{lab} {rec.spec.worm}: T={len(rec.time)} N={len(rec.labels)} "
                  f"labeled={n_lab} rate~{rec.spec.rate_hz} Hz "
                  f"t=[{rec.time[0]:.3f}, {rec.time[-1]:.3f}] s", file=buf)
            for d in rec.dirt:
                print(f"    {d}", file=buf)
    sys.stdout.write(buf.getvalue())


if __name__ == "__main__":
    sys.exit(main())
