/* test_synapses.c -- C tests for spike_queue.{h,c} and synapses.{h,c}:
 * queue order and wrap-around, additions with homogeneous and per-synapse
 * delays (arrival to the step), a program writing the target through
 * duplicate targets (batches), clock-driven updates on the row space,
 * lumped sums (the fused (a - b) * c form against the general path),
 * an interleaved state against rows one after the other,
 * range checks and _free on zeroed structs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "synapses.h"

/* A group with spikes from a schedule: n neurons, n_vars state rows. */
typedef struct fixture {
    bc_group g;
    double *state;
} fixture;

static void
fixture_init(fixture *f, bc_index n, int32_t n_vars, bc_count n_spikes,
             const bc_step *steps, const bc_index *idx)
{
    f->state = calloc((size_t)n * (size_t)n_vars, sizeof(double));
    CHECK(bc_group_init(&f->g, n, n_vars, f->state, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_set_schedule(&f->g, n_spikes, steps, idx, 0) == BC_OK);
    CHECK(bc_group_reserve_history(&f->g, 16) == BC_OK);
}

static void
fixture_free(fixture *f)
{
    bc_group_free(&f->g);
    free(f->state);
}

static void
test_queue(void)
{
    bc_spike_queue q;
    CHECK(bc_spike_queue_init(&q, 0) == BC_EINVAL);
    CHECK(bc_spike_queue_init(&q, 3) == BC_OK);
    CHECK(bc_spike_queue_push(&q, 2, 7) == BC_OK);
    CHECK(bc_spike_queue_push(&q, 0, 5) == BC_OK);
    CHECK(bc_spike_queue_push(&q, 0, 6) == BC_OK);
    bc_index n;
    const bc_index *due = bc_spike_queue_due(&q, &n);
    CHECK(n == 2 && due[0] == 5 && due[1] == 6);
    bc_spike_queue_advance(&q);
    due = bc_spike_queue_due(&q, &n);
    CHECK(n == 0);
    /* slot 2 of the start is now 1 ahead; a push of 2 wraps around */
    CHECK(bc_spike_queue_push(&q, 2, 9) == BC_OK);
    bc_spike_queue_advance(&q);
    due = bc_spike_queue_due(&q, &n);
    CHECK(n == 1 && due[0] == 7);
    bc_spike_queue_advance(&q);
    due = bc_spike_queue_due(&q, &n);
    CHECK(n == 1 && due[0] == 9);
    for (bc_index k = 0; k < 1000; k++) {      /* growth */
        CHECK(bc_spike_queue_push(&q, 1, k) == BC_OK);
    }
    bc_spike_queue_advance(&q);
    due = bc_spike_queue_due(&q, &n);
    CHECK(n == 1000 && due[999] == 999);
    CHECK(bc_spike_queue_bytes(&q) >= 1000 * sizeof(bc_index));
    bc_spike_queue_clear(&q);
    due = bc_spike_queue_due(&q, &n);
    CHECK(n == 0 && q.head == 0);
    bc_spike_queue_free(&q);
    bc_spike_queue_free(&q);
}

static void
test_free_zeroed(void)
{
    bc_synapses s;
    memset(&s, 0, sizeof(s));
    bc_synapses_free(&s);
    bc_synapses_free(&s);
    CHECK(s.pathways == NULL && s.by_pre.row_start == NULL);
}

/* Source neuron 0 spikes at step 1 and neuron 1 at step 3; synapses
 * (unsorted): 1->0, 0->2, 0->0, 1->2 with weights 1, 2, 4, 8. */
static const bc_step spike_steps[2] = {1, 3};
static const bc_index spike_idx[2] = {0, 1};
static const bc_index syn_pre[4] = {1, 0, 0, 1};
static const bc_index syn_post[4] = {0, 2, 0, 2};

static void
run_steps(fixture *src, bc_synapses *s, bc_step n, double *trace)
{
    for (bc_step k = 0; k < n; k++) {
        bc_group_update(&src->g, k, NULL);
        CHECK(bc_synapses_run(s, k) == BC_OK);
        for (bc_index j = 0; j < 3; j++) {
            trace[k * 3 + j] = s->target->state[j];
        }
    }
}

static void
test_homogeneous_delay(void)
{
    fixture src, tgt;
    fixture_init(&src, 2, 1, 2, spike_steps, spike_idx);
    fixture_init(&tgt, 3, 1, 0, NULL, NULL);
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src.g, 0, 2, &tgt.g, 0, 3, 1e-4, 1, 0)
          == BC_OK);
    double w[4] = {1, 2, 4, 8};
    CHECK(bc_synapses_set(&s, 4, syn_pre, syn_post, w, 1, 0) == BC_OK);
    CHECK(s.by_pre.ids != NULL);        /* not in presynaptic order */
    int32_t row = 0, src_row = 0;
    double c = 0.0;
    CHECK(bc_synapses_add_pathway(&s, 0, NULL, 0, 1, &row, &src_row, &c,
                                  NULL, 2, 1) == BC_OK);
    double trace[8 * 3];
    run_steps(&src, &s, 8, trace);
    /* neuron 0's spike (step 1) arrives at step 3: +4 on 0, +2 on 2 */
    CHECK(trace[2 * 3 + 0] == 0.0 && trace[3 * 3 + 0] == 4.0);
    CHECK(trace[3 * 3 + 2] == 2.0);
    /* neuron 1's (step 3) at step 5: +1 on 0, +8 on 2 */
    CHECK(trace[4 * 3 + 0] == 4.0 && trace[5 * 3 + 0] == 5.0);
    CHECK(trace[5 * 3 + 2] == 10.0 && trace[7 * 3 + 1] == 0.0);
    bc_synapses_free(&s);
    fixture_free(&src);
    fixture_free(&tgt);
}

