/* connection.c -- C core: building (lists, full blocks, random blocks),
 * compressing to CSR, element access and propagation of a connection. */
#include "connection.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "huge_pages.h"
#include "random_rows.h"
#include "thread_pool.h"
#include "vmath.h"

bc_status
bc_connection_init(bc_connection *c, bc_group *source, bc_index src_origin,
                   bc_index n_pre, bc_group *target, bc_index tgt_origin,
                   bc_index n_post, int32_t target_var)
{
    memset(c, 0, sizeof(*c));
    c->modulation_var = -1;
    if (n_pre < 1 || n_post < 1 || src_origin < 0 || tgt_origin < 0 ||
        src_origin > source->n - n_pre || tgt_origin > target->n - n_post ||
        target_var < 0 || target_var >= target->n_vars) {
        return BC_ERANGE;
    }
    c->source = source;
    c->target = target;
    c->src_origin = src_origin;
    c->n_pre = n_pre;
    c->tgt_origin = tgt_origin;
    c->n_post = n_post;
    c->target_var = target_var;
    c->build_end = n_post;
    return BC_OK;
}

bc_status
bc_connection_build_columns(bc_connection *c, bc_index begin, bc_index end)
{
    if (begin < 0 || begin > end || end > c->n_post) {
        return BC_ERANGE;
    }
    c->build_begin = begin;
    c->build_end = end;
    return BC_OK;
}

/* Whether the builders keep only some targets (bc_connection_build_columns). */
static int
builds_part(const bc_connection *c)
{
    return c->build_begin > 0 || c->build_end < c->n_post;
}

static void
free_built(bc_connection *c)
{
    free(c->built_pre);
    free(c->built_post);
    free(c->built_weight);
    free(c->built_delay);
    c->built_pre = c->built_post = NULL;
    c->built_weight = NULL;
    c->built_delay = NULL;
    c->n_built = c->capacity = 0;
}

void
bc_connection_free(bc_connection *c)
{
    free_built(c);
    free(c->row_start);
    free(c->post);
    free(c->weight);
    free(c->delay);
    free(c->row_full);
    free(c->ring);
    memset(c, 0, sizeof(*c));
    c->modulation_var = -1;
}

/* Room for `need` built synapses.  Grows by half (not doubling) so a big
 * block costs little more than its own size; an exact first request is
 * allocated exactly. */
static bc_status
grow(bc_connection *c, bc_count need, int with_delays)
{
    if (need <= c->capacity && (!with_delays || c->built_delay != NULL)) {
        return BC_OK;
    }
    bc_count cap = c->capacity;
    if (need > cap) {
        cap = cap + cap / 2 > need ? cap + cap / 2 : need;
        if (cap < 64) {
            cap = 64;
        }
    }
    void *p;
    if ((p = realloc(c->built_pre, (size_t)cap * sizeof(bc_index))) == NULL) {
        return BC_ENOMEM;
    }
    c->built_pre = p;
    if ((p = realloc(c->built_post, (size_t)cap * sizeof(bc_index))) == NULL) {
        return BC_ENOMEM;
    }
    c->built_post = p;
    if (!c->uniform) {
        p = realloc(c->built_weight, (size_t)cap * sizeof(double));
        if (p == NULL) {
            return BC_ENOMEM;
        }
        c->built_weight = p;
    }
    if (with_delays || c->built_delay != NULL) {
        p = realloc(c->built_delay, (size_t)cap * sizeof(uint16_t));
        if (p == NULL) {
            return BC_ENOMEM;
        }
        c->built_delay = p;
    }
    c->capacity = cap;
    return BC_OK;
}

/* Common checks of the builders: back to the list form, and a delay
 * present exactly when the connection has per-synapse delays. */
static bc_status
begin_adding(bc_connection *c, int with_delays)
{
    bc_status st = bc_connection_decompress(c);
    if (st != BC_OK) {
        return st;
    }
    if (c->n_built > 0 && with_delays != (c->built_delay != NULL)) {
        return BC_EINVAL;
    }
    return BC_OK;
}

/* Equal as stored: 0.0 and -0.0 differ (todense would show the sign). */
static int
same_weight(double a, double b)
{
    return a == b && signbit(a) == signbit(b);
}

bc_status
bc_connection_materialise(bc_connection *c)
{
    if (!c->uniform) {
        return BC_OK;
    }
    /* the list's arrays all have `capacity` entries */
    bc_count n = c->compressed ? c->row_start[c->n_pre] : c->n_built;
    bc_count room = c->compressed ? n : c->capacity;
    double *w = malloc((size_t)(room > 0 ? room : 1) * sizeof(double));
    if (w == NULL) {
        return BC_ENOMEM;
    }
    for (bc_count k = 0; k < n; k++) {
        w[k] = c->uniform_weight;
    }
    if (c->compressed) {
        c->weight = w;
    } else {
        c->built_weight = w;
    }
    c->uniform = 0;
    return BC_OK;
}

/* Builders whose new synapses all weigh w (list form): an empty
 * connection becomes uniform, a uniform one of another weight is
 * materialised. */
static bc_status
use_weight(bc_connection *c, double w)
{
    if (c->n_built == 0) {
        free(c->built_weight);
        c->built_weight = NULL;
        c->uniform = 1;
        c->uniform_weight = w;
        return BC_OK;
    }
    if (c->uniform && same_weight(w, c->uniform_weight)) {
        return BC_OK;
    }
    return bc_connection_materialise(c);
}

static bc_status append_synapses(bc_connection *c, bc_count n,
                                 const bc_index *pre, const bc_index *post,
                                 const double *weight,
                                 const int32_t *delays);
static bc_status append_part(bc_connection *c, bc_count n,
                             const bc_index *pre, const bc_index *post,
                             const double *weight, const int32_t *delays);

bc_status
bc_connection_add(bc_connection *c, bc_count n, const bc_index *pre,
                  const bc_index *post, const double *weight,
                  const int32_t *delays)
{
    if (n < 0) {
        return BC_EINVAL;
    }
    for (bc_count k = 0; k < n; k++) {
        if (pre[k] < 0 || pre[k] >= c->n_pre || post[k] < 0 ||
            post[k] >= c->n_post) {
            return BC_ERANGE;
        }
        if (delays != NULL &&
            (delays[k] < 0 || delays[k] > BC_MAX_DELAY_STEPS)) {
            return BC_ERANGE;
        }
    }
    return builds_part(c) ? append_part(c, n, pre, post, weight, delays)
                          : append_synapses(c, n, pre, post, weight, delays);
}

