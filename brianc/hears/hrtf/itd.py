"""HeadlessDatabase: HRTFs of pure interaural time differences."""
from __future__ import annotations

import numpy as np

from ...units import metre, second, usecond
from ..filtering.fractionaldelay import FractionalDelay
from ..prefs import get_samplerate
from ..sounds import silence
from .hrtf import HRTFDatabase, HRTFSet, make_coordinates

__all__ = ["HeadlessDatabase"]

speed_of_sound_in_air = 343.2 * metre / second


class HeadlessDatabase(HRTFDatabase):
    """An HRTF set of pure delays: ``n`` azimuths from -azim_max to
    azim_max (radians) with ITD ``diameter*sin(azim)/speed_of_sound``
    (650 us at most by default), or the given ``itd`` values.  The ear
    that leads is not delayed; ``fractional_itds=True`` uses windowed-sinc
    fractional delays (``delay_offset`` is then their common latency)."""

    def __init__(self, n=None, azim_max=np.pi / 2,
                 diameter=speed_of_sound_in_air * 650 * usecond, itd=None,
                 samplerate=None, fractional_itds=False):
        if itd is None:
            if n is None:
                raise ValueError("HeadlessDatabase needs n or itd")
            azim = np.linspace(-azim_max, azim_max, n)
            itd = float(diameter) * np.sin(azim) / \
                float(speed_of_sound_in_air)
            coords = make_coordinates(azim=azim, itd=itd)
        else:
            itd = np.atleast_1d(np.asarray(itd, dtype=np.float64))
            coords = make_coordinates(itd=itd)
        self.itd = itd
        samplerate = self.samplerate = get_samplerate(samplerate)
        rate = float(samplerate)
        if not fractional_itds:
            left = np.rint(np.maximum(itd, 0) * rate).astype(int)
            right = np.rint(np.maximum(-itd, 0) * rate).astype(int)
            data = np.zeros((2, len(itd), max(left.max(), right.max()) + 1))
            data[0, np.arange(len(itd)), left] = 1
            data[1, np.arange(len(itd)), right] = 1
        else:
            fd = FractionalDelay(silence(1e-3 * second, samplerate=samplerate),
                                 np.concatenate((itd / 2, -itd / 2)))
            ir = fd.impulse_response
            data = np.stack((ir[:len(itd)], ir[len(itd):]))
            self.delay_offset = fd.delay_offset
        self.hrtfset = HRTFSet(data, samplerate, coords)
        self.hrtfset.name = "ITDDatabaseSubject"
        self.subjects = ["0"]

    def load_subject(self, subject="0"):
        return self.hrtfset
