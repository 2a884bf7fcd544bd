/* stdp.c -- C core: STDP on a Connection (see stdp.h). */
#include "stdp.h"

#include "huge_pages.h"
#include "vmath.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bc_status
bc_stdp_init(bc_stdp *s, bc_connection *conn, bc_group *pre, bc_group *post,
             double wmin, double wmax, int32_t delay_pre, int32_t delay_post,
             double dt)
{
    memset(s, 0, sizeof(*s));
    if (conn == NULL || pre == NULL || post == NULL ||
        pre->n != conn->n_pre || post->n != conn->n_post ||
        !(wmax >= wmin) || isnan(wmin) || !(dt > 0.0) ||
        delay_pre < 0 || delay_pre > BC_MAX_DELAY_STEPS ||
        delay_post < 0 || delay_post > BC_MAX_DELAY_STEPS) {
        return BC_EINVAL;
    }
    s->conn = conn;
    s->traces[BC_STDP_PRE] = pre;
    s->traces[BC_STDP_POST] = post;
    s->wmin = wmin;
    s->wmax = wmax;
    s->dt = dt;
    s->code[BC_STDP_PRE].delay_steps = delay_pre;
    s->code[BC_STDP_POST].delay_steps = delay_post;
    s->batch_rows = 1;
    s->last_step = -1;
    return BC_OK;
}

bc_status
bc_stdp_use_synapse_delays(bc_stdp *s, int32_t max_delay)
{
    if (max_delay < 1 || max_delay > BC_MAX_DELAY_STEPS ||
        s->code[BC_STDP_PRE].delay_steps != 0 ||
        s->code[BC_STDP_POST].delay_steps != 0) {
        return BC_EINVAL;
    }
    s->max_delay = max_delay;
    free(s->history);
    s->history = NULL;
    return BC_OK;
}

static void
free_index(bc_stdp *s)
{
    free(s->col_start);
    free(s->col_pos);
    free(s->col_row);
    s->col_start = NULL;
    s->col_pos = NULL;
    s->col_row = NULL;
    s->seen_post = NULL;
    s->nnz = 0;
}

void
bc_stdp_free(bc_stdp *s)
{
    for (int side = 0; side < 2; side++) {
        bc_stdp_code *code = &s->code[side];
        for (int32_t k = 0; k < code->n_segments; k++) {
            bc_vm_free(&code->segments[k].vm);
            free(code->segments[k].gather_side);
            free(code->segments[k].gather_row);
            free(code->segments[k].term);
        }
        free(code->segments);
    }
    free_index(s);
    free(s->local);
    free(s->history);
    free(s->batch);
    free(s->batch_pos);
    memset(s, 0, sizeof(*s));
}

/* A synapse segment may write its batch's row 0 only. */
static int
writes_only_row0(const bc_program *p)
{
    for (int32_t k = 0; k < p->n_instr; k++) {
        int32_t dst = p->code[5 * k + 1];
        if (p->reg_kind[dst] == BC_REG_VAR && p->reg_index[dst] != 0) {
            return 0;
        }
    }
    return 1;
}

/* Whether p is exactly w <- w + row 1 (one ADD into row 0). */
static int
is_additive(const bc_program *p, int32_t n_gather)
{
    if (n_gather != 1 || p->n_instr != 1 || p->code[0] != BC_OP_ADD) {
        return 0;
    }
    const int32_t *c = p->code;
    int32_t dst = c[1], a = c[2], b = c[3];
    int a_w = p->reg_kind[a] == BC_REG_VAR && p->reg_index[a] == 0;
    int b_w = p->reg_kind[b] == BC_REG_VAR && p->reg_index[b] == 0;
    int a_g = p->reg_kind[a] == BC_REG_VAR && p->reg_index[a] == 1;
    int b_g = p->reg_kind[b] == BC_REG_VAR && p->reg_index[b] == 1;
    return p->reg_kind[dst] == BC_REG_VAR && p->reg_index[dst] == 0 &&
           ((a_w && b_g) || (a_g && b_w));
}

/* Whether VAR row `row` is operand `which` (0: a, 1: b, 2: c) of
 * instruction k. */
static int
reads_row(const bc_program *p, int32_t k, int which, int32_t row)
{
    int32_t r = p->code[5 * k + 2 + which];
    return p->reg_kind[r] == BC_REG_VAR && p->reg_index[r] == row;
}

/* Whether p is w <- w + h(row 1) with h made of row 1 and constants:
 * row 0 is read once, as an addend of the last instruction (ADD, the c
 * of FMA: x*y + c, or the b of FMAADD: b + (a*K0 + K1)), and written
 * only there; no random draws (they
 * differ per element).  Then h(row 1) + (-0) is h(row 1) exactly, so h
 * computed per neuron with row 0 = -0 and added to each synapse's w
 * gives the program's bits. */
