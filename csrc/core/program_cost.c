/* program_cost.c -- C core: the per-neuron price of a program (see
 * program_cost.h).  Opcodes not listed cost like plain arithmetic, so new
 * ones need no entry unless they are much dearer. */
#include "program_cost.h"

static double
opcode_cost(int32_t op)
{
    switch (op) {
    case BC_OP_DIV:
    case BC_OP_SQRT:
        return 0.5;
    case BC_OP_EXP:
    case BC_OP_EXPM1:
    case BC_OP_EXPREL:
    case BC_OP_EXPA:
    case BC_OP_EXPM1A:
    case BC_OP_EXPRELA:
    case BC_OP_EXPRELS:
    case BC_OP_DIVEXPM1A:
    case BC_OP_DIVEXP1PA:
    case BC_OP_DIVEXPM1AS:
    case BC_OP_DIVEXP1PAS:
    case BC_OP_LOG:
    case BC_OP_SIN:
    case BC_OP_COS:
        return 1.0;
    case BC_OP_RAND:
    case BC_OP_RANDN:
        return 2.0;
    case BC_OP_POW:
    case BC_OP_LOG10:
    case BC_OP_TAN:
    case BC_OP_ARCSIN:
    case BC_OP_ARCCOS:
    case BC_OP_ARCTAN:
    case BC_OP_SINH:
    case BC_OP_COSH:
    case BC_OP_TANH:
        return 15.0;
    default:
        return 0.2;
    }
}

double
bc_program_cost(const bc_program *p)
{
    /* The prologue reads and writes lin_n rows: about one multiply-add
     * per matrix entry (dense) or per listed entry (sparse). */
    double entries = p->lin_index != NULL
        ? (double)p->lin_index[p->lin_n]
        : (double)p->lin_n * (double)p->lin_n;
    double cost = 0.1 * (entries + (double)p->lin_n);
    for (int32_t k = 0; k < p->n_instr; k++) {
        cost += opcode_cost(p->code[5 * k]);
    }
    return cost;
}
