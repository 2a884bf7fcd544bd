"""Tests for brianc._integration and the Model's programs: Brian 1's method
choice on the six demo models, and the numerics of each update formula,
run through the NumPy reference interpreter (and the C VM when built)."""
import numpy as np
import pytest
from hh_model import hh_equations
from program_ref import run_program
from demo_models import (adaptive, random_network, sparse_inhibitory,
                         synfire, topographic)

from brianc._expr_compiler import opcodes
from brianc._integration import euler_propagator, expm, select_method
from brianc._model import Model
from brianc.stdunits import mV, ms
from brianc.units import exp, sqrt

DT = 0.1e-3


def step(program, state, n=1, randn=None, t0=0.0):
    for k in range(n):
        run_program(program, state, t=t0 + k * DT, randn=randn)
    return state


# -- the demo models: demo_models.py, and hh below --------------------------

def hh():
    return Model(hh_equations(freeze=True))


@pytest.mark.parametrize("make, kwargs, method", [
    (random_network, {}, "linear"),
    (synfire, {}, "linear"),
    (topographic, {}, "linear"),
    (adaptive, {}, "linear"),
    (sparse_inhibitory, {}, "euler"),
    (hh, {"implicit": True}, "exponential_euler"),
])
def test_demo_methods(make, kwargs, method):
    model = make()
    _, info = model.compile_update(DT, **kwargs)
    assert info.method == method
    assert model.is_linear() == method.startswith("linear")


def test_demo_facts():
    assert random_network().state_names == ["v", "ge", "gi"]
    m = random_network()
    M, b = m.linear_system()
    assert np.linalg.solve(M, -b) == pytest.approx([-0.049, 0, 0])
    assert hh().is_conditionally_linear()
    assert hh().state_names[0] == "v"
    # sigma: 39.24 mV/ms**0.5 and sigmaext*sqrt(tau)/tau, in SI
    assert synfire().noise == {"y": pytest.approx(0.03924 / 1e-3 ** 0.5)}
    assert sparse_inhibitory().noise == {
        "V": pytest.approx(1e-3 / 0.02 ** 0.5)}
    # rest(): the fixed point of adaptive_threshold is v = 0, vt = 10 mV
    M, b = adaptive().linear_system()
    assert np.linalg.solve(M, -b) == pytest.approx([0.0, 0.01])


def test_method_errors():
    m = sparse_inhibitory()
    with pytest.raises(AttributeError, match="Unknown integration method!"):
        m.compile_update(DT, method="nonlinear")
    tau = 10 * ms                                       # noqa: F841
    with pytest.raises(TypeError, match="General implicit"):
        Model("dv/dt = -v*v*v/tau : 1").compile_update(DT, implicit=True)
    with pytest.raises(TypeError):
        m.compile_update(DT, order=3)
    # linear wins even with implicit=True; explicit methods exclude it
    assert adaptive().compile_update(DT, implicit=True)[1].method == "linear"
    assert adaptive().compile_update(DT, method="Euler")[1].method == "euler"
    assert adaptive().compile_update(DT, method="RK")[1].method == "rk2"
    assert select_method(None, False, 2, lambda: False,
                         lambda: False) == "rk2"


def test_python_functions_disqualify_linear():
    tau = 10 * ms                                       # noqa: F841
    assert not Model("dv/dt = -v/tau*exp(0) : 1").is_linear()   # unit-safe
    floor = np.floor                                    # noqa: F841
    assert Model("dv/dt = -v/tau*floor(1.5) : 1").is_linear()   # ufunc
    assert not Model("dv/dt = -v/tau + t/tau/ms : 1").is_linear()  # t
    assert not Model("dv/dt = -v*v/tau/mV : volt").is_linear()
    del floor


# -- numerics ---------------------------------------------------------------