static int
adds_neuron_term(const bc_program *p, int32_t n_gather)
{
    if (n_gather != 1 || p->n_instr < 1) {
        return 0;
    }
    int32_t last = p->n_instr - 1;
    int32_t reads_w = 0;
    for (int32_t k = 0; k < p->n_instr; k++) {
        int32_t op = p->code[5 * k];
        int32_t dst = p->code[5 * k + 1];
        if (op == BC_OP_RAND || op == BC_OP_RANDN ||
            (k < last && p->reg_kind[dst] == BC_REG_VAR)) {
            return 0;
        }
        for (int which = 0; which < bc_opcode_arity(op); which++) {
            reads_w += reads_row(p, k, which, 0);
        }
    }
    int32_t op = p->code[5 * last];
    int32_t dst = p->code[5 * last + 1];
    int w_added = op == BC_OP_ADD
        ? reads_row(p, last, 0, 0) || reads_row(p, last, 1, 0)
        : (op == BC_OP_FMA && reads_row(p, last, 2, 0)) ||
          (op == BC_OP_FMAADD && reads_row(p, last, 1, 0));
    return reads_w == 1 && w_added && p->reg_kind[dst] == BC_REG_VAR &&
           p->reg_index[dst] == 0;
}

/* The group a segment's first gathered row comes from. */
static const bc_group *
gathered_group(const bc_stdp *s, int side, const bc_stdp_segment *seg)
{
    return seg->gather_side[0] == BC_STDP_OWN ? s->traces[side]
                                              : s->traces[1 - side];
}

static bc_status
check_segment(const bc_stdp *s, int side, int on_synapses,
              const bc_program *p, int32_t n_gather,
              const int32_t *gather_side, const int32_t *gather_row)
{
    if (side != BC_STDP_PRE && side != BC_STDP_POST) {
        return BC_EINVAL;
    }
    if (!on_synapses) {
        const bc_group *own = s->traces[side];
        if (n_gather != 0 || p->lin_n != 0 ||
            bc_program_check(p, own->n_vars, 0) != BC_OK) {
            return BC_EINVAL;
        }
        return BC_OK;
    }
    if (n_gather < 0 || n_gather > INT32_MAX - 1 || p->lin_n != 0 ||
        bc_program_check(p, 1 + n_gather, 0) != BC_OK ||
        !writes_only_row0(p)) {
        return BC_EINVAL;
    }
    for (int32_t g = 0; g < n_gather; g++) {
        if (gather_side[g] != BC_STDP_OWN && gather_side[g] != BC_STDP_OTHER) {
            return BC_EINVAL;
        }
        const bc_group *from = gather_side[g] == BC_STDP_OWN
            ? s->traces[side] : s->traces[1 - side];
        if (gather_row[g] < 0 || gather_row[g] >= from->n_vars) {
            return BC_EINVAL;
        }
    }
    return BC_OK;
}

bc_status
bc_stdp_add_segment(bc_stdp *s, int side, int on_synapses,
                    const bc_program *p, int32_t n_gather,
                    const int32_t *gather_side, const int32_t *gather_row)
{
    bc_status st = check_segment(s, side, on_synapses, p, n_gather,
                                 gather_side, gather_row);
    if (st != BC_OK) {
        return st;
    }
    bc_stdp_code *code = &s->code[side];
    bc_stdp_segment *segs = realloc(
        code->segments, ((size_t)code->n_segments + 1) * sizeof(*segs));
    if (segs == NULL) {
        return BC_ENOMEM;
    }
    code->segments = segs;
    bc_stdp_segment *seg = &segs[code->n_segments];
    memset(seg, 0, sizeof(*seg));
    seg->on_synapses = on_synapses != 0;
    seg->prog = *p;
    size_t bytes = (size_t)(n_gather > 0 ? n_gather : 1) * sizeof(int32_t);
    seg->gather_side = malloc(bytes);
    seg->gather_row = malloc(bytes);
    st = bc_vm_init(&seg->vm, p);
    if (seg->gather_side == NULL || seg->gather_row == NULL || st != BC_OK) {
        bc_vm_free(&seg->vm);
        free(seg->gather_side);
        free(seg->gather_row);
        return BC_ENOMEM;
    }
    if (n_gather > 0) {
        memcpy(seg->gather_side, gather_side, bytes);
        memcpy(seg->gather_row, gather_row, bytes);
    }
    seg->n_gather = n_gather;
    seg->additive = is_additive(p, n_gather);
    seg->per_neuron = !seg->additive && on_synapses &&
                      adds_neuron_term(p, n_gather);
    if (seg->per_neuron) {
        size_t n = (size_t)gathered_group(s, side, seg)->n;
        seg->term = malloc(2 * (n > 0 ? n : 1) * sizeof(double));
        if (seg->term == NULL) {
            bc_vm_free(&seg->vm);
            free(seg->gather_side);
            free(seg->gather_row);
            return BC_ENOMEM;
        }
    }
    code->n_segments++;
    /* Clipping follows the code's last synapse segment. */
    if (seg->on_synapses) {
        for (int32_t k = 0; k < code->n_segments - 1; k++) {
            segs[k].clip = 0;
        }
        seg->clip = 1;
        code->has_synapse_segment = 1;
        if (1 + n_gather > s->batch_rows) {
            s->batch_rows = 1 + n_gather;
            free(s->batch);         /* reallocated by prepare */
            s->batch = NULL;
        }
    }
    return BC_OK;
}