/* Appends n checked synapses. */
static bc_status
append_synapses(bc_connection *c, bc_count n, const bc_index *pre,
                const bc_index *post, const double *weight,
                const int32_t *delays)
{
    bc_count same = 0;          /* leading weights equal to the first */
    while (same < n && same_weight(weight[same], weight[0])) {
        same++;
    }
    bc_status st = begin_adding(c, delays != NULL);
    if (st == BC_OK && n > 0) {
        st = same == n ? use_weight(c, weight[0])
                       : bc_connection_materialise(c);
    }
    if (st == BC_OK) {
        st = grow(c, c->n_built + n, delays != NULL);
    }
    if (st != BC_OK) {
        return st;
    }
    size_t at = (size_t)c->n_built;
    if (n > 0) {
        memcpy(c->built_pre + at, pre, (size_t)n * sizeof(bc_index));
        memcpy(c->built_post + at, post, (size_t)n * sizeof(bc_index));
        if (!c->uniform) {
            memcpy(c->built_weight + at, weight, (size_t)n * sizeof(double));
        }
    }
    if (delays != NULL) {
        for (bc_count k = 0; k < n; k++) {
            c->built_delay[at + (size_t)k] = (uint16_t)delays[k];
        }
    }
    c->n_built += n;
    return BC_OK;
}

/* Appends those of n checked synapses whose targets are built here, in
 * their order. */
static bc_status
append_part(bc_connection *c, bc_count n, const bc_index *pre,
            const bc_index *post, const double *weight,
            const int32_t *delays)
{
    bc_count kept = 0;
    for (bc_count k = 0; k < n; k++) {
        kept += post[k] >= c->build_begin && post[k] < c->build_end;
    }
    size_t m = kept > 0 ? (size_t)kept : 1;
    bc_index *p = malloc(m * sizeof(bc_index));
    bc_index *q = malloc(m * sizeof(bc_index));
    double *w = malloc(m * sizeof(double));
    int32_t *d = delays != NULL ? malloc(m * sizeof(int32_t)) : NULL;
    bc_status st = BC_ENOMEM;
    if (p != NULL && q != NULL && w != NULL && (delays == NULL || d != NULL)) {
        bc_count at = 0;
        for (bc_count k = 0; k < n; k++) {
            if (post[k] >= c->build_begin && post[k] < c->build_end) {
                p[at] = pre[k];
                q[at] = post[k];
                w[at] = weight[k];
                if (d != NULL) {
                    d[at] = delays[k];
                }
                at++;
            }
        }
        st = append_synapses(c, kept, p, q, w, d);
    }
    free(p);
    free(q);
    free(w);
    free(d);
    return st;
}

static int
block_ok(const bc_connection *c, bc_index row0, bc_index n_rows,
         bc_index col0, bc_index n_cols)
{
    return row0 >= 0 && n_rows >= 0 && row0 <= c->n_pre - n_rows &&
           col0 >= 0 && n_cols >= 0 && col0 <= c->n_post - n_cols;
}

bc_status
bc_connection_add_full(bc_connection *c, bc_index row0, bc_index n_rows,
                       bc_index col0, bc_index n_cols, double weight,
                       int32_t delay)
{
    if (!block_ok(c, row0, n_rows, col0, n_cols) ||
        delay > BC_MAX_DELAY_STEPS) {
        return BC_ERANGE;
    }
    /* only the columns built here (all of them unless a part) */
    bc_index first = col0 > c->build_begin ? col0 : c->build_begin;
    bc_index last = col0 + n_cols < c->build_end ? col0 + n_cols
                                                  : c->build_end;
    col0 = first;
    n_cols = last > first ? last - first : 0;
    bc_status st = begin_adding(c, delay >= 0);
    bc_count n = (bc_count)n_rows * n_cols;
    if (st == BC_OK && n > 0) {
        st = use_weight(c, weight);
    }
    if (st == BC_OK) {
        st = grow(c, c->n_built + n, delay >= 0);
    }
    if (st != BC_OK) {
        return st;
    }
    bc_count k = c->n_built;
    for (bc_index i = 0; i < n_rows; i++) {
        for (bc_index j = 0; j < n_cols; j++, k++) {
            c->built_pre[k] = row0 + i;
            c->built_post[k] = col0 + j;
            if (!c->uniform) {
                c->built_weight[k] = weight;
            }
            if (delay >= 0) {
                c->built_delay[k] = (uint16_t)delay;
            }
        }
    }
    c->n_built = k;
    return BC_OK;
}

bc_status
bc_random_pairs(uint64_t seed, uint64_t stream, bc_index row0,
                bc_index row1, bc_index col0, bc_index col1, double p,
                bc_count cap, bc_index *pre, bc_index *post,
                bc_count *n_pairs)
{
    if (row0 < 0 || row1 < row0 || col0 < 0 || col1 < col0 ||
        !(p >= 0.0 && p <= 1.0)) {
        return BC_EINVAL;
    }
    bc_index width = col1 - col0;
    bc_row_sampler s;
    bc_status st = bc_row_sampler_init(&s, seed, stream, width, p);
    bc_index *cols = malloc(((size_t)width + BC_ROW_SLACK) *
                            sizeof(bc_index));
    if (st == BC_OK && cols == NULL) {
        st = BC_ENOMEM;
    }
    bc_count n = 0;
    for (bc_index i = row0; i < row1 && st == BC_OK; i++) {
        bc_index m = bc_row_sampler_count(&s, i);
        if (pre != NULL) {
            if (n + m > cap) {
                st = BC_ERANGE;
                break;
            }
            bc_row_sampler_fill(&s, i, m, 0, cols);
            for (bc_index a = 0; a < m; a++) {
                pre[n + a] = i - row0;
                post[n + a] = cols[a];
            }
        }
        n += m;
    }
    *n_pairs = n;
    bc_row_sampler_free(&s);
    free(cols);
    return st;
}

/* Room for `need` entries (+ the sampler's slack) in the target array
 * being written; grows by half. */
static bc_status
reserve_direct(bc_index **post, bc_count *cap, bc_count need)
{
    need += BC_ROW_SLACK;
    if (need <= *cap) {
        return BC_OK;
    }
    bc_count grown = *cap + *cap / 2 > need ? *cap + *cap / 2 : need;
    void *p = realloc(*post, (size_t)grown * sizeof(bc_index));
    if (p == NULL) {
        return BC_ENOMEM;
    }
    *post = p;
    *cap = grown;
    return BC_OK;
}

/* Moves the targets of row[0, m) (ascending) built here to its front;
 * returns their number. */
static bc_index
keep_built_run(const bc_connection *c, bc_index *row, bc_index m)
{
    bc_index a = 0, b = m;
    while (a < m && row[a] < c->build_begin) {
        a++;
    }
    while (b > a && row[b - 1] >= c->build_end) {
        b--;
    }
    memmove(row, row + a, (size_t)(b - a) * sizeof(bc_index));
    return b - a;
}

/* Synapses' worth of the target array prefaulted at a time (256 kB). */
#define PREFAULT_ENTRIES 65536

