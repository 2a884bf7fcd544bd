/* vmath_avx512.c -- C core: the exp family (exp, expm1, exprel) written
 * with AVX-512 intrinsics.  Same reduction, polynomial and roundings as
 * the portable kernels in vmath.h, so the results are bit-identical; what
 * changes is that 2^n is one vscalefpd and round() one vrndscalepd, which
 * saves about a third of the instructions.  vmath.c calls these when the
 * CPU has AVX-512F. */
#include "vmath.h"

#ifdef BC_HAVE_EXP_AVX512

#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))

/* exp(r) - 1 for x = n ln2 + r (x already clamped); *nf receives n. */
AVX512 static inline __m512d
exp_reduced(__m512d x, __m512d *nf)
{
    __m512d t = _mm512_mul_pd(x, _mm512_set1_pd(0x1.71547652b82fep+0));
    __m512d n = _mm512_roundscale_pd(t, _MM_FROUND_TO_NEAREST_INT |
                                        _MM_FROUND_NO_EXC);
    __m512d r = _mm512_fnmadd_pd(n, _mm512_set1_pd(0x1.62e42ffp-1), x);
    r = _mm512_fnmadd_pd(n, _mm512_set1_pd(-0x1.718432a1b0e26p-35), r);
    static const double coef[] = {
        1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0,
        1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0, 1.0 / 720.0,
        1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5
    };
    __m512d q = _mm512_set1_pd(1.0 / 6227020800.0);
    for (int k = 0; k < 11; k++) {
        q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(coef[k]));
    }
    *nf = n;
    return _mm512_fmadd_pd(_mm512_mul_pd(r, r), q, r);
}

AVX512 static inline __m512d
clamp(__m512d x, double lo, double hi)
{
    /* min/max return their second operand when either is NaN: a NaN
     * input passes through, as the portable kernels' comparisons do. */
    return _mm512_max_pd(_mm512_set1_pd(lo),
                         _mm512_min_pd(_mm512_set1_pd(hi), x));
}

AVX512 static inline __m512d
expm1_vec(__m512d x)
{
    __m512d n;
    __m512d e = exp_reduced(clamp(x, -40.0, 710.0), &n);
    /* h = 2^(n-1); 2 (h e + (h - 1/2)), as bc_expm1_kernel */
    __m512d h = _mm512_scalef_pd(_mm512_set1_pd(1.0),
                                 _mm512_sub_pd(n, _mm512_set1_pd(1.0)));
    __m512d y = _mm512_mul_pd(_mm512_set1_pd(2.0),
                              _mm512_fmadd_pd(h, e, _mm512_sub_pd(
                                  h, _mm512_set1_pd(0.5))));
    __mmask8 keep = _mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q) |
                    _mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_EQ_OQ);
    return _mm512_mask_blend_pd(keep, y, x);
}

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

AVX512 void
bc_vexp_avx512(const double *x, double a, double b, double *y, bc_index n)
{
    const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
    for (bc_index k = 0; k < n; k += 8) {
        __mmask8 m = tail_mask(n - k);
        __m512d v = clamp(load_affine(x + k, m, va, vb), -746.0, 710.0);
        __m512d nf;
        __m512d p = _mm512_add_pd(_mm512_set1_pd(1.0), exp_reduced(v, &nf));
        _mm512_mask_storeu_pd(y + k, m, _mm512_scalef_pd(p, nf));
    }
}

AVX512 void
bc_vexpm1_avx512(const double *x, double a, double b, double *y, bc_index n)
{
    const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
    for (bc_index k = 0; k < n; k += 8) {
        __mmask8 m = tail_mask(n - k);
        __m512d v = load_affine(x + k, m, va, vb);
        _mm512_mask_storeu_pd(y + k, m, expm1_vec(v));
    }
}

AVX512 void
bc_vexprel_avx512(const double *x, double a, double b, double *y, bc_index n)
{
    const __m512d one = _mm512_set1_pd(1.0);
    const __m512d va = _mm512_set1_pd(a), vb = _mm512_set1_pd(b);
    for (bc_index k = 0; k < n; k += 8) {
        __mmask8 m = tail_mask(n - k);
        __m512d v = load_affine(x + k, m, va, vb);
        __mmask8 zero = _mm512_cmp_pd_mask(v, _mm512_setzero_pd(),
                                           _CMP_EQ_OQ);
        __m512d r = _mm512_div_pd(expm1_vec(v),
                                  _mm512_mask_blend_pd(zero, v, one));
        r = _mm512_mask_blend_pd(zero, r, one);
        __mmask8 inf = _mm512_cmp_pd_mask(v, _mm512_set1_pd(HUGE_VAL),
                                          _CMP_EQ_OQ);
        _mm512_mask_storeu_pd(y + k, m, _mm512_mask_blend_pd(inf, r, v));
    }
}

#else

/* ISO C forbids an empty translation unit. */
typedef int bc_vmath_avx512_unused;

#endif
