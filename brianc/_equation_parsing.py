"""Equation parsing: Brian 1 model strings parsed into named equations.

Parses differential equations, static equations, aliases and parameters
(spec section 3), captures the external names each one uses at construction,
and checks physical dimensions by walking expression ASTs with Dimension
arithmetic.
"""
from __future__ import annotations

import ast
import builtins
import importlib
import itertools
import keyword
import math
import numbers
import re
import sys
from typing import Any, Iterable

import numpy as np

from ._deep import allow_deep_expressions, check_length
from ._pickling import portable
from ._record import Record
from .magic import caller_namespace

__all__ = ["ParsedEquations", "EquationSyntaxError", "unique_id"]

# Numbers for the fresh names of variables renamed to None.
_fresh_names = itertools.count()


def unique_id() -> str:
    """A fresh variable name, unique in this process (for hidden
    variables, as Brian 1's unique_id)."""
    return f"_renamed_{next(_fresh_names)}"

RESERVED = ("t", "xi")
# Names Brian 1 took for the membrane potential.
VM_NAMES = ("v", "V", "vm", "Vm")
_NAME = r"[A-Za-z_]\w*"
_DIFF_RE = re.compile(rf"^\s*d\s*(?P<name>{_NAME})\s*/\s*dt\s*=\s*"
                      r"(?P<expr>[^:]*?)\s*:\s*(?P<unit>.*?)\s*$")
_STATIC_RE = re.compile(rf"^\s*(?P<name>{_NAME})\s*=\s*(?P<expr>[^:]*?)\s*:"
                        r"\s*(?P<unit>.*?)\s*$")
_ALIAS_RE = re.compile(rf"^\s*(?P<name>{_NAME})\s*=\s*(?P<target>{_NAME})\s*$")
_PARAM_RE = re.compile(rf"^\s*(?P<name>{_NAME})\s*:\s*(?P<unit>.*?)\s*$")
# Line endings that cannot end a statement (rule (c) of spec 3.2).
_CONTINUES = tuple("+-*/%([,=&|")


class EquationSyntaxError(SyntaxError, TypeError):
    """A model string line matches no equation form.  Also a TypeError,
    which is what Brian 1 raised ("Invalid equation string")."""


class _Eq(Record):
    """One equation as written."""
    _FIELDS = ("name", "kind", "expr", "unit", "source", "namespace", "tree")

    def __init__(self, name: str, kind: str, expr: str, unit: Any,
                 source: str, namespace: dict | None = None,
                 tree: ast.Expression | None = None,
                 tree_names: list | None = None) -> None:
        self.name = name
        self.kind = kind        # 'diff', 'static', 'alias' or 'param'
        self.expr = expr        # RHS text; alias: the target; param: '0'
        self.unit = unit        # evaluated unit (None for aliases)
        self.source = source    # the logical line, quoted in messages
        # external name -> value
        self.namespace = {} if namespace is None else namespace
        self.tree = tree
        # identifiers(tree), found once: Equations and Model both need them
        self.tree_names = tree_names

    def names(self) -> list[str]:
        """Names read by the right-hand side (do not modify the list)."""
        if self.tree_names is None:
            self.tree_names = identifiers(self.tree)
        return self.tree_names

    def same_definition(self, other: "_Eq") -> bool:
        return (self.kind == other.kind
                and ast.dump(self.tree) == ast.dump(other.tree))


# ---------------------------------------------------------------------------
# Names

_BASE_NAMES: dict | None = None


def brianc_names() -> dict:
    """Names every model sees after the caller's frame (spec 3.3 step 2):
    all unit names and unit-aware functions, then NumPy's exp, zeros, ones
    and the numpy module."""
    global _BASE_NAMES
    if _BASE_NAMES is None:
        names: dict = {}
        for modname in ("brianc.units", "brianc.stdunits",
                        "brianc.unitsafefunctions"):
            try:
                mod = importlib.import_module(modname)
            except ImportError:
                continue
            attrs = vars(mod)   # its attributes: no module __getattr__
            public = getattr(mod, "__all__", None) or [
                n for n in attrs if not n.startswith("_")]
            if attrs.keys() >= set(public):     # (the 2000 units at C speed)
                names.update(zip(public, map(attrs.__getitem__, public)))
            else:
                names.update({n: attrs[n] for n in public if n in attrs})
        names.update({"exp": np.exp, "zeros": np.zeros, "ones": np.ones,
                      "numpy": np})
        if "brianc.unitsafefunctions" not in sys.modules:
            return names    # not cached: the units module may come later
        _BASE_NAMES = names
    return _BASE_NAMES


