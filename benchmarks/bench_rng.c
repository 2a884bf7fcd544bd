/* bench_rng.c -- time the core's normal and uniform draws in blocks of 256
 * (the VM's block size), in ns per draw: the median of several runs.
 *
 *   gcc -O3 -fno-math-errno -fno-trapping-math -ffp-contract=off
 *       -Icsrc/core benchmarks/bench_rng.c csrc/core/[a-z]*.c -lm
 *   ./bench_rng [n_neurons] [steps] [runs]
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rng.h"

#define BLOCK 256

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ns per draw for steps sweeps over n neurons, drawn BLOCK at a time. */
static double
time_draws(int normal, bc_index n, int steps, double *out, double *sink)
{
    double t0 = now();
    for (int s = 0; s < steps; s++) {
        for (bc_index first = 0; first < n; first += BLOCK) {
            bc_index len = n - first < BLOCK ? n - first : BLOCK;
            if (normal) {
                bc_rng_normal_block(42, 256, s, (uint64_t)first, len, out);
            }
            else {
                bc_rng_uniform_block(42, 256, s, (uint64_t)first, len, out);
            }
            *sink += out[0];
        }
    }
    return (now() - t0) * 1e9 / ((double)n * steps);
}

int
main(int argc, char **argv)
{
    bc_index n = argc > 1 ? (bc_index)atoi(argv[1]) : 4000;
    int steps = argc > 2 ? atoi(argv[2]) : 2000;
    int runs = argc > 3 ? atoi(argv[3]) : 7;
    double out[BLOCK], sink = 0.0;
    double tn[64], tu[64];
    runs = runs > 64 ? 64 : runs;
    for (int r = 0; r < runs; r++) {
        tn[r] = time_draws(1, n, steps, out, &sink);
        tu[r] = time_draws(0, n, steps, out, &sink);
    }
    qsort(tn, (size_t)runs, sizeof tn[0], cmp_double);
    qsort(tu, (size_t)runs, sizeof tu[0], cmp_double);
    printf("normal %.3f ns  uniform %.3f ns  (median of %d, n=%d)\n",
           tn[runs / 2], tu[runs / 2], runs, (int)n);
    return sink == 12345.0;     /* keep the draws alive */
}
