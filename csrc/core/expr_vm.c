/* expr_vm.c -- C core: check and run compiled expression programs, one
 * instruction at a time over a block of neurons, each instruction a tight
 * loop that gcc vectorises. */
#include "expr_vm.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "vmath.h"

#define N_FIELDS 5          /* op, dst, a, b, c */
#define N_SUBSTREAMS 256    /* RAND/RANDN literal a < 256 */

static const char *const opcode_names[BC_OP_COUNT] = {
#define BC_OP(name, n_args) #name,
#include "opcodes.def"
#undef BC_OP
};

static const int8_t opcode_arity[BC_OP_COUNT] = {
#define BC_OP(name, n_args) n_args,
#include "opcodes.def"
#undef BC_OP
};

const char *
bc_opcode_name(int32_t op)
{
    return (op >= 0 && op < BC_OP_COUNT) ? opcode_names[op] : NULL;
}

int32_t
bc_opcode_arity(int32_t op)
{
    return (op >= 0 && op < BC_OP_COUNT) ? opcode_arity[op] : -1;
}

static int
is_random_op(int32_t op)
{
    return op == BC_OP_RAND || op == BC_OP_RANDN;
}

/* Row starts from 0, never decreasing; columns in range and ascending
 * within each row (so the sums run in the dense loop's order). */
static int
sparse_prologue_is_valid(const bc_program *p)
{
    const int32_t *start = p->lin_index, *col = p->lin_index + p->lin_n + 1;
    if (start[0] != 0) {
        return 0;
    }
    for (int32_t j = 0; j < p->lin_n; j++) {
        if (start[j + 1] < start[j]) {
            return 0;
        }
        for (int32_t k = start[j]; k < start[j + 1]; k++) {
            if (col[k] < 0 || col[k] >= p->lin_n ||
                (k > start[j] && col[k] <= col[k - 1])) {
                return 0;
            }
        }
    }
    return 1;
}

/* How many constants side by side an opcode's c names (0: c is an
 * ordinary operand). */
static int
constants_named_by_c(int32_t op)
{
    switch (op) {
    case BC_OP_DIVEXPM1A:
    case BC_OP_DIVEXP1PA:
    case BC_OP_FMAADD:
        return 2;
    case BC_OP_DIVEXPM1AS:
    case BC_OP_DIVEXP1PAS:
        return 3;
    default:
        return 0;
    }
}

bc_status
bc_program_check(const bc_program *p, int32_t n_vars, int32_t n_arrays)
{
    if (p == NULL || p->n_instr < 0 || p->n_regs < 0
        || (p->n_instr > 0 && p->code == NULL)
        || (p->n_regs > 0 && (p->reg_kind == NULL || p->reg_index == NULL))) {
        return BC_EINVAL;
    }
    for (int32_t r = 0; r < p->n_regs; r++) {
        int32_t kind = p->reg_kind[r];
        int32_t index = p->reg_index[r];
        switch (kind) {
        case BC_REG_TEMP:
        case BC_REG_TIME:
            break;
        case BC_REG_CONST:
            if (p->reg_const == NULL) {
                return BC_EINVAL;
            }
            break;
        case BC_REG_VAR:
            if (index < 0 || index >= n_vars) {
                return BC_EINVAL;
            }
            break;
        case BC_REG_ARRAY:
            if (index < 0 || index >= n_arrays) {
                return BC_EINVAL;
            }
            break;
        default:
            return BC_EINVAL;
        }
    }
    for (int32_t i = 0; i < p->n_instr; i++) {
        const int32_t *ins = p->code + (size_t)i * N_FIELDS;
        int32_t op = ins[0];
        if (op < 0 || op >= BC_OP_COUNT) {
            return BC_EINVAL;
        }
        int32_t dst = ins[1];
        if (dst < 0 || dst >= p->n_regs
            || (p->reg_kind[dst] != BC_REG_TEMP
                && p->reg_kind[dst] != BC_REG_VAR)) {
            return BC_EINVAL;
        }
        if (is_random_op(op)) {
            if (ins[2] < 0 || ins[2] >= N_SUBSTREAMS) {
                return BC_EINVAL;
            }
            continue;
        }
        int n_consts = constants_named_by_c(op);
        for (int j = 0; j < n_consts; j++) {
            if (ins[4] < 0 || ins[4] + j >= p->n_regs
                || p->reg_kind[ins[4] + j] != BC_REG_CONST) {
                return BC_EINVAL;   /* its c names a run of constants */
            }
        }
        for (int j = 0; j < opcode_arity[op]; j++) {
            int32_t r = ins[2 + j];
            if (r < 0 || r >= p->n_regs) {
                return BC_EINVAL;
            }
        }
    }
    if (p->out_reg < -1 || p->out_reg >= p->n_regs) {
        return BC_EINVAL;
    }
    if (p->lin_n < 0 || p->lin_n > n_vars ||
        (p->lin_n > 0 && (p->lin_a == NULL || p->lin_c == NULL))) {
        return BC_EINVAL;
    }
    if (p->lin_index != NULL && !sparse_prologue_is_valid(p)) {
        return BC_EINVAL;
    }
    return BC_OK;
}

