"""Per-synapse variables as Brian 1 shows them: ``S.w[i, j]``,
``S.w[:] = 'rand()*nS'``, ``S.delay[...]``, ``to_matrix``."""
from __future__ import annotations

import numpy as np

from .indexing import synapse_indexes

__all__ = ["SynapticVariable", "SynapticDelayVariable", "slice_to_array"]


def slice_to_array(s, N=None) -> np.ndarray:
    """The integers a slice, an int or a sequence stands for (Brian 1's
    helper); N is the length that a slice's open end or negative stop
    refers to."""
    if isinstance(s, slice):
        start = s.start or 0
        stop = s.stop if s.stop is not None else N
        if stop is None:
            raise ValueError("slice_to_array: an open slice needs N")
        if stop < 0 and N is not None:
            stop += N
        return np.arange(start, stop, s.step)
    if np.isscalar(s):
        return np.array([s])
    return np.array(s)


def _settable_indexes(S, key):
    """The synapses a write goes to: slice(None) for all of them (so the
    values are written and strings evaluated without index arrays), else
    their numbers."""
    if isinstance(key, slice) and key == slice(None):
        return slice(None)
    return synapse_indexes(S, key)


class SynapticVariable:
    """The values of one synaptic variable, indexed like the Synapses
    object (a synapse number, (i, j) or (i, j, k)); values are read as
    float64 arrays in SI units, as a group's state variables."""

    def __init__(self, synapses, name: str):
        self.synapses = synapses
        self.name = name

    @property
    def data(self) -> np.ndarray:
        return self.synapses._values(self.name)

    def __getitem__(self, key):
        return self.data[synapse_indexes(self.synapses, key)]

    def __setitem__(self, key, value):
        S = self.synapses
        idx = _settable_indexes(S, key)
        if isinstance(value, str):
            value = S._evaluate(value, idx, level=1)
        S._store(self.name, idx, value)

    def __len__(self) -> int:
        return len(self.synapses)

    def _install_setter(self, group, name: str) -> None:
        """``G.x = S.x``: G.x becomes, at the end of every step, the sum
        of S.x over each neuron's synapses (Brian 1's lumped variable)."""
        self.synapses._add_lumped(self.name, group, name)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.data, dtype=dtype)

    def __repr__(self) -> str:
        return repr(self[:])

    def to_matrix(self, multiple_synapses: str = "last") -> np.ndarray:
        """(n_pre, n_post) matrix of the values, NaN where there is no
        synapse; several synapses of one pair are combined by
        multiple_synapses: 'last', 'first', 'min', 'max' or 'sum'."""
        S = self.synapses
        n = len(S)
        out = np.full((len(S.source), len(S.target)), np.nan)
        pre, post = S.presynaptic, S._post[:n]
        values = np.asarray(self.data, dtype=np.float64)
        if multiple_synapses in ("last", "first"):
            order = np.arange(n)
            if multiple_synapses == "last":
                order = order[::-1]
            pair = pre[order].astype(np.int64) * out.shape[1] + post[order]
            _, keep = np.unique(pair, return_index=True)
            chosen = order[keep]
            out[pre[chosen], post[chosen]] = values[chosen]
        elif multiple_synapses in ("min", "max", "sum"):
            fill = {"min": np.inf, "max": -np.inf, "sum": 0.0}
            acc = np.full(out.shape, fill[multiple_synapses])
            ufunc = {"min": np.minimum, "max": np.maximum,
                     "sum": np.add}[multiple_synapses]
            ufunc.at(acc, (pre, post), values)
            has = np.zeros(out.shape, dtype=bool)
            has[pre, post] = True
            out[has] = acc[has]
        else:
            raise ValueError(f"multiple_synapses must be 'last', 'first', "
                             f"'min', 'max' or 'sum', got "
                             f"{multiple_synapses!r}")
        return out


class SynapticDelayVariable(SynapticVariable):
    """The delays of one pathway: stored in steps, read and written in
    seconds (``int(delay / dt)`` steps, as Brian 1)."""

    def __init__(self, synapses, pathway: int, name: str):
        super().__init__(synapses, name)
        self.pathway = pathway

    @property
    def data(self) -> np.ndarray:
        S = self.synapses
        return S._delays[self.pathway][:len(S)] * S._dt

    def __setitem__(self, key, value):
        S = self.synapses
        idx = _settable_indexes(S, key)
        if isinstance(value, str):
            value = S._evaluate(value, idx, level=1)
        S._store_delay(self.pathway, idx, value)
