/* synapse_construction.c -- C core: the pairs Synapses construction
 * creates (synapse_construction.h).
 *
 * Random and conditional blocks split their rows between threads in fixed
 * chunks; every row is drawn or evaluated from its own counter (step =
 * row number), and the chunks' pairs are joined in row order, so the
 * split changes nothing but the time. */
#include "synapse_construction.h"

#include <stdlib.h>
#include <string.h>

#include "random_rows.h"
#include "rng.h"
#include "thread_pool.h"

/* Below this many candidate pairs a block is done on the calling thread
 * (starting threads costs more than they save). */
#define SPLIT_MIN_PAIRS 200000

/* Candidate pairs per chunk of a conditional block (whole rows). */
#define CONDITION_CHUNK_PAIRS 65536

/* Rows per chunk of a random block. */
#define RANDOM_CHUNK_ROWS 256

void
bc_pair_list_free(bc_pair_list *l)
{
    free(l->pre);
    free(l->post);
    memset(l, 0, sizeof(*l));
}

static bc_status
pair_list_alloc(bc_pair_list *l, bc_count n)
{
    memset(l, 0, sizeof(*l));
    if (n == 0) {
        return BC_OK;
    }
    l->pre = malloc((size_t)n * sizeof(bc_index));
    l->post = malloc((size_t)n * sizeof(bc_index));
    if (l->pre == NULL || l->post == NULL) {
        bc_pair_list_free(l);
        return BC_ENOMEM;
    }
    l->n = n;
    return BC_OK;
}

void
bc_full_pairs(const bc_index *pre, bc_index n_pre, const bc_index *post,
              bc_index n_post, bc_count times, bc_index *out_pre,
              bc_index *out_post)
{
    bc_count k = 0;
    for (bc_count rep = 0; rep < times; rep++) {
        for (bc_index a = 0; a < n_pre; a++) {
            bc_index i = pre[a];
            for (bc_index b = 0; b < n_post; b++) {
                out_pre[k + b] = i;
            }
            memcpy(out_post + k, post, (size_t)n_post * sizeof(bc_index));
            k += n_post;
        }
    }
}

/* Threads for a block of n_pairs candidate pairs in n_chunks chunks. */
static int32_t
threads_for(int32_t n_threads, double n_pairs, int64_t n_chunks)
{
    if (n_threads == 0) {
        n_threads = bc_thread_pool_cpus();
    }
    if (n_pairs < SPLIT_MIN_PAIRS || n_chunks < 2) {
        return 1;
    }
    return n_threads < n_chunks ? n_threads : (int32_t)n_chunks;
}

/* -- random blocks ------------------------------------------------------ */

typedef struct random_block {
    bc_row_sampler *samplers;   /* one per thread */
    bc_index **scratch;         /* one per thread: a row's columns */
    bc_count *ends;             /* ends[k]: end of row k's pairs (first
                                   pass: row k's count) */
    const bc_index *pre, *post;
    int post_range;             /* post[c] = post[0] + c */
    bc_pair_list *out;
} random_block;

static void
count_random_rows(void *ctx, int32_t thread, bc_index begin, bc_index end)
{
    random_block *r = ctx;
    for (bc_index k = begin; k < end; k++) {
        r->ends[k] = bc_row_sampler_count(&r->samplers[thread], k);
    }
}

/* Rows [begin, end) into their place.  With the columns a range of
 * neurons (post[c] = post[0] + c, the usual case) a row is drawn straight
 * into out->post, the sampler writing up to BC_ROW_SLACK entries past it
 * where the chunk's next rows go; a row too close to the chunk's end
 * (another thread's, or the array's) is drawn into scratch instead, and
 * so are rows whose columns must be mapped through post. */
static void
fill_random_rows(void *ctx, int32_t thread, bc_index begin, bc_index end)
{
    random_block *r = ctx;
    bc_index *cols = r->scratch[thread];
    bc_count last = r->ends[end - 1];
    for (bc_index k = begin; k < end; k++) {
        bc_count first = k > 0 ? r->ends[k - 1] : 0;
        bc_index m = (bc_index)(r->ends[k] - first);
        bc_index *pre = r->out->pre + first, *post = r->out->post + first;
        bc_index i = r->pre[k];
        for (bc_index a = 0; a < m; a++) {
            pre[a] = i;
        }
        if (r->post_range && r->ends[k] + BC_ROW_SLACK <= last) {
            bc_row_sampler_fill(&r->samplers[thread], k, m, r->post[0], post);
            continue;
        }
        bc_row_sampler_fill(&r->samplers[thread], k, m, 0, cols);
        for (bc_index a = 0; a < m; a++) {
            post[a] = r->post[cols[a]];
        }
    }
}

