/* test_rng.c -- C tests for rng.{h,c}: Philox known answers, counter
 * packing, uniform/normal moments, determinism, binomial. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rng.h"

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
     * take the cosine, odd ones the sine. */
    uint32_t pctr[4] = {(uint32_t)(index >> 1), (uint32_t)stream,
                        0xdeadbeefu, 0xa5a5u | (1u << 16)};
    bc_rng_philox4x32(pctr, key, out);
    uint64_t k1 = ((uint64_t)out[1] << 21) | (out[0] >> 11);
    uint64_t k2 = ((uint64_t)out[3] << 21) | (out[2] >> 11);
    double radius = sqrt(-2.0 * log((double)k1 * 0x1p-53));
    double angle = 6.283185307179586 * (double)k2 * 0x1p-53;
    double z_even = radius * cos(angle), z_odd = radius * sin(angle);
    double ze = bc_rng_normal(seed, stream, step, index);       /* even */
    double zo = bc_rng_normal(seed, stream, step, index + 1);   /* odd */
    CHECK(fabs(ze - z_even) <= 1e-14 * (1.0 + fabs(z_even)));
    CHECK(fabs(zo - z_odd) <= 1e-14 * (1.0 + fabs(z_odd)));

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
    CHECK(zmax < 8.7);
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
    test_known_answers();
    test_packing();
    test_uniform_moments();
    test_normal_moments();
    test_uniform_pairs();
    test_determinism();
    test_binomial();
    test_binomial_prepared();
    test_words();
    return check_report();
}
