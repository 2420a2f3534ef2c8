#!/usr/bin/env python3
"""Writes the NWB extracellular-ephys cross-check fixtures of neurotool: Tests/Fixtures/nwb_ecephys/.

Three NWB 2 files written by pynwb (NWBHDF5IO) and what pynwb reads back from them:

* `ecephys.nwb`: Device "probe0", ElectrodeGroup "shank0", an electrodes table of 6 rows (location "CA1",
  group shank0, group_name "shank0", extra string column `label` = "LFP1".."LFP6"); in /acquisition an
  ElectricalSeries "ElectricalSeries" with int16 data (2000 samples x 6 channels: sinusoids + Gaussian
  noise, rounded to counts), conversion 2.5e-6 (volts per count), offset 1e-5, resolution -1.0 (pynwb's
  default, "unknown"), rate 1000.0, starting_time 0.0, electrodes = rows 0..5 of the table (a
  DynamicTableRegion); a trials table with 5 trials [0.2, 0.3], [0.6, 0.7], [1.0, 1.1], [1.4, 1.5], [1.8, 1.9].
* `ecephys_timestamps.nwb`: the same device, group and electrodes, no trials; the ElectricalSeries has
  float32 data (already in volts: the same signal times 2.5e-6), conversion 1.0, offset 1e-5, and float64
  `timestamps` 0.5 + k / 1000 (k = 0..1999, uniform 1 kHz) instead of rate/starting_time.
* `ecephys_irregular.nwb`: as ecephys_timestamps.nwb but the timestamps are jittered
  (0.5 + k / 1000 + U(-0.3, 0.3) ms, still increasing): neurotool's reader must refuse it (not regular).
* `expected.json`: one entry per file name, read back with NWBHDF5IO: series name, rate / starting_time
  (pynwb's `rate`/`starting_time`; for the timestamp files the rate implied by the timestamps, see the
  entry's description), electrode labels in series order, n_samples, the first 5 rows and the per-channel
  sums of the data in volts = data.astype(float64) * conversion + offset (computed in float64: for the
  float32 files the data are widened before scaling), trials as [start, stop] pairs.

Everything is deterministic: fixed seed, fixed session_start_time / file_create_date / identifier, and
the object_id UUIDs that hdmf gives every container (normally uuid4()) drawn from a seeded generator, so
rerunning the script reproduces the .nwb files byte for byte (checked with pynwb 4.2.0, hdmf 6.2.0,
h5py 3.16.0; HDF5's object time stamps are off in h5py by default).

Run from the repository root:

    .venv/bin/python tools/python/make_nwb_ecephys_fixtures.py            # write the fixtures
    .venv/bin/python tools/python/make_nwb_ecephys_fixtures.py --layout   # also print ecephys.nwb's HDF5 layout

Floats are written with Python's repr (json.dump of Python floats): they parse back to the same
doubles. Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import random
import sys
import uuid
from pathlib import Path

import h5py
import hdmf
import hdmf.container
import numpy as np
import pynwb
from pynwb import NWBHDF5IO, NWBFile
from pynwb.ecephys import ElectricalSeries

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "nwb_ecephys"
SCRIPT = "tools/python/make_nwb_ecephys_fixtures.py"
SEED = 20260301
START = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)  # session_start_time and file_create_date (no clock)

N_SAMPLES = 2000
N_CHANNELS = 6
RATE = 1000.0
CONVERSION = 2.5e-6  # volts per count
OFFSET = 1e-5  # volts
TS_START = 0.5  # first timestamp of the timestamp files
JITTER = 0.3e-3  # half-width of the uniform timestamp jitter of ecephys_irregular.nwb (s)
TRIAL_STARTS = (0.2, 0.6, 1.0, 1.4, 1.8)
TRIAL_STOPS = (0.3, 0.7, 1.1, 1.5, 1.9)  # start + 0.1 s, written as literals (0.2 + 0.1 != 0.3 in float64)
N_FIRST = 5

GENERATOR = {
    "script": SCRIPT,
    "python": platform.python_version(),
    "numpy": np.__version__,
    "h5py": h5py.__version__,
    "hdf5": h5py.version.hdf5_version,
    "pynwb": pynwb.__version__,
    "hdmf": hdmf.__version__,
    "seed": SEED,
}


# ----------------------------------------------------------------------------- helpers

def floats(a) -> list | float:
    """(Nested) list of Python floats."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        return float(arr)
    return arr.tolist()


