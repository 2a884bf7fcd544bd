/* bench_kernels.c -- ns per value of the exp-family vector kernels
 * (kernels.h, the path BRIANC_ISA selects) on 256-value blocks, as the
 * VM calls them, beside the same formulas written plainly and compiled
 * by gcc -O3 -march=native -ffast-math (glibc's vector exp), as the
 * hand C of benchmarks/baseline_c does.  Build and run:
 *
 *   bash tools/ctest.sh >/dev/null    # the core objects, build/ctest
 *   gcc -O3 -march=native -ffast-math -Icsrc/core \
 *       benchmarks/bench_kernels.c build/ctest/[a-z]*.o -lm -pthread
 *   BRIANC_ISA=avx2 ./a.out
 *
 * Inputs are membrane potentials of the HH demo's range mapped through
 * the demo's own affine arguments.  Best of 7 trials of CPU time. */
#define _POSIX_C_SOURCE 199309L

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "kernels.h"

enum { BLOCK = 256, REPS = 4000, TRIALS = 7 };

static double x_[BLOCK], num_[BLOCK], y_[BLOCK];

static double
cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef void (*bench_fn)(void);

static double
ns_per_value(bench_fn f)
{
    double best = INFINITY;
    for (int t = 0; t < TRIALS; t++) {
        double t0 = cpu_now();
        for (int r = 0; r < REPS; r++) {
            f();
            __asm__ volatile("" ::: "memory");
        }
        double dt = (cpu_now() - t0) / ((double)REPS * BLOCK) * 1e9;
        best = dt < best ? dt : best;
    }
    return best;
}

static const bc_kernels *K;

/* brianc, as the HH program calls them (alpha_m, beta_h, alpha_h, the
 * exponential Euler factor) */
static void b_exp(void) { K->exp_affine(x_, -25.0, -1.325, y_, BLOCK); }
static void b_expm1(void) { K->expm1_affine(x_, -250.0, -16.0, y_, BLOCK); }
static void b_exprel(void)
{
    K->exprel_affine(x_, 0.1, 0.0, 1e-4, y_, BLOCK);
}
static void b_divexpm1(void)
{
    K->div_exp_affine(num_, 0, x_, -250.0, -16.0, 1.0, 1, y_, BLOCK);
}
static void b_divexp1p(void)
{
    K->div_exp_affine(num_, 1, x_, -200.0, -1.0, 1.0, 0, y_, BLOCK);
}

/* the same formulas, plainly (glibc's libmvec under -ffast-math) */
static void c_exp(void)
{
    for (int k = 0; k < BLOCK; k++) {
        y_[k] = exp(x_[k] * -25.0 - 1.325);
    }
}
static void c_divexpm1(void)
{
    for (int k = 0; k < BLOCK; k++) {
        y_[k] = num_[k] / (exp(x_[k] * -250.0 - 16.0) - 1.0);
    }
}
static void c_exprel(void)
{
    for (int k = 0; k < BLOCK; k++) {
        double a = x_[k] * 0.1;
        y_[k] = 1e-4 * (exp(a) - 1.0) / a;
    }
}
static void c_divexp1p(void)
{
    for (int k = 0; k < BLOCK; k++) {
        y_[k] = 4.0 / (1.0 + exp(x_[k] * -200.0 - 1.0));
    }
}

int
main(void)
{
    K = bc_kernels_active();
    for (int k = 0; k < BLOCK; k++) {
        x_[k] = -0.08 + 0.1 * (double)((k * 97) % BLOCK) / BLOCK;  /* V */
        num_[k] = 1.0 + x_[k];
    }
    struct { const char *name; bench_fn b, c; } rows[] = {
        {"exp(a x + b)", b_exp, c_exp},
        {"expm1(a x + b)", b_expm1, NULL},
        {"s exprel(a x)", b_exprel, c_exprel},
        {"y / expm1(a x + b)", b_divexpm1, c_divexpm1},
        {"c / (1 + exp(a x + b))", b_divexp1p, c_divexp1p},
    };
    printf("kernels: %s; ns per value, 256-value blocks, best of %d "
           "(CPU time)\n", K->name, TRIALS);
    printf("| kernel | brianc | plain C -ffast-math | ratio |\n"
           "|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double b = ns_per_value(rows[i].b);
        if (rows[i].c != NULL) {
            double c = ns_per_value(rows[i].c);
            printf("| %s | %.2f | %.2f | %.2f |\n", rows[i].name, b, c,
                   b / c);
        } else {
            printf("| %s | %.2f | - | - |\n", rows[i].name, b);
        }
    }
    return 0;
}
