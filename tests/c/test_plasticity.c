/* test_plasticity.c -- C tests for stdp.{h,c} and stp.{h,c}: a pre/post
 * pair against the closed form of additive STDP (the one-pass path and
 * the batch path give the same weights), Vogels-style rules through
 * per-neuron terms against the batch, the column index against
 * bc_connection_column, clipping, delays, rejected input, and STP
 * efficacies against the Tsodyks-Markram recursion. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "connection.h"
#include "stdp.h"
#include "stp.h"

#define DT 1e-4

/* A group of n neurons with 2 state rows whose spikes follow a schedule. */
typedef struct fixture {
    bc_group g;
    double *state;
} fixture;

static void
fixture_init(fixture *f, bc_index n, bc_count n_spikes,
             const bc_step *steps, const bc_index *idx)
{
    f->state = calloc((size_t)n * 2, sizeof(double));
    CHECK(bc_group_init(&f->g, n, 2, f->state, DT, 1, 0) == BC_OK);
    CHECK(bc_group_set_schedule(&f->g, n_spikes, steps, idx, 0) == BC_OK);
    CHECK(bc_group_reserve_history(&f->g, 8) == BC_OK);
}

static void
fixture_free(fixture *f)
{
    bc_group_free(&f->g);
    free(f->state);
}

/* A trace group: one variable decaying by `a` per step (linear
 * prologue, no instructions). */
typedef struct traces {
    bc_group g;
    double *state;
    double a, c;
    bc_program decay;
} traces;

static void
traces_init(traces *t, bc_index n, double a)
{
    static const int32_t no_code[5] = {0};
    static const int32_t kind[1] = {BC_REG_VAR}, index[1] = {0};
    static const double value[1] = {0.0};
    t->state = calloc((size_t)n, sizeof(double));
    t->a = a;
    t->c = 0.0;
    t->decay = (bc_program){.n_instr = 0, .code = no_code, .n_regs = 1,
                            .reg_kind = kind, .reg_index = index,
                            .reg_const = value, .out_reg = -1, .lin_n = 1,
                            .lin_a = &t->a, .lin_c = &t->c};
    CHECK(bc_group_init(&t->g, n, 1, t->state, DT, 1, 7) == BC_OK);
    CHECK(bc_group_set_update(&t->g, &t->decay, NULL) == BC_OK);
}

static void
traces_free(traces *t)
{
    bc_group_free(&t->g);
    free(t->state);
}

/* x <- x + k on state row 0 (a trace segment). */
static const int32_t INC_CODE[5] = {BC_OP_ADD, 0, 0, 1, 0};
static const int32_t INC_KIND[2] = {BC_REG_VAR, BC_REG_CONST};
static const int32_t INC_INDEX[2] = {0, 0};

static bc_program
increment(const double *k_pair)
{
    return (bc_program){.n_instr = 1, .code = INC_CODE, .n_regs = 2,
                        .reg_kind = INC_KIND, .reg_index = INC_INDEX,
                        .reg_const = k_pair, .out_reg = -1};
}

/* w <- w + row 1 (a synapse segment); as ADD (one pass) or, the same
 * sum written w <- (row 1 + w) * 1 through a temporary, through the
 * batch. */
static const int32_t ADD_CODE[5] = {BC_OP_ADD, 0, 0, 1, 0};
static const int32_t ADD_KIND[2] = {BC_REG_VAR, BC_REG_VAR};
static const int32_t ADD_INDEX[2] = {0, 1};
static const double ADD_CONST[2] = {0.0, 0.0};
static const int32_t BATCH_CODE[10] = {BC_OP_ADD, 3, 1, 0, 0,
                                       BC_OP_MUL, 0, 3, 2, 0};
static const int32_t BATCH_KIND[4] = {BC_REG_VAR, BC_REG_VAR, BC_REG_CONST,
                                      BC_REG_TEMP};
static const int32_t BATCH_INDEX[4] = {0, 1, 0, 0};
static const double BATCH_CONST[4] = {0.0, 0.0, 1.0, 0.0};

