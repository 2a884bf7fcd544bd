/* test_filterbank.c -- the IIR bank against a direct evaluation of the
 * difference equation, bit for bit against a scalar evaluation of its
 * fused operations (for every section size and cascade length, so on
 * every instruction set: tools/ctest.sh runs this file under each),
 * buffered against one-shot filtering, channels independent of each
 * other, and the size checks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "filterbank.h"

enum { N = 11, M = 3, P = 2, S = 200 };

/* y = the cascade of channel j applied to x[.][j], computed from the
 * recursion a0 y[t] = sum_i b_i v[t-i] - sum_{i>=1} a_i y[t-i]. */
static void
reference(const double *b, const double *a, const double *x, int j,
          double *y)
{
    double v[S], w[S];
    for (int t = 0; t < S; t++) {
        v[t] = x[t * N + j];
    }
    for (int k = 0; k < P; k++) {
        for (int t = 0; t < S; t++) {
            double acc = 0.0;
            for (int i = 0; i < M; i++) {
                if (t - i >= 0) {
                    acc += b[(k * M + i) * N + j] * v[t - i];
                }
                if (i > 0 && t - i >= 0) {
                    acc -= a[(k * M + i) * N + j] * w[t - i];
                }
            }
            w[t] = acc;
        }
        memcpy(v, w, sizeof(v));
    }
    memcpy(y, v, sizeof(v));
}

static void
make_coefficients(double *b, double *a)
{
    for (int j = 0; j < N; j++) {
        for (int k = 0; k < P; k++) {
            /* a stable resonator per channel and section */
            double r = 0.9 - 0.01 * j, theta = 0.1 + 0.05 * j + 0.02 * k;
            a[(k * M + 0) * N + j] = 1.0;
            a[(k * M + 1) * N + j] = -2.0 * r * cos(theta);
            a[(k * M + 2) * N + j] = r * r;
            b[(k * M + 0) * N + j] = 0.3 + 0.01 * j;
            b[(k * M + 1) * N + j] = -0.2;
            b[(k * M + 2) * N + j] = 0.1 * k;
        }
    }
}

static void
test_against_reference(void)
{
    static double b[N * M * P], a[N * M * P], z[N * M * P], x[S * N],
        y[S * N], ref[S];
    make_coefficients(b, a);
    for (int t = 0; t < S; t++) {
        for (int j = 0; j < N; j++) {
            x[t * N + j] = sin(0.37 * t + j) + (t == 0 ? 1.0 : 0.0);
        }
    }
    bc_iir_bank bank;
    CHECK(bc_iir_bank_init(&bank, N, M, P, b, a, z) == BC_OK);
    CHECK(bc_iir_bank_apply(&bank, x, N, y, S) == BC_OK);
    double worst = 0.0;
    for (int j = 0; j < N; j++) {
        reference(b, a, x, j, ref);
        for (int t = 0; t < S; t++) {
            worst = fmax(worst, fabs(y[t * N + j] - ref[t]));
        }
    }
    CHECK(worst < 1e-12);

    /* the same signal in buffers of 7 samples, state carried over */
    static double z2[N * M * P], y2[S * N];
    bc_iir_bank bank2;
    CHECK(bc_iir_bank_init(&bank2, N, M, P, b, a, z2) == BC_OK);
    for (int t0 = 0; t0 < S; t0 += 7) {
        int len = S - t0 < 7 ? S - t0 : 7;
        CHECK(bc_iir_bank_apply(&bank2, x + t0 * N, N, y2 + t0 * N, len) ==
              BC_OK);
    }
    CHECK(memcmp(y, y2, sizeof(y)) == 0);
}

/* One input shared by every channel (x_width 1) gives the same bits as
 * that input repeated in every column. */
