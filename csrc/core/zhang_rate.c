/* zhang_rate.c -- C core: Zhang et al.'s synapse, the rate-to-spikes
 * coupling of each step (zhang_rate.h). */
#include "zhang_rate.h"

#include <math.h>

bc_status
bc_zhang_rate_check(const bc_zhang_rate *z)
{
    if (z->n_channels < 0 || z->repeat < 1 ||
        (int64_t)z->n_channels * z->repeat > BC_INDEX_MAX) {
        return BC_EINVAL;
    }
    return BC_OK;
}

/* numpy.minimum: NaN when either operand is NaN. */
static double
nan_min(double a, double b)
{
    if (isnan(a) || isnan(b)) {
        return a + b;
    }
    return a < b ? a : b;
}

double
bc_zhang_release_rate(double p_1, double p_2, double v_ihc, double c_i)
{
    double e = p_2 * v_ihc;
    double p_i = p_1 * nan_min(log1p(exp(e)), fabs(e) + 1.0);
    return c_i * p_i;
}

bc_status
bc_zhang_rate_run(void *object, bc_step step)
{
    (void)step;
    const bc_zhang_rate *z = object;
    for (bc_index c = 0; c < z->n_channels; c++) {
        double s = bc_zhang_release_rate(z->p_1, z->p_2[c], z->v_ihc[c],
                                         z->c_i[c]);
        bc_index first = c * z->repeat;
        for (bc_index j = first; j < first + z->repeat; j++) {
            z->s[j] = s;
            z->r[j] = s * ((1.0 - z->k_0 * z->e_0[j]) - z->k_1 * z->e_1[j]);
        }
    }
    return BC_OK;
}
