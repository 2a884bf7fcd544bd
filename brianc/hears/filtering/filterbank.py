"""Filterbank: the base of every filterbank, and the filterbanks that
restructure channels, apply functions, sum or control other ones."""
from __future__ import annotations

import inspect

import numpy as np

from ..bufferable import Bufferable

__all__ = ["Filterbank", "RestructureFilterbank", "Repeat", "Tile", "Join",
           "Interleave", "FunctionFilterbank", "SumFilterbank",
           "DoNothingFilterbank", "ControlFilterbank", "CombinedFilterbank"]


def _samples(value, samplerate) -> int:
    """A number of samples, or a time converted to one."""
    if isinstance(value, (int, np.integer)) and not hasattr(value, "dim"):
        return int(value)
    return int(float(value) * float(samplerate))


class Filterbank(Bufferable):
    """A bank of channels computed from one source (or a tuple of sources)
    buffer by buffer (Brian 1 API).

    A subclass usually calls ``Filterbank.__init__(self, source)`` (which
    copies nchannels and samplerate from the source) and implements
    ``buffer_apply(input)`` on an input of shape (samples, nchannels).
    ``process()`` returns the whole output; +, -, *, / with numbers or
    other filterbanks make new filterbanks.
    """

    def __init__(self, source):
        if isinstance(source, Bufferable):
            self.nchannels = source.nchannels
            self.samplerate = source.samplerate
        else:
            source = tuple(source)
            if not source:
                raise ValueError("a filterbank needs at least one source")
            self.nchannels = source[0].nchannels
            self.samplerate = source[0].samplerate
            for s in source:
                if s.nchannels != self.nchannels:
                    raise ValueError(f"all sources must have the same number "
                                     f"of channels ({s.nchannels} != "
                                     f"{self.nchannels})")
                if int(s.samplerate) != int(self.samplerate):
                    raise ValueError("all sources must have the same "
                                     "samplerate")
        self.source = source

    # -- source ------------------------------------------------------------
    def change_source(self, source) -> None:
        if getattr(self, "_source", None) is None:
            self._source = source
            return
        if isinstance(source, tuple):
            for new, old in zip(source, self._source):
                if new.nchannels != old.nchannels:
                    raise ValueError("new sources have other numbers of "
                                     "channels than the old ones")
            self._source = source
        elif source.nchannels == self._source_channels():
            self._source = source
        elif source.nchannels == 1:
            self._source = Repeat(source, self._source_channels())
        else:
            raise ValueError(f"the new source has {source.nchannels} "
                             f"channels, the old one "
                             f"{self._source_channels()}")

    def _source_channels(self) -> int:
        s = self._source
        return s.nchannels if isinstance(s, Bufferable) else s[0].nchannels

    source = property(lambda self: self._source,
                      lambda self, source: self.change_source(source),
                      doc="The input: a sound, a filterbank, or a tuple of "
                          "them.")

    # -- duration ----------------------------------------------------------
    def get_duration(self):
        if hasattr(self, "_duration"):
            return self._duration
        sources = [self.source] if isinstance(self.source, Bufferable) \
            else self.source
        return max((s.duration for s in sources), key=float)

    def set_duration(self, duration) -> None:
        self._duration = duration

    duration = property(lambda self: self.get_duration(),
                        lambda self, d: self.set_duration(d),
                        doc="The duration: the longest source's unless "
                            "set.")

    # -- processing ----------------------------------------------------------
    def process(self, func=None, duration=None, buffersize=32):
        """The output over ``duration`` (time or samples; default the
        sources'), as an array (samples, nchannels), or, given ``func``,
        ``func(segment)`` or ``running = func(segment, running)`` called
        on each buffered segment (the final running value is returned)."""
        if duration is None:
            duration = self.duration
        duration = _samples(duration, self.samplerate)
        buffersize = _samples(buffersize, self.samplerate)
        if buffersize < 1:
            raise ValueError(f"buffersize must be at least 1 sample, got "
                             f"{buffersize}")
        self.buffer_init()
        bounds = list(range(0, duration, buffersize)) + [duration]
        pairs = list(zip(bounds[:-1], bounds[1:]))
        if func is None:
            if not pairs:
                return np.zeros((0, self.nchannels))
            out = np.empty((duration, self.nchannels))
            for start, end in pairs:
                out[start:end] = self.buffer_fetch(start, end)
            return out
        if _n_positional(func) == 1:
            for start, end in pairs:
                func(self.buffer_fetch(start, end))
            return None
        running = 0
        for start, end in pairs:
            running = func(self.buffer_fetch(start, end), running)
        return running

    def buffer_init(self) -> None:
        Bufferable.buffer_init(self)
        sources = [self.source] if isinstance(self.source, Bufferable) \
            else self.source
        for s in sources:
            s.buffer_init()
        self.next_sample = 0

    def buffer_apply(self, input):
        raise NotImplementedError(f"{type(self).__name__} does not define "
                                  f"buffer_apply")

    def buffer_fetch_next(self, samples: int):
        start = self.next_sample
        self.next_sample += samples
        return self.buffer_apply(self.source.buffer_fetch(start,
                                                          start + samples))

    # -- arithmetic --------------------------------------------------------
    def __add__(self, other):
        if isinstance(other, Bufferable):
            return SumFilterbank((self, other))
        return FunctionFilterbank(self, lambda x: x + other)

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, Bufferable):
            return SumFilterbank((self, other), (1, -1))
        return FunctionFilterbank(self, lambda x: x - other)

    def __rsub__(self, other):
        if isinstance(other, Bufferable):
            return SumFilterbank((self, other), (-1, 1))
        return FunctionFilterbank(self, lambda x: other - x)

    def __mul__(self, other):
        if isinstance(other, Bufferable):
            return FunctionFilterbank((self, other), lambda x, y: x * y)
        return FunctionFilterbank(self, lambda x: x * other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, Bufferable):
            return FunctionFilterbank((self, other), lambda x, y: x / y)
        return FunctionFilterbank(self, lambda x: x / other)

    def __rtruediv__(self, other):
        if isinstance(other, Bufferable):
            return FunctionFilterbank((other, self), lambda x, y: x / y)
        return FunctionFilterbank(self, lambda x: other / x)


