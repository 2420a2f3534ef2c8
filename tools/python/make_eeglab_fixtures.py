#!/usr/bin/env python3
"""Writes the EEGLAB (.set/.fdt) cross-check fixtures of neurotool: Tests/Fixtures/eeglab/.

* `export_raw.set`: an mne.io.RawArray (8 EEG channels of the 10-20 system placed with
  make_standard_montage('standard_1020'), 1 EOG channel without position, 250 Hz, 12 s, seeded
  signals of µV scale, 4 annotations, one of zero duration and one whose onset is not on a sample)
  exported by mne.export.export_raw(fmt='eeglab') (eeglabio): MAT v5, fields at the top level
  (no EEG struct), data embedded as single (µV), positions in metres.
* `fdt_raw.set` + `fdt_raw.fdt`: scipy.io.savemat (MAT v5) of the classic EEGLAB layout, every field
  inside a struct variable `EEG`; EEG.data = 'fdt_raw.fdt', a float32 little-endian, channel-multiplexed
  file (sample 0 of every channel, then sample 1, ...) in µV. 6 channels at 500 Hz, 8 s; chanlocs in
  EEGLAB's frame (X nose, Y left, Z up) in mm, with theta/radius/sph_* as EEGLAB's convertlocs computes
  them; channel types 'EEG', '' (empty), 'MASTOID' (unknown to MNE) and 'EOG' (with a position);
  events with numeric-looking types, a 'boundary' at a half sample, events at the first and last sample.
* `v73_raw.set`: MATLAB v7.3 (HDF5) written by hdf5storage (matlab_compatible), fields at the top level
  as newer EEGLAB saves them, data embedded (nbchan x pnts single, µV); chanlocs on the unit sphere
  (radius 1, as EEGLAB's readlocs gives for .loc files) and an ECG channel without position; events
  not in latency order, with a numeric (double) type, an empty duration, one running past the end and
  one after the end (MNE sorts, clips and drops). MNE reads it through pymatreader.
* `missing_fdt.set`: fdt_raw.set's layout pointing at 'missing_fdt.fdt', which does not exist.
* `renamed_fdt.set` + `renamed_fdt.fdt`: EEG.data names 'old_name.fdt' (absent): MNE falls back to the
  .fdt named after the .set and warns.
* `epoched.set`: trials = 3, data embedded (nbchan x pnts x trials); read_raw_eeglab refuses it.
* `wrong_types.set`: MAT v5 whose EEG.srate is the char array 'fast'.
* probes (expected.json only): temporary copies of fdt_raw.set/.fdt with other EEG.data names (.dat, .bin,
  .FDT, absolute, sub-directory, missing) and a short / long .fdt.
* `expected.json`: per file what MNE reads back (read_raw_eeglab(path, preload=True)) or the error it
  raises, what scipy/h5py see in the file, and checks of the reading rules of README.md against MNE.
* `README.md`: MNE's reading rules (from mne/io/eeglab/*.py and from what this script observes).

Determinism: fixed seed; the 116-byte MAT header text (which scipy, eeglabio and hdf5storage stamp with the
current time) is overwritten with a fixed date (like Datasets/celegans/generate.py). Run from the
repository root (or `make fixtures`):

    .venv/bin/python tools/python/make_eeglab_fixtures.py

Floats are written with Python's repr: they parse back to the same doubles; NaN is written as null.
Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import platform
import sys
import tempfile
import warnings
from pathlib import Path

import eeglabio
import eeglabio.utils
import h5py
import hdf5storage
import mne
import numpy as np
import pymatreader
import scipy
import scipy.io
import scipy.signal

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_json import floats, scrub, write_json  # noqa: E402  (shared with the other fixture scripts)

OUT = ROOT / "Tests" / "Fixtures" / "eeglab"
SCRIPT = "tools/python/make_eeglab_fixtures.py"
SEED = 20260115
N_EDGE = 40  # first/last samples recorded per channel

FIXED_DATE = "Mon Jan 01 12:00:00 2024"  # replaces the time stamp of every MAT header

GENERATOR = {
    "script": SCRIPT,
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "h5py": h5py.__version__,
    "hdf5storage": hdf5storage.__version__,
    "mne": mne.__version__,
    "eeglabio": eeglabio.__version__,
    "pymatreader": pymatreader.__version__,
    "seed": SEED,
}

# ---- export_raw.set ------------------------------------------------------------------------------------------
EXPORT_EEG = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "O1", "O2"]
EXPORT_EOG = "HEOG"
EXPORT_SFREQ = 250.0
EXPORT_SECONDS = 12
# (onset s, duration s, description); 6.006 s * 250 Hz = 1501.5: not on a sample
EXPORT_ANNOT = [(0.5, 0.3, "blink"), (3.2, 0.0, "stim/11"), (6.006, 1.5, "BAD_movement"), (10.0, 0.25, "resp")]

# ---- fdt_raw.set (+ missing_fdt.set) ----------------------------------------------------------------------
# (label, EEGLAB chanlocs.type, standard_1020 name whose position is used or None)
FDT_CHANNELS = [
    ("Fz", "EEG", "Fz"),
    ("Cz", "EEG", "Cz"),
    ("Pz", "", "Pz"),
    ("Oz", "EEG", "Oz"),
    ("TP10", "MASTOID", "TP10"),
    ("VEOG", "EOG", "Fp1"),  # an EOG electrode with a position (near Fp1): MNE drops it, see README
]
FDT_SFREQ = 500.0
FDT_PNTS = 4000  # 8 s
# (type, latency: 1-based sample, may be fractional, duration: samples)
FDT_EVENTS = [
    ("11", 1.0, 0.0),          # the first sample -> onset 0 s
    ("12", 501.0, 0.0),
    ("boundary", 1500.5, 250.0),  # EEGLAB puts boundaries between two samples; duration = samples removed
    ("255", 2401.0, 50.0),
    ("11", 4000.0, 0.0),       # the last sample -> onset (pnts - 1) / srate
]

# ---- v73_raw.set ------------------------------------------------------------------------------------------
V73_CHANNELS = [
    ("Cz", "EEG", "Cz"),
    ("C3", "EEG", "C3"),
    ("C4", "EEG", "C4"),
    ("Oz", "EEG", "Oz"),
    ("ECG", "ECG", None),  # no position (X = Y = Z = [])
]
V73_SFREQ = 256.0
V73_PNTS = 1536  # 6 s
# type: str or float (a numeric MATLAB double), duration None -> [] (empty double)
# Not in latency order (MNE sorts), one running past the end (MNE clips its duration), one after the
# end (MNE drops it).
V73_EVENTS = [
    ("rest", 129.0, 256.0),
    (7.0, 641.25, 0.0),          # onset 2.5009765625 s: MNE keeps it to the microsecond (2.500977)
    ("13", 1401.0, 12.0),
    ("boundary", 1000.5, None),  # before "13": sorted; [] duration
    ("end", 1500.0, 100.0),      # 1499/256 s + 100/256 s > 1536/256 s: duration clipped
    ("late", 1600.0, 0.0),       # after the end: dropped
]

# ---- renamed_fdt.set -----------------------------------------------------------------------------------------
RENAMED_CHANNELS = [("Fz", "EEG", "Fz"), ("Cz", "EEG", "Cz")]
RENAMED_SFREQ = 250.0
RENAMED_PNTS = 250
RENAMED_DATA_FIELD = "old_name.fdt"
RENAMED_EVENTS = [("1", 26.0, 0.0)]  # a single event: a 1x1 struct (scalar fields after squeeze_me)

# ---- epoched.set / wrong_types.set --------------------------------------------------------------------
EPOCH_CHANNELS = [("Fz", "EEG", "Fz"), ("Cz", "EEG", "Cz"), ("Pz", "EEG", "Pz"), ("Oz", "EEG", "Oz")]
EPOCH_SFREQ = 250.0
EPOCH_PNTS = 100
EPOCH_TRIALS = 3
EPOCH_XMIN = -0.2
EPOCH_TYPES = ["11", "12", "11"]
WRONG_CHANNELS = [("Fz", "EEG", "Fz"), ("Cz", "EEG", "Cz"), ("Pz", "EEG", "Pz")]
WRONG_PNTS = 50
WRONG_SRATE = "fast"

CHANLOC_FIELDS = ["labels", "type", "theta", "radius", "X", "Y", "Z", "sph_theta", "sph_phi", "sph_radius",
                  "sph_theta_besa", "sph_phi_besa", "urchan", "ref"]
EVENT_FIELDS = ["type", "latency", "duration", "urevent"]
EMPTY = np.zeros((0, 0))  # MATLAB []


# ----------------------------------------------------------------------------- helpers

def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


def signals_uv(rng: np.random.Generator, kinds: list[str], n_times: int, sfreq: float) -> np.ndarray:
    """(n_channels, n_times) float64 in µV: EEG = alpha (8-12 Hz, 5-15 µV) + AR(1)-coloured noise of
    ~15 µV std + a DC offset of a few µV; EOG = Gaussian 'blinks' of 80-150 µV + 5 µV noise; ECG = a
    1.1 Hz train of 400 µV spikes + 10 µV noise. Drawn channel by channel from `rng`."""
    t = np.arange(n_times) / sfreq
    out = np.zeros((len(kinds), n_times))
    for k, kind in enumerate(kinds):
        if kind == "eog":
            x = 5.0 * rng.standard_normal(n_times)
            for centre in rng.uniform(0.5, t[-1] - 0.5, size=max(1, int(t[-1] // 3))):
                x += rng.uniform(80, 150) * np.exp(-0.5 * ((t - centre) / 0.08) ** 2)
            out[k] = x
        elif kind == "ecg":
            phase = (t * 1.1 + rng.uniform()) % 1.0
            out[k] = 400.0 * np.exp(-0.5 * ((phase - 0.5) / 0.012) ** 2) + 10.0 * rng.standard_normal(n_times)
        else:
            f = rng.uniform(8, 12)
            a = rng.uniform(5, 15)
            noise = scipy.signal.lfilter([1.0], [1.0, -0.9], rng.standard_normal(n_times)) * 15.0 * np.sqrt(1 - 0.81)
            out[k] = a * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) + noise + rng.uniform(-5, 5)
    return out


def standard_positions_m() -> dict[str, np.ndarray]:
    """make_standard_montage('standard_1020') positions (m, MNE's RAS frame: x right, y nose, z up)."""
    return standard_1020().get_positions()["ch_pos"]


def standard_1020():
    """make_standard_montage('standard_1020'); MNE 1.13 warns that the name is deprecated (removed in 1.14)
    in favour of 'colin27_1020', which holds the same 94 positions."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, message=".*standard_1020.*")
        return mne.channels.make_standard_montage("standard_1020")


def eeglab_xyz(p_mne: np.ndarray, scale: float) -> np.ndarray:
    """MNE's (x right, y nose, z up) -> EEGLAB's (X nose, Y left, Z up), times `scale`; the inverse of
    MNE's reading rule [-Y, X, Z] (and what eeglabio/MNE's exporter do, see _get_als_coords_from_chs)."""
    return np.array([p_mne[1], -p_mne[0], p_mne[2]]) * scale


def chanlocs(channels: list[tuple[str, str, str | None]], scale: float, decimals: int | None) -> np.ndarray:
    """A 1 x n MATLAB struct array (numpy structured object array) of EEGLAB chanlocs: X/Y/Z in EEGLAB's
    frame (times `scale`, rounded to `decimals`), theta/radius/sph_* by eeglabio's port of EEGLAB's
    convertlocs; a channel without position gets [] for every coordinate."""
    pos = standard_positions_m()
    arr = np.empty((1, len(channels)), dtype=[(f, object) for f in CHANLOC_FIELDS])
    for i, (label, typ, src) in enumerate(channels):
        rec = {f: EMPTY for f in CHANLOC_FIELDS}
        rec["labels"] = label
        rec["type"] = typ
        rec["urchan"] = float(i + 1)
        rec["ref"] = ""
        if src is not None:
            xyz = eeglab_xyz(pos[src], scale)
            if decimals is not None:
                xyz = np.round(xyz, decimals)
            sph = eeglabio.utils.cart_to_eeglab_sph(xyz[None, :])[0]
            # eeglabio order: sph_theta, sph_phi, sph_radius, theta, radius, sph_theta_besa, sph_phi_besa
            rec.update(X=float(xyz[0]), Y=float(xyz[1]), Z=float(xyz[2]),
                       sph_theta=float(sph[0]), sph_phi=float(sph[1]), sph_radius=float(sph[2]),
                       theta=float(sph[3]), radius=float(sph[4]),
                       sph_theta_besa=float(sph[5]), sph_phi_besa=float(sph[6]))
        arr[0, i] = tuple(rec[f] for f in CHANLOC_FIELDS)
    return arr


def events_struct(events: list[tuple], with_urevent: bool = True) -> np.ndarray:
    """A 1 x n struct array of EEGLAB events: type (char, or double when given a float), latency (double,
    1-based samples), duration (double samples, [] when None), urevent (1-based index)."""
    fields = EVENT_FIELDS if with_urevent else EVENT_FIELDS[:3]
    arr = np.empty((1, len(events)), dtype=[(f, object) for f in fields])
    for i, (typ, lat, dur) in enumerate(events):
        rec = [typ if isinstance(typ, str) else float(typ), float(lat), EMPTY if dur is None else float(dur)]
        if with_urevent:
            rec.append(float(i + 1))
        arr[0, i] = tuple(rec)
    return arr


def eeg_fields(setname: str, filename: str, nbchan: int, pnts: int, srate, trials: int, xmin: float,
               data, locs: np.ndarray, event: np.ndarray, epoch=None) -> dict:
    """The classic EEGLAB EEG structure (field order as EEGLAB's eeg_emptyset), values as savemat needs."""
    srate_num = float(srate) if not isinstance(srate, str) else None
    xmax = xmin + (pnts - 1) / srate_num if srate_num else 0.0
    times = (xmin + np.arange(pnts) / srate_num) * 1000.0 if srate_num else EMPTY  # ms
    return {
        "setname": setname, "filename": filename, "filepath": "", "subject": "", "group": "",
        "condition": "", "session": EMPTY, "comments": "neurotool EEGLAB fixture", "nbchan": float(nbchan),
        "trials": float(trials), "pnts": float(pnts), "srate": srate if isinstance(srate, str) else float(srate),
        "xmin": float(xmin), "xmax": float(xmax), "times": times.reshape(1, -1) if srate_num else EMPTY,
        "data": data, "icaact": EMPTY, "icawinv": EMPTY, "icasphere": EMPTY, "icaweights": EMPTY,
        "icachansind": EMPTY, "chanlocs": locs, "urchanlocs": EMPTY,
        "chaninfo": {"plotrad": EMPTY, "shrink": EMPTY, "nosedir": "+X", "nodatchans": EMPTY, "icachansind": EMPTY},
        "ref": "common", "event": event, "urevent": EMPTY, "eventdescription": np.empty((1, 0), dtype=object),
        "epoch": EMPTY if epoch is None else epoch, "epochdescription": np.empty((1, 0), dtype=object),
        "reject": EMPTY, "stats": EMPTY, "specdata": EMPTY, "specicaact": EMPTY, "splinefile": "",
        "icasplinefile": "", "dipfit": EMPTY, "history": "", "saved": "justloaded", "etc": EMPTY,
    }


def fix_mat5_header(path: Path) -> None:
    """Replace the time stamp in the 116-byte text of a MAT v5 header (scipy writes the current time)."""
    with open(path, "r+b") as fh:
        head = fh.read(116)
        assert head.startswith(b"MATLAB 5.0 MAT-file"), head
        text = head.split(b"Created on: ")[0] + b"Created on: " + FIXED_DATE.encode("ascii")
        fh.seek(0)
        fh.write(text.ljust(116, b" "))


def fix_mat73_header(path: Path) -> None:
    """Rewrite the 128-byte MATLAB header in the HDF5 user block with a fixed date (hdf5storage stamps the
    current time), as Datasets/celegans/generate.py does."""
    text = (f"MATLAB 7.3 MAT-file, Platform: hdf5storage {hdf5storage.__version__}, "
            f"Created on: {FIXED_DATE} HDF5 schema 1.00 .")
    header = text.encode("ascii").ljust(116, b" ") + bytes(8) + b"\x00\x02IM"
    assert len(header) == 128
    with open(path, "r+b") as fh:
        fh.write(header)


def savemat5(path: Path, mdict: dict) -> None:
    scipy.io.savemat(str(path), mdict, format="5", appendmat=False, oned_as="row", do_compression=False)
    fix_mat5_header(path)


def mat_header(path: Path) -> dict:
    """The 128-byte MAT header: text, subsystem offset, version and endian indicator."""
    b = path.read_bytes()[:128]
    return {"text": b[:116].decode("ascii").rstrip(), "subsys_offset_hex": b[116:124].hex(),
            "version_hex": b[124:126].hex(), "endian": b[126:128].decode("ascii"),
            "hdf5": path.read_bytes()[512:520] == b"\x89HDF\r\n\x1a\n"}


# ----------------------------------------------------------------------------- what scipy / h5py see

def _py(v):
    """A value as loadmat(squeeze_me=True) gives it -> JSON-able (str, float, list, None for [])."""
    if isinstance(v, str):
        return v
    if isinstance(v, (float, int, np.floating, np.integer)):
        return floats(v)
    a = np.asarray(v)
    if a.dtype.kind in "US":
        return str(a) if a.size else ""
    if a.size == 0:
        return None
    if a.dtype == object:
        return [_py(x) for x in a.ravel()]
    return floats(a.ravel())


def _cell(v) -> dict:
    """{"value", "class"} of one field; "empty": true for MATLAB [] / '' (value null), so that an empty
    field is told apart from a NaN (also null in JSON)."""
    e = {"value": _py(v), "class": _classof(v)}
    if not isinstance(v, (str, float, int, np.floating, np.integer)) and np.asarray(v).size == 0:
        e["empty"] = True
    return e


def _classof(v) -> str:
    if isinstance(v, str) or np.asarray(v).dtype.kind in "US":
        return "char"
    a = np.asarray(v)
    if a.dtype == object:
        return "object"
    return {"float64": "double", "float32": "single"}.get(a.dtype.name, a.dtype.name)


def scipy_view(path: Path) -> dict:
    """What scipy.io sees in a MAT v5 .set: whosmat, where the EEG fields are, scalar fields, the data
    field, chanlocs and events (loadmat(squeeze_me=True, struct_as_record=True, mat_dtype=False), the
    options pymatreader passes)."""
    who = scipy.io.whosmat(str(path))
    m = scipy.io.loadmat(str(path), squeeze_me=True, struct_as_record=True, mat_dtype=False)
    if "EEG" in m:
        where, s = "EEG struct variable", m["EEG"]
        get = lambda f: s[f].item()  # noqa: E731
        names = list(s.dtype.names)
    else:
        where, names = "top-level variables", [k for k in m if not k.startswith("__")]
        get = lambda f: m[f]  # noqa: E731
    view = {"mat_header": mat_header(path),
            "whosmat": [[n, list(sh), c] for n, sh, c in who],
            "fields_at": where, "field_names": names}
    for f in ("setname", "filename", "nbchan", "trials", "pnts", "srate", "xmin", "xmax", "ref"):
        if f in names:
            v = get(f)
            view[f] = {"value": _py(v), "class": _classof(v)}
    d = get("data")
    if isinstance(d, str) or np.asarray(d).dtype.kind in "US":
        view["data"] = {"class": "char", "value": str(d)}
    else:
        d = np.asarray(d)
        view["data"] = {"class": _classof(d), "shape": list(d.shape), "order": "nbchan x pnts (x trials)"}
    view["chanlocs"] = records(get("chanlocs"), ["labels", "type", "X", "Y", "Z"])
    view["event"] = records(get("event"), EVENT_FIELDS)
    return view


def records(s, fields: list[str]) -> list[dict]:
    """Rows of a (squeezed) struct array: {field: value} for the fields present, plus each field's class."""
    s = np.atleast_1d(s)
    if s.size == 0 or s.dtype.names is None:
        return []
    rows = []
    for r in s.ravel():
        rows.append({f: _cell(r[f]) for f in fields if f in s.dtype.names})
    return rows


def h5_view(path: Path) -> dict:
    """What h5py sees in a v7.3 .set: top-level datasets/groups with MATLAB_class and HDF5 shape (the
    reverse of MATLAB's), and chanlocs/event fields dereferenced (object references into /#refs#)."""
    with h5py.File(path, "r") as f:
        top = []
        for k in sorted(f.keys()):
            o = f[k]
            cls = o.attrs.get("MATLAB_class", b"").decode()
            entry = {"name": k, "kind": "group" if isinstance(o, h5py.Group) else "dataset", "MATLAB_class": cls}
            if isinstance(o, h5py.Dataset):
                entry["hdf5_shape"] = list(o.shape)
                entry["dtype"] = str(o.dtype)
                if "MATLAB_empty" in o.attrs:
                    entry["MATLAB_empty"] = int(o.attrs["MATLAB_empty"])
            top.append(entry)
        view = {"mat_header": mat_header(path), "top_level": top}
        for k in ("setname", "filename", "nbchan", "trials", "pnts", "srate", "xmin", "xmax", "ref"):
            if k in f:
                view[k] = {"value": _h5value(f[k]), "class": f[k].attrs["MATLAB_class"].decode()}
        view["data"] = {"class": f["data"].attrs["MATLAB_class"].decode(), "hdf5_shape": list(f["data"].shape),
                        "note": "HDF5 shape is MATLAB's reversed: (pnts, nbchan) row-major = nbchan x pnts "
                                "column-major; channel fastest in the bytes"}
        view["chanlocs"] = _h5_struct_rows(f, f["chanlocs"], ["labels", "type", "X", "Y", "Z"])
        view["event"] = _h5_struct_rows(f, f["event"], EVENT_FIELDS)
    return view


def _h5value(ds: h5py.Dataset):
    cls = ds.attrs.get("MATLAB_class", b"").decode()
    if ds.attrs.get("MATLAB_empty", 0):
        return None
    v = ds[()]
    if cls == "char":
        return "".join(chr(c) for c in np.asarray(v).T.ravel())
    return floats(np.asarray(v).T.ravel()) if np.asarray(v).size > 1 else floats(np.asarray(v).ravel()[0])


def _h5_struct_rows(f: h5py.File, g: h5py.Group, fields: list[str]) -> list[dict]:
    rows: list[dict] = []
    for fld in fields:
        if fld not in g:
            continue
        refs = g[fld][()].ravel()
        for i, r in enumerate(refs):
            while len(rows) <= i:
                rows.append({})
            ds = f[r]
            rows[i][fld] = {"value": _h5value(ds), "class": ds.attrs["MATLAB_class"].decode()}
            if ds.attrs.get("MATLAB_empty", 0):
                rows[i][fld]["empty"] = True
    return rows


# ----------------------------------------------------------------------------- MNE

def mne_read(path: Path, preload=True, reader=None):
    """read_raw_eeglab(path, preload=...): (raw or None, warnings, error)."""
    reader = reader or mne.io.read_raw_eeglab
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            raw = reader(path, preload=preload, verbose="warning") if preload is not None else \
                reader(path, verbose="warning")
            error = None
        except Exception as e:  # noqa: BLE001 - we record what MNE does
            raw, error = None, scrub(f"{type(e).__name__}: {e}")
    msgs = [scrub(str(w.message)) for w in caught
            if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    return raw, msgs, error


def mne_summary(raw) -> dict:
    data = raw.get_data()
    a = raw.annotations
    return {
        "ch_names": list(raw.ch_names),
        "ch_types": list(raw.get_channel_types()),
        "sfreq": float(raw.info["sfreq"]),
        "n_times": int(raw.n_times),
        "first_samp": int(raw.first_samp),
        "first40": floats(data[:, :N_EDGE]),
        "last40": floats(data[:, -N_EDGE:]),
        "sums": floats(data.sum(axis=1)),
        "sums_of_squares": floats((data * data).sum(axis=1)),
        "annotations": [[float(o), float(d), str(x)] for o, d, x in zip(a.onset, a.duration, a.description)],
        "annotations_orig_time": None if a.orig_time is None else a.orig_time.isoformat(),
        "loc": [floats(c["loc"][:3]) if not np.isnan(c["loc"][:3]).any() else None for c in raw.info["chs"]],
        "cal": [float(c["cal"]) for c in raw.info["chs"]],
        "kind": [int(c["kind"]) for c in raw.info["chs"]],
        "coil_type": [int(c["coil_type"]) for c in raw.info["chs"]],
        "dig_points": len(raw.info["dig"] or []),
        "meas_date": None if raw.info["meas_date"] is None else raw.info["meas_date"].isoformat(),
    }


def units_scale(pos: np.ndarray) -> tuple[str, float]:
    """MNE's montage_units='auto' rule (_handle_montage_units): mean |[-Y, X, Z]| over the channels whose
    X, Y, Z are all numbers: < 0.25 -> m, < 2.5 -> dm, < 25 -> cm, else mm; scale = 1 / prefix factor."""
    ok = ~np.isnan(pos).any(axis=1)
    r = float(np.mean(np.linalg.norm(pos[ok], axis=1)))
    unit = "m" if r < 0.25 else "dm" if r < 2.5 else "cm" if r < 25 else "mm"
    return unit, 1.0 / {"m": 1.0, "dm": 1e1, "cm": 1e2, "mm": 1e3}[unit]


def rule_check(raw, samples_uv: np.ndarray, srate: float, ev: list[tuple], xyz: np.ndarray,
               types: list[str]) -> dict:
    """Apply README's rules here to the stored values and compare with MNE: 0.0 = bit for bit.
    samples_uv: float32 (nbchan, pnts) as stored; ev: (type, latency, duration or None);
    xyz: (nbchan, 3) EEGLAB X, Y, Z (NaN = absent); types: chanlocs.type."""
    got = raw.get_data()
    mine = samples_uv.astype(np.float64) * 1e-6
    onset, dur, desc = annotation_rule(ev, srate, samples_uv.shape[1])
    pos = np.column_stack([-xyz[:, 1], xyz[:, 0], xyz[:, 2]])
    unit, scale = units_scale(pos)
    pos = pos * scale
    pick = set(mne._fiff.pick._PICK_TYPES_KEYS)
    ch_types = [t.strip().lower() if t.strip().lower() in pick else "eeg" for t in types]
    positioned = {"eeg", "seeg", "ecog", "dbs", "fnirs"}  # set_montage places only these (others keep NaN)
    mne_loc = np.array([c["loc"][:3] for c in raw.info["chs"]])
    exp_loc = np.array([p if t in positioned else [np.nan] * 3 for p, t in zip(pos, ch_types)])
    same_nan = bool((np.isnan(mne_loc) == np.isnan(exp_loc)).all())
    ok = ~np.isnan(exp_loc)
    return {
        "max_abs_dev_data": float(np.abs(got - mine).max()),
        "n_annotations_match": len(raw.annotations) == len(onset),
        "max_abs_dev_onset": float(np.abs(raw.annotations.onset - onset).max()) if len(onset) else 0.0,
        "max_abs_dev_duration": float(np.abs(raw.annotations.duration - dur).max()) if len(onset) else 0.0,
        "descriptions_match": list(raw.annotations.description) == desc,
        "ch_types_match": list(raw.get_channel_types()) == ch_types,
        "montage_units_auto": unit,
        "loc_nan_pattern_match": same_nan,
        "max_abs_dev_loc": float(np.abs(mne_loc[ok] - exp_loc[ok]).max()) if ok.any() else 0.0,
    }


def annotation_rule(ev: list[tuple], srate: float, pnts: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """README rule 8 applied to (type, latency, duration or None) events: onset (latency - 1) / srate,
    duration / srate ([] -> NaN), description str(type); sort by (onset, duration, file order); then
    set_annotations' crop to [0, pnts / srate] in integer microseconds (Python timedelta: round half to
    even): drop an annotation starting after the end or ending before 0, clip one running past an edge
    (its duration becomes end_us - onset_us), NaN duration -> 0; onset = onset_us / 1e6."""
    onset = [(lat - 1.0) / srate for _, lat, _ in ev]
    dur = [np.nan if d is None else d / srate for _, _, d in ev]
    desc = [t if isinstance(t, str) else str(float(t)) for t, _, _ in ev]
    order = [i for *_, i in sorted(zip(onset, dur, range(len(ev))))]
    us = lambda x: int(np.round(x * 1e6))  # noqa: E731
    end_s = (pnts - 1) / srate + 1.0 / srate  # as set_annotations computes it
    t_min, t_max = 0, us(end_s)
    out_o, out_d, out_x = [], [], []
    for i in order:
        d = 0.0 if np.isnan(dur[i]) else dur[i]
        a, b = us(onset[i]), us(onset[i]) + us(d)
        if a > t_max or b < t_min:
            continue
        clipped = a < t_min or b > t_max
        a, b = max(a, t_min), min(b, t_max)
        out_o.append(a / 1e6)
        out_d.append((b - a) / 1e6 if clipped else d)
        out_x.append(desc[i])
    return np.array(out_o), np.array(out_d), out_x


def lazy_check(path: Path, eager) -> dict:
    """read_raw_eeglab(preload=False) then load_data(): the same values as preload=True?"""
    raw, msgs, err = mne_read(path, preload=False)
    if raw is None:
        return {"preload_false": "error", "error": err}
    raw.load_data(verbose="error")
    return {"preload_false": "reads", "max_abs_dev_vs_preload_true": float(np.abs(raw.get_data() -
                                                                                 eager.get_data()).max()),
            "warnings": msgs}


# ----------------------------------------------------------------------------- the files

def write_export_raw(rng) -> tuple[Path, dict]:
    path = OUT / "export_raw.set"
    n = int(EXPORT_SFREQ * EXPORT_SECONDS)
    uv = signals_uv(rng, ["eeg"] * len(EXPORT_EEG) + ["eog"], n, EXPORT_SFREQ)
    info = mne.create_info(EXPORT_EEG + [EXPORT_EOG], EXPORT_SFREQ, ["eeg"] * len(EXPORT_EEG) + ["eog"])
    raw = mne.io.RawArray(uv * 1e-6, info, verbose="error")
    raw.set_montage(standard_1020(), verbose="error")
    raw.set_annotations(mne.Annotations([a[0] for a in EXPORT_ANNOT], [a[1] for a in EXPORT_ANNOT],
                                        [a[2] for a in EXPORT_ANNOT], orig_time=None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mne.export.export_raw(path, raw, fmt="eeglab", overwrite=True, verbose="error")
    fix_mat5_header(path)
    written = {
        "call": "mne.export.export_raw(path, raw, fmt='eeglab', overwrite=True)",
        "ch_names": list(raw.ch_names), "ch_types": list(raw.get_channel_types()),
        "sfreq": EXPORT_SFREQ, "n_times": n,
        "annotations": [[o, d, s] for o, d, s in EXPORT_ANNOT],
        "loc_before_export": [floats(c["loc"][:3]) if not np.isnan(c["loc"][:3]).any() else None
                              for c in raw.info["chs"]],
        "sums_before_export_V": floats(raw.get_data().sum(axis=1)),
    }
    return path, written


def write_fdt_set(name: str, data_field: str, write_fdt: bool, rng, channels, sfreq, pnts, events,
                  kinds) -> tuple[Path, dict, np.ndarray]:
    """An EEG-wrapped MAT v5 .set whose data is in `data_field`; the .fdt (named `name`.fdt) written when
    write_fdt. Returns (path, written, float32 µV (nbchan, pnts))."""
    path = OUT / f"{name}.set"
    uv = signals_uv(rng, kinds, pnts, sfreq).astype("<f4")
    locs = chanlocs(channels, 1000.0, 3)
    eeg = eeg_fields(name, f"{name}.set", len(channels), pnts, sfreq, 1, 0.0, data_field, locs,
                     events_struct(events))
    savemat5(path, {"EEG": eeg})
    fdt = OUT / f"{name}.fdt"
    if write_fdt:
        # channel-multiplexed: sample 0 of every channel, then sample 1, ... (MATLAB's column-major
        # fwrite of the nbchan x pnts matrix)
        fdt.write_bytes(np.ascontiguousarray(uv.T).astype("<f4").tobytes())
    elif fdt.exists():
        fdt.unlink()
    written = {"layout": "MAT v5 (scipy.io.savemat), fields inside the struct variable EEG",
               "data_field": data_field, "fdt_written": write_fdt,
               "fdt_layout": "float32 little-endian, pnts frames of nbchan values (channel fastest), µV",
               "srate": sfreq, "nbchan": len(channels), "pnts": pnts,
               "chanlocs": [[c[0], c[1]] for c in channels],
               "events": [[t, lat, dur] for t, lat, dur in events]}
    return path, written, uv


def xyz_of(channels, scale, decimals) -> np.ndarray:
    """The X, Y, Z written for `channels` (NaN for []), exactly as chanlocs() writes them."""
    locs = chanlocs(channels, scale, decimals)[0]
    return np.array([[np.nan] * 3 if np.asarray(r["X"]).size == 0 else [r["X"], r["Y"], r["Z"]] for r in locs],
                    dtype=np.float64)


def write_v73(rng) -> tuple[Path, dict, np.ndarray, np.ndarray]:
    path = OUT / "v73_raw.set"
    kinds = ["ecg" if t == "ECG" else "eeg" for _, t, _ in V73_CHANNELS]
    uv = signals_uv(rng, kinds, V73_PNTS, V73_SFREQ).astype(np.float32)
    locs = chanlocs(V73_CHANNELS, 1.0, None)
    # unit sphere, as readlocs gives for .loc files: divide each position by its norm
    for r in locs[0]:
        if np.asarray(r["X"]).size:
            xyz = np.array([r["X"], r["Y"], r["Z"]])
            xyz = np.round(xyz / np.linalg.norm(xyz), 6)
            r["X"], r["Y"], r["Z"] = (float(v) for v in xyz)
            sph = eeglabio.utils.cart_to_eeglab_sph(xyz[None, :])[0]
            (r["sph_theta"], r["sph_phi"], r["sph_radius"], r["theta"], r["radius"], r["sph_theta_besa"],
             r["sph_phi_besa"]) = (float(v) for v in sph)
    eeg = eeg_fields("v73_raw", "v73_raw.set", len(V73_CHANNELS), V73_PNTS, V73_SFREQ, 1, 0.0, uv, locs,
                     events_struct(V73_EVENTS))
    # hdf5storage: strings as np.str_, empty cells as 0x0 object arrays, structs as dicts
    eeg = {k: _h5ready(v) for k, v in eeg.items()}
    opts = hdf5storage.Options(matlab_compatible=True, store_python_metadata=False, oned_as="row",
                               compressed_fletcher32_filter=False)
    if path.exists():
        path.unlink()
    hdf5storage.writes(eeg, filename=str(path), truncate_existing=True, options=opts)
    fix_mat73_header(path)
    xyz = np.array([[np.nan] * 3 if np.asarray(r["X"]).size == 0 else [r["X"], r["Y"], r["Z"]] for r in locs[0]])
    written = {"layout": "MAT v7.3 (HDF5, hdf5storage matlab_compatible), EEG fields as top-level variables",
               "data_field": "embedded single nbchan x pnts (µV)", "srate": V73_SFREQ,
               "nbchan": len(V73_CHANNELS), "pnts": V73_PNTS,
               "chanlocs": [[c[0], c[1]] for c in V73_CHANNELS],
               "chanlocs_xyz": [floats(p) if not np.isnan(p).any() else None for p in xyz],
               "events": [[t, lat, dur] for t, lat, dur in V73_EVENTS]}
    return path, written, uv, xyz


def _h5ready(v):
    if isinstance(v, str):
        return np.str_(v)
    if isinstance(v, dict):
        return {k: _h5ready(x) for k, x in v.items()}
    if isinstance(v, np.ndarray) and v.dtype.names:
        out = v.copy()
        for idx in np.ndindex(out.shape):
            out[idx] = tuple(_h5ready(x) for x in out[idx])
        return out
    if isinstance(v, np.ndarray) and v.dtype == object and v.size == 0:
        return np.zeros((0, 0))  # MATLAB {} -> [] (hdf5storage cannot write an empty cell)
    return v


def write_epoched(rng) -> tuple[Path, dict]:
    path = OUT / "epoched.set"
    uv = np.stack([signals_uv(rng, ["eeg"] * len(EPOCH_CHANNELS), EPOCH_PNTS, EPOCH_SFREQ)
                   for _ in range(EPOCH_TRIALS)], axis=2).astype(np.float32)  # nbchan x pnts x trials
    onset_idx = int(round(-EPOCH_XMIN * EPOCH_SFREQ))  # time 0 within an epoch (0-based)
    ev = [(t, float(k * EPOCH_PNTS + onset_idx + 1), 0.0) for k, t in enumerate(EPOCH_TYPES)]
    event = events_struct(ev)
    event = _add_field(event, "epoch", [float(k + 1) for k in range(EPOCH_TRIALS)])
    epoch = np.empty((1, EPOCH_TRIALS), dtype=[("event", object), ("eventlatency", object),
                                               ("eventtype", object)])
    for k, t in enumerate(EPOCH_TYPES):
        epoch[0, k] = (float(k + 1), 0.0, t)
    eeg = eeg_fields("epoched", "epoched.set", len(EPOCH_CHANNELS), EPOCH_PNTS, EPOCH_SFREQ, EPOCH_TRIALS,
                     EPOCH_XMIN, uv, chanlocs(EPOCH_CHANNELS, 1000.0, 3), event, epoch)
    savemat5(path, {"EEG": eeg})
    return path, {"layout": "MAT v5, EEG struct, data embedded single nbchan x pnts x trials (µV)",
                  "trials": EPOCH_TRIALS, "pnts": EPOCH_PNTS, "srate": EPOCH_SFREQ, "xmin": EPOCH_XMIN,
                  "events": [[t, lat, dur] for t, lat, dur in ev], "epoch_eventtype": EPOCH_TYPES}


def _add_field(arr: np.ndarray, name: str, values: list) -> np.ndarray:
    out = np.empty(arr.shape, dtype=arr.dtype.descr + [(name, object)])
    for i, idx in enumerate(np.ndindex(arr.shape)):
        out[idx] = tuple(arr[idx]) + (values[i],)
    return out


def write_wrong_types(rng) -> tuple[Path, dict]:
    path = OUT / "wrong_types.set"
    uv = signals_uv(rng, ["eeg"] * len(WRONG_CHANNELS), WRONG_PNTS, 250.0).astype(np.float32)
    eeg = eeg_fields("wrong_types", "wrong_types.set", len(WRONG_CHANNELS), WRONG_PNTS, WRONG_SRATE, 1, 0.0, uv,
                     chanlocs(WRONG_CHANNELS, 1000.0, 3), events_struct([("1", 10.0, 0.0)]))
    savemat5(path, {"EEG": eeg})
    return path, {"layout": "MAT v5, EEG struct, data embedded single nbchan x pnts (µV)",
                  "srate": WRONG_SRATE, "srate_class": "char", "nbchan": len(WRONG_CHANNELS), "pnts": WRONG_PNTS}


def probes() -> dict:
    """Behaviours not worth a fixture file, observed on throw-away copies of fdt_raw.set (EEG.data changed)
    and of fdt_raw.fdt (whole, cut to half its size, or with 4096 extra bytes) in a temporary directory."""
    out = {}
    m = scipy.io.loadmat(str(OUT / "fdt_raw.set"), squeeze_me=False, struct_as_record=True)
    fdt = (OUT / "fdt_raw.fdt").read_bytes()
    contents = {"copy of fdt_raw.fdt": fdt, "first half of fdt_raw.fdt": fdt[:len(fdt) // 2],
                "fdt_raw.fdt + 4096 zero bytes": fdt + bytes(4096)}
    with tempfile.TemporaryDirectory() as td:
        td = Path(td)
        for tag, data_field, make in (
            ("data_dat", "fdt_raw.dat", {}),
            ("data_other_extension", "fdt_raw.bin", {"fdt_raw.bin": "copy of fdt_raw.fdt"}),
            ("data_upper_case_extension", "probe.FDT", {"probe.FDT": "copy of fdt_raw.fdt"}),
            ("data_absolute_path", str(td / "elsewhere" / "x.fdt"), {"elsewhere/x.fdt": "copy of fdt_raw.fdt"}),
            ("data_subdirectory", "sub/probe.fdt", {"sub/probe.fdt": "copy of fdt_raw.fdt"}),
            ("data_and_fallback_missing", "old_name.fdt", {}),
            ("fdt_too_short", "probe.fdt", {"probe.fdt": "first half of fdt_raw.fdt"}),
            ("fdt_too_long", "probe.fdt", {"probe.fdt": "fdt_raw.fdt + 4096 zero bytes"}),
        ):
            eeg = m["EEG"].copy()
            eeg[0, 0]["data"] = np.array([data_field])
            p = td / "probe.set"
            scipy.io.savemat(str(p), {"EEG": eeg}, appendmat=False)
            for f, what in make.items():
                (td / f).parent.mkdir(parents=True, exist_ok=True)
                (td / f).write_bytes(contents[what])
            raw, msgs, err = mne_read(p)
            entry = {"EEG.data": data_field.replace(str(td), "<tmp>"),
                     "files_present": dict(make)}
            if raw is None:
                entry.update(mne="error", error=err.replace(str(td), "<tmp>"))
            else:
                entry.update(mne="reads", n_times=int(raw.n_times),
                             filenames=[str(Path(f)).replace(str(td), "<tmp>") for f in raw.filenames],
                             same_data_as_fdt_raw=bool(np.array_equal(raw.get_data(),
                                                                      mne_read(OUT / "fdt_raw.set")[0].get_data())))
            # the warnings fdt_raw.set itself gives (types, boundary, VEOG position) are left out
            entry["warnings"] = [w.replace(str(td), "<tmp>") for w in msgs if not w.startswith(
                ("Unknown types found", "The data contains 'boundary'", "Not setting position"))]
            out[tag] = entry
            for f in make:
                (td / f).unlink()
    return out


# ----------------------------------------------------------------------------- main

def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("*"):
        if stale.suffix in (".set", ".fdt"):
            stale.unlink()
    rng = np.random.default_rng(SEED)
    files: dict[str, dict] = {}

    # 1. export_raw.set ------------------------------------------------------------------------------------
    path, written = write_export_raw(rng)
    raw, msgs, err = mne_read(path)
    assert raw is not None, err
    view = scipy_view(path)
    m = scipy.io.loadmat(str(path), squeeze_me=True)
    ev = [(str(e["type"]), float(e["latency"]), float(e["duration"])) for e in np.atleast_1d(m["event"])]
    xyz = np.array([[float(c["X"]), float(c["Y"]), float(c["Z"])] for c in np.atleast_1d(m["chanlocs"])])
    types = [str(c["type"]) if np.asarray(c["type"]).size else "" for c in np.atleast_1d(m["chanlocs"])]
    files[path.name] = {"written": written, "file_size": path.stat().st_size, "mne": "reads",
                        **mne_summary(raw), "warnings": msgs,
                        "rule_check": rule_check(raw, np.asarray(m["data"], dtype=np.float32), float(m["srate"]),
                                                 ev, xyz, types),
                        **lazy_check(path, raw), "file": view}

    # 2. fdt_raw.set + fdt_raw.fdt ---------------------------------------------------------------------------
    fdt_kinds = ["eog" if t == "EOG" else "eeg" for _, t, _ in FDT_CHANNELS]
    path, written, uv = write_fdt_set("fdt_raw", "fdt_raw.fdt", True, rng, FDT_CHANNELS, FDT_SFREQ, FDT_PNTS,
                                      FDT_EVENTS, fdt_kinds)
    raw, msgs, err = mne_read(path)
    assert raw is not None, err
    stored = np.fromfile(OUT / "fdt_raw.fdt", dtype="<f4").reshape(FDT_PNTS, len(FDT_CHANNELS)).T
    assert np.array_equal(stored, uv)
    files[path.name] = {"written": written, "file_size": path.stat().st_size,
                        "fdt_size": (OUT / "fdt_raw.fdt").stat().st_size, "mne": "reads",
                        **mne_summary(raw), "warnings": msgs,
                        "rule_check": rule_check(raw, stored, FDT_SFREQ, FDT_EVENTS,
                                                 xyz_of(FDT_CHANNELS, 1000.0, 3), [c[1] for c in FDT_CHANNELS]),
                        **lazy_check(path, raw), "file": scipy_view(path)}

    # 3. v73_raw.set -------------------------------------------------------------------------------------------
    path, written, uv, xyz = write_v73(rng)
    raw, msgs, err = mne_read(path)
    assert raw is not None, err
    with h5py.File(path, "r") as f:
        stored = f["data"][()].T
    assert np.array_equal(stored, uv)
    files[path.name] = {"written": written, "file_size": path.stat().st_size, "mne": "reads",
                        **mne_summary(raw), "warnings": msgs,
                        "rule_check": rule_check(raw, stored, V73_SFREQ, V73_EVENTS, xyz,
                                                 [c[1] for c in V73_CHANNELS]),
                        **lazy_check(path, raw), "file": h5_view(path)}

    # 4. missing_fdt.set -------------------------------------------------------------------------------------
    path, written, _ = write_fdt_set("missing_fdt", "missing_fdt.fdt", False, rng, FDT_CHANNELS, FDT_SFREQ,
                                     FDT_PNTS, FDT_EVENTS, fdt_kinds)
    raw, msgs, err = mne_read(path)
    lazy, lmsgs, lerr = mne_read(path, preload=False)
    files[path.name] = {"written": written, "file_size": path.stat().st_size,
                        "mne": "error" if raw is None else "reads", "error": err, "warnings": msgs,
                        "preload_false": "error" if lazy is None else "reads", "preload_false_error": lerr,
                        "file": scipy_view(path)}

    # 5. renamed_fdt.set + renamed_fdt.fdt -------------------------------------------------------------------
    path, written, uv = write_fdt_set("renamed_fdt", RENAMED_DATA_FIELD, True, rng, RENAMED_CHANNELS,
                                      RENAMED_SFREQ, RENAMED_PNTS, RENAMED_EVENTS, ["eeg"] * len(RENAMED_CHANNELS))
    raw, msgs, err = mne_read(path)
    assert raw is not None, err
    files[path.name] = {"written": written, "file_size": path.stat().st_size,
                        "fdt_size": (OUT / "renamed_fdt.fdt").stat().st_size, "mne": "reads",
                        **mne_summary(raw), "warnings": msgs,
                        "rule_check": rule_check(raw, uv, RENAMED_SFREQ, RENAMED_EVENTS,
                                                 xyz_of(RENAMED_CHANNELS, 1000.0, 3),
                                                 [c[1] for c in RENAMED_CHANNELS]),
                        **lazy_check(path, raw), "file": scipy_view(path)}

    # 6. epoched.set ------------------------------------------------------------------------------------------
    path, written = write_epoched(rng)
    raw, msgs, err = mne_read(path)
    ep, emsgs, eerr = mne_read(path, preload=None, reader=mne.io.read_epochs_eeglab)
    entry = {"written": written, "file_size": path.stat().st_size, "mne": "error" if raw is None else "reads",
             "error": err, "warnings": msgs}
    if ep is not None:
        d = ep.get_data()
        entry["read_epochs_eeglab"] = {
            "shape": list(d.shape), "tmin": float(ep.tmin), "tmax": float(ep.tmax),
            "event_id": dict(ep.event_id), "events": ep.events.tolist(),
            "sums": floats(d.sum(axis=(0, 2))), "first5_epoch0": floats(d[0, :, :5]), "warnings": emsgs}
    else:
        entry["read_epochs_eeglab"] = {"error": eerr, "warnings": emsgs}
    entry["file"] = scipy_view(path)
    files[path.name] = entry

    # 7. wrong_types.set ---------------------------------------------------------------------------------------
    path, written = write_wrong_types(rng)
    raw, msgs, err = mne_read(path)
    files[path.name] = {"written": written, "file_size": path.stat().st_size,
                        "mne": "error" if raw is None else "reads", "error": err, "warnings": msgs,
                        "file": scipy_view(path)}
    if raw is not None:
        files[path.name].update(mne_summary(raw))

    probe = probes()

    write_json(OUT / "expected.json", {
        "description": (
            "What MNE reads back from the EEGLAB fixtures: mne.io.read_raw_eeglab(path, preload=True) with the "
            "defaults (eog=(), montage_units='auto', uint16_codec=None). Per readable file: ch_names, ch_types "
            "(raw.get_channel_types()), sfreq, n_times, first40/last40 (raw.get_data()[:, :40] / [:, -40:], "
            "volts, channel by channel), sums and sums_of_squares (per channel, float64 numpy sums over all "
            "samples, in V and V^2), annotations ([onset s, duration s, description] as raw.annotations holds "
            "them), loc (info['chs'][i]['loc'][:3] in metres, MNE head frame x right / y nose / z up; null "
            "when NaN), cal, kind, coil_type (FIFF constants), warnings MNE emitted; 'rule_check' applies "
            "README.md's rules to the stored values here and gives the largest deviation from MNE (0.0 = bit "
            "for bit); 'preload_false' is what read_raw_eeglab(preload=False) + load_data() gives. 'written' "
            "is what the script wrote, 'file' what scipy.io (MAT v5: whosmat + loadmat(squeeze_me=True, "
            "struct_as_record=True), the options pymatreader uses) or h5py (v7.3) sees in the file: header, "
            "where the EEG fields are, scalar fields with their MATLAB class, the data field, chanlocs and "
            "events (null = empty []). For unreadable files 'error' holds MNE's exception. 'probes' are "
            "behaviours observed on temporary copies of fdt_raw.set whose EEG.data was changed."),
        "generator": GENERATOR,
        "files": files,
        "probes": probe,
    })
    write_readme(files, probe)
    for p in sorted(OUT.iterdir()):
        print(f"{p.stat().st_size:>9}  {rel(p)}")
        assert p.stat().st_size < 300_000, p


# ----------------------------------------------------------------------------- README

def code(msg: str) -> str:
    """A Markdown code span for a message (double backticks when it holds one), on one line."""
    msg = " ".join(msg.split())
    return f"`` {msg} ``" if "`" in msg else f"`{msg}`"


def write_readme(files: dict, probe: dict) -> None:
    ex, fd, v7 = files["export_raw.set"], files["fdt_raw.set"], files["v73_raw.set"]
    rows = []
    for name, f in files.items():
        what = f["written"].get("layout", f["written"].get("call", ""))
        if f["mne"] == "reads":
            res = (f"reads: {len(f['ch_names'])} ch ({', '.join(f'{n} {t}' for n, t in zip(f['ch_names'], f['ch_types']))}), "
                   f"{f['sfreq']:g} Hz, {f['n_times']} samples, {len(f['annotations'])} annotations")
            if f["warnings"]:
                res += "; warns: " + " / ".join(code(w) for w in f["warnings"])
        else:
            res = "error: " + code(f["error"])
        size = f"{f['file_size']} B" + (f" + .fdt {f['fdt_size']} B" if "fdt_size" in f else "")
        rows.append(f"| `{name}` | {what} | {size} | {res} |")
    probe_rows = "\n".join(
        f"| `{p['EEG.data']}` | {', '.join(f'{k} ({v})' for k, v in p['files_present'].items()) or '(none)'} | "
        + ("error: " + code(p["error"]) if p["mne"] == "error" else
           f"reads `{', '.join(p['filenames'])}`, {p['n_times']} samples, data "
           + ("identical to fdt_raw.set's" if p["same_data_as_fdt_raw"] else "DIFFERENT from fdt_raw.set's"))
        + ("; warns: " + " / ".join(code(w) for w in p["warnings"]) if p["warnings"] else "") + " |"
        for p in probe.values())

    def ann(f):
        return ", ".join(f"({o!r}, {d!r}, {x!r})" for o, d, x in f["annotations"])

    ep = files["epoched.set"].get("read_epochs_eeglab", {})
    readme = f"""# EEGLAB fixtures

Cross-check fixtures for the EEGLAB `.set`/`.fdt` reader, written by `{SCRIPT}` with the pinned
venv (MNE {mne.__version__}, eeglabio {eeglabio.__version__}, pymatreader {pymatreader.__version__}, scipy {scipy.__version__}, h5py {h5py.__version__},
hdf5storage {hdf5storage.__version__}); deterministic (fixed seed; the MAT header dates, which scipy, eeglabio and
hdf5storage stamp with the current time, fixed to "{FIXED_DATE}"; two runs give identical bytes):

    .venv/bin/python {SCRIPT}

Expected values come from `mne.io.read_raw_eeglab(path, preload=True)` with the defaults (eog=(),
montage_units='auto', uint16_codec=None) and are in `expected.json` (see its `description`).

## How MNE {mne.__version__} reads an EEGLAB .set (mne/io/eeglab/eeglab.py, _eeglab.py)

Read in the source and checked on these files: `rule_check` in expected.json applies rules 5, 6, 7
and 8 to the values stored in each readable file and compares with MNE; every deviation is 0.0 (bit
for bit) and every name/type/description list matches.

1. **Opening the .set.** It is a MAT file, read whole with pymatreader (if installed; pinned here):
   scipy.io.loadmat(squeeze_me=True, struct_as_record=True, mat_dtype=False) for MAT v5, and when
   scipy raises NotImplementedError (MAT v7.3 = HDF5, 512-byte user block, header version 0x0200) h5py.
   Without pymatreader MNE uses the same scipy call and cannot read v7.3. Consequences of squeeze_me
   that the reader must mimic: 1x1 -> scalar, 1xN -> vector, `[]`/`''` -> empty; a struct array
   becomes a dict of per-field lists (v5 and v7.3 alike; MNE turns it into a list of records with
   `_dol_to_lod`), a 1x1 struct array (a single event or channel, `renamed_fdt.set`) a single record.
   Char arrays are text (v7.3: uint16 code units); numbers are doubles unless stored otherwise.
2. **Where the fields are (a).** If the file has a variable `ALLEEG`: NotImplementedError. If it has
   a variable `EEG` (classic EEGLAB; `fdt_raw.set`, the error files), that struct's fields are used,
   and if that struct in turn has a field `EEG`, that one's. Otherwise the file's top-level variables
   are the fields (newer EEGLAB, eeglabio/MNE's exporter: `export_raw.set`; `v73_raw.set`).
   Used fields: `trials`, `nbchan`, `pnts` (each `int()`, 1 when absent), `srate`, `data`, `chanlocs`,
   `chaninfo.nodatchans`, `event`. `srate` is not checked: it goes to `create_info(sfreq=srate)`, so a
   char srate fails there (`wrong_types.set`: {code(files['wrong_types.set']['error'] or '')}). `xmin`, `xmax`,
   `times`, `setname`, `filename`, `filepath`, `ref`, `urevent`, `epoch` are not used by
   read_raw_eeglab.
3. **Raw vs epochs.** `int(trials) != 1` -> TypeError (`epoched.set`: {code(files['epoched.set']['error'])}).
   `mne.io.read_epochs_eeglab` reads it ({ep.get('shape')} = trials x channels x samples, tmin
   {ep.get('tmin')}, event_id {ep.get('event_id')}; data in the .set/.fdt as nbchan x pnts x trials,
   Fortran order).
4. **Data location (f).** If `data` is a char array it names a file: first its extension (Python's
   `splitext`, case-sensitive) must be `.fdt` or `.set`: `.dat` -> NotImplementedError ("Old data
   format .dat detected"), anything else (also `.FDT`) -> ValueError; see the probes. The file is
   `join(dirname(path of the .set), EEG.data)`: `EEG.filepath` is ignored, a relative name may contain
   directories, an absolute one is used as it is. If that file does not exist, MNE tries the .set's
   path with `.set` replaced by `.fdt`: if that exists it is used with a warning
   ({code(files['renamed_fdt.set']['warnings'][0])}, `renamed_fdt.set`), otherwise FileNotFoundError
   "Could not find the .fdt data file, tried A and B." -- except when both candidates are the same path
   (EEG.data = `<name of the .set>.fdt`, `missing_fdt.set`): then nothing is raised there and reading
   fails later with {code(files['missing_fdt.set']['error'])}. If `data` is numeric it is the
   embedded sample matrix.
5. **Data layout and scaling (b).** The .fdt is raw float32 little-endian (`<f4`), no header, `pnts`
   frames of `nbchan` values: channel fastest (MATLAB's column-major write of the nbchan x pnts
   matrix). MNE reads exactly nbchan * pnts values from offset 0: a shorter file -> RuntimeError
   ("Incorrect number of samples ..."), extra bytes are ignored (probes). Embedded data is the
   nbchan x pnts matrix as MATLAB sees it (v5 `single`/`double`; v7.3: the HDF5 dataset has shape
   (pnts, nbchan), the same bytes with channel fastest); MNE takes its shape from the array, a 1-D
   array is 1 channel. Volts = `float64(value) * 1e-6` for every channel whatever its type (`CAL =
   1e-6`: EEGLAB data are taken to be µV; there is no unit field). The product is float64 from the
   float32 value: `Double(sample) * 1e-6` reproduces MNE bit for bit (`/ 1e6` would not always).
6. **Channel names and types (e).** One channel per chanlocs entry (not per `nbchan`), name =
   `chanlocs(i).labels`; an empty chanlocs gives `EEG 000`, `EEG 001`, ... (nbchan names), all EEG.
   Type: if `chanlocs(i).type` is text, `type.strip().lower()`; if that is one of MNE's channel types
   (`_PICK_TYPES_KEYS`: eeg, eog, ecg, emg, misc, stim, resp, seeg, ecog, dbs, bio, syst, gsr,
   temperature, ref_meg, fnirs..., eyetrack...) that is the type; any other text -> EEG with the warning
   "Unknown types found, setting as type EEG:" + one line per lower-cased type listing its channels
   (`fdt_raw.set`: 'MASTOID' -> TP10 eeg). An empty type (`''` is read as an empty array) or no `type`
   field -> EEG, no warning. (MNE's `eog=` argument, empty by default, can also make channels EOG.)
   Channel order = chanlocs order. MNE's exporter writes `type = ''` for every channel, so an EOG
   channel round-tripped through MNE comes back as EEG (`export_raw.set`: HEOG).
7. **Positions (d).** Read only if the first chanlocs record has fields X, Y and Z. Per channel
   `p = [-Y, X, Z]` (EEGLAB: X to the nose, Y to the left ear, Z up; MNE head frame: x right, y nose,
   z up); an empty X/Y/Z (`[]`) -> NaN, a stored NaN stays NaN. Units (`montage_units='auto'`): r =
   mean Euclidean norm of the p without any NaN; r < 0.25 -> metres, < 2.5 -> dm, < 25 -> cm, else mm;
   then `p *= 1 / k` with k = 1, 10, 100, 1000 (in floating point: `* 0.001` for mm, `* 0.1` for dm,
   not `/ 1000`). If the scaled r is outside 0.05..0.1085 m MNE warns "Estimated head radius (x cm)
   is above/below ..." (`export_raw.set`: standard_1020 after set_montage has r = 11.9 cm). The
   positions go into a head-frame montage applied with set_montage without any transform:
   `loc[:3] = p`, but only for EEG-like channels (eeg, seeg, ecog, dbs, fnirs); other types (eog, ecg,
   misc, ...) keep NaN even when the file has a position, with the warning "Not setting position of 1
   eog channel found in montage: ['VEOG'] ..." (`fdt_raw.set`: VEOG, `v73_raw.set`: ECG without
   position). Units seen here: `export_raw.set` metres (r ≈ 0.12), `fdt_raw.set` mm (EEGLAB's usual),
   `v73_raw.set` the unit sphere (r = 1 -> taken as dm -> radius 0.1 m). `chaninfo.nodatchans` records
   of type 'FID' with description 'Nasion' / 'Left periauricular point' / 'Right periauricular point'
   become fiducials (taken as raw X, Y, Z: neither the axis change nor the unit scaling is applied to
   them); without them MNE adds
   fiducials at (-r, 0, 0), (r, 0, 0), (0, r, 0) to info['dig'] only (chs untouched).
8. **Events -> annotations (c).** Each `event` record -> (onset, duration, description) with
   onset = (latency - 1) / srate (latency is a 1-based sample number; fractional latencies such as
   EEGLAB's x.5 boundaries are kept, no rounding to samples), duration = duration / srate (0 when
   there is no `duration` field; `[]` -> NaN), description = `str(type)`: text as it is, a numeric
   double as Python prints a float ('7.0' for 7, `v73_raw.set`). Records with a NaN latency are dropped
   (warning). Nothing is renamed or skipped by type: 'boundary' stays an annotation 'boundary' (MNE
   only warns "The data contains 'boundary' events, indicating data discontinuities..."). Then, as
   mne.Annotations + raw.set_annotations do: sort by (onset, duration, file order); crop to
   [0, pnts / srate] in integer microseconds (Python timedelta, round half to even): a record starting
   after the end or ending before 0 is dropped ("Omitted N annotation(s) that were outside data
   range."), one running past an edge is clipped ("Limited N annotation(s) ..."; its duration becomes
   (end_us - onset_us) / 1e6), a NaN duration becomes 0.0; the stored onset is onset_us / 1e6 (so
   2.5009765625 s -> 2.500977), an unclipped duration keeps full precision. orig_time None (seconds
   from the first sample). Checked on the unsorted, uncropped list: round((latency - 1)) = -1 (latency
   about 0) warns, anything below -1 raises ValueError ("At least one event sample index is negative").
   MNE's exporter writes latency = onset * srate + 1, duration = duration * srate.
9. **Everything else.** sfreq = srate; n_times = pnts (from the header, last sample = pnts - 1);
   first_samp 0; meas_date None; cal 1e-6 for every channel; no filter, reference or subject
   information. preload=False gives the same values (expected.json: `max_abs_dev_vs_preload_true`).

## Files

| file | what | size | MNE {mne.__version__} |
| --- | --- | --- | --- |
{chr(10).join(rows)}

* `export_raw.set`: {ex['written']['call']} of a RawArray ({', '.join(f'{n} {t}' for n, t in zip(ex['written']['ch_names'], ex['written']['ch_types']))};
  {ex['written']['sfreq']:g} Hz; {ex['written']['n_times']} samples; positions: set_montage(standard_1020); HEOG has none).
  eeglabio writes **MAT v5** (header version bytes {ex['file']['mat_header']['version_hex']} 'IM') with the fields as
  **top-level variables** ({', '.join(ex['file']['field_names'])}), data **embedded** as single µV
  (nbchan x pnts), chanlocs X/Y/Z **in metres** (HEOG: NaN, not `[]`), `type` '' for every channel,
  event latency = onset * 250 + 1 (one fractional: 1502.5). Annotations written (onset, duration,
  description): {', '.join(f'({o!r}, {d!r}, {x!r})' for o, d, x in ex['written']['annotations'])};
  MNE reads back {ann(ex)}.
* `fdt_raw.set` + `fdt_raw.fdt`: EEG struct (MAT v5), EEG.data = 'fdt_raw.fdt'; chanlocs X/Y/Z in mm
  (standard_1020 positions converted as [y, -x, z] * 1000, rounded to 0.001 mm; theta/radius/sph_* by
  eeglabio's port of convertlocs); types EEG, EEG, '' (Pz), EEG, 'MASTOID' (TP10), 'EOG' (VEOG, with
  Fp1's position). Events (type, latency, duration in samples):
  {', '.join(f'({t!r}, {l!r}, {d!r})' for t, l, d in FDT_EVENTS)} at 500 Hz -> {ann(fd)}.
* `v73_raw.set`: HDF5 (MAT v7.3) with the fields at the top level, data embedded (single, HDF5 shape
  (pnts, nbchan)), chanlocs on the unit sphere, ECG without position. Events
  {', '.join(f'({t!r}, {l!r}, {d!r})' for t, l, d in V73_EVENTS)} (None = `[]`) at 256 Hz ->
  {ann(v7)}.
* `missing_fdt.set`: fdt_raw.set's layout (other seeded samples) with EEG.data = 'missing_fdt.fdt',
  which does not exist.
* `renamed_fdt.set` + `renamed_fdt.fdt`: EEG.data = '{RENAMED_DATA_FIELD}' (absent), 2 channels, 250 samples,
  a single event (a 1x1 struct: scalar fields after squeeze_me).
* `epoched.set`: EEG struct, trials 3, data embedded (4 x 100 x 3), xmin -0.2, with `epoch` records.
* `wrong_types.set`: EEG struct with srate = 'fast' (char).

## Probes

Temporary copies of fdt_raw.set with another EEG.data, next to copies of fdt_raw.fdt (not kept;
results in expected.json `probes`):

| EEG.data | files next to the .set | MNE |
| --- | --- | --- |
{probe_rows}
"""
    (OUT / "README.md").write_text(readme, encoding="utf-8")


if __name__ == "__main__":
    main()
