/* vmath.h -- C core: branch-free double-precision exp, log, sin and cos
 * that gcc vectorises, as block functions and as inline kernels (the
 * block loops, the VM and the random generator inline them). */
#ifndef BC_VMATH_H
#define BC_VMATH_H

#include <stdint.h>
#include <math.h>
#include <string.h>

#include "types.h"

/* BC_VECTOR_FN marks a hot block loop: gcc builds an AVX-512, an
 * AVX2+FMA (x86-64-v3) and a baseline clone and picks one at load time,
 * so the extension stays portable without -march=native.  Builds use
 * -O3 (vectorisation on) and -ffp-contract=off, so a*b+c is never fused
 * implicitly: the kernels fuse only where they call fma() explicitly,
 * which is exact everywhere, so all clones and the inline kernels give
 * bit-identical results (the baseline clone computes fma() in software:
 * correct, but slow on CPUs
 * older than 2013).  BC_IVDEP: the loop has no loop-carried
 * dependence; an output may equal an input (same index), never overlap it
 * at an offset. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) \
    && defined(__linux__) && !defined(BC_NO_CLONES)
#define BC_VECTOR_FN                                                    \
    __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default")))
#else
#define BC_VECTOR_FN
#endif
#if defined(__GNUC__)
#define BC_ALWAYS_INLINE __attribute__((always_inline))
#else
#define BC_ALWAYS_INLINE
#endif
#if defined(__GNUC__) && !defined(__clang__)
#define BC_IVDEP _Pragma("GCC ivdep")
#define BC_UNROLL4 _Pragma("GCC unroll 4")
#else
#define BC_IVDEP
#define BC_UNROLL4
#endif

/* Block functions: y[k] = f(x[k]) for k < n.  y may be x (in place) but
 * must not otherwise overlap it.  Accuracy (tests/c/test_vmath.c): exp and
 * log within 1 ulp of the correctly rounded value, sin and cos within 2
 * ulp; special values as in C99 Annex F (exp: +inf -> inf, -inf -> 0,
 * overflow -> inf, underflow -> 0 or subnormal; log: 0 -> -inf, x < 0 ->
 * NaN; sin/cos: inf -> NaN); NaN propagates. */
void bc_vexp(const double *x, double *y, bc_index n);
void bc_vexpm1(const double *x, double *y, bc_index n);
/* exprel(x) = expm1(x)/x, 1 at 0 (exponential Euler's step factor). */
void bc_vexprel(const double *x, double *y, bc_index n);
void bc_vlog(const double *x, double *y, bc_index n);
void bc_vsin(const double *x, double *y, bc_index n);
void bc_vcos(const double *x, double *y, bc_index n);
void bc_vsqrt(const double *x, double *y, bc_index n);     /* exact */

/* exp, expm1 and exprel of the affine argument x[k]*a + b, the product
 * and the sum each rounded as written: the VM's EXPA family, which saves
 * the pass over the block that computing the argument first would cost.
 * bc_vexp(x, y, n) is bc_vexp_affine(x, 1, -0.0, y, n) bit for bit. */
void bc_vexp_affine(const double *x, double a, double b, double *y,
                    bc_index n);
void bc_vexpm1_affine(const double *x, double a, double b, double *y,
                      bc_index n);
void bc_vexprel_affine(const double *x, double a, double b, double *y,
                       bc_index n);
/* y[k] = s * exprel(x[k]*a): exponential Euler's dt exprel(A dt), the
 * product of the two separate operations bit for bit (times 1 is exact,
 * so bc_vexprel_affine is this with s = 1 and b added). */
void bc_vexprel_scaled(const double *x, double a, double s, double *y,
                       bc_index n);
/* y[k] = s * (num[k] / expm1(x[k]*a + b)) if minus_one, else s * (num[k] /
 * (1 + exp(x[k]*a + b))): the separate operations bit for bit (s = 1:
 * the quotient alone); num[0] for every k if num_const. */
void bc_vdiv_exp_affine(const double *num, int num_const, const double *x,
                        double a, double b, double s, int minus_one,
                        double *y, bc_index n);

/* ---- inline kernels: the same operations as the block functions, one
 * element at a time, so scalar and block results are bit-identical. ---- */

