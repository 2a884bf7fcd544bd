/* test_synapse_construction.c -- C tests for synapse_construction.{h,c}:
 * full blocks in row order; random blocks equal to bc_random_pairs mapped
 * through the neuron lists; conditional blocks equal to the condition
 * evaluated pair by pair; probabilities drawn with the right frequency;
 * the same pairs on 1 and 2 threads; bad probabilities and programs
 * refused; expressions over synapses reading their own, presynaptic and
 * postsynaptic rows, with draws that depend on the synapse only; the
 * synapses between two neuron selections. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "connection.h"
#include "rng.h"
#include "synapse_construction.h"

static void
test_full(void)
{
    const bc_index pre[] = {4, 0, 2}, post[] = {7, 1};
    bc_index out_pre[12], out_post[12];
    bc_full_pairs(pre, 3, post, 2, 2, out_pre, out_post);
    int ok = 1;
    for (int k = 0; k < 12; k++) {
        ok &= out_pre[k] == pre[(k / 2) % 3] && out_post[k] == post[k % 2];
    }
    CHECK(ok);
}

/* A list of n neuron numbers: 3 k + 1, reversed (not a range). */
static bc_index *
neurons(bc_index n)
{
    bc_index *x = malloc((size_t)n * sizeof(bc_index));
    for (bc_index k = 0; k < n; k++) {
        x[k] = 3 * (n - 1 - k) + 1;
    }
    return x;
}

static int
same_lists(const bc_pair_list *a, const bc_pair_list *b)
{
    return a->n == b->n &&
           (a->n == 0 ||
            (memcmp(a->pre, b->pre, (size_t)a->n * sizeof(bc_index)) == 0 &&
             memcmp(a->post, b->post, (size_t)a->n * sizeof(bc_index)) ==
                 0));
}

static void
test_random(void)
{
    const bc_index n_pre = 900, n_post = 800;
    bc_index *pre = neurons(n_pre), *post = neurons(n_post);
    const double ps[] = {0.0, 0.0004, 0.01, 0.4, 0.8, 1.0};
    for (size_t t = 0; t < sizeof(ps) / sizeof(ps[0]); t++) {
        bc_count n = 0;
        CHECK(bc_random_pairs(9, 4, 0, n_pre, 0, n_post, ps[t], 0, NULL,
                              NULL, &n) == BC_OK);
        bc_index *rows = malloc((size_t)(n + 1) * sizeof(bc_index));
        bc_index *cols = malloc((size_t)(n + 1) * sizeof(bc_index));
        CHECK(bc_random_pairs(9, 4, 0, n_pre, 0, n_post, ps[t], n, rows,
                              cols, &n) == BC_OK);
        bc_pair_list one, two;
        CHECK(bc_random_pair_list(9, 4, pre, n_pre, post, n_post, ps[t], 1,
                                  &one) == BC_OK);
        CHECK(bc_random_pair_list(9, 4, pre, n_pre, post, n_post, ps[t], 2,
                                  &two) == BC_OK);
        int ok = one.n == n;
        for (bc_count k = 0; ok && k < n; k++) {
            ok &= one.pre[k] == pre[rows[k]] && one.post[k] == post[cols[k]];
        }
        CHECK(ok);
        CHECK(same_lists(&one, &two));
        bc_pair_list_free(&one);
        bc_pair_list_free(&two);
        free(rows);
        free(cols);
    }
    bc_pair_list l;
    CHECK(bc_random_pair_list(9, 4, pre, n_pre, post, n_post, NAN, 1, &l) ==
          BC_EINVAL);
    CHECK(bc_random_pair_list(9, 4, pre, n_pre, post, n_post, 1.5, 1, &l) ==
          BC_EINVAL);
    free(pre);
    free(post);
}

/* out = a OP b over VAR rows 0 (a) and 1 (b), or, with op < 0, out =
 * CONST c (a probability). */
typedef struct two_rows {
    int32_t code[5];
    int32_t kind[3], index[3];
    double constant[3];
} two_rows;

