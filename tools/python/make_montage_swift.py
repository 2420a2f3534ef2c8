#!/usr/bin/env python3
"""Writes Sources/NeuroIO/EEG/StandardMontage1005.swift: the 10-05 electrode positions of MNE-Python.

Run from the repository root:

    .venv/bin/python tools/python/make_montage_swift.py

Two tables are written, both from mne.channels.make_standard_montage("standard_1005") (MNE 1.13.2; the same
positions as "colin27_1005", the name MNE 1.14 will keep):

* `positions`: MNE head coordinates, i.e. what `raw.set_montage("standard_1005")` puts in
  `info["chs"][i]["loc"][:3]` (MNE transforms the montage to the head frame defined by its fiducials:
  origin midway between LPA and RPA, +x towards RPA, +y towards the nasion, +z up). These are the
  positions every MNE computation on the data uses (interpolation, topomaps, ...).
* `montagePositions`: the values exactly as `montage.get_positions()["ch_pos"]` returns them (coordinate
  frame reported as "mri", not the head frame: they differ by up to ~4.6 cm), with the fiducials.

Numbers are printed with repr (shortest round-trip form).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import mne
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Sources" / "NeuroIO" / "EEG" / "StandardMontage1005.swift"


def swift_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def triple(p) -> str:
    return "(" + ", ".join(repr(float(v)) for v in p) + ")"


def main() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 'standard_1005' is deprecated in favour of 'colin27_1005' (same data)
        montage = mne.channels.make_standard_montage("standard_1005")
    pos = montage.get_positions()
    names = list(montage.ch_names)
    assert len(set(names)) == len(names)

    info = mne.create_info(names, 1000.0, "eeg")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        info.set_montage(montage, verbose="error")
    head = {ch["ch_name"]: np.asarray(ch["loc"][:3], float) for ch in info["chs"]}
    head_fid = {d["ident"]: np.asarray(d["r"], float) for d in info["dig"]
                if d["kind"] == mne.io.constants.FIFF.FIFFV_POINT_CARDINAL}
    fid_names = {1: "lpa", 2: "nasion", 3: "rpa"}

    lines = [
        "// GENERATED FILE — DO NOT EDIT.",
        "// Written by tools/python/make_montage_swift.py from MNE-Python " + mne.__version__ + ",",
        '// mne.channels.make_standard_montage("standard_1005") (identical to "colin27_1005").',
        "// MNE-Python is BSD-3-Clause licensed (Copyright © 2011-2025, authors of MNE-Python;",
        "// see Datasets/eeg/MNE-LICENSE.txt). Regenerate with:",
        "//     .venv/bin/python tools/python/make_montage_swift.py",
        "",
        "/// The 10-05 electrode positions of MNE-Python's `standard_1005` montage (" + str(len(names)) + " names).",
        "enum StandardMontage1005 {",
        "    /// Positions of the 10-05 system (metres, MNE head coordinates), by canonical name.",
        "    ///",
        "    /// Head coordinates as MNE stores them after `raw.set_montage(\"standard_1005\")`: origin midway",
        "    /// between the left and right preauricular points, +x towards the right one, +y towards the",
        "    /// nasion, +z up.",
        "    static let positions: [String: (x: Double, y: Double, z: Double)] = [",
    ]
    lines += [f"        {swift_string(n)}: {triple(head[n])}," for n in names]
    lines += [
        "    ]",
        "",
        "    /// The canonical names in MNE's order (the montage's `ch_names`).",
        "    static let names: [String] = [",
    ]
    for k in range(0, len(names), 10):
        lines.append("        " + " ".join(swift_string(n) + "," for n in names[k:k + 10]))
    lines += [
        "    ]",
        "",
        "    /// Fiducials in MNE head coordinates (metres).",
        "    static let fiducials: [String: (x: Double, y: Double, z: Double)] = [",
    ]
    lines += [f"        {swift_string(fid_names[i])}: {triple(head_fid[i])}," for i in (2, 1, 3)]
    lines += [
        "    ]",
        "",
        "    /// Positions exactly as `montage.get_positions()[\"ch_pos\"]` returns them (metres; MNE reports",
        "    /// the frame as \"mri\", the template's own frame, not the head frame).",
        "    static let montagePositions: [String: (x: Double, y: Double, z: Double)] = [",
    ]
    lines += [f"        {swift_string(n)}: {triple(pos['ch_pos'][n])}," for n in names]
    lines += [
        "    ]",
        "",
        "    /// Fiducials in the montage's own frame (`get_positions()` nasion, lpa, rpa; metres).",
        "    static let montageFiducials: [String: (x: Double, y: Double, z: Double)] = [",
        f"        \"nasion\": {triple(pos['nasion'])},",
        f"        \"lpa\": {triple(pos['lpa'])},",
        f"        \"rpa\": {triple(pos['rpa'])},",
        "    ]",
        "}",
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(names)} positions")


if __name__ == "__main__":
    main()
