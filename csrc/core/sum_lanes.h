/* sum_lanes.h -- C core: the synapses of a Synapses object grouped by
 * target neuron for lumped sums (Brian 1's `G.x = S.x`), four targets side
 * by side, so that each target's sum is one reduction kept in a register
 * instead of an addition into memory per synapse.
 *
 * The targets that have synapses are taken in order of decreasing number
 * of synapses (ties in neuron order) and grouped four by four.  Group g
 * has rows row[g] .. row[g + 1] - 1 of four slots, slot (r, k) at
 * r * 4 + k holding the synapses of lane k's target one per row, in
 * increasing synapse number: a sum taken along a lane makes the very
 * additions, in the same order, of a sum taken in synapse order.  Lanes
 * shorter than the longest of their group end in empty slots (synapse
 * -1); in the first full[g] rows every slot holds a synapse.  The order
 * by count keeps the empty slots few. */
#ifndef BC_SUM_LANES_H
#define BC_SUM_LANES_H

#include <stddef.h>

#include "types.h"

#define BC_SUM_LANES 4

typedef struct bc_sum_lanes {
    bc_index n_groups;
    bc_index *target;       /* owned; BC_SUM_LANES per group: its target
                               neurons, -1 for an unused lane */
    bc_count *count;        /* owned; BC_SUM_LANES per group: the lanes'
                               synapse counts */
    bc_count *row;          /* owned; n_groups + 1 */
    bc_count *full;         /* owned; n_groups */
    bc_index *syn;          /* owned; n_slots synapse numbers, -1: empty */
    bc_index *pre;          /* owned; n_slots presynaptic neurons (0 in
                               an empty slot) */
    bc_count n_slots;       /* BC_SUM_LANES * row[n_groups] */
} bc_sum_lanes;

/* Group the synapses pre/post (n_syn of them, in range: checked by the
 * caller) onto n_post targets. */
bc_status bc_sum_lanes_build(bc_sum_lanes *l, bc_index n_syn,
                             const bc_index *pre, const bc_index *post,
                             bc_index n_post);

void bc_sum_lanes_free(bc_sum_lanes *l);    /* safe on a zeroed struct */

/* dst[q] = src[syn[q] * stride] for every slot q (0 in an empty slot): a
 * synaptic row in the order of the slots (n_slots values). */
void bc_sum_lanes_gather(const bc_sum_lanes *l, const double *src,
                         size_t stride, double *dst);

/* target[j] = the sum over target j's synapses, in synapse order, of
 * (x - y) * z, for every target that has synapses (the others are left
 * alone).  z: one value per slot (bc_sum_lanes_gather); x (y) is read at
 * the synapse's presynaptic neuron when x_pre (y_pre), else at j.  target
 * must not share memory with x or y. */
void bc_sum_lanes_diff(const bc_sum_lanes *l, const double *x, int x_pre,
                       const double *y, int y_pre, const double *z,
                       double *target);

#endif
