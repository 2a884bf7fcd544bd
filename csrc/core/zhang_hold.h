/* zhang_hold.h -- C core: the refractoriness of Brian Hears' ZhangSynapse
 * fibres, Brian 1's CustomRefractoriness whose reset and refractory
 * function both set e_0 = e_1 = 1: in the resets phase of each step,
 * every fibre that spiked in this step or the phases - 1 before it (its
 * dead time R_A, int(R_A/dt) + 1 reset phases) gets e_0 = e_1 = 1. */
#ifndef BC_ZHANG_HOLD_H
#define BC_ZHANG_HOLD_H

#include "neuron_group.h"
#include "types.h"

typedef struct bc_zhang_hold {
    const bc_group *group;      /* borrowed; its spike history */
    int32_t phases;             /* >= 1 */
    double *e_0, *e_1;          /* borrowed; group->n values, written */
} bc_zhang_hold;

/* e_0 = e_1 = 1 for the fibres held now (a bc_task_fn; the step is not
 * used).  BC_EINVAL if the group keeps fewer than phases steps of
 * spikes. */
bc_status bc_zhang_hold_run(void *object, bc_step step);

#endif
