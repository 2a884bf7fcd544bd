/* huge_pages.h -- C core: allocation of big arrays that are filled right
 * away (connection weights and targets).  On Linux a big block starts on
 * a 2 MB boundary and asks for transparent huge pages, so filling it
 * costs one page fault per 2 MB instead of one per 4 kB; elsewhere, and
 * for small blocks, it is plain malloc. */
#ifndef BC_HUGE_PAGES_H
#define BC_HUGE_PAGES_H

#include <stddef.h>

/* Like malloc(bytes): release with free(), resize with realloc() (a
 * block that moves may lose the advice, which only costs speed). */
void *bc_alloc_huge(size_t bytes);

/* Whether bc_alloc_huge(bytes) asks for huge pages. */
int bc_huge_pages_for(size_t bytes);

/* Backs the pages of [p, p + bytes) with memory now, in one call instead
 * of a page fault per 4 kB page written (Linux 5.14+:
 * MADV_POPULATE_WRITE); a no-op elsewhere or when refused.  Writers of a
 * fresh array call it a little ahead of where they write, so the zeroed
 * pages are still in the cache. */
void bc_prefault(void *p, size_t bytes);

#endif
