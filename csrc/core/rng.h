/* rng.h -- C core: the counter-based random generator (Philox-4x32-10).
 * A draw is a pure function of (seed, stream, step, index): nothing is
 * stored between draws, so results never depend on block sizes or on how
 * many threads share the work. */
#ifndef BC_RNG_H
#define BC_RNG_H

#include "types.h"

/* The raw bijection: out = Philox-4x32-10(ctr, key), as published by
 * Salmon et al. (SC'11); checked against their known-answer vectors. */
void bc_rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2],
                       uint32_t out[4]);

/* How a draw's counter is packed.  key = seed (low word, high word);
 * counter words: index bits 0-31, stream bits 0-31, step bits 0-31, and
 * step bits 32-47 | draw << 16.  Distinct (stream < 2^32, 0 <= step <
 * 2^48, index < 2^32) never share a counter; higher bits are ignored.
 * `draw` tells draws of one (stream, step, index) apart: 0 uniform, 1
 * normal pairs, 2 uniform pairs, 3 raw words; a binomial draw takes 0, 1,
 * 2, ... as it needs (callers give it an index nobody else uses). */
#define BC_RNG_STREAM_BITS 32
#define BC_RNG_STEP_BITS 48

/* Uniform in the open interval (0, 1): k 2^-53 for the 53-bit integer k
 * from the first two output words (k = 0 gives 2^-54). */
double bc_rng_uniform(uint64_t seed, uint64_t stream, bc_step step,
                      uint64_t index);

/* out[k] for k < n: the two uniforms (as bc_rng_uniform draws them, but
 * from counter draw number 2) of counters first, first + 1, ..., each
 * counter giving out[2j] and out[2j + 1]: half the cipher calls of
 * bc_rng_uniform_block, for consumers of long uniform streams. */
void bc_rng_uniform_pairs(uint64_t seed, uint64_t stream, bc_step step,
                          uint64_t first, bc_index n, double *out);

/* Paired uniforms (the VM's rand()): value k is the first (k even) or
 * the second (k odd) uniform of counter k / 2 of bc_rng_uniform_pairs, so
 * values on consecutive indices cost one cipher call per two and a value
 * still depends on (seed, stream, step, k) alone. */
double bc_rng_uniform_paired(uint64_t seed, uint64_t stream, bc_step step,
                             uint64_t index);

/* out[k] = bc_rng_uniform_paired(seed, stream, step, first + k), k < n. */
void bc_rng_uniform_paired_block(uint64_t seed, uint64_t stream,
                                 bc_step step, uint64_t first, bc_index n,
                                 double *out);

/* out[k] = bc_rng_uniform_paired(seed, stream, step, idx[k]), k < n
 * (idx >= 0); consecutive indices take the block draw. */
void bc_rng_uniform_paired_indexed(uint64_t seed, uint64_t stream,
                                   bc_step step, const bc_index *idx,
                                   bc_index n, double *out);

/* out[4j + w] = output word w of counter (first + j, draw 3), j <
 * n_counters: raw 32-bit words for integer sampling (random connection
 * rows), vectorised like the block draws. */
void bc_rng_words(uint64_t seed, uint64_t stream, bc_step step,
                  uint64_t first, bc_index n_counters, uint32_t *out);

/* The same for counters idx[0], idx[1], ... (j < n_counters): the words
 * of scattered runs of counters in one call. */
void bc_rng_words_at(uint64_t seed, uint64_t stream, bc_step step,
                     const uint32_t *idx, bc_index n_counters,
                     uint32_t *out);

/* Standard normal: Box-Muller, sqrt(-2 log u1) cos(2 pi u2), u1 from the
 * first two output words, u2 from the last two (53 bits each); one normal
 * per counter.  |z| < 8.7 always. */
double bc_rng_normal(uint64_t seed, uint64_t stream, bc_step step,
                     uint64_t index);

/* out[k] = bc_rng_uniform(seed, stream, step, first + k), k < n;
 * vectorised, bit-identical to the scalar draw. */
void bc_rng_uniform_block(uint64_t seed, uint64_t stream, bc_step step,
                          uint64_t first, bc_index n, double *out);

/* out[k] = bc_rng_normal(seed, stream, step, first + k), k < n. */
void bc_rng_normal_block(uint64_t seed, uint64_t stream, bc_step step,
                         uint64_t first, bc_index n, double *out);

/* out[k] = bc_rng_uniform(seed, stream, step, idx[k]), k < n (idx >= 0). */
void bc_rng_uniform_indexed(uint64_t seed, uint64_t stream, bc_step step,
                            const bc_index *idx, bc_index n, double *out);

/* out[k] = bc_rng_normal(seed, stream, step, idx[k]), k < n. */
void bc_rng_normal_indexed(uint64_t seed, uint64_t stream, bc_step step,
                           const bc_index *idx, bc_index n, double *out);

/* Binomial(n, p) draw, exact in distribution (up to double rounding), a
 * pure function of (seed, stream, step, index) like the others: it uses
 * the counters with draw = 0, 1, 2, ... of that (stream, step, index).
 * Small means (min(p, 1-p) n < 16) invert the CDF with one uniform;
 * larger ones use Hoermann's transformed rejection (BTRS, 1993), about
 * 1.2 counters per draw.  n <= 0 or p <= 0 give 0, p >= 1 gives n; a NaN
 * p gives 0 (callers validate p). */
int64_t bc_rng_binomial(uint64_t seed, uint64_t stream, bc_step step,
                        uint64_t index, int64_t n, double p);

/* The same draw with its (n, p) constants computed once, for many draws
 * of one distribution: bc_binomial_draw(b, ...) after bc_binomial_init(b,
 * n, p) equals bc_rng_binomial(..., n, p) bit for bit. */
typedef struct bc_binomial {
    int64_t n;
    int kind;               /* 0: always 0, 1: always n, 2: inversion,
                               3: BTRS */
    int flip;               /* draws the count of the failures */
    double p;               /* min(p, 1 - p) */
    double ratio, a_inv, p0;                /* inversion */
    double spq, b, a, c, v_r, alpha, lpq, m, h;   /* BTRS */
} bc_binomial;

void bc_binomial_init(bc_binomial *b, int64_t n, double p);
int64_t bc_binomial_draw(const bc_binomial *b, uint64_t seed,
                         uint64_t stream, bc_step step, uint64_t index);

#endif