def _units():
    return importlib.import_module("brianc.units")


def identifiers(tree: ast.AST) -> list[str]:
    """Names read by an expression, in order of first appearance in
    ast.walk's breadth-first order (without its generators, which cost
    more than the walk itself)."""
    seen: dict[str, None] = {}
    todo = [tree]
    for node in todo:               # grows while iterated: breadth first
        if type(node) is ast.Name:
            seen[node.id] = None
        for name in node._fields:
            child = getattr(node, name, None)
            if isinstance(child, ast.AST):
                todo.append(child)
            elif isinstance(child, list):
                todo += [c for c in child if isinstance(c, ast.AST)]
    return list(seen)


def _lookup(name: str, namespaces: Iterable[dict]):
    for ns in namespaces:
        if name in ns:
            return True, ns[name]
    return False, None


# ---------------------------------------------------------------------------
# Lines

def logical_lines(text: str) -> list[tuple[str, list[str]]]:
    """Join physical lines into statements (spec 3.2 rule (a)-(d)); returns
    (logical line, physical lines) pairs, comments stripped, blanks gone."""
    physical = [line.split("#", 1)[0].rstrip() for line in
                text.splitlines()]
    physical = [line for line in physical if line.strip()]
    result = []
    i = 0
    while i < len(physical):
        parts = [physical[i]]
        i += 1
        while i < len(physical):
            current = " ".join(parts).rstrip()
            depth = (current.count("(") + current.count("[")
                     - current.count(")") - current.count("]"))
            nxt = physical[i].lstrip()
            join = (current.endswith("\\") or depth > 0
                    or current.endswith(_CONTINUES)
                    or not (nxt[0].isalpha() or nxt[0] == "_"))
            if not join:
                break
            if parts[-1].rstrip().endswith("\\"):
                parts[-1] = parts[-1].rstrip()[:-1]
            parts.append(physical[i])
            i += 1
        logical = " ".join(p.strip() for p in parts)
        result.append((logical, parts))
    return result


def _syntax_error(physical: list[str], why: str = "") -> EquationSyntaxError:
    quoted = "\n".join("    " + p.strip() for p in physical)
    extra = f" ({why})" if why else ""
    return EquationSyntaxError(f"Invalid equation string{extra}:\n{quoted}")


def _parse_expr(text: str, physical: list[str], what: str) -> ast.Expression:
    check_length(text, f"the {what} of {physical[0].strip()[:40]!r}")
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise _syntax_error(physical, f"cannot parse {what} {text.strip()!r}"
                            ) from None


def parse_line(logical: str, physical: list[str]) -> _Eq:
    """One logical line -> an unresolved _Eq (namespace and unit empty)."""
    m = _DIFF_RE.match(logical)
    if m:
        kind, name, expr, unit = ("diff", m["name"], m["expr"], m["unit"])
    elif (m := _STATIC_RE.match(logical)):
        kind, name, expr, unit = ("static", m["name"], m["expr"], m["unit"])
    elif (m := _ALIAS_RE.match(logical)):
        kind, name, expr, unit = ("alias", m["name"], m["target"], None)
    elif (m := _PARAM_RE.match(logical)):
        kind, name, expr, unit = ("param", m["name"], "0", m["unit"])
    else:
        raise _syntax_error(physical)
    if name in RESERVED or name == "dt" or keyword.iskeyword(name):
        raise _syntax_error(physical, f"{name!r} is a reserved name")
    if unit is not None and not unit.strip():
        raise _syntax_error(physical, "missing unit after ':'")
    tree = _parse_expr(expr, physical, "expression")
    eq = _Eq(name, kind, expr.strip(), unit, " ".join(logical.split()),
             tree=tree)
    if unit is not None:
        eq.unit = _parse_expr(unit, physical, "unit")
    return eq


