"""Quantities with physical dimensions: Dimension, Quantity (a float64
with units), Unit, the display registries and the helpers
(get_dimensions, check_units...), as in Brian 1's fundamentalunits.

Units live on scalars only, as in Brian 1: a Quantity combined with a
NumPy array gives a plain array (values in SI), and NumPy functions
return plain values.  The unit names are in ``brianc.units``.
"""
from __future__ import annotations

import functools
import math
import operator

import numpy as np

__all__ = [
    "Dimension", "Scale", "DimensionMismatchError", "get_dimensions",
    "is_dimensionless", "have_same_dimensions", "display_in_unit",
    "Quantity", "Unit", "register_new_unit", "check_units",
    "is_scalar_type", "get_unit", "get_unit_fast",
    "scalar_representation", "quantity_with_dimensions",
]

# ---------------------------------------------------------------------------
# Dimensions
# ---------------------------------------------------------------------------

_LABELS = ("m", "kg", "s", "A", "K", "mol", "cd")
_PY_LABELS = ("metre", "kilogram", "second", "amp", "kelvin", "mole", "candle")
# Every spelling Brian 1 accepted as a Dimension keyword -> exponent index.
_DIM_INDEX = {}
for _i, _names in enumerate((
        ("m", "length", "Length", "metre", "metres", "meter"),
        ("kg", "mass", "Mass", "kilogram", "kilograms"),
        ("s", "time", "Time", "second", "seconds"),
        ("A", "current", "Current", "electric current", "Electric Current",
         "ampere", "amperes", "amp"),
        ("K", "temperature", "Temperature", "kelvin", "kelvins"),
        ("mol", "substance", "Substance", "quantity of substance",
         "Quantity of Substance", "mole", "moles"),
        ("cd", "luminosity", "Luminosity", "candle", "candles"))):
    for _n in _names:
        _DIM_INDEX[_n] = _i

_DIM_TOL = 1.5e-8          # exponents closer than this are equal
_DIM_CACHE: dict = {}      # normalised exponent tuple -> Dimension
_OP_CACHE: dict = {}       # (id(a), id(b), op) -> a*b or a/b


def _norm_exponent(x) -> float:
    """Snap exponents that are integers up to rounding error (so that
    ``(ms**0.5)**2`` is exactly ``s``) and turn -0.0 into 0.0."""
    x = float(x)
    r = round(x)
    if abs(x - r) < 1e-9:
        return float(r) + 0.0
    return x


def _make_dim(exps: tuple) -> "Dimension":
    """Interned Dimension for a tuple of 7 exponents."""
    d = _DIM_CACHE.get(exps)
    if d is not None:
        return d
    norm = tuple(_norm_exponent(x) for x in exps)
    if not all(abs(x) <= 1e12 for x in norm):     # also NaN
        raise ValueError(f"a unit with exponents {norm} is out of range")
    d = _DIM_CACHE.get(norm)
    if d is None:
        d = object.__new__(Dimension)
        d._dims = norm
        # Hash on a coarser grid than the equality tolerance, so equal
        # dimensions (within 1.5e-8) hash alike in every practical case.
        d._hash = hash(tuple(round(x * 1e6) for x in norm))
        _DIM_CACHE[norm] = d
    _DIM_CACHE[exps] = d
    return d


