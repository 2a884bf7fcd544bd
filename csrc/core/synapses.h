/* synapses.h -- C core: Brian 1's Synapses.  Synapses join neurons of a
 * source window to neurons of a target window, each with its own state
 * (weights, traces, ...).  Spikes of the source (pre pathways) or of the
 * target (the post pathway) run code on their synapses after a delay, in
 * the step phase Brian 1 calls 'synapses'; a clock-driven model updates
 * every synapse each step.
 *
 * Programs see one row space: rows [0, n_vars) are the synapses' own
 * state rows, then the source group's rows (read at the synapse's
 * presynaptic neuron), then the target group's rows (at its postsynaptic
 * neuron; pathways may write them). */
#ifndef BC_SYNAPSES_H
#define BC_SYNAPSES_H

#include "expr_vm.h"
#include "neuron_group.h"
#include "spike_queue.h"
#include "sum_lanes.h"
#include "types.h"

/* Synapse numbers by trigger neuron: ids[row_start[i] .. row_start[i+1])
 * are the synapses of neuron i, ascending; ids is NULL when synapse k is
 * simply the k-th (synapses created in neuron order). */
typedef struct bc_syn_index {
    bc_count *row_start;        /* owned; n + 1 entries */
    bc_index *ids;              /* owned, or NULL for the identity */
} bc_syn_index;

/* What the spikes of one side do. */
typedef struct bc_syn_pathway {
    int reverse;                /* 0: source spikes, 1: target spikes */
    /* Either a program on the row space ... */
    const bc_program *program;  /* borrowed, or NULL */
    bc_vm vm;                   /* owned, with a program */
    int writes_target;          /* the program writes a target row: its
                                   events run in batches whose target
                                   neurons are distinct */
    int rows_distinct;          /* the trigger neurons' rows are runs of
                                   consecutive synapses, each onto
                                   distinct target neurons */
    /* ... or only additions target_row[post] += syn_row[k] (or a
     * constant), the common `v += w`: one tight loop. */
    int32_t n_acc;
    int32_t *acc_row;           /* owned; target group rows */
    int32_t *acc_src;           /* owned; synaptic rows, -1: constant */
    double *acc_const;          /* owned */
    /* Delays. */
    const uint16_t *delay;      /* borrowed; steps per synapse, or NULL */
    int32_t delay_steps;        /* homogeneous delay (delay == NULL) */
    bc_spike_queue queue;       /* owned, with per-synapse delays */
    /* Deferred: the due events are kept for the caller (a code that calls
     * Python) instead of run; see bc_synapses_take_pending. */
    int deferred;
    bc_index *pending;          /* owned */
    bc_index n_pending, pending_capacity;
} bc_syn_pathway;

/* A lumped variable: target_row[post] = sum over the neuron's synapses of
 * a program's value (Brian 1's `G.x = S.x`); or, with dst, the values
 * themselves (a static equation a monitor records). */
typedef struct bc_syn_lumped {
    const bc_program *program;  /* borrowed; its out_reg is summed */
    bc_vm vm;                   /* owned */
    int32_t target_row;
    double *dst;                /* borrowed; n_syn values, or NULL */
    /* A sum (x - y) * z (the gap junction's) taken target by target
     * (bc_sum_lanes): z copied in the order of the entries, valid while
     * lanes == LANES_COPIED (synapses.c). */
    int lanes;
    double *z_lanes;            /* owned */
} bc_syn_lumped;

typedef struct bc_synapses {
    bc_group *source;           /* borrowed; owner group of the source */
    bc_group *target;           /* borrowed; owner group of the target */
    bc_index src_origin, n_pre;
    bc_index tgt_origin, n_post;
    double dt;
    uint64_t seed, stream;      /* draws of rand() in the programs */

    bc_index n_syn;
    int32_t n_vars;
    double *state;              /* borrowed; n_vars rows of n_syn */
    /* Layout of the state: variable v of synapse k at
     * state[v * var_step + k * syn_step]; (n_syn, 1) for rows one after
     * the other, (1, n_vars) interleaved. */
    bc_index var_step, syn_step;
    const bc_index *pre;        /* borrowed; n_syn local source indices,
                                   or NULL once forgotten */
    const bc_index *post;       /* borrowed; n_syn local target indices */
    bc_syn_index by_pre;        /* owned */
    bc_syn_index by_post;       /* owned, built for a post pathway */

    const bc_program *update;   /* borrowed; clock-driven model, or NULL */
    bc_vm update_vm;            /* owned */
    int update_mapped;          /* the update reads group rows */

    int32_t n_pathways;
    bc_syn_pathway *pathways;   /* owned */
    int32_t n_lumped;
    bc_syn_lumped *lumped;      /* owned */
    bc_sum_lanes by_target;     /* owned; built for the lumped sums */
    int writes_between_steps;   /* the caller may write the synaptic
                                   state between two steps of this run */

    /* Rows after the groups' in the row space, one value per synapse:
     * values the caller computes (results of Python calls). */
    double *calls;              /* borrowed; n_calls rows of n_syn */
    int32_t n_calls;

    /* Scratch (owned): the row space's pointers and kinds, event lists
     * and the marks that split events by target. */
    int32_t n_rows;
    double **rows;
    int8_t *space;
    bc_index *strides;
    bc_index *events, *batch, *deferred;
    bc_index event_capacity;
    uint32_t *mark;             /* n_post */
    uint32_t stamp;
    double *sums;               /* n_syn, lumped values */
} bc_synapses;

bc_status bc_synapses_init(bc_synapses *s, bc_group *source,
                           bc_index src_origin, bc_index n_pre,
                           bc_group *target, bc_index tgt_origin,
                           bc_index n_post, double dt, uint64_t seed,
                           uint64_t stream);
