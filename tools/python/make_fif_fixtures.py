#!/usr/bin/env python3
"""Writes the FIF (Neuromag/MNE raw) cross-check fixtures of neurotool: Tests/Fixtures/fif/.

* `meg_raw.fif`: mne.io.RawArray of a seeded float64 array, 7 channels x 3000 samples at 1000 Hz,
  first_samp 25000 (so the file holds a FIFF_FIRST_SAMPLE tag and event samples differ from indices):
  MEG0111 mag, MEG0112/MEG0113 grad, EEG001/EEG002 eeg, STI014 stim, EOG061 eog. Amplitudes: mag
  ~1e-12 T, grad ~1e-11 T/m, eeg ~1e-5 V, eog ~1e-4 V (10 Hz sine + Gaussian noise, see make_raw).
  STI014 is 0 with 10-sample pulses of 1, 2, 5, 1 starting at indices 400, 1200, 2100, 2500.
  MEG and EEG channels get an explicit `loc` (MEG: position + ex, ey, ez; EEG: electrode + reference
  position + zeros); STI014/EOG061 keep create_info's all-NaN loc. Every channel gets an explicit
  `cal` (and `range`, see CAL_RANGE) so a reader has to apply value = sample * range * cal.
  Saved with raw.save(fmt="single"): FIFFT_FLOAT (4) data buffers of data / cal (range reset to 1
  in the file), default buffer_size_sec (1 s) -> 3 buffers of 1000 samples.
* `meg_raw_int.fif` (fmt="int": FIFFT_INT (3) buffers, int32(trunc(data / (range * cal))), range
  kept) and `meg_raw_short.fif` (fmt="short": FIFFT_DAU_PACK16 (16) buffers, int16 the same way).
* `annot_raw.fif`: meg_raw.fif's recording (same data, first_samp, fmt="single") after
  raw.set_annotations(mne.Annotations(onset=[0.5, 1.25], duration=[0.25, 0.0],
  description=["blink", "BAD_segment"], orig_time=None)): the file gains a FIFFB_MNE_ANNOTATIONS
  block (3810) between MEAS_INFO and RAW_DATA. With meas_date None and orig_time None, set_annotations
  takes the onsets relative to the first sample and adds raw.first_samp / sfreq, so raw.annotations.onset
  (and the float32 FIFF_MNE_BASELINE_MIN tag in the file) hold seconds since sample 0 of the acquisition:
  25.5 and 26.25; FIFF_MNE_BASELINE_MAX holds onset + duration (ends, not durations); FIFF_COMMENT the
  descriptions joined by ':' (a ':' inside a description written as '{COLON}'), latin-1. See
  ANNOTATION_TAGS and expected.json's "annotations_block".
* `truncated_raw.fif`: meg_raw.fif cut in the middle of the last FIFF_DATA_BUFFER's data.
* `broken_raw.fif`: meg_raw.fif with the `next` field of the second FIFF_DATA_BUFFER tag set to
  file size + 4096 (a position past the end of the file); see BROKEN_* below and expected.json.
* `expected.json`: for every file what MNE 1.13.2 reads back (read_raw_fif(path, preload=True)),
  the tag layout of each good file, what was changed in the damaged ones and what MNE does with them.
* `README.md`: the same in prose, plus the tag dump of meg_raw.fif (also printed by this script).

FIF is big-endian. Every tag is a 16-byte header (int32 kind, uint32 type, int32 size, int32 next)
followed by `size` bytes of data; next = 0 (FIFFV_NEXT_SEQ) means "the next tag follows at
pos + 16 + size", next = -1 (FIFFV_NEXT_NONE) ends the chain, next > 0 is an absolute position.

Determinism: MNE puts the machine's MAC address (uuid.getnode) into the FIFF_FILE_ID/FIFF_BLOCK_ID
structs; this script replaces mne._fiff.write.get_machid by a constant (MACHID) so two runs on any
machine give identical bytes (meas_date is None, so the ids' time fields are MNE's DATE_NONE).

Run from the repository root (or `make fixtures`):

    .venv/bin/python tools/python/make_fif_fixtures.py

Floats are written with Python's repr (json of Python floats): they parse back to the same doubles;
NaN (the default loc of STI014/EOG061) is written as null. Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import sys
import math
import platform
import struct
import warnings
from pathlib import Path

import mne
import mne._fiff.write as fiff_write
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
OUT = ROOT / "Tests" / "Fixtures" / "fif"
SCRIPT = "tools/python/make_fif_fixtures.py"
SEED = 20251215
SFREQ = 1000.0
N_TIMES = 3000
FIRST_SAMP = 25000
MACHID = np.array([0x4E455552, 0x4F544F4C], dtype=np.int32)  # "NEUR", "OTOL": fixed, not this machine's MAC

CH_NAMES = ["MEG0111", "MEG0112", "MEG0113", "EEG001", "EEG002", "STI014", "EOG061"]
CH_TYPES = ["mag", "grad", "grad", "eeg", "eeg", "stim", "eog"]
# (range, cal) per channel: range * cal is the step of one integer count in fmt int/short; chosen so the
# largest |value| / (range * cal) stays well inside int16 (the short file must not clip).
CAL_RANGE = {
    "MEG0111": (1.0, 2.0e-16),
    "MEG0112": (1.0, 2.0e-15),
    "MEG0113": (1.0, 2.0e-15),
    "EEG001": (2.0, 2.0e-9),
    "EEG002": (2.0, 2.0e-9),
    "STI014": (1.0, 1.0),
    "EOG061": (0.5, 1.0e-7),
}
# Neuromag-like coil position (m, device frame) and orientation vectors ex, ey, ez; the two planar
# gradiometers of a triplet share the position, their ex/ey are rotated by 90 degrees.
MEG_LOC = {
    "MEG0111": [-0.1066, 0.0464, -0.0604, -0.0127, 0.0171, -0.9998, -0.1863, -0.9824, -0.0145,
                -0.9825, 0.1860, 0.0156],
    "MEG0112": [-0.1066, 0.0464, -0.0604, -0.1863, -0.9824, -0.0145, 0.0127, -0.0171, 0.9998,
                -0.9825, 0.1860, 0.0156],
    "MEG0113": [-0.1066, 0.0464, -0.0604, 0.0127, -0.0171, 0.9998, 0.1863, 0.9824, 0.0145,
                -0.9825, 0.1860, 0.0156],
}
# EEG: electrode position (m, head frame), reference position, then six zeros (MNE's convention).
EEG_LOC = {
    "EEG001": [-0.0294, 0.0839, -0.007, 0.0, 0.0, 0.095, 0, 0, 0, 0, 0, 0],
    "EEG002": [0.0299, 0.0849, -0.0070, 0.0, 0.0, 0.095, 0, 0, 0, 0, 0, 0],
}
AMPLITUDE = {"mag": 1e-12, "grad": 1e-11, "eeg": 1e-5, "eog": 1e-4}
PULSES = [(400, 1), (1200, 2), (2100, 5), (2500, 1)]  # (index of the first sample, value), 10 samples each
PULSE_LEN = 10
FMTS = {"meg_raw.fif": "single", "meg_raw_int.fif": "int", "meg_raw_short.fif": "short"}
# annot_raw.fif: the annotations set on meg_raw.fif's recording (onsets relative to the first sample,
# since orig_time is None and the recording has no meas_date).
ANNOT_FILE = "annot_raw.fif"
ANNOT_ONSET = [0.5, 1.25]
ANNOT_DURATION = [0.25, 0.0]
ANNOT_DESCRIPTION = ["blink", "BAD_segment"]
ANNOT_CALL = ("raw.set_annotations(mne.Annotations(onset=[0.5, 1.25], duration=[0.25, 0.0], "
              "description=['blink', 'BAD_segment'], orig_time=None)); raw.save(path, fmt='single', overwrite=True)")
BROKEN_BUFFER_INDEX = 1  # 0-based index among the FIFF_DATA_BUFFER tags whose `next` is overwritten
BROKEN_PAST_EOF = 4096   # new next = file size + this

GENERATOR = {
    "script": SCRIPT,
    "python": platform.python_version(),
    "numpy": np.__version__,
    "mne": mne.__version__,
    "seed": SEED,
}

# FIFF constants used below (mne/_fiff/constants.py)
FIFF_BLOCK_START, FIFF_BLOCK_END = 104, 105
FIFF_CH_INFO, FIFF_DATA_BUFFER = 203, 300
FIFFB_MNE_ANNOTATIONS = 3810
# What each tag of an MNE annotations block means (mne/annotations.py _write_annotations/_read_annotations_fif).
# Kind -> (MNE constant name, meaning); the names are checked against mne._fiff.constants.FIFF at run time.
ANNOTATION_TAGS = {
    3568: ("FIFF_MNE_BASELINE_MIN", "float32 onsets, s; with meas_date None: since sample 0 of the acquisition "
                                    "(raw.first_samp / sfreq + seconds from the first sample)"),
    3569: ("FIFF_MNE_BASELINE_MAX", "float32 ends = onset + duration, s (same origin); duration = end - onset"),
    206: ("FIFF_COMMENT", "string (latin-1, no terminator): the descriptions joined by ':', a ':' inside a "
                          "description written as '{COLON}'"),
    204: ("FIFF_MEAS_DATE", "orig_time (only when not None; absent here)"),
    3801: ("FIFF_MNE_EPOCHS_DROP_LOG", "JSON of per-annotation ch_names (only when any; absent here)"),
    106: ("FIFF_FREE_LIST", "string: JSON list of the per-annotation extras dicts (written when any extra is "
                            "not None; MNE 1.13 writes '[{}, {}]' here: one empty dict per annotation)"),
}
TAG_NAMES = {
    100: "FILE_ID", 101: "DIR_POINTER", 102: "DIR", 103: "BLOCK_ID", 104: "BLOCK_START", 105: "BLOCK_END",
    106: "FREE_LIST", 107: "FREE_BLOCK", 108: "NOP", 109: "PARENT_FILE_ID", 110: "PARENT_BLOCK_ID",
    200: "NCHAN", 201: "SFREQ", 202: "DATA_PACK", 203: "CH_INFO", 204: "MEAS_DATE", 206: "COMMENT",
    208: "FIRST_SAMPLE", 219: "LOWPASS", 220: "BAD_CHS", 222: "COORD_TRANS", 223: "HIGHPASS",
    235: "LINE_FREQ", 300: "DATA_BUFFER", 301: "DATA_SKIP",
    3568: "MNE_BASELINE_MIN", 3569: "MNE_BASELINE_MAX", 3801: "MNE_EPOCHS_DROP_LOG",
}
BLOCK_NAMES = {
    100: "MEAS", 101: "MEAS_INFO", 102: "RAW_DATA", 103: "PROCESSED_DATA", 104: "EVOKED", 105: "ASPECT",
    106: "SUBJECT", 107: "ISOTRAK", 108: "HPI_MEAS", 109: "HPI_RESULT", 110: "HPI_COIL", 111: "PROJECT",
    112: "CONTINUOUS_DATA", 114: "VOID", 115: "EVENTS", 116: "INDEX", 117: "DACQ_PARS", 118: "REF",
    119: "IAS_RAW_DATA", 120: "IAS_ASPECT", 121: "HPI_SUBSYSTEM", 313: "PROJ", 314: "PROJ_ITEM",
    360: "MNE_BAD_CHANNELS", 501: "PROCESSING_HISTORY", 502: "PROCESSING_RECORD", 3810: "MNE_ANNOTATIONS",
}
TYPE_NAMES = {0: "void", 1: "byte", 2: "short", 3: "int", 4: "float", 5: "double", 6: "julian",
              7: "ushort", 8: "uint", 10: "string", 13: "dau_pack13", 14: "dau_pack14", 16: "dau_pack16",
              20: "complex_float", 21: "complex_double", 23: "old_pack", 30: "ch_info_struct",
              31: "id_struct", 32: "dir_entry_struct", 33: "dig_point_struct", 35: "coord_trans_struct"}
# data type of the tag -> numpy big-endian dtype of its elements (matrix types not used here)
SCALAR_DTYPES = {1: ">u1", 2: ">i2", 3: ">i4", 4: ">f4", 5: ">f8", 7: ">u2", 8: ">u4", 16: ">i2"}


# ----------------------------------------------------------------------------- helpers

from fixture_json import floats, ints, scrub, write_json  # noqa: E402  (shared with the other fixture scripts)



def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


# ----------------------------------------------------------------------------- FIF tag scanning

def scan_tags(buf: bytes) -> list[dict]:
    """The tag chain from offset 0, as MNE's fiff_open scans it without a directory: follow `next`
    (0: pos + 16 + size), stop at next == -1 or when fewer than 16 header bytes remain."""
    tags, pos = [], 0
    while pos is not None and pos + 16 <= len(buf):
        kind, type_, size, nxt = struct.unpack_from(">iIii", buf, pos)
        tags.append({"offset": pos, "kind": kind, "type": type_, "size": size, "next": nxt,
                     "data_offset": pos + 16})
        pos = pos + 16 + size if nxt == 0 else (nxt if nxt > 0 else None)
    return tags


def tag_value(buf: bytes, t: dict):
    """Decoded data of the small tags the dump shows (None for others)."""
    d = buf[t["data_offset"]:t["data_offset"] + t["size"]]
    if t["type"] == 30 and t["size"] == 96:  # FIFFT_CH_INFO_STRUCT
        v = struct.unpack(">iiiffi12fii16s", d)
        return {"scanno": v[0], "logno": v[1], "kind": v[2], "range": v[3], "cal": v[4], "coil_type": v[5],
                "loc": list(v[6:18]), "unit": v[18], "unit_mul": v[19],
                "ch_name": v[20].split(b"\0", 1)[0].decode("latin-1"), "ch_name_bytes": v[20].hex()}
    if t["type"] == 31 and t["size"] == 20:  # FIFFT_ID_STRUCT: version, machid[2], secs, usecs
        return list(struct.unpack(">iiiii", d))
    if t["type"] == 10:
        return d.decode("latin-1")
    if t["type"] in SCALAR_DTYPES and t["kind"] != FIFF_DATA_BUFFER:
        arr = np.frombuffer(d, dtype=SCALAR_DTYPES[t["type"]])
        vals = arr.tolist()
        return vals[0] if len(vals) == 1 else vals
    return None


def layout_entry(buf: bytes, t: dict) -> dict:
    """JSON form of one tag: header fields, plus the decoded value of small tags."""
    e = {k: t[k] for k in ("offset", "kind", "type", "size", "next")}
    if t["kind"] in (FIFF_BLOCK_START, FIFF_BLOCK_END):
        e["block"] = tag_value(buf, t)
    elif t["kind"] != FIFF_DATA_BUFFER and t["offset"] + 16 + t["size"] <= len(buf):
        v = tag_value(buf, t)
        if v is not None:
            e["value"] = nan_to_none(v)
    return e


def nan_to_none(v):
    """Recursively replace float NaN by None (JSON has no NaN)."""
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if isinstance(v, list):
        return [nan_to_none(x) for x in v]
    if isinstance(v, dict):
        return {k: nan_to_none(x) for k, x in v.items()}
    return v


def fmt_float(v: float) -> str:
    return "nan" if math.isnan(v) else f"{v:.7g}"


def dump(buf: bytes, title: str) -> str:
    """Concise, human-readable dump of the tag chain; runs of data buffers are collapsed."""
    tags = scan_tags(buf)
    lines = [f"{title}: {len(buf)} bytes, {len(tags)} tags (FIF big-endian; header = int32 kind, "
             "uint32 type, int32 size, int32 next; data follows)",
             f"{'offset':>7} {'kind':>5} {'type':>5} {'size':>7} {'next':>5}  what"]
    depth = 0
    i = 0
    while i < len(tags):
        t = tags[i]
        kind = t["kind"]
        head = f"{t['offset']:>7} {kind:>5} {t['type']:>5} {t['size']:>7} {t['next']:>5}  "
        name = TAG_NAMES.get(kind, str(kind))
        if kind == FIFF_BLOCK_END:
            depth -= 1
        ind = "  " * depth
        if kind in (FIFF_BLOCK_START, FIFF_BLOCK_END):
            b = tag_value(buf, t)
            lines.append(head + ind + f"{name} {b} ({BLOCK_NAMES.get(b, '?')})")
            if kind == FIFF_BLOCK_START:
                depth += 1
        elif kind == FIFF_DATA_BUFFER:
            j = i
            while j + 1 < len(tags) and tags[j + 1]["kind"] == FIFF_DATA_BUFFER:
                j += 1
            run = tags[i:j + 1]
            tn = TYPE_NAMES.get(t["type"], "?")
            lines.append(head + ind + f"DATA_BUFFER type {t['type']} ({tn})"
                         + (f" ... x{len(run)} buffers:" if len(run) > 1 else ""))
            for r in run:
                lines.append(f"{'':>28}{ind}  at {r['offset']} (data at {r['data_offset']}): type {r['type']}, "
                             f"size {r['size']}, next {r['next']}")
            i = j
        elif kind == FIFF_CH_INFO:
            c = tag_value(buf, t)
            lines.append(head + ind + f"CH_INFO scanno {c['scanno']} logno {c['logno']} kind {c['kind']} "
                         f"range {fmt_float(c['range'])} cal {fmt_float(c['cal'])} coil_type {c['coil_type']} "
                         f"unit {c['unit']} unit_mul {c['unit_mul']} ch_name {c['ch_name']!r}")
            lines.append(f"{'':>28}{ind}  loc [" + ", ".join(fmt_float(x) for x in c["loc"]) + "]")
        else:
            v = tag_value(buf, t) if t["offset"] + 16 + t["size"] <= len(buf) else None
            if isinstance(v, float):
                v = fmt_float(v)
            lines.append(head + ind + f"{name} ({TYPE_NAMES.get(t['type'], t['type'])})" +
                         ("" if v is None else f" = {v}"))
        i += 1
    return "\n".join(lines)


# ----------------------------------------------------------------------------- the recording

def make_raw(rng: np.random.Generator) -> mne.io.RawArray:
    """The 7-channel recording: per non-stim channel A * (0.5 * sin(2 pi 10 t + phase) + N(0, 1) * 0.5),
    with phase ~ U(0, 2 pi) then the noise row drawn channel by channel from `rng`; STI014 pulses."""
    t = np.arange(N_TIMES) / SFREQ
    data = np.zeros((len(CH_NAMES), N_TIMES), dtype=np.float64)
    for k, typ in enumerate(CH_TYPES):
        if typ == "stim":
            for start, value in PULSES:
                data[k, start:start + PULSE_LEN] = value
            continue
        phase = rng.uniform(0, 2 * np.pi)
        data[k] = AMPLITUDE[typ] * (0.5 * np.sin(2 * np.pi * 10 * t + phase) + 0.5 * rng.standard_normal(N_TIMES))
    info = mne.create_info(CH_NAMES, SFREQ, CH_TYPES)
    with info._unlock():
        for ch in info["chs"]:
            name = ch["ch_name"]
            ch["range"], ch["cal"] = CAL_RANGE[name]
            if name in MEG_LOC:
                ch["loc"] = np.array(MEG_LOC[name], dtype=np.float64)
            elif name in EEG_LOC:
                ch["loc"] = np.array(EEG_LOC[name], dtype=np.float64)
    return mne.io.RawArray(data, info, first_samp=FIRST_SAMP, verbose="error")


def mne_read(path: Path):
    """read_raw_fif(path, preload=True): (raw or None, warnings, error)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            raw = mne.io.read_raw_fif(path, preload=True, verbose="warning")
            error = None
        except Exception as e:  # noqa: BLE001 - we record what MNE does
            raw, error = None, scrub(f"{type(e).__name__}: {e}")
    msgs = [scrub(str(w.message)) for w in caught if not issubclass(w.category, DeprecationWarning)]
    return raw, msgs, error


