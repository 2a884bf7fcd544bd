/* test_expr_vm.c -- C tests for expr_vm.{h,c}: every opcode on known
 * inputs, in-place updates across blocks, TIME/CONST/ARRAY registers,
 * RAND/RANDN counters, indexed runs, and rejection of malformed programs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "expr_vm.h"
#include "rng.h"

/* ---- a tiny program builder ---- */

enum { MAX_INSTR = 32, MAX_REGS = 32 };

typedef struct builder {
    int32_t code[MAX_INSTR * 5];
    int32_t n_instr;
    int32_t kind[MAX_REGS];
    int32_t index[MAX_REGS];
    double cst[MAX_REGS];
    int32_t n_regs;
} builder;

static int32_t
add_reg(builder *b, int32_t kind, int32_t index, double value)
{
    int32_t r = b->n_regs++;
    b->kind[r] = kind;
    b->index[r] = index;
    b->cst[r] = value;
    return r;
}

static int32_t
temp(builder *b)
{
    return add_reg(b, BC_REG_TEMP, 0, 0.0);
}

static int32_t
cnst(builder *b, double v)
{
    return add_reg(b, BC_REG_CONST, 0, v);
}

static int32_t
var(builder *b, int32_t row)
{
    return add_reg(b, BC_REG_VAR, row, 0.0);
}

static int32_t
array(builder *b, int32_t slot)
{
    return add_reg(b, BC_REG_ARRAY, slot, 0.0);
}

static void
emit(builder *b, int32_t op, int32_t dst, int32_t a, int32_t x, int32_t c)
{
    int32_t *ins = b->code + 5 * b->n_instr++;
    ins[0] = op;
    ins[1] = dst;
    ins[2] = a;
    ins[3] = x;
    ins[4] = c;
}

static bc_program
program(const builder *b, int32_t out_reg)
{
    bc_program p = {.n_instr = b->n_instr, .code = b->code,
                    .n_regs = b->n_regs, .reg_kind = b->kind,
                    .reg_index = b->index, .reg_const = b->cst,
                    .out_reg = out_reg};
    return p;
}

/* Runs a reference program and a candidate over the same n-wide state,
 * into want and got (the caller compares them). */
static void
run_both(const bc_program *pr, const bc_program *pc, double *state, int n,
         double *want, double *got)
{
    bc_vm vr, vc;
    CHECK(bc_vm_init(&vr, pr) == BC_OK);
    CHECK(bc_vm_init(&vc, pc) == BC_OK);
    bc_vm_env env = {.state = state, .n = n};
    bc_vm_run(&vr, pr, &env, 0, n, want);
    bc_vm_run(&vc, pc, &env, 0, n, got);
    bc_vm_free(&vr);
    bc_vm_free(&vc);
}

/* Both two-variable programs pass the checker, and the candidate gives
 * the reference's bits. */
static void
check_same_bits(const bc_program *pr, const bc_program *pc, double *state,
                int n, double *want, double *got)
{
    CHECK(bc_program_check(pr, 2, 0) == BC_OK);
    CHECK(bc_program_check(pc, 2, 0) == BC_OK);
    run_both(pr, pc, state, n, want, got);
    CHECK(memcmp(want, got, (size_t)n * sizeof *want) == 0);
}

/* ---- every opcode against a C reference ---- */

enum { N_OP_IN = 12 };

static const double in_a[N_OP_IN] = {0.5, -1.25, 2.0, 0.0, 3.0, -0.0,
                                     1e-3, 7.5, NAN, 0.9, -2.5, 100.0};
static const double in_b[N_OP_IN] = {2.0, 0.75, 2.0, 1.0, -1.0, 0.0,
                                     3.0, -7.5, 1.0, 0.0, -2.5, 0.5};
static const double in_c[N_OP_IN] = {1.0, -1.0, 1.5, 0.0, 2.0, 4.0,
                                     -3.0, 8.0, 0.0, 0.5, -1.0, 10.0};

static double
reference(int32_t op, double a, double b, double c)
{
    switch ((bc_opcode)op) {
    case BC_OP_MOV: return a;
    case BC_OP_NEG: return -a;
    case BC_OP_ADD: return a + b;
    case BC_OP_SUB: return a - b;
    case BC_OP_MUL: return a * b;
    case BC_OP_DIV: return a / b;
    case BC_OP_POW: return pow(a, b);
    case BC_OP_FMA: return a * b + c;
    case BC_OP_FMS: return a * b - c;
    case BC_OP_FNMA: return c - a * b;
    case BC_OP_SUBMUL: return (a - b) * c;
    case BC_OP_ADDMUL: return (a + b) * c;
    case BC_OP_MUL3: return (a * b) * c;
    case BC_OP_MUL3OM: return (a * b) * (1.0 - c);
    case BC_OP_EXPA: return exp(a * b + c);
    case BC_OP_EXPM1A: return expm1(a * b + c);
    case BC_OP_EXPRELS: {
        double x = a * b;
        return c * (x == 0.0 ? 1.0 : expm1(x) / x);
    }
    case BC_OP_EXPRELA: {
        double x = a * b + c;
        return x == 0.0 ? 1.0 : expm1(x) / x;
    }
    case BC_OP_EXP: return exp(a);
    case BC_OP_EXPM1: return expm1(a);
    case BC_OP_EXPREL: return a == 0.0 ? 1.0 : expm1(a) / a;
    case BC_OP_LOG: return log(a);
    case BC_OP_LOG10: return log10(a);
    case BC_OP_SQRT: return sqrt(a);
    case BC_OP_ABS: return fabs(a);
    case BC_OP_SIN: return sin(a);
    case BC_OP_COS: return cos(a);
    case BC_OP_TAN: return tan(a);
    case BC_OP_ARCSIN: return asin(a);
    case BC_OP_ARCCOS: return acos(a);
    case BC_OP_ARCTAN: return atan(a);
    case BC_OP_SINH: return sinh(a);
    case BC_OP_COSH: return cosh(a);
    case BC_OP_TANH: return tanh(a);
    case BC_OP_FLOOR: return floor(a);
    case BC_OP_CEIL: return ceil(a);
    case BC_OP_CLIP: {
        /* min(max(a, b), c) as numpy.clip: hi wins when lo > hi */
        if (isnan(a)) {
            return a;
        }
        double v = a < b ? b : a;
        return v > c ? c : v;
    }
    case BC_OP_LT: return a < b;
    case BC_OP_LE: return a <= b;
    case BC_OP_GT: return a > b;
    case BC_OP_GE: return a >= b;
    case BC_OP_EQ: return a == b;
    case BC_OP_NE: return a != b;
    case BC_OP_AND: return a != 0.0 && b != 0.0;
    case BC_OP_OR: return a != 0.0 || b != 0.0;
    case BC_OP_NOT: return a == 0.0;
    case BC_OP_WHERE: return a != 0.0 ? b : c;
    case BC_OP_RAND:
    case BC_OP_RANDN:
    case BC_OP_DIVEXPM1A:       /* test_div_expm1_pair */
    case BC_OP_DIVEXP1PA:
    case BC_OP_DIVEXPM1AS:      /* test_scaled_div_exp */
    case BC_OP_DIVEXP1PAS:
    case BC_OP_FMAADD:          /* test_fmaadd_as_unfused */
    case BC_OP_COUNT:
        break;
    }
    return NAN;
}

