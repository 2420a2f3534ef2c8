#!/usr/bin/env python3
"""Deterministic generator of the GLM-HMM demo set: spike counts of 24 C. elegans neurons coupled
through the real hermaphrodite connectome, switching between 3 hidden states.

Run from the repository root (or `make datasets`), a few seconds plus ~10 s for the check fit:

    .venv/bin/python Datasets/glmhmm/generate.py [--no-check]

What it does
------------
1. Reads the 24 neurons' synapses from ``Datasets/connectome/herm_full_edgelist.csv`` (columns
   Source,Target,Weight,Type; names padded with spaces, stripped here): chemical counts summed per
   (pre, post), gap-junction counts (listed in both directions) per pair.
2. Builds the shared coupling W_shared[n, m] = c (sign(m) log1p(chemical m -> n) + GAP
   log1p(electrical m - n)) for m != n, zero on the diagonal. The edge list carries no signs, so
   chemical synapses take the sign of their presynaptic neuron's *class* (AVAL and AVAR share one;
   Dale's principle), drawn at random (seeded, excitatory with probability EXCITATORY); gap junctions
   are positive. The signs are not biology: the connectome decides which pairs are coupled and how
   strongly, the signs only keep the network from running away. c = GAIN / the spectral radius of
   the excitatory (positive) part of the unscaled matrix: softplus is 1-Lipschitz and h averages
   past counts, so with GAIN < 1 the excitatory loops alone cannot make the rates grow without bound;
   GAIN = 1 sits at that edge and relies on softplus's slope (below 1 at these rates) and on the
   inhibition, which is why step 5 checks the simulation.
3. Builds K = 3 states ("forward", "reverse", "head"), each W_s = [bias_s | W_shared + D_s]: the
   biases put a state's own neuron group at HIGH counts per bin and, in the forward and reverse
   states, the other locomotion group at LOW (everyone else BASE), each plus N(0, BIAS_JITTER) noise
   (on the softplus^-1 scale); D_s are DEVIATIONS state-specific entries at random off-diagonal
   (n, m), each +-DEVIATION_SIZE * max|W_shared| with a random sign. Transitions 0.98 on the
   diagonal, 0.01 elsewhere; initial distribution uniform.
4. Simulates 10 sequences x 1000 bins exactly as ``neurotool glmhmm`` models them
   (``Benchmarks/glmhmm/numpy_em.py``'s ``simulate``): states from the chain, then bin by bin
   x[t, n] ~ Poisson(softplus(W_s[n, 0] + sum_m W_s[n, 1 + m] h[t, m])), h[t, m] = sum_{k=1..5}
   phi_k x[t - k, m], phi_k proportional to e^-k summing to 1, zero before the sequence starts.
5. Checks the rates (every neuron's mean count in [0.1, 2] per bin, no count above MAX_COUNT, and in
   every state the mean count of the first and second halves of the sequences within 15 % of each
   other: no explosion; otherwise it stops with a message), then (unless
   --no-check) fits the NumPy EM of ``Benchmarks/glmhmm/numpy_em.py`` (K = 3, held-out last 20 %)
   and reports state recovery, held-out bits/spike and the connectome comparison of the learnt
   coupling, computed as ``neurotool glmhmm --connectome`` does.
6. Writes ``counts.npy``, ``names.txt``, ``truth.json`` and ``README.md`` (with the statistics) in
   ``Datasets/glmhmm/``.

Random numbers: ``numpy.random.default_rng([SEED, part])``, part 0 the class signs, 1 the biases and
deviations, 2 the simulation, 3 the check fit's start. No wall-clock time is written: two runs give
byte-identical files on the same machine (the check fit's numbers in README.md are rounded).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment
from scipy.stats import rankdata, spearmanr

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "Datasets" / "glmhmm"
EDGES = REPO / "Datasets" / "connectome" / "herm_full_edgelist.csv"
SCRIPT = "Datasets/glmhmm/generate.py"

_spec = importlib.util.spec_from_file_location("numpy_em", REPO / "Benchmarks" / "glmhmm" / "numpy_em.py")
numpy_em = importlib.util.module_from_spec(_spec)
sys.modules["numpy_em"] = numpy_em  # its dataclasses look their module up
_spec.loader.exec_module(numpy_em)

SEED = 20251221

# Well-connected head and command interneurons: the locomotion command circuit (AVA, AVD, AVE, RIM,
# AIB reverse; AVB, PVC, RIB, AIY forward) and the head-bending RIA/SMD circuit, both sides.
NEURONS = ["AVAL", "AVAR", "AVDL", "AVDR", "AVEL", "AVER", "RIML", "RIMR", "AIBL", "AIBR",
           "AVBL", "AVBR", "PVCL", "PVCR", "RIBL", "RIBR", "AIYL", "AIYR",
           "RIAL", "RIAR", "SMDVL", "SMDVR", "SMDDL", "SMDDR"]
STATES = ["forward", "reverse", "head"]
GROUPS = {
    "forward": ["AVBL", "AVBR", "PVCL", "PVCR", "RIBL", "RIBR", "AIYL", "AIYR"],
    "reverse": ["AVAL", "AVAR", "AVDL", "AVDR", "AVEL", "AVER", "RIML", "RIMR", "AIBL", "AIBR"],
    "head": ["RIAL", "RIAR", "SMDVL", "SMDVR", "SMDDL", "SMDDR"],
}
OPPOSITE = {"forward": "reverse", "reverse": "forward"}

SEQUENCES, BINS = 10, 1000
STAY = 0.98
GAIN = 1.0            # c = GAIN / spectral radius of the unscaled matrix's excitatory part
GAP = 0.5             # gap junctions count half as much as chemical synapses
EXCITATORY = 0.5      # probability that a neuron class's chemical synapses excite
HIGH, LOW, BASE = 1.0, 0.1, 0.3   # counts per bin the biases aim at (before coupling)
BIAS_JITTER = 0.2
DEVIATIONS = 6        # state-specific coupling entries per state
DEVIATION_SIZE = 0.5  # times max |W_shared|
MAX_COUNT = 50
TEST_FRACTION = 0.2
CHECK_ITERATIONS = 100


# --------------------------------------------------------------------------------------
# Connectome -> coupling
# --------------------------------------------------------------------------------------


def neuron_class(name: str) -> str:
    """AVAL -> AVA, SMDVR -> SMDV (the last letter is the side for every neuron of NEURONS)."""
    return name[:-1] if name[-1] in "LR" else name


def load_edges() -> list[tuple[str, str, float, str]]:
    with open(EDGES, encoding="utf-8", newline="") as fh:
        return [(r["Source"].strip(), r["Target"].strip(), float(r["Weight"]), r["Type"].strip())
                for r in csv.DictReader(fh)]


def synapses(edges, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(chemical, electrical), each [post, pre] = synapse count from pre to post among `names`."""
    index = {n: i for i, n in enumerate(names)}
    missing = [n for n in names if not any(n in (a, b) for a, b, _, _ in edges)]
    if missing:
        raise SystemExit(f"{EDGES}: no synapses of {missing}")
    chemical = np.zeros((len(names), len(names)))
    electrical = np.zeros_like(chemical)
    for pre, post, weight, kind in edges:
        if pre in index and post in index and pre != post:
            if kind == "chemical":
                chemical[index[post], index[pre]] += weight
            elif kind == "electrical":
                electrical[index[post], index[pre]] += weight
            else:
                raise SystemExit(f"{EDGES}: unknown synapse type {kind!r}")
    if not np.array_equal(electrical, electrical.T):
        raise SystemExit(f"{EDGES}: gap junctions are not listed in both directions")
    return chemical, electrical


