"""Sounds generated as they are read (no duration): white noise, and a
pair of white noise streams with an interaural shift, one sample per
``update()``."""
from __future__ import annotations

import numpy as np

from ..stdunits import ms
from .prefs import get_samplerate
from .sounds import BaseSound

__all__ = ["OnlineSound", "OnlineWhiteNoise", "OnlineWhiteNoiseBuffered",
           "OnlineWhiteNoiseShifted"]


class OnlineSound(BaseSound):
    """Base of sounds computed online; ``update()`` gives the next
    sample."""

    def __init__(self):
        pass

    def update(self):
        pass


class OnlineWhiteNoise(OnlineSound):
    """Mono Gaussian noise of mean ``mu`` and variance ``sigma`` (0 and 1
    by default) times ``tomux``, drawn as it is fetched; its samplerate
    is the default one (settable)."""

    def __init__(self, mu=None, sigma=None, tomux=1):
        self.mu = 0.0 if mu is None else mu
        self.sigma = 1.0 if sigma is None else sigma
        self.tomux = tomux
        self.nchannels = 1
        self.samplerate = get_samplerate(None)

    def buffer_init(self) -> None:
        pass

    def buffer_fetch(self, start: int, end: int):
        samples = end - start
        noise = (self.mu + np.sqrt(self.sigma) * np.random.randn(samples)) \
            * self.tomux
        return noise.reshape(samples, 1)


class OnlineWhiteNoiseBuffered(OnlineSound):
    """White noise (mean mu, standard deviation sigma) keeping its last
    2*max_abs_itd*samplerate + 1 samples; ``update()`` draws one and
    returns the middle of the window."""

    def __init__(self, samplerate, mu, sigma, max_abs_itd):
        self.samplerate = samplerate
        self.length_buffer = int(float(max_abs_itd) * float(samplerate))
        self.mu = mu
        self.sigma = sigma
        self.buffer = [0.0] * (2 * self.length_buffer + 1)

    def update(self):
        self.buffer.pop()
        self.buffer.insert(0, self.mu + self.sigma * float(np.random.randn()))
        return self.buffer[self.length_buffer]


class OnlineWhiteNoiseShifted(OnlineSound):
    """The noise of an OnlineWhiteNoiseBuffered seen with a shift of
    ``shift()`` seconds (clipped to its window), redrawn every
    ``time_interval``; ``ITDused`` lists the shifts used."""

    def __init__(self, samplerate, online_white_noise_buffered,
                 shift=lambda: np.random.randn() * ms,
                 time_interval=-1 * ms):
        self.samplerate = samplerate
        self.interval_in_sample = int(float(time_interval) *
                                      float(samplerate))
        self.count = 0
        self.shift = shift
        self.reference = online_white_noise_buffered
        self.length_buffer = online_white_noise_buffered.length_buffer
        self.ITDused = []
        self._draw_shift()

    def _draw_shift(self) -> None:
        n = int(float(self.shift()) * float(self.samplerate))
        self.shift_in_sample = int(np.clip(n, -self.length_buffer,
                                           self.length_buffer))
        self.ITDused.append(self.shift_in_sample / self.samplerate)

    def update(self):
        if self.count == self.interval_in_sample:
            self._draw_shift()
            self.count = 0
        self.count += 1
        return self.reference.buffer[self.length_buffer +
                                     self.shift_in_sample]
