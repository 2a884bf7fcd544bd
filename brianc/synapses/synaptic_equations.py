"""Synaptic equations: Brian 1's SynapticEquations, whose differential
equations may be marked ``(event-driven)`` (integrated exactly when an
event reaches the synapse, not every step)."""
from __future__ import annotations

import ast
import re
import textwrap

from ..equations import Equations, brianc_names

__all__ = ["SynapticEquations"]

_EVENT_DRIVEN = re.compile(r"\(\s*event-driven\s*\)")
_DIFF = re.compile(r"^\s*d([A-Za-z_]\w*)\s*/\s*dt\s*=(.*):(.*)$")


def split_event_driven(text: str) -> tuple[str, list[str]]:
    """(model text with each ``(event-driven)`` equation turned into a
    parameter, the event-driven equation lines without their flag)."""
    kept, events = [], []
    for line in textwrap.dedent(text).splitlines():
        body = line.split("#", 1)[0]
        if not _EVENT_DRIVEN.search(body):
            kept.append(line)
            continue
        body = _EVENT_DRIVEN.sub("", body).rstrip()
        m = _DIFF.match(body)
        if m is None:
            raise SyntaxError(f"only differential equations can be "
                              f"event-driven: {line.strip()!r}")
        events.append(body.strip())
        kept.append(f"{m.group(1)} : {m.group(3).strip()}")
    return "\n".join(kept), events



class SynapticEquations(Equations):
    """Equations of a Synapses model (Brian 1 API): as Equations, plus
    ``dx/dt = ... : unit (event-driven)``.  An event-driven variable is a
    parameter of the model; its equation is kept in ``_eventdriven``."""

    def __init__(self, expr="", level: int = 0, **kwds):
        events: list = []
        if isinstance(expr, str):
            expr, events = split_event_driven(expr)
        super().__init__(expr, level=level, **kwds)
        self._event_equations = (Equations("\n".join(events), level=level,
                                           **kwds) if events else None)
        self._eventdriven = {} if self._event_equations is None else {
            name: eq.expr
            for name, eq in self._event_equations._eqs.items()}


class _Substitute(ast.NodeTransformer):
    def __init__(self, name: str, value: float):
        self.name, self.value = name, value

    def visit_Name(self, node):
        if node.id == self.name:
            return ast.copy_location(ast.Constant(self.value), node)
        return node


def _at(tree, name: str, value: float) -> str:
    """The text of an expression with `name` replaced by a number."""
    copy = ast.parse(ast.unparse(tree), mode="eval")
    return ast.unparse(_Substitute(name, value).visit(copy))


def _exact_update(name: str, a, b) -> str:
    """x(t) from x(lastupdate) for dx/dt = a x + b; a and b numbers, or
    expression texts (a assumed nonzero)."""
    if isinstance(a, float) and a == 0.0:
        return f"{name} = {name} + {b!r} * (t - lastupdate)"
    if isinstance(b, float) and b == 0.0:
        return f"{name} = {name} * exp({a!r} * (t - lastupdate))"
    if isinstance(a, float):
        return (f"{name} = {-b / a!r} + ({name} + {b / a!r}) * "
                f"exp({a!r} * (t - lastupdate))")
    return (f"{name} = -({b})/({a}) + ({name} + ({b})/({a})) * "
            f"exp(({a}) * (t - lastupdate))")


def event_driven_code(eqs: Equations | None) -> tuple[str, list]:
    """Statements that bring each event-driven variable from lastupdate
    to t exactly: for dx/dt = a x + b, x = -b/a + (x + b/a) exp(a (t -
    lastupdate)), or x += b (t - lastupdate) when a = 0.  a and b are
    computed now when the equation's names are all known numbers (and
    linearity is checked), else left as expressions for the code's
    compilation (Brian 1 allowed names defined later).  Returns the code
    and the variable names."""
    if eqs is None:
        return "", []
    out, names = [], list(eqs._eqs)
    base = brianc_names()
    for name, eq in eqs._eqs.items():
        used = [n for n in eq.names() if n != name]
        coupled = [n for n in used if n in names]
        if coupled:
            raise TypeError(f"cannot turn the equation of {name} into "
                            f"event-driven code: it depends on the "
                            f"event-driven {', '.join(coupled)}")
        if any(n not in eq.namespace and n not in base for n in used):
            a = f"({_at(eq.tree, name, 1.0)}) - ({_at(eq.tree, name, 0.0)})"
            out.append(_exact_update(name, a, _at(eq.tree, name, 0.0)))
            continue
        code = compile(eq.tree, "<event-driven>", "eval")

        def f(x):
            ns = dict(base)
            ns.update(eq.namespace)
            ns[name] = x
            return float(eval(code, {"__builtins__": {}}, ns))
        try:
            b0 = f(0.0)
            a = f(1.0) - b0
            if abs(f(2.0) - (2 * a + b0)) > 1e-9 * max(abs(a), abs(b0), 1):
                raise ValueError
        except Exception:
            raise TypeError(f"cannot turn the equation of {name} into "
                            f"event-driven code: it is not linear") \
                from None
        out.append(_exact_update(name, a, b0))
    return "\n".join(out), names
