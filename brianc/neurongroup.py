"""NeuronGroup: a population sharing one model, its subgroups and state."""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import _core, _engine, _magic
from .clock import guess_clock
from .log import log_warn
from .units import (DIMENSIONLESS, Quantity,
                    get_dimensions, get_unit, second)

__all__ = ["NeuronGroup", "LazyStateUpdater"]

# Schedule slots of the Python operations a group's threshold or reset may
# need (network.py runs them first in their slot): a threshold computed in
# Python must be in place before anything reads this step's spikes, and a
# Python reset runs where the C resets run.
_OPERATION_SLOTS = {"threshold": "after_groups", "reset": "after_resets"}


def unit_text(dim) -> str:
    """A readable unit for a Dimension: 'mV/ms', 'V', '1'."""
    if dim.is_dimensionless():
        return "1"
    return str(get_unit(Quantity(1.0, dim)))


def core_program(compiled) -> "_core.Program":
    """The binding's checked Program for a CompiledProgram."""
    return _core.Program(compiled.code, compiled.reg_kind, compiled.reg_index,
                         compiled.reg_const, compiled.out_reg,
                         tuple(compiled.arrays),
                         getattr(compiled, "linear", None))


def check_size(N, what: str) -> int:
    """N as a positive int, or a clear error naming it."""
    if isinstance(N, bool) or not isinstance(N, (numbers.Real, np.number)):
        raise TypeError(f"{what}: N must be a positive integer, got {N!r}")
    if isinstance(N, float) and math.isnan(N):
        raise ValueError(f"{what}: N is NaN")
    if int(N) != N or N < 1:
        raise ValueError(f"{what}: N must be a positive integer, got {N!r}")
    if N > 2**31 - 1:
        raise ValueError(f"{what}: N = {N} is more than 2**31 - 1 neurons")
    return int(N)


def _newton_rest(model) -> dict | None:
    """A zero of the deterministic derivatives by Newton's method with a
    finite-difference Jacobian, in each variable's unit."""
    names = list(model.diff_names)
    scale = np.array([float(model.units[k]) or 1.0 for k in names])
    x = np.zeros(len(names))

    def f(y: np.ndarray) -> np.ndarray:
        d = model.derivatives(dict(zip(names, y * scale)))
        return np.array([d[k] for k in names]) * 1e-3 / scale

    for _ in range(100):
        fx = f(x)
        if not np.all(np.isfinite(fx)):
            return None
        if np.max(np.abs(fx)) < 1e-14:
            return dict(zip(names, x * scale))
        jac = np.empty((len(names), len(names)))
        for i in range(len(names)):
            h = 1e-7 * max(1.0, abs(x[i]))
            step = x.copy()
            step[i] += h
            jac[:, i] = (f(step) - fx) / h
        try:
            x = x - np.linalg.solve(jac, fx)
        except np.linalg.LinAlgError:
            return None
    return None


class LazyStateUpdater:
    """A model of ``numstatevariables`` dimensionless variables with no
    dynamics (Brian 1): ``NeuronGroup(N, model=LazyStateUpdater(2))``;
    the variables are reached by number, ``P.state(0)``."""

    def __init__(self, numstatevariables: int = 1, clock=None):
        if int(numstatevariables) != numstatevariables or \
                numstatevariables < 0:
            raise ValueError(f"LazyStateUpdater needs a number of "
                             f"variables >= 0, got {numstatevariables!r}")
        self.numstatevariables = int(numstatevariables)
        self.clock = clock

    def __len__(self) -> int:
        return self.numstatevariables

    def __repr__(self) -> str:
        return f"LazyStateUpdater({self.numstatevariables})"


class _LazyModel:
    """What a group asks of its model, for a LazyStateUpdater."""

    def __init__(self, n_vars: int):
        self.state_names = [str(k) for k in range(n_vars)]
        self.units = {name: Quantity(1.0, DIMENSIONLESS)
                      for name in self.state_names}
        self.static_names: list = []
        self.aliases: dict = {}
        self.diff_names: list = []