BC_ALWAYS_INLINE static inline uint64_t
bc_bits_(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

BC_ALWAYS_INLINE static inline double
bc_double_(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Adding 1.5 * 2^52 rounds a double of magnitude < 2^51 to an integer
 * (ties to even) and leaves that integer in the low mantissa bits. */
#define BC_ROUND_SHIFT_ 0x1.8p52

/* exp and expm1 reduce x = n ln2 + r with |r| <= ln2/2 (a little more
 * after rounding) and use exp(r) - 1 ~ r + r^2 Q(r).  No table of
 * 2^(j/N): on every vector unit its lookups cost more than the longer
 * polynomial (AVX2: expm1 1.82 -> 1.27 ns per value).  Constants from
 * tools/exp_coefficients.py: ln2 = LN2_HI + LN2_LO with 38 significant
 * bits in LN2_HI, so n LN2_HI is exact for |n| < 2^15; Q of degree 10,
 * coefficient of r^k at [k], the minimax polynomial for the relative
 * error of exp(r) - 1 (2^-60.1 with the coefficients rounded), since
 * expm1 returns that alone near 0. */
#define BC_EXP_LN2_HI_ 0x1.62e42fefa0000p-1
#define BC_EXP_LN2_LO_ 0x1.cf79abc9e3b3ap-40

static const double bc_expm1_q_[11] = {
    0x1.0000000000000p-1, 0x1.5555555555559p-3, 0x1.5555555555531p-5,
    0x1.111111110f5eep-7, 0x1.6c16c16c24c14p-10, 0x1.a01a01b03cca4p-13,
    0x1.a01a015cec9bbp-16, 0x1.71ddf75d822c3p-19, 0x1.27e57d426b1c9p-22,
    0x1.af609436584d7p-26, 0x1.1e7323b8b8878p-29
};

/* Q(r) as even and odd halves in r^2 (E(r^2) + r O(r^2)): the Horner
 * steps of one polynomial, but two chains of half the length. */
BC_ALWAYS_INLINE static inline double
bc_expm1_poly_(double r, double r2)
{
    const double *c = bc_expm1_q_;
    double e = fma(c[10], r2, c[8]);
    e = fma(e, r2, c[6]);
    e = fma(e, r2, c[4]);
    e = fma(e, r2, c[2]);
    e = fma(e, r2, c[0]);
    double o = fma(c[9], r2, c[7]);
    o = fma(o, r2, c[5]);
    o = fma(o, r2, c[3]);
    o = fma(o, r2, c[1]);
    return fma(r, o, e);
}

/* x = n ln2 + r_hi + lo for |x| <= 746: returns r_hi = x - n LN2_HI,
 * exact (n LN2_HI is exact, and for n != 0 both terms are multiples of
 * 2^-54 and |r_hi| < 1/2; for n = 0, r_hi = x), with lo = -n LN2_LO; n in
 * *n (two's complement in unsigned arithmetic, so no undefined overflow
 * even for NaN) and g = lo + r^2 Q(r), r = r_hi + lo, in *g, so that
 * exp(r) - 1 = r_hi + g. */
BC_ALWAYS_INLINE static inline double
bc_exp_reduce_(double x, uint64_t *n, double *g)
{
    double t = fma(x, 0x1.71547652b82fep+0, BC_ROUND_SHIFT_);    /* x/ln2 */
    double nf = t - BC_ROUND_SHIFT_;
    *n = bc_bits_(t) - bc_bits_(BC_ROUND_SHIFT_);
    double r_hi = fma(-nf, BC_EXP_LN2_HI_, x);
    double lo = nf * -BC_EXP_LN2_LO_;
    double r = r_hi + lo;
    double r2 = r * r;
    *g = fma(r2, bc_expm1_poly_(r, r2), lo);
    return r_hi;
}

/* exp(x) = 2^n (1 + p) with p = exp(r) - 1 = r_hi + g (bc_exp_reduce_):
 * p is rounded once (at most 2^-55, a quarter of the result's ulp) and
 * added to 1 once (at most 0.9 ulp in all, tests/c/test_vmath.c); 2^n is
 * applied as two factors so that subnormal results are rounded once (as
 * vscalefpd does). */
BC_ALWAYS_INLINE static inline double
bc_exp_kernel(double x)
{
    /* Clamp: beyond these exp overflows/underflows anyway; NaN passes
     * through both comparisons unchanged. */
    double xc = x > 746.0 ? 746.0 : x;
    xc = xc < -746.0 ? -746.0 : xc;
    uint64_t m;
    double g;
    double r_hi = bc_exp_reduce_(xc, &m, &g);
    double y = 1.0 + (r_hi + g);
    /* 2^m = 2^m1 * 2^m2, m1 = floor(m/2), both factors normal for
     * -1077 <= m <= 1076. */
    uint64_t m1 = (m >> 1) | (m & UINT64_C(0x8000000000000000));
    uint64_t m2 = m - m1;
    double s1 = bc_double_((m1 + 1023u) << 52);
    double s2 = bc_double_((m2 + 1023u) << 52);
    return (y * s1) * s2;
}

/* Below this |x|, expm1(x) rounds to x (x^2/2 < ulp(x)/2). */
#define BC_EXPM1_TINY_ 0x1p-54

/* expm1(x) = 2^n exp(r) - 1 (bc_exp_reduce_) = 2 (H - 1/2 + H (r_hi +
 * g)) with H = 2^(n-1) (exact).  H - 1/2 is exact for n >= -1, so near
 * 0 nothing cancels but exact terms: for n = 0 the result is r_hi + g
 * rounded once, and for n = 1 and n = -1 (the cancelling ranges) the
 * rounded r_hi + g is scaled by H into a result at least a third as
 * large (at most 1.8 ulp in all, tests/c/test_vmath.c).  The halving
 * keeps H finite where expm1 is (n = 1024).  Below -40 the result is -1
 * to double precision, so x is clamped there (2^(n-1) stays normal). */
BC_ALWAYS_INLINE static inline double
bc_expm1_kernel(double x)
{
    double xc = x > 710.0 ? 710.0 : x;
    xc = xc < -40.0 ? -40.0 : xc;
    uint64_t n;
    double g;
    double r_hi = bc_exp_reduce_(xc, &n, &g);
    double hh = bc_double_((n + 1022u) << 52);
    double y = fma(hh, r_hi + g, hh - 0.5);
    /* NaN, signed zeros, and tiny x (subnormals included), whose result
     * is x itself, which 2 (x/2) would round */
    return (x != x || fabs(x) < BC_EXPM1_TINY_) ? x : 2.0 * y;
}

/* exprel(x) = expm1(x)/x with plain selects around one division: 1 at 0,
 * inf at inf (expm1 overflows above 709.78, where exprel would still be
 * finite up to 716: far outside any model's A dt). */
BC_ALWAYS_INLINE static inline double
bc_exprel_kernel(double v)
{
    int zero = v == 0.0;
    double r = bc_expm1_kernel(v) / (zero ? 1.0 : v);
    r = zero ? 1.0 : r;
    return v == HUGE_VAL ? v : r;
}

/* log(x): x = 2^k m with sqrt(1/2) <= m < sqrt(2), f = m - 1 (exact),
 * s = f / (2 + f), log(m) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R) with
 * R = sum_{j>=1} 2 s^(2j) / (2j + 1) (the identity 2s = f - f^2/2 + s
 * f^2/2 holds exactly); |s| <= 0.1716, so 11 terms truncate below 0.01
 * ulp. */
BC_ALWAYS_INLINE static inline double
bc_log_kernel(double x)
{
    /* Subnormals: scale into the normal range first. */
    int sub = x < 0x1p-1022;
    double xs = sub ? x * 0x1p54 : x;
    uint64_t ix = bc_bits_(xs);
    /* tmp's top 12 bits are k as a 12-bit two's complement number. */
    uint64_t tmp = ix - UINT64_C(0x3fe6a09e667f3bcd);    /* sqrt(1/2) */
    uint64_t kfield = tmp >> 52;
    double m = bc_double_(ix - (tmp & UINT64_C(0xfff0000000000000)));
    /* k as a double without an int64 -> double conversion (which needs
     * AVX-512DQ to vectorise): kfield ^ 0x800 is k + 2048. */
    double kd = bc_double_(UINT64_C(0x4330000000000000) | (kfield ^ 0x800))
                - (0x1p52 + 2048.0);
    kd = sub ? kd - 54.0 : kd;
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double z = s * s;
    double R = 2.0 / 23.0;
    R = fma(R, z, 2.0 / 21.0);
    R = fma(R, z, 2.0 / 19.0);
    R = fma(R, z, 2.0 / 17.0);
    R = fma(R, z, 2.0 / 15.0);
    R = fma(R, z, 2.0 / 13.0);
    R = fma(R, z, 2.0 / 11.0);
    R = fma(R, z, 2.0 / 9.0);
    R = fma(R, z, 2.0 / 7.0);
    R = fma(R, z, 2.0 / 5.0);
    R = fma(R, z, 2.0 / 3.0);
    R = R * z;
    double hfsq = 0.5 * f * f;
    /* k ln2 + log(m), small terms first; k * LN2_HI is exact. */
    double y = kd * 0x1.62e42ffp-1
               - ((hfsq - fma(s, hfsq + R, kd * -0x1.718432a1b0e26p-35))
                  - f);
    y = x == __builtin_inf() ? x : y;
    y = x == 0.0 ? -__builtin_inf() : y;
    y = x < 0.0 ? __builtin_nan("") : y;
    return x != x ? x : y;
}

/* sin(r) and cos(r) for |r| <= pi/4 + a little: Taylor series to r^17
 * and r^16 (truncation < 0.01 ulp). */
BC_ALWAYS_INLINE static inline double
bc_sin_poly_(double r)
{
    double z = r * r;
    double q = -1.0 / 355687428096000.0;    /* -1/17! */
    q = fma(q, z, 1.0 / 1307674368000.0);
    q = fma(q, z, -1.0 / 6227020800.0);
    q = fma(q, z, 1.0 / 39916800.0);
    q = fma(q, z, -1.0 / 362880.0);
    q = fma(q, z, 1.0 / 5040.0);
    q = fma(q, z, -1.0 / 120.0);
    q = fma(q, z, 1.0 / 6.0);
    return fma(-(r * z), q, r);
}

BC_ALWAYS_INLINE static inline double
bc_cos_poly_(double r)
{
    double z = r * r;
    double q = 1.0 / 20922789888000.0;      /* 1/16! */
    q = fma(q, z, -1.0 / 87178291200.0);
    q = fma(q, z, 1.0 / 479001600.0);
    q = fma(q, z, -1.0 / 3628800.0);
    q = fma(q, z, 1.0 / 40320.0);
    q = fma(q, z, -1.0 / 720.0);
    q = fma(q, z, 1.0 / 24.0);
    double hz = 0.5 * z;
    double w = 1.0 - hz;
    /* (1 - w) - hz recovers the rounding error of w exactly. */
    return w + fma(z * z, q, (1.0 - w) - hz);
}

/* Largest |x| the inline sin/cos reduce accurately (n * PIO2_1 and
 * n * PIO2_2 stay exact); bc_vsin/bc_vcos hand larger |x| to libm. */
#define BC_TRIG_MAX_ 0x1p19

/* sin(x) (cos_wanted = 0) or cos(x) (1) for |x| <= BC_TRIG_MAX_:
 * x = n pi/2 + r with pi/2 split in three parts (33 + 33 + 53 bits). */
BC_ALWAYS_INLINE static inline double
bc_sincos_kernel(double x, int cos_wanted)
{
    double t = x * 0x1.45f306dc9c883p-1 + BC_ROUND_SHIFT_;   /* x*2/pi */
    double nf = t - BC_ROUND_SHIFT_;
    uint64_t quadrant = (bc_bits_(t) + (uint64_t)cos_wanted) & 3u;
    double r = fma(-nf, 0x1.921fb544p+0, x);
    r = fma(-nf, 0x1.0b4611a6p-34, r);
    r = fma(-nf, 0x1.3198a2e037073p-69, r);
    double s = bc_sin_poly_(r);
    double c = bc_cos_poly_(r);
    /* quadrant of x (+1 for cos): 0 sin r, 1 cos r, 2 -sin r, 3 -cos r */
    double y = (quadrant & 1u) ? c : s;
    y = (quadrant & 2u) ? -y : y;
    /* sin(-0) = -0, which the polynomial's last addition loses */
    return (x == 0.0 && !cos_wanted) ? x : y;
}

#endif