void
bc_vm_free(bc_vm *vm)
{
    free(vm->scratch);
    free(vm->reg);
    free(vm->home);
    free(vm->scatter);
    free(vm->lin_old);
    memset(vm, 0, sizeof *vm);
}

bc_status
bc_vm_init(bc_vm *vm, const bc_program *p)
{
    bc_status st = BC_ENOMEM;
    memset(vm, 0, sizeof *vm);
    assert(p->n_regs >= 0);
    size_t n_regs = (size_t)p->n_regs;
    size_t n_alloc = n_regs > 0 ? n_regs : 1;   /* malloc(0) may be NULL */
    /* aligned_alloc needs a size that is a multiple of the alignment:
     * BC_BLOCK doubles are 2048 bytes. */
    vm->scratch = aligned_alloc(64, n_alloc * BC_BLOCK * sizeof(double));
    vm->reg = malloc(n_alloc * sizeof *vm->reg);
    vm->home = malloc(n_alloc * sizeof *vm->home);
    vm->scatter = malloc(n_alloc * sizeof *vm->scatter);
    if (vm->scratch == NULL || vm->reg == NULL || vm->home == NULL
        || vm->scatter == NULL) {
        goto done;
    }
    if (p->lin_n > 3 || p->lin_index != NULL) {
        vm->lin_old = malloc((size_t)p->lin_n * BC_BLOCK * sizeof(double));
        if (vm->lin_old == NULL) {
            goto done;
        }
    }
    vm->n_regs = p->n_regs;
    /* Zeroed so that no block ever holds uninitialised bytes. */
    memset(vm->scratch, 0, n_alloc * BC_BLOCK * sizeof(double));
    for (size_t r = 0; r < n_regs; r++) {
        double *blk = vm->scratch + r * BC_BLOCK;
        vm->reg[r] = blk;
        vm->home[r] = (int32_t)r;
        int32_t kind = p->reg_kind[r];
        if (kind == BC_REG_CONST) {
            for (bc_index k = 0; k < BC_BLOCK; k++) {
                blk[k] = p->reg_const[r];
            }
        }
        else if (kind == BC_REG_VAR || kind == BC_REG_ARRAY) {
            /* Registers naming the same row share one gathered block, so
             * a write through one is seen through the other, as in place. */
            for (size_t s = 0; s < r; s++) {
                if (p->reg_kind[s] == kind
                    && p->reg_index[s] == p->reg_index[r]) {
                    vm->home[r] = (int32_t)s;
                    break;
                }
            }
        }
    }
    /* VAR rows written by some instruction, each home once. */
    for (int32_t i = 0; i < p->n_instr; i++) {
        int32_t dst = p->code[(size_t)i * N_FIELDS + 1];
        if (p->reg_kind[dst] != BC_REG_VAR) {
            continue;
        }
        int32_t h = vm->home[dst];
        int seen = 0;
        for (int32_t s = 0; s < vm->n_scatter; s++) {
            seen |= vm->scatter[s] == h;
        }
        if (!seen) {
            vm->scatter[vm->n_scatter++] = h;
        }
    }
    st = BC_OK;
done:
    if (st != BC_OK) {
        bc_vm_free(vm);
    }
    return st;
}

/* Four vectors per loop iteration: with one load, one operation and one
 * store per vector the loop is otherwise bound by its own counting and
 * branching (measured: about 10 % on the HH update). */
#define UNROLL _Pragma("GCC unroll 4")

/* The elementwise loop of one instruction.  dst may be the same block as
 * a source (x = x * 2 on a VAR) but never overlaps one at an offset, so
 * there is no loop-carried dependence: BC_IVDEP. */
#define ELEMENTWISE(expr)                           \
    do {                                            \
        BC_IVDEP UNROLL                             \
        for (bc_index k = 0; k < len; k++) {        \
            d[k] = (expr);                          \
        }                                           \
    } while (0)

