/* vec.h -- C core, internal to the kernels_*.c files: a double vector of
 * BC_VW lanes and the few operations that GCC/Clang's portable vector
 * extensions (__attribute__((vector_size))) do not spell, mapped onto one
 * instruction set.  A kernels_<isa>.c file defines one of BC_VEC_SSE2,
 * BC_VEC_AVX2, BC_VEC_AVX512, BC_VEC_NEON or BC_VEC_GENERIC, enables the
 * matching target, and includes vkernels.h, which includes this.
 *
 * Everything here is exact or correctly rounded (fma, sqrt, division), so
 * a kernel written with these operations gives the same bits on every
 * instruction set: the lanes only change how many values run at once.
 * Builds use -ffp-contract=off, so the compiler never fuses a * b + c on
 * its own; vfma_ is the only fused operation, and where the CPU has no
 * fused multiply-add (baseline x86-64) it is libm's fma(), which is
 * correctly rounded in software. */
#ifndef BC_VEC_H
#define BC_VEC_H

#include <math.h>
#include <stdint.h>

#if defined(BC_VEC_AVX512)
#include <immintrin.h>
#define BC_VW 8
#elif defined(BC_VEC_AVX2)
#include <immintrin.h>
#define BC_VW 4
#elif defined(BC_VEC_SSE2)
#include <emmintrin.h>
#define BC_VW 2
#elif defined(BC_VEC_NEON)
#include <arm_neon.h>
#define BC_VW 2
#elif defined(BC_VEC_GENERIC)
#define BC_VW 2
#else
#error "vec.h: define one BC_VEC_<isa> before including it"
#endif

#define BC_VBYTES (8 * BC_VW)

/* vd: BC_VW doubles; vu: BC_VW unsigned 64-bit lanes (the bits of a vd
 * through a cast); vm: a comparison's result, all ones where true.
 * may_alias: the kernels load and store them through double pointers. */
typedef double vd __attribute__((vector_size(BC_VBYTES), may_alias));
typedef uint64_t vu __attribute__((vector_size(BC_VBYTES), may_alias));
typedef int64_t vm __attribute__((vector_size(BC_VBYTES), may_alias));
/* The same vector at any double's address (loads and stores). */
typedef double vd_unaligned_
    __attribute__((vector_size(BC_VBYTES), may_alias, aligned(8)));

BC_ALWAYS_INLINE static inline vd
vsplat_(double c)
{
    vd v = {0};
    return v + c;
}

BC_ALWAYS_INLINE static inline vu
usplat_(uint64_t c)
{
    vu v = {0};
    return v + c;
}

BC_ALWAYS_INLINE static inline vd
vload_(const double *p)
{
    return *(const vd_unaligned_ *)p;
}

BC_ALWAYS_INLINE static inline void
vstore_(double *p, vd v)
{
    *(vd_unaligned_ *)p = v;
}

/* a where m, else b (the ?: that C's vector extensions lack). */
BC_ALWAYS_INLINE static inline vd
vsel_(vm m, vd a, vd b)
{
#if defined(BC_VEC_AVX2)
    return _mm256_blendv_pd(b, a, (__m256d)m);
#else
    return (vd)(((vu)m & (vu)a) | (~(vu)m & (vu)b));
#endif
}

BC_ALWAYS_INLINE static inline vu
usel_(vm m, vu a, vu b)
{
    return ((vu)m & a) | (~(vu)m & b);
}

/* Whether every lane of m is true. */
BC_ALWAYS_INLINE static inline int
vall_(vm m)
{
#if defined(BC_VEC_AVX2)
    return _mm256_movemask_pd((__m256d)m) == 0xf;
#else
    uint64_t all = ~UINT64_C(0);
    for (int k = 0; k < BC_VW; k++) {
        all &= (uint64_t)m[k];
    }
    return all != 0;
#endif
}

/* a * b + c rounded once. */
BC_ALWAYS_INLINE static inline vd
vfma_(vd a, vd b, vd c)
{
#if defined(BC_VEC_AVX512)
    return _mm512_fmadd_pd(a, b, c);
#elif defined(BC_VEC_AVX2)
    return _mm256_fmadd_pd(a, b, c);
#elif defined(BC_VEC_NEON)
    return vfmaq_f64(c, a, b);
#else
    vd r = {0};
    for (int k = 0; k < BC_VW; k++) {
        r[k] = fma(a[k], b[k], c[k]);
    }
    return r;
#endif
}

/* c - a * b rounded once (the same bits as vfma_(-a, b, c)). */
BC_ALWAYS_INLINE static inline vd
vfnma_(vd a, vd b, vd c)
{
#if defined(BC_VEC_AVX512)
    return _mm512_fnmadd_pd(a, b, c);
#elif defined(BC_VEC_AVX2)
    return _mm256_fnmadd_pd(a, b, c);
#elif defined(BC_VEC_NEON)
    return vfmsq_f64(c, a, b);
#else
    return vfma_(-a, b, c);
#endif
}

BC_ALWAYS_INLINE static inline vd
vsqrt_(vd a)
{
#if defined(BC_VEC_AVX512)
    return _mm512_sqrt_pd(a);
#elif defined(BC_VEC_AVX2)
    return _mm256_sqrt_pd(a);
#elif defined(BC_VEC_SSE2)
    return _mm_sqrt_pd(a);
#elif defined(BC_VEC_NEON)
    return vsqrtq_f64(a);
#else
    vd r = {0};
    for (int k = 0; k < BC_VW; k++) {
        r[k] = sqrt(a[k]);
    }
    return r;
#endif
}

/* table[i & 15] per lane, for a 16-entry table. */
BC_ALWAYS_INLINE static inline vd
vlookup16_(const double *table, vu i)
{
    i &= 15u;
#if defined(BC_VEC_AVX512)
    /* both halves of the table stay in registers across a loop */
    return _mm512_permutex2var_pd(_mm512_loadu_pd(table), (__m512i)i,
                                  _mm512_loadu_pd(table + 8));
#else
    /* AVX2 too: four loads beat vgatherqpd on AMD Zen 3 (exp 1.58 ->
     * 1.31 ns per value, the expm1 family 5 % faster) */
    vd r = {0};
    for (int k = 0; k < BC_VW; k++) {
        r[k] = table[i[k]];
    }
    return r;
#endif
}

/* (a mod 2^32) * (b mod 2^32), the full 64-bit product. */
BC_ALWAYS_INLINE static inline vu
umul32_(vu a, vu b)
{
#if defined(BC_VEC_AVX512)
    return (vu)_mm512_mul_epu32((__m512i)a, (__m512i)b);
#elif defined(BC_VEC_AVX2)
    return (vu)_mm256_mul_epu32((__m256i)a, (__m256i)b);
#elif defined(BC_VEC_SSE2)
    return (vu)_mm_mul_epu32((__m128i)a, (__m128i)b);
#elif defined(BC_VEC_NEON)
    return vmull_u32(vmovn_u64(a), vmovn_u64(b));
#else
    return (a & UINT64_C(0xffffffff)) * (b & UINT64_C(0xffffffff));
#endif
}

#endif
