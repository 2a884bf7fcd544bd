"""ZhangSynapse's per-step work in the fibres (the coupling of rate group
and spike group, _core.ZhangRate, and the refractory hold, _core.ZhangHold)
runs as core tasks; it must give what the NumPy network operation and the
Python CustomRefractoriness gave before, which ZhangSynapseSpikes still
runs for a source that only offers ``s_``."""
import numpy as np
import pytest

from brianc import (Hz, Network, SpikeMonitor, StateMonitor, _core, kHz, ms,
                    seed)
from brianc.hears import (FunctionFilterbank, Sound, ZhangSynapseRate,
                          ZhangSynapseSpikes, tone)


class PythonRate:
    """A ZhangSynapseRate seen through ``s_`` only: the spike group then
    runs the previous path (NumPy operation, Python refractoriness)."""

    def __init__(self, rate):
        self.rate, self.clock = rate, rate.clock

    def __len__(self):
        return len(self.rate)

    @property
    def s_(self):
        return self.rate._rate_now()


def _run(python_path: bool):
    """Two channels (1 and 4 kHz) driven by a loud tone as V_ihc, 20
    fibres each, 10 ms: the traces of s and R and the spikes."""
    seed(7)
    x = np.asarray(tone(800 * Hz, 10 * ms, samplerate=50 * kHz))
    stereo = Sound(np.hstack([2.0 * x, 1.5 * x]), samplerate=50 * kHz)
    ihc = FunctionFilterbank(stereo, lambda v: v)
    rate = ZhangSynapseRate(ihc, [1000, 4000])
    fibres = ZhangSynapseSpikes(PythonRate(rate) if python_path else rate,
                                n_per_channel=20)
    s, r, e = (StateMonitor(fibres, name, record=True, clock=fibres.clock)
               for name in ("s", "R", "e_1"))
    spikes = SpikeMonitor(fibres)
    Network(rate, fibres, s, r, e, spikes).run(10 * ms)
    return s.values, r.values, e.values, spikes.spikes


def test_the_core_task_gives_the_numpy_operations_values():
    s_c, r_c, e_c, spikes_c = _run(python_path=False)
    s_py, r_py, e_py, spikes_py = _run(python_path=True)
    assert s_c.shape == (40, 500)
    np.testing.assert_allclose(s_c, s_py, rtol=1e-10, atol=0)
    np.testing.assert_allclose(r_c, r_py, rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(e_c, e_py, rtol=1e-10, atol=0)
    # the hold: e_1 stays 1 for int(R_A/dt) + 1 = 38 steps after a spike
    held = np.sum(e_c == 1.0, axis=1)
    assert held.max() >= 38
    # the input moves the rate well away from rest, and the refractory
    # terms act (R below s after spikes)
    assert s_c.max() > 5 * s_c.min()
    assert np.any(r_c < 0.99 * s_c)
    assert len(spikes_c) > 50
    assert spikes_c == spikes_py


def test_the_rate_group_uses_the_core_task():
    sound = tone(800 * Hz, 5 * ms, samplerate=50 * kHz)
    rate = ZhangSynapseRate(FunctionFilterbank(sound, lambda x: x), [1000])
    fibres = ZhangSynapseSpikes(rate, n_per_channel=3)
    entries = fibres._core_objects()
    tasks = [e[1] for e in entries if e[0] == "task"]
    assert [type(t) for t in tasks] == [_core.ZhangRate, _core.ZhangHold]
    # no Python left in the fibres' steps: rate, threshold, refractoriness
    assert [e for e in entries if e[0] == "operation"] == []
    assert fibres.contained_objects == []
    rate.V_ihc_[:] = 0.3
    tasks[0].apply()
    np.testing.assert_allclose(fibres.s_, np.repeat(rate._rate_now(), 3),
                               rtol=1e-12)


def test_zhang_rate_refuses_wrong_arrays():
    row = np.zeros(2)
    fibres = np.zeros(6)
    args = [row, row, row, fibres, fibres, fibres.copy(), fibres.copy(),
            1.0, 0.5, 0.5, 3]
    _core.ZhangRate(*args)
    bad = list(args)
    bad[5] = np.zeros(5)
    with pytest.raises(TypeError, match="s must be"):
        _core.ZhangRate(*bad)
    bad = list(args)
    bad[10] = 0
    with pytest.raises(ValueError, match="repeat"):
        _core.ZhangRate(*bad)
    bad = list(args)
    bad[6] = np.zeros(6, dtype=np.float32)
    with pytest.raises(TypeError, match="r must be"):
        _core.ZhangRate(*bad)