class _StateAccess:
    """State-variable access shared by groups and subgroups: ``P.v`` and
    ``P.v_`` read a live float64 view in SI; ``P.v = value`` assigns in
    place (a Quantity must have the variable's units)."""

    _owner: "NeuronGroup"
    _origin: int
    _n: int

    def _columns(self) -> slice:
        return slice(self._origin, self._origin + self._n)

    def state(self, name):
        """The live row of a variable (or of state number ``name``), a
        float64 view in SI units; a static equation is computed."""
        owner = self._owner
        if isinstance(name, (int, np.integer)) and \
                not isinstance(name, bool):
            if not 0 <= name < owner._state.shape[0]:
                raise IndexError(f"{owner._name}: state number {name} is "
                                 f"out of range (the model has "
                                 f"{owner._state.shape[0]})")
            return owner._state[int(name), self._columns()]
        if not isinstance(name, str):
            raise TypeError(f"{owner._name}: a state variable is named by "
                            f"a string or a number, got {name!r}")
        name = owner._model.aliases.get(name, name)
        row = owner._rows.get(name)
        if row is not None:
            return owner._state[row, self._columns()]
        if name in owner._model.static_names:
            return owner._static_values(name)[self._columns()]
        raise KeyError(f"{owner._name}: no state variable {name!r} (the "
                       f"model has {', '.join(owner._model.state_names)})")

    state_ = state

    def unit(self, name: str):
        """The unit of a model variable, static equation or alias."""
        model = self._owner._model
        if isinstance(name, (int, np.integer)):
            name = model.state_names[int(name)]
        try:
            return model.units[model.aliases.get(name, name)]
        except KeyError:
            raise KeyError(f"{self._owner._name}: no variable {name!r}") \
                from None

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_owner", "_origin", "_n"):
            raise AttributeError(name)
        owner = self.__dict__.get("_owner")
        if owner is None:
            raise AttributeError(name)
        model = owner.__dict__.get("_model")
        if model is not None:
            base = name[:-1] if name.endswith("_") else name
            base = model.aliases.get(base, base)
            if base in owner._rows or base in model.static_names:
                return self.state(base)
        raise AttributeError(f"{type(self).__name__} has no attribute or "
                             f"state variable {name!r}")

    def __setattr__(self, name: str, value) -> None:
        owner = self.__dict__.get("_owner")
        model = owner.__dict__.get("_model") if owner is not None else None
        if model is None or name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        base = name[:-1] if name.endswith("_") else name
        base = model.aliases.get(base, base)
        if base in model.static_names:
            raise ValueError(f"{owner._name}: {base!r} is a static "
                             f"equation and cannot be assigned")
        if base not in owner._rows:
            object.__setattr__(self, name, value)
            return
        installer = getattr(value, "_install_setter", None)
        if installer is not None:       # TimedArray, linked_var
            installer(self, base)
            return
        self._assign(base, value, check_units=not name.endswith("_"))

    def _assign(self, name: str, value, check_units: bool = True) -> None:
        owner = self._owner
        unit = owner._model.units[name]
        want = get_dimensions(unit)
        has_units = isinstance(value, Quantity) or hasattr(value, "dim")
        if check_units and has_units and get_dimensions(value) != want:
            # Brian 1 stored any value silently (arrays carry no units, and
            # a Quantity went in as its SI value): store it, say so once.
            warned = owner.__dict__.setdefault("_units_warned", set())
            if name not in warned:
                warned.add(name)
                log_warn("brian.neurongroup",
                         f"{owner._name}: {name} is in {unit_text(want)}, "
                         f"the value assigned is in "
                         f"{unit_text(get_dimensions(value))}; stored as "
                         f"its SI value")
        try:
            values = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{owner._name}: cannot assign {value!r} to "
                            f"{name}") from None
        if values.ndim > 1 or (values.ndim == 1 and
                               values.shape[0] not in (1, self._n)):
            raise ValueError(f"{owner._name}: {name} needs a scalar or "
                             f"{self._n} values, got shape {values.shape}")
        if np.isnan(values).any():
            # Brian 1 stored NaN silently and every later step spread it.
            raise ValueError(f"{owner._name}: NaN assigned to {name}")
        owner._state[owner._rows[name], self._columns()] = values

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index) -> "Subgroup":
        n = self._n
        if isinstance(index, slice):
            start, stop, step = index.indices(n)
            if step != 1:
                raise IndexError("subgroups need contiguous slices")
        elif isinstance(index, (numbers.Integral, np.integer)):
            start = int(index) + n if index < 0 else int(index)
            stop = start + 1
        else:
            raise TypeError(f"subgroup index must be an int or a slice, got "
                            f"{index!r}")
        if not 0 <= start < stop <= n:
            raise IndexError(f"subgroup [{start}:{stop}] is outside a group "
                             f"of {n} neurons")
        return Subgroup(self._owner, self._origin + start, stop - start)

    def subgroup(self, n) -> "Subgroup":
        """The next ``n`` neurons not yet handed out by ``subgroup``."""
        n = check_size(n, "subgroup")
        start = self.__dict__["_allocated"]
        if start + n > self._n:
            raise IndexError(f"subgroup({n}): only {self._n - start} of "
                             f"{self._n} neurons remain")
        self.__dict__["_allocated"] = start + n
        return self[start:start + n]

    def get_spikes(self, delay: int = 0) -> np.ndarray:
        """Local indices of the neurons that spiked ``delay`` steps ago."""
        spikes = self._owner._c.spikes(int(delay)).astype(np.int64)
        lo = np.searchsorted(spikes, self._origin)
        hi = np.searchsorted(spikes, self._origin + self._n)
        return spikes[lo:hi] - self._origin

    @property
    def origin(self) -> int:
        return self._origin

    @property
    def clock(self):
        return self._owner.__dict__["_clock"]


