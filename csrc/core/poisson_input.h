/* poisson_input.h -- C core: Brian 1's PoissonInput, a sourceless
 * connection.  In each connection phase every target neuron receives
 * weight * Binomial(N, rate*dt) in one state variable; variants share one
 * draw (frozen), delay copies of each event (jitter) or thin them
 * (reliability). */
#ifndef BC_POISSON_INPUT_H
#define BC_POISSON_INPUT_H

#include "buffer.h"
#include "neuron_group.h"

typedef enum bc_poisson_mode {
    BC_POISSON_PLAIN = 0,       /* an independent draw per target */
    BC_POISSON_FROZEN,          /* one draw shared by every target */
    BC_POISSON_JITTER,          /* `copies` copies of an event, each
                                   delayed by Exp(jitter) */
    BC_POISSON_RELIABILITY      /* weight * Binomial(copies, alpha), one
                                   factor per step for every target */
} bc_poisson_mode;

typedef struct bc_poisson_input {
    bc_group *target;           /* borrowed; the owner group */
    bc_index origin, n;         /* target window [origin, origin + n) */
    int32_t var;                /* row of the target's state */
    int64_t n_sources;          /* N independent Poisson processes */
    double p;                   /* rate * dt, in [0, 1] */
    double weight;              /* SI unit of the target variable */
    bc_poisson_mode mode;
    int32_t copies;
    double jitter_steps;        /* mean delay of a copy, in steps */
    double reliability;         /* alpha in [0, 1] */
    uint64_t seed, stream;      /* streams stream .. stream + 2 */

    /* Jitter: the step at which copy c of neuron i arrives, for the last
     * event of i (a new event replaces the pending copies, as in Brian 1);
     * copies * n entries, BC_NEVER when none is pending. */
    bc_step *arrival;           /* owned, NULL unless jitter */

    /* Records: (local index, step) of every target that received at
     * least one event (record != 0), and for frozen input the steps with
     * an event (Brian 1's `events`, kept with index -1). */
    int record;
    bc_buffer rec_index;        /* bc_index per record */
    bc_buffer rec_step;         /* bc_step per record */
} bc_poisson_input;

/* p must be in [0, 1], copies >= 0, jitter_steps >= 0, reliability in
 * [0, 1] and the window inside the target (BC_EINVAL / BC_ERANGE). */
bc_status bc_poisson_input_init(bc_poisson_input *in, bc_group *target,
                                bc_index origin, bc_index n, int32_t var,
                                int64_t n_sources, double p, double weight,
                                bc_poisson_mode mode, int32_t copies,
                                double jitter_steps, double reliability,
                                uint64_t seed, uint64_t stream, int record);
void bc_poisson_input_free(bc_poisson_input *in);   /* zeroed struct ok */

/* Back to the start of a run: no pending copies, no records. */
void bc_poisson_input_clear(bc_poisson_input *in);

/* The connection-phase work of step `step` (a bc_task_fn: object is a
 * bc_poisson_input).  BC_ENOMEM if a record cannot be stored. */
bc_status bc_poisson_input_run(void *object, bc_step step);

#endif
