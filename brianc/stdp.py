"""Spike-timing-dependent plasticity on a Connection (Brian 1's STDP and
ExponentialSTDP).

The equations of the synaptic traces are split, as in Brian 1, into a
presynaptic system (the variables the pre code modifies and everything
they depend on) and a postsynaptic one; each becomes a group of its own
(``pre_group``, ``post_group``: one value per neuron, updated every step by
the VM).  The pre and post codes are compiled into programs that the C
engine runs at each spike (csrc/core/stdp.c): no Python runs per spike.
"""
from __future__ import annotations

import math

import numpy as np

from . import _core, magic
from .connections import Connection, DelayConnection
from .equations import Equations, brianc_names
from .log import log_warn
from .operation import NetworkOperation
from ._program import core_program
from .neurongroup import NeuronGroup
from .units import Quantity, second

__all__ = ["STDP", "ExponentialSTDP"]


def _seconds(value, what: str) -> float:
    x = float(value)
    if math.isnan(x) or x < 0:
        raise ValueError(f"{what} must be a time >= 0, got {value!r}")
    if isinstance(value, Quantity) and value.dim != second.dim:
        raise TypeError(f"{what} must be a time, got {value!r}")
    return x


def _steps(seconds: float, dt: float) -> int:
    # Rounded as a delay of a whole number of steps should be (2 ms at
    # 0.1 ms is 20 steps even when the division gives 19.999...).
    return int(math.floor(seconds / dt + 1e-6))


