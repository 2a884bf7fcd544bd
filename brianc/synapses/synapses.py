"""Synapses: Brian 1's synapse objects with their own state and code, run
by the C core (csrc/core/synapses.h) in the step's 'synapses' phase."""
from __future__ import annotations

import io
import numbers
import warnings
from types import SimpleNamespace

import numpy as np

from .. import _core, _engine, magic
from ..base import SLOTS, magic_kind
from ..equations import Equations, brianc_names, identifiers
from .._program import core_program
from ..units import DimensionMismatchError, get_dimensions, second
from .synaptic_equations import SynapticEquations, event_driven_code
# Brian 1's helpers of this module, for scripts that import them from here
from .indexing import (indent, invert_array, neuron_indexes,  # noqa: F401
                       slice_to_test, smallest_inttype)
from .synapticvariable import SynapticDelayVariable, SynapticVariable

__all__ = ["Synapses"]

_MAX_DELAY_STEPS = 65535
SUBSTREAM_CODES = 192       # the statements' sub-streams of a group


def _seconds(value, what: str) -> float:
    if isinstance(value, str):
        raise TypeError(f"{what} must be a time, got {value!r}")
    if hasattr(value, "dim") and get_dimensions(value) != \
            get_dimensions(second):
        raise DimensionMismatchError(f"{what} must be in seconds, got "
                                     f"{value!r}", get_dimensions(value))
    return float(value)


def _code_list(code) -> list[str]:
    if code is None:
        return []
    if isinstance(code, str):
        return [code]
    codes = list(code)
    if not all(isinstance(c, str) for c in codes):
        raise TypeError("pre codes must be strings or a sequence of strings")
    return codes


def _grown(a: np.ndarray, n: int, cap: int) -> np.ndarray:
    """A zeroed copy of a (its last axis cut to n) with cap entries along
    that axis."""
    out = np.zeros(a.shape[:-1] + (cap,), a.dtype)
    out[..., :n] = a[..., :n]
    return out


# Size of the synaptic state from which a Synapses with a post pathway
# keeps it interleaved (see Synapses._state_order).  Measured on the STDP
# network of benchmarks/bench_synapses.py (1000 inputs, 4 variables): rows
# one after the other are faster for 100 targets (3.2 MB), interleaved for
# 300 (9.6 MB, 30% less per event) and 1000 (32 MB, 35-45% less).
_INTERLEAVE_FROM_BYTES = 6 << 20


def _state_zeros(n_vars: int, n: int, order: str) -> np.ndarray:
    """A zeroed (n_vars, n) state in the given memory order.  Interleaved
    ("F"), it starts on a cache line (64 bytes), so that the record of a
    synapse with up to 8 variables whose size divides 64 (4 variables: 32
    bytes) never straddles two lines."""
    if order != "F":
        return np.zeros((n_vars, n))
    buf = np.zeros(n_vars * n + 8)
    skip = (-buf.ctypes.data % 64) // 8
    return buf[skip:skip + n_vars * n].reshape(n, n_vars).T


def _state_copy(a: np.ndarray, order: str) -> np.ndarray:
    """A copy of the (n_vars, n) state a in the given memory order."""
    out = _state_zeros(a.shape[0], a.shape[1], order)
    out[...] = a
    return out


def _interleaved(state: np.ndarray) -> bool:
    """Whether a (n_vars, n) state keeps the variables of each synapse
    side by side (Fortran order) rather than each variable's values one
    after the other."""
    return not state.flags.c_contiguous and state.flags.f_contiguous


def _code_names(code: str) -> set:
    from .model import _statements
    names = set()
    for stmt in _statements(code):
        names.update(identifiers(stmt))
    return names