/* Whether x[c] = x[0] + c for c < n. */
static int
is_range(const bc_index *x, bc_index n)
{
    for (bc_index c = 1; c < n; c++) {
        if (x[c] != x[0] + c) {
            return 0;
        }
    }
    return 1;
}

bc_status
bc_random_pair_list(uint64_t seed, uint64_t stream, const bc_index *pre,
                    bc_index n_pre, const bc_index *post, bc_index n_post,
                    double p, int32_t n_threads, bc_pair_list *out)
{
    memset(out, 0, sizeof(*out));
    if (!(p >= 0.0 && p <= 1.0) || n_pre < 0 || n_post < 0 ||
        n_threads < 0) {
        return BC_EINVAL;
    }
    if (n_pre == 0 || n_post == 0) {
        return BC_OK;
    }
    int64_t n_chunks = (n_pre + RANDOM_CHUNK_ROWS - 1) / RANDOM_CHUNK_ROWS;
    int32_t want = threads_for(n_threads, (double)n_pre * n_post * p,
                               n_chunks);
    bc_thread_pool pool;
    memset(&pool, 0, sizeof(pool));
    random_block r = {NULL, NULL, NULL, pre, post, is_range(post, n_post),
                      out};
    int32_t n_made = 0;
    bc_status st = bc_thread_pool_init(&pool, want);
    int32_t n_pool = pool.n_threads;
    r.samplers = calloc((size_t)n_pool, sizeof(*r.samplers));
    r.scratch = calloc((size_t)n_pool, sizeof(*r.scratch));
    r.ends = malloc((size_t)n_pre * sizeof(bc_count));
    if (st == BC_OK && (r.samplers == NULL || r.scratch == NULL ||
                        r.ends == NULL)) {
        st = BC_ENOMEM;
    }
    for (; st == BC_OK && n_made < n_pool; n_made++) {
        st = bc_row_sampler_init(&r.samplers[n_made], seed, stream, n_post,
                                 p);
        r.scratch[n_made] = malloc(((size_t)n_post + BC_ROW_SLACK) *
                                   sizeof(bc_index));
        if (st == BC_OK && r.scratch[n_made] == NULL) {
            st = BC_ENOMEM;
        }
    }
    if (st == BC_OK) {
        bc_thread_pool_for(&pool, n_pre, RANDOM_CHUNK_ROWS,
                           count_random_rows, &r);
        bc_count n = 0;
        for (bc_index k = 0; k < n_pre; k++) {
            n += r.ends[k];
            r.ends[k] = n;
        }
        st = pair_list_alloc(out, n);
    }
    if (st == BC_OK && out->n > 0) {
        bc_thread_pool_for(&pool, n_pre, RANDOM_CHUNK_ROWS,
                           fill_random_rows, &r);
    }
    bc_thread_pool_free(&pool);
    for (int32_t t = 0; t < n_made; t++) {
        bc_row_sampler_free(&r.samplers[t]);
        free(r.scratch[t]);
    }
    free(r.samplers);
    free(r.scratch);
    free(r.ends);
    return st;
}

/* -- conditional blocks ------------------------------------------------- */

/* One chunk's kept pairs, as (row, column) positions. */
typedef struct chunk_pairs {
    bc_index *rows, *cols;
    bc_count n, cap;
    bc_status st;
    bc_condition_error err;     /* with st == BC_ERANGE */
} chunk_pairs;

/* One thread's room: the VM, the state rows the program reads (per-row
 * rows refilled for each row), its output, the random words and the kept
 * columns of a row. */
typedef struct condition_thread {
    bc_vm vm;
    double *state, *value;
    uint32_t *words;            /* a row's raw words, (n + 3) / 4 * 4 */
    bc_index *kept;
} condition_thread;

typedef struct condition_block {
    const bc_condition *cond;
    bc_index n_pre, n_post, rows_per_chunk;
    condition_thread *threads;
    chunk_pairs *chunks;
} condition_block;

