/* random_rows.c -- C core: drawing the targets of random rows.
 *
 * A row is drawn block by block (random_rows.h): block b of row k has its
 * own size uniform (step SIZE_STEP + b, index k) and its own counters
 * for positions (step k, from index b * 2B on), so a block's targets do
 * not depend on which other blocks are drawn.  The sizes of independent
 * blocks add up to a Binomial(n_cols, p) row, and given its size every
 * subset of a block is equally likely: each column is in the row
 * independently with probability p, exactly.  A row whose columns fit in
 * one block draws what it drew before blocks existed.
 *
 * Bitmap rows (p >= BITMAP_MIN_P): a block's size m ~ Binomial(w, p)
 * (inverting a table, binomial_table.h), then m distinct uniform columns
 * of the block, marked in a bitmap over the drawn blocks (a repeat is
 * skipped), read back in order once for the whole row.  Columns come
 * from 32-bit words by Lemire's multiply-and-reject (exactly uniform; a
 * whole block of 2^s columns never rejects); above half a block the
 * columns left out are marked instead, and the block's words inverted.
 * Per target: a quarter cipher call, a multiply and a bit, and no
 * logarithm.  Sparse rows (p < 1/128) keep a summary bit per bitmap
 * word, so reading back visits only the non-empty words, in one loop
 * (collect_sparse).
 *
 * Skip rows (p < BITMAP_MIN_P, where a bitmap would be mostly empty
 * words): gaps between targets of a block are geometric, j += 1 +
 * floor(log u / log(1 - p)), with the uniforms drawn in batches so the
 * logs vectorise. */
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

/* Block b's size uniform is (step = SIZE_STEP + b, index = row): a batch
 * of rows is one block draw; rows are below 2^31, so SIZE_STEP + b is
 * nobody's step.  Its position words (draw 3) and skip uniforms (draw 2)
 * are counters b * 2B, b * 2B + 1, ... of step = row (2B counters are
 * 8B words, far more than marking half a block ever takes). */
#define SIZE_STEP ((bc_step)1 << 40)

/* Uniforms drawn per block and batch of row sizes: a batch covers at most
 * MAX_SIZE_ROWS rows and about SIZE_DRAWS sizes. */
#define MAX_SIZE_ROWS 256
#define SIZE_DRAWS 4096

/* A block holds about this many targets or more (the bigger the block,
 * the less each costs its draws; the smaller, the closer a process's
 * draws stay to its own targets), and at least 2^MIN_BLOCK_SHIFT
 * columns (a summary word's worth).  Skip rows pay more per block (a
 * cipher call and a batch of logarithms), so their blocks hold more. */
#define BLOCK_TARGETS 64.0
#define SKIP_BLOCK_TARGETS 128.0
#define MIN_BLOCK_SHIFT 12
#define MAX_BLOCK_SHIFT 30

static int
block_shift_for(double p)
{
    double targets = p >= BITMAP_MIN_P ? BLOCK_TARGETS : SKIP_BLOCK_TARGETS;
    int shift = MIN_BLOCK_SHIFT;
    while (shift < MAX_BLOCK_SHIFT && ldexp(p, shift) < targets) {
        shift++;
    }
    return shift;
}

bc_index
bc_row_block_columns(double p)
{
    return (bc_index)1 << block_shift_for(p);
}

/* Columns of block b of the row. */
static bc_index
block_width(const bc_row_sampler *s, bc_index b)
{
    return b == s->n_row_blocks - 1 ? s->last_width
                                    : (bc_index)1 << s->block_shift;
}

/* Which size distribution block b draws from: [0] whole, [1] narrower. */
static int
size_kind(const bc_row_sampler *s, bc_index b)
{
    return block_width(s, b) != (bc_index)1 << s->block_shift;
}

/* The first counter of block b's draws of a row. */
static uint64_t
block_counter(const bc_row_sampler *s, bc_index b)
{
    return (uint64_t)b << (s->block_shift + 1);
}

