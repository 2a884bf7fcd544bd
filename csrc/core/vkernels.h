/* vkernels.h -- C core: the vector kernels, written once.  Each
 * kernels_<isa>.c defines BC_VEC_<isa> and BC_VSUFFIX and includes this
 * file, which defines the block functions of kernels.h for that
 * instruction set and their table bc_kernels_<suffix>.
 *
 * The kernels are the scalar kernels of vmath.h (exp family, log, sin,
 * cos) and rng_kernels.h (Philox-4x32-10, the uniform and the
 * Box-Muller transform) lane by lane: the same operations in the same
 * order, each exact or correctly rounded (vec.h), so every instruction
 * set, and the scalar kernels, give the same bits. */
#ifndef BC_VKERNELS_H
#define BC_VKERNELS_H

#include <string.h>

#include "kernels.h"
#include "rng_kernels.h"
#include "vmath.h"
#include "vec.h"

#define BC_VCAT2_(a, b) a##_##b
#define BC_VCAT_(a, b) BC_VCAT2_(a, b)
#define V_(name) BC_VCAT_(name, BC_VSUFFIX)

#define VGT_(a, b) ((vm)((a) > (b)))
#define VLT_(a, b) ((vm)((a) < (b)))
#define VEQ_(a, b) ((vm)((a) == (b)))
#define VNE_(a, b) ((vm)((a) != (b)))
#define UNZ_(a) ((vm)((a) != usplat_(0)))     /* integer lanes != 0 */

/* ---- the exp family (vmath.h: bc_exp_kernel and its neighbours) ---- */

/* bc_expm1_poly_ lane by lane. */
BC_ALWAYS_INLINE static inline vd
expm1_poly_v(vd r, vd r2)
{
    const double *c = bc_expm1_q_;
    vd e = vfma_(vsplat_(c[10]), r2, vsplat_(c[8]));
    e = vfma_(e, r2, vsplat_(c[6]));
    e = vfma_(e, r2, vsplat_(c[4]));
    e = vfma_(e, r2, vsplat_(c[2]));
    e = vfma_(e, r2, vsplat_(c[0]));
    vd o = vfma_(vsplat_(c[9]), r2, vsplat_(c[7]));
    o = vfma_(o, r2, vsplat_(c[5]));
    o = vfma_(o, r2, vsplat_(c[3]));
    o = vfma_(o, r2, vsplat_(c[1]));
    return vfma_(r, o, e);
}

/* The reduction of bc_exp_kernel and bc_expm1_kernel, x = n ln2 + r_hi
 * + lo: returns r_hi and g = lo + r^2 Q(r), n in *n (two's complement). */
BC_ALWAYS_INLINE static inline vd
exp_reduce_v(vd xc, vu *n, vd *g)
{
    vd shift = vsplat_(BC_ROUND_SHIFT_);
    vd t = vfma_(xc, vsplat_(0x1.71547652b82fep+0), shift);
    vd nf = t - shift;
    *n = (vu)t - bc_bits_(BC_ROUND_SHIFT_);
    vd r_hi = vfnma_(nf, vsplat_(BC_EXP_LN2_HI_), xc);
    vd lo = nf * -BC_EXP_LN2_LO_;
    vd r = r_hi + lo;
    vd r2 = r * r;
    *g = vfma_(r2, expm1_poly_v(r, r2), lo);
    return r_hi;
}

BC_ALWAYS_INLINE static inline vd
vabs_v(vd x)
{
    return (vd)((vu)x & UINT64_C(0x7fffffffffffffff));
}

/* Where every lane's result is a normal number (the usual case), (1 + p)
 * 2^n is exact, so adding n to the exponent field gives the bits of the
 * kernel's two rounded products ((1 + p) s1) s2; elsewhere (clamps, NaN,
 * overflow, subnormal results) the kernel's own steps. */
