/* timed_array.c -- C core: TimedArraySetter's per-step copy. */
#include "timed_array.h"

#include <math.h>
#include <string.h>

bc_status
bc_timed_setter_init(bc_timed_setter *s, double *dst, bc_index n,
                     const double *values, bc_step n_samples,
                     bc_index width, const double *times, double start,
                     double sample_dt, double dt)
{
    memset(s, 0, sizeof(*s));
    if (n < 0 || n_samples < 1 || !(width == 1 || width == n) ||
        !(dt > 0.0) || (times == NULL && !(sample_dt > 0.0))) {
        return BC_EINVAL;
    }
    for (bc_step k = 1; times != NULL && k < n_samples; k++) {
        if (!(times[k] >= times[k - 1])) {
            return BC_EINVAL;
        }
    }
    s->dst = dst;
    s->n = n;
    s->values = values;
    s->n_samples = n_samples;
    s->width = width;
    s->times = times;
    s->start = start;
    s->sample_dt = sample_dt;
    s->dt = dt;
    return BC_OK;
}

bc_step
bc_timed_sample(const bc_timed_setter *s, double t)
{
    bc_step last = s->n_samples - 1;
    if (s->times == NULL) {
        double k = nearbyint((t - s->start) / s->sample_dt);
        if (!(k > 0.0)) {
            return 0;           /* also NaN */
        }
        return k >= (double)last ? last : (bc_step)k;
    }
    /* The last sample at or before t (the first one if none is). */
    bc_step lo = 0, hi = s->n_samples;
    while (lo < hi) {
        bc_step mid = lo + (hi - lo) / 2;
        if (s->times[mid] <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo > 0 ? lo - 1 : 0;
}

bc_status
bc_timed_setter_run(void *object, bc_step step)
{
    bc_timed_setter *s = object;
    bc_step k = bc_timed_sample(s, (double)step * s->dt);
    const double *row = s->values + (size_t)k * (size_t)s->width;
    if (s->width == 1) {
        double v = row[0];
        for (bc_index i = 0; i < s->n; i++) {
            s->dst[i] = v;
        }
    } else {
        memcpy(s->dst, row, (size_t)s->n * sizeof(double));
    }
    return BC_OK;
}
