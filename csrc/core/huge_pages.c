/* huge_pages.c -- C core: big arrays on transparent huge pages. */
#define _DEFAULT_SOURCE         /* madvise */
#include "huge_pages.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)

void *
bc_alloc_huge(size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* From half a huge page on, one fault beats 256 small ones.  The
     * rounding costs address space only: pages never touched are never
     * backed, and a trimming realloc gives the tail back. */
    if (bytes >= HUGE_PAGE / 2 && bytes <= SIZE_MAX - HUGE_PAGE) {
        size_t rounded = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
        void *p = aligned_alloc(HUGE_PAGE, rounded);
        if (p != NULL) {
            /* Advice only: if the kernel refuses, the block still works
             * with small pages. */
            (void)madvise(p, rounded, MADV_HUGEPAGE);
            return p;
        }
    }
#endif
    return malloc(bytes > 0 ? bytes : 1);
}
