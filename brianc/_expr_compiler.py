"""Expression compiler: Python expression ASTs -> programs for the C core's VM.

A `ProgramBuilder` holds a hash-consed expression DAG (so identical
subexpressions are computed once) with constant folding; `build()` schedules
it, allocates scratch registers and returns a `CompiledProgram` in the format
of docs/ARCHITECTURE.md section 2.  `Translator` turns an `ast` expression
into DAG nodes, resolving names through a caller-supplied function.
"""
from __future__ import annotations

import ast
import builtins
import math
import re
from typing import Any, Callable

import numpy as np

from ._record import Record

__all__ = ["CompiledProgram", "ProgramBuilder", "Translator", "NodeRef",
           "UnsupportedExpressionError", "opcodes", "SUPPORTED_FUNCTIONS"]

REG_TEMP, REG_CONST, REG_VAR, REG_ARRAY, REG_TIME = 0, 1, 2, 3, 4

# Number of register operands of each opcode (RAND/RANDN take a literal).
_ARITY = {
    "MOV": 1, "NEG": 1, "ADD": 2, "SUB": 2, "MUL": 2, "DIV": 2, "POW": 2,
    "FMA": 3, "EXP": 1, "EXPM1": 1, "LOG": 1, "LOG10": 1, "SQRT": 1,
    "ABS": 1, "SIN": 1, "COS": 1, "TAN": 1, "ARCSIN": 1, "ARCCOS": 1,
    "ARCTAN": 1, "SINH": 1, "COSH": 1, "TANH": 1, "FLOOR": 1, "CEIL": 1,
    "CLIP": 3, "LT": 2, "LE": 2, "GT": 2, "GE": 2, "EQ": 2, "NE": 2,
    "AND": 2, "OR": 2, "NOT": 1, "WHERE": 3, "RAND": 0, "RANDN": 0,
    "EXPREL": 1, "FMS": 3, "FNMA": 3, "SUBMUL": 3, "ADDMUL": 3, "MUL3": 3,
    "EXPA": 3, "EXPM1A": 3, "EXPRELA": 3, "DIVEXPM1A": 3,
    "DIVEXP1PA": 3, "EXPRELS": 3, "MUL3OM": 3, "DIVEXPM1AS": 3,
    "DIVEXP1PAS": 3, "FMAADD": 3,
}
_COMMUTATIVE = frozenset({"ADD", "MUL", "EQ", "NE", "AND", "OR"})


class UnsupportedExpressionError(ValueError):
    """An expression uses something the VM cannot compute."""


_OPCODES: dict[str, int] | None = None


def opcodes() -> dict[str, int]:
    """Opcode numbers: ``_core.OPCODES`` when the binding is importable,
    otherwise read from csrc/core/opcodes.def in order (its single source)."""
    global _OPCODES
    if _OPCODES is None:
        try:
            from . import _core  # type: ignore[attr-defined]
            table = dict(_core.OPCODES)
        except ImportError:
            from pathlib import Path    # (5 ms to import: only here)
            path = (Path(__file__).resolve().parent.parent / "csrc" / "core"
                    / "opcodes.def")
            names = re.findall(r"^BC_OP\((\w+),", path.read_text(), re.M)
            table = {name: i for i, name in enumerate(names)}
        missing = set(_ARITY) - set(table)
        if missing:
            raise ImportError(f"VM opcodes missing: {sorted(missing)}")
        _OPCODES = table
    return _OPCODES


class CompiledProgram(Record):
    """A VM program (docs/ARCHITECTURE.md section 2)."""
    _FIELDS = ("code", "reg_kind", "reg_index", "reg_const", "arrays",
               "out_reg", "linear", "python_inputs")

    def __init__(self, code: np.ndarray, reg_kind: np.ndarray,
                 reg_index: np.ndarray, reg_const: np.ndarray,
                 arrays: list | None = None, out_reg: int = -1,
                 linear: tuple | None = None,
                 python_inputs: list | None = None) -> None:
        self.code = code            # int32 (n_instr, 5): op, dst, a, b, c
        self.reg_kind = reg_kind    # int32 (n_regs,)
        self.reg_index = reg_index  # int32 (n_regs,): VAR row or ARRAY slot
        self.reg_const = reg_const  # float64 (n_regs,): CONST values
        # float64 arrays, by slot
        self.arrays = [] if arrays is None else arrays
        self.out_reg = out_reg
        # Linear prologue (A, C): X <- A X + C on the first len(C) state
        # rows before the instructions, in one fused pass (exact linear
        # updater).
        self.linear = linear
        # Python function calls whose results are input arrays of the
        # program (_python_inputs.PythonInput), refreshed before it runs.
        self.python_inputs = [] if python_inputs is None else python_inputs

    @property
    def n_instr(self) -> int:
        return int(self.code.shape[0])

    @property
    def n_regs(self) -> int:
        return int(self.reg_kind.shape[0])

    @property
    def n_temps(self) -> int:
        return int(np.count_nonzero(self.reg_kind == REG_TEMP))

    def disassemble(self) -> str:
        """Human-readable listing, for debugging and error messages."""
        names = {v: k for k, v in opcodes().items()}

        def reg(r):
            kind = int(self.reg_kind[r])
            if kind == REG_CONST:
                return repr(float(self.reg_const[r]))
            if kind == REG_VAR:
                return f"S[{int(self.reg_index[r])}]"
            if kind == REG_ARRAY:
                return f"A[{int(self.reg_index[r])}]"
            if kind == REG_TIME:
                return "t"
            return f"r{r}"
        lines = []
        for op, dst, a, b, c in self.code.tolist():
            name = names[op]
            if name in ("RAND", "RANDN"):
                args = [f"stream+{a}"]
            else:
                args = [reg(x) for x in (a, b, c)[:_ARITY[name]]]
            lines.append(f"{reg(dst)} = {name} {', '.join(args)}")
        if self.out_reg >= 0:
            lines.append(f"out {reg(self.out_reg)}")
        return "\n".join(lines)


