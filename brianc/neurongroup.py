"""NeuronGroup: a population sharing one model, its subgroups and state."""
from __future__ import annotations

import numpy as np

from . import _core, _engine, magic
from ._pickling import checked, rebuild
from ._program import core_program
from ._python_inputs import refresher
from .base import SLOTS, magic_kind
from ._checks import whole_steps
from .clock import guess_clock
from .equations import Equations
from .group import Group, check_size, state_matrix
from .reset import install_reset
from .stateupdater import LazyStateUpdater, _LazyModel
from .threshold import install_threshold
from .units import second

__all__ = ["NeuronGroup", "LazyStateUpdater"]

# Schedule slots of the Python operations a group's threshold or reset may
# need (network.py runs them first in their slot): a threshold computed in
# Python must be in place before anything reads this step's spikes, and a
# Python reset runs where the C resets run.
_OPERATION_SLOTS = {"threshold": "after_groups", "reset": "after_resets",
                    "inputs": "before_groups",
                    "reset_inputs": "before_resets"}


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
    # The equation compiler loads with the first model, not with brianc:
    # scripts pay its import only when they build a group (about 2 ms).
    from ._model import Model
    if model is None:
        raise TypeError("NeuronGroup needs a model: equations (a string or "
                        "Equations) or a LazyStateUpdater")
    if isinstance(model, LazyStateUpdater):
        return _LazyModel(len(model))
    if isinstance(model, str) and freeze:
        model = Equations(model, level=level, freeze=True)
    return Model(model, level=level, n=n, check_units=unit_checking)


@magic_kind
class NeuronGroup(Group):
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
                 max_refractory=None, _names=None, _rng=None):
        # _names and _rng are for unpickling: the names a string threshold
        # or reset uses, and the group's random stream.
        n = check_size(N, "NeuronGroup")
        d = self.__dict__
        # contained_objects: what a subclass creates and wants simulated
        # along with it (Brian 1); Network.add adds them.
        d.update(_origin=0, _n=n, _allocated=0,
                 _name="NeuronGroup", contained_objects=[])
        d["_clock"] = guess_clock(clock, level)
        model_obj = _model_of(model, level, n, unit_checking, freeze)
        d["_model"] = model_obj
        d["_rows"] = {name: k for k, name in enumerate(model_obj.state_names)}
        state = state_matrix(len(model_obj.state_names), n)
        d["_state"] = state
        d["_seed"], d["_stream"] = _rng if _rng is not None else (
            _engine.current_seed(), _engine.new_stream())
        dt = float(d["_clock"].dt)
        d["_c"] = _core.Group(state, dt, d["_seed"], d["_stream"])
        # Only the names a string threshold or reset mentions: the whole
        # namespace would keep a script's earlier objects alive.
        d["_namespace"] = _names if _names is not None else \
            magic.caller_names(" ".join(s for s in (threshold, reset)
                                        if isinstance(s, str)), level)
        # What pickling needs to build the group again.
        d["_init_args"] = dict(
            N=n, model=getattr(model_obj, "equations", model),
            threshold=threshold, reset=reset, refractory=refractory,
            clock=d["_clock"], order=order, implicit=implicit,
            unit_checking=unit_checking, max_delay=max_delay,
            method=method, max_refractory=max_refractory)
        d["_update_info"] = None
        python_ops: list = []
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
            python_ops = self._python_input_ops(program, info)
        if init is not None:
            self._set_initial(init, unit_checking)
            d["_initial_state"] = state.copy()
        else:
            # All zeros, which reinit() restores without a copy (copying
            # would touch every page of an N-sized matrix now).
            d["_initial_state"] = None
        self._c.reserve_history(
            whole_steps(max_delay, dt, "NeuronGroup max_delay") + 2)
        ops = python_ops + install_threshold(self, threshold)
        ops += install_reset(self, reset, refractory, max_refractory)
        d["_operations"] = [_GroupOperation(self, kind, f) for kind, f in ops]
        magic.register(self, level)

    def __reduce__(self):
        args = dict(self._init_args, _names=self._namespace,
                    _rng=(self._seed, self._stream))
        checked(args, f"{self._name} (its model, threshold or reset)")
        # Attributes a script or a subclass added (contained objects,
        # names) go along; the rest is built again.
        extras = {k: v for k, v in self.__dict__.items()
                  if not k.startswith("_")}
        state = {"state": self._state.copy(), "extras": extras,
                 "initial": self._initial_state,
                 "allocated": self._allocated,
                 "spiking": self._c.spiking_state()}
        return (rebuild, (type(self), NeuronGroup, args), state)

    def __setstate__(self, state: dict) -> None:
        self._state[...] = state["state"]
        self.__dict__.update(state["extras"], _initial_state=state["initial"],
                             _allocated=state["allocated"])
        # Refractoriness and the spikes of the last steps (read by delayed
        # connections and monitors), so that a run goes on exactly.
        self._c.restore_spiking_state(state["spiking"])

    def _python_input_ops(self, program, info) -> list:
        """The operation computing the Python calls of the update, or
        none.  They are computed from the state at the start of the step,
        which is exact for the methods that evaluate the derivatives only
        there."""
        if program is None or not program.python_inputs:
            return []
        if info.method == "rk2":
            raise ValueError(
                f"{self._name}: Python functions in equations work with "
                f"Euler or exponential Euler integration, not second-order "
                f"Runge-Kutta (drop order=2)")
        return [("inputs", refresher(program.python_inputs, self))]

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
        compiled = self._model.compile_static(name)
        step = self._clock._c.step
        refresher(compiled.python_inputs, self)(step)
        return self._c.evaluate(core_program(compiled), step)

    def _core_objects(self):
        """(kind, core object, clock[, slot, first]) entries for a
        network."""
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
    def _S(self) -> np.ndarray:
        """The state matrix (a row per variable), Brian 1's ``_S``."""
        return self._state

    @property
    def _state_updater(self):
        """How the update was made (method, and A and B for a linear
        model): what Brian 1 scripts read from ``G._state_updater``."""
        return self._update_info

    @property
    def LS(self):
        return self._c
