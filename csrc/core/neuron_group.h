/* neuron_group.h -- C core: a group of neurons (Brian 1's NeuronGroup,
 * and the spike sources PoissonGroup and SpikeGeneratorGroup): its state
 * update, threshold, refractory filter, reset and spike history. */
#ifndef BC_NEURON_GROUP_H
#define BC_NEURON_GROUP_H

#include "expr_vm.h"
#include "thread_pool.h"
#include "types.h"

/* Which state updates are split across a pool's threads: those of at
 * least BC_PARALLEL_MIN_COST estimated ns per step (bc_program_cost times
 * n) and BC_PARALLEL_MIN_NEURON_COST ns per neuron.  Measured on the
 * 2-core machine, 2 threads against 1: the noisy LIF (5 ns a neuron)
 * gains 1.25x at 2048 neurons (10 us a step) and ties at 1024; the HH
 * model (20 ns a neuron) gains 1.2-1.5x from 512 neurons.  Cheap programs
 * are bound by memory traffic, which a split moves between the cores (the
 * serial threshold and reset then read the worker's half) instead of
 * sharing: random_network's linear update (0.75 ns a neuron) takes 3 us a
 * step serially and 5 us split at 4000 neurons, 6.6 and 8.9 us at 8000. */
#define BC_PARALLEL_MIN_COST 10000.0
#define BC_PARALLEL_MIN_NEURON_COST 2.0

typedef enum bc_threshold_kind {
    BC_THRESHOLD_NONE = 0,
    BC_THRESHOLD_SCALAR,     /* x[var] > value (strict, as Brian 1) */
    BC_THRESHOLD_VARIABLE,   /* x[var] > x[var2] */
    BC_THRESHOLD_PROGRAM,    /* out_reg of a program is nonzero */
    BC_THRESHOLD_EMPIRICAL,  /* x[var] > value and no spike in the last
                                empirical_steps steps */
    BC_THRESHOLD_POISSON,    /* uniform < x[var] * dt, x a rate in Hz */
    BC_THRESHOLD_GENERATOR   /* spikes read from a sorted schedule */
} bc_threshold_kind;

typedef enum bc_reset_kind {
    BC_RESET_NONE = 0,
    BC_RESET_SCALAR,         /* x[var] = value, clamped while refractory */
    BC_RESET_VARIABLE,       /* x[var] = x[var2] */
    BC_RESET_PROGRAM         /* statements run on the spiking neurons */
} bc_reset_kind;

/* A program and the VM scratch that runs it. */
typedef struct bc_group_program {
    bc_program prog;            /* arrays borrowed from the binding */
    const double *const *arrays;/* borrowed; external ARRAY registers */
    bc_vm vm;                   /* owned */
    int active;
} bc_group_program;

typedef struct bc_group {
    bc_index n;
    int32_t n_vars;
    double *state;              /* borrowed from a NumPy array;
                                   n_vars rows of n values, SI units */
    double dt;                  /* seconds, of the group's clock */
    int32_t clock;              /* index of the group's clock in the
                                   network, set when added */
    uint64_t seed;
    uint64_t stream;            /* base stream of this group's draws */

    bc_group_program update;
    double update_cost;         /* estimated ns per step over the local
                                   range, 0 if none */
    double neuron_cost;         /* estimated ns per neuron and step */
    /* The neurons this process updates and tests, [local_begin,
     * local_end): all of them, unless the group is split over processes
     * (brianc.mpi); the others' state is left alone and their spikes come
     * from bc_group_import_spikes.  Indices stay the group's, so draws
     * and thresholds do not depend on the split. */
    bc_index local_begin, local_end;
    bc_vm *thread_vms;          /* owned; scratch of the update program
                                   for pool threads 1..n_thread_vms */
    int32_t n_thread_vms;
    bc_index *chunk_spikes;     /* owned, with thread_vms: how many
                                   candidate spikes each chunk of a split
                                   update found */
    bc_pool_tuner tuner;        /* split or not, from measured times */

    bc_threshold_kind threshold_kind;
    int32_t threshold_var, threshold_var2;
    double threshold_value;
    bc_step empirical_steps;
    bc_group_program threshold;
    double *condition;          /* owned; n values of the threshold
                                   program's output */

    /* Refractoriness.  A spike at step m survives the filter only if
     * m - last_spike >= refractory_steps (Brian 1's next_allowed test,
     * converted to steps in Python); clamping holds a scalar reset for
     * clamp_steps reset phases from the spike step on. */
    bc_step refractory_steps;   /* 0: no suppression */
    bc_step clamp_steps;        /* 0: no clamping */
    bc_step *last_spike;        /* owned; n steps, BC_NEVER if none */
    /* Variable refractoriness (refractory= an array or a variable): a
     * spike survives if next_allowed[i] <= t and then sets next_allowed[i]
     * = t + period[i] (no -dt/2, as Brian 1); the scalar reset's clamp
     * (clamp_steps from the longest period) holds only neurons with
     * next_allowed[i] > t - dt/4.  Off while next_allowed is NULL. */
    int32_t refractory_var;     /* state row of the periods, or -1 */
    double *refractory_values;  /* owned; n seconds when var is -1 */
    double *next_allowed;       /* owned; n times in seconds, or NULL */

    bc_reset_kind reset_kind;
    int32_t reset_var, reset_var2;
    double reset_value;
    bc_group_program reset;

    /* Spike history: a ring of n_slots spike lists, slot `head` holds
     * the current step's spikes (ascending local indices). */
    int32_t n_slots;
    int32_t head;
    bc_index *history;          /* owned; n_slots * n indices */
    bc_index *history_count;    /* owned; n_slots counts */

    /* Spike generator schedule (BC_THRESHOLD_GENERATOR): entries sorted by
     * step, then index; repeated every period_steps if > 0. */
    bc_count n_scheduled;
    bc_step *schedule_step;     /* owned */
    bc_index *schedule_index;   /* owned */
    bc_step period_steps;
    bc_count schedule_pos;      /* next entry to emit */
    bc_step schedule_offset;    /* period * repetitions done */
    bc_step schedule_last;      /* last step read (BC_NEVER: none yet) */

    /* Poisson threshold: whether its rate row holds one value for all
     * (then the spiking neurons are drawn as geometric gaps).  While
     * rates_pinned, nothing in the core writes the row, so the first
     * step of a run segment looks and the rest trust the answer
     * (rates_uniform: -1 not looked yet, 0 no, 1 yes). */
    int rates_pinned;
    int rates_uniform;
} bc_group;