def _where(a, b, c):
    return b if a != 0 else c


def _exprel(a):
    """expm1(a)/a, 1 at 0."""
    a = np.float64(a)
    return np.float64(1.0) if a == 0 else np.expm1(a) / a


# Scalar semantics of each opcode, used for constant folding.
_FOLD: dict[str, Callable] = {
    "MOV": lambda a: a, "NEG": lambda a: -a, "ADD": lambda a, b: a + b,
    "SUB": lambda a, b: a - b, "MUL": lambda a, b: a * b,
    "DIV": lambda a, b: np.float64(a) / np.float64(b),
    "POW": lambda a, b: np.float64(a) ** np.float64(b),
    "FMA": lambda a, b, c: a * b + c,
    "FMS": lambda a, b, c: a * b - c, "FNMA": lambda a, b, c: c - a * b,
    "SUBMUL": lambda a, b, c: (a - b) * c,
    "ADDMUL": lambda a, b, c: (a + b) * c,
    "MUL3": lambda a, b, c: (a * b) * c,
    "MUL3OM": lambda a, b, c: (a * b) * (1.0 - c),
    "EXPA": lambda a, b, c: np.exp(a * b + c),
    "EXPM1A": lambda a, b, c: np.expm1(a * b + c),
    "EXPRELA": lambda a, b, c: _exprel(a * b + c),
    "EXP": np.exp, "EXPM1": np.expm1, "EXPREL": lambda a: _exprel(a),
    "LOG": np.log, "LOG10": np.log10,
    "SQRT": np.sqrt, "ABS": np.abs, "SIN": np.sin, "COS": np.cos,
    "TAN": np.tan, "ARCSIN": np.arcsin, "ARCCOS": np.arccos,
    "ARCTAN": np.arctan, "SINH": np.sinh, "COSH": np.cosh, "TANH": np.tanh,
    "FLOOR": np.floor, "CEIL": np.ceil,
    "CLIP": lambda a, b, c: np.minimum(np.maximum(a, b), c),
    "LT": lambda a, b: float(a < b), "LE": lambda a, b: float(a <= b),
    "GT": lambda a, b: float(a > b), "GE": lambda a, b: float(a >= b),
    "EQ": lambda a, b: float(a == b), "NE": lambda a, b: float(a != b),
    "AND": lambda a, b: float(a != 0 and b != 0),
    "OR": lambda a, b: float(a != 0 or b != 0),
    "NOT": lambda a: float(a == 0), "WHERE": _where,
}

# Folds in Python float arithmetic alone: no NumPy scalar, so no
# floating-point error state to mask (np.errstate costs microseconds, and
# a model folds hundreds of constants).  Constants are Python floats.
_PLAIN_FOLD = {name: _FOLD[name] for name in (
    "MOV", "NEG", "ADD", "SUB", "MUL", "FMA", "FMS", "FNMA", "SUBMUL",
    "ADDMUL", "MUL3", "MUL3OM", "LT", "LE", "GT", "GE", "EQ", "NE", "AND", "OR",
    "NOT", "WHERE")}


def _fold(name: str, c: list):
    """``name`` applied to the constants c, as folding computes it."""
    if name in _PLAIN_FOLD or (name == "DIV" and c[1] != 0.0):
        return _PLAIN_FOLD.get(name, _py_div)(*c)
    with np.errstate(all="ignore"):
        return _FOLD[name](*c)


def _py_div(a: float, b: float) -> float:
    """_FOLD's DIV for b != 0: both are the correctly rounded IEEE
    quotient."""
    return a / b


