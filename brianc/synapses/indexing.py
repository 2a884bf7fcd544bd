"""Neuron and synapse indices of a Synapses object: what ``S[i, j]``,
``S.w[i, j, k]`` and ``connect_*(pre, post)`` accept."""
from __future__ import annotations

import numbers

import numpy as np

from .. import _core

__all__ = ["NeuronIndexError", "neuron_indexes", "synapse_indexes", "slice_to_test",
           "invert_array", "smallest_inttype", "indent"]


class NeuronIndexError(IndexError, ValueError):
    """A neuron index outside its group (Brian 1 raised ValueError)."""


def neuron_indexes(x, group, what: str) -> np.ndarray:
    """Local indices (int64, in order) of the neurons of ``group`` named by
    x: an int, a slice, a sequence or array of ints, a subgroup of the
    group, or None for all of them."""
    n = len(group)
    if x is None:
        return np.arange(n)
    owner = getattr(x, "_owner", None)
    if owner is not None and hasattr(x, "_origin"):
        start = x._origin - group._origin
        if owner is not group._owner or start < 0 or start + len(x) > n:
            raise NeuronIndexError(f"{what}: {x!r} is not part of "
                                   f"{group!r}")
        return np.arange(start, start + len(x))
    if isinstance(x, slice):
        return np.arange(n)[x]
    if isinstance(x, (numbers.Integral, np.integer)) and \
            not isinstance(x, bool):
        idx = np.array([int(x)])
    else:
        try:
            idx = np.asarray(x)
        except Exception:
            raise TypeError(f"{what}: cannot use {x!r} as neuron "
                            "indices") from None
        if idx.dtype == bool:
            if idx.shape != (n,):
                raise IndexError(f"{what}: a boolean mask needs {n} "
                                 f"values, got {idx.shape}")
            return np.flatnonzero(idx)
        if idx.size and not np.issubdtype(idx.dtype, np.integer):
            raise TypeError(f"{what}: neuron indices must be integers, "
                            f"got {idx.dtype}")
        idx = idx.astype(np.int64).ravel()
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx[(idx < 0) | (idx >= n)][0]
        raise NeuronIndexError(f"{what}: neuron index {bad} is out of "
                               f"range (the group has {n} neurons)")
    return idx


def _flags(wanted: np.ndarray, n: int) -> np.ndarray:
    """n flags, those of the neurons wanted set."""
    mask = np.zeros(n, dtype=bool)
    mask[wanted] = True
    return mask


def synapse_indexes(S, key) -> np.ndarray:
    """Synapse numbers named by key: a synapse index, slice or array; a
    condition string of i, j and the synaptic variables; a
    pair (i, j) of neuron selections (every synapse from i to j, in
    creation order); a triple (i, j, k) with k choosing among the
    synapses of the scalar pair (i, j)."""
    n = len(S)
    if isinstance(key, str):        # a condition on i, j and variables
        return np.flatnonzero(S._evaluate(key, slice(None), 0) != 0.0)
    if not isinstance(key, tuple):
        if isinstance(key, slice):
            return np.arange(n)[key]
        idx = np.asarray(key)
        if idx.dtype == bool:
            return np.flatnonzero(idx)
        idx = idx.astype(np.int64)
        if idx.size and (idx.min() < -n or idx.max() >= n):
            raise IndexError(f"{S!r}: synapse index out of range "
                             f"(it has {n} synapses)")
        return idx
    if len(key) == 3:
        i, j, k = key
        if not (np.isscalar(i) and np.isscalar(j)):
            raise TypeError("S[i, j, k]: i and j must be single neurons")
        return synapse_indexes(S, (i, j))[k]
    if len(key) != 2:
        raise TypeError(f"synapses are indexed by 1, 2 or 3 values, got "
                        f"{len(key)}")
    i = neuron_indexes(key[0], S.source, "presynaptic index")
    j = neuron_indexes(key[1], S.target, "postsynaptic index")
    # one pass in C over the synapses, the selections as flags
    return _core.synapses_between(S.presynaptic, S._post[:n],
                                  _flags(i, len(S.source)),
                                  _flags(j, len(S.target)))


# -- Brian 1's small helpers of the synapses module ---------------------------
def slice_to_test(x):
    """A function telling whether an index lies in x (an int or a
    slice)."""
    if isinstance(x, (numbers.Integral, np.integer)):
        return lambda y: y == x
    start = x.start or 0
    step = x.step or 1
    stop = x.stop
    if stop is None:
        return lambda y: (y >= start) & ((y - start) % step == 0)
    return lambda y: (y >= start) & (y < stop) & ((y - start) % step == 0)


def invert_array(x, dtype=int) -> dict:
    """{value: positions of x holding it} (positions ascending)."""
    x = np.asarray(x)
    if x.size == 0:
        return {}
    order = np.argsort(x, kind="stable")
    values, starts = np.unique(x[order], return_index=True)
    parts = np.split(order, starts[1:])
    return {v: np.asarray(p, dtype=dtype) for v, p in zip(values.tolist(),
                                                            parts)}


def smallest_inttype(N):
    """The smallest signed NumPy integer type that holds N."""
    for t in (np.int8, np.int16, np.int32):
        if N <= np.iinfo(t).max:
            return t
    return np.int64


def indent(s: str, n: int = 1) -> str:
    """s with every line indented by n times four spaces."""
    pad = "    " * n
    return "\n".join(pad + line for line in s.split("\n"))
