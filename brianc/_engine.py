"""The engine's settings: the random-number seed and stream counter, and
the number of threads.

Every object that draws random numbers in C gets its own block of 256
streams when it is created; a draw is a pure function of (seed, stream,
step, neuron), so the same ``seed()`` gives the same spikes, on any number
of threads.
"""
from __future__ import annotations

import math
import numbers
import os

import numpy as np

__all__ = ["seed", "set_num_threads", "get_num_threads"]

_STREAMS_PER_OBJECT = 256


class _EngineState:
    """The seed in force and the next free stream."""

    def __init__(self) -> None:
        # Unseeded scripts differ from run to run, as Brian 1's did.
        self.seed = int.from_bytes(os.urandom(8), "little")
        self.next_stream = 0
        self.threads: int | None = None     # None: BRIANC_THREADS or auto
        # Tests set this to split dear updates even when the core's timing
        # finds serial faster (a busy machine), to check the split itself.
        self.always_split = False


_state = _EngineState()


def seed(seed=None) -> None:
    """Seed brianc's engine and NumPy's global generator (Brian 1 scripts
    call ``seed(n)`` and expect both ``rand()`` and the simulation to
    repeat)."""
    if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, numbers.Real) or
            not math.isfinite(seed) or int(seed) != seed or seed < 0):
        raise ValueError(f"seed must be a non-negative integer, got "
                         f"{seed!r}")
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


def set_num_threads(n) -> None:
    """Use up to ``n`` threads (1: serial) for the state update of groups
    large enough to gain from it, in every later ``run``, and for drawing
    big random connections; ``None`` goes back to the default: the
    environment variable BRIANC_THREADS, or else one thread per online
    CPU.  Results (spikes, states, synapses) are the same bit for bit on
    any number of threads."""
    if n is not None:
        ok = isinstance(n, numbers.Integral) and not isinstance(n, bool)
        n = _checked_threads(int(n) if ok else None, n, "set_num_threads(n)")
    _state.threads = n


def get_num_threads() -> int:
    """The number of threads runs use for large state updates."""
    n = run_threads()
    return n if n > 0 else max(os.sysconf("SC_NPROCESSORS_ONLN"), 1)


def run_threads() -> int:
    """The core network's setting: a thread count, or 0 for one per
    online CPU (counted in C)."""
    if _state.threads is not None:
        return _state.threads
    env = os.environ.get("BRIANC_THREADS", "").strip()
    if env == "":
        return 0
    return _checked_threads(int(env) if env.isdigit() else None, env,
                            "the environment variable BRIANC_THREADS")


_MAX_THREADS = 256      # the core's BC_POOL_MAX_THREADS


def _checked_threads(n: int | None, given, what: str) -> int:
    if n is None or not 1 <= n <= _MAX_THREADS:
        raise ValueError(f"{what} needs a whole number of threads from 1 to "
                         f"{_MAX_THREADS}, got {given!r}")
    return n