BC_ALWAYS_INLINE static inline vd
exp_v(vd x)
{
    vm normal = VLT_(vabs_v(x), vsplat_(708.0));     /* NaN: false */
    vu n;
    vd g;
    if (vall_(normal)) {
        vd r_hi = exp_reduce_v(x, &n, &g);
        return (vd)((vu)(1.0 + (r_hi + g)) + (n << 52));
    }
    vd xc = vsel_(VGT_(x, vsplat_(746.0)), vsplat_(746.0), x);
    xc = vsel_(VLT_(xc, vsplat_(-746.0)), vsplat_(-746.0), xc);
    vd r_hi = exp_reduce_v(xc, &n, &g);
    vd y = 1.0 + (r_hi + g);
    vu m1 = (n >> 1) | (n & UINT64_C(0x8000000000000000));
    vu m2 = n - m1;
    vd s1 = (vd)((m1 + UINT64_C(1023)) << 52);
    vd s2 = (vd)((m2 + UINT64_C(1023)) << 52);
    return (y * s1) * s2;
}

/* bc_expm1_kernel for x already inside the clamps [-40, 710]. */
BC_ALWAYS_INLINE static inline vd
expm1_clamped_v(vd xc)
{
    vu n;
    vd g;
    vd r_hi = exp_reduce_v(xc, &n, &g);
    vd hh = (vd)((n + UINT64_C(1022)) << 52);
    return 2.0 * vfma_(hh, r_hi + g, hh - 0.5);
}

/* expm1_clamped_v where every lane has |x| <= 40 (the plain lanes
 * below): 2 fma(H/2, p, H/2 - 1/2) as fma(H, p, H - 1) with H = 2^n,
 * which is exact (scaling by two commutes with rounding away from
 * overflow and subnormals, and here |n| <= 58 and |result| >= 2^-55): the
 * same bits, one multiplication fewer. */
BC_ALWAYS_INLINE static inline vd
expm1_small_v(vd x)
{
    vu n;
    vd g;
    vd r_hi = exp_reduce_v(x, &n, &g);
    vd h = (vd)((n + UINT64_C(1023)) << 52);
    return vfma_(h, r_hi + g, h - 1.0);
}

/* Lanes the clamps, the tiny (zero included) and the NaN tests of expm1
 * and exprel leave alone (tested as 2^-54 <= |x| <= 40, two compares:
 * 40 < x <= 710 takes the other way, to the same bits): when every lane
 * is one, those selects are skipped (the same bits, fewer operations;
 * the usual case in models). */
BC_ALWAYS_INLINE static inline int
expm1_plain_v(vd x)
{
    vd a = vabs_v(x);
    return vall_((vm)(a >= vsplat_(BC_EXPM1_TINY_))
                 & (vm)(a <= vsplat_(40.0)));
}

BC_ALWAYS_INLINE static inline vd
expm1_v(vd x)
{
    if (expm1_plain_v(x)) {
        return expm1_small_v(x);
    }
    vd xc = vsel_(VGT_(x, vsplat_(710.0)), vsplat_(710.0), x);
    xc = vsel_(VLT_(xc, vsplat_(-40.0)), vsplat_(-40.0), xc);
    vm keep = VNE_(x, x) | VLT_(vabs_v(x), vsplat_(BC_EXPM1_TINY_));
    return vsel_(keep, x, expm1_clamped_v(xc));
}

BC_ALWAYS_INLINE static inline vd
exprel_v(vd v)
{
    if (expm1_plain_v(v)) {
        return expm1_small_v(v) / v;
    }
    vm zero = VEQ_(v, vsplat_(0.0));
    vd r = expm1_v(v) / vsel_(zero, vsplat_(1.0), v);
    r = vsel_(zero, vsplat_(1.0), r);
    return vsel_(VEQ_(v, vsplat_(HUGE_VAL)), v, r);
}

/* ---- log and sin/cos (vmath.h: bc_log_kernel, bc_sincos_kernel) ---- */

