"""Which synapses ``S[i, j] = value`` and the connect_* methods create, and
the VM evaluation of the strings they (and ``S.w[...] = 'expr'``) take."""
from __future__ import annotations

import ast
import builtins
import itertools

import numpy as np

from .. import _core, _engine
from .._expr_compiler import NodeRef, ProgramBuilder, Translator
from .._model import _namespace_list
from .._program import core_program

__all__ = ["full_pairs", "random_pairs", "condition_pairs", "evaluate"]

_LOGICAL = ("LT", "LE", "GT", "GE", "EQ", "NE", "AND", "OR", "NOT")
_CHUNK = 1 << 18            # pairs evaluated per VM call


def full_pairs(i: np.ndarray, j: np.ndarray, n: int):
    """Every pair of i x j, pre by pre; the whole block repeated n times
    (S[i, j] = n, as Brian 1)."""
    pre = np.repeat(i, len(j))
    post = np.tile(j, len(i))
    if n > 1:
        pre, post = np.tile(pre, n), np.tile(post, n)
    return pre, post


def random_pairs(i: np.ndarray, j: np.ndarray, p: float):
    """Each pair of i x j kept with probability p, independently: each row
    has Binomial(len(j), p) distinct targets, drawn by the core from the
    engine's seed (deterministic under seed())."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"connection probability must be in [0, 1], "
                         f"got {p}")
    rows, cols = _core.random_pairs(_engine.current_seed(),
                                    _engine.new_stream(), 0, len(i), 0,
                                    len(j), float(p))
    return i[rows], j[cols]


class _Gathers(ast.NodeTransformer):
    """``x[i]`` (or ``x[j]``) for an external array x (Brian 1's
    ``G.x[i]`` in conditions) becomes a column of its own, filled by
    indexing x with the pairs' i (or j)."""

    def __init__(self, columns: list[str], resolve):
        self.columns = columns
        self.resolve = resolve
        self.gathers: dict[str, tuple] = {}

    def visit_Subscript(self, node):
        index = node.slice
        if isinstance(index, ast.Name) and index.id in ("i", "j") and \
                index.id in self.columns:
            values = np.asarray(self.resolve(node.value), dtype=np.float64)
            if values.ndim == 1:
                name = f"_gather{len(self.gathers)}"
                self.gathers[name] = (values, index.id)
                return ast.copy_location(ast.Name(name, ast.Load()), node)
        return self.generic_visit(node)


class _Expression:
    """An expression of named columns compiled once, evaluated in chunks
    by the VM over a scratch group whose rows are the columns."""

    def __init__(self, expr: str, columns: list[str], namespace,
                 condition: bool):
        try:
            tree = ast.parse(expr.strip(), mode="eval")
        except SyntaxError as exc:
            raise SyntaxError(f"invalid expression {expr!r}: "
                              f"{exc.msg}") from None
        spaces = _namespace_list(namespace)
        merged: dict = {}
        for ns in reversed(spaces):
            merged.update(ns)
        gathers = _Gathers(columns, lambda node: eval(
            compile(ast.Expression(node), "<index>", "eval"), merged))
        tree = ast.fix_missing_locations(gathers.visit(tree))
        self.gathers = gathers.gathers
        columns = list(columns) + list(self.gathers)
        b = ProgramBuilder()
        rows = {name: b.var(k) for k, name in enumerate(columns)}

        def lookup(name):
            if name in rows:
                return NodeRef(rows[name])
            for ns in spaces:
                if name in ns:
                    return ns[name]
            if name in ("rand", "randn"):
                return getattr(np.random, name)
            if name in ("abs", "min", "max"):   # Python's, as in a script
                return getattr(builtins, name)
            raise NameError(f"name {name!r} is not defined (in {expr!r})")
        substreams = itertools.count(0)
        node = Translator(b, lookup, substreams, repr(expr)).expr(tree)
        if condition and b.kind(node) not in _LOGICAL:
            # a number is a probability (Brian 1: rand() < value)
            node = b.op("LT", b.random("RAND", next(substreams)), node)
        self.columns = columns
        self.program = core_program(b.build(out=node))
        self.seed = _engine.current_seed()
        self.stream = _engine.new_stream()
        self.chunks = itertools.count()

    def __call__(self, values: dict) -> np.ndarray:
        values = dict(values)
        for name, (array, index) in self.gathers.items():
            idx = values[index].astype(np.int64)
            if idx.size and (idx.min() < 0 or idx.max() >= len(array)):
                raise IndexError(f"an array of {len(array)} values is "
                                 f"indexed by {index} = {idx.max()}")
            values[name] = array[idx]
        n = len(next(iter(values.values()))) if values else 0
        state = np.empty((max(len(self.columns), 1), max(n, 1)))
        for k, name in enumerate(self.columns):
            state[k, :n] = values[name]
        group = _core.Group(state, 1.0, self.seed, self.stream)
        return group.evaluate(self.program, next(self.chunks))[:n]


def condition_pairs(i: np.ndarray, j: np.ndarray, expr: str, namespace,
                    shift_i: int = 0, shift_j: int = 0):
    """The pairs of i x j where the boolean string holds (or, for a
    numeric string, kept with that probability), pre by pre; the names
    i and j are the indices relative to the shifts."""
    test = _Expression(expr, ["i", "j"], namespace, condition=True)
    rows_per_chunk = max(1, _CHUNK // max(len(j), 1))
    pres, posts = [], []
    for start in range(0, len(i), rows_per_chunk):
        ii = i[start:start + rows_per_chunk]
        pre, post = full_pairs(ii, j, 1)
        keep = test({"i": (pre - shift_i).astype(np.float64),
                     "j": (post - shift_j).astype(np.float64)}) != 0.0
        pres.append(pre[keep])
        posts.append(post[keep])
    if not pres:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(pres), np.concatenate(posts)


def evaluate(expr: str, columns: dict, namespace) -> np.ndarray:
    """Values of expr over the synapses given by named columns (i, j and
    the synaptic variables); rand()/randn() draw one value per synapse."""
    names = list(columns)
    f = _Expression(expr, names, namespace, condition=False)
    n = len(next(iter(columns.values()))) if columns else 0
    out = np.empty(n)
    for start in range(0, n, _CHUNK):
        part = {k: np.asarray(v[start:start + _CHUNK], dtype=np.float64)
                for k, v in columns.items()}
        out[start:start + _CHUNK] = f(part)
    return out
