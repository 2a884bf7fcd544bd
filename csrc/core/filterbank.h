/* filterbank.h -- C core: Brian Hears' linear filterbank.  Many channels,
 * each a cascade of IIR sections in direct form II transposed, filtered
 * together, the sections' state kept between buffers.
 *
 * Layout (the memory of Brian 1's Fortran-ordered (n, m, p) arrays, so
 * Python hands its filt_b, filt_a and filt_state over without a copy):
 * coefficient i of section k of channel j is b[(k * m + i) * n + j], the
 * same for a and for the state z (of which rows 0 .. m-2 of each section
 * are used).  Signals are row-major (n_samples, n): x[s * n + j].
 *
 * Section k of channel j maps its input v to
 *     y = b0 v + z0,   z_i = b_{i+1} v + z_{i+1} - a_{i+1} y,
 *     z_{m-2} = b_{m-1} v - a_{m-1} y,
 * which is scipy.signal.lfilter for a0 == 1 (the caller normalises),
 * each product and the sum it joins rounded once (fused multiply-adds:
 * within rounding of lfilter, not its bits).  A channel's arithmetic
 * never depends on the other channels nor on the instruction set, so one
 * channel filtered alone gives the same bits as inside a bank, on every
 * CPU. */
#ifndef BC_FILTERBANK_H
#define BC_FILTERBANK_H

#include "types.h"

typedef struct bc_iir_bank {
    bc_index n;                 /* channels, >= 1 */
    bc_index m;                 /* coefficients per section (order + 1) */
    bc_index p;                 /* sections in each cascade */
    const double *b, *a;        /* borrowed; m * p * n values each */
    double *state;              /* borrowed; m * p * n values */
} bc_iir_bank;

/* Checks the sizes: n, m, p >= 1 and m * p * n fits the index type
 * (BC_EINVAL otherwise).  All arrays stay owned by the caller. */
bc_status bc_iir_bank_init(bc_iir_bank *bank, bc_index n, bc_index m,
                           bc_index p, const double *b, const double *a,
                           double *state);

/* Filters n_samples rows of x into y (n_samples * n values) and advances
 * the state.  x has rows of x_width values: n, or 1 for one input shared
 * by every channel (a mono sound feeding a bank, without repeating it n
 * times in memory).  y may be x when x_width == n.  BC_EINVAL for
 * n_samples < 0 or another x_width, BC_ENOMEM when the scratch copy of
 * the last channels (past a whole number of vectors) cannot be made. */
bc_status bc_iir_bank_apply(const bc_iir_bank *bank, const double *x,
                            bc_index x_width, double *y, bc_step n_samples);

/* A bc_task_fn-shaped feed: each run pushes the next row of a
 * precomputed input (rows 0, 1, 2, ... in turn, zeros past the end, as
 * Brian Hears pads a sound with silence; width 1 means one value for
 * every channel) through the bank into dst (n values). */
typedef struct bc_iir_feed {
    bc_iir_bank bank;
    const double *input;        /* borrowed; n_input rows of width */
    bc_step n_input;
    bc_index width;             /* 1 or bank.n */
    bc_step next_row;           /* row of the next run */
    double *dst;                /* borrowed; bank.n values */
    double *row;                /* owned; bank.n values of scratch */
} bc_iir_feed;

bc_status bc_iir_feed_init(bc_iir_feed *feed, const bc_iir_bank *bank,
                           const double *input, bc_step n_input,
                           bc_index width, double *dst);
void bc_iir_feed_free(bc_iir_feed *feed);  /* safe on a zeroed struct */
bc_status bc_iir_feed_run(void *object, bc_step step);

#endif