def class_signs(names: list[str], rng: np.random.Generator) -> dict[str, float]:
    classes = sorted({neuron_class(n) for n in names})
    draws = rng.random(len(classes))
    return {c: (1.0 if u < EXCITATORY else -1.0) for c, u in zip(classes, draws)}


def shared_coupling(chemical: np.ndarray, electrical: np.ndarray, signs: dict[str, float],
                    names: list[str]) -> tuple[np.ndarray, float]:
    """(W_shared, c): c = GAIN / spectral radius of the excitatory (positive) part of the unscaled matrix."""
    sign = np.array([signs[neuron_class(n)] for n in names])
    raw = np.log1p(chemical) * sign[None, :] + GAP * np.log1p(electrical)
    np.fill_diagonal(raw, 0.0)
    scale = GAIN / float(np.max(np.abs(np.linalg.eigvals(np.maximum(raw, 0.0)))))
    return scale * raw, scale


def state_weights(shared: np.ndarray, names: list[str], rng: np.random.Generator):
    """(weights (K, N, 1 + N), target rates (K, N), deviations [(state, n, m, value)])."""
    n = len(names)
    index = {name: i for i, name in enumerate(names)}
    k = len(STATES)
    targets = np.full((k, n), BASE)
    for s, state in enumerate(STATES):
        for name in GROUPS[state]:
            targets[s, index[name]] = HIGH
        if state in OPPOSITE:
            for name in GROUPS[OPPOSITE[state]]:
                targets[s, index[name]] = LOW
    weights = np.zeros((k, n, n + 1))
    deviations = []
    size = DEVIATION_SIZE * np.max(np.abs(shared))
    off_diagonal = [(i, j) for i in range(n) for j in range(n) if i != j]
    for s in range(k):
        weights[s, :, 0] = numpy_em.inverse_softplus(targets[s]) + rng.normal(0.0, BIAS_JITTER, n)
        weights[s, :, 1:] = shared
        picks = rng.choice(len(off_diagonal), size=DEVIATIONS, replace=False)
        signs = np.where(rng.random(DEVIATIONS) < 0.5, -1.0, 1.0)
        for p, sg in zip(picks, signs):
            i, j = off_diagonal[p]
            weights[s, i, 1 + j] += sg * size
            deviations.append((s, int(i), int(j), float(sg * size)))
    return weights, targets, deviations


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


