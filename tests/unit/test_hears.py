"""Brian Hears: sounds, the C filterbank against SciPy, gammatone tuning
against the ERB formulae, levels in dB SPL, WAV files, the buffered
interface and FilterbankGroup."""
import numpy as np
import pytest

from brianc import (Clock, Network, NeuronGroup, StateMonitor, ms, second,
                    Hz, kHz, DimensionMismatchError, _core)
from brianc.hears import (
    DRNL, DCGC, ApproximateGammatone, Butterworth, Cascade, ControlFilterbank,
    FIRFilterbank, Filterbank, FilterbankGroup, FunctionFilterbank,
    Gammatone, Interleave, Join, LinearFilterbank, LinearGammachirp,
    LogGammachirp, LowPass, MiddleEar, Repeat, RestructureFilterbank, Sound,
    SumFilterbank, TanCarney, Tile, dB, dB_error, dB_type, erbspace, harmoniccomplex,
    loadsound, savesound, sequence, silence, tone, whitenoise)

signal = pytest.importorskip("scipy.signal")
FS = 20 * kHz


def random_bank(rng, n, m, p):
    """Random cascades of order m - 1 with real poles inside 0.9."""
    b = rng.normal(size=(n, m, p))
    a = np.zeros((n, m, p))
    for j in range(n):
        for k in range(p):
            a[j, :, k] = np.poly(0.9 * rng.uniform(-1, 1, m - 1))
    return b, a


def lfilter_cascade(b, a, x):
    y = np.empty_like(x)
    for j in range(x.shape[1]):
        v = x[:, j]
        for k in range(b.shape[2]):
            v = signal.lfilter(b[j, :, k], a[j, :, k], v)
        y[:, j] = v
    return y


@pytest.mark.parametrize("m,p", [(1, 1), (2, 3), (3, 4), (5, 2)])
def test_linear_filterbank_matches_lfilter(m, p):
    rng = np.random.default_rng(m * 10 + p)
    n = 13                                  # a vector block and a remainder
    b, a = random_bank(rng, n, m, p)
    x = rng.normal(size=(500, n))
    fb = LinearFilterbank(Sound(x, FS), b, a)
    y = fb.process(buffersize=37)
    ref = lfilter_cascade(b, a, x)
    assert np.max(np.abs(y - ref)) <= 1e-10 * max(1.0, np.max(np.abs(ref)))


def test_linear_filterbank_normalises_a0_and_repeats_mono():
    rng = np.random.default_rng(1)
    b = rng.normal(size=(3, 3))
    a = np.array([[2.0, -0.5, 0.1]] * 3)
    x = rng.normal(size=200)
    y = LinearFilterbank(Sound(x, FS), b, a).process()
    assert y.shape == (200, 3)
    for j in range(3):
        np.testing.assert_allclose(y[:, j], signal.lfilter(b[j], a[j], x),
                                   rtol=0, atol=1e-12)


def test_gammatone_against_sosfilt_and_erb():
    fs = 44100.0
    cf = np.array([250.0, 1000.0, 4000.0])
    x = np.random.default_rng(2).normal(size=2000)
    g = Gammatone(Sound(x, fs * Hz), cf * Hz)
    y = g.process()
    for j, c in enumerate(cf):
        sos = np.array([np.concatenate((g.filt_b[j, :, k],
                                        g.filt_a[j, :, k]))
                        for k in range(4)])
        np.testing.assert_allclose(y[:, j], signal.sosfilt(sos, x), rtol=0,
                                   atol=1e-10 * np.max(np.abs(y[:, j])))
        w, h = signal.sosfreqz(sos, worN=2 ** 17, fs=fs)
        power = np.abs(h) ** 2
        # peak at cf with unit gain
        assert abs(w[np.argmax(power)] - c) < 2 * (w[1] - w[0]) + 0.001 * c
        assert abs(np.abs(h[np.argmin(np.abs(w - c))]) - 1) < 1e-3
        # the equivalent rectangular bandwidth is Glasberg & Moore's ERB
        erb = np.trapezoid(power, w) / power.max()
        assert abs(erb / (24.7 * (4.37 * c / 1000 + 1)) - 1) < 0.005


