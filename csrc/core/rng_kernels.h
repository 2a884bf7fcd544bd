/* rng_kernels.h -- C core, internal to rng.c and the vector kernels
 * (vkernels.h): the Philox-4x32-10 rounds and the Box-Muller transform as
 * scalar inline kernels and their constants; vkernels.h runs the same
 * operations on vectors, bit for bit. */
#ifndef BC_RNG_KERNELS_H
#define BC_RNG_KERNELS_H

#include <math.h>

#include "types.h"
#include "vmath.h"

/* Philox-4x32 constants (Salmon et al. 2011): round multipliers and the
 * Weyl key increments. */
#define BC_PHILOX_M0 UINT64_C(0xD2511F53)
#define BC_PHILOX_M1 UINT64_C(0xCD9E8D57)
#define BC_PHILOX_W0 UINT32_C(0x9E3779B9)
#define BC_PHILOX_W1 UINT32_C(0xBB67AE85)
#define BC_LOW32 UINT64_C(0xffffffff)

/* One round on four 32-bit words kept in 64-bit lanes (so the 32 x 32 ->
 * 64 products vectorise as vpmuludq): two products, their high halves
 * mixed with the other two words and the round key. */
BC_ALWAYS_INLINE static inline void
bc_philox_round_(uint64_t *c0, uint64_t *c1, uint64_t *c2, uint64_t *c3,
                 uint32_t k0, uint32_t k1)
{
    uint64_t p0 = BC_PHILOX_M0 * *c0;
    uint64_t p1 = BC_PHILOX_M1 * *c2;
    *c0 = ((p1 >> 32) ^ *c1 ^ k0) & BC_LOW32;
    *c1 = p1 & BC_LOW32;
    *c2 = ((p0 >> 32) ^ *c3 ^ k1) & BC_LOW32;
    *c3 = p0 & BC_LOW32;
}

/* Ten rounds, the key bumped by the Weyl increments between rounds;
 * written out because gcc -O2 would keep a round loop, which blocks
 * vectorising the loop over counters. */
BC_ALWAYS_INLINE static inline void
bc_philox10_(uint64_t w[4], uint32_t k0, uint32_t k1)
{
    uint64_t c0 = w[0], c1 = w[1], c2 = w[2], c3 = w[3];
#define BC_ROUND_(j) bc_philox_round_(&c0, &c1, &c2, &c3,                 \
                                      k0 + (j) * BC_PHILOX_W0,            \
                                      k1 + (j) * BC_PHILOX_W1)
    BC_ROUND_(0);
    BC_ROUND_(1);
    BC_ROUND_(2);
    BC_ROUND_(3);
    BC_ROUND_(4);
    BC_ROUND_(5);
    BC_ROUND_(6);
    BC_ROUND_(7);
    BC_ROUND_(8);
    BC_ROUND_(9);
#undef BC_ROUND_
    w[0] = c0;
    w[1] = c1;
    w[2] = c2;
    w[3] = c3;
}

/* Words of BC_RNG_CHUNK counters, structure of arrays, 64-bit lanes. */
#define BC_RNG_CHUNK 256
typedef struct bc_philox_chunk {
    uint64_t w[4][BC_RNG_CHUNK];
} bc_philox_chunk;