# ---------------------------------------------------------------------------
# Equations

class ParsedEquations:
    """A set of model equations, parsed, with the external names each
    uses captured at construction: the part of brianc.equations.Equations
    the Model builds on (that class documents the arguments)."""

    def __getstate__(self) -> dict:
        # Modules the expressions use (np in np.exp) are pickled by name.
        state = dict(self.__dict__)
        state["_eqs"] = {k: e.replaced(namespace=portable(e.namespace))
                         for k, e in self._eqs.items()}
        return state

    @allow_deep_expressions
    def __init__(self, expr: Any = "", level: int = 0, freeze: bool = False,
                 **kwds: Any) -> None:
        self._eqs: dict[str, _Eq] = {}
        self.freeze = bool(freeze)
        if isinstance(expr, ParsedEquations):
            self._merge(expr)
            return
        if isinstance(expr, (list, tuple)):
            for item in expr:
                other = (item if isinstance(item, ParsedEquations)
                         else type(self)(item, level=level, **kwds))
                self._merge(other)
            return
        if not isinstance(expr, str):
            raise TypeError(f"Equations expects a string, an Equations or a "
                            f"list of them, got {type(expr).__name__}")
        private: dict = {}
        for key, value in kwds.items():
            if isinstance(value, str) or value is None:
                new = value if value is not None else unique_id()
                expr = re.sub(rf"\b{key}\b", new, expr)
                expr = re.sub(rf"\bd{key}\b", "d" + new, expr)
            else:
                private[key] = value
        if kwds:
            namespaces = [private]      # spec 3.1 MUST: not the caller's
        else:
            frame_locals, frame_globals = caller_namespace(level)
            namespaces = [frame_locals, frame_globals]
        namespaces.append(brianc_names())
        for logical, physical in logical_lines(expr):
            eq = parse_line(logical, physical)
            self._capture(eq, namespaces)
            self._add(eq)

    # -- construction helpers ---------------------------------------------
    @staticmethod
    def _capture(eq: _Eq, namespaces: list[dict]) -> None:
        """Resolve the unit and capture the external names of ``eq``."""
        if eq.unit is not None:
            unit_ns = {}
            for name in identifiers(eq.unit):
                found, value = _lookup(name, namespaces)
                if not found:
                    raise NameError(f"name {name!r} in the unit of equation "
                                    f"'{eq.source}' is not defined")
                unit_ns[name] = value
            # As in Brian 1, the unit's names belong to the namespace too.
            eq.namespace.update(unit_ns)
            body = eq.unit.body
            try:
                if type(body) is ast.Name:      # volt, 1: what eval gives,
                    eq.unit = unit_ns[body.id]  # without compile()'s cost
                elif type(body) is ast.Constant:
                    eq.unit = body.value
                else:
                    eq.unit = eval(compile(eq.unit, "<unit>", "eval"),
                                   {"__builtins__": {}}, unit_ns)
            except Exception as exc:
                raise EquationSyntaxError(
                    f"Invalid unit in equation '{eq.source}': {exc}") from exc
            if isinstance(eq.unit, bool) or not isinstance(
                    eq.unit, (numbers.Real, np.number)) or \
                    not math.isfinite(float(eq.unit)) or float(eq.unit) == 0:
                raise EquationSyntaxError(
                    f"Invalid unit in equation '{eq.source}': "
                    f"{eq.unit!r} is not a unit")
        for name in eq.names():
            if name in RESERVED:
                continue
            found, value = _lookup(name, namespaces)
            if found:
                eq.namespace[name] = value

    def _add(self, eq: _Eq) -> None:
        old = self._eqs.get(eq.name)
        if old is None:
            self._eqs[eq.name] = eq
            return
        if not old.same_definition(eq):
            raise AttributeError(
                f"Equation {eq.name!r} is defined twice, differently: "
                f"'{old.source}' and '{eq.source}'")
        units = _units()
        if (old.unit is not None and not units.have_same_dimensions(
                old.unit, eq.unit)):
            raise units.DimensionMismatchError(
                "The two sets of equations do not have compatible units",
                units.get_dimensions(old.unit),
                units.get_dimensions(eq.unit))

    def _merge(self, other: "ParsedEquations") -> None:
        for eq in other._eqs.values():
            self._add(eq.replaced(namespace=dict(eq.namespace)))
        self.freeze = self.freeze or other.freeze

    # -- combination ------------------------------------------------------
    def __add__(self, other: Any) -> "ParsedEquations":
        if isinstance(other, str):
            other = type(self)(other)
        if not isinstance(other, ParsedEquations):
            return NotImplemented
        result = type(self)()
        result._merge(self)
        result._merge(other)
        return result

    def __radd__(self, other: Any) -> "ParsedEquations":
        if isinstance(other, str):
            return type(self)(other) + self
        return NotImplemented

    def __iadd__(self, other: Any) -> "ParsedEquations":
        if isinstance(other, str):
            other = type(self)(other)
        if not isinstance(other, ParsedEquations):
            return NotImplemented
        self._merge(other)
        return self

    # -- editing (Brian 1's add_eq and substitute; the model library) -----
    def add_eq(self, name: str, eq: str, unit: Any,
               global_namespace: dict | None = None,
               local_namespace: dict | None = None) -> None:
        """Add the static equation ``name = eq : unit``; ``unit`` is a unit
        or a unit's text, external names resolve in the given namespaces
        (locals first), then among brianc's units."""
        source = f"{name} = {eq.strip()} : {unit}"
        text_unit = isinstance(unit, str)
        new = _Eq(name, "static", eq.strip(),
                  _parse_expr(unit, [source], "unit") if text_unit else None,
                  source, tree=_parse_expr(eq, [source], "expression"))
        namespaces = [ns for ns in (local_namespace, global_namespace)
                      if ns is not None]
        self._capture(new, namespaces + [brianc_names()])
        if not text_unit:
            new.unit = unit
        self._add(new)

    def set_expression(self, name: str, expr: str) -> None:
        """Replace the right-hand side of equation ``name`` with ``expr``,
        which may only read model names and the equation's own namespace
        (the model library sums currents this way)."""
        eq = self._eqs[name]
        tree = _parse_expr(expr, [expr], "expression")
        unit = "" if eq.kind == "alias" else \
            " :" + eq.source.rpartition(":")[2]
        self._eqs[name] = eq.replaced(expr=expr.strip(), tree=tree,
                                      tree_names=None,
                                      source=f"{name} = {expr.strip()}{unit}")

    def substitute(self, name1: str, name2: str) -> None:
        """Rename the model variable ``name1`` to ``name2`` everywhere: its
        definition, every right-hand side and alias target."""
        if name1 in ("t", "xi"):
            return
        pattern = re.compile(rf"\b{re.escape(name1)}\b")
        renamed: dict[str, _Eq] = {}
        for key, eq in self._eqs.items():
            expr = pattern.sub(name2, eq.expr)
            new_key = name2 if key == name1 else key
            changed = expr != eq.expr or new_key != key
            if changed:
                eq = eq.replaced(
                    name=new_key, expr=expr,
                    tree=_parse_expr(expr, [eq.source], "expression"),
                    tree_names=None,
                    source=re.sub(rf"\bd{re.escape(name1)}\b", "d" + name2,
                                  pattern.sub(name2, eq.source)),
                    namespace=dict(eq.namespace))
                eq.namespace.pop(name2, None)
            renamed[new_key] = eq
        self._eqs = renamed

    # -- views (Brian 1 attribute names) ----------------------------------
    def _names(self, *kinds: str) -> list[str]:
        return [n for n, eq in self._eqs.items() if eq.kind in kinds]

    @property
    def _diffeq_names(self) -> list[str]:
        """Differential equations and parameters, in definition order."""
        return self._names("diff", "param")

    @property
    def _diffeq_names_nonzero(self) -> list[str]:
        return self._names("diff")

    @property
    def _eq_names(self) -> list[str]:
        """Static equations and aliases (Brian 1 counted an alias as a
        static equation), in definition order."""
        return self._names("static", "alias")

    @property
    def _alias(self) -> dict[str, str]:
        return {n: eq.expr for n, eq in self._eqs.items()
                if eq.kind == "alias"}

    @property
    def _string(self) -> dict[str, str]:
        """Right-hand sides; a parameter reads as Brian 1 wrote it, the
        differential equation ``0*unit/second``."""
        return {n: (f"0*{eq.source.rsplit(':', 1)[1].strip()}/second"
                    if eq.kind == "param" else eq.expr)
                for n, eq in self._eqs.items()}

    @property
    def _namespace(self) -> dict[str, dict]:
        return {n: eq.namespace for n, eq in self._eqs.items()}

    @property
    def _units(self) -> dict[str, Any]:
        """The unit of every name, time ``t`` included (as in Brian 1)."""
        result = {"t": _units().second}
        for n, eq in self._eqs.items():
            result[n] = eq.unit
        for n, eq in self._eqs.items():     # aliases take their target's
            if eq.kind == "alias" and eq.expr in result:
                result[n] = result[eq.expr]
        return result

    def __len__(self) -> int:
        return len(self._eqs)

    def __contains__(self, name: str) -> bool:
        return name in self._eqs

    def __str__(self) -> str:
        return "\n".join(eq.source for eq in self._eqs.values())

    def __repr__(self) -> str:
        return f"Equations('''\n{self}\n''')"


