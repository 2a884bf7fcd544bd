"""The program of a linked variable: the source variable or static
equation passed through the user's function, when that function is a
lambda or a one-line ``def`` the expression compiler translates."""
from __future__ import annotations

import ast
import builtins
import inspect
import itertools
import textwrap

from ._expr_compiler import NodeRef, ProgramBuilder, Translator
from ._model import SUBSTREAM_EQUATIONS, Model

__all__ = ["compile_link"]


def _code_matches(node: ast.AST, code) -> bool:
    """True if compiling ``node`` (a Lambda or FunctionDef) gives code with
    the same bytecode as ``code``."""
    if isinstance(node, ast.Lambda):
        module = ast.Expression(body=node)
        mode = "eval"
    else:
        module = ast.Module(body=[node], type_ignores=[])
        mode = "exec"
    try:
        compiled = compile(ast.fix_missing_locations(module), "<f>", mode)
    except (SyntaxError, ValueError):
        return False
    inner = [c for c in compiled.co_consts if inspect.iscode(c)]
    return any(c.co_code == code.co_code and c.co_names == code.co_names
               and c.co_consts == code.co_consts for c in inner)


def _function_expression(func) -> tuple[str, ast.AST] | None:
    """(argument name, body) of a one-argument lambda, or of a ``def``
    whose body is one ``return``; None if there is no such source."""
    code = getattr(func, "__code__", None)
    if code is None or code.co_argcount != 1 or code.co_kwonlyargcount or \
            code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return None
    try:
        lines, _ = inspect.getsourcelines(func)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    if code.co_name == "<lambda>":
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda)]
    else:
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
                 and n.name == code.co_name]
    nodes = [n for n in nodes if len(n.args.args) == 1]
    if len(nodes) > 1:
        nodes = [n for n in nodes if _code_matches(n, code)]
    if len(nodes) != 1:
        return None
    node = nodes[0]
    if isinstance(node, ast.Lambda):
        return node.args.args[0].arg, node.body
    body = node.body
    if body and isinstance(body[0], ast.Expr) and \
            isinstance(body[0].value, ast.Constant):
        body = body[1:]         # the docstring
    if len(body) != 1 or not isinstance(body[0], ast.Return) or \
            body[0].value is None:
        return None
    return node.args.args[0].arg, body[0].value


def _function_names(func) -> list[dict]:
    """The namespaces a function's body reads: closure, globals,
    builtins."""
    code = func.__code__
    cells = func.__closure__ or ()
    closure = {}
    for name, cell in zip(code.co_freevars, cells):
        try:
            closure[name] = cell.cell_contents
        except ValueError:      # an empty cell
            pass
    return [closure, func.__globals__, vars(builtins)]


def compile_link(model: Model, name: str, func) -> object:
    """The program whose output is ``func(name)`` over a group of
    ``model``, or None when ``func`` is not an expression the compiler
    translates."""
    b = ProgramBuilder()
    env = model._env(b, substreams=itertools.count(SUBSTREAM_EQUATIONS))
    value = env.vars[name] if name in env.vars else env.static(name)
    if func is not None:
        found = _function_expression(func)
        if found is None:
            return None
        arg, body = found
        spaces = _function_names(func)

        def lookup(key: str):
            if key == arg:
                return NodeRef(value)
            for ns in spaces:
                if key in ns:
                    return ns[key]
            raise NameError(f"name {key!r} is not defined (in the "
                            f"function of linked_var)")
        try:
            value = Translator(b, lookup, None, "the function of "
                               "linked_var").expr(body)
        except (ValueError, TypeError, NameError, KeyError):
            return None         # not an expression: called from Python
    return b.build(out=value)
