"""Correlated spike trains (Brian 1's tools/correlatedspikes): Poisson
sources whose rates are driven by shared processes -- Cox processes with
Ornstein-Uhlenbeck rates, and a mixture of one source train copied with
probability c.  Built on PoissonGroup with a rate function.
"""
from __future__ import annotations

import math

import numpy as np

from ..clock import guess_clock
from ..directcontrol import PoissonGroup

__all__ = ["rectified_gaussian", "inv_rectified_gaussian",
           "HomogeneousCorrelatedSpikeTrains",
           "MixtureHomogeneousCorrelatedSpikeTrains", "CorrelatedSpikeTrains",
           "decompose_correlation_matrix", "mixture_process"]


def rectified_gaussian(mu, sigma):
    """(mean, standard deviation) of max(X, 0) for X ~ N(mu, sigma^2)."""
    mu, sigma = float(mu), float(sigma)
    a = 1.0 + math.erf(mu / (sigma * math.sqrt(2.0)))
    mean = sigma / math.sqrt(2 * math.pi) * math.exp(-0.5 * (mu / sigma) ** 2) \
        + 0.5 * mu * a
    var = (mu - mean) * mean + 0.5 * sigma ** 2 * a
    return mean, math.sqrt(max(var, 0.0))


def inv_rectified_gaussian(mur, sigmar):
    """(mu, sigma) of the gaussian whose rectification has mean ``mur`` and
    standard deviation ``sigmar``."""
    mur, sigmar = float(mur), float(sigmar)
    if sigmar == 0:
        return mur, sigmar
    target = mur / sigmar

    def f(x: float) -> float:
        m, s = rectified_gaussian(x, 1.0)
        return m / s - target

    # Secant iterations on mean/std of the rectified unit gaussian, which
    # increases with x.
    x0, x1 = target, target * 1.1 + 1e-3
    f0, f1 = f(x0), f(x1)
    for _ in range(200):
        if f1 == f0:
            break
        x0, x1 = x1, x1 - f1 * (x1 - x0) / (f1 - f0)
        f0, f1 = f1, f(x1)
        if abs(f1) < 1e-13:
            break
    y = x1
    sigma = mur / (math.exp(-0.5 * y * y) / math.sqrt(2 * math.pi)
                   + 0.5 * y * (1.0 + math.erf(y / math.sqrt(2.0))))
    return y * sigma, sigma


class _StepProcess:
    """A rate function advancing a random process once per step: calls
    with the time already seen return the cached rates (construction and
    reinit call it again)."""

    def __init__(self, clock, initial, advance):
        self.clock = clock
        self.state = initial
        self.advance = advance
        self.last = None
        self.rates = None

    def __call__(self, t):
        step = int(round(float(t) / float(self.clock.dt)))
        if self.last is None or step != self.last:
            if self.last is not None:
                self.state = self.advance(self.state)
            self.last = step
            self.rates = self.rates_of(self.state)
        return self.rates


class HomogeneousCorrelatedSpikeTrains(PoissonGroup):
    """N spike trains of rate r sharing one Ornstein-Uhlenbeck rate
    (a Cox process): pairwise cross-covariance ``(c*r/tauc) exp(-|s|/tauc)``.

    Parameters
    ----------
    N : int
    r : Quantity
        Mean rate (Hz).
    c : float
        Total correlation strength in [0, 1].
    tauc : Quantity
        Correlation time constant.
    """

    def __init__(self, N, r, c, tauc, clock=None):
        clock = guess_clock(clock, 0)
        r_hz, tau = float(r), float(tauc)
        sigmar = math.sqrt(float(c) * r_hz / (2.0 * tau))
        mu, sigma = inv_rectified_gaussian(r_hz, sigmar)
        dt = float(clock.dt)
        n = int(N)

        def advance(x: float) -> float:
            # Euler-Maruyama of dx/dt = (mu - x)/tauc + sigma xi / sqrt(tauc)
            return x + (mu - x) * dt / tau + \
                sigma * math.sqrt(dt / tau) * np.random.randn()

        process = _StepProcess(clock, mu, advance)
        process.rates_of = lambda x: np.full(n, max(x, 0.0))
        self.__dict__["_process"] = process
        super().__init__(N, process, clock=clock)
        self.__dict__.update(r=r, c=c, tauc=tauc, mu=mu, sigma=sigma)


