"""The synaptic model: equations whose names reach into the groups a
Synapses object joins (``v_pre``, ``v_post``, bare target variables),
``(event-driven)`` equations turned into exact updates at events, and the
pre/post codes compiled to VM programs over the row space of
csrc/core/synapses.h (synaptic rows, then the source's, then the
target's)."""
from __future__ import annotations

import ast
import itertools
import textwrap

import numpy as np

from .._expr_compiler import CompiledProgram, ProgramBuilder
from .._model import Model, _Env, _namespace_list, assignment_parts
from .._record import Record
from ..equations import identifiers
from ..units import Quantity, get_dimensions

__all__ = ["SynapticModel", "CompiledCode"]

def _statements(code: str) -> list[ast.stmt]:
    """Lines, or ';'-separated statements, of a pre/post code."""
    text = textwrap.dedent(code).strip()
    try:
        return ast.parse(text, mode="exec").body
    except SyntaxError:
        pass
    lines = [part.strip() for line in text.splitlines()
             for part in line.split(";")]
    try:
        return ast.parse("\n".join(p for p in lines if p), mode="exec").body
    except SyntaxError as exc:
        raise SyntaxError(f"invalid synaptic code {code!r}: "
                          f"{exc.msg}") from None


# Names every synaptic code sees last (Brian 1 put NumPy's helpers in the
# codes' namespace).
_CODE_NAMES = {name: getattr(np, name) for name in (
    "clip", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "minimum",
    "maximum", "floor", "ceil")}
_CODE_NAMES.update(rand=np.random.rand, randn=np.random.randn)


class CompiledCode(Record):
    """A pathway's code: a program on the row space, or (when the code is
    only ``target_var += synaptic_var or constant``) the additions."""
    _FIELDS = ("program", "writes_target", "acc_row", "acc_src", "acc_const")

    def __init__(self, program: CompiledProgram | None,
                 writes_target: bool = False) -> None:
        self.program = program
        self.writes_target = writes_target
        self.acc_row: list = []     # target group rows
        self.acc_src: list = []     # synaptic rows or -1
        self.acc_const: list = []


