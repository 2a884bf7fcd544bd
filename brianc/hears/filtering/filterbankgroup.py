"""FilterbankGroup: a NeuronGroup whose variable ``targetvar`` is set at
the start of every step to the filterbank's output for that sample.

When the filterbank is a LinearFilterbank fed by a sound (directly or
through a channel repetition), the filtering runs in C inside the run
loop: a core task pushes one sample of the sound through the filter
cascade per step, straight into the state row.  Any other filterbank is
computed in buffered segments in Python (a network operation that
fetches ``buffersize`` samples every ``buffersize`` steps)."""
from __future__ import annotations

import numpy as np

from ... import _core, magic
from ...clock import Clock
from ...base import SLOTS
from ...operation import NetworkOperation
from ...neurongroup import NeuronGroup
from ..sounds import Sound
from .filterbank import RestructureFilterbank
from .linearfilterbank import LinearFilterbank

__all__ = ["FilterbankGroup"]


def _mono_sound_of(source):
    """The mono Sound behind ``source`` if every channel of source is that
    sound (a Sound, or a RestructureFilterbank of one mono Sound), else
    None."""
    if isinstance(source, Sound):
        return source if source.nchannels == 1 else None
    if isinstance(source, RestructureFilterbank) and \
            len(source.source) == 1 and \
            isinstance(source.source[0], Sound) and \
            source.source[0].nchannels == 1:
        return source.source[0]
    return None


class _CoreFeed:
    """The C path: sound -> IIR cascade -> state row, one sample per
    step (a core task in the 'start' slot)."""

    def __init__(self, filterbank, sound, dst):
        self.filterbank = filterbank
        self.input = np.ascontiguousarray(np.asarray(sound),
                                          dtype=np.float64)
        self.dst = dst
        self._c = None

    def build(self) -> None:
        fb = self.filterbank
        fb.buffer_init()
        b, a = fb._coefficients()
        self._coeffs = (b, a)        # kept alive: the task reads them
        self._c = _core.IIRFeed(b, a, fb.filt_state, self.input, self.dst,
                                SLOTS["start"])


class FilterbankGroup(NeuronGroup):
    """A NeuronGroup of one neuron per filterbank channel whose variable
    ``targetvar`` holds the filterbank output of the current sample
    (Brian 1 API).

    ``FilterbankGroup(filterbank, targetvar, model, ...)`` takes the
    arguments of NeuronGroup after these two, without N; ``buffersize``
    (samples or a time, default 32) sets the segment length of the
    buffered path.  The clock defaults to one of dt = 1/samplerate; a
    given clock must have that dt.
    """

    def __init__(self, filterbank, targetvar, *args, **kwds):
        samplerate = float(filterbank.samplerate)
        if "clock" in kwds and kwds["clock"] is not None:
            dt = float(kwds["clock"].dt)
            if int(round(1 / dt)) != int(round(samplerate)):
                raise ValueError(f"FilterbankGroup: the clock has dt = "
                                 f"{dt} s, the filterbank a samplerate of "
                                 f"{samplerate} Hz (need dt = "
                                 f"1/samplerate)")
        else:
            kwds["clock"] = Clock(dt=1.0 / samplerate)
        buffersize = kwds.pop("buffersize", 32)
        if not isinstance(buffersize, (int, np.integer)):
            buffersize = int(float(buffersize) * samplerate)
        if buffersize < 1:
            raise ValueError(f"FilterbankGroup: buffersize must be at least "
                             f"1 sample, got {buffersize}")
        NeuronGroup.__init__(self, filterbank.nchannels, *args, **kwds)
        d = self.__dict__
        name = self._model.aliases.get(targetvar, targetvar)
        if name not in self._rows:
            raise KeyError(f"FilterbankGroup: the model has no variable "
                           f"{targetvar!r} for the filterbank output")
        d["targetvar"] = targetvar
        d["filterbank"] = filterbank
        d["buffersize"] = int(buffersize)
        dst = self._state[self._rows[name]]
        sound = _mono_sound_of(filterbank.source)
        if isinstance(filterbank, LinearFilterbank) and \
                type(filterbank).buffer_apply is LinearFilterbank.buffer_apply \
                and sound is not None:
            d["_feed"] = _CoreFeed(filterbank, sound, dst)
            d["_fetcher"] = None
        else:
            d["_feed"] = None
            d["_fetcher"] = NetworkOperation(self._fetch_step,
                                             clock=self._clock,
                                             when="start")
            magic.retag(self._fetcher, 0)
            d.setdefault("contained_objects", []).append(self._fetcher)
        self._rewind()

    def _rewind(self) -> None:
        d = self.__dict__
        d["_buffer"] = None
        d["_buffer_start"] = -self.buffersize
        d["_pointer"] = self.buffersize
        if self._feed is not None:
            self._feed.build()
        else:
            self.filterbank.buffer_init()

    def _fetch_step(self) -> None:
        """The buffered path: one sample per step, a new segment every
        buffersize steps."""
        d = self.__dict__
        if self._pointer >= self.buffersize:
            d["_pointer"] = 0
            d["_buffer_start"] = self._buffer_start + self.buffersize
            d["_buffer"] = np.asarray(self.filterbank.buffer_fetch(
                self._buffer_start, self._buffer_start + self.buffersize))
        name = self._model.aliases.get(self.targetvar, self.targetvar)
        self._state[self._rows[name]] = self._buffer[self._pointer, :]
        d["_pointer"] = self._pointer + 1

    def _core_objects(self):
        entries = NeuronGroup._core_objects(self)
        if self._feed is not None:
            entries.insert(0, ("task", self._feed._c, self._clock))
        return entries

    def _reinit(self, states: bool = True) -> None:
        NeuronGroup._reinit(self, states)
        self._rewind()
