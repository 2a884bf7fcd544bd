/* binomial_table.c -- C core: tabulated Binomial(n, p) by inversion.
 * The probabilities are built relative to the mode with the ratios
 * P(k+1)/P(k) = (n-k)/(k+1) p/q, out to where they fall below 2^-64 of
 * the mode's, and normalised by their sum: the tails left out weigh less
 * than a uniform's resolution (2^-53), and no log-gamma is needed. */
#include "binomial_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TAIL 0x1p-64

bc_status
bc_binomial_table_init(bc_binomial_table *t, int64_t n, double p)
{
    memset(t, 0, sizeof(*t));
    double nd = (double)n, up = p / (1.0 - p), down = (1.0 - p) / p;
    int64_t mode = (int64_t)floor((nd + 1.0) * p);
    mode = mode < n ? mode : n;
    /* The range first, walking out from the mode. */
    int64_t lo = mode, hi = mode;
    for (double v = 1.0; hi < n && v > TAIL; hi++) {
        v *= (nd - (double)hi) / (double)(hi + 1) * up;
        if (hi - lo >= BC_BINOMIAL_TABLE_MAX) {
            return BC_ERANGE;
        }
    }
    for (double v = 1.0; lo > 0 && v > TAIL; lo--) {
        v *= (double)lo / (nd - (double)lo + 1.0) * down;
        if (hi - lo >= BC_BINOMIAL_TABLE_MAX) {
            return BC_ERANGE;
        }
    }
    int64_t width = hi - lo + 1;
    t->cdf = malloc((size_t)width * sizeof(double));
    t->guide = malloc((size_t)width * sizeof(int32_t));
    if (t->cdf == NULL || t->guide == NULL) {
        bc_binomial_table_free(t);
        return BC_ENOMEM;
    }
    t->lo = lo;
    t->width = width;
    /* Relative probabilities, then their running sum, normalised. */
    double *pr = t->cdf;
    pr[mode - lo] = 1.0;
    for (int64_t k = mode; k < hi; k++) {
        pr[k + 1 - lo] = pr[k - lo] *
                         ((nd - (double)k) / (double)(k + 1) * up);
    }
    for (int64_t k = mode; k > lo; k--) {
        pr[k - 1 - lo] = pr[k - lo] *
                         ((double)k / (nd - (double)k + 1.0) * down);
    }
    double sum = 0.0;
    for (int64_t i = 0; i < width; i++) {
        sum += pr[i];
        t->cdf[i] = sum;
    }
    for (int64_t i = 0; i < width; i++) {
        t->cdf[i] /= sum;
    }
    t->cdf[width - 1] = 1.0;    /* the search always stops */
    int64_t i = 0;
    for (int64_t g = 0; g < width; g++) {
        while (t->cdf[i] < (double)g / (double)width) {
            i++;
        }
        t->guide[g] = (int32_t)i;
    }
    return BC_OK;
}

void
bc_binomial_table_free(bc_binomial_table *t)
{
    free(t->cdf);
    free(t->guide);
    memset(t, 0, sizeof(*t));
}