class SynapticModel(Model):
    """Model of a Synapses object.  ``refs`` names the group variables the
    equations and codes use: {name: ('source' | 'target', variable)}."""

    def __init__(self, eqs, source, target, refs: dict, level: int = 0,
                 check_units: bool = True):
        for eq in eqs._eqs.values():
            for name in eq.names():
                if name in refs and name not in eqs._eqs:
                    side, var = refs[name]
                    group = source if side == "source" else target
                    unit = group._owner._model.units[var]
                    # a stand-in of the right dimensions for unit checks;
                    # translation finds the row first (see _env)
                    eq.namespace[name] = Quantity(1.0, get_dimensions(unit))
        super().__init__(eqs, level=level, check_units=check_units)
        n_own = len(self.state_names)
        src_names = source._owner._model.state_names
        tgt_names = target._owner._model.state_names
        self.n_rows = n_own + len(src_names) + len(tgt_names)
        self.extra_rows: dict[str, int] = {}
        self.target_rows: set[int] = set()
        for name, (side, var) in refs.items():
            if name in self._row:
                continue
            if side == "source":
                row = n_own + src_names.index(var)
            else:
                row = n_own + len(src_names) + tgt_names.index(var)
                self.target_rows.add(row)
            self.extra_rows[name] = row
        self.target_offset = n_own + len(src_names)
        # Python calls of the programs (python_calls.py): their rows come
        # after the groups' rows.
        self.calls: list = []

    def _python_input_call(self, b: ProgramBuilder, func, args: list,
                           text: str) -> int:
        from .python_calls import SynapticCall
        arguments = [float(b.value(a)) if b.is_const(a) else b.build(out=a)
                     for a in args]
        slot = len(self.calls)
        call = SynapticCall(func, text, arguments, slot, self.n_rows + slot)
        self.calls.append(call)
        b.python_inputs.append(call)
        return b.var(call.row)

    def _env(self, b: ProgramBuilder, xi=None, substreams=None) -> _Env:
        nodes = {k: b.var(i) for k, i in self._row.items()}
        nodes.update({k: b.var(r) for k, r in self.extra_rows.items()})
        return _Env(self, b, nodes, xi, substreams)

    def refers_to_groups(self, program: CompiledProgram) -> bool:
        """Whether a program reads or writes rows of the groups."""
        n_own = len(self.state_names)
        return bool(np.any((program.reg_kind == 2)
                           & (program.reg_index >= n_own)))

    # -- pre/post codes ---------------------------------------------------
    def compile_code(self, code: str, namespace, substream: int
                     ) -> CompiledCode:
        """Program running a pre or post code on the synapses of the
        events (statements ``x = e``, ``x += e``, ``-=``, ``*=``, ``/=`` on
        synaptic and target variables)."""
        stmts = _statements(code)
        spaces = _namespace_list(namespace) + [_CODE_NAMES]
        fast = self._accumulations(stmts, spaces)
        if fast is not None:
            return fast
        b = ProgramBuilder()
        base = self._env(b)
        env = _Env(self, b, dict(base.vars),
                   substreams=itertools.count(substream), statics_from=base)
        rows = dict(self._row)
        rows.update(self.extra_rows)
        for stmt in stmts:
            where = f"synaptic code {ast.unparse(stmt)!r}"
            target, value, op = assignment_parts(
                stmt, where, "synaptic and postsynaptic variables")
            name = self.aliases.get(target.id, target.id)
            if name.endswith("_pre") and name not in self._row:
                raise ValueError(
                    f"the {where} changes the presynaptic variable "
                    f"{name!r}: several synapses share a presynaptic "
                    f"neuron, so this is not allowed (as in Brian 1)")
            row = rows.get(name)
            if row is None or (row >= len(self.state_names)
                               and row not in self.target_rows):
                if name in self._static_set:
                    raise ValueError(f"cannot assign to static equation "
                                     f"{target.id!r} ({where})")
                raise NameError(f"{target.id!r} is neither a synaptic nor "
                                f"a postsynaptic variable ({where})")
            node = env.translate(value, spaces, where)
            if op is not None:
                node = b.op(op, env.vars[name], node)
            env.vars[name] = node
        stores = [(rows[k], env.vars[k]) for k in rows
                  if env.vars[k] != base.vars[k]]
        program = b.build(stores)
        writes = any(r in self.target_rows for r, _ in stores)
        return CompiledCode(program, writes_target=writes)

    def _accumulations(self, stmts, spaces) -> CompiledCode | None:
        """The additions if every statement is ``target_var += x`` with x a
        synaptic variable or a number, else None."""
        acc = CompiledCode(None)
        for stmt in stmts:
            if not (isinstance(stmt, ast.AugAssign)
                    and isinstance(stmt.op, ast.Add)
                    and isinstance(stmt.target, ast.Name)):
                return None
            row = self.extra_rows.get(stmt.target.id)
            if row is None or row not in self.target_rows:
                return None
            value = stmt.value
            if isinstance(value, ast.Name) and value.id in self._row:
                src, const = self._row[value.id], 0.0
            else:
                const = self._constant(value, spaces)
                if const is None:
                    return None
                src = -1
            acc.acc_row.append(row - self.target_offset)
            acc.acc_src.append(src)
            acc.acc_const.append(const)
        return acc if acc.acc_row else None

    def _constant(self, tree, spaces):
        """The value of an expression of external numbers only, or None."""
        names = identifiers(tree)
        values = {}
        for name in names:
            if name in self._row or name in self.extra_rows or name in (
                    "t", "rand", "randn"):
                return None
            for ns in spaces:
                if name in ns:
                    values[name] = ns[name]
                    break
            else:
                return None
        try:
            value = eval(compile(ast.Expression(tree), "<code>", "eval"),
                         {"__builtins__": {}}, values)
            return float(value)
        except Exception:
            return None