class Dimension:
    """The exponents of the 7 SI base units (m, kg, s, A, K, mol, cd).

    ``Dimension(m=1, kg=1, s=-2)``, ``Dimension(length=1, ...)``,
    ``Dimension([1, 1, -2, 0, 0, 0, 0])`` and ``Dimension(other)`` all work.
    Dimensions are immutable and interned; two are equal when every exponent
    agrees within 1.5e-8.
    """

    __slots__ = ("_dims", "_hash")

    def __new__(cls, *args, **keywords):
        if args:
            a = args[0]
            if isinstance(a, Dimension):
                return a
            exps = tuple(float(x) for x in a)
            if len(exps) != 7:
                raise ValueError(f"a Dimension needs 7 exponents, got {a!r}")
            return _make_dim(exps)
        exps = [0.0] * 7
        for k, v in keywords.items():
            try:
                exps[_DIM_INDEX[k]] = float(v)
            except KeyError:
                raise TypeError(f"unknown dimension name {k!r}") from None
        return _make_dim(tuple(exps))

    def get_dimension(self, d: str) -> float:
        """Exponent of one base dimension, by any of its names."""
        return self._dims[_DIM_INDEX[d]]

    def is_dimensionless(self) -> bool:
        return self is DIMENSIONLESS or all(x == 0 for x in self._dims)

    def _str(self, python_code: bool) -> str:
        labels = _PY_LABELS if python_code else _LABELS
        power = " ** " if python_code else "^"
        parts = []
        for label, x in zip(labels, self._dims):
            if x:
                if x != 1:
                    label += power + _fmt_exponent(x)
                parts.append(label)
        if not parts:
            return "Dimension()" if python_code else "1"
        return (" * " if python_code else " ").join(parts)

    def __str__(self) -> str:
        return self._str(False)

    def __repr__(self) -> str:
        return self._str(True)

    # Dimensions are interned and never freed, so ids are stable keys.
    def __mul__(self, other: "Dimension") -> "Dimension":
        key = (id(self), id(other), 0)
        d = _OP_CACHE.get(key)
        if d is None:
            d = _OP_CACHE[key] = _make_dim(
                tuple(x + y for x, y in zip(self._dims, other._dims)))
        return d

    def __truediv__(self, other: "Dimension") -> "Dimension":
        key = (id(self), id(other), 1)
        d = _OP_CACHE.get(key)
        if d is None:
            d = _OP_CACHE[key] = _make_dim(
                tuple(x - y for x, y in zip(self._dims, other._dims)))
        return d

    def __pow__(self, p) -> "Dimension":
        p = float(p)
        exps = tuple(x * p for x in self._dims)
        if not all(math.isfinite(x) for x in exps):
            raise ValueError(f"the power {p!r} of a unit gives an infinite "
                             f"or NaN exponent")
        return _make_dim(exps)

    def __eq__(self, other) -> bool:
        if self is other:
            return True
        if not isinstance(other, Dimension):
            return NotImplemented
        return all(abs(x - y) < _DIM_TOL
                   for x, y in zip(self._dims, other._dims))

    def __ne__(self, other) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        return (Dimension, (self._dims,))


def _fmt_exponent(x: float) -> str:
    """'2' for integral exponents, '0.5' otherwise."""
    return str(int(x)) if x == int(x) else repr(x)


DIMENSIONLESS = Dimension()


class DimensionMismatchError(Exception):
    """An operation combined values of inconsistent dimensions.

    ``str()`` gives ``"<description>, dimensions were (<d1>) (<d2>) "``.
    """

    def __init__(self, description: str, *dims):
        Exception.__init__(self, description, *dims)
        self.desc = description
        self._dims = dims

    def __str__(self) -> str:
        return (self.desc + ", dimensions were "
                + "".join(f"({d}) " for d in self._dims))

    __repr__ = __str__


# SI prefixes, used by Scale, Unit.create and brianc.units.
_PREFIXES = ("y", "z", "a", "f", "p", "n", "u", "m", "c", "d", "da", "h", "k",
             "M", "G", "T", "P", "E", "Z", "Y")
_PREFIX_EXP = (-24, -21, -18, -15, -12, -9, -6, -3, -2, -1, 1, 2, 3, 6, 9,
               12, 15, 18, 21, 24)
_PREFIX_VALUE = {"": 1.0}
_PREFIX_VALUE.update((p, float(10.0 ** e))
                     for p, e in zip(_PREFIXES, _PREFIX_EXP))
# Prefixes Brian 1 does not use when choosing a display unit.
_NO_DISPLAY_PREFIXES = frozenset(("c", "d", "da", "h"))


class Scale:
    """A prefix for each base dimension, e.g. ``Scale(length='m')``."""

    __slots__ = ("scale",)

    def __init__(self, **keywords):
        self.scale = [""] * 7
        for k, v in keywords.items():
            self.scale[_DIM_INDEX[k]] = v

    def scale_factor(self, dim: Dimension) -> float:
        f = 1.0
        for s, x in zip(self.scale, dim._dims):
            if x:
                f *= _PREFIX_VALUE[s] ** x
        return f

    def unit_representation(self, dim: Dimension) -> str:
        return " ".join(s + label + ("^" + _fmt_exponent(x) if x != 1 else "")
                        for s, label, x in zip(self.scale, _LABELS, dim._dims)
                        if x)


# ---------------------------------------------------------------------------
# Helpers on arbitrary objects
# ---------------------------------------------------------------------------