static void
test_shared_input(void)
{
    static double b[N * M * P], a[N * M * P], z1[N * M * P], z2[N * M * P],
        mono[S], x[S * N], y1[S * N], y2[S * N];
    make_coefficients(b, a);
    for (int t = 0; t < S; t++) {
        mono[t] = sin(0.21 * t) + (t % 17 == 0);
        for (int j = 0; j < N; j++) {
            x[t * N + j] = mono[t];
        }
    }
    bc_iir_bank shared, full;
    CHECK(bc_iir_bank_init(&shared, N, M, P, b, a, z1) == BC_OK);
    CHECK(bc_iir_bank_init(&full, N, M, P, b, a, z2) == BC_OK);
    CHECK(bc_iir_bank_apply(&shared, mono, 1, y1, S) == BC_OK);
    CHECK(bc_iir_bank_apply(&full, x, N, y2, S) == BC_OK);
    CHECK(memcmp(y1, y2, sizeof(y1)) == 0);
}

/* A channel alone gives the same bits as inside the bank (the vector
 * block and the scalar remainder do the same operations). */
static void
test_channel_independence(void)
{
    static double b[N * M * P], a[N * M * P], z[N * M * P], x[S * N],
        y[S * N];
    make_coefficients(b, a);
    for (int t = 0; t < S; t++) {
        for (int j = 0; j < N; j++) {
            x[t * N + j] = cos(0.11 * t * (j + 1));
        }
    }
    bc_iir_bank bank;
    CHECK(bc_iir_bank_init(&bank, N, M, P, b, a, z) == BC_OK);
    CHECK(bc_iir_bank_apply(&bank, x, N, y, S) == BC_OK);
    for (int j = 0; j < N; j += 4) {
        double b1[M * P], a1[M * P], z1[M * P] = {0}, x1[S], y1[S];
        for (int r = 0; r < M * P; r++) {
            b1[r] = b[r * N + j];
            a1[r] = a[r * N + j];
        }
        for (int t = 0; t < S; t++) {
            x1[t] = x[t * N + j];
        }
        bc_iir_bank one;
        CHECK(bc_iir_bank_init(&one, 1, M, P, b1, a1, z1) == BC_OK);
        CHECK(bc_iir_bank_apply(&one, x1, 1, y1, S) == BC_OK);
        int same = 1;
        for (int t = 0; t < S; t++) {
            same &= y1[t] == y[t * N + j];
        }
        CHECK(same);
    }
}

/* Channel j of a bank of n through p sections of m coefficients, one
 * sample at a time with fma(): the operations filterbank.h documents. */
static void
fused_reference(int n, int m, int p, const double *b, const double *a,
                const double *x, int j, int s, double *y)
{
    double z[8 * 8] = {0};
    for (int t = 0; t < s; t++) {
        double v = x[t * n + j];
        for (int k = 0; k < p; k++) {
            const double *bk = b + (size_t)k * m * n + j;
            const double *ak = a + (size_t)k * m * n + j;
            double *zk = z + k * 8;
            if (m == 1) {
                v = bk[0] * v;
                continue;
            }
            double out = fma(bk[0], v, zk[0]);
            for (int i = 0; i + 2 < m; i++) {
                zk[i] = fma(-ak[(i + 1) * n], out,
                            fma(bk[(i + 1) * n], v, zk[i + 1]));
            }
            zk[m - 2] = fma(-ak[(m - 1) * n], out, bk[(m - 1) * n] * v);
            v = out;
        }
        y[t] = v;
    }
}

/* Every section size (first order to third, and plain gains) and cascade
 * length (one pass of sections and more), biquads with b2 = 0 or not,
 * channels in whole vectors and past them: the bits of the scalar fused
 * evaluation. */
