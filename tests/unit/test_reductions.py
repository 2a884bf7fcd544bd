"""sum, any and all under ``from brianc import *``: generators and other
one-pass iterables get Python's built-in result (as Brian 1's namespace
gave sum of a generator), everything else exactly NumPy's."""
import builtins
import warnings

import numpy as np
import pytest

import brianc
from brianc import mV
from brianc._reductions import all as b_all
from brianc._reductions import any as b_any
from brianc._reductions import sum as b_sum


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_the_star_export_holds_them():
    ns = {}
    exec("from brianc import *", ns)
    assert ns["sum"] is b_sum and ns["any"] is b_any and ns["all"] is b_all
    assert ns["sum"](x * x for x in range(5)) == 30


@pytest.mark.parametrize("make", [
    lambda: (x * 0.5 for x in range(7)),
    lambda: map(float, [1, 2, 3.5]),
    lambda: iter([4, 5, 6]),
    lambda: {1, 2, 3, 10},
    lambda: {"a": 1.5, "b": 2.0}.values(),
    lambda: filter(None, [0, 3, 0, 4]),
], ids=["generator", "map", "list iterator", "set", "dict values",
        "filter"])
def test_sum_of_a_one_pass_iterable_is_pythons_sum(make):
    assert b_sum(make()) == builtins.sum(make())


def test_any_and_all_of_a_generator_look_at_its_items():
    # NumPy's any/all take a generator for one true object.
    assert b_any(x > 5 for x in [1, 2]) is False
    assert b_any(x > 1 for x in [1, 2]) is True
    assert b_all(x > 1 for x in [1, 2]) is False
    assert b_all(x > 0 for x in [1, 2]) is True
    assert b_any(v > 0 for v in {}.values()) is False


def test_sum_of_a_generator_of_quantities_keeps_the_unit():
    total = b_sum(k * mV for k in range(4))
    assert total == 6 * mV
    assert brianc.get_dimensions(total) == brianc.get_dimensions(mV)


def _same(got, want):
    assert type(got) is type(want)
    np.testing.assert_array_equal(got, want)
    assert np.asarray(got).dtype == np.asarray(want).dtype


A = np.arange(12.0).reshape(3, 4) - 4.5
KEYWORDS = [{}, {"axis": 0}, {"axis": 1}, {"axis": (0, 1)},
            {"dtype": np.float32}, {"keepdims": True},
            {"axis": 0, "keepdims": True}, {"initial": 10.0},
            {"where": A > 0}, {"axis": 1, "where": A > 0, "initial": 1.0}]


@pytest.mark.parametrize("kwargs", KEYWORDS, ids=str)
@pytest.mark.parametrize("name", ["sum", "any", "all"])
def test_arrays_get_exactly_numpys_result(name, kwargs):
    ours, numpys = getattr(brianc._reductions, name), getattr(np, name)
    if name != "sum":
        kwargs = {k: v for k, v in kwargs.items()
                  if k not in ("dtype", "initial")}
    _same(ours(A, **kwargs), numpys(A, **kwargs))
    _same(ours(A.tolist(), **kwargs), numpys(A.tolist(), **kwargs))


def test_positional_axis_out_and_scalars_go_to_numpy():
    _same(b_sum(A, 0), np.sum(A, 0))
    out = np.empty(4)
    assert b_sum(A, axis=0, out=out) is out
    np.testing.assert_array_equal(out, A.sum(axis=0))
    _same(b_sum(3.5), np.sum(3.5))
    _same(b_sum(range(5)), np.sum(range(5)))     # a sequence, not lazy
    _same(b_sum([[1, 2], [3, 4]]), np.int64(10))  # Python's sum refuses


def test_numpy_options_on_a_generator_act_on_its_items():
    _same(b_sum((x for x in [1, 2, 3]), dtype=np.float32),
          np.sum([1, 2, 3], dtype=np.float32))
    _same(b_sum(((x, -x) for x in range(3)), axis=0),
          np.array([3, -3]))
    _same(b_any((x > 1 for x in [1, 2]), keepdims=True), np.array([True]))


def test_signature_and_help_describe_the_numpy_options():
    import inspect
    params = inspect.signature(b_sum).parameters
    for option in ("axis", "dtype", "out", "keepdims", "initial", "where"):
        assert option in params
    assert "generator" in b_sum.__doc__
