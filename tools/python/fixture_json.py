"""JSON helpers shared by the fixture scripts (tools/python/make_*_fixtures.py): readable, exact JSON."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def floats(a) -> list | float | None:
    """(Nested) list of Python floats; NaN -> None."""
    arr = np.asarray(a, dtype=np.float64)
    if arr.ndim == 0:
        v = float(arr)
        return None if math.isnan(v) else v
    if arr.ndim == 1:
        return [None if math.isnan(v) else v for v in arr.tolist()]
    return [floats(x) for x in arr]


def ints(a) -> list:
    return np.asarray(a).astype(np.int64).tolist()


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


def scrub(msg: str) -> str:
    """Messages without this machine's checkout path (fixtures must not depend on it)."""
    return msg.replace(str(ROOT) + "/", "")
