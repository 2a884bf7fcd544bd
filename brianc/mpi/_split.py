"""One network split over MPI processes: what each process runs, the
spike exchange once per minimum delay, and the gathering after ``run()``.

Every group's neurons are cut into contiguous blocks, block ``r`` for rank
``r``; a rank updates and tests only its block (the core's local range, so
neuron indices, random draws and thresholds are those of one process),
keeps only the synapses onto its block, and receives every other rank's
spikes once per minimum delay, into the past steps of its spike history,
before any connection reads them.  The script builds every object on
every rank; connections keep only the synapses onto the rank's block, drawn
as one process draws them (random rows by global row and column block: a
rank draws only the blocks that hold its targets; NumPy's generator moves
as in one process), so the synapses are those of one process.  After a run, group
states and state monitors are gathered, so reads see the whole network on
every rank.

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


# The longest window between two exchanges, in steps: each step of it
# keeps a spike list per group in the history (4 bytes a neuron).
MAX_WINDOW = 16


def block(n: int, rank: int, size: int) -> tuple[int, int]:
    """Rank ``rank``'s neurons of a group of ``n``: [begin, end)."""
    return rank * n // size, (rank + 1) * n // size


def own_columns(c, rank: int, size: int) -> tuple[int, int] | None:
    """The targets [first, last) of connection c's window that rank
    ``rank`` keeps: those in its block of the target group; None for a
    PoissonInput (its synapses are its own targets)."""
    if isinstance(c, PoissonInput):
        return None
    begin, end = block(c._tgt_owner._n, rank, size)
    origin = int(getattr(c.target, "_origin", 0))
    first = min(max(begin - origin, 0), c._n_post)
    return first, max(min(end - origin, c._n_post), first)


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
        # Spike monitors recorded by an exchange rather than every step.
        self._late_monitors: set = set()
        if self.size > 1:
            self._set_ranges()
            connections = self._cut_connections(objects)
            self._make_exchanges(connections, objects)

    # -- before the run -------------------------------------------------------

    def _set_ranges(self) -> None:
        for g in self.groups:
            g._c.set_local_range(*block(g._n, self.rank, self.size))

    def _cut_connections(self, objects: list) -> list:
        """Each rank keeps the synapses onto its own neurons; returns the
        connections."""
        kept = []
        for c in objects:
            if not isinstance(c, Connection) or isinstance(c, PoissonInput):
                continue
            columns = own_columns(c, self.rank, self.size)
            c._c.compress()
            c._c.keep_columns(*columns)     # built so already: no change
            c.__dict__["_kept_columns"] = columns
            kept.append(c)
        return kept

    def _make_exchanges(self, connections: list, objects: list) -> None:
        """One exchange per clock, after its groups' updates, every
        ``window`` steps: the shortest delay of the connections from its
        groups plus one (NEST's min_delay), at most MAX_WINDOW (or
        BRIANC_MPI_MAX_WINDOW)."""
        by_clock: dict = {}
        for g in self.groups:
            clock = g._clock
            key = id(clock._c) if hasattr(clock, "_c") else id(clock)
            by_clock.setdefault(key, (clock, []))[1].append(g)
        monitors = [m for m in objects if type(m) in _SPIKE_MONITORS]
        # The spikes a rank sends in an exchange before it needs a second
        # collective (a tuning knob; tests make it tiny).  It grows past
        # the largest seen, so a small start costs a few second
        # collectives, while a big one pads every record: the data
        # received is K records an exchange.
        capacity = int(os.environ.get("BRIANC_MPI_CAPACITY", "256"))
        # The longest window (1: exchange every step, as before windows).
        longest = max(int(os.environ.get("BRIANC_MPI_MAX_WINDOW",
                                         str(MAX_WINDOW))), 1)
        for clock, groups in by_clock.values():
            mine = [c for c in connections
                    if any(c._src_owner is g for g in groups)]
            # Each rank holds its own targets' synapses: the shortest
            # delay is the shortest of every rank's.  A connection that
            # has read spikes late keeps its lag (see _fix_lags).
            window = min(self.comm.allgather(
                min([longest] + [c._c.min_delay() + 1 for c in mine] +
                    [c.__dict__["_spike_lag"] + 1 for c in mine
                     if "_spike_lag" in c.__dict__])))
            watched = [m for m in monitors
                       if any(m._owner is g for g in groups)]
            _fix_lags(mine, window)
            if window > 1:
                self._prepare_late_reads(groups, watched, window)
            self.exchanges.append(SpikeExchange(
                self.comm, groups, clock, max(capacity, 1),
                window, [m._c for m in watched] if window > 1 else []))

    def _prepare_late_reads(self, groups, monitors, window: int) -> None:
        """A window of W steps: spikes arrive up to W - 1 steps late, so
        the history keeps them that long, and spike monitors record at
        the exchange."""
        longest = max([0] + [m._delay_steps for m in monitors])
        for g in groups:
            g._c.reserve_history(window + longest)
        self._late_monitors.update(id(m._c) for m in monitors)

    def keeps(self, entry) -> bool:
        """Whether the network runs this core entry itself (spike monitors
        of a windowed exchange are recorded by the exchange)."""
        return not (entry[0] == "spike_monitor" and
                    id(entry[1]) in self._late_monitors)

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


