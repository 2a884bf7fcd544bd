/* expr_vm.h -- C core: run a compiled expression program over a block of
 * neurons.  Programs come from brianc/_expr_compiler.py; the format is in
 * docs/ARCHITECTURE.md section 2. */
#ifndef BC_EXPR_VM_H
#define BC_EXPR_VM_H

#include "types.h"

#define BC_BLOCK 256

typedef enum bc_opcode {
#define BC_OP(name, n_args) BC_OP_##name,
#include "opcodes.def"
#undef BC_OP
    BC_OP_COUNT
} bc_opcode;

typedef enum bc_reg_kind {
    BC_REG_TEMP = 0,    /* scratch block owned by the VM */
    BC_REG_CONST = 1,   /* reg_const[r], broadcast */
    BC_REG_VAR = 2,     /* state row reg_index[r], read and written in place */
    BC_REG_ARRAY = 3,   /* external read-only array reg_index[r], length n */
    BC_REG_TIME = 4     /* current time in seconds, broadcast */
} bc_reg_kind;

typedef struct bc_program {
    int32_t n_instr;
    const int32_t *code;        /* borrowed; n_instr * 5: op, dst, a, b, c */
    int32_t n_regs;
    const int32_t *reg_kind;    /* borrowed; n_regs bc_reg_kind values */
    const int32_t *reg_index;   /* borrowed; n_regs: VAR row or ARRAY slot */
    const double *reg_const;    /* borrowed; n_regs: CONST values */
    int32_t out_reg;            /* register returned to the caller, or -1 */
    /* Optional linear prologue: before the instructions, each block does
     * X <- A X + C on state rows 0..lin_n-1 in one fused pass (Brian 1's
     * exact linear updater; far fewer passes over memory than the same
     * update as instructions). */
    int32_t lin_n;              /* 0: none */
    const double *lin_a;        /* borrowed; lin_n * lin_n, row-major, or
                                   with lin_index the nonzero entries */
    const double *lin_c;        /* borrowed; lin_n */
    /* Optional sparse A (rows of many equations are mostly zeros): NULL
     * for a dense lin_a, else lin_n + 1 row starts followed by the column
     * of each entry, ascending within a row; lin_a then holds
     * lin_index[lin_n] values.  Same sums in the same order as dense. */
    const int32_t *lin_index;   /* borrowed */
} bc_program;

/* Where a program reads and writes when it runs. */
typedef struct bc_vm_env {
    double *state;              /* borrowed; n_vars rows of n values */
    bc_index n;                 /* neurons in the group (row length) */
    const double *const *arrays;/* borrowed; external arrays, each n long */
    double t;                   /* current time, seconds */
    uint64_t seed;              /* engine seed */
    uint64_t stream;            /* base stream; RAND/RANDN add their a */
    bc_step step;               /* current step, the generator's counter */
} bc_vm_env;

typedef struct bc_vm {
    double *scratch;            /* owned; BC_BLOCK doubles per register,
                                   64-byte aligned; CONST blocks filled
                                   once, TIME blocks per run */
    double **reg;               /* owned; n_regs per-block pointers */
    int32_t *home;              /* owned; n_regs: for VAR/ARRAY registers
                                   the first register naming the same row
                                   or slot (indexed runs gather it once) */
    int32_t *scatter;           /* owned; n_scatter home registers of VAR
                                   rows the program writes */
    int32_t n_scatter;
    int32_t n_regs;
    double *lin_old;            /* owned; lin_n blocks, for lin_n > 3 */
} bc_vm;

/* Opcode table from opcodes.def, for the binding's _core.OPCODES. */
const char *bc_opcode_name(int32_t op);     /* "ADD"; NULL if unknown */
int32_t bc_opcode_arity(int32_t op);        /* register operands; -1 */

/* BC_OK if p is safe to run on a group with n_vars state rows and
 * n_arrays external arrays, else BC_EINVAL: every opcode known; every
 * operand the opcode uses (arity from opcodes.def; dst always) is a
 * register in [0, n_regs), except RAND/RANDN's a, a literal sub-stream in
 * [0, 256); dst is a TEMP or VAR register; reg_kind values known; VAR
 * rows in [0, n_vars); ARRAY slots in [0, n_arrays); out_reg -1 or a
 * register; the arrays non-NULL where needed.  Unused operands are not
 * looked at. */
bc_status bc_program_check(const bc_program *p, int32_t n_vars,
                           int32_t n_arrays);

/* Scratch for a program that passed bc_program_check.  BC_ENOMEM on
 * allocation failure (vm is then safe to free). */
bc_status bc_vm_init(bc_vm *vm, const bc_program *p);
void bc_vm_free(bc_vm *vm);     /* safe on a zeroed struct; zeroes it */

/* Run p for neurons [start, end) of the group (0 <= start, end <= env->n),
 * in place on env->state.  Instructions run one after the other over a
 * block of BC_BLOCK neurons, so a VAR written by one instruction is seen
 * by the next.  RAND/RANDN draw with index = neuron number in the group.
 * If out is not NULL and p->out_reg >= 0, out receives end - start values
 * of p->out_reg.  env->arrays must not overlap env->state (except being
 * exactly a state row); vm must come from bc_vm_init(vm, p). */
void bc_vm_run(bc_vm *vm, const bc_program *p, const bc_vm_env *env,
               bc_index start, bc_index end, double *out);

/* Run p for the neurons idx[0..n_idx) (distinct, each in [0, env->n)):
 * VAR and ARRAY registers are gathered into scratch, and VAR rows the
 * program writes are scattered back after each block.  RAND/RANDN use
 * idx[k] as the index, so a neuron draws the same numbers as in
 * bc_vm_run.  out as above, in idx order. */
void bc_vm_run_indexed(bc_vm *vm, const bc_program *p, const bc_vm_env *env,
                       const bc_index *idx, bc_index n_idx, double *out);

/* Where the VAR rows of a mapped run live (synapses: a program over
 * synapses reads the synapse's own row, its presynaptic neuron's and its
 * postsynaptic neuron's).  Element e of the run reads VAR row r at
 * row[r][e * stride[r]] when space[r] == 0 (stride NULL: 1, consecutive
 * values; more when the rows are interleaved, several variables of one
 * element side by side), else at row[r][map[space[r] - 1][e]]. */
typedef struct bc_vm_rows {
    int32_t n_rows;
    double *const *row;         /* borrowed; n_rows row pointers */
    const int8_t *space;        /* borrowed; n_rows values in 0..2 */
    const bc_index *map[2];     /* borrowed; element -> position */
    const bc_index *stride;     /* borrowed; n_rows strides (>= 1) of the
                                   rows of space 0, or NULL */
} bc_vm_rows;

/* Run p (no linear prologue, no ARRAY registers) for the elements
 * ids[0..n_ids), or first..first + n_ids - 1 when ids is NULL: every VAR
 * register is gathered through `rows`, written rows are scattered back
 * after each block.  Two elements of one call must not share a position
 * in a row the program writes (the caller splits such lists).  RAND and
 * RANDN use the element number as the index.  VAR rows of p must be in
 * [0, rows->n_rows) (bc_program_check with n_vars = rows->n_rows). */
void bc_vm_run_mapped(bc_vm *vm, const bc_program *p, const bc_vm_env *env,
                      const bc_vm_rows *rows, const bc_index *ids,
                      bc_index first, bc_index n_ids, double *out);

#endif
