#!/usr/bin/env python3
"""Writes the MATLAB v5 MAT-file fixtures of neurotool's `matlab` reader: Tests/Fixtures/matlab_v5/.

Every file is written with scipy.io.savemat (format '5') and read back with scipy.io.loadmat; the
expected values in `expected.json` come from that read-back (checked against what was meant to be
written), never from the in-memory arrays. See Tests/Fixtures/matlab_v5/README.md for the files and
the label/layout rules. Run from the repository root (or `make fixtures`):

    .venv/bin/python tools/python/make_matlab_v5_fixtures.py

Deterministic: fixed seed, and the date scipy writes into the 116-byte header text is replaced by a
fixed "Mon Jan 01 12:00:00 2024", so two runs give identical bytes. Nothing here is used by neurotool
at run time.
"""

from __future__ import annotations

import math
import platform
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
import scipy
import scipy.io

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_json import ROOT, floats, scrub, write_json  # noqa: E402

OUT = ROOT / "Tests" / "Fixtures" / "matlab_v5"
SCRIPT = "tools/python/make_matlab_v5_fixtures.py"
SEED = 20260105
HEADER_TEXT = "MATLAB 5.0 MAT-file, Platform: scipy {version}, Created on: Mon Jan 01 12:00:00 2024"
TRUNCATE_FRACTION = 0.6

DESCRIPTION = (
    "What scipy.io.loadmat (default options: squeeze_me=False, struct_as_record=True) reads from each "
    "MATLAB v5 fixture, reduced to recordings with the rules of README.md. Per file: bytes, compressed "
    "(every variable one miCOMPRESSED element), variables ([name, MATLAB dims, class] from the file's own "
    "array headers), elements (the top-level data elements: offset, type 14 miMATRIX / 15 miCOMPRESSED, "
    "bytes, name, class, dims; truncated_at when the file ends inside one), "
    "then either 'recordings' (one per worm: worm, labels, label_candidates, time, data_shape [T, N], "
    "data (time x neurons, full, NaN as null), data_sum = math.fsum of the non-NaN values) or 'error' "
    "(what a reader must refuse, and what scipy does with the file)."
)


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def cell(items: list, shape: tuple[int, int]) -> np.ndarray:
    """A numpy object array: scipy.io.savemat writes it as a MATLAB cell array."""
    c = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        c[i] = item
    return c.reshape(shape, order="F")


def savemat_v5(path: Path, variables: dict, compress: bool = False) -> None:
    scipy.io.savemat(str(path), variables, format="5", do_compression=compress, oned_as="column")
    text = HEADER_TEXT.format(version=scipy.__version__).encode("ascii").ljust(116, b" ")
    assert len(text) == 116
    with open(path, "r+b") as fh:
        fh.write(text)  # bytes 116..127 (subsystem offset, version 0x0100, "IM") stay as scipy wrote them


