/* test_bernoulli_skips.c -- C tests for bernoulli_skips.{h,c}: the
 * successes of n Bernoulli(p) trials against the binomial and geometric
 * laws, edge cases and determinism. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bernoulli_skips.h"
#include "check.h"

static void
test_edges(void)
{
    bc_index out[10];
    CHECK(bc_bernoulli_skips(1, 2, 3, 10, 0.0, out) == 0);
    CHECK(bc_bernoulli_skips(1, 2, 3, 10, -0.5, out) == 0);
    CHECK(bc_bernoulli_skips(1, 2, 3, 10, NAN, out) == 0);
    CHECK(bc_bernoulli_skips(1, 2, 3, 0, 0.5, out) == 0);
    CHECK(bc_bernoulli_skips(1, 2, 3, 10, 1.0, out) == 10);
    int all = 1;
    for (int i = 0; i < 10; i++) {
        all &= out[i] == i;
    }
    CHECK(all);
}

/* Over many steps: the total count (binomial), every position equally
 * likely (a chi-square over positions), neighbours independent, the
 * waiting time of one trial geometric, outputs ascending and in range,
 * and the same draws for the same (seed, stream, step). */
static void
test_law(void)
{
    enum { N = 1000, STEPS = 2000 };
    const double p = 0.02;
    bc_index *out = malloc(N * sizeof *out);
    bc_index *again = malloc(N * sizeof *again);
    long *count = calloc(N, sizeof *count);
    long *last = malloc(N * sizeof *last);
    CHECK(out != NULL && again != NULL && count != NULL && last != NULL);
    if (out == NULL || again == NULL || count == NULL || last == NULL) {
        return;
    }
    for (int i = 0; i < N; i++) {
        last[i] = -1;
    }
    long total = 0, neighbours = 0, n_waits = 0;
    double wait_sum = 0.0;
    int ordered = 1, same = 1;
    for (bc_step s = 0; s < STEPS; s++) {
        bc_index k = bc_bernoulli_skips(77, 5, s, N, p, out);
        bc_index k2 = bc_bernoulli_skips(77, 5, s, N, p, again);
        same &= k == k2 && memcmp(out, again, (size_t)k * sizeof *out) == 0;
        for (bc_index j = 0; j < k; j++) {
            ordered &= out[j] >= 0 && out[j] < N
                       && (j == 0 || out[j] > out[j - 1]);
            neighbours += j > 0 && out[j] == out[j - 1] + 1;
            count[out[j]]++;
            /* waits from starts early enough that the window cuts off
             * none (P(wait > 1000) = 2e-9) */
            if (last[out[j]] >= 0 && last[out[j]] < STEPS - 1000) {
                wait_sum += (double)(s - last[out[j]]);
                n_waits++;
            }
            last[out[j]] = (long)s;
        }
        total += k;
    }
    CHECK(ordered);
    CHECK(same);
    double trials = (double)N * STEPS;
    double mean = trials * p, sd = sqrt(trials * p * (1 - p));
    printf("total %ld (expected %.0f +- %.0f)\n", total, mean, sd);
    CHECK(fabs((double)total - mean) < 5 * sd);
    /* sum (c - m)^2 / (m (1 - p)) over positions ~ chi2(N - 1) */
    double m = STEPS * p, chi2 = 0.0;
    for (int i = 0; i < N; i++) {
        chi2 += ((double)count[i] - m) * ((double)count[i] - m)
                / (m * (1 - p));
    }
    printf("chi2 over positions %.1f (dof %d)\n", chi2, N - 1);
    CHECK(fabs(chi2 - (N - 1)) < 5 * sqrt(2.0 * (N - 1)));
    /* both of two neighbours: p^2 per pair */
    double pairs = (double)(N - 1) * STEPS * p * p;
    printf("neighbour pairs %ld (expected %.0f)\n", neighbours, pairs);
    CHECK(fabs((double)neighbours - pairs) < 5 * sqrt(pairs));
    /* waiting time in steps: geometric, mean 1/p, variance (1-p)/p^2 */
    double w_mean = wait_sum / (double)n_waits;
    double w_sd = sqrt((1 - p) / (p * p) / (double)n_waits);
    printf("mean wait %.3f steps (expected %.3f +- %.3f)\n", w_mean, 1 / p,
           w_sd);
    CHECK(fabs(w_mean - 1 / p) < 5 * w_sd);
    free(out);
    free(again);
    free(count);
    free(last);
}

/* A large p (beyond the batch of 64 gaps several times) keeps the law. */
static void
test_many_per_step(void)
{
    enum { N = 5000, STEPS = 200 };
    const double p = 0.04;
    bc_index *out = malloc(N * sizeof *out);
    CHECK(out != NULL);
    if (out == NULL) {
        return;
    }
    double sum = 0.0, sum2 = 0.0;
    for (bc_step s = 0; s < STEPS; s++) {
        double k = (double)bc_bernoulli_skips(3, 9, s, N, p, out);
        sum += k;
        sum2 += k * k;
    }
    double mean = sum / STEPS, var = sum2 / STEPS - mean * mean;
    double m = N * p, v = N * p * (1 - p);
    printf("per step %.2f (expected %.1f), variance %.1f (expected %.1f)\n",
           mean, m, var, v);
    CHECK(fabs(mean - m) < 5 * sqrt(v / STEPS));
    CHECK(fabs(var / v - 1) < 5 * sqrt(2.0 / STEPS));
    free(out);
}

int
main(void)
{
    test_edges();
    test_law();
    test_many_per_step();
    return check_report();
}