class Subgroup(_StateAccess):
    """A contiguous view of an owner group: shares its state and spikes;
    never simulated itself."""

    def __init__(self, owner: "NeuronGroup", origin: int, n: int):
        self.__dict__.update(_owner=owner, _origin=origin, _n=n,
                             _allocated=0)

    @property
    def _name(self) -> str:
        return (f"subgroup [{self._origin}:{self._origin + self._n}] of "
                f"{self._owner._name}")

    def __repr__(self) -> str:
        return (f"<subgroup [{self._origin}:{self._origin + self._n}] of "
                f"{self._owner!r}>")


class _GroupOperation:
    """A threshold or reset written in Python, run by the network loop
    first in its slot (see _OPERATION_SLOTS)."""

    def __init__(self, group: "NeuronGroup", kind: str, function):
        self.group = group
        self.kind = kind
        self.function = function

    def __call__(self) -> None:
        group = self.group
        step = group._clock._c.step
        if self.kind == "threshold":
            spikes = np.asarray(self.function(step), dtype=np.int32)
            group._c.replace_spikes(spikes, step)
        else:
            self.function(step)


def _model_of(model, level: int, n: int, unit_checking: bool, freeze: bool):
    from ._model import Model
    from .equations import Equations
    if model is None:
        raise TypeError("NeuronGroup needs a model: equations (a string or "
                        "Equations) or a LazyStateUpdater")
    if isinstance(model, LazyStateUpdater):
        return _LazyModel(len(model))
    if isinstance(model, str) and freeze:
        model = Equations(model, level=level, freeze=True)
    return Model(model, level=level, n=n, check_units=unit_checking)