static void
test_per_synapse_delays(void)
{
    fixture src, tgt;
    fixture_init(&src, 2, 1, 2, spike_steps, spike_idx);
    fixture_init(&tgt, 3, 1, 0, NULL, NULL);
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src.g, 0, 2, &tgt.g, 0, 3, 1e-4, 1, 0)
          == BC_OK);
    double w[4] = {1, 2, 4, 8};
    uint16_t delay[4] = {0, 1, 4, 2};
    CHECK(bc_synapses_set(&s, 4, syn_pre, syn_post, w, 1, 0) == BC_OK);
    int32_t row = 0, src_row = 0;
    double c = 0.0;
    CHECK(bc_synapses_add_pathway(&s, 0, NULL, 0, 1, &row, &src_row, &c,
                                  delay, 0, 4) == BC_ERANGE);
    CHECK(bc_synapses_add_pathway(&s, 0, NULL, 0, 1, &row, &src_row, &c,
                                  delay, 0, 5) == BC_OK);
    double trace[8 * 3];
    run_steps(&src, &s, 8, trace);
    /* 0->2 (w 2, delay 1): step 2; 0->0 (w 4, delay 4): step 5;
     * 1->0 (w 1, delay 0): step 3; 1->2 (w 8, delay 2): step 5 */
    CHECK(trace[1 * 3 + 2] == 0.0 && trace[2 * 3 + 2] == 2.0);
    CHECK(trace[2 * 3 + 0] == 0.0 && trace[3 * 3 + 0] == 1.0);
    CHECK(trace[4 * 3 + 0] == 1.0 && trace[5 * 3 + 0] == 5.0);
    CHECK(trace[4 * 3 + 2] == 2.0 && trace[5 * 3 + 2] == 10.0);
    CHECK(bc_synapses_bytes(&s) > 0);
    bc_synapses_clear_queues(&s);
    bc_synapses_free(&s);
    fixture_free(&src);
    fixture_free(&tgt);
}

/* A program `v += w; c += 1` on the row space (one synaptic row w, one
 * counter c, the target's v): several synapses onto one neuron in one
 * step must all add (rounds of distinct targets). */
