/* test_linked_var.c -- C tests: a linked variable takes a program's
 * values over a window of its source group (one per target neuron, or
 * one broadcast to all), re-evaluated at each step, and bad windows are
 * refused. */
#include <string.h>

#include "check.h"
#include "linked_var.h"

#define N 5

/* out = x[row 1] * 2 + t: registers VAR 1, CONST 2, TIME, TEMP, TEMP. */
static const int32_t code[] = {
    BC_OP_MUL, 3, 0, 1, 0,
    BC_OP_ADD, 4, 3, 2, 0,
};
static const int32_t reg_kind[] = {BC_REG_VAR, BC_REG_CONST, BC_REG_TIME,
                                   BC_REG_TEMP, BC_REG_TEMP};
static const int32_t reg_index[] = {1, 0, 0, 0, 0};
static const double reg_const[] = {0.0, 2.0, 0.0, 0.0, 0.0};

static bc_program
doubled_plus_t(void)
{
    bc_program p;
    memset(&p, 0, sizeof(p));
    p.n_instr = 2;
    p.code = code;
    p.n_regs = 5;
    p.reg_kind = reg_kind;
    p.reg_index = reg_index;
    p.reg_const = reg_const;
    p.out_reg = 4;
    return p;
}

static void
test_window_and_broadcast(void)
{
    static double state[2 * N];
    double dst[3] = {0.0, 0.0, 0.0};
    bc_group g;
    for (int i = 0; i < N; i++) {
        state[i] = -1.0;
        state[N + i] = (double)i;
    }
    CHECK(bc_group_init(&g, N, 2, state, 0.5, 1, 0) == BC_OK);
    bc_program p = doubled_plus_t();
    bc_linked_var same, one;
    /* neurons 2..4 of the source into 3 targets, at step 4 (t = 2 s) */
    CHECK(bc_linked_var_init(&same, &g, &p, NULL, 0, 2, 3, dst, 3, 0.5)
          == BC_OK);
    CHECK(bc_linked_var_run(&same, 4) == BC_OK);
    CHECK(dst[0] == 6.0 && dst[1] == 8.0 && dst[2] == 10.0);
    /* the values follow the source */
    state[N + 3] = 10.0;
    CHECK(bc_linked_var_run(&same, 0) == BC_OK);
    CHECK(dst[0] == 4.0 && dst[1] == 20.0 && dst[2] == 8.0);
    /* neuron 1 alone, broadcast */
    CHECK(bc_linked_var_init(&one, &g, &p, NULL, 0, 1, 1, dst, 3, 0.5)
          == BC_OK);
    CHECK(bc_linked_var_run(&one, 2) == BC_OK);
    CHECK(dst[0] == 3.0 && dst[1] == 3.0 && dst[2] == 3.0);
    /* the source state itself is left alone */
    CHECK(state[0] == -1.0 && state[N + 1] == 1.0);
    bc_linked_var_free(&same);
    bc_linked_var_free(&one);
    bc_group_free(&g);
}

static void
test_refused(void)
{
    static double state[2 * N];
    double dst[3];
    bc_group g;
    memset(state, 0, sizeof(state));
    CHECK(bc_group_init(&g, N, 2, state, 0.5, 1, 0) == BC_OK);
    bc_program p = doubled_plus_t();
    bc_linked_var l;
    memset(&l, 0, sizeof(l));
    bc_linked_var_free(&l);                     /* zeroed: safe */
    /* window past the group's end, sizes that do not match, no dt */
    CHECK(bc_linked_var_init(&l, &g, &p, NULL, 0, 3, 3, dst, 3, 0.5)
          == BC_EINVAL);
    CHECK(bc_linked_var_init(&l, &g, &p, NULL, 0, 0, 2, dst, 3, 0.5)
          == BC_EINVAL);
    CHECK(bc_linked_var_init(&l, &g, &p, NULL, 0, 0, 3, dst, 3, 0.0)
          == BC_EINVAL);
    /* a program without output, or reading a row the source lacks */
    bc_program quiet = doubled_plus_t();
    quiet.out_reg = -1;
    CHECK(bc_linked_var_init(&l, &g, &quiet, NULL, 0, 0, 3, dst, 3, 0.5)
          == BC_EINVAL);
    bc_group small;
    CHECK(bc_group_init(&small, N, 1, state, 0.5, 1, 0) == BC_OK);
    CHECK(bc_linked_var_init(&l, &small, &p, NULL, 0, 0, 3, dst, 3, 0.5)
          == BC_EINVAL);
    bc_linked_var_free(&l);
    bc_group_free(&small);
    bc_group_free(&g);
}

int
main(void)
{
    test_window_and_broadcast();
    test_refused();
    return check_report();
}