static bc_status
chunk_push(chunk_pairs *c, bc_index row, const bc_index *cols, bc_index m)
{
    if (m == 0) {               /* (memcpy must not see a NULL list) */
        return BC_OK;
    }
    if (c->n + m > c->cap) {
        bc_count cap = c->cap * 2 > c->n + m ? c->cap * 2 : c->n + m + 64;
        bc_index *rows = realloc(c->rows, (size_t)cap * sizeof(bc_index));
        if (rows == NULL) {
            return BC_ENOMEM;
        }
        c->rows = rows;
        bc_index *grown = realloc(c->cols, (size_t)cap * sizeof(bc_index));
        if (grown == NULL) {
            return BC_ENOMEM;
        }
        c->cols = grown;
        c->cap = cap;
    }
    for (bc_index a = 0; a < m; a++) {
        c->rows[c->n + a] = row;
    }
    memcpy(c->cols + c->n, cols, (size_t)m * sizeof(bc_index));
    c->n += m;
    return BC_OK;
}

/* 2^32: a raw word w stands for the uniforms of [w, w + 1) / 2^32. */
#define WORD_SCALE 4294967296.0

/* The rare pair whose word cannot tell: p 2^32 = w + frac, 0 <= frac < 1
 * (exact, since w <= p 2^32 < w + 1).  u = (w + r) / 2^32 with r uniform
 * in (0, 1) is below p when r < frac; r comes from the pair's own
 * counter (draw 0, where the words are draw 3).  Over all words this
 * keeps the pair with probability p exactly. */
static int
keep_undecided(const bc_condition *c, bc_index k, bc_index col, double frac)
{
    return bc_rng_uniform(c->seed, c->stream + (uint64_t)c->draw_substream,
                          k, (uint64_t)col) < frac;
}

/* Row k evaluated into t->value, and its kept columns (positions) written
 * to kept; returns how many, or -1 with *err set for a bad probability.
 * A probability is decided by one 32-bit word per pair (four pairs per
 * cipher call), see keep_undecided. */
static bc_index
evaluate_row(const condition_block *b, condition_thread *t, bc_index k,
             bc_index *kept, bc_condition_error *err)
{
    const bc_condition *c = b->cond;
    bc_index n = b->n_post;
    for (int32_t r = 0; r < c->n_vars; r++) {
        if (c->per_row[r]) {
            double v = c->values[r][k], *row = t->state + (size_t)r * n;
            for (bc_index a = 0; a < n; a++) {
                row[a] = v;
            }
        }
    }
    bc_vm_env env = {.state = t->state, .n = n, .arrays = NULL, .t = 0.0,
                     .seed = c->seed, .stream = c->stream, .step = k};
    bc_vm_run(&t->vm, c->program, &env, 0, n, t->value);
    const double *v = t->value;
    bc_index m = 0;
    if (c->draw_substream < 0) {
        for (bc_index a = 0; a < n; a++) {
            kept[m] = a;
            m += v[a] != 0.0;
        }
        return m;
    }
    bc_rng_words(c->seed, c->stream + (uint64_t)c->draw_substream, k, 0,
                 (n + 3) / 4, t->words);
    /* u in [lo, lo + 1) / 2^32 is below p for sure when lo + 1 <= p 2^32;
     * the first pass, without branches, takes those and notes whether a
     * probability was bad or a word could not tell */
    int bad = 0, unsure = 0;
    for (bc_index a = 0; a < n; a++) {
        double p = v[a], lo = (double)t->words[a], hi = p * WORD_SCALE;
        bad |= !(p >= 0.0 && p <= 1.0);
        unsure |= (lo < hi) & (lo + 1.0 > hi);
        kept[m] = a;
        m += lo + 1.0 <= hi;
    }
    if (!bad && !unsure) {
        return m;
    }
    m = 0;                      /* rare: again, pair by pair */
    for (bc_index a = 0; a < n; a++) {
        double p = v[a];
        if (!(p >= 0.0 && p <= 1.0)) {
            *err = (bc_condition_error){k, a, p};
            return -1;
        }
        double lo = (double)t->words[a], hi = p * WORD_SCALE;
        kept[m] = a;
        m += lo + 1.0 <= hi ? 1
             : (lo >= hi ? 0 : keep_undecided(c, k, a, hi - lo));
    }
    return m;
}