BC_ALWAYS_INLINE static inline vd
log_v(vd x)
{
    vm sub = VLT_(x, vsplat_(0x1p-1022));
    vd xs = vsel_(sub, x * 0x1p54, x);
    vu ix = (vu)xs;
    vu tmp = ix - UINT64_C(0x3fe6a09e667f3bcd);
    vu kfield = tmp >> 52;
    vd m = (vd)(ix - (tmp & UINT64_C(0xfff0000000000000)));
    vd kd = (vd)(UINT64_C(0x4330000000000000) | (kfield ^ UINT64_C(0x800)))
            - (0x1p52 + 2048.0);
    kd = vsel_(sub, kd - 54.0, kd);
    vd f = m - 1.0;
    vd s = f / (2.0 + f);
    vd z = s * s;
    vd R = vsplat_(2.0 / 23.0);
    R = vfma_(R, z, vsplat_(2.0 / 21.0));
    R = vfma_(R, z, vsplat_(2.0 / 19.0));
    R = vfma_(R, z, vsplat_(2.0 / 17.0));
    R = vfma_(R, z, vsplat_(2.0 / 15.0));
    R = vfma_(R, z, vsplat_(2.0 / 13.0));
    R = vfma_(R, z, vsplat_(2.0 / 11.0));
    R = vfma_(R, z, vsplat_(2.0 / 9.0));
    R = vfma_(R, z, vsplat_(2.0 / 7.0));
    R = vfma_(R, z, vsplat_(2.0 / 5.0));
    R = vfma_(R, z, vsplat_(2.0 / 3.0));
    R = R * z;
    vd hfsq = 0.5 * f * f;
    vd y = kd * 0x1.62e42ffp-1
           - ((hfsq - vfma_(s, hfsq + R, kd * -0x1.718432a1b0e26p-35)) - f);
    y = vsel_(VEQ_(x, vsplat_(HUGE_VAL)), x, y);
    y = vsel_(VEQ_(x, vsplat_(0.0)), vsplat_(-HUGE_VAL), y);
    y = vsel_(VLT_(x, vsplat_(0.0)), vsplat_(NAN), y);
    return vsel_(VNE_(x, x), x, y);
}

BC_ALWAYS_INLINE static inline vd
sin_poly_v(vd r)
{
    vd z = r * r;
    vd q = vsplat_(-1.0 / 355687428096000.0);
    q = vfma_(q, z, vsplat_(1.0 / 1307674368000.0));
    q = vfma_(q, z, vsplat_(-1.0 / 6227020800.0));
    q = vfma_(q, z, vsplat_(1.0 / 39916800.0));
    q = vfma_(q, z, vsplat_(-1.0 / 362880.0));
    q = vfma_(q, z, vsplat_(1.0 / 5040.0));
    q = vfma_(q, z, vsplat_(-1.0 / 120.0));
    q = vfma_(q, z, vsplat_(1.0 / 6.0));
    return vfma_(-(r * z), q, r);
}

BC_ALWAYS_INLINE static inline vd
cos_poly_v(vd r)
{
    vd z = r * r;
    vd q = vsplat_(1.0 / 20922789888000.0);
    q = vfma_(q, z, vsplat_(-1.0 / 87178291200.0));
    q = vfma_(q, z, vsplat_(1.0 / 479001600.0));
    q = vfma_(q, z, vsplat_(-1.0 / 3628800.0));
    q = vfma_(q, z, vsplat_(1.0 / 40320.0));
    q = vfma_(q, z, vsplat_(-1.0 / 720.0));
    q = vfma_(q, z, vsplat_(1.0 / 24.0));
    vd hz = 0.5 * z;
    vd w = 1.0 - hz;
    return w + vfma_(z * z, q, (1.0 - w) - hz);
}

BC_ALWAYS_INLINE static inline vd
sincos_v(vd x, int cos_wanted)
{
    vd t = x * 0x1.45f306dc9c883p-1 + BC_ROUND_SHIFT_;
    vd nf = t - BC_ROUND_SHIFT_;
    vu quadrant = ((vu)t + (uint64_t)cos_wanted) & UINT64_C(3);
    vd r = vfma_(-nf, vsplat_(0x1.921fb544p+0), x);
    r = vfma_(-nf, vsplat_(0x1.0b4611a6p-34), r);
    r = vfma_(-nf, vsplat_(0x1.3198a2e037073p-69), r);
    vd s = sin_poly_v(r);
    vd c = cos_poly_v(r);
    vd y = vsel_(UNZ_(quadrant & UINT64_C(1)), c, s);
    y = vsel_(UNZ_(quadrant & UINT64_C(2)), -y, y);
    return cos_wanted ? y : vsel_(VEQ_(x, vsplat_(0.0)), x, y);
}

/* ---- blocks: whole vectors, then the tail through a padded copy ---- */