def _n_positional(func) -> int:
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 1
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               for p in params)


def _as_sources(source) -> tuple:
    return (source,) if isinstance(source, Bufferable) else tuple(source)


class RestructureFilterbank(Filterbank):
    """Rearranges channels: each source's channels repeated ``numrepeat``
    times, the sources joined in series ('serial') or interleaved
    ('interleave'), the result tiled ``numtile`` times; or an explicit
    ``indexmapping`` of output channel -> input channel (counted across
    the sources in order)."""

    def __init__(self, source, numrepeat=1, type="serial", numtile=1,
                 indexmapping=None):
        self._init_args = (source, numrepeat, type, numtile, indexmapping)
        self._build(*self._init_args)

    def _build(self, source, numrepeat, type, numtile, indexmapping):
        sources = _as_sources(source)
        if indexmapping is None:
            sizes = [s.nchannels for s in sources]
            offsets = np.concatenate(([0], np.cumsum(sizes)))
            blocks = [np.repeat(np.arange(offsets[k], offsets[k + 1]),
                                numrepeat) for k in range(len(sources))]
            if type == "serial":
                mapping = np.concatenate(blocks)
            elif type == "interleave":
                if len(set(sizes)) != 1:
                    raise ValueError("interleaving needs sources with equal "
                                     "numbers of channels")
                mapping = np.stack(blocks, axis=1).reshape(-1)
            else:
                raise ValueError(f"type must be 'serial' or 'interleave', "
                                 f"got {type!r}")
            mapping = np.tile(mapping, numtile)
        else:
            mapping = np.asarray(indexmapping, dtype=int)
        total = sum(s.nchannels for s in sources)
        if mapping.size and (mapping.min() < 0 or mapping.max() >= total):
            raise IndexError(f"indexmapping refers to channels outside 0.."
                             f"{total - 1}")
        self.indexmapping = mapping
        self.nchannels = len(mapping)
        self.samplerate = sources[0].samplerate
        for s in sources:
            if int(s.samplerate) != int(self.samplerate):
                raise ValueError("all sources must have the same "
                                 "samplerate")
        self._source = sources

    def change_source(self, source) -> None:
        if getattr(self, "_source", None) is None:
            self._source = source
            return
        _, numrepeat, type, numtile, mapping = self._init_args
        self._init_args = (source, numrepeat, type, numtile, mapping)
        self._build(*self._init_args)

    def buffer_fetch_next(self, samples: int):
        start = self.next_sample
        self.next_sample += samples
        inputs = [s.buffer_fetch(start, start + samples)
                  for s in self.source]
        joined = inputs[0] if len(inputs) == 1 else np.hstack(inputs)
        return joined[:, self.indexmapping]


class Repeat(RestructureFilterbank):
    """Each channel repeated: ABC with 3 repeats gives AAABBBCCC."""

    def __init__(self, source, numrepeat):
        RestructureFilterbank.__init__(self, source, numrepeat)


class Tile(RestructureFilterbank):
    """The channels tiled: ABC with 3 tiles gives ABCABCABC."""

    def __init__(self, source, numtile):
        RestructureFilterbank.__init__(self, source, numtile=numtile)


def _flatten_sources(sources) -> tuple:
    flat = []
    for s in sources:
        if isinstance(s, Bufferable):
            flat.append(s)
        else:
            flat.extend(s)
    return tuple(flat)


