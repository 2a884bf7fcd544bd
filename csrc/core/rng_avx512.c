/* rng_avx512.c -- C core: Philox-4x32-10 and the Box-Muller transform of
 * rng_kernels.h written with AVX-512F intrinsics, eight counters per
 * register, the cipher fused with the transform so the words never leave
 * the registers.  Same operations and roundings as the portable kernels,
 * so the draws are bit-identical; rng.c calls these when the CPU has
 * AVX-512F. */
#include "rng_kernels.h"

#ifdef BC_HAVE_RNG_AVX512

#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))

/* Ternary-logic truth tables of the operands (a, b, c). */
#define XOR3 0x96           /* a ^ b ^ c */
#define AND_OR 0xEA         /* (a & b) | c */
#define XOR_AND 0x78        /* a ^ (b & c) */

typedef struct round_keys {
    __m512i k0[10], k1[10];
} round_keys;

AVX512 static inline void
make_round_keys(round_keys *rk, uint32_t key0, uint32_t key1)
{
    for (int j = 0; j < 10; j++) {
        rk->k0[j] = _mm512_set1_epi64(
            (long long)(uint32_t)(key0 + (uint32_t)j * BC_PHILOX_W0));
        rk->k1[j] = _mm512_set1_epi64(
            (long long)(uint32_t)(key1 + (uint32_t)j * BC_PHILOX_W1));
    }
}

/* Ten rounds on eight counters, one per 64-bit lane, each word in the low
 * half of its lane.  The high halves carry garbage (whole products, key
 * bits): vpmuludq reads only the low halves and the xors act lane-wise,
 * so the low halves are exact and no masking is needed.  The high half of
 * a product reaches the low half by a dword swap (vpshufd, port 5), which
 * leaves port 0 to the multiplies. */
AVX512 static inline void
philox10_x8(__m512i c[4], const round_keys *rk)
{
    const __m512i m0 = _mm512_set1_epi64((long long)BC_PHILOX_M0);
    const __m512i m1 = _mm512_set1_epi64((long long)BC_PHILOX_M1);
    __m512i c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
    for (int j = 0; j < 10; j++) {
        __m512i p0 = _mm512_mul_epu32(c0, m0);
        __m512i p1 = _mm512_mul_epu32(c2, m1);
        c0 = _mm512_ternarylogic_epi64(
            _mm512_shuffle_epi32(p1, _MM_PERM_CDAB), c1, rk->k0[j], XOR3);
        c1 = p1;
        c2 = _mm512_ternarylogic_epi64(
            _mm512_shuffle_epi32(p0, _MM_PERM_CDAB), c3, rk->k1[j], XOR3);
        c3 = p0;
    }
    c[0] = c0;
    c[1] = c1;
    c[2] = c2;
    c[3] = c3;
}

AVX512 void
bc_rng_philox_chunk_avx512(bc_philox_chunk *ch, bc_index n, uint64_t w1,
                           uint64_t w2, uint64_t w3, uint32_t key0,
                           uint32_t key1)
{
    round_keys rk;
    make_round_keys(&rk, key0, key1);
    const __m512i low = _mm512_set1_epi64((long long)BC_LOW32);
    for (bc_index k = 0; k < n; k += 8) {
        __m512i c[4] = {
            _mm512_loadu_si512((const void *)&ch->w[0][k]),
            _mm512_set1_epi64((long long)w1),
            _mm512_set1_epi64((long long)w2),
            _mm512_set1_epi64((long long)w3),
        };
        philox10_x8(c, &rk);
        for (int j = 0; j < 4; j++) {
            _mm512_storeu_si512((void *)&ch->w[j][k],
                                _mm512_and_si512(c[j], low));
        }
    }
}

/* Horner's rule over coefficients highest degree first. */
AVX512 static inline __m512d
horner(__m512d x, const double *coef, int degree)
{
    __m512d p = _mm512_set1_pd(coef[0]);
    for (int j = 1; j <= degree; j++) {
        p = _mm512_fmadd_pd(p, x, _mm512_set1_pd(coef[j]));
    }
    return p;
}

