/* network.h -- C core: the run loop.  Every step of the clock that is
 * furthest behind runs Brian 1's fixed order of operations (spec 7.1).
 * The loop pauses (BC_YIELD) for the caller's operations and every few
 * tens of milliseconds of wall time, always between two phases. */
#ifndef BC_NETWORK_H
#define BC_NETWORK_H

#include "connection.h"
#include "neuron_group.h"
#include "spike_monitor.h"
#include "state_monitor.h"
#include "thread_pool.h"

typedef enum bc_slot {
    BC_SLOT_START = 0,
    BC_SLOT_BEFORE_GROUPS,
    BC_SLOT_AFTER_GROUPS,
    BC_SLOT_MIDDLE,
    BC_SLOT_BEFORE_CONNECTIONS,
    BC_SLOT_AFTER_CONNECTIONS,
    BC_SLOT_BEFORE_RESETS,
    BC_SLOT_AFTER_RESETS,
    BC_SLOT_END,
    BC_N_SLOTS
} bc_slot;

/* Time is a step count; t = step * dt. */
typedef struct bc_clock {
    double dt;                  /* seconds */
    bc_step step;
    bc_step end;                /* a run stops when the clock due next has
                                   reached its end */
    int32_t order;              /* ties between clocks: lower order first */
} bc_clock;

typedef enum bc_op_kind {
    BC_OPERATION_EXTERNAL = 0,  /* the caller's (a Python callable) */
    BC_OPERATION_STATE_MONITOR,
    BC_OPERATION_TASK           /* a core object's own per-step work */
} bc_op_kind;

/* A task: task(object, step) run in an operation slot, or with slot
 * BC_SLOT_CONNECTIONS in the connection phase after the connections
 * (PoissonInput, TimedArray setters), or with slot BC_SLOT_SYNAPSES in
 * Brian 1's 'synapses' phase, after the after_connections operations
 * (Synapses). */
typedef bc_status (*bc_task_fn)(void *object, bc_step step);
#define BC_SLOT_CONNECTIONS BC_N_SLOTS
#define BC_SLOT_SYNAPSES (BC_N_SLOTS + 1)

typedef struct bc_operation {
    bc_op_kind kind;
    bc_slot slot;
    int32_t clock;
    int32_t id;                 /* the caller's number for external ops */
    bc_state_monitor *monitor;  /* borrowed, for state monitors */
    bc_task_fn task;            /* for tasks */
    void *object;               /* borrowed, for tasks */
} bc_operation;

/* One element of a scheduled list: an object and the clock it runs on. */
typedef struct bc_entry {
    void *object;               /* borrowed */
    int32_t clock;
} bc_entry;

typedef struct bc_network {
    int32_t n_clocks;
    bc_clock **clocks;          /* owned array of borrowed clocks */
    int32_t n_groups, n_connections, n_spike_monitors, n_operations;
    bc_entry *groups;           /* owned arrays of borrowed objects */
    bc_entry *connections;
    bc_entry *spike_monitors;
    bc_operation *operations;   /* owned; in the order they were added */

    /* Where a paused step resumes. */
    int32_t current;            /* clock being stepped, -1 between steps */
    int32_t phase;
    int32_t position;           /* next operation within the phase */
    int32_t yield_id;           /* external op to call, -1 for a pause */
    int stop_requested;
    int skip_external;          /* finish a step without the caller's
                                   operations (after an exception in one) */
    double yield_interval;      /* seconds of wall time between pauses */
    int32_t n_threads;          /* threads for dear updates: 0 = one per
                                   online CPU, 1 = serial */
    bc_thread_pool *pool;       /* owned; started by the first run that
                                   has an update worth splitting */
    int always_split;           /* split dear updates even where timing
                                   says serial is faster (tests) */
    uint64_t step_profile[4];   /* nanoseconds: update, propagate,
                                   reset, monitors */
    int profile;
} bc_network;

bc_status bc_network_init(bc_network *net);
void bc_network_free(bc_network *net);      /* safe on a zeroed struct */

/* Returns the clock's index, adding it if new. */
bc_status bc_network_clock(bc_network *net, bc_clock *clock,
                           int32_t *index);
bc_status bc_network_add_group(bc_network *net, bc_group *g,
                               bc_clock *clock);
bc_status bc_network_add_connection(bc_network *net, bc_connection *c,
                                    bc_clock *clock);
bc_status bc_network_add_spike_monitor(bc_network *net,
                                       bc_spike_monitor *m,
                                       bc_clock *clock);
bc_status bc_network_add_operation(bc_network *net, bc_op_kind kind,
                                   bc_slot slot, bc_clock *clock, int32_t id,
                                   bc_state_monitor *monitor);
/* slot: an operation slot, BC_SLOT_CONNECTIONS or BC_SLOT_SYNAPSES. */
bc_status bc_network_add_task(bc_network *net, int32_t slot,
                              bc_clock *clock, bc_task_fn task,
                              void *object);

/* Threads for the state updates of dear groups (bc_group_reserve_threads):
 * 0 = one per online CPU, 1 = serial, at most BC_POOL_MAX_THREADS (else
 * BC_EINVAL).  Stops a running pool if the number changes; not during a
 * run. */
bc_status bc_network_set_threads(bc_network *net, int32_t n_threads);

/* Run until the clock due next reaches its end (BC_OK), a stop request
 * (BC_INTERRUPTED), an external operation (BC_YIELD with yield_id >= 0:
 * call it, then call bc_network_run again) or a pause (BC_YIELD with
 * yield_id == -1). */
bc_status bc_network_run(bc_network *net);

/* Complete a step paused half-way without yielding for external
 * operations, so that the objects' state is that of a whole number of
 * steps (used when an operation raised or Ctrl-C arrived mid-step). */
bc_status bc_network_finish_step(bc_network *net);

#endif
