"""Tests for brianc.fundamentalunits, brianc.units, brianc.stdunits and
brianc.unitsafefunctions: dimensions, Quantity, display, errors, and Brian 1's
rule that units live on scalars only (arrays are plain, in SI)."""
import os
import pickle

import numpy as np
import pytest

from brianc import fundamentalunits as FU
from brianc import units as U
from brianc import unitsafefunctions as F
from brianc import stdunits as S
from brianc.units import (Dimension, DimensionMismatchError, Quantity,
                          Unit, check_units, display_in_unit,
                          get_dimensions, get_unit, get_unit_fast,
                          have_same_dimensions, is_dimensionless,
                          is_scalar_type, register_new_unit)

mV, ms, Hz, cm, nS = S.mV, S.ms, S.Hz, S.cm, S.nS
volt, second, amp, metre = U.volt, U.second, U.amp, U.metre
VOLT = Dimension(m=2, kg=1, s=-3, A=-1)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


# -- names ---------------------------------------------------------------

def test_all_2016_unit_names_exist_and_are_exported():
    names = U.UNIT_NAMES
    assert len(names) == len(set(names)) == 2016
    assert set(names) <= set(U.__all__)
    for n in ("mvolt", "umetre", "ufarad", "msiemens", "nsiemens", "msecond",
              "khertz", "dametre", "kgram", "mkilogram", "metre2", "cmetre2",
              "umetre3", "mvolt2", "candle", "gray", "katal3", "Ykatal3"):
        assert isinstance(getattr(U, n), Unit), n
    for absent in ("candela", "ampere", "litre"):
        assert not hasattr(U, absent)


def test_star_import_gives_real_attributes():
    ns = {}
    exec("from brianc.units import *\nfrom brianc.stdunits import *", ns)
    assert ns["mvolt"] is U.mvolt and ns["mV"] is U.mvolt
    assert ns["cm2"] is U.cmetre2 and ns["Hz"] is U.hertz
    assert "Quantity" in ns and "DimensionMismatchError" in ns


def test_short_names():
    expected = {"mV": 1e-3, "mA": 1e-3, "uA": 1e-6, "nA": 1e-9, "pA": 1e-12,
                "pF": 1e-12, "uF": 1e-6, "nF": 1e-9, "nS": 1e-9, "uS": 1e-6,
                "ms": 1e-3, "Hz": 1.0, "kHz": 1e3, "MHz": 1e6, "cm": 1e-2,
                "cm2": 1e-4, "cm3": 1e-6, "mm": 1e-3, "mm2": 1e-6,
                "mm3": 1e-9, "um": 1e-6, "um2": 1e-12, "um3": 1e-18}
    assert sorted(S.__all__) == sorted(expected)
    for name, value in expected.items():
        assert float(getattr(S, name)) == pytest.approx(value, rel=1e-12)


def test_unit_values_and_display_names():
    assert float(U.gram) == 1e-3 and float(U.kgram) == 1.0
    assert float(U.mkilogram) == 1e-3 and str(U.mkilogram) == "mkg"
    assert float(U.dametre) == 10.0 and float(U.Ymetre) == 1e24
    assert float(U.cmetre) == 0.01
    assert str(U.mvolt) == "mV" and str(U.ufarad) == "uF"
    assert str(U.cmetre2) == "cm^2" and str(U.celsius) == "degC"
    assert U.celsius.dim == Dimension(K=1) and float(U.celsius) == 1.0
    assert U.gray.dim == Dimension(m=2, s=-2)
    assert repr(U.mvolt) == "mvolt" and repr(U.umetre3) == "umetre3"


# -- dimensions ------------------------------------------------------------

def test_dimension_construction_equality_hash():
    d = Dimension(m=2, kg=1, s=-3, A=-1)
    assert d == Dimension(length=2, mass=1, time=-3, current=-1)
    assert d == Dimension([2, 1, -3, -1, 0, 0, 0]) == Dimension(d)
    assert d == volt.dim and d != amp.dim
    near = Dimension([2 + 1e-9, 1, -3, -1, 0, 0, 0])
    assert near == d and hash(near) == hash(d)
    assert Dimension([2 + 1e-6, 1, -3, -1, 0, 0, 0]) != d
    assert {d: 1}[volt.dim] == 1
    assert str(d) == "m^2 kg s^-3 A^-1"
    assert str(Dimension()) == "1"
    assert str((ms ** 0.5).dim) == "s^0.5"
    assert pickle.loads(pickle.dumps(d)) == d


