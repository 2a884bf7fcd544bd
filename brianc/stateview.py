"""The live view of one state variable that ``G.v`` returns: a float64
array in SI units whose element writes get the same checks as
``G.v = value``."""
from __future__ import annotations

import numpy as np

from .units import DimensionMismatchError, known_dimensions

__all__ = ["StateView", "check_state_value", "non_finite_text"]


def check_state_value(owner_name: str, name: str, want, value,
                      check_units: bool, unit_text) -> np.ndarray:
    """``value`` as float64, or a clear error for NaN/infinity, which every
    later step would spread, and for a value known to be in other units
    (a quantity, or an array made from one: see SIArray).  Plain numbers
    and arrays carry no units and are stored as SI values, as in Brian 1;
    Brian 1 stored a quantity of other units too, but no Brian 1 example
    or test relies on that, so brianc refuses it like every write path."""
    dim = known_dimensions(value) if check_units else None
    if dim is not None and dim != want:
        raise DimensionMismatchError(
            f"{owner_name}: {name} is in {unit_text(want)}, the value "
            f"assigned is in {unit_text(dim)}", dim, want)
    try:
        values = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{owner_name}: cannot assign {value!r} to "
                        f"{name}") from None
    if not np.isfinite(values).all():
        raise ValueError(f"{owner_name}: {non_finite_text(values)} "
                         f"assigned to {name} (state values must be "
                         f"finite)")
    return values


def non_finite_text(values: np.ndarray) -> str:
    """'NaN', 'inf' or '-inf': the first value of ``values`` that is not
    finite, as error messages name it."""
    bad = float(values[~np.isfinite(values)].flat[0])
    return "NaN" if bad != bad else ("inf" if bad > 0 else "-inf")


class StateView(np.ndarray):
    """A state row (or part of one), shared with the simulation.

    It is a plain float64 array for everything but element writes:
    ``G.v[0] = x`` and ``G.v[:5] = x`` are checked like ``G.v = x``.
    Arithmetic on it gives plain arrays."""

    _guard: tuple | None = None     # (owner name, variable, Dimension,
    #                                  check units, unit_text)

    def __array_finalize__(self, obj) -> None:
        # Slices of a view are views of the same variable.
        self._guard = getattr(obj, "_guard", None)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        plain = np.asarray(array).view(np.ndarray)
        return plain[()] if return_scalar else plain

    def __setitem__(self, key, value) -> None:
        guard = self._guard
        if guard is not None:
            owner_name, name, want, check_units, unit_text = guard
            value = check_state_value(owner_name, name, want, value,
                                      check_units, unit_text)
        try:
            super().__setitem__(key, value)
        except IndexError as exc:
            where = f"{guard[0]}.{guard[1]}" if guard else "state"
            raise IndexError(f"{where}[{key!r}]: {exc} (the view has "
                             f"{len(self)} values)") from None

    def __reduce__(self):
        # Pickles (and copies made by pickling) are plain arrays.
        return np.asarray(self).view(np.ndarray).copy().__reduce__()


def state_view(row: np.ndarray, owner_name: str, name: str, want,
               check_units: bool, unit_text) -> StateView:
    view = row.view(StateView)
    view._guard = (owner_name, name, want, check_units, unit_text)
    return view
