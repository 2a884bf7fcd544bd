/* vmath_avx512.c -- C core: the exp family (exp, expm1, exprel) written
 * with AVX-512 intrinsics.  Same reduction, polynomials and roundings as
 * the portable kernels in vmath.h, so the results are bit-identical; what
 * changes is that the 2^(j/16) tables sit in registers (vpermt2pd), 2^m
 * is one vscalefpd, the clamp one vrangepd and the special cases one
 * vfixupimmpd.  vmath.c calls these when the CPU has AVX-512F and DQ. */
#include "vmath.h"

#ifdef BC_HAVE_EXP_AVX512

#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512dq")))

/* x clamped to [-bound, bound] in one vrangepd (min of the magnitudes,
 * x's sign).  It turns NaN into the bound: the callers' vfixupimmpd puts
 * it back.  The portable kernels clamp to other bounds where that gives
 * the same results. */
AVX512 static inline __m512d
clamp_abs(__m512d x, double bound)
{
    return _mm512_range_pd(x, _mm512_set1_pd(bound), 0x2);
}

/* x clamped to [lo, hi]; min/max return their second operand when either
 * is NaN, so a NaN x passes through, as through the kernels' selects. */
AVX512 static inline __m512d
clamp(__m512d x, double lo, double hi)
{
    return _mm512_max_pd(_mm512_set1_pd(lo),
                         _mm512_min_pd(_mm512_set1_pd(hi), x));
}

/* The 16-entry tables as register pairs, looked up with vpermt2pd: the
 * index is the low 4 bits of each lane, which the reduction leaves in t's
 * mantissa. */
typedef struct {
    __m512d hi0, hi1, lo0, lo1;
} exp_tables;

/* expm1 uses T/2 (exact), which saves computing 2^(m-1) apart. */
AVX512 static inline exp_tables
load_tables(double hi_scale)
{
    const __m512d s = _mm512_set1_pd(hi_scale);
    exp_tables tb;
    tb.hi0 = _mm512_mul_pd(_mm512_loadu_pd(bc_exp2_hi_), s);
    tb.hi1 = _mm512_mul_pd(_mm512_loadu_pd(bc_exp2_hi_ + 8), s);
    tb.lo0 = _mm512_loadu_pd(bc_exp2_lo_);
    tb.lo1 = _mm512_loadu_pd(bc_exp2_lo_ + 8);
    return tb;
}

/* bc_exp_reduce_: r_hi, n/16 in *nf and the shifted t (whose low bits
 * are j) in *t. */
AVX512 static inline __m512d
exp_reduce(__m512d x, __m512d *nf, __m512i *t)
{
    __m512d shift = _mm512_set1_pd(BC_EXP_SHIFT_);
    __m512d tt = _mm512_fmadd_pd(x, _mm512_set1_pd(0x1.71547652b82fep+0),
                                 shift);
    __m512d n = _mm512_sub_pd(tt, shift);
    *nf = n;
    *t = _mm512_castpd_si512(tt);
    return _mm512_fnmadd_pd(n, _mm512_set1_pd(BC_EXP_LN2_HI_), x);
}

/* bc_expm1_kernel without its special cases: the callers fix up x = 0
 * and NaN.  tb holds T/2. */
AVX512 static inline __m512d
expm1_core(__m512d x, const exp_tables *tb)
{
    __m512d nf;
    __m512i t;
    /* below -40 both this and the kernel's clamp give -1 */
    __m512d r_hi = exp_reduce(clamp_abs(x, 710.0), &nf, &t);
    __m512d lo = _mm512_fnmadd_pd(nf, _mm512_set1_pd(BC_EXP_LN2_LO_),
                                  _mm512_permutex2var_pd(tb->lo0, t,
                                                         tb->lo1));
    __m512d r = _mm512_add_pd(r_hi, lo);
    const double *c = bc_expm1_q_;
    __m512d q = _mm512_fmadd_pd(_mm512_set1_pd(c[0]), r,
                                _mm512_set1_pd(c[1]));
    for (int i = 2; i < 6; i++) {
        q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(c[i]));
    }
    __m512d g = _mm512_fmadd_pd(_mm512_mul_pd(r, r), q, lo);
    __m512d hh = _mm512_scalef_pd(_mm512_permutex2var_pd(tb->hi0, t,
                                                         tb->hi1), nf);
    __m512d y = _mm512_fmadd_pd(hh, _mm512_add_pd(r_hi, g),
                                _mm512_sub_pd(hh, _mm512_set1_pd(0.5)));
    return _mm512_add_pd(y, y);
}

/* vfixupimmpd responses, 4 bits per class of the reference operand:
 * 0 keeps the computed value, 1 returns the reference itself, 5 gives
 * +inf, 10 gives +1.  Classes: QNaN 0, SNaN 1, zero 2, +1 3, -inf 4,
 * +inf 5, negative 6, positive 7. */
#define FIX_(cls, resp) ((long long)(resp) << (4 * (cls)))

static inline __mmask8
tail_mask(bc_index left)
{
    return left >= 8 ? (__mmask8)0xff : (__mmask8)((1u << left) - 1u);
}