static bc_program
two_rows_program(two_rows *b, int32_t op, double c)
{
    b->kind[0] = BC_REG_VAR;
    b->kind[1] = BC_REG_VAR;
    b->kind[2] = op >= 0 ? BC_REG_TEMP : BC_REG_CONST;
    b->index[0] = 0;
    b->index[1] = 1;
    b->index[2] = 0;
    b->constant[0] = b->constant[1] = 0.0;
    b->constant[2] = c;
    b->code[0] = op;
    b->code[1] = 2;
    b->code[2] = 0;
    b->code[3] = 1;
    b->code[4] = 0;
    return (bc_program){.n_instr = op >= 0 ? 1 : 0, .code = b->code,
                        .n_regs = 3, .reg_kind = b->kind,
                        .reg_index = b->index, .reg_const = b->constant,
                        .out_reg = 2};
}

static void
test_condition(void)
{
    const bc_index n_pre = 500, n_post = 700;
    bc_index *pre = neurons(n_pre), *post = neurons(n_post);
    double *a = malloc((size_t)n_pre * sizeof(double));
    double *b = malloc((size_t)n_post * sizeof(double));
    for (bc_index k = 0; k < n_pre; k++) {
        a[k] = (double)((k * 7) % 13);
    }
    for (bc_index c = 0; c < n_post; c++) {
        b[c] = (double)((c * 5) % 11);
    }
    const double *values[2] = {a, b};
    const uint8_t per_row[2] = {1, 0};
    two_rows rows;
    bc_program p = two_rows_program(&rows, BC_OP_LT, 0.0);
    bc_condition cond = {&p, 2, values, per_row, 3, 8, -1};
    bc_pair_list one, two;
    bc_condition_error err;
    CHECK(bc_condition_pair_list(&cond, pre, n_pre, post, n_post, 1, &one,
                                 &err) == BC_OK);
    CHECK(bc_condition_pair_list(&cond, pre, n_pre, post, n_post, 2, &two,
                                 &err) == BC_OK);
    bc_count m = 0;
    int ok = 1;
    for (bc_index k = 0; k < n_pre; k++) {
        for (bc_index c = 0; c < n_post; c++) {
            if (a[k] < b[c]) {
                ok &= m < one.n && one.pre[m] == pre[k] &&
                      one.post[m] == post[c];
                m++;
            }
        }
    }
    CHECK(ok && m == one.n);
    CHECK(same_lists(&one, &two));
    bc_pair_list_free(&one);
    bc_pair_list_free(&two);

    /* a probability: Binomial(n_pre n_post, 0.3) pairs, the same on two
     * threads */
    p = two_rows_program(&rows, -1, 0.3);
    cond.draw_substream = 1;
    CHECK(bc_condition_pair_list(&cond, pre, n_pre, post, n_post, 1, &one,
                                 &err) == BC_OK);
    CHECK(bc_condition_pair_list(&cond, pre, n_pre, post, n_post, 2, &two,
                                 &err) == BC_OK);
    double n = (double)n_pre * n_post;
    CHECK(fabs((double)one.n - 0.3 * n) < 5.0 * sqrt(n * 0.3 * 0.7));
    CHECK(same_lists(&one, &two));
    bc_pair_list_free(&one);
    bc_pair_list_free(&two);

    /* the rule for one pair: its word w decides unless p 2^32 lies in
     * [w, w + 1); then the pair's uniform decides against the fraction */
    uint32_t w[4];
    bc_rng_words(3, 9, 0, 0, 1, w);
    const double scale = 4294967296.0;
    const double at[3] = {(double)w[0] / scale, ((double)w[0] + 1.0) / scale,
                          ((double)w[0] + 0.5) / scale};
    const int kept[3] = {0, 1, bc_rng_uniform(3, 9, 0, 0) < 0.5};
    for (int q = 0; q < 3; q++) {
        p = two_rows_program(&rows, -1, at[q]);
        CHECK(bc_condition_pair_list(&cond, pre, 1, post, 1, 1, &one,
                                     &err) == BC_OK);
        CHECK(one.n == kept[q]);
        bc_pair_list_free(&one);
    }

    /* outside [0, 1] or NaN: refused, naming the first pair */
    const double bad[] = {1.5, -0.25, NAN};
    for (int t = 0; t < 3; t++) {
        p = two_rows_program(&rows, -1, bad[t]);
        err = (bc_condition_error){-1, -1, 0.0};
        CHECK(bc_condition_pair_list(&cond, pre, n_pre, post, n_post, 2,
                                     &one, &err) == BC_ERANGE);
        CHECK(one.n == 0 && err.row == 0 && err.col == 0);
        CHECK(err.value == bad[t] || (isnan(bad[t]) && isnan(err.value)));
    }

    /* a program that writes a state row, or reads one too many */
    p = two_rows_program(&rows, BC_OP_LT, 0.0);
    rows.code[1] = 0;
    CHECK(bc_condition_pair_list(&cond, pre, n_pre, post, n_post, 1, &one,
                                 &err) == BC_EINVAL);
    p = two_rows_program(&rows, BC_OP_LT, 0.0);
    cond.n_vars = 1;
    CHECK(bc_condition_pair_list(&cond, pre, n_pre, post, n_post, 1, &one,
                                 &err) == BC_EINVAL);
    free(a);
    free(b);
    free(pre);
    free(post);
}

