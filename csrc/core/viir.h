/* viir.h -- C core, part of vkernels.h: the IIR cascade of filterbank.h
 * (direct form II transposed) with BC_VW channels in the lanes of one
 * vector.
 *
 * A group of BC_VW channels runs a tile of up to IIR_TILE_ samples
 * through its sections a few at a time (a pass): the pass keeps the
 * sections' state in registers across the tile, and its sections' work
 * on one sample overlaps the next sample's, so the loop is bound by the
 * multiply-adds rather than by the recursion's latency or by loads and
 * stores of the state.  Every lane runs the same fused operations:
 *     y = b0 v + z0,  z_i = (b_{i+1} v + z_{i+1}) - a_{i+1} y,
 *     z_{m-2} = b_{m-1} v - a_{m-1} y,
 * each product-and-sum rounded once, so a channel gives the same bits
 * alone or in a bank, at any lane count (the channels past the last
 * whole vector run in a zero-padded copy). */
#ifndef BC_VIIR_H
#define BC_VIIR_H

#include <stdlib.h>

#include "filterbank.h"

#define IIR_TILE_ 64         /* samples per tile: 2 KB of AVX2 vectors */
#define IIR_PASS_ 4          /* sections per pass, their state in registers */

/* Where a group's coefficients and state are: value (k, i) of lane 0 at
 * b[(k m + i) ld] (ld = n in the bank, BC_VW in a padded copy). */
typedef struct iir_lanes_v {
    const double *b, *a;
    double *z;
    size_t ld;
    bc_index m, p;
} iir_lanes_v;

/* Sections k0 .. k0 + q - 1 of two coefficients (first order) over the
 * tile v[0 .. t). */
BC_ALWAYS_INLINE static inline void
iir_pass_m2_v(const iir_lanes_v *g, bc_index k0, int q, vd *v, int t)
{
    const size_t ld = g->ld;
    vd b0[IIR_PASS_], b1[IIR_PASS_], a1[IIR_PASS_], z0[IIR_PASS_];
    for (int k = 0; k < q; k++) {
        size_t r = (size_t)(k0 + k) * 2 * ld;
        b0[k] = vload_(g->b + r);
        b1[k] = vload_(g->b + r + ld);
        a1[k] = vload_(g->a + r + ld);
        z0[k] = vload_(g->z + r);
    }
    for (int s = 0; s < t; s++) {
        vd x = v[s];
        for (int k = 0; k < q; k++) {
            vd y = vfma_(b0[k], x, z0[k]);
            z0[k] = vfnma_(a1[k], y, b1[k] * x);
            x = y;
        }
        v[s] = x;
    }
    for (int k = 0; k < q; k++) {
        vstore_(g->z + (size_t)(k0 + k) * 2 * ld, z0[k]);
    }
}

/* The same for sections of three coefficients (biquads); b2_zero: every
 * lane's b2 is 0 in these sections (gammatones), so z1 = -a2 y without
 * the product b2 v (the same bits for finite inputs: fnma(a2, y, 0) is
 * fnma(a2, y, b2 v) when b2 v is 0). */
BC_ALWAYS_INLINE static inline void
iir_pass_m3_v(const iir_lanes_v *g, bc_index k0, int q, vd *v, int t,
              int b2_zero)
{
    const size_t ld = g->ld;
    vd z0[IIR_PASS_], z1[IIR_PASS_];
    for (int k = 0; k < q; k++) {
        size_t r = (size_t)(k0 + k) * 3 * ld;
        z0[k] = vload_(g->z + r);
        z1[k] = vload_(g->z + r + ld);
    }
    for (int s = 0; s < t; s++) {
        vd x = v[s];
        for (int k = 0; k < q; k++) {
            /* 20 coefficients do not fit in registers with the state:
             * they come from L1, off the recursion's critical path */
            size_t r = (size_t)(k0 + k) * 3 * ld;
            vd y = vfma_(vload_(g->b + r), x, z0[k]);
            z0[k] = vfnma_(vload_(g->a + r + ld), y,
                           vfma_(vload_(g->b + r + ld), x, z1[k]));
            vd a2 = vload_(g->a + r + 2 * ld);
            if (b2_zero) {
                z1[k] = vfnma_(a2, y, vsplat_(0.0));
            } else {
                z1[k] = vfnma_(a2, y, vload_(g->b + r + 2 * ld) * x);
            }
            x = y;
        }
        v[s] = x;
    }
    for (int k = 0; k < q; k++) {
        size_t r = (size_t)(k0 + k) * 3 * ld;
        vstore_(g->z + r, z0[k]);
        vstore_(g->z + r + ld, z1[k]);
    }
}