/* Runs BODY(k, in, out) over vectors at k = 0, BC_VW, ... of n, where
 * `in` points at the inputs of the vector and `out` at its outputs; the
 * last partial vector reads and writes a zero-padded copy. */
#define V_BLOCK_(x, y, n, BODY)                                         \
    do {                                                                \
        bc_index k_ = 0;                                                \
        for (; k_ + BC_VW <= (n); k_ += BC_VW) {                        \
            BODY(k_, (x) + k_, (y) + k_);                               \
        }                                                               \
        if (k_ < (n)) {                                                 \
            double tin_[BC_VW] __attribute__((aligned(BC_VBYTES))) = {0}; \
            double tout_[BC_VW] __attribute__((aligned(BC_VBYTES)));    \
            memcpy(tin_, (x) + k_, (size_t)((n) - k_) * sizeof(double)); \
            BODY(k_, tin_, tout_);                                      \
            memcpy((y) + k_, tout_, (size_t)((n) - k_) * sizeof(double)); \
        }                                                               \
    } while (0)

/* The affine argument, the product and the sum each rounded. */
#define AFFINE_V_(p) (vload_(p) * a + b)

static void
V_(exp_affine)(const double *x, double a, double b, double *y, bc_index n)
{
#define BODY(k, in, out) vstore_(out, exp_v(AFFINE_V_(in)))
    V_BLOCK_(x, y, n, BODY);
#undef BODY
}

static void
V_(expm1_affine)(const double *x, double a, double b, double *y, bc_index n)
{
#define BODY(k, in, out) vstore_(out, expm1_v(AFFINE_V_(in)))
    V_BLOCK_(x, y, n, BODY);
#undef BODY
}

/* The kernels that divide by an exponential run software-pipelined: the
 * loop computes the denominator of vector k while it divides vector
 * k - V_PIPE_DEPTH_, whose operands are ready, so the divider works beside
 * the polynomial instead of waiting at the end of each vector's chain (the
 * same operations on the same values: the same bits).  Depth 2 measured
 * best on AMD Zen 3, AVX2 (s exprel, ns per value: 1.56-1.63 unpipelined
 * and at depth 1, 1.39 at depth 2, 1.41 at 3, 1.46 at 4).  STAGE(in, k, num, den) sets the
 * operands of the quotient of the vector at `in` (index k); FINISH(q) is
 * what is stored of the quotient q.  In place is safe: a vector's store
 * follows the loads of the vectors after it and overlaps none of them. */
#define V_PIPE_DEPTH_ 2
#define V_PIPELINED_(x, y, n, STAGE, FINISH)                            \
    do {                                                                \
        bc_index k_ = 0;                                                \
        vd pn_[V_PIPE_DEPTH_], pd_[V_PIPE_DEPTH_];                      \
        for (int j_ = 0; j_ < V_PIPE_DEPTH_; j_++) {                    \
            pn_[j_] = vsplat_(0.0);                                     \
            pd_[j_] = vsplat_(1.0);                                     \
        }                                                               \
        for (; k_ + BC_VW <= (n); k_ += BC_VW) {                        \
            vd next_num_, next_den_;                                    \
            STAGE((x) + k_, k_, next_num_, next_den_);                  \
            if (k_ >= V_PIPE_DEPTH_ * BC_VW) {                          \
                vstore_((y) + k_ - V_PIPE_DEPTH_ * BC_VW,               \
                        FINISH(pn_[0] / pd_[0]));                       \
            }                                                           \
            for (int j_ = 0; j_ + 1 < V_PIPE_DEPTH_; j_++) {            \
                pn_[j_] = pn_[j_ + 1];                                  \
                pd_[j_] = pd_[j_ + 1];                                  \
            }                                                           \
            pn_[V_PIPE_DEPTH_ - 1] = next_num_;                         \
            pd_[V_PIPE_DEPTH_ - 1] = next_den_;                         \
        }                                                               \
        for (int j_ = 0; j_ < V_PIPE_DEPTH_; j_++) {                    \
            bc_index at_ = k_ - (V_PIPE_DEPTH_ - j_) * BC_VW;           \
            if (at_ >= 0) {                                             \
                vstore_((y) + at_, FINISH(pn_[j_] / pd_[j_]));          \
            }                                                           \
        }                                                               \
        if (k_ < (n)) {                                                 \
            double tin_[BC_VW] __attribute__((aligned(BC_VBYTES))) = {0}; \
            double tout_[BC_VW] __attribute__((aligned(BC_VBYTES)));    \
            memcpy(tin_, (x) + k_, (size_t)((n) - k_) * sizeof(double)); \
            STAGE(tin_, k_, pn_[0], pd_[0]);                            \
            vstore_(tout_, FINISH(pn_[0] / pd_[0]));                    \
            memcpy((y) + k_, tout_, (size_t)((n) - k_) * sizeof(double)); \
        }                                                               \
    } while (0)

