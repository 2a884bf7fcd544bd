"""Pickling of brianc's objects (Brian 1 pickled networks, most often to
hand them to worker processes).

An object that owns C state is pickled as the arguments it was built with
plus its current values: unpickling builds it again (programs compiled
anew, the same random streams) and puts the values back.  What cannot be
pickled (a lambda in a model, a network operation defined inside a
function) raises a PicklingError that names the object.
"""
from __future__ import annotations

import importlib
import pickle
import types

__all__: list[str] = []


class ModuleRef:
    """A module in a model's namespace (``np`` in ``np.exp(x)``), pickled
    by name and imported again on unpickling."""

    def __init__(self, name: str):
        self.name = name

    def __reduce__(self):
        return (importlib.import_module, (self.name,))


def portable(namespace: dict) -> dict:
    """The namespace with its modules replaced by ModuleRefs."""
    return {k: ModuleRef(v.__name__) if isinstance(v, types.ModuleType)
            else v for k, v in namespace.items()}


def checked(value, what: str):
    """value, or a PicklingError naming ``what`` when it cannot be
    pickled (instead of pickle's message about some inner function)."""
    try:
        pickle.dumps(value)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        raise pickle.PicklingError(
            f"cannot pickle {what}: {exc} (only functions defined at the "
            f"top level of a module can be pickled)") from None
    return value


def rebuild(cls: type, base: type, kwargs: dict, presets: dict = None):
    """An instance of cls built by ``base.__init__(**kwargs)`` (base is the
    brianc class whose constructor recorded kwargs; cls may be a user's
    subclass with another constructor); ``presets`` go into the new
    object's ``__dict__`` before (its random stream, for one)."""
    obj = cls.__new__(cls)
    obj.__dict__.update(presets or {})
    base.__init__(obj, **kwargs)
    return obj
