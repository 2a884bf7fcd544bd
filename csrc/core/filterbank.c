/* filterbank.c -- C core: cascades of IIR sections over many channels
 * (see filterbank.h for the layout and the difference equations). */
#include "filterbank.h"

#include <assert.h>
#include <stdlib.h>

#include "vmath.h"

/* Channels filtered together: 32 channels are four AVX-512 vectors whose
 * dependency chains (sample to sample, section to section) the CPU
 * overlaps; the block's state and coefficients stay in L1. */
#define BC_IIR_BLOCK 32

bc_status
bc_iir_bank_init(bc_iir_bank *bank, bc_index n, bc_index m, bc_index p,
                 const double *b, const double *a, double *state)
{
    if (n < 1 || m < 1 || p < 1 || b == NULL || a == NULL ||
        state == NULL) {
        return BC_EINVAL;
    }
    if ((int64_t)n * m * p > BC_INDEX_MAX) {
        return BC_EINVAL;
    }
    *bank = (bc_iir_bank){.n = n, .m = m, .p = p, .b = b, .a = a,
                          .state = state};
    return BC_OK;
}

/* One section of m coefficients over w channels: bk, ak, zk point at the
 * block's first coefficient and state rows (rows n apart); v is the
 * input and becomes the output.  The operations are those of scipy's
 * lfilter, in its order.  Inlined with a constant m (2, 3) the loop over
 * the coefficients unrolls and the loop over channels vectorises. */
static inline BC_ALWAYS_INLINE void
section(bc_index n, bc_index m, const double *restrict bk,
        const double *restrict ak, double *restrict zk,
        double *restrict v, bc_index w)
{
    if (m == 1) {
        for (bc_index j = 0; j < w; j++) {
            v[j] = v[j] * bk[j];
        }
        return;
    }
    for (bc_index j = 0; j < w; j++) {
        double x = v[j];
        double y = zk[j] + bk[j] * x;
        for (bc_index i = 0; i + 2 < m; i++) {
            size_t row = (size_t)i * n + j;
            zk[row] = zk[row + n] + x * bk[row + n] - y * ak[row + n];
        }
        size_t last = (size_t)(m - 1) * n + j;
        zk[last - n] = x * bk[last] - y * ak[last];
        v[j] = y;
    }
}

/* Channels c0 .. c0+w-1 (w <= BC_IIR_BLOCK) through every section, sample
 * by sample. */
static inline BC_ALWAYS_INLINE void
filter_block(const bc_iir_bank *bank, bc_index m, bc_index c0, bc_index w,
             const double *x, bc_index x_width, double *y,
             bc_step n_samples)
{
    const bc_index n = bank->n, p = bank->p;
    const size_t stage = (size_t)m * n;
    double v[BC_IIR_BLOCK];
    for (bc_step s = 0; s < n_samples; s++) {
        if (x_width == 1) {
            double shared = x[s];
            for (bc_index j = 0; j < w; j++) {
                v[j] = shared;
            }
        } else {
            const double *xs = x + (size_t)s * n + c0;
            for (bc_index j = 0; j < w; j++) {
                v[j] = xs[j];
            }
        }
        for (bc_index k = 0; k < p; k++) {
            section(n, m, bank->b + k * stage + c0, bank->a + k * stage + c0,
                    bank->state + k * stage + c0, v, w);
        }
        double *ys = y + (size_t)s * n + c0;
        for (bc_index j = 0; j < w; j++) {
            ys[j] = v[j];
        }
    }
}

/* Every block with the section size m made a constant where it is one of
 * the common ones (first- and second-order sections). */
static inline BC_ALWAYS_INLINE void
filter_blocks(const bc_iir_bank *bank, bc_index m, const double *x,
              bc_index x_width, double *y, bc_step n_samples)
{
    bc_index whole = bank->n - bank->n % BC_IIR_BLOCK;
    for (bc_index c0 = 0; c0 < whole; c0 += BC_IIR_BLOCK) {
        filter_block(bank, m, c0, BC_IIR_BLOCK, x, x_width, y, n_samples);
    }
    if (whole < bank->n) {
        filter_block(bank, m, whole, bank->n - whole, x, x_width, y,
                     n_samples);
    }
}

BC_VECTOR_FN static void
filter_all(const bc_iir_bank *bank, const double *x, bc_index x_width,
           double *y, bc_step n_samples)
{
    switch (bank->m) {
    case 2:
        filter_blocks(bank, 2, x, x_width, y, n_samples);
        break;
    case 3:
        filter_blocks(bank, 3, x, x_width, y, n_samples);
        break;
    default:
        filter_blocks(bank, bank->m, x, x_width, y, n_samples);
        break;
    }
}

bc_status
bc_iir_bank_apply(const bc_iir_bank *bank, const double *x,
                  bc_index x_width, double *y, bc_step n_samples)
{
    if (n_samples < 0 || (x_width != 1 && x_width != bank->n)) {
        return BC_EINVAL;
    }
    if (n_samples == 0) {
        return BC_OK;
    }
    assert(bank->n >= 1 && bank->m >= 1 && bank->p >= 1);
    filter_all(bank, x, x_width, y, n_samples);
    return BC_OK;
}

bc_status
bc_iir_feed_init(bc_iir_feed *feed, const bc_iir_bank *bank,
                 const double *input, bc_step n_input, bc_index width,
                 double *dst)
{
    *feed = (bc_iir_feed){0};
    if (n_input < 0 || (n_input > 0 && input == NULL) || dst == NULL ||
        (width != 1 && width != bank->n)) {
        return BC_EINVAL;
    }
    feed->row = malloc(sizeof(double) * (size_t)bank->n);
    if (feed->row == NULL) {
        return BC_ENOMEM;
    }
    feed->bank = *bank;
    feed->input = input;
    feed->n_input = n_input;
    feed->width = width;
    feed->dst = dst;
    return BC_OK;
}

void
bc_iir_feed_free(bc_iir_feed *feed)
{
    free(feed->row);
    feed->row = NULL;
}

bc_status
bc_iir_feed_run(void *object, bc_step step)
{
    (void)step;                 /* the feed counts its own rows */
    bc_iir_feed *feed = object;
    const bc_index n = feed->bank.n;
    bc_step k = feed->next_row++;
    if (k < feed->n_input) {
        return bc_iir_bank_apply(&feed->bank,
                                 feed->input + (size_t)k * feed->width,
                                 feed->width, feed->dst, 1);
    }
    /* past the end of the input: silence */
    for (bc_index j = 0; j < n; j++) {
        feed->row[j] = 0.0;
    }
    return bc_iir_bank_apply(&feed->bank, feed->row, n, feed->dst, 1);
}