/* Binary operations with a constant operand read it once instead of
 * streaming its broadcast block: with dozens of constants in a model
 * (HH), the blocks would not fit in L1 next to the temporaries.  X and Y
 * name the two operands inside EXPR. */
#define BINARY(EXPR)                                                \
    do {                                                            \
        if (ka && !kb) {                                            \
            const double X = a[0];                                  \
            BC_IVDEP UNROLL                                         \
            for (bc_index k = 0; k < len; k++) {                    \
                const double Y = b[k];                              \
                d[k] = (EXPR);                                      \
            }                                                       \
        } else if (kb && !ka) {                                     \
            const double Y = b[0];                                  \
            BC_IVDEP UNROLL                                         \
            for (bc_index k = 0; k < len; k++) {                    \
                const double X = a[k];                              \
                d[k] = (EXPR);                                      \
            }                                                       \
        } else {                                                    \
            BC_IVDEP UNROLL                                         \
            for (bc_index k = 0; k < len; k++) {                    \
                const double X = a[k], Y = b[k];                    \
                d[k] = (EXPR);                                      \
            }                                                       \
        }                                                           \
    } while (0)

/* The same for ternary operations, any of whose operands may be constant
 * (eight loops; X, Y and Z name the operands inside EXPR).  LOOP3 takes
 * each operand's per-element expression. */
#define LOOP3(XE, YE, ZE, EXPR)                                     \
    do {                                                            \
        BC_IVDEP UNROLL                                             \
        for (bc_index k = 0; k < len; k++) {                        \
            const double X = (XE), Y = (YE), Z = (ZE);              \
            d[k] = (EXPR);                                          \
        }                                                           \
    } while (0)

#define TERNARY(EXPR)                                               \
    do {                                                            \
        const double a0 = a[0], b0 = b[0], c0 = c[0];               \
        switch (ka | kb << 1 | kc << 2) {                           \
        case 0: LOOP3(a[k], b[k], c[k], EXPR); break;               \
        case 1: LOOP3(a0, b[k], c[k], EXPR); break;                 \
        case 2: LOOP3(a[k], b0, c[k], EXPR); break;                 \
        case 3: LOOP3(a0, b0, c[k], EXPR); break;                   \
        case 4: LOOP3(a[k], b[k], c0, EXPR); break;                 \
        case 5: LOOP3(a0, b[k], c0, EXPR); break;                   \
        case 6: LOOP3(a[k], b0, c0, EXPR); break;                   \
        default: LOOP3(a0, b0, c0, EXPR); break;                    \
        }                                                           \
    } while (0)

/* EXPA and its kin: the kernel takes the affine argument itself when its
 * coefficients are constants; otherwise the argument is computed into d
 * first (a separate pass, as unfused). */
#define EXP_AFFINE(affine_fn, plain_fn)                             \
    do {                                                            \
        if (kb && kc) {                                             \
            affine_fn(a, b[0], c[0], d, len);                       \
        } else {                                                    \
            TERNARY(X * Y + Z);                                     \
            plain_fn(d, d, len);                                    \
        }                                                           \
    } while (0)

/* Run every instruction over one block of len neurons.  Neuron k of the
 * block is number first + k in the group, or idx[k] when idx is given. */
