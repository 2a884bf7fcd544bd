"""The default sample rate of Brian Hears objects (44.1 kHz, as in
Brian 1)."""
from __future__ import annotations

from ..stdunits import kHz

__all__ = ["get_samplerate", "set_default_samplerate"]

_default = {"samplerate": 44.1 * kHz}


def get_samplerate(samplerate=None):
    """``samplerate``, or the default sample rate if it is None."""
    return _default["samplerate"] if samplerate is None else samplerate


def set_default_samplerate(samplerate) -> None:
    """Set the sample rate used when none is given (44.1 kHz at start)."""
    _default["samplerate"] = samplerate
