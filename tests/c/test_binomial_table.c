/* test_binomial_table.c -- C tests for binomial_table.{h,c}: the table
 * against the exact pmf, the inversion at the cdf's steps, moments, and
 * the width limit. */
#include <math.h>
#include <stdlib.h>

#include "binomial_table.h"
#include "check.h"
#include "rng.h"

/* P(K = k) for Binomial(n, p) by the product formula in long double. */
static long double
pmf(int64_t n, double p, int64_t k)
{
    long double v = 1.0L;
    for (int64_t j = 0; j < k; j++) {
        v *= (long double)(n - j) / (long double)(j + 1);
    }
    return v * powl(p, (long double)k) * powl(1.0L - p, (long double)(n - k));
}

static void
test_exact(void)
{
    static const struct {
        int64_t n;
        double p;
    } cases[] = {{20, 0.3}, {1, 0.5}, {7, 0.01}, {50, 0.97}, {300, 0.02}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        bc_binomial_table t;
        int64_t n = cases[c].n;
        CHECK(bc_binomial_table_init(&t, n, cases[c].p) == BC_OK);
        CHECK(t.lo >= 0 && t.lo + t.width - 1 <= n);
        CHECK(t.cdf[t.width - 1] == 1.0);
        int close = 1, steps = 1;
        long double cum = 0.0L;
        for (int64_t k = 0; k <= n; k++) {
            cum += pmf(n, cases[c].p, k);
            if (k >= t.lo && k < t.lo + t.width && cum < 1.0L - 1e-12L) {
                close &= fabsl(t.cdf[k - t.lo] - cum) < 1e-12L;
            }
            /* just above the step k-1 -> k gives k, at it k - 1 (below
             * the top, where rounding may make steps flat) */
            if (k > t.lo && k < t.lo + t.width &&
                t.cdf[k - 1 - t.lo] < 1.0 - 1e-9) {
                double at = t.cdf[k - 1 - t.lo];
                steps &= bc_binomial_table_invert(&t, at) == k - 1;
                steps &= bc_binomial_table_invert(&t, nextafter(at, 2.0))
                         == k;
            }
        }
        CHECK(close);
        CHECK(steps);
        int64_t r = bc_binomial_table_invert(&t, 0x1p-54) - t.lo;
        CHECK(t.cdf[r] >= 0x1p-54 && (r == 0 || t.cdf[r - 1] < 0x1p-54));
        const double top = 1.0 - 0x1p-53;
        r = bc_binomial_table_invert(&t, top) - t.lo;
        CHECK(r < t.width && t.cdf[r] >= top &&
              (r == 0 || t.cdf[r - 1] < top));
        bc_binomial_table_free(&t);
    }
}

static void
test_moments_and_limit(void)
{
    enum { DRAWS = 100000 };
    static double u[DRAWS];
    bc_rng_uniform_block(3, 4, 5, 0, DRAWS, u);
    bc_binomial_table t;
    CHECK(bc_binomial_table_init(&t, 20000, 0.02) == BC_OK);
    double s = 0.0, s2 = 0.0;
    for (int k = 0; k < DRAWS; k++) {
        double x = (double)bc_binomial_table_invert(&t, u[k]);
        s += x;
        s2 += x * x;
    }
    double mean = s / DRAWS, var = s2 / DRAWS - mean * mean;
    double s2_true = 20000 * 0.02 * 0.98;
    CHECK(fabs(mean - 400.0) < 5.0 * sqrt(s2_true / DRAWS));
    CHECK(fabs(var - s2_true) < 6.0 * s2_true * sqrt(2.0 / DRAWS));
    bc_binomial_table_free(&t);
    /* sd 50000: far wider than the limit */
    CHECK(bc_binomial_table_init(&t, INT64_C(10000000000), 0.5)
          == BC_ERANGE);
    bc_binomial_table_free(&t);
}

int
main(void)
{
    test_exact();
    test_moments_and_limit();
    return check_report();
}