/* add_random into an empty connection without delays, made uniform by
 * use_weight: the rows come out in order, so the sampler writes straight
 * into the CSR target array (4 bytes a synapse, no weights, no list, no
 * copy and no compression pass).  This one-pass form serves skip rows,
 * whose count costs a whole row, and a connection building a part (the
 * column blocks of a row that hold the part drawn in place, the part
 * kept): the array is reserved for the
 * expected count plus a margin and trimmed at the end; it sits on huge
 * pages, which saves most of the page faults. */
static bc_status
random_direct_serial(bc_connection *c, bc_row_sampler *s, bc_index row0,
                     bc_index n_rows, bc_index col0, bc_count reserve)
{
    assert(c->uniform && c->n_built == 0);
    bc_count cap = reserve + BC_ROW_SLACK;
    bc_count *row_start = calloc((size_t)c->n_pre + 1, sizeof(bc_count));
    uint8_t *row_full = calloc((size_t)c->n_pre, 1);
    bc_index *post = bc_alloc_huge((size_t)cap * sizeof(bc_index));
    bc_status st = BC_ENOMEM;
    if (row_start == NULL || row_full == NULL || post == NULL) {
        goto fail;
    }
    bc_count n = 0, ready = 0;      /* entries [0, ready) prefaulted */
    for (bc_index i = 0; i < n_rows; i++) {
        bc_index m = bc_row_sampler_count(s, i);
        if ((st = reserve_direct(&post, &cap, n + m)) != BC_OK) {
            goto fail;
        }
        if (n + m + BC_ROW_SLACK > ready) {
            /* the next stretch in one call rather than a fault per page */
            ready = n + m + BC_ROW_SLACK + PREFAULT_ENTRIES;
            ready = ready < cap ? ready : cap;
            bc_prefault(post + n, (size_t)(ready - n) * sizeof(bc_index));
        }
        bc_row_sampler_fill(s, i, m, col0, post + n);
        if (builds_part(c)) {
            m = keep_built_run(c, post + n, m);
        }
        n += m;
        row_start[row0 + i + 1] = n;
        /* distinct ascending targets: full when all n_post are there */
        row_full[row0 + i] = m == c->n_post;
    }
    for (bc_index i = row0 + n_rows; i < c->n_pre; i++) {
        row_start[i + 1] = n;
    }
    if (n < cap) {              /* trim the reservation (never fails) */
        void *p = realloc(post, (size_t)(n > 0 ? n : 1) * sizeof(bc_index));
        post = p != NULL ? p : post;
    }
    free_built(c);
    c->row_start = row_start;
    c->row_full = row_full;
    c->post = post;
    c->compressed = 1;
    return BC_OK;
fail:
    free(row_start);
    free(row_full);
    free(post);
    return st;
}

/* Rows per chunk of the parallel passes: at the benchmarks' 80 targets a
 * row, 320 kB of targets, so two threads share the rows evenly while a
 * chunk's fixed costs (a claim, a prefault call, a row or so copied) are
 * lost in the noise. */
#define ROW_CHUNK 1024

/* Below this many expected synapses one thread builds the block:
 * starting a worker (tens of us) would cost more than it saves. */
#define SPLIT_MIN_SYNAPSES 100000

/* The two passes over the rows of random_direct_split; thread t draws
 * with samplers[t] (a sampler's scratch is not shared). */
typedef struct split_rows {
    bc_row_sampler *samplers;   /* borrowed; one per thread */
    bc_index **scratch;         /* borrowed; one per thread, a row's room */
    bc_count *ends;             /* borrowed; ends[i]: end of block row i
                                   in post (counts in the first pass) */
    uint8_t *row_full;          /* borrowed; block row i at row_full[i] */
    bc_index *post;             /* borrowed; the CSR targets */
    bc_index col0, n_post;
} split_rows;

static void
count_rows(void *ctx, int32_t thread, bc_index begin, bc_index end)
{
    split_rows *r = ctx;
    for (bc_index i = begin; i < end; i++) {
        r->ends[i] = bc_row_sampler_count(&r->samplers[thread], i);
    }
}

/* Rows [begin, end) into their place in post.  A row's fill may write
 * BC_ROW_SLACK entries past its end, where the next rows of the chunk
 * will go; a row too close to the chunk's end (which may be another
 * thread's, or the array's) is drawn into scratch and copied. */
static void
fill_rows(void *ctx, int32_t thread, bc_index begin, bc_index end)
{
    split_rows *r = ctx;
    bc_row_sampler *s = &r->samplers[thread];
    bc_count k = begin > 0 ? r->ends[begin - 1] : 0;
    bc_count last = r->ends[end - 1];
    bc_count ready = k;             /* entries [.., ready) prefaulted */
    for (bc_index i = begin; i < end; i++) {
        bc_index m = (bc_index)(r->ends[i] - k);
        if (r->ends[i] > ready) {
            /* the next stretch in one call rather than a fault per page */
            ready = r->ends[i] + PREFAULT_ENTRIES;
            ready = ready < last ? ready : last;
            bc_prefault(r->post + k, (size_t)(ready - k) * sizeof(bc_index));
        }
        if (r->ends[i] + BC_ROW_SLACK <= last) {
            bc_row_sampler_fill(s, i, m, r->col0, r->post + k);
        } else {
            bc_row_sampler_fill(s, i, m, r->col0, r->scratch[thread]);
            memcpy(r->post + k, r->scratch[thread],
                   (size_t)m * sizeof(bc_index));
        }
        /* distinct ascending targets: full when all n_post are there */
        r->row_full[i] = m == r->n_post;
        k = r->ends[i];
    }
}

/* add_random into an empty connection without delays, made uniform by
 * use_weight, for samplers that count a row cheaply: every row's size
 * first, then the rows straight into an exactly sized CSR target array
 * (4 bytes a synapse, no list, no copy, no compression pass).  Both
 * passes split the rows between up to n_threads threads (0: one per
 * CPU); rows are pure functions of their index, so the synapses do not
 * depend on the split.  Each thread prefaults the part it writes, so the
 * page faults are split too. */