/* Own exp/log/sin/cos kernels: within 2 ulp of libm; the rest exact. */
static int
close_enough(int32_t op, double y, double ref)
{
    if (isnan(ref)) {
        return isnan(y);
    }
    if (op == BC_OP_EXP || op == BC_OP_LOG || op == BC_OP_SIN
        || op == BC_OP_COS || op == BC_OP_EXPM1 || op == BC_OP_EXPREL
        || op == BC_OP_EXPA || op == BC_OP_EXPM1A || op == BC_OP_EXPRELA
        || op == BC_OP_EXPRELS) {
        return y == ref || fabs(y - ref) <= 4.5e-16 * fabs(ref);
    }
    return y == ref && signbit(y) == signbit(ref);
}

static void
test_every_opcode(void)
{
    double state[3 * N_OP_IN];
    CHECK(BC_OP_COUNT == 54);
    for (int32_t op = 0; op < BC_OP_COUNT; op++) {
        if (op == BC_OP_RAND || op == BC_OP_RANDN || op == BC_OP_DIVEXPM1A
            || op == BC_OP_DIVEXP1PA || op == BC_OP_DIVEXPM1AS
            || op == BC_OP_DIVEXP1PAS
            || op == BC_OP_FMAADD) {        /* c: constants side by side */
            continue;
        }
        memcpy(state, in_a, sizeof in_a);
        memcpy(state + N_OP_IN, in_b, sizeof in_b);
        memcpy(state + 2 * N_OP_IN, in_c, sizeof in_c);
        /* dst = op(a, b, c) into a TEMP returned as out, and the same op
         * written over VAR a in place */
        builder b = {0};
        int32_t ra = var(&b, 0), rb = var(&b, 1), rc = var(&b, 2);
        int32_t t = temp(&b);
        emit(&b, op, t, ra, rb, rc);
        emit(&b, op, ra, ra, rb, rc);
        bc_program p = program(&b, t);
        CHECK(bc_program_check(&p, 3, 0) == BC_OK);
        bc_vm vm;
        CHECK(bc_vm_init(&vm, &p) == BC_OK);
        bc_vm_env env = {state, N_OP_IN, NULL, 0.0, 1, 0, 0};
        double out[N_OP_IN];
        bc_vm_run(&vm, &p, &env, 0, N_OP_IN, out);
        int ok_out = 1, ok_inplace = 1;
        for (int k = 0; k < N_OP_IN; k++) {
            double ref = reference(op, in_a[k], in_b[k], in_c[k]);
            ok_out &= close_enough(op, out[k], ref);
            ok_inplace &= close_enough(op, state[k], ref);
            if (!close_enough(op, out[k], ref)) {
                fprintf(stderr, "%s(%g, %g, %g) = %.17g, expected %.17g\n",
                        bc_opcode_name(op), in_a[k], in_b[k], in_c[k],
                        out[k], ref);
            }
        }
        CHECK(ok_out);
        CHECK(ok_inplace);
        bc_vm_free(&vm);
    }
}

static void
test_opcode_table(void)
{
    CHECK(strcmp(bc_opcode_name(BC_OP_MOV), "MOV") == 0);
    CHECK(strcmp(bc_opcode_name(BC_OP_RANDN), "RANDN") == 0);
    CHECK(bc_opcode_name(BC_OP_COUNT) == NULL);
    CHECK(bc_opcode_name(-1) == NULL);
    CHECK(bc_opcode_arity(BC_OP_FMA) == 3);
    CHECK(bc_opcode_arity(BC_OP_NEG) == 1);
    CHECK(bc_opcode_arity(BC_OP_RAND) == 0);
    CHECK(bc_opcode_arity(BC_OP_COUNT) == -1);
}

/* ---- in place over several blocks, ranges, TIME, CONST, ARRAY ---- */

