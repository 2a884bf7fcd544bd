/* test_spike_exchange.c -- C tests for spike_exchange.{h,c}: a record
 * holds the counts of each step's and group's list, oldest step first,
 * then the spikes when they fit; every rank's parts join, in rank order,
 * into the histories; bad input changes nothing. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "spike_exchange.h"

typedef struct two_groups {
    bc_group g[2];
    double *state[2];
    bc_group *list[2];
} two_groups;

static void
two_groups_init(two_groups *t)
{
    const bc_index n[2] = {10, 7};
    for (int k = 0; k < 2; k++) {
        t->state[k] = calloc((size_t)n[k], sizeof(double));
        CHECK(bc_group_init(&t->g[k], n[k], 1, t->state[k], 1e-4, 1, 0)
              == BC_OK);
        CHECK(bc_group_reserve_history(&t->g[k], 3) == BC_OK);
        t->list[k] = &t->g[k];
    }
}

static void
two_groups_free(two_groups *t)
{
    for (int k = 0; k < 2; k++) {
        bc_group_free(&t->g[k]);
        free(t->state[k]);
    }
}

/* Whether group g's list `delay` steps ago is the k indices of want. */
static int
history_is(const bc_group *g, int32_t delay, const bc_index *want,
           bc_index k)
{
    bc_index n;
    const bc_index *s = bc_group_spikes(g, delay, &n);
    return n == k && (k == 0 || memcmp(s, want, (size_t)k * 4) == 0);
}

static void
test_pack(void)
{
    two_groups t;
    two_groups_init(&t);
    const bc_index a1[] = {2, 5}, b1[] = {6}, a0[] = {1, 3, 9};
    /* one step ago: {2, 5} and {6}; this step: {1, 3, 9} and none */
    CHECK(bc_group_import_spikes(&t.g[0], 1, a1, 2) == BC_OK);
    CHECK(bc_group_import_spikes(&t.g[1], 1, b1, 1) == BC_OK);
    CHECK(bc_group_import_spikes(&t.g[0], 0, a0, 3) == BC_OK);
    int32_t record[4 + 6];
    bc_count total = 0;
    CHECK(bc_exchange_pack(t.list, 2, 2, 6, record, &total) == BC_OK);
    const int32_t want[] = {2, 1, 3, 0, 2, 5, 6, 1, 3, 9};
    CHECK(total == 6 && memcmp(record, want, sizeof want) == 0);
    /* over the capacity: the counts only */
    memset(record, 0x7f, sizeof record);
    CHECK(bc_exchange_pack(t.list, 2, 2, 5, record, &total) == BC_OK);
    CHECK(total == 6 && memcmp(record, want, 4 * sizeof(int32_t)) == 0 &&
          record[4] == 0x7f7f7f7f);
    /* one step: this step's lists */
    CHECK(bc_exchange_pack(t.list, 2, 1, 6, record, &total) == BC_OK);
    CHECK(total == 3 && record[0] == 3 && record[1] == 0 &&
          record[2] == 1 && record[4] == 9);
    /* a longer window than the histories hold */
    CHECK(bc_exchange_pack(t.list, 2, 4, 6, record, &total) == BC_ERANGE);
    two_groups_free(&t);
}

static void
test_import(void)
{
    two_groups t;
    two_groups_init(&t);
    /* two ranks, two steps, records of 4 counts + 5 spikes: rank 0 holds
     * neurons [0, 5) of group 0 and [0, 3) of group 1 */
    enum { W = 9 };
    const int32_t records[2 * W] = {
        1, 0, 2, 1, /* spikes */ 4, 0, 3, 2, 0,
        2, 1, 0, 2, /* spikes */ 5, 8, 6, 4, 5};
    const int32_t *spikes[2] = {records + 4, records + W + 4};
    const bc_count room[2] = {5, 5};
    CHECK(bc_exchange_import(t.list, 2, 2, 2, records, W, spikes, room)
          == BC_OK);
    const bc_index g0_old[] = {4, 5, 8}, g1_old[] = {6};
    const bc_index g0_now[] = {0, 3}, g1_now[] = {2, 4, 5};
    CHECK(history_is(&t.g[0], 1, g0_old, 3));
    CHECK(history_is(&t.g[1], 1, g1_old, 1));
    CHECK(history_is(&t.g[0], 0, g0_now, 2));
    CHECK(history_is(&t.g[1], 0, g1_now, 3));

    /* Bad input changes nothing: counts beyond a rank's spikes, a
     * negative count, lists not ascending across ranks, an index past
     * the group, a window longer than the history. */
    int32_t bad[2 * W];
    const int32_t *bad_spikes[2] = {bad + 4, bad + W + 4};
    const bc_count small[2] = {5, 4};
    memcpy(bad, records, sizeof bad);
    CHECK(bc_exchange_import(t.list, 2, 2, 2, bad, W, bad_spikes, small)
          == BC_ERANGE);
    bad[0] = -1;
    CHECK(bc_exchange_import(t.list, 2, 2, 2, bad, W, bad_spikes, room)
          == BC_ERANGE);
    memcpy(bad, records, sizeof bad);
    bad[W + 4] = 3;             /* rank 1's first spike below rank 0's */
    CHECK(bc_exchange_import(t.list, 2, 2, 2, bad, W, bad_spikes, room)
          == BC_EINVAL);
    memcpy(bad, records, sizeof bad);
    bad[W + 7] = 7;             /* group 1 has 7 neurons */
    CHECK(bc_exchange_import(t.list, 2, 2, 2, bad, W, bad_spikes, room)
          == BC_EINVAL);
    CHECK(bc_exchange_import(t.list, 2, 4, 2, records, W, spikes, room)
          == BC_ERANGE);
    CHECK(history_is(&t.g[0], 1, g0_old, 3));
    CHECK(history_is(&t.g[1], 0, g1_now, 3));

    /* what a process packs is what the others import */
    int32_t record[W];
    bc_count total;
    CHECK(bc_exchange_pack(t.list, 2, 2, 5, record, &total) == BC_OK);
    CHECK(total == 9);          /* over the capacity: counts only */
    two_groups_free(&t);
}

int
main(void)
{
    test_pack();
    test_import();
    return check_report();
}