def good_file_summary(path: Path, written: np.ndarray) -> dict:
    """expected.json entry of a file MNE wrote: what MNE reads back, the recipe check, the tag layout;
    for a file with annotations also what MNE reads of them and the decoded annotations block."""
    buf = path.read_bytes()
    back, msgs, err = mne_read(path)
    if back is None:
        raise RuntimeError(f"MNE cannot read back {path.name}: {err}")
    s = mne_summary(back)
    _, mine = recompute(buf, s, len(CH_NAMES))
    got = back.get_data()
    s["max_abs_dev_recipe"] = float(np.abs(mine - got).max())
    s["max_abs_dev_written"] = floats(np.abs(got - written).max(axis=1))
    s["warnings"] = msgs
    tags = scan_tags(buf)
    bufs = [t for t in tags if t["kind"] == FIFF_DATA_BUFFER]
    s["file_size"] = len(buf)
    s["data_buffers"] = [{"offset": t["offset"], "data_offset": t["data_offset"], "type": t["type"],
                          "size": t["size"], "n_samples": t["size"] // (len(CH_NAMES) * np.dtype(
                              SCALAR_DTYPES[t["type"]]).itemsize)} for t in bufs]
    s["layout"] = [layout_entry(buf, t) for t in tags]
    if len(back.annotations):
        s.update(annotation_summary(back, buf))
    return s