static bc_program
add_other(int batch)
{
    if (batch) {
        return (bc_program){.n_instr = 2, .code = BATCH_CODE, .n_regs = 4,
                            .reg_kind = BATCH_KIND, .reg_index = BATCH_INDEX,
                            .reg_const = BATCH_CONST, .out_reg = -1};
    }
    return (bc_program){.n_instr = 1, .code = ADD_CODE, .n_regs = 2,
                        .reg_kind = ADD_KIND, .reg_index = ADD_INDEX,
                        .reg_const = ADD_CONST, .out_reg = -1};
}

/* A pathway's two usual segments: bump its own trace, then a rule on the
 * synapses that reads row 0 of the other side's traces. */
static void
add_trace_and_rule(bc_stdp *s, int side, const bc_program *bump,
                   const bc_program *rule)
{
    int32_t other[1] = {BC_STDP_OTHER}, row0[1] = {0};
    CHECK(bc_stdp_add_segment(s, side, 0, bump, 0, NULL, NULL) == BC_OK);
    CHECK(bc_stdp_add_segment(s, side, 1, rule, 1, other, row0) == BC_OK);
}

static void
step_all(bc_group **groups, int n_groups, bc_connection *c, bc_stdp *s,
         bc_step step)
{
    for (int k = 0; k < n_groups; k++) {
        bc_group_update(groups[k], step, NULL);
    }
    bc_connection_propagate(c);
    CHECK(bc_stdp_run(s, step) == BC_OK);
}

/* One synapse, pre at step 10 (acting after delay_pre), post at step 30:
 * w = w0 + Ap a^(30 - 10 - delay_pre) with a the pre trace's decay. */
static double
pair_weight(int batch, int32_t delay_pre, double wmax)
{
    bc_step pre_steps[1] = {10}, post_steps[2] = {30, 45};
    bc_index zero[2] = {0, 0};
    fixture src, tgt;
    fixture_init(&src, 1, 1, pre_steps, zero);
    fixture_init(&tgt, 1, 2, post_steps, zero);
    traces tp, tq;
    traces_init(&tp, 1, exp(-DT / 0.01));
    traces_init(&tq, 1, exp(-DT / 0.02));
    bc_connection c;
    CHECK(bc_connection_init(&c, &src.g, 0, 1, &tgt.g, 0, 1, 0) == BC_OK);
    bc_index i0[1] = {0};
    double w0[1] = {0.5};
    CHECK(bc_connection_add(&c, 1, i0, i0, w0, NULL) == BC_OK);
    CHECK(bc_connection_compress(&c) == BC_OK);
    bc_stdp s;
    CHECK(bc_stdp_init(&s, &c, &tp.g, &tq.g, 0.0, wmax, delay_pre, 0, DT)
          == BC_OK);
    double ap[2] = {0.0, 0.1}, am[2] = {0.0, -0.12};
    bc_program inc_p = increment(ap), inc_q = increment(am);
    bc_program syn = add_other(batch);
    add_trace_and_rule(&s, BC_STDP_PRE, &inc_p, &syn);
    add_trace_and_rule(&s, BC_STDP_POST, &inc_q, &syn);
    CHECK(s.code[0].segments[1].additive == !batch);
    CHECK(bc_stdp_prepare(&s) == BC_OK);
    bc_group *groups[4] = {&src.g, &tgt.g, &tp.g, &tq.g};
    for (bc_step k = 0; k < 40; k++) {
        step_all(groups, 4, &c, &s, k);
    }
    double w = c.weight[0];
    bc_stdp_free(&s);
    bc_connection_free(&c);
    traces_free(&tp);
    traces_free(&tq);
    fixture_free(&src);
    fixture_free(&tgt);
    return w;
}

static void
test_pair_closed_form(void)
{
    double a = exp(-DT / 0.01);
    double want = 0.5 + 0.1 * pow(a, 20);
    CHECK(fabs(pair_weight(0, 0, 10.0) - want) < 1e-15);
    CHECK(pair_weight(1, 0, 10.0) == pair_weight(0, 0, 10.0));
    /* a 5-step presynaptic delay: the pre spike acts at step 15 */
    CHECK(fabs(pair_weight(0, 5, 10.0) - (0.5 + 0.1 * pow(a, 15))) < 1e-15);
    /* clipped to wmax */
    CHECK(pair_weight(0, 0, 0.55) == 0.55);
    CHECK(pair_weight(1, 0, 0.55) == 0.55);
}