static bc_status
init_bitmap(bc_row_sampler *s)
{
    s->method = ROWS_BITMAP;
    bc_index widths[2] = {(bc_index)1 << s->block_shift, s->last_width};
    for (int t = 0; t < 2; t++) {
        bc_index w = widths[t] < s->n_cols ? widths[t] : s->n_cols;
        bc_binomial_init(&s->size[t], w, s->p);
        if (bc_binomial_table_init(&s->size_table[t], w, s->p)
            == BC_ENOMEM) {
            return BC_ENOMEM;
        }
    }
    s->size_rows = SIZE_DRAWS / s->n_blocks;
    s->size_rows = s->size_rows < 1 ? 1
        : s->size_rows > MAX_SIZE_ROWS ? MAX_SIZE_ROWS : s->size_rows;
    s->size_u = malloc((size_t)s->size_rows * sizeof(double));
    s->sizes = malloc((size_t)s->size_rows * (size_t)s->n_blocks *
                      sizeof(int32_t));
    s->size_row0 = -1;
    size_t n_words = ((size_t)s->width + 63) / 64;
    /* The spare column's word follows the summary's last word, so
     * the summary never flags it either. */
    size_t spare_word = (n_words + 63) / 64 * 64;
    s->spare = (uint32_t)(64 * spare_word);
    s->bits = calloc(spare_word + 1, sizeof(uint64_t));
    /* a group's words, then a block's further words */
    s->words = malloc(2 * WORDS * sizeof(uint32_t));
    s->idx = malloc(WORDS / 4 * sizeof(uint32_t));
    s->plan = malloc((size_t)s->n_blocks * sizeof(block_plan));
    if (s->bits == NULL || s->words == NULL || s->size_u == NULL ||
        s->sizes == NULL || s->idx == NULL || s->plan == NULL) {
        return BC_ENOMEM;
    }
    s->bits[spare_word] = ~UINT64_C(0);
    if (s->p < SUMMARY_MAX_P) {
        s->summary = calloc(spare_word / 64 + 1, sizeof(uint64_t));
        /* emit may write BC_ROW_SLACK entries past the last */
        s->flagged = malloc((n_words + BC_ROW_SLACK) * sizeof(int32_t));
        if (s->summary == NULL || s->flagged == NULL) {
            return BC_ENOMEM;
        }
    }
    return BC_OK;
}

/* Uniforms drawn per refill of a skip block of w columns: a block needs
 * about w p + 1, and one batch covers most blocks.  It depends on p and
 * the block's width only (never on the window), since a batch's unused
 * uniforms are skipped. */
static bc_index
skip_batch(bc_index w, double p)
{
    double mean = (double)w * p;
    double want = mean + 2.0 * sqrt(mean) + 2.0;
    return want > 1024.0 ? 1024 : (bc_index)want;
}

static bc_status
init_skips(bc_row_sampler *s)
{
    s->method = ROWS_SKIPS;
    s->inv_log_q = 1.0 / log1p(-s->p);
    for (int t = 0; t < 2; t++) {
        bc_index w = t == 0 ? (bc_index)1 << s->block_shift : s->last_width;
        s->batch[t] = skip_batch(w < s->n_cols ? w : s->n_cols, s->p);
    }
    bc_index most = s->batch[0] > s->batch[1] ? s->batch[0] : s->batch[1];
    s->u = malloc((size_t)most * sizeof(double));
    s->cols = malloc(((size_t)s->width + 1) * sizeof(bc_index));
    return s->u != NULL && s->cols != NULL ? BC_OK : BC_ENOMEM;
}

bc_status
bc_row_sampler_init_window(bc_row_sampler *s, uint64_t seed,
                           uint64_t stream, bc_index n_cols, double p,
                           bc_index begin, bc_index end)
{
    memset(s, 0, sizeof(*s));
    if (n_cols < 0 || begin < 0 || begin > end || end > n_cols) {
        return BC_ERANGE;
    }
    s->seed = seed;
    s->stream = stream;
    s->n_cols = n_cols;
    s->p = p;
    s->counted_row = -1;
    s->block_shift = block_shift_for(p);
    bc_index big = (bc_index)1 << s->block_shift;
    s->n_row_blocks = (bc_index)(((int64_t)n_cols + big - 1) / big);
    s->last_width = n_cols - (s->n_row_blocks - 1) * big;
    if (end > begin) {
        s->first_block = begin >> s->block_shift;
        s->n_blocks = (bc_index)(((int64_t)end + big - 1) / big)
                      - s->first_block;
        s->col_begin = s->first_block << s->block_shift;
        int64_t stop = (int64_t)(s->first_block + s->n_blocks) * big;
        s->width = (bc_index)((stop < n_cols ? stop : n_cols)
                              - s->col_begin);
    }
    if (s->width == 0 || !(p > 0.0)) {
        s->method = ROWS_EMPTY;
        return BC_OK;
    }
    if (p >= 1.0) {
        s->method = ROWS_FULL;
        return BC_OK;
    }
    return p >= BITMAP_MIN_P ? init_bitmap(s) : init_skips(s);
}