def _fix_lags(connections: list, window: int) -> None:
    """Per-synapse delays read their source's spikes W - 1 steps late.
    A connection keeps the lag of its first split run: at the end of a run
    the spikes of its last `lag` steps are still to be read, so a new lag
    would read some twice or never (the window is kept short enough)."""
    for c in connections:
        if c._c.ring() is None:
            continue
        lag = c.__dict__.setdefault("_spike_lag", window - 1)
        if lag > c._c.min_delay():
            _refuse(c, f"a synapse added since the last run has a delay "
                    f"shorter than the {lag} steps its spikes are read late")
        c._src_owner._c.reserve_history(lag + 1)
        c._c.set_spike_lag(lag)


def _window_origin(m) -> int:
    """Where a state monitor's window starts in its owner group."""
    return int(getattr(m.P, "_origin", 0))


class SpikeExchange:
    """The spikes of one clock's groups, from every rank to every rank,
    once per window of steps.

    Called as a network operation right after the group updates of every
    step; each rank holds the spikes of its block for the steps since the
    last exchange.  At the window's last step (or the run's), one
    Allgather of a fixed-size record per rank (the spike count of each
    step and group, then the spikes, padded to ``capacity``) gives every
    rank every group's whole spike list of each of those steps, ascending
    (blocks are in rank order), imported into its spike history; the
    window being at most the shortest delay plus one, no connection has
    read them yet.  Spike monitors of a window longer than a step record
    those steps then, each as in its own step.  An exchange with more
    spikes on some rank than the capacity sends the lists again with an
    Allgatherv of their exact sizes (known from the counts by then), and
    the capacity grows to twice that, as NEST's buffers do.  The packing
    and the import are one core call each (spike_exchange.h), whatever
    the number of steps and groups."""

    def __init__(self, comm, groups: list, clock, capacity: int = 256,
                 window: int = 1, monitors=()):
        self.comm = comm
        self.groups = groups
        self.clock = clock
        self.window = window
        self.monitors = list(monitors)
        self._cores = tuple(g._c for g in groups)
        self.size = comm.Get_size()
        self._resize(capacity)
        self._first = None          # first step not exchanged yet
        self.seconds = 0.0          # time spent exchanging (benchmarks)
        self.calls = 0
        self.sent = 0               # spikes sent by this rank
        self.overflows = 0

    def _resize(self, capacity: int) -> None:
        self.capacity = capacity
        width = len(self.groups) * self.window + capacity
        self.record = np.zeros(width, dtype=np.int32)
        self.records = np.zeros((self.size, width), dtype=np.int32)

    def __call__(self) -> None:
        step = self.clock._c.step
        if self._first is None:
            self._first = step
        if step - self._first + 1 < self.window and \
                step + 1 < self.clock._c.end:
            return
        started = time.perf_counter()
        n_steps = step - self._first + 1
        # The lists into the record, the collective, every rank's lists
        # into the histories: two core calls around mpi4py's Allgather.
        total = _core.exchange_pack(self._cores, n_steps, self.capacity,
                                    self.record)
        self.comm.Allgather(self.record, self.records)
        if not _core.exchange_import(self._cores, n_steps, self.records,
                                     self.capacity):
            self._exchange_exactly(n_steps)
            self.overflows += 1
        self.calls += 1
        self.sent += total
        for late in range(n_steps - 1, -1, -1):
            for m in self.monitors:
                m.record_late(step - late, late)
        self._first = step + 1
        self.seconds += time.perf_counter() - started

    def _exchange_exactly(self, n_steps: int) -> None:
        """Every rank's exact lists, when some rank had more spikes than
        the capacity (its record held the counts only); the capacity
        then grows to twice the most a rank sent."""
        n_lists = n_steps * len(self.groups)
        per_rank = self.records[:, :n_lists].sum(axis=1, dtype=np.int32)
        mine = [g._c.spikes(lag) for lag in range(n_steps - 1, -1, -1)
                for g in self.groups]
        send = np.concatenate(mine) if mine else np.zeros(0, np.int32)
        whole = np.empty(int(per_rank.sum()), dtype=np.int32)
        self.comm.Allgatherv(send, [whole, per_rank])
        _core.exchange_import(self._cores, n_steps, self.records,
                              self.capacity, whole, per_rank)
        self._resize(2 * int(per_rank.max()))