static void
test_column_index(void)
{
    fixture src, tgt;
    fixture_init(&src, 50, 0, NULL, NULL);
    fixture_init(&tgt, 40, 0, NULL, NULL);
    traces tp, tq;
    traces_init(&tp, 50, 0.9);
    traces_init(&tq, 40, 0.9);
    bc_connection c;
    CHECK(bc_connection_init(&c, &src.g, 0, 50, &tgt.g, 0, 40, 0) == BC_OK);
    bc_count added = 0;
    CHECK(bc_connection_add_random(&c, 5, 3, 0, 50, 0, 40, 0.2, 1.0, -1, 1,
                                   &added) == BC_OK);
    bc_stdp s;
    CHECK(bc_stdp_init(&s, &c, &tp.g, &tq.g, 0.0, 1.0, 0, 0, DT) == BC_OK);
    CHECK(bc_stdp_prepare(&s) == BC_OK);
    CHECK(c.compressed && !c.uniform && s.nnz == added);
    CHECK(s.col_start[40] == added);
    bc_index rows[50];
    bc_count pos[50];
    int same = 1;
    for (bc_index j = 0; j < 40; j++) {
        bc_count m = bc_connection_column(&c, j, rows, pos);
        same &= m == s.col_start[j + 1] - s.col_start[j];
        for (bc_count k = 0; k < m && same; k++) {
            same &= s.col_pos[s.col_start[j] + k] == pos[k] &&
                    s.col_row[s.col_start[j] + k] == rows[k];
        }
    }
    CHECK(same);
    CHECK(bc_stdp_bytes(&s) >= (size_t)added * 12);
    bc_stdp_free(&s);
    bc_connection_free(&c);
    traces_free(&tp);
    traces_free(&tq);
    fixture_free(&src);
    fixture_free(&tgt);
}

static void
test_rejects_bad_input(void)
{
    fixture src, tgt;
    fixture_init(&src, 3, 0, NULL, NULL);
    fixture_init(&tgt, 2, 0, NULL, NULL);
    traces tp, tq;
    traces_init(&tp, 3, 0.9);
    traces_init(&tq, 2, 0.9);
    bc_connection c;
    CHECK(bc_connection_init(&c, &src.g, 0, 3, &tgt.g, 0, 2, 0) == BC_OK);
    bc_stdp s;
    CHECK(bc_stdp_init(&s, &c, &tp.g, &tq.g, 1.0, 0.5, 0, 0, DT)
          == BC_EINVAL);
    CHECK(bc_stdp_init(&s, &c, &tq.g, &tp.g, 0.0, 1.0, 0, 0, DT)
          == BC_EINVAL);
    CHECK(bc_stdp_init(&s, &c, &tp.g, &tq.g, 0.0, 1.0, -1, 0, DT)
          == BC_EINVAL);
    bc_stdp_free(&s);
    CHECK(bc_stdp_init(&s, &c, &tp.g, &tq.g, 0.0, 1.0, 0, 0, DT) == BC_OK);
    bc_program syn = add_other(0);
    int32_t other[1] = {BC_STDP_OTHER}, row_bad[1] = {1}, side_bad[1] = {2};
    int32_t row0[1] = {0};
    CHECK(bc_stdp_add_segment(&s, BC_STDP_PRE, 1, &syn, 1, other, row_bad)
          == BC_EINVAL);
    CHECK(bc_stdp_add_segment(&s, BC_STDP_PRE, 1, &syn, 1, side_bad, row0)
          == BC_EINVAL);
    CHECK(bc_stdp_add_segment(&s, 2, 1, &syn, 1, other, row0) == BC_EINVAL);
    /* a synapse program writing a gathered row */
    static const int32_t bad_code[5] = {BC_OP_ADD, 1, 0, 1, 0};
    bc_program writes_row1 = syn;
    writes_row1.code = bad_code;
    CHECK(bc_stdp_add_segment(&s, BC_STDP_PRE, 1, &writes_row1, 1, other,
                              row0) == BC_EINVAL);
    CHECK(s.code[0].n_segments == 0);
    /* per-synapse delays: max_delay in [1, BC_MAX_DELAY_STEPS] */
    CHECK(bc_stdp_use_synapse_delays(&s, 0) == BC_EINVAL);
    CHECK(bc_stdp_use_synapse_delays(&s, BC_MAX_DELAY_STEPS + 1)
          == BC_EINVAL);
    CHECK(bc_stdp_use_synapse_delays(&s, 4) == BC_OK);
    bc_stdp_free(&s);
    /* ... and not with a pre or post delay */
    CHECK(bc_stdp_init(&s, &c, &tp.g, &tq.g, 0.0, 1.0, 2, 0, DT) == BC_OK);
    CHECK(bc_stdp_use_synapse_delays(&s, 4) == BC_EINVAL);
    bc_stdp_free(&s);
    bc_stdp zeroed;
    memset(&zeroed, 0, sizeof(zeroed));
    bc_stdp_free(&zeroed);
    bc_connection_free(&c);
    traces_free(&tp);
    traces_free(&tq);
    fixture_free(&src);
    fixture_free(&tgt);
}

