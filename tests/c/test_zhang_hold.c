/* test_zhang_hold.c -- ZhangSynapse's refractory hold: e_0 = e_1 = 1 for
 * the neurons that spiked in this step or the phases - 1 before, nothing
 * else touched, and a history shorter than the hold refused. */
#include "check.h"
#include "zhang_hold.h"

enum { N = 4 };

static void
fill(double *e, double v)
{
    for (int i = 0; i < N; i++) {
        e[i] = v;
    }
}

static void
test_hold_over_the_last_phases(void)
{
    double x[N] = {0}, e_0[N], e_1[N];
    bc_group g;
    CHECK(bc_group_init(&g, N, 1, x, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_reserve_history(&g, 3) == BC_OK);
    bc_zhang_hold h = {.group = &g, .phases = 3, .e_0 = e_0, .e_1 = e_1};
    const bc_index first[1] = {1}, second[1] = {3}, none[1] = {0};
    bc_group_update(&g, 0, NULL);
    CHECK(bc_group_replace_spikes(&g, 0, first, 1) == BC_OK);
    fill(e_0, 0.25);
    fill(e_1, 0.5);
    CHECK(bc_zhang_hold_run(&h, 0) == BC_OK);
    CHECK(e_0[1] == 1.0 && e_1[1] == 1.0);
    CHECK(e_0[0] == 0.25 && e_1[0] == 0.5 && e_0[3] == 0.25);
    /* steps 1 and 2: neuron 1 still held, neuron 3 from step 1 on */
    for (bc_step step = 1; step <= 3; step++) {
        bc_group_update(&g, step, NULL);
        CHECK(bc_group_replace_spikes(&g, step, step == 1 ? second : none,
                                      step == 1 ? 1 : 0) == BC_OK);
        fill(e_0, 0.25);
        fill(e_1, 0.5);
        CHECK(bc_zhang_hold_run(&h, step) == BC_OK);
        CHECK((e_0[1] == 1.0) == (step <= 2));  /* steps 0, 1, 2 */
        CHECK((e_1[3] == 1.0) == (step >= 1));  /* steps 1, 2, 3 */
        CHECK(e_0[0] == 0.25 && e_1[2] == 0.5);
    }
    h.phases = g.n_slots + 1;
    CHECK(bc_zhang_hold_run(&h, 4) == BC_EINVAL);
    h.phases = 0;
    CHECK(bc_zhang_hold_run(&h, 4) == BC_EINVAL);
    bc_group_free(&g);
}

int
main(void)
{
    test_hold_over_the_last_phases();
    return check_report();
}