def test_dimension_mismatch_error_format():
    e = DimensionMismatchError("Addition", VOLT, second.dim)
    assert str(e) == "Addition, dimensions were (m^2 kg s^-3 A^-1) (s) "
    with pytest.raises(DimensionMismatchError) as info:
        volt + second
    assert "m^2 kg s^-3 A^-1" in str(info.value)
    assert "(s)" in str(info.value)
    assert str(info.value).startswith("Addition")


# -- scalar arithmetic ---------------------------------------------------

def test_multiplication_keeps_units_in_both_orders():
    # NumPy scalars times or over a quantity keep units (Brian 1's NumPy 1
    # dropped them for int64 and float32; the README lists the difference).
    for factor in (3, 3.0, np.float64(3), np.int64(3), np.float32(3)):
        for q in (factor * mV, mV * factor):
            assert type(q) is Quantity
            assert q.dim == VOLT
            assert float(q) == pytest.approx(0.003)
    q = np.float64(2) * mV
    assert type(q) is Quantity and str(q) == "2. mV"
    assert isinstance(q, float)


def test_unit_algebra_gives_registered_units():
    u = mV * ms
    assert type(u) is Unit and str(u) == "mV ms" and repr(u) == \
        "mvolt * msecond"
    assert type(mV / ms) is Unit and str(mV / ms) == "mV/ms"
    assert type(cm ** -2) is Unit and str(cm ** -2) == "cm^-2"
    assert str(U.msiemens * cm ** -2) == "mS cm^-2"
    assert type(U.umetre ** 2) is Unit
    assert float(U.umetre ** 2) == pytest.approx(1e-12)
    assert "mvolt * msecond" in FU._user_units


def test_powers():
    d = (ms ** 0.5).dim
    assert d == Dimension(s=0.5)
    assert ((ms ** 0.5) ** 2).dim == second.dim
    q = 39.24 * mV / ms ** 0.5
    assert q.dim == Dimension(m=2, kg=1, s=-3.5, A=-1)
    assert float(q) == pytest.approx(39.24e-3 / 1e-3 ** 0.5)
    assert (mV ** -1).dim == VOLT ** -1
    assert ((2 * mV) ** Quantity(2.0)).dim == VOLT ** 2
    with pytest.raises(DimensionMismatchError):
        mV ** (2 * mV)
    assert float(2 ** Quantity(3.0)) == 8.0
    with pytest.raises(DimensionMismatchError):
        2 ** mV


def test_hh_parameters():
    area = 20000 * U.umetre ** 2
    Cm = (1 * U.ufarad * cm ** -2) * area
    gl = (5e-5 * U.siemens * cm ** -2) * area
    assert Cm.dim == U.farad.dim and float(Cm) == pytest.approx(2e-10)
    assert gl.dim == U.siemens.dim and float(gl) == pytest.approx(1e-8)
    assert str(Cm) == "0.2 nF"     # pF would give 200, out of range


def test_addition_subtraction_and_comparisons():
    assert float(3 * mV + 2 * mV) == pytest.approx(0.005)
    assert (3 * mV - 5 * mV).dim == VOLT
    with pytest.raises(DimensionMismatchError):
        3 * mV + 1
    with pytest.raises(DimensionMismatchError):
        1 - 3 * mV
    assert sum([1 * mV, 2 * mV]).dim == VOLT      # plain 0 + q is allowed
    assert 3 * mV > 0 and 3 * mV < np.inf and 3 * mV > -np.inf
    assert 0 < 3 * mV and not (3 * mV >= 4 * mV)
    with pytest.raises(DimensionMismatchError):
        3 * mV > 1
    with pytest.raises(DimensionMismatchError):
        3 * mV == 3 * ms
    assert 3 * mV == 3 * mV and 3 * mV != 4 * mV
    assert (3 * mV == None) is False                   # noqa: E711
    assert -(3 * mV) == -3 * mV and abs(-3 * mV) == 3 * mV
    assert (7 * ms) % (2 * ms) == pytest.approx(1 * ms)
    with pytest.raises(DimensionMismatchError):
        (7 * ms) % 2