static bc_status
random_direct_split(bc_connection *c, uint64_t seed, uint64_t stream,
                    bc_index row0, bc_index n_rows, bc_index col0,
                    bc_index n_cols, double p, int32_t n_threads)
{
    assert(c->uniform && c->n_built == 0);
    bc_thread_pool pool;
    memset(&pool, 0, sizeof(pool));
    bc_row_sampler *samplers = NULL;
    bc_index **scratch = NULL;
    bc_count *row_start = calloc((size_t)c->n_pre + 1, sizeof(bc_count));
    uint8_t *row_full = calloc((size_t)c->n_pre, 1);
    bc_index *post = NULL;
    bc_status st = BC_ENOMEM;
    int32_t n_used = 0;             /* samplers and scratch made */
    if (row_start == NULL || row_full == NULL) {
        goto done;
    }
    double mean = (double)n_rows * (double)n_cols * p;
    if (n_threads == 0) {
        n_threads = bc_thread_pool_cpus();
    }
    if (mean < SPLIT_MIN_SYNAPSES || n_rows <= ROW_CHUNK) {
        n_threads = 1;
    }
    if ((st = bc_thread_pool_init(&pool, n_threads)) != BC_OK) {
        goto done;
    }
    /* the pool may have started fewer threads than asked */
    int32_t n_pool = pool.n_threads;
    samplers = calloc((size_t)n_pool, sizeof(*samplers));
    scratch = calloc((size_t)n_pool, sizeof(*scratch));
    if (samplers == NULL || scratch == NULL) {
        st = BC_ENOMEM;
        goto done;
    }
    for (; n_used < n_pool; n_used++) {
        st = bc_row_sampler_init(&samplers[n_used], seed, stream, n_cols, p);
        scratch[n_used] = malloc(((size_t)n_cols + BC_ROW_SLACK) *
                                 sizeof(bc_index));
        if (st == BC_OK && scratch[n_used] == NULL) {
            st = BC_ENOMEM;
        }
        if (st != BC_OK) {
            n_used++;               /* free this one's parts too */
            goto done;
        }
    }
    bc_count *ends = row_start + row0 + 1;
    split_rows r = {samplers, scratch, ends, row_full + row0, NULL, col0,
                    c->n_post};
    bc_thread_pool_for(&pool, n_rows, ROW_CHUNK, count_rows, &r);
    bc_count n = 0;
    for (bc_index i = 0; i < n_rows; i++) {
        n += ends[i];
        ends[i] = n;
    }
    for (bc_index i = row0 + n_rows; i < c->n_pre; i++) {
        row_start[i + 1] = n;
    }
    post = bc_alloc_huge((size_t)(n > 0 ? n : 1) * sizeof(bc_index));
    if (post == NULL) {
        st = BC_ENOMEM;
        goto done;
    }
    r.post = post;
    bc_thread_pool_for(&pool, n_rows, ROW_CHUNK, fill_rows, &r);
    free_built(c);
    c->row_start = row_start;
    c->row_full = row_full;
    c->post = post;
    c->compressed = 1;
    row_start = NULL;
    row_full = NULL;
    post = NULL;
    st = BC_OK;
done:
    bc_thread_pool_free(&pool);
    for (int32_t t = 0; t < n_used; t++) {
        bc_row_sampler_free(&samplers[t]);
        free(scratch[t]);
    }
    free(samplers);
    free(scratch);
    free(row_start);
    free(row_full);
    free(post);
    return st;
}

/* The expected number of synapses of a random block built here, plus
 * a few standard deviations. */
static bc_count
part_reserve(const bc_connection *c, bc_index n_rows, bc_index col0,
             bc_index n_cols, double p)
{
    bc_index lo = col0 > c->build_begin ? col0 : c->build_begin;
    bc_index hi = col0 + n_cols < c->build_end ? col0 + n_cols
                                                : c->build_end;
    double mean = (double)n_rows * (double)(hi > lo ? hi - lo : 0) * p;
    return (bc_count)(mean + 5.0 * sqrt(mean)) + 64;
}

/* add_random building a part: the column blocks of each row that hold
 * the part are drawn into scratch (the sampler's window) and the row's
 * run of targets built here appended. */
static bc_status
random_part(bc_connection *c, bc_row_sampler *s, bc_index row0,
            bc_index n_rows, bc_index col0, double weight, int32_t delay,
            bc_count *n_added)
{
    bc_index *row = malloc(((size_t)s->n_cols + BC_ROW_SLACK) *
                           sizeof(bc_index));
    bc_count start = c->n_built;
    bc_status st = row == NULL ? BC_ENOMEM : BC_OK;
    for (bc_index i = 0; i < n_rows && st == BC_OK; i++) {
        bc_index m = bc_row_sampler_count(s, i);
        bc_row_sampler_fill(s, i, m, col0, row);
        bc_index a = 0, b = m;
        while (a < m && row[a] < c->build_begin) {
            a++;
        }
        while (b > a && row[b - 1] >= c->build_end) {
            b--;
        }
        if (b == a || (st = grow(c, c->n_built + (b - a), delay >= 0))
            != BC_OK) {
            continue;
        }
        bc_count at = c->n_built;
        for (bc_index k = a; k < b; k++, at++) {
            c->built_pre[at] = row0 + i;
            c->built_post[at] = row[k];
            if (!c->uniform) {
                c->built_weight[at] = weight;
            }
            if (delay >= 0) {
                c->built_delay[at] = (uint16_t)delay;
            }
        }
        c->n_built = at;
    }
    if (st != BC_OK) {
        c->n_built = start;     /* all or nothing */
    }
    *n_added = c->n_built - start;
    free(row);
    return st;
}

