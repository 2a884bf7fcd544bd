/* random_rows.c -- C core: drawing the targets of random rows.
 *
 * Bitmap rows (p >= BITMAP_MIN_P): the row's size m ~ Binomial(n, p),
 * then m distinct uniform columns, marked in a bitmap (a repeat is
 * skipped), read back in order.  Given its size, every m-subset is
 * equally likely, so each column is in the row independently with
 * probability p, exactly.  Columns come from 32-bit words by Lemire's
 * multiply-and-reject (exactly uniform); above p = 1/2 the n - m columns
 * left out are marked instead.  Per target: a quarter cipher call, a
 * multiply and a bit, and no logarithm.
 *
 * Skip rows (p < BITMAP_MIN_P, where a bitmap would be mostly empty
 * words): gaps between targets are geometric, j += 1 + floor(log u /
 * log(1 - p)), with the uniforms drawn in blocks so the logs vectorise. */
#include "random_rows.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmath.h"

enum { ROWS_EMPTY, ROWS_FULL, ROWS_BITMAP, ROWS_SKIPS };

/* Below this p a bitmap row costs more in empty words than the skips'
 * logarithms: at p = 1/1024 a target stands for 16 words. */
#define BITMAP_MIN_P (1.0 / 1024.0)

/* Random words per refill (256 counters). */
#define WORDS 1024

/* The row size is drawn at this counter index of (stream, step = row);
 * the words use indices 0, 1, ... of another draw number (rng.h). */
#define SIZE_INDEX UINT64_C(0xffffffff)

bc_status
bc_row_sampler_init(bc_row_sampler *s, uint64_t seed, uint64_t stream,
                    bc_index n_cols, double p)
{
    memset(s, 0, sizeof(*s));
    s->seed = seed;
    s->stream = stream;
    s->n_cols = n_cols;
    s->p = p;
    s->counted_row = -1;
    if (n_cols <= 0 || !(p > 0.0)) {
        s->method = ROWS_EMPTY;
        return BC_OK;
    }
    if (p >= 1.0) {
        s->method = ROWS_FULL;
        return BC_OK;
    }
    if (p >= BITMAP_MIN_P) {
        s->method = ROWS_BITMAP;
        bc_binomial_init(&s->size, n_cols, p);
        s->reject = (uint32_t)((UINT64_C(1) << 32) % (uint64_t)n_cols);
        s->bits = calloc(((size_t)n_cols + 63) / 64 + 8, sizeof(uint64_t));
        s->words = malloc(WORDS * sizeof(uint32_t));
        return s->bits != NULL && s->words != NULL ? BC_OK : BC_ENOMEM;
    }
    s->method = ROWS_SKIPS;
    s->inv_log_q = 1.0 / log1p(-p);
    /* A row needs about n_cols p + 1 draws: one block covers most rows. */
    double mean = (double)n_cols * p;
    double want = mean + 2.0 * sqrt(mean) + 2.0;
    s->batch = want > 1024.0 ? 1024 : (bc_index)want;
    s->u = malloc((size_t)s->batch * sizeof(double));
    s->cols = malloc((size_t)n_cols * sizeof(bc_index));
    return s->u != NULL && s->cols != NULL ? BC_OK : BC_ENOMEM;
}

void
bc_row_sampler_free(bc_row_sampler *s)
{
    free(s->bits);
    free(s->words);
    free(s->u);
    free(s->cols);
    memset(s, 0, sizeof(*s));
}

/* Skip rows: the targets of row k into s->cols; their number. */
static bc_index
skip_row(bc_row_sampler *s, bc_index k)
{
    bc_index n = 0;
    int64_t j = -1;
    uint64_t draw = 0;
    for (;;) {
        bc_rng_uniform_pairs(s->seed, s->stream, (bc_step)k, draw, s->batch,
                             s->u);
        draw += ((uint64_t)s->batch + 1) / 2;   /* counters used */
        bc_vlog(s->u, s->u, s->batch);
        for (bc_index b = 0; b < s->batch; b++) {
            /* gap = floor(log u / log q) >= 0; compared before the
             * conversion, which truncates (= floor) and cannot overflow */
            double gap = s->u[b] * s->inv_log_q;
            if (gap >= (double)(s->n_cols - 1 - j)) {
                s->counted_row = k;
                return n;
            }
            j += 1 + (int64_t)gap;
            s->cols[n++] = (bc_index)j;
        }
    }
}

/* Marks `want` distinct columns of row k, consuming the row's words in
 * order (so the result does not depend on how many are drawn at once). */
