/* spike_queue.h -- C core: the future synaptic events of a Synapses
 * pathway with per-synapse delays.  A ring of n_slots lists of synapse
 * numbers; slot `head` holds the events due in the current step. */
#ifndef BC_SPIKE_QUEUE_H
#define BC_SPIKE_QUEUE_H

#include "types.h"

typedef struct bc_spike_queue {
    int32_t n_slots;            /* largest delay + 1 */
    int32_t head;
    bc_index *count;            /* owned; n_slots event counts */
    bc_index *capacity;         /* owned; n_slots list capacities */
    bc_index **events;          /* owned; n_slots owned lists */
} bc_spike_queue;

/* A queue for delays 0..n_slots - 1 (n_slots >= 1, else BC_EINVAL). */
bc_status bc_spike_queue_init(bc_spike_queue *q, int32_t n_slots);
void bc_spike_queue_free(bc_spike_queue *q);    /* safe on a zeroed struct */

/* Queue synapse `id` to arrive `delay` steps after the current one
 * (0 <= delay < n_slots, asserted).  BC_ENOMEM if its list cannot grow. */
bc_status bc_spike_queue_push(bc_spike_queue *q, int32_t delay,
                              bc_index id);

/* The events due in the current step, in the order they were pushed. */
static inline const bc_index *
bc_spike_queue_due(const bc_spike_queue *q, bc_index *n)
{
    *n = q->count[q->head];
    return q->events[q->head];
}

/* The events due `delay` steps after the current one (0 <= delay <
 * n_slots, asserted), in the order they were pushed. */
static inline const bc_index *
bc_spike_queue_at(const bc_spike_queue *q, int32_t delay, bc_index *n)
{
    int32_t s = q->head + delay;
    if (s >= q->n_slots) {
        s -= q->n_slots;
    }
    *n = q->count[s];
    return q->events[s];
}

/* Forget the current step's events and move on to the next step. */
void bc_spike_queue_advance(bc_spike_queue *q);

/* Drop every queued event (reinit). */
void bc_spike_queue_clear(bc_spike_queue *q);

/* Bytes held by the lists. */
size_t bc_spike_queue_bytes(const bc_spike_queue *q);

#endif
