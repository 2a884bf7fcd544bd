/* rng.c -- C core: Philox-4x32-10 and the uniform, normal and binomial
 * draws built on it.  Block loops are structure-of-arrays over the
 * counter's index word so gcc vectorises the whole cipher. */
#include "rng.h"

#include <math.h>
#include <string.h>

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

/* Through the block function: its clone has hardware FMA (the inline
 * kernels' fma() is a libm call in baseline code); same bits either way. */
double
bc_rng_normal(uint64_t seed, uint64_t stream, bc_step step, uint64_t index)
{
    double z;
    bc_rng_normal_block(seed, stream, step, index, 1, &z);
    return z;
}

/* ---- block draws: per chunk of CHUNK counters, (1) the index words,
 * (2) the cipher over the chunk, (3) the conversion to doubles. ---- */

#define CHUNK 256

/* Words of CHUNK counters, structure of arrays, 64-bit lanes. */
typedef struct philox_chunk {
    uint64_t w[4][CHUNK];
} philox_chunk;

/* Portable cipher pass (auto-vectorised; gcc cannot see that the 64-bit
 * products are 32 x 32, so the AVX-512 version below is faster). */
BC_VECTOR_FN static void
philox_chunk_generic(philox_chunk *ch, bc_index n, uint64_t w1, uint64_t w2,
                     uint64_t w3, uint32_t key0, uint32_t key1)
{
    for (bc_index k = 0; k < n; k++) {
        uint64_t w[4] = {ch->w[0][k], w1, w2, w3};
        philox10(w, key0, key1);
        ch->w[0][k] = w[0];
        ch->w[1][k] = w[1];
        ch->w[2][k] = w[2];
        ch->w[3][k] = w[3];
    }
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) \
    && !defined(BC_NO_CLONES)
#include <immintrin.h>
#define HAVE_PHILOX_AVX512 1

/* The same cipher, eight counters per zmm register, vpmuludq for the
 * 32 x 32 -> 64 products; two registers interleaved because one round is
 * a chain of dependent instructions.  Processes whole groups of 16: the
 * chunk arrays are CHUNK long (a multiple of 16), so lanes past n compute
 * harmless garbage. */
__attribute__((target("avx512f"))) static void
philox_chunk_avx512(philox_chunk *ch, bc_index n, uint64_t w1, uint64_t w2,
                    uint64_t w3, uint32_t key0, uint32_t key1)
{
    const __m512i m0 = _mm512_set1_epi64((long long)PHILOX_M0);
    const __m512i m1 = _mm512_set1_epi64((long long)PHILOX_M1);
    const __m512i low = _mm512_set1_epi64((long long)LOW32);
    __m512i rk0[10], rk1[10];
    for (int round = 0; round < 10; round++) {
        rk0[round] = _mm512_set1_epi64(
            (long long)(uint32_t)(key0 + (uint32_t)round * PHILOX_W0));
        rk1[round] = _mm512_set1_epi64(
            (long long)(uint32_t)(key1 + (uint32_t)round * PHILOX_W1));
    }
    for (bc_index k = 0; k < n; k += 16) {
        __m512i a0 = _mm512_loadu_si512((const void *)&ch->w[0][k]);
        __m512i b0 = _mm512_loadu_si512((const void *)&ch->w[0][k + 8]);
        __m512i a1 = _mm512_set1_epi64((long long)w1), b1 = a1;
        __m512i a2 = _mm512_set1_epi64((long long)w2), b2 = a2;
        __m512i a3 = _mm512_set1_epi64((long long)w3), b3 = a3;
        for (int round = 0; round < 10; round++) {
            __m512i pa0 = _mm512_mul_epu32(a0, m0);
            __m512i pb0 = _mm512_mul_epu32(b0, m0);
            __m512i pa1 = _mm512_mul_epu32(a2, m1);
            __m512i pb1 = _mm512_mul_epu32(b2, m1);
            a0 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(pa1, 32),
                                                   a1), rk0[round]);
            b0 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(pb1, 32),
                                                   b1), rk0[round]);
            a1 = _mm512_and_si512(pa1, low);
            b1 = _mm512_and_si512(pb1, low);
            a2 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(pa0, 32),
                                                   a3), rk1[round]);
            b2 = _mm512_xor_si512(_mm512_xor_si512(_mm512_srli_epi64(pb0, 32),
                                                   b3), rk1[round]);
            a3 = _mm512_and_si512(pa0, low);
            b3 = _mm512_and_si512(pb0, low);
        }
        _mm512_storeu_si512((void *)&ch->w[0][k], a0);
        _mm512_storeu_si512((void *)&ch->w[0][k + 8], b0);
        _mm512_storeu_si512((void *)&ch->w[1][k], a1);
        _mm512_storeu_si512((void *)&ch->w[1][k + 8], b1);
        _mm512_storeu_si512((void *)&ch->w[2][k], a2);
        _mm512_storeu_si512((void *)&ch->w[2][k + 8], b2);
        _mm512_storeu_si512((void *)&ch->w[3][k], a3);
        _mm512_storeu_si512((void *)&ch->w[3][k + 8], b3);
    }
}
#endif