static void
test_in_place_blocks(void)
{
    enum { N = 1000 };
    double *state = malloc(2 * N * sizeof *state);
    double *ext = malloc(N * sizeof *ext);
    double *out = malloc(N * sizeof *out);
    CHECK(state != NULL && ext != NULL && out != NULL);
    if (state == NULL || ext == NULL || out == NULL) {
        goto done;
    }
    for (int k = 0; k < N; k++) {
        state[k] = k;               /* x */
        state[N + k] = 0.5 * k;     /* y */
        ext[k] = 1000.0 + k;
    }
    /* x = x * 2; y = x + ext + t  (sees the new x) ; out = y */
    builder b = {0};
    int32_t x = var(&b, 0), y = var(&b, 1), two = cnst(&b, 2.0);
    int32_t e = array(&b, 0), t = add_reg(&b, BC_REG_TIME, 0, 0.0);
    int32_t tmp = temp(&b);
    emit(&b, BC_OP_MUL, x, x, two, 0);
    emit(&b, BC_OP_ADD, tmp, x, e, 0);
    emit(&b, BC_OP_ADD, y, tmp, t, 0);
    bc_program p = program(&b, y);
    CHECK(bc_program_check(&p, 2, 1) == BC_OK);
    CHECK(bc_program_check(&p, 2, 0) == BC_EINVAL);     /* needs 1 array */
    CHECK(bc_program_check(&p, 1, 1) == BC_EINVAL);     /* needs 2 rows */
    bc_vm vm;
    CHECK(bc_vm_init(&vm, &p) == BC_OK);
    const double *arrays[1] = {ext};
    bc_vm_env env = {state, N, arrays, 0.25, 1, 0, 0};
    /* a range that starts and ends mid-block */
    bc_vm_run(&vm, &p, &env, 100, 900, out);
    int ok = 1;
    for (int k = 0; k < N; k++) {
        int inside = k >= 100 && k < 900;
        double xk = inside ? 2.0 * k : k;
        double yk = inside ? 2.0 * k + 1000.0 + k + 0.25 : 0.5 * k;
        ok &= state[k] == xk && state[N + k] == yk;
        if (inside) {
            ok &= out[k - 100] == yk;
        }
    }
    CHECK(ok);
    /* TIME is refreshed per run; run everything again with a new t */
    env.t = 3.0;
    bc_vm_run(&vm, &p, &env, 0, N, NULL);
    ok = 1;
    for (int k = 0; k < N; k++) {
        int inside = k >= 100 && k < 900;
        double xk = inside ? 4.0 * k : 2.0 * k;
        ok &= state[k] == xk && state[N + k] == xk + 1000.0 + k + 3.0;
    }
    CHECK(ok);
    /* empty range: nothing happens */
    bc_vm_run(&vm, &p, &env, 5, 5, out);
    CHECK(state[5] == 10.0);
    bc_vm_free(&vm);
done:
    free(state);
    free(ext);
    free(out);
}

/* Two registers naming the same VAR row are the same storage, directly
 * and when gathered. */
static void
test_aliased_registers(void)
{
    enum { N = 300 };
    double direct[N], indexed[N];
    for (int k = 0; k < N; k++) {
        direct[k] = indexed[k] = k;
    }
    builder b = {0};
    int32_t v1 = var(&b, 0), v2 = var(&b, 0), one = cnst(&b, 1.0);
    int32_t t = temp(&b);
    emit(&b, BC_OP_ADD, v1, v1, one, 0);        /* v += 1 */
    emit(&b, BC_OP_MUL, t, v2, v2, 0);          /* t = v * v (new v) */
    emit(&b, BC_OP_ADD, v2, t, one, 0);         /* v = t + 1 */
    bc_program p = program(&b, t);
    CHECK(bc_program_check(&p, 1, 0) == BC_OK);
    bc_vm vm;
    CHECK(bc_vm_init(&vm, &p) == BC_OK);
    CHECK(vm.n_scatter == 1);
    bc_vm_env env = {direct, N, NULL, 0.0, 1, 0, 0};
    bc_vm_run(&vm, &p, &env, 0, N, NULL);
    bc_index idx[N];
    for (int k = 0; k < N; k++) {
        idx[k] = (bc_index)((k * 7) % N);
    }
    env.state = indexed;
    bc_vm_run_indexed(&vm, &p, &env, idx, N, NULL);
    int ok = 1;
    for (int k = 0; k < N; k++) {
        double want = (k + 1.0) * (k + 1.0) + 1.0;
        ok &= direct[k] == want && indexed[k] == want;
    }
    CHECK(ok);
    bc_vm_free(&vm);
}

/* ---- RAND / RANDN ---- */

static void
test_random(void)
{
    enum { N = 600 };
    double state[2 * N];
    memset(state, 0, sizeof state);
    builder b = {0};
    int32_t u = var(&b, 0), z = var(&b, 1);
    emit(&b, BC_OP_RAND, u, 3, 0, 0);
    emit(&b, BC_OP_RANDN, z, 4, 0, 0);
    bc_program p = program(&b, -1);
    CHECK(bc_program_check(&p, 2, 0) == BC_OK);
    bc_vm vm;
    CHECK(bc_vm_init(&vm, &p) == BC_OK);
    bc_vm_env env = {state, N, NULL, 0.0, 99, 512, 7};
    double out[N];
    bc_vm_run(&vm, &p, &env, 0, N, out);     /* out_reg -1: untouched */
    int ok = 1;
    for (int k = 0; k < N; k++) {
        ok &= state[k] == bc_rng_uniform_paired(99, 515, 7, (uint64_t)k);
        ok &= state[N + k] == bc_rng_normal(99, 516, 7, (uint64_t)k);
    }
    CHECK(ok);
    /* a subrange draws the same numbers for the same neurons */
    double saved = state[N + 450];
    state[N + 450] = 0.0;
    bc_vm_run(&vm, &p, &env, 440, 460, NULL);
    CHECK(state[N + 450] == saved);
    /* the next step draws new numbers */
    env.step = 8;
    bc_vm_run(&vm, &p, &env, 0, N, NULL);
    CHECK(state[N + 450] != saved);
    bc_vm_free(&vm);
}

/* ---- indexed runs ---- */

