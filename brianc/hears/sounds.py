"""Sound: a multichannel sampled sound, an array of shape (nsamples,
nchannels) with a sample rate, and the functions that make sounds
(tones, noises, clicks, vowels, ...), as in Brian 1's Brian Hears."""
from __future__ import annotations

import math
import os
import wave

import numpy as np

from .. import _core
from ..stdunits import Hz, ms
from ..timedarray import TimedArray
from ..units import (DimensionMismatchError, Quantity, get_dimensions,
                     second)
from .bufferable import Bufferable
from .db import dB_error, dB_type
from .prefs import get_samplerate

__all__ = ["BaseSound", "Sound", "pinknoise", "brownnoise",
           "powerlawnoise", "whitenoise", "irns", "irno", "tone", "click",
           "clicks", "silence", "sequence", "harmoniccomplex", "loadsound",
           "savesound", "play", "vowel"]

# Reference pressure of dB SPL, pascals.
_P_REF = 2e-5


def _is_time(value) -> bool:
    return isinstance(value, Quantity) and \
        get_dimensions(value) == second.dim


def _check_time(value, what: str) -> None:
    if isinstance(value, Quantity) and get_dimensions(value) != second.dim:
        raise DimensionMismatchError(f"{what} must be a time or a number of "
                                     f"samples", get_dimensions(value))


def get_duration(duration, samplerate) -> int:
    """A duration as a number of samples: ints are samples already, times
    are rounded to the nearest sample."""
    if isinstance(duration, (int, np.integer)) and \
            not isinstance(duration, Quantity):
        return int(duration)
    _check_time(duration, "duration")
    return int(np.rint(float(duration) * float(samplerate)))


def _rate(samplerate) -> Quantity:
    samplerate = get_samplerate(samplerate)
    if isinstance(samplerate, Quantity):
        if get_dimensions(samplerate) != Hz.dim:
            raise DimensionMismatchError("samplerate must be a frequency",
                                         get_dimensions(samplerate))
        return samplerate
    return float(samplerate) * Hz


class BaseSound(Bufferable):
    """Base class of sounds (Sound and the online sounds)."""


