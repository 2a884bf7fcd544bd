/* spike_exchange.c -- C core: packing and importing the spike lists of an
 * exchange between processes (spike_exchange.h).  One call each per
 * exchange, whatever the number of steps and groups: a window of W steps
 * and G groups is W G lists, too many short ones to handle one by one
 * from Python. */
#include "spike_exchange.h"

#include <stdlib.h>
#include <string.h>

static int
histories_hold(bc_group *const *groups, int32_t n_groups, int32_t n_steps)
{
    for (int32_t g = 0; g < n_groups; g++) {
        if (n_steps > groups[g]->n_slots) {
            return 0;
        }
    }
    return n_steps >= 0;
}

bc_status
bc_exchange_pack(bc_group *const *groups, int32_t n_groups, int32_t n_steps,
                 bc_count capacity, int32_t *record, bc_count *total)
{
    *total = 0;
    if (n_groups < 0 || !histories_hold(groups, n_groups, n_steps)) {
        return BC_ERANGE;
    }
    bc_count n_lists = (bc_count)n_steps * n_groups, sum = 0;
    for (int32_t s = 0; s < n_steps; s++) {
        for (int32_t g = 0; g < n_groups; g++) {
            bc_index n;
            bc_group_spikes(groups[g], n_steps - 1 - s, &n);
            record[(bc_count)s * n_groups + g] = n;
            sum += n;
        }
    }
    *total = sum;
    if (sum > capacity) {
        return BC_OK;           /* counts only: the caller sends exactly */
    }
    int32_t *out = record + n_lists;
    for (int32_t s = 0; s < n_steps; s++) {
        for (int32_t g = 0; g < n_groups; g++) {
            bc_index n;
            const bc_index *idx = bc_group_spikes(groups[g], n_steps - 1 - s,
                                                  &n);
            memcpy(out, idx, (size_t)n * sizeof(int32_t));
            out += n;
        }
    }
    return BC_OK;
}

/* Whether every rank's counts are non-negative, add up to at most its
 * spikes, and give no list more spikes than its group has neurons. */
static int
counts_fit(bc_group *const *groups, int32_t n_groups, bc_count n_lists,
           int32_t n_ranks, const int32_t *counts, bc_count stride,
           const bc_count *n_spikes)
{
    for (int32_t r = 0; r < n_ranks; r++) {
        const int32_t *c = counts + (bc_count)r * stride;
        bc_count sum = 0;
        for (bc_count j = 0; j < n_lists; j++) {
            if (c[j] < 0 || c[j] > groups[j % n_groups]->n) {
                return 0;
            }
            sum += c[j];
        }
        if (sum > n_spikes[r]) {
            return 0;
        }
    }
    return 1;
}

/* List j: its part of every rank's spikes, in rank order, from each
 * rank's position pos[r] on (advanced); into out unless NULL.  Returns
 * its length, or -1 unless it is distinct ascending indices of [0, n). */
static bc_count
join_list(bc_count j, bc_index n, int32_t n_ranks, const int32_t *counts,
          bc_count stride, const int32_t *const *spikes, bc_count *pos,
          bc_index *out)
{
    bc_count k = 0;
    int64_t last = -1;
    for (int32_t r = 0; r < n_ranks; r++) {
        int32_t c = counts[(bc_count)r * stride + j];
        const int32_t *x = spikes[r] + pos[r];
        for (int32_t a = 0; a < c; a++) {
            if (x[a] <= last || x[a] >= n) {
                return -1;
            }
            last = x[a];
        }
        if (out != NULL) {
            memcpy(out + k, x, (size_t)c * sizeof(int32_t));
        }
        pos[r] += c;
        k += c;
    }
    return k;
}

bc_status
bc_exchange_import(bc_group *const *groups, int32_t n_groups,
                   int32_t n_steps, int32_t n_ranks, const int32_t *counts,
                   bc_count stride, const int32_t *const *spikes,
                   const bc_count *n_spikes)
{
    bc_count n_lists = (bc_count)n_steps * (n_groups > 0 ? n_groups : 0);
    if (n_groups < 0 || n_ranks < 0 || stride < n_lists ||
        !histories_hold(groups, n_groups, n_steps) ||
        !counts_fit(groups, n_groups, n_lists, n_ranks, counts, stride,
                    n_spikes)) {
        return BC_ERANGE;
    }
    bc_count *pos = calloc((size_t)(n_ranks > 0 ? n_ranks : 1),
                           sizeof(bc_count));
    if (pos == NULL) {
        return BC_ENOMEM;
    }
    /* Every list checked first, so nothing changes on error. */
    bc_count longest = 0;
    for (bc_count j = 0; j < n_lists; j++) {
        bc_count k = join_list(j, groups[j % n_groups]->n, n_ranks, counts,
                               stride, spikes, pos, NULL);
        if (k < 0) {
            free(pos);
            return BC_EINVAL;
        }
        longest = k > longest ? k : longest;
    }
    bc_index *joined = malloc((size_t)(longest > 0 ? longest : 1) *
                              sizeof(bc_index));
    bc_status st = joined != NULL ? BC_OK : BC_ENOMEM;
    memset(pos, 0, (size_t)(n_ranks > 0 ? n_ranks : 1) * sizeof(bc_count));
    for (bc_count j = 0; j < n_lists && st == BC_OK; j++) {
        bc_group *g = groups[j % n_groups];
        bc_count k = join_list(j, g->n, n_ranks, counts, stride, spikes, pos,
                               joined);
        st = bc_group_import_spikes(g, n_steps - 1 - (int32_t)(j / n_groups),
                                    joined, (bc_index)k);
    }
    free(joined);
    free(pos);
    return st;
}
