/* stdp.h -- C core: Brian 1's STDP on a Connection.  Synaptic traces live
 * in two groups of their own (one value per presynaptic neuron, one per
 * postsynaptic neuron), which the run loop updates like any group.  At a
 * presynaptic spike of i the pre code runs: its trace statements on i's
 * traces, its weight statements on every synapse of row i; at a
 * postsynaptic spike of j the post code runs likewise on column j, found
 * through a column index of the CSR matrix (no scan of the matrix).
 * Weights are clipped to [wmin, wmax] after each code.
 *
 * A code is a list of segments run in order over all of this step's
 * spikes.  A trace segment is a program on the spiking neurons' rows of
 * their own trace group.  A synapse segment is a program on a batch: row
 * 0 holds the synapses' weights, rows 1..n_gather copies of trace values
 * (of the spiking neuron, or of the synapse's other neuron); only row 0
 * is written back.  Different spikes touch different neurons' traces and
 * different synapses, so running a segment for all spikes at once equals
 * running the code spike after spike.
 *
 * With per-synapse delays (a DelayConnection, bc_stdp_use_synapse_delays)
 * the rules are Brian 1's: trace statements act at the spike itself; the
 * pre code's weight statements act max_delay steps after the presynaptic
 * spike, the post code's at the postsynaptic spike; a synapse of delay d
 * reads the other side's traces as they were at the end of the step
 * before the spike reached the synapse (pre code: max_delay - d steps
 * before now; post code: d steps before now), kept in a ring of the
 * traces' recent values. */
#ifndef BC_STDP_H
#define BC_STDP_H

#include "connection.h"
#include "expr_vm.h"
#include "neuron_group.h"
#include "types.h"

enum { BC_STDP_PRE = 0, BC_STDP_POST = 1 };

/* Where a synapse segment's batch row comes from. */
enum { BC_STDP_OWN = 0, BC_STDP_OTHER = 1 };

typedef struct bc_stdp_segment {
    int on_synapses;            /* 0: trace statements; 1: weights */
    int clip;                   /* clip row 0 when writing it back (the
                                   code's last synapse segment) */
    int additive;               /* the program is w <- w + row 1: run
                                   without the batch */
    int per_neuron;             /* the program is w <- w + h(row 1), h of
                                   constants and row 1 only: h can run on
                                   the trace's neurons (term), then the
                                   synapses add term as for additive */
    double *term;               /* owned when per_neuron: two rows of the
                                   gathered group's size, h's result and
                                   the trace it reads */
    bc_program prog;            /* arrays borrowed from the binding */
    bc_vm vm;                   /* owned */
    int32_t n_gather;
    int32_t *gather_side;       /* owned; BC_STDP_OWN or BC_STDP_OTHER */
    int32_t *gather_row;        /* owned; row of that side's trace group */
} bc_stdp_segment;

typedef struct bc_stdp_code {
    int32_t n_segments;
    bc_stdp_segment *segments;  /* owned */
    int32_t delay_steps;        /* spikes act this many steps late (per-
                                   synapse delays: the weight statements
                                   of the pre code act max_delay late) */
    int has_synapse_segment;
} bc_stdp_code;

typedef struct bc_stdp {
    bc_connection *conn;        /* borrowed */
    bc_group *traces[2];        /* borrowed; pre group (n_pre neurons) and
                                   post group (n_post neurons) */
    bc_stdp_code code[2];       /* pre and post */
    double wmin, wmax;
    double dt;                  /* seconds, of the clock it runs on */

    /* Column index, built by bc_stdp_prepare: the synapses of column j
     * are col_pos[col_start[j] .. col_start[j + 1]) (CSR positions, rows
     * ascending) and col_row the same entries' rows. */
    bc_count *col_start;        /* owned; n_post + 1 */
    bc_count *col_pos;          /* owned; nnz */
    bc_index *col_row;          /* owned; nnz */
    bc_count nnz;               /* synapses when the index was built */
    int all_rows_full;          /* every row is full (conn->row_full): the
                                   matrix is dense, column j's k-th entry
                                   is position k * n_post + j, and no
                                   column index is built */
    const bc_index *seen_post;  /* the CSR the index was built for (only
                                   compared, to notice a rebuilt matrix) */
    const double *huge_weight;  /* the weights prepare moved onto huge
                                   pages (only compared) */

    /* Per-synapse delays (0: none).  history holds the traces of both
     * groups at the end of each of the last max_delay + 1 steps, slot
     * step % (max_delay + 1); zeros before the first recorded step. */
    int32_t max_delay;
    double *history;            /* owned */
    size_t history_slot;        /* doubles per slot: pre then post state */
    bc_step last_step;          /* last step run, -1 before the first */
    bc_step step;               /* the step being run */

    /* Scratch for one step. */
    bc_index *local;            /* owned; spikes as window indices */
    int32_t batch_rows;
    bc_count batch_cap;
    double *batch;              /* owned; batch_rows * batch_cap */
    bc_count *batch_pos;        /* owned; batch_cap CSR positions */
} bc_stdp;

/* Synapses processed per batch (a few VM blocks). */
#define BC_STDP_BATCH 1024

/* traces[0] must have conn->n_pre neurons, traces[1] conn->n_post
 * (BC_EINVAL otherwise, or if wmax < wmin, or a delay is negative or
 * above BC_MAX_DELAY_STEPS). */
bc_status bc_stdp_init(bc_stdp *s, bc_connection *conn, bc_group *pre,
                       bc_group *post, double wmin, double wmax,
                       int32_t delay_pre, int32_t delay_post, double dt);
void bc_stdp_free(bc_stdp *s);          /* safe on a zeroed struct */

/* Append a segment to the pre (side 0) or post (side 1) code.  p must
 * stay valid as long as s; the gather lists are copied.  Trace segments
 * run on the own trace group's rows and take no gather list; synapse
 * segments run on a batch of 1 + n_gather rows and may write row 0 only.
 * BC_EINVAL for a program that fails these checks. */
bc_status bc_stdp_add_segment(bc_stdp *s, int side, int on_synapses,
                              const bc_program *p, int32_t n_gather,
                              const int32_t *gather_side,
                              const int32_t *gather_row);

/* The connection has per-synapse delays of at most max_delay steps
 * (Brian 1's ring length of the DelayConnection, in [1,
 * BC_MAX_DELAY_STEPS]); STDP then follows Brian 1's rules for them (see
 * above).  Only with delay_pre = delay_post = 0; BC_EINVAL otherwise. */
bc_status bc_stdp_use_synapse_delays(bc_stdp *s, int32_t max_delay);

/* Before a run: compress the connection, give it per-synapse weights,
 * build the column index, reserve the spike history the delays need. */
bc_status bc_stdp_prepare(bc_stdp *s);

/* The network task (connection phase, after the connections): the pre
 * code for the source's spikes of delay_pre steps ago, then the post code
 * for the target's spikes of delay_post steps ago. */
bc_status bc_stdp_run(void *stdp, bc_step step);

/* Bytes of the column index and scratch (the CSR is the connection's). */
size_t bc_stdp_bytes(const bc_stdp *s);

#endif
