/* state_monitor.h -- C core: samples one variable of a group window every
 * `timestep` calls (Brian 1's StateMonitor).  A static equation is
 * sampled through a program whose out_reg gives its value. */
#ifndef BC_STATE_MONITOR_H
#define BC_STATE_MONITOR_H

#include "buffer.h"
#include "neuron_group.h"

typedef struct bc_state_monitor {
    bc_group *group;            /* borrowed; owner group */
    bc_index origin, n;         /* window of the owner */
    int32_t var;                /* state row, or -1 with `program` */
    bc_group_program program;   /* owned VM; program arrays borrowed */
    double *scratch;            /* owned; n values of the program */
    bc_index n_rec;
    bc_index *rec;              /* owned; recorded local indices */
    bc_step timestep, calls;
    bc_buffer values;           /* double, n_rec per sample */
    bc_buffer steps;            /* bc_step per sample */
    /* RecentStateMonitor: keep only the last `capacity` samples (0: all);
     * once full, sample k is overwritten by sample k + capacity and
     * `ring_next` is the oldest one. */
    size_t capacity;
    size_t ring_next;
    int stats;                  /* keep per-neuron sum and sum of squares */
    double *sum, *sumsq;        /* owned; n each, when stats */
    int64_t n_stat;
} bc_state_monitor;

bc_status bc_state_monitor_init(bc_state_monitor *m, bc_group *group,
                                bc_index origin, bc_index n, int32_t var,
                                bc_index n_rec, const bc_index *rec,
                                bc_step timestep, int stats);
/* Sample a static equation instead of a state row. */
bc_status bc_state_monitor_set_program(bc_state_monitor *m,
                                       const bc_program *p,
                                       const double *const *arrays);
/* Keep only the last `capacity` samples (> 0); clears the records. */
bc_status bc_state_monitor_set_capacity(bc_state_monitor *m,
                                        size_t capacity);
/* Everything a state monitor has recorded (pickling): `samples` samples
 * oldest first (n_rec values and a step each), the calls made so far, and
 * the per-neuron sums (n each, when the monitor keeps them).  Borrowed. */
typedef struct bc_state_record {
    size_t samples;
    const double *values;
    const bc_step *steps;
    bc_step calls;
    const double *sum, *sumsq;
    int64_t n_stat;
} bc_state_record;

/* Replace m's records with r (checked against its capacity). */
bc_status bc_state_monitor_restore(bc_state_monitor *m,
                                   const bc_state_record *r);
void bc_state_monitor_free(bc_state_monitor *m);
void bc_state_monitor_clear(bc_state_monitor *m);
bc_status bc_state_monitor_record(bc_state_monitor *m, bc_step step);

#endif