bc_status
bc_connection_add_random(bc_connection *c, uint64_t seed, uint64_t stream,
                         bc_index row0, bc_index n_rows, bc_index col0,
                         bc_index n_cols, double p, double weight,
                         int32_t delay, int32_t n_threads,
                         bc_count *n_added)
{
    *n_added = 0;
    if (!block_ok(c, row0, n_rows, col0, n_cols) ||
        delay > BC_MAX_DELAY_STEPS) {
        return BC_ERANGE;
    }
    if (!(p >= 0.0 && p <= 1.0) || n_threads < 0 ||
        n_threads > BC_POOL_MAX_THREADS) {
        return BC_EINVAL;
    }
    bc_status st = begin_adding(c, delay >= 0);
    if (st == BC_OK) {
        st = use_weight(c, weight);
    }
    if (st != BC_OK) {
        return st;
    }
    /* Reserve the expected count plus a few standard deviations, so the
     * arrays are usually allocated once. */
    double mean = (double)n_rows * (double)n_cols * p;
    bc_count reserve = (bc_count)(mean + 5.0 * sqrt(mean)) + 64;
    bc_row_sampler s;
    if (builds_part(c)) {
        /* only the column blocks that hold targets built here */
        bc_index lo = c->build_begin - col0, hi = c->build_end - col0;
        lo = lo < 0 ? 0 : lo < n_cols ? lo : n_cols;
        hi = hi < lo ? lo : hi < n_cols ? hi : n_cols;
        st = bc_row_sampler_init_window(&s, seed, stream, n_cols, p, lo, hi);
    } else {
        st = bc_row_sampler_init(&s, seed, stream, n_cols, p);
    }
    if (st == BC_OK && builds_part(c)) {
        if (c->n_built == 0 && delay < 0) {
            st = random_direct_serial(c, &s, row0, n_rows, col0,
                                      part_reserve(c, n_rows, col0, n_cols,
                                                   p));
            *n_added = st == BC_OK ? bc_connection_nnz(c) : 0;
        } else {
            st = random_part(c, &s, row0, n_rows, col0, weight, delay,
                             n_added);
        }
        bc_row_sampler_free(&s);
        return st;
    }
    if (st == BC_OK && c->n_built == 0 && delay < 0) {
        st = bc_row_sampler_counts_cheaply(&s)
            ? random_direct_split(c, seed, stream, row0, n_rows, col0,
                                  n_cols, p, n_threads)
            : random_direct_serial(c, &s, row0, n_rows, col0, reserve);
        *n_added = st == BC_OK ? bc_connection_nnz(c) : 0;
        bc_row_sampler_free(&s);
        return st;
    }
    if (st == BC_OK) {
        st = grow(c, c->n_built + reserve, delay >= 0);
    }
    bc_count start = c->n_built;
    for (bc_index i = 0; i < n_rows && st == BC_OK; i++) {
        bc_index m = bc_row_sampler_count(&s, i);
        if ((st = grow(c, c->n_built + m + BC_ROW_SLACK, delay >= 0))
            != BC_OK) {
            break;
        }
        bc_count at = c->n_built;
        bc_row_sampler_fill(&s, i, m, col0, c->built_post + at);
        for (bc_index a = 0; a < m; a++) {
            c->built_pre[at + a] = row0 + i;
        }
        if (!c->uniform) {
            for (bc_index a = 0; a < m; a++) {
                c->built_weight[at + a] = weight;
            }
        }
        if (delay >= 0) {
            for (bc_index a = 0; a < m; a++) {
                c->built_delay[at + a] = (uint16_t)delay;
            }
        }
        c->n_built += m;
    }
    if (st != BC_OK) {
        c->n_built = start;     /* all or nothing */
    }
    *n_added = c->n_built - start;
    bc_row_sampler_free(&s);
    return st;
}

bc_status
bc_connection_add_fixed(bc_connection *c, uint64_t seed, uint64_t stream,
                        bc_index row0, bc_index n_rows, bc_index col0,
                        bc_index n_cols, bc_index k, double weight,
                        int32_t delay)
{
    if (!block_ok(c, row0, n_rows, col0, n_cols) ||
        delay > BC_MAX_DELAY_STEPS) {
        return BC_ERANGE;
    }
    if (k < 0 || k > n_rows) {
        return BC_EINVAL;
    }
    bc_status st = begin_adding(c, delay >= 0);
    if (st == BC_OK && k > 0 && n_cols > 0) {
        st = use_weight(c, weight);
    }
    bc_index lo = col0 > c->build_begin ? col0 : c->build_begin;
    bc_index hi = col0 + n_cols < c->build_end ? col0 + n_cols
                                                : c->build_end;
    if (st == BC_OK && hi > lo) {
        st = grow(c, c->n_built + (bc_count)k * (hi - lo), delay >= 0);
    }
    uint8_t *taken = calloc((size_t)n_rows + 1, 1);
    if (st == BC_OK && taken == NULL) {
        st = BC_ENOMEM;
    }
    if (st != BC_OK) {
        free(taken);
        return st;
    }
    bc_count at = c->n_built;
    for (bc_index j = 0; j < n_cols; j++) {
        if (col0 + j < c->build_begin || col0 + j >= c->build_end) {
            continue;           /* column j's draws are its own */
        }
        /* Floyd's algorithm: k distinct rows, each k-subset equally
         * likely, with k draws. */
        bc_count first = at;
        uint64_t draw = 0;
        for (bc_index r = n_rows - k; r < n_rows; r++) {
            double u = bc_rng_uniform(seed, stream, (bc_step)j, draw++);
            bc_index t = (bc_index)(u * (double)(r + 1));
            if (t > r) {
                t = r;
            }
            if (taken[t]) {
                t = r;
            }
            taken[t] = 1;
            c->built_pre[at] = row0 + t;
            c->built_post[at] = col0 + j;
            if (!c->uniform) {
                c->built_weight[at] = weight;
            }
            if (delay >= 0) {
                c->built_delay[at] = (uint16_t)delay;
            }
            at++;
        }
        for (bc_count a = first; a < at; a++) {
            taken[c->built_pre[a] - row0] = 0;
        }
    }
    c->n_built = at;
    free(taken);
    return BC_OK;
}

/* Stable sort of the synapses [k0, k1) by target; perm and tmp have room
 * for k1 - k0 entries, post_buf/w_buf/d_buf likewise. */
static void
sort_row(bc_connection *c, bc_count k0, bc_count k1, bc_count *perm,
         bc_count *tmp, bc_index *post_buf, double *w_buf,
         uint16_t *d_buf)
{
    bc_count len = k1 - k0;
    const bc_index *key = c->post + k0;
    for (bc_count a = 0; a < len; a++) {
        perm[a] = a;
    }
    /* Bottom-up merge sort of positions: stable, n log n for any input. */
    for (bc_count width = 1; width < len; width *= 2) {
        for (bc_count lo = 0; lo < len; lo += 2 * width) {
            bc_count mid = lo + width < len ? lo + width : len;
            bc_count hi = lo + 2 * width < len ? lo + 2 * width : len;
            bc_count a = lo, b = mid, o = lo;
            while (a < mid && b < hi) {
                tmp[o++] = key[perm[b]] < key[perm[a]] ? perm[b++]
                                                       : perm[a++];
            }
            while (a < mid) {
                tmp[o++] = perm[a++];
            }
            while (b < hi) {
                tmp[o++] = perm[b++];
            }
        }
        memcpy(perm, tmp, (size_t)len * sizeof(bc_count));
    }
    for (bc_count a = 0; a < len; a++) {
        post_buf[a] = c->post[k0 + perm[a]];
        if (!c->uniform) {
            w_buf[a] = c->weight[k0 + perm[a]];
        }
        if (c->delay != NULL) {
            d_buf[a] = c->delay[k0 + perm[a]];
        }
    }
    memcpy(c->post + k0, post_buf, (size_t)len * sizeof(bc_index));
    if (!c->uniform) {
        memcpy(c->weight + k0, w_buf, (size_t)len * sizeof(double));
    }
    if (c->delay != NULL) {
        memcpy(c->delay + k0, d_buf, (size_t)len * sizeof(uint16_t));
    }
}

