"""Tests for brianc._expr_compiler: folding, CSE, powers, registers and the
meaning of every operator, checked with the NumPy reference interpreter
(and with the C VM when brianc._core is built)."""
import ast
import re
from pathlib import Path

import numpy as np
import pytest
from hh_model import hh_equations
from program_ref import run_program

from brianc._expr_compiler import (REG_CONST, REG_TEMP, NodeRef,
                                   ProgramBuilder, Translator,
                                   UnsupportedExpressionError, opcodes)
from brianc._model import Model
from brianc.stdunits import ms
from brianc.units import exp as unitsafe_exp

OPS = opcodes()
NAMES = {v: k for k, v in OPS.items()}


def compile_expr(expr, names=("x", "y", "z"), namespace=None, substreams=None,
                 fuse=True):
    """Program computing ``expr`` with x, y, z the state rows 0, 1, 2."""
    b = ProgramBuilder()
    rows = {n: i for i, n in enumerate(names)}
    namespace = dict(namespace or {})
    namespace.setdefault("exp", np.exp)

    def lookup(name):
        if name in rows:
            return NodeRef(b.var(rows[name]))
        if name in namespace:
            return namespace[name]
        raise NameError(name)
    node = Translator(b, lookup, substreams).expr(ast.parse(expr,
                                                            mode="eval"))
    return b.build(out=node, fuse=fuse)


def ops_of(program):
    return [NAMES[int(op)] for op in program.code[:, 0]]


def test_opcodes_follow_opcodes_def():
    path = Path(__file__).resolve().parents[2] / "csrc/core/opcodes.def"
    names = re.findall(r"^BC_OP\((\w+),", path.read_text(), re.M)
    assert OPS == {n: i for i, n in enumerate(names)}


def test_constant_folding():
    p = compile_expr("2*3 + 1 - 4/2 + exp(0)")
    assert p.n_instr == 0
    assert p.reg_kind[p.out_reg] == REG_CONST
    assert p.reg_const[p.out_reg] == 6.0


def test_cse_computes_shared_subexpressions_once():
    p = compile_expr("exp(x*y) + exp(y*x) * (x*y)")
    assert ops_of(p).count("EXP") == 1
    assert ops_of(p).count("MUL") + ops_of(p).count("FMA") == 2


def test_integer_powers_become_multiplications():
    assert "POW" not in ops_of(compile_expr("x**2 + y**3 + z**-2"))
    assert ops_of(compile_expr("x**4")) == ["MUL", "MUL"]
    assert ops_of(compile_expr("x**0.5")) == ["SQRT"]
    assert "POW" in ops_of(compile_expr("x**2.5"))
    assert "POW" in ops_of(compile_expr("x**y"))


def test_temps_are_reused():
    expr = " + ".join(f"exp(x*{k})" for k in range(1, 30))
    p = compile_expr(expr)
    assert np.count_nonzero(p.reg_kind == REG_TEMP) <= 3
    state = np.array([[0.1, -0.2], [0.0, 0.0], [0.0, 0.0]])
    out = run_program(p, state)
    want = sum(np.exp(state[0] * k) for k in range(1, 30))
    assert np.allclose(out, want, rtol=1e-14)


