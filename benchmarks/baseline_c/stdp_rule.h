/* stdp_rule.h -- the additive, all-pairs STDP rule of the hand-written
 * baselines stdp.c (a dense matrix, replayed spikes) and stdp1.c (Song,
 * Miller & Abbott's one neuron): per-neuron traces that decay by one
 * multiply a step (Brian's exact linear update), and weights moved by the
 * other side's traces and clipped to [0, wmax].  Header-only, as bench.h. */
#ifndef BL_STDP_RULE_H
#define BL_STDP_RULE_H

#include "bench.h"

static inline double
stdp_clip(double w, double wmax)
{
    return w < 0.0 ? 0.0 : (w > wmax ? wmax : w);
}

/* a[k] *= factor for k < n: one step of the traces' decay. */
static inline void
stdp_decay(double *restrict a, int64_t n, double factor)
{
    for (int64_t k = 0; k < n; k++) {
        a[k] *= factor;
    }
}

/* w[k * stride] = clip(w[k * stride] + a[k]) for k < n: the synapses of a
 * spike (a row, stride 1, or a column, stride n_post) take the other
 * side's traces.  Inlined with a constant stride, the loop vectorises. */
static inline void
stdp_add_traces(double *restrict w, size_t stride, const double *restrict a,
                int64_t n, double wmax)
{
    for (int64_t k = 0; k < n; k++) {
        double *x = w + (size_t)k * stride;
        *x = stdp_clip(*x + a[k], wmax);
    }
}

#endif