static void
test_indexed(void)
{
    enum { N = 1000, M = 300 };
    double *state = malloc(2 * N * sizeof *state);
    double *ref = malloc(2 * N * sizeof *ref);
    double *ext = malloc(N * sizeof *ext);
    bc_index *idx = malloc(M * sizeof *idx);
    CHECK(state && ref && ext && idx);
    if (!(state && ref && ext && idx)) {
        goto done;
    }
    for (int k = 0; k < N; k++) {
        state[k] = ref[k] = k;
        state[N + k] = ref[N + k] = -k;
        ext[k] = 0.001 * k;
    }
    /* distinct, unsorted indices over several blocks */
    for (int k = 0; k < M; k++) {
        idx[k] = (bc_index)((k * 337 + 11) % N);
    }
    /* x = x + ext + rand; y is only read; out = x > 500 */
    builder b = {0};
    int32_t x = var(&b, 0), y = var(&b, 1), e = array(&b, 0);
    int32_t r = temp(&b), t = temp(&b), c = cnst(&b, 500.0);
    int32_t cond = temp(&b);
    emit(&b, BC_OP_RAND, r, 0, 0, 0);
    emit(&b, BC_OP_ADD, t, e, r, 0);
    emit(&b, BC_OP_ADD, x, x, t, 0);
    emit(&b, BC_OP_SUB, t, x, y, 0);             /* reads y, never writes */
    emit(&b, BC_OP_GT, cond, x, c, 0);
    bc_program p = program(&b, cond);
    CHECK(bc_program_check(&p, 2, 1) == BC_OK);
    bc_vm vm;
    CHECK(bc_vm_init(&vm, &p) == BC_OK);
    CHECK(vm.n_scatter == 1);
    const double *arrays[1] = {ext};
    bc_vm_env env = {state, N, arrays, 0.0, 5, 256, 12};
    double out[M];
    bc_vm_run_indexed(&vm, &p, &env, idx, M, out);
    /* reference: the direct run over everything, then keep only idx */
    bc_vm_env env_ref = env;
    env_ref.state = ref;
    double out_ref[N];
    bc_vm_run(&vm, &p, &env_ref, 0, N, out_ref);
    char picked[N];
    memset(picked, 0, sizeof picked);
    for (int k = 0; k < M; k++) {
        picked[idx[k]] = 1;
    }
    int ok = 1, ok_out = 1;
    for (int k = 0; k < N; k++) {
        ok &= state[k] == (picked[k] ? ref[k] : (double)k);
        ok &= state[N + k] == -k;
    }
    for (int k = 0; k < M; k++) {
        ok_out &= out[k] == out_ref[idx[k]];
    }
    CHECK(ok);
    CHECK(ok_out);
    /* no indices: nothing happens */
    bc_vm_run_indexed(&vm, &p, &env, idx, 0, out);
    CHECK(state[idx[0]] == ref[idx[0]]);
    bc_vm_free(&vm);
done:
    free(state);
    free(ref);
    free(ext);
    free(idx);
}

/* ---- malformed programs ---- */

static bc_status
check_one(builder *b, int32_t out_reg, int32_t n_vars, int32_t n_arrays)
{
    bc_program p = program(b, out_reg);
    return bc_program_check(&p, n_vars, n_arrays);
}

/* A valid base: t = x + c; x = t */
static builder
base(void)
{
    builder b = {0};
    int32_t x = var(&b, 0), c = cnst(&b, 1.0), t = temp(&b);
    array(&b, 0);
    add_reg(&b, BC_REG_TIME, 0, 0.0);
    emit(&b, BC_OP_ADD, t, x, c, 0);
    emit(&b, BC_OP_MOV, x, t, 0, 0);
    return b;
}

static void
test_check_rejects(void)
{
    builder b = base();
    CHECK(check_one(&b, 2, 1, 1) == BC_OK);
    CHECK(check_one(&b, -1, 1, 1) == BC_OK);

    b = base(); b.code[0] = -1;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* bad opcode */
    b = base(); b.code[0] = BC_OP_COUNT;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);
    b = base(); b.code[1] = b.n_regs;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* dst range */
    b = base(); b.code[1] = -1;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);
    b = base(); b.code[1] = 1;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* dst CONST */
    b = base(); b.code[1] = 3;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* dst ARRAY */
    b = base(); b.code[1] = 4;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* dst TIME */
    b = base(); b.code[3] = b.n_regs;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* ADD's b */
    b = base(); b.code[2] = -5;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* ADD's a */
    b = base(); b.code[5 + 3] = 12345;                  /* MOV's b unused */
    CHECK(check_one(&b, -1, 1, 1) == BC_OK);
    b = base(); emit(&b, BC_OP_FMA, 2, 0, 1, 99);
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* FMA's c */
    b = base(); emit(&b, BC_OP_RAND, 2, 255, 777, 777);
    CHECK(check_one(&b, -1, 1, 1) == BC_OK);            /* literal a */
    b = base(); emit(&b, BC_OP_RAND, 2, 256, 0, 0);
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* sub-stream */
    b = base(); emit(&b, BC_OP_RANDN, 2, -1, 0, 0);
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);
    b = base(); emit(&b, BC_OP_RANDN, 1, 0, 0, 0);
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* RANDN to CONST */
    b = base();
    CHECK(check_one(&b, -1, 0, 1) == BC_EINVAL);        /* VAR row */
    CHECK(check_one(&b, -1, 1, 0) == BC_EINVAL);        /* ARRAY slot */
    b = base(); b.index[0] = -1;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);
    b = base(); b.kind[2] = 5;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);        /* reg kind */
    b = base(); b.kind[2] = -1;
    CHECK(check_one(&b, -1, 1, 1) == BC_EINVAL);
    b = base();
    CHECK(check_one(&b, b.n_regs, 1, 1) == BC_EINVAL);  /* out_reg */
    CHECK(check_one(&b, -2, 1, 1) == BC_EINVAL);

    b = base();
    bc_program p = program(&b, -1);
    p.code = NULL;
    CHECK(bc_program_check(&p, 1, 1) == BC_EINVAL);
    p = program(&b, -1);
    p.reg_kind = NULL;
    CHECK(bc_program_check(&p, 1, 1) == BC_EINVAL);
    p = program(&b, -1);
    p.reg_const = NULL;                                 /* has a CONST */
    CHECK(bc_program_check(&p, 1, 1) == BC_EINVAL);
    p = program(&b, -1);
    p.n_instr = -1;
    CHECK(bc_program_check(&p, 1, 1) == BC_EINVAL);
    p = program(&b, -1);
    p.n_regs = -3;
    CHECK(bc_program_check(&p, 1, 1) == BC_EINVAL);
    p = program(&b, -1);
    p.n_regs = 2;                   /* registers 2.. now out of range */
    CHECK(bc_program_check(&p, 1, 1) == BC_EINVAL);
    CHECK(bc_program_check(NULL, 1, 1) == BC_EINVAL);
}

