/* timed_array.h -- C core: Brian 1's TimedArraySetter.  Once per step it
 * copies the sample of a timed array due at the step's time into n
 * values (a state row window, or a hidden array a program reads). */
#ifndef BC_TIMED_ARRAY_H
#define BC_TIMED_ARRAY_H

#include "types.h"

typedef struct bc_timed_setter {
    double *dst;                /* borrowed; n values written each step */
    bc_index n;
    const double *values;       /* borrowed; n_samples rows of width */
    bc_step n_samples;          /* >= 1 */
    bc_index width;             /* 1 (one value for all) or n */
    const double *times;        /* borrowed; n_samples ascending seconds,
                                   or NULL for the regular grid */
    double start, sample_dt;    /* regular grid: sample k at
                                   start + k * sample_dt, seconds */
    double dt;                  /* seconds per step of the setter's clock */
} bc_timed_setter;

/* Checks the sizes (BC_EINVAL); all arrays stay owned by the caller. */
bc_status bc_timed_setter_init(bc_timed_setter *s, double *dst, bc_index n,
                               const double *values, bc_step n_samples,
                               bc_index width, const double *times,
                               double start, double sample_dt, double dt);

/* The sample for time t (seconds): on the regular grid the nearest one,
 * rint((t - start) / sample_dt), with irregular times the last one at or
 * before t; clipped to [0, n_samples). */
bc_step bc_timed_sample(const bc_timed_setter *s, double t);

/* dst = the sample of step `step` (a bc_task_fn). */
bc_status bc_timed_setter_run(void *object, bc_step step);

#endif
