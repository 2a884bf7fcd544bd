"""Frame inspection: the only module that looks at callers' frames.

Brian 1 resolves model names in the frame that wrote ``Equations(...)`` and
collects the objects a script created when it calls ``run()``.  Both need the
caller's frame, found here by walking out of brianc's own modules.
"""
from __future__ import annotations

import functools
import itertools
import re
import sys
import types
import weakref

__all__ = ["InstanceTracker", "get_instances", "find_instances",
           "find_all_instances", "magic_register", "magic_return"]

_PACKAGE = __name__.rpartition(".")[0]


def _is_internal(frame: types.FrameType) -> bool:
    """True for frames of brianc's own modules."""
    name = frame.f_globals.get("__name__", "")
    return name == _PACKAGE or name.startswith(_PACKAGE + ".")


def _is_comprehension(frame: types.FrameType) -> bool:
    """Comprehensions and generator expressions run in frames of their own
    on Python <= 3.11; Brian 1 scripts expect them to be their parent's."""
    return frame.f_code.co_name in ("<listcomp>", "<dictcomp>", "<setcomp>",
                                     "<genexpr>")


def user_frame(level: int = 0) -> types.FrameType:
    """The first frame outside brianc, then ``level`` frames further out.

    Comprehension frames are skipped, so an object built inside
    ``[SpikeMonitor(p) for p in groups]`` belongs to the enclosing frame.
    """
    frame = sys._getframe(1)
    while frame is not None and _is_internal(frame):
        frame = frame.f_back
    while frame is not None and _is_comprehension(frame) and frame.f_back:
        frame = frame.f_back
    for _ in range(level):
        if frame.f_back is None:
            break
        frame = frame.f_back
        while _is_comprehension(frame) and frame.f_back is not None:
            frame = frame.f_back
    return frame