def test_exact_linear_decay():
    tau = 10 * ms                                       # noqa: F841
    El = -70 * mV                                       # noqa: F841
    m = Model("dv/dt = (El - v)/tau : volt\ndw/dt = -w/tau : 1")
    prog, info = m.compile_update(DT)
    assert info.method == "linear"
    state = np.array([[0.0, 0.01], [1.0, 2.0]])
    step(prog, state, 1000)
    T = 1000 * DT
    decay = np.exp(-T / 0.01)
    assert np.allclose(state[0], -0.07 + (np.array([0.0, 0.01]) + 0.07)
                       * decay, rtol=1e-12, atol=0)
    assert np.allclose(state[1], np.array([1.0, 2.0]) * decay, rtol=1e-12,
                       atol=0)


def test_singular_system_uses_100_substep_euler():
    tau = 10 * ms                                       # noqa: F841
    m = Model("dv/dt = (vt - v)/tau : volt\nvt : volt")
    prog, info = m.compile_update(DT)
    assert info.method == "linear_euler100"
    state = np.array([[0.0, 0.005], [0.01, 0.02]])
    vt = state[1].copy()
    step(prog, state)
    factor = (1 - DT / 100 / 0.01) ** 100
    assert np.allclose(state[0], vt + (np.array([0.0, 0.005]) - vt)
                       * factor, rtol=1e-13)
    assert np.array_equal(state[1], vt)
    a, c = euler_propagator(info.M, info.b, DT)
    assert np.array_equal(a, info.A) and np.array_equal(c, info.C)


def test_euler_step_is_x_plus_dt_f():
    tau = 10 * ms                                       # noqa: F841
    m = Model("dv/dt = (-v + sin(v/mV)*mV + t*mV/ms)/tau : volt\n"
              "dw/dt = v*w/mV/tau : 1")
    prog, info = m.compile_update(DT)
    assert info.method == "euler"
    v0 = np.array([-0.01, 0.002])
    w0 = np.array([1.0, 3.0])
    state = np.array([v0, w0])
    t = 5e-3
    run_program(prog, state, t=t)
    assert np.allclose(state[0], v0 + DT * (-v0 + np.sin(v0 / 1e-3) * 1e-3
                                            + t) / 0.01, rtol=1e-14)
    assert np.allclose(state[1], w0 + DT * v0 * w0 / 1e-3 / 0.01,
                       rtol=1e-14)


def _oscillator_error(dt, method):
    omega = 2 * np.pi * 50                              # noqa: F841
    m = Model(f"dx/dt = {omega}*y/second : 1\n"
              f"dy/dt = -{omega}*x/second : 1".replace("second", "(1000*ms)"))
    prog, _ = m.compile_update(dt, method=method)
    state = np.array([[1.0], [0.0]])
    n = int(round(0.02 / dt))
    for _ in range(n):
        run_program(prog, state)
    phase = 2 * np.pi * 50 * n * dt
    return np.hypot(state[0, 0] - np.cos(phase), state[1, 0] + np.sin(phase))


def test_rk2_is_second_order_and_euler_first():
    e1, e2 = _oscillator_error(1e-4, "RK"), _oscillator_error(5e-5, "RK")
    assert 3.6 < e1 / e2 < 4.4
    e1, e2 = (_oscillator_error(1e-4, "Euler"),
              _oscillator_error(5e-5, "Euler"))
    assert 1.8 < e1 / e2 < 2.2


def test_exponential_euler_exact_on_linear_and_zero_slope_fallback():
    tau = 10 * ms                                       # noqa: F841
    m = Model("dv/dt = -w*v/tau + c/tau : 1\nw : 1\nc : 1")
    prog, info = m.compile_update(DT, method="exponential_Euler")
    assert info.method == "exponential_euler"
    state = np.array([[0.5, 0.5], [1.0, 0.0], [0.2, 0.2]])
    step(prog, state, 100)
    T = 100 * DT
    exact = 0.2 + (0.5 - 0.2) * np.exp(-T / 0.01)
    assert state[0, 0] == pytest.approx(exact, rel=1e-12)
    assert state[0, 1] == pytest.approx(0.5 + T * 0.2 / 0.01, rel=1e-12)


