#!/usr/bin/env python3
"""MNE as a peer for the Swift tests: read an EDF/BDF/BrainVision file and print what MNE sees, as JSON.

    .venv/bin/python tools/python/eeg_peer.py read FILE [--full] [--first N]

Readers: mne.io.read_raw_edf / read_raw_bdf (preload=True, infer_types=False) or read_raw_brainvision
(preload=True), chosen by extension (.edf/.bdf/.vhdr). Output (one JSON object on stdout, floats as repr):
file, sfreq, n_times, ch_names, ch_types, units (MNE's unit: "V", "NA", "C", ...), orig_units, scale
(MNE's cal*range per channel), first_samples (n_channels x N, volts), sums (per channel), annotations
([onset, duration, description]), meas_date (ISO or null), events (mne.find_events on a 'Status'/'STI 014'
stim channel if there is one, [sample, previous, value]), warnings (MNE's warnings), and with --full
"data" (n_channels x n_times, volts). If MNE cannot read the file: {"file", "error", "warnings"} and exit
status 1. Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings

import mne
import numpy as np


def read(path: str, full: bool, n_first: int) -> tuple[dict, int]:
    ext = path.lower().rsplit(".", 1)[-1]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if ext == "edf":
                raw = mne.io.read_raw_edf(path, preload=True, infer_types=False, verbose="warning")
            elif ext == "bdf":
                raw = mne.io.read_raw_bdf(path, preload=True, infer_types=False, verbose="warning")
            elif ext == "vhdr":
                raw = mne.io.read_raw_brainvision(path, preload=True, verbose="warning")
            else:
                raise ValueError(f"unsupported extension .{ext} (edf, bdf, vhdr)")
        except Exception as e:  # noqa: BLE001 - report what MNE says
            return {"file": path, "error": f"{type(e).__name__}: {e}",
                    "warnings": [str(w.message) for w in caught]}, 1
    from mne._fiff.meas_info import _unit2human

    data = raw.get_data()
    out = {
        "file": path,
        "sfreq": float(raw.info["sfreq"]),
        "n_times": int(raw.n_times),
        "ch_names": list(raw.ch_names),
        "ch_types": list(raw.get_channel_types()),
        "units": [_unit2human.get(int(ch["unit"]), str(int(ch["unit"]))) for ch in raw.info["chs"]],
        "orig_units": [(raw._orig_units or {}).get(n) for n in raw.ch_names],
        "scale": [float(ch["range"] * ch["cal"]) for ch in raw.info["chs"]],
        "first_samples": data[:, :n_first].tolist(),
        "sums": data.sum(axis=1).tolist(),
        "annotations": [[float(o), float(d), str(s)] for o, d, s in
                        zip(raw.annotations.onset, raw.annotations.duration, raw.annotations.description)],
        "meas_date": raw.info["meas_date"].isoformat() if raw.info["meas_date"] else None,
        "warnings": [str(w.message) for w in caught],
    }
    stim = [n for n, t in zip(raw.ch_names, out["ch_types"]) if t == "stim"]
    if stim:
        ev = mne.find_events(raw, stim_channel=stim[0], shortest_event=1, verbose="error")
        out["events"] = np.asarray(ev).astype(int).tolist()
    if full:
        out["data"] = data.tolist()
    return out, 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("read", help="print MNE's reading of FILE as JSON")
    r.add_argument("file")
    r.add_argument("--full", action="store_true", help="include all samples of all channels ('data')")
    r.add_argument("--first", type=int, default=8, help="samples per channel in first_samples (8)")
    args = ap.parse_args()
    out, status = read(args.file, args.full, args.first)
    json.dump(out, sys.stdout, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
