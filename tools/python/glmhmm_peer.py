#!/usr/bin/env python3
"""A small NumPy peer for Poisson-HMM likelihoods: an independent check of hmmlearn and of neurotool.

Forward-backward and Viterbi in log space, written from the textbook recursions (no hmmlearn, no
SciPy) so that tools/python/make_glmhmm_fixtures.py can check hmmlearn's numbers against a second
implementation before writing Tests/Fixtures/glmhmm/.

Definitions (K states, N neurons, T time bins; counts x[t, n] >= 0 integers; rates lambda[k, n] > 0):

* `poisson_loglik(counts, rates)[t, k] = sum_n x[t, n] log lambda[k, n] - lambda[k, n] - log(x[t, n]!)`,
  natural log, including the log(x!) terms as hmmlearn (scipy.stats.poisson.logpmf) does. A GLM-HMM
  whose states carry only a bias b[k, n] (exp link, no coupling or covariates) has lambda = exp(b).
* `forward_backward(loglik, startprob, transmat)` for one sequence:
  log alpha[0] = log pi + ll[0], log alpha[t] = logsumexp_i(log alpha[t-1, i] + log A[i, :]) + ll[t];
  log beta[T-1] = 0, log beta[t] = logsumexp_j(log A[:, j] + ll[t+1, j] + log beta[t+1, j]);
  total = logsumexp(log alpha[T-1]); posteriors gamma[t] = exp(log alpha[t] + log beta[t] - total);
  expected transitions xi[i, j] = sum_t exp(log alpha[t, i] + log A[i, j] + ll[t+1, j]
  + log beta[t+1, j] - total).
* `viterbi(loglik, startprob, transmat)` -> (log p of the best path, the path), ties to the lowest state.
* `score_sequences` / `em_step` / `em`: several independent sequences (rows concatenated, `lengths`),
  pooled as hmmlearn pools them: total = sum of the sequences' log-likelihoods; the EM update is
  startprob = normalised sum of gamma[0] over sequences, transmat = row-normalised sum of xi,
  rates = sum_t gamma[t, k] x[t, n] / sum_t gamma[t, k] (maximum likelihood, no priors).

Import it from tools/python (as make_glmhmm_fixtures.py does):

    import glmhmm_peer
    ll = glmhmm_peer.poisson_loglik(counts, rates)
    total, posteriors, xi = glmhmm_peer.forward_backward(ll, startprob, transmat)

`check_fixture(path)` recomputes a Tests/Fixtures/glmhmm/poisson_hmm.json from its counts and parameters
and returns the largest differences to the recorded (hmmlearn) numbers:

    .venv/bin/python -c "import sys; sys.path.insert(0, 'tools/python'); import glmhmm_peer; \\
        print(glmhmm_peer.check_fixture('Tests/Fixtures/glmhmm/poisson_hmm.json'))"

Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np


def _log(a) -> np.ndarray:
    """log with log(0) = -inf and no warning (zero probabilities are allowed)."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.log(a)


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    """log(sum(exp(a))) along axis, stable; all -inf gives -inf."""
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return np.squeeze(out, axis=axis)


def _log_factorial(counts: np.ndarray) -> np.ndarray:
    """log(x!) elementwise for non-negative integer counts (math.lgamma on the distinct values)."""
    values, inverse = np.unique(counts, return_inverse=True)
    table = np.array([math.lgamma(float(v) + 1.0) for v in values], dtype=np.float64)
    return table[inverse].reshape(counts.shape)


def poisson_loglik(counts, rates) -> np.ndarray:
    """(T, K) log p(x[t] | state k) for counts (T, N) and rates (K, N), log(x!) included."""
    x = np.asarray(counts, dtype=np.float64)
    lam = np.asarray(rates, dtype=np.float64)
    if x.ndim != 2 or lam.ndim != 2 or x.shape[1] != lam.shape[1]:
        raise ValueError(f"counts {x.shape} and rates {lam.shape} must be (T, N) and (K, N)")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("counts must be non-negative integers")
    if np.any(lam < 0):
        raise ValueError("rates must be non-negative")
    log_lam = _log(lam)  # (K, N)
    # x log(lambda) with 0 log 0 = 0 (a zero rate allows only zero counts).
    with np.errstate(invalid="ignore"):
        x_log_lam = np.where(x[:, None, :] > 0, x[:, None, :] * log_lam[None, :, :], 0.0)  # (T, K, N)
    return (x_log_lam - lam[None, :, :] - _log_factorial(x)[:, None, :]).sum(axis=2)


def _check_hmm(loglik, startprob, transmat):
    ll = np.asarray(loglik, dtype=np.float64)
    pi = np.asarray(startprob, dtype=np.float64)
    a = np.asarray(transmat, dtype=np.float64)
    k = pi.shape[0]
    if ll.ndim != 2 or ll.shape[1] != k or a.shape != (k, k) or ll.shape[0] == 0:
        raise ValueError(f"loglik {ll.shape}, startprob {pi.shape}, transmat {a.shape} do not fit")
    return ll, _log(pi), _log(a)


