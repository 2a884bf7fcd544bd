"""linked_var: one group's variable set from another group's variable
every step (Brian 1 API).

``G.I = linked_var(H, 'x', func=lambda x: clip(x, 0, inf))`` copies
``func(H.x)`` into ``G.I`` in the ``when`` slot of every step.  The copy
runs in C (a ``_core.LinkedVar`` task): the value is compiled as a program
over the source group, the source variable (a state variable or a static
equation) passed through ``func`` when ``func`` is a lambda or a one-line
``def`` the expression compiler can translate.  Any other function is
called from Python in the same slot, as Brian 1 did.
"""
from __future__ import annotations

import ast
import builtins
import inspect
import itertools
import textwrap

import numpy as np

from . import _core, magic
from .base import SLOTS
from .operation import NetworkOperation
from ._program import core_program

__all__ = ["linked_var", "LinkedVar"]


class LinkedVar:
    """What ``linked_var`` returns; assigning it to a group variable
    installs the link (see ``linked_var``)."""

    def __init__(self, source, var=0, func=None, when="start", clock=None):
        if when not in SLOTS:
            raise ValueError(f"linked_var: when must be one of "
                             f"{', '.join(SLOTS)}, got {when!r}")
        if func is not None and not callable(func):
            raise TypeError(f"linked_var: func must be a function of one "
                            f"argument, got {func!r}")
        self.source = source
        self.var = var
        self.func = func
        self.when = when
        self.clock = clock

    def _install_setter(self, group, name: str) -> None:
        """``group.name = linked_var(...)``: NeuronGroup's setter hook."""
        link = Link(self, group, name)
        magic.retag(link, 0)


def linked_var(source, var=0, func=None, when="start", clock=None):
    """Link a group variable to ``var`` of ``source``.

    ``G.V = linked_var(H, 'W')`` sets ``G.V`` to ``H.W`` in the ``when``
    slot of every step of ``clock`` (by default G's clock).  ``H.W`` may be
    a state variable or a static equation; ``func`` (a function of one
    array) transforms the values first.  H must have as many neurons as G
    (use subgroups otherwise) or a single neuron, whose value every neuron
    of G then takes.
    """
    return LinkedVar(source, var, func, when, clock)


# -- the function as an expression ------------------------------------------

def _code_matches(node: ast.AST, code) -> bool:
    """True if compiling ``node`` (a Lambda or FunctionDef) gives code with
    the same bytecode as ``code``."""
    if isinstance(node, ast.Lambda):
        module = ast.Expression(body=node)
        mode = "eval"
    else:
        module = ast.Module(body=[node], type_ignores=[])
        mode = "exec"
    try:
        compiled = compile(ast.fix_missing_locations(module), "<f>", mode)
    except (SyntaxError, ValueError):
        return False
    inner = [c for c in compiled.co_consts if inspect.iscode(c)]
    return any(c.co_code == code.co_code and c.co_names == code.co_names
               and c.co_consts == code.co_consts for c in inner)


def _function_expression(func) -> tuple[str, ast.AST] | None:
    """(argument name, body) of a one-argument lambda, or of a ``def``
    whose body is one ``return``; None if there is no such source."""
    code = getattr(func, "__code__", None)
    if code is None or code.co_argcount != 1 or code.co_kwonlyargcount or \
            code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return None
    try:
        lines, _ = inspect.getsourcelines(func)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    if code.co_name == "<lambda>":
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda)]
    else:
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
                 and n.name == code.co_name]
    nodes = [n for n in nodes if len(n.args.args) == 1]
    if len(nodes) > 1:
        nodes = [n for n in nodes if _code_matches(n, code)]
    if len(nodes) != 1:
        return None
    node = nodes[0]
    if isinstance(node, ast.Lambda):
        return node.args.args[0].arg, node.body
    body = node.body
    if body and isinstance(body[0], ast.Expr) and \
            isinstance(body[0].value, ast.Constant):
        body = body[1:]         # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Return) or \
            body[0].value is None:
        return None
    return node.args.args[0].arg, body[0].value


def _function_names(func) -> list[dict]:
    """The namespaces a function's body reads: closure, globals,
    builtins."""
    code = func.__code__
    cells = func.__closure__ or ()
    closure = {}
    for name, cell in zip(code.co_freevars, cells):
        try:
            closure[name] = cell.cell_contents
        except ValueError:      # an empty cell
            pass
    return [closure, func.__globals__, vars(builtins)]