/* Sorts every row by target and sets the dense-row flags. */
static bc_status
finish_rows(bc_connection *c)
{
    bc_count longest = 0;
    int any_unsorted = 0;
    for (bc_index i = 0; i < c->n_pre; i++) {
        bc_count k0 = c->row_start[i], k1 = c->row_start[i + 1];
        if (k1 - k0 > longest) {
            longest = k1 - k0;
        }
        for (bc_count k = k0 + 1; k < k1 && !any_unsorted; k++) {
            any_unsorted = c->post[k] < c->post[k - 1];
        }
    }
    if (any_unsorted) {
        size_t L = (size_t)longest;
        bc_count *perm = malloc(L * sizeof(bc_count));
        bc_count *tmp = malloc(L * sizeof(bc_count));
        bc_index *post_buf = malloc(L * sizeof(bc_index));
        double *w_buf = malloc(L * sizeof(double));
        uint16_t *d_buf = malloc(L * sizeof(uint16_t));
        bc_status st = BC_ENOMEM;
        if (perm != NULL && tmp != NULL && post_buf != NULL &&
            w_buf != NULL && d_buf != NULL) {
            for (bc_index i = 0; i < c->n_pre; i++) {
                bc_count k0 = c->row_start[i], k1 = c->row_start[i + 1];
                bc_count k = k0 + 1;
                while (k < k1 && c->post[k] >= c->post[k - 1]) {
                    k++;
                }
                if (k < k1) {
                    sort_row(c, k0, k1, perm, tmp, post_buf, w_buf, d_buf);
                }
            }
            st = BC_OK;
        }
        free(perm);
        free(tmp);
        free(post_buf);
        free(w_buf);
        free(d_buf);
        if (st != BC_OK) {
            return st;
        }
    }
    for (bc_index i = 0; i < c->n_pre; i++) {
        bc_count k0 = c->row_start[i], k1 = c->row_start[i + 1];
        int full = k1 - k0 == c->n_post;
        for (bc_count k = k0; k < k1 && full; k++) {
            full = c->post[k] == (bc_index)(k - k0);
        }
        c->row_full[i] = (uint8_t)full;
    }
    return BC_OK;
}

static bc_status
make_ring(bc_connection *c)
{
    int32_t longest = 0;
    bc_count n = c->row_start[c->n_pre];
    for (bc_count k = 0; k < n; k++) {
        if (c->delay[k] > longest) {
            longest = c->delay[k];
        }
    }
    int32_t slots = c->n_ring > longest + 1 ? c->n_ring : longest + 1;
    /* a part's ring holds only its targets' input */
    bc_index begin = c->build_begin, width = c->build_end - c->build_begin;
    if (c->ring != NULL && slots == c->n_ring && begin == c->ring_begin &&
        width == c->ring_width) {
        return BC_OK;           /* keep input already in flight */
    }
    double *ring = calloc((size_t)slots * (size_t)(width > 0 ? width : 1),
                          sizeof(double));
    if (ring == NULL) {
        return BC_ENOMEM;
    }
    if (c->ring != NULL && slots == c->n_ring) {
        /* only the targets held changed: keep their input in flight */
        bc_index lo = begin > c->ring_begin ? begin : c->ring_begin;
        bc_index hi = begin + width < c->ring_begin + c->ring_width
            ? begin + width : c->ring_begin + c->ring_width;
        for (int32_t t = 0; t < slots && hi > lo; t++) {
            memcpy(ring + (size_t)t * (size_t)width + (size_t)(lo - begin),
                   c->ring + (size_t)t * (size_t)c->ring_width +
                       (size_t)(lo - c->ring_begin),
                   (size_t)(hi - lo) * sizeof(double));
        }
    } else {
        c->ring_pos = 0;
    }
    free(c->ring);
    c->ring = ring;
    c->n_ring = slots;
    c->ring_begin = begin;
    c->ring_width = width;
    return BC_OK;
}

bc_status
bc_connection_compress(bc_connection *c)
{
    if (c->compressed) {
        return BC_OK;
    }
    bc_count n = c->n_built;
    size_t count = n > 0 ? (size_t)n : 1;
    bc_count *row_start = calloc((size_t)c->n_pre + 1, sizeof(bc_count));
    uint8_t *row_full = malloc((size_t)c->n_pre);
    if (row_start == NULL || row_full == NULL) {
        free(row_start);
        free(row_full);
        return BC_ENOMEM;
    }
    int in_row_order = 1;
    for (bc_count k = 0; k < n; k++) {
        row_start[c->built_pre[k] + 1]++;
        if (k > 0 && c->built_pre[k] < c->built_pre[k - 1]) {
            in_row_order = 0;
        }
    }
    for (bc_index i = 0; i < c->n_pre; i++) {
        row_start[i + 1] += row_start[i];
    }
    if (in_row_order) {
        /* The list already is CSR: keep its arrays, trimmed. */
        void *p;
        if ((p = realloc(c->built_post, count * sizeof(bc_index))) != NULL) {
            c->built_post = p;
        }
        if (!c->uniform &&
            (p = realloc(c->built_weight, count * sizeof(double))) != NULL) {
            c->built_weight = p;
        }
        if (c->built_delay != NULL &&
            (p = realloc(c->built_delay, count * sizeof(uint16_t))) != NULL) {
            c->built_delay = p;
        }
        c->post = c->built_post;
        c->weight = c->built_weight;
        c->delay = c->built_delay;
    } else {
        /* Counting sort by row, scattering straight into the CSR arrays
         * (stable, so duplicates keep their order). */
        bc_index *post = malloc(count * sizeof(bc_index));
        double *weight = c->uniform ? NULL : malloc(count * sizeof(double));
        uint16_t *delay = c->built_delay != NULL
            ? malloc(count * sizeof(uint16_t)) : NULL;
        bc_count *fill = malloc(((size_t)c->n_pre + 1) * sizeof(bc_count));
        if (post == NULL || (!c->uniform && weight == NULL) || fill == NULL ||
            (c->built_delay != NULL && delay == NULL)) {
            free(post);
            free(weight);
            free(delay);
            free(fill);
            free(row_start);
            free(row_full);
            return BC_ENOMEM;
        }
        memcpy(fill, row_start, ((size_t)c->n_pre + 1) * sizeof(bc_count));
        for (bc_count k = 0; k < n; k++) {
            bc_count d = fill[c->built_pre[k]]++;
            post[d] = c->built_post[k];
            if (weight != NULL) {
                weight[d] = c->built_weight[k];
            }
            if (delay != NULL) {
                delay[d] = c->built_delay[k];
            }
        }
        free(fill);
        free(c->built_post);
        free(c->built_weight);
        free(c->built_delay);
        c->post = post;
        c->weight = weight;
        c->delay = delay;
    }
    free(c->built_pre);
    c->built_pre = c->built_post = NULL;
    c->built_weight = NULL;
    c->built_delay = NULL;
    c->n_built = c->capacity = 0;
    c->row_start = row_start;
    c->row_full = row_full;
    c->compressed = 1;
    bc_status st = finish_rows(c);
    if (st == BC_OK && c->delay != NULL) {
        st = make_ring(c);
    }
    if (st != BC_OK) {
        /* Leave a consistent list behind rather than a half CSR. */
        bc_connection_decompress(c);
    }
    return st;
}

