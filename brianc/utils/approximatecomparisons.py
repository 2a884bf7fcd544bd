"""Floating-point comparisons with a relative tolerance (Brian 1's
``brian.utils.approximatecomparisons``): the exact family allows one
machine epsilon of relative error, the approximate family 10,000."""
from __future__ import annotations

import sys

__all__ = ["is_equal", "is_less_than_or_equal", "is_greater_than_or_equal",
           "is_approx_equal", "is_approx_less_than_or_equal",
           "is_approx_greater_than_or_equal",
           "is_within_absolute_tolerance"]

epsilon = sys.float_info.epsilon
approxepsilon = 10000 * epsilon
defaultabsolutetolerance = epsilon ** 0.5


def _close(x, y, relative: float) -> bool:
    return x == y or abs(x - y) < abs(x) * relative


def is_equal(x, y) -> bool:
    return _close(x, y, epsilon)


def is_less_than_or_equal(x, y) -> bool:
    return x < y or is_equal(x, y)


def is_greater_than_or_equal(x, y) -> bool:
    return x > y or is_equal(x, y)


def is_approx_equal(x, y) -> bool:
    return _close(x, y, approxepsilon)


def is_approx_less_than_or_equal(x, y) -> bool:
    return x < y or is_approx_equal(x, y)


def is_approx_greater_than_or_equal(x, y) -> bool:
    return x > y or is_approx_equal(x, y)


def is_within_absolute_tolerance(x, y,
                                 absolutetolerance=defaultabsolutetolerance):
    return float(abs(x - y)) < absolutetolerance
