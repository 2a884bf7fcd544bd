"""Stand-ins for names whose module is imported on first use.

``from brianc import *`` copies every name of the package into the script,
so a name that should load its module only when used must be there as a
stand-in: ``LazyObject`` for a class, function or value (it forwards calls,
attributes, items, ``isinstance``/``issubclass``, subclassing, equality and
hashing to the real object), ``LazyModule`` for a module.  A stand-in
cannot be the real object: ``type(x) is PoissonGroup`` is False when
``PoissonGroup`` is one (``type(x) == PoissonGroup`` and ``isinstance`` are
True).
"""
from __future__ import annotations

import importlib
import inspect
import types

__all__ = ["LazyObject", "LazyModule", "load_attribute"]


def load_attribute(module: str, name: str):
    """``module.name``, the module imported if needed (also how a pickled
    stand-in comes back: as the real object)."""
    return getattr(importlib.import_module(module), name)


def _itself(obj):
    return obj


# What a LazyObject answers itself when asked by name; every other
# attribute (``__init__`` and ``__doc__`` included, so that a subclass's
# ``PoissonGroup.__init__(self, ...)`` reaches the real class) is the real
# object's.  __class__ stays the stand-in's: help() documents the object
# it stands for rather than mistaking it for a class.
_OWN_ATTRIBUTES = frozenset((
    "_name", "_load", "_target", "_home", "_resolve", "__class__",
    "__reduce__", "__reduce_ex__", "__mro_entries__", "__signature__"))


class LazyObject:
    # Stands for ``getattr(load(), name)`` until first used; ``home``, a
    # namespace that holds the stand-in under ``name``, gets the real object
    # in its place once loaded (so ``brianc.X`` is then the real X).

    __slots__ = ("_name", "_load", "_target", "_home")

    def __init__(self, name: str, load, home: dict | None = None):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_load", load)
        object.__setattr__(self, "_target", None)
        object.__setattr__(self, "_home", home)

    def _resolve(self):
        target = self._target
        if target is None:
            target = getattr(self._load(), self._name)
            object.__setattr__(self, "_target", target)
            home = self._home
            if home is not None and home.get(self._name) is self:
                home[self._name] = target
        return target

    def __getattribute__(self, attr):
        if attr in _OWN_ATTRIBUTES:
            return object.__getattribute__(self, attr)
        return getattr(object.__getattribute__(self, "_resolve")(), attr)

    # (for what reads an object's attributes past __getattribute__, as
    # help() does for the docstring)
    __doc__ = property(lambda self: self._resolve().__doc__)

    @property
    def __signature__(self):
        return inspect.signature(self._resolve())

    def __call__(self, *args, **kwds):
        return self._resolve()(*args, **kwds)

    def __dir__(self):
        return dir(self._resolve())

    def __setattr__(self, attr, value):
        setattr(self._resolve(), attr, value)

    def __delattr__(self, attr):
        delattr(self._resolve(), attr)

    def __getitem__(self, key):
        return self._resolve()[key]

    def __setitem__(self, key, value):
        self._resolve()[key] = value

    def __contains__(self, key):
        return key in self._resolve()

    def __iter__(self):
        return iter(self._resolve())

    def __len__(self):
        return len(self._resolve())

    def __eq__(self, other):
        return self._resolve() == other

    def __ne__(self, other):
        return self._resolve() != other

    def __hash__(self):
        return hash(self._resolve())

    def __instancecheck__(self, obj):
        return isinstance(obj, self._resolve())

    def __subclasscheck__(self, cls):
        return issubclass(cls, self._resolve())

    def __mro_entries__(self, bases):
        return (self._resolve(),)

    def __reduce__(self):
        # pickled (or copied) as the real object
        target = self._resolve()
        qualname = getattr(target, "__qualname__", None)
        if qualname is None:
            return _itself, (target,)
        return load_attribute, (target.__module__, qualname)

    def __repr__(self):
        return repr(self._resolve())


class LazyModule(types.ModuleType):
    """Module ``target``, imported on first attribute access (and then put
    in place of this stand-in in ``home`` under ``name``, as LazyObject
    does)."""

    def __init__(self, name: str, target: str, home: dict | None = None):
        super().__init__(target)
        self.__dict__["_brianc_target"] = target
        self.__dict__["_brianc_key"] = (name, home)

    def _module(self):
        module = importlib.import_module(self.__dict__["_brianc_target"])
        name, home = self.__dict__["_brianc_key"]
        if home is not None and home.get(name) is self:
            home[name] = module
        return module

    def __getattr__(self, attr):
        # Probes of a module's special names (__path__, __spec__...) do not
        # import it; its list of public names does.
        if attr.startswith("__") and attr != "__all__":
            raise AttributeError(attr)
        return getattr(self._module(), attr)

    def __setattr__(self, attr, value):
        setattr(self._module(), attr, value)

    def __dir__(self):
        return dir(self._module())

    def __repr__(self):
        return f"<module {self.__dict__['_brianc_target']!r} (lazy)>"
