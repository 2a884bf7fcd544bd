"""The binding's checked Program for a program the expression compiler
made; kept apart from the compiler so that code running a program does
not load the compiler."""
from __future__ import annotations

from . import _core

__all__: list[str] = []


def core_program(compiled) -> "_core.Program":
    """The binding's checked Program for a CompiledProgram."""
    return _core.Program(compiled.code, compiled.reg_kind, compiled.reg_index,
                         compiled.reg_const, compiled.out_reg,
                         tuple(compiled.arrays),
                         getattr(compiled, "linear", None))
