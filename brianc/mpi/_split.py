"""One network split over MPI processes: what each process runs, the
spike exchange of every step, and the gathering after ``run()``.

Every group's neurons are cut into contiguous blocks, block ``r`` for rank
``r``; a rank updates and tests only its block (the core's local range, so
neuron indices, random draws and thresholds are those of one process),
keeps only the synapses onto its block, and receives every other rank's
spikes after the group updates of each step.  The script builds every
object on every rank, so construction (random rows by global row) is the
same as in one process; each rank then drops the synapses it does not own.
After a run, group states and state monitors are gathered, so reads see
the whole network on every rank.

What cannot run split yet is refused by ``check`` with the object's name.
"""
from __future__ import annotations

import os
import time

import numpy as np

from .. import _core
from ..base import slot_number
from ..connections.connection import Connection
from ..directcontrol import _InputGroup
from ..monitor import (ISIHistogramMonitor, MultiStateMonitor,
                       PopulationRateMonitor, PopulationSpikeCounter,
                       SpikeCounter, SpikeMonitor, StateMonitor)
from ..neurongroup import NeuronGroup
from ..operation import NetworkOperation
from ..poissoninput import PoissonInput
from ..timedarray import TimedArraySetter

# Monitors that read nothing but spikes, which every rank has in full.
_SPIKE_MONITORS = (SpikeMonitor, SpikeCounter, PopulationSpikeCounter,
                   PopulationRateMonitor, ISIHistogramMonitor)


def block(n: int, rank: int, size: int) -> tuple[int, int]:
    """Rank ``rank``'s neurons of a group of ``n``: [begin, end)."""
    return rank * n // size, (rank + 1) * n // size


def _name(obj) -> str:
    name = getattr(obj, "_name", None)
    kind = type(obj).__name__
    return f"{kind} {name!r}" if isinstance(name, str) and name != kind \
        else kind


class Unsupported(RuntimeError):
    """An object that brianc.mpi cannot run split over processes yet."""


def _refuse(obj, why: str):
    raise Unsupported(f"brianc.mpi: {_name(obj)} cannot run split over MPI "
                      f"processes yet ({why}); run the script without "
                      f"brianc.mpi")


def check(obj) -> None:
    """Raise Unsupported for an object whose split run would differ from
    one process's."""
    if isinstance(obj, NeuronGroup):
        for op in obj._operations:
            _refuse(obj, f"its {op.kind} runs Python code, which may read "
                    f"neurons another process updates")
        # A subclass may run more than the group (tasks, operations);
        # only TimedArray inputs of the equations write every neuron alike.
        inputs = [e[1] for e in getattr(obj._model, "input_entries", ())]
        for entry in obj._core_objects():
            if entry[0] != "group" and all(entry[1] is not x
                                           for x in inputs):
                _refuse(obj, f"it runs a {entry[0]} of its own each step")
    elif isinstance(obj, _InputGroup):
        return          # sources: drawn whole, kept by block in the core
    elif isinstance(obj, PoissonInput):
        return          # draws per target neuron, the same on every rank
    elif isinstance(obj, Connection):
        if obj._c.modulation_var >= 0:
            _refuse(obj, "modulation reads the presynaptic neuron's state")
    elif type(obj) in _SPIKE_MONITORS:
        if getattr(obj, "function", None) is not None:
            _refuse(obj, "a function is called with the spikes")
    elif type(obj) is StateMonitor:
        return
    elif type(obj) is MultiStateMonitor:
        return
    elif type(obj) is TimedArraySetter:
        return          # writes every neuron from the array: harmless
    elif isinstance(obj, NetworkOperation):
        _refuse(obj, "a network operation may read or write neurons that "
                "another process updates")
    else:
        _refuse(obj, "only NeuronGroup, PoissonGroup, SpikeGeneratorGroup, "
                "Connection, PoissonInput, spike monitors and StateMonitor "
                "are distributed")