static void
test_free_and_empty(void)
{
    bc_vm vm;
    memset(&vm, 0, sizeof vm);
    bc_vm_free(&vm);
    bc_vm_free(&vm);
    CHECK(vm.scratch == NULL && vm.reg == NULL);
    /* an empty program: valid, runs, does nothing */
    bc_program p = {.out_reg = -1};
    CHECK(bc_program_check(&p, 0, 0) == BC_OK);
    CHECK(bc_vm_init(&vm, &p) == BC_OK);
    double x[3] = {1, 2, 3};
    bc_vm_env env = {x, 3, NULL, 0.0, 0, 0, 0};
    bc_vm_run(&vm, &p, &env, 0, 3, NULL);
    bc_index idx[2] = {2, 0};
    bc_vm_run_indexed(&vm, &p, &env, idx, 2, NULL);
    CHECK(x[0] == 1 && x[1] == 2 && x[2] == 3);
    bc_vm_free(&vm);
    CHECK(vm.scratch == NULL && vm.n_regs == 0);
}

/* The fused linear prologue equals X <- A X + C computed naively, for the
 * specialised sizes and the generic one, across block boundaries. */
static void
test_linear_prologue(void)
{
    enum { N = 600 };
    for (int32_t m = 1; m <= 5; m++) {
        double state[5 * N], want[5 * N], a[25], c[5];
        for (int32_t k = 0; k < m * N; k++) {
            state[k] = want[k] = 0.001 * (double)((k * 37) % 101) - 0.05;
        }
        for (int32_t k = 0; k < m * m; k++) {
            a[k] = (k % 3 == 1) ? 0.0 : 0.1 * (double)(k + 1) / (double)m;
        }
        for (int32_t j = 0; j < m; j++) {
            c[j] = 0.01 * (double)(j + 1);
        }
        for (int32_t i = 0; i < N; i++) {
            double old[5];
            for (int32_t j = 0; j < m; j++) {
                old[j] = want[j * N + i];
            }
            for (int32_t j = 0; j < m; j++) {
                double acc = c[j];
                for (int32_t q = 0; q < m; q++) {
                    acc += a[j * m + q] * old[q];
                }
                want[j * N + i] = acc;
            }
        }
        bc_program p = {.out_reg = -1, .lin_n = m, .lin_a = a, .lin_c = c};
        CHECK(bc_program_check(&p, m, 0) == BC_OK);
        CHECK(bc_program_check(&p, m - 1, 0) == BC_EINVAL);
        bc_vm vm;
        CHECK(bc_vm_init(&vm, &p) == BC_OK);
        bc_vm_env env = {.state = state, .n = N};
        bc_vm_run(&vm, &p, &env, 0, N, NULL);
        double worst = 0.0;
        for (int32_t k = 0; k < m * N; k++) {
            double e = fabs(state[k] - want[k]);
            worst = e > worst ? e : worst;
        }
        CHECK(worst < 1e-15);
        bc_vm_free(&vm);
    }
}

/* The sparse prologue (compressed rows) gives the dense one's results bit
 * for bit, for every size (the fixed-size loops are dense only), and
 * malformed indices are refused. */
static void
test_sparse_linear_prologue(void)
{
    enum { N = 300 };
    for (int32_t m = 1; m <= 6; m++) {
        double dense_state[6 * N], sparse_state[6 * N], a[36], c[6];
        double values[36];
        int32_t index[7 + 36];
        int32_t n_entries = 0;
        for (int32_t k = 0; k < m * N; k++) {
            dense_state[k] = sparse_state[k] =
                0.001 * (double)((k * 53) % 97) - 0.04;
        }
        index[0] = 0;
        for (int32_t j = 0; j < m; j++) {
            c[j] = 0.02 * (double)(j + 1);
            for (int32_t i = 0; i < m; i++) {
                double v = ((i + 2 * j) % 3 == 0) ? 0.0
                           : 0.3 / (double)(1 + i + j);
                a[j * m + i] = v;
                if (v != 0.0) {
                    values[n_entries] = v;
                    index[m + 1 + n_entries] = i;
                    n_entries++;
                }
            }
            index[j + 1] = n_entries;
        }
        bc_program dense = {.out_reg = -1, .lin_n = m, .lin_a = a,
                            .lin_c = c};
        bc_program sparse = {.out_reg = -1, .lin_n = m, .lin_a = values,
                             .lin_c = c, .lin_index = index};
        CHECK(bc_program_check(&sparse, m, 0) == BC_OK);
        bc_vm vd, vs;
        CHECK(bc_vm_init(&vd, &dense) == BC_OK);
        CHECK(bc_vm_init(&vs, &sparse) == BC_OK);
        bc_vm_env ed = {.state = dense_state, .n = N};
        bc_vm_env es = {.state = sparse_state, .n = N};
        for (int step = 0; step < 3; step++) {
            bc_vm_run(&vd, &dense, &ed, 0, N, NULL);
            bc_vm_run(&vs, &sparse, &es, 0, N, NULL);
        }
        if (m > 3) {        /* the same loop: the same sums, bit for bit */
            CHECK(memcmp(dense_state, sparse_state,
                         (size_t)(m * N) * sizeof(double)) == 0);
        }
        else {              /* the fixed-size loops also add the zeros */
            double worst = 0.0;
            for (int32_t k = 0; k < m * N; k++) {
                double e = fabs(dense_state[k] - sparse_state[k]);
                worst = e > worst ? e : worst;
            }
            CHECK(worst < 1e-15);
        }
        bc_vm_free(&vd);
        bc_vm_free(&vs);
        if (m >= 2 && n_entries >= 2) {
            int32_t saved = index[m + 1];
            index[m + 1] = m;                   /* column out of range */
            CHECK(bc_program_check(&sparse, m, 0) == BC_EINVAL);
            index[m + 1] = saved;
            index[1] = index[2] + 1;            /* row starts decrease */
            CHECK(bc_program_check(&sparse, m, 0) == BC_EINVAL);
        }
    }
}

