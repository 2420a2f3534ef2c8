#!/usr/bin/env python3
"""Reads a neurotool common-format NetCDF-4 file with three independent readers and prints a JSON summary.

    .venv/bin/python tools/python/check_common_format.py out.nc

* netCDF4-python: the groups (recordings) in file order and the global attributes
  format, format_version, neurotool_version, command_line;
* xarray (``xr.open_dataset(FILE, group=g)``, default decoding): per group the dimensions, variable
  names, dtype of ``data``, channel names, the ``recorded``/``labeled`` masks (int8 with attribute
  dtype="bool", which xarray decodes to bool; their dtype is reported), first/last/length of ``time``,
  the ``sampling_rate`` attribute, ``data_nansum`` = float(np.nansum(data)) accumulated in float64 and
  ``data_nanabssum`` (the same of abs(data); z-scored data sum to ~0, so this is the sturdier checksum);
* h5py: that ``/<group>/data`` exists, with its shape.

Output (one JSON document on stdout, keys always present; null for a missing optional value):

    {"format", "format_version", "neurotool_version", "command_line", "group_names": [...],
     "groups": {name: {"dims", "variables", "data_dtype", "channel", "recorded", "labeled",
                       "mask_dtype", "time_first", "time_last", "time_len", "sampling_rate",
                       "data_nansum", "data_nanabssum", "h5py_data_shape"}}}

Exits 1 with a one-line message on stderr on any failure (unreadable file, not the common format,
readers disagreeing, missing variables).
"""

from __future__ import annotations

import json
import math
import sys
import warnings


class CheckFailure(Exception):
    pass


def plain(value):
    """JSON-safe Python value: numpy scalars/arrays unwrapped, non-finite floats -> None."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()] if value.ndim else plain(value.item())
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def text_attribute(ds, name: str, required: bool):
    if name not in ds.ncattrs():
        if required:
            raise CheckFailure(f"global attribute '{name}' is missing")
        return None
    value = ds.getncattr(name)
    if not isinstance(value, str):
        raise CheckFailure(f"global attribute '{name}' is not text ({type(value).__name__})")
    return value


def read_netcdf4(path: str):
    import netCDF4

    with netCDF4.Dataset(path, "r") as ds:
        if ds.data_model != "NETCDF4":
            raise CheckFailure(f"data model is {ds.data_model}, expected NETCDF4")
        info = {
            "format": text_attribute(ds, "format", True),
            "format_version": text_attribute(ds, "format_version", True),
            "neurotool_version": text_attribute(ds, "neurotool_version", False),
            "command_line": text_attribute(ds, "command_line", False),
        }
        if info["format"] != "neurotool-common":
            raise CheckFailure(f"global attribute format is '{info['format']}', expected 'neurotool-common'")
        names = list(ds.groups.keys())
        if "recordings" in ds.ncattrs():
            listed = [s for s in str(ds.getncattr("recordings")).split(",") if s]
            if listed != names:
                raise CheckFailure(f"global attribute recordings {listed} differs from the groups {names}")
    if not names:
        raise CheckFailure("the file has no groups (recordings)")
    return info, names


def read_xarray(path: str, group: str) -> dict:
    import numpy as np
    import xarray as xr

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = xr.open_dataset(path, group=group)
    with ds:
        for name in ("data", "time", "channel", "recorded", "labeled"):
            if name not in ds.variables:
                raise CheckFailure(f"group '{group}': variable '{name}' is missing (xarray)")
        dims = {str(k): int(v) for k, v in ds.sizes.items()}
        data = ds["data"]
        if tuple(data.dims) != ("time", "channel"):
            raise CheckFailure(f"group '{group}': data has dimensions {data.dims}, expected ('time', 'channel')")
        values = np.asarray(data.values)
        time = np.asarray(ds["time"].values)
        if np.issubdtype(time.dtype, np.timedelta64):
            time = time / np.timedelta64(1, "s")
        channel = [plain(c) for c in np.asarray(ds["channel"].values).tolist()]
        recorded = np.asarray(ds["recorded"].values)
        labeled = np.asarray(ds["labeled"].values)
        if recorded.dtype != labeled.dtype:
            raise CheckFailure(f"group '{group}': recorded is {recorded.dtype} but labeled is {labeled.dtype}")
        if not (len(channel) == len(recorded) == len(labeled) == dims.get("channel")):
            raise CheckFailure(f"group '{group}': channel/recorded/labeled lengths {len(channel)}/{len(recorded)}/"
                               f"{len(labeled)} differ from the channel dimension {dims.get('channel')}")
        if len(time) != dims.get("time"):
            raise CheckFailure(f"group '{group}': time has {len(time)} values, dimension {dims.get('time')}")
        rate = ds.attrs.get("sampling_rate")
        return {
            "dims": dims,
            "variables": [str(v) for v in ds.variables],
            "data_dtype": str(values.dtype),
            "channel": channel,
            "recorded": [bool(v) for v in recorded.tolist()],
            "labeled": [bool(v) for v in labeled.tolist()],
            "mask_dtype": str(recorded.dtype),
            "time_first": plain(float(time[0])) if len(time) else None,
            "time_last": plain(float(time[-1])) if len(time) else None,
            "time_len": int(len(time)),
            "sampling_rate": plain(float(np.asarray(rate).ravel()[0])) if rate is not None else None,
            "data_nansum": plain(float(np.nansum(values.astype(np.float64)))),
            "data_nanabssum": plain(float(np.nansum(np.abs(values.astype(np.float64))))),
            "_shape": list(values.shape),
        }


def read_h5py(path: str, group: str) -> list:
    import h5py

    with h5py.File(path, "r") as f:
        key = f"/{group}/data"
        if key not in f:
            raise CheckFailure(f"h5py: dataset {key} is missing")
        return [int(n) for n in f[key].shape]


def check(path: str) -> dict:
    info, names = read_netcdf4(path)
    groups = {}
    for g in names:
        entry = read_xarray(path, g)
        shape = entry.pop("_shape")
        h5shape = read_h5py(path, g)
        if h5shape != shape:
            raise CheckFailure(f"group '{g}': h5py sees data shape {h5shape}, xarray {shape}")
        entry["h5py_data_shape"] = h5shape
        groups[g] = entry
    return {**info, "group_names": names, "groups": groups}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print("usage: check_common_format.py FILE.nc", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        result = check(path)
        text = json.dumps(result, allow_nan=False, ensure_ascii=False)
    except CheckFailure as e:
        print(f"check_common_format: {path}: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # any reader failing is a check failure, reported on one line
        message = " ".join(str(e).split()) or type(e).__name__
        print(f"check_common_format: {path}: {type(e).__name__}: {message}", file=sys.stderr)
        return 1
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # reader closed early (| head): not a check failure
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