void bc_synapses_free(bc_synapses *s);      /* safe on a zeroed struct */

/* Number of rows in the row space: n_vars + the groups' rows. */
int32_t bc_synapses_row_space(const bc_synapses *s, int32_t n_vars);

/* Hand over the synapses (borrowed, local indices; BC_ERANGE if one is
 * out of its window) and their state, n_vars rows of n_syn values, and
 * build the index by presynaptic neuron (and by postsynaptic neuron when
 * by_post).  Drops every pathway and lumped variable: add them again. */
bc_status bc_synapses_set(bc_synapses *s, bc_index n_syn,
                          const bc_index *pre, const bc_index *post,
                          double *state, int32_t n_vars, int by_post);

/* As bc_synapses_set, with the state interleaved when `interleaved`:
 * variable v of synapse k at state[k * n_vars + v], all the variables of
 * one synapse side by side (a post spike's synapses lie far apart in
 * synapse order; each then costs one cache line instead of one per
 * variable), else at state[v * n_syn + k].  The same results either way.
 * An interleaved state takes no unmapped clock-driven update. */
bc_status bc_synapses_set_layout(bc_synapses *s, bc_index n_syn,
                                 const bc_index *pre, const bc_index *post,
                                 double *state, int32_t n_vars,
                                 int interleaved, int by_post);

/* Drop the presynaptic indices (the caller may free them): possible when
 * the synapses are in presynaptic order (by_pre is then all that is
 * needed) and no program reads the source's rows; BC_EINVAL otherwise.
 * Programs added later must not read them either.  4 bytes a synapse. */
bc_status bc_synapses_forget_pre(bc_synapses *s);

/* The clock-driven update (borrowed; checked against the row space), or
 * NULL.  mapped: it reads group rows (else it runs on the state alone and
 * may have a linear prologue; BC_EINVAL on an interleaved state). */
bc_status bc_synapses_set_update(bc_synapses *s, const bc_program *p,
                                 int mapped);

/* A pathway (see bc_syn_pathway); delay: n_syn steps (borrowed), each
 * below n_slots, or NULL with delay_steps.  BC_EINVAL for a bad program
 * or accumulation, BC_ERANGE for a delay out of range. */
bc_status bc_synapses_add_pathway(bc_synapses *s, int reverse,
                                  const bc_program *p, int writes_target,
                                  int32_t n_acc, const int32_t *acc_row,
                                  const int32_t *acc_src,
                                  const double *acc_const,
                                  const uint16_t *delay,
                                  int32_t delay_steps, int32_t n_slots);

/* Addition a of an accumulating pathway now adds synaptic row src, or
 * the constant value when src is -1 (a synaptic variable that holds one
 * value and that no code writes: its row need not be read). */
bc_status bc_synapses_set_accumulation(bc_synapses *s, int32_t pathway,
                                       int32_t a, int32_t src, double value);

bc_status bc_synapses_add_lumped(bc_synapses *s, const bc_program *p,
                                 int32_t target_row);

/* The 'synapses' phase of `step`: clock-driven update, then each
 * pathway's events due now. */
bc_status bc_synapses_run(void *synapses, bc_step step);

/* dst[0..n_syn) = p's out_reg at the end of each step (with the lumped
 * variables); dst borrowed. */
bc_status bc_synapses_add_output(bc_synapses *s, const bc_program *p,
                                 double *dst);

/* Before a run: the synaptic state may have been written since the last
 * step (the lumped sums read it again), and, when writes_between_steps,
 * may be written between any two steps of the coming run too (code in
 * the caller's language runs then). */
void bc_synapses_before_run(bc_synapses *s, int writes_between_steps);

/* The lumped variables of `step` (end of the step, as Brian 1's network
 * operation). */
bc_status bc_synapses_run_lumped(void *synapses, bc_step step);

/* Rows n_rows_before .. + n_calls of the row space read `calls` (n_calls
 * rows of n_syn values, borrowed) at the synapse.  Call after set() and
 * before adding programs that read them. */
bc_status bc_synapses_set_calls(bc_synapses *s, double *calls,
                                int32_t n_calls);

/* Pathway k keeps its due events (bc_synapses_take_pending) instead of
 * running them. */
bc_status bc_synapses_defer(bc_synapses *s, int32_t pathway);

/* The events a deferred pathway kept since the last call: *n synapse
 * numbers, valid until the next step; the list is emptied. */
const bc_index *bc_synapses_take_pending(bc_synapses *s, int32_t pathway,
                                         bc_index *n);

/* Run pathway k's program at `step` on the synapses ids[0..n) (in range;
 * distinct target neurons when it writes target rows).  BC_EINVAL for a
 * pathway without program, BC_ERANGE for an id out of range. */
bc_status bc_synapses_run_events(bc_synapses *s, int32_t pathway,
                                 bc_step step, const bc_index *ids,
                                 bc_index n);

/* out[0..n) = p's out_reg at `step` for the synapses ids[0..n) (ids NULL:
 * every synapse, n = n_syn); p writes no row.  BC_EINVAL for a bad
 * program, BC_ERANGE for an id out of range. */
bc_status bc_synapses_evaluate(bc_synapses *s, const bc_program *p,
                               bc_step step, const bc_index *ids,
                               bc_index n, double *out);

/* Empty the pathways' queues (reinit). */
void bc_synapses_clear_queues(bc_synapses *s);

/* Bytes the core holds for the synapses beyond the borrowed arrays. */
size_t bc_synapses_bytes(const bc_synapses *s);

#endif