/* Moves the weights of a big plastic connection onto huge pages: a post
 * spike walks a column, one weight per row, so with small pages nearly
 * every weight of a column costs a TLB miss (a dense 1000 x 1000 matrix
 * spans 2000 pages of 4 kB, 4 of 2 MB).  Done once (the copy is kept
 * while the matrix keeps its shape).  A uniform matrix (compressed) gets
 * its weights written there at once, rather than into a small-page array
 * copied over and freed. */
static bc_status
weights_on_huge_pages(bc_stdp *s)
{
    bc_connection *c = s->conn;
    bc_count nnz = c->row_start[c->n_pre];
    size_t bytes = (size_t)nnz * sizeof(double);
    if (!bc_huge_pages_for(bytes) ||
        (!c->uniform && (c->weight == NULL || c->weight == s->huge_weight))) {
        return BC_OK;
    }
    double *w = bc_alloc_huge(bytes);
    if (w == NULL) {
        return BC_ENOMEM;
    }
    if (c->uniform) {
        for (bc_count k = 0; k < nnz; k++) {
            w[k] = c->uniform_weight;
        }
        c->uniform = 0;
    } else {
        memcpy(w, c->weight, bytes);
        free(c->weight);
    }
    c->weight = w;
    s->huge_weight = w;
    return BC_OK;
}

/* Counting sort of the CSR positions by column; rows stay ascending.  A
 * dense matrix needs none: its columns are strided. */
static bc_status
build_column_index(bc_stdp *s)
{
    const bc_connection *c = s->conn;
    bc_count nnz = c->row_start[c->n_pre];
    free_index(s);
    s->all_rows_full = 1;
    for (bc_index i = 0; i < c->n_pre; i++) {
        s->all_rows_full &= c->row_full[i] != 0;
    }
    s->nnz = nnz;
    s->seen_post = c->post;
    if (s->all_rows_full) {
        return BC_OK;
    }
    s->col_start = calloc((size_t)c->n_post + 1, sizeof(bc_count));
    s->col_pos = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(bc_count));
    s->col_row = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof(bc_index));
    bc_count *cursor = malloc(((size_t)c->n_post + 1) * sizeof(bc_count));
    if (s->col_start == NULL || s->col_pos == NULL || s->col_row == NULL ||
        cursor == NULL) {
        free(cursor);
        free_index(s);
        return BC_ENOMEM;
    }
    for (bc_count k = 0; k < nnz; k++) {
        s->col_start[c->post[k] + 1]++;
    }
    for (bc_index j = 0; j < c->n_post; j++) {
        s->col_start[j + 1] += s->col_start[j];
    }
    memcpy(cursor, s->col_start, ((size_t)c->n_post + 1) * sizeof(bc_count));
    for (bc_index i = 0; i < c->n_pre; i++) {
        for (bc_count k = c->row_start[i]; k < c->row_start[i + 1]; k++) {
            bc_count m = cursor[c->post[k]]++;
            s->col_pos[m] = k;
            s->col_row[m] = i;
        }
    }
    free(cursor);
    s->nnz = nnz;
    s->seen_post = c->post;
    return BC_OK;
}

/* Per-synapse delays must be declared (bc_stdp_use_synapse_delays) and
 * within max_delay. */
static bc_status
check_synapse_delays(const bc_stdp *s)
{
    const bc_connection *c = s->conn;
    if (c->delay == NULL) {
        return BC_OK;
    }
    if (s->max_delay == 0) {
        return BC_EINVAL;
    }
    bc_count nnz = c->row_start[c->n_pre];
    for (bc_count k = 0; k < nnz; k++) {
        if (c->delay[k] > s->max_delay) {
            return BC_EINVAL;
        }
    }
    return BC_OK;
}

static size_t
history_doubles(const bc_stdp *s)
{
    return (size_t)(s->max_delay + 1) * s->history_slot;
}

/* The ring of recent trace values (per-synapse delays only), zeroed. */
static bc_status
allocate_history(bc_stdp *s)
{
    if (s->max_delay == 0 || s->history != NULL) {
        return BC_OK;
    }
    const bc_group *pre = s->traces[BC_STDP_PRE];
    const bc_group *post = s->traces[BC_STDP_POST];
    s->history_slot = (size_t)pre->n_vars * (size_t)pre->n +
                      (size_t)post->n_vars * (size_t)post->n;
    size_t n = history_doubles(s);
    s->history = calloc(n > 0 ? n : 1, sizeof(double));
    s->last_step = -1;
    return s->history != NULL ? BC_OK : BC_ENOMEM;
}