static void
test_program_with_duplicates(void)
{
    bc_step steps[2] = {0, 0};
    bc_index idx[2] = {0, 1};
    fixture src, tgt;
    fixture_init(&src, 2, 1, 2, steps, idx);
    fixture_init(&tgt, 3, 1, 0, NULL, NULL);
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src.g, 0, 2, &tgt.g, 0, 3, 1e-4, 1, 0)
          == BC_OK);
    bc_index pre[5] = {0, 0, 0, 1, 1}, post[5] = {1, 1, 2, 1, 0};
    double state[10] = {1, 2, 4, 8, 16, 0, 0, 0, 0, 0};
    CHECK(bc_synapses_set(&s, 5, pre, post, state, 2, 0) == BC_OK);
    /* rows: w 0, c 1, source v 2, target v 3 */
    CHECK(s.n_rows == 4);
    int32_t code[2 * 5] = {BC_OP_ADD, 0, 0, 1, 0,
                           BC_OP_ADD, 2, 2, 3, 0};
    int32_t kind[4] = {BC_REG_VAR, BC_REG_VAR, BC_REG_VAR, BC_REG_CONST};
    int32_t index[4] = {3, 0, 1, 0};
    double cst[4] = {0, 0, 0, 1.0};
    bc_program p = {.n_instr = 2, .code = code, .n_regs = 4,
                    .reg_kind = kind, .reg_index = index, .reg_const = cst,
                    .out_reg = -1};
    CHECK(bc_synapses_add_pathway(&s, 0, &p, 1, 0, NULL, NULL, NULL, NULL,
                                  0, 1) == BC_OK);
    bc_group_update(&src.g, 0, NULL);
    CHECK(bc_synapses_run(&s, 0) == BC_OK);
    CHECK(tgt.state[0] == 16.0 && tgt.state[1] == 11.0
          && tgt.state[2] == 4.0);
    for (int k = 0; k < 5; k++) {
        CHECK(state[5 + k] == 1.0);
    }
    /* the same program as a lumped sum: target v = sum of w per neuron */
    int32_t lcode[5] = {BC_OP_MOV, 1, 0, 0, 0};
    int32_t lkind[2] = {BC_REG_VAR, BC_REG_TEMP};
    int32_t lindex[2] = {0, 0};
    double lcst[2] = {0, 0};
    bc_program l = {.n_instr = 1, .code = lcode, .n_regs = 2,
                    .reg_kind = lkind, .reg_index = lindex,
                    .reg_const = lcst, .out_reg = 1};
    CHECK(bc_synapses_add_lumped(&s, &l, 1) == BC_EINVAL);  /* no row 1 */
    CHECK(bc_synapses_add_lumped(&s, &l, 0) == BC_OK);
    CHECK(bc_synapses_run_lumped(&s, 0) == BC_OK);
    CHECK(tgt.state[0] == 16.0 && tgt.state[1] == 11.0
          && tgt.state[2] == 4.0);
    bc_synapses_free(&s);
    fixture_free(&src);
    fixture_free(&tgt);
}

/* Target row 1 after the lumped sum of `p` (registers 0..2 the rows
 * a, b, c; 3 and 4 temporaries) over the synapses pre/post with weights w. */
static void
lumped_result(fixture *src, fixture *tgt, bc_index n_syn,
              const bc_index *pre, const bc_index *post, double *w,
              const int32_t *code, int32_t n_instr, const int32_t *index,
              int32_t out_reg, double *result)
{
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src->g, 0, src->g.n, &tgt->g, 0, tgt->g.n,
                           1e-4, 1, 0) == BC_OK);
    CHECK(bc_synapses_set(&s, n_syn, pre, post, w, 1, 0) == BC_OK);
    int32_t kind[5] = {BC_REG_VAR, BC_REG_VAR, BC_REG_VAR, BC_REG_TEMP,
                       BC_REG_TEMP};
    double cst[5] = {0};
    bc_program p = {.n_instr = n_instr, .code = code, .n_regs = 5,
                    .reg_kind = kind, .reg_index = index, .reg_const = cst,
                    .out_reg = out_reg};
    CHECK(bc_synapses_add_lumped(&s, &p, 1) == BC_OK);
    CHECK(bc_synapses_run_lumped(&s, 0) == BC_OK);
    memcpy(result, tgt->state + tgt->g.n, (size_t)tgt->g.n * sizeof(double));
    bc_synapses_free(&s);
}

