"""Random processes (Brian 1's ``brian.library.random_processes``)."""
from __future__ import annotations

import numpy as np

from ..equations import Equations
from ..units import get_unit

__all__ = ["OrnsteinUhlenbeck", "white_noise", "colored_noise"]


def OrnsteinUhlenbeck(x, mu, sigma, tau):
    """Equations of an Ornstein-Uhlenbeck process named ``x`` with mean
    ``mu``, standard deviation ``sigma`` and time constant ``tau``:
    ``dx/dt = (mu - x)/tau + sigma sqrt(2/tau) xi``, in mu's unit."""
    return Equations(
        "dx/dt = (mu - x)*invtau + sigma*((2.*invtau)**.5)*xi : unit",
        x=x, mu=mu, sigma=sigma, invtau=1.0 / tau, unit=get_unit(mu))


def white_noise(dt, duration):
    """``int(duration/dt)`` independent standard normal samples."""
    return np.random.randn(int(duration / dt))


def colored_noise(tau, dt, duration):
    """Samples of an Ornstein-Uhlenbeck process of unit variance and time
    constant tau (white noise through a first-order low-pass filter)."""
    try:
        from scipy.signal import lfilter     # optional dependency
    except ImportError:
        raise ImportError("colored_noise needs scipy") from None
    noise = white_noise(dt, duration)
    decay = float(np.exp(-dt / tau))
    return np.sqrt(2 * dt / tau) * lfilter([1.0], [1.0, -decay], noise)
