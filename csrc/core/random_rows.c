/* random_rows.c -- C core: drawing the targets of random rows.
 *
 * Bitmap rows (p >= BITMAP_MIN_P): the row's size m ~ Binomial(n, p)
 * (inverting a table, binomial_table.h), then m distinct uniform
 * columns, marked in a bitmap (a repeat is skipped), read back in
 * order.  Given its size, every m-subset is
 * equally likely, so each column is in the row independently with
 * probability p, exactly.  Columns come from 32-bit words by Lemire's
 * multiply-and-reject (exactly uniform); above p = 1/2 the n - m columns
 * left out are marked instead.  Per target: a quarter cipher call, a
 * multiply and a bit, and no logarithm.  Sparse rows (p < 1/128) keep a
 * summary bit per bitmap word, so reading back visits only the non-empty
 * words, in one loop (collect_sparse).
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

/* Below this p the skips' logarithms cost less than the bitmap's words
 * (measured: about equal at 1/1024, n = 10^5). */
#define BITMAP_MIN_P (1.0 / 1024.0)

/* Below this p most bitmap words are empty (61 % at 1/128): rows keep a
 * summary of the non-empty words and visit only those.  Measured: the
 * summary costs more than it saves from about p = 0.01 up. */
#define SUMMARY_MAX_P (1.0 / 128.0)

/* The integer bit loops want BMI2 (shlx) and POPCNT, which the avx512f
 * clone of BC_VECTOR_FN lacks. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) \
    && defined(__linux__) && !defined(BC_NO_CLONES)
#define BITS_FN __attribute__((target_clones("arch=x86-64-v4",          \
                                             "arch=x86-64-v3", "default")))
#else
#define BITS_FN
#endif

/* Random words per refill (256 counters). */
#define WORDS 1024

/* The row size is drawn at this counter index of (stream, step = row);
 * the words use indices 0, 1, ... of another draw number (rng.h).  With
 * a table, the size's uniform is instead (step = SIZE_STEP, index = row)
 * so a block function draws many rows' at once; rows are below 2^31, so
 * SIZE_STEP is nobody's step. */
#define SIZE_INDEX UINT64_C(0xffffffff)
#define SIZE_STEP ((bc_step)1 << 40)
#define SIZE_BATCH 256

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
        bc_status st = bc_binomial_table_init(&s->size_table, n_cols, p);
        if (st == BC_ENOMEM) {
            return st;
        }
        s->size_u = malloc(SIZE_BATCH * sizeof(double));
        s->size_row0 = -1;
        s->reject = (uint32_t)((UINT64_C(1) << 32) % (uint64_t)n_cols);
        size_t n_words = ((size_t)n_cols + 63) / 64;
        /* The spare column's word follows the summary's last word, so
         * the summary never flags it either. */
        size_t spare_word = (n_words + 63) / 64 * 64;
        s->spare = (uint32_t)(64 * spare_word);
        s->bits = calloc(spare_word + 1, sizeof(uint64_t));
        s->words = malloc(WORDS * sizeof(uint32_t));
        if (s->bits == NULL || s->words == NULL || s->size_u == NULL) {
            return BC_ENOMEM;
        }
        s->bits[spare_word] = ~UINT64_C(0);
        if (p < SUMMARY_MAX_P) {
            s->summary = calloc(spare_word / 64 + 1, sizeof(uint64_t));
            /* emit may write BC_ROW_SLACK entries past the last */
            s->flagged = malloc((n_words + BC_ROW_SLACK) * sizeof(int32_t));
            if (s->summary == NULL || s->flagged == NULL) {
                return BC_ENOMEM;
            }
        }
        return BC_OK;
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
    bc_binomial_table_free(&s->size_table);
    free(s->size_u);
    free(s->bits);
    free(s->summary);
    free(s->words);
    free(s->flagged);
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

/* The column of each random word, Lemire's (x n) >> 32; a word that
 * would bias it (low half below 2^32 mod n) becomes `spare`, a column
 * of a bitmap word that is always full, so it never counts as new. */
BITS_FN static void
words_to_columns(uint32_t *words, bc_index n, uint32_t n_cols,
                 uint32_t reject, uint32_t spare)
{
    for (bc_index i = 0; i < n; i++) {
        uint64_t x = (uint64_t)words[i] * n_cols;
        words[i] = (uint32_t)x < reject ? spare : (uint32_t)(x >> 32);
    }
}

