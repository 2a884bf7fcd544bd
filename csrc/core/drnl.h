/* drnl.h -- C core: the dual resonance nonlinear filterbank (DRNL,
 * Lopez-Poveda & Meddis 2001) fused into one pass over each buffer, so
 * that its seven stages and the sum of its two paths never leave the
 * cache.  For each channel j and input sample x (scaled by `scale`):
 *
 *     linear:    v = lp_linear(g_j * gt_linear(x))
 *     nonlinear: u = gt_nl, then sign(u) min(a_j |u|, b_j |u|^c_j),
 *                then gt_nl2, then lp_nl
 *     output:    v + nonlinear
 *
 * where each stage is an IIR bank of filterbank.h (its state advanced).
 * |u|^c is computed as exp(c log|u|) (0 at u = 0), within a few units of
 * the last place of pow(). */
#ifndef BC_DRNL_H
#define BC_DRNL_H

#include "filterbank.h"

typedef struct bc_drnl {
    bc_index n;                 /* channels: every bank has n */
    double scale;               /* the input's factor (stapes scaling) */
    bc_iir_bank gt_linear, lp_linear, gt_nl, gt_nl2, lp_nl;
    const double *gain;         /* borrowed; n values each */
    const double *a, *b, *c;
} bc_drnl;

/* banks: gt_linear, lp_linear, gt_nl, gt_nl2, lp_nl in that order.
 * BC_EINVAL unless every bank has the same n channels.  Everything
 * borrowed. */
bc_status bc_drnl_init(bc_drnl *d, double scale, const bc_iir_bank *banks,
                       const double *gain, const double *a, const double *b,
                       const double *c);

/* Filters n_samples rows of x (width 1, shared, or n) into y (width n);
 * BC_EINVAL for another width or n_samples < 0, BC_ENOMEM if scratch
 * cannot be had.  y must not overlap x. */
bc_status bc_drnl_apply(const bc_drnl *d, const double *x, bc_index x_width,
                        double *y, bc_step n_samples);

#endif