/* Whether a synapse segment runs through the batch (all but w += trace
 * on homogeneous delays). */
static int
needs_batch(const bc_stdp *s)
{
    for (int side = 0; side < 2; side++) {
        const bc_stdp_code *code = &s->code[side];
        for (int32_t k = 0; k < code->n_segments; k++) {
            const bc_stdp_segment *seg = &code->segments[k];
            if (seg->on_synapses && (!seg->additive || s->max_delay > 0)) {
                return 1;
            }
        }
    }
    return 0;
}

bc_status
bc_stdp_prepare(bc_stdp *s)
{
    bc_connection *c = s->conn;
    bc_status st = bc_connection_compress(c);
    if (st == BC_OK) {
        st = weights_on_huge_pages(s);
    }
    if (st == BC_OK) {
        st = bc_connection_materialise(c);     /* if small */
    }
    if (st == BC_OK) {
        st = check_synapse_delays(s);
    }
    if (st == BC_OK) {
        st = build_column_index(s);
    }
    if (st == BC_OK) {
        int32_t pre_delay = s->max_delay > 0
            ? s->max_delay : s->code[BC_STDP_PRE].delay_steps;
        st = bc_group_reserve_history(c->source, pre_delay + 1);
    }
    if (st == BC_OK) {
        st = allocate_history(s);
    }
    if (st == BC_OK) {
        st = bc_group_reserve_history(
            c->target, s->code[BC_STDP_POST].delay_steps + 1);
    }
    if (st != BC_OK) {
        return st;
    }
    if (s->local == NULL) {
        bc_index n = c->n_pre > c->n_post ? c->n_pre : c->n_post;
        s->local = malloc((size_t)n * sizeof(bc_index));
        if (s->local == NULL) {
            return BC_ENOMEM;
        }
    }
    if (s->batch == NULL && needs_batch(s)) {
        s->batch_cap = BC_STDP_BATCH;
        s->batch = malloc((size_t)s->batch_rows * (size_t)s->batch_cap *
                          sizeof(double));
        free(s->batch_pos);
        s->batch_pos = malloc((size_t)s->batch_cap * sizeof(bc_count));
        if (s->batch == NULL || s->batch_pos == NULL) {
            free(s->batch);
            s->batch = NULL;
            return BC_ENOMEM;
        }
    }
    return BC_OK;
}

/* Whether the matrix changed shape since the column index was built (a
 * network operation added synapses to a dynamic connection). */
static int
index_is_stale(const bc_stdp *s)
{
    const bc_connection *c = s->conn;
    return !c->compressed || c->uniform || c->post != s->seen_post ||
           c->row_start[c->n_pre] != s->nnz;
}

static inline double
clip(double w, double lo, double hi)
{
    return w < lo ? lo : (w > hi ? hi : w);
}

/* The synapses of spike `own` (a row for the pre code, a column for the
 * post code): entry k is at CSR position pos[k], or first + k * stride
 * when pos is NULL (a row, or a column of a dense matrix); its other
 * neuron is other[k], or k when other is NULL (a full row or a dense
 * column). */
typedef struct {
    const bc_count *pos;
    bc_count first, len, stride;
    const bc_index *other;
} synapse_run;

static inline bc_count
run_pos(const synapse_run *r, bc_count k)
{
    return r->pos != NULL ? r->pos[k] : r->first + k * r->stride;
}

static synapse_run
synapses_of(const bc_stdp *s, int side, bc_index own)
{
    const bc_connection *c = s->conn;
    synapse_run r;
    if (side == BC_STDP_PRE) {
        r.pos = NULL;
        r.first = c->row_start[own];
        r.len = c->row_start[own + 1] - r.first;
        r.stride = 1;
        r.other = c->row_full[own] ? NULL : c->post + r.first;
    } else if (s->all_rows_full) {
        r.pos = NULL;
        r.first = own;
        r.len = c->n_pre;
        r.stride = c->n_post;
        r.other = NULL;
    } else {
        bc_count m0 = s->col_start[own];
        r.pos = s->col_pos + m0;
        r.first = 0;
        r.len = s->col_start[own + 1] - m0;
        r.stride = 0;
        r.other = s->col_row + m0;
    }
    return r;
}

/* Entries of a sparse column prefetched ahead of the one being read. */
#define COLUMN_AHEAD 16

/* Starts fetching the first weights of the column of post spike `own`
 * (a sparse column's weights lie in different rows), while the previous
 * spike's column is walked: within a column, later entries are fetched
 * COLUMN_AHEAD ahead, but a column's first ones would wait for memory. */
static inline void
prefetch_column(const bc_stdp *s, int side, bc_index own)
{
    if (side != BC_STDP_POST || s->all_rows_full) {
        return;
    }
    bc_count m0 = s->col_start[own], m1 = s->col_start[own + 1];
    m1 = m1 - m0 > COLUMN_AHEAD ? m0 + COLUMN_AHEAD : m1;
    for (bc_count m = m0; m < m1; m++) {
        __builtin_prefetch(s->conn->weight + s->col_pos[m], 1);
    }
}

