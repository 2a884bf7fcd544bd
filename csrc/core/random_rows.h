/* random_rows.h -- C core: the targets of the rows of a random block.
 * Row k of a block of n_cols columns holds each column independently with
 * probability p (Brian 1's connect_random): a Binomial(n_cols, p) number
 * of distinct, uniformly placed targets, ascending.  The columns are cut
 * into blocks of 2^s (s from p alone), and the part of row k in block b
 * is a pure function of (seed, stream, k, b): rows can be drawn in any
 * order, and a process that builds only some targets (brianc.mpi) draws
 * only the blocks that hold them, yet gets the same synapses there. */
#ifndef BC_RANDOM_ROWS_H
#define BC_RANDOM_ROWS_H

#include "binomial_table.h"
#include "rng.h"
#include "types.h"

/* bc_row_sampler_fill may write up to this many entries past a row's
 * last target (scratch values, overwritten by the next row). */
#define BC_ROW_SLACK 16

/* A block of a row being drawn: the columns it marks and the counters
 * of its first words. */
typedef struct block_plan {
    bc_index block;             /* of the drawn ones */
    bc_index want, counters;
    int inverted;               /* marks the columns left out */
} block_plan;

typedef struct bc_row_sampler {
    uint64_t seed, stream;
    bc_index n_cols;
    double p;
    int method;                 /* ROWS_* in random_rows.c */
    /* Column blocks: block b is columns [b B, (b + 1) B) of the row, B =
     * 2^block_shift, the last one maybe narrower.  Blocks [first_block,
     * first_block + n_blocks) are drawn: columns [col_begin, col_begin +
     * width) of every row. */
    int block_shift;
    bc_index n_row_blocks;      /* blocks of a whole row */
    bc_index last_width;        /* columns of the row's last block */
    bc_index first_block, n_blocks, col_begin, width;
    /* Bitmap rows: each block's size, then that many distinct columns of
     * the block marked.  Sizes invert a table ([0]: a whole block, [1]:
     * the narrower last one) with uniforms drawn for size_rows rows at a
     * time (rows size_row0...); without a table (very wide blocks), a
     * binomial draw. */
    bc_binomial size[2];
    bc_binomial_table size_table[2];    /* owned; width 0: none */
    double *size_u;             /* owned; size_rows uniforms of a block */
    int32_t *sizes;             /* owned; sizes[(k - size_row0) n_blocks
                                   + block - first_block] */
    bc_index size_row0;         /* -1: no batch yet */
    bc_index size_rows;
    uint32_t spare;             /* column standing for a rejected word */
    uint64_t *bits;             /* owned; width bits, clear between rows */
    uint64_t *summary;          /* owned (sparse rows, else NULL); a bit
                                   per non-empty word of bits */
    uint32_t *words;            /* owned; random words */
    uint32_t *idx;              /* owned; the counters of a group of
                                   blocks' first words */
    block_plan *plan;           /* owned; n_blocks: a group of blocks */
    int32_t *flagged;           /* owned (with summary); a row's
                                   non-empty words, ascending */
    /* Skip rows (very sparse): geometric gaps between targets. */
    double inv_log_q;
    bc_index batch[2];          /* uniforms drawn per refill ([0]: a
                                   whole block, [1]: the last one) */
    double *u;                  /* owned; batch values */
    bc_index *cols;             /* owned; targets of row counted_row */
    bc_index counted_row;       /* -1: none */
} bc_row_sampler;

/* A sampler of whole rows. */
bc_status bc_row_sampler_init(bc_row_sampler *s, uint64_t seed,
                              uint64_t stream, bc_index n_cols, double p);

/* A sampler of the blocks that hold columns [begin, end) (0 <= begin <=
 * end <= n_cols, else BC_ERANGE): rows hold the targets of those blocks,
 * which may reach outside [begin, end) (callers keep their range); each
 * is a target of the whole row too. */
bc_status bc_row_sampler_init_window(bc_row_sampler *s, uint64_t seed,
                                     uint64_t stream, bc_index n_cols,
                                     double p, bc_index begin,
                                     bc_index end);
void bc_row_sampler_free(bc_row_sampler *s);    /* safe on a zeroed struct */

/* Columns per block for a probability p: the fixed cut of every row
 * (depends on p only, never on the window). */
bc_index bc_row_block_columns(double p);

/* Whether bc_row_sampler_count is cheap next to bc_row_sampler_fill
 * (a draw or a table look-up), so rows can be counted in a pass of
 * their own; skip rows count by drawing the whole row. */
int bc_row_sampler_counts_cheaply(const bc_row_sampler *s);

/* The number of targets of row k (in the drawn blocks). */
bc_index bc_row_sampler_count(bc_row_sampler *s, bc_index k);

/* out[0..m) = the targets of row k plus offset, ascending, where m is
 * bc_row_sampler_count(s, k); out has room for m + BC_ROW_SLACK. */
void bc_row_sampler_fill(bc_row_sampler *s, bc_index k, bc_index m,
                         bc_index offset, bc_index *out);

#endif
