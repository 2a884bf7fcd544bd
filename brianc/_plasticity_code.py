"""Pre and post codes of STDP -> segments of VM programs for csrc/core/stdp.c.

A code is a sequence of statements ``x = e``, ``x += e`` (also ``-=``,
``*=``, ``/=``) on the synaptic weight ``w`` and on the variables of its
own side (the presynaptic traces for the pre code).  Consecutive
statements on traces form a *trace segment*, run on the spiking neurons'
rows of their trace group; consecutive statements on ``w`` form a *synapse
segment*, run per synapse on a batch whose row 0 is ``w`` and whose other
rows are gathered trace values (``gather``: (side, row) per batch row,
side 0 the spiking neuron's own trace group, 1 the other one).
"""
from __future__ import annotations

import ast
import re
import textwrap

import numpy as np

from ._expr_compiler import (CompiledProgram, NodeRef, ProgramBuilder,
                             Translator, UnsupportedExpressionError)
from ._record import Record

__all__ = ["Segment", "split_statements", "modified_variables",
           "compile_code"]

_AUGMENTED = {ast.Add: "ADD", ast.Sub: "SUB", ast.Mult: "MUL",
              ast.Div: "DIV"}
OWN, OTHER = 0, 1


class Segment(Record):
    """One program of a plastic code, on the synapses or on a group."""
    _FIELDS = ("on_synapses", "program", "gather")

    def __init__(self, on_synapses: bool, program: CompiledProgram,
                 gather: list | None = None) -> None:
        self.on_synapses = on_synapses
        self.program = program
        self.gather = [] if gather is None else gather     # [(side, row)]


def split_statements(code: str) -> list[str]:
    """Statements of a code written on lines or separated by ';'."""
    text = textwrap.dedent(code)
    parts = []
    for line in text.splitlines():
        for piece in line.split(";"):
            piece = piece.split("#", 1)[0].strip()
            if piece:
                parts.append(piece)
    return parts


def _parse(statement: str, which: str) -> tuple[str, str | None, ast.AST]:
    """(target name, augmented opcode or None, value tree)."""
    try:
        tree = ast.parse(statement, mode="exec").body
    except SyntaxError as exc:
        raise SyntaxError(f"invalid statement {statement!r} in the {which} "
                          f"code: {exc.msg}") from None
    stmt = tree[0] if len(tree) == 1 else None
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, op, value = stmt.targets[0], None, stmt.value
    elif isinstance(stmt, ast.AugAssign) and type(stmt.op) in _AUGMENTED:
        target, op, value = stmt.target, _AUGMENTED[type(stmt.op)], \
            stmt.value
    else:
        raise UnsupportedExpressionError(
            f"unsupported statement {statement!r} in the {which} code: only "
            f"'x = e' and 'x += e' (also -=, *=, /=)")
    if not isinstance(target, ast.Name):
        raise UnsupportedExpressionError(
            f"unsupported target in {statement!r} ({which} code): assign to "
            f"w or to a variable of the STDP equations")
    return target.id, op, value


def modified_variables(code: str) -> list[str]:
    """Names a code assigns to, in order of first assignment."""
    names: list[str] = []
    for statement in split_statements(code):
        name = _parse(statement, "STDP")[0]
        if name not in names:
            names.append(name)
    return names


def substitute(code: str, definitions: dict[str, str]) -> str:
    """Replace each static equation or alias name by its parenthesised
    definition (later definitions first, as Brian 1 did)."""
    for name in reversed(list(definitions)):
        code = re.sub(rf"\b{name}\b", f"({definitions[name]})", code)
    return code


def _numbers_only(value, name: str, which: str):
    if isinstance(value, np.ndarray) and value.size != 1:
        raise UnsupportedExpressionError(
            f"{name!r} in the {which} code is an array; the codes take "
            f"numbers (use a variable of the STDP equations instead)")
    return value


def compile_code(code: str, which: str, own_rows: dict[str, int],
                 other_rows: dict[str, int],
                 namespaces: list[dict]) -> list[Segment]:
    """Segments of one code.  own_rows/other_rows map the variables of the
    code's own and other side to their rows in their trace groups."""
    statements = [(s, *_parse(s, which)) for s in split_statements(code)]
    for text, target, _, _ in statements:
        if target == "w" or target in own_rows:
            continue
        if target in other_rows:
            raise ValueError(f"the {which} code modifies {target!r}, a "
                             f"variable of the other side ({text!r})")
        known = ", ".join(sorted(own_rows) + ["w"])
        raise NameError(f"unknown variable {target!r} assigned in the "
                        f"{which} code ({text!r}); it can assign to {known}")
    segments: list[Segment] = []
    k = 0
    while k < len(statements):
        on_synapses = statements[k][1] == "w"
        run = []
        while k < len(statements) and (statements[k][1] == "w") == \
                on_synapses:
            run.append(statements[k])
            k += 1
        if on_synapses:
            segments.append(_synapse_segment(run, which, own_rows,
                                             other_rows, namespaces))
        else:
            segments.append(_trace_segment(run, which, own_rows, other_rows,
                                           namespaces))
    return segments


def _external(name: str, namespaces: list[dict], which: str, text: str):
    for ns in namespaces:
        if name in ns:
            return _numbers_only(ns[name], name, which)
    raise NameError(f"name {name!r} is not defined (in the {which} code, "
                    f"{text!r})")


def _trace_segment(run, which, own_rows, other_rows, namespaces) -> Segment:
    b = ProgramBuilder()
    nodes = {name: b.var(row) for name, row in own_rows.items()}
    start = dict(nodes)
    for text, target, op, value in run:
        def lookup(name, text=text):
            if name in nodes:
                return NodeRef(nodes[name])
            if name == "w" or name in other_rows:
                raise ValueError(
                    f"{text!r} in the {which} code updates a variable of "
                    f"its own side from {name!r}, which has one value per "
                    f"synapse or per neuron of the other side")
            if name == "t":
                return NodeRef(b.time())
            return _external(name, namespaces, which, text)
        node = Translator(b, lookup, None, f"the {which} code "
                          f"({text!r})").expr(value)
        if op is not None:
            node = b.op(op, nodes[target], node)
        nodes[target] = node
    stores = [(own_rows[n], nodes[n]) for n in own_rows
              if nodes[n] != start[n]]
    return Segment(False, b.build(stores))


def _synapse_segment(run, which, own_rows, other_rows,
                     namespaces) -> Segment:
    b = ProgramBuilder()
    gather: list[tuple[int, int]] = []
    batch_row: dict[tuple[int, str], int] = {}

    def gathered(side: int, name: str, row: int) -> int:
        key = (side, name)
        if key not in batch_row:
            gather.append((side, row))
            batch_row[key] = len(gather)
        return b.var(batch_row[key])
    w_node = b.var(0)
    for text, _, op, value in run:
        def lookup(name, text=text):
            if name == "w":
                return NodeRef(w_node)
            if name in own_rows:
                return NodeRef(gathered(OWN, name, own_rows[name]))
            if name in other_rows:
                return NodeRef(gathered(OTHER, name, other_rows[name]))
            if name == "t":
                return NodeRef(b.time())
            return _external(name, namespaces, which, text)
        node = Translator(b, lookup, None, f"the {which} code "
                          f"({text!r})").expr(value)
        w_node = b.op(op, w_node, node) if op is not None else node
    return Segment(True, b.build([(0, w_node)]), gather)