/* Steps back from the end of the previous step at which a synapse of
 * delay d reads the other side's traces (per-synapse delays): the pre
 * code runs max_delay steps after the spike, which reached the synapse d
 * steps after it; the post code reads what had reached the synapse. */
static inline bc_step
history_lag(const bc_stdp *s, int side, int32_t d)
{
    return side == BC_STDP_PRE ? (bc_step)(s->max_delay - d) : (bc_step)d;
}

/* Row `row` of the trace group of `group_side` at the end of step m. */
static double *
history_row(const bc_stdp *s, int group_side, int32_t row, bc_step m)
{
    const bc_group *pre = s->traces[BC_STDP_PRE];
    const bc_group *g = s->traces[group_side];
    bc_step slots = (bc_step)s->max_delay + 1;
    size_t slot = (size_t)(((m % slots) + slots) % slots);
    size_t offset = group_side == BC_STDP_PRE
        ? 0 : (size_t)pre->n_vars * (size_t)pre->n;
    return s->history + slot * s->history_slot + offset +
           (size_t)row * (size_t)g->n;
}

/* Other-side trace values of the synapses [done, done + take) of run r,
 * as they were when each one's spike reached it (per-synapse delays). */
static void
gather_delayed(const bc_stdp *s, int side, int32_t row, const synapse_run *r,
               bc_count done, bc_count take, double *dst)
{
    const uint16_t *delay = s->conn->delay;
    int other_side = 1 - side;
    for (bc_count k = 0; k < take; k++) {
        bc_count pos = run_pos(r, done + k);
        bc_index other = r->other != NULL ? r->other[done + k]
                                          : (bc_index)(done + k);
        int32_t d = delay != NULL ? delay[pos] : 0;
        bc_step m = s->step - 1 - history_lag(s, side, d);
        dst[k] = history_row(s, other_side, row, m)[other];
    }
}

/* Runs a synapse segment on the batch's first m synapses, then writes
 * their weights back. */
static void
flush_batch(bc_stdp *s, bc_stdp_segment *seg, bc_count m,
            const bc_vm_env *base)
{
    if (m == 0) {
        return;
    }
    bc_vm_env env = *base;
    env.state = s->batch;
    env.n = (bc_index)s->batch_cap;
    env.arrays = NULL;
    bc_vm_run(&seg->vm, &seg->prog, &env, 0, (bc_index)m, NULL);
    double *w = s->conn->weight;
    const double *row0 = s->batch;
    if (seg->clip) {
        double lo = s->wmin, hi = s->wmax;
        for (bc_count q = 0; q < m; q++) {
            w[s->batch_pos[q]] = clip(row0[q], lo, hi);
        }
    } else {
        for (bc_count q = 0; q < m; q++) {
            w[s->batch_pos[q]] = row0[q];
        }
    }
}

/* Copies synapses [done, done + take) of run r into the batch from slot
 * m: their positions, weights and gathered trace values. */
static void
fill_chunk(bc_stdp *s, int side, const bc_stdp_segment *seg, bc_index own,
           const synapse_run *r, bc_count done, bc_count take, bc_count m)
{
    const double *w = s->conn->weight;
    bc_count cap = s->batch_cap;
    bc_count *pos = s->batch_pos + m;
    double *w_row = s->batch + m;
    if (r->pos != NULL) {
        /* a sparse column: each weight on a cache line of its own, fetched
         * COLUMN_AHEAD entries ahead so that the misses overlap */
        const bc_count *from = r->pos + done;
        for (bc_count k = 0; k < take; k++) {
            if (done + k + COLUMN_AHEAD < r->len) {
                __builtin_prefetch(w + from[k + COLUMN_AHEAD], 1);
            }
            pos[k] = from[k];
            w_row[k] = w[pos[k]];
        }
    } else {
        for (bc_count k = 0; k < take; k++) {
            pos[k] = run_pos(r, done + k);
            w_row[k] = w[pos[k]];
        }
    }
    for (int32_t g = 0; g < seg->n_gather; g++) {
        int own_side = seg->gather_side[g] == BC_STDP_OWN;
        const bc_group *from = s->traces[own_side ? side : 1 - side];
        const double *src = from->state +
            (size_t)seg->gather_row[g] * (size_t)from->n;
        double *dst = s->batch + (size_t)(g + 1) * (size_t)cap + (size_t)m;
        if (own_side) {
            double v = src[own];
            for (bc_count k = 0; k < take; k++) {
                dst[k] = v;
            }
        } else if (s->max_delay > 0) {
            gather_delayed(s, side, seg->gather_row[g], r, done, take, dst);
        } else if (r->other == NULL) {
            memcpy(dst, src + done, (size_t)take * sizeof(double));
        } else {
            const bc_index *other = r->other + done;
            for (bc_count k = 0; k < take; k++) {
                dst[k] = src[other[k]];
            }
        }
    }
}