/* exprel_v's quotient: expm1(v) / v on the plain lanes; elsewhere the
 * whole of exprel_v over 1 (exact, NaN included). */
BC_ALWAYS_INLINE static inline void
exprel_parts_v(vd v, vd *num, vd *den)
{
    if (expm1_plain_v(v)) {
        *num = expm1_small_v(v);
        *den = v;
    } else {
        *num = exprel_v(v);
        *den = vsplat_(1.0);
    }
}

static void
V_(exprel_affine)(const double *x, double a, double b, double s, double *y,
                  bc_index n)
{
#define FINISH(q) ((q) * s)
    if (b == 0.0 && signbit(b)) {
        /* x a + (-0) is x a for every x a (signed zeros and NaN too):
         * the scaled form, EXPRELS, skips the addition */
#define STAGE(in, k, nu, de) exprel_parts_v(vload_(in) * a, &(nu), &(de))
        V_PIPELINED_(x, y, n, STAGE, FINISH);
#undef STAGE
        return;
    }
#define STAGE(in, k, nu, de) exprel_parts_v(AFFINE_V_(in), &(nu), &(de))
    V_PIPELINED_(x, y, n, STAGE, FINISH);
#undef STAGE
#undef FINISH
}

/* The numerator of vector k: num[0] everywhere, or num[k...] (through a
 * padded copy for the tail, like the argument). */
BC_ALWAYS_INLINE static inline vd
div_num_v(const double *num, int num_const, bc_index k, bc_index n)
{
    if (num_const) {
        return vsplat_(num[0]);
    }
    if (k + BC_VW <= n) {
        return vload_(num + k);
    }
    double t[BC_VW] __attribute__((aligned(BC_VBYTES))) = {0};
    memcpy(t, num + k, (size_t)(n - k) * sizeof(double));
    return vload_(t);
}

/* div_exp_affine's loops for one kind of numerator: called with a
 * constant num_const, so each kind gets loops of its own (no test of it
 * per vector). */
BC_ALWAYS_INLINE static inline void
div_exp_loops_v(const double *num, int num_const, const double *x, double a,
                double b, double s, int minus_one, double *y, bc_index n)
{
    /* s times the quotient, rounded again: MUL(s, quotient) bit for bit
     * (s = 1 leaves the quotient unchanged, so that multiplication is
     * skipped: the unscaled DIVEXPM1A of HH's rates). */
#define STAGE_1P(in, k, nu, de)                                         \
    do {                                                                \
        (nu) = div_num_v(num, num_const, k, n);                         \
        (de) = 1.0 + exp_v(AFFINE_V_(in));                              \
    } while (0)
#define STAGE_M1(in, k, nu, de)                                         \
    do {                                                                \
        (nu) = div_num_v(num, num_const, k, n);                         \
        (de) = expm1_v(AFFINE_V_(in));                                  \
    } while (0)
#define PLAIN(q) (q)
#define SCALED(q) (s * (q))
    if (minus_one && s == 1.0) {
        V_PIPELINED_(x, y, n, STAGE_M1, PLAIN);
    } else if (minus_one) {
        V_PIPELINED_(x, y, n, STAGE_M1, SCALED);
    } else {
        V_PIPELINED_(x, y, n, STAGE_1P, SCALED);
    }
#undef STAGE_1P
#undef STAGE_M1
#undef PLAIN
#undef SCALED
}

static void
V_(div_exp_affine)(const double *num, int num_const, const double *x,
                   double a, double b, double s, int minus_one, double *y,
                   bc_index n)
{
    if (num_const) {
        div_exp_loops_v(num, 1, x, a, b, s, minus_one, y, n);
    } else {
        div_exp_loops_v(num, 0, x, a, b, s, minus_one, y, n);
    }
}

