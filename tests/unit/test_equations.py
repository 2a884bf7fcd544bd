"""Tests for brianc.equations (parsing, names, units) and the Model's
preparation: state order, aliases, static equations, error messages."""
import numpy as np
import pytest

from brianc._model import Model
from hh_model import hh_equations
from brianc.equations import Equations, EquationSyntaxError, logical_lines
from brianc.stdunits import Hz, mV, ms, nS
from brianc.units import (DimensionMismatchError, amp, get_dimensions,
                          have_same_dimensions, second, siemens, volt)

tau = 10 * ms


def test_line_forms():
    eqs = Equations('''
    dv/dt = (El - v + I*R)/tau : volt   # a comment
    I = g*(Ee - v) : amp
    w = v
    g : siemens
    # only a comment

    d u / dt = -u/tau : 1
    ''', El=-70 * mV, Ee=0 * mV, R=1e6 * volt / amp, tau=10 * ms)
    assert eqs._diffeq_names == ["v", "g", "u"]
    assert eqs._diffeq_names_nonzero == ["v", "u"]
    assert eqs._eq_names == ["I", "w"]      # an alias counts as static
    assert eqs._alias == {"w": "v"}
    assert eqs._string["v"] == "(El - v + I*R)/tau"
    units = eqs._units
    assert have_same_dimensions(units["v"], volt)
    assert have_same_dimensions(units["I"], amp)
    assert have_same_dimensions(units["g"], siemens)
    assert have_same_dimensions(units["w"], volt)
    assert float(units["u"]) == 1.0
    assert eqs._namespace["v"]["El"] == -70 * mV


def test_first_colon_ends_expression_and_unit_is_evaluated():
    eqs = Equations("dx/dt = -x/tau : volt/second*second")
    assert have_same_dimensions(eqs._units["x"], volt)


def test_synfire_continuation_verbatim():
    Vr = -70 * mV                                       # noqa: F841
    taum = 10 * ms                                      # noqa: F841
    taupsp = 0.325 * ms                                 # noqa: F841
    eqs = Equations('''
dV/dt=(-(V-Vr)+x)*(1./taum) : volt
dx/dt=(-x+y)*(1./taupsp) : volt
dy/dt=-y*(1./taupsp)+25.27*mV/ms+
(39.24*mV/ms**0.5)*xi : volt
''')
    assert eqs._diffeq_names == ["V", "x", "y"]
    assert eqs._string["y"] == ("-y*(1./taupsp)+25.27*mV/ms+ "
                                "(39.24*mV/ms**0.5)*xi")
    assert have_same_dimensions(eqs._units["y"], volt)


@pytest.mark.parametrize("text, logical", [
    ("dx/dt = -x/\\\ntau : 1", ["dx/dt = -x/ tau : 1"]),      # (a)
    ("dx/dt = (-x\n/tau) : 1", ["dx/dt = (-x /tau) : 1"]),    # (b)
    ("dx/dt = -x *\n 2/tau : 1", ["dx/dt = -x * 2/tau : 1"]),  # (c)
    ("dx/dt = -x\n/tau : 1\ny : 1", ["dx/dt = -x /tau : 1", "y : 1"]),  # (d)
    ("a : 1\n\nb : 1", ["a : 1", "b : 1"]),
])
def test_continuation_rules(text, logical):
    assert [line for line, _ in logical_lines(text)] == logical


def test_malformed_line_quotes_physical_lines():
    with pytest.raises(EquationSyntaxError) as err:
        Equations("dv/dt = -v/tau : volt\nthis is not an equation")
    assert "this is not an equation" in str(err.value)
    assert isinstance(err.value, SyntaxError)
    assert isinstance(err.value, TypeError)      # Brian 1's exception type
    with pytest.raises(EquationSyntaxError) as err:
        Equations("dv/dt = -v/tau +\n) : volt")
    assert "dv/dt = -v/tau +" in str(err.value) and ") : volt" in str(
        err.value)


def test_bad_expression_syntax_and_reserved_names():
    with pytest.raises(EquationSyntaxError, match="cannot parse"):
        Equations("dv/dt = -v/ : volt")
    with pytest.raises(EquationSyntaxError, match="reserved"):
        Equations("t : second")
    with pytest.raises(EquationSyntaxError):
        Equations("x = 3")          # neither alias nor static equation


