"""Spike monitors that write their spikes to a file: text (i, t) lines or
binary AER events (Brian 1's FileSpikeMonitor and AERSpikeMonitor).

Spikes are recorded in C like any SpikeMonitor's; the file receives the
spikes recorded so far on ``flush()``, ``close()`` or at interpreter exit,
so that no Python runs during the simulation.
"""
from __future__ import annotations

import weakref

import numpy as np

from .monitor import SpikeMonitor
from .tools.io import aer_events, aer_header

__all__ = ["FileSpikeMonitor", "AERSpikeMonitor"]


def _close_file(f) -> None:
    if not f.closed:
        f.close()


class FileSpikeMonitor(SpikeMonitor):
    """A SpikeMonitor that also writes its spikes to ``filename`` as text
    lines ``i, t`` (t in seconds).

    ``record`` (default False, as in Brian 1) keeps the spikes available as
    ``spikes``/``spiketimes`` too.  ``close()`` writes the remaining spikes
    and closes the file (also done at exit); ``reinit()`` empties it."""

    _mode = "w"

    def __init__(self, source, filename, record=False, delay=0):
        super().__init__(source, record=True, delay=delay)
        self.filename = filename
        self._keep = bool(record)
        self._open()

    def _open(self) -> None:
        self.f = open(self.filename, self._mode)
        self._written = 0
        self._write_header()
        # Write what is pending when the monitor dies or Python exits.
        self._finalizer = weakref.finalize(self, FileSpikeMonitor._final,
                                           weakref.ref(self), self.f)

    @staticmethod
    def _final(ref, f) -> None:
        monitor = ref()
        if monitor is not None and not f.closed:
            monitor.flush()
        _close_file(f)

    def _write_header(self) -> None:
        pass

    def _pending(self):
        """(indices, steps) of the spikes not yet written."""
        i = self._c.indices()[self._written:]
        steps = self._c.steps()[self._written:]
        return i, steps

    def _write(self, i: np.ndarray, steps: np.ndarray) -> None:
        t = steps * self._dt
        self.f.write("".join(f"{a}, {b!r}\n" for a, b in
                             zip(i.tolist(), t.tolist())))

    def flush(self) -> None:
        """Writes the spikes recorded since the last flush."""
        if self.f.closed:
            raise ValueError(f"{type(self).__name__}: the file "
                             f"{self.filename!r} is closed")
        i, steps = self._pending()
        if len(i):
            self._write(i, steps)
            self._written += len(i)
        self.f.flush()

    def close(self) -> None:
        """Writes the remaining spikes and closes the file."""
        if not self.f.closed:
            self.flush()
            self.f.close()

    close_file = close

    def reinit(self) -> None:
        self._finalizer.detach()
        _close_file(self.f)
        super().reinit()
        self._open()

    def _reinit(self, states: bool = True) -> None:
        self.reinit()

    @property
    def it(self):
        if not self._keep:
            return np.zeros(0, dtype=int), np.zeros(0)
        return super().it


class AERSpikeMonitor(FileSpikeMonitor):
    """A FileSpikeMonitor writing binary AER (version 2) events: int32
    address, int32 timestamp in steps of the source's clock, which the
    header records as the tick.  ``load_aer`` reads the file back."""

    _mode = "wb"

    def _write_header(self) -> None:
        self.f.write(aer_header(self._dt))

    def _write(self, i: np.ndarray, steps: np.ndarray) -> None:
        self.f.write(aer_events(i, steps))
