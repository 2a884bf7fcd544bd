/* test_sum_lanes.c -- C tests for sum_lanes.{h,c} and its use by the
 * lumped sums of synapses.{h,c}: the grouping holds every synapse once,
 * each lane in synapse order; the sums equal a hand sum in synapse order
 * bit for bit (every choice of operands, empty targets, several synapses
 * per pair, infinities, NaN and signed zeros among the terms, groups with
 * empty slots); a lumped sum sees a weight changed between runs (after
 * bc_synapses_before_run) and between steps (writes_between_steps). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sum_lanes.h"
#include "synapses.h"

static uint32_t
next_random(uint32_t *r)
{
    *r = *r * 1664525u + 1013904223u;
    return *r >> 8;
}

/* a[0..n) and b[0..n) bit for bit, but for NaN's sign and payload where
 * two NaNs meet in an addition (the CPU keeps one operand's, and a
 * compiler may swap an addition's operands: any two builds of one sum
 * may differ there) */
static int
same_bits(const double *a, const double *b, int n)
{
    int ok = 1;
    for (int k = 0; k < n; k++) {
        ok &= (isnan(a[k]) && isnan(b[k]))
              || memcmp(&a[k], &b[k], sizeof(double)) == 0;
    }
    return ok;
}

/* Every synapse in exactly one slot, the lanes' synapses increasing and
 * onto their target, the counts and full rows as the slots say. */
static void
check_structure(const bc_sum_lanes *l, bc_index n_syn, const bc_index *pre,
                const bc_index *post)
{
    int *seen = calloc((size_t)n_syn + 1, sizeof(*seen));
    int ok = 1;
    for (bc_index g = 0; g < l->n_groups; g++) {
        for (int k = 0; k < BC_SUM_LANES; k++) {
            size_t lane = (size_t)g * BC_SUM_LANES + (size_t)k;
            bc_index last = -1;
            bc_count n = 0;
            for (bc_count r = l->row[g]; r < l->row[g + 1]; r++) {
                bc_count q = r * BC_SUM_LANES + k;
                bc_index e = l->syn[q];
                if (e < 0) {
                    ok &= r - l->row[g] >= l->full[g];
                    continue;
                }
                ok &= e < n_syn && e > last && post[e] == l->target[lane]
                      && l->pre[q] == pre[e] && r - l->row[g] == n;
                seen[e]++;
                last = e;
                n++;
            }
            ok &= n == l->count[lane];
        }
    }
    for (bc_index e = 0; e < n_syn; e++) {
        ok &= seen[e] == 1;
    }
    CHECK(ok);
    free(seen);
}

/* The sums over random synapses against hand sums in synapse order, for
 * the four choices of where x and y are read. */
static void
test_sums_in_synapse_order(void)
{
    enum { N_PRE = 23, N_POST = 30, N_SYN = 700 };
    bc_index pre[N_SYN], post[N_SYN];
    double z[N_SYN], x_src[N_PRE], x_tgt[N_POST], y_src[N_PRE], y_tgt[N_POST];
    uint32_t r = 77;
    for (int e = 0; e < N_SYN; e++) {
        pre[e] = (bc_index)(next_random(&r) % N_PRE);
        /* targets 0..3 and 29 get none; skewed counts: partial groups */
        bc_index j = (bc_index)(4 + next_random(&r) % 25);
        post[e] = j % 3 == 0 && e % 2 ? (bc_index)(4 + j / 3) : j;
        z[e] = (double)next_random(&r) / 16777216.0 - 0.4;
    }
    z[5] = -0.0;                 /* a -0.0 term */
    z[9] = 0.0;
    for (int i = 0; i < N_PRE; i++) {
        x_src[i] = 0.1 * i + 1.0 / 7.0;
        y_src[i] = 0.3 - 0.07 * i;
    }
    for (int j = 0; j < N_POST; j++) {
        x_tgt[j] = 0.9 - 0.05 * j;
        y_tgt[j] = 1.0 / (3.0 + j);
    }
    x_src[pre[9]] = INFINITY;    /* inf * 0 gives NaN, as in memory */
    y_tgt[post[40]] = -INFINITY;
    x_src[(pre[9] + 1) % N_PRE] = NAN;
    bc_sum_lanes l;
    memset(&l, 0, sizeof(l));
    CHECK(bc_sum_lanes_build(&l, N_SYN, pre, post, N_POST) == BC_OK);
    check_structure(&l, N_SYN, pre, post);
    double *z_slots = malloc(((size_t)l.n_slots + 1) * sizeof(double));
    bc_sum_lanes_gather(&l, z, 1, z_slots);
    for (int form = 0; form < 4; form++) {
        int x_pre = form & 1, y_pre = form >> 1;
        const double *x = x_pre ? x_src : x_tgt, *y = y_pre ? y_src : y_tgt;
        double hand[N_POST], got[N_POST];
        for (int j = 0; j < N_POST; j++) {
            hand[j] = 0.0;
            got[j] = 0.0;
        }
        for (int e = 0; e < N_SYN; e++) {
            double a = x[x_pre ? pre[e] : post[e]];
            double b = y[y_pre ? pre[e] : post[e]];
            hand[post[e]] += (a - b) * z[e];
        }
        bc_sum_lanes_diff(&l, x, x_pre, y, y_pre, z_slots, got);
        CHECK(same_bits(hand, got, N_POST));
    }
    free(z_slots);
    bc_sum_lanes_free(&l);
    /* no synapses: nothing to group; and a zeroed struct frees */
    CHECK(bc_sum_lanes_build(&l, 0, NULL, NULL, 5) == BC_OK);
    CHECK(l.n_groups == 0 && l.n_slots == 0);
    bc_sum_lanes_free(&l);
    bc_sum_lanes_free(&l);
    CHECK(bc_sum_lanes_build(&l, -1, pre, post, 5) == BC_EINVAL);
}

