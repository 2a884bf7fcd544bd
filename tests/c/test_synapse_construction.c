/* test_synapse_construction.c -- C tests for synapse_construction.{h,c}:
 * full blocks in row order; random blocks equal to bc_random_pairs mapped
 * through the neuron lists; conditional blocks equal to the condition
 * evaluated pair by pair; probabilities drawn with the right frequency;
 * the same pairs on 1 and 2 threads; bad probabilities and programs
 * refused. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "connection.h"
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

int
main(void)
{
    test_full();
    test_random();
    test_condition();
    return check_report();
}
