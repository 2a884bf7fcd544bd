"""Derives the constants of exp and expm1 in csrc/core/vmath.h: x = n ln2
+ r with |r| <= ln2/2 (no table), exp(x) = 2^n exp(r).  Prints the split
of ln2 and the minimax polynomial Q of degree 10 with exp(r) - 1 ~ r + r^2
Q(r) for the relative error of exp(r) - 1 (Remez exchange from
rng_coefficients.py, 60 digits), which serves both kernels: expm1 returns
exp(r) - 1 alone near 0, and exp adds it to 1.  C initialiser, the
coefficient of r^k at [k].

    python tools/exp_coefficients.py
"""
from __future__ import annotations

import math
import sys
from decimal import Decimal as D, getcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rng_coefficients import polyval, remez  # noqa: E402

getcontext().prec = 60
LN2 = D(2).ln()
R_MAX = D("0.3467")         # ln2/2 = 0.3465735..., plus rounding slack
DEGREE = 10


def expm1_series(x: D) -> D:
    """exp(x) - 1 summed from the x term: no cancellation near 0."""
    total, term, k = D(0), x, 1
    while term != 0 and abs(term) > D(10) ** -58 * abs(total):
        total += term
        k += 1
        term = term * x / k
    return total


def exp_series(x: D) -> D:
    return 1 + expm1_series(x)


def round_bits(x: D, bits: int) -> float:
    """x rounded to `bits` significant bits."""
    e = math.frexp(float(x))[1]
    scale = D(2) ** (bits - e)
    return float((x * scale).to_integral_value() / scale)


def q_of(r: D) -> D:
    """(exp(r) - 1 - r) / r^2, the function Q approximates."""
    if r == 0:
        return D("0.5")
    return (exp_series(r) - 1 - r) / (r * r)


def emit(name: str, c: list[D], w) -> None:
    cd = [float(x) for x in c]
    cr = [D(v) for v in cd]
    xs = [-R_MAX + 2 * R_MAX * i / 4000 for i in range(4001)]
    worst = max(abs((q_of(x) - polyval(cr, x)) * w(x)) for x in xs)
    print(f"/* {name}: Q degree {len(c) - 1}, error 2^{math.log2(worst):.1f}"
          " with the coefficients rounded */")
    print(", ".join(v.hex() for v in cd))


def main() -> None:
    # |n| <= 746 / ln2 < 2^11, so n * LN2_HI is exact with 38 bits
    hi = round_bits(LN2, 38)
    print("/* 1/ln2 */", float(1 / LN2).hex())
    print("/* ln2 hi, lo */", hi.hex(), float(LN2 - D(hi)).hex())

    def w_expm1(r: D) -> D:     # relative error of exp(r) - 1
        return abs(r * r / expm1_series(r)) if r != 0 else D(0)

    # the reference points would start with one at 0, where the weight
    # vanishes: a slightly wider left end moves it off
    emit("exp, expm1", remez(q_of, w_expm1, -R_MAX * D("1.01"), R_MAX,
                             DEGREE + 1, 20), w_expm1)


if __name__ == "__main__":
    main()
