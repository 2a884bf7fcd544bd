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

__all__ = ["full_pairs", "random_pairs", "condition_pairs", "evaluate",
           "synapse_values"]

_LOGICAL = ("LT", "LE", "GT", "GE", "EQ", "NE", "AND", "OR", "NOT")
_CHUNK = 1 << 18            # values evaluated per VM call (evaluate)


def _ids(x: np.ndarray) -> np.ndarray:
    """Neuron numbers (checked in range of a group) as the core's int32."""
    return np.asarray(x).astype(np.int32, copy=False)


def full_pairs(i: np.ndarray, j: np.ndarray, n: int):
    """Every pair of i x j, pre by pre; the whole block repeated n times
    (S[i, j] = n, as Brian 1); int32 arrays made in C."""
    return _core.synapse_full_pairs(_ids(i), _ids(j), n)


def random_pairs(i: np.ndarray, j: np.ndarray, p: float):
    """Each pair of i x j kept with probability p, independently: each row
    has Binomial(len(j), p) distinct targets, drawn in C from the engine's
    seed, row k from its own counter (the same pairs under seed() on any
    number of threads)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"connection probability must be in [0, 1], "
                         f"got {p}")
    return _core.synapse_random_pairs(_engine.current_seed(),
                                      _engine.new_stream(), _ids(i), _ids(j),
                                      float(p),
                                      _engine.run_threads())


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

        def resolve(node):          # x of x[i]: rare, so merged only then
            merged: dict = {}
            for ns in reversed(spaces):
                merged.update(ns)
            return eval(compile(ast.Expression(node), "<index>", "eval"),
                        merged)
        gathers = _Gathers(columns, resolve)
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
        # a number is a probability (Brian 1: rand() < value), drawn by
        # the caller from this substream
        self.draw_substream = -1
        if condition and b.kind(node) not in _LOGICAL:
            self.draw_substream = next(substreams)
        self.columns = columns
        self.program = core_program(b.build(out=node))
        self.seed = _engine.current_seed()
        self.stream = _engine.new_stream()
        self.chunks = itertools.count()

    @staticmethod
    def gather(array: np.ndarray, idx: np.ndarray, index: str):
        """array[idx] for the names ``x[i]``/``x[j]`` (index: i or j)."""
        idx = np.asarray(idx).astype(np.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= len(array)):
            raise IndexError(f"an array of {len(array)} values is "
                             f"indexed by {index} = {idx.max()}")
        return array[idx]

    def __call__(self, values: dict) -> np.ndarray:
        values = dict(values)
        for name, (array, index) in self.gathers.items():
            values[name] = self.gather(array, values[index], index)
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
    i and j are the indices relative to the shifts.  The string is
    compiled once and evaluated in C row by row: row k draws its rand()
    at step k, index = the column's position in j."""
    test = _Expression(expr, ["i", "j"], namespace, condition=True)
    axes = {"i": (i, shift_i), "j": (j, shift_j)}
    values, per_row = [], []
    for name in test.columns:
        if name in axes:            # i or j themselves
            axis = name
            index, shift = axes[axis]
            values.append((index - shift).astype(np.float64))
        else:                       # an array indexed by i or j
            array, axis = test.gathers[name]
            index, shift = axes[axis]
            values.append(test.gather(array, index - shift, axis))
        per_row.append(axis == "i")
    pre, post, bad = _core.synapse_condition_pairs(
        test.program, tuple(values), tuple(per_row), _ids(i), _ids(j),
        test.seed,
        test.stream, test.draw_substream, _engine.run_threads())
    if bad is not None:
        row, col, value = bad
        raise ValueError(
            f"Synapses: the condition {expr!r} must be boolean or a "
            f"probability in [0, 1]; it is {value!r} at i = "
            f"{int(i[row] - shift_i)}, j = {int(j[col] - shift_j)}")
    return pre, post


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


def synapse_values(expr: str, rows: dict, pre, post, n_syn: int, ids,
                   namespace) -> tuple[np.ndarray, int]:
    """Values of expr (a string assigned to synaptic variables) for the
    synapses ids (None: all n_syn), computed by the VM in C: rows maps
    the names it may read to (array, space), space 0 for an array over
    the synapses, 1 (2) for one indexed by the synapse's pre (post)
    neuron; ``x[i]``/``x[j]`` of an outside array are read the same way.
    rand() and randn() draw from brianc's generator, one number per
    synapse, a function of (seed, this assignment, synapse number).
    Returns (values, how many are NaN); raises
    UnsupportedExpressionError (a ValueError) if the VM cannot run it."""
    f = _Expression(expr, list(rows), namespace, condition=False)
    arrays, spaces = [], []
    for name in f.columns:
        if name in rows:
            array, space = rows[name]
        else:                       # x[i] / x[j]
            array, index = f.gathers[name]
            space = 1 if index == "i" else 2
        arrays.append(array)
        spaces.append(space)
    values, n_nan = _core.synapse_expr_values(
        f.program, tuple(arrays), tuple(spaces),
        pre if 1 in spaces else None, post if 2 in spaces else None,
        n_syn, ids, f.seed, f.stream, 0, _engine.run_threads())
    return values, n_nan