/* Marks `want` distinct columns of row k, consuming the row's words in
 * order (so the result does not depend on how many are drawn at once);
 * sparse rows also flag each marked word in the summary. */
BITS_FN static void
mark_columns(bc_row_sampler *s, bc_index k, bc_index want)
{
    uint64_t *bits = s->bits, *summary = s->summary;
    uint32_t *cols = s->words;
    uint64_t counter = 0;
    bc_index marked = 0;
    while (marked < want) {
        /* Enough words for the rest, with a margin for repeats. */
        bc_index need = want - marked;
        bc_index n_counters = (need + need / 16 + 11) / 4;
        n_counters = n_counters < WORDS / 4 ? n_counters : WORDS / 4;
        bc_rng_words(s->seed, s->stream, (bc_step)k, counter, n_counters,
                     cols);
        counter += (uint64_t)n_counters;
        bc_index avail = 4 * n_counters, used = 0;
        words_to_columns(cols, avail, (uint32_t)s->n_cols, s->reject,
                         s->spare);
        while (used < avail && marked < want) {
            /* A word adds at most one column, so this many words cannot
             * overshoot `want`: no exit test per word. */
            bc_index r = want - marked < avail - used ? want - marked
                                                      : avail - used;
            for (bc_index i = used; i < used + r; i++) {
                uint32_t j = cols[i];
                uint64_t bit = UINT64_C(1) << (j & 63);
                uint64_t old = bits[j >> 6];
                marked += (old & bit) == 0;
                bits[j >> 6] = old | bit;
                if (summary != NULL) {
                    summary[j >> 12] |= UINT64_C(1) << ((j >> 6) & 63);
                }
            }
            used += r;
        }
    }
}

/* Writes the columns of the n words plus offset to out, ascending, word
 * i holding the columns 64 i + (its set bits); returns their number.
 * Four positions are written per word whatever its bit count (stores are
 * cheaper than a mispredicted branch); the rarer fuller word loops. */