# Plain scalars count as dimensionless (bool is an int).
_SCALAR_TYPES = (int, float, np.number, np.bool_)


def is_scalar_type(obj) -> bool:
    """True for numbers (Python or NumPy scalars, Quantities), not arrays."""
    return isinstance(obj, _SCALAR_TYPES)


def get_dimensions(obj) -> Dimension:
    """The Dimension of a Quantity; plain numbers and arrays (and anything
    else without a ``dim``) are dimensionless."""
    d = getattr(obj, "dim", None)
    return d if isinstance(d, Dimension) else DIMENSIONLESS


def is_dimensionless(obj) -> bool:
    return get_dimensions(obj).is_dimensionless()


def have_same_dimensions(obj1, obj2) -> bool:
    return get_dimensions(obj1) == get_dimensions(obj2)


def _fmt_number(v) -> str:
    """Numpy-style short float: '%.12g', with a trailing '.' when the
    result looks like an integer ('-60.', '1.62', '1e-20', 'nan')."""
    s = "%.12g" % v
    if s.lstrip("-").isdigit():
        s += "."
    return s


def display_in_unit(x, u, python_code: bool = False) -> str:
    """``"<x/u> <u>"``; x and u must have the same dimensions."""
    xd, ud = get_dimensions(x), get_dimensions(u)
    if xd != ud:
        raise DimensionMismatchError(
            "Non-matching unit for function display_in_unit", xd, ud)
    if isinstance(x, np.ndarray):
        vals = np.asarray(x, dtype=float) / float(u)
        s = np.array2string(vals, legacy="1.13")
    else:
        s = _fmt_number(float(x) / float(u))
    if ud.is_dimensionless():
        if python_code and not isinstance(x, np.ndarray):
            return f"Quantity({s})"
        return s
    if isinstance(u, Unit):
        uname = repr(u) if python_code else str(u)
    else:
        uname = ud._str(python_code)
    return s + (" * " if python_code else " ") + uname


def quantity_with_dimensions(value, dims) -> "Quantity":
    """Rebuild a Quantity from a value and a Dimension (or 7 exponents)."""
    return _q(value, Dimension(dims))


# ---------------------------------------------------------------------------
# Quantity: a float64 with a dimension
# ---------------------------------------------------------------------------

_f64new = np.float64.__new__


def _q(value, dim: Dimension) -> "Quantity":
    """Fast Quantity constructor (no argument checking)."""
    q = _f64new(Quantity, value)
    q.dim = dim
    return q


def _scalar_cmp_value(self, other, desc: str):
    """Check ``self <op> other`` for a comparison and return other's float,
    or None when other is not a scalar. Plain 0 and +-inf match any
    dimension (Brian 1's exception)."""
    if isinstance(other, Quantity):
        if self.dim is other.dim or self.dim == other.dim:
            return float(other)
        raise DimensionMismatchError(desc, self.dim, other.dim)
    if isinstance(other, _SCALAR_TYPES):
        if other == 0 or math.isinf(other) or self.dim.is_dimensionless():
            return float(other)
        raise DimensionMismatchError(desc, self.dim, DIMENSIONLESS)
    return None


def _same_dim_scalar(self, other, desc: str, zero_ok: bool = True):
    """Dimension check for + - %: a plain scalar counts as dimensionless,
    except that a plain 0 fits any dimension for + and - (so that
    ``sum([1*mV, 2*mV])`` works, as it does for arrays). Returns other's
    float, or None if other is no scalar."""
    if isinstance(other, Quantity):
        if self.dim is other.dim or self.dim == other.dim:
            return float(other)
        raise DimensionMismatchError(desc, self.dim, other.dim)
    if isinstance(other, _SCALAR_TYPES):
        if self.dim.is_dimensionless() or (zero_ok and other == 0):
            return float(other)
        raise DimensionMismatchError(desc, self.dim, DIMENSIONLESS)
    return None


_ARRAY_LIKE = (np.ndarray, list, tuple)