# ---------------------------------------------------------------------------
# Dimension checking on the AST

_PLAIN_BINOPS = (ast.Add, ast.Sub, ast.Mult)


def _divide(a, b) -> float:
    """a / b as NumPy float64 division gives it (inf or nan for b == 0)."""
    if type(a) is float and type(b) is float and b != 0.0:
        return a / b        # the same correctly rounded IEEE quotient
    return np.float64(a) / b


class DimensionChecker:
    """Dimensions of an expression, by walking its AST with Dimension
    arithmetic.  A dimension of None means "unknown": plain arrays carry no
    units (spec 2.2) and NumPy functions drop them, so neither is checked.

    ``lookup(name)`` returns ('dim', Dimension) for model names and
    ('value', object) for external values.
    """

    _SAME_DIM = ("abs", "absolute", "clip", "floor", "ceil", "round",
                 "minimum", "maximum")

    def __init__(self, lookup, source: str) -> None:
        self.lookup = lookup
        self.source = source
        self.units = _units()
        self.one = self.units.get_dimensions(1.0)

    def _mismatch(self, what: str, *dims):
        return self.units.DimensionMismatchError(
            f"{what} in equation '{self.source}'", *dims)

    def dims(self, tree: ast.AST) -> tuple[Any, Any]:
        """(dimension or None, constant value or None)."""
        if isinstance(tree, ast.Expression):
            tree = tree.body
        method = getattr(self, "_" + type(tree).__name__, None)
        if method is None:
            return None, None       # the compiler reports unsupported syntax
        return method(tree)

    def _value(self, value: Any) -> tuple[Any, Any]:
        if isinstance(value, np.ndarray):
            if value.size == 1 and value.ndim <= 1 and hasattr(value, "dim"):
                return self.units.get_dimensions(value), None
            return None, None
        if isinstance(value, (bool, int, float, np.number)):
            return self.units.get_dimensions(value), float(value)
        return None, None

    def _Name(self, tree: ast.Name):
        kind, what = self.lookup(tree.id)
        if kind == "dim":
            return what, None
        return self._value(what)

    def _Attribute(self, tree: ast.Attribute):
        return None, None

    def _Constant(self, tree: ast.Constant):
        if isinstance(tree.value, (bool, int, float)):
            if isinstance(tree.value, int) and abs(tree.value) > 2**1023:
                raise ValueError(f"the constant {tree.value} in "
                                 f"'{self.source}' is too large for a float")
            return self.one, float(tree.value)
        return None, None

    def _UnaryOp(self, tree: ast.UnaryOp):
        d, v = self.dims(tree.operand)
        if isinstance(tree.op, ast.USub):
            return d, (None if v is None else -v)
        if isinstance(tree.op, ast.UAdd):
            return d, v
        return self.one, None

    def _same(self, what: str, a, b):
        if a is not None and b is not None and not a == b:
            raise self._mismatch(what, a, b)
        return a if a is not None else b

    def _BinOp(self, tree: ast.BinOp):
        (da, va), (db, vb) = self.dims(tree.left), self.dims(tree.right)
        op = type(tree.op)
        if (va is None or vb is None
                or (type(va) is float and type(vb) is float
                    and (op in _PLAIN_BINOPS
                         or (op is ast.Div and vb != 0.0)))):
            # Dimensions and Python floats never set NumPy's error flags
            # (np.errstate costs microseconds, on every operator)
            return self._binop(op, da, va, db, vb)
        with np.errstate(all="ignore"):
            return self._binop(op, da, va, db, vb)

    def _binop(self, op: type, da, va, db, vb):
        both = va is not None and vb is not None
        if op in (ast.Add, ast.Sub, ast.Mod):
            what = {ast.Add: "Addition", ast.Sub: "Subtraction",
                    ast.Mod: "Modulo"}[op]
            d = self._same(what, da, db)
            value = None
            if both:
                value = (va + vb if op is ast.Add else va - vb
                         if op is ast.Sub else np.mod(va, vb))
            return d, value
        if op in (ast.Mult, ast.Div, ast.FloorDiv):
            d = (None if da is None or db is None else
                 da * db if op is ast.Mult else da / db)
            value = None
            if both:
                value = (va * vb if op is ast.Mult else
                         _divide(va, vb) if op is ast.Div
                         else np.floor_divide(va, vb))
                value = float(value)
            if op is ast.FloorDiv and d is not None:
                d = self.one
            return d, value
        if op is ast.Pow:
            if db is not None and not db == self.one:
                raise self._mismatch("Power (exponent not "
                                     "dimensionless)", db)
            value = float(np.float64(va) ** vb) if both else None
            if da is None or da == self.one:
                return da, value
            if vb is None:
                raise self._mismatch(
                    "Power of a dimensioned quantity by a non-constant "
                    "exponent", da)
            return da ** vb, value
        if op in (ast.BitAnd, ast.BitOr):
            return self.one, None
        return None, None

    def _BoolOp(self, tree: ast.BoolOp):
        for v in tree.values:
            self.dims(v)
        return self.one, None

    def _Compare(self, tree: ast.Compare):
        left = self.dims(tree.left)
        for right_tree in tree.comparators:
            right = self.dims(right_tree)
            # 0 and +-inf compare with any dimension (spec 2.2)
            free = any(v is not None and (v == 0 or np.isinf(v))
                       for _, v in (left, right))
            if not free:
                self._same("Comparison", left[0], right[0])
            left = right
        return self.one, None

    def _IfExp(self, tree: ast.IfExp):
        self.dims(tree.test)
        d = self._same("Conditional expression", self.dims(tree.body)[0],
                       self.dims(tree.orelse)[0])
        return d, None

    def _Call(self, tree: ast.Call):
        args = [self.dims(a) for a in tree.args]
        func = None
        if isinstance(tree.func, ast.Name):
            kind, func = self.lookup(tree.func.id)
            if kind == "dim":
                return None, None
        name = getattr(func, "__name__", "")
        if hasattr(func, "_call_dimensions"):      # TimedArray(t)
            return func._call_dimensions(), None
        if func is builtins.abs:
            return (args[0][0] if args else None), None
        units = self.units
        unitsafe = getattr(units, "UNITSAFE_FUNCTIONS", ())
        if name in unitsafe and getattr(units, name, None) is func:
            if not args:
                return None, None
            d = args[0][0]
            if name == "sqrt":
                return (None if d is None else d ** 0.5), None
            if name in self._SAME_DIM:
                return d, None
            if d is not None and not d == self.one:
                raise self._mismatch(f"Function {name}() needs a "
                                     "dimensionless argument", d)
            return self.one, None
        if name in ("rand", "randn"):
            return self.one, None
        return None, None       # NumPy and user functions: not checked


def expected_dimension(eq: _Eq):
    """The dimension an equation's RHS must have."""
    units = _units()
    d = units.get_dimensions(eq.unit)
    if eq.kind in ("diff", "param"):
        return d / units.get_dimensions(units.second)
    return d
