/* test_tan_carney.c -- Tan & Carney's filterbank: silence stays silent,
 * retuning counted from the start of each call (segments split at a
 * piece boundary give the same bits as one call, elsewhere not), a mono
 * input shared by every channel, channels independent, and the checks. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "tan_carney.h"

enum { N = 3, S = 40 };

/* Plausible constants of the model for cf = 1, 2 and 4 kHz at 50 kHz
 * (their values matter little here: the tests compare runs). */
static void
make_params(double *params)
{
    const double two_pi = 6.283185307179586, fs2 = 100000.0;
    for (int j = 0; j < N; j++) {
        double *p = params + j * BC_TC_N_PARAMS;
        double cf = 1000.0 * (1 << j);
        p[BC_TC_CF] = cf;
        p[BC_TC_F_SHIFT] = 0.1 * cf;
        p[BC_TC_PREAL0] = -two_pi * cf / 4.0;
        p[BC_TC_PIMG] = two_pi * 1.1 * cf;
        p[BC_TC_RGAIN] = pow(10.0, log10(cf) * 0.4 + 1.9);
        p[BC_TC_TA] = pow(10.0, log10(cf) * 1.023 + 0.1607);
        p[BC_TC_TB] = pow(10.0, log10(cf) * 1.4292 - 1.155) - 1000.0;
        p[BC_TC_FP1] = 1.0854 * cf - 106.0034;
        p[BC_TC_ZERO_R] = -pow(10.0, log10(cf) * 1.5 - 0.9);
        p[BC_TC_GAIN] = 1e-30;
        p[BC_TC_NLGAIN] = 500.0;
        double w = two_pi * 800.0;
        p[BC_TC_LPC_B] = 1.0 / (fs2 + w);
        p[BC_TC_LPC_BG] = p[BC_TC_LPC_B] * w * w * w * 1.5;
        p[BC_TC_LPC_A1] = -(fs2 - w) / (fs2 + w);
        w = two_pi * 500.0;
        p[BC_TC_FB_B] = 10.0 * w / (fs2 + w);
        p[BC_TC_FB_A1] = -(fs2 - w) / (fs2 + w);
        w = two_pi * 3800.0;
        p[BC_TC_IHC_B] = w / (w + fs2);
        p[BC_TC_IHC_A1] = -(fs2 - w) / (fs2 + w);
    }
}

static void
make_input(double *x)
{
    for (int t = 0; t < S; t++) {
        for (int j = 0; j < N; j++) {
            x[t * N + j] = 0.5 * sin(0.4 * t + j) + (t == 2 ? 3.0 : 0.0);
        }
    }
}

static bc_tan_carney
model(const double *params, double *state, int with_ihc)
{
    memset(state, 0, sizeof(double) * N * BC_TC_N_STATE);
    return (bc_tan_carney){.n = N, .fs2 = 100000.0, .x0 = -20.0,
                           .shift = 0.125, .with_ihc = with_ihc,
                           .params = params, .state = state};
}

static void
test_silence(void)
{
    static double params[N * BC_TC_N_PARAMS], state[N * BC_TC_N_STATE],
        x[S * N], y[S * N];
    make_params(params);
    bc_tan_carney tc = model(params, state, 1);
    CHECK(bc_tan_carney_apply(&tc, x, N, y, S, 1) == BC_OK);
    int zeros = 1;
    for (int k = 0; k < S * N; k++) {
        zeros &= y[k] == 0.0;
    }
    CHECK(zeros);
}

static void
test_segments_and_retuning(void)
{
    static double params[N * BC_TC_N_PARAMS], state[N * BC_TC_N_STATE],
        x[S * N], whole[S * N], split[S * N], other[S * N];
    make_params(params);
    make_input(x);
    bc_tan_carney tc = model(params, state, 0);
    CHECK(bc_tan_carney_apply(&tc, x, N, whole, S, 3) == BC_OK);
    CHECK(whole[S * N - 1] != 0.0);
    /* 9 + 31 samples: pieces end at 3, 6, 9, 12, ... as in one call */
    tc = model(params, state, 0);
    CHECK(bc_tan_carney_apply(&tc, x, N, split, 9, 3) == BC_OK);
    CHECK(bc_tan_carney_apply(&tc, x + 9 * N, N, split + 9 * N, S - 9, 3) ==
          BC_OK);
    CHECK(memcmp(whole, split, sizeof(whole)) == 0);
    /* 10 + 30: a piece of one sample at 10, then 13, 16, ...: retuned
     * at other samples, so other values */
    tc = model(params, state, 0);
    CHECK(bc_tan_carney_apply(&tc, x, N, other, 10, 3) == BC_OK);
    CHECK(bc_tan_carney_apply(&tc, x + 10 * N, N, other + 10 * N, S - 10,
                              3) == BC_OK);
    CHECK(memcmp(whole, other, 10 * N * sizeof(double)) == 0);
    CHECK(memcmp(whole, other, sizeof(whole)) != 0);
}

static void
test_shared_input_and_channels(void)
{
    static double params[N * BC_TC_N_PARAMS], state[N * BC_TC_N_STATE],
        mono[S], x[S * N], y1[S * N], y2[S * N];
    make_params(params);
    for (int t = 0; t < S; t++) {
        mono[t] = cos(0.3 * t) - 0.2;
        for (int j = 0; j < N; j++) {
            x[t * N + j] = mono[t];
        }
    }
    bc_tan_carney tc = model(params, state, 0);
    CHECK(bc_tan_carney_apply(&tc, mono, 1, y1, S, 2) == BC_OK);
    tc = model(params, state, 0);
    CHECK(bc_tan_carney_apply(&tc, x, N, y2, S, 2) == BC_OK);
    CHECK(memcmp(y1, y2, sizeof(y1)) == 0);
    /* the last channel alone */
    double state1[BC_TC_N_STATE] = {0}, y3[S];
    bc_tan_carney one = {.n = 1, .fs2 = 100000.0, .x0 = -20.0,
                         .shift = 0.125, .with_ihc = 0,
                         .params = params + (N - 1) * BC_TC_N_PARAMS,
                         .state = state1};
    CHECK(bc_tan_carney_apply(&one, mono, 1, y3, S, 2) == BC_OK);
    int same = 1;
    for (int t = 0; t < S; t++) {
        same &= y3[t] == y1[t * N + N - 1];
    }
    CHECK(same);
}

static void
test_checks(void)
{
    static double params[N * BC_TC_N_PARAMS], state[N * BC_TC_N_STATE],
        x[S * N], y[S * N];
    make_params(params);
    bc_tan_carney tc = model(params, state, 1);
    CHECK(bc_tan_carney_apply(&tc, x, N, y, S, 0) == BC_EINVAL);
    CHECK(bc_tan_carney_apply(&tc, x, N, y, -1, 1) == BC_EINVAL);
    CHECK(bc_tan_carney_apply(&tc, x, 2, y, S, 1) == BC_EINVAL);
    CHECK(bc_tan_carney_apply(&tc, x, N, y, 0, 1) == BC_OK);
    tc.n = 0;
    CHECK(bc_tan_carney_apply(&tc, x, N, y, S, 1) == BC_EINVAL);
}

int
main(void)
{
    test_silence();
    test_segments_and_retuning();
    test_shared_input_and_channels();
    test_checks();
    return check_report();
}