BC_VECTOR_FN static void
exec_block(double *const *reg, const bc_program *p, const bc_vm_env *env,
           uint64_t first, const bc_index *idx, bc_index len)
{
    for (int32_t i = 0; i < p->n_instr; i++) {
        const int32_t *ins = p->code + (size_t)i * N_FIELDS;
        int32_t op = ins[0];
        double *d = reg[ins[1]];
        const double *a = NULL, *b = NULL, *c = NULL;
        int arity = opcode_arity[op];
        if (arity >= 1) {
            a = reg[ins[2]];
        }
        if (arity >= 2) {
            b = reg[ins[3]];
        }
        if (arity >= 3) {
            c = reg[ins[4]];
        }
        /* Which operands are constants (read once, see BINARY). */
        int ka = arity >= 1 && p->reg_kind[ins[2]] == BC_REG_CONST;
        int kb = arity >= 2 && p->reg_kind[ins[3]] == BC_REG_CONST;
        int kc = arity >= 3 && p->reg_kind[ins[4]] == BC_REG_CONST;
        switch ((bc_opcode)op) {
        case BC_OP_MOV:
            ELEMENTWISE(a[k]);
            break;
        case BC_OP_NEG:
            ELEMENTWISE(-a[k]);
            break;
        case BC_OP_ADD:
            BINARY(X + Y);
            break;
        case BC_OP_SUB:
            BINARY(X - Y);
            break;
        case BC_OP_MUL:
            BINARY(X * Y);
            break;
        case BC_OP_DIV:
            BINARY(X / Y);
            break;
        case BC_OP_POW:
            ELEMENTWISE(pow(a[k], b[k]));
            break;
        case BC_OP_FMA:
            /* Two roundings in every clone (fp-contract=off). */
            TERNARY(X * Y + Z);
            break;
        case BC_OP_FMS:
            TERNARY(X * Y - Z);
            break;
        case BC_OP_FNMA:
            TERNARY(Z - X * Y);
            break;
        case BC_OP_SUBMUL:
            TERNARY((X - Y) * Z);
            break;
        case BC_OP_ADDMUL:
            TERNARY((X + Y) * Z);
            break;
        case BC_OP_MUL3:
            TERNARY((X * Y) * Z);
            break;
        case BC_OP_MUL3OM:
            TERNARY((X * Y) * (1.0 - Z));
            break;
        case BC_OP_EXPA:
            EXP_AFFINE(bc_vexp_affine, bc_vexp);
            break;
        case BC_OP_EXPM1A:
            EXP_AFFINE(bc_vexpm1_affine, bc_vexpm1);
            break;
        case BC_OP_EXPRELA:
            EXP_AFFINE(bc_vexprel_affine, bc_vexprel);
            break;
        case BC_OP_DIVEXPM1A:
        case BC_OP_DIVEXP1PA:
            /* a constant b is a filled block too, so one kernel serves */
            bc_vdiv_exp_affine(a, ka, b, p->reg_const[ins[4]],
                               p->reg_const[ins[4] + 1], 1.0,
                               op == BC_OP_DIVEXPM1A, d, len);
            break;
        case BC_OP_DIVEXPM1AS:
        case BC_OP_DIVEXP1PAS:
            bc_vdiv_exp_affine(a, ka, b, p->reg_const[ins[4]],
                               p->reg_const[ins[4] + 1],
                               p->reg_const[ins[4] + 2],
                               op == BC_OP_DIVEXPM1AS, d, len);
            break;
        case BC_OP_FMAADD: {
            const double k0 = p->reg_const[ins[4]];
            const double k1 = p->reg_const[ins[4] + 1];
            if (kb) {
                const double y = b[0];
                BC_IVDEP UNROLL
                for (bc_index k = 0; k < len; k++) {
                    d[k] = y + (a[k] * k0 + k1);
                }
            } else {
                BC_IVDEP UNROLL
                for (bc_index k = 0; k < len; k++) {
                    d[k] = b[k] + (a[k] * k0 + k1);
                }
            }
            break;
        }
        case BC_OP_EXPRELS:
            if (kb && kc) {
                bc_vexprel_scaled(a, b[0], c[0], d, len);
            }
            else {
                TERNARY(bc_exprel_kernel(X * Y) * Z);
            }
            break;
        case BC_OP_EXP:
            bc_vexp(a, d, len);
            break;
        case BC_OP_EXPM1:
            bc_vexpm1(a, d, len);
            break;
        case BC_OP_EXPREL:
            bc_vexprel(a, d, len);
            break;
        case BC_OP_LOG:
            bc_vlog(a, d, len);
            break;
        case BC_OP_LOG10:
            ELEMENTWISE(log10(a[k]));
            break;
        case BC_OP_SQRT:
            bc_vsqrt(a, d, len);
            break;
        case BC_OP_ABS:
            ELEMENTWISE(fabs(a[k]));
            break;
        case BC_OP_SIN:
            bc_vsin(a, d, len);
            break;
        case BC_OP_COS:
            bc_vcos(a, d, len);
            break;
        case BC_OP_TAN:
            ELEMENTWISE(tan(a[k]));
            break;
        case BC_OP_ARCSIN:
            ELEMENTWISE(asin(a[k]));
            break;
        case BC_OP_ARCCOS:
            ELEMENTWISE(acos(a[k]));
            break;
        case BC_OP_ARCTAN:
            ELEMENTWISE(atan(a[k]));
            break;
        case BC_OP_SINH:
            ELEMENTWISE(sinh(a[k]));
            break;
        case BC_OP_COSH:
            ELEMENTWISE(cosh(a[k]));
            break;
        case BC_OP_TANH:
            ELEMENTWISE(tanh(a[k]));
            break;
        case BC_OP_FLOOR:
            ELEMENTWISE(floor(a[k]));
            break;
        case BC_OP_CEIL:
            ELEMENTWISE(ceil(a[k]));
            break;
        case BC_OP_CLIP:
            /* min(max(a, lo), hi), written so a NaN a stays NaN (as in
             * numpy.clip). */
            BC_IVDEP
            for (bc_index k = 0; k < len; k++) {
                double v = a[k] < b[k] ? b[k] : a[k];
                d[k] = v > c[k] ? c[k] : v;
            }
            break;
        case BC_OP_LT:
            BINARY(X < Y ? 1.0 : 0.0);
            break;
        case BC_OP_LE:
            BINARY(X <= Y ? 1.0 : 0.0);
            break;
        case BC_OP_GT:
            BINARY(X > Y ? 1.0 : 0.0);
            break;
        case BC_OP_GE:
            BINARY(X >= Y ? 1.0 : 0.0);
            break;
        case BC_OP_EQ:
            BINARY(X == Y ? 1.0 : 0.0);
            break;
        case BC_OP_NE:
            BINARY(X != Y ? 1.0 : 0.0);
            break;
        case BC_OP_AND:
            /* Nonzero (NaN included, as Python's bool) is true. */
            ELEMENTWISE(((a[k] != 0.0) & (b[k] != 0.0)) ? 1.0 : 0.0);
            break;
        case BC_OP_OR:
            ELEMENTWISE(((a[k] != 0.0) | (b[k] != 0.0)) ? 1.0 : 0.0);
            break;
        case BC_OP_NOT:
            ELEMENTWISE(a[k] == 0.0 ? 1.0 : 0.0);
            break;
        case BC_OP_WHERE:
            TERNARY(X != 0.0 ? Y : Z);
            break;
        case BC_OP_RAND:
            /* paired: one cipher call per two consecutive elements */
            if (idx != NULL) {
                bc_rng_uniform_paired_indexed(
                    env->seed, env->stream + (uint64_t)ins[2], env->step,
                    idx, len, d);
            }
            else {
                bc_rng_uniform_paired_block(
                    env->seed, env->stream + (uint64_t)ins[2], env->step,
                    first, len, d);
            }
            break;
        case BC_OP_RANDN:
            if (idx != NULL) {
                bc_rng_normal_indexed(env->seed, env->stream + (uint64_t)ins[2],
                                      env->step, idx, len, d);
            }
            else {
                bc_rng_normal_block(env->seed, env->stream + (uint64_t)ins[2],
                                    env->step, first, len, d);
            }
            break;
        case BC_OP_COUNT:
            break;
        }
    }
}