/* Any number of coefficients, the state in memory (orders above two are
 * rare: decascaded filters). */
static void
iir_pass_any_v(const iir_lanes_v *g, bc_index k0, int q, vd *v, int t)
{
    const size_t ld = g->ld;
    const bc_index m = g->m;
    for (int s = 0; s < t; s++) {
        vd x = v[s];
        for (int k = 0; k < q; k++) {
            size_t r = (size_t)(k0 + k) * (size_t)m * ld;
            const double *b = g->b + r, *a = g->a + r;
            double *z = g->z + r;
            if (m == 1) {
                x = vload_(b) * x;
                continue;
            }
            vd y = vfma_(vload_(b), x, vload_(z));
            for (bc_index i = 0; i + 2 < m; i++) {
                size_t row = (size_t)i * ld;
                vstore_(z + row,
                        vfnma_(vload_(a + row + ld), y,
                               vfma_(vload_(b + row + ld), x,
                                     vload_(z + row + ld))));
            }
            size_t last = (size_t)(m - 1) * ld;
            vstore_(z + last - ld,
                    vfnma_(vload_(a + last), y, vload_(b + last) * x));
            x = y;
        }
        v[s] = x;
    }
}

/* Whether b2 is 0 in every lane of sections k0 .. k0 + q - 1 (m = 3). */
static int
iir_b2_zero_v(const iir_lanes_v *g, bc_index k0, int q)
{
    for (int k = 0; k < q; k++) {
        const double *b2 = g->b + ((size_t)(k0 + k) * 3 + 2) * g->ld;
        for (int l = 0; l < BC_VW; l++) {
            if (b2[l] != 0.0) {
                return 0;
            }
        }
    }
    return 1;
}

/* One pass of q <= IIR_PASS_ sections, with m and q made constants where
 * they are the common ones (so the pass unrolls into registers). */
static void
iir_pass_v(const iir_lanes_v *g, bc_index k0, int q, vd *v, int t)
{
    int code = (int)g->m * 8 + q;
    if (g->m == 3 && iir_b2_zero_v(g, k0, q)) {
        code += 64;
    }
#define IIR_CASE2_(Q)                                                     \
    case 16 + (Q):                                                        \
        iir_pass_m2_v(g, k0, Q, v, t);                                    \
        return;
#define IIR_CASE3_(Q, ZERO)                                               \
    case 24 + (Q) + 64 * (ZERO):                                          \
        iir_pass_m3_v(g, k0, Q, v, t, ZERO);                              \
        return;
    switch (code) {
        IIR_CASE2_(1) IIR_CASE2_(2) IIR_CASE2_(3) IIR_CASE2_(4)
        IIR_CASE3_(1, 0) IIR_CASE3_(2, 0) IIR_CASE3_(3, 0) IIR_CASE3_(4, 0)
        IIR_CASE3_(1, 1) IIR_CASE3_(2, 1) IIR_CASE3_(3, 1) IIR_CASE3_(4, 1)
    default:
        iir_pass_any_v(g, k0, q, v, t);
    }
#undef IIR_CASE2_
#undef IIR_CASE3_
}

/* Every section over the tile v[0 .. t). */
static void
iir_tile_v(const iir_lanes_v *g, vd *v, int t)
{
    for (bc_index k0 = 0; k0 < g->p; k0 += IIR_PASS_) {
        bc_index q = g->p - k0 < IIR_PASS_ ? g->p - k0 : IIR_PASS_;
        iir_pass_v(g, k0, (int)q, v, t);
    }
}

/* The lanes of channels c0 .. c0 + w - 1 of bank: the bank's own arrays
 * when w == BC_VW, else a copy in pad (iir_pad_size_v doubles) whose
 * lanes past w have zero coefficients and state (they output zeros). */
static size_t
iir_pad_size_v(const bc_iir_bank *bank)
{
    return 3 * (size_t)bank->m * (size_t)bank->p * BC_VW;
}