EXPRESSIONS = [
    "x + y*z - x/y", "-x + +y", "x**2 - y**3 + x**-1", "abs(x) ** 0.5",
    "sqrt(abs(y)) + exp(x) - log(abs(z) + 1) + log10(abs(x) + 2)",
    "sin(x) + cos(y) + tan(z/4) + arctan(x)", "arcsin(x/4) + arccos(y/4)",
    "sinh(x) + cosh(y) + tanh(z)", "floor(3*x) + ceil(3*y)",
    "clip(x, -0.5, 0.5)", "(x < y) + 2*(x <= y) + 4*(x > y) + 8*(x >= z)",
    "1*(x == x) + (x != y)", "(x < y) & (y < z)", "(x < y) | ~(y < z)",
    "(x < y) and not (y < z)", "x < y < z", "x % 0.3 + x // 0.3",
    "x if y > 0 else z", "minimum(x, y) + maximum(y, z)",
    "arcsinh(x) + arctanh(z/4) + arccosh(abs(y) + 1)",
]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_operators_match_numpy(expr):
    rng = np.random.default_rng(3)
    state = rng.uniform(-2, 2, (3, 50))
    funcs = {k: getattr(np, k) for k in (
        "sqrt", "exp", "log", "log10", "sin", "cos", "tan", "arctan",
        "arcsin", "arccos", "sinh", "cosh", "tanh", "floor", "ceil", "clip",
        "minimum", "maximum", "arcsinh", "arctanh", "arccosh")}
    funcs["abs"] = abs
    p = compile_expr(expr, namespace=funcs)
    out = run_program(p, state.copy())
    x, y, z = state
    py = (expr.replace(" and not ", " * ~").replace("x < y < z",
                                                    "(x < y) & (y < z)"))
    if " if " in expr:
        want = np.where(y > 0, x, z)
    else:
        with np.errstate(all="ignore"):
            want = eval(py, dict(funcs, np=np), {"x": x, "y": y, "z": z})
    assert np.allclose(out, np.asarray(want, dtype=float), rtol=1e-13,
                       atol=1e-13, equal_nan=True)


def test_function_identity_is_recognised_not_just_the_name():
    assert ops_of(compile_expr("exp(x)", namespace={"exp": unitsafe_exp})) \
        == ["EXP"]
    with pytest.raises(UnsupportedExpressionError, match="'exp'"):
        compile_expr("exp(x)", namespace={"exp": lambda v: v})


def test_unsupported_things_are_named():
    def f(v):
        return v
    with pytest.raises(UnsupportedExpressionError, match="'f'"):
        compile_expr("f(x)", namespace={"f": f})
    with pytest.raises(UnsupportedExpressionError, match="Subscript"):
        compile_expr("x[0]")
    with pytest.raises(UnsupportedExpressionError, match="constant 'a'"):
        compile_expr("x + 'a'")
    with pytest.raises(UnsupportedExpressionError, match="model variable"):
        compile_expr("x(1)")
    with pytest.raises(UnsupportedExpressionError, match="'obj'"):
        compile_expr("x + obj", namespace={"obj": object()})


def test_random_calls_are_independent_streams():
    import itertools
    p = compile_expr("rand() + rand() + randn()",
                     namespace={"rand": np.random.rand,
                                "randn": np.random.randn},
                     substreams=itertools.count(10))
    streams = sorted(int(a) for op, a in zip(p.code[:, 0], p.code[:, 2])
                     if NAMES[int(op)] in ("RAND", "RANDN"))
    assert streams == [10, 11, 12]
    out = run_program(p, np.zeros((3, 4)),
                      rand=lambda s, n: np.full(n, float(s)),
                      randn=lambda s, n: np.full(n, 100.0 * s))
    assert np.all(out == 10 + 11 + 1200)


def test_stores_read_old_values_swap():
    b = ProgramBuilder()
    x, y = b.var(0), b.var(1)
    p = b.build([(0, y), (1, b.add(x, y))])
    state = np.array([[1.0, 2.0], [10.0, 20.0]])
    run_program(p, state)
    assert state.tolist() == [[10.0, 20.0], [11.0, 22.0]]
    # a store whose value is its own variable is dropped
    assert b.build([(0, x)]).n_instr == 0


def test_direct_write_only_after_last_read():
    b = ProgramBuilder()
    x, y = b.var(0), b.var(1)
    new_x = b.add(x, b.const(1.0))
    new_y = b.mul(x, y)         # reads the old x after new_x is computed
    p = b.build([(0, new_x), (1, new_y)])
    state = np.array([[2.0], [3.0]])
    run_program(p, state)
    assert state.ravel().tolist() == [3.0, 6.0]


def test_arrays_and_time_registers():
    weights = np.array([1.0, 2.0, 3.0])
    b = ProgramBuilder()

    def lookup(name):
        return {"x": NodeRef(b.var(0)), "t": NodeRef(b.time()),
                "w": weights, "k": 2.5}[name]
    node = Translator(b, lookup).expr(ast.parse("x*w + t*k", mode="eval"))
    p = b.build(out=node)
    assert p.arrays[0] is weights           # no copy: in-place edits seen
    out = run_program(p, np.array([[1.0, 1.0, 1.0]]), t=2.0)
    assert out.tolist() == [6.0, 7.0, 8.0]


