/* rng.c -- C core: Philox-4x32-10 and the uniform, normal and binomial
 * draws built on it.  Block loops are structure-of-arrays over the
 * counter's index word so gcc vectorises the whole cipher. */
#include "rng.h"

#include <math.h>
#include <string.h>

#include "kernels.h"
#include "rng_kernels.h"

void
bc_rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2],
                  uint32_t out[4])
{
    uint64_t w[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
    bc_philox10_(w, key[0], key[1]);
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
    *w1 = stream & BC_LOW32;
    *w2 = ustep & BC_LOW32;
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
    w[0] = index & BC_LOW32;
    bc_philox10_(w, (uint32_t)seed, (uint32_t)(seed >> 32));
    return uniform53(w[0], w[1]);
}

/* Through the block function: the vector kernels compute the same bits
 * as the inline ones, and faster. */
double
bc_rng_normal(uint64_t seed, uint64_t stream, bc_step step, uint64_t index)
{
    double z;
    bc_rng_normal_block(seed, stream, step, index, 1, &z);
    return z;
}

/* ---- block draws: per chunk of CHUNK counters, (1) the index words,
 * (2) the cipher over the chunk, (3) the conversion to doubles. ---- */

#define CHUNK BC_RNG_CHUNK
typedef bc_philox_chunk philox_chunk;

/* The counter words and key of (stream, step, draw). */
static bc_rng_counter
rng_counter(uint64_t seed, uint64_t stream, bc_step step, uint32_t draw)
{
    bc_rng_counter ctr;
    pack_counter(stream, step, draw, &ctr.w1, &ctr.w2, &ctr.w3);
    ctr.key0 = (uint32_t)seed;
    ctr.key1 = (uint32_t)(seed >> 32);
    return ctr;
}

/* Cipher over ch->w[0][0..n) as index words, for (stream, step, draw). */
static void
philox_chunk_run(philox_chunk *ch, bc_index n, uint64_t seed,
                 uint64_t stream, bc_step step, uint32_t draw)
{
    bc_rng_counter ctr = rng_counter(seed, stream, step, draw);
    bc_kernels_active()->philox_chunk(ch, n, &ctr);
}

/* The index word of counter k of a chunk. */
static void
fill_indices(philox_chunk *ch, bc_index len, uint64_t first,
             const bc_index *idx)
{
    for (bc_index k = 0; k < len; k++) {
        ch->w[0][k] = idx != NULL ? (uint64_t)(uint32_t)idx[k]
                                  : (first + (uint64_t)k) & BC_LOW32;
    }
}

static void
draw_uniforms(uint64_t seed, uint64_t stream, bc_step step, uint64_t first,
              const bc_index *idx, bc_index n, double *out)
{
    bc_rng_counter ctr = rng_counter(seed, stream, step, 0);
    bc_kernels_active()->uniforms(idx, first, n, &ctr, out);
}

#define PAIR_DRAW 2u

void
bc_rng_uniform_pairs(uint64_t seed, uint64_t stream, bc_step step,
                     uint64_t first, bc_index n, double *out)
{
    bc_rng_counter ctr = rng_counter(seed, stream, step, PAIR_DRAW);
    bc_index full = n / 2;
    if (full > 0) {
        bc_kernels_active()->uniform_pairs(first, full, &ctr, out);
    }
    if (n % 2) {                /* the last counter's first half */
        double edge[2];
        bc_kernels_active()->uniform_pairs(first + (uint64_t)full, 1, &ctr,
                                           edge);
        out[n - 1] = edge[0];
    }
}

/* ---- paired uniforms: value k is half k & 1 of pair counter k >> 1
 * (draw 2), the value bc_rng_uniform_pairs writes at out[k] for first =
 * 0: one cipher call per two values on consecutive indices. ---- */

double
bc_rng_uniform_paired(uint64_t seed, uint64_t stream, bc_step step,
                      uint64_t index)
{
    uint64_t w[4];
    pack_counter(stream, step, PAIR_DRAW, &w[1], &w[2], &w[3]);
    w[0] = (index >> 1) & BC_LOW32;
    bc_philox10_(w, (uint32_t)seed, (uint32_t)(seed >> 32));
    return (index & 1u) ? uniform53(w[2], w[3]) : uniform53(w[0], w[1]);
}

/* Fills out[2j], out[2j + 1] with the two values of pair counter pair0 +
 * j, j < n_pairs (one draw's pairs: paired uniforms or normals). */
typedef void pair_fill(uint64_t seed, uint64_t stream, bc_step step,
                       uint64_t pair0, bc_index n_pairs, double *out);

/* Values [first, first + n) of a paired draw (value k: half k & 1 of pair
 * k >> 1): whole pairs straight into out, a half pair at either end
 * through a two-value buffer. */
static void
paired_block(pair_fill *fill, uint64_t seed, uint64_t stream, bc_step step,
             uint64_t first, bc_index n, double *out)
{
    double edge[2];
    uint64_t pair = first >> 1;
    bc_index done = 0;
    if (n > 0 && (first & 1u)) {
        fill(seed, stream, step, pair, 1, edge);
        out[0] = edge[1];
        done = 1;
        pair++;
    }
    bc_index full = (n - done) / 2;
    if (full > 0) {
        fill(seed, stream, step, pair, full, out + done);
        done += 2 * full;
    }
    if (done < n) {
        fill(seed, stream, step, pair + (uint64_t)full, 1, edge);
        out[done] = edge[0];
    }
}

static void
uniform_pairs(uint64_t seed, uint64_t stream, bc_step step, uint64_t pair0,
              bc_index n_pairs, double *out)
{
    bc_rng_counter ctr = rng_counter(seed, stream, step, PAIR_DRAW);
    bc_kernels_active()->uniform_pairs(pair0, n_pairs, &ctr, out);
}

void
bc_rng_uniform_paired_block(uint64_t seed, uint64_t stream, bc_step step,
                            uint64_t first, bc_index n, double *out)
{
    paired_block(uniform_pairs, seed, stream, step, first, n, out);
}

/* Whether idx[0..n) is idx[0], idx[0] + 1, ...: then the block draw
 * serves it (half the cipher calls). */
static int
consecutive(const bc_index *idx, bc_index n)
{
    for (bc_index k = 1; k < n; k++) {
        if (idx[k] != idx[0] + k) {
            return 0;
        }
    }
    return 1;
}

void
bc_rng_uniform_paired_indexed(uint64_t seed, uint64_t stream, bc_step step,
                              const bc_index *idx, bc_index n, double *out)
{
    if (n > 0 && consecutive(idx, n)) {
        bc_rng_uniform_paired_block(seed, stream, step, (uint64_t)idx[0], n,
                                    out);
        return;
    }
    bc_rng_counter ctr = rng_counter(seed, stream, step, PAIR_DRAW);
    bc_kernels_active()->uniform_paired_indexed(idx, n, &ctr, out);
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

void
bc_rng_words_at(uint64_t seed, uint64_t stream, bc_step step,
                const uint32_t *idx, bc_index n_counters, uint32_t *out)
{
    philox_chunk ch;
    for (bc_index done = 0; done < n_counters; done += CHUNK) {
        bc_index len = n_counters - done < CHUNK ? n_counters - done : CHUNK;
        for (bc_index k = 0; k < len; k++) {
            ch.w[0][k] = idx[done + k];
        }
        philox_chunk_run(&ch, len, seed, stream, step, WORDS_DRAW);
        chunk_to_words(&ch, len, out + 4 * (size_t)done);
    }
}

/* ---- normals ----
 * Box-Muller pairs: neuron i takes the first (even i) or the second (odd
 * i) normal of pair i / 2, drawn from counter (i / 2, draw 1), so one
 * cipher call, log and square root serve two neurons, and a draw still
 * depends on (seed, stream, step, i) alone.  The transform is
 * bc_bm_pair_kernel (rng_kernels.h). */
#define NORMAL_DRAW 1u

/* out[2j] and out[2j + 1]: the pair of counter pair0 + j, j < n_pairs. */
static void
normal_pairs(uint64_t seed, uint64_t stream, bc_step step, uint64_t pair0,
             bc_index n_pairs, double *out)
{
    bc_rng_counter ctr = rng_counter(seed, stream, step, NORMAL_DRAW);
    bc_kernels_active()->normal_pairs(pair0, n_pairs, &ctr, out);
}

/* Scattered neurons: one pair each, keeping the right half. */
static void
normal_indexed(uint64_t seed, uint64_t stream, bc_step step,
               const bc_index *idx, bc_index n, double *out)
{
    bc_rng_counter ctr = rng_counter(seed, stream, step, NORMAL_DRAW);
    bc_kernels_active()->normal_indexed(idx, n, &ctr, out);
}

void
bc_rng_uniform_block(uint64_t seed, uint64_t stream, bc_step step,
                     uint64_t first, bc_index n, double *out)
{
    draw_uniforms(seed, stream, step, first, NULL, n, out);
}

/* The normals [first, first + n): neuron k takes half k & 1 of pair k >> 1. */
void
bc_rng_normal_block(uint64_t seed, uint64_t stream, bc_step step,
                    uint64_t first, bc_index n, double *out)
{
    paired_block(normal_pairs, seed, stream, step, first, n, out);
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
    normal_indexed(seed, stream, step, idx, n, out);
}

/* ---- binomial ---- */

/* Both uniforms of counter `draw` of (stream, step, index). */
static void
uniform_pair(uint64_t seed, uint64_t stream, bc_step step, uint64_t index,
             uint32_t draw, double *u1, double *u2)
{
    uint64_t w[4];
    pack_counter(stream, step, draw, &w[1], &w[2], &w[3]);
    w[0] = index & BC_LOW32;
    bc_philox10_(w, (uint32_t)seed, (uint32_t)(seed >> 32));
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