class MixtureHomogeneousCorrelatedSpikeTrains(PoissonGroup):
    """N trains of rate r with correlation c: a source train of rate r/c
    whose spikes are copied to each train with probability c."""

    def __init__(self, N, r, c, cl=None):
        clock = guess_clock(cl, 0)
        if not 0 < float(c) <= 1:
            raise ValueError(f"correlation c must be in (0, 1], got {c}")
        dt = float(clock.dt)
        p_source = float(r) / float(c) * dt
        copy_rate = float(c) / dt      # rate*dt = c: kept with probability c
        n = int(N)

        def advance(_state) -> bool:
            return np.random.rand() <= p_source

        process = _StepProcess(clock, np.random.rand() <= p_source, advance)
        process.rates_of = lambda spike: np.full(n, copy_rate if spike
                                                 else 0.0)
        super().__init__(N, process, clock=clock)
        self.__dict__.update(N=n, r=r, c=c, dt=clock.dt)


def decompose_correlation_matrix(C, R):
    """L with L L^T = C once C's diagonal is completed with alpha R_i^2
    (alpha the smallest making C positive semi-definite)."""
    C = np.array(C, dtype=np.float64)
    R = np.asarray(R, dtype=np.float64)
    D = R ** 2
    np.fill_diagonal(C, 0.0)
    eig = np.linalg.eigvals(np.diag(1.0 / D) @ C)
    alpha = -np.min(eig[np.isreal(eig)].real)
    C = C + np.diag(alpha * D)
    U, S, Vt = np.linalg.svd(C)
    return U @ np.diag(np.sqrt(S)) @ Vt


class CorrelatedSpikeTrains(PoissonGroup):
    """Spike trains with rates ``rates`` and pairwise covariances
    ``C[i,j] exp(-|s|/tauc)``: rate = R + L y, y independent OU processes
    of time constant tauc."""

    def __init__(self, rates, C, tauc, clock=None):
        clock = guess_clock(clock, 0)
        R = np.asarray(rates, dtype=np.float64)
        L = decompose_correlation_matrix(C, R)
        tau = float(tauc)
        dt = float(clock.dt)
        n = len(R)

        def advance(y: np.ndarray) -> np.ndarray:
            return y - y * dt / tau + np.sqrt(dt / (0.5 * tau)) * \
                np.random.randn(n)

        process = _StepProcess(clock, np.zeros(n), advance)
        process.rates_of = lambda y: np.maximum(R + L @ y, 0.0)
        super().__init__(n, process, clock=clock)
        self.__dict__.update(_R=R, _L=L)


def mixture_process(nu, P, tauc, t):
    """Spikes of a mixture process over [0, t]: source k fires as Poisson
    of rate nu[k]; each of its spikes goes to train i with probability
    P[i, k], jittered by Exp(tauc).  Returns sorted (i, t) pairs."""
    nu = np.atleast_1d(np.asarray(nu, dtype=np.float64)).reshape(-1)
    P = np.asarray(P, dtype=np.float64).reshape(-1, len(nu))
    duration, tau = float(t), float(tauc)
    pairs = []
    for k in range(len(nu)):
        count = np.random.poisson(nu[k] * duration)
        if count == 0:
            continue
        source = np.random.uniform(0.0, duration, count)
        for i in range(P.shape[0]):
            kept = source[np.random.rand(count) < P[i, k]]
            if kept.size:
                times = kept + np.random.exponential(tau, kept.size) \
                    if tau > 0 else kept
                pairs.extend((i, float(s)) for s in times if s <= duration)
    pairs.sort(key=lambda p: p[1])
    return pairs