def frame_times(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    """Strictly increasing jittered frame times (s)."""
    t = rng.uniform(0.1, 0.9) / rate + np.arange(n) / rate
    t = t + rng.uniform(-0.1, 0.1, n) / rate
    assert np.all(np.diff(t) > 0)
    return t


def id_candidates(entry) -> list[str]:
    """The intended candidates of one written ID entry (str, '' or a list of str)."""
    if isinstance(entry, list):
        return list(entry)
    return [entry] if entry else []


def generic_variables(rng: np.random.Generator) -> tuple[dict, dict]:
    """Top-level traces (T x N), IDs (1 x N cell: char rows, one 1x2 cell, one ''), timeVectorSeconds."""
    t_count, ids = 12, ["RIML", ["AVAL", "AVAR"], "", "SMDVR", "VB01"]
    time = frame_times(rng, t_count, 2.5)
    data = rng.normal(0.0, 1.0, (t_count, len(ids))) * np.array([1.0, 2.0, 0.5, 10.0, 0.1])
    data[3, 2] = np.nan  # one missing sample
    id_cell = cell([cell(x, (1, len(x))) if isinstance(x, list) else x for x in ids], (1, len(ids)))
    variables = {"traces": data, "IDs": id_cell, "timeVectorSeconds": time.reshape(-1, 1)}
    meant = {"worm": "worm1", "candidates": [id_candidates(x) for x in ids], "time": time, "data": data}
    return variables, meant


def kato_ids(ids: list) -> np.ndarray:
    """Kato 2015 IDs{w}: a 1xN cell whose entries are cells: {'X'} (1x1), {} (0x0), {'X','Y'} (1x2)."""
    entries = [cell([], (0, 0)) if not x else cell(x, (1, len(x))) for x in ids]
    return cell(entries, (1, len(entries)))


def cells_variables(rng: np.random.Generator) -> tuple[dict, list[dict]]:
    """Struct WT_Stim with 1x2 cells IDs, traces, timeVectorSeconds; worm 2 stored neurons x time."""
    ids1 = [["AVAL"], [], ["SMDVL", "SMDVR"], ["VB02"]]
    ids2 = [[], ["RIBL"], ["AVAL"]]
    t1, t2 = frame_times(rng, 10, 2.85), frame_times(rng, 9, 2.85)
    d1 = rng.normal(0.0, 1.0, (len(t1), len(ids1)))  # T x N
    d2 = rng.normal(0.0, 1.0, (len(t2), len(ids2)))  # stored transposed below
    struct = {
        "IDs": cell([kato_ids(ids1), kato_ids(ids2)], (1, 2)),
        "traces": cell([d1, d2.T.copy()], (1, 2)),  # worm 2: N x T (3 x 9)
        "timeVectorSeconds": cell([t1.reshape(-1, 1), t2.reshape(1, -1)], (1, 2)),  # column, then row
    }
    meant = [{"worm": "worm1", "candidates": ids1, "time": t1, "data": d1},
             {"worm": "worm2", "candidates": ids2, "time": t2, "data": d2}]
    return {"WT_Stim": struct}, meant


def single_variables(rng: np.random.Generator) -> tuple[dict, dict]:
    """traces float32 (MATLAB single) T x N, IDs 1xN cell of char, timeVectorSeconds double."""
    ids = ["AVBL", "", "RIMR"]
    time = frame_times(rng, 8, 4.0)
    data = rng.normal(100.0, 20.0, (len(time), len(ids))).astype(np.float32)
    variables = {"traces": data, "IDs": cell(ids, (1, len(ids))), "timeVectorSeconds": time.reshape(-1, 1)}
    meant = {"worm": "worm1", "candidates": [id_candidates(x) for x in ids], "time": time,
             "data": data.astype(np.float64)}
    return variables, meant


def wrong_types_variables(rng: np.random.Generator) -> dict:
    """traces is a char array, IDs a numeric vector (timeVectorSeconds is fine)."""
    time = frame_times(rng, 6, 2.0)
    return {"traces": "not a matrix", "IDs": np.array([[1.0, 2.0, 3.0]]),
            "timeVectorSeconds": time.reshape(-1, 1)}


# --------------------------------------------------------------------------------------
# Reading back with scipy and the reader's rules
# --------------------------------------------------------------------------------------


def texts(value) -> list[str]:
    """Every char array inside a loaded value (a char array, or a cell of them, recursively).
    An empty char array ('') holds no text."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "U":
        return [str(value[0])] if value.size else []
    if isinstance(value, np.ndarray) and value.dtype == object:
        return [t for v in value.ravel(order="F") for t in texts(v)]
    raise TypeError(f"not a char array or cell: {type(value).__name__} {getattr(value, 'dtype', '')}")


def recording(worm: str, ids, traces, time) -> dict:
    """One worm: ID entries of a 1xN cell, a 2-D numeric trace matrix (time x neurons, or neurons x
    time when the time vector's length says so), the time vector."""
    candidates = [texts(entry) for entry in ids.ravel(order="F")]
    labels = [c[0] if len(c) == 1 else "/".join(c) for c in candidates]
    time = np.asarray(time, dtype=np.float64).ravel(order="F")
    assert traces.ndim == 2 and traces.dtype.kind == "f"
    data = traces.astype(np.float64)
    if data.shape[0] != len(time) and data.shape[1] == len(time):
        data = data.T  # stored neurons x time
    assert data.shape == (len(time), len(labels))
    return {
        "worm": worm,
        "labels": labels,
        "label_candidates": candidates,
        "time": floats(time),
        "data_shape": [int(data.shape[0]), int(data.shape[1])],
        "data": floats(data),
        "data_sum": math.fsum(data[~np.isnan(data)].tolist()),
    }


def read_top_level(path: Path) -> list[dict]:
    m = scipy.io.loadmat(str(path))
    return [recording("worm1", m["IDs"], m["traces"], m["timeVectorSeconds"])]


def read_struct(path: Path, name: str) -> list[dict]:
    s = scipy.io.loadmat(str(path))[name]
    assert s.shape == (1, 1)
    s = s[0, 0]
    ids, traces, times = (s[k].ravel(order="F") for k in ("IDs", "traces", "timeVectorSeconds"))
    return [recording(f"worm{k + 1}", ids[k], traces[k], times[k]) for k in range(len(traces))]


def check(got: list[dict], meant: list[dict]) -> None:
    """The read-back equals what was meant to be written (bit for bit)."""
    assert len(got) == len(meant)
    for g, m in zip(got, meant):
        assert g["worm"] == m["worm"]
        assert g["label_candidates"] == [list(c) for c in m["candidates"]]
        assert g["time"] == floats(m["time"])
        assert g["data"] == floats(m["data"])


# Independent of scipy's reader: walk the top-level data elements of a v5 file by hand.
MX_CLASSES = {1: "cell", 2: "struct", 3: "object", 4: "char", 5: "sparse", 6: "double", 7: "single",
              8: "int8", 9: "uint8", 10: "int16", 11: "uint16", 12: "int32", 13: "uint32", 14: "int64",
              15: "uint64"}
MI_MATRIX, MI_COMPRESSED = 14, 15


def _tag(buf: bytes, pos: int) -> tuple[int, int, int]:
    """(type, byte count, offset of the data) of the data element at pos (small format aware)."""
    kind, count = struct.unpack_from("<II", buf, pos)
    if kind >> 16:  # small data element: count in the upper 16 bits, data in the next 4 bytes
        return kind & 0xFFFF, kind >> 16, pos + 4
    return kind, count, pos + 8


def _matrix_header(buf: bytes) -> tuple[str, str, list[int]]:
    """(name, class, dims) of the miMATRIX element at the start of buf."""
    kind, _, pos = _tag(buf, 0)
    assert kind == MI_MATRIX
    _, count, data = _tag(buf, pos)  # array flags (miUINT32, 8 bytes)
    flags = struct.unpack_from("<I", buf, data)[0]
    pos = data + 8
    _, count, data = _tag(buf, pos)  # dimensions (miINT32)
    dims = list(struct.unpack_from(f"<{count // 4}i", buf, data))
    pos = data + ((count + 7) // 8) * 8 if count > 4 else pos + 8
    _, count, data = _tag(buf, pos)  # array name (miINT8)
    return buf[data:data + count].decode("ascii"), MX_CLASSES[flags & 0xFF], dims


def top_level_elements(path: Path) -> list[dict]:
    """The file's top-level data elements after the 128-byte header: offset, element type (14
    miMATRIX, 15 miCOMPRESSED = zlib stream of one miMATRIX), byte count, and the variable's
    name, class and dims. miCOMPRESSED elements are not padded to 8 bytes, miMATRIX ones are."""
    buf = path.read_bytes()
    out, pos = [], 128
    while pos < len(buf):
        kind, count, data = _tag(buf, pos)
        end = data + (count if kind == MI_COMPRESSED else ((count + 7) // 8) * 8)
        row = {"offset": pos, "type": kind, "bytes": count}
        if data + count > len(buf):
            row["truncated_at"] = len(buf)
            out.append(row)
            break
        inner = zlib.decompress(buf[data:data + count]) if kind == MI_COMPRESSED else buf[pos:end]
        row["name"], row["class"], row["dims"] = _matrix_header(inner)
        out.append(row)
        pos = end
    return out


def file_info(path: Path, compressed: bool) -> dict:
    elements = top_level_elements(path)
    # scipy agrees on names and classes (whosmat reports a char array's dims as [1]: not used).
    assert [(e["name"], e["class"]) for e in elements] == [(n, c) for n, _, c in scipy.io.whosmat(str(path))]
    assert all((e["type"] == MI_COMPRESSED) == compressed for e in elements)
    return {
        "bytes": path.stat().st_size,
        "compressed": compressed,
        "variables": [[e["name"], e["dims"], e["class"]] for e in elements],
        "elements": elements,
    }


def scipy_outcome(path: Path) -> str:
    """What scipy.io.loadmat does with a file: its exception, or the variables it returns."""
    try:
        m = scipy.io.loadmat(str(path))
    except Exception as exc:  # noqa: BLE001 - recorded, not handled
        return scrub(f"{type(exc).__name__}: {exc}")
    return "loads: " + ", ".join(f"{k} {v.dtype} {list(v.shape)}" for k, v in m.items() if not k.startswith("__"))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    expected: dict = {
        "description": DESCRIPTION,
        "generator": {"script": SCRIPT, "python": platform.python_version(), "numpy": np.__version__,
                      "scipy": scipy.__version__, "seed": SEED},
    }

    generic, generic_meant = generic_variables(rng)
    savemat_v5(OUT / "generic.mat", generic)
    got = read_top_level(OUT / "generic.mat")
    check(got, [generic_meant])
    expected["generic.mat"] = {**file_info(OUT / "generic.mat", False), "recordings": got}

    cells, cells_meant = cells_variables(rng)
    savemat_v5(OUT / "cells.mat", cells)
    got = read_struct(OUT / "cells.mat", "WT_Stim")
    check(got, cells_meant)
    expected["cells.mat"] = {**file_info(OUT / "cells.mat", False), "struct": "WT_Stim", "recordings": got}

    savemat_v5(OUT / "compressed.mat", generic, compress=True)
    got = read_top_level(OUT / "compressed.mat")
    check(got, [generic_meant])
    assert got == expected["generic.mat"]["recordings"]
    expected["compressed.mat"] = {**file_info(OUT / "compressed.mat", True), "recordings": got}

    single, single_meant = single_variables(rng)
    savemat_v5(OUT / "single.mat", single)
    m = scipy.io.loadmat(str(OUT / "single.mat"))
    assert m["traces"].dtype == np.float32
    got = read_top_level(OUT / "single.mat")
    check(got, [single_meant])
    expected["single.mat"] = {**file_info(OUT / "single.mat", False), "recordings": got}

    savemat_v5(OUT / "wrong_types.mat", wrong_types_variables(rng))
    m = scipy.io.loadmat(str(OUT / "wrong_types.mat"))
    assert m["traces"].dtype.kind == "U" and m["IDs"].dtype == np.float64
    expected["wrong_types.mat"] = {
        **file_info(OUT / "wrong_types.mat", False),
        "error": {"fields": ["traces", "IDs"],
                  "why": "traces is a 1x12 char array ('not a matrix'), not a numeric matrix; IDs is a 1x3 "
                         "double vector, not a cell of names. A reader must refuse the file and name the field.",
                  "scipy": scipy_outcome(OUT / "wrong_types.mat")},
    }

    # The first 60 % of a file: it ends inside a variable (truncated.mat: inside IDs, after the
    # complete traces; truncated_compressed.mat: inside the zlib stream of traces).
    for source, name in (("generic.mat", "truncated.mat"), ("compressed.mat", "truncated_compressed.mat")):
        whole = (OUT / source).read_bytes()
        cut = int(len(whole) * TRUNCATE_FRACTION)
        (OUT / name).write_bytes(whole[:cut])
        elements = top_level_elements(OUT / name)
        last = elements[-1]
        assert "truncated_at" in last
        expected[name] = {
            "bytes": cut,
            "compressed": source == "compressed.mat",
            "elements": elements,
            "error": {"why": f"the first {cut} of the {len(whole)} bytes of {source}: the file ends inside "
                             f"top-level element {len(elements)} (offset {last['offset']}, 8-byte tag + "
                             f"{last['bytes']} bytes, only {cut - last['offset'] - 8} present). A reader must "
                             "refuse it, not return a partial or zero-filled recording.",
                      "scipy": scipy_outcome(OUT / name)},
        }

    write_json(OUT / "expected.json", expected)
    for name in ("generic.mat", "cells.mat", "compressed.mat", "single.mat", "wrong_types.mat", "truncated.mat",
                 "truncated_compressed.mat"):
        print(f"{name}: {(OUT / name).stat().st_size} bytes")
    for name in ("truncated.mat", "truncated_compressed.mat"):
        print(f"{name} with scipy: {expected[name]['error']['scipy']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