def test_erbspace():
    cf = erbspace(100 * Hz, 8 * kHz, 30)
    assert len(cf) == 30
    np.testing.assert_allclose([cf[0], cf[-1]], [100, 8000])
    erb_number = 21.4 * np.log10(4.37e-3 * cf + 1)
    steps = np.diff(erb_number)
    np.testing.assert_allclose(steps, steps.mean(), rtol=1e-3)


def test_buffered_equals_one_shot_across_filters():
    snd = whitenoise(30 * ms, FS)
    cf = erbspace(200 * Hz, 5 * kHz, 9)
    for make in (lambda s: Gammatone(s, cf),
                 lambda s: ApproximateGammatone(s, cf, cf / 5),
                 lambda s: LogGammachirp(s, cf),
                 lambda s: FIRFilterbank(s, np.hanning(51)),
                 lambda s: Butterworth(s, 9, 3, 2 * kHz),
                 lambda s: DRNL(s, cf)):
        fb = make(snd)
        whole = fb.process(buffersize=len(snd))
        pieces = fb.process(buffersize=17)
        np.testing.assert_allclose(pieces, whole, rtol=0, atol=1e-12)
        # the online interface by hand gives the same samples
        fb.buffer_init()
        online = np.vstack([fb.buffer_fetch(s, min(s + 50, len(snd)))
                            for s in range(0, len(snd), 50)])
        np.testing.assert_allclose(online, whole, rtol=0, atol=1e-12)


def test_drnl_equals_its_stages_in_scipy():
    # DRNL runs its two paths fused in C: the same chain written stage by
    # stage with lfilter and NumPy's power (7 channels: lanes past a whole
    # vector too), for both fits and a mono or a multichannel input
    rng = np.random.default_rng(5)
    cf = erbspace(150 * Hz, 6 * kHz, 7)
    # (the linear gain lowered so that both paths weigh in the sum)
    for kind, x, g_p0 in (("human", rng.normal(size=(900, 1)) * 3.0, -1.8),
                          ("guinea pig", rng.normal(size=(900, 7)) * 0.3,
                           6.0)):
        x[200:260] = 0.0                    # exact zeros through |x|**c
        drnl = DRNL(Sound(x, samplerate=FS), cf, type=kind,
                    param={"g_p0": g_p0})
        out = drnl.process(buffersize=61)
        fused = drnl.output
        stages = [(st.filt_b, st.filt_a) for st in fused._stages]
        v = np.broadcast_to(x * fused._scale, (900, 7))
        lin = lfilter_cascade(*stages[0], v) * fused._gain
        lin = lfilter_cascade(*stages[1], lin)
        u = lfilter_cascade(*stages[2], v)
        u = np.sign(u) * np.minimum(fused._a * np.abs(u),
                                    fused._b * np.abs(u) ** fused._c)
        u = lfilter_cascade(*stages[4], lfilter_cascade(*stages[3], u))
        ref = lin + u
        np.testing.assert_allclose(out, ref, rtol=1e-10,
                                   atol=1e-10 * np.max(np.abs(ref)))
        assert 0.1 < np.max(np.abs(u)) / np.max(np.abs(lin)) < 10


@pytest.mark.slow
def test_multichannel_equals_single_channels():
    freqs = np.array([100.0, 1000.0, 5000.0])
    sounds = Sound([harmoniccomplex(f * Hz, duration=5 * ms,
                                    samplerate=50 * kHz) for f in freqs])
    for cls in (Gammatone, DRNL, TanCarney):
        together = cls(sounds, freqs).process()
        for i, f in enumerate(freqs):
            alone = cls(sounds.channel(i), f).process()
            assert np.array_equal(alone[:, 0], together[:, i])


