"""Physical units: dimensions, Quantity (a float64 with units), Unit, and
QuantityArray (a float array carrying one dimension), plus every unit name
Brian 1 defined (32 base names x 21 prefixes x 3 powers = 2016 names).

Values are always held in SI base units: ``float(mvolt) == 0.001``.
"""
from __future__ import annotations

import functools
import math

import numpy as np

__all__ = [
    "Dimension", "Scale", "DimensionMismatchError", "Quantity", "Unit",
    "QuantityArray", "get_dimensions", "is_dimensionless",
    "have_same_dimensions", "display_in_unit", "register_new_unit",
    "check_units", "is_scalar_type", "get_unit", "get_unit_fast",
    "scalar_representation", "quantity_with_dimensions",
]  # the 2016 unit names are appended at the end of this module

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
    """The Dimension of a Quantity or QuantityArray; plain numbers and
    arrays (and anything else without a ``dim``) are dimensionless."""
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

    # -- arithmetic: Quantity or plain scalar; arrays go to the ufuncs ----
    def __mul__(self, other):
        if isinstance(other, Quantity):
            return _q(float(self) * float(other), self.dim * other.dim)
        if isinstance(other, _SCALAR_TYPES):
            return _q(float(self) * float(other), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.multiply(self, other)
        return NotImplemented

    def __rmul__(self, other):
        if isinstance(other, Quantity):
            return _q(float(other) * float(self), other.dim * self.dim)
        if isinstance(other, _SCALAR_TYPES):
            return _q(float(other) * float(self), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.multiply(other, self)
        return NotImplemented

    def __truediv__(self, other):
        if isinstance(other, Quantity):
            return _q(float(self) / float(other), self.dim / other.dim)
        if isinstance(other, _SCALAR_TYPES):
            return _q(float(self) / float(other), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.true_divide(self, other)
        return NotImplemented

    def __rtruediv__(self, other):
        if isinstance(other, Quantity):
            return _q(float(other) / float(self), other.dim / self.dim)
        if isinstance(other, _SCALAR_TYPES):
            return _q(float(other) / float(self), DIMENSIONLESS / self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.true_divide(other, self)
        return NotImplemented

    def __add__(self, other):
        v = _same_dim_scalar(self, other, "Addition")
        if v is not None:
            return _q(float(self) + v, self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.add(self, other)
        return NotImplemented

    def __radd__(self, other):
        v = _same_dim_scalar(self, other, "Addition")
        if v is not None:
            return _q(v + float(self), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.add(other, self)
        return NotImplemented

    def __sub__(self, other):
        v = _same_dim_scalar(self, other, "Subtraction")
        if v is not None:
            return _q(float(self) - v, self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.subtract(self, other)
        return NotImplemented

    def __rsub__(self, other):
        v = _same_dim_scalar(self, other, "Subtraction(R)")
        if v is not None:
            return _q(v - float(self), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.subtract(other, self)
        return NotImplemented

    def __mod__(self, other):
        v = _same_dim_scalar(self, other, "Modulo", False)
        if v is not None:
            return _q(float(self) % v, self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.remainder(self, other)
        return NotImplemented

    def __rmod__(self, other):
        v = _same_dim_scalar(self, other, "Modulo(R)", False)
        if v is not None:
            return _q(v % float(self), self.dim)
        if isinstance(other, _ARRAY_LIKE):
            return np.remainder(other, self)
        return NotImplemented

    def __pow__(self, other):
        if isinstance(other, Quantity):
            if not other.dim.is_dimensionless():
                raise DimensionMismatchError("Power", self.dim, other.dim)
            p = float(other)
        elif isinstance(other, _SCALAR_TYPES):
            p = other
        elif isinstance(other, _ARRAY_LIKE):
            return np.power(self, other)
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
            return np.power(other, self)
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
            return ufunc(self, other)
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

    # -- NumPy interplay and pickling --------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _array_function(func, args, kwargs)

    def __reduce__(self):
        return (quantity_with_dimensions, (float(self), self.dim._dims))


# ---------------------------------------------------------------------------
# Unit: a named Quantity
# ---------------------------------------------------------------------------

_auto_register = False   # switched on at the end of this module (Brian 1)


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


def in_units(x, unit, what: str = "value"):
    """Check that ``x`` has ``unit``'s dimensions and return its SI value as
    a float or float ndarray. Plain arrays pass unchecked (Brian 1 arrays
    carry no units); a plain nonzero scalar fails against a dimensioned
    unit. Not in ``__all__``: an internal helper for brianc's objects."""
    ud = get_dimensions(unit)
    if isinstance(x, (Quantity, QuantityArray)):
        ok = x.dim == ud
    elif isinstance(x, np.ndarray):
        ok = True
    elif isinstance(x, _SCALAR_TYPES):
        ok = ud.is_dimensionless() or x == 0 or math.isinf(x)
    else:
        x = np.asarray(x, dtype=float)
        ok = True
    if not ok:
        raise DimensionMismatchError(
            f"{what} should have units of {unit}, got {x!s}",
            get_dimensions(x), ud)
    if isinstance(x, np.ndarray):
        return np.asarray(x, dtype=float)
    return float(x)


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
                        and (not isinstance(v, np.ndarray)
                             or isinstance(v, QuantityArray))):
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


# ---------------------------------------------------------------------------
# NumPy: ufuncs on Quantities and QuantityArrays
# ---------------------------------------------------------------------------
# Rules return the result Dimension, or None for "plain result, drop units".

def _is_zero_or_inf(x, allow_inf: bool) -> bool:
    """True when the plain operand x is all zeros (or +-inf for
    comparisons): such values match any dimension."""
    try:
        a = np.asarray(x)
        if a.dtype.kind not in "biuf":
            return False
        return bool(np.all((a == 0) | np.isinf(a))) if allow_inf \
            else bool(np.all(a == 0))
    except (TypeError, ValueError):
        return False


def _common_dim(desc, dims, raws, allow_inf=False):
    """All operands with a dimension must agree; plain operands count as
    dimensionless unless they are 0 (or +-inf for comparisons)."""
    found = None
    seen = []
    for d, r in zip(dims, raws):
        if d is None:
            if _is_zero_or_inf(r, allow_inf):
                continue
            d = DIMENSIONLESS
        seen.append(d)
        if found is None:
            found = d
        elif d != found:
            raise DimensionMismatchError(desc, *seen)
    return DIMENSIONLESS if found is None else found


def _d(d):
    return DIMENSIONLESS if d is None else d


def _rule_same(ufunc, method, dims, raws):
    if method in ("reduce", "accumulate", "reduceat"):
        return _d(dims[0])
    return _common_dim(_UFUNC_DESC.get(ufunc.__name__, ufunc.__name__),
                       dims[:2], raws[:2])


def _rule_compare(ufunc, method, dims, raws):
    if method == "__call__" or method == "outer":
        _common_dim(_UFUNC_DESC.get(ufunc.__name__, ufunc.__name__),
                    dims[:2], raws[:2], allow_inf=True)
    return None


def _rule_same_then_plain(ufunc, method, dims, raws):
    if method == "__call__" or method == "outer":
        _common_dim(ufunc.__name__, dims[:2], raws[:2])
    return None


def _rule_multiply(ufunc, method, dims, raws):
    if method in ("__call__", "outer"):
        return _d(dims[0]) * _d(dims[1])
    return _d(dims[0]) if _d(dims[0]).is_dimensionless() else None


def _rule_divide(ufunc, method, dims, raws):
    if method == "__call__" and dims[0] is None and \
            not isinstance(raws[0], _SCALAR_TYPES) and \
            dims[1] is not None and isinstance(raws[1], float):
        # plain array / scalar Quantity is Brian 1's "value in unit" idiom
        # (``M.times/ms``, monitors give plain SI arrays): keep it plain.
        return None
    if method in ("__call__", "outer"):
        return _d(dims[0]) / _d(dims[1])
    return _d(dims[0]) if _d(dims[0]).is_dimensionless() else None


def _rule_power(ufunc, method, dims, raws):
    if method != "__call__":
        return None
    base, expo = _d(dims[0]), _d(dims[1])
    if not expo.is_dimensionless():
        raise DimensionMismatchError("Power", base, expo)
    if base.is_dimensionless():
        return DIMENSIONLESS
    p = np.asarray(raws[1], dtype=float)
    first = p.flat[0] if p.size else 1.0
    if p.size > 1 and not np.all(p == first):
        raise DimensionMismatchError(
            "Power of a dimensioned array needs one exponent", base)
    return base ** first


def _rule_keep(ufunc, method, dims, raws):
    return _d(dims[0]) if method == "__call__" else None


def _power_rule(p):
    def rule(ufunc, method, dims, raws):
        return _d(dims[0]) ** p if method == "__call__" else None
    return rule


_UFUNC_DESC = {"add": "Addition", "subtract": "Subtraction",
               "less": "LessThan", "less_equal": "LessThanOrEquals",
               "greater": "GreaterThan",
               "greater_equal": "GreaterThanOrEquals", "equal": "Equals",
               "not_equal": "NotEquals", "remainder": "Modulo",
               "fmod": "Modulo"}

_UFUNC_RULES = {}
for _names, _rule in (
        (("add", "subtract", "maximum", "minimum", "fmax", "fmin",
          "remainder", "fmod", "hypot"), _rule_same),
        (("less", "less_equal", "greater", "greater_equal", "equal",
          "not_equal"), _rule_compare),
        (("arctan2",), _rule_same_then_plain),
        (("multiply", "matmul"), _rule_multiply),
        (("divide", "true_divide", "floor_divide"), _rule_divide),
        (("power", "float_power"), _rule_power),
        (("negative", "positive", "absolute", "fabs", "rint", "floor",
          "ceil", "trunc", "conjugate"), _rule_keep),
        (("sqrt",), _power_rule(0.5)), (("square",), _power_rule(2)),
        (("reciprocal",), _power_rule(-1)), (("cbrt",), _power_rule(1 / 3))):
    for _n in _names:
        if hasattr(np, _n):
            _UFUNC_RULES[getattr(np, _n)] = _rule


_UNCHECKED_WITH_PLAIN_ARRAYS = (_rule_same, _rule_compare,
                                _rule_same_then_plain)


def _wrap(result, dim):
    """Attach ``dim`` to a ufunc result: Quantity for a float scalar,
    QuantityArray for an array (plain ndarray when dimensionless)."""
    if dim is None:
        return result
    if isinstance(result, np.ndarray):
        if dim.is_dimensionless() or result.dtype.kind != "f":
            return result
        if result.ndim == 0:
            return _q(result[()], dim)
        r = result.view(QuantityArray)
        r.dim = dim
        return r
    if isinstance(result, (float, np.floating)):
        return _q(result, dim)
    return result


def _strip(x):
    """Plain value of a Quantity/QuantityArray (same memory for arrays)."""
    if isinstance(x, QuantityArray):
        return x.view(np.ndarray)
    if isinstance(x, Quantity):
        return float(x)
    return x


def _array_ufunc(ufunc, method, inputs, kwargs):
    dims = []
    raws = []
    for x in inputs:
        if isinstance(x, (Quantity, QuantityArray)):
            dims.append(x.dim)
            raws.append(_strip(x))
        else:
            if (not isinstance(x, (np.ndarray, np.generic))
                    and getattr(type(x), "__array_ufunc__", None)
                    is not None):
                return NotImplemented       # some other array library
            dims.append(None)
            raws.append(x)
    out = kwargs.get("out")
    if out is not None:
        kwargs["out"] = tuple(_strip(o) for o in out)
    rule = _UFUNC_RULES.get(ufunc)
    if rule in _UNCHECKED_WITH_PLAIN_ARRAYS and any(
            d is None and isinstance(r, np.ndarray) and r.ndim > 0
            for d, r in zip(dims, raws)):
        # Brian 1: arrays carry no units (spec 2.2, MUST).  A plain array
        # (a state variable, a monitor's values) may hold any unit, so
        # ``P.v > -50*mV`` or ``M[0] - El`` are neither checked nor
        # refused, and give plain arrays.
        rule = None
    dim = rule(ufunc, method, dims, raws) if rule is not None else None
    result = getattr(ufunc, method)(*raws, **kwargs)
    if out is not None:
        for o in out:
            if isinstance(o, QuantityArray):
                o.dim = DIMENSIONLESS if dim is None else dim
        return out[0] if len(out) == 1 else out
    if method == "at":
        return None
    if isinstance(result, tuple):
        return tuple(_wrap(r, dim) for r in result)
    return _wrap(result, dim)


# ---------------------------------------------------------------------------
# QuantityArray: a float array with one dimension
# ---------------------------------------------------------------------------

def _int_index(key):
    """Turn float indices and slice bounds holding integers into ints
    (``N/2`` is a float on Python 3); other floats raise IndexError."""
    if isinstance(key, (float, np.floating)):
        if not math.isfinite(key) or key != int(key):
            raise IndexError(f"non-integral index {key!r}")
        return int(key)
    if isinstance(key, slice):
        b = (key.start, key.stop, key.step)
        c = tuple(None if v is None else _int_index(v) for v in b)
        return key if c == b and all(type(v) is type(w)
                                     for v, w in zip(b, c)) \
            else slice(*c)
    if isinstance(key, tuple):
        return tuple(_int_index(k) for k in key)
    if isinstance(key, np.ndarray) and key.dtype.kind == "f":
        if not np.all(np.isfinite(key) & (key == np.round(key))):
            raise IndexError("non-integral index array")
        return key.astype(np.intp)
    return key


class QuantityArray(np.ndarray):
    """A float ndarray of SI values carrying one Dimension in ``dim``.

    Made by ``array * Quantity`` (``zeros(N)*Hz``). Otherwise it behaves as
    a plain float array; it also accepts integral float indices and slice
    bounds. Dimensionless results become plain ndarrays.
    """

    def __new__(cls, values, dim: Dimension = DIMENSIONLESS):
        a = np.asarray(values, dtype=float).view(cls)
        a.dim = Dimension(dim)
        return a

    def __array_finalize__(self, obj):
        self.dim = getattr(obj, "dim", DIMENSIONLESS)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _array_function(func, args, kwargs)

    # -- indexing --------------------------------------------------------
    def __getitem__(self, key):
        try:
            r = np.ndarray.__getitem__(self, key)
        except (IndexError, TypeError):
            fixed = _int_index(key)
            if fixed is key:
                raise
            r = np.ndarray.__getitem__(self, fixed)
        if isinstance(r, np.floating):
            return _q(r, self.dim)
        return r

    def __setitem__(self, key, value):
        vd = getattr(value, "dim", None)
        if (isinstance(vd, Dimension) and not vd.is_dimensionless()
                and vd != self.dim):
            raise DimensionMismatchError("Assignment", self.dim, vd)
        value = _strip(value)
        try:
            np.ndarray.__setitem__(self, key, value)
        except (IndexError, TypeError):
            fixed = _int_index(key)
            if fixed is key:
                raise
            np.ndarray.__setitem__(self, fixed, value)

    # -- reductions NumPy's own methods would strip -----------------------
    def _reduce(self, name, dim, *args, **kwargs):
        return _wrap(getattr(self.view(np.ndarray), name)(*args, **kwargs),
                     dim)

    def mean(self, *args, **kwargs):
        return self._reduce("mean", self.dim, *args, **kwargs)

    def std(self, *args, **kwargs):
        return self._reduce("std", self.dim, *args, **kwargs)

    def var(self, *args, **kwargs):
        return self._reduce("var", self.dim ** 2, *args, **kwargs)

    def dot(self, other, *args, **kwargs):
        return _wrap(np.dot(self.view(np.ndarray), _strip(other),
                            *args, **kwargs),
                     self.dim * get_dimensions(other))

    # -- display and pickling --------------------------------------------
    def _best(self):
        a = np.abs(self.view(np.ndarray))
        a = a[np.isfinite(a) & (a != 0)] if a.size else a
        rep = float(a.max()) if a.size else 0.0
        return _best_unit(rep, self.dim)

    def in_unit(self, u, python_code: bool = False) -> str:
        return display_in_unit(self, u, python_code)

    def in_best_unit(self, python_code: bool = False) -> str:
        return display_in_unit(self, self._best(), python_code)

    def __str__(self) -> str:
        return self.in_best_unit()

    def __repr__(self) -> str:
        return self.in_best_unit(python_code=True)

    def get_dimensions(self) -> Dimension:
        return self.dim

    def is_dimensionless(self) -> bool:
        return self.dim.is_dimensionless()

    def __reduce__(self):
        fn, args, state = np.ndarray.__reduce__(self)
        return fn, args, (state, self.dim._dims)

    def __setstate__(self, state):
        nd_state, dims = state
        np.ndarray.__setstate__(self, nd_state)
        self.dim = Dimension(dims)


def _array_function(func, args, kwargs):
    """NumPy functions on Quantities/QuantityArrays: run on plain values,
    then put the dimension back for the functions in _FUNCTION_RULES."""
    found = []
    plain_args = _strip_nested(args, found)
    plain_kwargs = {k: _strip_nested(v, found) for k, v in kwargs.items()}
    result = func(*plain_args, **plain_kwargs)
    rule = _FUNCTION_RULES.get(func)
    if rule is None or not found:
        return result
    if rule == "product":
        dim = _d(get_dimensions(args[0])) * _d(get_dimensions(args[1]))
    elif any(d != found[0] for d in found):
        return result                  # mixed units: drop them
    elif rule == "square":
        dim = found[0] ** 2
    else:
        dim = found[0]
    out = kwargs.get("out")
    if isinstance(out, QuantityArray):
        out.dim = dim
        return out
    return _wrap(result, dim)


def _strip_nested(x, found):
    """_strip through lists and tuples, recording the dimensions met."""
    if isinstance(x, (Quantity, QuantityArray)):
        found.append(x.dim)
        return _strip(x)
    if isinstance(x, (list, tuple)):
        return type(x)(_strip_nested(v, found) for v in x)
    return x


# NumPy functions whose result keeps the (common) dimension of their
# arguments; every other function returns plain arrays.
_FUNCTION_RULES = {}
for _n in ("sum", "nansum", "mean", "nanmean", "median", "nanmedian", "amin",
           "amax", "min", "max", "nanmin", "nanmax", "ptp", "std", "nanstd",
           "cumsum", "nancumsum", "diff", "percentile", "nanpercentile",
           "quantile", "nanquantile", "average", "sort", "copy", "reshape",
           "ravel", "transpose", "squeeze", "concatenate", "stack", "hstack",
           "vstack", "append", "repeat", "tile", "take", "atleast_1d",
           "atleast_2d", "roll", "flip", "where", "clip", "round", "around",
           "unique", "full_like", "zeros_like", "ones_like", "empty_like",
           "abs", "absolute", "fabs"):
    if hasattr(np, _n):
        _FUNCTION_RULES[getattr(np, _n)] = "keep"
for _n in ("var", "nanvar"):
    _FUNCTION_RULES[getattr(np, _n)] = "square"
for _n in ("dot", "inner", "outer"):
    _FUNCTION_RULES[getattr(np, _n)] = "product"


# ---------------------------------------------------------------------------
# The unit names
# ---------------------------------------------------------------------------

_PREFIXES = ("y", "z", "a", "f", "p", "n", "u", "m", "c", "d", "da", "h", "k",
             "M", "G", "T", "P", "E", "Z", "Y")
_PREFIX_EXP = (-24, -21, -18, -15, -12, -9, -6, -3, -2, -1, 1, 2, 3, 6, 9,
               12, 15, 18, 21, 24)
_PREFIX_VALUE = {"": 1.0}
_PREFIX_VALUE.update((p, float(10.0 ** e))
                     for p, e in zip(_PREFIXES, _PREFIX_EXP))
# Prefixes Brian 1 does not use when choosing a display unit.
_NO_DISPLAY_PREFIXES = frozenset(("c", "d", "da", "h"))

# name, display name, value in SI, exponents (m, kg, s, A, K, mol, cd);
# Brian 1's order, which decides which unit wins in display (gram first).
_BASE_UNITS = (
    ("metre", "m", 1.0, (1, 0, 0, 0, 0, 0, 0)),
    ("meter", "m", 1.0, (1, 0, 0, 0, 0, 0, 0)),
    ("gram", "g", 1e-3, (0, 1, 0, 0, 0, 0, 0)),
    ("second", "s", 1.0, (0, 0, 1, 0, 0, 0, 0)),
    ("amp", "A", 1.0, (0, 0, 0, 1, 0, 0, 0)),
    ("kelvin", "K", 1.0, (0, 0, 0, 0, 1, 0, 0)),
    ("mole", "mol", 1.0, (0, 0, 0, 0, 0, 1, 0)),
    ("candle", "cd", 1.0, (0, 0, 0, 0, 0, 0, 1)),
    ("gramme", "g", 1e-3, (0, 1, 0, 0, 0, 0, 0)),
    ("kilogram", "kg", 1.0, (0, 1, 0, 0, 0, 0, 0)),
    ("radian", "rad", 1.0, (0, 0, 0, 0, 0, 0, 0)),
    ("steradian", "sr", 1.0, (0, 0, 0, 0, 0, 0, 0)),
    ("hertz", "Hz", 1.0, (0, 0, -1, 0, 0, 0, 0)),
    ("newton", "N", 1.0, (1, 1, -2, 0, 0, 0, 0)),
    ("pascal", "Pa", 1.0, (-1, 1, -2, 0, 0, 0, 0)),
    ("joule", "J", 1.0, (2, 1, -2, 0, 0, 0, 0)),
    ("watt", "W", 1.0, (2, 1, -3, 0, 0, 0, 0)),
    ("coulomb", "C", 1.0, (0, 0, 1, 1, 0, 0, 0)),
    ("volt", "V", 1.0, (2, 1, -3, -1, 0, 0, 0)),
    ("farad", "F", 1.0, (-2, -1, 4, 2, 0, 0, 0)),
    ("ohm", "ohm", 1.0, (2, 1, -3, -2, 0, 0, 0)),
    ("siemens", "S", 1.0, (-2, -1, 3, 2, 0, 0, 0)),
    ("weber", "Wb", 1.0, (2, 1, -2, -1, 0, 0, 0)),
    ("tesla", "T", 1.0, (0, 1, -2, -1, 0, 0, 0)),
    ("henry", "H", 1.0, (2, 1, -2, -2, 0, 0, 0)),
    ("celsius", "degC", 1.0, (0, 0, 0, 0, 1, 0, 0)),
    ("lumen", "lm", 1.0, (0, 0, 0, 0, 0, 0, 1)),
    ("lux", "lx", 1.0, (-2, 0, 0, 0, 0, 0, 1)),
    ("becquerel", "Bq", 1.0, (0, 0, -1, 0, 0, 0, 0)),
    ("gray", "Gy", 1.0, (2, 0, -2, 0, 0, 0, 0)),
    ("sievert", "Sv", 1.0, (2, 0, -2, 0, 0, 0, 0)),
    ("katal", "kat", 1.0, (0, 0, -1, 0, 0, 1, 0)),
)


def _new_unit(value, dim, name, dispname):
    """Unregistered standard Unit (import-time fast path)."""
    u = _f64new(Unit, value)
    u.dim = dim
    u.name = name
    u.dispname = dispname
    u.iscompound = False
    return u


def _build_unit_names():
    """Create the 2016 standard units; return (names in order, registry)."""
    units = _UNITS_BY_NAME
    base, scaled, powered, powered_scaled = [], [], [], []
    for name, disp, value, exps in _BASE_UNITS:
        dim = _make_dim(tuple(float(e) for e in exps))
        dim2, dim3 = dim ** 2, dim ** 3
        for prefix in ("",) + _PREFIXES:
            v = value * _PREFIX_VALUE[prefix]
            pname, pdisp = prefix + name, prefix + disp
            u1 = _new_unit(v, dim, pname, pdisp)
            u2 = _new_unit(v ** 2, dim2, pname + "2", pdisp + "^2")
            u3 = _new_unit(v ** 3, dim3, pname + "3", pdisp + "^3")
            units[pname] = u1
            units[pname + "2"] = u2
            units[pname + "3"] = u3
            if not prefix:
                base.append(u1)
                powered += (u2, u3)
            elif prefix not in _NO_DISPLAY_PREFIXES:
                scaled.append(u1)
                powered_scaled += (u2, u3)
    _standard_units.extend(base + scaled + powered + powered_scaled)
    return units


globals().update(_build_unit_names())
UNIT_NAMES = tuple(_UNITS_BY_NAME)       # the 2016 names, for tests and docs
__all__ += UNIT_NAMES

# Compound units Brian 1 tries last when choosing a display unit.
_u = _UNITS_BY_NAME
_additional_units.extend((
    _u["pascal"] * _u["second"], _u["newton"] * _u["metre"],
    _u["watt"] / _u["metre"] ** 2, _u["joule"] / _u["kelvin"],
    _u["joule"] / (_u["kilogram"] * _u["kelvin"]),
    _u["joule"] / _u["kilogram"], _u["watt"] / (_u["metre"] * _u["kelvin"]),
    _u["joule"] / _u["metre"] ** 3, _u["volt"] / _u["metre"] ** 3,
    _u["coulomb"] / _u["metre"] ** 3, _u["coulomb"] / _u["metre"] ** 2,
    _u["farad"] / _u["metre"], _u["henry"] / _u["metre"],
    _u["joule"] / _u["mole"], _u["joule"] / (_u["mole"] * _u["kelvin"]),
    _u["coulomb"] / _u["kilogram"], _u["gray"] / _u["second"],
    _u["katal"] / _u["metre"] ** 3))
del _u

_auto_register = True

# The unit-aware functions live in _unitsafe (which needs the classes above);
# re-exported here so that ``brianc.units.exp`` and UNITSAFE_FUNCTIONS work.
from ._unitsafe import *  # noqa: E402,F401,F403
from ._unitsafe import __all__ as _unitsafe_all  # noqa: E402

__all__ += _unitsafe_all
