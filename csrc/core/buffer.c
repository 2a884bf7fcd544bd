/* buffer.c -- C core: growable arrays for monitor records. */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

void
bc_buffer_init(bc_buffer *b, size_t item_size)
{
    memset(b, 0, sizeof(*b));
    b->item_size = item_size;
}

void
bc_buffer_free(bc_buffer *b)
{
    free(b->data);
    b->data = NULL;
    b->length = b->capacity = 0;
}

bc_status
bc_buffer_reserve(bc_buffer *b, size_t more)
{
    if (more > SIZE_MAX / 2 - b->length) {
        return BC_ENOMEM;
    }
    size_t need = b->length + more;
    if (need <= b->capacity) {
        return BC_OK;
    }
    size_t cap = b->capacity > 0 ? b->capacity : 256;
    while (cap < need) {
        cap *= 2;
    }
    if (cap > SIZE_MAX / b->item_size) {
        return BC_ENOMEM;
    }
    void *p = realloc(b->data, cap * b->item_size);
    if (p == NULL) {
        return BC_ENOMEM;
    }
    b->data = p;
    b->capacity = cap;
    return BC_OK;
}

void
bc_buffer_clear(bc_buffer *b)
{
    b->length = 0;
}

bc_status
bc_buffer_assign(bc_buffer *b, const void *items, size_t count)
{
    b->length = 0;
    if (count == 0) {
        return BC_OK;
    }
    bc_status st = bc_buffer_reserve(b, count);
    if (st != BC_OK) {
        return st;
    }
    memcpy(b->data, items, count * b->item_size);
    b->length = count;
    return BC_OK;
}
