/* network.c -- C core: the step loop and its fixed order of operations. */
#define _POSIX_C_SOURCE 200809L     /* clock_gettime, CLOCK_MONOTONIC */

#include "network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The phases of one step, in Brian 1's order (spec 7.1). */
enum {
    PHASE_START = 0,
    PHASE_BEFORE_GROUPS,
    PHASE_GROUPS,
    PHASE_AFTER_GROUPS,
    PHASE_MIDDLE,
    PHASE_BEFORE_CONNECTIONS,
    PHASE_CONNECTIONS,
    PHASE_DELIVERY,
    PHASE_AFTER_CONNECTIONS,
    PHASE_SYNAPSES,
    PHASE_BEFORE_RESETS,
    PHASE_RESETS,
    PHASE_AFTER_RESETS,
    PHASE_END,
    PHASE_TICK
};

/* The operation slot a phase runs, or -1 for an object phase. */
static int
phase_slot(int32_t phase)
{
    switch (phase) {
    case PHASE_START: return BC_SLOT_START;
    case PHASE_BEFORE_GROUPS: return BC_SLOT_BEFORE_GROUPS;
    case PHASE_AFTER_GROUPS: return BC_SLOT_AFTER_GROUPS;
    case PHASE_MIDDLE: return BC_SLOT_MIDDLE;
    case PHASE_BEFORE_CONNECTIONS: return BC_SLOT_BEFORE_CONNECTIONS;
    case PHASE_AFTER_CONNECTIONS: return BC_SLOT_AFTER_CONNECTIONS;
    case PHASE_BEFORE_RESETS: return BC_SLOT_BEFORE_RESETS;
    case PHASE_AFTER_RESETS: return BC_SLOT_AFTER_RESETS;
    case PHASE_END: return BC_SLOT_END;
    default: return -1;
    }
}

/* Monotonic: the calendar clock can be set back (NTP, a resumed virtual
 * machine), and the pauses for Ctrl-C would then stop until it caught
 * up. */
static double
wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

bc_status
bc_network_init(bc_network *net)
{
    memset(net, 0, sizeof(*net));
    net->current = -1;
    net->yield_id = -1;
    net->yield_interval = 0.05;
    return BC_OK;
}

static void
pool_stop(bc_network *net)
{
    if (net->pool != NULL) {
        bc_thread_pool_free(net->pool);
        free(net->pool);
        net->pool = NULL;
    }
}

void
bc_network_free(bc_network *net)
{
    pool_stop(net);
    free(net->clocks);
    free(net->groups);
    free(net->connections);
    free(net->spike_monitors);
    free(net->operations);
    memset(net, 0, sizeof(*net));
    net->current = -1;
}

/* Append one item of `size` bytes to *array holding *n items. */
static bc_status
append(void **array, int32_t *n, size_t size, const void *item)
{
    if (*n == INT32_MAX) {
        return BC_ERANGE;
    }
    void *p = realloc(*array, ((size_t)*n + 1) * size);
    if (p == NULL) {
        return BC_ENOMEM;
    }
    memcpy((char *)p + (size_t)*n * size, item, size);
    *array = p;
    (*n)++;
    return BC_OK;
}

bc_status
bc_network_clock(bc_network *net, bc_clock *clock, int32_t *index)
{
    for (int32_t k = 0; k < net->n_clocks; k++) {
        if (net->clocks[k] == clock) {
            *index = k;
            return BC_OK;
        }
    }
    if (!(clock->dt > 0.0)) {
        return BC_EINVAL;
    }
    *index = net->n_clocks;
    return append((void **)&net->clocks, &net->n_clocks, sizeof(clock),
                  &clock);
}

static bc_status
add_entry(bc_network *net, bc_entry **list, int32_t *n, void *object,
          bc_clock *clock)
{
    bc_entry e = {.object = object};
    bc_status st = bc_network_clock(net, clock, &e.clock);
    if (st != BC_OK) {
        return st;
    }
    return append((void **)list, n, sizeof(e), &e);
}

