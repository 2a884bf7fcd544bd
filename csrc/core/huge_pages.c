/* huge_pages.c -- C core: big arrays on transparent huge pages. */
#define _DEFAULT_SOURCE         /* madvise */
#include "huge_pages.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)

/* Above this, small pages.  Virtual machines that hand free memory back
 * to the host (virtio-balloon page reporting, for free blocks of 8 MB and
 * up on the benchmark machine) serve big huge-page requests from memory
 * the host must fault in again: there, filling 96 MB took 250 ms on huge
 * pages against 45 ms on small ones (12 ms when the memory was still
 * backed).  Blocks up to a few MB mostly come from memory freed
 * recently, which was never handed back. */
#define HUGE_MAX ((size_t)8 << 20)

int
bc_huge_pages_for(size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* From half a huge page on, one fault beats 256 small ones. */
    return bytes >= HUGE_PAGE / 2 && bytes <= HUGE_MAX;
#else
    (void)bytes;
    return 0;
#endif
}

void *
bc_alloc_huge(size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    /* The rounding costs address space only: pages never touched are
     * never backed, and a trimming realloc gives the tail back. */
    if (bc_huge_pages_for(bytes)) {
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

void
bc_prefault(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    const uintptr_t page = 4096;
    uintptr_t first = (uintptr_t)p & ~(page - 1);
    uintptr_t end = ((uintptr_t)p + bytes + page - 1) & ~(page - 1);
    if (bytes > 0) {
        /* Advice only: pages it leaves out fault when written. */
        (void)madvise((void *)first, end - first, MADV_POPULATE_WRITE);
    }
#else
    (void)p;
    (void)bytes;
#endif
}