/* STP: the target's jumps are w * u * x of the recursion. */
static void
test_stp_recursion(void)
{
    bc_step steps[4] = {20, 70, 95, 300};
    bc_index zero[4] = {0, 0, 0, 0};
    fixture src, tgt;
    fixture_init(&src, 1, 4, steps, zero);
    fixture_init(&tgt, 1, 0, NULL, NULL);
    bc_connection c;
    CHECK(bc_connection_init(&c, &src.g, 0, 1, &tgt.g, 0, 1, 0) == BC_OK);
    bc_index i0[1] = {0};
    double w[1] = {2.0};
    CHECK(bc_connection_add(&c, 1, i0, i0, w, NULL) == BC_OK);
    CHECK(bc_connection_compress(&c) == BC_OK);
    double U = 0.3, taud = 0.05, tauf = 0.02;
    double state[3] = {U, 1.0, U}, last[1] = {0.0};
    bc_stp p;
    CHECK(bc_stp_init(&p, &c, 1, state, last, &U, &taud, &tauf, DT)
          == BC_OK);
    bc_stp_attach(&p);
    double u = U, x = 1.0, t_last = 0.0, before = 0.0;
    int ok = 1;
    for (bc_step k = 0; k < 320; k++) {
        bc_group_update(&src.g, k, NULL);
        bc_group_update(&tgt.g, k, NULL);
        CHECK(bc_stp_run(&p, k) == BC_OK);
        bc_connection_propagate(&c);
        double jump = tgt.state[0] - before;
        before = tgt.state[0];
        int spike = k == 20 || k == 70 || k == 95 || k == 300;
        if (spike) {
            double t = (double)k * DT;
            u = U + (u - U) * exp(-(t - t_last) / tauf);
            x = 1 + (x - 1) * exp(-(t - t_last) / taud);
            ok &= fabs(jump - 2.0 * u * x) < 1e-14;
            x *= 1 - u;
            u += U * (1 - u);
            t_last = t;
        } else {
            ok &= jump == 0.0;
        }
    }
    CHECK(ok);
    bc_stp_detach(&p);
    CHECK(c.spike_scale == NULL);
    double badU = 1.5;
    CHECK(bc_stp_init(&p, &c, 1, state, last, &badU, &taud, &tauf, DT)
          == BC_EINVAL);
    bc_connection_free(&c);
    fixture_free(&src);
    fixture_free(&tgt);
}

/* Vogels-style rules, w += (row 1 - 5)*0.05 (SUB, then FMA into w)
 * and w += row 1 * 0.02 (FMA into w): each runs as a per-neuron term
 * added along the synapses; with a final MOV (the same bits) they go
 * through the batch instead. */
static const int32_t TERM_PRE_CODE[10] = {BC_OP_SUB, 4, 1, 2, 0,
                                          BC_OP_FMA, 0, 4, 3, 0};
static const int32_t TERM_PRE_BATCH[15] = {BC_OP_SUB, 4, 1, 2, 0,
                                           BC_OP_FMA, 5, 4, 3, 0,
                                           BC_OP_MOV, 0, 5, 0, 0};