/* Constant operands (read once by the VM, not streamed) give the same
 * results as the same values held in variables, in every position. */
static void
test_constant_operands(void)
{
    enum { N = 300 };
    static const int32_t ops[] = {BC_OP_ADD, BC_OP_SUB, BC_OP_MUL, BC_OP_DIV,
                                  BC_OP_LT, BC_OP_LE, BC_OP_GT, BC_OP_GE,
                                  BC_OP_EQ, BC_OP_NE, BC_OP_FMA,
                                  BC_OP_WHERE, BC_OP_FMS, BC_OP_FNMA,
                                  BC_OP_SUBMUL, BC_OP_ADDMUL, BC_OP_MUL3,
                                  BC_OP_EXPA, BC_OP_EXPM1A, BC_OP_EXPRELA,
                                  BC_OP_EXPRELS, BC_OP_MUL3OM};
    const double value[3] = {0.75, -2.5, 0.0};
    for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
        int32_t op = ops[o];
        for (int mask = 1; mask < 8; mask++) {
            double state[3 * N], want[N], got[N];
            for (int k = 0; k < N; k++) {
                state[k] = (mask & 1) ? value[0] : 0.01 * (k % 17) - 0.08;
                state[N + k] = (mask & 2) ? value[1] : 0.5 - 0.03 * (k % 11);
                state[2 * N + k] = (mask & 4) ? value[2] : 0.1 * (k % 3);
            }
            /* reference: all operands as variables */
            builder r = {0};
            int32_t t = temp(&r);
            emit(&r, op, t, var(&r, 0), var(&r, 1), var(&r, 2));
            bc_program pr = program(&r, t);
            /* the same with the masked operands as constants */
            builder c = {0};
            int32_t x = (mask & 1) ? cnst(&c, value[0]) : var(&c, 0);
            int32_t y = (mask & 2) ? cnst(&c, value[1]) : var(&c, 1);
            int32_t z = (mask & 4) ? cnst(&c, value[2]) : var(&c, 2);
            int32_t u = temp(&c);
            emit(&c, op, u, x, y, z);
            bc_program pc = program(&c, u);
            run_both(&pr, &pc, state, N, want, got);
            CHECK(memcmp(want, got, sizeof want) == 0);
        }
    }
}

/* DIVEXPM1A(a, b, pair) gives the bits of DIV(a, EXPM1A(b, K0, K1)) for
 * streamed and constant a and b; check rejects a c that is not the first
 * of two constants. */
static void
test_div_expm1_pair(void)
{
    enum { N = 300 };
    for (int mask = 0; mask < 8; mask++) {
        /* mask 4: DIVEXP1PA against DIV(a, ADD(1, EXPA(b, K0, K1))) */
        int m1 = !(mask & 4);
        double state[2 * N], want[N], got[N];
        for (int k = 0; k < N; k++) {
            state[k] = (mask & 1) ? 0.75 : 0.01 * (k % 23) - 0.1;
            state[N + k] = (mask & 2) ? -0.5 : 0.3 * (k % 7) - 0.9;
        }
        /* a zero numerator, and expm1(0) = 0: a division by zero */
        state[3] = (mask & 1) ? 0.75 : 0.0;
        state[N + 3] = (mask & 2) ? -0.5 : 0.25;
        builder r = {0};
        int32_t x = var(&r, 0), y = var(&r, 1);
        int32_t k0 = cnst(&r, -4.0), k1 = cnst(&r, 1.0), t = temp(&r);
        if (m1) {
            emit(&r, BC_OP_EXPM1A, t, y, k0, k1);
        }
        else {
            emit(&r, BC_OP_EXPA, t, y, k0, k1);
            emit(&r, BC_OP_ADD, t, cnst(&r, 1.0), t, 0);
        }
        emit(&r, BC_OP_DIV, t, x, t, 0);
        bc_program pr = program(&r, t);
        builder c = {0};
        int32_t cx = (mask & 1) ? cnst(&c, 0.75) : var(&c, 0);
        int32_t cy = (mask & 2) ? cnst(&c, -0.5) : var(&c, 1);
        int32_t p0 = cnst(&c, -4.0);
        cnst(&c, 1.0);
        int32_t u = temp(&c);
        emit(&c, m1 ? BC_OP_DIVEXPM1A : BC_OP_DIVEXP1PA, u, cx, cy, p0);
        bc_program pc = program(&c, u);
        check_same_bits(&pr, &pc, state, N, want, got);
    }
    /* c must be a CONST followed by a CONST */
    builder b = {0};
    int32_t x = var(&b, 0), k = cnst(&b, 2.0), t = temp(&b);
    emit(&b, BC_OP_DIVEXPM1A, t, x, x, k);
    bc_program p = program(&b, t);
    CHECK(bc_program_check(&p, 1, 0) == BC_EINVAL);   /* k + 1 is a TEMP */
    b.code[4] = x;
    CHECK(bc_program_check(&p, 1, 0) == BC_EINVAL);   /* not a CONST */
    b.code[4] = t;
    CHECK(bc_program_check(&p, 1, 0) == BC_EINVAL);   /* the last register */
}

/* Identical bits, except that a NaN may differ in sign or payload: with
 * two NaN operands (a NaN input and inf*0's default NaN) the result is
 * whichever operand the compiler put first, and gcc may swap the operands
 * of a product (as it may in any unfused instruction). */
static int
same_bits_or_both_nan(const double *x, const double *y, int n)
{
    for (int k = 0; k < n; k++) {
        if (isnan(x[k]) ? !isnan(y[k]) : memcmp(x + k, y + k, sizeof *x)) {
            return 0;
        }
    }
    return 1;
}

/* MUL3OM(a, b, c) gives the bits of MUL3(a, b, SUB(1, c)), streamed or
 * with constant operands, over a sweep of values including signed zeros,
 * infinities, NaN, huge and subnormal numbers. */