def write_json(path: Path, obj: dict) -> None:
    """One top-level key per line (readable diff), values compact; UTF-8, repr floats."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["{"]
    items = list(obj.items())
    for k, (key, value) in enumerate(items):
        sep = "," if k < len(items) - 1 else ""
        lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, allow_nan=False)}{sep}")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    json.loads(path.read_text(encoding="utf-8"))  # must parse back


def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


def seed_object_ids(seed: int) -> None:
    """hdmf gives every container a random uuid4 object_id (an HDF5 attribute): draw them from a seed."""
    rng = random.Random(seed)
    hdmf.container.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)


# ----------------------------------------------------------------------------- signal

def signal_counts(rng: np.random.Generator) -> np.ndarray:
    """(2000, 6) int16 counts: per channel two sinusoids (random phase) + Gaussian noise, rounded."""
    t = np.arange(N_SAMPLES) / RATE
    freqs = np.array([4.0, 8.0, 12.0, 20.0, 30.0, 45.0])
    x = np.empty((N_SAMPLES, N_CHANNELS))
    for c in range(N_CHANNELS):
        ph1, ph2 = rng.uniform(0, 2 * np.pi, 2)
        x[:, c] = (2000.0 * np.sin(2 * np.pi * freqs[c] * t + ph1)
                   + 500.0 * np.sin(2 * np.pi * 60.0 * t + ph2)
                   + 150.0 * rng.standard_normal(N_SAMPLES)
                   + 40.0 * (c - 2.5))
    x = np.clip(np.round(x), -32768, 32767)
    return x.astype(np.int16)


# ----------------------------------------------------------------------------- writing

def new_file(name: str) -> tuple[NWBFile, object]:
    """NWBFile with device, electrode group, 6-electrode table (+ label); returns (file, region of all rows)."""
    nwb = NWBFile(
        session_description=f"neurotool NWB ecephys fixture ({name})",
        identifier=f"neurotool-fixture-{name}",
        session_start_time=START,
        file_create_date=START,
        experimenter=["neurotool"],
        lab="neurotool",
        institution="neurotool",
    )
    device = nwb.create_device(name="probe0", description="synthetic 6-contact probe", manufacturer="none")
    group = nwb.create_electrode_group(name="shank0", description="synthetic shank", location="CA1", device=device)
    nwb.add_electrode_column(name="label", description="channel label")
    for i in range(N_CHANNELS):
        nwb.add_electrode(location="CA1", group=group, label=f"LFP{i + 1}")
    region = nwb.create_electrode_table_region(region=list(range(N_CHANNELS)), description="all electrodes")
    return nwb, region


def write(path: Path, nwb: NWBFile) -> None:
    if path.exists():
        path.unlink()
    with NWBHDF5IO(str(path), mode="w") as io:
        io.write(nwb)


def write_files(rng: np.random.Generator) -> dict[str, dict]:
    counts = signal_counts(rng)
    volts32 = (counts.astype(np.float64) * CONVERSION).astype(np.float32)
    uniform_ts = TS_START + np.arange(N_SAMPLES) / RATE
    jittered_ts = uniform_ts + rng.uniform(-JITTER, JITTER, N_SAMPLES)
    assert np.all(np.diff(jittered_ts) > 0)

    notes = {}

    # 1. rate + starting_time, int16, trials
    name = "ecephys.nwb"
    seed_object_ids(SEED + 1)
    nwb, region = new_file(name)
    nwb.add_acquisition(ElectricalSeries(
        name="ElectricalSeries", description="synthetic LFP (int16 counts)", data=counts, electrodes=region,
        conversion=CONVERSION, offset=OFFSET, rate=RATE, starting_time=0.0))
    for s, e in zip(TRIAL_STARTS, TRIAL_STOPS):
        nwb.add_trial(start_time=s, stop_time=e)
    write(OUT / name, nwb)
    notes[name] = (
        "int16 data (counts), conversion 2.5e-6 V/count, offset 1e-5 V, rate 1000.0 Hz, starting_time 0.0 s "
        "(with its 'rate' and 'unit' attributes), no timestamps; trials table with 5 rows.")

    # 2. uniform timestamps, float32
    name = "ecephys_timestamps.nwb"
    seed_object_ids(SEED + 2)
    nwb, region = new_file(name)
    nwb.add_acquisition(ElectricalSeries(
        name="ElectricalSeries", description="synthetic LFP (float32 volts)", data=volts32, electrodes=region,
        conversion=1.0, offset=OFFSET, timestamps=uniform_ts))
    write(OUT / name, nwb)
    notes[name] = (
        "float32 data (volts: the counts of ecephys.nwb times 2.5e-6, rounded to float32), conversion 1.0, "
        "offset 1e-5 V, float64 timestamps 0.5 + k/1000 (k = 0..1999; numpy: 0.5 + arange(2000) / 1000.0), "
        "no starting_time dataset, no trials. pynwb reads rate = None, starting_time = None: the 'rate' and "
        "'starting_time' here are derived from the timestamps: starting_time = timestamps[0], "
        "rate = (n - 1) / (timestamps[-1] - timestamps[0]). The consecutive differences are not all "
        "bit-identical in float64 ('timestamps_max_rel_dev' = max |diff * rate - 1|): a regularity check "
        "needs a tolerance.")

    # 3. irregular timestamps
    name = "ecephys_irregular.nwb"
    seed_object_ids(SEED + 3)
    nwb, region = new_file(name)
    nwb.add_acquisition(ElectricalSeries(
        name="ElectricalSeries", description="synthetic LFP, jittered clock", data=volts32, electrodes=region,
        conversion=1.0, offset=OFFSET, timestamps=jittered_ts))
    write(OUT / name, nwb)
    notes[name] = (
        "as ecephys_timestamps.nwb but timestamps 0.5 + k/1000 + uniform(-0.3, 0.3) ms jitter (strictly "
        "increasing): not a regular sampling clock, neurotool must refuse the file ('regular': false; "
        "'rate' is null). 'timestamps_max_rel_dev' = max |diff * 1000 - 1| (~0.6).")
    return notes


# ----------------------------------------------------------------------------- reading back

def read_back(path: Path, note: str) -> dict:
    with NWBHDF5IO(str(path), mode="r") as io:
        nwb = io.read()
        es = nwb.acquisition["ElectricalSeries"]
        raw = np.asarray(es.data[:])
        conversion, offset = float(es.conversion), float(es.offset)
        volts = raw.astype(np.float64) * conversion + offset
        rows = [int(i) for i in np.asarray(es.electrodes.data[:])]
        table = es.electrodes.table
        labels = [str(table["label"][i]) for i in rows]
        locations = [str(table["location"][i]) for i in rows]
        group_names = [str(table["group_name"][i]) for i in rows]
        ts = None if es.timestamps is None else np.asarray(es.timestamps[:], dtype=np.float64)
        if ts is None:
            rate, start, regular, max_dev = float(es.rate), float(es.starting_time), True, 0.0
            rate_source = "rate"
        else:
            rate_implied = (len(ts) - 1) / (ts[-1] - ts[0])
            max_dev = float(np.max(np.abs(np.diff(ts) * rate_implied - 1.0)))
            regular = max_dev < 1e-6
            rate = float(rate_implied) if regular else None
            start = float(ts[0])
            rate_source = "timestamps"
        trials = []
        if nwb.trials is not None:
            trials = [[float(s), float(e)] for s, e in
                      zip(nwb.trials["start_time"][:], nwb.trials["stop_time"][:])]
        entry = {
            "description": note,
            "generator": GENERATOR,
            "series": es.name,
            "rate": rate,
            "starting_time": start,
            "rate_source": rate_source,
            "regular": regular,
            "pynwb_rate": None if es.rate is None else float(es.rate),
            "pynwb_starting_time": None if es.starting_time is None else float(es.starting_time),
            "data_dtype": str(raw.dtype),
            "shape": list(raw.shape),
            "conversion": conversion,
            "offset": offset,
            "resolution": float(es.resolution),
            "unit": str(es.unit),
            "electrode_rows": rows,
            "labels": labels,
            "locations": locations,
            "group_names": group_names,
            "n_samples": int(raw.shape[0]),
            "first_samples_raw": floats(raw[:N_FIRST]),
            "first_samples_volts": floats(volts[:N_FIRST]),
            "sums_volts": floats(volts.sum(axis=0)),
            "timestamps_first": None if ts is None else floats(ts[:N_FIRST]),
            "timestamps_last": None if ts is None else float(ts[-1]),
            "timestamps_max_rel_dev": max_dev if ts is not None else None,
            "trials": trials,
            "session_start_time": nwb.session_start_time.isoformat(),
            "identifier": nwb.identifier,
        }
    return entry


# ----------------------------------------------------------------------------- layout

def print_layout(path: Path) -> None:
    """Every group/dataset with dtype, shape, string kind and attributes (object references resolved)."""
    def describe_dtype(dtype) -> str:
        info = h5py.check_string_dtype(dtype)
        if info is not None:
            kind = "variable-length" if info.length is None else f"fixed-length {info.length}"
            return f"string ({kind}, {info.encoding})"
        if h5py.check_ref_dtype(dtype) is not None:
            return f"object reference ({h5py.check_ref_dtype(dtype).__name__})"
        if dtype.names:
            return "compound {" + ", ".join(f"{n}: {describe_dtype(dtype[n])}" for n in dtype.names) + "}"
        return str(dtype)

    def attr_text(f, obj, key) -> str:
        aid = obj.attrs.get_id(key)
        dtype = aid.dtype
        value = obj.attrs[key]
        if isinstance(value, h5py.Reference):
            value = f"-> {f[value].name}"
        elif isinstance(value, bytes):
            value = value.decode()
        shape = aid.shape
        return f"@{key} [{describe_dtype(dtype)}{', shape ' + str(shape) if shape else ', scalar'}] = {value!r}"

    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if name.startswith("specifications"):
                return
            if isinstance(obj, h5py.Dataset):
                print(f"/{name}  DATASET {describe_dtype(obj.dtype)} shape {obj.shape} "
                      f"chunks {obj.chunks} compression {obj.compression}")
            else:
                print(f"/{name}  GROUP")
            for key in obj.attrs:
                print(f"    {attr_text(f, obj, key)}")
        print("/  GROUP")
        for key in f.attrs:
            print(f"    {attr_text(f, f, key)}")
        f.visititems(visit)
        print("/specifications: " + ", ".join(f"{k}/{'/'.join(f['specifications'][k])}" for k in f["specifications"]))


# ----------------------------------------------------------------------------- main

def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    notes = write_files(np.random.default_rng(SEED))
    expected = {name: read_back(OUT / name, note) for name, note in notes.items()}
    write_json(OUT / "expected.json", expected)
    if "--layout" in sys.argv[1:]:
        print_layout(OUT / "ecephys.nwb")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {sum(1 for p in OUT.rglob('*') if p.is_file())} files, {total} bytes under {rel(OUT)}")


if __name__ == "__main__":
    main()
