"""NeuronGroup: a population sharing one model, its subgroups and state."""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import _core, _engine, _magic
from .clock import guess_clock
from .units import (DimensionMismatchError, Quantity, get_dimensions,
                    second)

__all__ = ["NeuronGroup", "core_program"]


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


class _StateAccess:
    """State-variable access shared by groups and subgroups: ``P.v`` reads
    a live float64 view in SI; ``P.v = value`` assigns in place, checking
    the units of quantities."""

    _owner: "NeuronGroup"
    _origin: int
    _n: int

    def _columns(self) -> slice:
        return slice(self._origin, self._origin + self._n)

    def state(self, name):
        """The live row of a variable (or of state number ``name``)."""
        owner = self._owner
        if isinstance(name, (int, np.integer)):
            return owner._state[int(name), self._columns()]
        name = owner._model.aliases.get(name, name)
        row = owner._rows.get(name)
        if row is not None:
            return owner._state[row, self._columns()]
        if name in owner._model.static_names:
            return owner._static_values(name)[self._columns()]
        raise AttributeError(f"{owner._name}: no state variable {name!r}")

    state_ = state

    def unit(self, name: str):
        return self._owner._model.units[name]

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
        raise AttributeError(f"{type(self).__name__} has no attribute "
                             f"{name!r}")

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
        if check_units:
            dim = get_dimensions(value)
            has_units = isinstance(value, Quantity) or hasattr(value, "dim")
            if (has_units or not dim.is_dimensionless()) and \
                    dim != get_dimensions(unit):
                raise DimensionMismatchError(
                    f"{owner._name}: {name} has units of "
                    f"{get_dimensions(unit)}, the value assigned does not",
                    get_dimensions(unit), dim)
        values = np.asarray(value, dtype=np.float64)
        if values.ndim > 1 or (values.ndim == 1 and
                               values.shape[0] not in (1, self._n)):
            raise ValueError(f"{owner._name}: {name} needs a scalar or "
                             f"{self._n} values, got shape {values.shape}")
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

    def __repr__(self) -> str:
        return (f"<subgroup [{self._origin}:{self._origin + self._n}] of "
                f"{self._owner!r}>")


class NeuronGroup(_StateAccess):
    """Neurons sharing one model (Brian 1 API).

    Parameters
    ----------
    N : int
        Number of neurons, at least 1.
    model : str, Equations or list
        The model equations; names resolve in the caller's frame.
    threshold, reset, refractory
        Spike condition, reset and refractory period, as in Brian 1.
    init : dict
        Initial values (default 0), restored by ``reinit()``.
    clock, order, implicit, method, freeze, unit_checking, level, ...
        As in Brian 1.
    """

    def __init__(self, N, model=None, threshold=None, reset=None, init=None,
                 refractory=0 * second, level=0, clock=None, order=1,
                 implicit=False, unit_checking=True, max_delay=0 * second,
                 compile=False, freeze=False, method=None,
                 max_refractory=None):
        from ._model import Model
        from .reset import install_reset
        from .threshold import install_threshold

        n = check_size(N, "NeuronGroup")
        d = self.__dict__
        d.update(_owner=self, _origin=0, _n=n, _allocated=0,
                 _name="NeuronGroup")
        d["_clock"] = guess_clock(clock, level)
        model_obj = Model(model, level=level, n=n,
                          check_units=unit_checking)
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
        if model_obj.state_names or model_obj.static_names:
            program, info = model_obj.compile_update(
                dt, method=method, implicit=implicit, order=order)
            d["_update_info"] = info
            if program is not None and (program.n_instr > 0 or
                                        program.linear is not None):
                self._c.set_update(core_program(program))
        if init is not None:
            for name, value in dict(init).items():
                self._assign(name, value)
        d["_initial_state"] = state.copy()
        install_threshold(self, threshold)
        install_reset(self, reset, refractory, max_refractory)
        _magic.register(self, level)

    # -- helpers used by thresholds, resets and monitors --------------------

    def _row(self, name, what: str) -> int:
        """The state row of a variable given by name or number."""
        if isinstance(name, (int, np.integer)):
            if not 0 <= name < len(self._model.state_names):
                raise IndexError(f"{what}: state number {name} out of range")
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
        """(kind, core object, clock) entries for a network."""
        return [("group", self._c, self._clock)]

    def _reinit(self, states: bool = True) -> None:
        if states:
            self._state[...] = self._initial_state
        self._c.reinit()

    def rest(self) -> None:
        """Move the state to the model's fixed point (Brian 1's rest()).

        Linear models solve ``M X + b = 0``; a singular M (a parameter, or
        Brian 1's 100-substep fallback) raises NotImplementedError as in
        Brian 1.  Nonlinear models use Newton's method on the
        non-parameter variables from 0, parameters taken as 0 (Brian 1's
        fsolve quirk); on failure it warns and changes nothing."""
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