def test_exponential_euler_constant_coefficients_is_one_pass():
    """dx/dt = (c - x)/tau with constants: the exact solution as a single
    FMA per step (the decay and drive precomputed)."""
    tau = 10 * ms                                       # noqa: F841
    m = Model("dv/dt = (0.2 - v)/tau : 1\ndg/dt = -g/(5*ms) : 1")
    prog, info = m.compile_update(DT, method="exponential_Euler")
    names = {v: k for k, v in opcodes().items()}
    assert sorted(names[int(op)] for op in prog.code[:, 0]) == ["FMA", "MUL"]
    state = np.array([[0.5, -1.0], [2.0, 3.0]])
    step(prog, state, 100)
    T = 100 * DT
    assert state[0] == pytest.approx(
        0.2 + np.array([0.3, -1.2]) * np.exp(-T / 0.01), rel=1e-12)
    assert state[1] == pytest.approx(
        np.array([2.0, 3.0]) * np.exp(-T / 0.005), rel=1e-12)


def test_exponential_euler_hh_matches_formula():
    m = hh()
    prog, _ = m.compile_update(DT, implicit=True)
    v0 = np.array([-0.065, -0.02, 0.01])
    state = np.array([v0, [0.05, 0.3, 0.9], [0.3, 0.5, 0.1],
                      [0.6, 0.2, 0.4], [1e-8, 2e-8, 0], [5e-8, 0, 1e-8]])
    start = state.copy()
    run_program(prog, state)
    # gate m by hand: x <- -B + (x + B) exp(A dt) (spec 5.3)
    x = v0 * 1e3
    VT = -63.0
    alpham = 0.32 * (13 - x + VT) / (np.exp((13 - x + VT) / 4) - 1) * 1e3
    betam = 0.28 * (x - VT - 40) / (np.exp((x - VT - 40) / 5) - 1) * 1e3
    A = -alpham - betam
    B = alpham / A
    want = -B + (start[1] + B) * np.exp(A * DT)
    assert np.allclose(state[1], want, rtol=1e-11)
    assert np.allclose(state[4], start[4] * np.exp(-DT / 5e-3), rtol=1e-12)


def test_noise_adds_sigma_sqrt_dt_randn():
    m = sparse_inhibitory()
    prog, _ = m.compile_update(DT)
    draws = {}

    def randn(substream, n):
        draws[substream] = np.linspace(-1, 1, n)
        return draws[substream]
    v0 = np.array([0.01, 0.015, 0.02])
    state = np.array([v0])
    run_program(prog, state, randn=randn)
    sigma = 1e-3 / 0.02 ** 0.5
    assert list(draws) == [0]           # sub-stream = the variable's row
    want = v0 + DT * (-v0 + 0.025) / 0.02 + sigma * DT ** 0.5 * draws[0]
    assert np.allclose(state[0], want, rtol=1e-14)


def test_noise_on_linear_model_uses_its_row_stream():
    m = synfire()
    prog, info = m.compile_update(DT)
    seen = []

    def randn(substream, n):
        seen.append(substream)
        return np.ones(n)
    state = np.zeros((3, 2))
    run_program(prog, state, randn=randn)
    assert seen == [2]
    det = info.C                  # from zero state, one step gives C
    assert np.allclose(state[:, 0], det + [0, 0, info.sigma["y"] * DT ** .5])


def test_expm():
    assert np.allclose(expm(np.diag([-1.0, 2.0, -300.0])),
                       np.diag(np.exp([-1.0, 2.0, -300.0])), rtol=1e-14)
    theta = 7.5
    rot = expm(np.array([[0, -theta], [theta, 0]]))
    assert np.allclose(rot, [[np.cos(theta), -np.sin(theta)],
                             [np.sin(theta), np.cos(theta)]], atol=1e-13)
    scipy_linalg = pytest.importorskip("scipy.linalg")
    a = np.random.default_rng(1).normal(size=(5, 5)) * 3
    assert np.allclose(expm(a), scipy_linalg.expm(a), rtol=1e-12)


# -- thresholds, resets, statements ----------------------------------------

