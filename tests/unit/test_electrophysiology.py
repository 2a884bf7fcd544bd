"""brianc.library.electrophysiology: AEC recovers a known electrode kernel,
Lp compensation recovers its model's parameters, the electrode and
amplifier equations give the circuit's steady states, trace analysis
finds known spikes."""
import numpy as np
import pytest

from brianc import (Equations, defaultclock, Mohm, NeuronGroup, StateMonitor, clear, mV, ms,
                    nA, nS, pF, reinit_default_clock, run)
from brianc.library.electrophysiology import (
    AEC_compensate, DCC, Lp_compensate, current_clamp, electrode,
    electrode_kernel_soma, find_spike_criterion, full_kernel, spike_peaks,
    voltage_clamp)
from brianc.library.electrophysiology.lp_electrodecompensation import \
    ElectrodeCompensation


def simulated_recording(n=40000, seed=1):
    """White-noise current (nA) through an RC electrode (Re = 50 Mohm,
    0.3 ms) into an RC membrane (100 Mohm, 20 ms), sampled every 0.1 ms;
    the recording (mV) is the membrane plus the electrode potential."""
    rng = np.random.default_rng(seed)
    i = rng.uniform(-.5, .5, n)
    k = np.arange(400)
    Re, a = 50.0, np.exp(-0.1 / 0.3)
    R, b = 100.0, np.exp(-0.1 / 20.0)
    Ke = Re * (1 - a) * a ** k
    Km = R * (1 - b) * b ** k
    i_membrane = np.convolve(Ke / Re, i)[:n]
    v = np.convolve(Km, i_membrane)[:n] + np.convolve(Ke, i)[:n] - 70.0
    return v, i, Ke


@pytest.mark.slow       # SciPy's first import
def test_aec_recovers_the_electrode_kernel():
    v, i, Ke_true = simulated_recording()
    K = full_kernel(v, i, 150)
    Ke = electrode_kernel_soma(K, 50)
    assert Ke.sum() == pytest.approx(50.0, rel=0.03)          # Re in Mohm
    assert np.max(np.abs(Ke - Ke_true[:50])) < 0.05 * Ke_true[0]
    # Compensation leaves the membrane potential: the electrode's fast
    # noise is gone, so the trace is far smoother than the raw one.
    vc = AEC_compensate(v, i, Ke)
    assert np.std(np.diff(vc)) < 0.2 * np.std(np.diff(v))


def test_aec_rejects_mismatched_traces():
    with pytest.raises(ValueError, match="samples"):
        full_kernel(np.zeros(100), np.zeros(99), 10)
    with pytest.raises(ValueError, match="ksize"):
        full_kernel(np.zeros(100), np.zeros(100), 100)


@pytest.mark.slow
def test_lp_compensation_recovers_its_model():
    rng = np.random.default_rng(0)
    dt = 1e-4
    I = np.repeat(rng.uniform(-0.5e-9, 0.5e-9, 100), 50)    # 0.5 s
    true = (80e6, 15e-3, -65e-3, 40e6, 0.4e-3)
    comp = ElectrodeCompensation(I, np.zeros(len(I)), dt, 1.0, 1.0, None,
                                 *true)
    V0, Ve = comp.get_trace(0, *true)
    Vraw = V0 + Ve
    Vcomp, params = Lp_compensate(I, Vraw, dt, p=1.0, R=100e6, tau=20e-3,
                                  Vr=-70e-3, Re=50e6, taue=.5e-3)
    R, tau, Vr, Re, taue = params[:, 0]
    assert R == pytest.approx(80e6, rel=0.02)
    assert Re == pytest.approx(40e6, rel=0.02)
    assert Vr == pytest.approx(-65e-3, abs=0.2e-3)
    np.testing.assert_allclose(Vcomp, V0, atol=0.3e-3)


def test_electrode_and_current_clamp_steady_state():
    reinit_default_clock()
    clear(True)
    taum, gl = 20 * ms, 20 * nS
    Cm = taum * gl
    eqs = Equations('''
    dvm/dt=(-gl*vm+i_inj)/Cm : volt
    I : amp
    ''')
    eqs += electrode(30 * Mohm, 0.1 * ms / (30 * Mohm))
    eqs += current_clamp(vm='v_el', i_inj='i_cmd', i_cmd='I',
                         Re=20 * Mohm, Ce=0.1 * ms / (20 * Mohm))
    setup = NeuronGroup(1, model=eqs)
    setup.I = 0.5 * nA
    M = StateMonitor(setup, 'v_rec', record=True)
    run(200 * ms)
    # Steady state: vm = I/gl plus the drop across both electrode parts.
    expected = 0.5e-9 / 20e-9 + 0.5e-9 * 50e6
    assert M[0][-1] == pytest.approx(expected, rel=1e-3)
    clear(True)


def test_voltage_clamp_holds_the_command():
    reinit_default_clock()
    clear(True)
    gl, Cm = 20 * nS, 400 * pF
    eqs = Equations('dvm/dt=(-gl*vm+i_inj)/Cm : volt')
    eqs += voltage_clamp(vm='vm', v_cmd=20 * mV, i_inj='i_inj',
                         i_rec='ic', Re=10 * Mohm)
    setup = NeuronGroup(1, model=eqs)
    M = StateMonitor(setup, 'ic', record=True)
    run(100 * ms)
    # Without series compensation the electrode and the membrane divide
    # the command: vm = v_cmd / (1 + gl * Re), and the recorded current is
    # minus what flows in.
    vm = 20e-3 / (1 + 20e-9 * 10e6)
    assert float(setup.vm[0]) == pytest.approx(vm, rel=1e-3)
    assert M[0][-1] == pytest.approx(-(20e-3 - vm) / 10e6, rel=1e-3)
    clear(True)


def test_dcc_records_the_membrane_and_injects_three_times_the_command():
    reinit_default_clock()
    clear(True)
    defaultclock.dt = 0.01 * ms     # fine against the 1/3 ms board step
    R, Cm = 50 * Mohm, 400 * pF
    eqs = Equations('''
    dvm/dt=(-vm/R+I)/Cm : volt
    I : amp
    ''')
    setup = NeuronGroup(1, model=eqs)
    board = DCC(setup, 'vm', 'I', 1e3)
    board.command = 0.5 * nA
    run(300 * ms)
    # The mean injected current is the command: vm -> R * command, sampled
    # at the trough of a ripple of 3 * 0.5 nA * (1/3 ms) / 400 pF.
    assert float(board.record[0]) == pytest.approx(25e-3 - 0.6e-3, abs=0.3e-3)
    # At 2 kHz the board steps every 1/6 ms from now on.  Its injection
    # step then covers 16 or 17 of the 50 neuron steps of a cycle (0.01
    # ms), so the mean current is 0.96 to 1.02 times the command.
    board.set_frequency(2e3)
    run(100 * ms)
    assert float(board.clock.dt) == pytest.approx(1 / 6e3)
    assert 0.95 * 25e-3 < float(board.record[0]) < 1.02 * 25e-3
    defaultclock.dt = 0.1 * ms
    clear(True)


def test_spike_peaks_of_a_synthetic_trace():
    t = np.arange(5000)
    v = -70 + 5 * np.sin(t / 50.0)
    spike_at = [1000, 2500, 4000]
    for s in spike_at:
        v[s - 5:s + 1] += np.linspace(0, 90, 6)
        v[s + 1:s + 6] += np.linspace(72, 0, 5)
    vc = find_spike_criterion(v)
    assert -60 < vc < 20
    np.testing.assert_array_equal(spike_peaks(v, vc), spike_at)
