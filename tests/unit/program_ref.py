"""Reference interpreter of VM programs in pure NumPy, for tests.

Runs a CompiledProgram over whole state rows the way docs/ARCHITECTURE.md
section 2 defines the VM; random draws come from caller-supplied functions
so tests can make them deterministic.
"""
from __future__ import annotations

import numpy as np

from brianc._expr_compiler import opcodes

__all__ = ["run_program"]

def _exprel(x):
    with np.errstate(all="ignore"):
        return np.where(x == 0, 1.0, np.expm1(x) / np.where(x == 0, 1, x))


_UNARY = {"NEG": np.negative, "EXP": np.exp, "EXPM1": np.expm1,
          "EXPREL": _exprel,
          "LOG": np.log, "LOG10": np.log10, "SQRT": np.sqrt,
          "ABS": np.abs, "SIN": np.sin, "COS": np.cos, "TAN": np.tan,
          "ARCSIN": np.arcsin, "ARCCOS": np.arccos, "ARCTAN": np.arctan,
          "SINH": np.sinh, "COSH": np.cosh, "TANH": np.tanh,
          "FLOOR": np.floor, "CEIL": np.ceil,
          "NOT": lambda a: (a == 0).astype(float)}
_BINARY = {"ADD": np.add, "SUB": np.subtract, "MUL": np.multiply,
           "DIV": np.divide, "POW": np.power,
           "LT": np.less, "LE": np.less_equal, "GT": np.greater,
           "GE": np.greater_equal, "EQ": np.equal, "NE": np.not_equal,
           "AND": lambda a, b: (a != 0) & (b != 0),
           "OR": lambda a, b: (a != 0) | (b != 0)}
_TERNARY = {"FMA": lambda a, b, c: a * b + c,
            "FMS": lambda a, b, c: a * b - c,
            "FNMA": lambda a, b, c: c - a * b,
            "SUBMUL": lambda a, b, c: (a - b) * c,
            "ADDMUL": lambda a, b, c: (a + b) * c,
            "MUL3": lambda a, b, c: (a * b) * c,
            "MUL3OM": lambda a, b, c: (a * b) * (1.0 - c),
            "EXPA": lambda a, b, c: np.exp(a * b + c),
            "EXPM1A": lambda a, b, c: np.expm1(a * b + c),
            "EXPRELA": lambda a, b, c: _exprel(a * b + c),
            "EXPRELS": lambda a, b, c: c * _exprel(a * b)}


def run_program(program, state: np.ndarray, t: float = 0.0,
                rand=None, randn=None, index=None) -> np.ndarray | None:
    """Run ``program`` on ``state`` (n_vars x n, modified in place).

    ``rand(substream, n)`` / ``randn(substream, n)`` supply draws;
    ``index`` restricts the run to those neurons (like bc_vm_run_indexed).
    Returns the out_reg values, or None.
    """
    names = {v: k for k, v in opcodes().items()}
    full_n = state.shape[1]
    idx = np.arange(full_n) if index is None else np.asarray(index)
    linear = getattr(program, "linear", None)
    if linear is not None:      # the fused prologue: X <- A X + C
        a, c = linear
        m = len(c)
        state[:m, idx] = a @ state[:m, idx] + c[:, None]
    n = len(idx)
    regs: list = [None] * len(program.reg_kind)
    written = set()
    for r, kind in enumerate(program.reg_kind):
        if kind == 1:
            regs[r] = np.full(n, program.reg_const[r])
        elif kind == 2:
            regs[r] = state[program.reg_index[r], idx].copy()
        elif kind == 3:
            regs[r] = np.asarray(program.arrays[program.reg_index[r]])[idx]
        elif kind == 4:
            regs[r] = np.full(n, float(t))
        else:
            regs[r] = np.full(n, np.nan)    # temps start as garbage
    with np.errstate(all="ignore"):
        for op, dst, a, b, c in np.asarray(program.code).tolist():
            name = names[op]
            if name == "MOV":
                value = regs[a].copy()
            elif name in _UNARY:
                value = _UNARY[name](regs[a])
            elif name in _BINARY:
                value = _BINARY[name](regs[a], regs[b]).astype(float)
            elif name in ("DIVEXPM1A", "DIVEXP1PA", "DIVEXPM1AS",
                          "DIVEXP1PAS"):  # c, c + 1 (, c + 2): constants
                k0, k1 = program.reg_const[c], program.reg_const[c + 1]
                if name.startswith("DIVEXPM1A"):
                    value = regs[a] / np.expm1(regs[b] * k0 + k1)
                else:
                    value = regs[a] / (1.0 + np.exp(regs[b] * k0 + k1))
                if name.endswith("S"):
                    value = program.reg_const[c + 2] * value
            elif name == "FMAADD":  # c, c + 1: constants
                k0, k1 = program.reg_const[c], program.reg_const[c + 1]
                value = regs[b] + (regs[a] * k0 + k1)
            elif name in _TERNARY:
                value = _TERNARY[name](regs[a], regs[b], regs[c])
            elif name == "CLIP":
                value = np.minimum(np.maximum(regs[a], regs[b]), regs[c])
            elif name == "WHERE":
                value = np.where(regs[a] != 0, regs[b], regs[c])
            elif name == "RAND":
                value = np.asarray(rand(a, n), dtype=float)
            elif name == "RANDN":
                value = np.asarray(randn(a, n), dtype=float)
            else:
                raise ValueError(f"unknown opcode {op}")
            assert program.reg_kind[dst] in (0, 2), "write to a read-only reg"
            regs[dst] = value
            if program.reg_kind[dst] == 2:
                written.add(dst)
    for r in written:
        state[program.reg_index[r], idx] = regs[r]
    if program.out_reg >= 0:
        return regs[program.out_reg].copy()
    return None
