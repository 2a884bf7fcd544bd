/* spike_queue.c -- C core: a ring of per-step lists of synapse events. */
#include "spike_queue.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void
bc_spike_queue_free(bc_spike_queue *q)
{
    if (q->events != NULL) {
        for (int32_t s = 0; s < q->n_slots; s++) {
            free(q->events[s]);
        }
    }
    free(q->events);
    free(q->count);
    free(q->capacity);
    memset(q, 0, sizeof(*q));
}

bc_status
bc_spike_queue_init(bc_spike_queue *q, int32_t n_slots)
{
    memset(q, 0, sizeof(*q));
    if (n_slots < 1) {
        return BC_EINVAL;
    }
    q->count = calloc((size_t)n_slots, sizeof(*q->count));
    q->capacity = calloc((size_t)n_slots, sizeof(*q->capacity));
    q->events = calloc((size_t)n_slots, sizeof(*q->events));
    if (q->count == NULL || q->capacity == NULL || q->events == NULL) {
        bc_spike_queue_free(q);
        return BC_ENOMEM;
    }
    q->n_slots = n_slots;
    return BC_OK;
}

/* Grow list s to hold at least one more event (capacity doubles). */
static bc_status
grow(bc_spike_queue *q, int32_t s)
{
    bc_index cap = q->capacity[s];
    if (cap == BC_INDEX_MAX) {
        return BC_ERANGE;
    }
    bc_index want = cap < 16 ? 16
        : (cap > BC_INDEX_MAX / 2 ? BC_INDEX_MAX : 2 * cap);
    bc_index *p = realloc(q->events[s], (size_t)want * sizeof(*p));
    if (p == NULL) {
        return BC_ENOMEM;
    }
    q->events[s] = p;
    q->capacity[s] = want;
    return BC_OK;
}

bc_status
bc_spike_queue_push(bc_spike_queue *q, int32_t delay, bc_index id)
{
    assert(0 <= delay && delay < q->n_slots);
    int32_t s = q->head + delay;
    if (s >= q->n_slots) {
        s -= q->n_slots;
    }
    if (q->count[s] == q->capacity[s]) {
        bc_status st = grow(q, s);
        if (st != BC_OK) {
            return st;
        }
    }
    q->events[s][q->count[s]++] = id;
    return BC_OK;
}

void
bc_spike_queue_advance(bc_spike_queue *q)
{
    q->count[q->head] = 0;
    q->head = q->head + 1 == q->n_slots ? 0 : q->head + 1;
}

void
bc_spike_queue_clear(bc_spike_queue *q)
{
    for (int32_t s = 0; s < q->n_slots; s++) {
        q->count[s] = 0;
    }
    q->head = 0;
}

size_t
bc_spike_queue_bytes(const bc_spike_queue *q)
{
    size_t bytes = 0;
    for (int32_t s = 0; s < q->n_slots; s++) {
        bytes += (size_t)q->capacity[s] * sizeof(bc_index);
    }
    return bytes;
}