@magic_kind
class Synapses:
    """Synapses between a source group and a target group (Brian 1 API).

    Parameters
    ----------
    source, target : NeuronGroup or subgroup (target defaults to source)
    model : str or Equations
        Synaptic variables and equations; ``(event-driven)`` after the unit
        of a linear differential equation integrates it exactly at events
        only.  Names ending in ``_pre``/``_post`` (and target variables
        without suffix) read the source's/target's variables.
    pre : str or sequence of str
        Code run for each synapse when its presynaptic spike arrives (one
        pathway per string); ``v += w`` adds to the target's ``v``.
    post : str
        Code run for each synapse when its postsynaptic neuron spikes.
    max_delay : Quantity
        Largest delay the pathways may be given (0: sized to the delays at
        the first run).
    clock, code_namespace, method, implicit, order, freeze, compile,
    unit_checking, level : as in Brian 1.
    """

    def __init__(self, source, target=None, model=None, pre=None, post=None,
                 max_delay=0 * second, level=0, clock=None,
                 code_namespace=None, unit_checking=True, method=None,
                 freeze=False, implicit=False, order=1, compile=False,
                 _names=None, _rng=None):
        # _names and _rng are for unpickling: the values of the names the
        # codes use, and the random stream of their rand().
        # The equation compiler loads on first use (import brianc stays
        # light).
        from .model import SynapticModel
        d = self.__dict__
        target = source if target is None else target
        for group, what in ((source, "source"), (target, "target")):
            if not hasattr(group, "_owner") or not hasattr(group._owner,
                                                           "_c"):
                raise TypeError(f"Synapses: the {what} must be a group, got "
                                f"{group!r}")
        if source.clock is not target.clock:
            raise ValueError("Synapses: source and target groups must have "
                             "the same clock")
        d.update(source=source, target=target, _clock=clock or source.clock)
        d["_dt"] = float(d["_clock"].dt)
        pre_codes, post_code = _code_list(pre), post
        if post_code is not None and not isinstance(post_code, str):
            raise TypeError("post code must be a string")
        eqs = "" if model is None else model
        if not isinstance(eqs, Equations):
            eqs = SynapticEquations(eqs, level=level)
        # What pickling needs to build the object again.
        d["_init_args"] = dict(
            source=source, target=target, model=eqs, pre=pre, post=post,
            max_delay=max_delay, clock=clock,
            unit_checking=unit_checking, method=method, freeze=freeze,
            implicit=implicit, order=order, compile=compile)
        d["_lumped_specs"] = []
        codes = pre_codes + ([post_code] if post_code is not None else [])
        prefix, event_names = event_driven_code(
            getattr(eqs, "_event_equations", None))
        uses_lastupdate = bool(event_names) or any(
            "lastupdate" in _code_names(c) for c in codes)
        if uses_lastupdate and "lastupdate" not in eqs._eqs:
            eqs = Equations([eqs, Equations("lastupdate : second")])
        codes = [self._wrap_code(c, prefix, uses_lastupdate) for c in codes]
        refs = self._references(eqs, codes, source, target)
        m = SynapticModel(eqs, source, target, refs, level=level,
                          check_units=unit_checking)
        d["_model"] = m
        d["_rows"] = dict(m._row)
        d["_event_driven"] = event_names
        d["_namespace"] = list(_names) if _names is not None else \
            self._code_namespace(codes, level, code_namespace)
        d["_update"] = None
        d["_update_program"] = None
        if m.diff_names:
            program, info = m.compile_update(d["_dt"], method=method,
                                             implicit=implicit, order=order)
            if program.python_inputs and info.method == "rk2":
                raise ValueError("Synapses: Python functions in equations "
                                 "work with Euler or exponential Euler "
                                 "integration, not second-order "
                                 "Runge-Kutta (drop order=2)")
            if program.n_instr > 0 or program.linear is not None:
                d["_update"] = (core_program(program),
                                m.refers_to_groups(program))
                d["_update_program"] = program
        d["_n_update_calls"] = len(m.calls)
        d["_call_rows"] = None
        d["_code_text"] = codes
        d["_codes"] = None
        try:
            self._compile_codes()
        except NameError:
            # As in Brian 1, a name may be defined after the Synapses (the
            # codes compile when the network first runs, see compress).
            pass
        d["_reverse"] = [False] * len(pre_codes) + (
            [True] if post_code is not None else [])
        d["_max_delay_steps"] = int(_seconds(max_delay, "max_delay") /
                                    d["_dt"])
        if d["_max_delay_steps"] > _MAX_DELAY_STEPS:
            raise ValueError(f"Synapses: max_delay {max_delay} is more than "
                             f"{_MAX_DELAY_STEPS} steps")
        n_vars = len(m.state_names)
        d["_n"] = 0
        d["_pre"] = np.zeros(0, np.int32)
        d["_post"] = np.zeros(0, np.int32)
        d["_state"] = np.zeros((n_vars, 0))
        d["_delays"] = [np.zeros(0, np.uint16) for _ in codes]
        d["_lumped"] = []
        d["_dirty"] = True
        d["_compressed"] = False
        src, tgt = source._owner, target._owner
        d["_rng"] = tuple(_rng) if _rng is not None else (
            _engine.current_seed(), _engine.new_stream())
        d["_restore_queues"] = {}
        d["_c"] = _core.Synapses(src._c, source._origin, len(source),
                                 tgt._c, target._origin, len(target),
                                 d["_dt"], *d["_rng"])
        d["_sums"] = None
        d["_outputs"] = []
        d["_prepared_queues"] = {}
        d["contained_objects"] = []
        magic.register(self, level)

    # -- model preparation ------------------------------------------------
    @staticmethod
    def _code_namespace(codes, level: int, code_namespace) -> list:
        """The values of the names the codes use, found now in the
        caller's namespace (only those: a reference to the whole namespace
        would keep the caller's other objects alive)."""
        used = set().union(*(_code_names(c) for c in codes)) \
            if codes else set()
        found: dict = {}
        # (looked up name by name: a script's namespace holds thousands)
        for ns in reversed(magic.caller_namespaces(level)):
            found.update({k: ns[k] for k in sorted(used) if k in ns})
        spaces = [found]
        if code_namespace is not None:
            spaces.insert(0, dict(code_namespace))
        return spaces

    def _compile_codes(self, later: list | None = None) -> None:
        """The pathways' programs (rand() draws differ per pathway);
        `later`: namespaces searched after the captured names."""
        d = self.__dict__
        m = d["_model"]
        del m.calls[d["_n_update_calls"]:]     # of an earlier attempt
        namespace = d["_namespace"] + (later or [])
        compiled = [m.compile_code(c, namespace,
                                   SUBSTREAM_CODES + 8 * k)
                    for k, c in enumerate(d["_code_text"])]
        d["_codes"] = compiled
        d["_programs"] = [core_program(c.program) if c.program is not None
                          else None for c in compiled]

    @staticmethod
    def _wrap_code(code: str, prefix: str, lastupdate: bool) -> str:
        lines = [prefix] if prefix else []
        lines.append("\n".join(s.strip() for s in
                               code.strip().splitlines() if s.strip()))
        if lastupdate:
            lines.append("lastupdate = t")
        return "\n".join(lines)

    @staticmethod
    def _references(eqs, codes, source, target) -> dict:
        """{name: (side, variable)} for the group variables used."""
        own = set(eqs._eqs)
        src = set(source._owner._model.state_names)
        tgt = set(target._owner._model.state_names)
        names = set()
        for eq in eqs._eqs.values():
            if eq.kind != "alias":
                names.update(eq.names())
        for code in codes:
            names.update(_code_names(code))
        refs = {}
        for name in names:
            if name in own:
                continue
            if name.endswith("_pre") and name[:-4] in src:
                refs[name] = ("source", name[:-4])
            elif name.endswith("_post") and name[:-5] in tgt:
                refs[name] = ("target", name[:-5])
            elif name in tgt:
                refs[name] = ("target", name)
        return refs

    # -- sizes and indices ------------------------------------------------
    def __len__(self) -> int:
        return self.__dict__["_n"]

    @property
    def clock(self):
        return self.__dict__["_clock"]

    @property
    def presynaptic(self) -> np.ndarray:
        """Presynaptic neuron of each synapse (rebuilt from the row
        starts once the run no longer needs the array, on the first
        access after it, and then kept: a read-only array)."""
        d = self.__dict__
        if d["_pre"] is None:
            rebuilt = d.get("_pre_rebuilt")
            if rebuilt is None:
                counts = np.diff(d["_pre_start"])
                rebuilt = np.repeat(np.arange(len(counts), dtype=np.int32),
                                    counts)
                rebuilt.setflags(write=False)
                d["_pre_rebuilt"] = rebuilt
            return rebuilt
        return d["_pre"][:d["_n"]]

    @property
    def postsynaptic(self) -> np.ndarray:
        return self._post[:self._n]

    def _by(self, side: str, indices: np.ndarray, n: int) -> list:
        """For each neuron of a side, its synapse numbers (read-only
        arrays), computed once for the synapses there are: scripts read
        S.synapses_post[k] neuron by neuron."""
        cache = self.__dict__.setdefault("_by_side", {})
        known = cache.get(side)
        if known is not None and known[0] == self._n:
            return known[1]
        order = np.argsort(indices, kind="stable")
        order.setflags(write=False)
        counts = np.bincount(indices, minlength=n)
        parts = np.split(order, np.cumsum(counts)[:-1])
        cache[side] = (self._n, parts)      # synapses are never removed
        return parts

    @property
    def synapses_pre(self) -> list:
        """For each presynaptic neuron, its synapse numbers."""
        return self._by("pre", self.presynaptic, len(self.source))

    @property
    def synapses_post(self) -> list:
        """For each postsynaptic neuron, its synapse numbers."""
        return self._by("post", self.postsynaptic, len(self.target))

    # -- construction -------------------------------------------------------
    def __setitem__(self, key, value) -> None:
        if not isinstance(key, tuple) or len(key) != 2:
            raise TypeError("Synapses are created with S[i, j] = value "
                            "(two indices)")
        from .construction import (condition_pairs, full_pairs,
                                   random_pairs)
        i = neuron_indexes(key[0], self.source, "presynaptic index")
        j = neuron_indexes(key[1], self.target, "postsynaptic index")
        if isinstance(value, (bool, np.bool_)):
            if not value:
                raise ValueError("synapses cannot be deleted (S[i, j] = "
                                 "False)")
            self._add(*full_pairs(i, j, 1), fresh=True)
        elif isinstance(value, (numbers.Integral, np.integer)):
            if value < 0:
                raise ValueError(f"S[i, j] = n needs n >= 0, got {value}")
            self._add(*full_pairs(i, j, int(value)), fresh=True)
        elif isinstance(value, (numbers.Real, np.floating)):
            self._add(*random_pairs(i, j, float(value)), fresh=True)
        elif isinstance(value, str):
            shift_i = i[0] if hasattr(key[0], "_owner") and len(i) else 0
            shift_j = j[0] if hasattr(key[1], "_owner") and len(j) else 0
            # n: the number of postsynaptic candidates, as in Brian 1
            ns = [{"n": len(j)}] + list(magic.caller_namespace(0))
            self._add(*condition_pairs(i, j, value, ns, shift_i, shift_j),
                      fresh=True)
        else:
            raise TypeError(f"S[i, j] = value: value must be True, a number "
                            f"of synapses, a probability or a string, got "
                            f"{value!r}")

    def connect_one_to_one(self, pre=None, post=None) -> None:
        """Neuron k of pre to neuron k of post."""
        if hasattr(pre, "_owner") and hasattr(post, "_owner") and \
                len(pre) != len(post):      # sizes first, as Brian 1
            raise TypeError(f"connect_one_to_one: {len(pre)} presynaptic "
                            f"and {len(post)} postsynaptic neurons")
        i = neuron_indexes(pre, self.source, "presynaptic neurons")
        j = neuron_indexes(post, self.target, "postsynaptic neurons")
        if len(i) != len(j):
            raise TypeError(f"connect_one_to_one: {len(i)} presynaptic and "
                            f"{len(j)} postsynaptic neurons")
        self._add(i, j)

    def connect_full(self, pre=None, post=None) -> None:
        """Every neuron of pre to every neuron of post."""
        from .construction import full_pairs
        i = neuron_indexes(pre, self.source, "presynaptic neurons")
        j = neuron_indexes(post, self.target, "postsynaptic neurons")
        self._add(*full_pairs(i, j, 1), fresh=True)

    def connect_random(self, pre=None, post=None, sparseness=None) -> None:
        """Each pair of pre x post with probability sparseness."""
        if sparseness is None:
            raise TypeError("connect_random needs a sparseness")
        from .construction import random_pairs
        i = neuron_indexes(pre, self.source, "presynaptic neurons")
        j = neuron_indexes(post, self.target, "postsynaptic neurons")
        self._add(*random_pairs(i, j, float(sparseness)), fresh=True)

    def _add(self, pre, post, fresh: bool = False) -> None:
        """Append the synapses pre[k] -> post[k]; fresh: pre and post are
        new int32 arrays nobody else holds (from the construction
        functions), kept as they are by an empty Synapses."""
        d = self.__dict__
        if d["_compressed"]:
            raise AttributeError("Synapses cannot be added after they have "
                                 "been run (as in Brian 1)")
        k = len(pre)
        if k == 0:
            return
        n = d["_n"]
        if n + k > np.iinfo(np.int32).max:
            raise ValueError("Synapses: more than 2**31 - 1 synapses")
        if n == 0 and fresh and len(d["_pre"]) == 0:
            d["_pre"], d["_post"] = pre, post
            d["_state"] = _state_zeros(d["_state"].shape[0], k,
                                       self._state_order(k))
            d["_delays"] = [np.zeros(k, np.uint16) for _ in d["_delays"]]
            d["_n"] = k
            d["_dirty"] = True
            return
        if n + k > len(d["_pre"]):
            # Fresh buffers come zeroed from calloc (pages untouched until
            # written); only the n synapses there are copied.  The first
            # block of a Synapses fits exactly.
            cap = n + k if n == 0 else max(n + k, 2 * len(d["_pre"]))
            d["_pre"] = _grown(d["_pre"], n, cap)
            d["_post"] = _grown(d["_post"], n, cap)
            state = _state_zeros(d["_state"].shape[0], cap,
                                 self._state_order(n + k))
            state[:, :n] = d["_state"][:, :n]
            d["_state"] = state
            d["_delays"] = [_grown(x, n, cap) for x in d["_delays"]]
        else:                       # room left by an earlier growth
            d["_state"][:, n:n + k] = 0.0
            for x in d["_delays"]:
                x[n:n + k] = 0
        d["_pre"][n:n + k] = pre
        d["_post"][n:n + k] = post
        d["_n"] = n + k
        d["_dirty"] = True

    # -- variables ------------------------------------------------------------
    def __getattr__(self, name: str):
        d = self.__dict__
        if name.startswith("__") or "_model" not in d:
            raise AttributeError(name)
        if name in ("delay", "delay_pre"):
            n_pre = d["_reverse"].count(False)
            if n_pre == 0:
                raise AttributeError("Synapses without a pre code have no "
                                     "presynaptic delay")
            if n_pre > 1:
                return [SynapticDelayVariable(self, k, name)
                        for k in range(n_pre)]
            return SynapticDelayVariable(self, 0, name)
        if name == "delay_post":
            if not any(d["_reverse"]):
                raise AttributeError("Synapses without a post code have no "
                                     "postsynaptic delay")
            return SynapticDelayVariable(self, len(d["_reverse"]) - 1, name)
        base = name[:-1] if name.endswith("_") else name
        base = d["_model"].aliases.get(base, base)
        if base in d["_rows"] or base in d["_model"].static_names:
            return SynapticVariable(self, base)
        raise AttributeError(f"Synapses has no attribute or variable "
                             f"{name!r}")

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        if name.startswith("_") or "_model" not in d:
            object.__setattr__(self, name, value)
            return
        if name in ("delay", "delay_pre", "delay_post"):
            var = getattr(self, name)
            if isinstance(var, list):
                raise ValueError("several pre pathways: set their delays "
                                 "one by one (S.delay[k][:] = ...)")
            var[:] = value
            return
        base = name[:-1] if name.endswith("_") else name
        base = d["_model"].aliases.get(base, base)
        if base in d["_model"].static_names:
            raise ValueError(f"Synapses: {base!r} is a static equation and "
                             f"cannot be assigned")
        if base in d["_rows"]:
            if isinstance(value, str):
                value = self._evaluate(value, slice(None), 1)
            self._store(base, slice(None), value,
                        check_units=not name.endswith("_"))
            return
        object.__setattr__(self, name, value)

    def _values(self, name: str) -> np.ndarray:
        n = len(self)
        row = self._rows.get(name)
        if row is not None:
            return self._state[row, :n]
        return self._static_values(name)

    def _columns(self, idx, names=None) -> dict:
        """i, j and the synaptic variables of the synapses idx (and the
        group variables the model reads), for string evaluation; only
        those in `names` when given."""
        n = len(self)
        wanted = (lambda k: True) if names is None else names.__contains__
        pre, post = self.presynaptic[idx], self._post[:n][idx]
        cols = {"i": pre, "j": post}
        for name, row in self._rows.items():
            if wanted(name):
                cols[name] = self._state[row, :n][idx]
        m = self._model
        for name, row in m.extra_rows.items():
            if not wanted(name):
                continue
            side = "target" if row in m.target_rows else "source"
            group = self.target if side == "target" else self.source
            var = name[:-5] if name.endswith("_post") and side == "target" \
                else (name[:-4] if name.endswith("_pre") else name)
            values = group.state(var)
            cols[name] = values[post if side == "target" else pre]
        return cols

    def _static_values(self, name: str) -> np.ndarray:
        """A static equation's values, computed by the C engine with its
        program compiled once (a static equation's program depends on
        the model alone: constants are bound when the equations are
        made).  NumPy evaluates it when the core cannot: a Python call
        in it, or presynaptic variables once their indices were dropped."""
        d = self.__dict__
        cache = d.setdefault("_static_programs", {})
        if name not in cache:
            compiled = d["_model"].compile_static(name)
            cache[name] = None if compiled.python_inputs else \
                core_program(compiled)
        program = cache[name]
        if program is not None and len(self) > 0 and \
                d["_codes"] is not None:
            self._prepare()
            try:
                return d["_c"].evaluate(program, self._clock._c.step, None)
            except ValueError:
                pass
        from .construction import evaluate
        eq = d["_model"]._eqs[name]
        return evaluate(eq.expr, self._columns(slice(None)),
                        [eq.namespace])

    def _evaluate(self, expr: str, idx, level: int) -> np.ndarray:
        """A string assigned to synaptic variables, over the synapses idx:
        i, j, n, the synaptic variables, the groups' variables the model
        reads, and rand() and randn() drawing one number per synapse.
        The VM computes it in C, rand() and randn() from brianc's
        generator (a function of seed(), the assignment and the synapse);
        what the VM cannot run (a Python function in it) is evaluated by
        NumPy as in Brian 1, rand() then from NumPy's generator.  Values
        are plain SI numbers, their units dropped (as Brian 1's)."""
        try:
            code = compile(expr.strip(), "<synaptic assignment>", "eval")
        except SyntaxError as exc:
            raise SyntaxError(f"invalid expression {expr!r}: "
                              f"{exc.msg}") from None
        local_ns, global_ns = magic.caller_namespace(0)
        values = self._evaluate_in_c(expr, code, idx, [local_ns, global_ns])
        if values is None:
            return self._evaluate_numpy(code, idx, local_ns, global_ns)
        return values

    def _evaluate_in_c(self, expr: str, code, idx, spaces):
        """expr over the synapses idx by the VM (construction's
        synapse_values), or None when the VM cannot compute it."""
        from .._expr_compiler import UnsupportedExpressionError
        from .construction import synapse_values
        n = len(self)
        ids = None if isinstance(idx, slice) and idx == slice(None) else \
            np.arange(n, dtype=np.int32)[idx]
        names = set(code.co_names)
        rows = {}
        if "i" in names:
            rows["i"] = (np.arange(len(self.source), dtype=np.float64), 1)
        if "j" in names:
            rows["j"] = (np.arange(len(self.target), dtype=np.float64), 2)
        for name, row in self._rows.items():
            if name in names:
                rows[name] = (self._state[row, :n], 0)
        m = self._model
        for name, row in m.extra_rows.items():
            if name in names:
                side = 2 if row in m.target_rows else 1
                group = self.target if side == 2 else self.source
                var = name[:-5] if name.endswith("_post") and side == 2 \
                    else (name[:-4] if name.endswith("_pre") else name)
                rows[name] = (np.asarray(group.state(var), np.float64), side)
        count = n if ids is None else len(ids)
        try:
            values, n_nan = synapse_values(
                expr, rows, self.presynaptic, self._post[:n], n, ids,
                [{"n": count}] + spaces)
        except (UnsupportedExpressionError, NameError, TypeError):
            return None
        if n_nan:
            raise ValueError(f"Synapses: {expr!r} gives NaN")
        return values

    def _evaluate_numpy(self, code, idx, local_ns, global_ns):
        """The string's values by NumPy, as Brian 1 computed them."""
        cols = self._columns(idx, set(code.co_names))
        n = len(cols["i"])
        ns = dict(brianc_names())
        ns.update(global_ns)
        ns.update(local_ns)
        ns.update(cols)
        ns.update(n=n, rand=lambda *a: np.random.rand(*(a or (n,))),
                  randn=lambda *a: np.random.randn(*(a or (n,))))
        value = np.asarray(eval(code, ns), dtype=np.float64)
        if value.shape != (n,):
            value = np.broadcast_to(value, (n,)).copy()
        return value

    def _store(self, name: str, idx, value, check_units=True) -> None:
        # As in Brian 1, values are stored in SI whatever their units
        # (its examples give a dimensionless w a current).
        values = np.asarray(value, dtype=np.float64)
        # a NaN makes the sum NaN (one pass, no mask); +inf and -inf
        # together do too, and are then looked at one by one
        if np.isnan(np.add.reduce(values, axis=None)) and \
                np.isnan(values).any():
            raise ValueError(f"Synapses: NaN assigned to {name}")
        self._state[self._rows[name], :len(self)][idx] = values

    def _store_delay(self, pathway: int, idx, value) -> None:
        if hasattr(value, "dim") and get_dimensions(value) != \
                get_dimensions(second):
            raise DimensionMismatchError("Synapses: delays are in seconds",
                                         get_dimensions(value))
        seconds = np.asarray(value, dtype=np.float64)
        limit = self._max_delay_steps or _MAX_DELAY_STEPS
        if isinstance(idx, slice) and idx == slice(None) and \
                seconds.shape == (len(self),):
            # all of them: converted and checked in one pass in C
            bad = _core.synapse_delay_steps(
                seconds, self._dt, limit, self._delays[pathway][:len(self)])
            if bad is None:
                self.__dict__["_dirty"] = True
                return
        if not (seconds >= 0).all():            # NaN fails this too
            raise ValueError("Synapses: delays must be non-negative (and "
                             "not NaN)")
        steps = (seconds * (1.0 / self._dt)).astype(np.int64)
        if steps.size and steps.max() > limit:
            raise ValueError(f"Synapses: a delay of {seconds.max()} s is "
                             f"more than max_delay ({limit} steps)")
        self._delays[pathway][:len(self)][idx] = steps
        self.__dict__["_dirty"] = True

    # -- pickling -------------------------------------------------------------
    def __reduce__(self):
        from .._pickling import checked, portable, rebuild
        d = self.__dict__
        args = dict(d["_init_args"],
                    _names=[portable(ns) for ns in d["_namespace"]],
                    _rng=d["_rng"])
        checked(args, f"{self!r} (its model, codes or their names)")
        n = len(self)
        queues = {}
        for k, delays in enumerate(d["_delays"]):
            if d["_prepared_queues"].get(k):
                queues[k] = d["_c"].queue(k)
        extras = {k: v for k, v in d.items()
                  if not k.startswith("_") and k not in ("source", "target")}
        state = {"pre": self.presynaptic.copy(),
                 "post": d["_post"][:n].copy(),
                 "state": d["_state"][:, :n].copy(),
                 "delays": [x[:n].copy() for x in d["_delays"]],
                 "compressed": d["_compressed"], "queues": queues,
                 "lumped": d["_lumped_specs"], "extras": extras}
        return (rebuild, (type(self), Synapses, args), state)

    def __setstate__(self, state: dict) -> None:
        d = self.__dict__
        self._add(state["pre"], state["post"])
        n = len(self)
        d["_state"][:, :n] = state["state"]
        for k, delays in enumerate(state["delays"]):
            d["_delays"][k][:n] = delays
        for var, group, name in state["lumped"]:
            self._add_lumped(var, group, name)
        d["_restore_queues"] = dict(state["queues"])
        d.update(state["extras"])
        if state["compressed"]:
            self.compress()

    # -- saving ---------------------------------------------------------------
    def save_connectivity(self, fn) -> None:
        """Save the synapses (pre- and postsynaptic indices) and their
        delays in steps to fn (a file name or a binary file), in NumPy's
        npz format, as Brian 1; not the synaptic variables."""
        n = len(self)
        pre_delays = [x[:n] for x, rev in zip(self._delays, self._reverse)
                      if not rev]
        post_delays = [x[:n] for x, rev in zip(self._delays, self._reverse)
                       if rev]
        text = isinstance(fn, io.TextIOBase)
        target = io.BytesIO() if text else fn
        np.savez(target, presynaptic=self.presynaptic,
                 postsynaptic=self.postsynaptic,
                 _delay_pre=np.array(pre_delays, dtype=np.uint16).reshape(
                     len(pre_delays), n),
                 _delay_post=np.array(post_delays[0] if post_delays else
                                      np.zeros(n), dtype=np.uint16))
        if text:    # a text buffer (Python 2's StringIO held bytes)
            fn.write(target.getvalue().decode("latin-1"))

    def load_connectivity(self, fn) -> None:
        """Add the synapses saved by save_connectivity, with their
        delays."""
        if isinstance(fn, io.TextIOBase):
            fn = io.BytesIO(fn.read().encode("latin-1"))
        data = np.load(fn)
        pre, post = data["presynaptic"], data["postsynaptic"]
        for what, idx, group in (("presynaptic", pre, self.source),
                                 ("postsynaptic", post, self.target)):
            if idx.size and (idx.min() < 0 or idx.max() >= len(group)):
                raise IndexError(f"load_connectivity: a {what} index is "
                                 f"out of range ({len(group)} neurons)")
        start = len(self)
        self._add(pre, post)
        pre_delays = data["_delay_pre"].reshape(-1, len(pre))
        k_pre = 0
        for k, rev in enumerate(self._reverse):
            if rev:
                self._delays[k][start:] = data["_delay_post"]
            elif k_pre < len(pre_delays):
                self._delays[k][start:] = pre_delays[k_pre]
                k_pre += 1

    # -- monitors -----------------------------------------------------------
    def _state_order(self, n: int) -> str:
        """Memory order of the state for n synapses: "F" (interleaved: the
        variables of one synapse side by side) for a post pathway on a
        state bigger than the caches (_INTERLEAVE_FROM_BYTES): its events
        walk synapses far apart in synapse order, and each then misses one
        cache line instead of one per variable.  "C" (each variable's
        values one after the other) otherwise: pre events run in place on
        consecutive rows (interleaved rows are gathered, about 25% more
        per event when the state sits in the caches), and for an unmapped
        clock-driven update or a monitor reading the rows as a group's
        state (both want them consecutive).  Same results either way."""
        d = self.__dict__
        update = d["_update"]
        n_vars = d["_state"].shape[0]
        wanted = (any(d["_reverse"]) and n_vars > 1 and n > 1
                  and n_vars * n * 8 > _INTERLEAVE_FROM_BYTES
                  and (update is None or update[1])
                  and not d.get("_rows_monitored", False))
        return "F" if wanted else "C"

    def _compact(self) -> None:
        """Buffers cut to the synapses (what the core and monitors point
        at; unchanged until synapses are added or a monitor wants the
        state in the other order)."""
        d = self.__dict__
        n = d["_n"]
        order = self._state_order(n)
        if d["_state"].shape[1] != n:
            # The first n entries of a grown buffer: views, not copies,
            # where already contiguous (1-d arrays, an interleaved state,
            # a single variable); the unused tail was never written, so
            # its pages were never handed out.
            d["_pre"] = np.ascontiguousarray(self.presynaptic)
            d["_post"] = np.ascontiguousarray(d["_post"][:n])
            cut = d["_state"][:, :n]
            if _interleaved(cut) != (order == "F") or not (
                    cut.flags.c_contiguous or cut.flags.f_contiguous):
                cut = _state_copy(cut, order)
            d["_state"] = cut
            d["_delays"] = [np.ascontiguousarray(x[:n])
                            for x in d["_delays"]]
            d["_dirty"] = True
        elif _interleaved(d["_state"]) != (order == "F"):
            # the layout changes under a prepared core: its queued events
            # are carried over (as when unpickled)
            for k, prepared in d["_prepared_queues"].items():
                if prepared:
                    d["_restore_queues"][k] = d["_c"].queue(k)
            d["_state"] = _state_copy(d["_state"], order)
            d["_dirty"] = True

    def _monitor_view(self):
        """(owner, origin, n) for monitors: the synaptic state seen as the
        state of a group of len(S) elements (synapse numbers)."""
        if len(self) == 0:
            raise ValueError("cannot monitor a Synapses object without "
                             "synapses")
        self.__dict__["_rows_monitored"] = True
        self._compact()
        view = self.__dict__.get("_view")
        if view is None or view._state is not self._state:
            view = _StateView(self)
            self.__dict__["_view"] = view
        return view, 0, len(self)

    # -- lumped variables -------------------------------------------------
    def _add_lumped(self, var: str, group, name: str) -> None:
        if group._owner is not self.target._owner or \
                group._origin != self.target._origin or \
                len(group) != len(self.target):
            raise ValueError("a synaptic variable can only be summed into "
                             "the target group of its Synapses")
        self._lumped_specs.append((var, group, name))
        m = self._model
        program = core_program(m.compile_static(var))
        row = group._owner._rows[name]
        self._lumped.append((program, row))
        self.__dict__["_dirty"] = True

    def _add_output(self, name: str) -> np.ndarray:
        """An array that holds the static equation `name` of every
        synapse, computed in C at the end of each step (for monitors)."""
        compiled = self._model.compile_static(name)
        if compiled.python_inputs:
            raise ValueError(f"StateMonitor: the synaptic static equation "
                             f"{name} calls Python; record the variables "
                             f"it depends on instead")
        values = np.zeros(len(self))
        self._outputs.append((core_program(compiled), values))
        self.__dict__["_dirty"] = True
        return values

    # -- network ------------------------------------------------------------
    def _prepare(self) -> None:
        d = self.__dict__
        self._compact()
        if not d["_dirty"]:
            return
        n = d["_n"]
        c = d["_c"]
        pre = self.presynaptic
        if not pre.flags.writeable:     # the rebuild scripts read: the
            pre = pre.copy()            # core takes its own
        c.set(pre, d["_post"], d["_state"], any(d["_reverse"]))
        calls = d["_model"].calls
        if calls:
            d["_call_rows"] = np.zeros((len(calls), n))
            c.set_calls(d["_call_rows"])
        if d["_update"] is not None:
            c.set_update(*d["_update"])
        for k, code in enumerate(d["_codes"]):
            delays = d["_delays"][k]
            homogeneous = d["_max_delay_steps"] == 0 and (
                n == 0 or delays.min() == delays.max())
            steps = int(delays[0]) if homogeneous and n else 0
            n_slots = max(int(delays.max()) if n else 0,
                          d["_max_delay_steps"]) + 1
            c.add_pathway(d["_reverse"][k], d["_programs"][k],
                          code.writes_target,
                          np.array(code.acc_row, np.int32),
                          np.array(code.acc_src, np.int32),
                          np.array(code.acc_const, np.float64),
                          None if homogeneous else delays, steps, n_slots)
            if code.program is not None and code.program.python_inputs:
                c.defer(k)
            for delay, ids in enumerate(d["_restore_queues"].pop(k, ())):
                c.queue_push(k, delay, ids)
        d["_prepared_queues"] = {
            k: not (d["_max_delay_steps"] == 0 and (
                n == 0 or x.min() == x.max()))
            for k, x in enumerate(d["_delays"])}
        for program, row in d["_lumped"]:
            c.add_lumped(program, row)
        for program, values in d["_outputs"]:
            if len(values) != n:
                raise ValueError("Synapses: synapses were added after a "
                                 "StateMonitor recording a static "
                                 "equation was made; make it after the "
                                 "synapses")
            c.add_output(program, values)
        if (d["_lumped"] or d["_outputs"]) and d["_sums"] is None:
            d["_sums"] = _core.SynapticSums(c)
        d["_dirty"] = False
        if d["_compressed"] and c.forget_pre():
            # synapses fixed and in presynaptic order: the row starts say
            # everything the array did (4 bytes a synapse less)
            d["_pre_start"] = np.concatenate(
                ([0], np.cumsum(np.bincount(pre, minlength=len(
                    self.source))))).astype(np.int64)
            d["_pre"] = None
            d.pop("_pre_rebuilt", None)     # until a script asks again

    def compress(self) -> None:
        """Prepare for running: the synapses are fixed from now on (Brian
        1 warns about an empty Synapses object here)."""
        if len(self) == 0:
            warnings.warn("Empty Synapses object")
        if self.__dict__["_codes"] is None:
            # names missing when the Synapses was made: the script that
            # runs the network has defined them since (Brian 1 resolved
            # the codes' names when they ran)
            later = list(magic.caller_namespace(0))
            self._compile_codes(later)
            # the names found there go along when the object is pickled
            used = set().union(*(_code_names(c) for c in self._code_text))
            found = {}
            for ns in reversed(later):
                found.update({k: ns[k] for k in sorted(used) if k in ns})
            self.__dict__["_namespace"] = self._namespace + [found]
        self.__dict__["_compressed"] = True
        self._prepare()

    def _written_rows(self) -> set:
        """Synaptic rows some code or the update writes during a run."""
        n_own = len(self._model.state_names)
        rows = set()
        programs = [c.program for c in self._codes if c.program is not None]
        if self._update_program is not None:
            programs.append(self._update_program)
        for p in programs:
            for dst in p.code[:, 1]:
                if p.reg_kind[dst] == 2 and p.reg_index[dst] < n_own:
                    rows.add(int(p.reg_index[dst]))
        return rows

    def _refresh_accumulations(self, fixed: bool = True) -> None:
        """An addition of a synaptic variable that holds one value, which
        no code changes, adds that value (its row is not read): the
        static `v += w` with one w then costs what a uniform Connection
        does.  Checked at every run, since the user may change w; never
        when not `fixed` (Python code may change it during the run)."""
        written = self._written_rows()
        n = len(self)
        for k, code in enumerate(self._codes):
            for a, (src, const) in enumerate(zip(code.acc_src,
                                                 code.acc_const)):
                if src < 0:
                    continue
                values = self._state[src, :n]
                # one value bit for bit (-0.0 is not 0.0)
                uniform = fixed and n > 0 and src not in written and bool(
                    np.all(values == values[0])
                    and np.all(np.signbit(values) == np.signbit(values[0])))
                if uniform:
                    self._c.set_accumulation(k, a, -1, float(values[0]))
                else:
                    self._c.set_accumulation(k, a, src, 0.0)

    def _call_operations(self) -> list:
        """The Python operations computing the codes' and equations'
        Python calls (python_calls.py), if any."""
        from .python_calls import CallRunner
        runner = CallRunner(self)
        ops = []
        if self._update_program is not None and \
                self._update_program.python_inputs:
            ops.append(("operation", runner.before, self._clock,
                        SLOTS["after_connections"]))
        if any(c.program is not None and c.program.python_inputs
               for c in self._codes):
            ops.append(("operation", runner.after, self._clock,
                        SLOTS["before_resets"], True))
        return ops

    def _core_objects(self):
        if not self._compressed:
            self.compress()
        self._prepare()
        self._refresh_accumulations()
        self._c.before_run(False)
        entries = [("task", self._c, self._clock)]
        entries += self._call_operations()
        if self._sums is not None:
            entries.append(("task", self._sums, self._clock))
        return entries

    def _python_between_steps(self) -> None:
        """The coming run calls Python code between its steps (network
        operations...), which may write synaptic variables: nothing may
        count on them keeping their values through the run."""
        self._refresh_accumulations(fixed=False)
        self._c.before_run(True)

    def _reinit(self, states: bool = True) -> None:
        self._c.clear_queues()

    def reinit(self, states: bool = True) -> None:
        """Drop the synaptic events in flight."""
        self._reinit(states)

    @property
    def memory_bytes(self) -> int:
        """Bytes held for the synapses: indices, state, delays and the
        core's indices and queues (after compress(), what a run holds)."""
        self._prepare()
        d = self.__dict__
        arrays = [d["_pre"], d["_post"], d["_state"], d.get("_pre_start"),
                  d.get("_pre_rebuilt")]
        arrays += d["_delays"]
        return sum(a.nbytes for a in arrays if a is not None) + \
            d["_c"].memory_bytes

    def __repr__(self) -> str:
        return (f"<Synapses from {self.source!r} to {self.target!r}: "
                f"{len(self)} synapses>")


