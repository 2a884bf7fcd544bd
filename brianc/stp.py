"""Short-term plasticity on a Connection (Brian 1's STP): the
Tsodyks-Markram model of depression and facilitation.

Each presynaptic neuron carries resources x and utilisation u::

    dx/dt = (1 - x) / taud        du/dt = (U - u) / tauf

and at each of its spikes the connection's weights are scaled by u*x
(taken before the spike's jump), then x <- x*(1 - u) and u <- u + U*(1 - u).
The C engine (csrc/core/stp.c) updates u and x from the time of the
neuron's last spike, exactly, when the spike reaches the connection.
"""
from __future__ import annotations

import numpy as np

from . import _core, magic
from .connections import Connection, DelayConnection
from .operation import NetworkOperation

__all__ = ["STP"]


class _STPVariables:
    """``stp.vars``: the STP variables ux, x and u of each presynaptic
    neuron (views of the engine's arrays)."""

    def __init__(self, state: np.ndarray):
        self.__dict__["_state"] = state

    @property
    def ux(self):
        return self._state[0]

    @property
    def x(self):
        return self._state[1]

    @property
    def u(self):
        return self._state[2]

    def __setattr__(self, name, value):
        rows = {"ux": 0, "x": 1, "u": 2}
        if name not in rows:
            raise AttributeError(f"STP variables are ux, x and u, not "
                                 f"{name!r}")
        self._state[rows[name]] = value

    def __len__(self) -> int:
        return self._state.shape[1]


def _per_neuron(value, n: int, what: str) -> np.ndarray:
    arr = np.array(value, dtype=np.float64).reshape(-1)
    if arr.size == 1:
        return np.full(n, float(arr[0]))
    if arr.size != n:
        raise ValueError(f"STP {what} must be a number or have one value "
                         f"per presynaptic neuron ({n}), got {arr.size}")
    return np.ascontiguousarray(arr)


class STP(NetworkOperation):
    """Tsodyks-Markram short-term plasticity of the connection ``C``:
    time constants ``taud`` (depression) and ``tauf`` (facilitation), and
    ``U`` in [0, 1]; each may be a number or one value per presynaptic
    neuron."""

    def __init__(self, C, taud, tauf, U):
        if isinstance(C, DelayConnection):
            raise AttributeError("STP does not handle heterogeneous "
                                 "connections (DelayConnection)")
        if not isinstance(C, Connection):
            raise TypeError(f"STP acts on a Connection, got {C!r}")
        NetworkOperation.__init__(self, lambda: None,
                                  clock=C._src_owner.clock, _register=False)
        n = C._n_pre
        self.U = _per_neuron(U, n, "U")
        self.taud = _per_neuron(taud, n, "taud")
        self.tauf = _per_neuron(tauf, n, "tauf")
        if not np.all((self.U >= 0) & (self.U <= 1)):
            raise ValueError("STP: U must be in [0, 1]")
        if not (np.all(self.taud > 0) and np.all(self.tauf > 0)):
            raise ValueError("STP: taud and tauf must be positive")
        state = np.empty((3, n))
        state[0] = self.U       # ux
        state[1] = 1.0          # x
        state[2] = self.U       # u
        self._state = state
        self._initial = state.copy()
        self._last = np.zeros(n)
        self.C = C
        self.vars = _STPVariables(state)
        self._c = _core.STP(C._c, state, self._last, self.U, self.taud,
                            self.tauf, float(self.clock.dt))
        magic.register(self, 0)

    def __call__(self):
        pass

    def _core_objects(self):
        return [("task", self._c, self.clock)]

    def _reinit(self, states: bool = True) -> None:
        if states:
            self._state[...] = self._initial
            self._last[...] = 0.0

    def __repr__(self) -> str:
        return f"<STP on {self.C!r}>"