class Sound(BaseSound, np.ndarray):
    """A sound: an array of shape (nsamples, nchannels) with ``samplerate``.

    ``Sound(data, samplerate=None, duration=None)`` accepts an array (1-D
    mono or 2-D), a function of time (then ``duration`` is needed), a
    filename (WAV or AIFF), or a list of channels.  Slicing by times
    (``snd[10*ms:20*ms]``) or samples; arithmetic gives sounds; ``level``
    is the RMS level in dB SPL taking the values as pascals.
    """

    def __new__(cls, data, samplerate=None, duration=None):
        if isinstance(data, np.ndarray):
            if duration is not None:
                raise ValueError("Sound: a duration cannot be given with an "
                                 "array of samples")
            rate = _rate(samplerate if samplerate is not None else
                         getattr(data, "samplerate", None))
            x = np.array(data, dtype=np.float64)
        elif isinstance(data, (str, os.PathLike)):
            if duration is not None or samplerate is not None:
                raise ValueError("Sound: a sound loaded from a file takes its "
                                 "duration and samplerate from the file")
            x = Sound.load(os.fspath(data))
            rate = x.samplerate
            x = np.asarray(x)
        elif callable(data):
            if duration is None:
                raise ValueError("Sound: a sound made from a function needs "
                                 "a duration")
            rate = _rate(samplerate)
            n = get_duration(duration, rate)
            t = np.arange(n, dtype=np.float64) / float(rate)
            x = np.array(data(t * second), dtype=np.float64)
        elif isinstance(data, (list, tuple)):
            kwds = {}
            if samplerate is not None:
                kwds["samplerate"] = samplerate
            if duration is not None:
                kwds["duration"] = duration
            channels = [Sound(c, **kwds) for c in data]
            if not channels:
                raise ValueError("Sound: an empty list of channels")
            lengths = {len(c) for c in channels}
            if len(lengths) > 1:
                raise ValueError(f"Sound: channels of different lengths "
                                 f"{sorted(lengths)}")
            x = np.hstack([np.asarray(c) for c in channels])
            rate = channels[0].samplerate
        else:
            raise TypeError(f"Cannot make a Sound from a "
                            f"{type(data).__name__}")
        if x.ndim == 1:
            x = x.reshape(-1, 1)
        elif x.ndim != 2:
            raise ValueError(f"Sound: samples must be 1-D or 2-D (nsamples, "
                             f"nchannels), got shape {x.shape}")
        obj = x.view(cls)
        obj.samplerate = rate
        return obj

    def __array_finalize__(self, obj) -> None:
        if obj is not None:
            self.samplerate = getattr(obj, "samplerate", None)

    def __array_wrap__(self, obj, context=None, return_scalar=False):
        result = np.ndarray.__array_wrap__(self, obj, context, return_scalar)
        if isinstance(result, Sound) and (result.ndim != 2):
            return np.asarray(result)[()] if result.ndim == 0 else \
                np.asarray(result)
        return result

    duration = property(lambda self: len(self) / self.samplerate,
                        doc="The length of the sound (a time).")
    nsamples = property(lambda self: len(self),
                        doc="The number of samples.")
    nchannels = property(lambda self: self.shape[1],
                         doc="The number of channels.")
    left = property(lambda self: self.channel(0),
                    doc="Channel 0 (the left of a stereo sound).")
    right = property(lambda self: self.channel(1),
                     doc="Channel 1 (the right of a stereo sound).")

    @property
    def times(self):
        """The time of each sample (seconds)."""
        return np.arange(len(self), dtype=np.float64) / float(self.samplerate)

    # -- the buffered interface: a sound is its own buffer -----------------
    def buffer_init(self) -> None:
        pass

    def buffer_fetch(self, start: int, end: int):
        if start < 0:
            raise IndexError(f"buffer_fetch({start}, {end}): sounds have no "
                             f"samples before 0")
        x = np.asarray(self)[start:end, :]
        missing = (end - start) - x.shape[0]
        if missing > 0:
            # silence after the end of the sound
            x = np.vstack((x, np.zeros((missing, self.nchannels))))
        return x

    # -- use in equations: ``sound(t)`` reads the sample of each step, as a
    # TimedArray of the sound's samples (sample k at k/samplerate) would --
    def _timed_array(self):
        cached = self.__dict__.get("_as_timed_array")
        data = np.asarray(self)
        if cached is None or cached[0] != (data.__array_interface__["data"],
                                           data.shape):
            values = data[:, 0] if self.nchannels == 1 else data
            ta = TimedArray(values.copy(), start=0 * second,
                            dt=1 / self.samplerate)
            cached = ((data.__array_interface__["data"], data.shape), ta)
            self.__dict__["_as_timed_array"] = cached
        return cached[1]

    def __call__(self, t):
        """The sample(s) at time t (the nearest sample, clipped to the
        sound), as the TimedArray of the samples gives them."""
        return self._timed_array()(t)

    def _call_dimensions(self):
        return self._timed_array()._call_dimensions()

    def _program_input(self, n: int, clock):
        return self._timed_array()._program_input(n, clock)

    def channel(self, n: int) -> "Sound":
        """Channel n as a mono sound."""
        return Sound(np.asarray(self)[:, n], self.samplerate)

    # -- arithmetic: sounds of different lengths are padded with silence --
    def _binary(self, other, op):
        if isinstance(other, Sound):
            if int(other.samplerate) != int(self.samplerate):
                raise ValueError(f"Cannot combine sounds of sample rates "
                                 f"{self.samplerate} and {other.samplerate}"
                                 f" (resample one first)")
            n = max(len(self), len(other))
            a, b = self.resized(n), other.resized(n)
            return Sound(op(np.asarray(a), np.asarray(b)), self.samplerate)
        return Sound(op(np.asarray(self), np.asarray(other)),
                     self.samplerate)

    def __add__(self, other):
        return self._binary(other, np.add)

    def __radd__(self, other):
        return self._binary(other, lambda a, b: b + a)

    def __sub__(self, other):
        return self._binary(other, np.subtract)

    def __rsub__(self, other):
        return self._binary(other, lambda a, b: b - a)

    def __mul__(self, other):
        return self._binary(other, np.multiply)

    def __rmul__(self, other):
        return self._binary(other, lambda a, b: b * a)

    def __truediv__(self, other):
        return self._binary(other, np.true_divide)

    def __rtruediv__(self, other):
        return self._binary(other, lambda a, b: b / a)

    # -- slicing by samples or by times ------------------------------------
    def _sample_bounds(self, key: slice) -> tuple:
        bounds = [v for v in (key.start, key.stop) if v is not None]
        ints = [isinstance(v, (int, np.integer)) and
                not isinstance(v, Quantity) for v in bounds]
        if any(ints) and not all(ints):
            raise ValueError("Sound slices must use only sample numbers or "
                             "only times")
        if all(ints):
            return key.start, key.stop
        for v in bounds:
            if not _is_time(v):
                raise DimensionMismatchError("Sound slices need times or "
                                             "sample numbers",
                                             get_dimensions(v))
        rate = float(self.samplerate)
        start = None if key.start is None else \
            int(np.rint(float(key.start) * rate))
        stop = None if key.stop is None else \
            int(np.rint(float(key.stop) * rate))
        return start, stop

    def __getitem__(self, key):
        if not isinstance(key, (tuple, slice, int, float, np.integer,
                                np.floating)):
            # masks, index arrays, Ellipsis: plain NumPy indexing
            return np.asarray(self)[key]
        channel = slice(None)
        if isinstance(key, tuple):
            if len(key) != 2:
                return np.ndarray.__getitem__(self, key)
            key, channel = key
        if isinstance(key, (int, np.integer)) and \
                not isinstance(key, Quantity):
            return np.asarray(self)[key, channel]
        if isinstance(key, (float, Quantity)):
            _check_time(key, "Sound index")
            return np.asarray(self)[int(np.rint(float(key) *
                                                float(self.samplerate))),
                                    channel]
        if not isinstance(key, slice):
            return np.asarray(self)[key, channel]
        if key.step is not None and int(key.step) != key.step:
            raise NotImplementedError("Sound slices with a non-integer step "
                                      "(resampling) are not supported")
        start, stop = self._sample_bounds(key)
        step = int(key.step) if key.step is not None else 1
        start = 0 if start is None else start
        stop = len(self) if stop is None else stop
        data = np.asarray(self)
        if isinstance(channel, (int, np.integer)):
            channel = slice(channel, channel + 1)
        if start >= 0 and stop <= len(self):
            return Sound(data[start:stop:step, channel], self.samplerate)
        # outside the sound: silence
        before = max(-start, 0)
        after = max(stop - len(self), 0)
        middle = data[max(start, 0):min(stop, len(self)):step, channel]
        width = middle.shape[1]
        return Sound(np.vstack((np.zeros((before, width)), middle,
                                np.zeros((after, width)))), self.samplerate)

    def __setitem__(self, key, value):
        channel = slice(None)
        if isinstance(key, tuple) and len(key) == 2:
            key, channel = key
        if isinstance(key, (float, Quantity)) and \
                not isinstance(key, (int, np.integer)):
            _check_time(key, "Sound index")
            key = int(np.rint(float(key) * float(self.samplerate)))
        elif isinstance(key, slice):
            if key.step is not None:
                raise NotImplementedError("Sound slice assignment with a "
                                          "step is not supported")
            start, stop = self._sample_bounds(key)
            if (start is not None and start < 0) or \
                    (stop is not None and stop > len(self)):
                if not (isinstance(key.start, (int, type(None))) and
                        isinstance(key.stop, (int, type(None)))):
                    raise IndexError("Slice bigger than the Sound")
            key = slice(start, stop)
        value = np.asarray(value)
        if channel != slice(None) and value.ndim == 2 and \
                value.shape[1] == 1:
            value = value[:, 0]
        np.asarray(self)[key, channel] = value

    # -- length and time ---------------------------------------------------
    def extended(self, duration) -> "Sound":
        """The sound followed by ``duration`` (time or samples) of
        silence."""
        return self[:self.nsamples + get_duration(duration,
                                                  self.samplerate)]

    def resized(self, L: int) -> "Sound":
        """The sound cut or padded with silence to L samples."""
        L = int(L)
        if L == len(self):
            return self
        if L < len(self):
            return Sound(np.asarray(self)[:L, :], self.samplerate)
        pad = np.zeros((L - len(self), self.nchannels))
        return Sound(np.vstack((np.asarray(self), pad)), self.samplerate)

    def shifted(self, duration, fractional=False, filter_length=2048):
        """The sound delayed by ``duration`` (time or samples; negative
        advances it).  ``fractional=True`` delays by a fraction of a sample
        with a windowed-sinc filter of ``filter_length`` taps."""
        if not fractional:
            n = get_duration(duration, self.samplerate)
            if n >= 0:
                return Sound(np.vstack((np.zeros((n, self.nchannels)),
                                        np.asarray(self))), self.samplerate)
            return self[-n:, :]
        _check_time(duration, "shift")
        if self.nchannels > 1:
            channels = [self.channel(i).shifted(duration, True,
                                                filter_length)
                        for i in range(self.nchannels)]
            return Sound(np.hstack([np.asarray(c) for c in channels]),
                         self.samplerate)
        delay = float(duration) * float(self.samplerate)
        whole = int(delay) if delay >= 0 else -int(-delay)
        frac = delay - whole
        centre = filter_length // 2
        x = np.arange(filter_length) - frac
        if abs(round(frac) - frac) < 1e-10:
            taps = (x == centre).astype(np.float64)
        else:
            u = x - centre
            hamming = 0.54 - 0.46 * np.cos(2 * np.pi * (x + 0.5) /
                                           filter_length)
            taps = hamming * np.sin(np.pi * u) / (np.pi * u)
        y = np.convolve(taps, np.asarray(self)[:, 0])
        y = y[filter_length // 2:-(filter_length // 2)]
        return Sound(y, self.samplerate).shifted(whole)

    def repeat(self, n: int) -> "Sound":
        """The sound played n times in a row."""
        return Sound(np.vstack((np.asarray(self),) * int(n)),
                     self.samplerate)

    def resample(self, samplerate, resample_type="sinc_best"):
        """The sound at another sample rate (FFT resampling; needs
        SciPy)."""
        signal = _scipy_signal("Sound.resample")
        rate = _rate(samplerate)
        n = int(np.rint(len(self) * float(rate) / float(self.samplerate)))
        y = signal.resample(np.asarray(self), n, axis=0)
        return Sound(y, rate)

    # -- levels ------------------------------------------------------------
    def get_level(self):
        """RMS level in dB SPL (values in pascals): a dB value for a mono
        sound, an array of levels for several channels."""
        x = np.asarray(self)
        if self.nchannels == 1:
            centred = x[:, 0] - np.mean(x[:, 0])
            rms = math.sqrt(float(np.mean(centred ** 2)))
            return dB_type(20.0 * math.log10(rms / _P_REF)) if rms > 0 \
                else dB_type(-np.inf)
        centred = x - x.mean(axis=0)
        rms = np.sqrt(np.mean(centred ** 2, axis=0))
        with np.errstate(divide="ignore"):
            return 20.0 * np.log10(rms / _P_REF)

    def set_level(self, level) -> None:
        """Scale to ``level`` dB SPL (a dB value, or one per channel)."""
        current = self.get_level()
        if self.nchannels == 1:
            if not isinstance(level, dB_type):
                raise dB_error(f"Sound level must be in dB, got {level!r}")
            factor = 10 ** ((float(level) - float(current)) / 20.0)
        else:
            target = np.asarray(level, dtype=np.float64).reshape(-1)
            if target.size == 1:
                target = np.repeat(target, self.nchannels)
            if target.size != self.nchannels:
                raise ValueError(f"{target.size} levels for a sound of "
                                 f"{self.nchannels} channels")
            factor = (10 ** ((target - current) / 20.0)).reshape(1, -1)
        np.asarray(self)[...] *= factor

    level = property(get_level, set_level,
                     doc="RMS level in dB SPL (values in pascals).")

    def atlevel(self, level) -> "Sound":
        """A copy of the sound at ``level`` dB SPL."""
        snd = self.copy()
        snd.level = level
        return snd

    def get_maxlevel(self):
        return dB_type(float(np.amax(self.level)))

    def set_maxlevel(self, level) -> None:
        if not isinstance(level, dB_type):
            raise dB_error(f"Sound level must be in dB, got {level!r}")
        factor = 10 ** ((float(level) - float(self.get_maxlevel())) / 20.0)
        np.asarray(self)[...] *= factor

    maxlevel = property(get_maxlevel, set_maxlevel,
                        doc="The highest channel level; setting it keeps "
                            "the level differences between channels.")

    def atmaxlevel(self, level) -> "Sound":
        """A copy whose loudest channel is at ``level``."""
        snd = self.copy()
        snd.maxlevel = level
        return snd

    def ramp(self, when="onset", duration=10 * ms, envelope=None,
             inplace=True):
        """Fade in ('onset'), out ('offset') or 'both' over ``duration``
        with ``envelope(t)`` rising from 0 to 1 on [0, 1] (default
        sin(pi t / 2)**2)."""
        when = when.lower().strip()
        if when not in ("onset", "offset", "both"):
            raise ValueError(f"ramp: when must be 'onset', 'offset' or "
                             f"'both', got {when!r}")
        if envelope is None:
            def envelope(t):
                return np.sin(np.pi * t / 2) ** 2
        n = get_duration(duration, self.samplerate)
        factor = np.asarray(envelope(np.linspace(0.0, 1.0, n))).reshape(n, 1)
        target = self if inplace else self.copy()
        data = np.asarray(target)
        if when in ("onset", "both"):
            data[:n, :] *= factor
        if when in ("offset", "both"):
            data[len(data) - n:, :] *= factor[::-1]
        return target

    def ramped(self, when="onset", duration=10 * ms, envelope=None):
        """A ramped copy (see ``ramp``)."""
        return self.ramp(when=when, duration=duration, envelope=envelope,
                         inplace=False)

    def copy(self, order="C") -> "Sound":
        return Sound(np.array(np.asarray(self), order=order),
                     self.samplerate)

    def fft(self, n=None):
        """The FFT of each channel (columns), of length n."""
        return np.fft.fft(np.asarray(self), n=n, axis=0)

    # -- analysis and display ----------------------------------------------
    def spectrum(self, low=None, high=None, log_power=True, display=False):
        """(power, frequencies, phase) of a mono sound between low and high;
        the power in dB if log_power.  display=True plots it."""
        x = np.asarray(self)[:, 0]
        spec = np.fft.rfft(x)
        freqs = np.fft.rfftfreq(len(x), 1.0 / float(self.samplerate))
        power = np.abs(spec) ** 2
        phase = np.unwrap(np.angle(spec))
        lo = 0.0 if low is None else float(low)
        hi = freqs[-1] if high is None else float(high)
        keep = (freqs >= lo) & (freqs <= hi)
        power, freqs, phase = power[keep], freqs[keep], phase[keep]
        if log_power:
            with np.errstate(divide="ignore"):
                power = 10 * np.log10(power)
        if display:
            import matplotlib.pyplot as plt
            plt.subplot(211)
            plt.semilogx(freqs, power)
            plt.ylabel("Power (dB)" if log_power else "Power")
            plt.subplot(212)
            plt.semilogx(freqs, phase)
            plt.xlabel("Frequency (Hz)")
            plt.ylabel("Phase (rad)")
        return power, freqs * Hz, phase

    def spectrogram(self, low=None, high=None, log_power=True, other=None,
                    **kwds):
        """Plot the spectrogram of a mono sound (matplotlib's specgram);
        returns (pxx, freqs, bins, im)."""
        import matplotlib.pyplot as plt
        x = np.asarray(self)[:, 0]
        if other is not None:
            x = x - np.asarray(other)[:, 0]
        kwds.setdefault("NFFT", 256)
        kwds.setdefault("noverlap", 128)
        pxx, freqs, bins = plt.mlab.specgram(x, Fs=float(self.samplerate),
                                             NFFT=kwds["NFFT"],
                                             noverlap=kwds["noverlap"])
        lo = 0.0 if low is None else float(low)
        hi = float(self.samplerate) / 2 if high is None else float(high)
        keep = (freqs >= lo) & (freqs <= hi)
        pxx, freqs = pxx[keep], freqs[keep]
        shown = 10 * np.log10(pxx + 1e-300) if log_power else pxx
        im = plt.imshow(shown, origin="lower", aspect="auto",
                        extent=(0, float(self.duration), freqs[0],
                                freqs[-1]))
        plt.xlabel("Time (s)")
        plt.ylabel("Frequency (Hz)")
        return pxx, freqs, bins, im

    def play(self, normalise=False, sleep=False):
        """Play the sound (needs the sounddevice or pygame package)."""
        x = np.asarray(self)
        if normalise:
            peak = np.amax(np.abs(x))
            x = x / peak if peak > 0 else x
        try:
            import sounddevice
        except ImportError:
            sounddevice = None
        if sounddevice is not None:
            sounddevice.play(x, int(self.samplerate), blocking=bool(sleep))
            return
        try:
            import pygame
        except ImportError:
            raise ImportError("play() needs an audio backend: install the "
                              "'sounddevice' or 'pygame' package (pip "
                              "install sounddevice)") from None
        pygame.mixer.init(int(self.samplerate), -16, self.nchannels)
        data = np.ascontiguousarray(np.clip(x, -1, 1) * (2 ** 15 - 1),
                                    dtype=np.int16)
        sound = pygame.sndarray.make_sound(data)
        sound.play()
        if sleep:
            pygame.time.wait(int(float(self.duration) * 1000))

    # -- files -------------------------------------------------------------
    def save(self, filename, normalise=False, samplewidth=2) -> None:
        """Write a WAV file of 1- or 2-byte samples (values in [-1, 1]
        map to the full range; normalise=True scales the peak to 1)."""
        filename = os.fspath(filename)
        ext = filename.rsplit(".", 1)[-1].lower()
        if ext != "wav":
            raise NotImplementedError(f"Sound.save writes WAV files only, "
                                      f"not {filename!r}")
        if samplewidth not in (1, 2):
            raise ValueError(f"samplewidth must be 1 or 2 bytes, got "
                             f"{samplewidth}")
        x = np.array(self, dtype=np.float64)
        if normalise:
            x /= np.amax(x)
        if samplewidth == 2:
            ints = np.clip(np.rint(x * 2 ** 15), -2 ** 15, 2 ** 15 - 1)
            frames = ints.astype("<i2").tobytes()
        else:
            ints = np.clip(np.rint(x * (2 ** 7 - 1) + 2 ** 7), 0, 255)
            frames = ints.astype(np.uint8).tobytes()
        with wave.open(filename, "wb") as w:
            w.setnchannels(self.nchannels)
            w.setsampwidth(samplewidth)
            w.setframerate(int(round(float(self.samplerate))))
            w.writeframes(frames)

    @staticmethod
    def load(filename) -> "Sound":
        """Read a WAV file (8- or 16-bit PCM) as a Sound of values in
        [-1, 1]."""
        filename = os.fspath(filename)
        ext = filename.rsplit(".", 1)[-1].lower()
        if ext != "wav":
            raise NotImplementedError(f"loadsound reads WAV files only "
                                      f"(Python's wave module), not "
                                      f"{filename!r}")
        with wave.open(filename, "rb") as w:
            nchannels, width, rate, nframes = w.getparams()[:4]
            frames = w.readframes(nframes)
        if width == 2:
            data = np.frombuffer(frames, dtype="<i2") / 2.0 ** 15
        elif width == 1:
            data = (np.frombuffer(frames, dtype=np.uint8) - 2.0 ** 7) / \
                (2 ** 7 - 1)
        else:
            raise NotImplementedError(f"{filename}: {8 * width}-bit samples "
                                      f"are not supported (8 or 16 bit)")
        return Sound(data.reshape(nframes, nchannels), rate * Hz)

    def __repr__(self) -> str:
        return f"Sound({np.asarray(self)!r}, {self.samplerate!r})"

    def __str__(self) -> str:
        return (f"Sound duration {self.duration}, channels "
                f"{self.nchannels}, samplerate {self.samplerate}")

    def __reduce__(self):
        return (_sound_from_pickle, (np.asarray(self),
                                     float(self.samplerate)))

    # -- sound makers (also module functions) ------------------------------
    @staticmethod
    def tone(frequency, duration, phase=0, samplerate=None, nchannels=1):
        """A pure tone sin(2 pi f t + phase); frequency and phase may give
        one value per channel."""
        rate = _rate(samplerate)
        n = get_duration(duration, rate)
        freq = np.asarray(frequency, dtype=np.float64).reshape(-1)
        ph = np.asarray(phase, dtype=np.float64).reshape(-1)
        nchannels = max(nchannels, freq.size, ph.size)
        t = (np.arange(n, dtype=np.float64) / float(rate)).reshape(-1, 1)
        x = np.sin(ph.reshape(1, -1) + 2.0 * np.pi * freq.reshape(1, -1) *
                   np.tile(t, (1, nchannels)))
        return Sound(x, rate)

    @staticmethod
    def harmoniccomplex(f0, duration, amplitude=1, phase=0, samplerate=None,
                        nchannels=1):
        """Harmonics of f0 up to the Nyquist frequency (or as many as
        amplitudes or phases are given)."""
        rate = _rate(samplerate)
        phases = np.asarray(phase, dtype=np.float64).reshape(-1)
        amps = np.asarray(amplitude, dtype=np.float64).reshape(-1)
        if phases.size > 1 and amps.size > 1 and phases.size != amps.size:
            raise ValueError("harmoniccomplex: as many phases as amplitudes "
                             "are needed")
        if phases.size > 1 or amps.size > 1:
            count = max(phases.size, amps.size)
        else:
            count = int(np.floor(float(rate) / (2 * float(f0))))
        phases = np.resize(phases, count)
        amps = np.resize(amps, count)
        x = np.zeros((get_duration(duration, rate), nchannels))
        for k in range(count):
            x += amps[k] * np.asarray(Sound.tone((k + 1) * float(f0),
                                                 duration, phases[k], rate,
                                                 nchannels))
        return Sound(x, rate)

    @staticmethod
    def whitenoise(duration, samplerate=None, nchannels=1):
        """Gaussian white noise of unit variance."""
        rate = _rate(samplerate)
        return Sound(np.random.randn(get_duration(duration, rate),
                                     nchannels), rate)

    @staticmethod
    def powerlawnoise(duration, alpha, samplerate=None, nchannels=1,
                      normalise=False):
        """Noise whose power falls as 1/f**alpha (alpha=1 pink, 2 brown),
        shaped in the frequency domain."""
        rate = _rate(samplerate)
        n = get_duration(duration, rate)
        freqs = np.fft.rfftfreq(n, 1.0 / float(rate))
        spec = np.random.randn(len(freqs), nchannels) + \
            1j * np.random.randn(len(freqs), nchannels)
        with np.errstate(divide="ignore"):
            shape = np.where(freqs > 0, freqs ** (-alpha / 2.0), 0.0)
        spec *= shape.reshape(-1, 1)
        if n % 2 == 0 and n > 0:
            spec[-1, :] = spec[-1, :].real      # the Nyquist bin is real
        x = np.fft.irfft(spec, n=n, axis=0)
        if normalise:
            lo, hi = x.min(axis=0), x.max(axis=0)
            x = ((x - lo) / (hi - lo) - 0.5) * 2
        return Sound(x, rate)

    @staticmethod
    def pinknoise(duration, samplerate=None, nchannels=1, normalise=False):
        """1/f noise."""
        return Sound.powerlawnoise(duration, 1.0, samplerate, nchannels,
                                   normalise)

    @staticmethod
    def brownnoise(duration, samplerate=None, nchannels=1, normalise=False):
        """1/f**2 noise."""
        return Sound.powerlawnoise(duration, 2.0, samplerate, nchannels,
                                   normalise)

    @staticmethod
    def irns(delay, gain, niter, duration, samplerate=None, nchannels=1):
        """Iterated rippled noise, add-same network: white noise through
        niter cascaded stages y = x + gain * x(t - delay)."""
        return Sound._rippled(delay, gain, niter, duration, samplerate,
                              nchannels, cascade=True)

    @staticmethod
    def irno(delay, gain, niter, duration, samplerate=None, nchannels=1):
        """Iterated rippled noise, add-original network: white noise plus
        gain**k times its delays by k * delay, k = 1..niter."""
        return Sound._rippled(delay, gain, niter, duration, samplerate,
                              nchannels, cascade=False)

    @staticmethod
    def _rippled(delay, gain, niter, duration, samplerate, nchannels,
                 cascade):
        if nchannels != 1:
            raise ValueError("iterated rippled noise is mono (nchannels=1)")
        rate = _rate(samplerate)
        n = get_duration(duration, rate)
        noise = np.random.randn(n)
        spec = np.fft.fft(noise)
        w = 2 * np.pi * np.fft.fftfreq(n, 1.0 / float(rate))
        shift = np.exp(-1j * w * float(delay))
        if cascade:
            transfer = (1 + gain * shift) ** int(niter)
        else:
            transfer = sum((gain ** k) * shift ** k
                           for k in range(int(niter) + 1))
        return Sound(np.real(np.fft.ifft(spec * transfer)), rate)

    @staticmethod
    def click(duration, peak=None, samplerate=None, nchannels=1):
        """A rectangular click of ``duration``; amplitude 1, or
        28e-6 * 10**(peak/20) Pa for a peak level in dB."""
        rate = _rate(samplerate)
        if peak is not None:
            if not isinstance(peak, dB_type):
                raise dB_error(f"click: peak must be in dB, got {peak!r}")
            amplitude = 28e-6 * 10 ** (float(peak) / 20.0)
        else:
            amplitude = 1.0
        return Sound(amplitude * np.ones((get_duration(duration, rate),
                                          nchannels)), rate)

    @staticmethod
    def clicks(duration, n, interval, peak=None, samplerate=None,
               nchannels=1):
        """n clicks of ``duration``, one every ``interval``."""
        one = Sound.click(duration, peak=peak, samplerate=samplerate,
                          nchannels=nchannels)
        return one[:interval].repeat(n)

    @staticmethod
    def silence(duration, samplerate=None, nchannels=1):
        """Zeros."""
        rate = _rate(samplerate)
        return Sound(np.zeros((get_duration(duration, rate), nchannels)),
                     rate)

    @staticmethod
    def vowel(vowel=None, formants=None, pitch=100 * Hz, duration=1 * second,
              samplerate=None, nchannels=1):
        """An artificial vowel ('a', 'i' or 'u', or given ``formants``):
        a glottal pulse train at ``pitch`` through one resonator per
        formant (50 Hz bandwidth), normalised to a peak of 1."""
        rate = _rate(samplerate)
        n = get_duration(duration, rate)
        if bool(vowel) == bool(formants):
            raise ValueError("vowel() needs either a vowel or formants")
        table = {"a": (730.0, 1090.0, 2440.0), "i": (270.0, 2290.0, 3010.0),
                 "u": (300.0, 870.0, 2240.0)}
        if vowel:
            key = vowel.strip("/")
            if key not in table:
                raise ValueError(f"Unknown vowel {vowel!r} (use 'a', 'i' or "
                                 f"'u', or formants)")
            formants = table[key]
        fs = float(rate)
        # pulse train with linear interpolation between samples
        points = np.arange(0, n - 1, fs / float(pitch))
        idx = np.floor(points).astype(int)
        y = np.zeros(n)
        y[idx] = (idx + 1) - points
        y[idx + 1] = points - idx
        decay = np.exp(-250.0 * 2 * np.pi / fs)
        y = _lfilter([1.0], [1.0, 0.0, -decay * decay], y)
        for f in formants:
            f = float(f)
            q = f / 50.0
            rho = np.exp(-np.pi * (f / fs) / q)
            theta = 2 * np.pi * (f / fs) * np.sqrt(1 - 1 / (4.0 * q * q))
            a2, a3 = -2 * rho * np.cos(theta), rho * rho
            y = _lfilter([1 + a2 + a3], [1.0, a2, a3], y)
        y = y / np.max(np.abs(y))
        return Sound(np.tile(y.reshape(-1, 1), (1, nchannels)), rate)

    @staticmethod
    def sequence(*args, **kwds):
        """The sounds one after the other (lists are flattened)."""
        samplerate = kwds.pop("samplerate", None)
        if kwds:
            raise TypeError(f"sequence() got unexpected keywords "
                            f"{sorted(kwds)}")
        sounds = []
        for arg in args:
            if isinstance(arg, (list, tuple)):
                sounds.extend(arg)
            else:
                sounds.append(arg)
        if not sounds:
            raise ValueError("sequence() needs at least one sound")
        rates = {int(s.samplerate) for s in sounds}
        if samplerate is None:
            samplerate = max((s.samplerate for s in sounds), key=float)
        if len(rates) > 1:
            sounds = [s if int(s.samplerate) == int(samplerate)
                      else s.resample(samplerate) for s in sounds]
        return Sound(np.vstack([np.asarray(s) for s in sounds]), samplerate)


def _lfilter(b, a, x):
    """A single-channel IIR filter run by the C filterbank."""
    m = max(len(a), len(b))
    bb = np.zeros((1, m, 1), order="F")
    aa = np.zeros((1, m, 1), order="F")
    bb[0, :len(b), 0] = np.asarray(b, dtype=np.float64) / a[0]
    aa[0, :len(a), 0] = np.asarray(a, dtype=np.float64) / a[0]
    state = np.zeros((1, m, 1), order="F")
    return _core.iir_apply(bb, aa, state, np.asarray(x).reshape(-1, 1))[:, 0]


def _scipy_signal(what: str):
    try:
        from scipy import signal
    except ImportError:
        raise ImportError(f"{what} needs SciPy: pip install "
                          f"'brianc[hears]'") from None
    return signal


def _sound_from_pickle(arr, samplerate):
    return Sound(arr, samplerate=samplerate * Hz)


def play(*sounds, **kwds):
    """Play one sound or several in sequence (normalise=, sleep=)."""
    normalise = kwds.pop("normalise", False)
    sleep = kwds.pop("sleep", False)
    if kwds:
        raise TypeError(f"play() got unexpected keywords {sorted(kwds)}")
    Sound.sequence(*sounds).play(normalise=normalise, sleep=sleep)


def savesound(sound, filename, normalise=False, samplewidth=2) -> None:
    """Write ``sound`` to a WAV file (see Sound.save)."""
    sound.save(filename, normalise=normalise, samplewidth=samplewidth)


whitenoise = Sound.whitenoise
powerlawnoise = Sound.powerlawnoise
pinknoise = Sound.pinknoise
brownnoise = Sound.brownnoise
irns = Sound.irns
irno = Sound.irno
tone = Sound.tone
harmoniccomplex = Sound.harmoniccomplex
click = Sound.click
clicks = Sound.clicks
silence = Sound.silence
sequence = Sound.sequence
vowel = Sound.vowel
loadsound = Sound.load