/* ---- Box-Muller: one counter's 128 bits -> two normals ----
 *
 * Bits: W01 = w1:w0 and W23 = w3:w2 as 64-bit integers.
 *   u = (W01 bits 0-51 + 1/2) 2^-52 in (0, 1): the radius sqrt(-2 log u);
 *   g = (W23 bits 0-51 + 1/2) 2^-52 in (0, 1): the angle phi = g pi/4,
 *   W23 bit 62 swaps cos and sin (phi -> pi/2 - phi), W01 bit 63 and W23
 *   bit 63 are the signs of the two normals: eight octants, so the angle is
 *   uniform on the circle.  Both uniforms are exact doubles (v - (1 -
 *   2^-53) with v in [1, 2) is exact), never 0 or 1, so |z| < sqrt(106 ln
 *   2) < 8.6.
 *
 * -2 log u = -2 k ln2 + 2 log(invc) - 2 log1p(r): u = 2^k m with m in
 * [0.75, 1.5), c = n/16 the nearest sixteenth to m (n = 12..24), invc
 * the double nearest 1/c and r = m invc - 1 (one rounding, |r| < 1/24).
 * The cell of m = 1 has invc = 1 and log(invc) = 0, so u near 1 loses no
 * relative accuracy.  The table holds invc and 2 log(invc) (rounded from
 * 60-digit values) at index n mod 16; slots 9-11 are never used.
 * -2 log1p(r) = -2 r + r^2 Q(r), Q a degree-8 minimax fit (relative
 * error 2^-58 on [-0.0386, 0.0418]).  sin(phi) = g S(g^2) and cos(phi) =
 * C(g^2), minimax fits of degree 6 and 7 on [0, 1] (relative error
 * 2^-54 with the coefficients rounded to doubles).  Coefficients from
 * tools/rng_coefficients.py. */

#define BC_BM_MANT UINT64_C(0x000fffffffffffff)
#define BC_BM_ONE UINT64_C(0x3ff0000000000000)
#define BC_BM_SIGN UINT64_C(0x8000000000000000)
#define BC_BM_SWAP UINT64_C(0x4000000000000000)
#define BC_BM_HALF_BELOW_ONE 0x1.fffffffffffffp-1     /* 1 - 2^-53 */
#define BC_BM_L2HI -0x1.62e42fefa39efp+0              /* -2 ln2, hi */
#define BC_BM_L2LO -0x1.abc9e3b39803fp-55             /* -2 ln2 - L2HI */

static const double bc_bm_invc_[16] = {
    0x1.0000000000000p+0, 0x1.e1e1e1e1e1e1ep-1, 0x1.c71c71c71c71cp-1,
    0x1.af286bca1af28p-1, 0x1.999999999999ap-1, 0x1.8618618618618p-1,
    0x1.745d1745d1746p-1, 0x1.642c8590b2164p-1, 0x1.5555555555555p-1,
    0x1.0000000000000p+0, 0x1.0000000000000p+0, 0x1.0000000000000p+0,
    0x1.5555555555555p+0, 0x1.3b13b13b13b14p+0, 0x1.2492492492492p+0,
    0x1.1111111111111p+0,
};

static const double bc_bm_2loginvc_[16] = {
    0.0, -0x1.f0a30c01162a8p-4, -0x1.e27076e2af2eap-3,
    -0x1.5ff3070a793d6p-2, -0x1.c8ff7c79a9a20p-2, -0x1.1675cababa60fp-1,
    -0x1.4618bc21c5ec2p-1, -0x1.739d7f6bbd007p-1, -0x1.9f323ecbf984dp-1,
    0.0, 0.0, 0.0,
    0x1.269621134db91p-1, 0x1.a93ed3c8ad9e5p-2, 0x1.1178e8227e47ap-2,
    0x1.08598b59e3a06p-3,
};