/* Cipher over ch->w[0][0..n) as index words, for (stream, step, draw). */
static void
philox_chunk_run(philox_chunk *ch, bc_index n, uint64_t seed,
                 uint64_t stream, bc_step step, uint32_t draw)
{
    uint64_t w1, w2, w3;
    pack_counter(stream, step, draw, &w1, &w2, &w3);
    uint32_t key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
#ifdef HAVE_PHILOX_AVX512
    if (__builtin_cpu_supports("avx512f")) {
        for (bc_index k = n; k < ((n + 15) & ~15); k++) {
            ch->w[0][k] = 0;    /* defined input for the padding lanes */
        }
        philox_chunk_avx512(ch, n, w1, w2, w3, key0, key1);
        return;
    }
#endif
    philox_chunk_generic(ch, n, w1, w2, w3, key0, key1);
}

BC_VECTOR_FN static void
chunk_to_uniform(const philox_chunk *ch, bc_index n, double *out)
{
    for (bc_index k = 0; k < n; k++) {
        out[k] = uniform53(ch->w[0][k], ch->w[1][k]);
    }
}

/* Normals come in Box-Muller pairs: neuron i takes the cosine (even i) or
 * the sine (odd i) of pair i / 2, drawn from counter (i / 2, draw 1), so
 * one cipher call, log and square root serve two neurons, and a draw
 * still depends on (seed, stream, step, i) alone. */
#define NORMAL_DRAW 1u

BC_VECTOR_FN static void
chunk_to_normal_pairs(const philox_chunk *ch, bc_index n_pairs, double *out)
{
    for (bc_index k = 0; k < n_pairs; k++) {
        double u1 = uniform53(ch->w[0][k], ch->w[1][k]);
        double u2 = uniform53(ch->w[2][k], ch->w[3][k]);
        double radius = bc_sqrt_kernel(-2.0 * bc_log_kernel(u1));
        double s, c;
        bc_sincos2pi_kernel(u2, &s, &c);
        out[2 * k] = radius * c;
        out[2 * k + 1] = radius * s;
    }
}

/* The index word of counter k of a chunk. */
static void
fill_indices(philox_chunk *ch, bc_index len, uint64_t first,
             const bc_index *idx)
{
    for (bc_index k = 0; k < len; k++) {
        ch->w[0][k] = idx != NULL ? (uint64_t)(uint32_t)idx[k]
                                  : (first + (uint64_t)k) & LOW32;
    }
}

static void
draw_uniforms(uint64_t seed, uint64_t stream, bc_step step, uint64_t first,
              const bc_index *idx, bc_index n, double *out)
{
    philox_chunk ch;
    for (bc_index done = 0; done < n; done += CHUNK) {
        bc_index len = n - done < CHUNK ? n - done : CHUNK;
        fill_indices(&ch, len, first + (uint64_t)done,
                     idx != NULL ? idx + done : NULL);
        philox_chunk_run(&ch, len, seed, stream, step, 0);
        chunk_to_uniform(&ch, len, out + done);
    }
}

/* Both uniforms of each counter: words 0-1 and words 2-3. */
BC_VECTOR_FN static void
chunk_to_uniform_pairs(const philox_chunk *ch, bc_index n_pairs, double *out)
{
    for (bc_index k = 0; k < n_pairs; k++) {
        out[2 * k] = uniform53(ch->w[0][k], ch->w[1][k]);
        out[2 * k + 1] = uniform53(ch->w[2][k], ch->w[3][k]);
    }
}

