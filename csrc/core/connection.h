/* connection.h -- C core: Brian 1's Connection: spikes of one group add
 * weights to one state variable of another.  Built as a list of synapses,
 * then compressed row-major (CSR), so a presynaptic spike reads one
 * contiguous run of targets and weights. */
#ifndef BC_CONNECTION_H
#define BC_CONNECTION_H

#include "neuron_group.h"
#include "types.h"

/* Largest per-synapse delay in steps (delays are stored as uint16_t). */
#define BC_MAX_DELAY_STEPS 65535

typedef struct bc_connection {
    bc_group *source;           /* borrowed; the owner group of the source */
    bc_group *target;           /* borrowed; the owner group of the target */
    bc_index src_origin, n_pre; /* source window [origin, origin + n_pre) */
    bc_index tgt_origin, n_post;/* target window */
    int32_t target_var;         /* row of the target group's state */
    int32_t modulation_var;     /* source row scaling each spike, or -1 */
    const double *spike_scale;  /* borrowed; n_pre factors (by window
                                   index) also scaling each spike, as
                                   STP's u*x, or NULL */
    int32_t delay_steps;        /* homogeneous delay */

    /* Uniform weight: while every synapse weighs the same (the scalar
     * weight of the builders), that value is stored once and weight and
     * built_weight stay NULL, so a synapse costs 4 bytes in CSR rather
     * than 12.  Anything that writes one weight materialises the array. */
    int uniform;
    double uniform_weight;

    /* Construction: synapses in insertion order (duplicates allowed),
     * local indices. */
    bc_count n_built, capacity;
    bc_index *built_pre;        /* owned */
    bc_index *built_post;       /* owned */
    double *built_weight;       /* owned; NULL while uniform */
    uint16_t *built_delay;      /* owned, NULL without per-synapse delays */

    /* Compressed form, valid once compressed != 0: 12 bytes a synapse,
     * 4 when uniform (+2 with delays).  Rows are sorted by target;
     * duplicates keep their insertion order. */
    int compressed;
    bc_count *row_start;        /* owned; n_pre + 1 entries */
    bc_index *post;             /* owned; local target indices */
    double *weight;             /* owned; SI unit of the target variable;
                                   NULL while uniform */
    uint16_t *delay;            /* owned; steps, NULL if homogeneous */
    uint8_t *row_full;          /* owned; n_pre flags: row i holds targets
                                   0..n_post-1 exactly once, in order, so
                                   it propagates as a dense vector */

    /* Heterogeneous delays: ring of n_ring accumulators of ring_width
     * values, for targets [ring_begin, ring_begin + ring_width) of the
     * window (those built: all unless a part, see build_begin); slot
     * ring_pos is delivered in this step's after-connections phase. */
    int32_t n_ring, ring_pos;
    bc_index ring_begin, ring_width;
    double *ring;               /* owned */
    /* Heterogeneous delays: propagate the spikes of spike_lag steps ago
     * into slots spike_lag nearer (0, or at most the shortest delay: a
     * source split over processes whose spikes arrive that late). */
    int32_t spike_lag;
    /* Construction keeps only the synapses onto targets [build_begin,
     * build_end) of the window (all of them unless set): a process of a
     * network split over processes builds only its own targets' part,
     * drawing every row and column as one process does. */
    bc_index build_begin, build_end;
} bc_connection;

bc_status bc_connection_init(bc_connection *c, bc_group *source,
                             bc_index src_origin, bc_index n_pre,
                             bc_group *target, bc_index tgt_origin,
                             bc_index n_post, int32_t target_var);
void bc_connection_free(bc_connection *c);  /* safe on a zeroed struct */

/* Append n synapses (local indices, checked; BC_ERANGE if out of range).
 * delays may be NULL; if given, every synapse of the connection must have
 * one (BC_EINVAL otherwise).  Decompresses a compressed connection.  The
 * connection stays (or becomes, when empty) uniform if all the weights
 * equal its uniform weight; otherwise it is materialised. */
bc_status bc_connection_add(bc_connection *c, bc_count n,
                            const bc_index *pre, const bc_index *post,
                            const double *weight, const int32_t *delays);

/* Append every pair of the block rows [row0, row0 + n_rows) x columns
 * [col0, col0 + n_cols), row by row, all with `weight` (and `delay` steps,
 * or delay < 0 for none). */
bc_status bc_connection_add_full(bc_connection *c, bc_index row0,
                                 bc_index n_rows, bc_index col0,
                                 bc_index n_cols, double weight,
                                 int32_t delay);

/* Random connectivity as Brian 1 draws it in distribution: each pair of
 * the block exists independently with probability p, so each row has a
 * Binomial(n_cols, p) number of distinct, uniformly placed targets
 * (self-connections allowed).  Row k of the block is a function of (seed,
 * stream, k) alone, and its part in each block of columns of (seed,
 * stream, k, block) (random_rows.h): a connection building a part
 * (bc_connection_build_columns) draws only the blocks that hold it, and
 * gets the synapses of a whole build there.  The pairs are those of
 * bc_random_pairs(seed, stream, 0, n_rows, 0, n_cols, p) moved to (row0,
 * col0).  Appended with `weight` and `delay` (< 0: none); *n_added
 * receives their number.  A big block's rows are drawn by up to
 * n_threads threads (0: one per CPU; BC_EINVAL outside [0,
 * BC_POOL_MAX_THREADS]) when the connection is empty and has no delays;
 * the synapses are the same for any n_threads. */