def _separate(eqs: Equations, vars_pre: list, vars_post: list
              ) -> tuple[list, list]:
    """The equation names of the presynaptic and postsynaptic systems:
    connected components of the dependency graph, with the variables each
    code modifies tied together."""
    names = list(eqs._eqs)
    parent = {n: n for n in names}

    def find(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def union(a, b):
        parent[find(a)] = find(b)
    for name, eq in eqs._eqs.items():
        deps = [eq.expr] if eq.kind == "alias" else eq.names()
        for dep in deps:
            if dep in parent:
                union(name, dep)
    for group in (vars_pre, vars_post):
        for a, b in zip(group, group[1:]):
            union(a, b)
    components: dict[str, list] = {}
    for n in names:
        components.setdefault(find(n), []).append(n)
    pre, post = [], []
    for members in components.values():
        is_pre = any(v in members for v in vars_pre)
        is_post = any(v in members for v in vars_post)
        if is_pre and is_post:
            raise ValueError("Equations should separate into pre and "
                             "postsynaptic variables: "
                             f"{', '.join(members)} depend on each other")
        if not (is_pre or is_post):
            raise ValueError("Equations should separate into pre and "
                             "postsynaptic variables: "
                             f"{', '.join(members)} is modified by neither "
                             "code")
        (pre if is_pre else post).extend(members)
    return pre, post


def _subset(eqs: Equations, names: list) -> Equations:
    sub = Equations()
    for name in names:
        eq = eqs._eqs[name]
        sub._add(eq.replaced(namespace=dict(eq.namespace)))
    return sub


def _definitions(eqs: Equations) -> dict[str, str]:
    """Static equations and aliases, to substitute into the codes."""
    return {n: eq.expr for n, eq in eqs._eqs.items()
            if eq.kind in ("static", "alias")}


def _warn_if_reordered(which: str, segments: list) -> None:
    """On a DelayConnection trace statements run at the spike and weight
    statements later (or after them): say so when the code had them in the
    other order, as Brian 1 did."""
    kinds = [seg.on_synapses for seg in segments]
    if True in kinds and False in kinds[kinds.index(True):]:
        log_warn("brian.stdp", f"STDP operations of the {which} code are "
                 f"being re-ordered for a DelayConnection (trace statements "
                 f"first), results may be wrong.")


class STDP(NetworkOperation):
    """Spike-timing-dependent plasticity of the weights of ``C``.

    ``eqs`` are the trace equations; ``pre`` and ``post`` the statements
    run at a presynaptic or postsynaptic spike, where ``w`` is the weight
    of each synapse of the spiking neuron.  Weights stay in [wmin, wmax].
    By default presynaptic spikes act after the connection's delay and
    postsynaptic ones at once; ``delay_pre``/``delay_post`` change that
    (if only one is given, the other is the rest of the connection's
    delay, as in Brian 1).

    On a DelayConnection (delay d per synapse, D = max_delay / dt + 1
    steps) Brian 1's rules apply: trace statements act at the spike; the
    pre code's weight statements act D steps after the presynaptic spike
    and read the postsynaptic traces as they were at the end of the step
    before the spike reached the synapse; the post code's act at the
    postsynaptic spike and read the presynaptic traces d + 1 steps back.
    delay_pre and delay_post cannot be given then (nor in Brian 1)."""

    def __init__(self, C, eqs, pre, post, wmin=0, wmax=np.inf, level=0,
                 clock=None, delay_pre=None, delay_post=None,
                 _namespace=None):
        # The code compiler loads with the first STDP, not with brianc
        # (as the equation compiler loads with the first group).
        from ._plasticity_code import (compile_code, modified_variables,
                                       split_statements, substitute)
        NetworkOperation.__init__(self, lambda: None, clock=clock,
                                  _register=False)
        object.__setattr__(self, "var_group", {})
        heterogeneous = isinstance(C, DelayConnection)
        if heterogeneous and (delay_pre is not None or
                              delay_post is not None):
            # Brian 1 refused this too: with per-synapse delays the pre and
            # post delays are those of each synapse.
            raise ValueError("STDP on a DelayConnection takes the delays "
                             "of its synapses: give neither delay_pre nor "
                             "delay_post")
        if not isinstance(C, Connection):
            raise TypeError(f"STDP acts on a Connection, got {C!r}")
        wmin, wmax = float(wmin), float(wmax)
        if math.isnan(wmin) or math.isnan(wmax) or wmax < wmin:
            raise ValueError(f"STDP: wmax ({wmax}) must not be smaller "
                             f"than wmin ({wmin})")
        if not isinstance(eqs, Equations):
            eqs = Equations(eqs, level=level)
        if _namespace is None:
            local, glob = magic.caller_namespace(level)
            namespaces = [local, glob, brianc_names()]
        else:
            namespaces = [_namespace, brianc_names()]

        # Parameters count as variables (Brian 1: equations dx/dt = 0).
        diff = [n for n, eq in eqs._eqs.items()
                if eq.kind in ("diff", "param")]
        mod_pre = modified_variables(pre)
        mod_post = modified_variables(post)
        shared = [v for v in mod_pre if v in mod_post and v != "w"]
        if shared:
            raise ValueError(f"{shared} are both presynaptic and "
                             f"postsynaptic!")
        vars_pre = [v for v in diff if v in mod_pre]
        vars_post = [v for v in diff if v in mod_post]
        pre_names, post_names = _separate(eqs, vars_pre, vars_post)

        dt = float(self.clock.dt)
        eqs_pre, eqs_post = _subset(eqs, pre_names), _subset(eqs, post_names)
        G_pre = NeuronGroup(C._n_pre, model=eqs_pre, clock=self.clock)
        G_post = NeuronGroup(C._n_post, model=eqs_post, clock=self.clock)
        for group in (G_pre, G_post):
            group._state[...] = 0.0
        self.pre_group, self.post_group = G_pre, G_post
        var_group = {}
        for group in (G_pre, G_post):
            for name in group._model.state_names:
                var_group[name] = group
        self.contained_objects = [G_pre, G_post]
        self.C = C

        definitions = {**_definitions(eqs_pre), **_definitions(eqs_post)}
        pre_rows = dict(G_pre._rows)
        post_rows = dict(G_post._rows)
        try:
            pre_segments = compile_code(substitute(pre, definitions), "pre",
                                        pre_rows, post_rows, namespaces)
            post_segments = compile_code(substitute(post, definitions),
                                         "post", post_rows, pre_rows,
                                         namespaces)
            if heterogeneous:
                d_pre = d_post = 0
                max_delay = self._max_delay_steps(C)
                for which, segments in (("pre", pre_segments),
                                        ("post", post_segments)):
                    _warn_if_reordered(which, segments)
            else:
                d_pre, d_post = self._delays(C, delay_pre, delay_post)
        except Exception:
            # a failed STDP leaves no trace groups for run() to find
            magic.forget(G_pre, G_post)
            raise
        self._c = _core.STDP(C._c, G_pre._c, G_post._c, wmin, wmax, d_pre,
                             d_post, dt)
        if heterogeneous:
            self._c.use_synapse_delays(max_delay)
        for side, segments in ((0, pre_segments), (1, post_segments)):
            for seg in segments:
                rows = np.array([r for _, r in seg.gather], dtype=np.int32)
                sides = np.array([s for s, _ in seg.gather], dtype=np.int32)
                self._c.add_segment(side, seg.on_synapses,
                                    core_program(seg.program), sides, rows)
        # Plain attributes, out of the way of trace variables of the same
        # name (a model may call its traces pre and post).
        for name, value in (("wmin", wmin), ("wmax", wmax),
                            ("_pre_code", "\n".join(split_statements(pre))),
                            ("_post_code",
                             "\n".join(split_statements(post)))):
            object.__setattr__(self, name, value)
        # From here on, trace variables are attributes (stdp.A_pre).
        object.__setattr__(self, "var_group", var_group)
        magic.register(self, level)

    def _max_delay_steps(self, C) -> int:
        """Steps between a presynaptic spike and its weight statements on
        a DelayConnection: the length of the connection's delay ring
        (max_delay / dt + 1 steps, as Brian 1 counted it)."""
        dt = float(self.clock.dt)
        if abs(C._delay_dt - dt) > 1e-9 * dt:
            raise ValueError(f"STDP on a DelayConnection must run on the "
                             f"clock of its target (dt = {C._delay_dt} s), "
                             f"not dt = {dt} s")
        return C._max_delay_steps + 1

    def _delays(self, C, delay_pre, delay_post) -> tuple[int, int]:
        """Steps of the pre and post delays, Brian 1's defaults."""
        dt = float(self.clock.dt)
        conn_delay = C._c.delay_steps * float(C._src_owner.clock.dt)
        if delay_pre is None and delay_post is None:
            d_pre, d_post = conn_delay, 0.0
        elif delay_pre is None:
            d_post = _seconds(delay_post, "delay_post")
            d_pre = conn_delay - d_post
            if d_pre < -1e-12:
                raise AttributeError("Presynaptic delay is too large")
        elif delay_post is None:
            d_pre = _seconds(delay_pre, "delay_pre")
            d_post = conn_delay - d_pre
            if d_post < -1e-12:
                raise AttributeError("Postsynaptic delay is too large")
        else:
            d_pre = _seconds(delay_pre, "delay_pre")
            d_post = _seconds(delay_post, "delay_post")
        return _steps(max(d_pre, 0.0), dt), _steps(max(d_post, 0.0), dt)

    def __call__(self):
        pass

    def _core_objects(self):
        return [("task", self._c, self.clock)]

    def __getattr__(self, name):
        groups = self.__dict__.get("var_group")
        if not groups or name not in groups:
            raise AttributeError(f"{type(self).__name__} has no attribute "
                                 f"{name!r}")
        group = groups[name]
        return group._state[group._rows[name]]

    def __setattr__(self, name, value):
        groups = self.__dict__.get("var_group")
        if groups and name in groups:
            group = groups[name]
            group._state[group._rows[name]] = value
        else:
            object.__setattr__(self, name, value)

    @property
    def nbytes(self) -> int:
        """Bytes of the column index and scratch (the weights are the
        connection's; the traces are the groups')."""
        return self._c.nbytes

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} on {self.C!r}, pre: "
                f"{self._pre_code!r}, post: {self._post_code!r}>")


