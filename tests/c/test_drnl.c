/* test_drnl.c -- the fused DRNL: with gains for filters, the closed form
 * g s x + sign(s x) min(a |s x|, b |s x|^c); zero in, zero out whatever
 * c; a channel alone gives the bits it gives in a bank (lanes past the
 * last whole vector too); and the checks. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "drnl.h"

enum { N = 7, S = 50 };

/* Five banks of plain gains (one section, one coefficient: y = b0 x). */
typedef struct gains {
    double b[5][N], a[5][N], z[5][N];
    bc_iir_bank banks[5];
} gains;

static void
make_gains(gains *g, int n)
{
    for (int k = 0; k < 5; k++) {
        for (int j = 0; j < n; j++) {
            g->b[k][j] = 1.0;
            g->a[k][j] = 1.0;
            g->z[k][j] = 0.0;
        }
        CHECK(bc_iir_bank_init(&g->banks[k], n, 1, 1, g->b[k], g->a[k],
                               g->z[k]) == BC_OK);
    }
}

static void
test_closed_form_with_gains(void)
{
    static gains g;
    double gain[N], a[N], b[N], c[N], x[S], y[S * N];
    make_gains(&g, N);
    for (int j = 0; j < N; j++) {
        gain[j] = 2.0 + j;
        a[j] = 3.0 + 0.5 * j;
        b[j] = 1.5;
        c[j] = 0.25 + 0.1 * j;
    }
    for (int t = 0; t < S; t++) {
        x[t] = 2.0 * sin(0.7 * t) + (t == 5 ? 40.0 : 0.0);
    }
    x[9] = 0.0;
    bc_drnl d;
    CHECK(bc_drnl_init(&d, 0.5, g.banks, gain, a, b, c) == BC_OK);
    CHECK(bc_drnl_apply(&d, x, 1, y, S) == BC_OK);
    double worst = 0.0;
    int both = 0;
    for (int t = 0; t < S; t++) {
        double u = 0.5 * x[t];
        for (int j = 0; j < N; j++) {
            double lin = a[j] * fabs(u), comp = b[j] * pow(fabs(u), c[j]);
            double nl = copysign(fmin(lin, comp), u);
            double want = gain[j] * u + (u == 0 ? 0.0 : nl);
            both |= lin < comp ? 1 : 2;
            worst = fmax(worst, fabs(y[t * N + j] - want) /
                                    fmax(1.0, fabs(want)));
        }
    }
    CHECK(worst < 1e-14);
    CHECK(both == 3);                  /* both branches of the min */
    CHECK(y[9 * N] == 0.0);
}

static void
test_zero_whatever_c_and_channels(void)
{
    static gains g, g1;
    double gain[N], a[N], b[N], c[N], x[S * N], y[S * N];
    make_gains(&g, N);
    for (int j = 0; j < N; j++) {
        gain[j] = 0.5;
        a[j] = 2.0;
        b[j] = 1.0;
        c[j] = j == 0 ? 0.0 : 0.3;    /* 0**0: still 0 out for 0 in */
    }
    for (int t = 0; t < S; t++) {
        for (int j = 0; j < N; j++) {
            x[t * N + j] = t % 4 == 0 ? 0.0 : cos(0.2 * t * (j + 1));
        }
    }
    bc_drnl d;
    CHECK(bc_drnl_init(&d, 1.0, g.banks, gain, a, b, c) == BC_OK);
    CHECK(bc_drnl_apply(&d, x, N, y, S) == BC_OK);
    CHECK(y[0] == 0.0 && y[4 * N] == 0.0);
    /* the last channel (past the whole vectors) alone */
    make_gains(&g1, 1);
    double x1[S], y1[S];
    for (int t = 0; t < S; t++) {
        x1[t] = x[t * N + N - 1];
    }
    bc_drnl one;
    CHECK(bc_drnl_init(&one, 1.0, g1.banks, gain + N - 1, a + N - 1,
                       b + N - 1, c + N - 1) == BC_OK);
    CHECK(bc_drnl_apply(&one, x1, 1, y1, S) == BC_OK);
    int same = 1;
    for (int t = 0; t < S; t++) {
        same &= y1[t] == y[t * N + N - 1];
    }
    CHECK(same);
}

static void
test_checks(void)
{
    static gains g, g1;
    double v[N] = {0}, x[N] = {0}, y[N];
    make_gains(&g, N);
    make_gains(&g1, 1);
    bc_drnl d;
    bc_iir_bank mixed[5];
    memcpy(mixed, g.banks, sizeof(mixed));
    mixed[3] = g1.banks[3];
    CHECK(bc_drnl_init(&d, 1.0, mixed, v, v, v, v) == BC_EINVAL);
    CHECK(bc_drnl_init(&d, 1.0, g.banks, NULL, v, v, v) == BC_EINVAL);
    CHECK(bc_drnl_init(&d, 1.0, g.banks, v, v, v, v) == BC_OK);
    CHECK(bc_drnl_apply(&d, x, 2, y, 1) == BC_EINVAL);
    CHECK(bc_drnl_apply(&d, x, 1, y, -1) == BC_EINVAL);
    CHECK(bc_drnl_apply(&d, x, 1, y, 0) == BC_OK);
}

int
main(void)
{
    test_closed_form_with_gains();
    test_zero_whatever_c_and_channels();
    test_checks();
    return check_report();
}