def compile_link(model, name: str, func) -> object:
    """The program whose output is ``func(name)`` over a group of
    ``model``, or None when ``func`` is not an expression the compiler
    translates."""
    # The compiler loads with the first model, not with brianc.
    from ._expr_compiler import NodeRef, ProgramBuilder, Translator
    from ._model import SUBSTREAM_EQUATIONS
    b = ProgramBuilder()
    env = model._env(b, substreams=itertools.count(SUBSTREAM_EQUATIONS))
    value = env.vars[name] if name in env.vars else env.static(name)
    if func is not None:
        found = _function_expression(func)
        if found is None:
            return None
        arg, body = found
        spaces = _function_names(func)

        def lookup(key: str):
            if key == arg:
                return NodeRef(value)
            for ns in spaces:
                if key in ns:
                    return ns[key]
            raise NameError(f"name {key!r} is not defined (in the "
                            f"function of linked_var)")
        try:
            value = Translator(b, lookup, None, "the function of "
                               "linked_var").expr(body)
        except (ValueError, TypeError, NameError, KeyError):
            return None         # not an expression: called from Python
    return b.build(out=value)


# -- the link ---------------------------------------------------------------

class Link(NetworkOperation):
    """A group variable set from another group's every step (what
    assigning ``linked_var(...)`` creates); kept among the target group's
    ``contained_objects`` as in Brian 1."""

    def __init__(self, spec: LinkedVar, group, name: str):
        owner = group._owner
        source = spec.source
        if not hasattr(source, "_owner") or not hasattr(source, "state"):
            raise TypeError(f"linked_var: the source must be a group, got "
                            f"{source!r}")
        n_source, n_target = len(source), len(group)
        if n_source not in (1, n_target):
            raise ValueError(f"linked_var: {n_source} source neurons cannot "
                             f"set {n_target} target neurons (use a "
                             f"subgroup of the same size, or a source of "
                             f"one neuron)")
        self.clock = spec.clock if spec.clock is not None else owner._clock
        self.when = spec.when
        self.spec = spec
        self.function = None
        self.group = group
        self.var = name
        self._pass_clock = False
        row = owner._rows[name]
        self._dst = owner._state[row, group._origin:group._origin + n_target]
        self._source_name = self._resolve(source, spec.var)
        self._c = self._core_link(source, spec)
        magic.register(self, 0)
        owner.__dict__.setdefault("contained_objects", []).append(self)

    @staticmethod
    def _resolve(source, var) -> str | int:
        """The source's variable as a model name (or a state number)."""
        model = source._owner.__dict__.get("_model")
        if isinstance(var, (int, np.integer)) and not isinstance(var, bool):
            source.state(int(var))          # checks the range
            return int(var)
        if not isinstance(var, str):
            raise TypeError(f"linked_var: the source variable is a name or "
                            f"a number, got {var!r}")
        name = model.aliases.get(var, var) if model is not None else var
        source.state(name)                  # checks the name
        return name

    def _core_link(self, source, spec: LinkedVar):
        """A _core.LinkedVar doing the copy in C, or None."""
        owner = source._owner
        model = owner.__dict__.get("_model")
        if not hasattr(model, "_env"):      # a LazyStateUpdater's model
            return None
        name = self._source_name
        if isinstance(name, int):
            name = model.state_names[name]
        compiled = compile_link(model, name, spec.func)
        if compiled is None:
            return None
        try:
            return _core.LinkedVar(owner._c, core_program(compiled),
                                   source._origin, len(source), self._dst,
                                   float(self.clock.dt), SLOTS[self.when])
        except ValueError:      # e.g. arrays of another length
            return None

    def __call__(self) -> None:
        """Copy now (what the network does every step)."""
        if self._c is not None:
            dt = float(self.clock.dt)
            self._c.apply(int(round(float(self.clock.t) / dt)))
            return
        values = self.spec.source.state(self._source_name)
        if self.spec.func is not None:
            values = self.spec.func(values)
        self._dst[:] = values

    def _core_objects(self):
        if self._c is not None:
            return [("task", self._c, self.clock)]
        return [("operation", self, self.clock, SLOTS[self.when])]

    def __repr__(self) -> str:
        return (f"<linked_var {self.var} <- {self.spec.var!r} of "
                f"{self.spec.source!r}>")