def test_model_programs_use_statics_once():
    tau = 10 * ms                                       # noqa: F841
    m = Model("dv/dt = (I - v)/tau : 1\nI = 2*exp(v) : 1")
    p = m.compile_static("I")
    assert ops_of(p) == ["EXP", "MUL"]
    state = np.array([[0.0, 1.0]])
    assert np.allclose(run_program(p, state), 2 * np.exp([0.0, 1.0]))
    prog, _ = m.compile_update(1e-4)
    assert ops_of(prog).count("EXP") == 1


try:
    from brianc import _core
except ImportError:
    _core = None

needs_core = pytest.mark.skipif(_core is None, reason="brianc._core not built")


def core_run(program, state, step=0):
    """Run a program on the C VM through the binding (state changes in
    place); returns out_reg's values."""
    prog = _core.Program(program.code, program.reg_kind, program.reg_index,
                         program.reg_const,
                         out_reg=max(program.out_reg, 0),
                         arrays=program.arrays)
    group = _core.Group(state, 1e-4)
    return group.evaluate(prog, step)


@needs_core
def test_c_vm_matches_reference():
    funcs = {k: getattr(np, k) for k in ("sqrt", "exp", "log", "sin",
                                         "cos", "tanh", "floor", "clip")}
    expr = ("sqrt(abs(x)) + exp(y) * log(abs(z) + 1) + sin(x)*cos(y) "
            "+ tanh(z) + floor(x) + clip(y, -0.5, 0.5) + (x < y) + x**3")
    funcs["abs"] = abs
    p = compile_expr(expr, namespace=funcs)
    state = np.random.default_rng(5).uniform(-2, 2, (3, 300))
    want = run_program(p, state.copy())
    got = core_run(p, state.copy())
    assert np.allclose(got, want, rtol=1e-12, atol=1e-14)


@needs_core
def test_a_store_read_later_is_delayed_not_copied(monkeypatch):
    """Exponential Euler's new v is computed before the gates that read
    the old v: its instruction moves after them and writes v directly, so
    no MOV remains, with the bits of the program that copies."""
    def hh_program():
        return Model(hh_equations(freeze=True), n=1).compile_update(
            1e-4, implicit=True)[0]
    delayed = hh_program()
    monkeypatch.setattr(ProgramBuilder, "_delay_stores",
                        lambda self, instrs, *rest: instrs)
    copied = hh_program()
    assert "MOV" in ops_of(copied) and "MOV" not in ops_of(delayed)
    assert delayed.n_instr == copied.n_instr - 1
    rng = np.random.default_rng(13)
    state = np.array([rng.uniform(-0.08, 0.03, 700), rng.uniform(0, 1, 700),
                      rng.uniform(0, 1, 700), rng.uniform(0, 1, 700),
                      rng.uniform(0, 1e-7, 700), rng.uniform(0, 1e-6, 700)])
    got, want = state.copy(), state.copy()
    core_run(delayed, got)
    core_run(copied, want)
    assert np.array_equal(got, want) and not np.array_equal(got, state)


def test_stores_that_read_each_other_keep_one_copy():
    b = ProgramBuilder()
    x, y = b.var(0), b.var(1)
    new_x = b.add(b.mul(x, b.const(0.5)), y)     # reads the old y
    new_y = b.mul(x, y)                          # reads the old x
    p = b.build([(0, new_x), (1, new_y)])
    assert ops_of(p).count("MOV") == 1
    state = np.array([[2.0], [3.0]])
    run_program(p, state)
    assert state.ravel().tolist() == [4.0, 6.0]