/* A lumped sum (a - b) * c of two group rows and a synaptic row takes a
 * fused loop: the same bits as the same sum as two instructions (SUB, MUL:
 * the general path) and as a hand sum in synapse order, with presynaptic
 * indices sorted or not, either operand order, and an operand that is the
 * target row itself (read before it is cleared). */
static void
test_lumped_fused_difference(void)
{
    enum { N_PRE = 7, N_POST = 5, N_SYN = 60 };
    fixture src, tgt;
    fixture_init(&src, N_PRE, 2, 0, NULL, NULL);
    fixture_init(&tgt, N_POST, 2, 0, NULL, NULL);
    bc_index pre[N_SYN], post[N_SYN];
    double w[N_SYN];
    uint32_t r = 12345;
    for (int k = 0; k < N_SYN; k++) {
        r = r * 1664525u + 1013904223u;
        pre[k] = (bc_index)(k * N_PRE / N_SYN);     /* sorted */
        post[k] = (bc_index)((r >> 8) % N_POST);    /* duplicates */
        w[k] = (double)(r >> 11) / 2097152.0 - 0.3;
    }
    for (int i = 0; i < N_PRE; i++) {
        src.state[i] = 0.1 * i + 1.0 / 3.0;
    }
    for (int j = 0; j < N_POST; j++) {
        tgt.state[j] = 0.7 - 0.13 * j;
    }
    /* rows: w 0, source v 1 and u 2, target v 3 and I 4 */
    int32_t fused[5] = {BC_OP_SUBMUL, 3, 0, 1, 2};
    int32_t split[10] = {BC_OP_SUB, 3, 0, 1, 0, BC_OP_MUL, 4, 3, 2, 0};
    int32_t rows_ab[4][5] = {{1, 3, 0, 0, 0}, {3, 1, 0, 0, 0},
                             {1, 4, 0, 0, 0}, {4, 1, 0, 0, 0}};
    double got[N_POST], ref[N_POST];
    for (int order = 0; order < 2; order++) {
        if (order == 1) {               /* unsorted presynaptic indices */
            for (int k = 0; k < N_SYN; k++) {
                pre[k] = (bc_index)((k * 5) % N_PRE);
            }
        }
        for (int form = 0; form < 4; form++) {
            for (int j = 0; j < N_POST; j++) {
                tgt.state[N_POST + j] = 0.25 * j - 0.5;   /* old I */
            }
            double hand[N_POST] = {0};
            for (int k = 0; k < N_SYN; k++) {
                int32_t ra = rows_ab[form][0], rb = rows_ab[form][1];
                double a = ra == 1 ? src.state[pre[k]]
                           : tgt.state[(ra - 3) * N_POST + post[k]];
                double b = rb == 1 ? src.state[pre[k]]
                           : tgt.state[(rb - 3) * N_POST + post[k]];
                hand[post[k]] += (a - b) * w[k];
            }
            int32_t index[5] = {rows_ab[form][0], rows_ab[form][1], 0, 0, 0};
            lumped_result(&src, &tgt, N_SYN, pre, post, w, split, 2, index,
                          4, ref);
            for (int j = 0; j < N_POST; j++) {
                tgt.state[N_POST + j] = 0.25 * j - 0.5;
            }
            lumped_result(&src, &tgt, N_SYN, pre, post, w, fused, 1, index,
                          3, got);
            CHECK(memcmp(got, ref, sizeof(got)) == 0);
            CHECK(memcmp(got, hand, sizeof(got)) == 0);
        }
    }
    fixture_free(&src);
    fixture_free(&tgt);
}

