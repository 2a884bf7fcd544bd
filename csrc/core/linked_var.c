/* linked_var.c -- C core: a group variable set from another group's
 * every step (Brian 1's linked_var). */
#include "linked_var.h"

#include <stdlib.h>
#include <string.h>

bc_status
bc_linked_var_init(bc_linked_var *l, const bc_group *source,
                   const bc_program *program, const double *const *arrays,
                   int32_t n_arrays, bc_index first, bc_index n_source,
                   double *dst, bc_index n_dst, double dt)
{
    memset(l, 0, sizeof(*l));
    if (source == NULL || program == NULL || dst == NULL ||
        program->out_reg < 0 || first < 0 || n_source < 1 ||
        first > source->n - n_source || n_dst < 1 ||
        !(n_dst == n_source || n_source == 1) || !(dt > 0.0)) {
        return BC_EINVAL;
    }
    bc_status st = bc_program_check(program, source->n_vars, n_arrays);
    if (st != BC_OK) {
        return st;
    }
    l->values = malloc((size_t)n_source * sizeof(double));
    if (l->values == NULL) {
        return BC_ENOMEM;
    }
    st = bc_vm_init(&l->vm, program);
    if (st != BC_OK) {
        bc_linked_var_free(l);
        return st;
    }
    l->source = source;
    l->program = program;
    l->arrays = arrays;
    l->first = first;
    l->n_source = n_source;
    l->dst = dst;
    l->n_dst = n_dst;
    l->dt = dt;
    return BC_OK;
}

void
bc_linked_var_free(bc_linked_var *l)
{
    bc_vm_free(&l->vm);
    free(l->values);
    memset(l, 0, sizeof(*l));
}

bc_status
bc_linked_var_run(void *object, bc_step step)
{
    bc_linked_var *l = object;
    const bc_group *g = l->source;
    bc_vm_env env = {
        .state = g->state, .n = g->n, .arrays = l->arrays,
        .t = (double)step * l->dt, .seed = g->seed, .stream = g->stream,
        .step = step,
    };
    /* Values first, then the copy: the target may be the source group. */
    bc_vm_run(&l->vm, l->program, &env, l->first, l->first + l->n_source,
              l->values);
    if (l->n_source == 1) {
        double v = l->values[0];
        for (bc_index i = 0; i < l->n_dst; i++) {
            l->dst[i] = v;
        }
    } else {
        memcpy(l->dst, l->values, (size_t)l->n_dst * sizeof(double));
    }
    return BC_OK;
}
