/* bernoulli_skips.c -- C core: successes of n Bernoulli(p) trials from
 * geometric gaps, a batch of uniforms at a time. */
#include "bernoulli_skips.h"

#include <math.h>

#include "rng.h"
#include "vmath.h"

/* Gaps drawn per batch: the uniforms and their logs run as vector
 * blocks; a step with few successes wastes at most one batch. */
#define GAP_BATCH 64

bc_index
bc_bernoulli_skips(uint64_t seed, uint64_t stream, bc_step step,
                   bc_index n, double p, bc_index *out)
{
    if (n <= 0 || !(p > 0.0)) {
        return 0;
    }
    if (p >= 1.0) {
        for (bc_index i = 0; i < n; i++) {
            out[i] = i;
        }
        return n;
    }
    /* P(gap >= g) = P(u <= (1 - p)^g) = (1 - p)^g: the number of
     * failures before a success. */
    const double inv_log_q = 1.0 / log1p(-p);       /* < 0 */
    double gap[GAP_BATCH];
    double pos = -1.0;              /* the last success; exact below 2^53 */
    bc_index k = 0;
    for (uint64_t batch = 0;; batch++) {
        bc_rng_uniform_pairs(seed, stream, step, batch * (GAP_BATCH / 2),
                             GAP_BATCH, gap);
        bc_vlog(gap, gap, GAP_BATCH);
        for (int j = 0; j < GAP_BATCH; j++) {
            pos += floor(gap[j] * inv_log_q) + 1.0;
            if (pos >= (double)n) {
                return k;
            }
            out[k++] = (bc_index)pos;
        }
    }
}