static void
test_fused_bits(void)
{
    enum { NB = 11, SB = 150 };
    static double b[NB * 8 * 8], a[NB * 8 * 8], z[NB * 8 * 8], x[SB * NB],
        y[SB * NB], ref[SB];
    for (int t = 0; t < SB; t++) {
        for (int j = 0; j < NB; j++) {
            x[t * NB + j] = sin(0.3 * t + 0.7 * j) + (t == 3 ? 2.0 : 0.0);
        }
    }
    int mismatches = 0;
    for (int m = 1; m <= 4; m++) {
        for (int p = 1; p <= 6; p++) {
            for (int r = 0; r < m * p; r++) {
                for (int j = 0; j < NB; j++) {
                    int i = r % m;
                    /* small feedback keeps every cascade stable */
                    b[r * NB + j] = 0.4 / (1 + i) + 0.01 * j;
                    if (m == 3 && i == 2 && p % 2 == 0) {
                        b[r * NB + j] = 0.0;   /* gammatone-like */
                    }
                    a[r * NB + j] = i == 0 ? 1.0 : 0.3 / (i + 1) -
                                                   0.02 * j;
                }
            }
            memset(z, 0, sizeof(z));
            bc_iir_bank bank;
            CHECK(bc_iir_bank_init(&bank, NB, m, p, b, a, z) == BC_OK);
            CHECK(bc_iir_bank_apply(&bank, x, NB, y, SB) == BC_OK);
            for (int j = 0; j < NB; j++) {
                fused_reference(NB, m, p, b, a, x, j, SB, ref);
                for (int t = 0; t < SB; t++) {
                    mismatches += ref[t] != y[t * NB + j];
                }
            }
        }
    }
    CHECK(mismatches == 0);
}

static void
test_checks_and_feed(void)
{
    double b[3] = {0.5, 0.25, 0.0}, a[3] = {1.0, -0.5, 0.0}, z[3] = {0};
    bc_iir_bank bank;
    CHECK(bc_iir_bank_init(&bank, 0, 3, 1, b, a, z) == BC_EINVAL);
    CHECK(bc_iir_bank_init(&bank, 1, 0, 1, b, a, z) == BC_EINVAL);
    CHECK(bc_iir_bank_init(&bank, 1, 3, 0, b, a, z) == BC_EINVAL);
    CHECK(bc_iir_bank_init(&bank, 1, 3, 1, NULL, a, z) == BC_EINVAL);
    CHECK(bc_iir_bank_init(&bank, 100000, 100000, 1, b, a, z) ==
          BC_EINVAL);
    CHECK(bc_iir_bank_init(&bank, 1, 3, 1, b, a, z) == BC_OK);
    double x = 1.0, y = 0.0;
    CHECK(bc_iir_bank_apply(&bank, &x, 1, &y, -1) == BC_EINVAL);
    CHECK(bc_iir_bank_apply(&bank, &x, 2, &y, 1) == BC_EINVAL);

    /* the feed: an impulse, then zeros (and zeros past the input) */
    double input[2] = {1.0, 0.0}, dst = -1.0, out[4];
    bc_iir_feed feed;
    CHECK(bc_iir_feed_init(&feed, &bank, input, 2, 2, &dst) ==
          BC_EINVAL);                           /* width must be 1 or n */
    bc_iir_feed_free(&feed);
    CHECK(bc_iir_feed_init(&feed, &bank, input, 2, 1, &dst) == BC_OK);
    for (int k = 0; k < 4; k++) {
        CHECK(bc_iir_feed_run(&feed, 100 + k) == BC_OK);
        out[k] = dst;
    }
    /* y = 0.5 x + 0.25 x[-1] + 0.5 y[-1] for an impulse */
    CHECK(out[0] == 0.5);
    CHECK(out[1] == 0.5);
    CHECK(out[2] == 0.25);
    CHECK(out[3] == 0.125);
    bc_iir_feed_free(&feed);
    bc_iir_feed_free(&feed);                    /* idempotent */
}

int
main(void)
{
    test_against_reference();
    test_channel_independence();
    test_shared_input();
    test_fused_bits();
    test_checks_and_feed();
    return check_report();
}