bc_status
bc_network_add_group(bc_network *net, bc_group *g, bc_clock *clock)
{
    return add_entry(net, &net->groups, &net->n_groups, g, clock);
}

bc_status
bc_network_add_connection(bc_network *net, bc_connection *c,
                          bc_clock *clock)
{
    return add_entry(net, &net->connections, &net->n_connections, c, clock);
}

bc_status
bc_network_add_spike_monitor(bc_network *net, bc_spike_monitor *m,
                             bc_clock *clock)
{
    return add_entry(net, &net->spike_monitors, &net->n_spike_monitors, m,
                     clock);
}

bc_status
bc_network_add_operation(bc_network *net, bc_op_kind kind, bc_slot slot,
                         bc_clock *clock, int32_t id,
                         bc_state_monitor *monitor)
{
    if ((int)slot < 0 || slot >= BC_N_SLOTS ||
        (kind == BC_OPERATION_STATE_MONITOR && monitor == NULL)) {
        return BC_EINVAL;
    }
    bc_operation op = {.kind = kind, .slot = slot, .id = id,
                       .monitor = monitor};
    bc_status st = bc_network_clock(net, clock, &op.clock);
    if (st != BC_OK) {
        return st;
    }
    return append((void **)&net->operations, &net->n_operations,
                  sizeof(op), &op);
}

bc_status
bc_network_add_task(bc_network *net, int32_t slot, bc_clock *clock,
                    bc_task_fn task, void *object)
{
    if (slot < 0 || slot > BC_SLOT_SYNAPSES || task == NULL) {
        return BC_EINVAL;
    }
    bc_operation op = {.kind = BC_OPERATION_TASK, .slot = (bc_slot)slot,
                       .id = -1, .task = task, .object = object};
    bc_status st = bc_network_clock(net, clock, &op.clock);
    if (st != BC_OK) {
        return st;
    }
    return append((void **)&net->operations, &net->n_operations,
                  sizeof(op), &op);
}

bc_status
bc_network_set_threads(bc_network *net, int32_t n_threads)
{
    if (n_threads < 0 || n_threads > BC_POOL_MAX_THREADS) {
        return BC_EINVAL;
    }
    if (net->pool != NULL && n_threads != net->n_threads) {
        pool_stop(net);
    }
    net->n_threads = n_threads;
    return BC_OK;
}

/* Starts the pool (once) if some group's update is worth splitting, and
 * gives those groups scratch for every thread.  Cheap when nothing has
 * changed, so it runs at each entry to bc_network_run. */
static bc_status
prepare_threads(bc_network *net)
{
    if (net->pool != NULL && bc_thread_pool_inherited(net->pool)) {
        /* This process was forked while the network ran (from one of its
         * operations, say): the pool's workers stayed in the parent. */
        pool_stop(net);
    }
    /* Automatic: no more threads than the dearest update can use. */
    int32_t useful = 1;
    for (int32_t k = 0; k < net->n_groups; k++) {
        int32_t u = bc_group_useful_threads(net->groups[k].object);
        useful = u > useful ? u : useful;
    }
    if (useful < 2) {
        return BC_OK;
    }
    int32_t want = net->n_threads;
    if (want == 0) {
        want = bc_thread_pool_cpus();
        want = want < useful ? want : useful;
    }
    if (want < 2) {
        return BC_OK;
    }
    if (net->pool == NULL) {
        /* aligned: the pool keeps its shared words on lines of their own */
        bc_thread_pool *pool = aligned_alloc(_Alignof(bc_thread_pool),
                                             sizeof(*pool));
        if (pool == NULL) {
            return BC_ENOMEM;
        }
        bc_status st = bc_thread_pool_init(pool, want);
        if (st != BC_OK) {
            bc_thread_pool_free(pool);
            free(pool);
            return st;
        }
        net->pool = pool;
    }
    net->pool->always_split = net->always_split;
    for (int32_t k = 0; k < net->n_groups; k++) {
        bc_status st = bc_group_reserve_threads(net->groups[k].object,
                                                net->pool->n_threads);
        if (st != BC_OK) {
            return st;
        }
    }
    return BC_OK;
}