/* (r0 + r1) * r2, r0 a synapse's row, r1 its presynaptic neuron's, r2
 * its postsynaptic neuron's; or (rand) a uniform of sub-stream 2. */
typedef struct expr_code {
    int32_t code[10];
    int32_t kind[5], index[5];
    double constant[5];
} expr_code;

static bc_program
expr_program(expr_code *c, int rand)
{
    for (int32_t r = 0; r < 5; r++) {
        c->kind[r] = r < 3 ? BC_REG_VAR : BC_REG_TEMP;
        c->index[r] = r < 3 ? r : 0;
        c->constant[r] = 0.0;
    }
    const int32_t sum[10] = {BC_OP_ADD, 3, 0, 1, 0, BC_OP_MUL, 4, 3, 2, 0};
    const int32_t draw[10] = {BC_OP_RAND, 4, 2, 0, 0};
    memcpy(c->code, rand ? draw : sum, sizeof(c->code));
    return (bc_program){.n_instr = rand ? 1 : 2, .code = c->code,
                        .n_regs = 5, .reg_kind = c->kind,
                        .reg_index = c->index, .reg_const = c->constant,
                        .out_reg = 4};
}

static void
test_synapse_expr(void)
{
    const bc_index n_syn = 300000, n_pre = 50, n_post = 70;
    bc_index *pre = malloc((size_t)n_syn * sizeof(bc_index));
    bc_index *post = malloc((size_t)n_syn * sizeof(bc_index));
    double *own = malloc((size_t)n_syn * sizeof(double));
    double *one = malloc((size_t)n_syn * sizeof(double));
    double *two = malloc((size_t)n_syn * sizeof(double));
    double a[50], b[70];
    for (bc_index e = 0; e < n_syn; e++) {
        pre[e] = (e * 7) % n_pre;
        post[e] = (e * 13) % n_post;
        own[e] = 0.5 * (double)(e % 101);
    }
    for (bc_index k = 0; k < n_pre; k++) {
        a[k] = (double)k - 20.0;
    }
    for (bc_index k = 0; k < n_post; k++) {
        b[k] = 0.25 * (double)k;
    }
    const double *rows[3] = {own, a, b};
    const bc_index len[3] = {n_syn, n_pre, n_post};
    const int8_t space[3] = {0, 1, 2};
    expr_code code;
    bc_program p = expr_program(&code, 0);
    bc_synapse_expr e = {&p, 3, rows, len, space, pre, post, n_syn,
                         11, 40, 5};
    bc_count nan = -1;
    CHECK(bc_synapse_expr_values(&e, NULL, n_syn, 1, one, &nan) == BC_OK);
    int ok = nan == 0;
    for (bc_index k = 0; k < n_syn; k++) {
        ok &= one[k] == (own[k] + a[pre[k]]) * b[post[k]];
    }
    CHECK(ok);

    /* draws: synapse k's uniform at index k, on any number of threads and
     * for any subset of synapses */
    p = expr_program(&code, 1);
    CHECK(bc_synapse_expr_values(&e, NULL, n_syn, 1, one, &nan) == BC_OK);
    CHECK(bc_synapse_expr_values(&e, NULL, n_syn, 2, two, &nan) == BC_OK);
    CHECK(memcmp(one, two, (size_t)n_syn * sizeof(double)) == 0);
    ok = 1;
    for (bc_index k = 0; k < n_syn; k += 997) {
        ok &= one[k] == bc_rng_uniform_paired(11, 42, 5, (uint64_t)k);
    }
    CHECK(ok);
    const bc_index ids[4] = {299999, 3, 3, 120000};
    CHECK(bc_synapse_expr_values(&e, ids, 4, 1, two, &nan) == BC_OK);
    CHECK(two[0] == one[299999] && two[1] == one[3] && two[2] == one[3] &&
          two[3] == one[120000]);

    /* NaN counted: 0 * inf */
    p = expr_program(&code, 0);
    a[0] = INFINITY;            /* NaN where post is 0 (b = 0) */
    CHECK(bc_synapse_expr_values(&e, NULL, n_syn, 2, one, &nan) == BC_OK);
    bc_count expected = 0;
    for (bc_index k = 0; k < n_syn; k++) {
        expected += pre[k] == 0 && post[k] == 0;
    }
    CHECK(expected > 0 && nan == expected);

    /* refused: a synapse or a neuron out of range, a bad space, a
     * program that writes a row or reads one too many */
    const bc_index bad_ids[1] = {n_syn};
    CHECK(bc_synapse_expr_values(&e, bad_ids, 1, 1, two, &nan) ==
          BC_ERANGE);
    pre[17] = n_pre;
    CHECK(bc_synapse_expr_values(&e, NULL, n_syn, 1, one, &nan) ==
          BC_ERANGE);
    pre[17] = 0;
    const int8_t wrong[3] = {0, 3, 2};
    e.space = wrong;
    CHECK(bc_synapse_expr_values(&e, NULL, n_syn, 1, one, &nan) ==
          BC_EINVAL);
    e.space = space;
    code.code[6] = 0;           /* the MUL writes row 0 */
    CHECK(bc_synapse_expr_values(&e, NULL, n_syn, 1, one, &nan) ==
          BC_EINVAL);
    p = expr_program(&code, 0);
    e.n_vars = 2;
    CHECK(bc_synapse_expr_values(&e, NULL, n_syn, 1, one, &nan) ==
          BC_EINVAL);
    free(pre);
    free(post);
    free(own);
    free(one);
    free(two);
}

static void
test_between(void)
{
    const bc_index pre[] = {0, 3, 1, 3, 2, 0}, post[] = {1, 1, 0, 2, 1, 2};
    const uint8_t in_pre[4] = {1, 0, 0, 1}, in_post[3] = {0, 1, 1};
    bc_index out[6], m = -1;
    CHECK(bc_synapses_between(pre, post, 6, in_pre, 4, in_post, 3, out, &m)
          == BC_OK);
    CHECK(m == 4 && out[0] == 0 && out[1] == 1 && out[2] == 3 &&
          out[3] == 5);
    CHECK(bc_synapses_between(pre, post, 6, in_pre, 3, in_post, 3, out, &m)
          == BC_ERANGE);            /* pre 3 outside 3 flags */
    CHECK(bc_synapses_between(pre, post, 6, in_pre, 4, in_post, 2, out, &m)
          == BC_ERANGE);
}

int
main(void)
{
    test_full();
    test_random();
    test_condition();
    test_synapse_expr();
    test_between();
    return check_report();
}
