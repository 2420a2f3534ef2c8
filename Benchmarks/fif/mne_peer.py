#!/usr/bin/env python3
"""MNE peer of the FIF benchmark: what `neurotool homogenize FILE.fif --rate 250` does to the samples,
written the way an MNE user would, in its own process (bench.py measures its wall time and peak memory).

    .venv/bin/python Benchmarks/fif/mne_peer.py FILE_raw.fif --timings T.json [--rate 250] [--method fft]
        [--check C.npy] [-o OUT.nc]

Steps (MNE defaults otherwise):

    raw = mne.io.read_raw_fif(path, preload=True)
    raw.resample(250)                        # method="fft" is MNE's default; --method polyphase for
                                             # SciPy's resample_poly (Kaiser beta 5, reflect padding)

``--timings`` (required: it is the file bench.py waits for) gets the seconds of each step as JSON.
``-o OUT.nc`` also writes the result as float32 NetCDF-4 in neurotool's layout (the EEG benchmark's
writer, Benchmarks/eeg/mne_peer.py), timed as "write". ``--check C.npy`` saves every 8th channel of the
result (float64, channel x time) and their names (C.names.json) after the timed steps, for bench.py's
comparison with neurotool's output.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("fif")
    p.add_argument("--timings", required=True, help="write the seconds of each step to this JSON file")
    p.add_argument("--rate", type=float, default=250.0)
    p.add_argument("--method", default="fft", choices=("fft", "polyphase"), help="Raw.resample method (fft)")
    p.add_argument("-o", "--output", help="also write the result as NetCDF-4 (timed)")
    p.add_argument("--check", help="save every 8th channel of the result here (untimed)")
    args = p.parse_args(argv)

    import mne

    mne.set_log_level("error")
    steps = {}
    t0 = time.perf_counter()
    raw = mne.io.read_raw_fif(args.fif, preload=True)
    steps["read"] = time.perf_counter() - t0
    t = time.perf_counter()
    raw.resample(args.rate, method=args.method)
    steps["resample"] = time.perf_counter() - t
    if args.output:
        sys.path.insert(0, str(HERE.parent))
        from common import load

        writer = load("eeg_mne_peer", HERE.parent / "eeg" / "mne_peer.py")
        t = time.perf_counter()
        writer.write_netcdf(args.output, raw.get_data(), raw.ch_names, raw.info["sfreq"], "mne_peer (fif)")
        steps["write"] = time.perf_counter() - t
    steps["total"] = time.perf_counter() - t0
    steps["n_times"] = int(raw.n_times)
    steps["sfreq"] = float(raw.info["sfreq"])
    if args.check:
        import numpy as np

        picks = list(range(0, len(raw.ch_names), 8))
        np.save(args.check, raw.get_data(picks=picks))
        Path(args.check).with_suffix(".names.json").write_text(json.dumps([raw.ch_names[i] for i in picks]))
    with open(args.timings, "w") as f:
        json.dump(steps, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