class Split:
    """One run's split of a network's objects over ``comm``'s ranks."""

    def __init__(self, comm, objects: list):
        for obj in objects:
            check(obj)
        self.comm = comm
        self.rank, self.size = comm.Get_rank(), comm.Get_size()
        self.groups = [o for o in objects
                       if isinstance(o, (NeuronGroup, _InputGroup))]
        self.monitors = []
        for obj in objects:
            if type(obj) is StateMonitor:
                self.monitors.append(obj)
            elif type(obj) is MultiStateMonitor:
                self.monitors += list(obj.monitors.values())
        self.exchanges: list = []
        if self.size > 1:
            self._set_ranges()
            self._cut_connections(objects)
            self._make_exchanges()

    # -- before the run -------------------------------------------------------

    def _set_ranges(self) -> None:
        for g in self.groups:
            g._c.set_local_range(*block(g._n, self.rank, self.size))

    def _cut_connections(self, objects: list) -> None:
        """Each rank keeps the synapses onto its own neurons."""
        for c in objects:
            if not isinstance(c, Connection) or isinstance(c, PoissonInput):
                continue
            begin, end = c._tgt_owner._c.local_range
            origin = int(getattr(c.target, "_origin", 0))
            first = min(max(begin - origin, 0), c._n_post)
            last = max(min(end - origin, c._n_post), first)
            c._c.compress()
            c._c.keep_columns(first, last)
            c.__dict__["_kept_columns"] = (first, last)

    def _make_exchanges(self) -> None:
        """One exchange per clock, after its groups' updates."""
        by_clock: dict = {}
        for g in self.groups:
            clock = g._clock
            key = id(clock._c) if hasattr(clock, "_c") else id(clock)
            by_clock.setdefault(key, (clock, []))[1].append(g)
        # The spikes a rank sends in the one-collective exchange before it
        # needs a second (a tuning knob; tests make it tiny).
        capacity = int(os.environ.get("BRIANC_MPI_CAPACITY", "256"))
        for clock, groups in by_clock.values():
            self.exchanges.append(SpikeExchange(self.comm, groups, clock,
                                                max(capacity, 1)))

    def entries(self) -> list:
        """The exchanges as first operations of their after_groups slot."""
        slot = slot_number("after_groups", "spike exchange")
        return [("operation", x, x.clock, slot, True)
                for x in self.exchanges]

    # -- after the run ----------------------------------------------------------

    def gather(self) -> None:
        """Every rank gets every group's state and every monitor's
        samples."""
        if self.size == 1:
            return
        for g in self.groups:
            self._gather_state(g)
        for m in self.monitors:
            self._gather_monitor(m)

    def _gather_state(self, g) -> None:
        state = g._state
        n_vars = state.shape[0]
        if n_vars == 0:
            return
        bounds = [block(g._n, r, self.size) for r in range(self.size)]
        begin, end = bounds[self.rank]
        mine = np.ascontiguousarray(state[:, begin:end])
        counts = [n_vars * (e - b) for b, e in bounds]
        whole = np.empty(sum(counts))
        self.comm.Allgatherv(mine, [whole, counts])
        at = 0
        for (b, e), count in zip(bounds, counts):
            state[:, b:e] = whole[at:at + count].reshape(n_vars, e - b)
            at += count

    def _gather_monitor(self, m) -> None:
        """Each recorded neuron's samples (or, recording nothing, its sums)
        from the rank that updated it."""
        owner = m._owner
        origin = _window_origin(m)
        ends = np.array([block(owner._n, r, self.size)[1]
                         for r in range(self.size)])
        stats = m._c.stats()
        if stats is not None:
            total, squares, samples = stats
            neurons = np.arange(len(total)) + origin
            rank_of = np.searchsorted(ends, neurons, "right")
            mine = rank_of == self.rank
            parts = self.comm.allgather((total[mine], squares[mine]))
            total, squares = total.copy(), squares.copy()
            for r, (t, s) in enumerate(parts):
                total[rank_of == r], squares[rank_of == r] = t, s
            m.__dict__["_gathered_stats"] = (total, squares, samples)
            return
        values = m._c.values()
        rank_of = np.searchsorted(ends, m._rec.astype(np.int64) + origin,
                                  "right")
        mine = rank_of == self.rank
        parts = self.comm.allgather(values[:, mine])
        for r, part in enumerate(parts):
            values[:, rank_of == r] = part
        m.__dict__["_gathered"] = values


def _window_origin(m) -> int:
    """Where a state monitor's window starts in its owner group."""
    return int(getattr(m.P, "_origin", 0))


class SpikeExchange:
    """The spikes of one clock's groups, from every rank to every rank.

    Called as a network operation right after the group updates: each rank
    holds the spikes of its block.  One Allgather of a fixed-size record
    per rank (the spike count of each group, then the spikes, padded to
    ``capacity``) gives every rank every group's whole spike list,
    ascending (blocks are in rank order).  A step with more spikes on some
    rank than the capacity sends the lists again with an Allgatherv of
    their exact sizes (known from the counts by then), and the capacity
    grows to twice that, as NEST's buffers do."""

    def __init__(self, comm, groups: list, clock, capacity: int = 256):
        self.comm = comm
        self.groups = groups
        self.clock = clock
        self.size = comm.Get_size()
        self._resize(capacity)
        self.seconds = 0.0          # time spent exchanging (benchmarks)
        self.calls = 0
        self.sent = 0               # spikes sent by this rank
        self.overflows = 0

    def _resize(self, capacity: int) -> None:
        self.capacity = capacity
        width = len(self.groups) + capacity
        self.record = np.zeros(width, dtype=np.int32)
        self.records = np.zeros((self.size, width), dtype=np.int32)

    def __call__(self) -> None:
        started = time.perf_counter()
        n_groups = len(self.groups)
        mine = [g._c.spikes(0) for g in self.groups]
        own = np.array([len(s) for s in mine], dtype=np.int32)
        total = int(own.sum())
        self.record[:n_groups] = own
        if total <= self.capacity and total:
            self.record[n_groups:n_groups + total] = np.concatenate(mine)
        self.comm.Allgather(self.record, self.records)
        counts = self.records[:, :n_groups]
        per_rank = counts.sum(axis=1)
        if per_rank.max() > self.capacity:
            spikes = self._exchange_exactly(mine, per_rank)
            self._resize(2 * int(per_rank.max()))
            self.overflows += 1
        else:
            spikes = [self.records[r, n_groups:n_groups + per_rank[r]]
                      for r in range(self.size)]
        self.calls += 1
        self.sent += total
        self._import(counts, spikes)
        self.seconds += time.perf_counter() - started

    def _exchange_exactly(self, mine: list, per_rank: np.ndarray) -> list:
        """Every rank's spikes when one rank had more than the capacity."""
        whole = np.empty(int(per_rank.sum()), dtype=np.int32)
        send = np.concatenate(mine) if mine else np.zeros(0, np.int32)
        self.comm.Allgatherv(send, [whole, per_rank])
        bounds = np.concatenate(([0], np.cumsum(per_rank)))
        return [whole[bounds[r]:bounds[r + 1]] for r in range(self.size)]

    def _import(self, counts: np.ndarray, spikes: list) -> None:
        """Each group's list: its part of every rank's spikes, in rank
        order."""
        starts = np.zeros(self.size, dtype=np.int64)
        for j, g in enumerate(self.groups):
            column = counts[:, j]
            if column.any():
                g._c.import_spikes(np.concatenate(
                    [spikes[r][starts[r]:starts[r] + column[r]]
                     for r in range(self.size)]))
            starts += column