bc_status
bc_row_sampler_init(bc_row_sampler *s, uint64_t seed, uint64_t stream,
                    bc_index n_cols, double p)
{
    return bc_row_sampler_init_window(s, seed, stream,
                                      n_cols > 0 ? n_cols : 0, p, 0,
                                      n_cols > 0 ? n_cols : 0);
}

void
bc_row_sampler_free(bc_row_sampler *s)
{
    bc_binomial_table_free(&s->size_table[0]);
    bc_binomial_table_free(&s->size_table[1]);
    free(s->size_u);
    free(s->sizes);
    free(s->bits);
    free(s->summary);
    free(s->words);
    free(s->idx);
    free(s->plan);
    free(s->flagged);
    free(s->u);
    free(s->cols);
    memset(s, 0, sizeof(*s));
}

/* Skip rows: the targets of row k in the drawn blocks into s->cols
 * (columns from col_begin); their number. */
static bc_index
skip_row(bc_row_sampler *s, bc_index k)
{
    bc_index n = 0;
    for (bc_index bi = 0; bi < s->n_blocks; bi++) {
        bc_index b = s->first_block + bi;
        int64_t w = block_width(s, b);
        bc_index base = bi << s->block_shift;
        bc_index batch = s->batch[size_kind(s, b)];
        int64_t j = -1;
        uint64_t draw = block_counter(s, b);
        for (int more = 1; more;) {
            bc_rng_uniform_pairs(s->seed, s->stream, (bc_step)k, draw, batch,
                                 s->u);
            draw += ((uint64_t)batch + 1) / 2;      /* counters used */
            bc_vlog(s->u, s->u, batch);
            for (bc_index a = 0; a < batch; a++) {
                /* gap = floor(log u / log q) >= 0; compared before the
                 * conversion, which truncates (= floor) and cannot
                 * overflow */
                double gap = s->u[a] * s->inv_log_q;
                if (gap >= (double)(w - 1 - j)) {
                    more = 0;
                    break;
                }
                j += 1 + (int64_t)gap;
                s->cols[n++] = base + (bc_index)j;
            }
        }
    }
    s->counted_row = k;
    return n;
}

/* 2^32 mod w (Lemire's bound) for a block of w columns: 0 for a whole
 * block (a power of two), no division. */
static uint32_t
reject_of(bc_index w)
{
    return (w & (w - 1)) == 0 ? 0
                              : (uint32_t)((UINT64_C(1) << 32) % (uint64_t)w);
}

/* A block of w columns from bitmap column base: the column of a random
 * word x is Lemire's (x w) >> 32; a word that would bias it (low half
 * below reject = 2^32 mod w, never for w = 2^s) becomes `spare`, a
 * column of a bitmap word that is always full, so it never counts as
 * new. */
typedef struct block_map {
    uint32_t w, reject, base, spare;
} block_map;

/* The bitmap column of each of the n words, in place (vectorised). */
BITS_FN static void
words_to_columns(uint32_t *words, bc_index n, block_map map)
{
    for (bc_index i = 0; i < n; i++) {
        uint64_t x = (uint64_t)words[i] * map.w;
        words[i] = (uint32_t)x < map.reject ? map.spare
                                            : (uint32_t)(x >> 32) + map.base;
    }
}

/* Marks the columns cols[0, avail) in order until `want` are marked
 * (from `marked` on); returns the number then marked.  Sparse rows also
 * flag each marked word in the summary. */
