"""Seeding numpy.random when it is first imported, not at ``seed()``.

``seed(n)`` must make ``rand()`` repeat, as in Brian 1, but importing
numpy.random costs about 15 ms of CPU (its bit generators pull in hashlib,
secrets and threading), a large part of a short script's start when the
simulation itself never draws from it (brianc's engine has its own
generator).  While numpy.random is not imported yet nothing can have drawn
from it, so seeding it just after its import gives the same numbers as
seeding it at once: an import hook on ``sys.meta_path`` does that, for any
way the script reaches it (``rand()``, ``numpy.random.rand()``,
``from numpy.random import ...``).
"""
from __future__ import annotations

import importlib
import numbers
import sys

__all__ = ["seed_numpy_random"]

_MODULE = "numpy.random"


class _SeedingLoader:
    """Runs numpy.random's own loader, then seeds the fresh module."""

    def __init__(self, loader, hook: "_SeedOnImport") -> None:
        self._loader = loader
        self._hook = hook

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        # The module keeps its real loader (importlib.resources, reload).
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        pending = self._hook.take_seed()
        if pending is not None:
            module.seed(pending)


class _SeedOnImport:
    """A meta-path finder that only wraps numpy.random's loader, once."""

    def __init__(self, seed: int) -> None:
        self.seed: int | None = seed

    def take_seed(self) -> int | None:
        pending, self.seed = self.seed, None
        _remove(self)
        return pending

    def find_spec(self, fullname, path, target=None):
        if fullname != _MODULE or self.seed is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and \
                        hasattr(spec.loader, "exec_module"):
                    spec.loader = _SeedingLoader(spec.loader, self)
                return spec
        return None


def _remove(hook: _SeedOnImport) -> None:
    try:
        sys.meta_path.remove(hook)
    except ValueError:
        pass


def _installed() -> _SeedOnImport | None:
    for finder in sys.meta_path:
        if isinstance(finder, _SeedOnImport):
            return finder
    return None


def _deferrable(seed) -> bool:
    """A seed numpy.random.seed takes for sure: any other one is passed on
    at once, so that NumPy's own error comes from the seed() call."""
    return seed is None or (
        isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
        and 0 <= seed < 2**32)


def seed_numpy_random(seed) -> None:
    """numpy.random.seed(seed), now if numpy.random is loaded, else as it
    loads (``None``: a fresh import already seeds from the system)."""
    if not _deferrable(seed):
        importlib.import_module(_MODULE)
    module = sys.modules.get(_MODULE)
    hook = _installed()
    if module is not None:
        if hook is not None:
            _remove(hook)
        module.seed(seed)
        return
    if seed is None:
        if hook is not None:
            hook.seed = None
            _remove(hook)
        return
    if hook is None:
        sys.meta_path.insert(0, _SeedOnImport(int(seed)))
    else:
        hook.seed = seed