/* bc_bm_uniform_ */
AVX512 static inline __m512d
bm_uniform(__m512i w)
{
    __m512i v = _mm512_ternarylogic_epi64(
        w, _mm512_set1_epi64((long long)BC_BM_MANT),
        _mm512_set1_epi64((long long)BC_BM_ONE), AND_OR);
    return _mm512_sub_pd(_mm512_castsi512_pd(v),
                         _mm512_set1_pd(BC_BM_HALF_BELOW_ONE));
}

/* bc_bm_minus2log_: getmant/getexp give m and k exactly, and the two
 * 16-entry tables are one vpermt2pd each. */
AVX512 static inline __m512d
bm_minus2log(__m512d u, __m512d invc_lo, __m512d invc_hi, __m512d tl_lo,
             __m512d tl_hi)
{
    __m512d m = _mm512_getmant_pd(u, _MM_MANT_NORM_p75_1p5,
                                  _MM_MANT_SIGN_src);
    __m512d kd = _mm512_sub_pd(_mm512_getexp_pd(u), _mm512_getexp_pd(m));
    __m512i cell = _mm512_castpd_si512(
        _mm512_fmadd_pd(m, _mm512_set1_pd(16.0),
                        _mm512_set1_pd(BC_ROUND_SHIFT_)));
    __m512d invc = _mm512_permutex2var_pd(invc_lo, cell, invc_hi);
    __m512d tl = _mm512_permutex2var_pd(tl_lo, cell, tl_hi);
    __m512d r = _mm512_fmsub_pd(m, invc, _mm512_set1_pd(1.0));
    __m512d r2 = _mm512_mul_pd(r, r);
    __m512d q = horner(r, bc_bm_q_, BC_BM_Q_DEG);
    __m512d lo = _mm512_fmadd_pd(r2, q, _mm512_mul_pd(
                                     kd, _mm512_set1_pd(BC_BM_L2LO)));
    __m512d a = _mm512_fmadd_pd(r, _mm512_set1_pd(-2.0), lo);
    __m512d hi = _mm512_fmadd_pd(kd, _mm512_set1_pd(BC_BM_L2HI), tl);
    return _mm512_add_pd(hi, a);
}

/* The tables, loaded once per call. */
typedef struct bm_tables {
    __m512d invc_lo, invc_hi, tl_lo, tl_hi;
} bm_tables;

AVX512 static inline void
load_tables(bm_tables *t)
{
    t->invc_lo = _mm512_loadu_pd(bc_bm_invc_);
    t->invc_hi = _mm512_loadu_pd(bc_bm_invc_ + 8);
    t->tl_lo = _mm512_loadu_pd(bc_bm_2loginvc_);
    t->tl_hi = _mm512_loadu_pd(bc_bm_2loginvc_ + 8);
}

/* Eight pairs: the counters (index words in the low halves of idx) through
 * the cipher and bc_bm_pair_kernel's transform. */
AVX512 static inline void
normal_pairs_x8(__m512i idx, __m512i w1, __m512i w2, __m512i w3,
                const round_keys *rk, const bm_tables *t, __m512d *z_even,
                __m512d *z_odd)
{
    __m512i c[4] = {idx, w1, w2, w3};
    philox10_x8(c, rk);
    /* w1:w0 and w3:w2: the low dword of c1 (c3) into the odd dword. */
    __m512i w01 = _mm512_mask_shuffle_epi32(c[0], (__mmask16)0xAAAA, c[1],
                                            _MM_PERM_CCAA);
    __m512i w23 = _mm512_mask_shuffle_epi32(c[2], (__mmask16)0xAAAA, c[3],
                                            _MM_PERM_CCAA);
    __m512d radius = _mm512_sqrt_pd(bm_minus2log(
        bm_uniform(w01), t->invc_lo, t->invc_hi, t->tl_lo, t->tl_hi));
    __m512d g = bm_uniform(w23);
    __m512d x = _mm512_mul_pd(g, g);
    __m512d s = _mm512_mul_pd(g, horner(x, bc_bm_s_, BC_BM_S_DEG));
    __m512d co = horner(x, bc_bm_c_, BC_BM_C_DEG);
    const __m512i sign = _mm512_set1_epi64((long long)BC_BM_SIGN);
    __mmask8 swap = _mm512_test_epi64_mask(
        w23, _mm512_set1_epi64((long long)BC_BM_SWAP));
    __m512d ze = _mm512_mul_pd(radius, _mm512_mask_blend_pd(swap, co, s));
    __m512d zo = _mm512_mul_pd(radius, _mm512_mask_blend_pd(swap, s, co));
    *z_even = _mm512_castsi512_pd(_mm512_ternarylogic_epi64(
        _mm512_castpd_si512(ze), w01, sign, XOR_AND));
    *z_odd = _mm512_castsi512_pd(_mm512_ternarylogic_epi64(
        _mm512_castpd_si512(zo), w23, sign, XOR_AND));
}

