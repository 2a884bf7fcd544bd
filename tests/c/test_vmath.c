/* test_vmath.c -- C tests for vmath.{h,c}: accuracy against libm in ulp
 * over random inputs, special values, in-place use, scalar == block; also
 * prints the speed of the block functions (informational). */
#define _POSIX_C_SOURCE 199309L     /* clock_gettime */

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "kernels.h"
#include "rng.h"
#include "vmath.h"

#define N_RANDOM 200000

/* |y - ref| in units of the spacing of doubles at ref (subnormal spacing
 * below DBL_MIN). */
static double
ulp_error(double y, double ref)
{
    if (isnan(ref) || isnan(y)) {
        return (isnan(ref) && isnan(y)) ? 0.0 : INFINITY;
    }
    if (isinf(ref) || isinf(y)) {
        return y == ref ? 0.0 : INFINITY;
    }
    double a = fabs(ref);
    double spacing = a < DBL_MIN ? 0x1p-1074 : nextafter(a, INFINITY) - a;
    return fabs(y - ref) / spacing;
}

/* Deterministic test inputs from the generator itself. */
static void
uniform_inputs(double *x, int n, double lo, double hi, uint64_t stream)
{
    bc_rng_uniform_block(31337, stream, 0, 0, n, x);
    for (int k = 0; k < n; k++) {
        x[k] = lo + (hi - lo) * x[k];
    }
}

typedef void (*block_fn)(const double *, double *, bc_index);
typedef double (*ref_fn)(double);

static double
max_ulp(block_fn f, ref_fn ref, const double *x, int n)
{
    double *y = malloc((size_t)n * sizeof *y);
    double worst = 0.0;
    if (y == NULL) {
        return INFINITY;
    }
    f(x, y, n);
    for (int k = 0; k < n; k++) {
        double e = ulp_error(y[k], ref(x[k]));
        worst = e > worst ? e : worst;
    }
    free(y);
    return worst;
}

static void
test_exp(double *x)
{
    uniform_inputs(x, N_RANDOM, -745.0, 709.7, 1);
    double e_full = max_ulp(bc_vexp, exp, x, N_RANDOM);
    uniform_inputs(x, N_RANDOM, -1.0, 1.0, 2);
    double e_small = max_ulp(bc_vexp, exp, x, N_RANDOM);
    uniform_inputs(x, N_RANDOM, -745.2, -708.0, 3);     /* subnormal */
    double e_sub = max_ulp(bc_vexp, exp, x, N_RANDOM);
    printf("exp: max error %.3f ulp (full range), %.3f ulp ([-1, 1]), "
           "%.3f ulp (subnormal results)\n", e_full, e_small, e_sub);
    CHECK(e_full <= 1.0);
    CHECK(e_small <= 1.0);
    CHECK(e_sub <= 1.0);

    double in[] = {0.0, -0.0, 1.0, INFINITY, -INFINITY, NAN, 710.0, 1e300,
                   -746.0, -1e300, 709.78, -745.1, 1e-300, -1e-20};
    enum { N_IN = sizeof in / sizeof in[0] };
    double out[N_IN];
    bc_vexp(in, out, N_IN);
    CHECK(out[0] == 1.0);
    CHECK(out[1] == 1.0);
    CHECK(ulp_error(out[2], 2.718281828459045) <= 1.0);
    CHECK(out[3] == INFINITY);
    CHECK(out[4] == 0.0);
    CHECK(isnan(out[5]));
    CHECK(out[6] == INFINITY);
    CHECK(out[7] == INFINITY);
    CHECK(out[8] == 0.0);
    CHECK(out[9] == 0.0);
    CHECK(isfinite(out[10]) && ulp_error(out[10], exp(709.78)) <= 1.0);
    CHECK(out[11] == 0x1p-1074);
    CHECK(out[12] == 1.0);
    CHECK(out[13] == 1.0 - 1e-20);
    /* in place, and the inline kernel gives the same bits */
    uniform_inputs(x, 1000, -50.0, 50.0, 4);
    double y[1000];
    bc_vexp(x, y, 1000);
    bc_vexp(x, x, 1000);
    int same = 1;
    for (int k = 0; k < 1000; k++) {
        same &= x[k] == y[k];
    }
    CHECK(same);
    uniform_inputs(x, 1000, -50.0, 50.0, 4);
    same = 1;
    for (int k = 0; k < 1000; k++) {
        same &= bc_exp_kernel(x[k]) == y[k];
    }
    CHECK(same);
}