#define PAIR_DRAW 2u

void
bc_rng_uniform_pairs(uint64_t seed, uint64_t stream, bc_step step,
                     uint64_t first, bc_index n, double *out)
{
    philox_chunk ch;
    double pairs[2 * CHUNK];
    for (bc_index done = 0; done < n; done += 2 * CHUNK) {
        bc_index values = n - done < 2 * CHUNK ? n - done : 2 * CHUNK;
        bc_index len = (values + 1) / 2;
        fill_indices(&ch, len, first + (uint64_t)(done / 2), NULL);
        philox_chunk_run(&ch, len, seed, stream, step, PAIR_DRAW);
        chunk_to_uniform_pairs(&ch, len, pairs);
        memcpy(out + done, pairs, (size_t)values * sizeof(double));
    }
}

/* Raw words for integer sampling. */
#define WORDS_DRAW 3u

BC_VECTOR_FN static void
chunk_to_words(const philox_chunk *ch, bc_index len, uint32_t *out)
{
    for (bc_index k = 0; k < len; k++) {
        out[4 * k] = (uint32_t)ch->w[0][k];
        out[4 * k + 1] = (uint32_t)ch->w[1][k];
        out[4 * k + 2] = (uint32_t)ch->w[2][k];
        out[4 * k + 3] = (uint32_t)ch->w[3][k];
    }
}

void
bc_rng_words(uint64_t seed, uint64_t stream, bc_step step, uint64_t first,
             bc_index n_counters, uint32_t *out)
{
    philox_chunk ch;
    for (bc_index done = 0; done < n_counters; done += CHUNK) {
        bc_index len = n_counters - done < CHUNK ? n_counters - done : CHUNK;
        fill_indices(&ch, len, first + (uint64_t)done, NULL);
        philox_chunk_run(&ch, len, seed, stream, step, WORDS_DRAW);
        chunk_to_words(&ch, len, out + 4 * (size_t)done);
    }
}

static void
draw_normals(uint64_t seed, uint64_t stream, bc_step step, uint64_t first,
             const bc_index *idx, bc_index n, double *out)
{
    philox_chunk ch;
    double pairs[2 * CHUNK];
    if (idx != NULL) {
        /* Scattered neurons: one pair each, keeping the right half. */
        for (bc_index done = 0; done < n; done += CHUNK) {
            bc_index len = n - done < CHUNK ? n - done : CHUNK;
            for (bc_index k = 0; k < len; k++) {
                ch.w[0][k] = ((uint64_t)(uint32_t)idx[done + k] >> 1);
            }
            philox_chunk_run(&ch, len, seed, stream, step, NORMAL_DRAW);
            chunk_to_normal_pairs(&ch, len, pairs);
            for (bc_index k = 0; k < len; k++) {
                out[done + k] = pairs[2 * k + (idx[done + k] & 1)];
            }
        }
        return;
    }
    /* A contiguous range: the pairs covering [first, first + n). */
    uint64_t pair0 = first >> 1, skip = first & 1u;
    uint64_t n_pairs = (skip + (uint64_t)n + 1) >> 1;
    bc_index written = 0;
    for (uint64_t done = 0; done < n_pairs; done += CHUNK) {
        bc_index len = n_pairs - done < CHUNK ? (bc_index)(n_pairs - done)
                                              : CHUNK;
        fill_indices(&ch, len, pair0 + done, NULL);
        philox_chunk_run(&ch, len, seed, stream, step, NORMAL_DRAW);
        chunk_to_normal_pairs(&ch, len, pairs);
        bc_index from = done == 0 ? (bc_index)skip : 0;
        bc_index count = 2 * len - from;
        if (count > n - written) {
            count = n - written;
        }
        memcpy(out + written, pairs + from, (size_t)count * sizeof(double));
        written += count;
    }
}

void
bc_rng_uniform_block(uint64_t seed, uint64_t stream, bc_step step,
                     uint64_t first, bc_index n, double *out)
{
    draw_uniforms(seed, stream, step, first, NULL, n, out);
}

