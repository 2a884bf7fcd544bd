/* filterbank.c -- C core: cascades of IIR sections over many channels
 * (see filterbank.h for the layout and the difference equations). */
#include "filterbank.h"

#include <assert.h>
#include <stdlib.h>

#include "vmath.h"

/* Channels filtered together: one cache line of each row, state and
 * coefficient vector, and a whole number of AVX-512 registers. */
#define BC_IIR_BLOCK 8

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

/* One section over w channels starting at the block's coefficients bk,
 * ak and state zk (stride n between coefficient rows): v in, y out.  The
 * operations are those of scipy's lfilter, in its order. */
static inline BC_ALWAYS_INLINE void
section(bc_index n, bc_index m, const double *restrict bk,
        const double *restrict ak, double *restrict zk,
        const double *restrict v, double *restrict y, bc_index w)
{
    if (m == 1) {
        for (bc_index j = 0; j < w; j++) {
            y[j] = v[j] * bk[j];
        }
        return;
    }
    for (bc_index j = 0; j < w; j++) {
        y[j] = zk[j] + bk[j] * v[j];
    }
    for (bc_index i = 0; i + 2 < m; i++) {
        const double *bi = bk + (size_t)(i + 1) * n;
        const double *ai = ak + (size_t)(i + 1) * n;
        double *zi = zk + (size_t)i * n;
        const double *znext = zk + (size_t)(i + 1) * n;
        for (bc_index j = 0; j < w; j++) {
            zi[j] = znext[j] + v[j] * bi[j] - y[j] * ai[j];
        }
    }
    const double *bl = bk + (size_t)(m - 1) * n;
    const double *al = ak + (size_t)(m - 1) * n;
    double *zl = zk + (size_t)(m - 2) * n;
    for (bc_index j = 0; j < w; j++) {
        zl[j] = v[j] * bl[j] - y[j] * al[j];
    }
}

/* Channels c0 .. c0+w-1 (w <= BC_IIR_BLOCK) through every section, sample
 * by sample: the block's state and coefficients stay in L1. */
static inline BC_ALWAYS_INLINE void
filter_block(const bc_iir_bank *bank, bc_index c0, bc_index w,
             const double *x, double *y, bc_step n_samples)
{
    const bc_index n = bank->n, m = bank->m, p = bank->p;
    const size_t stage = (size_t)m * n;
    double v[BC_IIR_BLOCK], out[BC_IIR_BLOCK];
    for (bc_step s = 0; s < n_samples; s++) {
        const double *xs = x + (size_t)s * n + c0;
        for (bc_index j = 0; j < w; j++) {
            v[j] = xs[j];
        }
        for (bc_index k = 0; k < p; k++) {
            section(n, m, bank->b + k * stage + c0, bank->a + k * stage + c0,
                    bank->state + k * stage + c0, v, out, w);
            for (bc_index j = 0; j < w; j++) {
                v[j] = out[j];
            }
        }
        double *ys = y + (size_t)s * n + c0;
        for (bc_index j = 0; j < w; j++) {
            ys[j] = v[j];
        }
    }
}

/* Whole blocks with a constant width, so gcc vectorises across channels;
 * the remainder with the same operations, one channel at a time. */
BC_VECTOR_FN static void
filter_all(const bc_iir_bank *bank, const double *x, double *y,
           bc_step n_samples)
{
    bc_index whole = bank->n - bank->n % BC_IIR_BLOCK;
    for (bc_index c0 = 0; c0 < whole; c0 += BC_IIR_BLOCK) {
        filter_block(bank, c0, BC_IIR_BLOCK, x, y, n_samples);
    }
    if (whole < bank->n) {
        filter_block(bank, whole, bank->n - whole, x, y, n_samples);
    }
}

bc_status
bc_iir_bank_apply(const bc_iir_bank *bank, const double *x, double *y,
                  bc_step n_samples)
{
    if (n_samples < 0) {
        return BC_EINVAL;
    }
    if (n_samples == 0) {
        return BC_OK;
    }
    assert(bank->n >= 1 && bank->m >= 1 && bank->p >= 1);
    filter_all(bank, x, y, n_samples);
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
    if (k >= feed->n_input) {
        for (bc_index j = 0; j < n; j++) {
            feed->row[j] = 0.0;
        }
    } else if (feed->width == 1) {
        double value = feed->input[k];
        for (bc_index j = 0; j < n; j++) {
            feed->row[j] = value;
        }
    } else {
        const double *src = feed->input + (size_t)k * n;
        for (bc_index j = 0; j < n; j++) {
            feed->row[j] = src[j];
        }
    }
    return bc_iir_bank_apply(&feed->bank, feed->row, feed->dst, 1);
}