def test_unknown_name_names_name_and_equation():
    eqs = Equations("dv/dt = -v/tau_undefined_here : volt")
    with pytest.raises(NameError) as err:
        Model(eqs)
    assert "tau_undefined_here" in str(err.value)
    assert "dv/dt = -v/tau_undefined_here : volt" in str(err.value)
    with pytest.raises(NameError, match="nounit"):
        Equations("dv/dt = -v/tau : nounit")


def test_dimension_mismatch_message():
    with pytest.raises(DimensionMismatchError) as err:
        Model("dv/dt = -v : volt")
    msg = str(err.value)
    assert "dv/dt = -v : volt" in msg
    assert "not homogeneous" in msg
    assert str(get_dimensions(volt)) in msg
    assert str(get_dimensions(volt / second)) in msg
    with pytest.raises(DimensionMismatchError, match="Addition"):
        Model("dv/dt = (-v + 1*amp)/tau : volt")
    with pytest.raises(DimensionMismatchError, match="static equation of I"):
        Model("dv/dt = -v/tau : volt\nI = v : amp")


def test_xi_has_dimension_second_to_minus_half():
    sigma = 1 * mV
    Model("dv/dt = -v/tau + sigma*xi/tau**0.5 : volt")
    with pytest.raises(DimensionMismatchError):
        Model("dv/dt = -v/tau + sigma*xi/tau : volt")
    del sigma


def test_unit_checks_follow_function_rules():
    # sqrt halves exponents; exp needs a dimensionless argument
    from brianc.units import exp, sqrt            # noqa: F401
    Model("dv/dt = -v/sqrt(tau)**2 + exp(v/mV)*mV/tau : volt")
    with pytest.raises(DimensionMismatchError, match="exp"):
        Model("dv/dt = exp(v)*mV/tau : volt")
    # 0 compares with anything; arrays carry no units
    weights = np.ones(3)
    Model("dv/dt = -v/tau*(v > 0) + weights*amp/siemens/tau : volt")
    del weights, sqrt, exp


def test_keywords_rename_and_private_namespace():
    w = 5 * mV                                          # noqa: F841
    eqs = Equations("dx/dt = (w0 - x)/tau : volt", x="v", w0=3 * mV,
                    tau=20 * ms)
    assert eqs._diffeq_names == ["v"]
    m = Model(eqs)
    M, b = m.linear_system()
    assert M[0, 0] == pytest.approx(-1 / 0.02)
    assert b[0] == pytest.approx(0.003 / 0.02)
    # with keywords, the caller's frame is not consulted (spec 3.1 MUST)
    with pytest.raises(NameError, match="'w'"):
        Model(Equations("dx/dt = (w - x)/tau : volt", tau=20 * ms))
    fresh = Equations("dx/dt = -x/tau : 1", x=None)
    other = Equations("dx/dt = -x/tau : 1", x=None)
    (name,) = fresh._diffeq_names
    assert name.startswith("_") and name != "x"
    assert other._diffeq_names != [name]    # fresh each time


def test_values_captured_at_construction():
    tau_m = 10 * ms
    eqs = Equations("dv/dt = -v/tau_m : volt")
    tau_m = 20 * ms                                     # noqa: F841
    M, _ = Model(eqs).linear_system()
    assert M[0, 0] == pytest.approx(-100.0)


def _make_in_helper(level):
    tau_inner = 1 * ms                                  # noqa: F841
    return Equations("dv/dt = -v/tau_inner : volt", level=level)


def test_level_selects_frame():
    tau_inner = 4 * ms                                  # noqa: F841
    M0, _ = Model(_make_in_helper(0)).linear_system()
    M1, _ = Model(_make_in_helper(1)).linear_system()
    assert M0[0, 0] == pytest.approx(-1000.0)
    assert M1[0, 0] == pytest.approx(-250.0)


def test_model_from_string_resolves_in_caller_frame():
    tau_local = 2 * ms                                  # noqa: F841
    m = Model("dv/dt = -v/tau_local : volt")
    assert m.linear_system()[0][0, 0] == pytest.approx(-500.0)


