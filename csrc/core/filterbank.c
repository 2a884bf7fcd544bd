/* filterbank.c -- C core: cascades of IIR sections over many channels
 * (see filterbank.h for the layout and the difference equations; the
 * filtering itself is the vector kernel of viir.h). */
#include "filterbank.h"

#include <assert.h>
#include <stdlib.h>

#include "kernels.h"

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
    return bc_kernels_active()->iir_cascade(bank, x, x_width, y, n_samples);
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
