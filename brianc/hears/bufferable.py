"""Bufferable: the buffered online interface every sound and filterbank
shares.  ``buffer_fetch(start, end)`` returns samples start:end (shape
``(end - start, nchannels)``) and keeps a cache, so successive fetches
of the next segment only compute new samples."""
from __future__ import annotations

import numpy as np

__all__ = ["Bufferable"]


class Bufferable:
    """Base of Brian Hears' sounds and filterbanks (Brian 1 API).

    Subclasses set ``nchannels`` and ``samplerate`` and implement
    ``buffer_fetch_next(samples)`` (the next ``samples`` rows).  Optional
    attributes ``minimum_buffer_size`` (fetch at least this many samples
    at once) and ``maximum_buffer_size`` (never more: time-varying
    filters update between such pieces).  The cache is
    ``cached_buffer_output``, rows ``cached_buffer_start`` to
    ``cached_buffer_end``.
    """

    nchannels = NotImplemented
    samplerate = NotImplemented

    def buffer_init(self) -> None:
        """Rewind: the next fetch starts at sample 0."""
        self.cached_buffer_output = np.zeros((0, self.nchannels))
        self.cached_buffer_start = 0
        self.cached_buffer_end = 0

    def buffer_fetch(self, start: int, end: int):
        if not hasattr(self, "cached_buffer_start"):
            self.buffer_init()
        cache_start, cache_end = self.cached_buffer_start, \
            self.cached_buffer_end
        cached = self.cached_buffer_output
        if start == cache_start and end == cache_end:
            return cached
        if start == cache_end and end - start == cached.shape[0]:
            # the usual case: the next segment of the same size
            self.cached_buffer_output = self._buffer_fetch_next(end - start)
            self.cached_buffer_start, self.cached_buffer_end = start, end
            return self.cached_buffer_output
        if end < start:
            raise IndexError(f"buffer_fetch({start}, {end}): the end must "
                             f"not be before the start")
        if start < cache_start:
            raise IndexError(f"buffer_fetch({start}, {end}): samples before "
                             f"{cache_start} have left the buffer")
        if end <= cache_end:
            return cached[start - cache_start:end - cache_start, :]
        samples = end - cache_end
        samples = max(samples, getattr(self, "minimum_buffer_size", 0))
        new_end = cache_end + samples
        segment = self._buffer_fetch_next(samples)
        # keep at least what the cache held and everything from start
        new_start = min(new_end - cached.shape[0], start)
        size = new_end - new_start
        output = np.empty((size, self.nchannels))
        if size > samples:
            output[:size - samples, :] = cached[samples - size:, :]
        output[size - samples:, :] = segment
        self.cached_buffer_output = output
        self.cached_buffer_start, self.cached_buffer_end = new_start, new_end
        return output[start - new_start:end - new_start, :]

    def _buffer_fetch_next(self, samples: int):
        limit = getattr(self, "maximum_buffer_size", None)
        if limit is None or samples <= limit:
            return self.buffer_fetch_next(samples)
        pieces = [self.buffer_fetch_next(min(limit, samples - k))
                  for k in range(0, samples, limit)]
        return np.vstack(pieces)

    def buffer_fetch_next(self, samples: int):
        raise NotImplementedError(f"{type(self).__name__} does not define "
                                  f"buffer_fetch_next")
