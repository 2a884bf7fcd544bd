"""Looking into code strings (Brian 1's ``brian.inspection``): the names an
expression uses, the variables statements assign, and the values those
names have in the caller's frame."""
from __future__ import annotations

import re

from . import magic

__all__ = ["get_identifiers", "clean_text", "modified_variables",
           "namespace"]


def get_identifiers(expr: str) -> tuple:
    """The names (variables and functions) a Python expression or
    statement uses, in order of first use; names inside strings and
    comments are not names."""
    try:
        return compile(expr, "<expression>", "exec").co_names
    except SyntaxError as exc:
        raise SyntaxError(f"not valid Python: {expr!r} ({exc.msg})") \
            from None


def clean_text(expr: str) -> str:
    """Comments removed, backslash continuations joined, and statements
    split at semicolons onto lines of their own."""
    expr = re.sub(r"\\\s*?\n", " ", expr)
    expr = re.sub(r"#.*", "", expr)
    return expr.replace(";", "\n")


def modified_variables(expr: str) -> list:
    """The names that start a statement of ``expr`` (``x += 5`` gives x;
    a call ``do(y)`` gives do, as in Brian 1)."""
    names = get_identifiers(expr)
    found = []
    for line in clean_text(expr).splitlines():
        match = re.match(r"\s*(\w+)\b", line)
        if match and match.group(1) in names:
            found.append(match.group(1))
    return found


def namespace(expr: str, level: int = 0) -> dict:
    """The values that the names of ``expr`` have in the caller's frame
    (``level`` frames further out), locals before globals; names it cannot
    find are left out."""
    local_ns, global_ns = magic.caller_namespace(level)
    found = {}
    for name in get_identifiers(expr):
        if name in local_ns:
            found[name] = local_ns[name]
        elif name in global_ns:
            found[name] = global_ns[name]
    return found