def user_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning raised by the caller point
    at the first frame outside brianc (however many of brianc's frames,
    stand-ins' included, lie between)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and _is_internal(frame):
        frame, level = frame.f_back, level + 1
    return level


def caller_namespace(level: int = 0) -> tuple[dict, dict]:
    """(locals, globals) of the user frame ``level`` steps out (Brian 1's
    ``level`` argument): locals win over globals when names are resolved.

    For a comprehension frame (skipped above) the enclosing frame's names
    are the script's names, so they are the ones returned.
    """
    frame = user_frame(level)
    return dict(frame.f_locals), frame.f_globals


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")


def caller_names(code: str, level: int = 0) -> dict:
    """The values of the names ``code`` mentions, as the user frame
    ``level`` steps out sees them (locals win over globals).

    Objects that keep this dict, instead of the whole namespace, hold
    only what their expressions use: a loop that rebinds ``G = ...``
    then frees the previous iteration's objects."""
    frame = user_frame(level)
    local_ns, global_ns = frame.f_locals, frame.f_globals
    found = {}
    for name in set(_IDENTIFIER.findall(code)):
        if name in local_ns:
            found[name] = local_ns[name]
        elif name in global_ns:
            found[name] = global_ns[name]
    return found


def caller_namespaces(level: int = 0) -> tuple[dict, ...]:
    """The distinct namespaces of the user frame ``level`` steps out,
    locals first: one dict at a script's top level, where the locals are
    the globals, so a scan of every name visits each once."""
    frame = user_frame(level)
    if frame.f_locals is frame.f_globals:
        return (frame.f_globals,)
    return dict(frame.f_locals), frame.f_globals


# -- the registry of created objects ---------------------------------------
#
# Every group, connection, monitor, operation and clock registers itself,
# weakly, with the user frame that created it, so that run() can collect
# what the script made and an unreferenced object is never simulated.


_registry: "weakref.WeakValueDictionary[int, object]" = (
    weakref.WeakValueDictionary())
_frames: dict[int, object] = {}         # creation number -> frame key
_counter = itertools.count()
_forgotten: "weakref.WeakSet[object]" = weakref.WeakSet()


_TOKEN = "__brianc_frame__"
_tokens = itertools.count()


def frame_key(frame: types.FrameType) -> object:
    """A key unique to one execution of a frame.  Frame ids are reused once
    a function returns, so a second call of the same function would
    otherwise collect the first call's surviving objects; a function
    frame gets a token in its locals dict, a module frame is keyed by its
    globals."""
    if frame.f_locals is frame.f_globals:
        return ("module", id(frame.f_globals))
    token = frame.f_locals.get(_TOKEN)
    if token is None:
        token = ("frame", next(_tokens))
        frame.f_locals[_TOKEN] = token
    return token


def register(obj: object, level: int = 0) -> None:
    """Remember obj as created by the user frame ``level`` steps out."""
    number = next(_counter)
    obj._creation_number = number
    _registry[number] = obj
    _frames[number] = frame_key(user_frame(level))
    if len(_frames) > 2 * len(_registry) + 64:
        _forget_dead_frames()


def _forget_dead_frames() -> None:
    """Drop the frame keys of objects that no longer exist (a loop that
    builds networks would otherwise grow this table forever)."""
    for number in [n for n in _frames if n not in _registry]:
        del _frames[number]


def creation_mark() -> int:
    """A number between those of the objects created so far and those
    created later (what a clock remembers when its dt changes)."""
    return next(_counter)


def retag(obj: object, level: int = 0) -> None:
    """Brian 1's magic_register: obj now belongs to the frame ``level``
    steps out of the caller."""
    number = getattr(obj, "_creation_number", None)
    if number is None:
        register(obj, level)
    else:
        _frames[number] = frame_key(user_frame(level))


def live_instances(cls: type) -> list:
    """Every live, non-forgotten instance of cls, in creation order."""
    found = []
    for number in sorted(_registry.keys()):
        obj = _registry.get(number)
        if obj is not None and isinstance(obj, cls) and obj not in _forgotten:
            found.append(obj)
    return found


def collect(cls: type, level: int = 0) -> list:
    """Brian 1's magic collection: the live instances of cls created in the
    first frame, walking out from the caller, that created any.  Objects
    whose frame is gone are found as a last resort, so that a script's
    objects made inside helper functions still run."""
    candidates = live_instances(cls)
    if not candidates:
        return []
    by_frame: dict[int, list] = {}
    for obj in candidates:
        by_frame.setdefault(_frames.get(obj._creation_number), []).append(obj)
    frame = user_frame(level)
    while frame is not None:
        key = frame_key(frame) if _frame_has_key(frame) else None
        if key is not None and key in by_frame:
            return by_frame[key]
        frame = frame.f_back
    return candidates


def innermost_instances(cls: type, level: int = 0) -> list:
    """Brian 1's search for an implicit object (its clock guess): the
    live, tracked instances of cls created in the first frame, walking
    out from the user frame ``level`` steps out, that created any; [] if
    no frame on the stack did."""
    # Reading f_locals first refreshes each frame's locals dict, which
    # would otherwise still hold objects the script has since deleted.
    keys = [frame_key(frame) if _frame_has_key(frame) else None
            for frame in _frames_from(level)]
    by_frame: dict[object, list] = {}
    for obj in live_instances(cls):
        if _tracked(obj):
            by_frame.setdefault(_frames.get(obj._creation_number),
                                []).append(obj)
    for key in keys:
        if key is not None and by_frame.get(key):
            return by_frame[key]
    return []


def _frame_has_key(frame: types.FrameType) -> bool:
    """A frame without a token created no object: do not give it one."""
    return frame.f_locals is frame.f_globals or _TOKEN in frame.f_locals


def forget(*objs: object) -> None:
    """Hide objects (or lists of them, as Brian 1 allowed) from run()."""
    for obj in _tracked_objects(objs):
        _forgotten.add(obj)


def recall(*objs: object) -> None:
    for obj in _tracked_objects(objs):
        _forgotten.discard(obj)


# -- Brian 1's public magic functions ---------------------------------------

class InstanceTracker:
    """Base class whose instances the magic functions find (Brian 1): an
    object is remembered, weakly, with the frame that created it.  A
    subclass whose static ``_track_instances()`` returns False is not
    found."""

    def __new__(cls, *args, **kwds):
        obj = super().__new__(cls)
        register(obj, 0)
        return obj

    @staticmethod
    def _track_instances() -> bool:
        return True


def _tracked(obj: object) -> bool:
    track = getattr(type(obj), "_track_instances", None)
    return track is None or bool(track())


def _instances_at(instancetype: type, frame) -> list:
    if frame is None or not _frame_has_key(frame):
        return []
    key = frame_key(frame)
    return [obj for obj in live_instances(instancetype)
            if _tracked(obj) and _frames.get(obj._creation_number) == key]


def _named(objs: list) -> tuple[list, list]:
    return objs, [str(id(obj)) for obj in objs]


def get_instances(instancetype: type, level: int = 1, all: bool = False):
    """(objects, names) of the live instances of ``instancetype`` created
    in the frame ``level`` steps out of the caller (0: the caller itself);
    every live instance with ``all=True``."""
    if all:
        return _named([obj for obj in live_instances(instancetype)
                       if _tracked(obj)])
    return _named(_instances_at(instancetype, user_frame(level)))


def _frames_from(startlevel: int):
    frame = user_frame(startlevel)
    while frame is not None:
        yield frame
        frame = frame.f_back
        while frame is not None and _is_comprehension(frame):
            frame = frame.f_back


def find_instances(instancetype: type, startlevel: int = 1,
                   all: bool = False):
    """The instances of the first frame, from ``startlevel`` outwards,
    that created any."""
    if all:
        return get_instances(instancetype, all=True)
    for frame in _frames_from(startlevel):
        objs = _instances_at(instancetype, frame)
        if objs:
            return _named(objs)
    return [], []


def find_all_instances(instancetype: type, startlevel: int = 1,
                       all: bool = False):
    """The instances of every frame from ``startlevel`` outwards."""
    if all:
        return get_instances(instancetype, all=True)
    objs: list = []
    for frame in _frames_from(startlevel):
        objs += _instances_at(instancetype, frame)
    return _named(objs)


def _tracked_objects(items):
    """The registered objects in items, walking into lists and tuples."""
    for item in items:
        if hasattr(item, "_creation_number"):
            yield item
        elif isinstance(item, (list, tuple, set)):
            yield from _tracked_objects(item)


def magic_register(*objs, level: int = 1) -> None:
    """Make objects (or containers of them) belong to the frame ``level``
    steps out of the caller (by default the caller's caller), as if that
    frame had created them: how a helper function hands its objects to
    the script's ``run()``."""
    for obj in _tracked_objects(objs):
        retag(obj, level)


def magic_return(function):
    """Decorator: what ``function`` returns belongs to the frame that
    called it (Brian 1's ``@magic_return``)."""
    @functools.wraps(function)
    def wrapped(*args, **kwds):
        result = function(*args, **kwds)
        for obj in _tracked_objects((result,)):
            retag(obj, 0)
        return result
    return wrapped
