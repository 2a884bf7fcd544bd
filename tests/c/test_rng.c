/* test_rng.c -- C tests for rng.{h,c}: Philox known answers, counter
 * packing, uniform/normal moments and distribution, accuracy of the
 * Box-Muller transform, determinism, binomial. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernels.h"
#include "rng.h"
#include "rng_kernels.h"

#define N_DRAWS 1000000

static void
test_known_answers(void)
{
    /* Random123's kat_vectors for philox4x32-10: counter, key, output. */
    static const uint32_t kat[3][10] = {
        {0, 0, 0, 0, 0, 0,
         0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
         0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822,
         0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    for (int v = 0; v < 3; v++) {
        uint32_t out[4];
        bc_rng_philox4x32(kat[v], kat[v] + 4, out);
        for (int j = 0; j < 4; j++) {
            CHECK(out[j] == kat[v][6 + j]);
        }
    }
}

/* |x - ref| in units of the last place of ref (as a double). */
static double
ulp_error(double x, long double ref)
{
    int e;
    frexpl(fabsl(ref), &e);
    return (double)(fabsl((long double)x - ref) / ldexpl(1.0L, e - 53));
}

/* The Box-Muller pair of one cipher output, as rng_kernels.h documents
 * it, in long double: u and g from bits 0-51 of w1:w0 and w3:w2, the
 * angle g pi/4, bit 62 of w3:w2 swaps cos and sin, bits 63 are signs. */
static void
reference_pair(const uint32_t out[4], long double *z_even,
               long double *z_odd)
{
    uint64_t w01 = ((uint64_t)out[1] << 32) | out[0];
    uint64_t w23 = ((uint64_t)out[3] << 32) | out[2];
    uint64_t mant = (UINT64_C(1) << 52) - 1;
    long double u = ((long double)(w01 & mant) + 0.5L) * 0x1p-52L;
    long double g = ((long double)(w23 & mant) + 0.5L) * 0x1p-52L;
    long double radius = sqrtl(-2.0L * logl(u));
    long double phi = 0.785398163397448309615660845819875721L * g;
    int swap = (int)((w23 >> 62) & 1u);
    long double c = cosl(phi), s = sinl(phi);
    *z_even = radius * (swap ? s : c) * ((w01 >> 63) ? -1.0L : 1.0L);
    *z_odd = radius * (swap ? c : s) * ((w23 >> 63) ? -1.0L : 1.0L);
}

/* The documented packing: the uniform from the raw cipher by hand. */
static void
test_packing(void)
{
    uint64_t seed = UINT64_C(0x0123456789abcdef);
    uint64_t stream = 0x89abcdefu;
    bc_step step = INT64_C(0x0000a5a5deadbeef);
    uint64_t index = 0xfedcba98u;
    uint32_t ctr[4] = {(uint32_t)index, (uint32_t)stream, 0xdeadbeefu,
                       0xa5a5u};
    uint32_t key[2] = {0x89abcdefu, 0x01234567u};
    uint32_t out[4];
    bc_rng_philox4x32(ctr, key, out);
    uint64_t k = ((uint64_t)out[1] << 21) | (out[0] >> 11);
    double u = (double)k * 0x1p-53;
    CHECK(bc_rng_uniform(seed, stream, step, index) == u);
    /* Normals: Box-Muller on counter (index / 2, draw 1); even indices
     * take the first normal, odd ones the second; within 4 ulp of the
     * documented transform evaluated in long double. */
    uint32_t pctr[4] = {(uint32_t)(index >> 1), (uint32_t)stream,
                        0xdeadbeefu, 0xa5a5u | (1u << 16)};
    bc_rng_philox4x32(pctr, key, out);
    long double z_even, z_odd;
    reference_pair(out, &z_even, &z_odd);
    double ze = bc_rng_normal(seed, stream, step, index);       /* even */
    double zo = bc_rng_normal(seed, stream, step, index + 1);   /* odd */
    CHECK(ulp_error(ze, z_even) <= 4.0);
    CHECK(ulp_error(zo, z_odd) <= 4.0);

    /* Each part of the counter and the key matters. */
    double base = bc_rng_uniform(seed, stream, step, index);
    CHECK(bc_rng_uniform(seed ^ (UINT64_C(1) << 40), stream, step, index)
          != base);
    CHECK(bc_rng_uniform(seed, stream ^ 1u, step, index) != base);
    CHECK(bc_rng_uniform(seed, stream, step ^ (INT64_C(1) << 47), index)
          != base);
    CHECK(bc_rng_uniform(seed, stream, step ^ 1, index) != base);
    CHECK(bc_rng_uniform(seed, stream, step, index ^ 1u) != base);
    /* Step 2^32 and stream 1 must not collide with step 0 / stream 0. */
    CHECK(bc_rng_uniform(1, 0, INT64_C(1) << 32, 5)
          != bc_rng_uniform(1, 1, 0, 5));
    CHECK(bc_rng_uniform(1, 0, INT64_C(1) << 32, 5)
          != bc_rng_uniform(1, 0, 0, 5));
}

static void
test_uniform_moments(void)
{
    double *u = malloc(N_DRAWS * sizeof *u);
    CHECK(u != NULL);
    if (u == NULL) {
        return;
    }
    bc_rng_uniform_block(12345, 7, 3, 0, N_DRAWS, u);
    double s = 0.0, s2 = 0.0;
    int inside = 1;
    for (int k = 0; k < N_DRAWS; k++) {
        inside &= u[k] > 0.0 && u[k] < 1.0;
        s += u[k];
    }
    double mean = s / N_DRAWS;
    for (int k = 0; k < N_DRAWS; k++) {
        s2 += (u[k] - mean) * (u[k] - mean);
    }
    double var = s2 / N_DRAWS;
    CHECK(inside);
    /* 5 standard errors: sd(mean) = sqrt(1/12/N), sd(var) = sqrt(1/180/N) */
    CHECK(fabs(mean - 0.5) < 5.0 * sqrt(1.0 / 12.0 / N_DRAWS));
    CHECK(fabs(var - 1.0 / 12.0) < 5.0 * sqrt(1.0 / 180.0 / N_DRAWS));
    /* Deciles equally filled (chi-square with 9 dof < 30: p ~ 4e-4). */
    long bins[10] = {0};
    for (int k = 0; k < N_DRAWS; k++) {
        bins[(int)(u[k] * 10.0)]++;
    }
    double chi2 = 0.0;
    for (int b = 0; b < 10; b++) {
        double e = N_DRAWS / 10.0;
        chi2 += (bins[b] - e) * (bins[b] - e) / e;
    }
    CHECK(chi2 < 30.0);
    free(u);
}

static void
test_normal_moments(void)
{
    double *z = malloc(N_DRAWS * sizeof *z);
    CHECK(z != NULL);
    if (z == NULL) {
        return;
    }
    bc_rng_normal_block(777, 256, 42, 1000, N_DRAWS, z);
    double s = 0.0;
    double zmax = 0.0;
    long tails = 0;
    for (int k = 0; k < N_DRAWS; k++) {
        s += z[k];
        zmax = fabs(z[k]) > zmax ? fabs(z[k]) : zmax;
        tails += fabs(z[k]) > 1.959963984540054;
    }
    double mean = s / N_DRAWS;
    double m2 = 0.0, m4 = 0.0;
    for (int k = 0; k < N_DRAWS; k++) {
        double d = z[k] - mean;
        m2 += d * d;
        m4 += d * d * d * d;
    }
    m2 /= N_DRAWS;
    m4 /= N_DRAWS;
    CHECK(fabs(mean) < 5.0 / sqrt(N_DRAWS));
    CHECK(fabs(m2 - 1.0) < 5.0 * sqrt(2.0 / N_DRAWS));
    CHECK(fabs(m4 / (m2 * m2) - 3.0) < 5.0 * sqrt(24.0 / N_DRAWS));
    double pt = 0.05;
    CHECK(fabs((double)tails / N_DRAWS - pt)
          < 5.0 * sqrt(pt * (1 - pt) / N_DRAWS));
    CHECK(zmax < 8.6);
    /* The two halves of a Box-Muller pair (neurons 2k, 2k + 1) and
     * neighbouring pairs are uncorrelated. */
    double c_pair = 0.0, c_next = 0.0;
    for (int k = 0; k + 2 < N_DRAWS; k += 2) {
        c_pair += z[k] * z[k + 1];
        c_next += z[k + 1] * z[k + 2];
    }
    CHECK(fabs(c_pair / (N_DRAWS / 2)) < 5.0 / sqrt(N_DRAWS / 2));
    CHECK(fabs(c_next / (N_DRAWS / 2)) < 5.0 / sqrt(N_DRAWS / 2));
    CHECK(zmax > 4.0);
    free(z);
}

/* The transform's accuracy against long double: -2 log u within 2.5 ulp
 * (cell edges, both ends of (0, 1), and random u), every normal within 4
 * ulp of the exact Box-Muller value of its bits (measured: 2.14 and 3.6
 * ulp over 5 10^7 draws). */
static void
test_normal_accuracy(void)
{
    double worst_log = 0.0;
    /* cell edges (n +- 1/2)/16 in every binade used, and their neighbours */
    for (int k = 0; k >= -52; k--) {
        for (int n = 24; n <= 48; n++) {
            double edge = ldexp(n / 32.0, k);
            double near[3] = {nextafter(edge, 0.0), edge,
                              nextafter(edge, 2.0)};
            for (int j = 0; j < 3; j++) {
                double u = near[j];
                if (u >= 0x1p-53 && u < 1.0) {
                    double e = ulp_error(bc_bm_minus2log_(u),
                                         -2.0L * logl(u));
                    worst_log = e > worst_log ? e : worst_log;
                }
            }
        }
    }
    double extremes[4] = {0x1p-53, 0x1.8p-53, 1.0 - 0x1p-53,
                          1.0 - 0x1.8p-52};
    for (int j = 0; j < 4; j++) {
        double e = ulp_error(bc_bm_minus2log_(extremes[j]),
                             -2.0L * logl(extremes[j]));
        worst_log = e > worst_log ? e : worst_log;
    }
    enum { PAIRS = 250000, BLOCK = 250 };
    double z[2 * BLOCK];
    double worst = 0.0;
    for (int b = 0; b < PAIRS / BLOCK; b++) {
        uint64_t seed = UINT64_C(0x9e3779b97f4a7c15) * (uint64_t)(b + 1);
        bc_rng_normal_block(seed, 5, b, 0, 2 * BLOCK, z);
        for (int j = 0; j < BLOCK; j++) {
            uint32_t ctr[4] = {(uint32_t)j, 5u, (uint32_t)b, 1u << 16};
            uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
            uint32_t out[4];
            bc_rng_philox4x32(ctr, key, out);
            long double ze, zo;
            reference_pair(out, &ze, &zo);
            double e1 = ulp_error(z[2 * j], ze);
            double e2 = ulp_error(z[2 * j + 1], zo);
            worst = e1 > worst ? e1 : worst;
            worst = e2 > worst ? e2 : worst;
            uint64_t w01 = ((uint64_t)out[1] << 32) | out[0];
            double u = bc_double_((w01 & BC_BM_MANT) | BC_BM_ONE)
                       - BC_BM_HALF_BELOW_ONE;
            double e = ulp_error(bc_bm_minus2log_(u), -2.0L * logl(u));
            worst_log = e > worst_log ? e : worst_log;
        }
    }
    printf("normal transform: -2 log u max error %.3f ulp, z max error "
           "%.3f ulp\n", worst_log, worst);
    CHECK(worst_log <= 2.5);
    CHECK(worst <= 4.0);
}

/* Every path gives the portable kernel's bits: the block draw (the
 * AVX-512 kernel on CPUs that have it) at odd and even starts and
 * lengths, the indexed draw and the scalar draw, each against
 * bc_bm_pair_kernel applied to the raw cipher. */
static void
test_normal_bits(void)
{
    enum { N = 301 };
    double z[N + 1], zi[N];
    bc_index idx[N];
    static const uint64_t firsts[3] = {0, 7, UINT64_C(0xfffffff0)};
    int same = 1, same_idx = 1, same_scalar = 1;
    for (int f = 0; f < 3; f++) {
        uint64_t first = firsts[f];
        uint64_t seed = UINT64_C(0xfedcba9876543210) + (uint64_t)f;
        bc_rng_normal_block(seed, 300, 12345, first, N, z);
        for (int k = 0; k < N; k++) {
            uint64_t i = first + (uint64_t)k;
            uint32_t ctr[4] = {(uint32_t)(i >> 1), 300u, 12345u, 1u << 16};
            uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
            uint32_t out[4];
            bc_rng_philox4x32(ctr, key, out);
            double ze, zo;
            bc_bm_pair_kernel(out[0], out[1], out[2], out[3], &ze, &zo);
            same &= z[k] == ((i & 1u) ? zo : ze);
            same_scalar &= z[k] == bc_rng_normal(seed, 300, 12345, i);
            idx[k] = (bc_index)(((uint32_t)k * 7919u) % N);
        }
        /* indexed: neurons first + idx[k] (idx < 2^31, so from 0 here) */
        bc_rng_normal_block(seed, 300, 12345, 0, N, z);
        bc_rng_normal_indexed(seed, 300, 12345, idx, N, zi);
        for (int k = 0; k < N; k++) {
            same_idx &= zi[k] == z[idx[k]];
        }
    }
    CHECK(same);
    CHECK(same_idx);
    CHECK(same_scalar);
    /* lengths 0..17 from odd and even starts agree with one long draw */
    double ref[40], part[40];
    bc_rng_normal_block(3, 4, 5, 10, 40, ref);
    int same_len = 1;
    for (int start = 0; start < 4; start++) {
        for (int len = 0; len <= 17; len++) {
            part[start + len] = 12345.0;    /* must stay untouched */
            bc_rng_normal_block(3, 4, 5, 10 + (uint64_t)start, len,
                                part + start);
            same_len &= part[start + len] == 12345.0;
            same_len &= len == 0
                        || memcmp(part + start, ref + start,
                                  (size_t)len * sizeof(double)) == 0;
        }
    }
    CHECK(same_len);
}

/* The same bits on every CPU: a digest of normals drawn on an AVX-512
 * machine (block draws at odd and even starts, indexed draws).
 * tools/ctest.sh runs this file under every instruction-set path the CPU
 * has (BRIANC_ISA), and each must match it.  Recorded when the
 * transform changed to the table-driven Box-Muller. */
static void
test_normal_known_digest(void)
{
    double z[1000];
    bc_index idx[999];
    uint64_t h = UINT64_C(1469598103934665603);     /* FNV-1a */
    for (int k = 0; k < 999; k++) {
        idx[k] = (bc_index)((k * 613) % 999);
    }
    for (int s = 0; s < 30; s++) {
        bc_rng_normal_block(UINT64_C(0x1234567890) + (uint64_t)s,
                            256 + (uint64_t)s, (bc_step)s * 1000003,
                            (uint64_t)s * 37, 1000 - s, z);
        for (int k = 0; k < 1000 - s; k++) {
            h = (h ^ bc_bits_(z[k])) * UINT64_C(1099511628211);
        }
        bc_rng_normal_indexed((uint64_t)s, 3, s, idx, 999, z);
        for (int k = 0; k < 999; k++) {
            h = (h ^ bc_bits_(z[k])) * UINT64_C(1099511628211);
        }
    }
    printf("normal digest %016llx\n", (unsigned long long)h);
    CHECK(h == UINT64_C(0xe5124d59a5475f01));
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Kolmogorov-Smirnov against the normal CDF over 10^6 draws (critical
 * value 1.95 / sqrt(N) at p = 0.001), and the tails beyond 3 and 4.5
 * sigma within 5 standard errors of their probabilities. */
static void
test_normal_distribution(void)
{
    double *z = malloc(N_DRAWS * sizeof *z);
    CHECK(z != NULL);
    if (z == NULL) {
        return;
    }
    bc_rng_normal_block(2718, 31, 4, 0, N_DRAWS, z);
    qsort(z, N_DRAWS, sizeof *z, cmp_double);
    double d = 0.0;
    long beyond3 = 0, beyond45 = 0;
    for (int k = 0; k < N_DRAWS; k++) {
        double cdf = 0.5 * erfc(-z[k] / sqrt(2.0));
        double lo = cdf - (double)k / N_DRAWS;
        double hi = (double)(k + 1) / N_DRAWS - cdf;
        d = lo > d ? lo : d;
        d = hi > d ? hi : d;
        beyond3 += fabs(z[k]) > 3.0;
        beyond45 += fabs(z[k]) > 4.5;
    }
    CHECK(d < 1.95 / sqrt(N_DRAWS));
    double p3 = erfc(3.0 / sqrt(2.0)), p45 = erfc(4.5 / sqrt(2.0));
    CHECK(fabs((double)beyond3 - p3 * N_DRAWS)
          < 5.0 * sqrt(p3 * N_DRAWS) + 1.0);
    CHECK(fabs((double)beyond45 - p45 * N_DRAWS)
          < 5.0 * sqrt(p45 * N_DRAWS) + 1.0);
    free(z);
}

static void
test_determinism(void)
{
    enum { N = 1000 };
    double a[N], b[N];
    bc_index idx[N];
    /* block == scalar, bit for bit */
    bc_rng_uniform_block(99, 3, 17, 5, N, a);
    bc_rng_normal_block(99, 3, 17, 5, N, b);
    int same_u = 1, same_z = 1;
    for (int k = 0; k < N; k++) {
        same_u &= a[k] == bc_rng_uniform(99, 3, 17, 5 + (uint64_t)k);
        same_z &= b[k] == bc_rng_normal(99, 3, 17, 5 + (uint64_t)k);
    }
    CHECK(same_u);
    CHECK(same_z);
    /* independent of block boundaries: [5, 1005) drawn as three blocks */
    double c[N];
    bc_rng_normal_block(99, 3, 17, 5, 37, c);
    bc_rng_normal_block(99, 3, 17, 42, 500, c + 37);
    bc_rng_normal_block(99, 3, 17, 542, N - 537, c + 537);
    CHECK(memcmp(b, c, sizeof b) == 0);
    /* indexed, in scrambled order */
    for (int k = 0; k < N; k++) {
        idx[k] = (bc_index)((k * 389) % N) + 5;
    }
    double d[N], e[N];
    bc_rng_uniform_indexed(99, 3, 17, idx, N, d);
    bc_rng_normal_indexed(99, 3, 17, idx, N, e);
    int same_iu = 1, same_iz = 1;
    for (int k = 0; k < N; k++) {
        same_iu &= d[k] == a[idx[k] - 5];
        same_iz &= e[k] == b[idx[k] - 5];
    }
    CHECK(same_iu);
    CHECK(same_iz);
    /* repeated calls agree */
    CHECK(bc_rng_normal(1, 2, 3, 4) == bc_rng_normal(1, 2, 3, 4));
    /* neighbouring steps differ */
    bc_rng_uniform_block(99, 3, 18, 5, N, c);
    int differ = 0;
    for (int k = 0; k < N; k++) {
        differ += c[k] != a[k];
    }
    CHECK(differ == N);
}

static void
binomial_moments(int64_t n, double p, int n_draws, double *mean,
                 double *var, int *in_range)
{
    double s = 0.0, s2 = 0.0;
    *in_range = 1;
    for (int k = 0; k < n_draws; k++) {
        int64_t x = bc_rng_binomial(2024, 11, 5, (uint64_t)k, n, p);
        *in_range &= 0 <= x && x <= n;
        s += (double)x;
        s2 += (double)x * (double)x;
    }
    *mean = s / n_draws;
    *var = s2 / n_draws - *mean * *mean;
}

static void
test_binomial(void)
{
    CHECK(bc_rng_binomial(1, 2, 3, 4, 0, 0.5) == 0);
    CHECK(bc_rng_binomial(1, 2, 3, 4, 10, 0.0) == 0);
    CHECK(bc_rng_binomial(1, 2, 3, 4, 10, 1.0) == 10);
    CHECK(bc_rng_binomial(1, 2, 3, 4, 10, NAN) == 0);
    CHECK(bc_rng_binomial(1, 2, 3, 4, 1000, 0.3)
          == bc_rng_binomial(1, 2, 3, 4, 1000, 0.3));
    /* (n, p): inversion, flipped inversion, BTRS, flipped BTRS, big n */
    static const struct {
        int64_t n;
        double p;
    } cases[] = {{100, 0.05}, {50, 0.9}, {1000, 0.3}, {400, 0.8},
                 {10000000, 0.01}};
    enum { DRAWS = 40000 };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double mean, var;
        int in_range;
        double n = (double)cases[c].n, p = cases[c].p;
        binomial_moments(cases[c].n, p, DRAWS, &mean, &var, &in_range);
        double mu = n * p, sigma2 = n * p * (1 - p);
        CHECK(in_range);
        CHECK(fabs(mean - mu) < 5.0 * sqrt(sigma2 / DRAWS));
        /* sd of the sample variance ~ sigma2 sqrt(2 / N) (near normal) */
        CHECK(fabs(var - sigma2) < 6.0 * sigma2 * sqrt(2.0 / DRAWS) + 0.05);
    }
    /* exact pmf check for a small case: n = 3, p = 0.5 */
    long counts[4] = {0};
    for (int k = 0; k < DRAWS; k++) {
        counts[bc_rng_binomial(5, 6, 7, (uint64_t)k, 3, 0.5)]++;
    }
    double expect[4] = {0.125, 0.375, 0.375, 0.125};
    for (int j = 0; j < 4; j++) {
        double e = expect[j] * DRAWS;
        CHECK(fabs(counts[j] - e) < 5.0 * sqrt(e));
    }
}

/* Uniform pairs: both halves of each counter, in order; chunked and odd
 * lengths agree with one long call; mean and variance of a uniform. */
static void
test_uniform_pairs(void)
{
    enum { N = 1001 };
    double a[N], b[N];
    bc_rng_uniform_pairs(5, 7, 9, 100, N, a);
    bc_rng_uniform_pairs(5, 7, 9, 100, 600, b);     /* counters 100..399 */
    bc_rng_uniform_pairs(5, 7, 9, 400, N - 600, b + 600);
    CHECK(memcmp(a, b, sizeof a) == 0);
    /* Counter 100, draw 2: the raw cipher. */
    uint32_t ctr[4] = {100u, 7u, 9u, 2u << 16}, key[2] = {5u, 0u}, out[4];
    bc_rng_philox4x32(ctr, key, out);
    uint64_t k0 = ((uint64_t)out[1] << 21) | (out[0] >> 11);
    uint64_t k1 = ((uint64_t)out[3] << 21) | (out[2] >> 11);
    CHECK(a[0] == (double)k0 * 0x1p-53 && a[1] == (double)k1 * 0x1p-53);
    double sum = 0.0, sq = 0.0, lo = 1.0, hi = 0.0;
    for (int k = 0; k < N; k++) {
        sum += a[k];
        sq += a[k] * a[k];
        lo = a[k] < lo ? a[k] : lo;
        hi = a[k] > hi ? a[k] : hi;
    }
    double mean = sum / N, var = sq / N - mean * mean;
    CHECK(fabs(mean - 0.5) < 5.0 * sqrt(1.0 / 12.0 / N));
    CHECK(fabs(var - 1.0 / 12.0) < 0.02);
    CHECK(lo > 0.0 && hi < 1.0);
    /* Not the same numbers as the one-per-counter uniforms. */
    CHECK(a[0] != bc_rng_uniform(5, 7, 9, 100));
}

/* Paired uniforms: value k is half k & 1 of pair counter k / 2; the
 * block draw, from either parity and of either length, and the indexed
 * draw (consecutive or scattered indices) give the scalar's bits. */
static void
test_uniform_paired(void)
{
    enum { N = 1003 };
    double pairs[N + 1], a[N], b[N];
    bc_rng_uniform_pairs(5, 7, 9, 0, N + 1, pairs);
    int ok = 1;
    for (int k = 0; k < N; k++) {
        ok &= bc_rng_uniform_paired(5, 7, 9, (uint64_t)k) == pairs[k];
    }
    CHECK(ok);
    const int starts[3] = {0, 1, 2}, lens[4] = {0, 1, 2, N - 3};
    for (int s = 0; s < 3; s++) {
        for (int l = 0; l < 4; l++) {
            bc_rng_uniform_paired_block(5, 7, 9, (uint64_t)starts[s],
                                        lens[l], a);
            CHECK(memcmp(a, pairs + starts[s],
                         (size_t)lens[l] * sizeof(double)) == 0);
        }
    }
    bc_index idx[N];
    for (int k = 0; k < N - 3; k++) {
        idx[k] = 3 + k;                          /* consecutive, odd start */
    }
    bc_rng_uniform_paired_indexed(5, 7, 9, idx, N - 3, a);
    CHECK(memcmp(a, pairs + 3, (size_t)(N - 3) * sizeof(double)) == 0);
    for (int k = 0; k < N; k++) {
        idx[k] = (bc_index)((k * 389) % N);     /* scattered, repeats none */
    }
    idx[7] = idx[6];                            /* one repeat */
    bc_rng_uniform_paired_indexed(5, 7, 9, idx, N, b);
    ok = 1;
    for (int k = 0; k < N; k++) {
        ok &= b[k] == pairs[idx[k]];
    }
    CHECK(ok);
}

/* Raw words: the documented counter (draw 3), four words each, and the
 * same stream whatever the split into calls. */
static void
test_words(void)
{
    enum { N = 300 };       /* counters: more than one chunk */
    static uint32_t a[4 * N], b[4 * N];
    uint64_t seed = UINT64_C(0x0123456789abcdef);
    bc_rng_words(seed, 77, 5, 10, N, a);
    bc_rng_words(seed, 77, 5, 10, 7, b);
    bc_rng_words(seed, 77, 5, 17, N - 7, b + 28);
    CHECK(memcmp(a, b, sizeof a) == 0);
    uint32_t ctr[4] = {12, 77, 5, 3u << 16};
    uint32_t key[2] = {0x89abcdefu, 0x01234567u};
    uint32_t out[4];
    bc_rng_philox4x32(ctr, key, out);
    CHECK(a[8] == out[0] && a[9] == out[1] && a[10] == out[2] &&
          a[11] == out[3]);
    double s = 0.0;
    for (int k = 0; k < 4 * N; k++) {
        s += a[k] * 0x1p-32;
    }
    /* mean 1/2, sd of the mean sqrt(1/12 / 1200) = 0.0083 */
    CHECK(fabs(s / (4 * N) - 0.5) < 5 * 0.0083);
}

/* A prepared binomial draws exactly what bc_rng_binomial draws. */
static void
test_binomial_prepared(void)
{
    static const struct {
        int64_t n;
        double p;
    } cases[] = {{0, 0.5}, {10, 0.0}, {10, 1.0}, {100, 0.05}, {50, 0.9},
                 {1000, 0.3}, {400, 0.8}, {20000, 0.02}};
    int same = 1;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        bc_binomial b;
        bc_binomial_init(&b, cases[c].n, cases[c].p);
        for (uint64_t k = 0; k < 2000; k++) {
            same &= bc_binomial_draw(&b, 9, 8, (bc_step)k, 0xffffffffu)
                    == bc_rng_binomial(9, 8, (bc_step)k, 0xffffffffu,
                                       cases[c].n, cases[c].p);
        }
    }
    CHECK(same);
}

int
main(void)
{
    printf("vector kernels: %s\n", bc_kernels_active()->name);
    CHECK(bc_isa_error() == NULL);
    test_known_answers();
    test_packing();
    test_uniform_moments();
    test_normal_moments();
    test_normal_accuracy();
    test_normal_bits();
    test_normal_distribution();
    test_normal_known_digest();
    test_uniform_pairs();
    test_uniform_paired();
    test_determinism();
    test_binomial();
    test_binomial_prepared();
    test_words();
    return check_report();
}
