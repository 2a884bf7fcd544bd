/* test_poisson_input.c -- C tests: PoissonInput's binomial input (edge
 * cases with certain outcomes, the mean of many draws, jitter arrival,
 * records) and the TimedArray setter's sample choice. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "poisson_input.h"
#include "timed_array.h"

#define N 300

static void
test_certain_outcomes(void)
{
    static double state[2 * N];
    bc_group g;
    memset(state, 0, sizeof(state));
    CHECK(bc_group_init(&g, N, 2, state, 1e-4, 7, 0) == BC_OK);
    bc_poisson_input all, none, bad;
    memset(&bad, 0, sizeof(bad));
    bc_poisson_input_free(&bad);                    /* zeroed: safe */
    CHECK(bc_poisson_input_init(&bad, &g, 0, N, 1, 5, 1.5, 1.0,
                                BC_POISSON_PLAIN, 1, 0, 0, 1, 0, 0)
          == BC_EINVAL);
    bc_poisson_input_free(&bad);
    CHECK(bc_poisson_input_init(&bad, &g, 10, N, 1, 5, 0.5, 1.0,
                                BC_POISSON_PLAIN, 1, 0, 0, 1, 0, 0)
          == BC_ERANGE);
    bc_poisson_input_free(&bad);
    /* p = 1: every source fires; window [100, 200) of row 1 only */
    CHECK(bc_poisson_input_init(&all, &g, 100, 100, 1, 7, 1.0, 0.5,
                                BC_POISSON_PLAIN, 1, 0, 0, 1, 0, 1)
          == BC_OK);
    CHECK(bc_poisson_input_init(&none, &g, 0, N, 1, 7, 0.0, 1.0,
                                BC_POISSON_PLAIN, 1, 0, 0, 1, 256, 1)
          == BC_OK);
    for (bc_step s = 0; s < 4; s++) {
        CHECK(bc_poisson_input_run(&all, s) == BC_OK);
        CHECK(bc_poisson_input_run(&none, s) == BC_OK);
    }
    int ok = 1;
    for (int i = 0; i < N; i++) {
        double want = (i >= 100 && i < 200) ? 4 * 7 * 0.5 : 0.0;
        ok &= state[N + i] == want && state[i] == 0.0;
    }
    CHECK(ok);
    CHECK(all.rec_index.length == 400 && none.rec_index.length == 0);
    CHECK(((bc_index *)all.rec_index.data)[0] == 0);
    bc_poisson_input_free(&all);
    bc_poisson_input_free(&none);
    bc_group_free(&g);
}

static void
test_mean_and_jitter(void)
{
    static double state[N];
    bc_group g;
    memset(state, 0, sizeof(state));
    CHECK(bc_group_init(&g, N, 1, state, 1e-4, 3, 0) == BC_OK);
    bc_poisson_input in;
    /* mean 20 * 0.05 = 1 per step, 200 steps, 300 neurons */
    CHECK(bc_poisson_input_init(&in, &g, 0, N, 0, 20, 0.05, 1.0,
                                BC_POISSON_PLAIN, 1, 0, 0, 3, 0, 0)
          == BC_OK);
    for (bc_step s = 0; s < 200; s++) {
        bc_poisson_input_run(&in, s);
    }
    double sum = 0.0;
    for (int i = 0; i < N; i++) {
        sum += state[i];
    }
    /* total ~ Binomial(20 * 200 * 300, 0.05): mean 60000, sd 238 */
    CHECK(fabs(sum - 60000.0) < 5 * 238.0);
    bc_poisson_input_free(&in);
    /* jitter 0: each event's copies all land in its own step */
    memset(state, 0, sizeof(state));
    CHECK(bc_poisson_input_init(&in, &g, 0, N, 0, 20, 0.05, 1.0,
                                BC_POISSON_JITTER, 3, 0.0, 0, 3, 512, 0)
          == BC_OK);
    for (bc_step s = 0; s < 10; s++) {
        bc_poisson_input_run(&in, s);
    }
    int ok = 1;
    sum = 0.0;
    for (int i = 0; i < N; i++) {
        ok &= fmod(state[i], 3.0) == 0.0;
        sum += state[i];
    }
    CHECK(ok && sum > 0.0);
    bc_poisson_input_free(&in);
    bc_group_free(&g);
}

static void
test_timed_sample(void)
{
    double dst[2], values[6] = {1, 2, 3, 4, 5, 6}, times[3] = {0, 1e-3,
                                                               3e-3};
    bc_timed_setter s;
    CHECK(bc_timed_setter_init(&s, dst, 2, values, 3, 3, NULL, 0, 1e-3,
                               1e-4) == BC_EINVAL);     /* width 3 != 2 */
    CHECK(bc_timed_setter_init(&s, dst, 2, values, 3, 2, NULL, 0, 1e-3,
                               1e-4) == BC_OK);
    CHECK(bc_timed_sample(&s, -1.0) == 0);
    CHECK(bc_timed_sample(&s, 0.5e-3) == 0);            /* rint(0.5) */
    CHECK(bc_timed_sample(&s, 0.6e-3) == 1);
    CHECK(bc_timed_sample(&s, 1.0) == 2);
    CHECK(bc_timed_sample(&s, NAN) == 0);
    bc_timed_setter_run(&s, 7);                         /* t = 0.7 ms */
    CHECK(dst[0] == 3 && dst[1] == 4);
    CHECK(bc_timed_setter_init(&s, dst, 2, values, 3, 1, times, 0, 0,
                               1e-4) == BC_OK);
    CHECK(bc_timed_sample(&s, 0.99e-3) == 0);           /* last at or */
    CHECK(bc_timed_sample(&s, 1e-3) == 1);              /* before t */
    CHECK(bc_timed_sample(&s, 2.9e-3) == 1);
    bc_timed_setter_run(&s, 30);
    CHECK(dst[0] == 3 && dst[1] == 3);
}

int
main(void)
{
    test_certain_outcomes();
    test_mean_and_jitter();
    test_timed_sample();
    return check_report();
}