static void
test_log(double *x)
{
    /* random bit patterns: every exponent, normal and subnormal */
    double *raw = malloc(N_RANDOM * sizeof *raw);
    CHECK(raw != NULL);
    if (raw == NULL) {
        return;
    }
    bc_rng_uniform_block(4242, 5, 0, 0, N_RANDOM, raw);
    for (int k = 0; k < N_RANDOM; k++) {
        uint64_t bits = (uint64_t)(raw[k] * 0x1p53) << 11;
        bits &= UINT64_C(0x7fffffffffffffff);
        if (bits >= UINT64_C(0x7ff0000000000000)) {
            bits -= UINT64_C(0x0010000000000000);   /* keep it finite */
        }
        memcpy(&x[k], &bits, sizeof bits);
    }
    free(raw);
    double e_bits = max_ulp(bc_vlog, log, x, N_RANDOM);
    uniform_inputs(x, N_RANDOM, 0.5, 2.0, 6);
    double e_near1 = max_ulp(bc_vlog, log, x, N_RANDOM);
    uniform_inputs(x, N_RANDOM, 0.0, 1.0, 7);
    double e_unit = max_ulp(bc_vlog, log, x, N_RANDOM);
    printf("log: max error %.3f ulp (all exponents), %.3f ulp ([0.5, 2]), "
           "%.3f ulp ((0, 1))\n", e_bits, e_near1, e_unit);
    CHECK(e_bits <= 1.0);
    CHECK(e_near1 <= 1.0);
    CHECK(e_unit <= 1.0);

    double in[] = {1.0, 0.0, -0.0, -1.0, INFINITY, -INFINITY, NAN,
                   0x1p-1074, DBL_MAX, 2.0, 0x1p-1022, 1e-310};
    enum { N_IN = sizeof in / sizeof in[0] };
    double out[N_IN];
    bc_vlog(in, out, N_IN);
    CHECK(out[0] == 0.0);
    CHECK(out[1] == -INFINITY);
    CHECK(out[2] == -INFINITY);
    CHECK(isnan(out[3]));
    CHECK(out[4] == INFINITY);
    CHECK(isnan(out[5]));
    CHECK(isnan(out[6]));
    CHECK(ulp_error(out[7], log(0x1p-1074)) <= 1.0);
    CHECK(ulp_error(out[8], log(DBL_MAX)) <= 1.0);
    CHECK(ulp_error(out[9], 0.6931471805599453) <= 1.0);
    CHECK(ulp_error(out[10], log(0x1p-1022)) <= 1.0);
    CHECK(ulp_error(out[11], log(1e-310)) <= 1.0);
}

