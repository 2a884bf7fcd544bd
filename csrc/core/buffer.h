/* buffer.h -- C core: a growable array of fixed-size items with amortised
 * doubling, for monitor records.  Owned memory, freed by bc_buffer_free. */
#ifndef BC_BUFFER_H
#define BC_BUFFER_H

#include <stddef.h>

#include "types.h"

typedef struct bc_buffer {
    void *data;         /* owned; capacity * item_size bytes */
    size_t item_size;
    size_t length;      /* items in use */
    size_t capacity;
} bc_buffer;

void bc_buffer_init(bc_buffer *b, size_t item_size);
void bc_buffer_free(bc_buffer *b);      /* safe on a zeroed struct */
/* Room for `more` further items; the caller then writes at
 * (char *)data + length * item_size and adds to length. */
bc_status bc_buffer_reserve(bc_buffer *b, size_t more);
void bc_buffer_clear(bc_buffer *b);
/* Replace the contents with `count` items copied from `items`. */
bc_status bc_buffer_assign(bc_buffer *b, const void *items, size_t count);

#endif
