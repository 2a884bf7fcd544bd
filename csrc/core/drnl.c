/* drnl.c -- C core: the DRNL filterbank's checks; the work is the vector
 * kernel of vdrnl.h. */
#include "drnl.h"

#include "kernels.h"

bc_status
bc_drnl_init(bc_drnl *d, double scale, const bc_iir_bank *banks,
             const double *gain, const double *a, const double *b,
             const double *c)
{
    const bc_index n = banks[0].n;
    for (int k = 0; k < 5; k++) {
        if (banks[k].n != n) {
            return BC_EINVAL;
        }
    }
    if (gain == NULL || a == NULL || b == NULL || c == NULL) {
        return BC_EINVAL;
    }
    *d = (bc_drnl){.n = n, .scale = scale, .gt_linear = banks[0],
                   .lp_linear = banks[1], .gt_nl = banks[2],
                   .gt_nl2 = banks[3], .lp_nl = banks[4], .gain = gain,
                   .a = a, .b = b, .c = c};
    return BC_OK;
}

bc_status
bc_drnl_apply(const bc_drnl *d, const double *x, bc_index x_width, double *y,
              bc_step n_samples)
{
    if (n_samples < 0 || (x_width != 1 && x_width != d->n)) {
        return BC_EINVAL;
    }
    if (n_samples == 0) {
        return BC_OK;
    }
    return bc_kernels_active()->drnl(d, x, x_width, y, n_samples);
}