def annotation_block(buf: bytes) -> tuple[dict, list[dict]]:
    """(BLOCK_START tag, tags inside it up to its BLOCK_END) of the FIFFB_MNE_ANNOTATIONS block."""
    tags = scan_tags(buf)
    for i, t in enumerate(tags):
        if t["kind"] == FIFF_BLOCK_START and tag_value(buf, t) == FIFFB_MNE_ANNOTATIONS:
            inner = []
            for u in tags[i + 1:]:
                if u["kind"] == FIFF_BLOCK_END and tag_value(buf, u) == FIFFB_MNE_ANNOTATIONS:
                    return t, inner + [u]
                inner.append(u)
    raise RuntimeError("no FIFFB_MNE_ANNOTATIONS block")


def annotation_summary(raw, buf: bytes) -> dict:
    """What MNE reads of the annotations, and the block as stored (kinds, types, sizes, decoded values)."""
    from mne._fiff.constants import FIFF

    a = raw.annotations
    sf = float(raw.info["sfreq"])
    first_time = raw.first_samp / sf
    start, inner = annotation_block(buf)
    for kind, (const, _) in ANNOTATION_TAGS.items():
        if int(getattr(FIFF, const)) != kind:
            raise RuntimeError(f"mne._fiff.constants.FIFF.{const} is {int(getattr(FIFF, const))}, not {kind}")
    if int(FIFF.FIFFB_MNE_ANNOTATIONS) != FIFFB_MNE_ANNOTATIONS:
        raise RuntimeError("FIFFB_MNE_ANNOTATIONS changed")
    entries = []
    for t in [start, *inner]:
        e = layout_entry(buf, t)
        if t["kind"] in (FIFF_BLOCK_START, FIFF_BLOCK_END):
            e["constant"] = "FIFF_BLOCK_START" if t["kind"] == FIFF_BLOCK_START else "FIFF_BLOCK_END"
            e["block_constant"] = "FIFFB_MNE_ANNOTATIONS"
        else:
            e["constant"], e["meaning"] = ANNOTATION_TAGS.get(t["kind"], ("?", "?"))
        e["bytes"] = buf[t["data_offset"]:t["data_offset"] + t["size"]].hex()
        entries.append(e)
    return {
        # seconds from the first sample (raw.annotations.onset - first_samp / sfreq), duration, description
        "annotations": [[float(o - first_time), float(d), str(x)]
                        for o, d, x in zip(a.onset, a.duration, a.description)],
        "annotations_mne_onset": floats(a.onset),
        "annotations_orig_time": None if a.orig_time is None else a.orig_time.isoformat(),
        "annotations_note": (
            "meas_date and orig_time are None: raw.annotations.onset is seconds since sample 0 of the acquisition "
            "(time 0 = first_samp 0), i.e. first_samp / sfreq + seconds from the first stored sample; "
            "'annotations' lists onset - first_samp / sfreq. The file's FIFF_MNE_BASELINE_MIN holds the same "
            "values as raw.annotations.onset (float32); on reading, MNE subtracts first_samp / sfreq and "
            "set_annotations adds it back."),
        "annotations_block": entries,
    }