/* The linear prologue on one block: X <- A X + C over rows 0..m-1.  The
 * common sizes get loops with every coefficient in a register; the rows
 * are distinct, so the pointers never alias. */
BC_VECTOR_FN static void
linear_block(const bc_program *p, double *state, bc_index n, bc_index first,
             bc_index len, double *restrict old)
{
    const double *A = p->lin_a, *C = p->lin_c;
    int32_t m = p->lin_n;
    double *restrict x0 = state + first;
    int dense = p->lin_index == NULL;  /* the fixed sizes read a dense A */
    if (dense && m == 1) {
        double a = A[0], c = C[0];
        for (bc_index k = 0; k < len; k++) {
            x0[k] = fma(a, x0[k], c);
        }
        return;
    }
    if (dense && m == 2) {
        double *restrict x1 = state + (size_t)n + first;
        double a00 = A[0], a01 = A[1], a10 = A[2], a11 = A[3];
        double c0 = C[0], c1 = C[1];
        for (bc_index k = 0; k < len; k++) {
            double v0 = x0[k], v1 = x1[k];
            x0[k] = fma(a01, v1, fma(a00, v0, c0));
            x1[k] = fma(a11, v1, fma(a10, v0, c1));
        }
        return;
    }
    if (dense && m == 3) {
        double *restrict x1 = state + (size_t)n + first;
        double *restrict x2 = state + 2 * (size_t)n + first;
        double a00 = A[0], a01 = A[1], a02 = A[2], a10 = A[3], a11 = A[4],
               a12 = A[5], a20 = A[6], a21 = A[7], a22 = A[8];
        double c0 = C[0], c1 = C[1], c2 = C[2];
        /* fma() is exact and a single instruction in the vector clones. */
        for (bc_index k = 0; k < len; k++) {
            double v0 = x0[k], v1 = x1[k], v2 = x2[k];
            x0[k] = fma(a02, v2, fma(a01, v1, fma(a00, v0, c0)));
            x1[k] = fma(a12, v2, fma(a11, v1, fma(a10, v0, c1)));
            x2[k] = fma(a22, v2, fma(a21, v1, fma(a20, v0, c2)));
        }
        return;
    }
    /* Any other size: the old values into scratch, then each row. */
    (void)x0;
    for (int32_t i = 0; i < m; i++) {
        memcpy(old + (size_t)i * BC_BLOCK, state + (size_t)i * (size_t)n + first,
               (size_t)len * sizeof(double));
    }
    const int32_t *start = p->lin_index;
    const int32_t *col = start == NULL ? NULL : start + m + 1;
    for (int32_t j = 0; j < m; j++) {
        double *restrict xj = state + (size_t)j * (size_t)n + first;
        for (bc_index k = 0; k < len; k++) {
            xj[k] = C[j];
        }
        /* Dense: every column of row j; sparse: its listed entries. */
        int32_t lo = start == NULL ? 0 : start[j];
        int32_t hi = start == NULL ? m : start[j + 1];
        for (int32_t e = lo; e < hi; e++) {
            int32_t i = start == NULL ? e : col[e];
            double a = start == NULL ? A[(size_t)j * (size_t)m + (size_t)i]
                                     : A[e];
            const double *restrict oi = old + (size_t)i * BC_BLOCK;
            if (a != 0.0) {
                for (bc_index k = 0; k < len; k++) {
                    xj[k] = fma(a, oi[k], xj[k]);
                }
            }
        }
    }
}

