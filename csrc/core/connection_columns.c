/* connection_columns.c -- C core: cutting a compressed connection down to
 * a range of its targets, for a target group split over processes
 * (brianc.mpi): each process keeps the synapses onto its own neurons, so
 * a spike's row adds to those only and the synapses are spread over the
 * processes instead of repeated. */
#include "connection.h"

#include <stdlib.h>
#include <string.h>

/* First position in post[k0, k1) (ascending) holding a value >= j. */
static bc_count
lower_bound(const bc_index *post, bc_count k0, bc_count k1, bc_index j)
{
    while (k0 < k1) {
        bc_count mid = k0 + (k1 - k0) / 2;
        if (post[mid] < j) {
            k0 = mid + 1;
        } else {
            k1 = mid;
        }
    }
    return k0;
}

/* Moves the kept runs [lo[i], hi[i]) of each row of an array of `size`
 * byte elements to its front, in order (in place: a run never moves
 * right), and gives the tail back; returns the array, which may move. */
static void *
compact_runs(void *data, size_t size, const bc_count *lo, const bc_count *hi,
             bc_index n_rows)
{
    char *base = data;
    bc_count d = 0;
    for (bc_index i = 0; i < n_rows; i++) {
        size_t len = (size_t)(hi[i] - lo[i]);
        memmove(base + (size_t)d * size, base + (size_t)lo[i] * size,
                len * size);
        d += (bc_count)len;
    }
    void *smaller = realloc(data, (size_t)(d > 0 ? d : 1) * size);
    return smaller != NULL ? smaller : data;    /* failing to shrink is
                                                   harmless */
}

bc_status
bc_connection_keep_columns(bc_connection *c, bc_index begin, bc_index end)
{
    if (!c->compressed) {
        return BC_EINVAL;
    }
    if (begin < 0 || begin > end || end > c->n_post) {
        return BC_ERANGE;
    }
    if (begin == 0 && end == c->n_post) {
        return BC_OK;
    }
    bc_index n_pre = c->n_pre;
    /* Rows are sorted by target, so each row keeps one run. */
    bc_count *lo = malloc((size_t)(n_pre > 0 ? n_pre : 1) * sizeof(bc_count));
    bc_count *hi = malloc((size_t)(n_pre > 0 ? n_pre : 1) * sizeof(bc_count));
    if (lo == NULL || hi == NULL) {
        free(lo);
        free(hi);
        return BC_ENOMEM;
    }
    for (bc_index i = 0; i < n_pre; i++) {
        bc_count k0 = c->row_start[i], k1 = c->row_start[i + 1];
        lo[i] = lower_bound(c->post, k0, k1, begin);
        hi[i] = lower_bound(c->post, lo[i], k1, end);
    }
    c->post = compact_runs(c->post, sizeof(bc_index), lo, hi, n_pre);
    if (c->weight != NULL) {
        c->weight = compact_runs(c->weight, sizeof(double), lo, hi, n_pre);
    }
    if (c->delay != NULL) {
        c->delay = compact_runs(c->delay, sizeof(uint16_t), lo, hi, n_pre);
    }
    bc_count d = 0;
    for (bc_index i = 0; i < n_pre; i++) {
        c->row_start[i] = d;
        d += hi[i] - lo[i];
        /* A cut row no longer holds every target. */
        if (c->row_full != NULL) {
            c->row_full[i] = 0;
        }
    }
    c->row_start[n_pre] = d;
    free(lo);
    free(hi);
    return BC_OK;
}

/* A process of a split network receives the other processes' spikes up
 * to a minimum delay late (brianc.mpi exchanges them once per minimum
 * delay); these two let a connection with per-synapse delays read its
 * source's spikes that late. */

int32_t
bc_connection_min_delay(const bc_connection *c)
{
    if (c->delay == NULL) {
        return c->delay_steps;
    }
    int32_t shortest = BC_MAX_DELAY_STEPS;
    bc_count n = c->compressed ? c->row_start[c->n_pre] : 0;
    for (bc_count k = 0; k < n; k++) {
        if (c->delay[k] < shortest) {
            shortest = c->delay[k];
        }
    }
    return shortest;
}

bc_status
bc_connection_set_spike_lag(bc_connection *c, int32_t lag)
{
    if (!c->compressed || c->delay == NULL || c->ring == NULL) {
        return BC_EINVAL;
    }
    if (lag < 0 || lag > bc_connection_min_delay(c) ||
        lag >= c->source->n_slots || lag >= c->n_ring) {
        return BC_ERANGE;
    }
    c->spike_lag = lag;
    return BC_OK;
}