def rate_stats(counts: np.ndarray, states: np.ndarray) -> dict:
    per_neuron = counts.mean(axis=(0, 1))
    half = counts.shape[1] // 2
    first, second = counts[:, :half].mean(), counts[:, half:].mean()
    by_half = [[float(counts[:, part][states[:, part] == s].mean()) if np.any(states[:, part] == s) else float("nan")
                for part in (slice(0, half), slice(half, None))] for s in range(len(STATES))]
    switches = int(np.count_nonzero(np.diff(states, axis=1)))
    return {
        "mean_count": float(counts.mean()),
        "neuron_mean_min": float(per_neuron.min()),
        "neuron_mean_max": float(per_neuron.max()),
        "max_count": int(counts.max()),
        "zero_fraction": float((counts == 0).mean()),
        "state_mean_count": [float(counts[states == s].mean()) for s in range(len(STATES))],
        "state_occupancy": [float((states == s).mean()) for s in range(len(STATES))],
        "switches": switches,
        "mean_dwell_bins": float(states.size / (switches + states.shape[0])),
        "halves_mean_count": [float(first), float(second)],
        "state_halves_mean_count": by_half,
        "neuron_mean": [float(v) for v in per_neuron],
    }


def check_rates(stats: dict) -> list[str]:
    problems = []
    if not (0.1 <= stats["neuron_mean_min"] and stats["neuron_mean_max"] <= 2.0):
        problems.append(f"neuron mean counts {stats['neuron_mean_min']:.3f}-{stats['neuron_mean_max']:.3f} "
                        "outside 0.1-2 per bin")
    if stats["max_count"] > MAX_COUNT:
        problems.append(f"largest count {stats['max_count']} above {MAX_COUNT}")
    for state, (a, b) in zip(STATES, stats["state_halves_mean_count"]):
        if not abs(a - b) <= 0.15 * max(a, b):
            problems.append(f"state {state}: mean counts of the two halves {a:.3f} and {b:.3f} differ by more "
                            "than 15 %")
    return problems