BITS_FN static bc_index
mark_words(bc_row_sampler *s, const uint32_t *cols, bc_index avail,
           bc_index marked, bc_index want)
{
    uint64_t *bits = s->bits, *summary = s->summary;
    bc_index used = 0;
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
    return marked;
}

/* Counters to draw for `need` more columns of a block of w columns with
 * `marked` already marked: the words needed plus the repeats expected
 * (a word hits a marked column with probability about marked / w), at most a
 * buffer's worth.  Only the cost depends on it: a block's words are
 * consumed in order however many are drawn at once. */
static bc_index
counters_for(const bc_row_sampler *s, bc_index need, bc_index marked)
{
    /* over a whole block's width (a shift, not a division) */
    int64_t extra = ((int64_t)need * (marked + need) >> s->block_shift) + 2;
    int64_t n = (need + extra + 3) / 4;
    return n < WORDS / 4 ? (bc_index)n : WORDS / 4;
}

/* Marks a block's columns of row k until `want` are marked, from
 * `marked` on, drawing the block's words from counter `counter` on. */
static void
mark_columns(bc_row_sampler *s, bc_index k, block_map map, bc_index want,
             uint64_t counter, bc_index marked)
{
    uint32_t *words = s->words + WORDS;
    while (marked < want) {
        bc_index n_counters = counters_for(s, want - marked, marked);
        bc_rng_words(s->seed, s->stream, (bc_step)k, counter, n_counters,
                     words);
        counter += (uint64_t)n_counters;
        words_to_columns(words, 4 * n_counters, map);
        marked = mark_words(s, words, 4 * n_counters, marked, want);
    }
}

/* Block of w columns from bitmap column base (a multiple of 64): the
 * columns left out marked instead of those kept. */