/* Broadcast t into the TIME registers' blocks: t changes between runs. */
static void
fill_time(bc_vm *vm, const bc_program *p, double t)
{
    for (int32_t r = 0; r < p->n_regs; r++) {
        if (p->reg_kind[r] == BC_REG_TIME) {
            double *blk = vm->scratch + (size_t)r * BC_BLOCK;
            for (bc_index k = 0; k < BC_BLOCK; k++) {
                blk[k] = t;
            }
        }
    }
}

static const double *
source_row(const bc_program *p, const bc_vm_env *env, int32_t r)
{
    if (p->reg_kind[r] == BC_REG_VAR) {
        return env->state + (size_t)p->reg_index[r] * (size_t)env->n;
    }
    return env->arrays[p->reg_index[r]];
}

void
bc_vm_run(bc_vm *vm, const bc_program *p, const bc_vm_env *env,
          bc_index start, bc_index end, double *out)
{
    assert(vm->n_regs == p->n_regs);
    assert(0 <= start && end <= env->n);
    fill_time(vm, p, env->t);
    for (bc_index first = start; first < end; first += BC_BLOCK) {
        bc_index len = end - first < BC_BLOCK ? end - first : BC_BLOCK;
        for (int32_t r = 0; r < p->n_regs; r++) {
            int32_t kind = p->reg_kind[r];
            if (kind == BC_REG_VAR || kind == BC_REG_ARRAY) {
                /* In place.  ARRAY registers are never written
                 * (bc_program_check), so dropping const is safe. */
                vm->reg[r] = (double *)source_row(p, env, r) + first;
            }
        }
        if (p->lin_n > 0) {
            linear_block(p, env->state, env->n, first, len, vm->lin_old);
        }
        exec_block(vm->reg, p, env, (uint64_t)first, NULL, len);
        if (out != NULL && p->out_reg >= 0) {
            memcpy(out + (first - start), vm->reg[p->out_reg],
                   (size_t)len * sizeof(double));
        }
    }
}