def test_select_threshold():
    m = adaptive()
    assert m.select_threshold("v>vt") == ("variable", "v", "vt")
    kind, var, value = m.select_threshold("v >= 10*mV")     # strict anyway
    assert (kind, var) == ("scalar", "v") and float(value) == 0.01
    kind, prog = m.select_threshold("v > vt + 1*mV")
    assert kind == "string"
    state = np.array([[0.005, 0.012], [0.01, 0.01]])
    assert run_program(prog, state).tolist() == [0.0, 1.0]
    kind, prog = m.select_threshold("rand() < 0.5")
    out = run_program(prog, state, rand=lambda s, n: np.array([0.2, 0.7]))
    assert out.tolist() == [1.0, 0.0]


def test_condition_namespace_shadows_model_variables():
    m = adaptive()
    prog = m.compile_condition("v > vt", {"vt": 0.5})
    assert run_program(prog, np.array([[1.0, 0.0], [0.0, 0.0]])).tolist() \
        == [1.0, 0.0]
    prog = m.compile_condition("v > 2*mV and t > 1*ms")
    out = run_program(prog, np.array([[0.003, 0.003], [0, 0]]), t=0.002)
    assert out.tolist() == [1.0, 1.0]


def test_select_reset_and_statements():
    m = adaptive()
    assert m.select_reset("v = vt") == ("variable", "v", "vt")
    kind, var, value = m.select_reset("  v=0*mV ")
    assert (kind, var, float(value)) == ("scalar", "v", 0.0)
    kind, prog = m.select_reset('''
        v=0*mV
        vt+=3*mV
    ''')
    assert kind == "string"
    state = np.array([[0.02, 0.03], [0.01, 0.012]])
    run_program(prog, state, index=[1])
    assert np.allclose(state, [[0.02, 0.0], [0.01, 0.015]])
    # sequential semantics, ';' separators, model variables override names
    prog = m.compile_statements("v = vt; vt *= 2; v -= vt; v /= 4",
                                {"v": 100.0})
    state = np.array([[0.0], [1.0]])
    run_program(prog, state)
    assert state.ravel().tolist() == [(1.0 - 2.0) / 4, 2.0]
    with pytest.raises(NameError):
        m.compile_statements("nothing = 1")


def test_statements_see_statics_from_before():
    tau = 10 * ms                                       # noqa: F841
    m = Model("dv/dt = -v/tau : 1\ndouble = 2*v : 1")
    prog = m.compile_statements("v = 5\nv += double")
    state = np.array([[1.0]])
    run_program(prog, state)
    assert state[0, 0] == 7.0
    with pytest.raises(ValueError, match="static"):
        m.compile_statements("double = 1")


def test_external_arrays_in_update():
    tau = 10 * ms                                       # noqa: F841
    drive = np.array([1.0, 2.0, 3.0])                   # noqa: F841
    m = Model("dv/dt = (drive - v)/tau : 1", n=3)
    prog, info = m.compile_update(DT)
    assert info.method == "euler"       # arrays: no numeric M
    assert prog.arrays[0] is drive
    state = np.zeros((1, 3))
    run_program(prog, state)
    assert np.allclose(state[0], DT * drive / 0.01)
    with pytest.raises(ValueError, match="length"):
        Model("dv/dt = (drive - v)/tau : 1", n=4).compile_update(DT)


try:
    from brianc import _core
except ImportError:
    _core = None


@pytest.mark.skipif(_core is None, reason="brianc._core not built")
@pytest.mark.parametrize("make, kwargs", [(hh, {"implicit": True}),
                                          (random_network, {}),
                                          (topographic, {"method": "RK"})])
def test_c_vm_update_matches_reference(make, kwargs):
    model = make()
    prog, _ = model.compile_update(DT, **kwargs)
    rng = np.random.default_rng(2)
    n = len(model.state_names)
    state = rng.uniform(0, 1, (n, 600)) * 0.01
    want = state.copy()
    run_program(prog, want)
    core = _core.Program(prog.code, prog.reg_kind, prog.reg_index,
                         prog.reg_const, out_reg=-1, arrays=prog.arrays,
                         linear=prog.linear)
    group = _core.Group(state, DT)
    group.set_update(core)
    clock = _core.Clock(DT)
    clock.end = 1               # one step of the C run loop
    net = _core.Network()
    net.add("group", group, clock)
    net.run(lambda op: None)
    assert np.allclose(state, want, rtol=1e-12, atol=1e-18)

