"""The engine's random-number state: one seed and a stream counter.

Every object that draws random numbers in C gets its own block of 256
streams when it is created; a draw is a pure function of (seed, stream,
step, neuron), so the same ``seed()`` gives the same spikes.
"""
from __future__ import annotations

import os

import numpy as np

__all__ = ["seed"]

_STREAMS_PER_OBJECT = 256


class _EngineState:
    """The seed in force and the next free stream."""

    def __init__(self) -> None:
        # Unseeded scripts differ from run to run, as Brian 1's did.
        self.seed = int.from_bytes(os.urandom(8), "little")
        self.next_stream = 0


_state = _EngineState()


def seed(seed=None) -> None:
    """Seed brianc's engine and NumPy's global generator (Brian 1 scripts
    call ``seed(n)`` and expect both ``rand()`` and the simulation to
    repeat)."""
    np.random.seed(seed)
    if seed is None:
        _state.seed = int.from_bytes(os.urandom(8), "little")
    else:
        if int(seed) != seed or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got "
                             f"{seed!r}")
        _state.seed = int(seed) & (2**64 - 1)
    _state.next_stream = 0


def current_seed() -> int:
    return _state.seed


def new_stream() -> int:
    """The base of a fresh block of streams for one object."""
    base = _state.next_stream
    _state.next_stream += _STREAMS_PER_OBJECT
    return base