static inline __mmask8
tail_mask(bc_index left)
{
    return left >= 8 ? (__mmask8)0xff : (__mmask8)((1u << left) - 1u);
}

AVX512 void
bc_rng_normal_pairs_avx512(uint64_t pair0, bc_index n_pairs, uint64_t w1,
                           uint64_t w2, uint64_t w3, uint32_t key0,
                           uint32_t key1, double *out)
{
    round_keys rk;
    bm_tables t;
    make_round_keys(&rk, key0, key1);
    load_tables(&t);
    const __m512i vw1 = _mm512_set1_epi64((long long)w1);
    const __m512i vw2 = _mm512_set1_epi64((long long)w2);
    const __m512i vw3 = _mm512_set1_epi64((long long)w3);
    /* Interleave: out = ze0 zo0 ze1 zo1 ... */
    const __m512i first4 = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
    const __m512i last4 = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    __m512i idx = _mm512_add_epi64(_mm512_set1_epi64((long long)pair0),
                                   _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0));
    const __m512i step = _mm512_set1_epi64(8);
    for (bc_index k = 0; k < n_pairs; k += 8) {
        __m512d ze, zo;
        normal_pairs_x8(idx, vw1, vw2, vw3, &rk, &t, &ze, &zo);
        idx = _mm512_add_epi64(idx, step);
        __m512d a = _mm512_permutex2var_pd(ze, first4, zo);
        __m512d b = _mm512_permutex2var_pd(ze, last4, zo);
        bc_index left = n_pairs - k;
        if (left >= 8) {
            _mm512_storeu_pd(out + 2 * k, a);
            _mm512_storeu_pd(out + 2 * k + 8, b);
        }
        else {
            _mm512_mask_storeu_pd(out + 2 * k, tail_mask(2 * left), a);
            if (left > 4) {
                _mm512_mask_storeu_pd(out + 2 * k + 8,
                                      tail_mask(2 * left - 8), b);
            }
        }
    }
}

AVX512 void
bc_rng_normal_indexed_avx512(const bc_index *idx, bc_index n, uint64_t w1,
                             uint64_t w2, uint64_t w3, uint32_t key0,
                             uint32_t key1, double *out)
{
    round_keys rk;
    bm_tables t;
    make_round_keys(&rk, key0, key1);
    load_tables(&t);
    const __m512i vw1 = _mm512_set1_epi64((long long)w1);
    const __m512i vw2 = _mm512_set1_epi64((long long)w2);
    const __m512i vw3 = _mm512_set1_epi64((long long)w3);
    const __m512i one = _mm512_set1_epi64(1);
    for (bc_index k = 0; k < n; k += 8) {
        __mmask8 m = tail_mask(n - k);
        __m512i neuron = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(
            _mm512_maskz_loadu_epi32((__mmask16)m, idx + k)));
        __m512d ze, zo;
        normal_pairs_x8(_mm512_srli_epi64(neuron, 1), vw1, vw2, vw3, &rk, &t,
                        &ze, &zo);
        __mmask8 odd = _mm512_test_epi64_mask(neuron, one);
        _mm512_mask_storeu_pd(out + k, m, _mm512_mask_blend_pd(odd, ze, zo));
    }
}

#else

/* ISO C forbids an empty translation unit. */
typedef int bc_rng_avx512_unused;

#endif
