/* connection.h -- C core: Brian 1's Connection: spikes of one group add
 * weights to one state variable of another.  Built as a list of synapses,
 * then compressed row-major (CSR), so a presynaptic spike reads one
 * contiguous run of targets and weights. */
#ifndef BC_CONNECTION_H
#define BC_CONNECTION_H

#include "neuron_group.h"
#include "types.h"

typedef struct bc_connection {
    bc_group *source;           /* borrowed; the owner group of the source */
    bc_group *target;           /* borrowed; the owner group of the target */
    bc_index src_origin, n_pre; /* source window [origin, origin + n_pre) */
    bc_index tgt_origin, n_post;/* target window */
    int32_t target_var;         /* row of the target group's state */
    int32_t modulation_var;     /* source row scaling each spike, or -1 */
    int32_t delay_steps;        /* homogeneous delay */

    /* Construction: synapses in insertion order (duplicates allowed). */
    bc_count n_built, capacity;
    bc_index *built_pre;        /* owned */
    bc_index *built_post;       /* owned */
    double *built_weight;       /* owned */
    uint16_t *built_delay;      /* owned, NULL without per-synapse delays */

    /* Compressed form, valid once compressed != 0. */
    int compressed;
    bc_count *row_start;        /* owned; n_pre + 1 entries */
    bc_index *post;             /* owned; local target indices */
    double *weight;             /* owned; SI unit of the target variable */
    uint16_t *delay;            /* owned; steps, NULL if homogeneous */

    /* Heterogeneous delays: ring of n_ring accumulators of n_post values;
     * slot ring_pos is delivered in this step's after-connections phase. */
    int32_t n_ring, ring_pos;
    double *ring;               /* owned */
} bc_connection;

bc_status bc_connection_init(bc_connection *c, bc_group *source,
                             bc_index src_origin, bc_index n_pre,
                             bc_group *target, bc_index tgt_origin,
                             bc_index n_post, int32_t target_var);
void bc_connection_free(bc_connection *c);  /* safe on a zeroed struct */

/* Append n synapses (local indices, checked).  delays may be NULL; if
 * given, every synapse of the connection must have one. */
bc_status bc_connection_add(bc_connection *c, bc_count n,
                            const bc_index *pre, const bc_index *post,
                            const double *weight, const int32_t *delays);

/* Random connectivity as Brian 1 draws it in distribution: every pair
 * (i, j) of the block rows [row0, row1) x columns [col0, col1) exists
 * independently with probability p (so each row has a Binomial number of
 * distinct, uniformly placed targets; self-connections allowed).
 * Writes the pairs, row by row and ascending, into the caller's arrays
 * when they are not NULL (capacity `cap`), and returns their number in
 * *n_pairs; call with NULL first to count, from the same seed and stream.
 */
bc_status bc_random_pairs(uint64_t seed, uint64_t stream, bc_index row0,
                          bc_index row1, bc_index col0, bc_index col1,
                          double p, bc_count cap, bc_index *pre,
                          bc_index *post, bc_count *n_pairs);

/* Sort the built synapses into CSR (stable: duplicates keep their
 * insertion order).  Needs the ring size for per-synapse delays. */
bc_status bc_connection_compress(bc_connection *c);

/* Back to the construction form (rows in CSR order), so synapses can be
 * added again after a compression. */
bc_status bc_connection_decompress(bc_connection *c);

/* Number of synapses, built or compressed. */
bc_count bc_connection_nnz(const bc_connection *c);

/* Connection phase: propagate the source's spikes of delay_steps ago
 * (or, with per-synapse delays, this step's spikes into the ring). */
void bc_connection_propagate(bc_connection *c);

/* After-connections phase, per-synapse delays only: add the ring slot due
 * now to the target and advance the ring. */
void bc_connection_deliver(bc_connection *c);

/* Empty the delay ring (reinit). */
void bc_connection_clear_ring(bc_connection *c);

/* The source window's spikes among the owner's spike list (ascending):
 * [*first, *first + *count) of spikes, renumbered by - origin. */
const bc_index *bc_window_spikes(const bc_group *g, int32_t delay,
                                 bc_index origin, bc_index len,
                                 bc_index *count);

#endif
