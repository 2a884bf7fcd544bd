/* rng.c -- C core: Philox-4x32-10 and the uniform, normal and binomial
 * draws built on it.  Block loops are structure-of-arrays over the
 * counter's index word so gcc vectorises the whole cipher. */
#include "rng.h"

#include <math.h>

#include "vmath.h"

/* Philox-4x32 constants (Salmon et al. 2011): round multipliers and the
 * Weyl key increments. */
#define PHILOX_M0 UINT64_C(0xD2511F53)
#define PHILOX_M1 UINT64_C(0xCD9E8D57)
#define PHILOX_W0 UINT32_C(0x9E3779B9)
#define PHILOX_W1 UINT32_C(0xBB67AE85)
#define LOW32 UINT64_C(0xffffffff)

/* One round on four 32-bit words kept in 64-bit lanes (so the 32 x 32 ->
 * 64 products vectorise as vpmuludq): two products, their high halves
 * mixed with the other two words and the round key. */
BC_ALWAYS_INLINE static inline void
philox_round(uint64_t *c0, uint64_t *c1, uint64_t *c2, uint64_t *c3,
             uint32_t k0, uint32_t k1)
{
    uint64_t p0 = PHILOX_M0 * *c0;
    uint64_t p1 = PHILOX_M1 * *c2;
    *c0 = ((p1 >> 32) ^ *c1 ^ k0) & LOW32;
    *c1 = p1 & LOW32;
    *c2 = ((p0 >> 32) ^ *c3 ^ k1) & LOW32;
    *c3 = p0 & LOW32;
}

/* Ten rounds, the key bumped by the Weyl increments between rounds;
 * written out because gcc -O2 would keep a round loop, which blocks
 * vectorising the loop over counters. */
BC_ALWAYS_INLINE static inline void
philox10(uint64_t w[4], uint32_t k0, uint32_t k1)
{
    uint64_t c0 = w[0], c1 = w[1], c2 = w[2], c3 = w[3];
    philox_round(&c0, &c1, &c2, &c3, k0, k1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 1 * PHILOX_W0, k1 + 1 * PHILOX_W1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 2 * PHILOX_W0, k1 + 2 * PHILOX_W1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 3 * PHILOX_W0, k1 + 3 * PHILOX_W1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 4 * PHILOX_W0, k1 + 4 * PHILOX_W1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 5 * PHILOX_W0, k1 + 5 * PHILOX_W1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 6 * PHILOX_W0, k1 + 6 * PHILOX_W1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 7 * PHILOX_W0, k1 + 7 * PHILOX_W1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 8 * PHILOX_W0, k1 + 8 * PHILOX_W1);
    philox_round(&c0, &c1, &c2, &c3, k0 + 9 * PHILOX_W0, k1 + 9 * PHILOX_W1);
    w[0] = c0;
    w[1] = c1;
    w[2] = c2;
    w[3] = c3;
}