/* w += v on every synapse of r, a row or a dense column (sparse columns:
 * add_to_sparse_columns). */
BC_VECTOR_FN static void
add_constant(double *restrict w, const synapse_run *r, double v, double lo,
             double hi)
{
    assert(r->pos == NULL);
    double *x = w + r->first;
    bc_count stride = r->stride;
    for (bc_count k = 0; k < r->len; k++) {
        x[k * stride] = clip(x[k * stride] + v, lo, hi);
    }
}

/* w += src[other neuron] on every synapse of r, a row or a dense column
 * (an AVX2 clone where the CPU has it: the row loop is the hot one). */
BC_VECTOR_FN static void
add_gathered(double *restrict w, const synapse_run *r,
             const double *restrict src, double lo, double hi)
{
    assert(r->pos == NULL);
    double *x = w + r->first;
    if (r->other == NULL && r->stride == 1) {
        /* a full row: synapse k goes to target k (vectorises) */
        for (bc_count k = 0; k < r->len; k++) {
            x[k] = clip(x[k] + src[k], lo, hi);
        }
    } else if (r->other == NULL) {
        /* a column of a dense matrix: entry k is row k, a row apart (the
         * hardware prefetcher follows the constant stride) */
        bc_count stride = r->stride;
        for (bc_count k = 0; k < r->len; k++) {
            x[k * stride] = clip(x[k * stride] + src[k], lo, hi);
        }
    } else {
        for (bc_count k = 0; k < r->len; k++) {
            x[k] = clip(x[k] + src[r->other[k]], lo, hi);
        }
    }
}

/* Entries of this step's sparse columns prefetched ahead of the one
 * being added, counted across the ends of columns (a column of Vogels'
 * network has 40): with 64 in flight the walk, bound by the latency of
 * weights each on a cache line of its own, took a quarter less time than
 * with 16 ahead within a column and the next column's first 16 fetched
 * while the current one is walked. */
#define SPARSE_AHEAD 64

/* Position in this step's sparse columns (spike q, column index entry
 * m of the column's [m, end)), walked SPARSE_AHEAD entries ahead of the
 * additions to prefetch their weights. */
typedef struct {
    bc_index q, n;
    bc_count m, end;
} column_cursor;

static inline void
prefetch_next_entry(const bc_stdp *s, const bc_index *local,
                    column_cursor *c)
{
    while (c->m == c->end && c->q + 1 < c->n) {
        c->q++;
        c->m = s->col_start[local[c->q]];
        c->end = s->col_start[local[c->q] + 1];
    }
    if (c->m < c->end) {
        __builtin_prefetch(s->conn->weight + s->col_pos[c->m], 1);
        c->m++;
    }
}

/* w += src[j] (own: src of the spiking neuron j) or src[i] (the entry's
 * row i) on every synapse of the sparse columns of the n_spikes > 0
 * spikes local[], in the order of the spikes and of the rows. */
BC_VECTOR_FN static void
add_to_sparse_columns(const bc_stdp *s, const bc_index *local,
                      bc_index n_spikes, const double *restrict src,
                      int own, double lo, double hi)
{
    double *restrict w = s->conn->weight;
    const bc_count *restrict pos = s->col_pos;
    const bc_index *restrict row = s->col_row;
    column_cursor c = {.q = 0, .n = n_spikes,
                       .m = s->col_start[local[0]],
                       .end = s->col_start[local[0] + 1]};
    for (int k = 0; k < SPARSE_AHEAD; k++) {
        prefetch_next_entry(s, local, &c);
    }
    for (bc_index q = 0; q < n_spikes; q++) {
        bc_count m1 = s->col_start[local[q] + 1];
        if (own) {
            double v = src[local[q]];
            for (bc_count m = s->col_start[local[q]]; m < m1; m++) {
                prefetch_next_entry(s, local, &c);
                w[pos[m]] = clip(w[pos[m]] + v, lo, hi);
            }
        } else {
            for (bc_count m = s->col_start[local[q]]; m < m1; m++) {
                prefetch_next_entry(s, local, &c);
                w[pos[m]] = clip(w[pos[m]] + src[row[m]], lo, hi);
            }
        }
    }
}

/* The commonest rule, w += (a trace), without the batch: one pass over
 * the synapses, as hand-written code would do it.  src holds a value per
 * neuron of the gathered group: the trace, or a per_neuron term. */
static void
run_additive_segment(bc_stdp *s, int side, const bc_stdp_segment *seg,
                     const bc_index *local, bc_index n_spikes,
                     const double *src)
{
    int own_side = seg->gather_side[0] == BC_STDP_OWN;
    double *w = s->conn->weight;
    double lo = seg->clip ? s->wmin : -INFINITY;
    double hi = seg->clip ? s->wmax : INFINITY;
    if (side == BC_STDP_POST && !s->all_rows_full) {
        if (n_spikes > 0) {
            add_to_sparse_columns(s, local, n_spikes, src, own_side, lo, hi);
        }
        return;
    }
    for (bc_index q = 0; q < n_spikes; q++) {
        synapse_run r = synapses_of(s, side, local[q]);
        if (own_side) {
            add_constant(w, &r, src[local[q]], lo, hi);
        } else {
            add_gathered(w, &r, src, lo, hi);
        }
    }
}

