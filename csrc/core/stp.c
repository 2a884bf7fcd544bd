/* stp.c -- C core: Tsodyks-Markram short-term plasticity (see stp.h). */
#include "stp.h"

#include <math.h>
#include <string.h>

enum { ROW_UX = 0, ROW_X = 1, ROW_U = 2 };

bc_status
bc_stp_init(bc_stp *s, bc_connection *conn, bc_index n, double *state,
            double *last, const double *U, const double *taud,
            const double *tauf, double dt)
{
    memset(s, 0, sizeof(*s));
    if (conn == NULL || n != conn->n_pre || state == NULL ||
        last == NULL || U == NULL || taud == NULL || tauf == NULL ||
        !(dt > 0.0) || conn->delay != NULL) {
        return BC_EINVAL;
    }
    for (bc_index i = 0; i < n; i++) {
        if (!(U[i] >= 0.0 && U[i] <= 1.0) || !(taud[i] > 0.0) ||
            !(tauf[i] > 0.0)) {
            return BC_EINVAL;
        }
    }
    s->conn = conn;
    s->n = n;
    s->state = state;
    s->last = last;
    s->U = U;
    s->taud = taud;
    s->tauf = tauf;
    s->dt = dt;
    return BC_OK;
}

void
bc_stp_attach(bc_stp *s)
{
    s->conn->spike_scale = s->state + (size_t)ROW_UX * (size_t)s->n;
}

void
bc_stp_detach(bc_stp *s)
{
    if (s->conn != NULL &&
        s->conn->spike_scale == s->state + (size_t)ROW_UX * (size_t)s->n) {
        s->conn->spike_scale = NULL;
    }
}

bc_status
bc_stp_run(void *stp, bc_step step)
{
    bc_stp *s = stp;
    const bc_connection *c = s->conn;
    bc_index n_spikes;
    const bc_index *spikes = bc_window_spikes(c->source, c->delay_steps,
                                              c->src_origin, c->n_pre,
                                              &n_spikes);
    double t = (double)step * s->dt;
    double *ux = s->state + (size_t)ROW_UX * (size_t)s->n;
    double *x = s->state + (size_t)ROW_X * (size_t)s->n;
    double *u = s->state + (size_t)ROW_U * (size_t)s->n;
    for (bc_index q = 0; q < n_spikes; q++) {
        bc_index i = spikes[q] - c->src_origin;
        double interval = t - s->last[i];
        double U = s->U[i];
        u[i] = U + (u[i] - U) * exp(-interval / s->tauf[i]);
        x[i] = 1.0 + (x[i] - 1.0) * exp(-interval / s->taud[i]);
        double spent = 1.0 - u[i];
        ux[i] = u[i] * x[i];
        x[i] *= spent;
        u[i] += U * spent;
        s->last[i] = t;
    }
    return BC_OK;
}