/* Clock-driven update reading the presynaptic v: x += v_pre each step. */
static void
test_mapped_update(void)
{
    fixture src, tgt;
    fixture_init(&src, 2, 1, 0, NULL, NULL);
    fixture_init(&tgt, 1, 1, 0, NULL, NULL);
    src.state[0] = 3.0;
    src.state[1] = 5.0;
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src.g, 0, 2, &tgt.g, 0, 1, 1e-4, 1, 0)
          == BC_OK);
    bc_index pre[3] = {1, 0, 1}, post[3] = {0, 0, 0};
    double x[3] = {0, 0, 0};
    CHECK(bc_synapses_set(&s, 3, pre, post, x, 1, 1) == BC_OK);
    int32_t code[5] = {BC_OP_ADD, 0, 0, 1, 0};
    int32_t kind[2] = {BC_REG_VAR, BC_REG_VAR};
    int32_t index[2] = {0, 1};
    double cst[2] = {0, 0};
    bc_program p = {.n_instr = 1, .code = code, .n_regs = 2,
                    .reg_kind = kind, .reg_index = index, .reg_const = cst,
                    .out_reg = -1};
    CHECK(bc_synapses_set_update(&s, &p, 0) == BC_EINVAL);  /* row 1 */
    CHECK(bc_synapses_set_update(&s, &p, 1) == BC_OK);
    CHECK(bc_synapses_run(&s, 0) == BC_OK);
    CHECK(bc_synapses_run(&s, 1) == BC_OK);
    CHECK(x[0] == 10.0 && x[1] == 6.0 && x[2] == 10.0);
    bc_synapses_free(&s);
    fixture_free(&src);
    fixture_free(&tgt);
}

/* The network of test_interleaved_state: 6 sources onto 5 targets, all to
 * all (shuffled: in another synapse order), 3 synaptic variables w, a, c
 * (rows 0-2; sources' v, u rows 3-4; targets' v, I rows 5-6) with
 * - a mapped clock-driven update c = c * 0.5 + v_pre;
 * - a pre pathway v_post += w; a += 1 (writes the target);
 * - a post pathway w = w + a * 0.25 (reverse: walks columns);
 * - an accumulating pathway v_post += c with per-synapse delays;
 * - the fused lumped sum I = (v_pre - v_post) * w.
 * Runs 12 steps on the state laid out as asked; *syn gets the synaptic
 * state as rows (var * n_syn + synapse), *tgt the targets' state. */
enum { IL_PRE = 6, IL_POST = 5, IL_SYN = 30, IL_VARS = 3 };

