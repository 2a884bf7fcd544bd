/* check.h -- C tests: a counting CHECK(cond) and the summary line
 * "N passed, N failed" that tests/c/Makefile adds up. */
#ifndef BC_CHECK_H
#define BC_CHECK_H

#include <stdio.h>

typedef struct check_counts {
    long passed;
    long failed;
} check_counts;

/* One counter pair per test program (a static local of an internal
 * function, so including this header never defines unused objects). */
static inline check_counts *
check_counts_(void)
{
    static check_counts counts;
    return &counts;
}

static inline void
check_record_(int ok, const char *file, int line, const char *what)
{
    if (ok) {
        check_counts_()->passed++;
    }
    else {
        check_counts_()->failed++;
        fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, what);
    }
}

#define CHECK(cond) check_record_((cond) ? 1 : 0, __FILE__, __LINE__, #cond)

/* Print the summary line (always the last line) and give main's exit
 * status. */
static inline int
check_report(void)
{
    check_counts *c = check_counts_();
    printf("%ld passed, %ld failed\n", c->passed, c->failed);
    return c->failed == 0 ? 0 : 1;
}

#endif