static void
test_mul3om_as_unfused(void)
{
    enum { N_SWEEP = 14, N = N_SWEEP * N_SWEEP * N_SWEEP };
    static const double sweep[N_SWEEP] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 1.0 + 0x1p-52, 3.7e-3, -123.25,
        INFINITY, -INFINITY, NAN, 1e300, -1e-310, 0x1p-1074};
    static double state[3 * N], want[N], got[N];
    for (int k = 0; k < N; k++) {
        state[k] = sweep[k % N_SWEEP];
        state[N + k] = sweep[(k / N_SWEEP) % N_SWEEP];
        state[2 * N + k] = sweep[k / (N_SWEEP * N_SWEEP)];
    }
    for (int mask = 0; mask < 8; mask++) {
        const double value[3] = {-2.5, 1000.0, 0.25};
        builder r = {0};
        int32_t x = var(&r, 0), y = var(&r, 1), z = var(&r, 2);
        int32_t one = cnst(&r, 1.0), s = temp(&r), t = temp(&r);
        /* the unfused pair, every operand streamed (a constant block holds
         * the same values) */
        emit(&r, BC_OP_SUB, s, one, z, 0);
        emit(&r, BC_OP_MUL3, t, x, y, s);
        bc_program pr = program(&r, t);
        builder c = {0};
        int32_t cx = (mask & 1) ? cnst(&c, value[0]) : var(&c, 0);
        int32_t cy = (mask & 2) ? cnst(&c, value[1]) : var(&c, 1);
        int32_t cz = (mask & 4) ? cnst(&c, value[2]) : var(&c, 2);
        int32_t u = temp(&c);
        emit(&c, BC_OP_MUL3OM, u, cx, cy, cz);
        bc_program pc = program(&c, u);
        CHECK(bc_program_check(&pr, 3, 0) == BC_OK);
        CHECK(bc_program_check(&pc, 3, 0) == BC_OK);
        double *rows = malloc(sizeof state);
        CHECK(rows != NULL);
        memcpy(rows, state, sizeof state);
        for (int k = 0; k < N; k++) {
            for (int j = 0; j < 3; j++) {
                if (mask & (1 << j)) {
                    rows[j * N + k] = value[j];
                }
            }
        }
        run_both(&pr, &pc, rows, N, want, got);
        CHECK(same_bits_or_both_nan(want, got, N));
        free(rows);
    }
}

/* FMAADD(a, b, K0, K1) gives the bits of ADD(b, FMA(a, K0, K1)), a and
 * b streamed or constant, over a sweep with signed zeros, infinities,
 * NaN, huge and subnormal numbers, and for constants whose product or sum
 * rounds; check rejects a c + 1 that is not a CONST. */
static void
test_fmaadd_as_unfused(void)
{
    enum { N_SWEEP = 14, N = N_SWEEP * N_SWEEP };
    static const double sweep[N_SWEEP] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 1.0 + 0x1p-52, 3.7e-3, -123.25,
        INFINITY, -INFINITY, NAN, 1e300, -1e-310, 0x1p-1074};
    static const double pairs[3][2] = {
        {500000.0, 1e-4}, {0.1, -0.0}, {-1e-300, 1e300}};
    for (int kp = 0; kp < 3; kp++) {
        for (int mask = 0; mask < 4; mask++) {
            const double value[2] = {-2.5, 0.3};
            double state[2 * N], want[N], got[N];
            for (int k = 0; k < N; k++) {
                state[k] = (mask & 1) ? value[0] : sweep[k % N_SWEEP];
                state[N + k] = (mask & 2) ? value[1] : sweep[k / N_SWEEP];
            }
            builder r = {0};
            int32_t x = var(&r, 0), y = var(&r, 1);
            int32_t k0 = cnst(&r, pairs[kp][0]), k1 = cnst(&r, pairs[kp][1]);
            int32_t t = temp(&r);
            emit(&r, BC_OP_FMA, t, x, k0, k1);
            emit(&r, BC_OP_ADD, t, y, t, 0);
            bc_program pr = program(&r, t);
            builder c = {0};
            int32_t cx = (mask & 1) ? cnst(&c, value[0]) : var(&c, 0);
            int32_t cy = (mask & 2) ? cnst(&c, value[1]) : var(&c, 1);
            int32_t p0 = cnst(&c, pairs[kp][0]);
            cnst(&c, pairs[kp][1]);
            int32_t u = temp(&c);
            emit(&c, BC_OP_FMAADD, u, cx, cy, p0);
            bc_program pc = program(&c, u);
            CHECK(bc_program_check(&pr, 2, 0) == BC_OK);
            CHECK(bc_program_check(&pc, 2, 0) == BC_OK);
            run_both(&pr, &pc, state, N, want, got);
            CHECK(same_bits_or_both_nan(want, got, N));
        }
    }
    builder b = {0};
    int32_t x = var(&b, 0), k = cnst(&b, 2.0), t = temp(&b);
    emit(&b, BC_OP_FMAADD, t, x, x, k);
    bc_program p = program(&b, t);
    CHECK(bc_program_check(&p, 1, 0) == BC_EINVAL);   /* k + 1 is a TEMP */
}

/* DIVEXPM1AS and DIVEXP1PAS (a, b, K0..K2) give the bits of MUL(K2,
 * DIVEXPM1A or DIVEXP1PA (a, b, K0, K1)), a and b streamed or constant,
 * over a sweep with signed zeros, infinities, NaN, huge and tiny values
 * and divisions by zero; check rejects a c + 2 that is not a CONST. */
