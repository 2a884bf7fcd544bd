"""Results of many runs, possibly from many processes, kept in Python
``shelve`` files (Brian 1's DataManager)."""
from __future__ import annotations

import os
import platform
import shelve
from getpass import getuser
from glob import glob
from uuid import uuid4

__all__ = ['DataManager']


def _shelf(filename):
    return shelve.open(filename, protocol=2)


class LockingSession:
    """A shelf opened, used and closed under a lock shared between
    processes, for each item read or written."""

    def __init__(self, dataman, session_filename):
        from multiprocessing import Manager
        self.dataman = dataman
        self.session_filename = session_filename
        self._manager = Manager()
        self.lock = self._manager.Lock()
        self.session = None

    def __getstate__(self):
        # The manager stays with the process that made it; the lock proxy
        # travels to the task processes.
        state = dict(self.__dict__)
        state['_manager'] = None
        return state

    def acquire(self):
        self.lock.acquire()
        self.session = _shelf(self.session_filename)

    def release(self):
        self.session.close()
        self.session = None
        self.lock.release()

    def __getitem__(self, item):
        self.acquire()
        try:
            return self.session[item]
        finally:
            self.release()

    def __setitem__(self, item, value):
        self.acquire()
        try:
            self.session[item] = value
        finally:
            self.release()


class DataManager:
    """Data from runs in separate processes or machines, each writing to
    its own shelf file in the folder ``<datapath>/<name>.data``.

    ``session()`` gives a new uniquely named shelf, ``computer_session()``
    this user's and machine's shelf, ``locking_session()`` and
    ``locking_computer_session()`` shelves safe for concurrent writers.
    Reading merges every shelf: ``get(key)`` (dict session -> value),
    ``get_merged(key)`` (the concatenated lists), ``get_matching(match)``,
    ``get_merged_matching``, ``get_flat_matching``, ``keys()``,
    ``items()``/``iteritems()``, ``values()``/``itervalues()`` and
    ``itemcount()``.  ``make_unique_key()`` gives a fresh key.
    """

    def __init__(self, name, datapath=''):
        self.basepath = os.path.join(datapath, name + '.data')
        os.makedirs(self.basepath, exist_ok=True)
        self.computer_name = getuser() + '.' + platform.node()
        self.computer_session_filename = self.session_filename(
            self.computer_name)

    def session_name(self):
        return getuser() + '.' + str(uuid4())

    def session_filename(self, session_name=None):
        if session_name is None:
            session_name = self.session_name()
        return os.path.normpath(os.path.join(self.basepath, session_name))

    shelf = staticmethod(_shelf)

    def session(self, session_name=None):
        return _shelf(self.session_filename(session_name))

    def computer_session(self):
        return _shelf(self.computer_session_filename)

    def locking_session(self, session_name=None):
        return LockingSession(self, self.session_filename(session_name))

    def locking_computer_session(self):
        return LockingSession(self, self.computer_session_filename)

    def session_filenames(self):
        """One name per shelf (the dbm backend may add suffixes to the
        files themselves)."""
        names = set()
        for path in glob(os.path.join(self.basepath, '*')):
            base, ext = os.path.splitext(path)
            names.add(base if ext in ('.db', '.dat', '.dir', '.bak')
                      else path)
        return sorted(names)

    def get(self, key):
        result = {}
        for name in self.session_filenames():
            with _shelf(name) as shelf:
                if key in shelf:
                    result[os.path.basename(name)] = shelf[key]
        return result

    def get_merged(self, key):
        merged = []
        for value in self.get(key).values():
            if not isinstance(value, (list, tuple)):
                raise TypeError(f"DataManager.get_merged: the values of "
                                f"{key!r} are {type(value).__name__}, not "
                                f"lists or tuples; use get() and merge")
            merged.extend(value)
        return merged

    def get_matching_keys(self, match):
        return [k for k in self.keys()
                if (match(k) if callable(match) else k.startswith(match))]

    def get_matching(self, match):
        return {k: self.get(k) for k in self.get_matching_keys(match)}

    def get_merged_matching(self, match):
        merged = []
        for key in self.get_matching_keys(match):
            merged.extend(self.get_merged(key))
        return merged

    def get_flat_matching(self, match):
        flat = []
        for per_session in self.get_matching(match).values():
            flat.extend(per_session.values())
        return flat

    def keys(self):
        keys = set()
        for name in self.session_filenames():
            with _shelf(name) as shelf:
                keys.update(shelf.keys())
        return list(keys)

    def make_unique_key(self):
        return str(uuid4())

    def iteritems(self):
        for name in self.session_filenames():
            with _shelf(name) as shelf:
                for key in list(shelf.keys()):
                    yield key, shelf[key]

    def itervalues(self):
        for _, value in self.iteritems():
            yield value

    def items(self):
        return list(self.iteritems())

    def values(self):
        return list(self.itervalues())

    def itemcount(self):
        count = 0
        for name in self.session_filenames():
            with _shelf(name) as shelf:
                count += len(shelf)
        return count