def connectome_scores(coupling: np.ndarray, names: list[str], edges) -> tuple[float, float, int, int]:
    """As neurotool's ConnectomeComparison: every row of the edge list (chemical and electrical weights
    added) gives synapses[pre][post]; over pairs i < j, score max(|C[i, j]|, |C[j, i]|), synapse count
    both directions summed; (ROC AUC for count > 0 with ties counted half, Spearman rho, pairs, connected)."""
    count = {}
    for pre, post, weight, _ in edges:
        count[(pre, post)] = count.get((pre, post), 0.0) + weight
    scores, totals = [], []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            scores.append(max(abs(coupling[i, j]), abs(coupling[j, i])))
            totals.append(count.get((names[i], names[j]), 0.0) + count.get((names[j], names[i]), 0.0))
    scores, totals = np.array(scores), np.array(totals)
    labels = totals > 0
    ranks = rankdata(scores)
    p, q = int(labels.sum()), int((~labels).sum())
    auc = float((ranks[labels].sum() - p * (p + 1) / 2) / (p * q))
    return auc, float(spearmanr(scores, totals)[0]), len(scores), p


def check_fit(counts: np.ndarray, states: np.ndarray, truth, names: list[str], edges) -> dict:
    """NumPy EM, K = 3, one start; state recovery on the training bins (Hungarian matching of the
    posterior argmax to the true states), held-out scores, coupling vs truth and vs the connectome."""
    train, test = numpy_em.hold_out(counts, TEST_FRACTION)
    data = numpy_em.prepare(train, products=True)
    start = numpy_em.initial_model(numpy_em.single_state_glm(data), len(STATES),
                                   np.random.default_rng([SEED, 3]))
    fit = numpy_em.em(data, start, CHECK_ITERATIONS)
    cut = train[0].shape[0]
    true_train = states[:, :cut].ravel()
    decoded = fit.gamma.argmax(axis=1)
    confusion = np.zeros((len(STATES), len(STATES)))
    np.add.at(confusion, (true_train, decoded), 1)
    rows, cols = linear_sum_assignment(-confusion)
    matching = dict(zip(rows.tolist(), cols.tolist()))  # true state -> fitted state
    held = numpy_em.held_out(fit.model, train, test)
    truth_held = numpy_em.held_out(truth, train, test)
    off = ~np.eye(len(names), dtype=bool)
    per_state = []
    for s in range(len(STATES)):
        c = fit.model.weights[matching[s], :, 1:]
        auc, rho, pairs, connected = connectome_scores(c, names, edges)
        per_state.append({"state": STATES[s], "fitted_state": matching[s], "connectome_auc": auc,
                          "connectome_spearman": rho,
                          "coupling_correlation_with_truth":
                              float(np.corrcoef(c[off], truth.weights[s, :, 1:][off])[0, 1])})
    return {"iterations": fit.iterations, "loglik_train": fit.logliks[-1],
            "accuracy": float(confusion[rows, cols].sum() / confusion.sum()), "bits_per_spike": held[2],
            "truth_bits_per_spike": truth_held[2], "loglik_test": held[0],
            "truth_loglik_test": truth_held[0], "states": per_state, "pairs": pairs, "connected": connected}


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=1, allow_nan=False) + "\n", encoding="utf-8")


