/* spike_exchange.h -- C core: the bookkeeping of a spike exchange between
 * processes (brianc.mpi): the record a process sends (its spike lists of
 * the steps since the last exchange), and every process's lists imported
 * into the groups' spike histories.  The collective itself is the
 * caller's. */
#ifndef BC_SPIKE_EXCHANGE_H
#define BC_SPIKE_EXCHANGE_H

#include "neuron_group.h"
#include "types.h"

/* The lists of an exchange: for s < n_steps (oldest step first, n_steps
 * - 1 - s steps ago) and each of the n_groups groups, list j = s n_groups
 * + g.  record[j] = its spike count; then, when the counts add up to at
 * most `capacity`, the spikes, list after list, from record[n_steps
 * n_groups] on (record holds n_steps n_groups + capacity entries).
 * *total receives the sum.  BC_ERANGE if a group's history is shorter
 * than n_steps. */
bc_status bc_exchange_pack(bc_group *const *groups, int32_t n_groups,
                           int32_t n_steps, bc_count capacity,
                           int32_t *record, bc_count *total);

/* Imports each list: the concatenation of its part from every rank, in
 * rank order (rank r's counts at counts + r * stride, list after list,
 * its spikes from spikes[r] on, n_spikes[r] of them at most), into the
 * group's history n_steps - 1 - s steps ago.  Checks everything first,
 * importing nothing on error: BC_ERANGE if a rank's counts add up to
 * more than n_spikes[r] (or a count is negative) or a history is too
 * short, BC_EINVAL if a list is not distinct ascending indices of its
 * group, BC_ENOMEM. */
bc_status bc_exchange_import(bc_group *const *groups, int32_t n_groups,
                             int32_t n_steps, int32_t n_ranks,
                             const int32_t *counts, bc_count stride,
                             const int32_t *const *spikes,
                             const bc_count *n_spikes);

#endif
