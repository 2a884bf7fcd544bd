/* spike_monitor.c -- C core: spike recording in the connection phase. */
#include "spike_monitor.h"

#include <stdlib.h>
#include <string.h>

#include "connection.h"

bc_status
bc_spike_monitor_init(bc_spike_monitor *m, bc_group *source,
                      bc_index origin, bc_index n, int32_t delay_steps,
                      int record, int count, bc_step bin_steps)
{
    memset(m, 0, sizeof(*m));
    bc_buffer_init(&m->index, sizeof(bc_index));
    bc_buffer_init(&m->step, sizeof(bc_step));
    bc_buffer_init(&m->bins, sizeof(int64_t));
    bc_buffer_init(&m->bin_start, sizeof(bc_step));
    bc_buffer_init(&m->values, sizeof(double));
    if (n < 1 || origin < 0 || origin > source->n - n || delay_steps < 0 ||
        bin_steps < 0) {
        return BC_ERANGE;
    }
    m->source = source;
    m->origin = origin;
    m->n = n;
    m->delay_steps = delay_steps;
    m->record = record;
    m->bin_steps = bin_steps;
    if (count) {
        m->count = calloc((size_t)n, sizeof(int64_t));
        if (m->count == NULL) {
            return BC_ENOMEM;
        }
    }
    return BC_OK;
}

void
bc_spike_monitor_free(bc_spike_monitor *m)
{
    bc_buffer_free(&m->index);
    bc_buffer_free(&m->step);
    bc_buffer_free(&m->bins);
    bc_buffer_free(&m->bin_start);
    bc_buffer_free(&m->values);
    free(m->count);
    free(m->vars);
    m->count = NULL;
    m->vars = NULL;
    m->n_vars = 0;
}

bc_status
bc_spike_monitor_set_vars(bc_spike_monitor *m, int32_t n_vars,
                          const int32_t *vars)
{
    if (n_vars < 0 || !m->record) {
        return BC_EINVAL;
    }
    for (int32_t k = 0; k < n_vars; k++) {
        if (vars[k] < 0 || vars[k] >= m->source->n_vars) {
            return BC_ERANGE;
        }
    }
    int32_t *v = malloc(((size_t)n_vars + 1) * sizeof(int32_t));
    if (v == NULL) {
        return BC_ENOMEM;
    }
    if (n_vars > 0) {
        memcpy(v, vars, (size_t)n_vars * sizeof(int32_t));
    }
    free(m->vars);
    m->vars = v;
    m->n_vars = n_vars;
    bc_buffer_clear(&m->values);
    return BC_OK;
}

void
bc_spike_monitor_clear(bc_spike_monitor *m)
{
    bc_buffer_clear(&m->index);
    bc_buffer_clear(&m->step);
    bc_buffer_clear(&m->bins);
    bc_buffer_clear(&m->bin_start);
    bc_buffer_clear(&m->values);
    if (m->count != NULL) {
        memset(m->count, 0, (size_t)m->n * sizeof(int64_t));
    }
    m->total = 0;
    m->bin_fill = 0;
    m->bin_count = 0;
}

static int
spike_record_is_valid(const bc_spike_monitor *m, const bc_spike_record *r)
{
    if (r->total < 0 || r->bin_count < 0 || r->bin_fill < 0 ||
        (m->bin_steps > 0 && r->bin_fill >= m->bin_steps) ||
        (m->bin_steps == 0 && (r->n_bins > 0 || r->bin_fill > 0)) ||
        (!m->record && r->n_spikes > 0) ||
        (m->n_vars > 0 && r->n_spikes > 0 && r->values == NULL) ||
        (m->count != NULL && r->count == NULL)) {
        return 0;
    }
    for (size_t k = 0; k < r->n_spikes; k++) {
        if (r->index[k] < 0 || r->index[k] >= m->n) {
            return 0;
        }
    }
    for (size_t k = 0; m->count != NULL && k < (size_t)m->n; k++) {
        if (r->count[k] < 0) {
            return 0;
        }
    }
    for (size_t k = 0; k < r->n_bins; k++) {
        if (r->bins[k] < 0) {
            return 0;
        }
    }
    return 1;
}