static void
mark_columns(bc_row_sampler *s, bc_index k, bc_index want)
{
    uint64_t *bits = s->bits;
    const uint64_t n = (uint64_t)s->n_cols;
    const uint32_t reject = s->reject;
    uint64_t counter = 0;
    bc_index marked = 0;
    while (marked < want) {
        /* Enough words for the rest, with a margin for repeats. */
        bc_index need = want - marked;
        bc_index n_counters = (need + need / 16 + 11) / 4;
        n_counters = n_counters < WORDS / 4 ? n_counters : WORDS / 4;
        bc_rng_words(s->seed, s->stream, (bc_step)k, counter, n_counters,
                     s->words);
        counter += (uint64_t)n_counters;
        for (bc_index w = 0; w < 4 * n_counters && marked < want; w++) {
            uint64_t x = (uint64_t)s->words[w] * n;
            if ((uint32_t)x < reject) {
                continue;       /* keeps x >> 32 exactly uniform */
            }
            uint64_t j = x >> 32;
            uint64_t bit = UINT64_C(1) << (j & 63);
            marked += (bits[j >> 6] & bit) == 0;
            bits[j >> 6] |= bit;
        }
    }
}

/* Writes the marked columns (or, with flip = ~0, the unmarked ones) plus
 * offset to out, ascending, and clears the bitmap; returns their number.
 * Four positions are written per word whatever its bit count (stores are
 * cheaper than a mispredicted branch); the rare fuller word loops. */
BC_VECTOR_FN static bc_index
collect_columns(uint64_t *bits, bc_index n_cols, uint64_t flip,
                int64_t offset, bc_index *out)
{
    const uint64_t top = UINT64_C(1) << 63;     /* ctz(0 | top): scratch */
    bc_index n_words = (bc_index)(((int64_t)n_cols + 63) / 64);
    uint64_t last = (n_cols & 63) ? (UINT64_C(1) << (n_cols & 63)) - 1
                                  : ~UINT64_C(0);
    bc_index m = 0;
    for (bc_index q0 = 0; q0 < n_words; q0 += 8) {
        bc_index q1 = q0 + 8 < n_words ? q0 + 8 : n_words;
        if (flip == 0) {
            /* Skip a block of empty words (sparse rows); bits has room
             * for 8 words past the end, always clear. */
            uint64_t any = 0;
            for (bc_index q = q0; q < q0 + 8; q++) {
                any |= bits[q];
            }
            if (any == 0) {
                continue;
            }
        }
        for (bc_index q = q0; q < q1; q++) {
            uint64_t w = (bits[q] ^ flip) & (q + 1 < n_words ? ~UINT64_C(0)
                                                             : last);
            bits[q] = 0;
            int64_t base = offset + 64 * (int64_t)q;
            bc_index c = (bc_index)__builtin_popcountll(w);
            out[m] = (bc_index)(base + __builtin_ctzll(w | top));
            w &= w - 1;
            out[m + 1] = (bc_index)(base + __builtin_ctzll(w | top));
            w &= w - 1;
            out[m + 2] = (bc_index)(base + __builtin_ctzll(w | top));
            w &= w - 1;
            out[m + 3] = (bc_index)(base + __builtin_ctzll(w | top));
            w &= w - 1;
            for (bc_index t = m + 4; w != 0; t++) {
                out[t] = (bc_index)(base + __builtin_ctzll(w));
                w &= w - 1;
            }
            m += c;
        }
    }
    return m;
}

bc_index
bc_row_sampler_count(bc_row_sampler *s, bc_index k)
{
    switch (s->method) {
    case ROWS_EMPTY:
        return 0;
    case ROWS_FULL:
        return s->n_cols;
    case ROWS_BITMAP:
        return (bc_index)bc_binomial_draw(&s->size, s->seed, s->stream,
                                          (bc_step)k, SIZE_INDEX);
    default:
        return skip_row(s, k);
    }
}

void
bc_row_sampler_fill(bc_row_sampler *s, bc_index k, bc_index m,
                    bc_index offset, bc_index *out)
{
    switch (s->method) {
    case ROWS_EMPTY:
        return;
    case ROWS_FULL:
        for (bc_index j = 0; j < m; j++) {
            out[j] = offset + j;
        }
        return;
    case ROWS_BITMAP: {
        if (m == 0) {
            return;
        }
        /* Above half full, mark the columns left out. */
        int dense = m > s->n_cols / 2;
        mark_columns(s, k, dense ? s->n_cols - m : m);
        collect_columns(s->bits, s->n_cols, dense ? ~UINT64_C(0) : 0,
                        offset, out);
        return;
    }
    default:
        if (s->counted_row != k) {
            skip_row(s, k);
        }
        for (bc_index a = 0; a < m; a++) {
            out[a] = offset + s->cols[a];
        }
        return;
    }
}
