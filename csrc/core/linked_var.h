/* linked_var.h -- C core: Brian 1's linked_var.  Once per step, in its
 * slot, a link evaluates a program over a window of its source group (the
 * source variable or one of its static equations, passed through the
 * user's function when that is an expression) and writes the values into
 * a window of the target's state: one value per neuron, or a source of
 * one neuron broadcast to every target neuron. */
#ifndef BC_LINKED_VAR_H
#define BC_LINKED_VAR_H

#include "expr_vm.h"
#include "neuron_group.h"
#include "types.h"

typedef struct bc_linked_var {
    const bc_group *source;     /* borrowed; its state, seed and stream */
    const bc_program *program;  /* borrowed; out_reg holds the value */
    const double *const *arrays;/* borrowed; the program's ARRAY inputs */
    bc_index first, n_source;   /* source window [first, first+n_source) */
    double *dst;                /* borrowed; n_dst values written, must not
                                   overlap the source's state unless it is
                                   the same window of the same row */
    bc_index n_dst;             /* n_source, or any if n_source == 1 */
    double dt;                  /* seconds per step of the link's clock */
    bc_vm vm;                   /* owned */
    double *values;             /* owned; n_source values */
} bc_linked_var;

/* BC_EINVAL unless the program passes bc_program_check against the source
 * (n_arrays ARRAY inputs) and has an output register, the window lies in
 * the source group and the sizes agree; BC_ENOMEM on allocation failure.
 * The struct is safe to free after any failure. */
bc_status bc_linked_var_init(bc_linked_var *l, const bc_group *source,
                             const bc_program *program,
                             const double *const *arrays, int32_t n_arrays,
                             bc_index first, bc_index n_source, double *dst,
                             bc_index n_dst, double dt);
void bc_linked_var_free(bc_linked_var *l);  /* safe on a zeroed struct */

/* dst = the program's values at step `step` (a bc_task_fn). */
bc_status bc_linked_var_run(void *object, bc_step step);

#endif