@pytest.mark.slow
def test_tan_carney_tuning():
    """The model's inner hair cell output is largest for a tone at CF and
    grows with level at CF (a compressive, not a linear, growth)."""
    rate = 50 * kHz
    cf = 1000.0

    def response(freq, level):
        snd = tone(freq * Hz, 10 * ms, samplerate=rate).atlevel(level * dB)
        out = TanCarney(snd, [cf], update_interval=4).process()[:, 0]
        return np.std(out[250:])

    at_cf = response(cf, 60)
    assert at_cf > 3 * response(300.0, 60)
    assert at_cf > 3 * response(3000.0, 60)
    louder = response(cf, 80)
    assert at_cf < louder < 10 * at_cf


def test_tan_carney_in_c_matches_the_python_model_it_replaced():
    # tests/unit/data/tan_carney_before_c.npz: the output of TanCarney
    # when it was a chain of Python filterbanks retuned by
    # ControlFilterbanks (brianc c77067d) on a tone, a loud tone with an
    # onset and noise then a click, retuned every sample (segments of 32)
    # and every 3 samples (segments of 10: pieces of 3, 3, 3, 1)
    import os
    data = np.load(os.path.join(os.path.dirname(__file__), "data",
                                "tan_carney_before_c.npz"))
    snd = Sound(data["input"], samplerate=50 * kHz)
    for interval, buffersize in ((1, 32), (3, 10)):
        before = data[f"ui{interval}_bs{buffersize}"]
        out = TanCarney(MiddleEar(snd), data["cf"] * Hz,
                        update_interval=interval).process(
                            buffersize=buffersize)
        np.testing.assert_allclose(out, before, rtol=0,
                                   atol=1e-10 * np.max(np.abs(before)))
    # the retuning matters at that tolerance: a coarser one differs
    coarse = TanCarney(MiddleEar(snd), data["cf"] * Hz,
                       update_interval=8).process(buffersize=32)
    assert np.max(np.abs(coarse - data["ui1_bs32"])) > \
        1e-6 * np.max(np.abs(data["ui1_bs32"]))


def test_fir_matches_convolution():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 2))
    ir = rng.normal(size=(2, 40))
    for use_linear in (False, True):
        y = FIRFilterbank(Sound(x, FS), ir,
                          use_linearfilterbank=use_linear).process(
                              buffersize=23)
        for j in range(2):
            np.testing.assert_allclose(y[:, j],
                                       np.convolve(x[:, j], ir[j])[:300],
                                       atol=1e-10)


def test_lowpass_cascade_and_butterworth_coefficients():
    snd = whitenoise(10 * ms, FS)
    lp = LowPass(snd, 500 * Hz)
    tau = 1 / (2 * np.pi * 500)
    dt = 1 / float(FS)
    np.testing.assert_allclose(lp.filt_b[0, :, 0], [dt / tau, 0])
    np.testing.assert_allclose(lp.filt_a[0, :, 0], [1, -(1 - dt / tau)])
    c = Cascade(snd, lp, 3)
    ref = np.asarray(snd)[:, 0]
    for _ in range(3):
        ref = signal.lfilter([dt / tau], [1, -(1 - dt / tau)], ref)
    np.testing.assert_allclose(c.process()[:, 0], ref, atol=1e-12)
    bw = Butterworth(snd, 2, 4, [1 * kHz, 3 * kHz])
    b, a = signal.butter(4, 3000 / (float(FS) / 2))
    np.testing.assert_allclose(bw.filt_b[1, :, 0], b)
    np.testing.assert_allclose(bw.filt_a[1, :, 0], a)


def test_iir_apply_checks_its_arrays():
    b = np.zeros((2, 3, 1), order="F")
    a = np.zeros((2, 3, 1), order="F")
    z = np.zeros((2, 3, 1), order="F")
    with pytest.raises(ValueError, match="channels"):
        _core.iir_apply(b, a, z, np.zeros((4, 3)))
    with pytest.raises(TypeError, match="Fortran"):
        _core.iir_apply(np.zeros((2, 3, 1)), a, z, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="same shape"):
        _core.iir_apply(b, a, np.zeros((2, 2, 1), order="F"),
                        np.zeros((4, 2)))
    with pytest.raises(ValueError):
        LinearFilterbank(Sound(np.zeros((5, 2)), FS), np.ones((3, 2)),
                         np.ones((3, 2)))


