/* tan_carney.h -- C core: Tan & Carney's (2003) cochlear filterbank with
 * its frequency glide, and its inner hair cell, sample by sample.
 *
 * Per channel: the signal path (ten band-pass sections around fp1, each
 * pole pair with a real zero, and a gain) and the control path (three
 * band-pass sections at cf + f_shift, a differentiator and a gain, two
 * static nonlinearities, three low-pass sections, and a feedback
 * low-pass) filter the same input.  Every `interval` samples, counted
 * from the start of each call (as Brian Hears' buffered ControlFilterbank
 * counts them from the start of each fetched segment), the signal path's
 * poles are damped by the control path's last output and the control
 * path's own by its feedback's last output.  Optionally the inner hair
 * cell follows: an asymmetric logarithmic saturation and seven low-pass
 * sections.  Sections are direct form II transposed, a0 = 1, with the
 * coefficients of brianc/hears/filtering/tan_carney.py. */
#ifndef BC_TAN_CARNEY_H
#define BC_TAN_CARNEY_H

#include "types.h"

/* The constants of one channel, a row of params (in this order). */
enum {
    BC_TC_CF,                   /* Hz */
    BC_TC_F_SHIFT,              /* control path: cf + f_shift, Hz */
    BC_TC_PREAL0,               /* control path pole's real part at rest */
    BC_TC_PIMG,                 /* its imaginary part, rad/s */
    BC_TC_RGAIN,                /* signal path: damping at rest */
    BC_TC_TA, BC_TC_TB, BC_TC_FP1, BC_TC_ZERO_R,
    BC_TC_GAIN,                 /* signal path's output gain */
    BC_TC_NLGAIN,               /* control path's second nonlinearity */
    BC_TC_LPC_B, BC_TC_LPC_BG, BC_TC_LPC_A1,    /* control low-pass */
    BC_TC_FB_B, BC_TC_FB_A1,    /* feedback low-pass */
    BC_TC_IHC_B, BC_TC_IHC_A1,  /* hair cell low-pass */
    BC_TC_N_PARAMS
};

/* The state of one channel, a row of state (zeros at rest). */
enum {
    BC_TC_Z_CONTROL = 0,        /* 5 sections x 2 */
    BC_TC_Z_LPC = 10,           /* 3 */
    BC_TC_Z_FB = 13,            /* 1 */
    BC_TC_Z_SIGNAL = 14,        /* 11 sections x 2 */
    BC_TC_Z_IHC = 36,           /* 7 */
    BC_TC_FEEDBACK = 43,        /* the last retune's control values */
    BC_TC_CONTROL = 44,
    BC_TC_N_STATE = 45
};

typedef struct bc_tan_carney {
    bc_index n;                 /* channels */
    double fs2;                 /* twice the sample rate */
    double x0, shift;           /* the control path's sigmoid */
    int with_ihc;               /* 0: the signal path's output */
    const double *params;       /* borrowed; n rows of BC_TC_N_PARAMS */
    double *state;              /* borrowed; n rows of BC_TC_N_STATE */
} bc_tan_carney;

/* Filters n_samples rows of x (width 1, shared, or n) into y (width n),
 * retuning every `interval` samples from the start; advances the state.
 * BC_EINVAL for n < 1, interval < 1, n_samples < 0 or another width.
 * y must not overlap x. */
bc_status bc_tan_carney_apply(const bc_tan_carney *tc, const double *x,
                              bc_index x_width, double *y,
                              bc_step n_samples, bc_step interval);

#endif