class Quantity(np.float64):
    """A float64 value in SI units with a ``dim`` attribute (a Dimension).

    ``Quantity(3)`` is dimensionless; ``Quantity(0.003, dim)`` or
    ``Quantity.with_dimensions(0.003, m=2, kg=1, s=-3, A=-1)`` carry units.
    ``3*mvolt`` is the usual way to make one.
    """

    __slots__ = ("dim",)

    def __new__(cls, value=0.0, dim=None):
        q = _f64new(cls, value)
        if dim is None:
            dim = get_dimensions(value)
        elif not isinstance(dim, Dimension):
            dim = Dimension(dim)
        q.dim = dim
        return q

    @staticmethod
    def with_dimensions(value, *args, **keywords) -> "Quantity":
        if args and isinstance(args[0], Dimension):
            return _q(value, args[0])
        return _q(value, Dimension(*args, **keywords))

    # -- information ------------------------------------------------------
    def get_dimensions(self) -> Dimension:
        return self.dim

    def set_dimensions(self, dim: Dimension) -> None:
        self.dim = dim

    def is_dimensionless(self) -> bool:
        return self.dim.is_dimensionless()

    def has_same_dimensions(self, other) -> bool:
        return self.dim == get_dimensions(other)

    # -- display ----------------------------------------------------------
    def in_unit(self, u, python_code: bool = False) -> str:
        """``"<self/u> <u>"``: ``(2*volt).in_unit(mvolt) == '2000. mV'``."""
        if self.dim != get_dimensions(u):
            raise DimensionMismatchError(
                "Non-matching unit for method in_unit", self.dim,
                get_dimensions(u))
        return display_in_unit(self, u, python_code)

    def in_best_unit(self, python_code: bool = False, *regs) -> str:
        return self.in_unit(_best_unit(float(self), self.dim, regs),
                            python_code)

    def __str__(self) -> str:
        if self.dim.is_dimensionless():
            return _fmt_number(float(self))
        return self.in_best_unit()

    def __repr__(self) -> str:
        return self.in_best_unit(python_code=True)

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else format(float(self), spec)

    # -- arithmetic: with a Quantity or a plain scalar the result keeps
    # units (checked for + - %); with an array or sequence it is a plain
    # array and nothing is checked (Brian 1's casting rule 3).  A product
    # or quotient of a plain array and a quantity remembers the quantity's
    # units in a quiet tag that only write paths read (see SIArray).
    def __mul__(self, other):
        if isinstance(other, Quantity):
            return _q(float(self) * float(other), self.dim * other.dim)
        if isinstance(other, _SCALAR_TYPES):
            return _q(float(self) * float(other), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _tagged(np.multiply(float(self), other), other, self.dim)
        return NotImplemented

    def __rmul__(self, other):
        if isinstance(other, Quantity):
            return _q(float(other) * float(self), other.dim * self.dim)
        if isinstance(other, _SCALAR_TYPES):
            return _q(float(other) * float(self), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _tagged(np.multiply(other, float(self)), other, self.dim)
        return NotImplemented

    def __truediv__(self, other):
        if isinstance(other, Quantity):
            return _q(float(self) / float(other), self.dim / other.dim)
        if isinstance(other, _SCALAR_TYPES):
            return _q(float(self) / float(other), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _tagged(np.true_divide(float(self), other), other,
                           self.dim)
        return NotImplemented

    def __rtruediv__(self, other):
        if isinstance(other, Quantity):
            return _q(float(other) / float(self), other.dim / self.dim)
        if isinstance(other, _SCALAR_TYPES):
            return _q(float(other) / float(self), DIMENSIONLESS / self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _tagged(np.true_divide(other, float(self)), other,
                           DIMENSIONLESS / self.dim)
        return NotImplemented

    def __add__(self, other):
        v = _same_dim_scalar(self, other, "Addition")
        if v is not None:
            return _q(float(self) + v, self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _si_arrays(np.add(float(self), other))
        return NotImplemented

    def __radd__(self, other):
        v = _same_dim_scalar(self, other, "Addition")
        if v is not None:
            return _q(v + float(self), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _si_arrays(np.add(other, float(self)))
        return NotImplemented

    def __sub__(self, other):
        v = _same_dim_scalar(self, other, "Subtraction")
        if v is not None:
            return _q(float(self) - v, self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _si_arrays(np.subtract(float(self), other))
        return NotImplemented

    def __rsub__(self, other):
        v = _same_dim_scalar(self, other, "Subtraction(R)")
        if v is not None:
            return _q(v - float(self), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _si_arrays(np.subtract(other, float(self)))
        return NotImplemented

    def __mod__(self, other):
        v = _same_dim_scalar(self, other, "Modulo", False)
        if v is not None:
            return _q(float(self) % v, self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return _si_arrays(np.remainder(float(self), other))
        return NotImplemented

    def __rmod__(self, other):
        # Brian 1 left ``x % quantity`` to NumPy's float64 (it only
        # checked ``quantity % x``): a plain, unchecked result.
        if isinstance(other, _SCALAR_TYPES):
            return np.float64(float(other)) % np.float64(float(self))
        if isinstance(other, _ARRAY_LIKE):
            return _si_arrays(np.remainder(other, float(self)))
        return NotImplemented

    def __pow__(self, other):
        if isinstance(other, Quantity):
            if not other.dim.is_dimensionless():
                raise DimensionMismatchError("Power", self.dim, other.dim)
            p = float(other)
        elif isinstance(other, _SCALAR_TYPES):
            p = other
        elif isinstance(other, _ARRAY_LIKE):
            return _si_arrays(np.power(float(self), other))
        else:
            return NotImplemented
        # NumPy power: a negative base with a fractional exponent gives nan
        # (Python floats would give a complex number).
        return _q(np.float64(float(self)) ** p, self.dim ** p)

    def __rpow__(self, other):
        if not self.dim.is_dimensionless():
            raise DimensionMismatchError("Power(R)", self.dim)
        if isinstance(other, _SCALAR_TYPES):
            d = other.dim ** float(self) if isinstance(other, Quantity) \
                else DIMENSIONLESS
            return _q(np.float64(float(other)) ** float(self), d)
        if isinstance(other, _ARRAY_LIKE):
            return _si_arrays(np.power(other, float(self)))
        return NotImplemented

    def __neg__(self):
        return _q(-float(self), self.dim)

    def __pos__(self):
        return self

    def __abs__(self):
        return _q(abs(float(self)), self.dim)

    # -- comparisons --------------------------------------------------------
    def _compare(self, other, desc, op, ufunc):
        v = _scalar_cmp_value(self, other, desc)
        if v is not None:
            return op(float(self), v)
        if isinstance(other, _ARRAY_LIKE):
            return ufunc(float(self), other)
        return NotImplemented

    def __lt__(self, other):
        return self._compare(other, "LessThan", float.__lt__, np.less)

    def __le__(self, other):
        return self._compare(other, "LessThanOrEquals", float.__le__,
                             np.less_equal)

    def __gt__(self, other):
        return self._compare(other, "GreaterThan", float.__gt__, np.greater)

    def __ge__(self, other):
        return self._compare(other, "GreaterThanOrEquals", float.__ge__,
                             np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, "Equals", float.__eq__, np.equal)

    def __ne__(self, other):
        return self._compare(other, "NotEquals", float.__ne__, np.not_equal)

    __hash__ = np.float64.__hash__

    # -- unit-aware functions as methods (correct arccos/arctan) -----------
    def sqrt(self):
        return self ** 0.5

    def _dimensionless_func(self, name: str, func):
        if not self.dim.is_dimensionless():
            raise DimensionMismatchError(name, self.dim)
        return _q(func(np.float64(float(self))), DIMENSIONLESS)

    def log(self):
        return self._dimensionless_func("log", np.log)

    def exp(self):
        return self._dimensionless_func("exp", np.exp)

    def sin(self):
        return self._dimensionless_func("sin", np.sin)

    def cos(self):
        return self._dimensionless_func("cos", np.cos)

    def tan(self):
        return self._dimensionless_func("tan", np.tan)

    def arcsin(self):
        return self._dimensionless_func("arcsin", np.arcsin)

    def arccos(self):
        return self._dimensionless_func("arccos", np.arccos)

    def arctan(self):
        return self._dimensionless_func("arctan", np.arctan)

    asin, acos, atan = arcsin, arccos, arctan

    def sinh(self):
        return self._dimensionless_func("sinh", np.sinh)

    def cosh(self):
        return self._dimensionless_func("cosh", np.cosh)

    def tanh(self):
        return self._dimensionless_func("tanh", np.tanh)

    def arcsinh(self):
        return self._dimensionless_func("arcsinh", np.arcsinh)

    def arccosh(self):
        return self._dimensionless_func("arccosh", np.arccosh)

    def arctanh(self):
        return self._dimensionless_func("arctanh", np.arctanh)

    # -- NumPy and pickling -------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """NumPy sees a Quantity as its float value: ``np.sin(q)``,
        ``array * q`` give plain values in SI, as in Brian 1.  Two
        exceptions: a NumPy scalar times or over a quantity keeps its units
        (``np.int64(3)*ms`` is 3 ms), and an array result takes float
        indices holding integers (see SIArray)."""
        op = _SCALAR_OPERATORS.get(ufunc)
        if (op is not None and method == "__call__" and not kwargs
                and all(isinstance(x, _SCALAR_TYPES) for x in inputs)):
            a, b = (x.item() if isinstance(x, np.generic)
                    and not isinstance(x, Quantity) else x for x in inputs)
            return op(a, b)
        plain = [float(x) if isinstance(x, Quantity) else x for x in inputs]
        result = getattr(ufunc, method)(*plain, **kwargs)
        if op is not None and method == "__call__" and len(inputs) == 2:
            if "out" in kwargs:     # ``w *= mV``: w's tag no longer holds
                for out in kwargs["out"]:
                    if isinstance(out, SIArray):
                        out._unit_tag = None
            elif isinstance(inputs[1], Quantity):     # array * or / q
                q = inputs[1]
                dim = q.dim if ufunc is np.multiply else DIMENSIONLESS / q.dim
                return _tagged(result, inputs[0], dim)
            elif isinstance(inputs[0], Quantity):     # q * or / array
                return _tagged(result, inputs[1], inputs[0].dim)
        return _si_arrays(result)

    def __reduce__(self):
        return (quantity_with_dimensions, (float(self), self.dim._dims))


_SCALAR_OPERATORS = {np.multiply: operator.mul, np.true_divide: operator.truediv}


def _int_index(key):
    """Float indices and slice bounds holding integers as ints (``N/2`` is
    a float on Python 3); other floats raise IndexError."""
    if isinstance(key, (float, np.floating)):
        if not math.isfinite(key) or key != int(key):
            raise IndexError(f"non-integral index {key!r}")
        return int(key)
    if isinstance(key, slice):
        return slice(*(None if v is None else _int_index(v)
                       for v in (key.start, key.stop, key.step)))
    if isinstance(key, tuple):
        return tuple(_int_index(k) for k in key)
    return key


class SIArray(np.ndarray):
    """The plain float array a quantity combined with an array gives
    (``zeros(N)*Hz``): values in SI, no units, as in Brian 1.  It also
    takes float indices and slice bounds holding integers, as Brian 1's
    Python 2 scripts write them (``rates[N/2 - 10:N/2 + 10]``).

    An array made directly as a plain array times or over a quantity
    (``ones(10)*second``, ``5*nS*rand(3)``) remembers that quantity's units
    in ``_unit_tag``, which only write paths read (``connect(W=...)``, a
    TimedArray set on a variable, ...; see ``array_unit_tag``).  It is a
    quiet tag: arithmetic, printing and NumPy functions ignore it, and
    every array derived from a tagged one (views, slices, results, copies,
    pickles) carries none, since its units are no longer known.  The tag
    is an instance attribute, so a derived array, which is a new object
    with no instance dictionary, reads the class default None: dropping
    it costs nothing per operation.
    """

    _unit_tag = None        # Dimension, or None when the units are unknown

    def __getitem__(self, key):
        try:
            return np.ndarray.__getitem__(self, key)
        except (IndexError, TypeError):
            return np.ndarray.__getitem__(self, _int_index(key))

    def __setitem__(self, key, value):
        try:
            np.ndarray.__setitem__(self, key, value)
        except (IndexError, TypeError):
            np.ndarray.__setitem__(self, _int_index(key), value)

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))


def _plain_numbers(x) -> bool:
    """True for an operand whose values are known to carry no units: an
    exact ndarray of numbers (not an SIArray, state view or monitor array,
    whose values may be SI values of some unit), or a flat list or tuple
    of Python numbers."""
    if type(x) is np.ndarray:
        return x.dtype.kind in "biuf"
    if isinstance(x, (list, tuple)):
        return all(type(v) in (int, float) for v in x)
    return False


def _tagged(result, operand, dim: Dimension):
    """``result`` (of a plain operand times or over a quantity) as an
    SIArray tagged with ``dim`` when the operand carried no units, so the
    result's units are exactly ``dim``."""
    result = _si_arrays(result)
    if (isinstance(result, SIArray) and not dim.is_dimensionless()
            and _plain_numbers(operand)):
        result._unit_tag = dim
    return result


def array_unit_tag(value):
    """The Dimension an array made directly from a quantity remembers
    (``ones(3)*mV`` -> volt), or None for anything else (plain and derived
    arrays, scalars, quantities)."""
    return value.__dict__.get("_unit_tag") if type(value) is SIArray \
        else None


def known_dimensions(value):
    """The units a value written somewhere is known to be in: a Quantity's
    (or any object's with a ``dim``), a tagged array's (see SIArray), or
    None for plain numbers and arrays, which carry none."""
    if isinstance(value, Quantity) or hasattr(value, "dim"):
        return get_dimensions(value)
    return array_unit_tag(value)


def _si_arrays(result):
    """View plain ndarray results (one or a tuple) as SIArray."""
    if type(result) is np.ndarray and result.ndim > 0:
        return result.view(SIArray)
    if isinstance(result, tuple):
        return tuple(_si_arrays(r) for r in result)
    return result


# ---------------------------------------------------------------------------
# Unit: a named Quantity
# ---------------------------------------------------------------------------

# Off while brianc.units builds the standard units, then on: every Unit
# made later (newton * metre...) joins the display registry, as in Brian 1.
_auto_register = False


class Unit(Quantity):
    """A named Quantity such as ``mvolt`` (name) shown as ``mV`` (dispname).

    ``Unit*Unit``, ``Unit/Unit`` and ``Unit**p`` give new Units, which are
    registered for display; ``3*mvolt`` gives a plain Quantity.
    """

    __slots__ = ("name", "dispname", "iscompound")

    def __new__(cls, value=1.0, dim=None, name: str = "", dispname: str = "",
                iscompound: bool = False):
        u = _f64new(cls, value)
        if dim is None:
            dim = get_dimensions(value)
        elif not isinstance(dim, Dimension):
            dim = Dimension(dim)
        u.dim = dim
        u.name = name
        u.dispname = dispname
        u.iscompound = iscompound
        if _auto_register:
            register_new_unit(u)
        return u

    @staticmethod
    def create(dim: Dimension, name: str = "", dispname: str = "",
               scalefactor: str = "") -> "Unit":
        """A new named unit of ``dim``, scaled by an SI prefix."""
        return Unit(_PREFIX_VALUE[scalefactor], dim, scalefactor + name,
                    scalefactor + dispname)

    @staticmethod
    def create_scaled_unit(baseunit: "Unit", scalefactor: str) -> "Unit":
        """``create_scaled_unit(volt, 'm')`` is ``mvolt``."""
        return Unit(float(baseunit) * _PREFIX_VALUE[scalefactor],
                    baseunit.dim, scalefactor + baseunit.name,
                    scalefactor + baseunit.dispname)

    def set_name(self, name: str) -> None:
        self.name = name

    def set_display_name(self, name: str) -> None:
        self.dispname = name

    def __str__(self) -> str:
        if self.dispname:
            return self.dispname
        s = _fmt_number(float(self))
        return s if self.dim.is_dimensionless() else s + " " + str(self.dim)

    def __repr__(self) -> str:
        if self.name:
            return self.name
        if self.dim.is_dimensionless():
            return f"Unit({_fmt_number(float(self))})"
        return _fmt_number(float(self)) + " * " + repr(self.dim)

    def _paren(self, attr: str) -> str:
        s = getattr(self, attr)
        return "(" + s + ")" if self.iscompound else s

    def __mul__(self, other):
        if isinstance(other, Unit):
            return Unit(float(self) * float(other), self.dim * other.dim,
                        self.name + " * " + other.name,
                        self.dispname + " " + other.dispname, True)
        return Quantity.__mul__(self, other)

    def __truediv__(self, other):
        if isinstance(other, Unit):
            return Unit(float(self) / float(other), self.dim / other.dim,
                        self._paren("name") + " / " + other._paren("name"),
                        self._paren("dispname") + "/"
                        + other._paren("dispname"), True)
        return Quantity.__truediv__(self, other)

    def __pow__(self, other):
        if isinstance(other, _SCALAR_TYPES) and not (
                isinstance(other, Quantity)
                and not other.dim.is_dimensionless()):
            p = float(other) if isinstance(other, Quantity) else other
            return Unit(np.float64(float(self)) ** p, self.dim ** p,
                        self._paren("name") + " ** " + repr(p),
                        self._paren("dispname") + "^" + str(p),
                        self.iscompound)
        return Quantity.__pow__(self, other)

    def __reduce__(self):
        return (_rebuild_unit, (float(self), self.dim._dims, self.name,
                                self.dispname, self.iscompound))


def _rebuild_unit(value, dims, name, dispname, iscompound):
    """Unpickle a Unit, returning the module's own object for a standard
    unit name."""
    std = _UNITS_BY_NAME.get(name)
    if std is not None and float(std) == value:
        return std
    global _auto_register
    saved, _auto_register = _auto_register, False
    try:
        return Unit(value, Dimension(dims), name, dispname, iscompound)
    finally:
        _auto_register = saved


# ---------------------------------------------------------------------------
# Unit registries and best-unit display
# ---------------------------------------------------------------------------

_standard_units: list = []      # base, prefixed, powered (display order)
_user_units: dict = {}          # name -> Unit, in registration order
_additional_units: list = []    # a few compound units, searched last
_std_by_dim: dict = {}          # Dimension -> standard units, built lazily
_UNITS_BY_NAME: dict = {}       # every standard unit name -> Unit


def register_new_unit(u: Unit) -> None:
    """Add ``u`` to the user registry used to choose display units."""
    key = u.name or repr((float(u), u.dim._dims))
    _user_units.setdefault(key, u)


def _candidates(dim: Dimension, regs=()):
    """Registered units with dimension ``dim``, in Brian 1's search order."""
    if regs:
        return [u for r in regs for u in r if u.dim == dim]
    if not _std_by_dim:
        for u in _standard_units:
            _std_by_dim.setdefault(u.dim, []).append(u)
    found = list(_std_by_dim.get(dim, ()))
    found += [u for u in _user_units.values() if u.dim == dim]
    found += [u for u in _additional_units if u.dim == dim]
    return found


def _best_unit(value: float, dim: Dimension, regs=()):
    """The first candidate u with 0.1 <= |value/u| < 100, else the first
    candidate, else a bare Quantity(1) of ``dim``."""
    if dim.is_dimensionless():
        return _q(1.0, DIMENSIONLESS)
    cands = _candidates(dim, regs)
    if not cands:
        return _q(1.0, dim)
    a = abs(value)
    for u in cands:
        if 0.1 <= a / float(u) < 100:
            return u
    return cands[0]


def get_unit(x, *regs):
    """The first registered unit of value 1 with ``x``'s dimensions
    (``get_unit(3*mV) is volt``), else ``Quantity(1)`` of those dimensions."""
    dim = get_dimensions(x)
    for u in _candidates(dim, regs):
        if abs(float(u) - 1.0) < 1e-12:
            return u
    return _q(1.0, dim)


def get_unit_fast(x) -> Quantity:
    """``Quantity(1)`` with ``x``'s dimensions."""
    return _q(1.0, get_dimensions(x))


def scalar_representation(x) -> str:
    """Python source text that rebuilds ``x``."""
    if isinstance(x, Unit) and x.name:
        return x.name
    u = get_unit(x)
    if isinstance(u, Unit):
        return "(" + repr(float(x)) + "*" + u.name + ")"
    if isinstance(x, Quantity):
        return ("(Quantity.with_dimensions(" + repr(float(x)) + ","
                + repr(x.dim._dims) + "))")
    return repr(x)


def check_units(**au):
    """Decorator checking the dimensions of named arguments (by position or
    keyword) and of ``result``. Arguments that are ``str``, ``None`` or
    plain ndarrays are skipped; a bad argument raises
    DimensionMismatchError, a bad result AssertionError."""
    def decorate(f):
        code = f.__code__
        arg_names = code.co_varnames[:code.co_argcount]

        @functools.wraps(f)
        def checked(*args, **kwds):
            values = dict(kwds)
            values.update(zip(arg_names, args))
            for k, v in values.items():
                if (k in au and not isinstance(v, str) and v is not None
                        and not isinstance(v, np.ndarray)):
                    if not have_same_dimensions(v, au[k]):
                        raise DimensionMismatchError(
                            f"Function {f.__name__} variable {k} should have"
                            f" dimensions of {au[k]}", get_dimensions(v))
            result = f(*args, **kwds)
            if "result" in au:
                assert have_same_dimensions(result, au["result"]), (
                    f"Function {f.__name__} should return a value with unit "
                    f"{au['result']} but has returned "
                    f"{get_dimensions(result)}")
            return result
        return checked
    return decorate
