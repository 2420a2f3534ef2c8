#!/usr/bin/env python3
"""A NumPy/SciPy EM for neurotool's Poisson GLM-HMM (no prior): the peer of Benchmarks/glmhmm/bench.py.

    .venv/bin/python Benchmarks/glmhmm/numpy_em.py Benchmarks/.data/glmhmm/bench.npy \
        [--states 4] [--iterations 10] [--test-fraction 0.2] [--seed 0]

**Model** (as `neurotool glmhmm --emission poisson --prior none`, softplus link, exponential history):
K states, N neurons, counts x[t, n] ~ Poisson(softplus(eta[t, n])) with eta[t, n] = W_s[n] . d_t in state
s; the design row d_t = [1, h[t, 0], ..., h[t, N-1]], h[t, m] = sum_{k=1..5} phi_k x[t-k, m], phi_k
proportional to e^-k and summing to 1, causal, zero before the start of the sequence (a held-out part is
a sequence of its own). W_s is N x (1 + N): column 0 the bias, column 1 + m the coupling from neuron m
(self-coupling included). Initial distribution pi (K), transitions A (K x K, rows sum to 1).

**EM**, as neurotool's GLMHMMFitter (Sources/NeuroGLMHMM/GLMHMMFit.swift), one iteration:

* E-step: per-bin, per-state log-likelihoods ll[t, s] = sum_n x log lambda - lambda - log x! (lambda
  floored at 1e-300), then forward-backward with per-step normalisation (scaled): emissions enter as
  exp(ll - max over states), the maxima and the log scales are added back to the sequence's
  log-likelihood. Per sequence; sequences of equal length go through the same Python loop over time as
  one (S, K) batch. Returns the total log-likelihood, posteriors gamma, expected transitions (summed)
  and first-bin posteriors (summed).
* Convergence: stop before the M-step when the log-likelihood changed by at most tol (1e-7) times its
  magnitude (neurotool's rule; a benchmark of N iterations rarely meets it).
* M-step: pi = normalised summed first-bin posteriors, A = row-normalised expected transitions (both
  floored at 1e-12); then for each state and neuron 3 damped Newton steps on the posterior-weighted
  Poisson-softplus log-likelihood sum_t gamma[t, s] (x log lambda - lambda) - ridge/2 |w|^2, ridge 1e-6:
  gradient sum_t gamma l' d_t - ridge w, negative Hessian sum_t gamma max(-l'', 1e-10) d_t d_t^T + ridge I
  with l' = (x/lambda - 1) sigma(eta), l'' = -x sigma^2/lambda^2 + (x/lambda - 1) sigma (1 - sigma); the
  step is halved (up to 12 times) until the objective does not decrease, and a neuron whose step is never
  accepted stops. Bins with gamma <= 1e-12 are left out of the objective. Vectorised over the neurons of
  a state: the Hessians of all neurons from one BLAS product Z curvature, Z the products of the
  design's columns (upper triangle, formed once per fit with the design: 59 MB for the benchmark's
  32,000 training bins; neuron by neuron above 1 GB), one batched solve, the line search on the
  still-pending neurons.

**Start** (as neurotool's, not its random numbers): a single-state GLM, biases at softplus^-1 of each
neuron's mean count and then 8 Newton steps with gamma = 1; every state's weights are that GLM's plus
0.3 N(0, 1) max(|w|, 0.1) (numpy.random.default_rng(seed)); pi uniform; A 0.95 on the diagonal, 0.05/(K-1)
elsewhere.

**Held-out score** (neurotool's GLMHMMEvaluation.heldOut): the last round(F T) bins of every sequence
are held out (a sequence of their own, its history starting from zero) when both parts are longer than
the 5 lags; LL_model = sum of the test parts' forward log-likelihoods; LL_const = the same counts under
a constant Poisson rate per neuron, its mean count over all training bins (log x! included on both
sides); bits/spike = (LL_model - LL_const) / (test spikes * ln 2).

`em` records the wall time of each E-step and M-step (time.perf_counter); building the design
matrices and the start (the single-state GLM) are timed apart, as neurotool's `fit_seconds` covers its
EM loop only. `simulate` draws data from this model (Datasets/glmhmm/generate.py,
Benchmarks/glmhmm/make_data.py). Nothing here is used by neurotool at run time.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.special import gammaln

LAGS = 5
RIDGE = 1e-6
NEWTON_STEPS = 3
SINGLE_STEPS = 8
HALVINGS = 12
TOL = 1e-7
STAY = 0.95
JITTER = 0.3
GAMMA_FLOOR = 1e-12
CURVATURE_FLOOR = 1e-10
RATE_FLOOR = 1e-300
EXPLOSION = 1e4  # simulate() stops when a rate reaches this many counts per bin
PRODUCTS_LIMIT = 1 << 30  # bytes: above this the Hessians are formed neuron by neuron


# --------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------


def basis(lags: int = LAGS) -> np.ndarray:
    """phi[k - 1] for lags k = 1..lags: proportional to e^-k, summing to 1 (neurotool's exponential basis)."""
    raw = np.exp(-np.arange(1, lags + 1, dtype=np.float64))
    return raw / raw.sum()


PHI = basis()


def history(counts: np.ndarray, phi: np.ndarray = PHI) -> np.ndarray:
    """h[..., t, m] = sum_k phi[k - 1] x[..., t - k, m], zero before the start (time is axis -2)."""
    x = np.asarray(counts, dtype=np.float64)
    h = np.zeros_like(x)
    t = x.shape[-2]
    for k, w in enumerate(phi, start=1):
        if k < t:
            h[..., k:, :] += w * x[..., :-k, :]
    return h


def design(counts: np.ndarray, phi: np.ndarray = PHI) -> np.ndarray:
    """[1 | h]: (..., T, 1 + N)."""
    h = history(counts, phi)
    return np.concatenate([np.ones(h.shape[:-1] + (1,)), h], axis=-1)


def softplus(eta):
    """log(1 + e^eta), stably: max(eta, 0) + log1p(e^-|eta|)."""
    eta = np.asarray(eta, dtype=np.float64)
    return np.maximum(eta, 0.0) + np.log1p(np.exp(-np.abs(eta)))


def softplus_sigmoid(eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(softplus(eta), sigmoid(eta)) from one exponential."""
    e = np.exp(-np.abs(eta))
    return np.maximum(eta, 0.0) + np.log1p(e), np.where(eta >= 0, 1.0, e) / (1.0 + e)


def inverse_softplus(rate):
    """The eta with softplus(eta) = rate (rate floored at 1e-6; linear above 30), as neurotool's inverseMean."""
    r = np.maximum(np.asarray(rate, dtype=np.float64), 1e-6)
    return np.where(r > 30, r, np.log(np.expm1(np.minimum(r, 30))))


def sticky_transition(k: int, stay: float) -> np.ndarray:
    """stay on the diagonal, the rest shared equally."""
    if k == 1:
        return np.ones((1, 1))
    a = np.full((k, k), (1.0 - stay) / (k - 1))
    np.fill_diagonal(a, stay)
    return a


@dataclass
class Model:
    initial: np.ndarray     # (K,)
    transition: np.ndarray  # (K, K)
    weights: np.ndarray     # (K, N, 1 + N)

    @property
    def states(self) -> int:
        return self.weights.shape[0]

    def copy(self) -> "Model":
        return Model(self.initial.copy(), self.transition.copy(), self.weights.copy())


def simulate(model: Model, sequences: int, length: int, rng: np.random.Generator,
             phi: np.ndarray = PHI) -> tuple[np.ndarray, np.ndarray]:
    """(counts int64 (S, T, N), states int64 (S, T)) drawn from the model exactly: per sequence the state
    path from the chain (s[0] ~ pi, s[t] ~ A[s[t-1]]), then bin by bin (all sequences at once)
    x[t] ~ Poisson(softplus(W_s[t] [1, h_t])) with h_t from the counts already drawn. Random numbers, in
    order: rng.random((S, T)) for the states (inversion of the cumulative probabilities), then
    rng.poisson(rates) of shape (S, N) for t = 0, 1, ..."""
    k, n = model.weights.shape[0], model.weights.shape[1]
    u = rng.random((sequences, length))
    cum_pi = np.cumsum(model.initial)
    cum_a = np.cumsum(model.transition, axis=1)
    states = np.empty((sequences, length), dtype=np.int64)
    states[:, 0] = np.minimum(np.searchsorted(cum_pi / cum_pi[-1], u[:, 0], side="right"), k - 1)
    for t in range(1, length):
        rows = cum_a[states[:, t - 1]]
        states[:, t] = np.minimum((u[:, t, None] >= rows / rows[:, -1:]).sum(axis=1), k - 1)
    counts = np.zeros((sequences, length, n), dtype=np.int64)
    bias = model.weights[:, :, 0]              # (K, N)
    coupling = model.weights[:, :, 1:]         # (K, N, N): [s, to, from]
    for t in range(length):
        h = np.zeros((sequences, n))
        for lag, w in enumerate(phi, start=1):
            if t - lag >= 0:
                h += w * counts[:, t - lag, :]
        s = states[:, t]
        eta = bias[s] + np.einsum("qnm,qm->qn", coupling[s], h)
        lam = softplus(eta)
        if not np.all(lam < EXPLOSION):
            raise ValueError(f"simulate: a rate reached {np.max(lam):.3g} per bin at bin {t}: the coupling makes "
                             "activity explode (scale it down)")
        counts[:, t, :] = rng.poisson(lam)
    return counts, states


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


def sequences_of(counts) -> list[np.ndarray]:
    """A list of (T, N) float64 sequences from a (S, T, N) or (T, N) array or a list of arrays."""
    if isinstance(counts, np.ndarray):
        if counts.ndim == 2:
            return [np.asarray(counts, dtype=np.float64)]
        if counts.ndim == 3:
            return [np.asarray(c, dtype=np.float64) for c in counts]
        raise ValueError(f"counts have shape {counts.shape}; expected (time, neurons) or (sequences, time, neurons)")
    return [np.asarray(c, dtype=np.float64) for c in counts]


def hold_out(counts, fraction: float, minimum: int = LAGS) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """neurotool's GLMHMMInput.holdOut: the last round(fraction T) bins of each sequence (half rounds up)
    become a test sequence when both parts are longer than `minimum`; otherwise all of it trains."""
    train, test = [], []
    for s in sequences_of(counts):
        t = s.shape[0]
        cut = t - int(math.floor(t * fraction + 0.5))
        if cut > minimum and t - cut > minimum:
            train.append(s[:cut])
            test.append(s[cut:])
        else:
            train.append(s)
    return train, test


@dataclass
class Data:
    """Sequences stacked by rows: counts x (R, N), design X (R, 1 + N), log x! summed per row (R,),
    the row slices of each sequence, and (training data) the products of the design columns
    Z[p, t] = X[t, i_p] X[t, j_p] over the upper triangle i_p <= j_p, so that every neuron's Hessian
    comes from one product Z curvature."""
    x: np.ndarray
    X: np.ndarray
    log_factorial: np.ndarray
    slices: list[slice]
    groups: dict[int, list[int]] = field(default_factory=dict)  # length -> sequence indices
    products: np.ndarray | None = None

    @property
    def neurons(self) -> int:
        return self.x.shape[1]


def design_products(X: np.ndarray) -> np.ndarray | None:
    """(D(D+1)/2, R): row p holds X[:, i_p] X[:, j_p] over the upper triangle i_p <= j_p (row-major);
    None above PRODUCTS_LIMIT bytes."""
    r, d = X.shape
    rows, cols = np.triu_indices(d)
    if r * rows.size * 8 > PRODUCTS_LIMIT:
        return None
    columns = np.ascontiguousarray(X.T)
    z = np.empty((rows.size, r))
    for p, (i, j) in enumerate(zip(rows, cols)):
        np.multiply(columns[i], columns[j], out=z[p])
    return z


def prepare(sequences, phi: np.ndarray = PHI, products: bool = False) -> Data:
    seqs = sequences_of(sequences)
    if not seqs:
        raise ValueError("no sequences")
    for i, s in enumerate(seqs):
        if s.shape[0] <= len(phi):
            raise ValueError(f"sequence {i + 1} has {s.shape[0]} bins, fewer than the history needs ({len(phi) + 1})")
        if np.any(s < 0) or np.any(s != np.round(s)) or not np.all(np.isfinite(s)):
            raise ValueError(f"sequence {i + 1}: Poisson emissions need non-negative integer counts")
    x = np.ascontiguousarray(np.concatenate(seqs))
    X = np.ascontiguousarray(np.concatenate([design(s, phi) for s in seqs]))
    bounds = np.concatenate([[0], np.cumsum([s.shape[0] for s in seqs])])
    slices = [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]
    groups: dict[int, list[int]] = {}
    for i, s in enumerate(seqs):
        groups.setdefault(s.shape[0], []).append(i)
    return Data(x, X, gammaln(x + 1.0).sum(axis=1), slices, groups, design_products(X) if products else None)


# --------------------------------------------------------------------------------------
# E-step
# --------------------------------------------------------------------------------------


def rates(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """softplus(X w^T), floored at 1e-300: (R, N) for w (N, D)."""
    return np.maximum(softplus(X @ w.T), RATE_FLOOR)


def state_logliks(data: Data, weights: np.ndarray) -> np.ndarray:
    """(R, K): log p(x[t] | state s), log x! included."""
    out = np.empty((data.x.shape[0], weights.shape[0]))
    for s, w in enumerate(weights):
        lam = rates(data.X, w)
        out[:, s] = (data.x * np.log(lam) - lam).sum(axis=1)
    out -= data.log_factorial[:, None]
    return out


def forward_backward(ll: np.ndarray, initial: np.ndarray, transition: np.ndarray, posteriors: bool = True):
    """Scaled forward-backward for S sequences of equal length: ll (S, T, K). Returns (log-likelihood per
    sequence (S,), posteriors (S, T, K), expected transitions (K, K) summed over sequences and bins),
    the last two None with posteriors=False."""
    s_count, t_len, k = ll.shape
    m = ll.max(axis=2, keepdims=True)
    e = np.exp(ll - m)
    alpha = np.empty_like(e)
    scale = np.empty((s_count, t_len))
    a = initial[None, :] * e[:, 0]
    scale[:, 0] = a.sum(axis=1)
    alpha[:, 0] = a / scale[:, :1]
    for t in range(1, t_len):
        a = (alpha[:, t - 1] @ transition) * e[:, t]
        c = a.sum(axis=1)
        scale[:, t] = c
        alpha[:, t] = a / c[:, None]
    total = m[:, :, 0].sum(axis=1) + np.log(scale).sum(axis=1)
    if not posteriors:
        return total, None, None
    beta = np.empty_like(e)
    beta[:, -1] = 1.0
    eb = np.empty_like(e)  # e[t] beta[t] / scale[t]
    eb[:, -1] = e[:, -1] / scale[:, -1:]
    for t in range(t_len - 2, -1, -1):
        beta[:, t] = eb[:, t + 1] @ transition.T
        eb[:, t] = e[:, t] * beta[:, t] / scale[:, t:t + 1]
    gamma = alpha * beta
    gamma /= gamma.sum(axis=2, keepdims=True)
    if t_len > 1:
        xi = transition * np.einsum("stk,stj->kj", alpha[:, :-1], eb[:, 1:])
    else:
        xi = np.zeros((k, k))
    return total, gamma, xi


@dataclass
class EStep:
    loglik: float
    gamma: np.ndarray   # (R, K)
    xi: np.ndarray      # (K, K)
    first: np.ndarray   # (K,)


def e_step(data: Data, model: Model) -> EStep:
    ll = state_logliks(data, model.weights)
    k = model.states
    gamma = np.empty_like(ll)
    xi = np.zeros((k, k))
    first = np.zeros(k)
    total = 0.0
    for length, members in data.groups.items():
        rows = np.stack([ll[data.slices[i]] for i in members])
        tot, g, x = forward_backward(rows, model.initial, model.transition)
        total += float(tot.sum())
        xi += x
        first += g[:, 0].sum(axis=0)
        for j, i in enumerate(members):
            gamma[data.slices[i]] = g[j]
    return EStep(total, gamma, xi, first)


def sequence_logliks(data: Data, model: Model) -> np.ndarray:
    """Forward log-likelihood of each sequence of `data` (in order)."""
    ll = state_logliks(data, model.weights)
    out = np.empty(len(data.slices))
    for length, members in data.groups.items():
        tot, _, _ = forward_backward(np.stack([ll[data.slices[i]] for i in members]), model.initial,
                                     model.transition, posteriors=False)
        out[members] = tot
    return out


# --------------------------------------------------------------------------------------
# M-step
# --------------------------------------------------------------------------------------


def _objective(X, x, gm, w, ridge) -> np.ndarray:
    """Per neuron: sum_t gm[t] (x log lambda - lambda) - ridge/2 |w|^2, for w (n, D) and x (R, n)."""
    lam = rates(X, w)
    return gm @ (x * np.log(lam) - lam) - 0.5 * ridge * np.einsum("nd,nd->n", w, w)


def newton(X: np.ndarray, x: np.ndarray, gamma: np.ndarray, w: np.ndarray, steps: int = NEWTON_STEPS,
           ridge: float = RIDGE, products: np.ndarray | None = None) -> np.ndarray:
    """Damped Newton on the posterior-weighted Poisson-softplus log-likelihood of every neuron at once.
    X (R, D) design, x (R, N) counts, gamma (R,) weights of one state, w (N, D) start, products the
    design_products of X (or None). Returns the new w."""
    w = np.array(w, dtype=np.float64, copy=True)
    n, d = w.shape
    upper = np.triu_indices(d)
    gm = np.where(gamma > GAMMA_FLOOR, gamma, 0.0)
    value = _objective(X, x, gm, w, ridge)
    active = np.ones(n, dtype=bool)
    eye = np.eye(d)
    for _ in range(steps):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        wa, xa = w[idx], x[:, idx]
        lam, sig = softplus_sigmoid(X @ wa.T)
        lam = np.maximum(lam, RATE_FLOOR)
        ratio = xa / lam
        first = (ratio - 1.0) * sig
        second = -ratio * sig * sig / lam + (ratio - 1.0) * sig * (1.0 - sig)
        curvature = gamma[:, None] * np.maximum(-second, CURVATURE_FLOOR)
        gradient = (X.T @ (gamma[:, None] * first)).T - ridge * wa          # (n, D)
        hessian = np.empty((idx.size, d, d))
        if products is not None:
            packed = (products @ curvature).T                                # (n, D(D+1)/2)
            hessian[:, upper[0], upper[1]] = packed
            hessian[:, upper[1], upper[0]] = packed
        else:
            for j in range(idx.size):
                hessian[j] = (X * curvature[:, j, None]).T @ X
        hessian += ridge * eye
        try:
            step = np.linalg.solve(hessian, gradient[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            step = np.zeros_like(gradient)
            for j in range(idx.size):
                try:
                    step[j] = np.linalg.solve(hessian[j], gradient[j])
                except np.linalg.LinAlgError:
                    active[idx[j]] = False
        pending = active.copy()
        scale = np.ones(n)
        full_step = np.zeros_like(w)
        full_step[idx] = step
        for _ in range(HALVINGS):
            p = np.flatnonzero(pending)
            if p.size == 0:
                break
            candidate = w[p] + scale[p, None] * full_step[p]
            v = _objective(X, x[:, p], gm, candidate, ridge)
            ok = v >= value[p]
            accepted = p[ok]
            w[accepted] = candidate[ok]
            value[accepted] = v[ok]
            pending[accepted] = False
            scale[pending] /= 2
        active &= ~pending  # a step never accepted: that neuron stops
    return w


def m_step(data: Data, model: Model, stats: EStep, steps: int = NEWTON_STEPS, ridge: float = RIDGE) -> Model:
    k = model.states
    initial = np.maximum(stats.first / stats.first.sum(), GAMMA_FLOOR)
    sums = stats.xi.sum(axis=1, keepdims=True)
    transition = np.where(sums > 0, np.maximum(stats.xi / np.where(sums > 0, sums, 1.0), GAMMA_FLOOR), np.eye(k))
    weights = np.stack([newton(data.X, data.x, stats.gamma[:, s], model.weights[s], steps, ridge, data.products)
                        for s in range(k)])
    return Model(initial, transition, weights)


# --------------------------------------------------------------------------------------
# Start, EM, evaluation
# --------------------------------------------------------------------------------------


def single_state_glm(data: Data, ridge: float = RIDGE) -> np.ndarray:
    """(N, D): biases at softplus^-1(mean count), then 8 Newton steps with gamma = 1."""
    w = np.zeros((data.neurons, data.X.shape[1]))
    w[:, 0] = inverse_softplus(data.x.mean(axis=0))
    return newton(data.X, data.x, np.ones(data.x.shape[0]), w, SINGLE_STEPS, ridge, data.products)


def initial_model(single: np.ndarray, states: int, rng: np.random.Generator) -> Model:
    weights = np.stack([single + JITTER * rng.standard_normal(single.shape) * np.maximum(np.abs(single), 0.1)
                        for _ in range(states)])
    return Model(np.full(states, 1.0 / states), sticky_transition(states, STAY), weights)


@dataclass
class Fit:
    model: Model
    logliks: list[float]         # training log-likelihood at each E-step (before that iteration's M-step)
    e_seconds: list[float]
    m_seconds: list[float]
    gamma: np.ndarray            # posteriors of the last E-step (R, K)

    @property
    def iterations(self) -> int:
        return len(self.logliks)

    @property
    def seconds(self) -> float:
        return float(sum(self.e_seconds) + sum(self.m_seconds))


def em(data: Data, model: Model, iterations: int, tol: float = TOL, steps: int = NEWTON_STEPS,
       ridge: float = RIDGE) -> Fit:
    """Up to `iterations` EM iterations (E-step, convergence test, M-step) from `model`, as neurotool's."""
    model = model.copy()
    logliks, e_times, m_times = [], [], []
    stats = None
    for _ in range(iterations):
        start = time.perf_counter()
        stats = e_step(data, model)
        e_times.append(time.perf_counter() - start)
        logliks.append(stats.loglik)
        if len(logliks) >= 2 and abs(logliks[-1] - logliks[-2]) <= tol * abs(logliks[-1]):
            break
        start = time.perf_counter()
        model = m_step(data, model, stats, steps, ridge)
        m_times.append(time.perf_counter() - start)
    return Fit(model, logliks, e_times, m_times, stats.gamma)


def held_out(model: Model, train, test) -> tuple[float, float, float]:
    """(LL_model, LL_const, bits/spike) of the test sequences, as neurotool's GLMHMMEvaluation.heldOut."""
    train_x = np.concatenate(sequences_of(train))
    mean = np.maximum(train_x.mean(axis=0), 1e-12)
    test_data = prepare(test)
    ll = float(sequence_logliks(test_data, model).sum())
    x = test_data.x
    constant = float((x * np.log(mean) - mean).sum() - test_data.log_factorial.sum())
    spikes = float(x.sum())
    return ll, constant, (ll - constant) / (max(spikes, 1.0) * math.log(2))


@dataclass
class Run:
    fit: Fit
    setup_seconds: float   # design matrices
    start_seconds: float   # single-state GLM and jitter
    train: list[np.ndarray]
    test: list[np.ndarray]
    held: tuple[float, float, float] | None


def run(counts, states: int, iterations: int, test_fraction: float | None = 0.2, seed: int = 0,
        tol: float = TOL) -> Run:
    """Split, prepare, start and fit; the held-out score of the final model."""
    if test_fraction:
        train, test = hold_out(counts, test_fraction)
    else:
        train, test = sequences_of(counts), []
    t0 = time.perf_counter()
    data = prepare(train, products=True)
    t1 = time.perf_counter()
    model = initial_model(single_state_glm(data), states, np.random.default_rng(seed))
    t2 = time.perf_counter()
    fit = em(data, model, iterations, tol)
    held = held_out(fit.model, train, test) if test else None
    return Run(fit, t1 - t0, t2 - t1, train, test, held)


def state_rates(data: Data, gamma: np.ndarray) -> np.ndarray:
    """(K, N) posterior-weighted mean counts per state: sum_t gamma[t, s] x[t] / sum_t gamma[t, s]."""
    return (gamma.T @ data.x) / np.maximum(gamma.sum(axis=0), 1e-300)[:, None]


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


def self_check(seed: int = 0) -> dict:
    """Small, untimed checks of this module against independent computations: the scaled forward-backward
    against tools/python/glmhmm_peer.py (textbook log-space recursions), and the Newton gradient and
    Hessian against finite differences of the objective. Returns the largest differences."""
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("glmhmm_peer", root / "tools" / "python" / "glmhmm_peer.py")
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)

    rng = np.random.default_rng(seed)
    k, n = 3, 4
    w = np.stack([np.column_stack([rng.normal(-0.5, 0.5, n), rng.normal(0, 0.3, (n, n))]) for _ in range(k)])
    model = Model(np.array([0.5, 0.3, 0.2]), sticky_transition(k, 0.9), w)
    counts, _ = simulate(model, 2, 60, rng)
    data = prepare(counts)
    stats = e_step(data, model)
    ll = state_logliks(data, w)
    peer_total, peer_gamma, peer_xi = 0.0, [], np.zeros((k, k))
    for sl in data.slices:
        t, g, xi = peer.forward_backward(ll[sl], model.initial, model.transition)
        peer_total += t
        peer_gamma.append(g)
        peer_xi += xi
    out = {"loglik": abs(stats.loglik - peer_total),
           "posteriors": float(np.max(np.abs(stats.gamma - np.concatenate(peer_gamma)))),
           "transitions": float(np.max(np.abs(stats.xi - peer_xi)))}
    # Gradient and Hessian of one neuron's objective by central differences.
    gamma = stats.gamma[:, 0]
    w0 = w[0, :1] + 0.1
    f = lambda v: float(_objective(data.X, data.x[:, :1], gamma, v[None, :], RIDGE)[0])  # noqa: E731
    eta = data.X @ w0[0]
    lam, sig = softplus_sigmoid(eta)
    r = data.x[:, 0] / lam
    grad = data.X.T @ (gamma * (r - 1) * sig) - RIDGE * w0[0]
    curvature = gamma * (r * sig * sig / lam - (r - 1) * sig * (1 - sig))
    neg_h = (data.X * curvature[:, None]).T @ data.X + RIDGE * np.eye(n + 1)
    eps = 1e-5
    fd_grad = np.array([(f(w0[0] + eps * e) - f(w0[0] - eps * e)) / (2 * eps) for e in np.eye(n + 1)])
    eps = 1e-4
    fd_h = np.array([[(f(w0[0] + eps * (a + b)) - f(w0[0] + eps * (a - b)) - f(w0[0] - eps * (a - b))
                       + f(w0[0] - eps * (a + b))) / (4 * eps * eps) for b in np.eye(n + 1)] for a in np.eye(n + 1)])
    with_products = newton(data.X, data.x, gamma, w[0], products=design_products(data.X))
    without = newton(data.X, data.x, gamma, w[0], products=None)
    out["hessian_products"] = float(np.max(np.abs(with_products - without)))
    out["gradient"] = float(np.max(np.abs(grad - fd_grad)) / max(1.0, np.max(np.abs(fd_grad))))
    out["hessian"] = float(np.max(np.abs(-neg_h - fd_h)) / max(1.0, np.max(np.abs(fd_h))))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Fits the GLM-HMM by NumPy EM and prints timings and scores.")
    p.add_argument("counts", help="NPY array, sequences x time x neurons (or time x neurons)")
    p.add_argument("--states", type=int, default=4)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--test-fraction", type=float, default=0.2, help="0: no held-out part")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", action="store_true", help="run self_check() first")
    args = p.parse_args(argv)
    if args.check:
        print("self check (largest differences):", {k: f"{v:.2g}" for k, v in self_check().items()})
    counts = np.load(args.counts)
    r = run(counts, args.states, args.iterations, args.test_fraction or None, args.seed)
    f = r.fit
    print(f"{args.counts}: {counts.shape}, K={args.states}, {f.iterations} iterations; design {r.setup_seconds:.3f} s, "
          f"start {r.start_seconds:.3f} s")
    for i, ll in enumerate(f.logliks):
        m = f.m_seconds[i] if i < len(f.m_seconds) else float("nan")
        print(f"  iteration {i + 1}: loglik {ll:.3f}  E-step {f.e_seconds[i]:.3f} s  M-step {m:.3f} s")
    print(f"EM {f.seconds:.3f} s, {f.seconds / f.iterations:.4f} s/iteration "
          f"(E {np.mean(f.e_seconds):.4f} s, M {np.mean(f.m_seconds) if f.m_seconds else float('nan'):.4f} s)")
    if r.held:
        print(f"held out: loglik {r.held[0]:.3f}, constant {r.held[1]:.3f}, {r.held[2]:.4f} bits/spike")
    return 0


if __name__ == "__main__":
    sys.exit(main())
