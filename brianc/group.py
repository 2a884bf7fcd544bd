"""Groups of neurons: the state-variable access every group and subgroup
shares, subgroups, and the checks of a group's size."""
from __future__ import annotations

import math
import numbers

import numpy as np

from .stateview import StateView, check_state_value, state_view
from .units import Quantity, get_dimensions, get_unit

__all__ = ["Group"]

# What a group holds for the network, not for scripts: never copied into
# its subgroups.
_NOT_SHARED = frozenset(("contained_objects",))


def unit_text(dim) -> str:
    """A readable unit for a Dimension: 'mV/ms', 'V', '1'."""
    if dim.is_dimensionless():
        return "1"
    return str(get_unit(Quantity(1.0, dim)))


def check_size(N, what: str) -> int:
    """N as a positive int, or a clear error naming it."""
    if isinstance(N, bool) or not isinstance(N, (numbers.Real, np.number)):
        raise TypeError(f"{what}: N must be a positive integer, got {N!r}")
    if isinstance(N, (float, np.floating)) and not math.isfinite(N):
        raise ValueError(f"{what}: N must be a positive integer, got {N!r}")
    if int(N) != N or N < 1:
        raise ValueError(f"{what}: N must be a positive integer, got {N!r}")
    if N > 2**31 - 1:
        raise ValueError(f"{what}: N = {N} is more than 2**31 - 1 neurons")
    return int(N)


# Bytes of alignment of a state matrix: a cache line.  Vector loads that
# straddle two lines cost the update about 7 % (HH) to 20 % (a linear
# update) on AVX2; NumPy's own buffers start 16 bytes into a line.
_STATE_ALIGN = 64


def state_matrix(n_vars: int, n: int) -> np.ndarray:
    """A zeroed C-contiguous (n_vars, n) float64 matrix starting on a
    cache line, so each row does too when 8 n is a multiple of 64."""
    size = n_vars * n
    buf = np.zeros(size + _STATE_ALIGN // 8)    # pages zeroed lazily
    skip = (-buf.ctypes.data % _STATE_ALIGN) // 8
    return buf[skip:skip + size].reshape(n_vars, n)


class Group:
    """The base of every group (Brian 1's Group): state-variable access
    shared by groups and subgroups: ``P.v`` and
    ``P.v_`` read a live float64 view in SI; ``P.v = value`` assigns in
    place (a Quantity must have the variable's units)."""

    _origin: int
    _n: int

    @property
    def _owner(self) -> "Group":
        """The group that holds the state: the group itself, or a
        subgroup's parent.  A group never stores itself, so dropping the
        last name of a network frees it at once, without waiting for the
        cycle collector."""
        return self.__dict__.get("_parent", self)

    def _columns(self) -> slice:
        return slice(self._origin, self._origin + self._n)

    def state(self, name, _check_units: bool = True):
        """The live row of a variable (or of state number ``name``), a
        float64 view in SI units whose element writes are checked like
        ``P.v = value``; a static equation is computed."""
        owner = self._owner
        if isinstance(name, (int, np.integer)) and \
                not isinstance(name, bool):
            if not 0 <= name < owner._state.shape[0]:
                raise IndexError(f"{owner._name}: state number {name} is "
                                 f"out of range (the model has "
                                 f"{owner._state.shape[0]})")
            return self._view(owner._model.state_names[int(name)],
                              _check_units)
        if not isinstance(name, str):
            raise TypeError(f"{owner._name}: a state variable is named by "
                            f"a string or a number, got {name!r}")
        name = owner._model.aliases.get(name, name)
        if name in owner._rows:
            return self._view(name, _check_units)
        if name in owner._model.static_names:
            return owner._static_values(name)[self._columns()]
        raise KeyError(f"{owner._name}: no state variable {name!r} (the "
                       f"model has {', '.join(owner._model.state_names)})")

    def state_(self, name):
        """``state`` without the unit check of element writes (Brian 1's
        ``P.v_``)."""
        return self.state(name, _check_units=False)

    def _view(self, name: str, check_units: bool) -> StateView:
        owner = self._owner
        row = owner._state[owner._rows[name], self._columns()]
        return state_view(row, owner._name, name,
                          get_dimensions(owner._model.units[name]),
                          check_units, unit_text)

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
        if name.startswith("__") or name in ("_origin", "_n"):
            raise AttributeError(name)
        owner = self._owner
        model = owner.__dict__.get("_model")
        if model is not None:
            base = name[:-1] if name.endswith("_") else name
            base = model.aliases.get(base, base)
            if base in owner._rows or base in model.static_names:
                return self.state(base, not name.endswith("_"))
        raise AttributeError(f"{type(self).__name__} has no attribute or "
                             f"state variable {name!r}")

    def __setattr__(self, name: str, value) -> None:
        owner = self._owner
        model = owner.__dict__.get("_model")
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
        want = get_dimensions(owner._model.units[name])
        values = check_state_value(owner._name, name, want, value,
                                   check_units, unit_text)
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
            for bound in (index.start, index.stop, index.step):
                if bound is not None and not isinstance(
                        bound, (numbers.Integral, np.integer)):
                    raise TypeError(f"subgroup slices need whole neuron "
                                    f"numbers, got {index!r}")
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
        sub = Subgroup(self._owner, self._origin + start, stop - start)
        # Brian 1 made a subgroup as a shallow copy of the group sliced:
        # the attributes a script had set on it (``G.position = ...``)
        # are there too, as they were then, whole (not sliced).
        sub.__dict__.update(
            (k, v) for k, v in self.__dict__.items()
            if not k.startswith("_") and k not in _NOT_SHARED)
        return sub

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


class Subgroup(Group):
    """A contiguous view of an owner group: shares its state and spikes;
    never simulated itself."""

    def __init__(self, owner: "Group", origin: int, n: int):
        self.__dict__.update(_parent=owner, _origin=origin, _n=n,
                             _allocated=0)

    @property
    def _name(self) -> str:
        return (f"subgroup [{self._origin}:{self._origin + self._n}] of "
                f"{self._owner._name}")

    def __reduce__(self):
        state = {k: v for k, v in self.__dict__.items()
                 if not k.startswith("_")}
        state["_allocated"] = self._allocated
        return (type(self), (self._owner, self._origin, self._n), state)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return (f"<subgroup [{self._origin}:{self._origin + self._n}] of "
                f"{self._owner!r}>")