void
bc_rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2],
                  uint32_t out[4])
{
    uint64_t w[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
    philox10(w, key[0], key[1]);
    for (int j = 0; j < 4; j++) {
        out[j] = (uint32_t)w[j];
    }
}

/* The counter words other than the index (see rng.h). */
BC_ALWAYS_INLINE static inline void
pack_counter(uint64_t stream, bc_step step, uint32_t draw, uint64_t *w1,
             uint64_t *w2, uint64_t *w3)
{
    uint64_t ustep = (uint64_t)step;
    *w1 = stream & LOW32;
    *w2 = ustep & LOW32;
    *w3 = ((ustep >> 32) & UINT64_C(0xffff)) | ((uint64_t)draw << 16);
}

/* 53 random bits (hi:lo >> 11) as k 2^-53, with k = 0 mapped to 2^-54 so
 * the result is never 0.  Built from the bits, without an integer ->
 * double conversion (int64 conversions only vectorise with AVX-512DQ). */
BC_ALWAYS_INLINE static inline double
uniform53(uint64_t lo, uint64_t hi)
{
    uint64_t k = (hi << 21) | (lo >> 11);
    double u = bc_double_(UINT64_C(0x3ff0000000000000) | (k >> 1)) - 1.0;
    u = u + ((k & 1u) ? 0x1p-53 : 0.0);     /* exact: (2j + b) 2^-53 */
    return k == 0 ? 0x1p-54 : u;
}

BC_ALWAYS_INLINE static inline double
normal_from(const uint64_t w[4])
{
    double u1 = uniform53(w[0], w[1]);
    double u2 = uniform53(w[2], w[3]);
    /* -2 log u1 lies in [2^-52, 75]: the inline square root is accurate
     * there and, unlike sqrt(), vectorises under -fmath-errno. */
    return bc_sqrt_kernel(-2.0 * bc_log_kernel(u1)) * bc_cos2pi_kernel(u2);
}

double
bc_rng_uniform(uint64_t seed, uint64_t stream, bc_step step,
               uint64_t index)
{
    uint64_t w[4];
    pack_counter(stream, step, 0, &w[1], &w[2], &w[3]);
    w[0] = index & LOW32;
    philox10(w, (uint32_t)seed, (uint32_t)(seed >> 32));
    return uniform53(w[0], w[1]);
}

double
bc_rng_normal(uint64_t seed, uint64_t stream, bc_step step, uint64_t index)
{
    uint64_t w[4];
    pack_counter(stream, step, 0, &w[1], &w[2], &w[3]);
    w[0] = index & LOW32;
    philox10(w, (uint32_t)seed, (uint32_t)(seed >> 32));
    return normal_from(w);
}

BC_VECTOR_FN void
bc_rng_uniform_block(uint64_t seed, uint64_t stream, bc_step step,
                     uint64_t first, bc_index n, double *out)
{
    uint64_t w1, w2, w3;
    pack_counter(stream, step, 0, &w1, &w2, &w3);
    uint32_t key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
    for (bc_index k = 0; k < n; k++) {
        uint64_t w[4] = {(first + (uint64_t)k) & LOW32, w1, w2, w3};
        philox10(w, key0, key1);
        out[k] = uniform53(w[0], w[1]);
    }
}

BC_VECTOR_FN void
bc_rng_normal_block(uint64_t seed, uint64_t stream, bc_step step,
                    uint64_t first, bc_index n, double *out)
{
    uint64_t w1, w2, w3;
    pack_counter(stream, step, 0, &w1, &w2, &w3);
    uint32_t key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
    for (bc_index k = 0; k < n; k++) {
        uint64_t w[4] = {(first + (uint64_t)k) & LOW32, w1, w2, w3};
        philox10(w, key0, key1);
        out[k] = normal_from(w);
    }
}

BC_VECTOR_FN void
bc_rng_uniform_indexed(uint64_t seed, uint64_t stream, bc_step step,
                       const bc_index *idx, bc_index n, double *out)
{
    uint64_t w1, w2, w3;
    pack_counter(stream, step, 0, &w1, &w2, &w3);
    uint32_t key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
    for (bc_index k = 0; k < n; k++) {
        uint64_t w[4] = {(uint64_t)(uint32_t)idx[k], w1, w2, w3};
        philox10(w, key0, key1);
        out[k] = uniform53(w[0], w[1]);
    }
}

BC_VECTOR_FN void
bc_rng_normal_indexed(uint64_t seed, uint64_t stream, bc_step step,
                      const bc_index *idx, bc_index n, double *out)
{
    uint64_t w1, w2, w3;
    pack_counter(stream, step, 0, &w1, &w2, &w3);
    uint32_t key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
    for (bc_index k = 0; k < n; k++) {
        uint64_t w[4] = {(uint64_t)(uint32_t)idx[k], w1, w2, w3};
        philox10(w, key0, key1);
        out[k] = normal_from(w);
    }
}

/* ---- binomial ---- */

/* Both uniforms of counter `draw` of (stream, step, index). */
static void
uniform_pair(uint64_t seed, uint64_t stream, bc_step step, uint64_t index,
             uint32_t draw, double *u1, double *u2)
{
    uint64_t w[4];
    pack_counter(stream, step, draw, &w[1], &w[2], &w[3]);
    w[0] = index & LOW32;
    philox10(w, (uint32_t)seed, (uint32_t)(seed >> 32));
    *u1 = uniform53(w[0], w[1]);
    *u2 = uniform53(w[2], w[3]);
}

/* log(k!): a sum for small k, else Stirling's series for log Gamma(k+1)
 * (terms to x^-7; error < 1e-14 for k >= 15). */
static double
log_factorial(double k)
{
    if (k < 15.0) {
        double s = 0.0;
        for (double j = 2.0; j <= k; j += 1.0) {
            s += log(j);
        }
        return s;
    }
    double x = k + 1.0;
    double x2 = 1.0 / (x * x);
    double series = (1.0 / 12.0
                     - x2 * (1.0 / 360.0
                             - x2 * (1.0 / 1260.0 - x2 * (1.0 / 1680.0))))
                    / x;
    return (x - 0.5) * log(x) - x + 0.91893853320467274178 + series;
}

/* Inversion for a small mean: walk the pmf from 0 with the recurrence
 * P(k) = P(k-1) ((n + 1) p / q / k - p / q). */
static int64_t
binomial_inversion(double u, int64_t n, double p)
{
    double q = 1.0 - p;
    double ratio = p / q;
    double a = ((double)n + 1.0) * ratio;
    double pk = exp((double)n * log1p(-p));
    int64_t k = 0;
    while (u > pk && k < n) {
        u -= pk;
        k++;
        pk *= a / (double)k - ratio;
        if (!(pk > 0.0)) {
            break;      /* far tail underflowed: probability ~1e-300 */
        }
    }
    return k;
}

/* BTRS (Hoermann 1993) for n p >= 16, p <= 1/2. */
static int64_t
binomial_btrs(uint64_t seed, uint64_t stream, bc_step step,
              uint64_t index, int64_t n, double p)
{
    double nd = (double)n;
    double q = 1.0 - p;
    double spq = sqrt(nd * p * q);
    double b = 1.15 + 2.53 * spq;
    double a = -0.0873 + 0.0248 * b + 0.01 * p;
    double c = nd * p + 0.5;
    double v_r = 0.92 - 4.2 / b;
    double alpha = (2.83 + 5.1 / b) * spq;
    double lpq = log(p / q);
    double m = floor((nd + 1.0) * p);
    double h = log_factorial(m) + log_factorial(nd - m);
    /* 16 bits of draw numbers; each attempt accepts with probability >
     * 0.7, so running out never happens in practice. */
    for (uint32_t draw = 0; draw < 0xffffu; draw++) {
        double u, v;
        uniform_pair(seed, stream, step, index, draw, &u, &v);
        u -= 0.5;
        double us = 0.5 - fabs(u);
        double kd = floor((2.0 * a / us + b) * u + c);
        if (kd < 0.0 || kd > nd) {
            continue;
        }
        if (us >= 0.07 && v <= v_r) {
            return (int64_t)kd;
        }
        double lv = log(v * alpha / (a / (us * us) + b));
        if (lv <= h - log_factorial(kd) - log_factorial(nd - kd)
                      + (kd - m) * lpq) {
            return (int64_t)kd;
        }
    }
    return (int64_t)m;
}

int64_t
bc_rng_binomial(uint64_t seed, uint64_t stream, bc_step step,
                uint64_t index, int64_t n, double p)
{
    if (n <= 0 || !(p > 0.0)) {
        return 0;
    }
    if (p >= 1.0) {
        return n;
    }
    /* Draw the count of the rarer outcome. */
    int flip = p > 0.5;
    double pp = flip ? 1.0 - p : p;
    int64_t k;
    if ((double)n * pp < 16.0) {
        double u, unused;
        uniform_pair(seed, stream, step, index, 0, &u, &unused);
        k = binomial_inversion(u, n, pp);
    }
    else {
        k = binomial_btrs(seed, stream, step, index, n, pp);
    }
    return flip ? n - k : k;
}