def test_nan_and_inf():
    assert str(np.nan * mV) == "nan V"
    assert str(np.inf * ms) == "inf s" and str(-np.inf * ms) == "-inf s"
    assert np.isnan(np.nan * mV)
    assert np.inf * ms > 5 * ms


def test_pickle_roundtrip():
    q = pickle.loads(pickle.dumps(-60 * mV))
    assert type(q) is Quantity and q.dim == VOLT and float(q) == -0.06
    assert pickle.loads(pickle.dumps(mV)) is U.mvolt
    u = pickle.loads(pickle.dumps(mV * ms))
    assert type(u) is Unit and str(u) == "mV ms"


# -- display -------------------------------------------------------------

def test_printing_forms():
    assert str(-60 * mV) == "-60. mV"
    assert str(20 * ms) == "20. ms"
    assert str(1.62 * mV) == "1.62 mV"
    assert str(3 * mV) == "3. mV"
    assert str(100 * ms) == "0.1 s"
    assert str(50 * ms) == "50. ms"
    assert str(0 * mV) == "0. V"
    assert str(5 * Hz) == "5. Hz"          # hertz comes before becquerel
    assert str(0.05 * U.kilogram) == "50. g"
    assert str(0.5 * U.kilogram) == "0.5 kg"
    assert repr(3 * mV) == "3. * mvolt"
    assert str(Quantity(2.5)) == "2.5" and str((3 * mV) / (6 * mV)) == "0.5"
    assert str(2.0 * U.farad / metre ** 2) == "2. m^-4 kg^-1 s^4 A^2"
    assert f"{3 * mV}" == "3. mV" and f"{3 * mV:.4f}" == "0.0030"


def test_in_unit_and_best_unit():
    assert (2 * volt).in_unit(U.mvolt) == "2000. mV"
    assert display_in_unit(3 * mV, U.uvolt) == "3000. uV"
    assert (5 * ms).in_best_unit() == "5. ms"
    with pytest.raises(DimensionMismatchError):
        (2 * volt).in_unit(amp)


def test_register_new_unit_changes_display():
    value = 2.0 * U.farad / U.metre ** 3
    before = str(value)
    assert before == "2. m^-5 kg^-1 s^4 A^2"
    unit = U.pfarad / U.mmetre ** 3
    FU._user_units.pop(unit.name, None)
    FU._auto_register = False
    try:
        unit = U.pfarad / U.mmetre ** 3
    finally:
        FU._auto_register = True
    assert str(value) == before          # not registered yet
    register_new_unit(unit)
    assert str(value) == "2000. pF/mm^3"   # only candidate, out of range
    assert str(value * 1e-3) == "2. pF/mm^3"


# -- helpers ---------------------------------------------------------------

def test_get_unit_and_dimensions():
    assert get_unit(3 * mV) is volt
    assert get_unit(3 * U.gram) is U.kilogram
    assert get_unit(2 * Hz) is U.hertz
    fb = get_unit(3 * volt / metre ** 3 / U.kelvin)
    assert type(fb) is Quantity and float(fb) == 1.0
    assert get_unit_fast(3 * mV).dim == VOLT and float(get_unit_fast(mV)) == 1
    assert get_dimensions(3) == Dimension() == get_dimensions(np.ones(3))
    assert get_dimensions(np.ones(3) * mV) == Dimension()   # plain array
    assert is_dimensionless(2.0) and not is_dimensionless(mV)
    assert have_same_dimensions(1 * volt, 1 * amp * U.ohm)
    assert not have_same_dimensions(1 * volt * second, 1 * amp * U.ohm)
    assert is_scalar_type(3) and is_scalar_type(mV)
    assert not is_scalar_type(np.ones(2))