def test_sound_levels_in_db_spl():
    snd = tone(1 * kHz, 100 * ms, samplerate=FS)
    amplitude = 1.0
    expected = 20 * np.log10(amplitude / np.sqrt(2) / 2e-5)
    assert isinstance(snd.level, dB_type)
    assert abs(float(snd.level) - expected) < 1e-3
    snd.level = 60 * dB
    rms = np.sqrt(np.mean(np.asarray(snd) ** 2))
    assert abs(rms - 2e-5 * 10 ** 3) < 1e-9
    stereo = Sound([tone(500 * Hz, 50 * ms, samplerate=FS),
                    0.1 * tone(700 * Hz, 50 * ms, samplerate=FS)])
    levels = stereo.level
    assert abs(levels[0] - levels[1] - 20) < 1e-2
    louder = stereo.atmaxlevel(80 * dB)
    assert abs(np.max(louder.level) - 80) < 1e-9
    assert abs(louder.level[0] - louder.level[1] - 20) < 1e-2
    with pytest.raises(dB_error):
        snd.level = 60
    with pytest.raises(dB_error):
        60 * dB + 3


def test_sound_construction_slicing_and_time():
    snd = Sound(lambda t: np.sin(2 * np.pi * 100 * t), duration=0.1 * second,
                samplerate=10 * kHz)
    assert snd.nsamples == 1000 and snd.nchannels == 1
    assert snd.duration == 0.1 * second
    assert len(snd[10 * ms:20 * ms]) == 100
    assert np.array_equal(snd[10 * ms:20 * ms], snd[100:200])
    with pytest.raises(DimensionMismatchError):
        snd[:3 * Hz]
    shifted = snd.shifted(10 * ms)
    assert shifted.duration == 0.11 * second
    assert np.all(np.asarray(shifted[:10 * ms]) == 0)
    assert np.array_equal(shifted[10 * ms:], snd)
    seq = sequence(snd, silence(5 * ms, samplerate=10 * kHz), snd)
    assert seq.nsamples == 2050
    assert snd.repeat(3).nsamples == 3000
    padded = snd[-5:5]
    assert padded.nsamples == 10 and np.all(np.asarray(padded)[:5] == 0)
    total = snd + tone(200 * Hz, 50 * ms, samplerate=10 * kHz)
    assert total.nsamples == 1000 and isinstance(total, Sound)
    ramped = Sound(np.ones(200), 10 * kHz).ramped(duration=10 * ms)
    assert ramped[0, 0] == 0 and ramped[99, 0] == 1 and ramped[150, 0] == 1
    stereo = Sound([snd, 2 * snd])
    assert np.array_equal(stereo.right, 2 * stereo.left)


def test_wav_round_trip(tmp_path):
    rng = np.random.default_rng(4)
    data = rng.uniform(-0.9, 0.9, size=(400, 2))
    snd = Sound(data, 22050 * Hz)
    path = tmp_path / "x.wav"
    savesound(snd, str(path))
    back = loadsound(str(path))
    assert back.nchannels == 2 and back.nsamples == 400
    assert int(back.samplerate) == 22050
    assert np.max(np.abs(np.asarray(back) - data)) <= 0.5 / 2 ** 15 + 1e-12
    snd.save(str(path), samplewidth=1)
    back8 = Sound(str(path))
    assert np.max(np.abs(np.asarray(back8) - data)) <= 0.5 / 127 + 1e-12