void
bc_vm_run_indexed(bc_vm *vm, const bc_program *p, const bc_vm_env *env,
                  const bc_index *idx, bc_index n_idx, double *out)
{
    assert(vm->n_regs == p->n_regs);
    assert(p->lin_n == 0);      /* linear prologues are for whole groups */
    fill_time(vm, p, env->t);
    for (int32_t r = 0; r < p->n_regs; r++) {
        vm->reg[r] = vm->scratch + (size_t)vm->home[r] * BC_BLOCK;
    }
    for (bc_index first = 0; first < n_idx; first += BC_BLOCK) {
        bc_index len = n_idx - first < BC_BLOCK ? n_idx - first : BC_BLOCK;
        const bc_index *ix = idx + first;
        for (int32_t r = 0; r < p->n_regs; r++) {
            int32_t kind = p->reg_kind[r];
            if ((kind == BC_REG_VAR || kind == BC_REG_ARRAY)
                && vm->home[r] == r) {
                const double *src = source_row(p, env, r);
                double *blk = vm->reg[r];
                for (bc_index k = 0; k < len; k++) {
                    assert(0 <= ix[k] && ix[k] < env->n);
                    blk[k] = src[ix[k]];
                }
            }
        }
        exec_block(vm->reg, p, env, 0, ix, len);
        for (int32_t s = 0; s < vm->n_scatter; s++) {
            int32_t r = vm->scatter[s];
            double *dst = env->state
                          + (size_t)p->reg_index[r] * (size_t)env->n;
            const double *blk = vm->reg[r];
            for (bc_index k = 0; k < len; k++) {
                dst[ix[k]] = blk[k];
            }
        }
        if (out != NULL && p->out_reg >= 0) {
            memcpy(out + first, vm->reg[p->out_reg],
                   (size_t)len * sizeof(double));
        }
    }
}

/* Distance between two consecutive elements of a row of space 0. */
static inline bc_index
row_stride(const bc_vm_rows *rows, int32_t row)
{
    return rows->stride == NULL ? 1 : rows->stride[row];
}

/* Gather row `row` of a mapped run for the elements ix[0..len) into blk
 * (one loop per kind of map, so the inner loop has no branch). */
static inline void
mapped_gather(const bc_vm_rows *rows, int32_t row, const bc_index *ix,
              bc_index len, double *restrict blk)
{
    const double *restrict src = rows->row[row];
    int8_t sp = rows->space[row];
    if (sp == 0 && row_stride(rows, row) == 1) {
        for (bc_index k = 0; k < len; k++) {
            blk[k] = src[ix[k]];
        }
        return;
    }
    if (sp == 0) {
        size_t st = (size_t)row_stride(rows, row);
        for (bc_index k = 0; k < len; k++) {
            blk[k] = src[(size_t)ix[k] * st];
        }
        return;
    }
    const bc_index *restrict map = rows->map[sp - 1];
    for (bc_index k = 0; k < len; k++) {
        blk[k] = src[map[ix[k]]];
    }
}

static inline void
mapped_scatter(const bc_vm_rows *rows, int32_t row, const bc_index *ix,
               bc_index len, const double *restrict blk)
{
    double *restrict dst = rows->row[row];
    int8_t sp = rows->space[row];
    if (sp == 0 && row_stride(rows, row) == 1) {
        for (bc_index k = 0; k < len; k++) {
            dst[ix[k]] = blk[k];
        }
        return;
    }
    if (sp == 0) {
        size_t st = (size_t)row_stride(rows, row);
        for (bc_index k = 0; k < len; k++) {
            dst[(size_t)ix[k] * st] = blk[k];
        }
        return;
    }
    const bc_index *restrict map = rows->map[sp - 1];
    for (bc_index k = 0; k < len; k++) {
        dst[map[ix[k]]] = blk[k];
    }
}

/* Asks for the lines the next block of a mapped run will gather (its
 * synapses' own rows): scattered synapses, one line each per row, miss
 * the caches, and their loads then overlap this block's work.  Rows of
 * one interleaved record share a line: the first row read asks for it. */
static void
prefetch_mapped(const bc_vm *vm, const bc_program *p, const bc_vm_rows *rows,
                const bc_index *ix, bc_index len)
{
    int asked_interleaved = 0;
    for (int32_t r = 0; r < p->n_regs; r++) {
        if (p->reg_kind[r] != BC_REG_VAR || vm->home[r] != r) {
            continue;
        }
        int32_t row = p->reg_index[r];
        if (rows->space[row] != 0) {
            continue;
        }
        size_t st = (size_t)row_stride(rows, row);
        if (st > 1) {
            if (asked_interleaved) {
                continue;
            }
            asked_interleaved = 1;
        }
        const double *src = rows->row[row];
        for (bc_index k = 0; k < len; k++) {
            __builtin_prefetch(src + (size_t)ix[k] * st, 1, 0);
        }
    }
}

/* Mapped runs go by blocks of MAPPED_BLOCK elements: a gathered element
 * sits on a cache line of its own in each row, and the lines of a block
 * must still be in L1 when the results are scattered back (64 elements
 * of 4 rows: 16 kB; 256 would not fit). */
#define MAPPED_BLOCK 64

