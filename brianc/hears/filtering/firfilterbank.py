"""FIR filterbanks: convolution with one impulse response per channel,
by FFT overlap-add (FFTFIRFilterbank) or as a LinearFilterbank with
a = [1, 0, ...] (LinearFIRFilterbank)."""
from __future__ import annotations

import numpy as np

from ... import _core
from .filterbank import Filterbank, RestructureFilterbank
from .linearfilterbank import LinearFilterbank

__all__ = ["FIRFilterbank", "LinearFIRFilterbank", "FFTFIRFilterbank"]


def _impulse_responses(source, impulse_response):
    """(source, responses of shape (nchannels, length)): a 1-D response
    serves every channel; a mono source is repeated to match."""
    ir = np.asarray(impulse_response, dtype=np.float64)
    if ir.ndim == 1:
        ir = np.repeat(ir.reshape(1, -1), source.nchannels, axis=0)
    if ir.ndim != 2 or ir.shape[1] < 1:
        raise ValueError(f"FIRFilterbank: impulse_response must be 1-D or "
                         f"(nchannels, length), got shape {ir.shape}")
    if ir.shape[0] != source.nchannels:
        if source.nchannels != 1:
            raise ValueError(f"FIRFilterbank: {ir.shape[0]} impulse "
                             f"responses for a source of "
                             f"{source.nchannels} channels (only mono "
                             f"sources are repeated)")
        source = RestructureFilterbank(source, ir.shape[0])
    return source, ir


class LinearFIRFilterbank(LinearFilterbank):
    """An FIR filterbank run as a LinearFilterbank (b = the response)."""

    def __init__(self, source, impulse_response, minimum_buffer_size=None):
        source, ir = _impulse_responses(source, impulse_response)
        b = ir.reshape(ir.shape + (1,))
        a = np.zeros_like(b)
        a[:, 0, :] = 1
        LinearFilterbank.__init__(self, source, b, a)
        self.impulse_response = ir
        if minimum_buffer_size is not None:
            self.minimum_buffer_size = minimum_buffer_size


class FIRFilterbank(Filterbank):
    """Finite impulse response filterbank (Brian 1 API).

    ``impulse_response`` is 1-D (one response for every channel) or of
    shape (nchannels, length).  Convolution by FFT overlap-add: each
    buffer is convolved in full and the tail carried into the next
    buffers; ``minimum_buffer_size`` defaults to three response lengths.
    ``use_linearfilterbank=True`` runs the response as the b of an IIR
    bank in C instead (exact sums, slower for long responses)."""

    def __init__(self, source, impulse_response, use_linearfilterbank=False,
                 minimum_buffer_size=None):
        source, ir = _impulse_responses(source, impulse_response)
        Filterbank.__init__(self, source)
        self.impulse_response = ir
        self.use_linearfilterbank = bool(use_linearfilterbank)
        if minimum_buffer_size is None and not use_linearfilterbank:
            minimum_buffer_size = 3 * ir.shape[1]
        if minimum_buffer_size is not None:
            self.minimum_buffer_size = minimum_buffer_size
        self._spectra = {}

    def buffer_init(self) -> None:
        Filterbank.buffer_init(self)
        length = self.impulse_response.shape[1]
        self._tail = np.zeros((length - 1, self.nchannels))
        if self.use_linearfilterbank:
            b = np.asfortranarray(self.impulse_response.reshape(
                self.impulse_response.shape + (1,)))
            a = np.zeros_like(b, order="F")
            a[:, 0, :] = 1
            self._iir = (b, a, np.zeros(b.shape, order="F"))

    def _spectrum(self, nfft: int) -> np.ndarray:
        if nfft not in self._spectra:
            self._spectra = {nfft: np.fft.rfft(self.impulse_response.T,
                                               n=nfft, axis=0)}
        return self._spectra[nfft]

    def buffer_apply(self, input):
        if self.use_linearfilterbank:
            return _core.iir_apply(*self._iir, input)
        samples = input.shape[0]
        length = self.impulse_response.shape[1]
        full = samples + length - 1
        nfft = 1 << max(full - 1, 1).bit_length()
        spec = np.fft.rfft(input, n=nfft, axis=0) * self._spectrum(nfft)
        y = np.fft.irfft(spec, n=nfft, axis=0)[:full]
        tail = self._tail
        y[:tail.shape[0]] += tail
        self._tail = y[samples:].copy()
        return y[:samples]


class FFTFIRFilterbank(FIRFilterbank):
    """FIRFilterbank by FFT overlap-add."""

    def __init__(self, source, impulse_response, minimum_buffer_size=None):
        FIRFilterbank.__init__(self, source, impulse_response,
                               minimum_buffer_size=minimum_buffer_size)
