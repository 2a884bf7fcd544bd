/* zhang_rate.h -- C core: the step that couples the two halves of Zhang
 * et al.'s (2001) inner hair cell - auditory nerve synapse in Brian Hears.
 *
 * At the start of each step of the spike group, for every channel c: the
 * release rate s = C_I * p_1 * min(log(1 + exp(p_2 V)), |p_2 V| + 1) from
 * the hair cell potential V and the immediate store's concentration C_I
 * of the rate group, and for each of the channel's `repeat` fibres j
 * (j = c * repeat + k) the Poisson rate R = s (1 - k_0 e_0 - k_1 e_1),
 * where k_i = c_i exp(-dt / s_i): the refractory terms as this step's
 * state update will leave them.  Each operation rounds as the NumPy
 * expression of brianc/hears/filtering/zhang.py does (min as
 * numpy.minimum: NaN if either side is). */
#ifndef BC_ZHANG_RATE_H
#define BC_ZHANG_RATE_H

#include "types.h"

typedef struct bc_zhang_rate {
    bc_index n_channels;        /* >= 0 */
    bc_index repeat;            /* fibres per channel, >= 1 */
    const double *v_ihc, *c_i;  /* borrowed; n_channels, the rate group */
    const double *p_2;          /* borrowed; n_channels, saturation */
    double p_1;                 /* P_rest / ln 2 */
    double k_0, k_1;            /* c_0 exp(-dt/s_0), c_1 exp(-dt/s_1) */
    const double *e_0, *e_1;    /* borrowed; n_channels * repeat fibres */
    double *s, *r;              /* borrowed; n_channels * repeat, written */
} bc_zhang_rate;

/* BC_EINVAL unless the sizes are as above and n_channels * repeat fits
 * a bc_index (the caller checks the arrays' lengths against them). */
bc_status bc_zhang_rate_check(const bc_zhang_rate *z);

/* The release rate s of one channel. */
double bc_zhang_release_rate(double p_1, double p_2, double v_ihc,
                             double c_i);

/* s and R of every fibre now (a bc_task_fn; the step is not used). */
bc_status bc_zhang_rate_run(void *object, bc_step step);

#endif