bc_status
bc_connection_decompress(bc_connection *c)
{
    if (!c->compressed) {
        return BC_OK;
    }
    bc_count n = c->row_start[c->n_pre];
    size_t count = n > 0 ? (size_t)n : 1;
    bc_index *pre = malloc(count * sizeof(bc_index));
    if (pre == NULL) {
        return BC_ENOMEM;
    }
    for (bc_index i = 0; i < c->n_pre; i++) {
        for (bc_count k = c->row_start[i]; k < c->row_start[i + 1]; k++) {
            pre[k] = i;
        }
    }
    c->built_pre = pre;
    c->built_post = c->post;
    c->built_weight = c->weight;
    c->built_delay = c->delay;
    c->n_built = c->capacity = n;
    free(c->row_start);
    free(c->row_full);
    c->row_start = NULL;
    c->row_full = NULL;
    c->post = NULL;
    c->weight = NULL;
    c->delay = NULL;
    c->compressed = 0;
    return BC_OK;
}

bc_count
bc_connection_nnz(const bc_connection *c)
{
    return c->compressed ? c->row_start[c->n_pre] : c->n_built;
}

size_t
bc_connection_bytes(const bc_connection *c)
{
    size_t w = c->uniform ? 0 : sizeof(double);
    if (c->compressed) {
        size_t n = (size_t)c->row_start[c->n_pre];
        return ((size_t)c->n_pre + 1) * sizeof(bc_count) + (size_t)c->n_pre +
               n * (sizeof(bc_index) + w +
                    (c->delay != NULL ? sizeof(uint16_t) : 0));
    }
    return (size_t)c->capacity *
           (2 * sizeof(bc_index) + w +
            (c->built_delay != NULL ? sizeof(uint16_t) : 0));
}

