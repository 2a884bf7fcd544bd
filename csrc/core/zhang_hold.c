/* zhang_hold.c -- C core: ZhangSynapse's refractory hold (zhang_hold.h). */
#include "zhang_hold.h"

bc_status
bc_zhang_hold_run(void *object, bc_step step)
{
    (void)step;
    const bc_zhang_hold *h = object;
    if (h->phases < 1 || h->phases > h->group->n_slots) {
        return BC_EINVAL;
    }
    for (int32_t d = 0; d < h->phases; d++) {
        bc_index count;
        const bc_index *spikes = bc_group_spikes(h->group, d, &count);
        for (bc_index k = 0; k < count; k++) {
            h->e_0[spikes[k]] = 1.0;
            h->e_1[spikes[k]] = 1.0;
        }
    }
    return BC_OK;
}