bc_status
bc_spike_monitor_restore(bc_spike_monitor *m, const bc_spike_record *r)
{
    if (!spike_record_is_valid(m, r)) {
        return BC_ERANGE;
    }
    size_t nv = (size_t)m->n_vars;
    if (nv > 0 && r->n_spikes > SIZE_MAX / nv) {
        return BC_ENOMEM;
    }
    bc_status st = bc_buffer_assign(&m->index, r->index, r->n_spikes);
    if (st == BC_OK) {
        st = bc_buffer_assign(&m->step, r->step, r->n_spikes);
    }
    if (st == BC_OK) {
        st = bc_buffer_assign(&m->values, r->values, r->n_spikes * nv);
    }
    if (st == BC_OK) {
        st = bc_buffer_assign(&m->bins, r->bins, r->n_bins);
    }
    if (st == BC_OK) {
        st = bc_buffer_assign(&m->bin_start, r->bin_start, r->n_bins);
    }
    if (st != BC_OK) {
        bc_spike_monitor_clear(m);
        return st;
    }
    if (m->count != NULL) {
        memcpy(m->count, r->count, (size_t)m->n * sizeof(int64_t));
    }
    m->total = r->total;
    m->bin_count = r->bin_count;
    m->bin_fill = r->bin_fill;
    m->open_bin_start = r->open_bin_start;
    return BC_OK;
}

bc_status
bc_spike_monitor_record(bc_spike_monitor *m, bc_step step)
{
    return bc_spike_monitor_record_late(m, step, 0);
}

bc_status
bc_spike_monitor_record_late(bc_spike_monitor *m, bc_step step,
                             int32_t late)
{
    if (late < 0 || late >= m->source->n_slots - m->delay_steps) {
        return BC_ERANGE;
    }
    bc_index k;
    const bc_index *s = bc_window_spikes(m->source, m->delay_steps + late,
                                         m->origin, m->n, &k);
    m->total += k;
    if (m->record && k > 0) {
        if (bc_buffer_reserve(&m->index, (size_t)k) != BC_OK ||
            bc_buffer_reserve(&m->step, (size_t)k) != BC_OK) {
            return BC_ENOMEM;
        }
        bc_index *idx = (bc_index *)m->index.data + m->index.length;
        bc_step *st = (bc_step *)m->step.data + m->step.length;
        for (bc_index j = 0; j < k; j++) {
            idx[j] = s[j] - m->origin;
            st[j] = step;
        }
        m->index.length += (size_t)k;
        m->step.length += (size_t)k;
        if (m->n_vars > 0) {
            size_t nv = (size_t)m->n_vars;
            if (bc_buffer_reserve(&m->values, nv * (size_t)k) != BC_OK) {
                return BC_ENOMEM;
            }
            double *out = (double *)m->values.data + m->values.length;
            const double *state = m->source->state;
            size_t n_all = (size_t)m->source->n;
            for (bc_index j = 0; j < k; j++) {
                for (size_t v = 0; v < nv; v++) {
                    out[(size_t)j * nv + v] =
                        state[(size_t)m->vars[v] * n_all + (size_t)s[j]];
                }
            }
            m->values.length += nv * (size_t)k;
        }
    }
    if (m->count != NULL) {
        for (bc_index j = 0; j < k; j++) {
            m->count[s[j] - m->origin]++;
        }
    }
    if (m->bin_steps > 0) {
        if (m->bin_fill == 0) {
            m->open_bin_start = step;
        }
        m->bin_count += k;
        if (++m->bin_fill == m->bin_steps) {
            if (bc_buffer_reserve(&m->bins, 1) != BC_OK ||
                bc_buffer_reserve(&m->bin_start, 1) != BC_OK) {
                return BC_ENOMEM;
            }
            ((int64_t *)m->bins.data)[m->bins.length++] = m->bin_count;
            ((bc_step *)m->bin_start.data)[m->bin_start.length++] =
                m->open_bin_start;
            m->bin_fill = 0;
            m->bin_count = 0;
        }
    }
    return BC_OK;
}
