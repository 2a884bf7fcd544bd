"""Brian 1's model library: membrane equations built from currents,
integrate-and-fire models, synapse kernels, ionic currents, compartments
(checked against closed forms, cable theory and hand-written equations)."""
import math

import numpy as np
import pytest

from brianc import (Compartments, Current, DimensionMismatchError,
                    Equations, IonicCurrent, MembraneEquation, NeuronGroup,
                    SpikeMonitor, StateMonitor, amp, clear, cm, defaultclock,
                    farad, mm, mV, ms, msiemens, nA, nS, ohm, pF,
                    reinit_default_clock, run, second, seed, uF, um)
from brianc.library.IF import (AdaptiveReset, Brette_Gerstner, Izhikevich,
                               aEIF, exp_IF, leaky_IF, perfect_IF,
                               quadratic_IF)
from brianc.library.ionic_currents import (K_current_HH, Na_current_HH,
                                           leak_current)
from brianc.library.random_processes import OrnsteinUhlenbeck
from brianc.library.synapses import (alpha_conductance, alpha_current,
                                     alpha_synapse, biexp_synapse,
                                     exp_conductance, exp_synapse)
from brianc._model import Model


@pytest.fixture(autouse=True)
def fresh_network():
    clear(True)
    reinit_default_clock()
    yield
    clear(True)


def same_dynamics(a, b, names, points):
    """The derivatives of two models agree at every point (dicts in SI)."""
    ma, mb = Model(a), Model(b)
    assert sorted(ma.diff_names) == sorted(names)
    assert sorted(mb.diff_names) == sorted(names)
    for point in points:
        da, db = ma.derivatives(point), mb.derivatives(point)
        for name in names:
            assert da[name] == pytest.approx(db[name], rel=1e-12,
                                             abs=1e-300), name


# -- membrane equations ------------------------------------------------------

def test_current_composition_is_the_hand_written_equation():
    V0, R = -70 * mV, 100e6 * ohm
    built = MembraneEquation(200 * pF) + Current(
        "I = (V0 - vm)/R : amp", current_name="I")
    by_hand = Equations("""
        dvm/dt = I/(200*pF) : volt
        I = (V0 - vm)/R : amp
        """)
    ionic = MembraneEquation(200 * pF) + IonicCurrent(
        "I = (vm - V0)/R : amp")
    assert isinstance(built, MembraneEquation)
    points = [{"vm": v} for v in (-0.08, -0.07, 0.0, 0.02)]
    same_dynamics(built, by_hand, ["vm"], points)
    same_dynamics(ionic, by_hand, ["vm"], points)
    ma, mb = Model(built), Model(by_hand)
    assert ma.is_linear() and mb.is_linear()
    for x, y in zip(ma.linear_system(), mb.linear_system()):
        np.testing.assert_allclose(x, y, rtol=1e-14)


def test_currents_are_summed_in_any_order_of_addition():
    gl, El = 10 * nS, -70 * mV
    leak = Current("Il = gl*(El - vm) : amp")
    drive = Current("Id : amp")                 # a parameter
    one = MembraneEquation(200 * pF) + leak + drive
    two = leak + (drive + MembraneEquation(200 * pF))
    three = MembraneEquation(200 * pF)
    three += drive
    three += leak
    by_hand = Equations("""
        dvm/dt = (gl*(El - vm) + Id)/(200*pF) : volt
        Id : amp
        """)
    points = [{"vm": v, "Id": i} for v in (-0.08, 0.01)
              for i in (0.0, 2e-10)]
    for eqs in (one, two, three):
        assert isinstance(eqs, MembraneEquation)
        same_dynamics(eqs, by_hand, ["vm"], points)


def test_membrane_variable_renamed():
    eqs = MembraneEquation(200 * pF, vm="V") + Current(
        "I = (-70*mV - V)/(100*Mohm) : amp")
    model = Model(eqs)
    assert model.diff_names == ["V"]
    assert model.derivatives({"V": 0.0})["V"] == pytest.approx(
        -0.07 / 1e8 / 200e-12)