static void
interleaved_network(int interleaved, int shuffled, double *syn,
                    double *tgt_out)
{
    static const bc_step src_steps[5] = {0, 1, 1, 4, 7};
    static const bc_index src_idx[5] = {2, 0, 5, 2, 3};
    static const bc_step tgt_steps[4] = {2, 3, 3, 8};
    static const bc_index tgt_idx[4] = {1, 0, 4, 1};
    fixture src, tgt;
    fixture_init(&src, IL_PRE, 2, 5, src_steps, src_idx);
    fixture_init(&tgt, IL_POST, 2, 4, tgt_steps, tgt_idx);
    for (int i = 0; i < IL_PRE; i++) {
        src.state[i] = 0.3 * i - 0.2;
    }
    bc_index pre[IL_SYN], post[IL_SYN];
    uint16_t delay[IL_SYN];
    double state[IL_VARS * IL_SYN];
    for (int k = 0; k < IL_SYN; k++) {
        int m = shuffled ? (k * 7) % IL_SYN : k;
        pre[k] = (bc_index)(m / IL_POST);
        post[k] = (bc_index)(m % IL_POST);
        delay[k] = (uint16_t)(m % 4);
        for (int v = 0; v < IL_VARS; v++) {
            double x = 0.1 * m + 1.0 / (3.0 + v);
            state[interleaved ? k * IL_VARS + v : v * IL_SYN + k] = x;
        }
    }
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src.g, 0, IL_PRE, &tgt.g, 0, IL_POST, 1e-4,
                           1, 0) == BC_OK);
    CHECK(bc_synapses_set_layout(&s, IL_SYN, pre, post, state, IL_VARS,
                                 interleaved, 1) == BC_OK);
    double cst[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    /* update: c = c * 0.5 + v_pre */
    int32_t ucode[10] = {BC_OP_MUL, 2, 0, 1, 0, BC_OP_ADD, 0, 2, 3, 0};
    int32_t ukind[4] = {BC_REG_VAR, BC_REG_CONST, BC_REG_TEMP, BC_REG_VAR};
    int32_t uindex[4] = {2, 0, 0, 3};
    double ucst[4] = {0, 0.5, 0, 0};
    bc_program update = {.n_instr = 2, .code = ucode, .n_regs = 4,
                         .reg_kind = ukind, .reg_index = uindex,
                         .reg_const = ucst, .out_reg = -1};
    /* an update on the synaptic rows alone runs unmapped only on rows
     * one after the other */
    int32_t scode[5] = {BC_OP_MUL, 0, 0, 1, 0};
    bc_program solo = {.n_instr = 1, .code = scode, .n_regs = 2,
                       .reg_kind = ukind, .reg_index = uindex,
                       .reg_const = ucst, .out_reg = -1};
    CHECK(bc_synapses_set_update(&s, &solo, 0)
          == (interleaved ? BC_EINVAL : BC_OK));
    CHECK(bc_synapses_set_update(&s, &update, 1) == BC_OK);
    /* pre: v_post += w; a += 1 */
    int32_t pcode[10] = {BC_OP_ADD, 0, 0, 1, 0, BC_OP_ADD, 2, 2, 3, 0};
    int32_t pkind[4] = {BC_REG_VAR, BC_REG_VAR, BC_REG_VAR, BC_REG_CONST};
    int32_t pindex[4] = {5, 0, 1, 0};
    double pcst[4] = {0, 0, 0, 1.0};
    bc_program pre_code = {.n_instr = 2, .code = pcode, .n_regs = 4,
                           .reg_kind = pkind, .reg_index = pindex,
                           .reg_const = pcst, .out_reg = -1};
    CHECK(bc_synapses_add_pathway(&s, 0, &pre_code, 1, 0, NULL, NULL, NULL,
                                  NULL, 0, 1) == BC_OK);
    /* post: w = w + a * 0.25 */
    int32_t qcode[10] = {BC_OP_MUL, 3, 1, 2, 0, BC_OP_ADD, 0, 0, 3, 0};
    int32_t qkind[4] = {BC_REG_VAR, BC_REG_VAR, BC_REG_CONST, BC_REG_TEMP};
    int32_t qindex[4] = {0, 1, 0, 0};
    double qcst[4] = {0, 0, 0.25, 0};
    bc_program post_code = {.n_instr = 2, .code = qcode, .n_regs = 4,
                            .reg_kind = qkind, .reg_index = qindex,
                            .reg_const = qcst, .out_reg = -1};
    CHECK(bc_synapses_add_pathway(&s, 1, &post_code, 0, 0, NULL, NULL, NULL,
                                  NULL, 0, 1) == BC_OK);
    /* v_post += c, delayed per synapse */
    int32_t acc_row = 0, acc_src = 2;
    CHECK(bc_synapses_add_pathway(&s, 0, NULL, 0, 1, &acc_row, &acc_src,
                                  cst, delay, 0, 4) == BC_OK);
    /* I = (v_pre - v_post) * w */
    int32_t lcode[5] = {BC_OP_SUBMUL, 3, 0, 1, 2};
    int32_t lkind[4] = {BC_REG_VAR, BC_REG_VAR, BC_REG_VAR, BC_REG_TEMP};
    int32_t lindex[4] = {3, 5, 0, 0};
    bc_program lumped = {.n_instr = 1, .code = lcode, .n_regs = 4,
                         .reg_kind = lkind, .reg_index = lindex,
                         .reg_const = cst, .out_reg = 3};
    CHECK(bc_synapses_add_lumped(&s, &lumped, 1) == BC_OK);
    for (bc_step k = 0; k < 12; k++) {
        bc_group_update(&src.g, k, NULL);
        bc_group_update(&tgt.g, k, NULL);
        CHECK(bc_synapses_run(&s, k) == BC_OK);
        CHECK(bc_synapses_run_lumped(&s, k) == BC_OK);
    }
    for (int k = 0; k < IL_SYN; k++) {
        int m = shuffled ? (k * 7) % IL_SYN : k;
        for (int v = 0; v < IL_VARS; v++) {
            syn[v * IL_SYN + m] =
                state[interleaved ? k * IL_VARS + v : v * IL_SYN + k];
        }
    }
    memcpy(tgt_out, tgt.state, 2 * IL_POST * sizeof(double));
    bc_synapses_free(&s);
    fixture_free(&src);
    fixture_free(&tgt);
}

