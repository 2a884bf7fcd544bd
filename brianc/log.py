"""Logging, as in Brian 1: messages go to loggers named ``brian.<module>``
(``brian.neurongroup``, ``brian.globalprefs``...), shown on stderr as
``<name>: <LEVEL> <message>``; ``log_level_info()`` and friends set how much.

The ``logging`` module costs about 10 ms to import and most scripts never
log, so it is imported on the first message or level change.
"""
from __future__ import annotations

__all__ = ["log_warn", "log_info", "log_debug", "log_level_error",
           "log_level_warn", "log_level_info", "log_level_debug"]

ROOT_LOGGER = "brian"       # Brian 1's name: scripts configure it directly


def get_log(name: str):
    """The logger ``name`` (``brian.<module>``), with the ``brian`` logger
    given its stderr handler on first use."""
    import logging
    root = logging.getLogger(ROOT_LOGGER)
    if not getattr(root, "_brianc_configured", False):
        import sys
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter(
            "%(name)-18s: %(levelname)-8s %(message)s"))
        root.addHandler(console)
        root._brianc_configured = True
    return logging.getLogger(name)


def log_warn(logname: str, message: str) -> None:
    get_log(logname).warning(message)


def log_info(logname: str, message: str) -> None:
    get_log(logname).info(message)


def log_debug(logname: str, message: str) -> None:
    get_log(logname).debug(message)


def _set_level(level_name: str) -> None:
    import logging
    get_log(ROOT_LOGGER).setLevel(getattr(logging, level_name))


def log_level_error() -> None:
    """Show only messages of level ERROR or higher."""
    _set_level("ERROR")


def log_level_warn() -> None:
    """Show messages of level WARNING or higher (the default)."""
    _set_level("WARNING")


def log_level_info() -> None:
    """Show messages of level INFO or higher."""
    _set_level("INFO")


def log_level_debug() -> None:
    """Show every message, DEBUG included."""
    _set_level("DEBUG")