static void
V_(log)(const double *x, double *y, bc_index n)
{
#define BODY(k, in, out) vstore_(out, log_v(vload_(in)))
    V_BLOCK_(x, y, n, BODY);
#undef BODY
}

static void
V_(sincos)(const double *x, double *y, bc_index n, int cos_wanted)
{
    if (cos_wanted) {
#define BODY(k, in, out) vstore_(out, sincos_v(vload_(in), 1))
        V_BLOCK_(x, y, n, BODY);
#undef BODY
    } else {
#define BODY(k, in, out) vstore_(out, sincos_v(vload_(in), 0))
        V_BLOCK_(x, y, n, BODY);
#undef BODY
    }
}

/* ---- Philox-4x32-10 and the transforms (rng_kernels.h) ---- */

/* The round keys and the fixed counter words as vectors, made once per
 * call (rebuilding them per vector would cost a broadcast per round). */
typedef struct philox_keys_v {
    vu k0[10], k1[10];
    vu w1, w2, w3;
} philox_keys_v;

BC_ALWAYS_INLINE static inline void
philox_keys_init_v(philox_keys_v *pk, const bc_rng_counter *ctr)
{
    for (uint32_t j = 0; j < 10; j++) {
        pk->k0[j] = usplat_((uint32_t)(ctr->key0 + j * BC_PHILOX_W0));
        pk->k1[j] = usplat_((uint32_t)(ctr->key1 + j * BC_PHILOX_W1));
    }
    pk->w1 = usplat_(ctr->w1);
    pk->w2 = usplat_(ctr->w2);
    pk->w3 = usplat_(ctr->w3);
}

/* Ten rounds on BC_VW counters (index words `index`).  The words live in
 * the low halves of the 64-bit lanes; the high halves collect garbage
 * (whole products), which umul32_ never reads and the xors keep in the
 * high halves, so only the results are masked. */
BC_ALWAYS_INLINE static inline void
philox_counters_v(vu c[4], vu index, const philox_keys_v *pk)
{
    vu c0 = index, c1 = pk->w1, c2 = pk->w2, c3 = pk->w3;
    const vu m0 = usplat_(BC_PHILOX_M0), m1 = usplat_(BC_PHILOX_M1);
    for (int j = 0; j < 10; j++) {
        vu p0 = umul32_(c0, m0);
        vu p1 = umul32_(c2, m1);
        c0 = (p1 >> 32) ^ c1 ^ pk->k0[j];
        c1 = p1;
        c2 = (p0 >> 32) ^ c3 ^ pk->k1[j];
        c3 = p0;
    }
    c[0] = c0 & BC_LOW32;
    c[1] = c1 & BC_LOW32;
    c[2] = c2 & BC_LOW32;
    c[3] = c3 & BC_LOW32;
}

/* The index words of counters k..k+BC_VW-1, shifted right by `shift`:
 * idx[k...] (n counters in all, zero past the end) or first + k, ...,
 * modulo 2^32. */
BC_ALWAYS_INLINE static inline vu
index_words_v(const bc_index *idx, uint64_t first, bc_index k, bc_index n,
              int shift)
{
    vu w = {0};
    if (idx == NULL) {
        for (int l = 0; l < BC_VW; l++) {
            w[l] = (uint64_t)l;
        }
        return ((w + (first + (uint64_t)k)) >> shift) & BC_LOW32;
    }
    for (int l = 0; l < BC_VW; l++) {
        w[l] = k + l < n ? (uint64_t)(uint32_t)idx[k + l] : 0;
    }
    return (w >> shift) & BC_LOW32;
}

static void
V_(philox_chunk)(bc_philox_chunk *ch, bc_index n, const bc_rng_counter *ctr)
{
    philox_keys_v pk;
    philox_keys_init_v(&pk, ctr);
    for (bc_index k = 0; k < n; k += BC_VW) {
        vu c[4];
        vu w = {0};
        for (int l = 0; l < BC_VW; l++) {
            w[l] = k + l < n ? ch->w[0][k + l] : 0;
        }
        philox_counters_v(c, w, &pk);
        for (int j = 0; j < 4; j++) {
            for (int l = 0; l < BC_VW && k + l < n; l++) {
                ch->w[j][k + l] = c[j][l];
            }
        }
    }
}