static void
test_trig(double *x)
{
    uniform_inputs(x, N_RANDOM, -3.2, 3.2, 8);
    double s_small = max_ulp(bc_vsin, sin, x, N_RANDOM);
    double c_small = max_ulp(bc_vcos, cos, x, N_RANDOM);
    uniform_inputs(x, N_RANDOM, -1e5, 1e5, 9);
    double s_big = max_ulp(bc_vsin, sin, x, N_RANDOM);
    double c_big = max_ulp(bc_vcos, cos, x, N_RANDOM);
    printf("sin: max error %.3f ulp ([-3.2, 3.2]), %.3f ulp ([-1e5, 1e5])\n",
           s_small, s_big);
    printf("cos: max error %.3f ulp ([-3.2, 3.2]), %.3f ulp ([-1e5, 1e5])\n",
           c_small, c_big);
    CHECK(s_small <= 2.0);
    CHECK(c_small <= 2.0);
    CHECK(s_big <= 2.0);
    CHECK(c_big <= 2.0);

    double in[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1e300, 1e6,
                   1.5707963267948966, 3.141592653589793, 1e-300};
    enum { N_IN = sizeof in / sizeof in[0] };
    double s[N_IN], c[N_IN];
    bc_vsin(in, s, N_IN);
    bc_vcos(in, c, N_IN);
    CHECK(s[0] == 0.0 && c[0] == 1.0);
    CHECK(s[1] == 0.0 && signbit(s[1]) && c[1] == 1.0);
    CHECK(isnan(s[2]) && isnan(c[2]) && isnan(s[3]) && isnan(c[3]));
    CHECK(isnan(s[4]) && isnan(c[4]));
    CHECK(s[5] == sin(1e300) && c[5] == cos(1e300));    /* libm path */
    CHECK(s[6] == sin(1e6) && c[6] == cos(1e6));
    CHECK(s[7] == 1.0);
    CHECK(ulp_error(c[7], cos(1.5707963267948966)) <= 2.0);
    CHECK(ulp_error(s[8], sin(3.141592653589793)) <= 2.0);
    CHECK(c[8] == -1.0);
    CHECK(s[9] == 1e-300);
    /* in place */
    double y[N_IN];
    memcpy(y, in, sizeof in);
    bc_vsin(y, y, N_IN);
    int same = 1;
    for (int k = 0; k < N_IN; k++) {
        same &= (y[k] == s[k]) || (isnan(y[k]) && isnan(s[k]));
    }
    CHECK(same);
}