static void
evaluate_chunks(void *ctx, int32_t thread, bc_index begin, bc_index end)
{
    condition_block *b = ctx;
    condition_thread *t = &b->threads[thread];
    bc_index *kept = t->kept;
    for (bc_index ch = begin; ch < end; ch++) {
        chunk_pairs *c = &b->chunks[ch];
        bc_index k0 = ch * b->rows_per_chunk;
        bc_index k1 = k0 + b->rows_per_chunk;
        k1 = k1 < b->n_pre ? k1 : b->n_pre;
        for (bc_index k = k0; k < k1 && c->st == BC_OK; k++) {
            bc_index m = evaluate_row(b, t, k, kept, &c->err);
            c->st = m < 0 ? BC_ERANGE : chunk_push(c, k, kept, m);
        }
    }
}

/* Whether p fits the condition: checked, an output, and no write to a
 * state row (rows shared between the pairs of a row must stay as they
 * were filled). */
static int
condition_program_ok(const bc_condition *c)
{
    const bc_program *p = c->program;
    if (bc_program_check(p, c->n_vars, 0) != BC_OK || p->out_reg < 0) {
        return 0;
    }
    for (int32_t k = 0; k < p->n_instr; k++) {
        if (p->reg_kind[p->code[5 * k + 1]] == BC_REG_VAR) {
            return 0;
        }
    }
    return c->draw_substream < 256;
}

static bc_status
threads_init(condition_block *b, int32_t n, const bc_condition *c)
{
    size_t width = (size_t)b->n_post;
    for (int32_t t = 0; t < n; t++) {
        condition_thread *th = &b->threads[t];
        bc_status st = bc_vm_init(&th->vm, c->program);
        if (st != BC_OK) {
            return st;
        }
        th->state = malloc(((size_t)c->n_vars + 1) * width * sizeof(double));
        th->value = malloc(width * sizeof(double));
        th->words = malloc((width + 3) / 4 * 4 * sizeof(uint32_t));
        th->kept = malloc(width * sizeof(bc_index));
        if (th->state == NULL || th->value == NULL || th->words == NULL ||
            th->kept == NULL) {
            return BC_ENOMEM;
        }
        for (int32_t r = 0; r < c->n_vars; r++) {
            if (!c->per_row[r]) {
                memcpy(th->state + (size_t)r * width, c->values[r],
                       width * sizeof(double));
            }
        }
    }
    return BC_OK;
}

/* The chunks' pairs, in order, into out (mapped through pre and post), or
 * the first chunk's failure. */
static bc_status
join_chunks(const condition_block *b, int64_t n_chunks, const bc_index *pre,
            const bc_index *post, bc_pair_list *out,
            bc_condition_error *err)
{
    bc_count n = 0;
    for (int64_t ch = 0; ch < n_chunks; ch++) {
        if (b->chunks[ch].st != BC_OK) {
            *err = b->chunks[ch].err;
            return b->chunks[ch].st;
        }
        n += b->chunks[ch].n;
    }
    bc_status st = pair_list_alloc(out, n);
    bc_count k = 0;
    for (int64_t ch = 0; ch < n_chunks && st == BC_OK; ch++) {
        const chunk_pairs *c = &b->chunks[ch];
        for (bc_count a = 0; a < c->n; a++) {
            out->pre[k + a] = pre[c->rows[a]];
            out->post[k + a] = post[c->cols[a]];
        }
        k += c->n;
    }
    return st;
}

