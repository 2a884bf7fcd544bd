"""Reading and writing recordings (Brian 1's brian.tools.io): NEURON
``.dat`` vectors, Axon ``.atf`` traces and Address Event Representation
(AER, jAER's ``.dat``/``.aedat``) spike files."""
from __future__ import annotations

import datetime
import os

import numpy as np

__all__ = ['read_neuron_dat', 'read_atf', 'load_aer', 'save_aer']

# Version 2 of jAER's format: big-endian int32 address, int32 timestamp.
_AER2 = np.dtype([("addr", ">i4"), ("time", ">i4")])
# Version 1: big-endian uint16 address, int32 timestamp.
_AER1 = np.dtype([("addr", ">u2"), ("time", ">i4")])
_TICK_PREFIX = b"# Timestamps tick is "


def read_neuron_dat(name):
    """A NEURON vector file (.dat): two header lines, then columns.
    Returns the columns (times first) as rows of an array."""
    with open(name) as f:
        f.readline()
        f.readline()
        return np.loadtxt(f).T


def read_atf(name):
    """An Axon Text File (.atf): returns (times, values) of the first two
    columns."""
    with open(name) as f:
        f.readline()
        n_header = int(f.readline().split()[0])
        for _ in range(n_header + 1):
            f.readline()
        M = np.loadtxt(f)
    return M[:, 0], M[:, 1]


def _parse_tick(text: bytes) -> float:
    """The tick of a ``# Timestamps tick is ...`` line: a number of
    seconds, or a Brian unit expression such as ``1.0 * usecond``."""
    text = text.decode("ascii", "replace").strip()
    try:
        return float(text)
    except ValueError:
        pass
    from .. import units
    names = {k: getattr(units, k) for k in units.__all__}
    try:
        value = eval(text, {"__builtins__": {}}, names)
    except Exception as exc:
        raise ValueError(f"AER header: cannot read the timestamp tick "
                         f"{text!r}") from exc
    return float(value)


def _read_header(f):
    """Skips the '#' header lines; returns (version, tick, first data
    bytes)."""
    version, tick = 1, 1e-6        # jAER's defaults
    line = f.readline()
    while line[:1] == b"#" or (line and line.strip() == b""):
        if line.startswith(b"#!AER-DAT"):
            version = int(float(line[9:].strip()))
        elif line.startswith(_TICK_PREFIX):
            tick = _parse_tick(line[len(_TICK_PREFIX):])
        line = f.readline()
    return version, tick, line


def load_multiple_aer(filename, check_sorted=False, relative_time=False,
                      directory='.'):
    """Loads every AER file named (one per line) in an index file."""
    result = []
    with open(filename) as f:
        for line in f:
            name = line.strip()
            if name:
                result.append(load_aer(os.path.join(directory, name),
                                       check_sorted=check_sorted,
                                       reinit_time=relative_time))
    return result


def load_aer(filename, check_sorted=False, reinit_time=False):
    """Loads an AER spike file: returns (addresses, times in seconds).

    ``check_sorted`` sorts the events by time if they are not;
    ``reinit_time`` makes the first event time zero.  An ``.aeidx`` index
    file gives a list of such pairs, one per file it names.
    """
    filename = filename.strip()
    ext = filename.rsplit('.', 1)[-1]
    if ext == 'aeidx':
        return load_multiple_aer(filename, check_sorted=check_sorted,
                                 relative_time=reinit_time,
                                 directory=os.path.dirname(filename))
    if ext not in ('dat', 'aedat'):
        raise ValueError(f"load_aer: AER files end in .dat or .aedat, got "
                         f"{filename!r}")
    with open(filename, 'rb') as f:
        version, tick, first = _read_header(f)
        data = first + f.read()
    dtype = _AER1 if version == 1 else _AER2
    if len(data) % dtype.itemsize:
        raise IOError(f"load_aer: corrupted AER file {filename!r}: "
                      f"{len(data)} data bytes is not a whole number of "
                      f"{dtype.itemsize}-byte events")
    events = np.frombuffer(data, dtype=dtype)
    addr = events["addr"].astype(np.int64)
    timestamp = events["time"].astype(np.int64)
    if check_sorted and np.any(np.diff(timestamp) < 0):
        order = np.argsort(timestamp, kind="stable")
        addr, timestamp = addr[order], timestamp[order]
    if reinit_time and len(timestamp):
        timestamp = timestamp - timestamp.min()
    if len(timestamp) and np.all(timestamp < 0):
        raise ValueError("load_aer: the file holds only negative timestamps, "
                         "consider reinit_time=True")
    return addr, timestamp * tick


def aer_header(tick: float) -> bytes:
    """The header brianc writes: format version 2 and the tick in
    seconds."""
    return ("#!AER-DAT2.0\n"
            "# This is a raw AE data file - do not edit\n"
            "# Data format is int32 address, int32 timestamp (8 bytes "
            "total), repeated for each event\n"
            f"# Timestamps tick is {float(tick)!r}\n"
            f"# created with brianc on {datetime.datetime.now()}\n"
            ).encode("ascii")


def aer_events(addr, ticks) -> bytes:
    """Events as AER version 2 bytes (big-endian int32 pairs)."""
    addr = np.asarray(addr)
    ticks = np.asarray(ticks)
    if addr.shape != ticks.shape or addr.ndim != 1:
        raise ValueError(f"AER: {addr.shape} addresses for {ticks.shape} "
                         f"timestamps")
    if len(addr) and (addr.min() < 0 or addr.max() > np.iinfo(np.int32).max
                      or ticks.min() < np.iinfo(np.int32).min
                      or ticks.max() > np.iinfo(np.int32).max):
        raise ValueError("AER: addresses and timestamps must fit in int32 "
                         "(use a coarser tick for long recordings)")
    events = np.empty(len(addr), dtype=_AER2)
    events["addr"] = addr
    events["time"] = ticks
    return events.tobytes()


def save_aer(spikes, filename, tick=1e-6):
    """Saves spikes to an AER (version 2) file readable by ``load_aer``.

    ``spikes`` is a SpikeMonitor, a list of (i, t) pairs or a pair of
    arrays (addresses, times in seconds); times are rounded to multiples of
    ``tick`` (s, default 1 microsecond).  The file name must end in .aedat
    or .dat."""
    if filename.rsplit('.', 1)[-1] not in ('dat', 'aedat'):
        raise ValueError(f"save_aer: AER files end in .dat or .aedat, got "
                         f"{filename!r}")
    tick = float(tick)
    if not tick > 0:
        raise ValueError(f"save_aer: tick must be positive, got {tick!r}")
    if hasattr(spikes, "it"):
        addr, times = spikes.it
    elif isinstance(spikes, tuple) and len(spikes) == 2 and \
            np.ndim(spikes[0]) == 1:
        addr, times = spikes
    else:
        pairs = list(spikes)
        addr = [int(i) for i, _ in pairs]
        times = [float(t) for _, t in pairs]
    addr = np.asarray(addr, dtype=np.int64)
    ticks = np.rint(np.asarray(times, dtype=np.float64) / tick)
    with open(filename, 'wb') as f:
        f.write(aer_header(tick))
        f.write(aer_events(addr, ticks.astype(np.int64)))