/* x[k+0..7] * a + b under mask m, rounded twice as the portable AFFINE. */
AVX512 static inline __m512d
load_affine(const double *x, __mmask8 m, __m512d a, __m512d b)
{
    return _mm512_add_pd(_mm512_mul_pd(_mm512_maskz_loadu_pd(m, x), a), b);
}

/* bc_exp_kernel on 8 lanes; tb from load_tables(1.0). */
AVX512 static inline __m512d
exp_vec(__m512d x, const exp_tables *tb)
{
    __m512d v = clamp(x, -746.0, 746.0);
    __m512d nf;
    __m512i t;
    __m512d r = exp_reduce(v, &nf, &t);
    r = _mm512_fnmadd_pd(nf, _mm512_set1_pd(BC_EXP_LN2_LO_), r);
    const double *c = bc_exp_q_;
    __m512d q = _mm512_fmadd_pd(_mm512_set1_pd(c[0]), r,
                                _mm512_set1_pd(c[1]));
    for (int i = 2; i < 5; i++) {
        q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(c[i]));
    }
    __m512d p = _mm512_fmadd_pd(_mm512_mul_pd(r, r), q, r);
    __m512d hi = _mm512_permutex2var_pd(tb->hi0, t, tb->hi1);
    __m512d lo = _mm512_permutex2var_pd(tb->lo0, t, tb->lo1);
    __m512d e = _mm512_fmadd_pd(hi, _mm512_add_pd(p, lo), hi);
    return _mm512_scalef_pd(e, nf);
}

AVX512 void
bc_vexp_avx512(const double *x, double a, double b, double *y, bc_index n)
{
    const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
    const exp_tables tb = load_tables(1.0);
    for (bc_index k = 0; k < n; k += 8) {
        __mmask8 m = tail_mask(n - k);
        __m512d v = load_affine(x + k, m, va, vb);
        _mm512_mask_storeu_pd(y + k, m, exp_vec(v, &tb));
    }
}

AVX512 void
bc_vexpm1_avx512(const double *x, double a, double b, double *y, bc_index n)
{
    const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
    /* NaN, +-0 -> x */
    const __m512i fix = _mm512_set1_epi64(FIX_(0, 1) | FIX_(1, 1) |
                                          FIX_(2, 1));
    const exp_tables tb = load_tables(0.5);
    for (bc_index k = 0; k < n; k += 8) {
        __mmask8 m = tail_mask(n - k);
        __m512d v = load_affine(x + k, m, va, vb);
        __m512d e = _mm512_fixupimm_pd(expm1_core(v, &tb), v, fix, 0);
        _mm512_mask_storeu_pd(y + k, m, e);
    }
}

/* num / expm1(v) (minus_one) or num / (1 + exp(v)); the flag is the same
 * for the whole call, so the branch in the loop is always predicted. */
AVX512 void
bc_vdiv_exp_avx512(const double *num, int num_const, const double *x,
                   double a, double b, int minus_one, double *y, bc_index n)
{
    const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
    const __m512d num0 = _mm512_set1_pd(num[0]), one = _mm512_set1_pd(1.0);
    /* NaN, +-0 -> x, as bc_vexpm1_avx512 */
    const __m512i fix = _mm512_set1_epi64(FIX_(0, 1) | FIX_(1, 1) |
                                          FIX_(2, 1));
    const exp_tables tb = load_tables(minus_one ? 0.5 : 1.0);
    for (bc_index k = 0; k < n; k += 8) {
        __mmask8 m = tail_mask(n - k);
        __m512d v = load_affine(x + k, m, va, vb);
        __m512d den = minus_one
            ? _mm512_fixupimm_pd(expm1_core(v, &tb), v, fix, 0)
            : _mm512_add_pd(one, exp_vec(v, &tb));
        __m512d u = num_const ? num0 : _mm512_maskz_loadu_pd(m, num + k);
        _mm512_mask_storeu_pd(y + k, m, _mm512_div_pd(u, den));
    }
}

/* s expm1(v)/v: 0/0 and inf/inf give NaN, which the fix-up replaces by 1
 * and inf, as the portable selects do. */
AVX512 void
bc_vexprel_avx512(const double *x, double a, double b, double s, double *y,
                  bc_index n)
{
    const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
    const __m512d vs = _mm512_set1_pd(s);
    /* NaN -> x, 0 -> 1, inf -> inf */
    const __m512i fix = _mm512_set1_epi64(FIX_(0, 1) | FIX_(1, 1) |
                                          FIX_(2, 10) | FIX_(5, 5));
    const exp_tables tb = load_tables(0.5);
    for (bc_index k = 0; k < n; k += 8) {
        __mmask8 m = tail_mask(n - k);
        __m512d v = load_affine(x + k, m, va, vb);
        __m512d e = _mm512_div_pd(expm1_core(v, &tb), v);
        e = _mm512_mul_pd(_mm512_fixupimm_pd(e, v, fix, 0), vs);
        _mm512_mask_storeu_pd(y + k, m, e);
    }
}

#else

/* ISO C forbids an empty translation unit. */
typedef int bc_vmath_avx512_unused;

#endif
