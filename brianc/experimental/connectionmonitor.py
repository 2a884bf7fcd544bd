"""ConnectionMonitor: copies of a connection's weight (or delay) matrix at
regular times, as Brian 1's ``brian.experimental.connectionmonitor``.

Recorded matrices are NumPy arrays for a dense connection recorded whole,
else ``scipy.sparse.lil_matrix`` holding the recorded synapses."""
from __future__ import annotations

import random
import warnings

import numpy as np

from .. import magic
from ..clock import EventClock
from ..operation import NetworkOperation
from ..units import second

__all__ = ["ConnectionMonitor"]


def _lil(shape, rows, cols, values):
    from scipy.sparse import coo_matrix
    return coo_matrix((values, (rows, cols)), shape=shape).tolil()


class ConnectionMonitor(NetworkOperation):
    """Record ``getattr(C, matrix)`` every tick of ``clock`` (default: each
    simulated second).

    ``synapses``: None or True records every synapse; an int that many
    synapses drawn at random (a float in (0, 1): that fraction), chosen at
    the first recording; a list of (i, j) pairs exactly those.
    ``callback(M)`` is called with each recorded matrix; ``store=True``
    keeps ``(t, M)`` pairs in ``values``.  ``image_callback(I)`` receives
    an RGBA image of the matrix (``get_image``), ``size`` pixels wide and
    high, coloured by ``cmap`` between ``wmin`` and ``wmax``.
    ``display='pygame'`` is not supported (a warning, then nothing shown)."""

    def __init__(self, C, matrix="W", synapses=None, callback=None,
                 store=False, display=False, image_callback=None, size=None,
                 cmap=None, wmin=None, wmax=None, clock=None, when="end"):
        self.C = C
        self.matrix = matrix
        self.synapses = synapses
        self.synapse_set = None
        self.callback = callback
        self.store = store
        self.display = display
        self.image_callback = image_callback
        n_rows, n_cols = getattr(C, matrix).shape
        width, height = size if size is not None else (n_cols, n_rows)
        self.size = (height, width)
        self.wmin, self.wmax = wmin, wmax
        self.cmap = cmap
        if display:
            warnings.warn("ConnectionMonitor: display is not supported "
                          "(no window is opened)", stacklevel=2)
        if clock is None:
            clock = EventClock(dt=1 * second)
        NetworkOperation.__init__(self, lambda: None, clock=clock,
                                  when=when, _register=False)
        self.values: list = []
        magic.register(self, 0)

    def reinit(self) -> None:
        self.values = []

    def _reinit(self, states: bool = True) -> None:
        self.reinit()

    def _entries(self):
        """(rows, cols, values) of every synapse of the matrix."""
        M = getattr(self.C, self.matrix)
        if self.matrix == "W":
            pre, post, w, _ = self.C._c.synapses()
            return (np.asarray(pre, dtype=np.intp),
                    np.asarray(post, dtype=np.intp), np.asarray(w))
        dense = np.asarray(M.todense())
        rows, cols = np.nonzero(np.ones_like(dense, dtype=bool))
        return rows, cols, dense[rows, cols]

    def _choose(self, rows, cols) -> None:
        """The recorded synapses, drawn at the first recording."""
        chosen = self.synapses
        nnz = len(rows)
        if isinstance(chosen, float) and 0 < chosen < 1:
            chosen = int(chosen * nnz)
        if isinstance(chosen, (int, np.integer)) and not isinstance(chosen,
                                                                    bool):
            if chosen >= nnz:
                self.synapses = None
                return
            picked = sorted(random.sample(range(nnz), int(chosen)))
            chosen = list(zip(rows[picked].tolist(), cols[picked].tolist()))
        self.synapse_set = {(int(i), int(j)) for i, j in chosen}

    def get_matrix(self):
        M = getattr(self.C, self.matrix)
        shape = M.shape
        records_all = self.synapses is None or self.synapses is True
        rows, cols, values = self._entries()
        if not records_all and self.synapse_set is None:
            self._choose(rows, cols)
            records_all = self.synapses is None
        dense_structure = getattr(self.C, "structure", "sparse") == "dense"
        if records_all and dense_structure:
            out = np.zeros(shape)
            np.add.at(out, (rows, cols), values)
            return out
        if not records_all:
            keep = np.array([(int(i), int(j)) in self.synapse_set
                             for i, j in zip(rows, cols)], dtype=bool)
            rows, cols, values = rows[keep], cols[keep], values[keep]
        return _lil(shape, rows, cols, values)

    def get_image(self, W=None):
        """RGBA image (uint8, shape (width, height, 4)) of the matrix: each
        pixel the mean of the weights falling in it, the first row of the
        matrix at the bottom."""
        import matplotlib.cm as cm
        if W is None:
            W = getattr(self.C, self.matrix)
        dense = np.asarray(W.todense() if hasattr(W, "todense") else W,
                           dtype=float)
        n_rows, n_cols = dense.shape
        height, width = self.size
        h, w = min(height, n_rows), min(width, n_cols)
        row_bin = (np.arange(n_rows) * h) // n_rows
        col_bin = (np.arange(n_cols) * w) // n_cols
        sums = np.zeros((h, w))
        counts = np.zeros((h, w))
        np.add.at(sums, (row_bin[:, None], col_bin[None, :]), dense)
        np.add.at(counts, (row_bin[:, None], col_bin[None, :]), 1)
        image = (sums / np.maximum(counts, 1))[::-1].T
        lo = image.min() if self.wmin is None else float(self.wmin)
        hi = image.max() if self.wmax is None else float(self.wmax)
        hi = max(hi, lo + 1e-20)
        cmap = self.cmap if self.cmap is not None else cm.jet
        rgba = cmap(np.clip((image - lo) / (hi - lo), 0, 1), bytes=True)
        if height > h or width > w:
            xs = (np.arange(width) * w) // width
            ys = (np.arange(height) * h) // height
            rgba = rgba[xs][:, ys]
        return rgba

    def __call__(self):
        M = self.get_matrix()
        if self.callback is not None:
            self.callback(M)
        if self.store:
            self.values.append((self.clock.t, M))
        if self.image_callback is not None:
            self.image_callback(self.get_image())