/* An interleaved state (the variables of one synapse side by side) gives
 * the very bits of rows one after the other, through every path: the
 * mapped update, a pre pathway in place (synapses in presynaptic order)
 * and by event lists (shuffled), a post pathway, delayed additions and
 * the fused lumped sum. */
static void
test_interleaved_state(void)
{
    double syn[2][IL_VARS * IL_SYN], tgt[2][2 * IL_POST];
    for (int shuffled = 0; shuffled < 2; shuffled++) {
        for (int il = 0; il < 2; il++) {
            interleaved_network(il, shuffled, syn[il], tgt[il]);
        }
        CHECK(memcmp(syn[0], syn[1], sizeof(syn[0])) == 0);
        CHECK(memcmp(tgt[0], tgt[1], sizeof(tgt[0])) == 0);
        /* the run did something: traces counted, the targets moved */
        double a_sum = 0.0;
        for (int k = 0; k < IL_SYN; k++) {
            a_sum += syn[1][IL_SYN + k] - (0.1 * k + 0.25);
        }
        CHECK(fabs(a_sum - 5.0 * IL_POST) < 1e-9);
        CHECK(tgt[1][0] != 0.0 && tgt[1][IL_POST] != 0.0);
    }
}

static void
test_range_checks(void)
{
    fixture src, tgt;
    fixture_init(&src, 2, 1, 0, NULL, NULL);
    fixture_init(&tgt, 3, 1, 0, NULL, NULL);
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src.g, 1, 2, &tgt.g, 0, 3, 1e-4, 1, 0)
          == BC_EINVAL);
    CHECK(bc_synapses_init(&s, &src.g, 0, 2, &tgt.g, 0, 3, 0.0, 1, 0)
          == BC_EINVAL);
    CHECK(bc_synapses_init(&s, &src.g, 1, 1, &tgt.g, 1, 2, 1e-4, 1, 0)
          == BC_OK);
    bc_index pre[1] = {1}, post[1] = {0};
    double w[1] = {0};
    CHECK(bc_synapses_set(&s, 1, pre, post, w, 1, 0) == BC_ERANGE);
    pre[0] = 0;
    post[0] = 2;
    CHECK(bc_synapses_set(&s, 1, pre, post, w, 1, 0) == BC_ERANGE);
    post[0] = 1;
    CHECK(bc_synapses_set(&s, 1, pre, post, w, 1, 0) == BC_OK);
    int32_t row = 1, src_row = 0;
    double c = 0;
    CHECK(bc_synapses_add_pathway(&s, 0, NULL, 0, 1, &row, &src_row, &c,
                                  NULL, 0, 1) == BC_EINVAL);
    CHECK(bc_synapses_add_pathway(&s, 1, NULL, 0, 0, &row, &src_row, &c,
                                  NULL, 0, 1) == BC_EINVAL);  /* no index */
    bc_synapses_free(&s);
    fixture_free(&src);
    fixture_free(&tgt);
}

/* A deferred pathway `v += c` (c a call row): the due events are kept,
 * the caller fills the call row and runs them; evaluate reads rows. */