static const int32_t TERM_POST_CODE[5] = {BC_OP_FMA, 0, 1, 3, 0};
static const int32_t TERM_POST_BATCH[10] = {BC_OP_FMA, 5, 1, 3, 0,
                                            BC_OP_MOV, 0, 5, 0, 0};
static const int32_t TERM_KIND[6] = {BC_REG_VAR, BC_REG_VAR, BC_REG_CONST,
                                     BC_REG_CONST, BC_REG_TEMP, BC_REG_TEMP};
static const int32_t TERM_INDEX[6] = {0, 1, 0, 0, 0, 0};
static const double TERM_PRE_CONST[6] = {0.0, 0.0, 5.0, 0.05, 0.0, 0.0};
static const double TERM_POST_CONST[6] = {0.0, 0.0, 0.0, 0.02, 0.0, 0.0};

/* The pre rule as the compiler writes w + (row 1 * 0.05 - 0.25): one
 * FMAADD (K0, K1 in registers 2 and 3); through the batch with a final
 * MOV. */
static const int32_t AFFINE_PRE_CODE[5] = {BC_OP_FMAADD, 0, 1, 0, 2};
static const int32_t AFFINE_PRE_BATCH[10] = {BC_OP_FMAADD, 5, 1, 0, 2,
                                             BC_OP_MOV, 0, 5, 0, 0};
static const double AFFINE_PRE_CONST[6] = {0.0, 0.0, 0.05, -0.25, 0.0,
                                           0.0};

/* post: the post rule; else the pre rule, as SUB and FMA or (affine) as
 * FMAADD. */
static bc_program
term_rule(int post, int batch, int affine)
{
    const int32_t *code = post ? (batch ? TERM_POST_BATCH : TERM_POST_CODE)
                               : (batch ? TERM_PRE_BATCH : TERM_PRE_CODE);
    int32_t n_instr = (post ? 1 : 2) + (batch ? 1 : 0);
    const double *consts = post ? TERM_POST_CONST : TERM_PRE_CONST;
    if (!post && affine) {
        code = batch ? AFFINE_PRE_BATCH : AFFINE_PRE_CODE;
        n_instr = batch ? 2 : 1;
        consts = AFFINE_PRE_CONST;
    }
    return (bc_program){.n_instr = n_instr, .code = code, .n_regs = 6,
                        .reg_kind = TERM_KIND, .reg_index = TERM_INDEX,
                        .reg_const = consts, .out_reg = -1};
}

/* Spikes of n neurons over n_steps: dense on even tens of steps (every
 * neuron with probability about 0.3), one spike on the others, so that
 * the per-neuron term is worth computing on some steps only. */
static bc_count
busy_schedule(bc_index n, bc_step n_steps, uint32_t salt, bc_step *steps,
              bc_index *idx)
{
    bc_count m = 0;
    for (bc_step k = 0; k < n_steps; k++) {
        for (bc_index i = 0; i < n; i++) {
            uint32_t h = (uint32_t)(k * 2654435761u) ^
                         (uint32_t)((uint32_t)i * 40503u + salt);
            h ^= h >> 13;
            h *= 0x5bd1e995u;
            h ^= h >> 15;
            int dense = (k / 10) % 2 == 0;
            if (dense ? h % 10 < 3 : i == (bc_index)(k % n)) {
                steps[m] = k;
                idx[m++] = i;
            }
        }
    }
    return m;
}

/* The weights of a 60 x 50 sparse plastic connection after 200 steps of
 * the Vogels-style rules above; per_neuron reports whether the
 * segments took the per-neuron path.  own_post: the post rule reads the
 * spiking neuron's own trace instead of the synapse's presynaptic one. */