static void
test_sqrt(void)
{
    double in[] = {4.0, 0.0, -1.0, 2.0};
    double out[4];
    bc_vsqrt(in, out, 4);
    CHECK(out[0] == 2.0 && out[1] == 0.0 && isnan(out[2])
          && out[3] == sqrt(2.0));
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ns per element over repeated 256-element blocks (best of 5). */
static double
time_block(block_fn f, const double *x, double *y)
{
    enum { REPS = 2000, BLOCK = 256 };
    double best = INFINITY;
    for (int trial = 0; trial < 5; trial++) {
        double t0 = now();
        for (int r = 0; r < REPS; r++) {
            f(x, y, BLOCK);
        }
        double dt = (now() - t0) / (REPS * (double)BLOCK) * 1e9;
        best = dt < best ? dt : best;
    }
    return best;
}

static void
vnormal(const double *x, double *y, bc_index n)
{
    (void)x;
    bc_rng_normal_block(1, 2, 3, 0, n, y);
}

static void
vuniform(const double *x, double *y, bc_index n)
{
    (void)x;
    bc_rng_uniform_block(1, 2, 3, 0, n, y);
}

static void
libm_exp(const double *x, double *y, bc_index n)
{
    for (bc_index k = 0; k < n; k++) {
        y[k] = exp(x[k]);
    }
}

static void
test_expm1(double *x)
{
    uniform_inputs(x, N_RANDOM, -50.0, 709.7, 21);
    double e_full = max_ulp(bc_vexpm1, expm1, x, N_RANDOM);
    uniform_inputs(x, N_RANDOM, -1.0, 1.0, 22);
    double e_small = max_ulp(bc_vexpm1, expm1, x, N_RANDOM);
    uniform_inputs(x, N_RANDOM, -1e-6, 1e-6, 23);       /* near 0 */
    double e_tiny = max_ulp(bc_vexpm1, expm1, x, N_RANDOM);
    /* around the first table buckets, where 2^m T - 1 cancels */
    uniform_inputs(x, N_RANDOM, -0.1, 0.1, 24);
    double e_cancel = max_ulp(bc_vexpm1, expm1, x, N_RANDOM);
    printf("expm1: max error %.3f ulp (full range), %.3f ulp ([-1, 1]), "
           "%.3f ulp (|x| < 1e-6), %.3f ulp ([-0.1, 0.1])\n", e_full,
           e_small, e_tiny, e_cancel);
    CHECK(e_full <= 2.0);
    CHECK(e_small <= 2.0);
    CHECK(e_tiny <= 1.0);
    CHECK(e_cancel <= 2.0);
    double special[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 710.0, -800.0,
                        1e-300, -1e-300};
    double y[9];
    bc_vexpm1(special, y, 9);
    CHECK(y[0] == 0.0 && !signbit(y[0]) && y[1] == 0.0 && signbit(y[1]));
    CHECK(isinf(y[2]) && y[2] > 0 && y[3] == -1.0);
    CHECK(isnan(y[4]) && isinf(y[5]) && y[6] == -1.0);
    CHECK(y[7] == 1e-300 && y[8] == -1e-300);
    /* just below overflow, where 2^m T alone would overflow */
    double edge[] = {709.7827, 709.77, 709.762};
    bc_vexpm1(edge, y, 3);
    for (int k = 0; k < 3; k++) {
        CHECK(isfinite(y[k]) && ulp_error(y[k], expm1(edge[k])) <= 2.0);
    }
}

static double
exprel_ref(double x)
{
    return x == 0.0 ? 1.0 : expm1(x) / x;
}

static void
test_exprel(double *x)
{
    uniform_inputs(x, N_RANDOM, -50.0, 709.0, 31);
    double e_full = max_ulp(bc_vexprel, exprel_ref, x, N_RANDOM);
    uniform_inputs(x, N_RANDOM, -1e-3, 1e-3, 32);
    double e_small = max_ulp(bc_vexprel, exprel_ref, x, N_RANDOM);
    printf("exprel: max error %.3f ulp (full range), %.3f ulp (near 0)\n",
           e_full, e_small);
    CHECK(e_full <= 3.0);
    CHECK(e_small <= 3.0);
    double special[] = {0.0, -INFINITY, INFINITY, NAN, 800.0, -800.0};
    double y[6];
    bc_vexprel(special, y, 6);
    CHECK(y[0] == 1.0 && y[1] == 0.0 && isinf(y[2]) && isnan(y[3]));
    CHECK(isinf(y[4]) && fabs(y[5] - 1.0 / 800.0) < 1e-18);     /* see vmath.c */
}

/* The block functions (the vector kernels of whichever instruction set
 * runs, see kernels.h) and the inline kernels give bit-identical results, special values included (a
 * NaN stays a NaN; its sign bit may differ). */
static void
test_block_equals_kernel(double *x)
{
    uniform_inputs(x, N_RANDOM, -760.0, 720.0, 41);
    /* also the reduction's edges: n = 1024 (the last finite results),
     * |r| = ln2/2 where n steps (x = +-0.3466, +-1.0397), the fast
     * paths' bounds (|x| 40 and 708, 2^-54), clamps, huge and subnormal
     * inputs */
    double special[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 709.78, -745.1,
                        -40.5, 1e-300, -1e-300, 0.5, -0.5, 709.7827,
                        709.77, 709.79, 0.3465736, -0.3465736, 1.0397208,
                        -1.0397208, 745.9, -745.9, 1e308, -1e308, 0x1p-1074,
                        -40.0, -39.99, 710.0, -710.5, 40.0, 40.01, 708.0,
                        -708.0, 0x1p-54, -0x1p-54, 0x1.fffffffffffffp-55};
    int n_special = (int)(sizeof special / sizeof special[0]);
    for (int k = 0; k < n_special; k++) {
        x[k] = special[k];
    }
    double *y = malloc(N_RANDOM * sizeof *y);
    CHECK(y != NULL);
    if (y == NULL) {
        return;
    }
    int same_exp = 1, same_expm1 = 1, same_exprel = 1;
    bc_vexp(x, y, N_RANDOM - 3);            /* odd length: a masked tail */
    for (int k = 0; k < N_RANDOM - 3; k++) {
        double z = bc_exp_kernel(x[k]);
        same_exp &= (isnan(z) && isnan(y[k])) ||
                    memcmp(&y[k], &z, sizeof z) == 0;
    }
    bc_vexpm1(x, y, N_RANDOM - 5);
    for (int k = 0; k < N_RANDOM - 5; k++) {
        double z = bc_expm1_kernel(x[k]);
        same_expm1 &= (isnan(z) && isnan(y[k])) ||
                      memcmp(&y[k], &z, sizeof z) == 0;
    }
    bc_vexprel(x, y, N_RANDOM);
    for (int k = 0; k < N_RANDOM; k++) {
        double v = x[k], z;
        z = v == 0.0 ? 1.0 : bc_expm1_kernel(v) / v;
        z = v == HUGE_VAL ? v : z;
        same_exprel &= (isnan(z) && isnan(y[k])) ||
                       memcmp(&y[k], &z, sizeof z) == 0;
    }
    CHECK(same_exp);
    CHECK(same_expm1);
    CHECK(same_exprel);
    free(y);
}

/* log, sin and cos blocks equal their inline kernels bit for bit (odd
 * lengths: a padded tail), special values included. */
static void
test_log_trig_equal_kernel(double *x)
{
    double *y = malloc(N_RANDOM * sizeof *y);
    CHECK(y != NULL);
    if (y == NULL) {
        return;
    }
    uniform_inputs(x, N_RANDOM, -700.0, 700.0, 43);
    for (int k = 0; k < N_RANDOM; k += 3) {
        x[k] = exp(x[k]);                   /* every exponent */
    }
    double special[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 0x1p-1074,
                        0x1p-1022, 1.0, -1.0, 1e308};
    for (int k = 0; k < (int)(sizeof special / sizeof special[0]); k++) {
        x[k] = special[k];
    }
    int same_log = 1, same_sin = 1, same_cos = 1;
    bc_vlog(x, y, N_RANDOM - 1);
    for (int k = 0; k < N_RANDOM - 1; k++) {
        double z = bc_log_kernel(x[k]);
        same_log &= (isnan(z) && isnan(y[k])) ||
                    memcmp(&y[k], &z, sizeof z) == 0;
    }
    uniform_inputs(x, N_RANDOM, -1e5, 1e5, 47);
    x[0] = 0.0;
    x[1] = -0.0;
    bc_vsin(x, y, N_RANDOM - 3);
    for (int k = 0; k < N_RANDOM - 3; k++) {
        double z = bc_sincos_kernel(x[k], 0);
        same_sin &= memcmp(&y[k], &z, sizeof z) == 0;
    }
    bc_vcos(x, y, N_RANDOM - 1);
    for (int k = 0; k < N_RANDOM - 1; k++) {
        double z = bc_sincos_kernel(x[k], 1);
        same_cos &= memcmp(&y[k], &z, sizeof z) == 0;
    }
    CHECK(same_log);
    CHECK(same_sin);
    CHECK(same_cos);
    free(y);
}

/* The affine forms equal the kernels applied to x*a + b rounded twice, in
 * the block functions' AVX-512 and portable paths alike. */
static void
test_affine_equals_kernel(double *x)
{
    uniform_inputs(x, N_RANDOM, -30.0, 30.0, 43);
    x[0] = 0.0;
    x[1] = NAN;
    x[2] = 2.0;             /* 2 * -0.5 + 1 = 0: exprel's special case */
    double *y = malloc(N_RANDOM * sizeof *y);
    CHECK(y != NULL);
    if (y == NULL) {
        return;
    }
    const double a = -0.5, b = 1.0;
    int same = 1;
    bc_vexp_affine(x, a, b, y, N_RANDOM - 1);
    for (int k = 0; k < N_RANDOM - 1; k++) {
        double z = bc_exp_kernel(x[k] * a + b);
        same &= (isnan(z) && isnan(y[k])) || memcmp(&y[k], &z, sizeof z) == 0;
    }
    bc_vexpm1_affine(x, a, b, y, N_RANDOM - 2);
    for (int k = 0; k < N_RANDOM - 2; k++) {
        double z = bc_expm1_kernel(x[k] * a + b);
        same &= (isnan(z) && isnan(y[k])) || memcmp(&y[k], &z, sizeof z) == 0;
    }
    bc_vexprel_affine(x, a, b, y, N_RANDOM);
    for (int k = 0; k < N_RANDOM; k++) {
        double v = x[k] * a + b;
        double z = v == 0.0 ? 1.0 : bc_expm1_kernel(v) / v;
        same &= (isnan(z) && isnan(y[k])) || memcmp(&y[k], &z, sizeof z) == 0;
    }
    CHECK(same);
    CHECK(y[2] == 1.0);
    free(y);
}

/* The all-lanes-plain paths (2^-54 <= |x| <= 40, every exponent n of
 * that range: magnitudes spread logarithmically, both signs) give the
 * scalar kernels' bits: expm1, exprel, the scaled exprel (x a + (-0)
 * skipped) and the quotients with and without their scale. */
static void
test_plain_paths_equal_kernel(double *x)
{
    uniform_inputs(x, N_RANDOM, -54.0 * 0.6931471805599453, log(40.0), 44);
    for (int k = 0; k < N_RANDOM; k++) {
        x[k] = (k & 1 ? -1.0 : 1.0) * exp(x[k]);
    }
    double *y = malloc(N_RANDOM * sizeof *y);
    double *num = malloc(N_RANDOM * sizeof *num);
    CHECK(y != NULL && num != NULL);
    if (y == NULL || num == NULL) {
        free(y);
        free(num);
        return;
    }
    uniform_inputs(num, N_RANDOM, -2.0, 2.0, 45);
    int same_expm1 = 1, same_exprel = 1, same_scaled = 1, same_div = 1;
    bc_vexpm1(x, y, N_RANDOM - 1);
    for (int k = 0; k < N_RANDOM - 1; k++) {
        double z = bc_expm1_kernel(x[k]);
        same_expm1 &= memcmp(&y[k], &z, sizeof z) == 0;
    }
    bc_vexprel(x, y, N_RANDOM);
    for (int k = 0; k < N_RANDOM; k++) {
        double z = bc_exprel_kernel(x[k]);
        same_exprel &= memcmp(&y[k], &z, sizeof z) == 0;
    }
    const double a = 0.75, s = 1e-4;
    bc_vexprel_scaled(x, a, s, y, N_RANDOM - 2);
    for (int k = 0; k < N_RANDOM - 2; k++) {
        double z = bc_exprel_kernel(x[k] * a) * s;
        same_scaled &= memcmp(&y[k], &z, sizeof z) == 0;
    }
    for (int scaled = 0; scaled < 2; scaled++) {
        double sc = scaled ? -3.0 : 1.0;
        bc_vdiv_exp_affine(num, 0, x, a, -0.0, sc, 1, y, N_RANDOM - 3);
        for (int k = 0; k < N_RANDOM - 3; k++) {
            double z = sc * (num[k] / bc_expm1_kernel(x[k] * a + -0.0));
            same_div &= memcmp(&y[k], &z, sizeof z) == 0;
        }
    }
    CHECK(same_expm1);
    CHECK(same_exprel);
    CHECK(same_scaled);
    CHECK(same_div);
    free(y);
    free(num);
}

/* Whether y holds the bits of z (any NaN for a NaN). */
static int
same_value(double y, double z)
{
    return (isnan(y) && isnan(z)) || memcmp(&y, &z, sizeof y) == 0;
}

/* The kernels that divide by an exponential run software-pipelined (the
 * store of vector k - 1 after the loads of vector k): every length from
 * 0 to past four vectors of the widest path, vectors mixing plain lanes
 * with the special ones (0, tiny, NaN, infinities, beyond the clamps),
 * in place on the argument and on the numerator, give the separate
 * operations' bits. */
static void
test_quotients_in_place_every_length(void)
{
    static const double pool[] = {
        0.3, -1.7, 2.5e-3, -0.9, 12.0, -33.0, 0.0, -0.0, 0x1p-60, NAN,
        HUGE_VAL, -HUGE_VAL, 45.0, -800.0, 720.0, 1e-5, -6.0, 0.69,
    };
    enum { POOL = sizeof pool / sizeof pool[0], MAX_N = 37 };
    const double a = 0.75, b = -0.25;
    int same = 1;
    for (int n = 0; n <= MAX_N; n++) {
        for (int mixed = 0; mixed < 2; mixed++) {
            double x[MAX_N], num[MAX_N], y[MAX_N];
            for (int k = 0; k < n; k++) {
                /* plain lanes only, or every third lane special */
                x[k] = mixed ? pool[(k * 7 + n) % POOL]
                             : pool[(k * 5 + n) % 6] * (1.0 + k / 64.0);
                num[k] = 1.5 - (double)k / 8.0;
            }
            for (int form = 0; form < 5; form++) {
                double sc = form == 1 || form == 3 ? -3.0 : 1.0;
                int m1 = form < 2;
                double z[MAX_N], t[MAX_N];
                memcpy(t, x, sizeof x);
                if (form == 4) {
                    /* the scaled exprel, in place on x */
                    bc_vexprel_scaled(t, a, 1e-4, t, n);
                    for (int k = 0; k < n; k++) {
                        z[k] = bc_exprel_kernel(x[k] * a) * 1e-4;
                    }
                } else {
                    /* the quotient in place on its numerator */
                    memcpy(y, num, sizeof num);
                    bc_vdiv_exp_affine(y, 0, t, a, b, sc, m1, y, n);
                    memcpy(t, y, sizeof y);
                    for (int k = 0; k < n; k++) {
                        double arg = x[k] * a + b;
                        double den = m1 ? bc_expm1_kernel(arg)
                                        : 1.0 + bc_exp_kernel(arg);
                        z[k] = sc == 1.0 ? num[k] / den
                                         : sc * (num[k] / den);
                    }
                }
                for (int k = 0; k < n; k++) {
                    same &= same_value(t[k], z[k]);
                }
            }
        }
    }
    CHECK(same);
}

/* |y - ref| in units of the spacing of doubles at ref, for a long double
 * ref: a fractional error (ulp_error's reference is itself rounded). */
static double
ulp_error_long(double y, long double ref)
{
    if (isnan(ref) || isnan(y)) {
        return (isnan(ref) && isnan(y)) ? 0.0 : INFINITY;
    }
    if (isinf(y) || fabsl(ref) > DBL_MAX) {
        return y == (double)ref ? 0.0 : INFINITY;
    }
    int e;
    frexpl(ref, &e);
    long double spacing = fabsl(ref) < DBL_MIN ? 0x1p-1074L
                                               : ldexpl(1.0L, e - 53);
    return (double)(fabsl((long double)y - ref) / spacing);
}

static long double
exprel_ref_long(double x)
{
    return x == 0.0 ? 1.0L : expm1l(x) / x;
}

/* The worst error of a block function over n points evenly spread over
 * [lo, hi] (both included), against a long double reference. */
static double
sweep_ulp(block_fn f, long double (*ref)(long double), double lo, double hi,
          double *x, double *y, int n)
{
    for (int k = 0; k < n; k++) {
        x[k] = lo + (hi - lo) * ((double)k / (n - 1));
    }
    f(x, y, n);
    double worst = 0.0;
    for (int k = 0; k < n; k++) {
        double e = ulp_error_long(y[k], ref(x[k]));
        worst = e > worst ? e : worst;
    }
    return worst;
}

static long double
exprel_ref_ld(long double x)
{
    return exprel_ref_long((double)x);
}

/* Dense sweeps of exp, expm1 and exprel (the block functions: the
 * kernels of whichever instruction set runs) against long double libm:
 * exp within 1 ulp, expm1 and exprel within 2, where the reduction's
 * ranges meet (x near (k + 1/2) ln2) and where expm1 cancels (|x| < 2)
 * densest.  Skipped where long double is no wider than double. */
static void
test_dense_sweeps(void)
{
    if (LDBL_MANT_DIG < 64) {
        printf("dense sweeps: skipped (long double has %d bits)\n",
               LDBL_MANT_DIG);
        return;
    }
    enum { N = 60001 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    CHECK(x != NULL && y != NULL);
    if (x == NULL || y == NULL) {
        free(x);
        free(y);
        return;
    }
    struct { double lo, hi; } ranges[] = {
        {-745.1, 709.7}, {-40.0, 40.0}, {-2.0, 2.0}, {0.3, 0.4},
        {-0.4, -0.3}, {1.0, 1.1}, {-1.1, -1.0}, {-1e-3, 1e-3},
        {-745.1, -708.0}, {-1e-300, 1e-300},
    };
    double w_exp = 0.0, w_expm1 = 0.0, w_exprel = 0.0;
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        double lo = ranges[i].lo, hi = ranges[i].hi;
        double e = sweep_ulp(bc_vexp, expl, lo, hi, x, y, N);
        w_exp = e > w_exp ? e : w_exp;
        lo = lo < -40.0 ? -40.0 : lo;           /* expm1 is -1 below */
        hi = hi > 709.0 ? 709.0 : hi;
        if (lo < hi) {
            e = sweep_ulp(bc_vexpm1, expm1l, lo, hi, x, y, N);
            w_expm1 = e > w_expm1 ? e : w_expm1;
            e = sweep_ulp(bc_vexprel, exprel_ref_ld, lo, hi, x, y, N);
            w_exprel = e > w_exprel ? e : w_exprel;
        }
    }
    printf("dense sweeps (long double reference): exp %.3f ulp, expm1 "
           "%.3f ulp, exprel %.3f ulp\n", w_exp, w_expm1, w_exprel);
    CHECK(w_exp <= 1.0);
    CHECK(w_expm1 <= 2.0);
    CHECK(w_exprel <= 2.0);

    /* subnormal and tiny arguments: expm1(x) = x, exprel(x) = 1, exp(x)
     * = 1, both signs (a 2 (x/2) step would round odd subnormals) */
    double tiny[] = {0x1p-1074, -0x1p-1074, 3 * 0x1p-1074, -3 * 0x1p-1074,
                     0x1.fffffffffffffp-1023, 1e-310, -1e-310, 0x1p-55,
                     -0x1p-55, 0x1.8p-60};
    enum { N_TINY = sizeof tiny / sizeof tiny[0] };
    double out[N_TINY];
    int same = 1, ones = 1, exp_ones = 1;
    bc_vexpm1(tiny, out, N_TINY);
    for (int k = 0; k < N_TINY; k++) {
        same &= out[k] == tiny[k];
    }
    bc_vexprel(tiny, out, N_TINY);
    for (int k = 0; k < N_TINY; k++) {
        ones &= out[k] == 1.0;
    }
    bc_vexp(tiny, out, N_TINY);
    for (int k = 0; k < N_TINY; k++) {
        exp_ones &= ulp_error_long(out[k], expl(tiny[k])) <= 1.0;
    }
    CHECK(same);
    CHECK(ones);
    CHECK(exp_ones);
    free(x);
    free(y);
}

static void
report_speed(double *x)
{
    double y[256];
    uniform_inputs(x, 256, -20.0, 20.0, 12);
    double t_exp = time_block(bc_vexp, x, y);
    double t_libm = time_block(libm_exp, x, y);
    double t_sin = time_block(bc_vsin, x, y);
    uniform_inputs(x, 256, 1e-3, 1e3, 13);
    double t_log = time_block(bc_vlog, x, y);
    double t_norm = time_block(vnormal, x, y);
    double t_unif = time_block(vuniform, x, y);
    printf("speed (ns/element, 256-blocks): exp %.2f (libm loop %.2f), "
           "log %.2f, sin %.2f, uniform %.2f, normal %.2f\n",
           t_exp, t_libm, t_log, t_sin, t_unif, t_norm);
}

int
main(void)
{
    /* BRIANC_ISA (tools/ctest.sh runs this under each path) must hold */
    printf("vector kernels: %s\n", bc_kernels_active()->name);
    CHECK(bc_isa_error() == NULL);
    double *x = malloc(N_RANDOM * sizeof *x);
    CHECK(x != NULL);
    if (x == NULL) {
        return check_report();
    }
    test_exp(x);
    test_expm1(x);
    test_exprel(x);
    test_block_equals_kernel(x);
    test_log_trig_equal_kernel(x);
    test_affine_equals_kernel(x);
    test_plain_paths_equal_kernel(x);
    test_quotients_in_place_every_length();
    test_dense_sweeps();
    test_log(x);
    test_trig(x);
    test_sqrt();
    report_speed(x);
    free(x);
    return check_report();
}