static void
test_scaled_div_exp(void)
{
    enum { N_SWEEP = 16, N = N_SWEEP * N_SWEEP };
    static const double sweep[N_SWEEP] = {
        0.0, -0.0, 1.0, -1.0, 0.25, 3.7e-3, -123.25, 750.0, -750.0,
        INFINITY, -INFINITY, NAN, 1e300, -1e-310, 0x1p-1074, 0.0625};
    static const double scale[3] = {1000.0, -0.5, INFINITY};
    static double state[2 * N], want[N], got[N];
    for (int k = 0; k < N; k++) {
        state[k] = sweep[k % N_SWEEP];
        state[N + k] = sweep[k / N_SWEEP];
    }
    for (int fused = 0; fused < 2; fused++) {
        int32_t op = fused ? BC_OP_DIVEXP1PA : BC_OP_DIVEXPM1A;
        int32_t op_s = fused ? BC_OP_DIVEXP1PAS : BC_OP_DIVEXPM1AS;
        for (int mask = 0; mask < 4; mask++) {
            for (int s = 0; s < 3; s++) {
                builder r = {0};
                int32_t x = (mask & 1) ? cnst(&r, -2.5) : var(&r, 0);
                int32_t y = (mask & 2) ? cnst(&r, 0.75) : var(&r, 1);
                int32_t p0 = cnst(&r, -4.0);
                cnst(&r, 1.0);
                int32_t k2 = cnst(&r, scale[s]), t = temp(&r);
                emit(&r, op, t, x, y, p0);
                emit(&r, BC_OP_MUL, t, k2, t, 0);
                bc_program pr = program(&r, t);
                builder c = {0};
                int32_t cx = (mask & 1) ? cnst(&c, -2.5) : var(&c, 0);
                int32_t cy = (mask & 2) ? cnst(&c, 0.75) : var(&c, 1);
                int32_t q0 = cnst(&c, -4.0);
                cnst(&c, 1.0);
                cnst(&c, scale[s]);
                int32_t u = temp(&c);
                emit(&c, op_s, u, cx, cy, q0);
                bc_program pc = program(&c, u);
                check_same_bits(&pr, &pc, state, N, want, got);
            }
        }
    }
    builder b = {0};
    int32_t x = var(&b, 0), k = cnst(&b, 2.0);
    cnst(&b, 3.0);
    int32_t t = temp(&b);
    emit(&b, BC_OP_DIVEXPM1AS, t, x, x, k);
    bc_program p = program(&b, t);
    CHECK(bc_program_check(&p, 1, 0) == BC_EINVAL);   /* k + 2 is a TEMP */
    b.code[0] = BC_OP_DIVEXPM1A;
    CHECK(bc_program_check(&p, 1, 0) == BC_OK);        /* a pair suffices */
}

/* A mapped run over a range (own rows in place, group rows gathered
 * through their maps) gives the bits of the same run over the same
 * elements listed: own rows written and read again through an aliased
 * register, a group row read through one map and another written
 * through a permutation, RAND, and the out register; N is not a
 * multiple of either block size. */
static void
test_mapped_range_as_listed(void)
{
    enum { N = 700, NG = 50 };
    static double own[2][2][N], grp[2][NG], tgt[2][N], out[2][N];
    static bc_index map_pre[N], map_post[N], ids[N];
    for (int k = 0; k < N; k++) {
        map_pre[k] = (bc_index)((k * 7) % NG);
        map_post[k] = (bc_index)((k * 31) % N);     /* 31 is prime to 700 */
        ids[k] = k;
    }
    builder b = {0};
    int32_t a = var(&b, 0), bb = var(&b, 1), g = var(&b, 2), h = var(&b, 3);
    int32_t a2 = var(&b, 0), t = temp(&b), half = cnst(&b, 0.5);
    emit(&b, BC_OP_RAND, t, 3, 0, 0);
    emit(&b, BC_OP_FMA, t, g, half, t);
    emit(&b, BC_OP_MUL, a, bb, t, 0);
    emit(&b, BC_OP_ADD, bb, a2, h, 0);
    emit(&b, BC_OP_ADD, h, h, a, 0);
    bc_program p = program(&b, bb);
    CHECK(bc_program_check(&p, 4, 0) == BC_OK);
    for (int run = 0; run < 2; run++) {
        for (int k = 0; k < N; k++) {
            own[run][0][k] = 0.25 * k - 3.0;
            own[run][1][k] = 1.0 / (k + 1.0);
            tgt[run][k] = 0.001 * k * k;
        }
        for (int k = 0; k < NG; k++) {
            grp[run][k] = 2.0 - 0.125 * k;
        }
        double *row[4] = {own[run][0], own[run][1], grp[run], tgt[run]};
        int8_t space[4] = {0, 0, 1, 2};
        bc_vm_rows rows = {.n_rows = 4, .row = row, .space = space,
                           .map = {map_pre, map_post}};
        bc_vm_env env = {.state = NULL, .n = N, .t = 0.0, .seed = 5,
                         .stream = 9, .step = 3};
        bc_vm vm;
        CHECK(bc_vm_init(&vm, &p) == BC_OK);
        bc_vm_run_mapped(&vm, &p, &env, &rows, run ? ids : NULL, 0, N,
                         out[run]);
        bc_vm_free(&vm);
    }
    CHECK(memcmp(own[0], own[1], sizeof own[0]) == 0);
    CHECK(memcmp(tgt[0], tgt[1], sizeof tgt[0]) == 0);
    CHECK(memcmp(grp[0], grp[1], sizeof grp[0]) == 0);
    CHECK(memcmp(out[0], out[1], sizeof out[0]) == 0);
    /* and the values are the program's: b = a + h (a read again through
     * its alias after its write), h += a */
    int ok = 1;
    for (int k = 0; k < N; k++) {
        double m = (double)map_post[k], h0 = 0.001 * m * m;
        ok &= own[0][1][k] == own[0][0][k] + h0;
        ok &= tgt[0][map_post[k]] == h0 + own[0][0][k];
    }
    CHECK(ok);
}

int
main(void)
{
    test_opcode_table();
    test_every_opcode();
    test_mul3om_as_unfused();
    test_scaled_div_exp();
    test_fmaadd_as_unfused();
    test_in_place_blocks();
    test_aliased_registers();
    test_random();
    test_indexed();
    test_check_rejects();
    test_free_and_empty();
    test_linear_prologue();
    test_sparse_linear_prologue();
    test_constant_operands();
    test_div_expm1_pair();
    test_mapped_range_as_listed();
    return check_report();
}