def test_current_name_guess():
    assert "__current_I" in Current("I : amp")
    two = Current("""
        I = g*(0*mV - vm) : amp
        dg/dt = -g/(5*ms) : siemens
        """)
    assert "__current_I" in two
    with pytest.warns(UserWarning, match="could not be found"):
        Current("""
            I1 = 1*nA : amp
            I2 = 2*nA : amp
            """)
    with pytest.raises(KeyError, match="not a variable"):
        Current("I : amp", current_name="J")


def test_surfacic_current_refused_clearly():
    with pytest.raises(NotImplementedError, match="area"):
        MembraneEquation(1 * uF) + Current("I : amp", surfacic=True)


# -- integrate-and-fire models ----------------------------------------------

def test_leaky_IF_spike_times_match_the_closed_form():
    tau, El, Vt = 10 * ms, 20 * mV, 10 * mV
    G = NeuronGroup(1, leaky_IF(tau, El), threshold=Vt, reset=0 * mV)
    M = SpikeMonitor(G)
    run(100 * ms)
    period = float(tau) * math.log(float(El) / (float(El) - float(Vt)))
    dt = float(defaultclock.dt)
    times = np.array(M[0])
    # The exact linear update samples v(t) on the grid: each interval is
    # the first whole number of steps past the closed-form period.
    assert len(times) == int(0.1 // (math.ceil(period / dt) * dt))
    np.testing.assert_allclose(np.diff(times), math.ceil(period / dt) * dt,
                               rtol=1e-9)
    assert abs(times[0] - period) < dt


def test_leaky_IF_with_a_heterogeneous_rest():
    eqs = leaky_IF(10 * ms, "V0") + Equations("V0 : volt")
    G = NeuronGroup(3, eqs)
    G.V0 = np.array([-1, 0, 2]) * 10 * mV
    run(100 * ms)
    # V0 is a parameter: Brian 1's 100-substep Euler, not the exact update
    np.testing.assert_allclose(G.vm, G.V0 * (1 - np.exp(-10)), rtol=1e-6)


def test_perfect_and_quadratic_IF():
    drive = Current("I : volt")
    G = NeuronGroup(1, perfect_IF(10 * ms) + drive)
    G.I = 5 * mV
    run(10 * ms)
    assert G.vm[0] == pytest.approx(5e-3, rel=1e-9)
    # C dv/dt = a (v - EL)(v - VT): the fixed points EL and VT
    model = Model(quadratic_IF(200 * pF, 10 * nS / mV, -70 * mV, -50 * mV))
    assert model.derivatives({"vm": -0.07})["vm"] == 0.0
    assert model.derivatives({"vm": -0.05})["vm"] == 0.0
    assert model.derivatives({"vm": -0.06})["vm"] == pytest.approx(
        10e-9 / 1e-3 * (0.01) * (-0.01) / 200e-12)


def test_exp_IF_rheobase():
    C, gL, EL, VT, DeltaT = 200 * pF, 10 * nS, -70 * mV, -50 * mV, 2 * mV
    rheobase = float(gL * (VT - EL - DeltaT))
    eqs = exp_IF(C, gL, EL, VT, DeltaT) + Current("I : amp")
    G = NeuronGroup(4, eqs, threshold=0 * mV, reset=EL)
    G.vm = EL
    G.I = np.array([0.9, 0.97, 1.03, 1.1]) * rheobase
    M = SpikeMonitor(G)
    run(1 * second)
    counts = [len(M[i]) for i in range(4)]
    assert counts[0] == counts[1] == 0
    assert 0 < counts[2] < counts[3]
    # Below the rheobase the potential settles where the current balances
    # the leak and the exponential.
    v = float(G.vm[1])
    balance = (float(gL) * (float(EL) - v) + float(gL) * float(DeltaT) *
               math.exp((v - float(VT)) / float(DeltaT)) + G.I[1])
    assert abs(balance) < 1e-3 * rheobase


def test_brette_gerstner_is_adex():
    eqs = Brette_Gerstner() + Current("I : amp")
    by_hand = Equations("""
        dvm/dt = (gL*(EL - vm) + gL*DeltaT*exp((vm - VT)/DeltaT) - w + I)/C
            : volt
        dw/dt = (a*(vm - EL) - w)/tauw : amp
        I : amp
        """, C=281 * pF, gL=30 * nS, EL=-70.6 * mV, VT=-50.4 * mV,
                        DeltaT=2 * mV, tauw=144 * ms, a=4 * nS)
    points = [{"vm": v, "w": w, "I": i} for v in (-0.07, -0.045)
              for w in (0.0, 1e-10) for i in (0.0, 5e-10)]
    same_dynamics(eqs, by_hand, ["vm", "w"], points)
    assert aEIF is Brette_Gerstner
    with pytest.raises(DimensionMismatchError):
        Brette_Gerstner(C=281 * nS)


def izhikevich_intervals(a, b, c, d):
    clear(True)
    reinit_default_clock()
    eqs = Izhikevich(a / ms, b / ms) + Current("I : volt/second")
    G = NeuronGroup(1, eqs, threshold=30 * mV,
                    reset=AdaptiveReset(Vr=c * mV, b=d * mV / ms))
    G.vm = -65 * mV
    G.w = b / ms * (-65 * mV)
    G.I = 10 * mV / ms
    M = SpikeMonitor(G)
    run(500 * ms)
    return np.diff(np.array(M[0]))


def test_izhikevich_firing_patterns():
    # Izhikevich (2003), Fig. 2, with I = 10: the parameter sets of the
    # cortical classes give their firing patterns.
    regular = izhikevich_intervals(0.02, 0.2, -65, 8)
    fast = izhikevich_intervals(0.1, 0.2, -65, 2)
    chattering = izhikevich_intervals(0.02, 0.2, -50, 2)
    bursting = izhikevich_intervals(0.02, 0.2, -55, 4)
    # regular spiking: tonic, adapting, no bursts
    assert regular[-1] > 1.5 * regular[0] and regular.min() > 0.015
    # fast spiking: tonic at high rate, little adaptation
    assert len(fast) > 4 * len(regular) and fast.max() < 0.01
    assert fast[-1] < 2 * fast[0]
    # chattering: repeated bursts of short intervals between long pauses
    assert (chattering < 0.006).sum() > 20
    assert (chattering > 0.03).sum() >= 5
    # intrinsically bursting: one burst, then tonic spiking
    assert (bursting[:2] < 0.006).all() and (bursting[2:] > 0.02).all()


def test_adaptive_reset():
    eqs = Brette_Gerstner() + Current("I : amp")
    G = NeuronGroup(2, eqs, threshold=-40 * mV,
                    reset=AdaptiveReset(Vr=-60 * mV, b=0.1 * nA))
    G.vm = np.array([-30, -70]) * mV      # neuron 0 spikes at once
    run(defaultclock.dt)
    assert G.vm[0] == pytest.approx(-0.06)
    assert G.w[0] > 0.99e-10 and G.w[1] < 1e-12


# -- synapse kernels ---------------------------------------------------------

def kernel_trace(eqs, n_steps=400):
    """(times, output) after a unit jump of the input at time 0; a state
    monitor records at the end of each step, so value k is at (k+1) dt."""
    G = NeuronGroup(1, eqs)
    G.x = 1.0
    M = StateMonitor(G, "x_out", record=True)
    run(n_steps * defaultclock.dt)
    return np.asarray(M.times) + float(defaultclock.dt), np.asarray(M[0])


def test_alpha_kernel_peaks_at_tau():
    tau = 5 * ms
    t, y = kernel_trace(alpha_synapse("x", tau, 1))
    k = int(np.argmax(y))
    assert abs(t[k] - float(tau)) < 0.5 * float(defaultclock.dt)
    # Brian 1's equations give (t/tau) exp(-t/tau): the peak is 1/e (its
    # docstring's "peak 1" was never what it computed)
    assert y[k] == pytest.approx(math.exp(-1), rel=1e-12)
    exact = (t / float(tau)) * np.exp(-t / float(tau))
    np.testing.assert_allclose(y, exact, atol=1e-9)


def test_biexp_kernel_peak():
    tau1, tau2 = 2 * ms, 8 * ms
    t, y = kernel_trace(biexp_synapse("x", tau1, tau2, 1))
    k = int(np.argmax(y))
    t1, t2 = float(tau1), float(tau2)
    peak = t1 * t2 / (t2 - t1) * math.log(t2 / t1)
    assert abs(t[k] - peak) <= 0.5 * float(defaultclock.dt)
    assert y[k] == pytest.approx(1.0, rel=1e-4)
    exact = t2 / (t2 - t1) * (np.exp(-t / t2) - np.exp(-t / t1))
    np.testing.assert_allclose(y, exact / exact.max() * 1.0, atol=1e-4)


def test_exp_synapse_output_and_names():
    eqs = exp_synapse("x", 10 * ms, 1)
    assert Model(eqs).aliases == {"x": "x_out"}
    t, y = kernel_trace(eqs, 100)
    np.testing.assert_allclose(y, np.exp(-t / 0.01), rtol=1e-9)


def test_synaptic_currents_and_conductances_in_a_membrane():
    C, El, gl = 200 * pF, -70 * mV, 10 * nS
    base = MembraneEquation(C) + Current("Il = gl*(El - vm) : amp")
    with_alpha = base + alpha_current("ie", 5 * ms, current_name="Ia")
    assert "Ia" in Model(with_alpha).diff_names
    with_g = base + exp_conductance("ge", 0 * mV, 5 * ms,
                                    conductance_name="g")
    model = Model(with_g)
    assert model.aliases == {"ge": "g"} and "g" in model.diff_names
    # dvm/dt = (gl (El - vm) + g (0 - vm))/C
    d = model.derivatives({"vm": -0.06, "g": 2e-9})["vm"]
    assert d == pytest.approx((10e-9 * (-0.01) + 2e-9 * 0.06) / 200e-12)
    alpha_g = Model(base + alpha_conductance("gi", -80 * mV, 10 * ms))
    assert "gi" in alpha_g.diff_names and len(alpha_g.diff_names) == 3


def test_ornstein_uhlenbeck_statistics():
    seed(8)
    n = 20000
    eqs = OrnsteinUhlenbeck("x", 2 * mV, 1 * mV, 5 * ms)
    G = NeuronGroup(n, eqs)
    G.x = 2 * mV
    run(50 * ms)        # ten time constants: stationary
    # Five standard errors (a false failure below 1e-6); the standard
    # deviation's relative error is 1/sqrt(2n), plus the time step's
    # bias on the stationary variance, O(dt/tau) = 2%.
    assert np.mean(G.x) == pytest.approx(2e-3, abs=5 * 1e-3 / np.sqrt(n))
    assert np.std(G.x) == pytest.approx(
        1e-3, rel=5 / np.sqrt(2 * n) + 0.1 * ms / (5 * ms))


# -- ionic currents ----------------------------------------------------------

def test_hodgkin_huxley_from_currents_is_the_hh_model():
    El, EK, ENa = 10.6 * mV, -12 * mV, 120 * mV
    eqs = MembraneEquation(1 * uF) + leak_current(.3 * msiemens, El)
    eqs += K_current_HH(36 * msiemens, EK) + Na_current_HH(
        120 * msiemens, ENa)
    eqs += Current("I : amp")
    by_hand = Equations("""
        dvm/dt = (gl*(El - vm) + gK*n**4*(EK - vm)
                  + gNa*m**3*h*(ENa - vm) + I)/C : volt
        dn/dt = alphan*(1 - n) - betan*n : 1
        dm/dt = alpham*(1 - m) - betam*m : 1
        dh/dt = alphah*(1 - h) - betah*h : 1
        alphan = .01*(10*mV - vm)/(exp(1 - .1*vm/mV) - 1)/mV/ms : Hz
        betan = .125*exp(-.0125*vm/mV)/ms : Hz
        alpham = .1*(25*mV - vm)/(exp(2.5 - .1*vm/mV) - 1)/mV/ms : Hz
        betam = 4*exp(-.0556*vm/mV)/ms : Hz
        alphah = .07*exp(-.05*vm/mV)/ms : Hz
        betah = 1./(1 + exp(3. - .1*vm/mV))/ms : Hz
        I : amp
        """, gl=.3 * msiemens, gK=36 * msiemens, gNa=120 * msiemens, El=El,
                        EK=EK, ENa=ENa, C=1 * uF)
    points = [{"vm": v, "n": .3, "m": .05, "h": .6, "I": i}
              for v in (-0.005, 0.003, 0.05) for i in (0.0, 1e-5)]
    same_dynamics(eqs, by_hand, ["vm", "n", "m", "h"], points)
    G = NeuronGroup(1, eqs, implicit=True, freeze=True)
    G.I = 10e-6 * amp
    trace = StateMonitor(G, "vm", record=True)
    run(50 * ms)
    assert np.max(trace[0]) > 0.08        # it fires action potentials


# -- compartments ------------------------------------------------------------

def test_compartments_steady_state_matches_cable_theory():
    nseg, length, diam = 40, 2 * mm, 1 * um
    dx = length / nseg
    Cm, gl, Ri = 1 * uF / cm ** 2, 0.02 * msiemens / cm ** 2, 100 * ohm * cm
    area = math.pi * diam * dx
    I0 = 0.05 * nA
    segments = {i: MembraneEquation(Cm * area) + leak_current(gl * area,
                                                              0 * mV)
                for i in range(nseg)}
    segments[0] += Current("I = I0 : amp")
    first = segments[0]
    cable = Compartments(segments)
    assert "vm_0" in first and "vm" not in first    # renamed in place
    ra = Ri * 4 / (math.pi * diam ** 2)
    for i in range(nseg - 1):
        cable.connect(i, i + 1, ra * dx)
    G = NeuronGroup(1, cable)
    G.rest()
    v = np.array([G.state(f"vm_{i}")[0] for i in range(nseg)])
    # V(x) = I0 ra lambda cosh((L - x)/lambda)/sinh(L/lambda), sealed ends,
    # compartment i centred at (i + 1/2) dx
    lam = math.sqrt(float(diam) / (4 * float(Ri) * float(gl)))
    x = (np.arange(nseg) + 0.5) * float(dx)
    L = float(length)
    theory = (float(I0) * float(ra) * lam * np.cosh((L - x) / lam) /
              math.sinh(L / lam))
    np.testing.assert_allclose(v, theory, rtol=2e-3)
    # and the dynamics reach it
    reinit_default_clock()
    G.state("vm_0")[:] = 0.0
    H = NeuronGroup(1, cable)
    run(400 * ms)
    vh = np.array([H.state(f"vm_{i}")[0] for i in range(nseg)])
    np.testing.assert_allclose(vh, v, rtol=2e-3)


def test_compartments_connect_checks():
    comps = Compartments({"soma": MembraneEquation(1 * uF)})
    with pytest.raises(KeyError, match="dend"):
        comps.connect("soma", "dend", 1 * ohm)
    with pytest.raises(DimensionMismatchError):
        comps.connect("soma", "soma", 1 * farad)


def test_namespace_as_in_brian1():
    namespace = {}
    exec("from brianc import *", namespace)
    for name in ("Compartments", "Current", "InjectedCurrent",
                 "IonicCurrent", "MembraneEquation", "linked_var",
                 "unique_id"):
        assert name in namespace, name
    # the library modules are imported explicitly, as in Brian 1
    for name in ("leaky_IF", "alpha_synapse", "K_current_HH",
                 "OrnsteinUhlenbeck"):
        assert name not in namespace, name
    assert namespace["unique_id"]() != namespace["unique_id"]()
