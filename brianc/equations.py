"""Equations: Brian 1's model equations, with its inspection methods.

Parsing and name capture live in _equation_parsing; the questions Brian 1
asked of a set of equations (which variable is the membrane potential, is it
stochastic, time dependent, linear) are answered here, the analysis ones by
the Model that a NeuronGroup would build from them.
"""
from __future__ import annotations

# brianc_names, identifiers and logical_lines are re-exported for the
# modules and tests that read model text by Equations' rules.
from ._equation_parsing import (RESERVED, VM_NAMES,  # noqa: F401
                                EquationSyntaxError, ParsedEquations,
                                brianc_names, identifiers, logical_lines,
                                unique_id)
__all__ = ["Equations", "EquationSyntaxError", "unique_id"]


class Equations(ParsedEquations):
    """A set of model equations (Brian 1 API).

    Parameters
    ----------
    expr : str, Equations or list of them
        Model text: ``dx/dt = expr : unit``, ``x = expr : unit``,
        ``x = y`` (alias) and ``x : unit`` (parameter), one per line.
    level : int
        External names resolve in the frame ``level`` steps out of the
        caller (frames inside brianc are not counted).
    freeze : bool
        Accepted for Brian 1 compatibility; values are always captured at
        construction, which is what freezing means.
    **kwds
        A ``str`` value renames ``key`` (and ``dkey``); ``None`` renames it to
        a fresh name; any other value defines ``key`` for the expressions.
        With any keyword, the caller's frame is not consulted.
    """

    def _model(self, check_units: bool = True):
        """The Model that prepares these equations (it checks names and
        dimensions and holds brianc's analysis of the right-hand sides)."""
        # The equation compiler loads on first use, as in NeuronGroup.
        from ._model import Model
        return Model(self, check_units=check_units)

    def get_Vm(self) -> str | None:
        """The variable most likely to be the membrane potential: the one
        differential equation or parameter named v, V, vm or Vm, None when
        there is none or more than one."""
        found = [n for n in self._diffeq_names if n in VM_NAMES]
        return found[0] if len(found) == 1 else None

    def prepare(self, check_units: bool = True) -> None:
        """Check the model as a NeuronGroup would: every name is defined
        and (with ``check_units``) every equation is dimensionally
        homogeneous.  The membrane potential then becomes the first
        differential equation (it swaps places with the first one), as in
        Brian 1."""
        self._model(check_units)
        vm = self.get_Vm()
        if vm is None or vm not in self._eqs:
            return
        first = self._diffeq_names[0]
        order = list(self._eqs)
        i, j = order.index(first), order.index(vm)
        order[i], order[j] = order[j], order[i]
        self._eqs = {k: self._eqs[k] for k in order}

    def free_variables(self) -> list[str]:
        """Names the right-hand sides read that are not model variables, t
        or xi: the external values, then the names defined nowhere, each group
        in order of first appearance (Brian 1 gave no defined order)."""
        found: dict[str, bool] = {}
        for eq in self._eqs.values():
            for name in eq.names():
                if name not in self._eqs and name not in RESERVED:
                    found.setdefault(name, name in eq.namespace)
        return ([n for n, known in found.items() if known]
                + [n for n, known in found.items() if not known])

    def _depends_on(self, var: str | None, symbol: str) -> bool:
        """Whether the equation of ``var`` (every differential equation if
        None) reads ``symbol``, directly or through static equations and
        aliases."""
        todo = self._diffeq_names_nonzero if var is None else [var]
        if var is not None and var not in self._eqs:
            raise KeyError(f"{var!r} is not a variable of these equations")
        seen = set(todo)
        while todo:
            eq = self._eqs[todo.pop()]
            names = [eq.expr] if eq.kind == "alias" else eq.names()
            if symbol in names:
                return True
            for name in names:
                dep = self._eqs.get(name)
                if (dep is not None and dep.kind in ("static", "alias")
                        and name not in seen):
                    seen.add(name)
                    todo.append(name)
        return False

    def is_stochastic(self, var: str | None = None) -> bool:
        """Whether the equation of ``var`` (any differential equation if
        None) contains the white noise xi."""
        return self._depends_on(var, "xi")

    def is_time_dependent(self, var: str | None = None) -> bool:
        """Whether the equation of ``var`` (any differential equation if
        None) reads the time t."""
        return self._depends_on(var, "t")

    def is_linear(self) -> bool:
        """Whether the differential equations are jointly affine in the
        state variables with constant coefficients (the test for the exact
        linear state updater): never when they read t or call a Python
        function."""
        if self.is_time_dependent():
            return False
        return self._model().is_linear()

    def is_conditionally_linear(self) -> bool:
        """Whether each differential equation is affine in its own
        variable, the others held fixed (the test for the exponential
        Euler state updater)."""
        return self._model().is_conditionally_linear()