bc_status bc_connection_add_random(bc_connection *c, uint64_t seed,
                                   uint64_t stream, bc_index row0,
                                   bc_index n_rows, bc_index col0,
                                   bc_index n_cols, double p, double weight,
                                   int32_t delay, int32_t n_threads,
                                   bc_count *n_added);

/* Brian 1's fixed=True: every column of the block gets exactly k distinct
 * rows, uniformly chosen (Floyd's sampling; column j uses step = j). */
bc_status bc_connection_add_fixed(bc_connection *c, uint64_t seed,
                                  uint64_t stream, bc_index row0,
                                  bc_index n_rows, bc_index col0,
                                  bc_index n_cols, bc_index k, double weight,
                                  int32_t delay);

/* The pairs bc_connection_add_random draws, into the caller's arrays
 * when they are not NULL (capacity `cap`, BC_ERANGE if too small);
 * *n_pairs receives their number: call with NULL first to count. */
bc_status bc_random_pairs(uint64_t seed, uint64_t stream, bc_index row0,
                          bc_index row1, bc_index col0, bc_index col1,
                          double p, bc_count cap, bc_index *pre,
                          bc_index *post, bc_count *n_pairs);

/* Sort the built synapses into CSR (stable: duplicates keep their
 * insertion order) and release the list; allocates the delay ring.  When
 * the list is already in row order (what the builders produce) the
 * arrays are reused, so the peak is the list itself. */
bc_status bc_connection_compress(bc_connection *c);

/* Back to the construction form (rows in CSR order), so synapses can be
 * added again after a compression. */
bc_status bc_connection_decompress(bc_connection *c);

/* Keep only the synapses onto targets [begin, end) of the window
 * (compressed form; 0 <= begin <= end <= n_post, else BC_ERANGE; BC_EINVAL
 * if not compressed): what a process of a group split over processes
 * needs (connection_columns.c).  Indices stay the window's. */
bc_status bc_connection_keep_columns(bc_connection *c, bc_index begin,
                                     bc_index end);

/* The shortest delay in steps of a compressed connection
 * (BC_MAX_DELAY_STEPS with per-synapse delays and no synapse). */
int32_t bc_connection_min_delay(const bc_connection *c);

/* Per-synapse delays: read spikes lag steps late (0 <= lag <=
 * bc_connection_min_delay, lag < the source's history, else BC_ERANGE;
 * compressed with per-synapse delays, else BC_EINVAL).  The same input
 * reaches every ring slot in the same order, so the run is unchanged. */
bc_status bc_connection_set_spike_lag(bc_connection *c, int32_t lag);

/* From now on the builders keep only the synapses onto targets [begin,
 * end) of the window (0 <= begin <= end <= n_post, else BC_ERANGE); the
 * kept ones are those of a whole build.  Random rows draw only the column
 * blocks that hold those targets; builders whose draws are not cut by
 * column still draw every pair. */
bc_status bc_connection_build_columns(bc_connection *c, bc_index begin,
                                      bc_index end);

/* Number of synapses, built or compressed. */
bc_count bc_connection_nnz(const bc_connection *c);

/* Give a uniform connection its per-synapse weight array, filled with the
 * uniform weight (no-op otherwise).  Needed before writing one weight. */
bc_status bc_connection_materialise(bc_connection *c);

/* Weight of the synapse at CSR position k (compressed). */
static inline double
bc_connection_weight_at(const bc_connection *c, bc_count k)
{
    return c->uniform ? c->uniform_weight : c->weight[k];
}

/* Bytes held for the synapses now: list capacity, or CSR arrays with the
 * row index and dense-row flags. */
size_t bc_connection_bytes(const bc_connection *c);

/* Element access, compressed (binary search in the row) or not (linear
 * scan).  get: sum of the weights of synapses (i, j) (0.0 if none), and
 * their number in *count.  set: the first (i, j) gets w and its
 * duplicates 0, so the element's value is w; returns the number of
 * synapses found (0: nothing changed), or -1 if materialising a uniform
 * connection ran out of memory.  Indices must be in range. */
double bc_connection_get(const bc_connection *c, bc_index i, bc_index j,
                         bc_count *count);
bc_count bc_connection_set(bc_connection *c, bc_index i, bc_index j,
                           double w);

/* Remove every synapse (i, j) (compressed form only); their number. */
bc_count bc_connection_remove(bc_connection *c, bc_index i, bc_index j);

/* Positions k (in CSR order) of the synapses of column j; rows[] gets
 * their rows (ascending).  NULL outputs only count.  Compressed only. */
bc_count bc_connection_column(const bc_connection *c, bc_index j,
                              bc_index *rows, bc_count *positions);

/* out (n_pre * n_post, row-major) += every synapse's weight. */
void bc_connection_todense(const bc_connection *c, double *out);

/* Connection phase: propagate the source's spikes of delay_steps ago
 * (or, with per-synapse delays, those of spike_lag steps ago into the
 * ring). */
void bc_connection_propagate(bc_connection *c);

/* After-connections phase, per-synapse delays only: add the ring slot due
 * now to the target and advance the ring. */
void bc_connection_deliver(bc_connection *c);

/* Empty the delay ring (reinit). */
void bc_connection_clear_ring(bc_connection *c);

/* The source window's spikes among the owner's spike list (ascending):
 * a pointer into the list and their number in *count (global indices). */
const bc_index *bc_window_spikes(const bc_group *g, int32_t delay,
                                 bc_index origin, bc_index len,
                                 bc_index *count);

#endif