def test_combining():
    a = Equations("dv/dt = -v/tau : volt")
    b = Equations("dw/dt = -w/tau : volt\nI = v/tau*nS*ms : amp")
    for combined in (a + b, Equations([a, b]), "dv/dt = -v/tau : volt" + b):
        assert combined._diffeq_names == ["v", "w"]
        assert combined._eq_names == ["I"]
    c = Equations("dv/dt = -v/tau : volt")
    c += "dz/dt = -z/tau : 1"
    assert c._diffeq_names == ["v", "z"]
    assert (a + a)._diffeq_names == ["v"]       # same definition: fine
    with pytest.raises(AttributeError):
        a + Equations("dv/dt = v/tau : volt")
    with pytest.raises(DimensionMismatchError, match="compatible units"):
        a + Equations("dv/dt = -v/tau : amp")


def test_combined_equations_keep_their_own_namespaces():
    a = _make_in_helper(0)                      # tau_inner = 1 ms there
    tau_inner = 8 * ms                                  # noqa: F841
    b = Equations("dw/dt = -w/tau_inner : volt")
    M, _ = Model(a + b).linear_system()
    assert np.allclose(np.diag(M), [-1000.0, -125.0])


def test_vm_swap_is_a_swap():
    m = Model("da/dt = -a/tau : 1\ndb/dt = -b/tau : 1\ndv/dt = -v/tau : 1")
    assert m.state_names == ["v", "b", "a"]
    m = Model("da/dt = -a/tau : 1\nV : volt\ndb/dt = -b/tau : 1")
    assert m.state_names == ["V", "a", "b"]
    # two candidates: no swap
    m = Model("da/dt = -a/tau : 1\nv : 1\nVm : 1")
    assert m.state_names == ["a", "v", "Vm"]


def test_aliases_statics_and_units():
    g0 = 1 * nS                                         # noqa: F841
    v0 = 10 * mV                                        # noqa: F841
    from brianc.units import ohm                        # noqa: F401
    m = Model('''
    dv/dt = (I*ohm*1e6 - v)/tau : volt
    I = g*(v0 - v) : amp
    g = g0*2 : siemens
    u = v
    ''')
    assert m.static_names == ["g", "I"]
    assert m.aliases == {"u": "v"}
    assert have_same_dimensions(m.units["u"], volt)
    assert have_same_dimensions(m.units["I"], amp)
    assert m.index("u") == 0
    with pytest.raises(ReferenceError):
        Model("dv/dt = -v/tau + a/tau : 1\na = b : 1\nb = a : 1")
    with pytest.raises(NameError, match="not a model variable"):
        Model("dv/dt = -v/tau : 1\nu = nothing_here")


def test_model_accepts_lists_and_hz():
    rate = 5 * Hz                                       # noqa: F841
    m = Model(["dv/dt = -v*rate : 1", Equations("x : volt")])
    assert m.state_names == ["v", "x"]
    assert m.param_names == ["x"]
    assert m.diff_names == ["v"]


def test_alias_is_listed_with_static_equations_after_renaming():
    eqs = Equations("dx/dt = -x/(2*ms) : 1\nz = x**2 : 1\ny = z",
                    z="q")
    assert eqs._eq_names == ["q", "y"]
    assert eqs._alias == {"y": "q"}
    assert set(eqs._units) == {"t", "x", "q", "y"}       # t: time, always
    assert Equations("g : nS")._string == {"g": "0*nS/second"}
    assert have_same_dimensions(eqs._units["t"], second)


# -- Brian 1's inspection methods ------------------------------------------

def test_unit_names_join_the_namespace():
    eqs = Equations("dx/dt = -x/tau : volt/second*second", tau=1 * ms)
    assert eqs._namespace["x"] == {"tau": 1 * ms, "volt": volt,
                                   "second": second}
    assert Equations("g : nS")._namespace["g"] == {"nS": nS}
    assert Equations("u : 1")._namespace["u"] == {}


@pytest.mark.parametrize("text, vm", [
    ("dv/dt = -v/tau : volt", "v"),
    ("da/dt = -a/tau : 1\ndVm/dt = -Vm/tau : volt", "Vm"),
    ("V : volt\ndx/dt = -x/tau : 1", "V"),          # a parameter counts
    ("v = x**2 : 1\ndx/dt = -x/tau : 1", None),     # static: not a state
    ("dx/dt = -x/tau : 1", None),
    ("dvm/dt = -vm/tau : 1\ndv/dt = -v/tau : 1", None),     # ambiguous
    ("dvolt/dt = -volt/tau : 1", None),
])
def test_get_vm(text, vm):
    assert Equations(text).get_Vm() == vm