class _StateView:
    """What a StateMonitor needs of a group, over a Synapses object's
    state: a core group on the state array (never run) and the model's
    rows and units.  A static equation is recorded when it reads only
    synaptic variables (its program then runs on the synaptic state as on
    a group's)."""

    def __init__(self, synapses: Synapses):
        m = synapses._model
        self._state = synapses._state
        self._model = SimpleNamespace(aliases=m.aliases,
                                      static_names=m.static_names,
                                      units=m.units,
                                      state_names=m.state_names,
                                      compile_static=self._own_static)
        self._synaptic_model = m
        self._synapses = synapses
        self._rows = synapses._rows
        self._c = _core.Group(self._state, synapses._dt, 0, 0)

    def _own_static(self, name: str):
        """The program a monitor runs on the synaptic state for a static
        equation: the equation's own when it reads only synaptic
        variables, else the reading of an array the Synapses object
        fills at the end of each step."""
        m = self._synaptic_model
        program = m.compile_static(name)
        if not (m.refers_to_groups(program) or program.python_inputs):
            return program
        from .._expr_compiler import ProgramBuilder
        values = self._synapses._add_output(name)
        b = ProgramBuilder()
        return b.build(out=b.mul(b.array(values), b.const(1.0)))

    def _row(self, name, what: str) -> int:
        name = self._model.aliases.get(name, name)
        if name not in self._rows:
            raise KeyError(f"{what}: the synapses have no state variable "
                           f"{name!r} (they have "
                           f"{', '.join(self._model.state_names)})")
        return self._rows[name]

    def _unit_of_row(self, row: int):
        return self._model.units[self._model.state_names[row]]