static void
test_deferred_pathway_and_calls(void)
{
    fixture src, tgt;
    fixture_init(&src, 2, 1, 2, spike_steps, spike_idx);
    fixture_init(&tgt, 3, 1, 0, NULL, NULL);
    bc_synapses s;
    CHECK(bc_synapses_init(&s, &src.g, 0, 2, &tgt.g, 0, 3, 1e-4, 1, 0)
          == BC_OK);
    double w[4] = {1, 2, 4, 8};
    CHECK(bc_synapses_set(&s, 4, syn_pre, syn_post, w, 1, 0) == BC_OK);
    double calls[4] = {0, 0, 0, 0};
    CHECK(bc_synapses_set_calls(&s, calls, -1) == BC_EINVAL);
    CHECK(bc_synapses_set_calls(&s, calls, 1) == BC_OK);
    /* rows: w 0, source v 1, target v 2, call 3 */
    CHECK(s.n_rows == 4);
    int32_t code[5] = {BC_OP_ADD, 0, 0, 1, 0};
    int32_t kind[2] = {BC_REG_VAR, BC_REG_VAR};
    int32_t index[2] = {2, 3};
    double cst[2] = {0, 0};
    bc_program p = {.n_instr = 1, .code = code, .n_regs = 2,
                    .reg_kind = kind, .reg_index = index, .reg_const = cst,
                    .out_reg = -1};
    CHECK(bc_synapses_add_pathway(&s, 0, &p, 1, 0, NULL, NULL, NULL, NULL,
                                  0, 1) == BC_OK);
    CHECK(bc_synapses_defer(&s, 1) == BC_EINVAL);
    CHECK(bc_synapses_defer(&s, 0) == BC_OK);
    bc_index n;
    for (bc_step k = 0; k < 2; k++) {
        bc_group_update(&src.g, k, NULL);
        CHECK(bc_synapses_run(&s, k) == BC_OK);
    }
    /* neuron 0 spiked at step 1: its synapses 1 and 2 are kept, not run */
    const bc_index *due = bc_synapses_take_pending(&s, 0, &n);
    CHECK(n == 2 && tgt.state[0] == 0.0 && tgt.state[2] == 0.0);
    bc_index ids[2] = {due[0], due[1]};
    CHECK(bc_synapses_take_pending(&s, 0, &n) != NULL && n == 0);
    /* the caller's values: 10 times the weight, from evaluate */
    int32_t ecode[5] = {BC_OP_MUL, 2, 0, 1, 0};
    int32_t ekind[3] = {BC_REG_VAR, BC_REG_CONST, BC_REG_TEMP};
    int32_t eindex[3] = {0, 0, 0};
    double ecst[3] = {0, 10.0, 0};
    bc_program e = {.n_instr = 1, .code = ecode, .n_regs = 3,
                    .reg_kind = ekind, .reg_index = eindex,
                    .reg_const = ecst, .out_reg = 2};
    double out[2];
    CHECK(bc_synapses_evaluate(&s, &p, 1, ids, 2, out) == BC_EINVAL);
    CHECK(bc_synapses_evaluate(&s, &e, 1, ids, 2, out) == BC_OK);
    for (int k = 0; k < 2; k++) {
        calls[ids[k]] = out[k];
    }
    bc_index bad[1] = {4};
    CHECK(bc_synapses_run_events(&s, 0, 1, bad, 1) == BC_ERANGE);
    CHECK(bc_synapses_run_events(&s, 0, 1, ids, 2) == BC_OK);
    CHECK(tgt.state[0] == 40.0 && tgt.state[2] == 20.0);
    bc_synapses_free(&s);
    fixture_free(&src);
    fixture_free(&tgt);
}

int
main(void)
{
    test_queue();
    test_free_zeroed();
    test_homogeneous_delay();
    test_per_synapse_delays();
    test_program_with_duplicates();
    test_mapped_update();
    test_lumped_fused_difference();
    test_interleaved_state();
    test_range_checks();
    test_deferred_pathway_and_calls();
    return check_report();
}
