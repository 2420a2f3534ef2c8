#!/usr/bin/env python3
"""Writes the Poisson-HMM cross-check fixtures of neurotool: Tests/Fixtures/glmhmm/.

* `poisson_hmm_counts.npy`: int64 C-order (430, 4) spike counts, two sequences of 250 and 180 time bins
  concatenated by rows (the same numbers as `counts` in the JSON).
* `poisson_hmm.json`: the counts, the true parameters and what hmmlearn 0.3.3 computes from them.

**Model**: K = 3 states, N = 4 neurons, Poisson emissions independent across neurons given the state;
startprob [0.5, 0.3, 0.2]; transmat 0.95 on the diagonal and 0.025 elsewhere; rates `LAMBDAS` below
(K x N, between 0.2 and 5, every neuron's rates differ across states).
**Simulation**: `rng = numpy.random.default_rng(20251215)`; for each sequence in turn (lengths 250, 180):
s[0] = rng.choice(3, p=startprob), then s[t] = rng.choice(3, p=transmat[s[t-1]]) for t = 1.., then
counts = rng.poisson(LAMBDAS[s]) (all T x N at once). The simulated states are recorded as `true_states`.

**hmmlearn at the true parameters**: `PoissonHMM(n_components=3, init_params="", params="")` with
startprob_, transmat_, lambdas_ set (no fitting); X = counts as float64, lengths = [250, 180]:
`score` = model.score(X, lengths) (total natural-log likelihood summed over the sequences, including the
-log(x!) terms: hmmlearn uses scipy.stats.poisson.logpmf); `sequence_scores` = model.score of each
sequence alone; `posteriors` = model.predict_proba(X, lengths) (430 x 3, rows of both sequences);
`viterbi_logprob`, `viterbi_states` = model.decode(X, lengths, algorithm="viterbi") (log p(x, path) summed
over the sequences; path concatenated); `viterbi_sequence_logprobs` per sequence; `log_factorial_total` =
sum of log(x!) over all counts (add it to a likelihood that leaves the constant out);
`expected_transitions` = sum over sequences and t of P(s[t] = i, s[t+1] = j | x) (hmmlearn's E-step
statistic `trans`, K x K).

**hmmlearn's EM**: `PoissonHMM(n_components=3, n_iter=20, tol=-inf, random_state=0, init_params="")`
(params "stl", implementation "log", no priors: startprob_prior = transmat_prior = 1, lambdas_prior =
lambdas_weight = 0, i.e. maximum likelihood) from `em.start`, a perturbed start:
startprob = 0.5 * true + 0.5 / 3, transmat = 0.7 * true + 0.3 / 3, lambdas = true * exp(u) with
u = default_rng(20251216).uniform(-0.5, 0.5, (3, 4)). tol = -inf runs all 20 iterations. `em.history` =
model.monitor_.history: history[i] is the log-likelihood of the parameters *before* M-step i + 1 (so
history[0] = score at em.start); `em.final` = the parameters after the 20th M-step and `em.final_score`
their log-likelihood (model.score). hmmlearn's M-step pools the sequences: startprob = normalised sum of
the sequences' first-step posteriors, transmat = row-normalised expected transitions, lambdas[k] =
sum_t gamma[t, k] x[t] / sum_t gamma[t, k].

Every number is checked against tools/python/glmhmm_peer.py (an independent NumPy forward-backward /
Viterbi / Baum-Welch in log space) before writing, and the written JSON is read back and checked again.
Run from the repository root (or `make fixtures`):

    .venv/bin/python tools/python/make_glmhmm_fixtures.py

Deterministic (fixed seeds): two runs give identical bytes on the same machine. Floats are written with
Python's repr (json.dump of Python floats): they parse back to the same doubles. Nothing here is used by
neurotool at run time.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from pathlib import Path

import hmmlearn
import numpy as np
import scipy
import sklearn
from hmmlearn.hmm import PoissonHMM

sys.path.insert(0, str(Path(__file__).resolve().parent))
import glmhmm_peer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "glmhmm"
SCRIPT = "tools/python/make_glmhmm_fixtures.py"

K, N = 3, 4
LENGTHS = [250, 180]
SEED = 20251215
START_SEED = 20251216
EM_ITER = 20
STARTPROB = np.array([0.5, 0.3, 0.2])
STAY = 0.95
MOVE = 0.025  # (1 - STAY) / (K - 1), written as the literal (the quotient is 0.025000000000000022)
TRANSMAT = np.where(np.eye(K, dtype=bool), STAY, MOVE)
LAMBDAS = np.array([
    [0.2, 1.0, 3.0, 5.0],
    [4.0, 0.5, 1.5, 0.3],
    [1.5, 4.5, 0.25, 2.0],
])
TOL = 1e-10  # peer vs hmmlearn: scores, posteriors (absolute); expected transitions (relative to the largest)
EM_TOL = 1e-8  # peer vs hmmlearn after 20 EM iterations (history, final parameters)


def simulate(rng: np.random.Generator):
    counts, states = [], []
    for t_len in LENGTHS:
        s = np.empty(t_len, dtype=np.int64)
        s[0] = rng.choice(K, p=STARTPROB)
        for t in range(1, t_len):
            s[t] = rng.choice(K, p=TRANSMAT[s[t - 1]])
        counts.append(rng.poisson(LAMBDAS[s]).astype(np.int64))
        states.append(s)
    return np.concatenate(counts), np.concatenate(states)


def fixed_model(startprob, transmat, lambdas) -> PoissonHMM:
    model = PoissonHMM(n_components=K, init_params="", params="")
    model.startprob_ = np.array(startprob, dtype=np.float64)
    model.transmat_ = np.array(transmat, dtype=np.float64)
    model.lambdas_ = np.array(lambdas, dtype=np.float64)
    return model


def params_json(startprob, transmat, lambdas) -> dict:
    return {"startprob": np.asarray(startprob).tolist(), "transmat": np.asarray(transmat).tolist(),
            "lambdas": np.asarray(lambdas).tolist()}


def maxdiff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def require(ok: bool, what: str) -> None:
    if not ok:
        raise SystemExit(f"check failed: {what}")


def write_json(path: Path, obj: dict) -> None:
    """One top-level key per line (and one `em` entry per line), floats as Python reprs."""
    def block(d: dict, indent: str) -> list[str]:
        out = []
        items = list(d.items())
        for i, (key, value) in enumerate(items):
            sep = "," if i < len(items) - 1 else ""
            if key == "em":
                out.append(f"{indent}{json.dumps(key)}: {{")
                out += block(value, indent + " ")
                out.append(f"{indent}}}{sep}")
            else:
                out.append(f"{indent}{json.dumps(key)}: {json.dumps(value, allow_nan=False)}{sep}")
        return out
    text = "\n".join(["{", *block(obj, ""), "}"]) + "\n"
    path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    require(np.all(TRANSMAT.sum(axis=1) == 1.0), "transmat rows must sum to 1 exactly")
    counts, true_states = simulate(np.random.default_rng(SEED))
    X = counts.astype(np.float64)
    lengths = np.array(LENGTHS)
    bounds = np.concatenate([[0], np.cumsum(LENGTHS)])

    # hmmlearn at the true parameters.
    model = fixed_model(STARTPROB, TRANSMAT, LAMBDAS)
    score = float(model.score(X, lengths))
    sequence_scores = [float(model.score(X[a:b])) for a, b in zip(bounds[:-1], bounds[1:])]
    posteriors = model.predict_proba(X, lengths)
    viterbi_logprob, viterbi_states = model.decode(X, lengths, algorithm="viterbi")
    viterbi_seq = [float(model.decode(X[a:b], algorithm="viterbi")[0]) for a, b in zip(bounds[:-1], bounds[1:])]
    model.params = "stl"  # only so that the E-step accumulates every statistic; no M-step is run
    stats, estep_score = model._do_estep(X, lengths)
    model.params = ""
    expected_transitions = stats["trans"]
    log_factorial_total = float(sum(math.lgamma(float(v) + 1.0) for v in counts.ravel()))

    # The independent peer.
    peer = glmhmm_peer.score_sequences(counts, LENGTHS, STARTPROB, TRANSMAT, LAMBDAS)
    require(abs(peer["score"] - score) < TOL, f"score: peer {peer['score']!r} vs hmmlearn {score!r}")
    require(abs(estep_score - score) < TOL, "hmmlearn's E-step and score disagree")
    require(maxdiff(peer["sequence_scores"], sequence_scores) < TOL, "sequence scores")
    require(abs(sum(sequence_scores) - score) < TOL, "sequence scores do not add up to the score")
    require(maxdiff(peer["posteriors"], posteriors) < TOL, "posteriors")
    require(maxdiff(posteriors.sum(axis=1), 1.0) < 1e-12, "posterior rows do not sum to 1")
    # Sums of ~400 exponentials of log-space terms of magnitude ~1000: compare relative to the largest count.
    require(maxdiff(peer["xi"], expected_transitions) < TOL * expected_transitions.max(), "expected transitions")
    require(abs(expected_transitions.sum() - (sum(LENGTHS) - len(LENGTHS))) < 1e-8, "expected transitions total")
    require(np.array_equal(peer["viterbi_states"], viterbi_states), "Viterbi paths differ")
    require(abs(peer["viterbi_logprob"] - viterbi_logprob) < TOL, "Viterbi log-probability")
    require(maxdiff(peer["viterbi_logprobs"], viterbi_seq) < TOL, "per-sequence Viterbi log-probabilities")
    require(viterbi_logprob < score, "the best path cannot be likelier than all paths")

    # hmmlearn's EM from a perturbed start.
    start_rng = np.random.default_rng(START_SEED)
    start_lambdas = LAMBDAS * np.exp(start_rng.uniform(-0.5, 0.5, (K, N)))
    start_startprob = 0.5 * STARTPROB + 0.5 / K
    start_transmat = 0.7 * TRANSMAT + 0.3 / K
    start_startprob /= start_startprob.sum()
    start_transmat /= start_transmat.sum(axis=1, keepdims=True)
    em_model = PoissonHMM(n_components=K, n_iter=EM_ITER, tol=-np.inf, random_state=0, init_params="")
    em_model.startprob_ = start_startprob.copy()
    em_model.transmat_ = start_transmat.copy()
    em_model.lambdas_ = start_lambdas.copy()
    em_model.fit(X, lengths)
    history = [float(v) for v in em_model.monitor_.history]
    require(len(history) == EM_ITER, f"hmmlearn ran {len(history)} EM iterations, expected {EM_ITER}")
    final_score = float(em_model.score(X, lengths))
    require(all(b >= a - 1e-9 for a, b in zip(history, history[1:])) and final_score >= history[-1] - 1e-9,
            "EM log-likelihood decreased")
    require(abs(history[0] - fixed_model(start_startprob, start_transmat, start_lambdas).score(X, lengths)) < TOL,
            "history[0] is not the score at the start")
    peer_history, (p_s, p_t, p_l) = glmhmm_peer.em(counts, LENGTHS, start_startprob, start_transmat,
                                                   start_lambdas, EM_ITER)
    require(maxdiff(peer_history, history) < EM_TOL, f"EM history: {maxdiff(peer_history, history)}")
    em_diff = max(maxdiff(p_s, em_model.startprob_), maxdiff(p_t, em_model.transmat_),
                  maxdiff(p_l, em_model.lambdas_))
    require(em_diff < EM_TOL, f"EM final parameters: {em_diff}")

    np.save(OUT / "poisson_hmm_counts.npy", counts)
    require(np.array_equal(np.load(OUT / "poisson_hmm_counts.npy"), counts), "npy read-back")
    path = OUT / "poisson_hmm.json"
    write_json(path, {
        "description": (f"Poisson HMM, K={K} states, N={N} neurons, sequences of {LENGTHS} bins (rows "
                        "concatenated), simulated with numpy default_rng(seed); hmmlearn PoissonHMM at the true "
                        "parameters (score, sequence_scores, posteriors, viterbi_*; natural log, -log(x!) "
                        f"included) and its EM ({EM_ITER} iterations, tol=-inf, no priors) from em.start; "
                        "em.history[i] = log-likelihood before M-step i+1. See the script's docstring."),
        "script": SCRIPT,
        "python": platform.python_version(),
        "hmmlearn": hmmlearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "seed": SEED,
        "n_states": K,
        "n_neurons": N,
        "lengths": LENGTHS,
        "counts_npy": "poisson_hmm_counts.npy",
        "counts": counts.tolist(),
        "true_states": true_states.tolist(),
        "startprob": STARTPROB.tolist(),
        "transmat": TRANSMAT.tolist(),
        "lambdas": LAMBDAS.tolist(),
        "score": score,
        "sequence_scores": sequence_scores,
        "log_factorial_total": log_factorial_total,
        "posteriors": posteriors.tolist(),
        "expected_transitions": expected_transitions.tolist(),
        "viterbi_logprob": float(viterbi_logprob),
        "viterbi_sequence_logprobs": viterbi_seq,
        "viterbi_states": viterbi_states.astype(np.int64).tolist(),
        "em": {
            "call": (f"PoissonHMM(n_components={K}, n_iter={EM_ITER}, tol=-inf, random_state=0, init_params='')"
                     ".fit(X, lengths) with startprob_, transmat_, lambdas_ set to em.start"),
            "start_seed": START_SEED,
            "n_iter": EM_ITER,
            "start": params_json(start_startprob, start_transmat, start_lambdas),
            "history": history,
            "final": params_json(em_model.startprob_, em_model.transmat_, em_model.lambdas_),
            "final_score": final_score,
        },
    })
    check = glmhmm_peer.check_fixture(path)
    require(all(v < TOL for k, v in check.items()
                if k not in ("viterbi_states_equal", "expected_transitions", "em_history", "em_final"))
            and check["expected_transitions"] < TOL * expected_transitions.max() and check["viterbi_states_equal"] and check["em_history"] < EM_TOL and check["em_final"] < EM_TOL,
            f"read-back check {check}")

    size = path.stat().st_size
    require(size < 200_000, f"{path.name} is {size} bytes")
    occupancy = np.bincount(true_states, minlength=K)
    agree = float(np.mean(viterbi_states == true_states))
    print(f"counts {counts.shape}, mean {counts.mean():.3f}, max {counts.max()}; true state occupancy {occupancy.tolist()}")
    print(f"score {score!r} (sequences {sequence_scores[0]!r}, {sequence_scores[1]!r}); "
          f"log(x!) total {log_factorial_total!r}")
    print(f"viterbi logprob {float(viterbi_logprob)!r}, path agrees with the true states on {agree:.3f} of bins")
    print(f"EM: history[0] {history[0]!r} -> history[-1] {history[-1]!r}, final score {final_score!r}")
    print("peer vs hmmlearn (max abs diff): " + ", ".join(
        f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in check.items()))
    print(f"wrote {OUT.relative_to(ROOT)}/: poisson_hmm.json ({size} bytes), poisson_hmm_counts.npy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