static iir_lanes_v
iir_lanes_of_v(const bc_iir_bank *bank, bc_index c0, bc_index w,
               double *pad)
{
    const size_t n = (size_t)bank->n;
    if (w == BC_VW) {
        return (iir_lanes_v){.b = bank->b + c0, .a = bank->a + c0,
                             .z = bank->state + c0, .ld = n, .m = bank->m,
                             .p = bank->p};
    }
    const size_t rows = (size_t)bank->m * (size_t)bank->p;
    double *b = pad, *a = pad + rows * BC_VW, *z = pad + 2 * rows * BC_VW;
    for (size_t r = 0; r < rows; r++) {
        for (bc_index l = 0; l < BC_VW; l++) {
            int in = l < w;
            b[r * BC_VW + l] = in ? bank->b[r * n + c0 + l] : 0.0;
            a[r * BC_VW + l] = in ? bank->a[r * n + c0 + l] : 0.0;
            z[r * BC_VW + l] = in ? bank->state[r * n + c0 + l] : 0.0;
        }
    }
    return (iir_lanes_v){.b = b, .a = a, .z = z, .ld = BC_VW, .m = bank->m,
                         .p = bank->p};
}

/* After filtering through a padded copy: its state back into the bank. */
static void
iir_lanes_done_v(const iir_lanes_v *g, const bc_iir_bank *bank,
                 bc_index c0, bc_index w)
{
    if (w == BC_VW) {
        return;
    }
    const size_t n = (size_t)bank->n;
    const size_t rows = (size_t)bank->m * (size_t)bank->p;
    for (size_t r = 0; r < rows; r++) {
        for (bc_index l = 0; l < w; l++) {
            bank->state[r * n + c0 + l] = g->z[r * BC_VW + l];
        }
    }
}

/* Rows s0 .. s0 + t - 1 of the input (width 1: one value for every
 * lane; else n, lanes c0 .. c0 + w - 1, zeros past w) into v. */
static void
iir_tile_in_v(vd *v, const double *x, bc_index x_width, size_t n,
              bc_index c0, bc_index w, bc_step s0, int t)
{
    for (int s = 0; s < t; s++) {
        if (x_width == 1) {
            v[s] = vsplat_(x[s0 + s]);
        } else if (w == BC_VW) {
            v[s] = vload_(x + (size_t)(s0 + s) * n + c0);
        } else {
            v[s] = vsplat_(0.0);
            for (bc_index l = 0; l < w; l++) {
                v[s][l] = x[(size_t)(s0 + s) * n + c0 + l];
            }
        }
    }
}

/* v's first w lanes into rows s0 .. s0 + t - 1 of y (width n). */
static void
iir_tile_out_v(const vd *v, double *y, size_t n, bc_index c0, bc_index w,
               bc_step s0, int t)
{
    for (int s = 0; s < t; s++) {
        double *row = y + (size_t)(s0 + s) * n + c0;
        if (w == BC_VW) {
            vstore_(row, v[s]);
        } else {
            for (bc_index l = 0; l < w; l++) {
                row[l] = v[s][l];
            }
        }
    }
}

static bc_status
V_(iir_cascade)(const bc_iir_bank *bank, const double *x, bc_index x_width,
                double *y, bc_step n_samples)
{
    const size_t n = (size_t)bank->n;
    double *pad = NULL;
    if (bank->n % BC_VW != 0) {
        pad = malloc(sizeof(double) * iir_pad_size_v(bank));
        if (pad == NULL) {
            return BC_ENOMEM;
        }
    }
    vd v[IIR_TILE_];
    for (bc_index c0 = 0; c0 < bank->n; c0 += BC_VW) {
        bc_index w = bank->n - c0 < BC_VW ? bank->n - c0 : BC_VW;
        iir_lanes_v g = iir_lanes_of_v(bank, c0, w, pad);
        for (bc_step s0 = 0; s0 < n_samples; s0 += IIR_TILE_) {
            int t = n_samples - s0 < IIR_TILE_ ? (int)(n_samples - s0)
                                                : IIR_TILE_;
            iir_tile_in_v(v, x, x_width, n, c0, w, s0, t);
            iir_tile_v(&g, v, t);
            iir_tile_out_v(v, y, n, c0, w, s0, t);
        }
        iir_lanes_done_v(&g, bank, c0, w);
    }
    free(pad);
    return BC_OK;
}

#endif