/* Q(r), highest degree first, and likewise S and C. */
#define BC_BM_Q_DEG 8
static const double bc_bm_q_[BC_BM_Q_DEG + 1] = {
    0x1.9524733d4d282p-3, -0x1.c889c6d4131b0p-3, 0x1.0002141022085p-2,
    -0x1.24920b0ef9cc9p-2, 0x1.555554c4cf5a5p-2, -0x1.999999a1f89a2p-2,
    0x1.0000000006be3p-1, -0x1.5555555555281p-1, 0x1.ffffffffffffep-1,
};
#define BC_BM_S_DEG 6
static const double bc_bm_s_[BC_BM_S_DEG + 1] = {
    0x1.e3eed5d18971dp-38, -0x1.e30063a02eb89p-30, 0x1.50782fca38b8dp-22,
    -0x1.32d2cce2d5360p-15, 0x1.466bc67758700p-9, -0x1.4abbce625be41p-4,
    0x1.921fb54442d18p-1,
};
#define BC_BM_C_DEG 7
static const double bc_bm_c_[BC_BM_C_DEG + 1] = {
    -0x1.b2586ba1ce508p-42, 0x1.f9cc15d52fa56p-34, -0x1.a6d1ec3d48224p-26,
    0x1.e1f5068303f26p-19, -0x1.55d3c7e3c8d5cp-12, 0x1.03c1f081b5aaap-6,
    -0x1.3bd3cc9be45dep-2, 0x1.0000000000000p+0,
};

/* The uniform (W bits 0-51 + 1/2) 2^-52, exactly. */
BC_ALWAYS_INLINE static inline double
bc_bm_uniform_(uint64_t w)
{
    return bc_double_((w & BC_BM_MANT) | BC_BM_ONE) - BC_BM_HALF_BELOW_ONE;
}

/* -2 log u for u in [2^-53, 1), within 2 ulp (see above). */
BC_ALWAYS_INLINE static inline double
bc_bm_minus2log_(double u)
{
    /* u = 2^k m, m in [0.75, 1.5): tmp's top 12 bits are k (two's
     * complement); k as a double without an int64 conversion. */
    uint64_t ix = bc_bits_(u);
    uint64_t tmp = ix - UINT64_C(0x3fe8000000000000);
    double m = bc_double_(ix - (tmp & UINT64_C(0xfff0000000000000)));
    double kd = bc_double_(UINT64_C(0x4330000000000000)
                           | ((tmp >> 52) ^ 0x800))
                - (0x1p52 + 2048.0);
    /* round(16 m) in the low bits of t: the cell, 12..24 */
    double t = fma(m, 16.0, BC_ROUND_SHIFT_);
    unsigned cell = (unsigned)(bc_bits_(t) & 15u);
    double r = fma(m, bc_bm_invc_[cell], -1.0);
    double r2 = r * r;
    double q = bc_bm_q_[0];
    for (int j = 1; j <= BC_BM_Q_DEG; j++) {
        q = fma(q, r, bc_bm_q_[j]);
    }
    double lo = fma(r2, q, kd * BC_BM_L2LO);
    double a = fma(r, -2.0, lo);
    double hi = fma(kd, BC_BM_L2HI, bc_bm_2loginvc_[cell]);
    return hi + a;
}

/* The two normals of one counter's output words (each in the low 32 bits
 * of its argument). */
BC_ALWAYS_INLINE static inline void
bc_bm_pair_kernel(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3,
                  double *z_even, double *z_odd)
{
    uint64_t w01 = (w1 << 32) | (w0 & BC_LOW32);
    uint64_t w23 = (w3 << 32) | (w2 & BC_LOW32);
    double radius = sqrt(bc_bm_minus2log_(bc_bm_uniform_(w01)));
    double g = bc_bm_uniform_(w23);
    double x = g * g;
    double sp = bc_bm_s_[0];
    for (int j = 1; j <= BC_BM_S_DEG; j++) {
        sp = fma(sp, x, bc_bm_s_[j]);
    }
    double s = g * sp;
    double c = bc_bm_c_[0];
    for (int j = 1; j <= BC_BM_C_DEG; j++) {
        c = fma(c, x, bc_bm_c_[j]);
    }
    int swap = (w23 & BC_BM_SWAP) != 0;
    double ze = radius * (swap ? s : c);
    double zo = radius * (swap ? c : s);
    *z_even = bc_double_(bc_bits_(ze) ^ (w01 & BC_BM_SIGN));
    *z_odd = bc_double_(bc_bits_(zo) ^ (w23 & BC_BM_SIGN));
}

#endif
