/* random_rows.h -- C core: the targets of the rows of a random block.
 * Row k of a block of n_cols columns holds each column independently with
 * probability p (Brian 1's connect_random): a Binomial(n_cols, p) number
 * of distinct, uniformly placed targets, ascending.  A row is a pure
 * function of (seed, stream, k), so rows can be drawn in any order. */
#ifndef BC_RANDOM_ROWS_H
#define BC_RANDOM_ROWS_H

#include "binomial_table.h"
#include "rng.h"
#include "types.h"

/* bc_row_sampler_fill may write up to this many entries past a row's
 * last target (scratch values, overwritten by the next row). */
#define BC_ROW_SLACK 16

typedef struct bc_row_sampler {
    uint64_t seed, stream;
    bc_index n_cols;
    double p;
    int method;                 /* ROWS_* in random_rows.c */
    /* Bitmap rows: size, then that many distinct columns marked.  Sizes
     * invert the table with uniforms drawn for SIZE_BATCH rows at once
     * (rows size_row0...); without a table (very wide rows), size. */
    bc_binomial size;
    bc_binomial_table size_table;   /* owned; width 0: none */
    double *size_u;             /* owned; the batch's uniforms */
    bc_index size_row0;         /* -1: no batch yet */
    uint32_t reject;            /* 2^32 mod n_cols (Lemire's bound) */
    uint32_t spare;             /* column standing for a rejected word */
    uint64_t *bits;             /* owned; n_cols bits, clear between rows */
    uint64_t *summary;          /* owned (sparse rows, else NULL); a bit
                                   per non-empty word of bits */
    uint32_t *words;            /* owned; random words */
    int32_t *flagged;           /* owned (with summary); a row's
                                   non-empty words, ascending */
    /* Skip rows (very sparse): geometric gaps between targets. */
    double inv_log_q;
    bc_index batch;             /* uniforms drawn per block */
    double *u;                  /* owned; batch values */
    bc_index *cols;             /* owned; targets of row counted_row */
    bc_index counted_row;       /* -1: none */
} bc_row_sampler;

bc_status bc_row_sampler_init(bc_row_sampler *s, uint64_t seed,
                              uint64_t stream, bc_index n_cols, double p);
void bc_row_sampler_free(bc_row_sampler *s);    /* safe on a zeroed struct */

/* Whether bc_row_sampler_count is cheap next to bc_row_sampler_fill
 * (a draw or a table look-up), so rows can be counted in a pass of
 * their own; skip rows count by drawing the whole row. */
int bc_row_sampler_counts_cheaply(const bc_row_sampler *s);

/* The number of targets of row k. */
bc_index bc_row_sampler_count(bc_row_sampler *s, bc_index k);

/* out[0..m) = the targets of row k plus offset, ascending, where m is
 * bc_row_sampler_count(s, k); out has room for m + BC_ROW_SLACK. */
void bc_row_sampler_fill(bc_row_sampler *s, bc_index k, bc_index m,
                         bc_index offset, bc_index *out);

#endif