def test_restructuring():
    ab = Sound(np.array([[1.0, 2.0]] * 3), FS)
    cd = Sound(np.array([[3.0, 4.0]] * 3), FS)
    first = lambda fb: fb.process()[0].tolist()  # noqa: E731
    assert first(Repeat(ab, 2)) == [1, 1, 2, 2]
    assert first(Tile(ab, 2)) == [1, 2, 1, 2]
    assert first(Join(ab, cd)) == [1, 2, 3, 4]
    assert first(Interleave(ab, cd)) == [1, 3, 2, 4]
    assert first(RestructureFilterbank((ab, cd), 2, "serial", 2)) == \
        [1, 1, 2, 2, 3, 3, 4, 4] * 2
    assert first(RestructureFilterbank((ab, cd),
                                       indexmapping=[1, 0, 3, 2])) == \
        [2, 1, 4, 3]
    assert first(SumFilterbank((ab, cd), (1, -1))) == [-2, -2]
    assert first(FunctionFilterbank(ab, lambda x: 2 * x)) == [2, 4]
    fb = FunctionFilterbank(ab, lambda x: x)
    assert first(fb * 3 + 1) == [4, 7]
    assert first(1 - fb) == [0, -1]


def test_control_filterbank_updates_between_intervals():
    snd = Sound(np.ones(100), FS)

    class Gain(Filterbank):
        def __init__(self, source):
            Filterbank.__init__(self, source)
            self.gain = 1.0

        def buffer_apply(self, input):
            return self.gain * input

    gain = Gain(snd)
    seen = []

    def updater(x):
        seen.append(x.shape[0])
        gain.gain += 1

    control = ControlFilterbank(gain, snd, gain, updater, 10)
    out = control.process(buffersize=10)
    assert seen == [10] * 10
    assert out[0, 0] == 1 and out[10, 0] == 2 and out[99, 0] == 10
    # larger buffers are cut into pieces of at most max_interval
    seen.clear()
    control.process(buffersize=32)
    assert max(seen) <= 10 and sum(seen) == 100


def test_middle_ear_gains():
    snd = harmoniccomplex(1000 * Hz, duration=5 * ms)
    gains = np.arange(1.0, 5.0)
    together = MiddleEar(snd, gain=gains).process()
    for i, g in enumerate(gains):
        alone = MiddleEar(snd, gain=g).process()
        assert np.array_equal(alone[:, 0], together[:, i])
    np.testing.assert_allclose(together[:, 3], 4 * together[:, 0])
    # the analog model: a double zero at -200 rad/s, poles at 2 pi (-250 +-
    # 400j) and 2 pi (-2000 +- 6000j), unit gain at 1 kHz
    poles = 2 * np.pi * np.array([-250 + 400j, -250 - 400j, -2000 + 6000j,
                                  -2000 - 6000j])

    def analog(f):
        s_ = 2j * np.pi * f
        return np.abs((s_ + 200) ** 2 / np.prod(s_ - poles))

    me = MiddleEar(silence(1 * ms, samplerate=50 * kHz))
    for f in (100.0, 300.0, 1000.0, 3000.0):
        _, h = signal.freqz(me.filt_b[0, :, 0], me.filt_a[0, :, 0],
                            worN=[f], fs=50000)
        assert abs(np.abs(h[0]) / (analog(f) / analog(1000.0)) - 1) < 0.02


@pytest.mark.parametrize("through_python", [False, True])
def test_filterbank_group_follows_the_filterbank(through_python):
    snd = whitenoise(5 * ms, FS)
    cf = erbspace(300 * Hz, 3 * kHz, 5)
    fb = Gammatone(snd, cf)
    if through_python:
        fb = FunctionFilterbank(fb, lambda x: 2 * x)
    expected = fb.process()
    group = FilterbankGroup(fb, "x", model="dx/dt = 0/second : 1")
    assert (group._feed is None) == through_python
    mon = StateMonitor(group, "x", record=True, clock=group.clock)
    net = Network(group, mon)
    net.run(5 * ms)
    np.testing.assert_allclose(mon.values.T, expected, rtol=0, atol=1e-12)
    # reinit restarts the filterbank from its first sample
    net.reinit()
    net.run(1 * ms)
    np.testing.assert_allclose(group.x, expected[19], rtol=0, atol=1e-12)


