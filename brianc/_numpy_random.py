"""numpy.random's names for Brian 1's namespace, loaded on first use.

``from brian import *`` gave ``from numpy.random import *``; importing
numpy.random costs about a tenth of brianc's import (its bit generators
pull in hashlib, hmac, secrets and threading), so brianc's namespace holds
stand-ins that import it when first called: functions that forward the
call, and for the classes (``RandomState``, ``Generator``, ...) stand-ins
that build, and pass ``isinstance`` for, instances of the real class.
"""
from __future__ import annotations

import importlib

__all__ = ["lazy_random_namespace"]

# numpy.random.__all__ (NumPy 1.17 to 2.x), split into functions and
# classes: the list cannot be read without importing numpy.random.
_FUNCTIONS = (
    "beta", "binomial", "bytes", "chisquare", "choice", "dirichlet",
    "exponential", "f", "gamma", "geometric", "get_state", "gumbel",
    "hypergeometric", "laplace", "logistic", "lognormal", "logseries",
    "multinomial", "multivariate_normal", "negative_binomial",
    "noncentral_chisquare", "noncentral_f", "normal", "pareto",
    "permutation", "poisson", "power", "rand", "randint", "randn", "random",
    "random_integers", "random_sample", "ranf", "rayleigh", "sample", "seed",
    "set_state", "shuffle", "standard_cauchy", "standard_exponential",
    "standard_gamma", "standard_normal", "standard_t", "triangular",
    "uniform", "vonmises", "wald", "weibull", "zipf", "default_rng")
_CLASSES = ("Generator", "RandomState", "SeedSequence", "MT19937", "Philox",
            "PCG64", "PCG64DXSM", "SFC64", "BitGenerator")


def _real(name: str):
    return getattr(importlib.import_module("numpy.random"), name)


def _lazy_function(name: str):
    def forward(*args, **kwds):
        return _real(name)(*args, **kwds)
    forward.__name__ = forward.__qualname__ = name
    forward.__doc__ = (f"numpy.random.{name} (numpy.random is imported on "
                       f"first use; see its documentation)")
    return forward


class _LazyClass(type):
    """Metaclass of a class stand-in: calling it builds an instance of the
    real class, and isinstance/issubclass test against the real class."""

    def __call__(cls, *args, **kwds):
        return _real(cls.__name__)(*args, **kwds)

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, _real(cls.__name__))

    def __subclasscheck__(cls, sub) -> bool:
        return issubclass(sub, _real(cls.__name__))

    def __getattr__(cls, attr):
        return getattr(_real(cls.__name__), attr)


def lazy_random_namespace() -> dict:
    """name -> stand-in for every name of ``from numpy.random import *``."""
    names = {name: _lazy_function(name) for name in _FUNCTIONS}
    for name in _CLASSES:
        names[name] = _LazyClass(name, (), {
            "__doc__": f"numpy.random.{name}, imported on first use"})
    return names
