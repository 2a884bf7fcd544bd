"""HRTF (a pair of head-related impulse responses), HRTFSet (one per
location, with coordinates) and the HRTFDatabase interface."""
from __future__ import annotations

import copy

import numpy as np

from ..filtering.firfilterbank import FIRFilterbank
from ..sounds import Sound

__all__ = ["HRTF", "HRTFSet", "HRTFDatabase", "make_coordinates"]


class HRTF:
    """The left and right impulse responses of one location.

    ``impulse_response`` is a stereo Sound; ``left``, ``right``; ``fir``
    the (2, length) array for an FIRFilterbank; ``apply(sound)`` (or
    calling the HRTF) filters a mono sound into a stereo one.
    """

    def __init__(self, hrir_l, hrir_r=None):
        if hrir_r is None:
            hrir = hrir_l
        else:
            hrir = Sound((hrir_l, hrir_r), samplerate=hrir_l.samplerate)
        self.samplerate = hrir.samplerate
        self.impulse_response = hrir
        self.left = hrir.left
        self.right = hrir.right

    def apply(self, sound) -> Sound:
        """The stereo sound heard from this location (FFT convolution,
        cut to the length of the sound)."""
        if sound.nchannels != 1:
            raise ValueError("HRTF can only be applied to mono sounds")
        if int(self.samplerate) != int(sound.samplerate):
            raise ValueError(f"HRTF samplerate {self.samplerate} and sound "
                             f"samplerate {sound.samplerate} differ")
        x = np.asarray(sound)[:, 0]
        ir = np.asarray(self.impulse_response)
        nfft = 1 << int(len(x) + ir.shape[0] - 1).bit_length()
        spec = np.fft.rfft(x, nfft)[:, None] * np.fft.rfft(ir, nfft, axis=0)
        y = np.fft.irfft(spec, nfft, axis=0)[:len(x)]
        return Sound(y, samplerate=self.samplerate)

    __call__ = apply

    @property
    def fir(self) -> np.ndarray:
        return np.array(np.asarray(self.impulse_response).T)

    def filterbank(self, source, **kwds) -> FIRFilterbank:
        """A two-channel FIRFilterbank applying this HRTF to ``source``."""
        return FIRFilterbank(source, self.fir, **kwds)

    def __len__(self) -> int:
        return self.impulse_response.shape[0]


def make_coordinates(**kwds) -> np.ndarray:
    """A record array of coordinates: ``make_coordinates(azim=[...],
    elev=[...])``."""
    if not kwds:
        raise ValueError("make_coordinates needs at least one coordinate")
    n = len(next(iter(kwds.values())))
    coords = np.zeros(n, dtype=[(name, float) for name in kwds])
    for name, values in kwds.items():
        coords[name] = values
    return coords


class HRTFSet:
    """HRTFs of many locations: ``data`` of shape (2, num_indices,
    num_samples) (left ear, right ear), ``samplerate``, ``coordinates``
    (a record array, see make_coordinates).  ``hrtfset[i]`` is an HRTF,
    ``hrtfset(azim=30, elev=0)`` the one at those coordinates."""

    def __init__(self, data, samplerate, coordinates):
        self.data = np.asarray(data, dtype=np.float64)
        if self.data.ndim != 3 or self.data.shape[0] != 2:
            raise ValueError(f"HRTFSet: data must have shape (2, "
                             f"num_indices, num_samples), got "
                             f"{self.data.shape}")
        self.samplerate = samplerate
        self.coordinates = coordinates
        self.hrtf = [HRTF(Sound(self.data[0, i], samplerate=samplerate),
                          Sound(self.data[1, i], samplerate=samplerate))
                     for i in range(self.num_indices)]

    def __getitem__(self, key):
        return self.hrtf[key]

    def get_index(self, **kwds) -> int:
        """The index of the HRTF at the given coordinates."""
        keep = np.ones(self.num_indices, dtype=bool)
        for key, value in kwds.items():
            keep &= np.abs(self.coordinates[key] - value) < 1e-10
        found = keep.nonzero()[0]
        if len(found) == 0:
            raise IndexError(f"No HRTF exists at {kwds}")
        if len(found) > 1:
            raise IndexError(f"More than one HRTF exists at {kwds}")
        return int(found[0])

    def __call__(self, **kwds):
        return self.hrtf[self.get_index(**kwds)]

    def subset(self, condition) -> "HRTFSet":
        """The HRTFSet of the locations kept by ``condition``: a boolean
        array, an array of indices, or a function of coordinate names
        (``lambda azim, elev: elev == 0``)."""
        if callable(condition):
            names = condition.__code__.co_varnames[
                :condition.__code__.co_argcount]
            values = {name: self.coordinates[name] for name in names}
            try:
                keep = np.asarray(condition(**values))
                if keep.shape != (self.num_indices,):
                    raise ValueError
            except Exception:
                keep = np.array([bool(condition(**{name: values[name][j]
                                                   for name in names}))
                                 for j in range(self.num_indices)])
            index = keep.nonzero()[0]
        else:
            condition = np.asarray(condition)
            index = condition.nonzero()[0] if condition.dtype == bool \
                else condition
        obj = copy.copy(self)
        obj.hrtf = [self.hrtf[i] for i in index]
        obj.coordinates = self.coordinates[index]
        obj.data = self.data[:, index, :]
        return obj

    def __len__(self) -> int:
        return self.num_indices

    @property
    def num_indices(self) -> int:
        return self.data.shape[1]

    @property
    def num_samples(self) -> int:
        return self.data.shape[2]

    @property
    def fir_serial(self) -> np.ndarray:
        """(2*num_indices, num_samples): all left ears, then all right."""
        return self.data.reshape(2 * self.num_indices, self.num_samples)

    @property
    def fir_interleaved(self) -> np.ndarray:
        """(2*num_indices, num_samples): left and right alternating."""
        fir = np.empty((2 * self.num_indices, self.num_samples))
        fir[::2] = self.data[0]
        fir[1::2] = self.data[1]
        return fir

    def filterbank(self, source, interleaved=False, **kwds):
        """An FIRFilterbank applying every HRTF of the set to ``source``
        (channels LLL...RRR..., or LRLR... if interleaved)."""
        fir = self.fir_interleaved if interleaved else self.fir_serial
        return FIRFilterbank(source, fir, **kwds)


class HRTFDatabase:
    """Base of HRTF databases: ``load_subject(subject)`` returns an
    HRTFSet; ``subjects`` lists the subjects available."""

    def __init__(self, samplerate=None):
        raise NotImplementedError("HRTFDatabase is a base class: use "
                                  "IRCAM_LISTEN, HeadlessDatabase or a "
                                  "subclass")

    def load_subject(self, subject):
        raise NotImplementedError(f"{type(self).__name__} does not define "
                                  f"load_subject")
