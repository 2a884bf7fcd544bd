/* state_monitor.c -- C core: state sampling in its schedule slot. */
#include "state_monitor.h"

#include <stdlib.h>
#include <string.h>

bc_status
bc_state_monitor_init(bc_state_monitor *m, bc_group *group, bc_index origin,
                      bc_index n, int32_t var, bc_index n_rec,
                      const bc_index *rec, bc_step timestep, int stats)
{
    memset(m, 0, sizeof(*m));
    bc_buffer_init(&m->values, sizeof(double));
    bc_buffer_init(&m->steps, sizeof(bc_step));
    if (n < 1 || origin < 0 || origin > group->n - n || var < -1 ||
        var >= group->n_vars || n_rec < 0 || timestep < 1) {
        return BC_ERANGE;
    }
    for (bc_index k = 0; k < n_rec; k++) {
        if (rec[k] < 0 || rec[k] >= n) {
            return BC_ERANGE;
        }
    }
    m->group = group;
    m->origin = origin;
    m->n = n;
    m->var = var;
    m->timestep = timestep;
    m->n_rec = n_rec;
    m->rec = malloc(((size_t)n_rec + 1) * sizeof(bc_index));
    if (m->rec == NULL) {
        return BC_ENOMEM;
    }
    if (n_rec > 0) {
        memcpy(m->rec, rec, (size_t)n_rec * sizeof(bc_index));
    }
    m->stats = stats;
    if (stats) {
        m->sum = calloc((size_t)n, sizeof(double));
        m->sumsq = calloc((size_t)n, sizeof(double));
        if (m->sum == NULL || m->sumsq == NULL) {
            return BC_ENOMEM;
        }
    }
    return BC_OK;
}

bc_status
bc_state_monitor_set_program(bc_state_monitor *m, const bc_program *p,
                             const double *const *arrays)
{
    if (p->out_reg < 0) {
        return BC_EINVAL;
    }
    bc_vm_free(&m->program.vm);
    bc_status st = bc_vm_init(&m->program.vm, p);
    if (st != BC_OK) {
        return st;
    }
    if (m->scratch == NULL &&
        (m->scratch = malloc((size_t)m->n * sizeof(double))) == NULL) {
        return BC_ENOMEM;
    }
    m->program.prog = *p;
    m->program.arrays = arrays;
    m->program.active = 1;
    m->var = -1;
    return BC_OK;
}

bc_status
bc_state_monitor_set_capacity(bc_state_monitor *m, size_t capacity)
{
    if (capacity == 0) {
        return BC_EINVAL;
    }
    bc_state_monitor_clear(m);
    if (bc_buffer_reserve(&m->values, capacity * (size_t)m->n_rec) != BC_OK
        || bc_buffer_reserve(&m->steps, capacity) != BC_OK) {
        return BC_ENOMEM;
    }
    m->capacity = capacity;
    return BC_OK;
}

void
bc_state_monitor_free(bc_state_monitor *m)
{
    bc_vm_free(&m->program.vm);
    bc_buffer_free(&m->values);
    bc_buffer_free(&m->steps);
    free(m->scratch);
    free(m->rec);
    free(m->sum);
    free(m->sumsq);
    m->scratch = NULL;
    m->rec = NULL;
    m->sum = m->sumsq = NULL;
}

void
bc_state_monitor_clear(bc_state_monitor *m)
{
    bc_buffer_clear(&m->values);
    bc_buffer_clear(&m->steps);
    m->calls = 0;
    m->n_stat = 0;
    m->ring_next = 0;
    if (m->stats) {
        memset(m->sum, 0, (size_t)m->n * sizeof(double));
        memset(m->sumsq, 0, (size_t)m->n * sizeof(double));
    }
}

bc_status
bc_state_monitor_restore(bc_state_monitor *m, const bc_state_record *r)
{
    size_t n_rec = (size_t)m->n_rec;
    if (r->calls < 0 || r->n_stat < 0 ||
        (m->capacity > 0 && r->samples > m->capacity) ||
        (m->stats && (r->sum == NULL || r->sumsq == NULL))) {
        return BC_ERANGE;
    }
    if (n_rec > 0 && r->samples > SIZE_MAX / n_rec) {
        return BC_ENOMEM;
    }
    /* A ring keeps its reserved room: assign never shrinks a buffer. */
    bc_status st = bc_buffer_assign(&m->values, r->values,
                                    r->samples * n_rec);
    if (st == BC_OK) {
        st = bc_buffer_assign(&m->steps, r->steps, r->samples);
    }
    if (st != BC_OK) {
        bc_state_monitor_clear(m);
        return st;
    }
    m->ring_next = 0;           /* oldest first, as given */
    m->calls = r->calls;
    m->n_stat = r->n_stat;
    if (m->stats) {
        memcpy(m->sum, r->sum, (size_t)m->n * sizeof(double));
        memcpy(m->sumsq, r->sumsq, (size_t)m->n * sizeof(double));
    }
    return BC_OK;
}

bc_status
bc_state_monitor_record(bc_state_monitor *m, bc_step step)
{
    bc_step call = m->calls++;
    if (call % m->timestep != 0) {
        return BC_OK;
    }
    const double *x;
    if (m->program.active) {
        bc_vm_env env = {
            .state = m->group->state, .n = m->group->n,
            .arrays = m->program.arrays,
            .t = (double)step * m->group->dt, .seed = m->group->seed,
            .stream = m->group->stream, .step = step,
        };
        bc_vm_run(&m->program.vm, &m->program.prog, &env, m->origin,
                  m->origin + m->n, m->scratch);
        x = m->scratch;
    } else {
        x = m->group->state + (size_t)m->var * (size_t)m->group->n +
            m->origin;
    }
    size_t sample = m->steps.length;
    if (m->capacity > 0 && sample == m->capacity) {
        sample = m->ring_next;      /* full: overwrite the oldest */
        m->ring_next = (m->ring_next + 1) % m->capacity;
    } else if (bc_buffer_reserve(&m->values, (size_t)m->n_rec) != BC_OK ||
               bc_buffer_reserve(&m->steps, 1) != BC_OK) {
        return BC_ENOMEM;
    } else {
        m->values.length += (size_t)m->n_rec;
        m->steps.length++;
    }
    double *out = (double *)m->values.data + sample * (size_t)m->n_rec;
    for (bc_index k = 0; k < m->n_rec; k++) {
        out[k] = x[m->rec[k]];
    }
    ((bc_step *)m->steps.data)[sample] = step;
    if (m->stats) {
        for (bc_index i = 0; i < m->n; i++) {
            m->sum[i] += x[i];
            m->sumsq[i] += x[i] * x[i];
        }
        m->n_stat++;
    }
    return BC_OK;
}