bc_status
bc_condition_pair_list(const bc_condition *cond, const bc_index *pre,
                       bc_index n_pre, const bc_index *post, bc_index n_post,
                       int32_t n_threads, bc_pair_list *out,
                       bc_condition_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!condition_program_ok(cond) || n_pre < 0 || n_post < 0 ||
        n_threads < 0) {
        return BC_EINVAL;
    }
    if (n_pre == 0 || n_post == 0) {
        return BC_OK;
    }
    condition_block b = {cond, n_pre, n_post, 1, NULL, NULL};
    if (n_post < CONDITION_CHUNK_PAIRS) {
        b.rows_per_chunk = CONDITION_CHUNK_PAIRS / n_post;
    }
    int64_t n_chunks = (n_pre + b.rows_per_chunk - 1) / b.rows_per_chunk;
    bc_thread_pool pool;
    memset(&pool, 0, sizeof(pool));
    bc_status st = bc_thread_pool_init(
        &pool, threads_for(n_threads, (double)n_pre * n_post, n_chunks));
    int32_t n_pool = pool.n_threads;
    b.threads = calloc((size_t)(n_pool > 0 ? n_pool : 1),
                       sizeof(*b.threads));
    b.chunks = calloc((size_t)n_chunks, sizeof(*b.chunks));
    if (st == BC_OK && (b.threads == NULL || b.chunks == NULL)) {
        st = BC_ENOMEM;
    }
    if (st == BC_OK) {
        st = threads_init(&b, n_pool, cond);
    }
    if (st == BC_OK) {
        bc_thread_pool_for(&pool, (bc_index)n_chunks, 1, evaluate_chunks,
                           &b);
        st = join_chunks(&b, n_chunks, pre, post, out, err);
    }
    bc_thread_pool_free(&pool);
    for (int32_t t = 0; b.threads != NULL && t < n_pool; t++) {
        bc_vm_free(&b.threads[t].vm);
        free(b.threads[t].state);
        free(b.threads[t].value);
        free(b.threads[t].words);
        free(b.threads[t].kept);
    }
    for (int64_t ch = 0; b.chunks != NULL && ch < n_chunks; ch++) {
        free(b.chunks[ch].rows);
        free(b.chunks[ch].cols);
    }
    free(b.threads);
    free(b.chunks);
    return st;
}

/* -- values of a string over synapses ---------------------------------- */

/* Synapses per chunk of an expression's evaluation. */
#define EXPR_CHUNK 16384

typedef struct expr_block {
    const bc_synapse_expr *e;
    const bc_vm_rows *rows;
    const bc_index *ids;
    bc_vm *vms;                 /* one per thread */
    bc_count *n_nan;            /* one per thread */
    double *out;
} expr_block;

static void
evaluate_expr_chunk(void *ctx, int32_t thread, bc_index begin, bc_index end)
{
    expr_block *b = ctx;
    const bc_synapse_expr *e = b->e;
    bc_vm_env env = {.state = NULL, .n = e->n_syn, .arrays = NULL,
                     .t = 0.0, .seed = e->seed, .stream = e->stream,
                     .step = e->step};
    double *out = b->out + begin;
    bc_vm_run_mapped(&b->vms[thread], e->program, &env, b->rows,
                     b->ids ? b->ids + begin : NULL, begin, end - begin,
                     out);
    bc_count nan = 0;
    for (bc_index k = 0; k < end - begin; k++) {
        nan += out[k] != out[k];
    }
    b->n_nan[thread] += nan;
}

/* Whether every map[0..n) is in [0, len). */
static int
map_fits(const bc_index *map, bc_index n, bc_index len)
{
    bc_index lo = 0, hi = -1;
    for (bc_index k = 0; k < n; k++) {
        lo = map[k] < lo ? map[k] : lo;
        hi = map[k] > hi ? map[k] : hi;
    }
    return lo >= 0 && hi < len;
}

/* BC_OK if e's program and rows fit each other, the ids (n of them) are
 * synapses and the maps stay inside the rows they index. */
static bc_status
synapse_expr_check(const bc_synapse_expr *e, const bc_index *ids, bc_index n)
{
    const bc_program *p = e->program;
    if (p == NULL || e->n_vars < 0 || e->n_syn < 0 || n < 0 ||
        (ids == NULL && n != e->n_syn) ||
        bc_program_check(p, e->n_vars, 0) != BC_OK || p->out_reg < 0 ||
        p->lin_n > 0) {
        return BC_EINVAL;
    }
    for (int32_t k = 0; k < p->n_instr; k++) {
        if (p->reg_kind[p->code[5 * k + 1]] == BC_REG_VAR) {
            return BC_EINVAL;
        }
    }
    bc_index shortest[3] = {BC_INDEX_MAX, BC_INDEX_MAX, BC_INDEX_MAX};
    for (int32_t r = 0; r < e->n_vars; r++) {
        int8_t sp = e->space[r];
        if (sp < 0 || sp > 2 || e->rows[r] == NULL || e->row_len[r] < 0 ||
            (sp == 1 && e->pre == NULL) || (sp == 2 && e->post == NULL)) {
            return BC_EINVAL;
        }
        if (e->row_len[r] < shortest[sp]) {
            shortest[sp] = e->row_len[r];
        }
    }
    if ((shortest[0] < e->n_syn) ||
        (ids != NULL && !map_fits(ids, n, e->n_syn)) ||
        (shortest[1] < BC_INDEX_MAX &&
         !map_fits(e->pre, e->n_syn, shortest[1])) ||
        (shortest[2] < BC_INDEX_MAX &&
         !map_fits(e->post, e->n_syn, shortest[2]))) {
        return BC_ERANGE;
    }
    return BC_OK;
}