void
bc_rng_normal_block(uint64_t seed, uint64_t stream, bc_step step,
                    uint64_t first, bc_index n, double *out)
{
    draw_normals(seed, stream, step, first, NULL, n, out);
}

void
bc_rng_uniform_indexed(uint64_t seed, uint64_t stream, bc_step step,
                       const bc_index *idx, bc_index n, double *out)
{
    draw_uniforms(seed, stream, step, 0, idx, n, out);
}

void
bc_rng_normal_indexed(uint64_t seed, uint64_t stream, bc_step step,
                      const bc_index *idx, bc_index n, double *out)
{
    draw_normals(seed, stream, step, 0, idx, n, out);
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

void
bc_binomial_init(bc_binomial *b, int64_t n, double p)
{
    memset(b, 0, sizeof(*b));
    b->n = n;
    if (n <= 0 || !(p > 0.0)) {
        b->kind = 0;
        return;
    }
    if (p >= 1.0) {
        b->kind = 1;
        return;
    }
    /* Draw the count of the rarer outcome. */
    b->flip = p > 0.5;
    double pp = b->flip ? 1.0 - p : p;
    double nd = (double)n;
    double q = 1.0 - pp;
    b->p = pp;
    if (nd * pp < 16.0) {
        /* Inversion: P(k) = P(k-1) ((n + 1) p / q / k - p / q). */
        b->kind = 2;
        b->ratio = pp / q;
        b->a_inv = (nd + 1.0) * b->ratio;
        b->p0 = exp(nd * log1p(-pp));
        return;
    }
    /* BTRS (Hoermann 1993) for n p >= 16, p <= 1/2. */
    b->kind = 3;
    b->spq = sqrt(nd * pp * q);
    b->b = 1.15 + 2.53 * b->spq;
    b->a = -0.0873 + 0.0248 * b->b + 0.01 * pp;
    b->c = nd * pp + 0.5;
    b->v_r = 0.92 - 4.2 / b->b;
    b->alpha = (2.83 + 5.1 / b->b) * b->spq;
    b->lpq = log(pp / q);
    b->m = floor((nd + 1.0) * pp);
    b->h = log_factorial(b->m) + log_factorial(nd - b->m);
}

/* Inversion for a small mean: walk the pmf from 0. */
static int64_t
binomial_inversion(const bc_binomial *b, double u)
{
    double pk = b->p0;
    int64_t k = 0;
    while (u > pk && k < b->n) {
        u -= pk;
        k++;
        pk *= b->a_inv / (double)k - b->ratio;
        if (!(pk > 0.0)) {
            break;      /* far tail underflowed: probability ~1e-300 */
        }
    }
    return k;
}

static int64_t
binomial_btrs(const bc_binomial *bn, uint64_t seed, uint64_t stream,
              bc_step step, uint64_t index)
{
    double nd = (double)bn->n;
    double a = bn->a, b = bn->b, c = bn->c;
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
        if (us >= 0.07 && v <= bn->v_r) {
            return (int64_t)kd;
        }
        double lv = log(v * bn->alpha / (a / (us * us) + b));
        if (lv <= bn->h - log_factorial(kd) - log_factorial(nd - kd)
                      + (kd - bn->m) * bn->lpq) {
            return (int64_t)kd;
        }
    }
    return (int64_t)bn->m;
}

int64_t
bc_binomial_draw(const bc_binomial *b, uint64_t seed, uint64_t stream,
                 bc_step step, uint64_t index)
{
    int64_t k;
    switch (b->kind) {
    case 0:
        return 0;
    case 1:
        return b->n;
    case 2: {
        double u, unused;
        uniform_pair(seed, stream, step, index, 0, &u, &unused);
        k = binomial_inversion(b, u);
        break;
    }
    default:
        k = binomial_btrs(b, seed, stream, step, index);
        break;
    }
    return b->flip ? b->n - k : k;
}

int64_t
bc_rng_binomial(uint64_t seed, uint64_t stream, bc_step step,
                uint64_t index, int64_t n, double p)
{
    bc_binomial b;
    bc_binomial_init(&b, n, p);
    return bc_binomial_draw(&b, seed, stream, step, index);
}
