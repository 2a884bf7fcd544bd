"""Network operations: Python functions the run loop calls once per step
of their clock, in their ``when`` slot (Brian 1's ``network_operation``)."""
from __future__ import annotations

import inspect

from . import magic
from ._pickling import checked
from .base import magic_kind, slot_number
from .clock import Clock, guess_clock

__all__ = ["NetworkOperation", "network_operation"]


def _check_signature(function) -> None:
    """A network operation is called with no argument or with its clock:
    say so now rather than with a TypeError in the middle of a run."""
    if not callable(function):
        raise TypeError(f"network_operation needs a function, got "
                        f"{function!r}")
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return          # builtins without a signature: trust them
    try:
        signature.bind()
    except TypeError:
        try:
            signature.bind(None)
        except TypeError:
            raise TypeError(f"network_operation {function!r} must take no "
                            f"argument or one (the clock); its signature "
                            f"is {signature}") from None


@magic_kind
class NetworkOperation:
    """A Python function called once per step in its ``when`` slot."""

    def __init__(self, function, clock=None, when="end", _register=True):
        self._slot = slot_number(when, "NetworkOperation")
        self.function = function
        self.clock = guess_clock(clock, 0)
        self.when = when
        try:
            n_args = function.__code__.co_argcount - (
                1 if hasattr(function, "__self__") else 0)
        except AttributeError:
            n_args = 0
        self._pass_clock = n_args >= 1
        _check_signature(function)
        if _register:
            magic.register(self, 0)

    def __reduce__(self):
        name = getattr(self.function, "__qualname__", repr(self.function))
        checked(self.function, f"the network operation {name}")
        return (_rebuild_operation, (type(self), self.function, self.clock,
                                     self.when))

    def __call__(self):
        if self._pass_clock:
            return self.function(self.clock)
        return self.function()

    def _core_objects(self):
        return [("operation", self, self.clock, self._slot)]

    def _reinit(self, states: bool = True) -> None:
        pass


def _rebuild_operation(cls, function, clock, when):
    return cls(function, clock=clock, when=when)


def network_operation(*args, **kwds):
    """Decorator: ``@network_operation``, ``@network_operation(clock)`` or
    ``@network_operation(when='start')``."""
    if len(args) == 1 and callable(args[0]) and not kwds and \
            not isinstance(args[0], Clock):
        op = NetworkOperation(args[0])
        magic.retag(op, 0)
        return op

    def decorate(function):
        op = NetworkOperation(function, *args, **kwds)
        magic.retag(op, 0)
        return op
    return decorate
