/* types.h -- C core: the integer types and status codes every core file
 * shares.  Plain C11, no Python. */
#ifndef BC_TYPES_H
#define BC_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t bc_index;   /* neuron index or group size */
typedef int64_t bc_count;   /* synapse count or offset */
typedef int64_t bc_step;    /* time step number; t = step * dt */

#define BC_INDEX_MAX INT32_MAX

typedef enum bc_status {
    BC_OK = 0,
    BC_ENOMEM,          /* allocation failed */
    BC_EINVAL,          /* malformed input (program, sizes) */
    BC_ERANGE,          /* index or size out of range */
    BC_INTERRUPTED,     /* stopped on request between two steps */
    BC_YIELD            /* paused for the caller (Python ops, Ctrl-C check) */
} bc_status;

#endif