bc_status
bc_synapse_expr_values(const bc_synapse_expr *e, const bc_index *ids,
                       bc_index n, int32_t n_threads, double *out,
                       bc_count *n_nan)
{
    *n_nan = 0;
    bc_status st = n_threads < 0 ? BC_EINVAL : synapse_expr_check(e, ids, n);
    if (st != BC_OK || n == 0) {
        return st;
    }
    bc_vm_rows rows = {.n_rows = e->n_vars, .row = (double *const *)e->rows,
                       .space = e->space, .map = {e->pre, e->post}};
    bc_thread_pool pool;
    memset(&pool, 0, sizeof(pool));
    int64_t n_chunks = (n + EXPR_CHUNK - 1) / EXPR_CHUNK;
    st = bc_thread_pool_init(&pool, threads_for(n_threads, (double)n,
                                                n_chunks));
    int32_t n_pool = pool.n_threads > 0 ? pool.n_threads : 1;
    expr_block b = {e, &rows, ids, calloc((size_t)n_pool, sizeof(bc_vm)),
                    calloc((size_t)n_pool, sizeof(bc_count)), out};
    if (st == BC_OK && (b.vms == NULL || b.n_nan == NULL)) {
        st = BC_ENOMEM;
    }
    for (int32_t t = 0; st == BC_OK && t < n_pool; t++) {
        st = bc_vm_init(&b.vms[t], e->program);
    }
    if (st == BC_OK) {
        bc_thread_pool_for(&pool, n, EXPR_CHUNK, evaluate_expr_chunk, &b);
        for (int32_t t = 0; t < n_pool; t++) {
            *n_nan += b.n_nan[t];
        }
    }
    bc_thread_pool_free(&pool);
    for (int32_t t = 0; b.vms != NULL && t < n_pool; t++) {
        bc_vm_free(&b.vms[t]);
    }
    free(b.vms);
    free(b.n_nan);
    return st;
}

/* -- selections ---------------------------------------------------------- */

bc_status
bc_synapses_between(const bc_index *pre, const bc_index *post, bc_index n,
                    const uint8_t *in_pre, bc_index n_in_pre,
                    const uint8_t *in_post, bc_index n_in_post,
                    bc_index *out, bc_index *n_out)
{
    *n_out = 0;
    if (n < 0 || !map_fits(pre, n, n_in_pre) ||
        !map_fits(post, n, n_in_post)) {
        return BC_ERANGE;
    }
    bc_index m = 0;
    for (bc_index e = 0; e < n; e++) {
        out[m] = e;
        m += in_pre[pre[e]] & in_post[post[e]];
    }
    *n_out = m;
    return BC_OK;
}

/* -- delays ------------------------------------------------------------- */

bc_status
bc_delay_steps(const double *seconds, bc_count n, double inv_dt,
               int64_t limit, uint16_t *out, double *worst)
{
    if (limit < 0 || limit > UINT16_MAX) {
        return BC_EINVAL;
    }
    double too_long = (double)limit + 1.0;
    bc_status st = BC_OK;
    for (bc_count k = 0; k < n; k++) {      /* all checked before a write */
        double s = seconds[k];
        if (!(s >= 0.0)) {                  /* NaN too */
            *worst = s;
            return BC_EINVAL;
        }
        if (s * inv_dt >= too_long && (st == BC_OK || s > *worst)) {
            *worst = s;                     /* trunc(s / dt) > limit */
            st = BC_ERANGE;
        }
    }
    for (bc_count k = 0; k < n && st == BC_OK; k++) {
        out[k] = (uint16_t)(int64_t)(seconds[k] * inv_dt);
    }
    return st;
}
