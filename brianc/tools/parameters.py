"""Parameter sets with derived values (Brian 1's Parameters and
attribdict)."""
from __future__ import annotations

import textwrap
from itertools import chain

import numpy

__all__ = ['attribdict', 'Parameters']


class attribdict(dict):
    """A dict whose keys are also attributes: ``d.x`` is ``d['x']``.
    Names starting with ``_`` are real attributes, not keys."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, val):
        if name.startswith('_') or name in dir(type(self)):
            dict.__setattr__(self, name, val)
        else:
            self[name] = val

    def __repr__(self) -> str:
        return 'Attributes:' + ''.join(f'\n    {k} = {v}'
                                       for k, v in self.items())


class Parameters(attribdict):
    """Named values plus values computed from them.

    Keywords starting with ``computed_`` hold Python statements (run with
    NumPy's names, in the alphabetical order of their keywords) that
    compute further values from the others; they are recomputed whenever a
    value changes, and cannot be set.  ``p(x=3)`` gives a changed copy,
    ``Parameters(y=2, **p)`` derives a new set.
    """

    def __init__(self, **kwds):
        super().__init__(**kwds)
        self._recompute()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            pass
        try:
            return self.__dict__['_computed_values'][name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, val):
        if name in self.__dict__.get('_computed_values', {}):
            raise AttributeError(f"cannot set the computed value {name!r}")
        attribdict.__setattr__(self, name, val)
        self._recompute()

    def _recompute(self) -> None:
        values = dict(self)
        for key in sorted(k for k in self if k.startswith('computed_')):
            code = textwrap.dedent(self[key]).strip()
            exec(code, dict(numpy.__dict__), values)
        computed = {k: v for k, v in values.items()
                    if not k.startswith('_') and k not in self}
        object.__setattr__(self, '_computed_values', computed)

    def ascode(self, name: str) -> str:
        """Statements binding every value to a local of its name, read
        from the Parameters object called ``name``."""
        keys = [k for k in chain(self, self._computed_values)
                if not k.startswith('computed_')]
        return ''.join(f'{k}={name}.{k}\n' for k in keys)

    def get_vars(self, *vars):
        """The values named (names or space-separated strings of names)."""
        names = chain(*(v.split() for v in vars))
        return tuple(getattr(self, v) for v in names)

    def __repr__(self) -> str:
        s = 'Values:' + ''.join(f'\n    {k} = {v}' for k, v in self.items()
                                if not k.startswith('computed_'))
        if self._computed_values:
            s += '\n_computed values:' + ''.join(
                f'\n    {k} = {v}' for k, v in self._computed_values.items())
        return s

    def __call__(self, **kwds):
        p = Parameters(**self)
        for k, v in kwds.items():
            setattr(p, k, v)
        return p

    def __reduce__(self):
        return (_load_parameters, (list(self.items()),))


def _load_parameters(items):
    return Parameters(**dict(items))