def readme(stats: dict, signs: dict[str, float], shared: np.ndarray, scale: float, truth_scores, truth_held,
           check: dict | None, chemical: np.ndarray, electrical: np.ndarray) -> str:
    n = len(NEURONS)
    coupled = int(np.count_nonzero(shared))
    linked = (chemical + chemical.T + electrical) > 0
    partners = linked.sum(axis=1)
    chemical_pairs, gap_pairs = int(np.count_nonzero(chemical)), int(np.count_nonzero(electrical)) // 2
    largest = float(np.max(np.abs(shared)))
    excit = ", ".join(c for c, v in sorted(signs.items()) if v > 0)
    inhib = ", ".join(c for c, v in sorted(signs.items()) if v < 0)
    lines = [
        "# glmhmm: a GLM-HMM demo set on the C. elegans connectome",
        "",
        "Synthetic spike counts of 24 C. elegans neurons, coupled through the **real** hermaphrodite",
        "connectome and switching between 3 hidden states, drawn exactly from the model `neurotool glmhmm`",
        "fits (Poisson, softplus link, 5-bin exponential history, per-state biases and coupling). Written by",
        f"[`generate.py`](generate.py) (`make datasets`, or `.venv/bin/python {SCRIPT}`), seed {SEED}; two",
        "runs give byte-identical files. Not a recording: no worm was measured.",
        "",
        "    neurotool glmhmm Datasets/glmhmm/counts.npy --names Datasets/glmhmm/names.txt --states 3 \\",
        "        --test-fraction 0.2 --connectome Datasets/connectome/herm_full_edgelist.csv -o out/glmhmm-demo.nc",
        "",
        "| file | what |",
        "| --- | --- |",
        f"| `counts.npy` | int64, {SEQUENCES} sequences × {BINS} bins × {n} neurons (sequences × time × neurons) |",
        f"| `names.txt` | the {n} neuron names in column order, one per line (as the connectome spells them) |",
        "| `truth.json` | `states` (per sequence, the true state of every bin), `weights` (K × N × (1 + N): bias, "
        "then "
        "coupling from each neuron), `shared_coupling`, `deviations`, `biases`, `target_rates`, `transition`, "
        "`initial`, `history_filter`, `class_signs`, `synapses_chemical`/`synapses_electrical` ([post][pre]), "
        "`stats`, parameters and versions |",
        "",
        "## Model",
        "",
        "* **Neurons** (`names.txt`, in column order): the locomotion command interneurons and the head-bending",
        f"  RIA/SMD circuit, both sides; each has {partners.min()}–{partners.max()} synaptic partners among "
        f"these {n}:",
        f"  {', '.join(NEURONS)}.",
        "* **Shared coupling** from `../connectome/herm_full_edgelist.csv` (names stripped of their padding):",
        "  `W_shared[n, m] = c · (sign(m) · log1p(chemical synapses m → n) "
        f"+ {GAP} · log1p(gap junctions m – n))`,",
        f"  m ≠ n, diagonal 0: {coupled} of {n * (n - 1)} ordered pairs coupled ({chemical_pairs} chemical,",
        f"  {gap_pairs} gap-junction pairs), |W| ≤ {largest:.3f}. The edge list has no signs:",
        "  chemical synapses take the sign of their presynaptic neuron's class (both sides alike, Dale's",
        f"  principle), drawn at random (seeded, excitatory with probability {EXCITATORY}); gap junctions excite.",
        f"  Excitatory classes: {excit}; inhibitory: {inhib}. These signs are not biology.",
        f"  c = {scale:.4f} = {GAIN} / the spectral radius of the unscaled matrix's excitatory part (softplus is",
        "  1-Lipschitz and h averages past counts, so below 1 the excitatory loops alone cannot run away; at 1",
        "  the simulation is checked, below).",
        f"* **States** (K = 3, transitions {STAY} on the diagonal, 0.01 elsewhere, uniform start):",
        f"  `forward` (AVB, PVC, RIB, AIY at {HIGH} count/bin, the reverse group at {LOW}), `reverse` (AVA, AVD, AVE,",
        f"  RIM, AIB at {HIGH}, the forward group at {LOW}), `head` (RIA, SMDV, SMDD at {HIGH}); everyone else {BASE}.",
        f"  Those are the rates the biases aim at (bias = softplus⁻¹(rate) + N(0, {BIAS_JITTER}²)); coupling moves "
        "them.",
        f"  Each state adds {DEVIATIONS} sparse deviations to the shared coupling (±{DEVIATION_SIZE} · max|W_shared|"
        f" = ±{DEVIATION_SIZE * np.max(np.abs(shared)):.3f}",
        "  at random off-diagonal entries, listed in `truth.json`).",
        "* **Emissions**: `x[t, n] ~ Poisson(softplus(W_s[n, 0] + Σ_m W_s[n, 1 + m] h[t, m]))`,",
        "  `h[t, m] = Σ_{k=1..5} φ_k x[t − k, m]`,",
        "  φ_k ∝ e^(−k) summing to 1, zero before each sequence starts (neurotool's default history).",
        "",
        "## Statistics",
        "",
        f"* Mean count {stats['mean_count']:.3f} per bin and neuron; per neuron {stats['neuron_mean_min']:.3f}–"
        f"{stats['neuron_mean_max']:.3f}; largest count {stats['max_count']}; "
        f"{100 * stats['zero_fraction']:.1f} % zeros.",
        "* Per state (true states): mean count " + ", ".join(
            f"{s} {v:.3f}" for s, v in zip(STATES, stats["state_mean_count"])) + "; occupancy " + ", ".join(
            f"{s} {100 * v:.1f} %" for s, v in zip(STATES, stats["state_occupancy"]))
        + f"; {stats['switches']} switches "
        f"(mean dwell {stats['mean_dwell_bins']:.0f} bins).",
        f"* No explosion: mean count {stats['halves_mean_count'][0]:.3f} in the first half of the sequences, "
        f"{stats['halves_mean_count'][1]:.3f} in the second; per state " + ", ".join(
            f"{s} {a:.3f}/{b:.3f}" for s, (a, b) in zip(STATES, stats["state_halves_mean_count"]))
        + f" (the script requires every neuron's mean in 0.1–2, no count above {MAX_COUNT}, and each state's "
        "halves within 15 %).",
        "* The true coupling against the connectome (neurotool's `--connectome` comparison, "
        f"{truth_scores['pairs']} pairs, "
        f"{truth_scores['connected']} connected): AUC " + ", ".join(
            f"{s} {a:.3f}" for s, a in zip(STATES, truth_scores["auc"])) + " (below 1 only through the deviations).",
        f"* The true model on the held-out last {int(TEST_FRACTION * 100)} % of every sequence: "
        f"{truth_held[2]:.3f} bits/spike above a constant rate per neuron (log-likelihood {truth_held[0]:.1f}).",
    ]
    if check is not None:
        lines += [
            "",
            "## What a fit should find",
            "",
            f"The script fits the NumPy EM of `Benchmarks/glmhmm/numpy_em.py` (the same model and EM as neurotool,",
            f"K = 3, no prior, one start, at most {CHECK_ITERATIONS} iterations, tolerance 1e-7, last 20 % held out):",
            "",
            f"* {check['iterations']} iterations; {100 * check['accuracy']:.1f} % of the training bins decoded to "
            "their true state "
            "(posterior argmax, best one-to-one matching of states);",
            f"* held out: {check['bits_per_spike']:.3f} bits/spike (the true model: "
            f"{check['truth_bits_per_spike']:.3f});",
            "* learnt coupling, per true state: connectome AUC " + ", ".join(
                f"{s['state']} {s['connectome_auc']:.2f}" for s in check["states"])
            + "; Spearman ρ with the synapse count "
            + ", ".join(f"{s['connectome_spearman']:.2f}" for s in check["states"])
            + "; correlation with the true coupling "
            + ", ".join(f"{s['coupling_correlation_with_truth']:.2f}" for s in check["states"]) + ".",
            "",
            "neurotool draws its start with other random numbers than NumPy, so its figures will differ somewhat.",
        ]
    lines += ["", "## Licence", "",
              "The coupling comes from the OpenWorm edge list in `../connectome/` (MIT, © OpenWorm: see "
              "[`CECT-LICENSE.txt`](../connectome/CECT-LICENSE.txt)); the counts are synthetic.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--no-check", action="store_true", help="skip the NumPy EM check fit")
    args = p.parse_args(argv)

    edges = load_edges()
    chemical, electrical = synapses(edges, NEURONS)
    signs = class_signs(NEURONS, np.random.default_rng([SEED, 0]))
    shared, scale = shared_coupling(chemical, electrical, signs, NEURONS)
    weights, targets, deviations = state_weights(shared, NEURONS, np.random.default_rng([SEED, 1]))
    k = len(STATES)
    transition = numpy_em.sticky_transition(k, STAY)
    truth = numpy_em.Model(np.full(k, 1.0 / k), transition, weights)
    counts, states = numpy_em.simulate(truth, SEQUENCES, BINS, np.random.default_rng([SEED, 2]))

    stats = rate_stats(counts, states)
    problems = check_rates(stats)
    if problems:
        raise SystemExit("generate.py: the simulated rates are not sensible: " + "; ".join(problems)
                         + " (lower GAIN or change the rates)")
    train, test = numpy_em.hold_out(counts, TEST_FRACTION)
    truth_held = numpy_em.held_out(truth, train, test)
    truth_conn = [connectome_scores(weights[s, :, 1:], NEURONS, edges) for s in range(k)]
    truth_scores = {"auc": [c[0] for c in truth_conn], "spearman": [c[1] for c in truth_conn],
                    "pairs": truth_conn[0][2], "connected": truth_conn[0][3]}
    check = None if args.no_check else check_fit(counts, states, truth, NEURONS, edges)

    OUT.mkdir(parents=True, exist_ok=True)
    tmp = OUT / "counts.npy.part"
    with open(tmp, "wb") as f:
        np.save(f, np.ascontiguousarray(counts, dtype=np.int64))
    tmp.replace(OUT / "counts.npy")
    (OUT / "names.txt").write_text("\n".join(NEURONS) + "\n", encoding="utf-8")
    write_json(OUT / "truth.json", {
        "description": "GLM-HMM demo: counts.npy (sequences x time x neurons, int64) drawn from this model. "
                       "weights[s][n] = [bias, coupling from neuron 0, ..., from neuron N-1] of neuron n in state s; "
                       "rate = softplus(bias + sum_m coupling_m * h_m), h_m = sum_k history_filter[k-1] x[t-k, m]. "
                       "states[q][t]: the true state of bin t of sequence q.",
        "script": SCRIPT, "seed": SEED,
        "neurons": NEURONS, "state_names": STATES, "groups": GROUPS,
        "sequences": SEQUENCES, "bins": BINS,
        "scale": scale, "gain": GAIN, "gap_factor": GAP, "excitatory_probability": EXCITATORY,
        "class_signs": signs,
        "target_rates": targets.tolist(), "bias_jitter": BIAS_JITTER,
        "deviation_size": DEVIATION_SIZE * float(np.max(np.abs(shared))),
        "deviations": [{"state": s, "neuron": i, "source": j, "value": v} for s, i, j, v in deviations],
        "history_filter": numpy_em.PHI.tolist(),
        "initial": truth.initial.tolist(), "transition": transition.tolist(),
        "biases": weights[:, :, 0].tolist(),
        "shared_coupling": shared.tolist(),
        "weights": weights.tolist(),
        "synapses_chemical": chemical.tolist(), "synapses_electrical": electrical.tolist(),
        "states": states.tolist(),
        "stats": stats,
        "truth_held_out": {"test_fraction": TEST_FRACTION, "loglik": truth_held[0], "loglik_constant": truth_held[1],
                           "bits_per_spike": truth_held[2]},
        "truth_connectome": truth_scores,
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
    })
    (OUT / "README.md").write_text(readme(stats, signs, shared, scale, truth_scores, truth_held, check,
                                          chemical, electrical), encoding="utf-8")

    print(f"{OUT / 'counts.npy'}: {counts.shape} int64, mean count {stats['mean_count']:.3f}/bin "
          f"(neurons {stats['neuron_mean_min']:.3f}-{stats['neuron_mean_max']:.3f}), max {stats['max_count']}, "
          f"{100 * stats['zero_fraction']:.1f} % zeros")
    print("  per state mean count " + ", ".join(f"{s} {v:.3f}" for s, v in zip(STATES, stats["state_mean_count"]))
          + "; occupancy " + ", ".join(f"{s} {v:.3f}" for s, v in zip(STATES, stats["state_occupancy"])))
    print(f"  halves {stats['halves_mean_count'][0]:.3f} / {stats['halves_mean_count'][1]:.3f}; "
          f"c {scale:.4f}, |W_shared| max {np.max(np.abs(shared)):.3f}, {int(np.count_nonzero(shared))} coupled pairs; "
          f"signs {signs}")
    print(f"  truth: held-out {truth_held[2]:.4f} bits/spike; connectome AUC "
          + ", ".join(f"{a:.3f}" for a in truth_scores["auc"]))
    if check:
        print(f"  NumPy EM check: {check['iterations']} iterations, accuracy {check['accuracy']:.4f}, held-out "
              f"{check['bits_per_spike']:.4f} bits/spike (truth {check['truth_bits_per_spike']:.4f}); per state AUC "
              + ", ".join(f"{s['connectome_auc']:.3f}" for s in check["states"]) + ", corr with truth "
              + ", ".join(f"{s['coupling_correlation_with_truth']:.3f}" for s in check["states"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