def test_check_units_decorator():
    @check_units(I=amp, R=U.ohm, wibble=metre, result=volt)
    def getvoltage(I, R, **k):
        return I * R

    assert float(getvoltage(1 * amp, 2 * U.ohm)) == 2.0
    assert float(getvoltage(R=2 * U.ohm, I=1 * amp,
                            wibble=7 * U.mmetre)) == 2.0
    assert float(getvoltage(1 * amp, 2 * U.ohm, wibble="x")) == 2.0
    assert getvoltage.__name__ == "getvoltage"
    with pytest.raises(DimensionMismatchError) as info:
        getvoltage(1 * amp, 2 * U.ohm * metre)
    assert "variable R" in str(info.value)
    with pytest.raises(DimensionMismatchError):
        getvoltage(1 * amp, 2 * U.ohm, wibble=1)   # bare number fails

    @check_units(I=amp)
    def scaled(I):
        return 2 * I

    assert np.allclose(scaled(np.ones(2)), 2.0)        # arrays: skipped
    assert np.allclose(scaled(np.ones(2) * volt), 2.0)
    with pytest.raises(DimensionMismatchError):
        scaled(2 * volt)

    @check_units(x=metre, result=second)
    def wrong(x):
        return x

    with pytest.raises(AssertionError):
        wrong(1 * metre)


# -- unit-aware functions --------------------------------------------------

def test_unit_aware_functions():
    assert F.UNITSAFE_FUNCTIONS == [
        "sqrt", "log", "exp", "sin", "cos", "tan", "arcsin", "arccos",
        "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh"]
    for name in F.UNITSAFE_FUNCTIONS:
        f = getattr(F, name)
        assert callable(f) and not isinstance(f, np.ufunc)
    root = F.sqrt(4 * ms)
    assert root.dim == Dimension(s=0.5)
    assert float(root) == pytest.approx(np.sqrt(0.004))
    assert F.sqrt(16.0) == 4.0
    assert np.allclose(F.exp(np.zeros(3)), 1.0)
    half = Quantity(0.5)
    assert float(F.arccos(half)) == pytest.approx(np.arccos(0.5))
    assert float(F.arctan(half)) == pytest.approx(np.arctan(0.5))
    for name in F.UNITSAFE_FUNCTIONS[1:]:
        with pytest.raises(DimensionMismatchError):
            getattr(F, name)(3 * mV)
        v = getattr(F, name)(Quantity(0.5) if name != "arccosh"
                             else Quantity(1.5))
        ref = getattr(np, name)(0.5 if name != "arccosh" else 1.5)
        assert type(v) is Quantity and float(v) == pytest.approx(ref)
    ratio = (13 * mV) / (4 * mV)
    assert float(F.exp(ratio)) == pytest.approx(np.exp(3.25))
    assert F.exp(1.0) == pytest.approx(np.e)
    assert float((4 * ms).sqrt()) == pytest.approx(np.sqrt(0.004))
    assert float(half.arccos()) == pytest.approx(np.arccos(0.5))


# -- arrays: Brian 1 kept units on scalars only ----------------------------
# A Quantity combined with an array gives a plain float array in SI (Brian
# 1's casting rule 3), never checked; NumPy functions return plain values.

def plain(a) -> bool:
    """A float array without units (SIArray is one)."""
    return (isinstance(a, np.ndarray) and a.dtype == np.float64
            and not hasattr(a, "dim"))


def test_array_times_quantity_is_a_plain_array():
    r = np.linspace(0, 1, 5)
    for a in (r * mV, mV * r, 10 * mV * r, -60 * mV + 10 * mV * r,
              1 / (np.ones(5) * mV), mV / np.ones(5), [1, 2] * mV):
        assert plain(a)
    v = -60 * mV + 10 * mV * r
    assert np.allclose(v, -0.06 + 0.01 * r)           # values in SI
    assert np.allclose(v / mV, -60 + 10 * r)          # Brian 1's idiom
    assert np.allclose(1 / (np.ones(2) * mV), 1000.0)


