"""Model: Equations prepared for a NeuronGroup (spec 3.6, 5, 6.1-6.2).

Orders the state variables (with Brian 1's Vm swap), checks names and
dimensions, decides linearity, and compiles the state update, string
thresholds, string resets and static equations into VM programs.
"""
from __future__ import annotations

import ast
import itertools
import re
import textwrap
import types
from typing import Any

import numpy as np

from ._deep import allow_deep_expressions, check_length
from ._expr_compiler import (CompiledProgram, NodeRef, ProgramBuilder,
                             Translator, UnsupportedExpressionError)
from ._integration import (DagTools, UpdateInfo, dense_matrix, linear_step,
                           select_method)
from ._python_inputs import PythonInput
from ._equation_parsing import (VM_NAMES, DimensionChecker, ParsedEquations,
                                _units, brianc_names, expected_dimension,
                                identifiers)
from .log import log_warn


_AUGMENTED = {ast.Add: "ADD", ast.Sub: "SUB", ast.Mult: "MUL",
              ast.Div: "DIV"}


def assignment_parts(stmt: ast.stmt, where: str, targets: str):
    """(target name node, value, opcode or None) of a statement ``x = e``
    or ``x += e`` (also -=, *=, /=); anything else is an error naming
    ``where`` and what may be assigned (``targets``)."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target, value, op = stmt.targets[0], stmt.value, None
    elif isinstance(stmt, ast.AugAssign) and type(stmt.op) in _AUGMENTED:
        target, value, op = stmt.target, stmt.value, _AUGMENTED[type(stmt.op)]
    else:
        raise UnsupportedExpressionError(
            f"unsupported {where}: only 'x = e' and 'x += e' (also -=, *=, "
            f"/=) on {targets}")
    if not isinstance(target, ast.Name):
        raise UnsupportedExpressionError(f"unsupported target in {where}")
    return target, value, op


def _warn(msg: str, *args) -> None:
    """A warning on Brian 1's brian.equations logger (brianc.log imports
    logging on first use: most scripts never warn)."""
    log_warn("brian.equations", msg % args)

__all__ = ["Model"]


# Sub-stream bases within a group's 256 streams: noise uses the state row
# of its variable; rand()/randn() in equations, thresholds and resets get
# their own ranges so no two uses share draws.
SUBSTREAM_EQUATIONS = 64
SUBSTREAM_CONDITION = 128
SUBSTREAM_STATEMENTS = 192
_LOGICAL = ("LT", "LE", "GT", "GE", "EQ", "NE", "AND", "OR", "NOT")


def _is_python_function(value: Any) -> bool:
    """Brian 1's test that disqualifies the linear updater (spec 5.1):
    callables other than NumPy ufuncs, builtins, classes and modules."""
    return callable(value) and not isinstance(
        value, (np.ufunc, type, types.BuiltinFunctionType, types.ModuleType))


def _namespace_list(namespace) -> list[dict]:
    """A user namespace (None, a dict, or a sequence of dicts searched in
    order, e.g. caller_namespace()'s (locals, globals)) plus brianc's."""
    if namespace is None:
        spaces = []
    elif isinstance(namespace, dict):
        spaces = [namespace]
    else:
        spaces = [ns for ns in namespace if ns is not None]
    return spaces + [brianc_names()]


def _is_number(value: Any) -> bool:
    return isinstance(value, (bool, int, float, np.number, np.ndarray))


class _Env:
    """Name resolution for translating model expressions into one builder:
    state variables map to nodes (their VAR leaves, or values within a
    formula such as RK2's midpoint), static equations are translated once
    per environment."""

    def __init__(self, model: "Model", builder: ProgramBuilder,
                 var_nodes: dict, xi: int | None = None,
                 substreams=None, statics_from: "_Env | None" = None):
        self.model = model
        self.b = builder
        self.vars = var_nodes
        self.xi = xi
        self.t = builder.time()
        self.substreams = substreams
        self.statics_from = statics_from or self
        self._static: dict[str, int] = {}

    def lookup_fn(self, namespaces: list[dict], where: str,
                  shadow: list[dict] | None = None):
        model = self.model

        def lookup(name: str):
            if shadow:
                for ns in shadow:       # threshold strings: caller wins
                    if name in ns and _is_number(ns[name]):
                        return ns[name]
            if name in self.vars:
                return NodeRef(self.vars[name])
            if name in model.aliases:
                return lookup(model.aliases[name])
            if name in model._static_set:
                return NodeRef(self.statics_from.static(name))
            if name == "t":
                return NodeRef(self.t)
            if name == "xi" and self.xi is not None:
                return NodeRef(self.xi)
            for ns in namespaces:
                if name in ns:
                    return ns[name]
            if name in ("rand", "randn") and self.substreams is not None:
                return getattr(np.random, name)     # always available
            raise NameError(f"name {name!r} is not defined (in {where})")
        return lookup

    def translate(self, tree: ast.AST, namespaces: list[dict], where: str,
                  shadow: list[dict] | None = None) -> int:
        tr = Translator(self.b, self.lookup_fn(namespaces, where, shadow),
                        self.substreams, where,
                        call_hook=self.model._program_input_call)
        return tr.expr(tree)

    def static(self, name: str) -> int:
        node = self._static.get(name)
        if node is None:
            eq = self.model._eqs[name]
            node = self.translate(eq.tree, [eq.namespace],
                                  f"equation '{eq.source}'")
            self._static[name] = node
        return node


class Model:
    """Equations prepared for a group of neurons.

    Parameters
    ----------
    eqs : Equations, str or list
        The model; strings resolve names ``level`` frames out of the first
        frame outside brianc.
    n : int, optional
        Group size, to check the length of external arrays.
    check_units : bool
        Brian 1's ``unit_checking``.
    """

    @allow_deep_expressions
    def __init__(self, eqs: Any, level: int = 0, n: int | None = None,
                 check_units: bool = True) -> None:
        if not isinstance(eqs, ParsedEquations):
            eqs = ParsedEquations(eqs, level=level)
        self.equations = eqs
        self.n = n
        # Private copies: model names are removed from the namespaces.
        self._eqs = {k: e.replaced(namespace=dict(e.namespace))
                     for k, e in eqs._eqs.items()}
        names = [k for k, e in self._eqs.items() if e.kind in ("diff",
                                                               "param")]
        found = [i for i, k in enumerate(names) if k in VM_NAMES]
        if len(found) == 1:     # a swap, not a move (spec 3.6)
            i = found[0]
            names[0], names[i] = names[i], names[0]
        self.state_names: list[str] = names
        self._row = {k: i for i, k in enumerate(names)}
        self.diff_names = [k for k in names if self._eqs[k].kind == "diff"]
        self.param_names = [k for k in names if self._eqs[k].kind == "param"]
        self.aliases = self._resolve_aliases()
        self.static_names = self._order_statics()
        self._static_set = set(self.static_names)
        self.units = {k: e.unit for k, e in self._eqs.items()
                      if e.kind != "alias"}
        for alias, target in self.aliases.items():
            self.units[alias] = self.units[target]
        self._check_names()
        if check_units:
            self._check_units()
        self._analysis = None
        self._rhs_state = None
        self._linear = None
        self._cond_linear = None
        # Set by the group: its clock, for inputs such as TimedArray(t);
        # the network entries those inputs need are collected here.
        self.clock = None
        self.input_entries: list = []

    # -- preparation ------------------------------------------------------
    def _resolve_aliases(self) -> dict[str, str]:
        result = {}
        for name, eq in self._eqs.items():
            if eq.kind != "alias":
                continue
            seen, target = {name}, eq.expr
            while target in self._eqs and self._eqs[target].kind == "alias":
                if target in seen:
                    raise ReferenceError(f"aliases form a cycle: {name}")
                seen.add(target)
                target = self._eqs[target].expr
            if target not in self._eqs:
                raise NameError(f"alias '{eq.source}' names {target!r}, "
                                "which is not a model variable")
            result[name] = target
        return result

    def _order_statics(self) -> list[str]:
        """Static equations in dependency order; a cycle is an error."""
        statics = [k for k, e in self._eqs.items() if e.kind == "static"]
        state: dict[str, int] = {}      # 1 visiting, 2 done
        order: list[str] = []

        def visit(name: str, path: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                raise ReferenceError("static equations depend on each other "
                                     "in a cycle: " + " -> ".join(path))
            state[name] = 1
            for dep in self._eqs[name].names():
                dep = self.aliases.get(dep, dep)
                if dep in self._eqs and self._eqs[dep].kind == "static":
                    visit(dep, path + [dep])
            state[name] = 2
            order.append(name)
        for name in statics:
            visit(name, [name])
        return order

    def _check_names(self) -> None:
        for eq in self._eqs.values():
            if eq.kind in ("alias", "param"):
                continue
            for name in eq.names():
                if (name in self._eqs or name in ("t", "xi")
                        or name in eq.namespace):
                    continue
                raise NameError(f"name {name!r} is not defined "
                                f"(in equation '{eq.source}')")
            shadowed = [k for k in eq.namespace if k in self._eqs]
            for k in shadowed:      # the model variable wins (spec 3.3)
                _warn("model variable %r shadows the external name of the "
                      "same name", k)
                del eq.namespace[k]

    def _check_units(self) -> None:
        units = _units()
        second = units.get_dimensions(units.second)

        def lookup_for(eq):
            def lookup(name):
                name = self.aliases.get(name, name)
                if name in self._eqs:
                    return "dim", units.get_dimensions(self._eqs[name].unit)
                if name == "t":
                    return "dim", second
                if name == "xi":
                    return "dim", second ** -0.5
                return "value", eq.namespace[name]
            return lookup
        for name, eq in self._eqs.items():
            if eq.kind not in ("diff", "static"):
                continue
            got = DimensionChecker(lookup_for(eq), eq.source).dims(eq.tree)[0]
            expected = expected_dimension(eq)
            if got is not None and not got == expected:
                what = ("differential" if eq.kind == "diff" else "static")
                raise units.DimensionMismatchError(
                    f"The {what} equation of {name} is not homogeneous: "
                    f"'{eq.source}' has dimensions ({got}), expected "
                    f"({expected})", got, expected)

    # -- symbolic analysis ------------------------------------------------
    def _env(self, b: ProgramBuilder, xi: int | None = None,
             substreams=None) -> _Env:
        return _Env(self, b, {k: b.var(i) for k, i in self._row.items()},
                    xi, substreams)

    def _rhs(self, b: ProgramBuilder):
        """Deterministic right-hand sides (xi = 0) and xi coefficients, as
        nodes of ``b``: ({var: f}, {var: sigma node})."""
        xi = b.symbol("xi")
        env = self._env(b, xi, itertools.count(SUBSTREAM_EQUATIONS))
        tools = DagTools(b)
        det, noise = {}, {}
        for name in self.diff_names:
            eq = self._eqs[name]
            f = env.translate(eq.tree, [eq.namespace],
                              f"equation '{eq.source}'")
            if xi in tools.leaves(f):
                parts = tools.decompose(f, xi, {})
                if parts is None:
                    raise ValueError(f"only additive noise is supported: "
                                     f"xi must appear linearly in "
                                     f"'{eq.source}'")
                noise[name], f = parts
            det[name] = f
        return det, noise, tools

    def _analyse(self):
        if self._analysis is None:
            b = ProgramBuilder()
            det, noise, tools = self._rhs(b)
            # compile_update starts from copies of this state: translating
            # the equations again would make the same nodes.
            # (The node caches of tools are copied now: the analysis below
            # adds nodes that the copies will number differently.)
            start = b.copy()
            self._rhs_state = (start, det, tools.copy(start))
            # sigma: the coefficient with every variable at 1 in its unit
            ones = {b.var(i): b.const(float(self.units[k]))
                    for k, i in self._row.items()}
            ones[b.time()] = b.const(0.0)
            sigma = {}
            for name, node in noise.items():
                value = tools.substitute(node, ones, {})
                if not b.is_const(value):
                    raise ValueError(f"the coefficient of xi in equation "
                                     f"'{self._eqs[name].source}' is not "
                                     "a number")
                sigma[name] = b.value(value)
            self._analysis = (b, det, sigma, tools)
        return self._analysis

    @property
    def noise(self) -> dict[str, float]:
        """Coefficient of xi (SI) of each noisy variable, in state order."""
        return dict(self._analyse()[2])

    @allow_deep_expressions
    def is_linear(self) -> bool:
        """Brian 1's test for the exact linear updater (spec 5.1)."""
        if self._linear is None:
            self._linear = self._compute_linear()
        return self._linear

    def _compute_linear(self) -> bool:
        for eq in self._eqs.values():
            for k, value in eq.namespace.items():
                if k not in self._eqs and _is_python_function(value):
                    return False
        b, det, _, tools = self._analyse()
        var_leaves = frozenset(b.var(i) for i in self._row.values())
        memo: dict = {}
        for f in det.values():
            leaves = tools.leaves(f)
            if leaves - var_leaves:     # t, arrays, random draws
                return False
            if tools.degree(f, var_leaves, memo) > 1:
                return False
        return True

    @allow_deep_expressions
    def is_conditionally_linear(self) -> bool:
        """Every RHS affine in its own variable (spec 5.1)."""
        if self._cond_linear is None:
            b, det, _, tools = self._analyse()
            self._cond_linear = all(
                tools.decompose(det[k], b.var(self._row[k]), {}) is not None
                for k in self.diff_names)
        return self._cond_linear

    @allow_deep_expressions
    def linear_system(self) -> tuple[np.ndarray, np.ndarray]:
        """(M, b) in SI with dX/dt = M X + b over all state variables,
        computed as Brian 1 does: b = f(0), M[:, i] = f(e_i) - b."""
        rows, cols, values, bvec = self.linear_entries()
        return dense_matrix(len(bvec), rows, cols, values), bvec

    @allow_deep_expressions
    def linear_entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                      np.ndarray]:
        """M of linear_system as its entries (rows, columns, values; the
        entries that are not 0, column by column) and b: the work and the
        memory grow with the number of couplings, not with n**2."""
        if not self.is_linear():
            raise TypeError("the model is not linear")
        b, det, _, tools = self._analyse()
        n = len(self.state_names)
        leaves = [b.var(i) for i in range(n)]
        column_of = {leaf: i for i, leaf in enumerate(leaves)}
        # Column i only involves the equations that read variable i.
        readers: dict[int, list[str]] = {}
        for name, f in det.items():
            for leaf in tools.leaves(f):
                if leaf in column_of:
                    readers.setdefault(column_of[leaf], []).append(name)

        def at(names, point: int | None) -> np.ndarray:
            # The right-hand sides at X = e_point (0 for None), computed
            # as substituting constants would fold them.
            values = {} if point is None else {leaves[point]: 1.0}
            memo: dict = {}
            out = np.zeros(len(names))
            for k, name in enumerate(names):
                out[k] = b.evaluate(det[name], values, memo, other_vars=0.0)
            return out
        names = list(det)
        bvec = np.zeros(n)
        bvec[[self._row[k] for k in names]] = at(names, None)
        rows, cols, values = [], [], []
        for i, group in readers.items():
            group_rows = [self._row[k] for k in group]
            with np.errstate(invalid="ignore", over="ignore"):
                column = at(group, i) - bvec[group_rows]
            rows.extend(group_rows)
            cols.extend([i] * len(group_rows))
            values.extend(column.tolist())
        rows_a = np.array(rows, dtype=np.intp)
        cols_a = np.array(cols, dtype=np.intp)
        values_a = np.array(values, dtype=np.float64)
        keep = values_a != 0.0          # NaN is kept (and refused later)
        return rows_a[keep], cols_a[keep], values_a[keep], bvec

    @allow_deep_expressions
    def derivatives(self, values: dict[str, float], t: float = 0.0
                    ) -> dict[str, float]:
        """Deterministic derivatives (SI) at scalar state ``values``
        (missing variables are 0), e.g. for a nonlinear rest()."""
        b, det, _, tools = self._analyse()
        mapping = {b.var(i): b.const(float(values.get(k, 0.0)))
                   for k, i in self._row.items()}
        mapping[b.time()] = b.const(float(t))
        memo: dict = {}
        result = {}
        for name, f in det.items():
            node = tools.substitute(f, mapping, memo)
            if not b.is_const(node):
                raise ValueError(f"the derivative of {name} depends on "
                                 "external arrays or random numbers")
            result[name] = b.value(node)
        return result

    # -- compilation ------------------------------------------------------
    @allow_deep_expressions
    def compile_update(self, dt: float, method: str | None = None,
                       implicit: bool = False, order: int = 1
                       ) -> tuple[CompiledProgram, UpdateInfo]:
        """The state-update program for one step of ``dt`` (seconds) and a
        description of it; the method is chosen as Brian 1 does."""
        dt = float(dt)
        kind = select_method(method, implicit, order, self.is_linear,
                             self.is_conditionally_linear)
        _, _, sigma, _ = self._analyse()
        b0, det, tools0 = self._rhs_state
        b = b0.copy()
        tools = tools0.copy(b)
        var = {k: b.var(i) for k, i in self._row.items()}
        info = UpdateInfo(kind, dt, list(self.state_names), sigma=sigma)
        new: dict[str, int] = {}
        if kind == "linear":
            rows, cols, values, bvec = self.linear_entries()
            if not (np.isfinite(values).all() and np.isfinite(bvec).all()):
                raise ValueError(f"the linear model {self.state_names} has a "
                                 f"coefficient that is infinite or NaN (a "
                                 f"constant overflows)")
            step = linear_step(len(bvec), rows, cols, values, bvec, dt)
            info.method = step.method
            info.b, info.C = bvec, step.c
            info.set_dense_later(
                M=lambda: dense_matrix(len(bvec), rows, cols, values),
                A=step.dense)
            # X <- A X + C runs as the program's fused linear prologue;
            # the instructions then only add the noise.
            linear = step.prologue()
        elif kind in ("euler", "rk2"):
            step = b.const(dt)
            if kind == "rk2":
                half = b.const(dt / 2)
                mid = {var[k]: b.add(var[k], b.mul(half, det[k]))
                       for k in self.diff_names}
                memo: dict = {}
                slopes = {k: tools.substitute(det[k], mid, memo)
                          for k in self.diff_names}
            else:
                slopes = det
            for k in self.diff_names:
                new[k] = b.add(var[k], b.mul(step, slopes[k]))
        else:   # exponential Euler: x += f(x) dt exprel(A dt)
            # with exprel(z) = expm1(z)/z (1 at z = 0, Brian 1's A == 0
            # case: x += dt f), algebraically Brian 1's
            # -B + (x + B) exp(A dt) and one fused operation in the VM.
            step = b.const(dt)
            for k in self.diff_names:
                a_k, b_k = tools.decompose(det[k], var[k], {})
                if b.is_const(a_k) and b.is_const(b_k):
                    # constant coefficients: x exp(A dt) + B dt exprel(A dt)
                    # is the exact solution, one pass instead of three
                    z = b.value(a_k) * dt
                    decay = b.mul(var[k], b.const(np.exp(z)))
                    drive = b.value(b_k) * dt * b.value(
                        b.op("EXPREL", b.const(z)))
                    new[k] = decay if drive == 0 else b.add(
                        decay, b.const(drive))
                    continue
                # dt exprel(A dt): one EXPRELS pass in the VM
                factor = b.mul(step, b.op("EXPREL", b.mul(a_k, step)))
                new[k] = b.op("FMA", det[k], factor, var[k])
        for k, s in sigma.items():
            noise = b.mul(b.const(s * np.sqrt(dt)),
                          b.random("RANDN", self._row[k]))
            new[k] = b.add(new.get(k, var[k]), noise)
        stores = [(self._row[k], new[k]) for k in self.state_names
                  if k in new]
        program = self._check_arrays(b.build(stores))
        if kind == "linear":    # exact, or Brian 1's 100-substep fallback
            program.linear = linear
        return program, info

    def _check_arrays(self, program: CompiledProgram) -> CompiledProgram:
        if self.n is not None:
            for arr in program.arrays:
                if arr.shape[0] != self.n:
                    raise ValueError(f"an external array has length "
                                     f"{arr.shape[0]}, the group has "
                                     f"{self.n} neurons")
        return program

    @staticmethod
    def _parse(expr: str, what: str) -> ast.Expression:
        check_length(expr, f"the {what}")
        try:
            return ast.parse(expr.strip(), mode="eval")
        except SyntaxError as exc:
            raise SyntaxError(f"invalid {what} {expr!r}: {exc.msg}") from None

    @allow_deep_expressions
    def compile_condition(self, expr: str, namespace=None,
                          substream: int = SUBSTREAM_CONDITION
                          ) -> CompiledProgram:
        """Program whose out_reg is 1.0 where ``expr`` holds (0.0
        elsewhere).  As in Brian 1's StringThreshold, numbers found in
        ``namespace`` shadow model variables."""
        tree = self._parse(expr, "condition")
        b = ProgramBuilder()
        env = self._env(b, substreams=itertools.count(substream))
        spaces = _namespace_list(namespace)
        node = env.translate(tree, spaces, f"condition {expr!r}",
                             shadow=spaces[:-1])
        if b.kind(node) not in _LOGICAL:
            node = b.op("NE", node, b.const(0.0))
        return self._check_arrays(b.build(out=node))

    @allow_deep_expressions
    def compile_statements(self, code: str, namespace=None,
                           substream: int = SUBSTREAM_STATEMENTS
                           ) -> CompiledProgram:
        """Program running ``code`` (lines or ';'-separated statements
        ``x = e``, ``x += e``, ``-=``, ``*=``, ``/=``) in order on model
        variables.  Model variables override ``namespace``; static
        equations use the values from before the statements."""
        text = textwrap.dedent(code).strip()
        check_length(text, "the statements")
        try:
            module = ast.parse(text, mode="exec")
        except SyntaxError:
            try:
                module = ast.parse("\n".join(
                    line.strip() for line in text.splitlines()), mode="exec")
            except SyntaxError as exc:
                raise SyntaxError(f"invalid statements {code!r}: "
                                  f"{exc.msg}") from None
        b = ProgramBuilder()
        base = self._env(b)
        env = _Env(self, b, dict(base.vars),
                   substreams=itertools.count(substream), statics_from=base)
        spaces = _namespace_list(namespace)
        for stmt in module.body:
            where = f"statement {ast.unparse(stmt)!r}"
            target, value, op = assignment_parts(stmt, where,
                                                 "model variables")
            name = self.aliases.get(target.id, target.id)
            if name not in self._row:
                if name in self._static_set:
                    raise ValueError(f"cannot assign to static equation "
                                     f"{target.id!r} ({where})")
                raise NameError(f"{target.id!r} is not a model variable "
                                f"({where})")
            node = env.translate(value, spaces, where)
            if op is not None:
                node = b.op(op, env.vars[name], node)
            env.vars[name] = node
        stores = [(self._row[k], env.vars[k]) for k in self.state_names
                  if env.vars[k] != base.vars[k]]
        return self._check_arrays(b.build(stores))

    @allow_deep_expressions
    def compile_static(self, name: str) -> CompiledProgram:
        """Program whose out_reg holds the value of a static equation,
        alias or state variable."""
        target = self.aliases.get(name, name)
        if target not in self._eqs:
            raise KeyError(f"{name!r} is not a model variable")
        b = ProgramBuilder()
        env = self._env(b, substreams=itertools.count(SUBSTREAM_EQUATIONS))
        if target in self._row:
            node = env.vars[target]
        else:
            node = env.static(target)
        return self._check_arrays(b.build(out=node))

    # -- threshold and reset strings (spec 6.1, 6.2) ----------------------
    def _constant_value(self, text: str, namespace):
        """The value of ``text`` if every name in it is an external,
        non-callable value (not a model name, not t), else None."""
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError:
            return None
        values = {}
        for name in identifiers(tree):
            if name in self._eqs or name in ("t", "xi"):
                return None
            for ns in _namespace_list(namespace):
                if name in ns:
                    values[name] = ns[name]
                    break
            else:
                return None
            if callable(values[name]):
                return None
        try:
            return eval(compile(tree, "<threshold>", "eval"),
                        {"__builtins__": {}}, values)
        except Exception:
            return None

    @allow_deep_expressions
    def select_threshold(self, spec: str, namespace=None):
        """Classify a threshold string: ('variable', var, threshold_var)
        spikes when var > threshold_var; ('scalar', var, value) when var >
        value (strict even for '>=', as Brian 1); else ('string',
        CompiledProgram of the condition)."""
        m = re.match(r"^\s*([A-Za-z_]\w*)\s*(>=|>)(?![=>])\s*(.*?)\s*$",
                     spec)
        if m and m.group(1) in self._row:
            var, rhs = m.group(1), m.group(3)
            if rhs in self._row:
                return ("variable", var, rhs)
            value = self._constant_value(rhs, namespace)
            if value is not None:
                return ("scalar", var, value)
        return ("string", self.compile_condition(spec, namespace))

    @allow_deep_expressions
    def select_reset(self, spec: str, namespace=None):
        """Classify a reset string: ('variable', var, source_var) sets var
        to source_var; ('scalar', var, value) is a plain reset of var; else
        ('string', CompiledProgram of the statements)."""
        text = textwrap.dedent(spec).strip()
        m = re.match(r"^([A-Za-z_]\w*)\s*=(?!=)\s*(.*?)$", text)
        if m and "\n" not in text and ";" not in text:
            var, rhs = m.group(1), m.group(2)
            if var in self._row:
                if rhs in self._row:
                    return ("variable", var, rhs)
                value = self._constant_value(rhs, namespace)
                if value is not None:
                    return ("scalar", var, value)
        return ("string", self.compile_statements(spec, namespace))

    def _program_input_call(self, b: ProgramBuilder, func, args: list,
                            text: str) -> int:
        """A call the VM has no opcode for, as an ARRAY register: ``ta(t)``
        for a TimedArray ta is refreshed by a C task at the start of every
        step; any other function (a TimedArray of another expression, a
        Python function of arrays) is computed from Python
        (_python_inputs)."""
        if not (hasattr(func, "_program_input") and len(args) == 1
                and args[0] == b.time()):
            return self._python_input_call(b, func, args, text)
        if self.n is None or self.clock is None:
            raise UnsupportedExpressionError(
                f"{text}(t) needs the group's size and clock")
        hidden, entry = func._program_input(self.n, self.clock)
        if all(entry[1] is not e[1] for e in self.input_entries):
            self.input_entries.append(entry)
        return b.array(hidden)

    def _python_input_call(self, b: ProgramBuilder, func, args: list,
                           text: str) -> int:
        if self.n is None:
            raise UnsupportedExpressionError(
                f"{text}() needs the group's size to be called here")
        arguments = [float(b.value(a)) if b.is_const(a) else
                     self._check_arrays(b.build(out=a)) for a in args]
        call = PythonInput(func, text, arguments, self.n)
        b.python_inputs.append(call)
        return b.array(call.hidden)

    # -- small helpers ----------------------------------------------------
    def index(self, name: str) -> int:
        """State row of a variable or of an alias of one."""
        return self._row[self.aliases.get(name, name)]

    def __repr__(self) -> str:
        return f"Model(state={self.state_names}, static={self.static_names})"