def forward_backward(loglik, startprob, transmat):
    """One sequence: (total log-likelihood, posteriors (T, K), expected transition counts (K, K))."""
    ll, log_pi, log_a = _check_hmm(loglik, startprob, transmat)
    t_len, k = ll.shape
    log_alpha = np.empty((t_len, k))
    log_beta = np.zeros((t_len, k))
    log_alpha[0] = log_pi + ll[0]
    for t in range(1, t_len):
        log_alpha[t] = _logsumexp(log_alpha[t - 1][:, None] + log_a, axis=0) + ll[t]
    for t in range(t_len - 2, -1, -1):
        log_beta[t] = _logsumexp(log_a + (ll[t + 1] + log_beta[t + 1])[None, :], axis=1)
    total = float(_logsumexp(log_alpha[-1], axis=0))
    if not np.isfinite(total):
        raise ValueError("the sequence has probability zero under these parameters")
    posteriors = np.exp(log_alpha + log_beta - total)
    if t_len > 1:
        log_xi = (log_alpha[:-1, :, None] + log_a[None, :, :]
                  + (ll[1:] + log_beta[1:])[:, None, :] - total)  # (T-1, K, K)
        xi = np.exp(log_xi).sum(axis=0)
    else:
        xi = np.zeros((k, k))
    return total, posteriors, xi


def viterbi(loglik, startprob, transmat):
    """One sequence: (log p(x, best path), best path as int64 (T,)); ties go to the lowest state."""
    ll, log_pi, log_a = _check_hmm(loglik, startprob, transmat)
    t_len, k = ll.shape
    delta = log_pi + ll[0]
    back = np.zeros((t_len, k), dtype=np.int64)
    for t in range(1, t_len):
        cand = delta[:, None] + log_a  # (from, to)
        back[t] = np.argmax(cand, axis=0)
        delta = cand[back[t], np.arange(k)] + ll[t]
    path = np.empty(t_len, dtype=np.int64)
    path[-1] = int(np.argmax(delta))
    for t in range(t_len - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return float(delta[path[-1]]), path


def split(lengths):
    """Row slices of the sequences in a concatenation of sequences of these lengths."""
    bounds = np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))])
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]


def score_sequences(counts, lengths, startprob, transmat, rates) -> dict:
    """Forward-backward on each sequence: total, per-sequence scores, posteriors (rows concatenated),
    expected transitions (summed), first-step posteriors (summed), Viterbi (summed log p, states)."""
    x = np.asarray(counts)
    if sum(lengths) != x.shape[0]:
        raise ValueError(f"lengths {list(lengths)} do not add up to {x.shape[0]} rows")
    ll = poisson_loglik(x, rates)
    k = ll.shape[1]
    out = {"sequence_scores": [], "posteriors": [], "xi": np.zeros((k, k)), "start": np.zeros(k),
           "viterbi_logprobs": [], "viterbi_states": []}
    for s in split(lengths):
        total, gamma, xi = forward_backward(ll[s], startprob, transmat)
        vlog, path = viterbi(ll[s], startprob, transmat)
        out["sequence_scores"].append(total)
        out["posteriors"].append(gamma)
        out["xi"] += xi
        out["start"] += gamma[0]
        out["viterbi_logprobs"].append(vlog)
        out["viterbi_states"].append(path)
    out["score"] = float(sum(out["sequence_scores"]))
    out["posteriors"] = np.concatenate(out["posteriors"])
    out["viterbi_states"] = np.concatenate(out["viterbi_states"])
    out["viterbi_logprob"] = float(sum(out["viterbi_logprobs"]))
    return out


def em_step(counts, lengths, startprob, transmat, rates):
    """One Baum-Welch step (maximum likelihood, no priors): (log-likelihood of the parameters given,
    (startprob, transmat, rates) after the step)."""
    x = np.asarray(counts, dtype=np.float64)
    r = score_sequences(x, lengths, startprob, transmat, rates)
    gamma = r["posteriors"]
    new_start = r["start"] / r["start"].sum()
    new_trans = r["xi"] / r["xi"].sum(axis=1, keepdims=True)
    new_rates = (gamma.T @ x) / gamma.sum(axis=0)[:, None]
    return r["score"], (new_start, new_trans, new_rates)


def em(counts, lengths, startprob, transmat, rates, n_iter: int):
    """n_iter Baum-Welch steps: (history, final (startprob, transmat, rates)); history[i] is the
    log-likelihood of the parameters before step i + 1, as hmmlearn's monitor_.history records it."""
    params = tuple(np.asarray(p, dtype=np.float64) for p in (startprob, transmat, rates))
    history = []
    for _ in range(n_iter):
        score, params = em_step(counts, lengths, *params)
        history.append(score)
    return history, params


def check_fixture(path) -> dict:
    """Recompute a poisson_hmm.json fixture; returns the largest absolute differences to its numbers
    and whether the Viterbi paths are equal."""
    fx = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = np.asarray(fx["counts"], dtype=np.int64)
    r = score_sequences(counts, fx["lengths"], fx["startprob"], fx["transmat"], fx["lambdas"])
    out = {
        "score": abs(r["score"] - fx["score"]),
        "sequence_scores": float(np.max(np.abs(np.subtract(r["sequence_scores"], fx["sequence_scores"])))),
        "posteriors": float(np.max(np.abs(r["posteriors"] - np.asarray(fx["posteriors"])))),
        "viterbi_logprob": abs(r["viterbi_logprob"] - fx["viterbi_logprob"]),
        "viterbi_states_equal": bool(np.array_equal(r["viterbi_states"], fx["viterbi_states"])),
    }
    if "expected_transitions" in fx:
        out["expected_transitions"] = float(np.max(np.abs(r["xi"] - np.asarray(fx["expected_transitions"]))))
    if "em" in fx:
        e = fx["em"]
        start = e["start"]
        history, (s, t, lam) = em(counts, fx["lengths"], start["startprob"], start["transmat"], start["lambdas"],
                                  len(e["history"]))
        out["em_history"] = float(np.max(np.abs(np.subtract(history, e["history"]))))
        fin = e["final"]
        out["em_final"] = float(max(np.max(np.abs(s - fin["startprob"])), np.max(np.abs(t - fin["transmat"])),
                                    np.max(np.abs(lam - fin["lambdas"]))))
    return out