class ProgramBuilder:
    """Expression DAG with hash-consing (CSE) and constant folding.

    Nodes are integers.  Leaves: constants, state rows (VAR), external
    arrays, the time and random draws; every other node is one opcode.
    """

    def __init__(self) -> None:
        self._kind: list[str] = []      # 'const' 'var' 'array' 'time' or op
        self._args: list[tuple] = []    # operand nodes (or literal payload)
        self._value: list[float] = []   # value of 'const' nodes
        self._memo: dict[tuple, int] = {}
        self.arrays: list[np.ndarray] = []
        self._array_slot: dict[int, int] = {}
        self._array_keep: list = []     # keeps id()s of originals valid
        self.python_inputs: list = []   # calls computed in Python

    def copy(self) -> "ProgramBuilder":
        """An independent builder holding the same nodes under the same
        numbers: building on in either gives what a builder that had
        made the same calls would give."""
        other = ProgramBuilder.__new__(ProgramBuilder)
        other._kind = self._kind.copy()
        other._args = self._args.copy()
        other._value = self._value.copy()
        other._memo = self._memo.copy()
        other.arrays = self.arrays.copy()
        other._array_slot = self._array_slot.copy()
        other._array_keep = self._array_keep.copy()
        other.python_inputs = self.python_inputs.copy()
        return other

    # -- leaves -----------------------------------------------------------
    def _node(self, key: tuple, kind: str, args: tuple,
              value: float = 0.0) -> int:
        node = self._memo.get(key)
        if node is None:
            node = len(self._kind)
            self._kind.append(kind)
            self._args.append(args)
            self._value.append(value)
            self._memo[key] = node
        return node

    def const(self, value: float) -> int:
        value = float(value)
        key = ("const", value.hex())
        node = self._memo.get(key)      # most constants exist already
        return self._node(key, "const", (), value) if node is None else node

    def var(self, row: int) -> int:
        return self._node(("var", int(row)), "var", (int(row),))

    def time(self) -> int:
        return self._node(("time",), "time", ())

    def array(self, values) -> int:
        """External float64 array (same object if already float64 and
        contiguous, so later in-place changes are seen)."""
        slot = self._array_slot.get(id(values))
        if slot is None:
            arr = np.ascontiguousarray(values, dtype=np.float64)
            if arr.ndim != 1:
                raise UnsupportedExpressionError(
                    f"external arrays must be 1-D, got shape {arr.shape}")
            slot = len(self.arrays)
            self.arrays.append(arr)
            self._array_keep.append(values)
            self._array_slot[id(values)] = slot
        return self._node(("array", slot), "array", (slot,))

    def symbol(self, name: str) -> int:
        """A formal placeholder (such as xi) for symbolic work; programs
        must not contain it."""
        return self._node(("symbol", name), "symbol", (name,))

    def random(self, kind: str, substream: int) -> int:
        """A draw of RAND or RANDN from sub-stream ``substream``: the same
        sub-stream gives the same draw, so identical nodes may be shared."""
        if not 0 <= substream < 256:
            raise UnsupportedExpressionError(
                f"random sub-stream {substream} out of range [0, 256)")
        return self._node((kind, substream), kind, (int(substream),))

    # -- queries ----------------------------------------------------------
    def is_const(self, node: int) -> bool:
        return self._kind[node] == "const"

    def value(self, node: int) -> float:
        if self._kind[node] != "const":
            raise ValueError("node is not a constant")
        return self._value[node]

    def kind(self, node: int) -> str:
        return self._kind[node]

    def evaluate(self, node: int, leaf_values: dict, memo: dict,
                 other_vars: float | None = None) -> float:
        """The value of ``node`` with its leaves set to ``leaf_values``
        (leaf -> float), state variables not listed to ``other_vars`` if
        given (any other leaf must be a constant): the value substituting
        the leaves by constants would fold to, without making any node."""
        stack = [node]
        kinds, values, args_of = self._kind, self._value, self._args
        while stack:
            n = stack[-1]
            if n in memo:
                stack.pop()
            elif n in leaf_values:
                memo[n] = float(leaf_values[n])
                stack.pop()
            elif kinds[n] == "const":
                memo[n] = values[n]
                stack.pop()
            elif kinds[n] == "var" and other_vars is not None:
                memo[n] = other_vars
                stack.pop()
            else:
                todo = [a for a in args_of[n] if a not in memo]
                if todo:
                    stack.extend(todo)
                else:
                    memo[n] = float(_fold(kinds[n],
                                          [memo[a] for a in args_of[n]]))
                    stack.pop()
        return memo[node]

    def args(self, node: int) -> tuple:
        return self._args[node]

    # -- operations -------------------------------------------------------
    def op(self, name: str, *args: int) -> int:
        """The node ``name(*args)``, folded or simplified when possible."""
        if _ARITY[name] != len(args) or name in ("RAND", "RANDN"):
            raise ValueError(f"{name} takes {_ARITY[name]} operands")
        kinds, values = self._kind, self._value
        # the constant operands' values, None for the others
        c = [values[a] if kinds[a] == "const" else None for a in args]
        if None not in c:
            return self.const(_fold(name, c))
        simple = self._simplify(name, args, c)
        if simple is None:
            simple = self._fuse_constants(name, args, c)
        if simple is not None:
            return simple
        if name in _COMMUTATIVE:
            args = tuple(sorted(args))
        return self._node((name,) + args, name, args)

    def _cval(self, node: int):
        return self._value[node] if self._kind[node] == "const" else None

    def _affine(self, node: int):
        """(x, a, b) with node == a*x + b for a non-constant x, when node is
        an ADD/SUB/MUL/FMA of x and constants; else (node, 1, 0)."""
        kind = self._kind[node]
        if kind not in ("ADD", "SUB", "MUL", "FMA"):
            return node, 1.0, 0.0
        args = self._args[node]
        cv = [self._cval(a) for a in args]
        if kind == "ADD" and (cv[0] is None) != (cv[1] is None):
            x, k = (args[1], cv[0]) if cv[0] is not None else (args[0], cv[1])
            return x, 1.0, k
        if kind == "SUB" and cv[1] is not None and cv[0] is None:
            return args[0], 1.0, -cv[1]
        if kind == "SUB" and cv[0] is not None and cv[1] is None:
            return args[1], -1.0, cv[0]
        if kind == "MUL" and (cv[0] is None) != (cv[1] is None):
            x, k = (args[1], cv[0]) if cv[0] is not None else (args[0], cv[1])
            return x, k, 0.0
        if kind == "FMA" and cv[0] is None and cv[1] is not None \
                and cv[2] is not None:
            return args[0], cv[1], cv[2]
        return node, 1.0, 0.0

    def _fuse_constants(self, name: str, args: tuple,
                        c: list) -> int | None:
        """Merge constant arithmetic into affine forms a*x + b, so that
        ``(13*mV - v + VT) * k`` is one FMA instead of three passes (a few
        ulp of rounding, as -ffast-math would allow hand-written C).
        ``c`` holds the values of constant operands, None for others."""
        if name in ("ADD", "SUB", "MUL") and (c[0] is None) == (c[1] is None):
            if name == "SUB" and c[0] is None and \
                    self._kind[args[0]] == "EXP" and c[1] == 1.0:
                return self.op("EXPM1", self._args[args[0]][0])
            return None
        if name not in ("ADD", "SUB", "MUL"):
            return None
        if c[0] is not None:
            k, inner, inner_first = c[0], args[1], False
        else:
            k, inner, inner_first = c[1], args[0], True
        x, a, b = self._affine(inner)
        if x == inner:
            if name == "SUB" and inner_first and self._kind[inner] == "EXP" \
                    and k == 1.0:
                return self.op("EXPM1", self._args[inner][0])
            return None
        if name == "ADD":
            a2, b2 = a, b + k
        elif name == "SUB":
            a2, b2 = (a, b - k) if inner_first else (-a, k - b)
        else:
            a2, b2 = a * k, b * k
        if b2 == 0.0:
            return self.op("MUL", x, self.const(a2))
        if a2 == 1.0:
            return self.op("ADD", x, self.const(b2))
        if a2 == -1.0:
            return self.op("SUB", self.const(b2), x)
        return self.op("FMA", x, self.const(a2), self.const(b2))

    def _simplify(self, name: str, args: tuple, c: list) -> int | None:
        """Identities that are exact in IEEE arithmetic (``c`` as in
        _fuse_constants)."""
        if name == "MOV":
            return args[0]
        if name == "ADD":
            if c[1] == 0.0:
                return args[0]
            if c[0] == 0.0:
                return args[1]
            # x + (-y) is x - y by IEEE's definition of subtraction
            for k in (0, 1):
                if self._kind[args[k]] == "NEG":
                    return self.op("SUB", args[1 - k],
                                   self._args[args[k]][0])
        elif name == "SUB":
            if c[1] == 0.0:
                return args[0]
            if self._kind[args[1]] == "NEG":
                return self.op("ADD", args[0], self._args[args[1]][0])
            if c[0] == 0.0 and math.copysign(1.0, c[0]) < 0:
                return self.op("NEG", args[1])   # -0 - x == -x exactly
        elif name == "MUL":
            # Constants of a product chain are merged: (x*a)*b -> x*(a*b)
            # (unit factors such as 0.32*(mV**-1)*.../ms leave many).
            for k in (0, 1):
                other = args[1 - k]
                if c[k] is not None and self._kind[other] == "MUL":
                    inner = [self._cval(a) for a in self._args[other]]
                    for j in (0, 1):
                        if inner[j] is not None:
                            rest = self._args[other][1 - j]
                            return self.op("MUL", rest,
                                           self.const(c[k] * inner[j]))
            if c[1] == 1.0:
                return args[0]
            if c[0] == 1.0:
                return args[1]
            if c[1] == -1.0:
                return self.op("NEG", args[0])
            if c[0] == -1.0:
                return self.op("NEG", args[1])
        elif name == "DIV":
            if c[1] == 1.0:
                return args[0]
            if c[1] is not None and c[1] != 0.0 and math.isfinite(c[1]):
                # A division by a constant becomes a multiplication by its
                # reciprocal (within an ulp; a division costs ~10 times a
                # multiplication).
                return self.op("MUL", args[0], self.const(1.0 / c[1]))
        elif name == "NEG":
            if self._kind[args[0]] == "NEG":
                return self._args[args[0]][0]
        elif name == "WHERE":
            if c[0] is not None:
                return args[1] if c[0] != 0 else args[2]
            if args[1] == args[2]:
                return args[1]
        return None

    # helpers with Python-ish names, for callers building formulas
    def add(self, a, b): return self.op("ADD", a, b)
    def sub(self, a, b): return self.op("SUB", a, b)
    def mul(self, a, b): return self.op("MUL", a, b)
    def div(self, a, b): return self.op("DIV", a, b)
    def neg(self, a): return self.op("NEG", a)

    def power(self, base: int, exponent: int) -> int:
        """``base ** exponent``: small integer powers as multiplications,
        0.5 as SQRT, anything else as POW."""
        e = self._cval(exponent)
        if e is not None and not self.is_const(base):
            if abs(e) <= 16 and e == int(e):
                n = abs(int(e))
                if n == 0:
                    return self.const(1.0)
                result, square = None, base
                while n:
                    if n & 1:
                        result = square if result is None else self.mul(
                            result, square)
                    n >>= 1
                    if n:
                        square = self.mul(square, square)
                return result if e > 0 else self.div(self.const(1.0), result)
            if e == 0.5:
                return self.op("SQRT", base)
            if e == -0.5:
                return self.div(self.const(1.0), self.op("SQRT", base))
        return self.op("POW", base, exponent)

    # -- code generation --------------------------------------------------
    def _pair(self, *k: float) -> int:
        """Two (or three) constants that must sit in adjacent registers."""
        return self._node(("pair",) + tuple(x.hex() for x in k), "pair", k)

    def _exp_argument(self, e: int, fused: dict) -> tuple | None:
        """(x, k0, k1) with exp-family node e computing f(x*k0 + k1): its
        own operand (1, -0), or the affine argument it absorbed as EXPA,
        EXPM1A; None if it was fused some other way."""
        inner = fused.get(e)
        if inner is None:
            return self._args[e][0], 1.0, -0.0
        if inner and inner[0] == self._kind[e] + "A":
            return inner[1], self.value(inner[2]), self.value(inner[3])
        return None

    def _scaled_exprel(self, m: int, k: int, uses: dict, roots: list,
                       fused: dict) -> tuple | None:
        """EXPRELS for k * exprel(x * k1) with constants k, k1 (exponential
        Euler's dt exprel(A dt)); m is the EXPREL node, maybe already
        fused as EXPRELA with a product argument."""
        if (self._kind[m] != "EXPREL" or self._cval(k) is None
                or uses.get(m) != 1 or m in roots):
            return None
        inner = fused.get(m)
        if inner is None:
            return ("EXPRELS", self._args[m][0], self.const(1.0), k)
        if (inner and inner[0] == "EXPRELA" and self._cval(inner[3]) == 0.0
                and math.copysign(1.0, self._cval(inner[3])) < 0):
            return ("EXPRELS", inner[1], inner[2], k)
        return None

    def _scaled_rate(self, m: int, k: int, uses: dict, roots: list,
                     fused: dict) -> tuple | None:
        """DIVEXPM1AS/DIVEXP1PAS for the constant k times m, a quotient
        already fused as DIVEXPM1A/DIVEXP1PA (a rate and its 1/ms)."""
        inner = fused.get(m)
        kv = self._cval(k)
        if (kv is None or not inner or uses.get(m) != 1 or m in roots
                or inner[0] not in ("DIVEXPM1A", "DIVEXP1PA")):
            return None
        k0, k1 = self._args[inner[3]]
        return (inner[0] + "S", inner[1], inner[2],
                self._pair(k0, k1, float(kv)))

    def _add_affine(self, args: tuple, uses: dict, roots: list,
                    fused: dict) -> tuple | None:
        """(m, FMAADD) for y + m (or m + y) where m is the FMA x*k0 + k1
        (built as one, or fused from a product and a sum) with constants
        k0 and k1, used once: Euler's x + (f*dt + c).  The same three
        roundings (a sum does not depend on the order of its operands;
        only which of two NaNs comes out may)."""
        for pos, m in enumerate(args):
            inner = fused.get(m)
            if inner is None and self._kind[m] == "FMA":
                inner = ("FMA",) + tuple(self._args[m])
            if not inner or inner[0] != "FMA" or uses.get(m) != 1 \
                    or m in roots:
                continue
            x, k0, k1 = inner[1:]
            if self._cval(k0) is None:
                x, k0 = k0, x
            if self._cval(k0) is None or self._cval(k1) is None:
                continue
            return m, ("FMAADD", x, args[1 - pos],
                       self._pair(float(self._cval(k0)),
                                  float(self._cval(k1))))
        return None

    def _negated_factor(self, factors: tuple, plain) -> tuple | None:
        """(the NEG node, x, y) when the product of ``factors`` is
        (-x)*y or y*(-x) with a NEG that can vanish into its user."""
        for pos, f in enumerate(factors):
            if plain(f, "NEG"):
                return f, self._args[f][0], factors[1 - pos]
        return None

    def _fusion(self, node: int, uses: dict, roots: list,
                fused: dict) -> tuple | None:
        """(inner, (fused op, operands...)) when ``node`` and one of its
        operands can run as one fused instruction, else None.  The operand
        must be used once, not be a root, and not be fused itself (it is
        then still a plain instruction)."""
        kind = self._kind[node]
        args = self._args[node]

        def plain(m: int, want: str) -> bool:
            return (self._kind[m] == want and uses.get(m) == 1
                    and m not in roots and m not in fused)

        if kind == "ADD":
            euler = self._add_affine(args, uses, roots, fused)
            if euler is not None:
                return euler
        if kind in ("ADD", "SUB", "MUL"):
            if kind == "MUL":
                for pos, m in enumerate(args):
                    other = args[1 - pos]
                    # (x*y)*(1 - z): both operands absorbed (MUL3OM)
                    if (plain(m, "MUL") and plain(other, "SUB")
                            and self._cval(self._args[other][0]) == 1.0):
                        fused[other] = ()
                        return m, (("MUL3OM",) + self._args[m]
                                   + (self._args[other][1],))
            for pos, m in enumerate(args):
                other = args[1 - pos]
                inner = self._args[m]
                if kind == "ADD" and plain(m, "MUL"):
                    negated = self._negated_factor(inner, plain)
                    if negated is not None:
                        # (-x)*y + z is z - x*y with the same roundings
                        # (rounding to nearest is symmetric): Euler's
                        # x + dt*(-x/tau) in one pass instead of two
                        fused[negated[0]] = ()
                        return m, ("FNMA",) + negated[1:] + (other,)
                    return m, ("FMA",) + inner + (other,)
                if kind == "SUB" and plain(m, "MUL"):
                    return m, (("FMS" if pos == 0 else "FNMA",)
                               + inner + (other,))
                if kind == "MUL":
                    scaled = self._scaled_rate(m, other, uses, roots, fused)
                    if scaled is not None:
                        return m, scaled
                    for sub, name in (("SUB", "SUBMUL"), ("ADD", "ADDMUL"),
                                      ("MUL", "MUL3")):
                        if plain(m, sub):
                            return m, (name,) + inner + (other,)
                    scaled = self._scaled_exprel(m, other, uses, roots,
                                                 fused)
                    if scaled is not None:
                        return m, scaled
            return None
        if kind == "DIV" and self._kind[args[1]] == "ADD":
            # num / (1 + exp(x*k0 + k1)): the logistic form
            m = args[1]
            if uses.get(m) != 1 or m in roots or m in fused:
                return None
            one, e = self._args[m]
            if self._cval(one) != 1.0:
                one, e = e, one
            if (self._cval(one) != 1.0 or self._kind[e] != "EXP"
                    or uses.get(e) != 1 or e in roots):
                return None
            arg = self._exp_argument(e, fused)
            if arg is None:
                return None
            fused[e] = ()
            return m, ("DIVEXP1PA", args[0], arg[0], self._pair(*arg[1:]))
        if kind == "DIV" and self._kind[args[1]] == "EXPM1":
            # num / expm1(x*k0 + k1): the EXPM1 may already hold its affine
            # argument (EXPM1A, its FMA vanished into it)
            m = args[1]
            arg = self._exp_argument(m, fused)
            if uses.get(m) != 1 or m in roots or arg is None:
                return None
            return m, ("DIVEXPM1A", args[0], arg[0], self._pair(*arg[1:]))
        if kind in ("EXP", "EXPM1", "EXPREL"):
            m = args[0]
            if uses.get(m) != 1 or m in roots or m in fused:
                return None
            x, a, b = self._affine(m)
            if x == m:
                return None
            if self._kind[m] == "MUL":
                b = -0.0            # x*a + (-0) is x*a, signed zeros too
            return m, (kind + "A", x, self.const(a), self.const(b))
        return None

    def _rows_read(self, args: tuple) -> set[int]:
        return {self._args[a][0] for a in args if self._kind[a] == "var"}

    def _delay_stores(self, instrs: list, stores: list, uses: dict,
                      out: int | None) -> list:
        """instrs with each store's instruction moved after the last
        other instruction reading the old value of its row, when it came
        before it: it can then write the row directly instead of a
        temporary copied by a final MOV (exponential Euler's v, computed
        before the gates that read the old v).  The same operations on the
        same values, so the same bits, one pass fewer.  Not moved past
        another store that writes a row it reads: that store could then no
        longer write directly (build() checks every direct write)."""
        store_row = {n: r for r, n in stores}
        for r, n in stores:
            where = [i for i, ins in enumerate(instrs) if ins[1] == n]
            if not where or uses.get(n) != 1 or n == out:
                continue
            p = where[0]
            readers = [i for i, (_, node, args) in enumerate(instrs)
                       if node != n and r in self._rows_read(args)]
            if not readers or readers[-1] < p:
                continue
            last = readers[-1]
            reads = self._rows_read(instrs[p][2]) - {r}
            if any(store_row.get(node) in reads
                   for _, node, _ in instrs[p + 1:last + 1]):
                continue
            instrs = (instrs[:p] + instrs[p + 1:last + 1] + [instrs[p]]
                      + instrs[last + 1:])
        return instrs

    def build(self, stores: list[tuple[int, int]] | None = None,
              out: int | None = None, fuse: bool = True) -> CompiledProgram:
        """Program computing every store value ``(row, node)`` from the
        values at entry, then writing them; ``out`` names the node whose
        register is returned (out_reg)."""
        ops = opcodes()
        stores = [(int(r), n) for r, n in (stores or [])
                  if not (self._kind[n] == "var" and self._args[n][0] == r)]
        rows = [r for r, _ in stores]
        if len(set(rows)) != len(rows):
            raise ValueError("a state row is stored twice")
        roots = [n for _, n in stores] + ([out] if out is not None else [])

        # Uses of each node, to fuse single-use products into FMA.
        uses: dict[int, int] = {}
        order: list[int] = []
        seen: set[int] = set()
        for root in roots:
            uses[root] = uses.get(root, 0) + 1
            stack = [(root, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    order.append(node)
                    continue
                if node in seen:
                    continue
                seen.add(node)
                stack.append((node, True))
                if self._kind[node] in _ARITY and self._kind[node] not in (
                        "RAND", "RANDN"):
                    for a in reversed(self._args[node]):
                        uses[a] = uses.get(a, 0) + 1
                        stack.append((a, False))

        # Instructions: (op, dst node, operand nodes).  A single-use
        # intermediate joins its user in one fused instruction (same
        # roundings, one pass over the block instead of two); fused inner
        # nodes vanish.
        fused: dict[int, tuple] = {}
        if fuse:
            for node in order:
                pair = self._fusion(node, uses, roots, fused)
                if pair is not None:
                    inner, fused[node] = pair
                    fused[inner] = ()
        instrs: list[tuple[str, int, tuple]] = []
        for node in order:
            kind = self._kind[node]
            if kind in ("const", "var", "array", "time"):
                continue
            if kind == "symbol":
                raise UnsupportedExpressionError(
                    f"{self._args[node][0]!r} cannot be computed here")
            if node in fused:
                if fused[node] == ():
                    continue        # folded into its user
                instrs.append((fused[node][0], node, fused[node][1:]))
            elif kind in ("RAND", "RANDN"):
                instrs.append((kind, node, ()))
            else:
                instrs.append((kind, node, self._args[node]))

        instrs = self._delay_stores(instrs, stores, uses, out)

        # Leaf registers first.
        reg_kind: list[int] = []
        reg_index: list[int] = []
        reg_const: list[float] = []
        leaf_reg: dict[int, int] = {}

        def leaf(node: int) -> int:
            r = leaf_reg.get(node)
            if r is None and self._kind[node] == "pair":
                # CONST registers side by side (DIVEXPM1A's c, c + 1)
                r = len(reg_kind)
                n_k = len(self._args[node])
                reg_kind.extend([REG_CONST] * n_k)
                reg_index.extend([0] * n_k)
                reg_const.extend(self._args[node])
                leaf_reg[node] = r
            if r is None:
                kind = self._kind[node]
                r = len(reg_kind)
                reg_kind.append({"const": REG_CONST, "var": REG_VAR,
                                 "array": REG_ARRAY, "time": REG_TIME}[kind])
                reg_index.append(self._args[node][0]
                                 if kind in ("var", "array") else 0)
                reg_const.append(self._value[node] if kind == "const"
                                 else 0.0)
                leaf_reg[node] = r
            return r
        for _, node, args in instrs:
            for a in args:
                if self._kind[a] in ("const", "var", "array", "time",
                                     "pair"):
                    leaf(a)
        for r, n in stores:
            leaf(self.var(r))
            if self._kind[n] in ("const", "var", "array", "time"):
                leaf(n)
        if out is not None and self._kind[out] in ("const", "var", "array",
                                                   "time"):
            leaf(out)

        # A store may write its VAR directly from the instruction computing
        # its value if nothing reads the old value of that row afterwards.
        position = {node: i for i, (_, node, _) in enumerate(instrs)}
        last_read: dict[int, int] = {}
        for i, (_, _, args) in enumerate(instrs):
            for a in args:
                if self._kind[a] == "var":
                    last_read[self._args[a][0]] = i
        end = len(instrs)
        for _, n in stores:
            if self._kind[n] == "var":
                last_read[self._args[n][0]] = end
        direct: dict[int, int] = {}     # node -> row written directly
        for r, n in stores:
            if (n in position and uses.get(n) == 1 and n != out
                    and last_read.get(r, -1) <= position[n]):
                direct[n] = r

        # Linear scan over temps: free an operand's register at its last
        # use, before the destination is chosen (elementwise ops may alias).
        last_use: dict[int, int] = {}
        for i, (_, _, args) in enumerate(instrs):
            for a in args:
                last_use[a] = i
        for _, n in stores:
            last_use[n] = end
        if out is not None:
            last_use[out] = end + 1
        n_leaves = len(reg_kind)
        free: list[int] = []
        n_temps = 0
        node_reg: dict[int, int] = dict(leaf_reg)
        code: list[list[int]] = []
        for i, (name, node, args) in enumerate(instrs):
            operands = [node_reg[a] for a in args]
            for a in set(args):
                if (last_use.get(a) == i and a not in leaf_reg
                        and a not in direct):
                    free.append(node_reg[a])
            if node in direct:
                dst = leaf_reg[self.var(direct[node])]
            elif free:
                dst = free.pop()
            else:
                dst = n_leaves + n_temps
                n_temps += 1
            node_reg[node] = dst
            if name in ("RAND", "RANDN"):
                operands = [self._args[node][0]]
            operands += [0] * (3 - len(operands))
            code.append([ops[name], dst] + operands)
        for r, n in stores:
            if n not in direct:
                code.append([ops["MOV"], leaf_reg[self.var(r)], node_reg[n],
                             0, 0])
        reg_kind += [REG_TEMP] * n_temps
        reg_index += [0] * n_temps
        reg_const += [0.0] * n_temps
        return CompiledProgram(
            code=np.array(code, dtype=np.int32).reshape(-1, 5),
            reg_kind=np.array(reg_kind, dtype=np.int32),
            reg_index=np.array(reg_index, dtype=np.int32),
            reg_const=np.array(reg_const, dtype=np.float64),
            arrays=list(self.arrays),
            out_reg=node_reg[out] if out is not None else -1,
            python_inputs=list(self.python_inputs))


# ---------------------------------------------------------------------------
# AST -> DAG

class NodeRef:
    """A name's resolution that is already a DAG node (model variable,
    static equation, time...), as opposed to a Python value."""
    __slots__ = ("node",)

    def __init__(self, node: int) -> None:
        self.node = node


# Supported function names -> how to build them.  Names are those of NumPy
# (plus Python's abs and math's spellings, mapped in _function_name).
SUPPORTED_FUNCTIONS = ("exp", "log", "log10", "sqrt", "abs", "sin", "cos",
                       "tan", "arcsin", "arccos", "arctan", "sinh", "cosh",
                       "tanh", "arcsinh", "arccosh", "arctanh", "floor",
                       "ceil", "clip", "minimum", "maximum", "rand", "randn")
_UNARY = {"exp": "EXP", "log": "LOG", "log10": "LOG10", "sqrt": "SQRT",
          "abs": "ABS", "sin": "SIN", "cos": "COS", "tan": "TAN",
          "arcsin": "ARCSIN", "arccos": "ARCCOS", "arctan": "ARCTAN",
          "sinh": "SINH", "cosh": "COSH", "tanh": "TANH", "floor": "FLOOR",
          "ceil": "CEIL", "expm1": "EXPM1"}
_ALIASES = {"absolute": "abs", "fabs": "abs", "asin": "arcsin",
            "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
            "acosh": "arccosh", "atanh": "arctanh", "fmin": "minimum",
            "fmax": "maximum", "amin": "minimum", "amax": "maximum"}


def _function_name(func: Any, name: str) -> str | None:
    """The supported function ``func`` (bound to ``name``) stands for, or
    None.  Functions are recognised by identity of origin: NumPy ufuncs and
    functions, math, builtins and brianc's own unit-aware wrappers."""
    if isinstance(func, np.ufunc):
        fname = func.__name__
    elif func is builtins.abs:
        fname = "abs"
    elif func is np.random.rand or func is np.random.randn:
        # methods of NumPy's global RandomState; NumPy 1.x gives them no
        # __module__
        fname = func.__name__
    else:
        module = getattr(func, "__module__", None) or ""
        fname = getattr(func, "__name__", name)
        if not (module == "math" or module.startswith("numpy")
                or module.startswith("brianc") or module == "builtins"
                or module.startswith("pylab") or module.startswith(
                    "matplotlib")):
            return None
    fname = _ALIASES.get(fname, fname)
    return fname if fname in SUPPORTED_FUNCTIONS or fname == "expm1" else None


_BINOPS = {ast.Add: "ADD", ast.Sub: "SUB", ast.Mult: "MUL", ast.Div: "DIV",
           ast.BitAnd: "AND", ast.BitOr: "OR"}
_CMPOPS = {ast.Lt: "LT", ast.LtE: "LE", ast.Gt: "GT", ast.GtE: "GE",
           ast.Eq: "EQ", ast.NotEq: "NE"}


class Translator:
    """Translate an expression AST into builder nodes.

    ``lookup(name)`` returns a `NodeRef` or a Python value (number, Quantity,
    array, function, module) and raises NameError for unknown names.
    ``substreams`` yields the sub-stream number of each ``rand()``/``randn()``
    call (each call is an independent draw).
    """

    def __init__(self, builder: ProgramBuilder,
                 lookup: Callable[[str], Any], substreams=None,
                 where: str = "", call_hook=None) -> None:
        self.b = builder
        self.lookup = lookup
        self.substreams = substreams
        self.where = where      # quoted in error messages
        # call_hook(builder, func, args, text) translates calls of objects
        # that provide _program_input (TimedArray(t) in equations).
        self.call_hook = call_hook

    def _fail(self, what: str):
        suffix = f" in {self.where}" if self.where else ""
        raise UnsupportedExpressionError(f"{what}{suffix}")

    def value_node(self, value: Any, name: str) -> int:
        """A Python value as a node: numbers (SI for Quantities) become
        constants, 1-D arrays become ARRAY registers."""
        if isinstance(value, NodeRef):
            return value.node
        if isinstance(value, (bool, int, float, np.number)):
            return self.b.const(float(value))
        if isinstance(value, np.ndarray):
            if value.size == 1 and value.ndim <= 1:
                return self.b.const(float(value.reshape(-1)[0]))
            if value.ndim == 1:
                return self.b.array(value)
            self._fail(f"name {name!r} is an array of shape {value.shape}; "
                       "only numbers and 1-D arrays can be used")
        self._fail(f"name {name!r} refers to a {type(value).__name__}, "
                   "which cannot be used as a number")

    def expr(self, tree: ast.AST) -> int:
        if isinstance(tree, ast.Expression):
            tree = tree.body
        method = getattr(self, "_" + type(tree).__name__, None)
        if method is None:
            self._fail(f"unsupported syntax {type(tree).__name__} "
                       f"({ast.unparse(tree)!r})")
        return method(tree)

    def _resolve_value(self, tree: ast.AST) -> Any:
        """Value of a Name or dotted Attribute (functions, modules...)."""
        if isinstance(tree, ast.Name):
            return self.lookup(tree.id)
        if isinstance(tree, ast.Attribute):
            base = self._resolve_value(tree.value)
            if isinstance(base, NodeRef):
                self._fail(f"attribute access {ast.unparse(tree)!r}")
            try:
                return getattr(base, tree.attr)
            except AttributeError:
                raise NameError(f"name {ast.unparse(tree)!r} is not defined"
                                + (f" in {self.where}" if self.where else ""))
        self._fail(f"unsupported syntax {ast.unparse(tree)!r}")

    def _Name(self, tree: ast.Name) -> int:
        return self.value_node(self.lookup(tree.id), tree.id)

    def _Attribute(self, tree: ast.Attribute) -> int:
        return self.value_node(self._resolve_value(tree), ast.unparse(tree))

    def _Constant(self, tree: ast.Constant) -> int:
        if isinstance(tree.value, (bool, int, float)):
            if isinstance(tree.value, int) and abs(tree.value) > 2**1023:
                self._fail(f"the constant {tree.value} is too large for a "
                           f"float")
            return self.b.const(float(tree.value))
        self._fail(f"unsupported constant {tree.value!r}")

    def _UnaryOp(self, tree: ast.UnaryOp) -> int:
        x = self.expr(tree.operand)
        if isinstance(tree.op, ast.USub):
            return self.b.neg(x)
        if isinstance(tree.op, ast.UAdd):
            return x
        return self.b.op("NOT", x)      # not, ~

    def _BinOp(self, tree: ast.BinOp) -> int:
        a = self.expr(tree.left)
        b = self.expr(tree.right)
        op = type(tree.op)
        if op in _BINOPS:
            return self.b.op(_BINOPS[op], a, b)
        if op is ast.Pow:
            return self.b.power(a, b)
        if op is ast.FloorDiv:
            return self.b.op("FLOOR", self.b.div(a, b))
        if op is ast.Mod:       # Python's sign convention: a - floor(a/b)*b
            return self.b.sub(a, self.b.mul(
                self.b.op("FLOOR", self.b.div(a, b)), b))
        self._fail(f"unsupported operator {type(tree.op).__name__} "
                   f"({ast.unparse(tree)!r})")

    def _BoolOp(self, tree: ast.BoolOp) -> int:
        name = "AND" if isinstance(tree.op, ast.And) else "OR"
        values = [self.expr(v) for v in tree.values]
        result = values[0]
        for v in values[1:]:
            result = self.b.op(name, result, v)
        return result

    def _Compare(self, tree: ast.Compare) -> int:
        left = self.expr(tree.left)
        result = None
        for op, right_tree in zip(tree.ops, tree.comparators):
            if type(op) not in _CMPOPS:
                self._fail(f"unsupported comparison {type(op).__name__}")
            right = self.expr(right_tree)
            c = self.b.op(_CMPOPS[type(op)], left, right)
            result = c if result is None else self.b.op("AND", result, c)
            left = right
        return result

    def _IfExp(self, tree: ast.IfExp) -> int:
        return self.b.op("WHERE", self.expr(tree.test), self.expr(tree.body),
                         self.expr(tree.orelse))

    def _Call(self, tree: ast.Call) -> int:
        text = ast.unparse(tree.func)
        if tree.keywords:
            self._fail(f"keyword arguments in call to {text!r}")
        func = self._resolve_value(tree.func)
        if isinstance(func, NodeRef):
            self._fail(f"{text!r} is a model variable, not a function")
        fname = _function_name(func, text) if callable(func) else None
        if self.call_hook is not None and callable(func) and (
                fname is None or hasattr(func, "_program_input")):
            # TimedArrays and functions written in Python: the caller
            # makes them input arrays of the program.
            return self.call_hook(self.b, func,
                                  [self.expr(a) for a in tree.args], text)
        if fname is None:
            self._fail(f"function {text!r} cannot be compiled (supported: "
                       f"{', '.join(SUPPORTED_FUNCTIONS)})")
        args = [self.expr(a) for a in tree.args]
        b = self.b

        def nargs(n):
            if len(args) != n:
                self._fail(f"{text}() takes {n} argument(s), "
                           f"got {len(args)}")
        if fname in ("rand", "randn"):
            nargs(0)
            if self.substreams is None:
                self._fail(f"{text}() is not available here")
            return b.random(fname.upper(), next(self.substreams))
        if fname in _UNARY:
            nargs(1)
            return b.op(_UNARY[fname], args[0])
        if fname == "clip":
            nargs(3)
            return b.op("CLIP", *args)
        if fname in ("minimum", "maximum"):
            nargs(2)
            test = "LT" if fname == "minimum" else "GT"
            return b.op("WHERE", b.op(test, args[0], args[1]), args[0],
                        args[1])
        nargs(1)
        x = args[0]
        one = b.const(1.0)
        if fname == "arcsinh":
            return b.op("LOG", b.add(x, b.op("SQRT", b.add(b.mul(x, x),
                                                           one))))
        if fname == "arccosh":
            return b.op("LOG", b.add(x, b.op("SQRT", b.sub(b.mul(x, x),
                                                           one))))
        # arctanh
        return b.mul(b.const(0.5), b.op("LOG", b.div(b.add(one, x),
                                                     b.sub(one, x))))