/* I = (v_pre - v_post) * w summed by a Synapses object: w written between
 * runs is seen after bc_synapses_before_run, and between steps when the
 * caller says it writes then. */
static void
test_lumped_sum_sees_new_weights(void)
{
    enum { N = 6, N_SYN = N * N };
    bc_group src, tgt;
    double src_state[N], tgt_state[2 * N];
    for (int i = 0; i < N; i++) {
        src_state[i] = 0.25 * i;
        tgt_state[i] = 0.5 - 0.1 * i;
    }
    CHECK(bc_group_init(&src, N, 1, src_state, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_init(&tgt, N, 2, tgt_state, 1e-4, 1, 0) == BC_OK);
    bc_index pre[N_SYN], post[N_SYN];
    double w[N_SYN];
    for (int e = 0; e < N_SYN; e++) {
        pre[e] = (bc_index)(e / N);
        post[e] = (bc_index)(e % N);
        w[e] = 0.02;
    }
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src, 0, N, &tgt, 0, N, 1e-4, 1, 0)
          == BC_OK);
    CHECK(bc_synapses_set(&s, N_SYN, pre, post, w, 1, 0) == BC_OK);
    /* rows: w 0, source v 1, target v 2 and I 3 */
    int32_t code[5] = {BC_OP_SUBMUL, 3, 0, 1, 2};
    int32_t kind[4] = {BC_REG_VAR, BC_REG_VAR, BC_REG_VAR, BC_REG_TEMP};
    int32_t index[4] = {1, 2, 0, 0};
    double cst[4] = {0};
    bc_program p = {.n_instr = 1, .code = code, .n_regs = 4,
                    .reg_kind = kind, .reg_index = index, .reg_const = cst,
                    .out_reg = 3};
    CHECK(bc_synapses_add_lumped(&s, &p, 1) == BC_OK);
    for (int round = 0; round < 3; round++) {
        if (round == 1) {
            bc_synapses_before_run(&s, 0);      /* a new run */
        }
        if (round == 2) {
            bc_synapses_before_run(&s, 1);      /* writes between steps */
            CHECK(bc_synapses_run_lumped(&s, 0) == BC_OK);
        }
        for (int e = 0; e < N_SYN; e++) {
            w[e] = 0.01 * (round + 1) + 0.001 * e;
        }
        CHECK(bc_synapses_run_lumped(&s, 1) == BC_OK);
        double hand[N] = {0};
        for (int e = 0; e < N_SYN; e++) {
            hand[post[e]] += (src_state[pre[e]] - tgt_state[post[e]]) * w[e];
        }
        CHECK(round == 0 || memcmp(hand, tgt_state + N, sizeof(hand)) == 0);
    }
    CHECK(bc_synapses_bytes(&s) > 0);
    bc_synapses_free(&s);
    bc_group_free(&src);
    bc_group_free(&tgt);
}

int
main(void)
{
    test_sums_in_synapse_order();
    test_lumped_sum_sees_new_weights();
    return check_report();
}