BITS_FN static bc_index
emit_columns(const uint64_t *words, bc_index n, int64_t offset,
             bc_index *out)
{
    const uint64_t top = UINT64_C(1) << 63;     /* ctz(0 | top): scratch */
    bc_index m = 0;
    for (bc_index i = 0; i < n; i++) {
        uint64_t w = words[i];
        int64_t base = offset + 64 * (int64_t)i;
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
    return m;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) \
    && !defined(BC_NO_CLONES)
#include <immintrin.h>
#define HAVE_EMIT_VBMI2 1

/* The same with AVX-512 VBMI2: one vpcompressb packs the bit positions
 * of a word into bytes, which widen to 16 columns per store.  Shuffles
 * (port 5 on Intel) bound the loop, so the column base is kept in a
 * register, and only fuller words (rare below p = 1/4) extract more. */
BC_ALWAYS_INLINE static inline void
store_word_vbmi2(__m512i pos, __m512i base, int c, bc_index *out)
    __attribute__((target("avx512f,avx512bw,avx512vbmi2")));

BC_ALWAYS_INLINE static inline void
store_word_vbmi2(__m512i pos, __m512i base, int c, bc_index *out)
{
    _mm512_storeu_si512((void *)out, _mm512_add_epi32(
        _mm512_cvtepu8_epi32(_mm512_castsi512_si128(pos)), base));
    if (c > 16) {
        _mm512_storeu_si512((void *)(out + 16), _mm512_add_epi32(
            _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(pos, 1)), base));
        if (c > 32) {
            _mm512_storeu_si512((void *)(out + 32), _mm512_add_epi32(
                _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(pos, 2)),
                base));
            if (c > 48) {
                _mm512_storeu_si512((void *)(out + 48), _mm512_add_epi32(
                    _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(pos, 3)),
                    base));
            }
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vbmi2,popcnt")))
static bc_index
emit_columns_vbmi2(const uint64_t *words, bc_index n, int64_t offset,
                   bc_index *out)
{
    const __m512i iota = _mm512_set_epi64(
        INT64_C(0x3f3e3d3c3b3a3938), INT64_C(0x3736353433323130),
        INT64_C(0x2f2e2d2c2b2a2928), INT64_C(0x2726252423222120),
        INT64_C(0x1f1e1d1c1b1a1918), INT64_C(0x1716151413121110),
        INT64_C(0x0f0e0d0c0b0a0908), INT64_C(0x0706050403020100));
    /* int32 lanes wrap: columns past INT32_MAX are scratch only */
    bc_index m = 0;
    __m512i base = _mm512_set1_epi32((int32_t)(uint32_t)offset);
    const __m512i step = _mm512_set1_epi32(64);
    for (bc_index i = 0; i < n; i++) {
        uint64_t w = words[i];
        int c = (int)_mm_popcnt_u64(w);
        store_word_vbmi2(_mm512_maskz_compress_epi8(_cvtu64_mask64(w), iota),
                         base, c, out + m);
        m += c;
        base = _mm512_add_epi32(base, step);
    }
    return m;
}
#endif

static bc_index
emit(const uint64_t *words, bc_index n, int64_t offset, bc_index *out)
{
#ifdef HAVE_EMIT_VBMI2
    if (__builtin_cpu_supports("avx512vbmi2") &&
        __builtin_cpu_supports("avx512bw")) {
        return emit_columns_vbmi2(words, n, offset, out);
    }
#endif
    return emit_columns(words, n, offset, out);
}

/* Sparse rows: the marked columns plus offset to out, ascending, read
 * through the summary; clears both.  The flagged words' indices come
 * first, all at once (the summary's set bits, emitted like columns), so
 * the loop over them has one exit rather than one per summary word.  A
 * flagged word mostly holds one column (below p = 1/128, a second is
 * there less than 40 % of the time): one store, and a short loop for
 * the others. */
BITS_FN static void
collect_sparse(bc_row_sampler *s, int64_t offset, bc_index *out)
{
    uint64_t *bits = s->bits;
    int32_t *flagged = s->flagged;
    bc_index n_summary = (bc_index)(((int64_t)s->n_cols + 4095) / 4096);
    bc_index n = emit(s->summary, n_summary, 0, flagged);
    memset(s->summary, 0, (size_t)n_summary * sizeof(uint64_t));
    bc_index m = 0;
    for (bc_index i = 0; i < n; i++) {
        int32_t q = flagged[i];
        uint64_t w = bits[q];
        bits[q] = 0;
        int64_t base = offset + 64 * (int64_t)q;
        out[m++] = (bc_index)(base + __builtin_ctzll(w));
        for (w &= w - 1; w != 0; w &= w - 1) {
            out[m++] = (bc_index)(base + __builtin_ctzll(w));
        }
    }
}

/* Writes the row's columns plus offset to out: the marked ones, or with
 * `unmarked` the others; leaves the bitmap and summary clear.  Sparse
 * rows visit only the words the summary flags, others every word. */
static void
collect(bc_row_sampler *s, int unmarked, int64_t offset, bc_index *out)
{
    bc_index n_words = (bc_index)(((int64_t)s->n_cols + 63) / 64);
    if (s->summary != NULL && !unmarked) {
        collect_sparse(s, offset, out);
        return;
    }
    if (unmarked) {
        for (bc_index q = 0; q < n_words; q++) {
            s->bits[q] = ~s->bits[q];
        }
        if (s->n_cols & 63) {
            s->bits[n_words - 1] &= (UINT64_C(1) << (s->n_cols & 63)) - 1;
        }
    }
    emit(s->bits, n_words, offset, out);
    memset(s->bits, 0, (size_t)n_words * sizeof(uint64_t));
    if (s->summary != NULL) {
        memset(s->summary, 0,
               (((size_t)n_words + 63) / 64) * sizeof(uint64_t));
    }
}

int
bc_row_sampler_counts_cheaply(const bc_row_sampler *s)
{
    return s->method != ROWS_SKIPS;
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
        if (s->size_table.width == 0) {
            return (bc_index)bc_binomial_draw(&s->size, s->seed, s->stream,
                                              (bc_step)k, SIZE_INDEX);
        }
        if (s->size_row0 < 0 || k < s->size_row0 ||
            k >= s->size_row0 + SIZE_BATCH) {
            s->size_row0 = k;
            bc_rng_uniform_block(s->seed, s->stream, SIZE_STEP, (uint64_t)k,
                                 SIZE_BATCH, s->size_u);
        }
        return (bc_index)bc_binomial_table_invert(
            &s->size_table, s->size_u[k - s->size_row0]);
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
        collect(s, dense, offset, out);
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
