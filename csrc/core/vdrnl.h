/* vdrnl.h -- C core, part of vkernels.h: the DRNL filterbank of drnl.h,
 * BC_VW channels per vector.  Each group of channels runs a tile of
 * samples through every stage of both paths (viir.h's passes) before the
 * next tile, so nothing but the input and the output touches memory
 * beyond the group's state. */
#ifndef BC_VDRNL_H
#define BC_VDRNL_H

#include "drnl.h"
#include "viir.h"

/* sign(u) min(a |u|, b |u|^c), 0 where u is 0 (whatever c). */
BC_ALWAYS_INLINE static inline vd
drnl_broken_stick_v(vd u, vd a, vd b, vd c)
{
    vd mag = vsel_(VLT_(u, vsplat_(0.0)), -u, u);
    vd linear = a * mag;
    vd compressed = b * exp_v(c * log_v(mag));
    vd m = vsel_(VLT_(compressed, linear), compressed, linear);
    m = vsel_(VNE_(compressed, compressed), compressed, m);  /* NaN wins */
    vd out = vsel_(VLT_(u, vsplat_(0.0)), -m, m);
    return vsel_(VEQ_(u, vsplat_(0.0)), vsplat_(0.0), out);
}

/* n values from c0 as a vector, zeros past w. */
static vd
drnl_lanes_v(const double *values, bc_index c0, bc_index w)
{
    if (w == BC_VW) {
        return vload_(values + c0);
    }
    vd v = vsplat_(0.0);
    for (bc_index l = 0; l < w; l++) {
        v[l] = values[c0 + l];
    }
    return v;
}

static bc_status
V_(drnl)(const bc_drnl *d, const double *x, bc_index x_width, double *y,
         bc_step n_samples)
{
    const bc_iir_bank *banks[5] = {&d->gt_linear, &d->lp_linear, &d->gt_nl,
                                   &d->gt_nl2, &d->lp_nl};
    const size_t n = (size_t)d->n;
    double *pads[5] = {NULL};
    double *pad = NULL;
    if (d->n % BC_VW != 0) {
        size_t total = 0;
        for (int k = 0; k < 5; k++) {
            total += iir_pad_size_v(banks[k]);
        }
        pad = malloc(sizeof(double) * total);
        if (pad == NULL) {
            return BC_ENOMEM;
        }
        double *at = pad;
        for (int k = 0; k < 5; k++) {
            pads[k] = at;
            at += iir_pad_size_v(banks[k]);
        }
    }
    vd lin[IIR_TILE_], nl[IIR_TILE_];
    const vd scale = vsplat_(d->scale);
    for (bc_index c0 = 0; c0 < d->n; c0 += BC_VW) {
        bc_index w = d->n - c0 < BC_VW ? d->n - c0 : BC_VW;
        iir_lanes_v g[5];
        for (int k = 0; k < 5; k++) {
            g[k] = iir_lanes_of_v(banks[k], c0, w, pads[k]);
        }
        vd gain = drnl_lanes_v(d->gain, c0, w);
        vd a = drnl_lanes_v(d->a, c0, w), b = drnl_lanes_v(d->b, c0, w);
        vd c = drnl_lanes_v(d->c, c0, w);
        for (bc_step s0 = 0; s0 < n_samples; s0 += IIR_TILE_) {
            int t = n_samples - s0 < IIR_TILE_ ? (int)(n_samples - s0)
                                                : IIR_TILE_;
            iir_tile_in_v(nl, x, x_width, n, c0, w, s0, t);
            for (int s = 0; s < t; s++) {
                nl[s] = nl[s] * scale;
                lin[s] = nl[s];
            }
            iir_tile_v(&g[0], lin, t);
            for (int s = 0; s < t; s++) {
                lin[s] = gain * lin[s];
            }
            iir_tile_v(&g[1], lin, t);
            iir_tile_v(&g[2], nl, t);
            for (int s = 0; s < t; s++) {
                nl[s] = drnl_broken_stick_v(nl[s], a, b, c);
            }
            iir_tile_v(&g[3], nl, t);
            iir_tile_v(&g[4], nl, t);
            for (int s = 0; s < t; s++) {
                nl[s] = lin[s] + nl[s];
            }
            iir_tile_out_v(nl, y, n, c0, w, s0, t);
        }
        for (int k = 0; k < 5; k++) {
            iir_lanes_done_v(&g[k], banks[k], c0, w);
        }
    }
    free(pad);
    return BC_OK;
}

#endif
