/* bernoulli_skips.h -- C core: which of n independent Bernoulli(p) trials
 * succeed, drawn at the cost of the successes (geometric gaps between
 * them) instead of one uniform per trial: Poisson sources whose neurons
 * share one rate. */
#ifndef BC_BERNOULLI_SKIPS_H
#define BC_BERNOULLI_SKIPS_H

#include "types.h"

/* Below this success probability the gaps are cheaper than one uniform
 * per trial (one gap costs about as much as 10 uniforms). */
#define BC_SKIPS_MAX_P 0.05

/* Writes the successful trials of 0..n-1, ascending, into out (room for
 * n) and returns their count.  Each trial succeeds independently with
 * probability p (p <= 0 or NaN: none, p >= 1: all), exactly up to double
 * rounding in the gaps: gap = floor(log(u) / log(1 - p)) failures before
 * each success, u uniform in (0, 1).  The draws are a pure function of
 * (seed, stream, step): gap j takes uniform j of counter draw 2 (rng.h's
 * uniform pairs) of (stream, step), so the result does not depend on
 * threads or on earlier steps. */
bc_index bc_bernoulli_skips(uint64_t seed, uint64_t stream, bc_step step,
                            bc_index n, double p, bc_index *out);

#endif