static void
invert_block(bc_row_sampler *s, bc_index base, bc_index w)
{
    bc_index q0 = base / 64, q1 = (bc_index)((base + (int64_t)w + 63) / 64);
    for (bc_index q = q0; q < q1; q++) {
        s->bits[q] = ~s->bits[q];
    }
    if (w & 63) {
        s->bits[q1 - 1] &= (UINT64_C(1) << (w & 63)) - 1;
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
    bc_index n_summary = (bc_index)(((int64_t)s->width + 4095) / 4096);
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

/* Writes the row's marked columns plus offset to out; leaves the bitmap
 * and summary clear.  Through the summary, only the words it flags are
 * visited; otherwise every word. */
static void
collect(bc_row_sampler *s, int through_summary, int64_t offset,
        bc_index *out)
{
    bc_index n_words = (bc_index)(((int64_t)s->width + 63) / 64);
    if (through_summary) {
        collect_sparse(s, offset, out);
        return;
    }
    emit(s->bits, n_words, offset, out);
    memset(s->bits, 0, (size_t)n_words * sizeof(uint64_t));
    if (s->summary != NULL) {
        memset(s->summary, 0,
               (((size_t)n_words + 63) / 64) * sizeof(uint64_t));
    }
}

/* The sizes of the drawn blocks of rows [k, k + size_rows). */
static void
draw_sizes(bc_row_sampler *s, bc_index k)
{
    s->size_row0 = k;
    bc_index nb = s->n_blocks, rows = s->size_rows;
    for (bc_index bi = 0; bi < nb; bi++) {
        bc_index b = s->first_block + bi;
        int t = size_kind(s, b);
        bc_step step = SIZE_STEP + (bc_step)b;
        if (s->size_table[t].width == 0) {
            for (bc_index r = 0; r < rows; r++) {
                s->sizes[r * nb + bi] = (int32_t)bc_binomial_draw(
                    &s->size[t], s->seed, s->stream, step,
                    (uint64_t)(k + r));
            }
            continue;
        }
        bc_rng_uniform_block(s->seed, s->stream, step, (uint64_t)k, rows,
                             s->size_u);
        for (bc_index r = 0; r < rows; r++) {
            s->sizes[r * nb + bi] = (int32_t)bc_binomial_table_invert(
                &s->size_table[t], s->size_u[r]);
        }
    }
}

/* The drawn blocks' sizes of row k (a batch's row). */
static const int32_t *
block_sizes(bc_row_sampler *s, bc_index k)
{
    if (s->size_row0 < 0 || k < s->size_row0 ||
        k >= s->size_row0 + s->size_rows) {
        draw_sizes(s, k);
    }
    return s->sizes + (size_t)(k - s->size_row0) * (size_t)s->n_blocks;
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
        return s->width;
    case ROWS_BITMAP: {
        const int32_t *m = block_sizes(s, k);
        bc_index sum = 0;
        for (bc_index bi = 0; bi < s->n_blocks; bi++) {
            sum += m[bi];
        }
        return sum;
    }
    default:
        return skip_row(s, k);
    }
}

/* Marks the columns of the drawn blocks of row k listed in s->plan
 * (n_plan of them) whose first words (counters idx[0, n_idx), block
 * after block) are drawn in one call; a block that needs more (repeats)
 * draws them alone.  Returns whether a block was inverted. */
static int
mark_group(bc_row_sampler *s, bc_index k, bc_index n_plan, bc_index n_idx)
{
    bc_rng_words_at(s->seed, s->stream, (bc_step)k, s->idx, n_idx, s->words);
    int inverted = 0;
    uint32_t *words = s->words;
    for (bc_index q = 0; q < n_plan; q++) {
        const block_plan *pl = &s->plan[q];
        bc_index w = block_width(s, s->first_block + pl->block);
        block_map map = {(uint32_t)w, reject_of(w),
                         (uint32_t)(pl->block << s->block_shift), s->spare};
        words_to_columns(words, 4 * pl->counters, map);
        bc_index marked = mark_words(s, words, 4 * pl->counters, 0, pl->want);
        if (marked < pl->want) {
            mark_columns(s, k, map, pl->want,
                         block_counter(s, s->first_block + pl->block) +
                             (uint64_t)pl->counters, marked);
        }
        if (pl->inverted) {
            invert_block(s, map.base, w);
            inverted = 1;
        }
        words += 4 * pl->counters;
    }
    return inverted;
}

/* Bitmap rows: every drawn block's columns marked, then read back.  The
 * blocks' first words are drawn a group of blocks at a time (one cipher
 * call for many small blocks); above half a block, the columns left out
 * are marked, then the block inverted. */
static void
fill_bitmap(bc_row_sampler *s, bc_index k, bc_index offset, bc_index *out)
{
    const int32_t *m = block_sizes(s, k);
    const bc_index big = (bc_index)1 << s->block_shift;
    int inverted = 0;
    bc_index n_plan = 0, n_idx = 0;
    for (bc_index bi = 0; bi < s->n_blocks; bi++) {
        if (m[bi] == 0) {
            continue;
        }
        bc_index w = bi + 1 < s->n_blocks ? big
                                           : block_width(s, s->first_block +
                                                                bi);
        bc_index want = m[bi] > w / 2 ? w - m[bi] : m[bi];
        bc_index nc = want > 0 ? counters_for(s, want, 0) : 0;
        if (n_idx > 0 && n_idx + nc > WORDS / 4) {
            inverted |= mark_group(s, k, n_plan, n_idx);
            n_plan = n_idx = 0;
        }
        s->plan[n_plan++] = (block_plan){bi, want, nc, want != m[bi]};
        uint64_t first = block_counter(s, s->first_block + bi);
        for (bc_index i = 0; i < nc; i++) {
            s->idx[n_idx++] = (uint32_t)(first + (uint64_t)i);
        }
    }
    if (n_plan > 0) {
        inverted |= mark_group(s, k, n_plan, n_idx);
    }
    /* an inverted block's words are not in the summary */
    collect(s, s->summary != NULL && !inverted,
            (int64_t)offset + s->col_begin, out);
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
            out[j] = offset + s->col_begin + j;
        }
        return;
    case ROWS_BITMAP:
        if (m > 0) {
            fill_bitmap(s, k, offset, out);
        }
        return;
    default:
        if (s->counted_row != k) {
            skip_row(s, k);
        }
        for (bc_index a = 0; a < m; a++) {
            out[a] = offset + s->col_begin + s->cols[a];
        }
        return;
    }
}
