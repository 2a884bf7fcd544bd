"""LinearFilterbank: a bank of IIR filter cascades, one per channel,
filtered in C (direct form II transposed, state kept between buffers)."""
from __future__ import annotations

import numpy as np

from ... import _core
from .filterbank import Filterbank, RestructureFilterbank

__all__ = ["LinearFilterbank"]


def _bank_array(x, n_channels: int, what: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        x = x.reshape(x.shape + (1,))
    if x.ndim != 3:
        raise ValueError(f"LinearFilterbank: {what} must have shape "
                         f"(nchannels, m) or (nchannels, m, ncascade), got "
                         f"{x.shape}")
    if x.shape[0] != n_channels:
        raise ValueError(f"LinearFilterbank: {what} has {x.shape[0]} "
                         f"channels, b has {n_channels}")
    return np.asfortranarray(x)


class LinearFilterbank(Filterbank):
    """Channel j filters its input through the cascade of IIR filters
    ``b[j, :, k], a[j, :, k]`` for k = 0, 1, ... (Brian 1 API).

    ``b`` and ``a`` have shape (nchannels, m) or (nchannels, m, ncascade);
    they and the state are kept in the modifiable attributes ``filt_b``,
    ``filt_a`` and ``filt_state`` (time-varying filters change them
    between buffers).  Each filter is ``lfilter(b, a, x)``: coefficients
    are divided by ``a[0]`` when it is not 1.  A mono source feeding
    several channels is repeated automatically.
    """

    def __init__(self, source, b, a):
        b = np.asarray(b, dtype=np.float64)
        if b.ndim not in (2, 3):
            raise ValueError(f"LinearFilterbank: b must have shape "
                             f"(nchannels, m) or (nchannels, m, ncascade), "
                             f"got {b.shape}")
        n = b.shape[0]
        shared = None
        if n != source.nchannels:
            if source.nchannels != 1:
                raise ValueError(f"LinearFilterbank: {n} filters for a "
                                 f"source of {source.nchannels} channels "
                                 f"(only mono sources are repeated; use "
                                 f"RestructureFilterbank)")
            shared = source
            source = RestructureFilterbank(source, n)
        Filterbank.__init__(self, source)
        # A mono source feeding every channel goes to the core as one
        # column (the core shares it), not repeated n times in memory.
        self._shared_input = (shared, source) if shared is not None \
            else None
        self.filt_b = _bank_array(b, n, "b")
        self.filt_a = _bank_array(a, n, "a")
        if self.filt_a.shape != self.filt_b.shape:
            raise ValueError(f"LinearFilterbank: b has shape "
                             f"{self.filt_b.shape}, a {self.filt_a.shape}")
        self.filt_state = np.zeros(self.filt_b.shape, order="F")

    def reset(self) -> None:
        self.buffer_init()

    def buffer_init(self) -> None:
        Filterbank.buffer_init(self)
        self.filt_state[:] = 0

    def _coefficients(self) -> tuple:
        """filt_b and filt_a in the layout the core reads, divided by
        a[:, 0, :] where it is not 1 (users may assign new arrays)."""
        b, a = self.filt_b, self.filt_a
        if not (isinstance(b, np.ndarray) and b.dtype == np.float64 and
                b.flags.f_contiguous and b.ndim == 3):
            b = self.filt_b = _bank_array(b, self.nchannels, "filt_b")
        if not (isinstance(a, np.ndarray) and a.dtype == np.float64 and
                a.flags.f_contiguous and a.ndim == 3):
            a = self.filt_a = _bank_array(a, self.nchannels, "filt_a")
        if self.filt_state.shape != b.shape:
            self.filt_state = np.zeros(b.shape, order="F")
        a0 = a[:, 0:1, :]
        if not np.all(a0 == 1.0):
            if np.any(a0 == 0.0):
                raise ValueError("LinearFilterbank: a[:, 0] must not be 0")
            b = np.asfortranarray(b / a0)
            a = np.asfortranarray(a / a0)
        return b, a

    def buffer_apply(self, input):
        # the usual case first: the arrays as the core reads them and
        # every a0 == 1 (checked in C); else _coefficients() mends them
        try:
            y = _core.iir_apply(self.filt_b, self.filt_a, self.filt_state,
                                input, True)
        except (TypeError, ValueError):
            y = None
        if y is not None:
            return y
        b, a = self._coefficients()
        return _core.iir_apply(b, a, self.filt_state, input)

    def buffer_fetch_next(self, samples: int):
        shared = getattr(self, "_shared_input", None)
        if shared is None or self._source is not shared[1] or \
                type(self).buffer_apply is not LinearFilterbank.buffer_apply:
            return Filterbank.buffer_fetch_next(self, samples)
        start = self.next_sample
        self.next_sample += samples
        return self.buffer_apply(shared[0].buffer_fetch(start,
                                                        start + samples))

    def decascade(self, ncascade=1) -> None:
        """Merge the cascade into ``ncascade`` higher-order filters (a
        divisor of the current number; high orders are numerically
        fragile)."""
        n, m, p = self.filt_b.shape
        if p % ncascade != 0:
            raise ValueError(f"decascade: {ncascade} does not divide the "
                             f"{p} cascaded filters")
        group = p // ncascade
        order = (m - 1) * group + 1
        b = np.zeros((n, order, ncascade))
        a = np.zeros((n, order, ncascade))
        for j in range(n):
            for k in range(ncascade):
                bp = np.ones(1)
                ap = np.ones(1)
                for c in range(k * group, (k + 1) * group):
                    bp = np.convolve(bp, self.filt_b[j, :, c])
                    ap = np.convolve(ap, self.filt_a[j, :, c])
                b[j, :len(bp), k] = bp / ap[0]
                a[j, :len(ap), k] = ap / ap[0]
        self.filt_b = np.asfortranarray(b)
        self.filt_a = np.asfortranarray(a)
        self.filt_state = np.zeros(b.shape, order="F")
