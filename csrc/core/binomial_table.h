/* binomial_table.h -- C core: many Binomial(n, p) draws of one (n, p) by
 * inverting its tabulated distribution function: a uniform and a short
 * guided search per draw (the row sizes of random connections), where
 * bc_binomial_draw spends a cipher call and often logarithms. */
#ifndef BC_BINOMIAL_TABLE_H
#define BC_BINOMIAL_TABLE_H

#include "types.h"

/* Widest table built (values with probability above 2^-64 of the mode's
 * are kept, about 19 standard deviations). */
#define BC_BINOMIAL_TABLE_MAX (1 << 16)

typedef struct bc_binomial_table {
    int64_t lo;         /* smallest tabulated value */
    int64_t width;      /* number of tabulated values */
    double *cdf;        /* owned; P(K <= lo + i), normalised over the
                           table, the last exactly 1 */
    int32_t *guide;     /* owned; guide[g]: first i with cdf[i] >= g/width */
} bc_binomial_table;

/* For n >= 1, 0 < p < 1.  BC_ERANGE if the table would be wider than
 * BC_BINOMIAL_TABLE_MAX (use bc_binomial then), BC_ENOMEM. */
bc_status bc_binomial_table_init(bc_binomial_table *t, int64_t n, double p);
void bc_binomial_table_free(bc_binomial_table *t);  /* safe when zeroed */

/* The draw for a uniform u in (0, 1): the smallest value whose cdf is at
 * least u. */
static inline int64_t
bc_binomial_table_invert(const bc_binomial_table *t, double u)
{
    int64_t g = (int64_t)(u * (double)t->width);
    g = g < t->width ? g : t->width - 1;    /* u * width may round up */
    int64_t i = t->guide[g];
    while (t->cdf[i] < u) {
        i++;
    }
    return t->lo + i;
}

#endif