def test_prepare_checks_units_and_names():
    with pytest.raises(DimensionMismatchError):
        Equations("dv/dt = -v : volt").prepare()
    Equations("dv/dt = -v : volt").prepare(check_units=False)
    with pytest.raises(NameError, match="undefined_rate"):
        Equations("dv/dt = -v*undefined_rate : volt").prepare()


def test_prepare_swaps_vm_to_the_front():
    eqs = Equations("da/dt = -a/tau : 1\nI = a*amp : amp\n"
                    "db/dt = -b/tau : 1\ndv/dt = -v/tau : volt")
    eqs.prepare()
    assert eqs._diffeq_names == ["v", "b", "a"]
    assert eqs._eq_names == ["I"]
    assert eqs.get_Vm() == "v"
    eqs.prepare()                           # already first: unchanged
    assert eqs._diffeq_names == ["v", "b", "a"]
    assert Model(eqs).state_names == ["v", "b", "a"]


def test_free_variables():
    eqs = Equations("dv/dt = (freevar - v)/tau : volt")
    assert eqs.free_variables() == ["tau", "freevar"]
    eqs = Equations("dv/dt = (I - v)/tau + s*xi/tau**0.5 : volt\n"
                    "I = a*sin(t/tau) : volt\nw = v\ng : nS",
                    tau=1 * ms, a=2 * mV)
    # t, xi, model variables and units are not free; s is defined nowhere
    assert eqs.free_variables() == ["tau", "a", "sin", "s"]
    assert Equations("dv/dt = -v/(2*ms) : 1").free_variables() == ["ms"]


def test_stochastic_and_time_dependent():
    eqs = Equations("dv/dt = (f(t) - v)/tau : volt\n"
                    "dw/dt = -w/tau + 3*tau**-.5*xi : 1")
    assert eqs.is_stochastic() is True
    assert eqs.is_stochastic(var="v") is False
    assert eqs.is_stochastic(var="w") is True
    assert eqs.is_time_dependent() is True
    assert eqs.is_time_dependent(var="v") is True
    assert eqs.is_time_dependent(var="w") is False
    assert eqs.is_linear() is False         # f(t): never linear
    plain = Equations("dv/dt = -v/tau : volt\nu : 1")
    assert plain.is_stochastic() is False
    assert plain.is_time_dependent() is False
    with pytest.raises(KeyError, match="nope"):
        plain.is_stochastic(var="nope")


def test_dependence_through_static_equations_and_aliases():
    eqs = Equations("dv/dt = (I - v)/tau : volt\nI = J : volt\n"
                    "J = 1*mV*sin(t/tau) + noise : volt\n"
                    "noise = sigma*xi*tau**0.5 : volt\n"
                    "dw/dt = -w/tau : 1", sigma=1 * mV, tau=10 * ms)
    assert eqs.is_time_dependent("v") and eqs.is_stochastic("v")
    assert eqs.is_time_dependent("I") and eqs.is_stochastic("noise")
    assert not eqs.is_time_dependent("w") and not eqs.is_stochastic("w")
    assert not eqs.is_time_dependent("noise")
    assert eqs.is_time_dependent() and eqs.is_stochastic()


def test_linear_and_conditionally_linear():
    lif = Equations("dv/dt = (El - v + R*I)/tau : volt\n"
                    "dI/dt = -I/tau_s : amp",
                    El=-70 * mV, R=10 * volt / amp, tau=tau, tau_s=5 * ms)
    assert lif.is_linear() is True
    assert lif.is_conditionally_linear() is True
    hh = hh_equations()
    assert hh.is_linear() is False
    assert hh.is_conditionally_linear() is True
    # each equation affine in its own variable
    eqs = Equations("dv/dt = (w**3 - v)/tau : 1\ndw/dt = (v**2 - w)/tau : 1")
    assert eqs.is_linear() is False
    assert eqs.is_conditionally_linear() is True
    eqs = Equations("dv/dt = (w**3 - v**2)/tau : 1\n"
                    "dw/dt = (v**2 - w)/tau : 1")
    assert eqs.is_conditionally_linear() is False
    # additive noise keeps a linear model linear
    eqs = Equations("dv/dt = -v/tau + xi/tau**0.5 : 1")
    assert eqs.is_linear() is True


def test_python_function_makes_a_model_nonlinear():
    def gain(x):
        return 2 * x
    eqs = Equations("dv/dt = -gain(v)/tau : 1", gain=gain, tau=tau)
    assert eqs.is_linear() is False