/* First position of target >= j in row i (compressed). */
static bc_count
lower_bound(const bc_connection *c, bc_index i, bc_index j)
{
    bc_count lo = c->row_start[i], hi = c->row_start[i + 1];
    while (lo < hi) {
        bc_count mid = lo + (hi - lo) / 2;
        if (c->post[mid] < j) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

double
bc_connection_get(const bc_connection *c, bc_index i, bc_index j,
                  bc_count *count)
{
    assert(0 <= i && i < c->n_pre && 0 <= j && j < c->n_post);
    double sum = 0.0;
    bc_count m = 0;
    if (c->compressed) {
        bc_count end = c->row_start[i + 1];
        for (bc_count k = lower_bound(c, i, j);
             k < end && c->post[k] == j; k++, m++) {
            sum += bc_connection_weight_at(c, k);
        }
    } else {
        for (bc_count k = 0; k < c->n_built; k++) {
            if (c->built_pre[k] == i && c->built_post[k] == j) {
                sum += c->uniform ? c->uniform_weight : c->built_weight[k];
                m++;
            }
        }
    }
    if (count != NULL) {
        *count = m;
    }
    return sum;
}

bc_count
bc_connection_set(bc_connection *c, bc_index i, bc_index j, double w)
{
    assert(0 <= i && i < c->n_pre && 0 <= j && j < c->n_post);
    bc_count found;
    bc_connection_get(c, i, j, &found);
    if (found > 0 && bc_connection_materialise(c) != BC_OK) {
        return -1;
    }
    bc_count m = 0;
    if (c->compressed) {
        bc_count end = c->row_start[i + 1];
        for (bc_count k = lower_bound(c, i, j);
             k < end && c->post[k] == j; k++) {
            c->weight[k] = m++ == 0 ? w : 0.0;
        }
    } else {
        for (bc_count k = 0; k < c->n_built; k++) {
            if (c->built_pre[k] == i && c->built_post[k] == j) {
                c->built_weight[k] = m++ == 0 ? w : 0.0;
            }
        }
    }
    return m;
}

bc_count
bc_connection_remove(bc_connection *c, bc_index i, bc_index j)
{
    assert(c->compressed);
    bc_count k0 = lower_bound(c, i, j), k1 = k0;
    while (k1 < c->row_start[i + 1] && c->post[k1] == j) {
        k1++;
    }
    bc_count m = k1 - k0, tail = c->row_start[c->n_pre] - k1;
    if (m == 0) {
        return 0;
    }
    memmove(c->post + k0, c->post + k1, (size_t)tail * sizeof(bc_index));
    if (!c->uniform) {
        memmove(c->weight + k0, c->weight + k1,
                (size_t)tail * sizeof(double));
    }
    if (c->delay != NULL) {
        memmove(c->delay + k0, c->delay + k1,
                (size_t)tail * sizeof(uint16_t));
    }
    for (bc_index r = i + 1; r <= c->n_pre; r++) {
        c->row_start[r] -= m;
    }
    c->row_full[i] = 0;
    return m;
}

bc_count
bc_connection_column(const bc_connection *c, bc_index j, bc_index *rows,
                     bc_count *positions)
{
    assert(c->compressed && 0 <= j && j < c->n_post);
    bc_count m = 0;
    for (bc_index i = 0; i < c->n_pre; i++) {
        bc_count end = c->row_start[i + 1];
        for (bc_count k = lower_bound(c, i, j);
             k < end && c->post[k] == j; k++, m++) {
            if (rows != NULL) {
                rows[m] = i;
            }
            if (positions != NULL) {
                positions[m] = k;
            }
        }
    }
    return m;
}

void
bc_connection_todense(const bc_connection *c, double *out)
{
    size_t width = (size_t)c->n_post;
    if (c->compressed) {
        for (bc_index i = 0; i < c->n_pre; i++) {
            double *row = out + (size_t)i * width;
            for (bc_count k = c->row_start[i]; k < c->row_start[i + 1];
                 k++) {
                row[c->post[k]] += bc_connection_weight_at(c, k);
            }
        }
    } else {
        for (bc_count k = 0; k < c->n_built; k++) {
            out[(size_t)c->built_pre[k] * width + (size_t)c->built_post[k]] +=
                c->uniform ? c->uniform_weight : c->built_weight[k];
        }
    }
}

const bc_index *
bc_window_spikes(const bc_group *g, int32_t delay, bc_index origin,
                 bc_index len, bc_index *count)
{
    bc_index n;
    const bc_index *s = bc_group_spikes(g, delay, &n);
    if (origin == 0 && len == g->n) {
        *count = n;
        return s;
    }
    /* Spike lists are ascending: binary search the window's bounds. */
    bc_index lo = 0, hi = n;
    while (lo < hi) {
        bc_index mid = lo + (hi - lo) / 2;
        if (s[mid] < origin) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    bc_index first = lo;
    hi = n;
    while (lo < hi) {
        bc_index mid = lo + (hi - lo) / 2;
        if (s[mid] < origin + len) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *count = lo - first;
    return s + first;
}

/* x[post[k]] += w[k] * scale over one row; a full row is a dense vector
 * and needs no index (the loop vectorises).  x never aliases the
 * connection's arrays. */
static inline void
add_row(double *restrict x, const bc_index *restrict post,
        const double *restrict w, bc_count len, int full)
{
    if (full) {
        for (bc_count k = 0; k < len; k++) {
            x[k] += w[k];
        }
    } else {
        BC_UNROLL4
        for (bc_count k = 0; k < len; k++) {
            x[post[k]] += w[k];
        }
    }
}

/* x[post[k]] += w over one row of a uniform connection: no weight
 * loads, only the targets'. */
static inline void
add_row_uniform(double *restrict x, const bc_index *restrict post, double w,
                bc_count len, int full)
{
    if (full) {
        for (bc_count k = 0; k < len; k++) {
            x[k] += w;
        }
    } else {
        /* unrolled: the loop is a load, an add and a store per target, so
         * its own counting was a third of the work */
        BC_UNROLL4
        for (bc_count k = 0; k < len; k++) {
            x[post[k]] += w;
        }
    }
}

static inline void
add_row_scaled(double *restrict x, const bc_index *restrict post,
               const double *restrict w, bc_count len, int full,
               double scale)
{
    if (full) {
        for (bc_count k = 0; k < len; k++) {
            x[k] += w[k] * scale;
        }
    } else {
        for (bc_count k = 0; k < len; k++) {
            x[post[k]] += w[k] * scale;
        }
    }
}

/* Rows of the spikes to come are fetched while the current row is added:
 * between two connection phases the group updates run, long enough for
 * the rows to leave the caches, and a row's first access would otherwise
 * wait for memory, one row after another.  The first PREFETCH_SPAN
 * synapses of a row are enough to start the hardware prefetcher on the
 * rest. */
#define PREFETCH_AHEAD 4
#define PREFETCH_SPAN 128

static inline void
prefetch_row(const bc_connection *c, bc_index i)
{
    bc_count k0 = c->row_start[i], k1 = c->row_start[i + 1];
    k1 = k1 - k0 > PREFETCH_SPAN ? k0 + PREFETCH_SPAN : k1;
    for (bc_count k = k0; k < k1; k += 64 / sizeof(bc_index)) {
        __builtin_prefetch(c->post + k);
    }
    for (bc_count k = k0; k < k1 && !c->uniform; k += 64 / sizeof(double)) {
        __builtin_prefetch(c->weight + k);
    }
}

/* The factor scaling spike `global` (an index in the source owner): the
 * modulation row's value and the spike scale's, when present. */
static inline double
spike_factor(const bc_connection *c, const double *mod, bc_index global)
{
    double f = mod != NULL ? mod[global] : 1.0;
    if (c->spike_scale != NULL) {
        f *= c->spike_scale[global - c->src_origin];
    }
    return f;
}

void
bc_connection_propagate(bc_connection *c)
{
    assert(c->compressed);
    bc_index n_spikes;
    int32_t delay = c->delay != NULL ? c->spike_lag : c->delay_steps;
    const bc_index *spikes = bc_window_spikes(c->source, delay,
                                              c->src_origin, c->n_pre,
                                              &n_spikes);
    if (n_spikes == 0) {
        return;
    }
    /* The modulation row may be the target row itself (same group): it is
     * read per spike, not cached. */
    const double *mod = c->modulation_var >= 0
        ? c->source->state + (size_t)c->modulation_var * (size_t)c->source->n
        : NULL;
    const bc_count *row_start = c->row_start;
    const bc_index *post = c->post;
    const double *weight = c->weight;
    const uint8_t *row_full = c->row_full;
    bc_index origin = c->src_origin;
    int scaled = mod != NULL || c->spike_scale != NULL;
    if (c->delay == NULL) {
        double *x = c->target->state +
            (size_t)c->target_var * (size_t)c->target->n + c->tgt_origin;
        for (bc_index s = 0; s < n_spikes && s < PREFETCH_AHEAD; s++) {
            prefetch_row(c, spikes[s] - origin);
        }
        for (bc_index s = 0; s < n_spikes; s++) {
            if (s + PREFETCH_AHEAD < n_spikes) {
                prefetch_row(c, spikes[s + PREFETCH_AHEAD] - origin);
            }
            bc_index i = spikes[s] - origin;
            bc_count k0 = row_start[i], len = row_start[i + 1] - k0;
            if (c->uniform) {
                /* w * scale once equals w * scale per synapse */
                add_row_uniform(x, post + k0,
                                !scaled ? c->uniform_weight
                                        : c->uniform_weight *
                                          spike_factor(c, mod, spikes[s]),
                                len, row_full[i]);
            } else if (!scaled) {
                add_row(x, post + k0, weight + k0, len, row_full[i]);
            } else {
                add_row_scaled(x, post + k0, weight + k0, len, row_full[i],
                               spike_factor(c, mod, spikes[s]));
            }
        }
        return;
    }
    const uint16_t *d = c->delay;
    double *ring = c->ring;
    size_t width = (size_t)c->ring_width;
    bc_index first = c->ring_begin;     /* a part's targets are all in it */
    int32_t pos = c->ring_pos - c->spike_lag, n_ring = c->n_ring;
    pos += pos < 0 ? n_ring : 0;
    for (bc_index s = 0; s < n_spikes; s++) {
        bc_index i = spikes[s] - origin;
        double scale = spike_factor(c, mod, spikes[s]);
        for (bc_count k = row_start[i]; k < row_start[i + 1]; k++) {
            /* d[k] < n_ring (compress sized the ring), so one
             * subtraction wraps. */
            int32_t slot = pos + d[k];
            if (slot >= n_ring) {
                slot -= n_ring;
            }
            ring[(size_t)slot * width + (size_t)(post[k] - first)] +=
                bc_connection_weight_at(c, k) * scale;
        }
    }
}

void
bc_connection_deliver(bc_connection *c)
{
    if (c->ring == NULL) {
        return;
    }
    double *restrict x = c->target->state +
        (size_t)c->target_var * (size_t)c->target->n + c->tgt_origin +
        c->ring_begin;
    double *restrict slot = c->ring +
        (size_t)c->ring_pos * (size_t)c->ring_width;
    for (bc_index j = 0; j < c->ring_width; j++) {
        x[j] += slot[j];
        slot[j] = 0.0;
    }
    c->ring_pos = c->ring_pos + 1 < c->n_ring ? c->ring_pos + 1 : 0;
}

void
bc_connection_clear_ring(bc_connection *c)
{
    if (c->ring != NULL) {
        memset(c->ring, 0,
               (size_t)c->n_ring * (size_t)c->ring_width * sizeof(double));
        c->ring_pos = 0;
    }
}