/* rng.c's uniform53 lane by lane. */
BC_ALWAYS_INLINE static inline vd
uniform53_v(vu lo, vu hi)
{
    vu k = (hi << 21) | (lo >> 11);
    vd u = (vd)(UINT64_C(0x3ff0000000000000) | (k >> 1)) - 1.0;
    u = u + vsel_(UNZ_(k & UINT64_C(1)), vsplat_(0x1p-53), vsplat_(0.0));
    return vsel_(VEQ_(k, usplat_(0)), vsplat_(0x1p-54), u);
}

static void
V_(uniforms)(const bc_index *idx, uint64_t first, bc_index n,
             const bc_rng_counter *ctr, double *out)
{
    philox_keys_v pk;
    philox_keys_init_v(&pk, ctr);
    bc_index k = 0;
    for (; k < n; k += BC_VW) {
        vu c[4];
        philox_counters_v(c, index_words_v(idx, first, k, n, 0), &pk);
        vd u = uniform53_v(c[0], c[1]);
        if (k + BC_VW <= n) {
            vstore_(out + k, u);
        } else {
            for (int l = 0; k + l < n; l++) {
                out[k + l] = u[l];
            }
        }
    }
}

/* Both uniforms of counters pair0 + j: out[2j] from words 0-1, out[2j +
 * 1] from words 2-3 (rng.c's pairs, in registers). */
static void
V_(uniform_pairs)(uint64_t pair0, bc_index n_pairs, const bc_rng_counter *ctr,
                  double *out)
{
    philox_keys_v pk;
    philox_keys_init_v(&pk, ctr);
    for (bc_index k = 0; k < n_pairs; k += BC_VW) {
        vu c[4];
        philox_counters_v(c, index_words_v(NULL, pair0, k, n_pairs, 0), &pk);
        vd lo = uniform53_v(c[0], c[1]), hi = uniform53_v(c[2], c[3]);
        double *o = out + 2 * k;
        if (n_pairs - k >= BC_VW) {     /* a constant count: unrolled */
            for (int l = 0; l < BC_VW; l++) {
                o[2 * l] = lo[l];
                o[2 * l + 1] = hi[l];
            }
            continue;
        }
        for (bc_index l = 0; l < n_pairs - k; l++) {
            o[2 * l] = lo[l];
            o[2 * l + 1] = hi[l];
        }
    }
}

/* out[k] = half idx[k] & 1 of the uniform pair of counter idx[k] >> 1. */
static void
V_(uniform_paired_indexed)(const bc_index *idx, bc_index n,
                           const bc_rng_counter *ctr, double *out)
{
    philox_keys_v pk;
    philox_keys_init_v(&pk, ctr);
    for (bc_index k = 0; k < n; k += BC_VW) {
        vu c[4];
        philox_counters_v(c, index_words_v(idx, 0, k, n, 1), &pk);
        vd lo = uniform53_v(c[0], c[1]), hi = uniform53_v(c[2], c[3]);
        bc_index len = n - k < BC_VW ? n - k : BC_VW;
        for (bc_index l = 0; l < len; l++) {
            out[k + l] = (idx[k + l] & 1) ? hi[l] : lo[l];
        }
    }
}

BC_ALWAYS_INLINE static inline vd
bm_uniform_v(vu w)
{
    return (vd)((w & BC_BM_MANT) | BC_BM_ONE) - BC_BM_HALF_BELOW_ONE;
}

BC_ALWAYS_INLINE static inline vd
bm_minus2log_v(vd u)
{
    vu ix = (vu)u;
    vu tmp = ix - UINT64_C(0x3fe8000000000000);
    vd m = (vd)(ix - (tmp & UINT64_C(0xfff0000000000000)));
    vd kd = (vd)(UINT64_C(0x4330000000000000)
                 | ((tmp >> 52) ^ UINT64_C(0x800)))
            - (0x1p52 + 2048.0);
    vd t = vfma_(m, vsplat_(16.0), vsplat_(BC_ROUND_SHIFT_));
    vu cell = (vu)t;
    vd r = vfma_(m, vlookup16_(bc_bm_invc_, cell), vsplat_(-1.0));
    vd r2 = r * r;
    vd q = vsplat_(bc_bm_q_[0]);
    for (int j = 1; j <= BC_BM_Q_DEG; j++) {
        q = vfma_(q, r, vsplat_(bc_bm_q_[j]));
    }
    vd lo = vfma_(r2, q, kd * BC_BM_L2LO);
    vd a = vfma_(r, vsplat_(-2.0), lo);
    vd hi = vfma_(kd, vsplat_(BC_BM_L2HI), vlookup16_(bc_bm_2loginvc_, cell));
    return hi + a;
}