/* The trace row a segment gathers (its first and, for additive and
 * per_neuron segments, only one). */
static const double *
gathered_row(const bc_stdp *s, int side, const bc_stdp_segment *seg)
{
    const bc_group *from = gathered_group(s, side, seg);
    return from->state + (size_t)seg->gather_row[0] * (size_t)from->n;
}

/* Whether a per_neuron segment should compute its term for every neuron
 * of the gathered group: when this step's spikes have at least a quarter
 * as many synapses (fewer: the batch is cheaper).  Both give the same
 * bits. */
static int
term_pays(const bc_stdp *s, int side, const bc_stdp_segment *seg,
          const bc_index *local, bc_index n_spikes)
{
    bc_count synapses = 0;
    for (bc_index q = 0; q < n_spikes; q++) {
        synapse_run r = synapses_of(s, side, local[q]);
        synapses += r.len;
    }
    return 4 * synapses >= (bc_count)gathered_group(s, side, seg)->n;
}

/* h of a per_neuron segment for every neuron of the gathered group: the
 * program on rows (-0, trace), its row 0 returned. */
static const double *
neuron_terms(const bc_stdp *s, int side, bc_stdp_segment *seg,
             const bc_vm_env *base)
{
    bc_index n = gathered_group(s, side, seg)->n;
    double *term = seg->term;
    for (bc_index j = 0; j < n; j++) {
        term[j] = -0.0;
    }
    memcpy(term + n, gathered_row(s, side, seg), (size_t)n * sizeof(double));
    bc_vm_env env = *base;
    env.state = term;
    env.n = n;
    env.arrays = NULL;
    bc_vm_run(&seg->vm, &seg->prog, &env, 0, n, NULL);
    return term;
}

static void
run_synapse_segment(bc_stdp *s, int side, bc_stdp_segment *seg,
                    const bc_index *local, bc_index n_spikes,
                    const bc_vm_env *base)
{
    if (seg->additive && s->max_delay == 0) {
        run_additive_segment(s, side, seg, local, n_spikes,
                             gathered_row(s, side, seg));
        return;
    }
    if (seg->per_neuron && s->max_delay == 0 &&
        term_pays(s, side, seg, local, n_spikes)) {
        run_additive_segment(s, side, seg, local, n_spikes,
                             neuron_terms(s, side, seg, base));
        return;
    }
    bc_count cap = s->batch_cap, m = 0;
    for (bc_index q = 0; q < n_spikes; q++) {
        if (q + 1 < n_spikes) {
            prefetch_column(s, side, local[q + 1]);
        }
        synapse_run r = synapses_of(s, side, local[q]);
        for (bc_count done = 0; done < r.len;) {
            bc_count take = r.len - done < cap - m ? r.len - done : cap - m;
            fill_chunk(s, side, seg, local[q], &r, done, take, m);
            done += take;
            m += take;
            if (m == cap) {
                flush_batch(s, seg, m, base);
                m = 0;
            }
        }
    }
    flush_batch(s, seg, m, base);
}

/* Brian 1 clips the spiking rows (columns) even when the code does not
 * touch the weights. */
static void
clip_synapses(bc_stdp *s, int side, const bc_index *local,
              bc_index n_spikes)
{
    double *w = s->conn->weight;
    for (bc_index q = 0; q < n_spikes; q++) {
        synapse_run r = synapses_of(s, side, local[q]);
        for (bc_count k = 0; k < r.len; k++) {
            bc_count pos = run_pos(&r, k);
            w[pos] = clip(w[pos], s->wmin, s->wmax);
        }
    }
}

/* The spikes of a side `delay` steps ago, as window indices in s->local;
 * their number. */
static bc_index
window_spikes(bc_stdp *s, int side, int32_t delay)
{
    const bc_connection *c = s->conn;
    const bc_group *spiking = side == BC_STDP_PRE ? c->source : c->target;
    bc_index origin = side == BC_STDP_PRE ? c->src_origin : c->tgt_origin;
    bc_index len = side == BC_STDP_PRE ? c->n_pre : c->n_post;
    bc_index n_spikes;
    const bc_index *spikes = bc_window_spikes(spiking, delay, origin, len,
                                              &n_spikes);
    for (bc_index q = 0; q < n_spikes; q++) {
        s->local[q] = spikes[q] - origin;
    }
    return n_spikes;
}