def test_filterbank_group_rejects_wrong_clock():
    snd = silence(5 * ms, FS)
    with pytest.raises(ValueError, match="samplerate"):
        FilterbankGroup(Gammatone(snd, [1000]), "x",
                        model="dx/dt = 0/second : 1",
                        clock=Clock(dt=0.1 * ms))
    with pytest.raises(KeyError, match="y"):
        FilterbankGroup(Gammatone(snd, [1000]), "y",
                        model="dx/dt = 0/second : 1")


def test_dcgc_and_linear_gammachirp_run():
    snd = whitenoise(10 * ms, 50 * kHz)
    cf = erbspace(500 * Hz, 4 * kHz, 6)
    out = DCGC(snd, cf, update_interval=4).process()
    assert out.shape == (500, 6) and np.all(np.isfinite(out))
    lg = LinearGammachirp(snd, cf, 1 * ms, 0)
    assert lg.process().shape == (500, 6)


def test_headless_hrtfs_are_interaural_delays():
    from brianc.hears import HeadlessDatabase, IRCAM_LISTEN, FractionalDelay
    rate = 44.1 * kHz
    hrtfset = HeadlessDatabase(itd=[-10 / 44100.0, 0.0, 5 / 44100.0],
                               samplerate=rate).load_subject()
    snd = whitenoise(5 * ms, rate)
    x = np.asarray(snd)[:, 0]
    for i, lag in enumerate([-10, 0, 5]):
        out = np.asarray(hrtfset[i].apply(snd))
        left_delay, right_delay = max(lag, 0), max(-lag, 0)
        np.testing.assert_allclose(out[left_delay:, 0],
                                   x[:len(x) - left_delay], atol=1e-12)
        np.testing.assert_allclose(out[right_delay:, 1],
                                   x[:len(x) - right_delay], atol=1e-12)
    fb = hrtfset.filterbank(snd, interleaved=True).process()
    np.testing.assert_allclose(fb[:, 2:4], np.asarray(hrtfset[1](snd)),
                               atol=1e-12)
    right_leading = hrtfset.subset(lambda itd: itd < 0)
    assert len(right_leading) == 1
    with pytest.raises(IOError, match="IRC_1002"):
        IRCAM_LISTEN("/nonexistent").load_subject(1002)
    # fractional delays: a 2.5-sample delay moves a slow sine by 2.5 samples
    t = np.arange(2000) / 44100.0
    sine = Sound(np.sin(2 * np.pi * 200 * t), rate)
    fd = FractionalDelay(sine, [2.5 / 44100.0], filter_length=301)
    y = fd.process()[:, 0]
    lag = 150 + 2.5
    expected = np.sin(2 * np.pi * 200 * (t - lag / 44100.0))
    assert np.max(np.abs(y[400:1600] - expected[400:1600])) < 2e-3


def test_sound_in_equations_acts_as_its_timed_array():
    from brianc import TimedArray
    snd = tone(100 * Hz, 20 * ms, samplerate=10 * kHz)
    traces = []
    for source in (snd, TimedArray(np.asarray(snd)[:, 0], dt=0.1 * ms)):
        inp = source    # noqa: F841 (read by the equations)
        G = NeuronGroup(1, "dx/dt = inp(t)/ms : 1", clock=Clock(dt=0.1 * ms))
        M = StateMonitor(G, "x", record=True, clock=G.clock)
        Network(G, M).run(5 * ms)
        traces.append(M[0])
    assert np.any(traces[0] != 0)
    np.testing.assert_array_equal(traces[0], traces[1])