def test_arrays_are_never_checked():
    v = np.ones(3) * mV
    assert np.allclose(v + np.ones(3) * ms, 0.002)      # no dimensions left
    assert np.allclose(v + 1, 1.001)
    assert list(np.array([-0.06, -0.04]) > -50 * mV) == [False, True]
    assert np.allclose(np.array([-0.06, -0.04]) - (-60 * mV), [0, 0.02])
    assert np.allclose(np.arange(3) * (0.1 * ms) + 1, [1, 1.0001, 1.0002])
    # Brian 1 left ``x % quantity`` to NumPy: plain, unchecked.
    assert np.allclose((0.15, 0.25) % (100 * ms), [0.05, 0.05])
    assert float(0.15 % (100 * ms)) == pytest.approx(0.05)
    assert type(0.15 % (100 * ms)) is np.float64
    with pytest.raises(DimensionMismatchError):
        (100 * ms) % 0.03                           # quantity % x is checked
    w = np.ones(3) * mV
    w += 2 * mV
    w *= 2
    assert plain(w) and np.allclose(w, 0.006)


def test_unit_aware_functions_on_arrays_of_quantities():
    t = np.linspace(0 * second, 1 * second, 3)
    assert type(t) is np.ndarray and np.allclose(t, [0, 0.5, 1])
    y = F.sin(2 * np.pi * (50 * Hz) * t)
    assert np.allclose(y, 0, atol=1e-12)
    assert plain(F.exp(np.ones(3) * mV))


def test_float_indices_holding_integers():
    # Brian 1's Python 2 scripts index with N/2, a float on Python 3.
    N = 100
    rates = np.zeros(N) * Hz
    rates[N / 2 - 10:N / 2 + 10] = np.ones(20) * 30 * Hz
    assert np.count_nonzero(rates) == 20 and rates[40.0] == 30.0
    assert np.all(rates[N / 2 - 10:N / 2 + 10] == 30)
    with pytest.raises(IndexError):
        rates[2.5]
    with pytest.raises(IndexError):
        rates[1.5:3.0] = 1.0
    assert repr(rates[:2]) == "array([0., 0.])"
    assert type(np.asarray(rates)) is np.ndarray


def test_elements_of_a_plain_array_times_a_unit():
    # Iterating a plain array gives float64 scalars in SI; times a unit they
    # become Quantities of that unit (not volt squared).
    ws = [w * volt for w in np.linspace(0, 3.5, 2) * mV]
    assert all(type(w) is Quantity and w.dim == VOLT for w in ws)
    assert float(ws[1]) == pytest.approx(0.0035)


def test_numpy_functions_give_plain_values():
    for r in (np.sum([1 * mV, 2 * mV]), np.mean([1 * mV, 3 * mV]),
              np.max([1 * mV, 3 * mV]), np.sqrt(4 * ms), np.exp(1 * ms),
              np.abs(-1 * mV), np.clip(4 * mV, 1 * mV, 3 * mV)):
        assert type(r) is np.float64
    assert float(np.mean([1 * mV, 3 * mV])) == pytest.approx(0.002)
    assert type(np.array([1 * mV, 2 * mV])) is np.ndarray
    assert bool(np.isclose(3 * mV, 3 * mV))
    assert float((1 * second) // ms) == pytest.approx(999.0)  # float64 //


def test_builtins_keep_units():
    assert max(1 * ms, 2 * ms) == 2 * ms and type(max(1 * ms, 2 * ms)) \
        is Quantity
    assert min(3 * mV, 1 * mV) == 1 * mV
    assert abs(-3 * mV) == 3 * mV and type(abs(-3 * mV)) is Quantity
    assert sum([1 * mV, 2 * mV]).dim == VOLT
    assert round(3 * mV, 4) == pytest.approx(0.003)


def test_unitsafefunctions_module():
    assert F.__all__ == F.UNITSAFE_FUNCTIONS
    ns = {}
    exec("from numpy import *\nfrom brianc.unitsafefunctions import *", ns)
    assert ns["exp"] is F.exp and ns["sqrt"](4 * ms).dim == Dimension(s=0.5)
    # brianc.units exports what Brian 1's did: the units and the classes.
    assert "exp" not in U.__all__ and U.exp is F.exp
    assert set(FU.__all__) <= set(U.__all__)
    assert U.Quantity is FU.Quantity and U.Unit is FU.Unit