class NeuronGroup(_StateAccess):
    """Neurons sharing one model (Brian 1 API).

    Parameters
    ----------
    N : int
        Number of neurons, at least 1.
    model : str, Equations, list or LazyStateUpdater
        The model equations; names resolve in the caller's frame (``level``
        frames further out).
    threshold : Quantity, str, function, Threshold or None
        When a neuron spikes (spec 6.1); None never.
    reset : Quantity, str, function, Reset or None
        What a spike does (spec 6.2); None is NoReset().
    refractory : Quantity, array or str
        Refractory period (default 0 s); an array of N periods or the name
        of a state variable gives variable refractoriness, which needs a
        scalar reset and (for a name) ``max_refractory``.
    init : dict
        Initial values (default 0), restored by ``reinit()``.
    clock : Clock
        Guessed from the caller's frame when not given.
    max_delay : Quantity
        Initial length of the spike history (it grows when needed).
    order, implicit, method : integration choices (spec 5.1).
    compile, freeze, unit_checking : accepted as in Brian 1.
    """

    def __init__(self, N, model=None, threshold=None, reset=None, init=None,
                 refractory=0 * second, level=0, clock=None, order=1,
                 implicit=False, unit_checking=True, max_delay=0 * second,
                 compile=False, freeze=False, method=None,
                 max_refractory=None):
        from .reset import install_reset
        from .threshold import _time_in_seconds, install_threshold

        n = check_size(N, "NeuronGroup")
        d = self.__dict__
        d.update(_owner=self, _origin=0, _n=n, _allocated=0,
                 _name="NeuronGroup")
        d["_clock"] = guess_clock(clock, level)
        model_obj = _model_of(model, level, n, unit_checking, freeze)
        d["_model"] = model_obj
        d["_rows"] = {name: k for k, name in enumerate(model_obj.state_names)}
        state = np.zeros((len(model_obj.state_names), n))
        d["_state"] = state
        d["_seed"] = _engine.current_seed()
        d["_stream"] = _engine.new_stream()
        dt = float(d["_clock"].dt)
        d["_c"] = _core.Group(state, dt, d["_seed"], d["_stream"])
        d["_namespace"] = _magic.caller_namespace(level)
        d["_update_info"] = None
        if not isinstance(model_obj, _LazyModel):
            model_obj.clock = d["_clock"]   # for TimedArray(t) inputs
        if not isinstance(model_obj, _LazyModel) and (
                model_obj.state_names or model_obj.static_names):
            program, info = model_obj.compile_update(
                dt, method=method, implicit=implicit, order=order)
            d["_update_info"] = info
            if program is not None and (program.n_instr > 0 or
                                        program.linear is not None):
                self._c.set_update(core_program(program))
        if init is not None:
            self._set_initial(init, unit_checking)
            d["_initial_state"] = state.copy()
        else:
            # All zeros, which reinit() restores without a copy (copying
            # would touch every page of an N-sized matrix now).
            d["_initial_state"] = None
        delay = _time_in_seconds(max_delay, "NeuronGroup max_delay")
        self._c.reserve_history(int(delay / dt) + 2)
        ops = install_threshold(self, threshold)
        ops += install_reset(self, reset, refractory, max_refractory)
        d["_operations"] = [_GroupOperation(self, kind, f) for kind, f in ops]
        _magic.register(self, level)

    def _set_initial(self, init, unit_checking: bool) -> None:
        if isinstance(init, dict):
            items = list(init.items())
        elif isinstance(init, (list, tuple)):
            if len(init) != len(self._model.state_names):
                raise ValueError(f"{self._name}: init needs "
                                 f"{len(self._model.state_names)} values, "
                                 f"got {len(init)}")
            items = list(zip(self._model.state_names, init))
        else:
            raise TypeError(f"{self._name}: init must be a dict of initial "
                            f"values, got {init!r}")
        for name, value in items:
            key = self._model.aliases.get(name, name)
            if key not in self._rows:
                raise KeyError(f"{self._name}: init names {name!r}, which "
                               f"is not a state variable (the model has "
                               f"{', '.join(self._model.state_names)})")
            self._assign(key, value, check_units=unit_checking)

    # -- helpers used by thresholds, resets and monitors --------------------

    def _row(self, name, what: str) -> int:
        """The state row of a variable given by name or number."""
        if isinstance(name, (int, np.integer)) and \
                not isinstance(name, bool):
            if not 0 <= name < len(self._model.state_names):
                raise IndexError(f"{what}: state number {name} out of range "
                                 f"(the model has "
                                 f"{len(self._model.state_names)})")
            return int(name)
        name = self._model.aliases.get(name, name)
        if name not in self._rows:
            raise KeyError(f"{what}: the model has no state variable "
                           f"{name!r} (it has "
                           f"{', '.join(self._model.state_names)})")
        return self._rows[name]

    def _unit_of_row(self, row: int):
        return self._model.units[self._model.state_names[row]]

    def _static_values(self, name: str) -> np.ndarray:
        program = core_program(self._model.compile_static(name))
        return self._c.evaluate(program, self._clock._c.step)

    def _core_objects(self):
        """(kind, core object, clock[, slot, first]) entries for a
        network."""
        from .monitor import SLOTS
        # Inputs of the equations (TimedArray(t)) are set before the
        # group updates.
        entries = list(getattr(self._model, "input_entries", ()))
        entries.append(("group", self._c, self._clock))
        for op in self._operations:
            entries.append(("operation", op, self._clock,
                            SLOTS[_OPERATION_SLOTS[op.kind]], True))
        return entries

    def _reinit(self, states: bool = True) -> None:
        if states:
            self._state[...] = 0.0 if self._initial_state is None \
                else self._initial_state
        self._c.reinit()

    def reinit(self, states: bool = True) -> None:
        """Initial state (unless ``states`` is False), no spikes, no
        refractoriness."""
        self._reinit(states)

    def rest(self) -> None:
        """Move the state to the model's fixed point (Brian 1's rest()).

        Linear models solve ``M X + b = 0``; a singular M (a parameter, or
        Brian 1's 100-substep fallback) raises NotImplementedError as in
        Brian 1.  Nonlinear models use Newton's method on the
        non-parameter variables from 0, parameters taken as 0 (Brian 1's
        fsolve quirk); on failure it warns and changes nothing."""
        if isinstance(self._model, _LazyModel):
            return
        info = self._update_info
        if info is not None and info.method in ("linear", "linear_euler100"):
            if info.method == "linear_euler100":
                raise NotImplementedError("rest() needs an invertible linear "
                                          "system (the model has a "
                                          "parameter or a singular matrix)")
            fixed = np.linalg.solve(info.M, -info.b)
            self._state[...] = fixed[:, None]
            return
        fixed = _newton_rest(self._model)
        if fixed is None:
            import warnings
            warnings.warn("rest(): no fixed point found; state unchanged",
                          RuntimeWarning, stacklevel=2)
            return
        for name, value in fixed.items():
            self._state[self._rows[name]] = value

    def __repr__(self) -> str:
        names = ", ".join(self._model.state_names)
        return (f"<NeuronGroup of {self._n} neurons, variables ({names}), "
                f"dt = {self._clock.dt}>")

    @property
    def LS(self):
        return self._c