class Join(RestructureFilterbank):
    """The sources' channels in series: AB and CD give ABCD."""

    def __init__(self, *sources):
        RestructureFilterbank.__init__(self, _flatten_sources(sources),
                                       type="serial")


class Interleave(RestructureFilterbank):
    """The sources' channels interleaved: AB and CD give ACBD."""

    def __init__(self, *sources):
        RestructureFilterbank.__init__(self, _flatten_sources(sources),
                                       type="interleave")


class FunctionFilterbank(Filterbank):
    """Applies ``func`` to the buffered input(s): one argument per source,
    arrays of shape (samples, nchannels); ``nchannels`` if the output
    width differs; extra keywords are passed to func."""

    def __init__(self, source, func, nchannels=None, **params):
        Filterbank.__init__(self, _as_sources(source))
        self.func = func
        if nchannels is not None:
            self.nchannels = nchannels
        self.params = params

    def buffer_fetch_next(self, samples: int):
        start = self.cached_buffer_end
        inputs = [s.buffer_fetch(start, start + samples)
                  for s in self.source]
        out = np.asarray(self.func(*inputs, **self.params),
                         dtype=np.float64)
        shape = (samples, self.nchannels)
        if out.shape == shape:
            return out
        if out.size == samples * self.nchannels:
            return out.reshape(shape)
        # a value per channel or one for all: the same on every sample
        return np.broadcast_to(out.reshape(-1)[None, :] if out.ndim < 2
                               else out, shape).copy()


class SumFilterbank(FunctionFilterbank):
    """The weighted sum of filterbanks (default weights 1)."""

    def __init__(self, source, weights=None):
        if weights is None:
            weights = np.ones(len(source))
        self.weights = weights

        def weighted_sum(*inputs):
            return sum(x * w for x, w in zip(inputs, weights))
        FunctionFilterbank.__init__(self, source, weighted_sum)


class DoNothingFilterbank(Filterbank):
    """Passes its input through unchanged."""

    def buffer_apply(self, input):
        return input


class ControlFilterbank(Filterbank):
    """Outputs ``source`` unchanged, and after each buffer calls
    ``updater(*inputs)`` with the buffered outputs of ``inputs`` so that
    it can change the parameters of ``targets`` (a control path).
    ``max_interval`` (time or samples) bounds the buffer size of the
    inputs, targets and this filterbank, so the updater runs at least
    that often.  An updater with a ``reinit()`` method gets it called on
    ``buffer_init``."""

    def __init__(self, source, inputs, targets, updater, max_interval=None):
        Filterbank.__init__(self, source)
        inputs = list(inputs) if isinstance(inputs, (list, tuple)) \
            else [inputs]
        targets = list(targets) if isinstance(targets, (list, tuple)) \
            else [targets]
        self.inputs = inputs
        self.targets = targets
        self.updater = updater
        if max_interval is not None:
            interval = _samples(max_interval, source.samplerate)
            if interval < 1:
                raise ValueError("max_interval must be at least one sample")
            for fb in inputs + targets:
                fb.maximum_buffer_size = interval
            self.maximum_buffer_size = interval

    def buffer_init(self) -> None:
        Filterbank.buffer_init(self)
        if hasattr(self.updater, "reinit"):
            self.updater.reinit()

    def buffer_fetch_next(self, samples: int):
        start = self.next_sample
        self.next_sample += samples
        end = start + samples
        output = self.source.buffer_fetch(start, end)
        self.updater(*[x.buffer_fetch(start, end) for x in self.inputs])
        return output


class CombinedFilterbank(Filterbank):
    """A chain of filterbanks that behaves as one: a subclass calls
    ``CombinedFilterbank.__init__(self, source)``, builds its chain on
    ``self.get_modified_source()`` and ends with ``self.set_output(fb)``.
    """

    def __init__(self, source):
        Filterbank.__init__(self, source)

    def get_duration(self):
        if hasattr(self, "_duration"):
            return self._duration
        return max(Filterbank.get_duration(self), self.output.duration,
                   key=float)

    def change_source(self, source) -> None:
        Filterbank.change_source(self, source)
        if hasattr(self, "_modified_source"):
            self._modified_source.source = source

    source = property(lambda self: self._source,
                      lambda self, source: self.change_source(source))

    def get_modified_source(self):
        self._modified_source = DoNothingFilterbank(self.source)
        return self._modified_source

    def set_output(self, output) -> None:
        self.output = output
        self.nchannels = output.nchannels

    def buffer_init(self) -> None:
        Filterbank.buffer_init(self)
        self.output.buffer_init()

    def buffer_fetch(self, start: int, end: int):
        return self.output.buffer_fetch(start, end)