/* The clock that runs next: the smallest time, ties to the lower order. */
static int32_t
next_clock(const bc_network *net)
{
    int32_t best = -1;
    double best_t = 0.0;
    for (int32_t k = 0; k < net->n_clocks; k++) {
        const bc_clock *c = net->clocks[k];
        double t = (double)c->step * c->dt;
        if (best < 0) {
            best = k;
            best_t = t;
            continue;
        }
        double tol = 1e-14 * fmax(fabs(t), fabs(best_t));
        if (t < best_t - tol ||
            (fabs(t - best_t) <= tol &&
             c->order < net->clocks[best]->order)) {
            best = k;
            best_t = t;
        }
    }
    return best;
}

static uint64_t
now_ns(int enabled)
{
    if (!enabled) {
        return 0;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);   /* never back: no wrap below */
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Runs the operations of `slot` for the current clock from
 * net->position on; BC_YIELD when an external one is due. */
static bc_status
run_operations(bc_network *net, int slot, bc_step step)
{
    for (; net->position < net->n_operations; net->position++) {
        bc_operation *op = &net->operations[net->position];
        if ((int)op->slot != slot || op->clock != net->current) {
            continue;
        }
        if (op->kind == BC_OPERATION_EXTERNAL) {
            if (net->skip_external) {
                continue;
            }
            net->yield_id = op->id;
            net->position++;
            return BC_YIELD;
        }
        if (op->kind == BC_OPERATION_TASK) {
            bc_status st = op->task(op->object, step);
            if (st != BC_OK) {
                return st;
            }
            continue;
        }
        uint64_t t0 = now_ns(net->profile);
        bc_status st = bc_state_monitor_record(op->monitor, step);
        net->step_profile[3] += now_ns(net->profile) - t0;
        if (st != BC_OK) {
            return st;
        }
    }
    return BC_OK;
}

/* Whether a connection of the clock has per-synapse delays to deliver. */
static int
any_delivery(const bc_network *net, int32_t clock)
{
    for (int32_t k = 0; k < net->n_connections; k++) {
        const bc_connection *c = net->connections[k].object;
        if (net->connections[k].clock == clock && c->ring != NULL) {
            return 1;
        }
    }
    return 0;
}

/* The object phases of the current clock's step. */
static bc_status
run_objects(bc_network *net, int32_t phase, bc_step step)
{
    int32_t cur = net->current;
    if (phase == PHASE_DELIVERY && !any_delivery(net, cur)) {
        return BC_OK;   /* nothing due: not even a profile reading */
    }
    uint64_t t0 = now_ns(net->profile);
    switch (phase) {
    case PHASE_GROUPS:
        for (int32_t k = 0; k < net->n_groups; k++) {
            if (net->groups[k].clock == cur) {
                bc_group_update(net->groups[k].object, step, net->pool);
            }
        }
        net->step_profile[0] += now_ns(net->profile) - t0;
        break;
    case PHASE_CONNECTIONS:
        for (int32_t k = 0; k < net->n_connections; k++) {
            if (net->connections[k].clock == cur) {
                bc_connection_propagate(net->connections[k].object);
            }
        }
        for (int32_t k = 0; k < net->n_operations; k++) {
            bc_operation *op = &net->operations[k];
            if (op->kind == BC_OPERATION_TASK &&
                op->slot == BC_SLOT_CONNECTIONS && op->clock == cur) {
                bc_status st = op->task(op->object, step);
                if (st != BC_OK) {
                    return st;
                }
            }
        }
        net->step_profile[1] += now_ns(net->profile) - t0;
        t0 = now_ns(net->profile);
        for (int32_t k = 0; k < net->n_spike_monitors; k++) {
            if (net->spike_monitors[k].clock == cur) {
                bc_status st = bc_spike_monitor_record(
                    net->spike_monitors[k].object, step);
                if (st != BC_OK) {
                    return st;
                }
            }
        }
        net->step_profile[3] += now_ns(net->profile) - t0;
        break;
    case PHASE_SYNAPSES:
        for (int32_t k = 0; k < net->n_operations; k++) {
            bc_operation *op = &net->operations[k];
            if (op->kind == BC_OPERATION_TASK &&
                (int)op->slot == BC_SLOT_SYNAPSES && op->clock == cur) {
                bc_status st = op->task(op->object, step);
                if (st != BC_OK) {
                    return st;
                }
            }
        }
        net->step_profile[1] += now_ns(net->profile) - t0;
        break;
    case PHASE_DELIVERY:
        for (int32_t k = 0; k < net->n_connections; k++) {
            if (net->connections[k].clock == cur) {
                bc_connection_deliver(net->connections[k].object);
            }
        }
        net->step_profile[1] += now_ns(net->profile) - t0;
        break;
    case PHASE_RESETS:
        for (int32_t k = 0; k < net->n_groups; k++) {
            if (net->groups[k].clock == cur) {
                bc_group_reset(net->groups[k].object, step);
            }
        }
        net->step_profile[2] += now_ns(net->profile) - t0;
        break;
    default:
        break;
    }
    return BC_OK;
}

/* Whether something in the core may write group g's Poisson rate row
 * during a run: its own programs and resets, a connection into g, or a
 * task (their targets are opaque here, so any task counts). */
static int
rates_may_change(const bc_network *net, const bc_group *g)
{
    if (g->update.active || g->reset_kind != BC_RESET_NONE) {
        return 1;
    }
    for (int32_t i = 0; i < net->n_operations; i++) {
        if (net->operations[i].kind == BC_OPERATION_TASK) {
            return 1;
        }
    }
    for (int32_t i = 0; i < net->n_connections; i++) {
        const bc_connection *c = net->connections[i].object;
        if (c->target == g) {
            return 1;
        }
    }
    return 0;
}

/* A run segment starts: the caller may have written any state since the
 * last one, so each Poisson group looks at its rates again, once for
 * the segment where nothing in the core writes them. */
static void
pin_rates(bc_network *net)
{
    for (int32_t i = 0; i < net->n_groups; i++) {
        bc_group *g = net->groups[i].object;
        if (g->threshold_kind == BC_THRESHOLD_POISSON) {
            bc_group_pin_rates(g, !rates_may_change(net, g));
        }
    }
}

bc_status
bc_network_run(bc_network *net)
{
    double started = wall_seconds();
    net->yield_id = -1;
    pin_rates(net);
    bc_status prepared = prepare_threads(net);
    if (prepared != BC_OK) {
        return prepared;
    }
    for (;;) {
        if (net->current < 0) {
            int32_t c = next_clock(net);
            if (c < 0 || net->clocks[c]->step >= net->clocks[c]->end) {
                return BC_OK;
            }
            net->current = c;
            net->phase = PHASE_START;
            net->position = 0;
        }
        bc_clock *clock = net->clocks[net->current];
        bc_step step = clock->step;
        while (net->phase < PHASE_TICK) {
            int slot = phase_slot(net->phase);
            bc_status st = slot >= 0
                ? run_operations(net, slot, step)
                : run_objects(net, net->phase, step);
            if (st != BC_OK) {
                return st;      /* BC_YIELD resumes within this phase */
            }
            net->phase++;
            net->position = 0;
        }
        clock->step++;
        net->current = -1;
        if (net->stop_requested) {
            net->stop_requested = 0;
            return BC_INTERRUPTED;
        }
        if (wall_seconds() - started > net->yield_interval) {
            return BC_YIELD;
        }
    }
}

bc_status
bc_network_finish_step(bc_network *net)
{
    if (net->current < 0) {
        return BC_OK;
    }
    net->skip_external = 1;
    net->stop_requested = 1;
    bc_status st = bc_network_run(net);
    net->skip_external = 0;
    net->stop_requested = 0;
    return st == BC_INTERRUPTED ? BC_OK : st;
}