/* A mapped run over the elements first..first + n - 1 (every synapse:
 * clock-driven updates, lumped sums, static outputs).  Rows of space 0
 * with stride 1 are then consecutive, so they are read and written in
 * place as in bc_vm_run, by blocks of BC_BLOCK; only interleaved rows and
 * the groups' rows (straight through their maps) are gathered and
 * scattered.  The same operations on the same values as the general
 * path, so the same bits. */
static void
run_mapped_range(bc_vm *vm, const bc_program *p, const bc_vm_env *env,
                 const bc_vm_rows *rows, bc_index first, bc_index n,
                 double *out)
{
    bc_index iota[BC_BLOCK];
    const bc_index *stride = rows->stride;      /* NULL: all rows 1 */
    for (bc_index done = 0; done < n; done += BC_BLOCK) {
        bc_index len = n - done < BC_BLOCK ? n - done : BC_BLOCK;
        bc_index base = first + done;
        for (bc_index k = 0; k < len; k++) {
            iota[k] = base + k;     /* the interleaved rows' elements */
        }
        for (int32_t r = 0; r < p->n_regs; r++) {
            if (p->reg_kind[r] != BC_REG_VAR) {
                continue;
            }
            if (vm->home[r] != r) {
                vm->reg[r] = vm->reg[vm->home[r]];  /* home < r: set */
                continue;
            }
            int32_t row = p->reg_index[r];
            int8_t sp = rows->space[row];
            if (sp == 0 && (stride == NULL || stride[row] == 1)) {
                vm->reg[r] = rows->row[row] + base;
                continue;
            }
            double *restrict blk = vm->scratch + (size_t)r * BC_BLOCK;
            if (sp == 0) {      /* interleaved: gathered by its stride */
                mapped_gather(rows, row, iota, len, blk);
                vm->reg[r] = blk;
                continue;
            }
            const double *restrict src = rows->row[row];
            const bc_index *restrict map = rows->map[sp - 1] + base;
            for (bc_index k = 0; k < len; k++) {
                blk[k] = src[map[k]];
            }
            vm->reg[r] = blk;
        }
        /* RAND/RANDN by their block draws (element numbers base, base +
         * 1, ...: the indexed draws' bits, fewer cipher calls) */
        exec_block(vm->reg, p, env, (uint64_t)base, NULL, len);
        for (int32_t s = 0; s < vm->n_scatter; s++) {
            int32_t r = vm->scatter[s];
            int32_t row = p->reg_index[r];
            if (rows->space[row] != 0
                || (stride != NULL && stride[row] != 1)) {
                mapped_scatter(rows, row, iota, len, vm->reg[r]);
            }
        }
        if (out != NULL && p->out_reg >= 0) {
            memcpy(out + done, vm->reg[p->out_reg],
                   (size_t)len * sizeof(double));
        }
    }
}

void
bc_vm_run_mapped(bc_vm *vm, const bc_program *p, const bc_vm_env *env,
                 const bc_vm_rows *rows, const bc_index *ids,
                 bc_index first, bc_index n_ids, double *out)
{
    assert(vm->n_regs == p->n_regs);
    assert(p->lin_n == 0);
    fill_time(vm, p, env->t);
    for (int32_t r = 0; r < p->n_regs; r++) {
        vm->reg[r] = vm->scratch + (size_t)vm->home[r] * BC_BLOCK;
    }
    if (ids == NULL) {
        run_mapped_range(vm, p, env, rows, first, n_ids, out);
        return;
    }
    for (bc_index done = 0; done < n_ids; done += MAPPED_BLOCK) {
        bc_index len = n_ids - done < MAPPED_BLOCK ? n_ids - done
                                                    : MAPPED_BLOCK;
        const bc_index *ix = ids + done;
        if (done + len < n_ids) {
            bc_index next = n_ids - done - len;
            prefetch_mapped(vm, p, rows, ix + len,
                            next < MAPPED_BLOCK ? next : MAPPED_BLOCK);
        }
        for (int32_t r = 0; r < p->n_regs; r++) {
            if (p->reg_kind[r] == BC_REG_VAR && vm->home[r] == r) {
                mapped_gather(rows, p->reg_index[r], ix, len, vm->reg[r]);
            }
        }
        exec_block(vm->reg, p, env, 0, ix, len);
        for (int32_t s = 0; s < vm->n_scatter; s++) {
            int32_t r = vm->scatter[s];
            mapped_scatter(rows, p->reg_index[r], ix, len, vm->reg[r]);
        }
        if (out != NULL && p->out_reg >= 0) {
            memcpy(out + done, vm->reg[p->out_reg],
                   (size_t)len * sizeof(double));
        }
    }
}