#define BC_NEVER (INT64_MIN / 4)

bc_status bc_group_init(bc_group *g, bc_index n, int32_t n_vars,
                        double *state, double dt, uint64_t seed,
                        uint64_t stream);
void bc_group_free(bc_group *g);        /* safe on a zeroed struct */

/* Programs: the arrays stay owned by the caller and must outlive g. */
bc_status bc_group_set_update(bc_group *g, const bc_program *p,
                              const double *const *arrays);
bc_status bc_group_set_threshold_program(bc_group *g, const bc_program *p,
                                         const double *const *arrays);
bc_status bc_group_set_reset_program(bc_group *g, const bc_program *p,
                                     const double *const *arrays);
bc_status bc_group_set_schedule(bc_group *g, bc_count n,
                                const bc_step *steps,
                                const bc_index *indices,
                                bc_step period_steps);

/* Variable refractoriness: periods from state row `var` (>= 0) or else
 * a copy of the n seconds in `values`; clamp_steps as in bc_group.
 * bc_group_set_fixed_refractory goes back to step counts. */
bc_status bc_group_set_variable_refractory(bc_group *g, int32_t var,
                                           const double *values,
                                           bc_step clamp_steps);
bc_status bc_group_set_fixed_refractory(bc_group *g, bc_step suppress_steps,
                                        bc_step clamp_steps);

/* Update and test only neurons [begin, end) (0 <= begin <= end <= n,
 * else BC_ERANGE).  A Poisson or generator threshold still draws for the
 * whole group, so its spikes are the same for any split, and keeps those
 * in the range. */
bc_status bc_group_set_local_range(bc_group *g, bc_index begin,
                                   bc_index end);

/* Replace the spike list of `delay` steps ago (0: this step, after
 * bc_group_update of it; BC_ERANGE beyond the history) by the k indices
 * in idx, ascending, distinct and in [0, n) (else BC_EINVAL), with no
 * refractory filter: the spikes of every process, each already filtered
 * by its owner, received up to a minimum delay late.  Resets then act on
 * the local range's spikes only. */
bc_status bc_group_import_spikes(bc_group *g, int32_t delay,
                                 const bc_index *idx, bc_index k);

/* Keep at least `slots` steps of spike history (delay + 1). */
bc_status bc_group_reserve_history(bc_group *g, int32_t slots);

/* Whether the core leaves a Poisson threshold's rate row alone until
 * the next call (the network says so at the start of each run segment;
 * only the caller, between segments, may write it then): the row is then
 * checked for one common rate once, not every step. */
void bc_group_pin_rates(bc_group *g, int pinned);

/* Back to the starting state of a run: no spikes, no refractoriness. */
void bc_group_reset_history(bc_group *g);
/* Put back a saved spiking state (pickling): last_spike (n steps),
 * next_allowed (n seconds, only with variable refractoriness, else
 * NULL), and the spikes of the last n_past steps, delay 0 first, as
 * counts[d] ascending indices each, concatenated in `indices`.  Needs
 * n_past <= n_slots (reserve first). */
bc_status bc_group_restore_spikes(bc_group *g, const bc_step *last_spike,
                                  const double *next_allowed,
                                  int32_t n_past, const bc_index *counts,
                                  const bc_index *indices);

/* Whether the update is dear enough to split across threads. */
int bc_group_update_is_parallel(const bc_group *g);

/* How many threads the update can keep busy: each gets at least
 * BC_PARALLEL_MIN_COST of estimated work a step and two blocks, so that
 * a many-core machine does not wake (and spin) threads whose share is
 * smaller than the cost of handing it out.  1 for a serial update. */
int32_t bc_group_useful_threads(const bc_group *g);

/* Scratch for running the update on n_threads threads (caller
 * included), if the update is worth splitting; otherwise nothing.
 * BC_ENOMEM on allocation failure (the group then stays serial). */
bc_status bc_group_reserve_threads(bc_group *g, int32_t n_threads);

/* Update, threshold, refractory filter and history push for step.  The
 * state update is split over pool's threads (NULL: serial) when
 * bc_group_reserve_threads prepared the group for as many threads; the
 * result is the same bit for bit. */
void bc_group_update(bc_group *g, bc_step step, bc_thread_pool *pool);
void bc_group_reset(bc_group *g, bc_step step);

/* Replace this step's spikes (after bc_group_update of `step`) by the k
 * candidates in idx, ascending and distinct, passed through the
 * refractory filter: how a threshold computed outside the core (a Python
 * function) takes effect.  BC_EINVAL if idx is not ascending or out of
 * range. */
bc_status bc_group_replace_spikes(bc_group *g, bc_step step,
                                  const bc_index *idx, bc_index k);

/* Spikes of `delay` steps ago (0: this step); *count receives their
 * number.  Ascending local indices. */
const bc_index *bc_group_spikes(const bc_group *g, int32_t delay,
                                bc_index *count);

#endif
