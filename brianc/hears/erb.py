"""Centre frequencies spaced evenly on the ERB scale (Glasberg & Moore)."""
from __future__ import annotations

import numpy as np

from ..stdunits import Hz
from ..units import check_units

__all__ = ["erbspace"]


@check_units(low=Hz, high=Hz)
def erbspace(low, high, N, earQ=9.26449, minBW=24.7, order=1):
    """N centre frequencies from ``low`` to ``high`` (Hz, ascending),
    equally spaced in ERB number with the Glasberg & Moore parameters
    ``earQ`` and ``minBW``; returns a plain array in Hz."""
    low, high = float(low), float(high)
    N = int(N)
    shift = earQ * minBW
    if N == 1:
        return np.array([low])
    # ERB number is log(f + earQ*minBW) up to a constant: equal steps in
    # log(f + shift) from log(high + shift) down to log(low + shift).
    steps = np.arange(N) / (N - 1.0)
    cf = np.exp(np.log(high + shift) +
                steps * (np.log(low + shift) - np.log(high + shift))) - shift
    return cf[::-1]
