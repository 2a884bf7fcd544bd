"""The middle ear filter of Tan & Carney's (2003) auditory nerve model."""
from __future__ import annotations

import numpy as np

from .filterbank import RestructureFilterbank
from .filterbanklibrary import _scipy_signal
from .linearfilterbank import LinearFilterbank

__all__ = ["MiddleEar"]


class MiddleEar(LinearFilterbank):
    """The middle ear of Tan & Carney (2003): the bilinear transform of an
    analog filter with a double zero at -200 Hz and pole pairs at
    -250 +/- 400j Hz and -2000 +/- 6000j Hz, unit gain at 1 kHz (analog),
    times ``gain`` (one value, or one per channel: a mono source is then
    repeated)."""

    def __init__(self, source, gain=1, **kwds):
        signal = _scipy_signal("MiddleEar")
        gain = np.atleast_1d(np.asarray(gain, dtype=np.float64))
        if len(gain) != 1 and len(gain) != source.nchannels:
            if source.nchannels != 1:
                raise ValueError(f"MiddleEar: {len(gain)} gains for a source "
                                 f"of {source.nchannels} channels (only mono "
                                 f"sources are repeated)")
            source = RestructureFilterbank(source, len(gain))
        zeros = 2 * np.pi * np.array([-200.0, -200.0])
        poles = 2 * np.pi * np.array([-250 + 400j, -250 - 400j,
                                      -2000 + 6000j, -2000 - 6000j])
        b, a = signal.zpk2tf(zeros, poles, 1.0)
        b = b / np.abs(signal.freqs(b, a, [2 * np.pi * 1000.0])[1][0])
        bd, ad = signal.bilinear(b, a, float(source.samplerate))
        n = source.nchannels
        gains = np.broadcast_to(gain, (n,))
        LinearFilterbank.__init__(self, source,
                                  np.outer(gains, bd)[:, :, None],
                                  np.tile(ad, (n, 1))[:, :, None])