# Each expression exercises one fusion; the fused program must give the
# same bits as the unfused one (the fused opcodes round as the pair does).
FUSIONS = [
    ("x*y + z", "FMA"), ("z + x*y", "FMA"), ("x*y - z", "FMS"),
    ("z - x*y", "FNMA"), ("-x*y + z", "FNMA"), ("z + y*(-x)", "FNMA"),
    ("x + (-x)*0.02", "FNMA"), ("(x - y)*z", "SUBMUL"), ("z*(x - y)", "SUBMUL"),
    ("(x + y)*z", "ADDMUL"), ("(x*y)*z", "MUL3"), ("(1.5 - x)*y", "SUBMUL"),
    ("exp(x*2.5 - 0.5)", "EXPA"), ("exp(-x)", None), ("exp(x*-3.0)", "EXPA"),
    ("exp(0.25 - x)", "EXPA"), ("exp(x + 7.0)", "EXPA"),
    ("expm1(x*0.3 + 0.1)", "EXPM1A"),
    ("(z - y)/(exp(x*0.2 + 1.0) - 1.0)", "DIVEXPM1A"),
    ("y/expm1(x)", "DIVEXPM1A"), ("2.0/expm1(x - 1.0)", "DIVEXPM1A"),
    ("y/expm1(x) + expm1(x)", None),
    ("4.0/(1.0 + exp(x*-0.2 - 4.6))", "DIVEXP1PA"),
    ("y/(exp(x) + 1.0)", "DIVEXP1PA"), ("y/(exp(x) + 2.0)", None),
    ("(x*2.5)*(1.0 - y)", "MUL3OM"), ("(1.0 - z)*(x*y)", "MUL3OM"),
    ("(x*y)*(2.0 - z)", "MUL3"),
    ("1000.0*((z - y)/(exp(x*0.2 + 1.0) - 1.0))", "DIVEXPM1AS"),
    ("(4.0/(1.0 + exp(x*-0.2 - 4.6)))*-0.5", "DIVEXP1PAS"),
    ("y*(4.0/(1.0 + exp(x*-0.2 - 4.6)))", "DIVEXP1PA"),
    ("y + (x*0.5 + 0.25)", "FMAADD"), ("(2.0*x - 1.5) + y", "FMAADD"),
    ("y + (x*z + 0.25)", "FMA"),
]


@needs_core
@pytest.mark.parametrize("expr,fused_op", FUSIONS)
def test_fused_programs_give_identical_bits(expr, fused_op):
    ns = {"exp": np.exp, "expm1": np.expm1}
    fused = compile_expr(expr, namespace=ns)
    plain = compile_expr(expr, namespace=ns, fuse=False)
    if fused_op is not None:
        assert fused_op in ops_of(fused), ops_of(fused)
        assert fused.n_instr < plain.n_instr
    state = np.random.default_rng(7).uniform(-3, 3, (3, 700))
    state[:, :5] = [[0.0, -0.0, 1e-300, np.inf, np.nan]] * 3
    got = core_run(fused, state.copy())
    want = core_run(plain, state.copy())
    assert np.array_equal(got.view(np.uint64), want.view(np.uint64)) or \
        np.array_equal(got, want, equal_nan=True)
    assert np.allclose(run_program(fused, state.copy()), want,
                       rtol=1e-13, atol=0, equal_nan=True)


def test_fused_intermediates_are_not_recomputed_or_lost():
    """A product used twice is not fused into either user; a stored
    value keeps its own instruction."""
    p = compile_expr("(x*y + z) * (x*y - z)")
    assert ops_of(p).count("MUL") + ops_of(p).count("MUL3") >= 1
    state = np.random.default_rng(3).uniform(-1, 1, (3, 50))
    x, y, z = state
    assert np.allclose(run_program(p, state.copy()), (x*y + z) * (x*y - z))


@needs_core
def test_scaled_exprel_is_one_pass_with_identical_bits():
    """dt * exprel(A * dt), exponential Euler's factor, is one EXPRELS."""
    def build(fuse):
        b = ProgramBuilder()
        x, y = b.var(0), b.var(1)
        dt = b.const(1e-4)
        f1 = b.mul(dt, b.op("EXPREL", b.mul(x, b.const(-250.0))))
        f2 = b.mul(b.const(2.0), b.op("EXPREL", b.sub(x, y)))
        return b.build(out=b.add(f1, f2), fuse=fuse)
    fused, plain = build(True), build(False)
    assert ops_of(fused).count("EXPRELS") == 2
    assert fused.n_instr < plain.n_instr
    state = np.random.default_rng(11).uniform(-0.1, 0.1, (2, 300))
    state[:, 0] = 0.0
    got, want = core_run(fused, state.copy()), core_run(plain, state.copy())
    assert np.array_equal(got, want)