/* The segments of one kind (trace or synapse) of a code on s->local. */
static void
run_segments(bc_stdp *s, int side, int on_synapses, bc_index n_spikes,
             bc_step step)
{
    if (n_spikes == 0) {
        return;
    }
    bc_stdp_code *code = &s->code[side];
    bc_group *own = s->traces[side];
    bc_vm_env env = {.state = own->state, .n = own->n, .arrays = NULL,
                     .t = (double)step * s->dt, .seed = own->seed,
                     .stream = own->stream, .step = step};
    for (int32_t k = 0; k < code->n_segments; k++) {
        bc_stdp_segment *seg = &code->segments[k];
        if (seg->on_synapses != on_synapses) {
            continue;
        } else if (on_synapses) {
            run_synapse_segment(s, side, seg, s->local, n_spikes, &env);
        } else {
            bc_vm_run_indexed(&seg->vm, &seg->prog, &env, s->local,
                              n_spikes, NULL);
        }
    }
    if (on_synapses && !code->has_synapse_segment) {
        clip_synapses(s, side, s->local, n_spikes);
    }
}

/* Homogeneous delays: the whole code, in order, on the spikes of
 * delay_steps ago. */
static void
run_code(bc_stdp *s, int side, bc_step step)
{
    bc_stdp_code *code = &s->code[side];
    bc_index n_spikes = window_spikes(s, side, code->delay_steps);
    if (n_spikes == 0) {
        return;
    }
    bc_group *own = s->traces[side];
    bc_vm_env env = {.state = own->state, .n = own->n, .arrays = NULL,
                     .t = (double)step * s->dt, .seed = own->seed,
                     .stream = own->stream, .step = step};
    for (int32_t k = 0; k < code->n_segments; k++) {
        bc_stdp_segment *seg = &code->segments[k];
        if (seg->on_synapses) {
            run_synapse_segment(s, side, seg, s->local, n_spikes, &env);
        } else {
            bc_vm_run_indexed(&seg->vm, &seg->prog, &env, s->local,
                              n_spikes, NULL);
        }
    }
    if (!code->has_synapse_segment) {
        clip_synapses(s, side, s->local, n_spikes);
    }
}

/* Per-synapse delays, in Brian 1's order: the pre code's trace
 * statements on this step's presynaptic spikes, its weight statements on
 * those of max_delay steps ago, then the post code (traces, then
 * weights) on this step's postsynaptic spikes; last, this step's traces
 * go into the history. */
static void
run_delayed(bc_stdp *s, bc_step step)
{
    if (step != s->last_step + 1) {
        /* a new run from step 0 (reinit): no past values yet */
        memset(s->history, 0, history_doubles(s) * sizeof(double));
    }
    s->step = step;
    run_segments(s, BC_STDP_PRE, 0, window_spikes(s, BC_STDP_PRE, 0), step);
    run_segments(s, BC_STDP_PRE, 1,
                 window_spikes(s, BC_STDP_PRE, s->max_delay), step);
    bc_index n_post = window_spikes(s, BC_STDP_POST, 0);
    run_segments(s, BC_STDP_POST, 0, n_post, step);
    run_segments(s, BC_STDP_POST, 1, n_post, step);
    for (int side = 0; side < 2; side++) {
        const bc_group *g = s->traces[side];
        memcpy(history_row(s, side, 0, step), g->state,
               (size_t)g->n_vars * (size_t)g->n * sizeof(double));
    }
    s->last_step = step;
}

bc_status
bc_stdp_run(void *stdp, bc_step step)
{
    bc_stdp *s = stdp;
    if (index_is_stale(s)) {
        bc_status st = bc_stdp_prepare(s);
        if (st != BC_OK) {
            return st;
        }
    }
    if (s->max_delay > 0) {
        run_delayed(s, step);
        return BC_OK;
    }
    run_code(s, BC_STDP_PRE, step);
    run_code(s, BC_STDP_POST, step);
    return BC_OK;
}

size_t
bc_stdp_bytes(const bc_stdp *s)
{
    size_t bytes = 0;
    if (s->col_start != NULL) {
        bytes += ((size_t)s->conn->n_post + 1) * sizeof(bc_count) +
                 (size_t)s->nnz * (sizeof(bc_count) + sizeof(bc_index));
    }
    if (s->batch != NULL) {
        bytes += (size_t)s->batch_cap *
                 ((size_t)s->batch_rows * sizeof(double) + sizeof(bc_count));
    }
    if (s->local != NULL) {
        bc_index n = s->conn->n_pre > s->conn->n_post ? s->conn->n_pre
                                                      : s->conn->n_post;
        bytes += (size_t)n * sizeof(bc_index);
    }
    if (s->history != NULL) {
        bytes += history_doubles(s) * sizeof(double);
    }
    for (int side = 0; side < 2; side++) {
        const bc_stdp_code *code = &s->code[side];
        for (int32_t k = 0; k < code->n_segments; k++) {
            const bc_stdp_segment *seg = &code->segments[k];
            if (seg->term != NULL) {
                bytes += 2 * (size_t)gathered_group(s, side, seg)->n *
                         sizeof(double);
            }
        }
    }
    return bytes;
}