def mne_summary(raw) -> dict:
    data = raw.get_data()
    first = raw.first_samp
    sf = float(raw.info["sfreq"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = mne.find_events(raw, stim_channel="STI014", shortest_event=1, verbose="error")
    chs = raw.info["chs"]
    return {
        "ch_names": list(raw.ch_names),
        "ch_types": list(raw.get_channel_types()),
        "sfreq": sf,
        "first_samp": int(first),
        "last_samp": int(raw.last_samp),
        "n_times": int(raw.n_times),
        "orig_format": raw.orig_format,
        "first5": floats(data[:, :5]),
        "sums": floats(data.sum(axis=1)),
        "cal": [float(c["cal"]) for c in chs],
        "range": [float(c["range"]) for c in chs],
        "coil_type": [int(c["coil_type"]) for c in chs],
        "kind": [int(c["kind"]) for c in chs],
        "unit": [int(c["unit"]) for c in chs],
        "unit_mul": [int(c["unit_mul"]) for c in chs],
        "coord_frame": [int(c["coord_frame"]) for c in chs],
        "loc": [floats(c["loc"]) for c in chs],
        "events": ints(ev),
        "event_onsets_s": [float((s - first) / sf) for s in ev[:, 0]],
        "meas_date": raw.info["meas_date"].isoformat() if raw.info["meas_date"] else None,
    }


def recompute(buf: bytes, summary: dict, nchan: int) -> tuple[float, np.ndarray]:
    """Largest |difference| between MNE's data and sample * (range * cal) decoded here from the buffers
    (float64 arithmetic, cal/range as read back): 0.0 means the recipe is MNE's, bit for bit."""
    rows = []
    for t in scan_tags(buf):
        if t["kind"] == FIFF_DATA_BUFFER:
            a = np.frombuffer(buf, dtype=SCALAR_DTYPES[t["type"]], count=t["size"] // np.dtype(
                SCALAR_DTYPES[t["type"]]).itemsize, offset=t["data_offset"])
            rows.append(a.reshape(-1, nchan).astype(np.float64))
    samples = np.concatenate(rows).T  # (nchan, n_times): buffers are sample-major, channel fastest
    cals = np.array(summary["range"]) * np.array(summary["cal"])
    mine = samples * cals[:, None]
    return float(np.abs(mine[:, :5] - np.array(summary["first5"], dtype=np.float64)).max()), mine


# ----------------------------------------------------------------------------- main

def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    fiff_write.get_machid = lambda: MACHID.copy()  # deterministic FILE_ID/BLOCK_ID (see docstring)
    rng = np.random.default_rng(SEED)
    raw = make_raw(rng)
    written = raw.get_data()

    files: dict[str, dict] = {}
    fmt_results = {}
    for name, fmt in FMTS.items():
        path = OUT / name
        try:
            raw.save(path, fmt=fmt, overwrite=True, verbose="error")
            fmt_results[fmt] = "ok"
        except Exception as e:  # noqa: BLE001
            fmt_results[fmt] = scrub(f"{type(e).__name__}: {e}")
            print(f"fmt={fmt}: MNE refused: {fmt_results[fmt]}")
            continue
        files[name] = {"fmt": fmt, "call": f"raw.save(path, fmt={fmt!r}, overwrite=True)",
                       **good_file_summary(path, written)}

    # --- annot_raw.fif: the same recording with two annotations ------------------------------------------
    annotated = raw.copy().set_annotations(mne.Annotations(
        onset=ANNOT_ONSET, duration=ANNOT_DURATION, description=ANNOT_DESCRIPTION, orig_time=None))
    annotated.save(OUT / ANNOT_FILE, fmt="single", overwrite=True, verbose="error")
    files[ANNOT_FILE] = {"fmt": "single", "call": ANNOT_CALL, **good_file_summary(OUT / ANNOT_FILE, written)}

    # --- damaged copies of meg_raw.fif ---------------------------------------------------------------
    good = (OUT / "meg_raw.fif").read_bytes()
    tags = scan_tags(good)
    bufs = [t for t in tags if t["kind"] == FIFF_DATA_BUFFER]
    last = bufs[-1]
    cut = last["data_offset"] + last["size"] // 2
    (OUT / "truncated_raw.fif").write_bytes(good[:cut])
    victim = bufs[BROKEN_BUFFER_INDEX]
    new_next = len(good) + BROKEN_PAST_EOF
    broken = bytearray(good)
    struct.pack_into(">i", broken, victim["offset"] + 12, new_next)
    (OUT / "broken_raw.fif").write_bytes(bytes(broken))

    damaged = {}
    for name, change in (
        ("truncated_raw.fif", {
            "source": "meg_raw.fif",
            "change": (f"the first {cut} bytes of meg_raw.fif ({len(good)} bytes): cut in the middle of the data "
                       f"of the last FIFF_DATA_BUFFER (tag at {last['offset']}, data {last['data_offset']}.."
                       f"{last['data_offset'] + last['size']}, {last['size'] // 2} of its {last['size']} data "
                       "bytes kept); the BLOCK_END tags and the final NOP are gone"),
            "cut_at": cut, "last_buffer_offset": last["offset"], "last_buffer_size": last["size"]}),
        ("broken_raw.fif", {
            "source": "meg_raw.fif",
            "change": (f"the int32 `next` field (bytes {victim['offset'] + 12}..{victim['offset'] + 15}, i.e. "
                       f"tag offset + 12) of FIFF_DATA_BUFFER #{BROKEN_BUFFER_INDEX} (0-based; tag at "
                       f"{victim['offset']}, size {victim['size']}) changed from 0 (FIFFV_NEXT_SEQ) to "
                       f"{new_next} = file size {len(good)} + {BROKEN_PAST_EOF}: the chain jumps past the end "
                       "of the file; everything else (same size) is unchanged"),
            "tag_offset": victim["offset"], "field_offset": victim["offset"] + 12, "old_next": victim["next"],
            "new_next": new_next, "file_size": len(good)}),
    ):
        back, msgs, err = mne_read(OUT / name)
        entry = dict(change)
        if back is None:
            entry.update({"mne": "error", "error": err, "warnings": msgs})
        else:
            s = mne_summary(back)
            entry.update({"mne": "reads", "warnings": msgs,
                          "n_times": s["n_times"], "first_samp": s["first_samp"], "sums": s["sums"],
                          "first5": s["first5"], "events": s["events"]})
            got = back.get_data()
            n = min(got.shape[1], written.shape[1])
            entry["zero_samples_at_end"] = int(np.sum(np.all(got == 0, axis=0)[::-1].cumprod()))
            entry["max_abs_dev_written_first_n"] = floats(np.abs(got[:, :n] - written[:, :n]).max(axis=1))
        damaged[name] = entry

    write_json(OUT / "expected.json", {
        "description": (
            "What MNE reads back (mne.io.read_raw_fif(path, preload=True)) from the FIF fixtures. Per good file: "
            "ch_names, ch_types (raw.get_channel_types()), sfreq, first_samp, last_samp, n_times, orig_format, "
            "first5 (raw.get_data()[:, :5], SI units: T, T/m, V; stim as stored), sums (per channel over all "
            "samples), per-channel cal, range, coil_type, kind, unit, unit_mul, coord_frame, loc (12 floats; "
            "null = NaN), events = mne.find_events(raw, stim_channel='STI014', shortest_event=1) as [sample, "
            "previous value, value] with sample counted from the start of the acquisition (includes "
            "first_samp), event_onsets_s = (sample - first_samp) / sfreq. MNE's decoding: value = "
            "float64(sample) * (float64(range) * float64(cal)), range and cal the float32 fields of each "
            "FIFF_CH_INFO; data buffers are sample-major (nchan values of sample 0, then sample 1, ...); "
            "'max_abs_dev_recipe' is the largest difference between that recipe applied here to the raw buffer "
            "bytes and MNE's data (0.0 = bit for bit); 'max_abs_dev_written' per channel between the array that "
            "was saved and what MNE reads (float32 rounding for 'single', truncation toward zero to a multiple "
            "of range*cal for 'int'/'short'). 'layout' is the tag chain (offset, kind, type, size, next; "
            "block kind for BLOCK_START/END, decoded value of small tags), 'data_buffers' the FIFF_DATA_BUFFER "
            "tags. annot_raw.fif also has 'annotations' ([onset in s from the first sample = raw.annotations.onset - "
            "first_samp / sfreq, duration in s, description] as MNE reads them back), 'annotations_mne_onset' "
            "(raw.annotations.onset itself: seconds since sample 0 of the acquisition, since meas_date and "
            "orig_time are None), 'annotations_orig_time', 'annotations_note' and 'annotations_block' (the "
            "FIFFB_MNE_ANNOTATIONS block's tags with MNE constant names, decoded values and data bytes in hex). "
            "'damaged': how truncated_raw.fif and broken_raw.fif were made from meg_raw.fif and what MNE "
            "does with them."),
        "generator": GENERATOR,
        "written": {
            "ch_names": CH_NAMES, "ch_types": CH_TYPES, "sfreq": SFREQ, "n_times": N_TIMES, "first_samp": FIRST_SAMP,
            "cal_range": {k: list(v) for k, v in CAL_RANGE.items()},
            "loc": {**MEG_LOC, **EEG_LOC},
            "stim_pulses": [[s, v, PULSE_LEN] for s, v in PULSES],
            "first5": floats(written[:, :5]), "sums": floats(written.sum(axis=1)),
            "machid": ints(MACHID),
        },
        "fmts": fmt_results,
        "files": files,
        "damaged": damaged,
    })

    text = dump(good, "meg_raw.fif")
    print(text)
    annot_text = annotation_dump(files[ANNOT_FILE])
    print(annot_text)
    for name in ("meg_raw_int.fif", "meg_raw_short.fif"):
        if name in files:
            b = files[name]["data_buffers"]
            print(f"{name}: {files[name]['file_size']} bytes; DATA_BUFFER tags: " +
                  ", ".join(f"at {x['offset']} type {x['type']} size {x['size']}" for x in b))
    for name, d in damaged.items():
        print(f"{name}: {d['change']}\n  MNE: {d['mne']}" + (f" ({d['error']})" if d["mne"] == "error" else
              f", n_times {d['n_times']}") + (f"; warnings: {d['warnings']}" if d["warnings"] else ""))
    print(f"fmts: {fmt_results}")
    write_readme(files, damaged, fmt_results, text, annot_text)
    n = sum(1 for p in OUT.iterdir() if p.is_file())
    total = sum(p.stat().st_size for p in OUT.iterdir() if p.is_file())
    print(f"wrote {n} files, {total} bytes under {rel(OUT)}")


def annotation_dump(entry: dict) -> str:
    """The annotations block of annot_raw.fif, tag by tag (kind, MNE constant, type, size, decoded value)."""
    lines = [f"{ANNOT_FILE}: {entry['file_size']} bytes; annotations block (FIFFB_MNE_ANNOTATIONS = "
             f"{FIFFB_MNE_ANNOTATIONS}) between MEAS_INFO and RAW_DATA, inside MEAS",
             f"{'offset':>7} {'kind':>5} {'type':>5} {'size':>5} {'next':>5}  constant: value (data bytes)"]
    for e in entry["annotations_block"]:
        head = f"{e['offset']:>7} {e['kind']:>5} {e['type']:>5} {e['size']:>5} {e['next']:>5}  "
        if "block" in e:
            lines.append(head + f"{e['constant']} {e['block']} ({e['block_constant']})")
        else:
            v = e.get("value")
            lines.append(head + f"{e['constant']} ({TYPE_NAMES.get(e['type'], e['type'])}): {v!r} ({e['bytes']})")
    lines.append(f"MNE reads: onset {entry['annotations_mne_onset']} (raw.annotations.onset, orig_time "
                 f"{entry['annotations_orig_time']}), i.e. from the first sample: " +
                 ", ".join(f"{o:g} s + {d:g} s {x!r}" for o, d, x in entry["annotations"]))
    return "\n".join(lines)


def write_readme(files: dict, damaged: dict, fmt_results: dict, text: str, annot_text: str) -> None:
    rows = []
    for name, f in files.items():
        types = sorted({b["type"] for b in f["data_buffers"]})
        extra = ""
        if "annotations" in f:
            extra = ("; meg_raw.fif's recording with annotations (onset from the first sample, duration, "
                     "description): " + ", ".join(f"{o:g} s, {d:g} s, {x!r}" for o, d, x in f["annotations"]) +
                     " (FIFFB_MNE_ANNOTATIONS block, below)")
        rows.append(f"| `{name}` | raw.save(fmt={f['fmt']!r}): {len(f['data_buffers'])} FIFF_DATA_BUFFER tags of "
                    f"type {', '.join(f'{t} ({TYPE_NAMES[t]})' for t in types)}, {f['file_size']} bytes{extra} |")
    for name, d in damaged.items():
        what = (f"MNE: {d['error']}" if d["mne"] == "error" else
                f"MNE reads it: n_times {d['n_times']}" + (f", warns: {'; '.join(d['warnings'])}" if d["warnings"]
                                                            else ", no warning"))
        rows.append(f"| `{name}` | {d['change']}. {what} |")
    readme = f"""# FIF fixtures

Cross-check fixtures for the FIF (Neuromag/MNE raw) reader, written by `{SCRIPT}` with the pinned
venv (MNE {mne.__version__}); deterministic (fixed seed, no clock, MNE's machine id replaced by a constant):

    .venv/bin/python {SCRIPT}

The recording: 7 channels ({', '.join(f'{n} {t}' for n, t in zip(CH_NAMES, CH_TYPES))}), {N_TIMES} samples
at {SFREQ:g} Hz, first_samp {FIRST_SAMP}; STI014 holds 10-sample pulses of 1, 2, 5, 1 at indices 400,
1200, 2100, 2500. Every channel has an explicit cal/range (value = sample * range * cal) and the
MEG/EEG channels an explicit loc. MNE's fmt support: {', '.join(f'{k}: {v}' for k, v in fmt_results.items())}.

| file | what |
| --- | --- |
{chr(10).join(rows)}

`expected.json` holds what MNE reads back from each file (channels, cal, range, coil_type, kind, unit,
loc, first 5 samples and sums in SI units, events and onsets), the full tag layout of the good files and
the damaged files' changes and MNE's behaviour; its `description` gives the decoding recipe.

## Tag layout of meg_raw.fif

```
{text}
```

## Annotations block of annot_raw.fif

`{ANNOT_FILE}` is `meg_raw.fif` plus this block (everything after it moves by its size). The recording
has no meas_date and the annotations were set with orig_time None, so MNE takes their onsets relative to
the first sample and keeps them (in `raw.annotations.onset` and in the file) as seconds since sample 0
of the acquisition: first_samp / sfreq + onset. Reading, MNE subtracts first_samp / sfreq and adds it
back in set_annotations. Ends, not durations, are stored; descriptions are one string joined by `:`.

| kind | MNE constant | content |
| ---: | --- | --- |
{chr(10).join(f"| {k} | `{c}` | {m} |" for k, (c, m) in ANNOTATION_TAGS.items())}

```
{annot_text}
```
"""
    (OUT / "README.md").write_text(readme, encoding="utf-8")


if __name__ == "__main__":
    main()
