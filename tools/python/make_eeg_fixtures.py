#!/usr/bin/env python3
"""Writes the EEG cross-check fixtures of neurotool: Tests/Fixtures/eeg/.

Four groups, all deterministic (fixed seed, fixed dates, no clock):

(a) Reader references for the real MNE sample files in Datasets/eeg/ (test.edf, test.bdf, test.vhdr):
    `mne_<name>.json` (MNE's reading, volts) and `pyedflib_<name>.json` (pyedflib's header and samples).
(b) Round-trip files written by the peers' own writers (pyedflib, pybv, MNE's exporters) or by the small,
    spec-following writers below (EDF+D, VECTORIZED BrainVision, INT_32/ANSI BrainVision), each with a
    `<file>.expected.json` holding what was written and how MNE reads it back.
(c) Damaged files under bad/, described in bad/README.md with what MNE does with each.
(d) DSP references (dsp_*.json): scipy.signal.resample_poly / resample, mne.filter.resample, MNE's FIR
    filter design, filter_data, notch_filter and scipy.signal.welch on a synthetic signal.

Run from the repository root:

    .venv/bin/python tools/python/make_eeg_fixtures.py

Floats are written with Python's repr (json.dump of Python floats): they parse back to the same
doubles. Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import datetime as dt
import sys
import platform
import shutil
import warnings
from pathlib import Path

import edfio
import mne
import numpy as np
import pybv
import pyedflib
import scipy
import scipy.signal

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
DATA = ROOT / "Datasets" / "eeg"
OUT = ROOT / "Tests" / "Fixtures" / "eeg"
RT = OUT / "roundtrip"
BAD = OUT / "bad"
SCRIPT = "tools/python/make_eeg_fixtures.py"
SEED = 20251123
START = dt.datetime(2020, 1, 2, 10, 30, 0)  # every written file's start time (no clock)

GENERATOR = {
    "script": SCRIPT,
    "python": platform.python_version(),
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "mne": mne.__version__,
    "pyedflib": pyedflib.__version__,
    "pybv": pybv.__version__,
    "edfio": edfio.__version__,
    "seed": SEED,
}

MNE_NAMING = (
    "MNE naming (read_raw_edf/read_raw_bdf, infer_types=False, the default): the channel name is the 16-byte "
    "EDF label decoded as Latin-1 with surrounding spaces stripped (bytes.strip()), nothing else: no prefix "
    "is removed ('EEG Fz' stays 'EEG Fz') and every channel gets type 'eeg', unit V. Only with "
    "infer_types=True does MNE split the label at the first space and, when the first word (upper-cased) is "
    "one of EEG, SEEG, ECOG, DBS, EOG, ECG, EMG, BIO, RESP, TEMP, MISC, SAO2, STIM, use it as the type and "
    "the rest as the name. The 'EDF Annotations'/'BDF Annotations' signal is not a channel (its TALs become "
    "raw.annotations). Duplicate names get '-0', '-1', ... suffixes. A channel named 'Status' or 'Trigger' "
    "(case-insensitive; stim_channel='auto') becomes type 'stim' with unit 'NA': for BDF its raw 24-bit "
    "digital value is used (cal 1, offset 0); for EDF the physical value (no uV scaling) is used; in both "
    "cases it is then truncated to int and masked with 2**17-1 (the low 17 bits: BioSemi's 16 trigger bits "
    "plus bit 16). Scaling of the other channels: value_V = (digital * cal + offset) * gain with "
    "cal = (physical_max - physical_min) / (digital_max - digital_min), offset = physical_min - digital_min "
    "* cal, gain = 1e-6 for the units 'uV', 'µV' (U+00B5), 'μV' (U+03BC), 1e-3 for 'mV', 1 for anything "
    "else. sfreq = max samples-per-record over the non-stim channels / record duration; channels with fewer "
    "samples per record are upsampled to sfreq by mne.filter.resample(x, up, down, npad=0) (FFT) on "
    "preload."
)


# ----------------------------------------------------------------------------- helpers

from fixture_json import floats, ints, scrub, write_json  # noqa: E402  (shared with the other fixture scripts)



def rel(p: Path) -> str:
    return str(p.relative_to(ROOT))


def mne_read(path: Path, **kwargs):
    """MNE's reader for the file's extension with default arguments (+ infer_types=False for EDF/BDF).

    Returns (raw or None, warnings, error)."""
    ext = path.suffix.lower()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if ext == ".edf":
                raw = mne.io.read_raw_edf(path, preload=True, infer_types=False, verbose="warning", **kwargs)
            elif ext == ".bdf":
                raw = mne.io.read_raw_bdf(path, preload=True, infer_types=False, verbose="warning", **kwargs)
            elif ext == ".vhdr":
                raw = mne.io.read_raw_brainvision(path, preload=True, verbose="warning", **kwargs)
            else:
                raise ValueError(f"no MNE reader for {ext}")
            error = None
        except Exception as e:  # noqa: BLE001 - we record what MNE does
            raw, error = None, scrub(f"{type(e).__name__}: {e}")
    msgs = [scrub(str(w.message)) for w in caught if not issubclass(w.category, (DeprecationWarning,))]
    return raw, msgs, error


def unit_name(fiff_unit) -> str:
    from mne._fiff.meas_info import _unit2human
    return _unit2human.get(int(fiff_unit), str(int(fiff_unit)))


def mne_summary(raw, full=(), n_first=8, all_full=False, events=False) -> dict:
    data = raw.get_data()
    out = {
        "sfreq": float(raw.info["sfreq"]),
        "n_times": int(raw.n_times),
        "ch_names": list(raw.ch_names),
        "ch_types": list(raw.get_channel_types()),
        "units": [unit_name(ch["unit"]) for ch in raw.info["chs"]],
        "orig_units": [raw._orig_units.get(n) if raw._orig_units else None for n in raw.ch_names],
        "scale": [float(ch["range"] * ch["cal"]) for ch in raw.info["chs"]],
        "first_samples": floats(data[:, :n_first]),
        "sums": floats(data.sum(axis=1)),
        "annotations": [[float(o), float(d), str(s)] for o, d, s in
                        zip(raw.annotations.onset, raw.annotations.duration, raw.annotations.description)],
        "meas_date": raw.info["meas_date"].isoformat() if raw.info["meas_date"] else None,
    }
    if all_full:
        out["data"] = floats(data)
    else:
        out["channels_full"] = {n: floats(data[raw.ch_names.index(n)]) for n in full}
    if events:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ev = mne.find_events(raw, stim_channel="Status", shortest_event=1, verbose="error")
        out["events"] = ints(ev)
    return out


def mne_entry(path: Path, **summary_kwargs) -> dict:
    raw, msgs, err = mne_read(path)
    if raw is None:
        return {"error": err, "warnings": msgs}
    d = mne_summary(raw, **summary_kwargs)
    d["warnings"] = msgs
    return d


def pyedflib_reading(path: Path, n_first=8) -> dict:
    f = pyedflib.EdfReader(str(path))
    try:
        sigs = []
        for i in range(f.signals_in_file):
            h = f.getSignalHeader(i)
            phys = f.readSignal(i, digital=False)
            dig = f.readSignal(i, digital=True)
            sigs.append({
                "label": h["label"], "dimension": h["dimension"], "sample_frequency": float(h["sample_frequency"]),
                "physical_min": float(h["physical_min"]), "physical_max": float(h["physical_max"]),
                "digital_min": int(h["digital_min"]), "digital_max": int(h["digital_max"]),
                "prefilter": h["prefilter"], "transducer": h["transducer"],
                "samples_per_record": int(f.samples_in_datarecord(i)),
                "n_samples": int(f.getNSamples()[i]),
                "first_physical": floats(phys[:n_first]), "sum_physical": float(phys.sum()),
                "first_digital": ints(dig[:n_first]),
            })
        on, du, tx = f.readAnnotations()
        return {
            "filetype": int(f.filetype),
            "signals_in_file": int(f.signals_in_file),
            "datarecords_in_file": int(f.datarecords_in_file),
            "datarecord_duration": float(f.datarecord_duration),
            "file_duration": float(f.file_duration),
            "startdatetime": f.getStartdatetime().isoformat(),
            "signals": sigs,
            "annotations": [[float(o), float(d), str(t)] for o, d, t in zip(on, du, tx)],
        }
    finally:
        f.close()


def edf_physical(dig, pmin, pmax, dmin, dmax):
    """EDF decoding as MNE does it (before unit gain): dig * cal + offset."""
    cal = (pmax - pmin) / (dmax - dmin)
    return np.asarray(dig, np.float64) * cal + (pmin - dmin * cal)


# ----------------------------------------------------------------------------- synthetic signals

def pink(rng, n):
    """1/f ('pink') noise with unit standard deviation, by spectral shaping of white noise."""
    w = rng.standard_normal(n)
    spec = np.fft.rfft(w)
    f = np.fft.rfftfreq(n)
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0
    x = np.fft.irfft(spec, n)
    return x / x.std()


def eeg_like(rng, n, fs, amp=20.0, alpha=10.0, line=5.0, decimals=1):
    t = np.arange(n) / fs
    x = amp * pink(rng, n) + alpha * np.sin(2 * np.pi * 10 * t + rng.uniform(0, 2 * np.pi))
    x += line * np.sin(2 * np.pi * 50 * t + rng.uniform(0, 2 * np.pi))
    return np.round(x, decimals)


# ----------------------------------------------------------------------------- (a) real files

def part_a() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    src = Path("/work/shared/data/eeg")
    for name in ("test.edf", "test.bdf", "test.vhdr", "test.vmrk", "test.eeg", "MNE-LICENSE.txt"):
        if not (DATA / name).exists() and (src / name).exists():
            shutil.copyfile(src / name, DATA / name)

    real = {
        "test.edf": dict(full=("A1", "Ergo-Left", "Status"), events=True),
        "test.bdf": dict(full=("Fp1", "EXG1", "Status"), events=True),
        "test.vhdr": dict(full=("FP1", "CP6", "ReRef"), events=False),
    }
    for name, opts in real.items():
        path = DATA / name
        raw, msgs, err = mne_read(path)
        assert raw is not None, err
        stem = name.replace(".", "_")
        reader = {"test.edf": "mne.io.read_raw_edf(path, preload=True, infer_types=False)",
                  "test.bdf": "mne.io.read_raw_bdf(path, preload=True, infer_types=False)",
                  "test.vhdr": "mne.io.read_raw_brainvision(path, preload=True)"}[name]
        if name == "test.vhdr":
            desc = (
                "MNE's reading of the BrainVision sample file (32 ch, INT_16 multiplexed, 1000 Hz). Values in "
                "volts (MNE scaling): value = int16 * (resolution * unit_scale), the product "
                "resolution*unit_scale computed first (raw._cals = range * cal). unit_scale: V 1, mV 1e-3, "
                "µV/uV 1e-6, nV 1e-9, µS/uS 1e-6, and 1 for C, °C, n/a, ARU, S, N and any unknown unit. An empty "
                "or missing unit field means µV. Channels whose unit is not one of V, mV, µV, uV, nV become type "
                "'misc' with unit 'NA' (or 'C' for unit 'C'); here CP5 'BS' (unknown: scale 1), CP6 'µS', "
                "HL 'ARU', HR 'uS', Vb 'S', ReRef 'C'. Names are kept as written (no case change: 'FP1'). "
                "Markers: the first 'New Segment' marker is dropped (it only gives meas_date); every other "
                "marker becomes an annotation 'Type/Description', onset = (position - 1) / sfreq (positions are "
                "1-based), duration = size / sfreq (size 0 stays 0). 'scale' is MNE's per-channel factor, "
                "'orig_units' the unit string from the header.")
        else:
            desc = (f"MNE's reading of {name} with {reader}; values in volts (stim channel: masked integer "
                    f"codes). 'scale' is MNE's info cal*range (always 1 here: the scaling happens in the "
                    f"reader). {MNE_NAMING}")
            if name == "test.edf":
                desc += (" In test.edf every signal has physical 0..100 'uV' and digital 0..100, so values are "
                         "digital * 1e-6 V; the 'Status' channel (also 0..100 uV) is read as its physical value "
                         "without the 1e-6 gain, & 0x1FFFF. Annotations come from the TALs of 'EDF Annotations' "
                         "(onset relative to the first record's time-keeping TAL; no duration -> 0.0). 'events' is "
                         "mne.find_events(raw, stim_channel='Status', shortest_event=1) as [sample, previous "
                         "value, new value].")
            else:
                desc += (" In test.bdf the EEG signals have physical -262144..262143 uV over digital "
                         "-8388608..8388607 (cal = 524287/16777215 uV per bit), 'Status' is 'Boolean' with a "
                         "physical range equal to the digital one; MNE reads it as digital & 0x1FFFF. 'events' "
                         "is mne.find_events(raw, stim_channel='Status', shortest_event=1) as "
                         "[sample, previous value, new value].")
        out = {"description": desc, "generator": GENERATOR, "file": rel(path), "reader": reader}
        out.update(mne_summary(raw, **opts))
        out["warnings"] = msgs
        write_json(OUT / f"mne_{stem}.json", out)

    # pyedflib
    for name in ("test.edf", "test.bdf"):
        path = DATA / name
        stem = name.replace(".", "_")
        out = {"file": rel(path), "generator": GENERATOR}
        try:
            out.update(pyedflib_reading(path))
            out["opened"] = True
            desc = (f"pyedflib {pyedflib.__version__} reading of {name}: pyedflib.EdfReader; per signal the header "
                    "fields, readSignal(i, digital=False) first 8 samples and sum (physical units of the "
                    "header, here uV: no unit conversion), readSignal(i, digital=True) first 8 samples. "
                    "pyedflib (edflib) hides the 'EDF Annotations' signal: signal indices count only data signals "
                    "(139 of the 140 in the header). readAnnotations() gives [onset s, duration s (-1 = none), text]. "
                    "edflib decodes physical = bitvalue * (offset + digital) with bitvalue = (pmax-pmin)/(dmax-dmin), "
                    "offset = pmax/bitvalue - dmax; the 'Status' signal is decoded like any other "
                    "(pyedflib knows no stim channel).")
        except OSError as e:
            out["opened"] = False
            out["error"] = scrub(str(e))
            # read a copy whose only change is the number-of-records field, left-aligned
            blob = bytearray(path.read_bytes())
            field = bytes(blob[236:244])
            fixed = field.strip().ljust(8)
            blob[236:244] = fixed
            tmp = OUT / "_tmp_patched.bdf"
            tmp.write_bytes(bytes(blob))
            try:
                out["patched_copy"] = {"change": f"header bytes 236..243 (number of data records) "
                                                 f"{field.decode('ascii')!r} -> {fixed.decode('ascii')!r}"}
                out["patched_copy"].update(pyedflib_reading(tmp))
            finally:
                tmp.unlink()
            desc = (f"pyedflib {pyedflib.__version__} refuses {name} as it is: '{scrub(str(e))}'. The BioSemi header writes the "
                    "number of data records right-aligned ('  1     ', leading spaces), which edflib rejects "
                    "(EDF requires left-aligned ASCII numbers); MNE accepts it (int() of the stripped field). "
                    "'patched_copy' is pyedflib's reading of a copy with only that field left-aligned: per "
                    "signal the header fields, readSignal(i) (physical, header units uV; 'Status' decoded like "
                    "any signal, i.e. its 24-bit value unmasked) first 8 samples and sum, readSignal(i, "
                    "digital=True) first 8 samples, and readAnnotations().")
        out = {"description": desc, **out}
        write_json(OUT / f"pyedflib_{stem}.json", out)


# ----------------------------------------------------------------------------- (b) round trips

def edf_signal_block(f: pyedflib.EdfReader, written: list[np.ndarray], headers: list[dict]) -> list[dict]:
    sigs = []
    for i, h in enumerate(headers):
        dig = f.readSignal(i, digital=True)
        phys = f.readSignal(i, digital=False)
        w = written[i]
        sigs.append({
            "label": h["label"], "dimension": h["dimension"], "sample_frequency": float(h["sample_frequency"]),
            "samples_per_record": int(f.samples_in_datarecord(i)),
            "physical_min": float(h["physical_min"]), "physical_max": float(h["physical_max"]),
            "digital_min": int(h["digital_min"]), "digital_max": int(h["digital_max"]),
            "prefilter": h["prefilter"], "transducer": h["transducer"],
            "physical_written": floats(w),
            "digital": ints(dig),
            "max_abs_quantisation_error": float(np.abs(edf_physical(dig, h["physical_min"], h["physical_max"],
                                                                   h["digital_min"], h["digital_max"]) - w).max()),
            "pyedflib_physical_equals_mne_formula": bool(np.array_equal(
                phys, edf_physical(dig, h["physical_min"], h["physical_max"], h["digital_min"], h["digital_max"]))),
        })
    return sigs


def write_pyedflib(path: Path, headers, data, file_type, annotations=(), record_duration=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = pyedflib.EdfWriter(str(path), len(headers), file_type=file_type)
        w.setSignalHeaders(headers)
        w.setStartdatetime(START)
        if record_duration is not None:
            w.setDatarecordDuration(record_duration)
        w.writeSamples([np.asarray(x, np.float64) for x in data])
        for onset, duration, text in annotations:
            w.writeAnnotation(onset, -1 if duration is None else duration, text)
        w.close()


def edf_header(label, fs, pmin, pmax, dmin, dmax, dim="uV", prefilter="", transducer=""):
    return {"label": label, "dimension": dim, "sample_frequency": fs, "physical_min": pmin,
            "physical_max": pmax, "digital_min": dmin, "digital_max": dmax, "prefilter": prefilter,
            "transducer": transducer}


def roundtrip_pyedflib(rng, name, headers, seconds, file_type, annotations=(), record_duration=None,
                       mne_full=(), extra_desc=""):
    path = RT / name
    data = []
    for h in headers:
        n = int(round(h["sample_frequency"] * seconds))
        span = min(h["physical_max"], -h["physical_min"])
        x = eeg_like(rng, n, h["sample_frequency"], amp=span / 8, alpha=span / 10, line=span / 40)
        data.append(np.clip(x, h["physical_min"], h["physical_max"]))
    write_pyedflib(path, headers, data, file_type, annotations, record_duration)
    f = pyedflib.EdfReader(str(path))
    try:
        sigs = edf_signal_block(f, data, headers)
        n_records = int(f.datarecords_in_file)
        rec_dur = float(f.datarecord_duration)
        on, du, tx = f.readAnnotations()
        py_ann = [[float(o), float(d), str(t)] for o, d, t in zip(on, du, tx)]
    finally:
        f.close()
    ftype = {pyedflib.FILETYPE_EDFPLUS: "EDF+C", pyedflib.FILETYPE_BDFPLUS: "BDF+C",
             pyedflib.FILETYPE_EDF: "EDF", pyedflib.FILETYPE_BDF: "BDF"}[file_type]
    out = {
        "description": (
            f"{name}: written by pyedflib {pyedflib.__version__} EdfWriter ({ftype}) with writeSamples (physical "
            f"values) and writeAnnotation; start {START.isoformat()}. Per signal: 'physical_written' = the array "
            "passed to the writer (header units), 'digital' = the integers the file holds (read back with "
            "readSignal(i, digital=True)): compare digital exactly, physical with tolerance cal/2 "
            "('max_abs_quantisation_error' = max |decode(digital) - physical_written|, decode = dig*cal + "
            "(pmin - dmin*cal)). 'annotations' = what was written [onset s, duration s or null, text]; "
            "'pyedflib_annotations' = readAnnotations() (duration -1 = none). 'mne' = MNE's reading "
            "(read_raw_edf/bdf(preload=True, infer_types=False), volts). " + extra_desc),
        "generator": GENERATOR,
        "file": name,
        "file_type": ftype,
        "start": START.isoformat(),
        "n_records": n_records,
        "record_duration": rec_dur,
        "signals": sigs,
        "annotations": [[float(o), None if d is None else float(d), t] for o, d, t in annotations],
        "pyedflib_annotations": py_ann,
        "mne": mne_entry(path, full=mne_full),
    }
    return path, out


def edf_num(x) -> str:
    """EDF header number: shortest decimal text, at most 8 characters."""
    if float(x).is_integer():
        s = str(int(x))
    else:
        s = repr(float(x))
    assert len(s) <= 8, s
    return s


def tal_time(x: float) -> str:
    s = f"{x:+.4f}".rstrip("0").rstrip(".")
    return s


def write_edf_plus_d(path: Path, signals: list[dict], record_onsets, record_duration, annotations,
                     tal_bytes=120) -> list[list[int]]:
    """A small EDF+D writer following the EDF+ specification (edfplus.info/specs/edfplus.html).

    signals: dicts with label, dimension, pmin, pmax, dmin, dmax, spr (samples per record), digital (int array
    of n_records*spr). Each data record holds the signals' samples (int16 little-endian) and then the
    'EDF Annotations' signal: first the time-keeping TAL '+<record onset>\\x14\\x14\\x00', then the
    annotations whose onset falls in that record's span '+<onset>[\\x15<duration>]\\x14<text>\\x14\\x00', padded
    with NUL to tal_bytes. The reserved field of the header says 'EDF+D'."""
    ns = len(signals) + 1
    n_rec = len(record_onsets)

    def field(text, width):
        b = text.encode("ascii")
        assert len(b) <= width, text
        return b.ljust(width, b" ")

    hdr = b"".join([
        field("0", 8), field("X X X X", 80), field(f"Startdate {START.strftime('%d-%b-%Y').upper()} X X X", 80),
        field(f"{START:%d.%m.%y}", 8), field(f"{START:%H.%M.%S}", 8), field(str(256 * (ns + 1)), 8),
        field("EDF+D", 44), field(str(n_rec), 8), field(edf_num(record_duration), 8), field(str(ns), 4),
    ])
    labels = [s["label"] for s in signals] + ["EDF Annotations"]
    hdr += b"".join(field(x, 16) for x in labels)
    hdr += b"".join(field(s.get("transducer", ""), 80) for s in signals) + field("", 80)
    hdr += b"".join(field(s["dimension"], 8) for s in signals) + field("", 8)
    hdr += b"".join(field(edf_num(s["pmin"]), 8) for s in signals) + field("-1", 8)
    hdr += b"".join(field(edf_num(s["pmax"]), 8) for s in signals) + field("1", 8)
    hdr += b"".join(field(str(s["dmin"]), 8) for s in signals) + field("-32768", 8)
    hdr += b"".join(field(str(s["dmax"]), 8) for s in signals) + field("32767", 8)
    hdr += b"".join(field(s.get("prefilter", ""), 80) for s in signals) + field("", 80)
    hdr += b"".join(field(str(s["spr"]), 8) for s in signals) + field(str(tal_bytes // 2), 8)
    hdr += b"".join(field("", 32) for _ in range(ns))
    assert len(hdr) == 256 * (ns + 1)

    body = bytearray()
    for r, onset in enumerate(record_onsets):
        for s in signals:
            chunk = np.asarray(s["digital"][r * s["spr"]:(r + 1) * s["spr"]], dtype="<i2")
            body += chunk.tobytes()
        tal = f"{tal_time(onset)}\x14\x14\x00".encode("utf-8")
        for a_on, a_dur, text in annotations:
            if onset <= a_on < onset + record_duration:
                dur = "" if a_dur is None else "\x15" + tal_time(a_dur).lstrip("+")
                tal += f"{tal_time(a_on)}{dur}\x14{text}\x14\x00".encode("utf-8")
        assert len(tal) <= tal_bytes, tal
        body += tal.ljust(tal_bytes, b"\x00")
    path.write_bytes(hdr + bytes(body))
    return hdr


def write_brainvision(base: Path, *, names, resolutions, units, data_stored, sfreq, orientation, binary_format,
                      markers, codepage="UTF-8", encoding="utf-8", data_points=True, comment=""):
    """A small BrainVision Core Data Format 1.0 writer (Brain Products' spec): .vhdr (INI-like header),
    .vmrk (markers, 1-based positions) and .eeg (little-endian binary, MULTIPLEXED = sample-major or
    VECTORIZED = channel-major). data_stored: (n_channels, n_times) values as stored (the writer casts to the
    binary format); value in 'unit' = stored * resolution."""
    dtype = {"IEEE_FLOAT_32": "<f4", "INT_16": "<i2", "INT_32": "<i4"}[binary_format]
    arr = np.asarray(data_stored).astype(dtype)
    n_ch, n_t = arr.shape
    raw = arr.T.tobytes() if orientation == "MULTIPLEXED" else arr.tobytes()
    stem = base.name
    interval = 1e6 / sfreq
    interval_s = edf_num(interval) if float(interval).is_integer() else repr(interval)
    lines = [
        "Brain Vision Data Exchange Header File Version 1.0",
        f"; Written by {SCRIPT} (neurotool test fixture). {comment}".rstrip(),
        "",
        "[Common Infos]",
        f"Codepage={codepage}",
        f"DataFile={stem}.eeg",
        f"MarkerFile={stem}.vmrk",
        "DataFormat=BINARY",
        f"; Data orientation: {orientation}",
        f"DataOrientation={orientation}",
        "DataType=TIMEDOMAIN",
        f"NumberOfChannels={n_ch}",
    ]
    if data_points:
        lines.append(f"DataPoints={n_t}")
    lines += [
        "; Sampling interval in microseconds",
        f"SamplingInterval={interval_s}",
        "",
        "[Binary Infos]",
        f"BinaryFormat={binary_format}",
        "",
        "[Channel Infos]",
        "; Each entry: Ch<Channel number>=<Name>,<Reference channel name>,<Resolution in \"Unit\">,<Unit>",
    ]
    for k, (nm, res, un) in enumerate(zip(names, resolutions, units)):
        lines.append(f"Ch{k + 1}={nm.replace(',', chr(92) + '1')},,{res!r},{un}")
    base.with_suffix(".vhdr").write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    mk = [
        "Brain Vision Data Exchange Marker File, Version 1.0",
        "",
        "[Common Infos]",
        f"Codepage={codepage}",
        f"DataFile={stem}.eeg",
        "",
        "[Marker Infos]",
        "; Each entry: Mk<Marker number>=<Type>,<Description>,<Position in data points>,",
        "; <Size in data points>, <Channel number (0 = marker is related to all channels)>",
    ]
    for k, (typ, desc, pos1, size, chan, *rest) in enumerate(markers):
        extra = f",{rest[0]}" if rest else ""
        mk.append(f"Mk{k + 1}={typ},{desc.replace(',', chr(92) + '1')},{pos1},{size},{chan}{extra}")
    base.with_suffix(".vmrk").write_bytes(("\r\n".join(mk) + "\r\n").encode(encoding))
    base.with_suffix(".eeg").write_bytes(raw)
    return arr


def stored_values(arr) -> list:
    """float32/int arrays as exact Python numbers."""
    a = np.asarray(arr)
    return ints(a) if a.dtype.kind in "iu" else floats(a.astype(np.float64))


def part_b(rng) -> None:
    RT.mkdir(parents=True, exist_ok=True)

    # --- pyedflib, mixed rates -----------------------------------------------------------------------------
    headers = [
        edf_header("EEG Fz", 256, -3276.8, 3276.7, -32768, 32767, prefilter="HP:0.1Hz LP:100Hz"),
        edf_header("EEG Cz", 256, -500.0, 500.0, -32768, 32767, prefilter="HP:0.1Hz LP:100Hz"),
        edf_header("EOG left", 128, -2000.0, 2000.0, -2048, 2047, transducer="AgAgCl electrode"),
        edf_header("EMG chin", 64, -100.0, 100.0, -32768, 32767),
    ]
    ann = [(1.5, None, "Stimulus A"), (3.25, 2.0, "Sleep stage W"), (7.0, 0.5, "Reiz ä")]
    path, out = roundtrip_pyedflib(
        rng, "pyedflib_mixed_rates.edf", headers, 10, pyedflib.FILETYPE_EDFPLUS, ann,
        mne_full=("EOG left", "EMG chin"),
        extra_desc=("Rates 256, 256, 128, 64 Hz, 10 records of 1 s; physical ranges differ per signal (EOG is "
                    "12-bit: digital -2048..2047). MNE reads all channels at 256 Hz: the 128 Hz and 64 Hz signals "
                    "are upsampled by mne.filter.resample(x, 256*10, n*10, npad=0) (FFT, boxcar window, "
                    "'reflect_limited' pad of 0) — 'mne.channels_full' holds those two upsampled channels. "
                    "The UTF-8 annotation 'Reiz ä' is written by edflib as UTF-8 bytes and MNE decodes TALs as "
                    "UTF-8. 'mne_infer_types' is read_raw_edf(..., infer_types=True): names/types after prefix "
                    "stripping."))
    raw, _, _ = mne_read(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r2 = mne.io.read_raw_edf(path, preload=False, infer_types=True, verbose="error")
    out["mne_infer_types"] = {"ch_names": r2.ch_names, "ch_types": r2.get_channel_types()}
    write_json(path.with_name(path.name + ".expected.json"), out)

    # --- pyedflib, half-second records ----------------------------------------------------------------------
    headers = [edf_header("Fp1", 200, -1000.0, 1000.0, -32768, 32767),
               edf_header("Fp2", 200, -1000.0, 1000.0, -32768, 32767)]
    path, out = roundtrip_pyedflib(
        rng, "pyedflib_halfsecond.edf", headers, 5, pyedflib.FILETYPE_EDFPLUS, [(2.25, 0.5, "half")],
        record_duration=0.5,
        extra_desc=("Record duration 0.5 s (setDatarecordDuration(0.5)): 10 records of 100 samples per signal; "
                    "the header's duration field is '0.5'. sfreq = 100 / 0.5 = 200 Hz."))
    write_json(path.with_name(path.name + ".expected.json"), out)

    # --- pyedflib, BDF+ 24-bit --------------------------------------------------------------------------------
    headers = [edf_header("Fp1", 512, -262144.0, 262143.0, -8388608, 8388607),
               edf_header("Oz", 512, -262144.0, 262143.0, -8388608, 8388607),
               edf_header("EXG1", 512, -50000.0, 50000.0, -8388608, 8388607)]
    path, out = roundtrip_pyedflib(
        rng, "pyedflib_24bit.bdf", headers, 4, pyedflib.FILETYPE_BDFPLUS, [(1.0, None, "trigger 1")],
        extra_desc=("BDF+C (24-bit little-endian two's complement samples, header version byte 0xFF + "
                    "'BIOSEMI', reserved field 'BDF+C', annotation signal 'BDF Annotations' with 3-byte "
                    "'samples' carrying the TAL bytes)."))
    write_json(path.with_name(path.name + ".expected.json"), out)

    # --- EDF+D, own writer ------------------------------------------------------------------------------------
    fs, spr = 100, 100
    onsets = [0.0, 1.0, 2.0, 5.0, 6.0, 9.5]
    sigs = []
    for label, pmin, pmax in (("C3", -500.0, 500.0), ("C4", -500.0, 500.0)):
        x = eeg_like(rng, spr * len(onsets), fs, amp=60, alpha=40, line=10)
        cal = (pmax - pmin) / 65535
        dig = np.clip(np.round((x - (pmin + 32768 * cal)) / cal), -32768, 32767).astype(np.int64)
        sigs.append({"label": label, "dimension": "uV", "pmin": pmin, "pmax": pmax, "dmin": -32768,
                     "dmax": 32767, "spr": spr, "digital": dig, "physical_written": x})
    d_ann = [(0.5, None, "start"), (5.25, 0.5, "after gap"), (9.75, None, "late ü")]
    path = RT / "edfplus_discontinuous.edf"
    write_edf_plus_d(path, sigs, onsets, 1.0, d_ann)
    mne_part = mne_entry(path, full=())
    try:
        py = pyedflib_reading(path)
        py = {"datarecords_in_file": py["datarecords_in_file"], "file_duration": py["file_duration"],
              "filetype": py["filetype"], "annotations": py["annotations"],
              "n_samples": [s["n_samples"] for s in py["signals"]]}
    except OSError as e:
        py = {"error": scrub(str(e))}
    out = {
        "description": (
            "edfplus_discontinuous.edf: EDF+D written by the small writer in make_eeg_fixtures.py "
            "(write_edf_plus_d; pyedflib/edflib writes only EDF+C/BDF+C). Reserved field 'EDF+D'; 6 records of "
            "1 s (100 samples per signal, int16) whose onsets, given by the time-keeping TAL at the start of "
            "each record's 'EDF Annotations' signal ('+<onset>\\x14\\x14\\x00'), are 'record_onsets' — gaps "
            "after 2 s (3..5 s missing) and after 6 s (7..9.5 s missing). The time of sample j of record r is "
            "record_onsets[r] + j/100. Annotations (in the TAL of the record whose span holds the onset): "
            "'annotations' [onset s from file start, duration or null, text]. 'digital' per signal is the "
            "file's int16 values (concatenated over records), 'physical_written' the values before "
            "quantisation. 'mne': MNE does not look at the reserved field: it reads the records back to back as "
            "if continuous (600 samples, 6 s; gaps ignored silently) and keeps annotation onsets on the "
            "file clock (it only subtracts the first record's onset), so after a gap they point at the wrong "
            "samples, and 'late ü' (9.75 s) lies outside its 6 s and is dropped with a warning. "
            "'pyedflib': edflib refuses EDF+D files ('The file is discontinuous and cannot be read'). A reader "
            "that supports EDF+D should place record r at record_onsets[r] (or refuse the file, naming it)."),
        "generator": GENERATOR,
        "file": path.name,
        "file_type": "EDF+D",
        "start": START.isoformat(),
        "n_records": len(onsets),
        "record_duration": 1.0,
        "record_onsets": onsets,
        "tal_bytes_per_record": 120,
        "signals": [{"label": s["label"], "dimension": s["dimension"], "samples_per_record": s["spr"],
                     "physical_min": s["pmin"], "physical_max": s["pmax"], "digital_min": s["dmin"],
                     "digital_max": s["dmax"], "physical_written": floats(s["physical_written"]),
                     "digital": ints(s["digital"])} for s in sigs],
        "annotations": [[o, d, t] for o, d, t in d_ann],
        "mne": mne_part,
        "pyedflib": py,
    }
    write_json(path.with_name(path.name + ".expected.json"), out)

    # --- pybv int16 ---------------------------------------------------------------------------------------------
    fs = 250
    names = ["Fz", "Cz", "Pz"]
    uv = np.stack([eeg_like(rng, fs * 4, fs, amp=30, alpha=20, line=5) for _ in names])
    volts = uv * 1e-6
    events = [
        {"onset": 100, "duration": 1, "description": 1, "type": "Stimulus"},
        {"onset": 250, "duration": 50, "description": 2, "type": "Response"},
        {"onset": 600, "duration": 125, "description": "eyes closed", "type": "Comment"},
        {"onset": 900, "description": 11},
    ]
    for name, fmt, unit, res, desc_extra in (
        ("pybv_int16", "binary_int16", "µV", 0.1,
         "fmt 'binary_int16', unit 'µV', resolution 0.1: stored int16 = round(data_V / 1e-6 / 0.1)."),
        ("pybv_float32", "binary_float32", ["µV", "mV", "V"], np.array([0.1, 0.001, 1e-6]),
         "fmt 'binary_float32', per-channel units ['µV', 'mV', 'V'] and resolutions [0.1, 0.001, 1e-6]: "
         "stored float32 = data_V / unit_scale / resolution."),
    ):
        for ext in (".vhdr", ".vmrk", ".eeg"):
            (RT / (name + ext)).unlink(missing_ok=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pybv: "unsupported voltage units: V, mV" (it scales them anyway)
            pybv.write_brainvision(data=volts, sfreq=fs, ch_names=names, fname_base=name, folder_out=RT,
                                   events=events, resolution=res, unit=unit, fmt=fmt, meas_date=START,
                                   overwrite=True)
        dtype = "<i2" if fmt == "binary_int16" else "<f4"
        stored = np.fromfile(RT / (name + ".eeg"), dtype=dtype).reshape(-1, len(names)).T
        out = {
            "description": (
                f"{name}.vhdr/.vmrk/.eeg written by pybv {pybv.__version__} write_brainvision (MULTIPLEXED), "
                f"{desc_extra} 'data_volts_written' = the array passed to pybv (volts), 'stored' = the values "
                "in the .eeg (channel-major here; the file is sample-major), 'resolution'/'unit' per channel "
                "as in the .vhdr. 'events' = what was passed to pybv (0-based onset and duration in samples; "
                "pybv writes 1-based positions, 'S  1'/'R  2'-style descriptions for Stimulus/Response ints, "
                "and a 'New Segment' marker with the measurement date first). 'mne' = "
                "read_raw_brainvision(preload=True), volts, all channels in 'data'."),
            "generator": GENERATOR,
            "file": name + ".vhdr",
            "sfreq": float(fs),
            "ch_names": names,
            "resolution": floats(np.broadcast_to(res, (len(names),))),
            "unit": list(np.broadcast_to(np.array(unit, dtype=object), (len(names),))),
            "data_volts_written": floats(volts),
            "stored": stored_values(stored),
            "events": events,
            "mne": mne_entry(RT / (name + ".vhdr"), all_full=True),
        }
        write_json(RT / (name + ".vhdr.expected.json"), out)

    # --- MNE export (BrainVision via pybv, EDF via edfio) ------------------------------------------------------
    fs = 200
    names = ["Fp1", "Fp2", "EOG"]
    uv = np.stack([eeg_like(rng, fs * 3, fs, amp=40, alpha=25, line=5) for _ in names])
    info = mne.create_info(names, fs, ["eeg", "eeg", "eog"])
    raw = mne.io.RawArray(uv * 1e-6, info, verbose="error")
    raw.set_meas_date(START.replace(tzinfo=dt.timezone.utc))
    raw.set_annotations(mne.Annotations([0.5, 1.25], [0.0, 0.5], ["Stimulus/S  1", "blink"]))
    for fname, fmt in (("mne_export.vhdr", "brainvision"), ("mne_export.edf", "edf")):
        path = RT / fname
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                mne.export.export_raw(path, raw, fmt=fmt, overwrite=True, verbose="warning")
                err = None
            except Exception as e:  # noqa: BLE001
                err = f"{type(e).__name__}: {e}"
        out = {
            "description": (
                f"{fname}: mne.export.export_raw(fname, raw, fmt='{fmt}') of a RawArray (3 channels Fp1, Fp2 "
                f"eeg and EOG eog, {fs} Hz, 3 s, meas_date {START.isoformat()}Z, annotations). "
                + ("BrainVision export goes through pybv: binary_float32, unit µV, resolution 0.1 "
                   "('vhdr_text' is the header written); annotations whose description is not "
                   "'Stimulus/S  n'/'Response/R  n' are written as Comment markers, so MNE reads 'blink' back "
                   "as 'Comment/blink'. " if fmt == "brainvision" else
                   "EDF export goes through edfio: 16-bit, physical range 'auto' (the data's min/max over "
                   "all channels of a type), record duration chosen by edfio; labels are the plain names "
                   "(no type prefix unless add_ch_type=True), so MNE reads every channel back as eeg. "
                   "'edf' = pyedflib's reading of the exported file: headers, first samples and the full "
                   "'digital' values of each signal (exact). ")
                + "'data_volts_written' = raw.get_data(); 'mne' = MNE reading the exported file back."),
            "generator": GENERATOR,
            "file": fname,
            "sfreq": float(fs),
            "ch_names": names,
            "annotations_written": [[0.5, 0.0, "Stimulus/S  1"], [1.25, 0.5, "blink"]],
            "data_volts_written": floats(raw.get_data()),
            "export_error": err,
            "export_warnings": [str(w.message) for w in caught],
        }
        if err is None:
            out["mne"] = mne_entry(path, all_full=True)
        if err is None and fmt == "edf":
            py = pyedflib_reading(path)
            f = pyedflib.EdfReader(str(path))
            try:
                for i, sg in enumerate(py["signals"]):
                    sg["digital"] = ints(f.readSignal(i, digital=True))
            finally:
                f.close()
            out["edf"] = {k: py[k] for k in ("datarecords_in_file", "datarecord_duration", "signals",
                                              "annotations")}
        elif err is None:
            out["vhdr_text"] = path.read_text(encoding="utf-8")
        write_json(RT / (fname + ".expected.json"), out)

    # --- BrainVision VECTORIZED float32, own writer ------------------------------------------------------------
    fs = 250
    names = ["Fp1", "Cz", "EOG", "Ref"]
    units = ["µV", "nV", "mV", "V"]
    resolutions = [0.1, 100.0, 0.001, 1e-6]
    unit_scale = {"µV": 1e-6, "nV": 1e-9, "mV": 1e-3, "V": 1.0}
    uvs = np.stack([eeg_like(rng, fs * 2, fs, amp=30, alpha=20, line=5, decimals=3) for _ in names])
    stored = np.stack([uvs[k] * 1e-6 / unit_scale[u] / r for k, (u, r) in enumerate(zip(units, resolutions))])
    markers = [("New Segment", "", 1, 1, 0, "20200102103000000000"), ("Stimulus", "S  1", 51, 1, 0),
               ("Comment", "a, b", 101, 25, 0), ("Response", "R 12", 401, 0, 0)]
    base = RT / "brainvision_vectorized"
    arr = write_brainvision(base, names=names, resolutions=resolutions, units=units, data_stored=stored,
                            sfreq=fs, orientation="VECTORIZED", binary_format="IEEE_FLOAT_32", markers=markers)
    mne_part = mne_entry(base.with_suffix(".vhdr"), all_full=True)
    expect_v = np.stack([arr[k].astype(np.float64) * (unit_scale[u] * r)
                         for k, (u, r) in enumerate(zip(units, resolutions))])
    out = {
        "description": (
            "brainvision_vectorized.vhdr/.vmrk/.eeg written by write_brainvision in make_eeg_fixtures.py "
            "(pybv writes MULTIPLEXED only), following the BrainVision Core Data Format 1.0: "
            "DataOrientation=VECTORIZED (all samples of channel 1, then channel 2, ...), "
            "BinaryFormat=IEEE_FLOAT_32 little-endian, DataPoints given, SamplingInterval=4000 µs (250 Hz), "
            "Codepage=UTF-8, CRLF lines, per-channel resolutions and units (µV 0.1, nV 100, mV 0.001, "
            "V 1e-6). 'stored' = the float32 values in the .eeg (exact, as doubles), channel-major; value in "
            "the channel's unit = stored * resolution; 'volts' = float64(stored) * (unit_scale * resolution) "
            "(MNE's order of operations). Markers as written: [type, description, 1-based position, size, "
            "channel(, date)]; the comma in 'a, b' is written '\\1'. 'mne_matches_volts' is true when MNE's "
            "reading equals 'volts' bit for bit."),
        "generator": GENERATOR,
        "file": base.name + ".vhdr",
        "sfreq": float(fs),
        "ch_names": names,
        "units": units,
        "resolutions": resolutions,
        "stored": stored_values(arr),
        "volts": floats(expect_v),
        "markers": [list(m) for m in markers],
        "mne": mne_part,
        "mne_matches_volts": bool("data" in mne_part and np.array_equal(np.array(mne_part["data"]), expect_v)),
    }
    write_json(base.with_suffix(".vhdr.expected.json"), out)

    # --- BrainVision INT_32, Codepage=ANSI, Latin-1 names and markers --------------------------------------------
    fs = 500
    names = ["Fz", "Réf", "Cz"]
    units = ["µV", "µV", "µV"]
    resolutions = [0.01, 0.01, 0.5]
    uvs = np.stack([eeg_like(rng, fs * 2, fs, amp=30, alpha=20, line=5, decimals=2) for _ in names])
    stored = np.stack([np.round(uvs[k] / resolutions[k]) for k in range(3)]).astype(np.int64)
    markers = [("New Segment", "", 1, 1, 0, "20200102103000000000"), ("Stimulus", "Größe", 101, 1, 0),
               ("Comment", "Müller à côté", 301, 10, 0), ("Stimulus", "S  2", 701, 1, 2)]
    base = RT / "brainvision_int32_latin1"
    arr = write_brainvision(base, names=names, resolutions=resolutions, units=units, data_stored=stored,
                            sfreq=fs, orientation="MULTIPLEXED", binary_format="INT_32", markers=markers,
                            codepage="ANSI", encoding="latin-1", data_points=False)
    mne_part = mne_entry(base.with_suffix(".vhdr"), all_full=True)
    # MNE 1.13 scans the .vmrk for the 'New Segment' date with open(path) in the locale's encoding (UTF-8
    # here), which fails on Latin-1 bytes; its own marker parser (_read_mrk) honours Codepage. So read the data
    # without the marker file, and the markers with mne.read_annotations.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw_nm = mne.io.read_raw_brainvision(base.with_suffix(".vhdr"), preload=True, verbose="error",
                                             overrides={"marker_fname": False})
        ann = mne.read_annotations(base.with_suffix(".vmrk"), sfreq=float(fs))
    raw_nm.set_annotations(ann)
    mne_workaround = mne_summary(raw_nm, all_full=True)
    mne_workaround["calls"] = ("mne.io.read_raw_brainvision(vhdr, preload=True, overrides={'marker_fname': "
                               "False}); mne.read_annotations(vmrk, sfreq=500.0)")
    expect_v = np.stack([arr[k].astype(np.float64) * (1e-6 * resolutions[k]) for k in range(3)])
    out = {
        "description": (
            "brainvision_int32_latin1.vhdr/.vmrk/.eeg written by write_brainvision in make_eeg_fixtures.py: "
            "BinaryFormat=INT_32 little-endian, MULTIPLEXED, no DataPoints line (length from the .eeg size), "
            "Codepage=ANSI with .vhdr and .vmrk encoded as Latin-1 (= Windows-1252 for these characters): the "
            "channel name 'Réf' is the bytes 52 E9 66, unit µV is B5 56, marker descriptions 'Größe' and "
            "'Müller à côté' are Latin-1. A reader must decode Codepage=ANSI as Windows-1252 (MNE does: "
            "'ANSI' -> cp1252) and UTF-8 otherwise. 'stored' = int32 values, channel-major; 'volts' = "
            "stored * (1e-6 * resolution). The last marker is tied to channel 2. 'mne' = MNE's plain "
            "read_raw_brainvision(preload=True): with a UTF-8 locale MNE 1.13.2 fails (UnicodeDecodeError in "
            "_get_hdr_info, which opens the .vmrk with the locale's encoding to look for the 'New Segment' "
            "date; an MNE bug — its marker parser itself decodes by Codepage). 'mne_workaround' = the data "
            "read with overrides={'marker_fname': False} plus mne.read_annotations(vmrk, sfreq) (MNE's "
            "Codepage-aware parser): names, units, values and annotations as MNE decodes them ('Réf', "
            "'Stimulus/Größe', ...); its meas_date is None because the date is not read on that path."),
        "generator": GENERATOR,
        "file": base.name + ".vhdr",
        "sfreq": float(fs),
        "ch_names": names,
        "units": units,
        "resolutions": resolutions,
        "stored": stored_values(arr),
        "volts": floats(expect_v),
        "markers": [list(m) for m in markers],
        "mne": mne_part,
        "mne_workaround": mne_workaround,
        "mne_matches_volts": bool(np.array_equal(np.array(mne_workaround["data"]), expect_v)),
    }
    write_json(base.with_suffix(".vhdr.expected.json"), out)


# ----------------------------------------------------------------------------- (c) bad files

def part_c() -> list[dict]:
    BAD.mkdir(parents=True, exist_ok=True)
    for p in BAD.iterdir():
        p.unlink()
    half = (RT / "pyedflib_halfsecond.edf").read_bytes()
    bdf = (RT / "pyedflib_24bit.bdf").read_bytes()
    hlen = int(half[184:192])
    bhlen = int(bdf[184:192])
    brec = (len(bdf) - bhlen) // 4  # 4 records
    rec = (len(half) - hlen) // 10  # 10 records
    entries = []

    def patch(blob: bytes, offset: int, new: bytes) -> bytes:
        b = bytearray(blob)
        b[offset:offset + len(new)] = new
        return bytes(b)

    ns = int(half[252:256])

    def sig_field(blob, base_off, width, i):
        return 256 + ns * base_off + i * width

    # EDF per-signal field offsets (in units of ns): label 0 (16), transducer 16 (80), dim 96 (8), pmin 104,
    # pmax 112, dmin 120, dmax 128, prefilter 136 (80), nsamples 216 (8), reserved 224 (32)
    files = {
        "truncated.edf": (half[:hlen + 3 * rec + rec // 2 + 1],
                          "pyedflib_halfsecond.edf cut mid-record: header says 10 records, the file holds 3 "
                          "complete records and part of the 4th (odd byte count too).",
                          "error: truncated data — header announces 10 data records "
                          f"({10 * rec} bytes) but only {3 * rec + rec // 2 + 1} bytes follow the header "
                          "(3.5 records)"),
        "size_mismatch.edf": (patch(half[:hlen + 6 * rec], 236, b"12      "),
                              "pyedflib_halfsecond.edf with the number of data records patched to 12 while "
                              "the file holds exactly 6 complete records.",
                              "error: header says 12 data records, file holds 6"),
        "physical_range.edf": (patch(half, sig_field(half, 112, 8, 0), b"-1000   "),
                               "pyedflib_halfsecond.edf with signal 1 (Fp1) physical maximum patched to -1000 "
                               "(== physical minimum): the scale (pmax - pmin)/(dmax - dmin) is 0.",
                               "error: signal 'Fp1' has physical minimum == physical maximum (-1000)"),
        "nonascii_header.edf": (patch(half, sig_field(half, 0, 16, 1), bytes([0x46, 0x70, 0x80, 0xFF, 0xE9, 0x9C])),
                                "pyedflib_halfsecond.edf with the label of signal 2 (was 'Fp2') overwritten "
                                "with bytes 46 70 80 FF E9 9C ('Fp' + junk): EDF header fields must be printable "
                                "US-ASCII (32..126).",
                                "error: header field 'label' of signal 2 holds non-ASCII bytes"),
        "truncated.bdf": (bdf[:bhlen + brec + 512 * 3 + 700],
                          f"pyedflib_24bit.bdf cut mid-record: header says 4 records of {brec} bytes; the file "
                          f"holds record 1 and the start of record 2 (all of signal 1 and 700 bytes of signal "
                          f"2: not a multiple of 3).",
                          "error: truncated data — 4 records announced, the data stop inside record 2"),
    }
    for name, (blob, problem, should) in files.items():
        (BAD / name).write_bytes(blob)
        entries.append({"file": name, "problem": problem, "reader_should": should})

    # BrainVision: a tiny valid triple per bad case, then damage it
    rng = np.random.default_rng(SEED + 7)
    data = np.round(rng.standard_normal((2, 50)) * 20, 1) * 1e-6
    bv_cases = {
        "unknown_format": ("BinaryFormat=INT_12 (not a BrainVision binary format: only INT_16, INT_32, "
                           "IEEE_FLOAT_32 — plus UINT_16 in some writers — exist).",
                           "error: unsupported BinaryFormat 'INT_12'"),
        "missing_eeg": ("DataFile=missing_eeg.eeg names a file that does not exist (deleted after writing).",
                        "error: data file 'missing_eeg.eeg' (named by DataFile in the header) not found"),
        "missing_vmrk": ("MarkerFile=missing_vmrk.vmrk names a file that does not exist (deleted after "
                         "writing); the data file is fine.",
                         "either an error naming the missing marker file, or (MNE's choice) a warning and "
                         "the data without annotations; never a silent success"),
    }
    for stem, (problem, should) in bv_cases.items():
        pybv.write_brainvision(data=data, sfreq=100, ch_names=["Cz", "Pz"], fname_base=stem, folder_out=BAD,
                               events=[{"onset": 10, "description": 1}], fmt="binary_int16", meas_date=START,
                               overwrite=True)
        if stem == "unknown_format":
            vh = BAD / f"{stem}.vhdr"
            vh.write_bytes(vh.read_bytes().replace(b"BinaryFormat=INT_16", b"BinaryFormat=INT_12"))
        elif stem == "missing_eeg":
            (BAD / f"{stem}.eeg").unlink()
        else:
            (BAD / f"{stem}.vmrk").unlink()
        entries.append({"file": f"{stem}.vhdr", "problem": problem, "reader_should": should})

    for e in entries:
        raw, msgs, err = mne_read(BAD / e["file"])
        if raw is None:
            e["mne"] = f"raises {err}"
        else:
            e["mne"] = (f"reads it: {raw.n_times} samples x {len(raw.ch_names)} channels, "
                        f"{len(raw.annotations)} annotations" +
                        (f"; warns: {' | '.join(' '.join(m.split()) for m in msgs)}" if msgs else "; no warning"))
        e["size"] = (BAD / e["file"]).stat().st_size

    lines = [
        "# Damaged EEG files",
        "",
        f"Written by `{SCRIPT}` from the round-trip files (`../roundtrip/`) or tiny pybv-written BrainVision "
        "triples; each is small. 'Reader should' is what neurotool's reader should report (one line naming the "
        f"file and the problem, non-zero exit, no output). 'MNE {mne.__version__}' is what MNE does with the "
        "file (read_raw_edf/bdf(preload=True, infer_types=False) or read_raw_brainvision(preload=True)), "
        "recorded when the fixtures were generated.",
        "",
        "| file | problem | reader should | MNE |",
        "| --- | --- | --- | --- |",
    ]
    for e in entries:
        cells = [f"`{e['file']}`", e["problem"], e["reader_should"], e["mne"]]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    lines += ["", "Companion files: `unknown_format.eeg/.vmrk` and `missing_vmrk.eeg` are intact (so only the "
              "named problem is present); `missing_eeg.vmrk` is intact.", ""]
    (BAD / "README.md").write_text("\n".join(lines), encoding="utf-8")
    write_json(BAD / "mne_behaviour.json", {
        "description": "What MNE does with each damaged file (same content as README.md, machine-readable).",
        "generator": GENERATOR, "files": entries})
    return entries


# ----------------------------------------------------------------------------- (d) DSP

def capture_mne_log(fn):
    with mne.utils.use_log_level("info"), mne.utils.catch_logging() as log:
        res = fn()
    return res, [ln for ln in log.getvalue().splitlines() if ln.strip()]


def part_d(rng) -> None:
    # synthetic signal at 256 Hz, 10 s, 2 channels (µV-like numbers, 4 decimals: exact inputs)
    fs = 256
    n = fs * 10
    t = np.arange(n) / fs
    x = np.stack([
        np.round(15 * pink(rng, n) + 8 * np.sin(2 * np.pi * 10 * t) + 4 * np.sin(2 * np.pi * 50 * t + 0.3)
                 + 1.5 * np.sin(2 * np.pi * 100 * t + 1.1), 4),
        np.round(10 * pink(rng, n) + 5 * np.sin(2 * np.pi * 10 * t + 0.7) + 6 * np.sin(2 * np.pi * 50 * t)
                 + 2 * np.sin(2 * np.pi * 100 * t + 2.0) + 3.0, 4),
    ])
    sig_desc = ("x: 2 channels x 2560 samples (256 Hz, 10 s) = 15*pink + 8 sin(10 Hz) + 4 sin(50 Hz) + "
                "1.5 sin(100 Hz) (ch 0) and 10*pink + 5 sin(10 Hz) + 6 sin(50 Hz) + 2 sin(100 Hz) + 3 (ch 1), "
                "rounded to 4 decimals (the stored values are the exact inputs).")

    # --- resample_poly ---------------------------------------------------------------------------------
    fs_hi = 2048
    n_hi = fs_hi * 4
    th = np.arange(n_hi) / fs_hi
    x_hi = np.round(10 * pink(rng, n_hi) + 6 * np.sin(2 * np.pi * 10 * th) + 3 * np.sin(2 * np.pi * 50 * th)
                    + 2 * np.sin(2 * np.pi * 300 * th), 3)
    x_lo = x[0, :1024].copy()  # first 1024 samples of channel 0 (treated as 512 Hz)
    cases = []
    for up, down, src, src_name in ((1, 2, x_lo, "x512"), (1, 8, x_hi, "x2048"), (2, 3, x_lo, "x512"),
                                    (5, 4, x_lo, "x512")):
        y = scipy.signal.resample_poly(src, up, down, padtype="constant")
        cases.append({"up": up, "down": down, "input": src_name, "window": "('kaiser', 5.0)",
                      "padtype": "constant", "output": floats(y)})
    write_json(OUT / "dsp_resample_poly.json", {
        "description": (
            "scipy.signal.resample_poly(x, up, down, window=('kaiser', 5.0) [default], padtype='constant') on "
            "1-D inputs. 'x512' = 1024 samples (the first 1024 of dsp_filter.json's channel 0; treat as "
            "512 Hz, 2 s); 'x2048' = 8192 samples at 2048 Hz (4 s: pink noise + 10, 50, 300 Hz lines, 3 "
            "decimals) for the 2048 -> 256 Hz decimation (1, 8). SciPy's filter: firwin(2*half_len+1, "
            "1/max(up,down), window=('kaiser', 5.0)) * up, half_len = 10*max(up,down); output length "
            "ceil(n*up/down)."),
        "generator": GENERATOR,
        "inputs": {"x512": floats(x_lo), "x2048": floats(x_hi)},
        "cases": cases,
    })

    # --- FFT resampling ------------------------------------------------------------------------------------
    x1000 = np.round(10 * pink(rng, 2000) + 6 * np.sin(2 * np.pi * 10 * np.arange(2000) / 1000)
                     + 3 * np.sin(2 * np.pi * 50 * np.arange(2000) / 1000), 3)
    fcases = []
    for src, src_name, sf, target in ((x_lo, "x512", 512, 256), (x1000, "x1000", 1000, 256)):
        y_mne = mne.filter.resample(src, up=target, down=sf, verbose="error")
        n_out = int(round(len(src) * target / sf))
        y_sp = scipy.signal.resample(src, n_out)
        fcases.append({"input": src_name, "from_hz": sf, "to_hz": target,
                       "mne_call": f"mne.filter.resample(x, up={target}, down={sf})",
                       "mne": floats(y_mne),
                       "scipy_call": f"scipy.signal.resample(x, {n_out})",
                       "scipy": floats(y_sp)})
    write_json(OUT / "dsp_resample_fft.json", {
        "description": (
            "FFT resampling. mne.filter.resample(x, up, down) with MNE 1.13 defaults: method='fft', "
            "window='auto' (= 'boxcar'), npad=100 (an int, not 'auto'), pad='auto' (= 'reflect_limited': "
            "odd reflection 2*x[0] - x[npad:0:-1] / 2*x[-1] - x[-2:-npad-2:-1]). Steps: ratio = up/down, "
            "final_len = round(ratio*n); pad 100 each side; orig_len = n+200, new_len = round(ratio*orig_len); "
            "X = rfft(padded); if the shorter of (new_len, orig_len) is even, the bin at its Nyquist index "
            "(len//2) is multiplied by 2 when downsampling, 0.5 when upsampling; X *= new_len/orig_len "
            "(boxcar window); y = irfft(X, new_len); drop round(ratio*100) samples at the start and "
            "new_len - final_len - that at the end. scipy.signal.resample(x, num) (plain periodic Fourier "
            "resampling, no padding) for the same pairs. 'x512' = first 1024 samples of dsp_filter.json "
            "channel 0 (as 512 Hz, 2 s); 'x1000' = 2000 samples (1000 Hz, 2 s)."),
        "generator": GENERATOR,
        "inputs": {"x512": floats(x_lo), "x1000": floats(x1000)},
        "cases": fcases,
    })

    # --- MNE FIR filters -------------------------------------------------------------------------------------
    designs = []
    for sf, pairs in ((256, ((1, 40), (0.5, None), (None, 30), (0.1, 96))), (512, ((1, 40), (None, 30)))):
        for lf, hf in pairs:
            h, log = capture_mne_log(lambda: mne.filter.create_filter(None, float(sf), lf, hf))
            designs.append({"sfreq": sf, "l_freq": lf, "h_freq": hf, "n_taps": int(len(h)),
                            "call": f"mne.filter.create_filter(None, {sf}.0, {lf}, {hf})",
                            "mne_log": log, "taps": floats(h)})
    outputs = []
    for lf, hf in ((1, 40), (None, 30)):
        y = mne.filter.filter_data(x, float(fs), lf, hf, verbose="error")
        outputs.append({"l_freq": lf, "h_freq": hf, "call": f"mne.filter.filter_data(x, 256.0, {lf}, {hf})",
                        "output": floats(y)})
    # notch: what notch_filter passes to filter_data (mne/filter.py, notch_filter, method 'fir')
    freqs = np.array([50.0, 100.0])
    widths = freqs / 200.0
    tb2 = 1 / 2.0
    lows = [float(f - w / 2.0 - tb2) for f, w in zip(freqs, widths)]
    highs = [float(f + w / 2.0 + tb2) for f, w in zip(freqs, widths)]
    y_notch = mne.filter.notch_filter(x, float(fs), freqs=[50, 100], verbose="error")
    h_notch, log = capture_mne_log(lambda: mne.filter.create_filter(
        x, float(fs), highs, lows, filter_length="auto", l_trans_bandwidth=tb2, h_trans_bandwidth=tb2,
        method="fir", phase="zero", fir_window="hamming", fir_design="firwin"))
    y_check = mne.filter.filter_data(x, float(fs), highs, lows, filter_length="auto", l_trans_bandwidth=tb2,
                                     h_trans_bandwidth=tb2, verbose="error")
    assert np.array_equal(y_check, y_notch)
    # zero-phase FIR application check: reflect_limited pad + full convolution = MNE's overlap-add output
    def apply_fir(sig, h):
        n_edge = max(min(len(h), len(sig)) - 1, 0)
        ext = np.concatenate([2 * sig[:1] - sig[n_edge:0:-1], sig, 2 * sig[-1:] - sig[-2:-n_edge - 2:-1]])
        full = np.convolve(ext, h)
        shift = (len(h) - 1) // 2 + n_edge
        return full[shift:shift + len(sig)]
    max_dev = max(float(np.abs(apply_fir(x[c], h_notch) - y_notch[c]).max()) for c in range(2))
    notch = {
        "freqs": [50, 100], "call": "mne.filter.notch_filter(x, 256.0, freqs=[50, 100])",
        "output": floats(y_notch),
        "taps_call": (f"mne.filter.create_filter(x, 256.0, l_freq={highs}, h_freq={lows}, filter_length='auto', "
                      "l_trans_bandwidth=0.5, h_trans_bandwidth=0.5, method='fir', phase='zero', "
                      "fir_window='hamming', fir_design='firwin')"),
        "mne_log": log, "n_taps": int(len(h_notch)), "taps": floats(h_notch),
        "max_abs_dev_direct_convolution": max_dev,
    }
    for o in outputs:
        lf, hf = o["l_freq"], o["h_freq"]
        h = next(d for d in designs if d["sfreq"] == 256 and d["l_freq"] == lf and d["h_freq"] == hf)["taps"]
        o["max_abs_dev_direct_convolution"] = max(
            float(np.abs(apply_fir(x[c], np.array(h)) - np.array(o["output"][c])).max()) for c in range(2))
    write_json(OUT / "dsp_filter.json", {
        "description": (
            "MNE FIR filters (MNE 1.13 defaults: method='fir', phase='zero', fir_window='hamming', "
            "fir_design='firwin', filter_length='auto', l/h_trans_bandwidth='auto'). 'designs': "
            "create_filter(None, sfreq, l_freq, h_freq) taps with MNE's log of the resolved parameters "
            "(auto transition: l_trans = min(max(0.25*l_freq, 2), l_freq), h_trans = min(max(0.25*h_freq, 2), "
            "sfreq/2 - h_freq); length = 3.3/min(trans)*sfreq rounded up to odd; firwin design = sum of "
            "firwin low-passes (hamming), one per gain change, each with its own odd length "
            "round(3.3/(transition_width/nyquist... )) from MNE's _length_factors, centred in the full length and "
            "added or subtracted — see _firwin_design in mne/filter.py). 'filter_data': "
            "mne.filter.filter_data(x, 256, l, h) on both channels of 'x' (pad='reflect_limited'). 'notch': "
            "notch_filter(x, 256, freqs=[50, 100]) (method 'fir'); internally it calls filter_data with "
            "l_freq = f + w/2 + tb/2 (list), h_freq = f - w/2 - tb/2 (list), w = f/200 (notch_widths "
            "default), tb = trans_bandwidth = 1 -> l/h_trans_bandwidth 0.5: a multi-band band-stop; "
            "'taps' is that filter from the exact create_filter call in 'taps_call', and filter_data with "
            "the same arguments gives the same output bit for bit (checked). Applying a filter: "
            "n_edge = len(h)-1 samples of odd reflection at each end (2*x[0] - x[n_edge:0:-1], "
            "2*x[-1] - x[-2:-n_edge-2:-1]; zero-padded if n_edge >= len(x)), full convolution with h, "
            "then take len(x) samples from index (len(h)-1)/2 + n_edge; 'max_abs_dev_direct_convolution' "
            "is the largest difference between that recipe (numpy.convolve) and MNE's FFT overlap-add "
            "output. " + sig_desc),
        "generator": GENERATOR,
        "sfreq": fs,
        "x": floats(x),
        "designs": designs,
        "filter_data": outputs,
        "notch": notch,
    })

    # --- Welch PSD ---------------------------------------------------------------------------------------
    f, p = scipy.signal.welch(x[0], fs=256, nperseg=512)
    write_json(OUT / "dsp_psd.json", {
        "description": (
            "scipy.signal.welch(x[0], fs=256, nperseg=512) with defaults: window 'hann' (periodic), noverlap "
            "256, detrend 'constant' (per segment mean), scaling 'density', one-sided (interior bins x2), "
            "average 'mean'. x[0] is channel 0 of dsp_filter.json's 'x' (2560 samples) -> 9 segments."),
        "generator": GENERATOR,
        "input": "dsp_filter.json x[0]",
        "fs": 256, "nperseg": 512,
        "freqs": floats(f),
        "psd": floats(p),
    })


# ----------------------------------------------------------------------------- main

def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    part_a()
    part_b(rng)
    part_c()
    part_d(np.random.default_rng(SEED + 1))
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"wrote {sum(1 for p in OUT.rglob('*') if p.is_file())} files, {total} bytes under {rel(OUT)}")


if __name__ == "__main__":
    main()