/* bc_bm_pair_kernel on BC_VW counters' words. */
BC_ALWAYS_INLINE static inline void
bm_pair_v(const vu c[4], vd *z_even, vd *z_odd)
{
    vu w01 = (c[1] << 32) | c[0];
    vu w23 = (c[3] << 32) | c[2];
    vd radius = vsqrt_(bm_minus2log_v(bm_uniform_v(w01)));
    vd g = bm_uniform_v(w23);
    vd x = g * g;
    vd sp = vsplat_(bc_bm_s_[0]);
    for (int j = 1; j <= BC_BM_S_DEG; j++) {
        sp = vfma_(sp, x, vsplat_(bc_bm_s_[j]));
    }
    vd s = g * sp;
    vd cc = vsplat_(bc_bm_c_[0]);
    for (int j = 1; j <= BC_BM_C_DEG; j++) {
        cc = vfma_(cc, x, vsplat_(bc_bm_c_[j]));
    }
    vm swap = UNZ_(w23 & BC_BM_SWAP);
    vd ze = radius * vsel_(swap, s, cc);
    vd zo = radius * vsel_(swap, cc, s);
    *z_even = (vd)((vu)ze ^ (w01 & BC_BM_SIGN));
    *z_odd = (vd)((vu)zo ^ (w23 & BC_BM_SIGN));
}

static void
V_(normal_pairs)(uint64_t pair0, bc_index n_pairs, const bc_rng_counter *ctr,
                 double *out)
{
    philox_keys_v pk;
    philox_keys_init_v(&pk, ctr);
    for (bc_index k = 0; k < n_pairs; k += BC_VW) {
        vu c[4];
        vd ze, zo;
        philox_counters_v(c, index_words_v(NULL, pair0, k, n_pairs, 0), &pk);
        bm_pair_v(c, &ze, &zo);
        bc_index len = n_pairs - k < BC_VW ? n_pairs - k : BC_VW;
        for (bc_index l = 0; l < len; l++) {
            out[2 * (k + l)] = ze[l];
            out[2 * (k + l) + 1] = zo[l];
        }
    }
}

static void
V_(normal_indexed)(const bc_index *idx, bc_index n, const bc_rng_counter *ctr,
                   double *out)
{
    philox_keys_v pk;
    philox_keys_init_v(&pk, ctr);
    for (bc_index k = 0; k < n; k += BC_VW) {
        vu c[4];
        vd ze, zo;
        philox_counters_v(c, index_words_v(idx, 0, k, n, 1), &pk);
        bm_pair_v(c, &ze, &zo);
        bc_index len = n - k < BC_VW ? n - k : BC_VW;
        for (bc_index l = 0; l < len; l++) {
            out[k + l] = (idx[k + l] & 1) ? zo[l] : ze[l];
        }
    }
}

/* ---- the IIR cascade of filterbank.h and the DRNL of drnl.h ---- */

#include "viir.h"
#include "vdrnl.h"

const bc_kernels V_(bc_kernels) = {
    .name = BC_VNAME,
    .exp_affine = V_(exp_affine),
    .expm1_affine = V_(expm1_affine),
    .exprel_affine = V_(exprel_affine),
    .div_exp_affine = V_(div_exp_affine),
    .log = V_(log),
    .sincos = V_(sincos),
    .philox_chunk = V_(philox_chunk),
    .uniforms = V_(uniforms),
    .uniform_pairs = V_(uniform_pairs),
    .uniform_paired_indexed = V_(uniform_paired_indexed),
    .normal_pairs = V_(normal_pairs),
    .normal_indexed = V_(normal_indexed),
    .iir_cascade = V_(iir_cascade),
    .drnl = V_(drnl),
};

#endif
