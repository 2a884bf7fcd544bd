"""FractionalDelay: delays by fractions of a sample with windowed-sinc
FIR filters."""
from __future__ import annotations

import math

import numpy as np

from .firfilterbank import FIRFilterbank

__all__ = ["FractionalDelay"]


def fractional_delay_ir(delay, samplerate, filter_length=151) -> np.ndarray:
    """A Hamming-windowed sinc of ``filter_length`` taps centred at
    filter_length // 2 + delay*samplerate samples (an exact unit impulse
    for a whole number of samples)."""
    shift = float(delay) * float(samplerate)
    centre = filter_length // 2
    x = np.arange(filter_length) - shift
    if abs(round(shift) - shift) < 1e-10:
        return (x == centre).astype(np.float64)
    u = x - centre
    window = 0.54 - 0.46 * np.cos(2.0 * np.pi * (x + 0.5) / filter_length)
    return window * np.sin(np.pi * u) / (np.pi * u)


class FractionalDelay(FIRFilterbank):
    """One channel per entry of ``delays`` (seconds, possibly negative),
    each delayed by ``delay_offset + delay`` where ``delay_offset`` is
    half the filter length (the filters are causal).  ``filter_length``
    defaults to at least 2048 taps."""

    def __init__(self, source, delays, filter_length=None, **kwds):
        delays = np.atleast_1d(np.asarray(delays, dtype=np.float64))
        rate = float(source.samplerate)
        longest = int(math.ceil(rate * np.max(np.abs(delays))))
        if filter_length is None:
            filter_length = max(2 * int(longest * 1.25) + 1, 2048)
        if filter_length // 2 <= longest:
            raise ValueError(f"FractionalDelay: filter_length "
                             f"{filter_length} is too short for delays up to "
                             f"{longest} samples")
        self.delay_offset = (filter_length // 2) / source.samplerate
        self.filter_length = filter_length
        self.delays = delays
        self.impulse_response = np.array(
            [fractional_delay_ir(d, rate, filter_length) for d in delays])
        FIRFilterbank.__init__(self, source, self.impulse_response, **kwds)
