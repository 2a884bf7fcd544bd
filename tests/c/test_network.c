/* test_network.c -- C tests of the run loop: the clock furthest behind
 * steps next, external operations pause the loop in their slot, stop
 * ends after the step, and finish_step completes a half-done step. */
#include <string.h>

#include "check.h"
#include "network.h"

static void
test_free_zeroed(void)
{
    bc_network net;
    memset(&net, 0, sizeof(net));
    bc_network_free(&net);
    CHECK(bc_network_init(&net) == BC_OK);
    bc_clock bad = {.dt = 0.0};
    int32_t idx;
    CHECK(bc_network_clock(&net, &bad, &idx) == BC_EINVAL);
    bc_network_free(&net);
}

/* Runs to the end, answering pauses; records the external op ids. */
static int
run_all(bc_network *net, int32_t *ids, int max)
{
    int n = 0;
    for (;;) {
        bc_status st = bc_network_run(net);
        if (st == BC_YIELD) {
            if (net->yield_id >= 0 && n < max) {
                ids[n++] = net->yield_id;
            }
            continue;
        }
        CHECK(st == BC_OK);
        return n;
    }
}

static void
test_two_clocks_and_operation_order(void)
{
    bc_network net;
    bc_network_init(&net);
    bc_clock fast = {.dt = 1e-4, .end = 4, .order = 0};
    bc_clock slow = {.dt = 2e-4, .end = 2, .order = 1};
    CHECK(bc_network_add_operation(&net, BC_OPERATION_EXTERNAL, BC_SLOT_END,
                                   &fast, 1, NULL) == BC_OK);
    CHECK(bc_network_add_operation(&net, BC_OPERATION_EXTERNAL,
                                   BC_SLOT_START, &fast, 0, NULL) == BC_OK);
    CHECK(bc_network_add_operation(&net, BC_OPERATION_EXTERNAL, BC_SLOT_END,
                                   &slow, 2, NULL) == BC_OK);
    int32_t ids[32];
    int n = run_all(&net, ids, 32);
    /* t=0: fast (order 0) then slow; t=1e-4 fast; t=2e-4 fast, slow; ... */
    const int32_t want[] = {0, 1, 2, 0, 1, 0, 1, 2, 0, 1};
    CHECK(n == 10);
    CHECK(n == 10 && memcmp(ids, want, sizeof(want)) == 0);
    CHECK(fast.step == 4 && slow.step == 2);
    CHECK(bc_network_add_operation(&net, BC_OPERATION_EXTERNAL, BC_N_SLOTS,
                                   &fast, 0, NULL) == BC_EINVAL);
    bc_network_free(&net);
}

static void
test_stop_and_finish_step(void)
{
    bc_network net;
    bc_network_init(&net);
    bc_clock c = {.dt = 1e-4, .end = 100};
    CHECK(bc_network_add_operation(&net, BC_OPERATION_EXTERNAL,
                                   BC_SLOT_MIDDLE, &c, 7, NULL) == BC_OK);
    CHECK(bc_network_add_operation(&net, BC_OPERATION_EXTERNAL, BC_SLOT_END,
                                   &c, 8, NULL) == BC_OK);
    bc_status st = bc_network_run(&net);
    CHECK(st == BC_YIELD && net.yield_id == 7 && c.step == 0);
    /* abandon the rest of step 0 as after an exception in op 7 */
    CHECK(bc_network_finish_step(&net) == BC_OK);
    CHECK(c.step == 1 && net.current == -1 && !net.stop_requested);
    st = bc_network_run(&net);
    CHECK(st == BC_YIELD && net.yield_id == 7 && c.step == 1);
    net.stop_requested = 1;
    st = bc_network_run(&net);
    CHECK(st == BC_YIELD && net.yield_id == 8);
    st = bc_network_run(&net);
    CHECK(st == BC_INTERRUPTED && c.step == 2);
    bc_network_free(&net);
}

int
main(void)
{
    test_free_zeroed();
    test_two_clocks_and_operation_order();
    test_stop_and_finish_step();
    return check_report();
}