@pytest.mark.slow
def test_zhang_synapse_at_rest_fires_at_the_spontaneous_rate():
    from brianc import SpikeMonitor, seed
    from brianc.hears import ZhangSynapse, ZhangSynapseRate
    quiet = silence(40 * ms, samplerate=50 * kHz)
    rate = ZhangSynapseRate(FunctionFilterbank(quiet, lambda x: x), [1000])
    mon = StateMonitor(rate, "s", record=True, clock=rate.clock)
    Network(rate, mon).run(5 * ms)
    # the stores start at rest: s stays at the spontaneous rate, 50 Hz
    np.testing.assert_allclose(mon.values, 50.0, rtol=1e-6)
    rate.V_ihc_[:] = 0.3        # the NumPy copy of s follows the equation
    np.testing.assert_allclose(rate._rate_now(), rate.s_, rtol=1e-12)
    seed(5)
    n = 1000
    fibres = ZhangSynapse(Gammatone(quiet, [1000]), 1000 * Hz,
                          n_per_channel=n)
    spikes = SpikeMonitor(fibres)
    net = Network(fibres, spikes)
    net.run(40 * ms)
    # refractoriness (0.75 ms dead time, then H decaying over 1 and 12.5
    # ms) brings 50 Hz down to 40.5 Hz over these 40 ms from rest.  A
    # refractory train's count varies less than a Poisson count, so five
    # Poisson standard deviations bound a false failure by 1e-6; 50 Hz
    # (no refractoriness) lies 4 of its own beyond.
    expected = _renewal_spike_count(50.0, 0.75e-3, 0.5, 1e-3, 0.5,
                                    12.5e-3, 0.04)
    assert expected == pytest.approx(0.04 * 40.5, rel=0.01)
    assert abs(spikes.nspikes - n * expected) < 5 * np.sqrt(n * expected)


def _renewal_spike_count(rate, dead, c_0, s_0, c_1, s_1, duration):
    """Expected spikes of one fibre over duration, from rest: the first
    spike at the full rate, then after each spike a dead time and the
    rate times 1 - c_0 exp(-u/s_0) - c_1 exp(-u/s_1).  The renewal
    equation m' = f_1 + m' * f solved on a 1 us grid (FFT convolutions,
    one more spike per pass)."""
    h = 1e-6
    n = int(round(duration / h))
    u = np.arange(n) * h
    hazard = rate * (1 - c_0 * np.exp(-u / s_0) - c_1 * np.exp(-u / s_1))
    isi = np.zeros(n)
    k = int(round(dead / h))
    isi[k:] = (hazard * np.exp(-np.cumsum(hazard) * h))[:n - k]
    first = rate * np.exp(-rate * u)
    isi_f = np.fft.rfft(isi, 2 * n)
    density = first
    for _ in range(int(duration / dead) + 1):
        density = first + np.fft.irfft(np.fft.rfft(density, 2 * n) * isi_f,
                                       2 * n)[:n] * h
    return float(density.sum() * h)


def test_online_sounds_and_log_frequency_ticks():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from brianc.hears import (OnlineWhiteNoise, OnlineWhiteNoiseBuffered,
                              OnlineWhiteNoiseShifted,
                              log_frequency_xaxis_labels)
    noise = OnlineWhiteNoise()
    assert noise.buffer_fetch(0, 1000).shape == (1000, 1)
    fb = Gammatone(noise, [1000, 2000])
    fb.buffer_init()
    assert fb.buffer_fetch(0, 64).shape == (64, 2)
    ref = OnlineWhiteNoiseBuffered(10 * kHz, 0, 1, 1 * ms)
    shifted = OnlineWhiteNoiseShifted(10 * kHz, ref, shift=lambda: 0.5 * ms,
                                      time_interval=2 * ms)
    seen = []
    for _ in range(50):
        ref.update()
        seen.append(shifted.update())
    # a 0.5 ms shift reads the window 5 samples from its middle
    assert seen[-1] == ref.buffer[ref.length_buffer + 5]
    assert shifted.ITDused[0] == 5 / (10 * kHz)
    plt.figure()
    plt.semilogx([150, 5000], [0, 1])
    plt.axis("tight")
    log_frequency_xaxis_labels()
    assert list(plt.gca().get_xticks()) == [125, 250, 500, 1000, 2000, 4000,
                                            8000, 16000]
    plt.close("all")
