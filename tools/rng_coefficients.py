"""Derives the Box-Muller constants of csrc/core/rng_kernels.h: the log
table (1/c and 2 log(1/c) for the cells c = n/16) and the minimax
polynomials Q (for -2 log1p), S (sin) and C (cos), by Remez exchange in
60-digit decimal arithmetic.  Prints C initialisers, highest degree first.

    python tools/rng_coefficients.py
"""
from __future__ import annotations

import math
from decimal import Decimal as D, getcontext

getcontext().prec = 60
PI = D("3.14159265358979323846264338327950288419716939937510582097494")


def series(x: D, first: D, k0: int) -> D:
    """sin (first = x, k0 = 1) or cos (first = 1, k0 = 0) by Taylor."""
    total, term, k = D(0), first, k0
    while abs(term) > D(10) ** -58:
        total += term
        term = -term * x * x / ((k + 1) * (k + 2))
        k += 2
    return total


def solve(a: list[list[D]], b: list[D]) -> list[D]:
    """Gauss-Jordan elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def polyval(c: list[D], x: D) -> D:
    """c[0] + c[1] x + ..."""
    s = D(0)
    for a in reversed(c):
        s = s * x + a
    return s


def remez(f, w, lo: D, hi: D, n: int, iters: int = 12, grid: int = 3000):
    """n coefficients minimising max |(f - p) w| on [lo, hi]."""
    pts = [(lo + hi) / 2 - (hi - lo) / 2 * series(PI * i / n, D(1), 0)
           for i in range(n + 1)]
    xs = [lo + (hi - lo) * i / grid for i in range(grid + 1)]
    fx = [f(x) for x in xs]
    wx = [w(x) for x in xs]
    for _ in range(iters):
        rows = [[D(1)] + [x ** j for j in range(1, n)] + [(-1) ** i / w(x)]
                for i, x in enumerate(pts)]
        c = solve(rows, [f(x) for x in pts])[:n]
        err = [(fv - polyval(c, x)) * wv for x, fv, wv in zip(xs, fx, wx)]
        ext: list[tuple[D, D]] = []     # alternating local extrema
        for i, e in enumerate(err):
            if i > 0 and abs(err[i - 1]) > abs(e):
                continue
            if i + 1 < len(err) and abs(err[i + 1]) > abs(e):
                continue
            if ext and (ext[-1][1] > 0) == (e > 0):
                if abs(e) > abs(ext[-1][1]):
                    ext[-1] = (xs[i], e)
            else:
                ext.append((xs[i], e))
        while len(ext) > n + 1:
            ext.pop(0 if abs(ext[0][1]) < abs(ext[-1][1]) else -1)
        if len(ext) < n + 1:
            break
        pts = [x for x, _ in ext]
    return c


def emit(name: str, c: list[D], f, w, lo: D, hi: D) -> None:
    cd = [float(x) for x in c]
    worst = max(abs((f(x) - polyval([D(v) for v in cd], x)) * w(x))
                for x in (lo + (hi - lo) * i / 4000 for i in range(4001)))
    print(f"/* {name}: degree {len(c) - 1}, relative error "
          f"2^{math.log2(worst):.1f} */")
    print(", ".join(v.hex() for v in reversed(cd)))


def main() -> None:
    ln2 = D(2).ln()
    invc, tl = [], []
    for pos in range(16):       # slot n mod 16 for n = 12..24; 9-11 unused
        n = pos + 16 if pos <= 8 else (pos if pos >= 12 else 16)
        invc.append(16.0 / n)
        tl.append(float(2 * D(16.0 / n).ln()))
    print("/* invc */", ", ".join(v.hex() for v in invc))
    print("/* 2 log(invc) */", ", ".join(v.hex() for v in tl))
    hi = float(-2 * ln2)
    print("/* -2 ln2 hi, lo */", hi.hex(), float(-2 * ln2 - D(hi)).hex())

    def q(r: D) -> D:           # -2 log1p(r) = -2 r + r^2 Q(r)
        return D(1) if r == 0 else (2 * r - 2 * (1 + r).ln()) / (r * r)

    def wq(r: D) -> D:          # relative error of -2 log1p(r)
        return D(0) if r == 0 else r * r / abs(2 * (1 + r).ln())

    lo, hi_r = D("-0.0386"), D("0.0418")     # |r| < 1/26 and < 1/24
    emit("Q", remez(q, wq, lo, hi_r, 9), q, wq, lo, hi_r)

    def s(x: D) -> D:           # sin(g pi/4) = g S(g^2)
        if x == 0:
            return PI / 4
        g = x.sqrt()
        return series(PI * g / 4, PI * g / 4, 1) / g

    def c(x: D) -> D:           # cos(g pi/4) = C(g^2)
        return series(PI * x.sqrt() / 4, D(1), 0)

    zero, one = D(0), D(1)
    emit("S", remez(s, lambda x: 1 / s(x), zero, one, 7), s,
         lambda x: 1 / s(x), zero, one)
    emit("C", remez(c, lambda x: 1 / c(x), zero, one, 8), c,
         lambda x: 1 / c(x), zero, one)


if __name__ == "__main__":
    main()