static void
term_weights(int batch, int own_post, double *w_out, bc_count *nnz,
             int *per_neuron)
{
    /* the FMAADD form of the pre rule with the own post trace */
    int affine = own_post;
    enum { NPRE = 60, NPOST = 50, STEPS = 200 };
    static bc_step pre_steps[NPRE * STEPS], post_steps[NPOST * STEPS];
    static bc_index pre_idx[NPRE * STEPS], post_idx[NPOST * STEPS];
    bc_count n_pre = busy_schedule(NPRE, STEPS, 11, pre_steps, pre_idx);
    bc_count n_post = busy_schedule(NPOST, STEPS, 97, post_steps, post_idx);
    fixture src, tgt;
    fixture_init(&src, NPRE, n_pre, pre_steps, pre_idx);
    fixture_init(&tgt, NPOST, n_post, post_steps, post_idx);
    traces tp, tq;
    traces_init(&tp, NPRE, exp(-DT / 0.002));
    traces_init(&tq, NPOST, exp(-DT / 0.002));
    bc_connection c;
    CHECK(bc_connection_init(&c, &src.g, 0, NPRE, &tgt.g, 0, NPOST, 0)
          == BC_OK);
    bc_count added = 0;
    CHECK(bc_connection_add_random(&c, 3, 5, 0, NPRE, 0, NPOST, 0.3, 0.5,
                                   -1, 1, &added) == BC_OK);
    bc_stdp s;
    CHECK(bc_stdp_init(&s, &c, &tp.g, &tq.g, 0.0, 0.8, 0, 0, DT) == BC_OK);
    double one[2] = {0.0, 1.0};
    bc_program inc = increment(one);
    bc_program pre = term_rule(0, batch, affine);
    bc_program post = term_rule(1, batch, 0);
    add_trace_and_rule(&s, BC_STDP_PRE, &inc, &pre);
    int32_t post_side[1] = {own_post ? BC_STDP_OWN : BC_STDP_OTHER};
    int32_t row0[1] = {0};
    CHECK(bc_stdp_add_segment(&s, BC_STDP_POST, 0, &inc, 0, NULL, NULL)
          == BC_OK);
    CHECK(bc_stdp_add_segment(&s, BC_STDP_POST, 1, &post, 1, post_side,
                              row0) == BC_OK);
    *per_neuron = s.code[0].segments[1].per_neuron +
                  s.code[1].segments[1].per_neuron;
    CHECK(bc_stdp_prepare(&s) == BC_OK);
    bc_group *groups[4] = {&src.g, &tgt.g, &tp.g, &tq.g};
    for (bc_step k = 0; k < STEPS; k++) {
        step_all(groups, 4, &c, &s, k);
    }
    *nnz = c.row_start[NPRE];
    memcpy(w_out, c.weight, (size_t)*nnz * sizeof(double));
    bc_stdp_free(&s);
    bc_connection_free(&c);
    traces_free(&tp);
    traces_free(&tq);
    fixture_free(&src);
    fixture_free(&tgt);
}

/* The post rule reads the presynaptic trace (Vogels) or the spiking
 * neuron's own (a constant along its column), the pre rule is a SUB and
 * an FMA or one FMAADD; either way the per-neuron terms and the walk
 * over the sparse columns give the batch's bits. */
static void
test_per_neuron_terms_equal_the_batch(void)
{
    static double w_term[3000], w_batch[3000];
    for (int own_post = 0; own_post < 2; own_post++) {
        bc_count nnz_term = 0, nnz_batch = 0;
        int term_segments = 0, batch_segments = 0;
        term_weights(0, own_post, w_term, &nnz_term, &term_segments);
        term_weights(1, own_post, w_batch, &nnz_batch, &batch_segments);
        CHECK(term_segments == 2 && batch_segments == 0);
        CHECK(nnz_term == nnz_batch && nnz_term > 500);
        CHECK(memcmp(w_term, w_batch, (size_t)nnz_term * sizeof(double))
              == 0);
        /* the rules did act, down to 0 and up to wmax on some synapses */
        int changed = 0, at_max = 0, at_zero = 0;
        for (bc_count k = 0; k < nnz_term; k++) {
            changed += w_term[k] != 0.5;
            at_max += w_term[k] == 0.8;
            at_zero += w_term[k] == 0.0;
        }
        CHECK(changed > nnz_term / 2 && at_max > 0 && at_zero > 0);
    }
}

int
main(void)
{
    test_pair_closed_form();
    test_per_neuron_terms_equal_the_batch();
    test_column_index();
    test_rejects_bad_input();
    test_stp_recursion();
    return check_report();
}