class ExponentialSTDP(STDP):
    """STDP whose pair rule is ``Ap*exp(-s/taup)`` for s = t_post - t_pre
    > 0 and ``Am*exp(s/taum)`` for s < 0, relative to wmax.

    ``interactions``: 'all' (every pair), 'nearest' (nearest neighbours),
    'nearest_pre' (nearest presynaptic spike, all postsynaptic ones),
    'nearest_post' (the converse).  ``update``: 'additive' (w += wmax f),
    'multiplicative' (depression w += w f, potentiation w += (wmax - w)
    f) or 'mixed' (multiplicative depression, additive potentiation)."""

    def __init__(self, C, taup, taum, Ap, Am, interactions="all", wmin=0,
                 wmax=None, update="additive", delay_pre=None,
                 delay_post=None, clock=None):
        if wmax is None:
            raise AttributeError("You must specify the maximum synaptic "
                                 "weight")
        wmax = float(wmax)
        Ap, Am = float(Ap), float(Am)
        eqs = Equations("""
        dA_pre/dt = -A_pre/taup : 1
        dA_post/dt = -A_post/taum : 1""", taup=taup, taum=taum)
        codes = {"all": ("A_pre += Ap", "A_post += Am"),
                 "nearest": ("A_pre = Ap", "A_post = Am"),
                 # Brian 1's code set A_post here too, making it
                 # 'nearest'; this is the rule its documentation states.
                 "nearest_pre": ("A_pre = Ap", "A_post += Am"),
                 "nearest_post": ("A_pre += Ap", "A_post = Am")}
        if interactions not in codes:
            raise AttributeError(f"Unknown interaction type "
                                 f"{interactions!r}")
        pre, post = codes[interactions]
        if update == "additive":
            Ap *= wmax
            Am *= wmax
            pre += "\nw += A_post"
            post += "\nw += A_pre"
        elif update == "multiplicative":
            pre += ("\nw *= (1 + A_post)" if Am < 0
                    else "\nw += (wmax - w) * A_post")
            post += ("\nw *= (1 + A_pre)" if Ap < 0
                     else "\nw += (wmax - w) * A_pre")
        elif update == "mixed":
            if Am < 0 < Ap:
                Ap *= wmax
                pre += "\nw *= (1 + A_post)"
                post += "\nw += A_pre"
            elif Ap < 0 < Am:
                Am *= wmax
                post += "\nw *= (1 + A_pre)"
                pre += "\nw += A_post"
            elif Am > 0:
                raise AttributeError("There is no depression in STDP rule")
            else:
                raise AttributeError("There is no potentiation in STDP "
                                     "rule")
        else:
            raise AttributeError(f"Unknown update type {update!r}")
        self.taup, self.taum, self.Ap, self.Am = taup, taum, Ap, Am
        self.interactions, self.update = interactions, update
        STDP.__init__(self, C, eqs=eqs, pre=pre, post=post, wmin=wmin,
                      wmax=wmax, delay_pre=delay_pre, delay_post=delay_post,
                      clock=clock,
                      _namespace={"Ap": Ap, "Am": Am, "wmax": wmax})
