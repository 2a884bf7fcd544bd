/* synapses.c -- C core: synapse indices, pathways with their delays, the
 * clock-driven update and lumped variables of a Synapses object. */
#include "synapses.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"     /* bc_window_spikes */

static void
index_free(bc_syn_index *x)
{
    free(x->row_start);
    free(x->ids);
    memset(x, 0, sizeof(*x));
}

static void
pathway_free(bc_syn_pathway *p)
{
    bc_vm_free(&p->vm);
    free(p->acc_row);
    free(p->acc_src);
    free(p->acc_const);
    bc_spike_queue_free(&p->queue);
    free(p->pending);
    memset(p, 0, sizeof(*p));
}

/* Pathways and lumped variables go; the synapses stay. */
static void
drop_code(bc_synapses *s)
{
    for (int32_t k = 0; k < s->n_pathways; k++) {
        pathway_free(&s->pathways[k]);
    }
    free(s->pathways);
    s->pathways = NULL;
    s->n_pathways = 0;
    for (int32_t k = 0; k < s->n_lumped; k++) {
        bc_vm_free(&s->lumped[k].vm);
        free(s->lumped[k].z_lanes);
    }
    free(s->lumped);
    s->lumped = NULL;
    s->n_lumped = 0;
    bc_vm_free(&s->update_vm);
    s->update = NULL;
}

void
bc_synapses_free(bc_synapses *s)
{
    drop_code(s);
    index_free(&s->by_pre);
    index_free(&s->by_post);
    bc_sum_lanes_free(&s->by_target);
    free(s->rows);
    free(s->space);
    free(s->strides);
    free(s->events);
    free(s->batch);
    free(s->deferred);
    free(s->mark);
    free(s->sums);
    memset(s, 0, sizeof(*s));
}

bc_status
bc_synapses_init(bc_synapses *s, bc_group *source, bc_index src_origin,
                 bc_index n_pre, bc_group *target, bc_index tgt_origin,
                 bc_index n_post, double dt, uint64_t seed, uint64_t stream)
{
    memset(s, 0, sizeof(*s));
    if (source == NULL || target == NULL || src_origin < 0 || n_pre < 0
        || (int64_t)src_origin + n_pre > source->n || tgt_origin < 0
        || n_post < 0 || (int64_t)tgt_origin + n_post > target->n
        || !(dt > 0.0)) {
        return BC_EINVAL;
    }
    s->source = source;
    s->target = target;
    s->src_origin = src_origin;
    s->n_pre = n_pre;
    s->tgt_origin = tgt_origin;
    s->n_post = n_post;
    s->dt = dt;
    s->seed = seed;
    s->stream = stream;
    s->mark = calloc((size_t)n_post + 1, sizeof(*s->mark));
    return s->mark == NULL ? BC_ENOMEM : BC_OK;
}

int32_t
bc_synapses_row_space(const bc_synapses *s, int32_t n_vars)
{
    return n_vars + s->source->n_vars + s->target->n_vars + s->n_calls;
}

/* Counting sort of the synapses by key (n keys): row_start, and ids
 * unless they come out as 0, 1, 2, ... */
static bc_status
build_index(bc_syn_index *x, const bc_index *key, bc_index n_keys,
            bc_index n_syn)
{
    index_free(x);
    x->row_start = calloc((size_t)n_keys + 1, sizeof(*x->row_start));
    if (x->row_start == NULL) {
        return BC_ENOMEM;
    }
    int sorted = 1;
    for (bc_index k = 0; k < n_syn; k++) {
        x->row_start[key[k] + 1]++;
        sorted &= k == 0 || key[k - 1] <= key[k];
    }
    for (bc_index i = 0; i < n_keys; i++) {
        x->row_start[i + 1] += x->row_start[i];
    }
    if (sorted) {
        return BC_OK;
    }
    x->ids = malloc(((size_t)n_syn + 1) * sizeof(*x->ids));
    bc_count *fill = malloc(((size_t)n_keys + 1) * sizeof(*fill));
    if (x->ids == NULL || fill == NULL) {
        free(fill);
        index_free(x);
        return BC_ENOMEM;
    }
    memcpy(fill, x->row_start, (size_t)n_keys * sizeof(*fill));
    for (bc_index k = 0; k < n_syn; k++) {
        x->ids[fill[key[k]]++] = k;
    }
    free(fill);
    return BC_OK;
}

static bc_status
reserve_events(bc_synapses *s, bc_index n)
{
    if (n <= s->event_capacity) {
        return BC_OK;
    }
    bc_index *a = realloc(s->events, (size_t)n * sizeof(*a));
    if (a != NULL) {
        s->events = a;
    }
    bc_index *b = realloc(s->batch, (size_t)n * sizeof(*b));
    if (b != NULL) {
        s->batch = b;
    }
    bc_index *c = realloc(s->deferred, (size_t)n * sizeof(*c));
    if (c != NULL) {
        s->deferred = c;
    }
    if (a == NULL || b == NULL || c == NULL) {
        return BC_ENOMEM;
    }
    s->event_capacity = n;
    return BC_OK;
}

bc_status
bc_synapses_set(bc_synapses *s, bc_index n_syn, const bc_index *pre,
                const bc_index *post, double *state, int32_t n_vars,
                int by_post)
{
    return bc_synapses_set_layout(s, n_syn, pre, post, state, n_vars, 0,
                                  by_post);
}

/* Room for the row space's pointers, kinds and strides (n_rows). */
static bc_status
reserve_row_space(bc_synapses *s, int32_t n_rows)
{
    double **rows = realloc(s->rows, ((size_t)n_rows + 1) * sizeof(*rows));
    if (rows != NULL) {
        s->rows = rows;
    }
    int8_t *space = realloc(s->space, ((size_t)n_rows + 1) * sizeof(*space));
    if (space != NULL) {
        s->space = space;
    }
    bc_index *strides = realloc(s->strides, ((size_t)n_rows + 1)
                                            * sizeof(*strides));
    if (strides != NULL) {
        s->strides = strides;
    }
    return rows == NULL || space == NULL || strides == NULL ? BC_ENOMEM
                                                            : BC_OK;
}

bc_status
bc_synapses_set_layout(bc_synapses *s, bc_index n_syn, const bc_index *pre,
                       const bc_index *post, double *state, int32_t n_vars,
                       int interleaved, int by_post)
{
    if (n_syn < 0 || n_vars < 0 || (n_syn > 0 && (pre == NULL
        || post == NULL || (n_vars > 0 && state == NULL)))) {
        return BC_EINVAL;
    }
    for (bc_index k = 0; k < n_syn; k++) {
        if (pre[k] < 0 || pre[k] >= s->n_pre || post[k] < 0
            || post[k] >= s->n_post) {
            return BC_ERANGE;
        }
    }
    drop_code(s);
    index_free(&s->by_post);
    bc_sum_lanes_free(&s->by_target);
    s->calls = NULL;
    s->n_calls = 0;
    s->n_syn = n_syn;
    s->n_vars = n_vars;
    s->state = state;
    s->var_step = interleaved ? 1 : n_syn;
    s->syn_step = interleaved && n_vars > 1 ? n_vars : 1;
    s->pre = pre;
    s->post = post;
    bc_status st = build_index(&s->by_pre, pre, s->n_pre, n_syn);
    if (st == BC_OK && by_post) {
        st = build_index(&s->by_post, post, s->n_post, n_syn);
    }
    int32_t n_rows = bc_synapses_row_space(s, n_vars);
    free(s->sums);
    s->sums = malloc(((size_t)n_syn + 1) * sizeof(*s->sums));
    s->n_rows = n_rows;
    if (reserve_row_space(s, n_rows) != BC_OK || s->sums == NULL) {
        st = BC_ENOMEM;
    }
    return st;
}

/* The row space's pointers for this step (the groups' arrays are fixed,
 * but looking them up each step costs a few loads). */
static bc_vm_rows
row_space(bc_synapses *s)
{
    int32_t r = 0;
    for (int32_t v = 0; v < s->n_vars; v++, r++) {
        s->rows[r] = s->state + (size_t)v * (size_t)s->var_step;
        s->space[r] = 0;
    }
    const bc_group *g = s->source;
    for (int32_t v = 0; v < g->n_vars; v++, r++) {
        s->rows[r] = g->state + (size_t)v * (size_t)g->n + s->src_origin;
        s->space[r] = 1;
    }
    g = s->target;
    for (int32_t v = 0; v < g->n_vars; v++, r++) {
        s->rows[r] = g->state + (size_t)v * (size_t)g->n + s->tgt_origin;
        s->space[r] = 2;
    }
    for (int32_t v = 0; v < s->n_calls; v++, r++) {
        s->rows[r] = s->calls + (size_t)v * (size_t)s->n_syn;
        s->space[r] = 0;
    }
    bc_vm_rows rows = {.n_rows = s->n_rows, .row = s->rows,
                       .space = s->space, .map = {s->pre, s->post},
                       .stride = NULL};
    if (s->syn_step != 1) {     /* interleaved state: its rows' strides */
        for (r = 0; r < s->n_rows; r++) {
            s->strides[r] = r < s->n_vars ? s->syn_step : 1;
        }
        rows.stride = s->strides;
    }
    return rows;
}

/* Whether p reads or writes a row of the source group (which needs the
 * synapses' presynaptic indices). */
static int
reads_source(const bc_synapses *s, const bc_program *p)
{
    for (int32_t r = 0; r < p->n_regs; r++) {
        if (p->reg_kind[r] == BC_REG_VAR && p->reg_index[r] >= s->n_vars
            && p->reg_index[r] < s->n_vars + s->source->n_vars) {
            return 1;
        }
    }
    return 0;
}

/* States of a lumped sum's copy of z (bc_syn_lumped.lanes). */
enum { LANES_STALE = 0, LANES_COPIED, LANES_UNUSED };

/* Code that writes synaptic rows changed: the lumped sums look again at
 * whether they may copy z. */
static void
lumped_stale(bc_synapses *s)
{
    for (int32_t k = 0; k < s->n_lumped; k++) {
        s->lumped[k].lanes = LANES_STALE;
    }
}

void
bc_synapses_before_run(bc_synapses *s, int writes_between_steps)
{
    lumped_stale(s);
    s->writes_between_steps = writes_between_steps != 0;
}

bc_status
bc_synapses_forget_pre(bc_synapses *s)
{
    if (s->by_pre.ids != NULL
        || (s->update != NULL && s->update_mapped
            && reads_source(s, s->update))) {
        return BC_EINVAL;
    }
    for (int32_t k = 0; k < s->n_pathways; k++) {
        const bc_program *p = s->pathways[k].program;
        if (p != NULL && reads_source(s, p)) {
            return BC_EINVAL;
        }
    }
    for (int32_t k = 0; k < s->n_lumped; k++) {
        if (reads_source(s, s->lumped[k].program)) {
            return BC_EINVAL;
        }
    }
    s->pre = NULL;
    return BC_OK;
}

bc_status
bc_synapses_set_update(bc_synapses *s, const bc_program *p, int mapped)
{
    bc_vm_free(&s->update_vm);
    s->update = NULL;
    lumped_stale(s);
    if (p == NULL) {
        return BC_OK;
    }
    int32_t n_rows = mapped ? s->n_rows : s->n_vars;
    if (bc_program_check(p, n_rows, 0) != BC_OK
        || (mapped && p->lin_n > 0) || (!mapped && s->syn_step != 1)
        || (s->pre == NULL && reads_source(s, p))) {
        return BC_EINVAL;
    }
    bc_status st = bc_vm_init(&s->update_vm, p);
    if (st == BC_OK) {
        s->update = p;
        s->update_mapped = mapped;
    }
    return st;
}

/* Whether every trigger neuron's synapses are consecutive (no ids) and
 * reach distinct target neurons (fixed with the synapses: checked once,
 * when the pathway is added). */
static int
rows_distinct(bc_synapses *s, int reverse)
{
    const bc_syn_index *x = reverse ? &s->by_post : &s->by_pre;
    bc_index n_rows = reverse ? s->n_post : s->n_pre;
    if (x->ids != NULL || x->row_start == NULL) {
        return 0;
    }
    for (bc_index i = 0; i < n_rows; i++) {
        if (++s->stamp == 0) {      /* wrapped: old marks could match */
            memset(s->mark, 0, ((size_t)s->n_post + 1) * sizeof(*s->mark));
            s->stamp = 1;
        }
        for (bc_count k = x->row_start[i]; k < x->row_start[i + 1]; k++) {
            bc_index j = s->post[k];
            if (s->mark[j] == s->stamp) {
                return 0;
            }
            s->mark[j] = s->stamp;
        }
    }
    return 1;
}

bc_status
bc_synapses_add_pathway(bc_synapses *s, int reverse, const bc_program *p,
                        int writes_target, int32_t n_acc,
                        const int32_t *acc_row, const int32_t *acc_src,
                        const double *acc_const, const uint16_t *delay,
                        int32_t delay_steps, int32_t n_slots)
{
    if ((p != NULL && (bc_program_check(p, s->n_rows, 0) != BC_OK
                       || p->lin_n > 0
                       || (s->pre == NULL && reads_source(s, p))))
        || n_acc < 0 || (reverse && s->by_post.row_start == NULL)) {
        return BC_EINVAL;
    }
    for (int32_t a = 0; a < n_acc; a++) {
        if (acc_row[a] < 0 || acc_row[a] >= s->target->n_vars
            || acc_src[a] < -1 || acc_src[a] >= s->n_vars) {
            return BC_EINVAL;
        }
    }
    if (delay == NULL ? (delay_steps < 0 || delay_steps > BC_MAX_DELAY_STEPS)
                      : (n_slots < 1 || n_slots > BC_MAX_DELAY_STEPS + 1)) {
        return BC_ERANGE;
    }
    for (bc_index k = 0; delay != NULL && k < s->n_syn; k++) {
        if (delay[k] >= n_slots) {
            return BC_ERANGE;
        }
    }
    bc_syn_pathway *grown = realloc(s->pathways, ((size_t)s->n_pathways + 1)
                                                 * sizeof(*grown));
    if (grown == NULL) {
        return BC_ENOMEM;
    }
    s->pathways = grown;
    bc_syn_pathway *w = &s->pathways[s->n_pathways];
    memset(w, 0, sizeof(*w));
    w->reverse = reverse;
    w->writes_target = writes_target;
    w->delay = delay;
    w->delay_steps = delay_steps;
    size_t n_alloc = (size_t)n_acc + 1;
    w->acc_row = malloc(n_alloc * sizeof(*w->acc_row));
    w->acc_src = malloc(n_alloc * sizeof(*w->acc_src));
    w->acc_const = malloc(n_alloc * sizeof(*w->acc_const));
    bc_status st = BC_ENOMEM;
    if (w->acc_row == NULL || w->acc_src == NULL || w->acc_const == NULL) {
        goto done;
    }
    if (n_acc > 0) {        /* the arrays may be NULL when there are none */
        memcpy(w->acc_row, acc_row, (size_t)n_acc * sizeof(*acc_row));
        memcpy(w->acc_src, acc_src, (size_t)n_acc * sizeof(*acc_src));
        memcpy(w->acc_const, acc_const,
               (size_t)n_acc * sizeof(*acc_const));
    }
    w->n_acc = n_acc;
    if (p != NULL && (st = bc_vm_init(&w->vm, p)) != BC_OK) {
        goto done;
    }
    w->program = p;
    w->rows_distinct = p != NULL && writes_target && delay == NULL
                       && rows_distinct(s, reverse);
    if (delay != NULL && (st = bc_spike_queue_init(&w->queue, n_slots))
                         != BC_OK) {
        goto done;
    }
    st = BC_OK;
done:
    if (st != BC_OK) {
        pathway_free(w);
        return st;
    }
    s->n_pathways++;
    lumped_stale(s);
    return BC_OK;
}

bc_status
bc_synapses_set_accumulation(bc_synapses *s, int32_t pathway, int32_t a,
                             int32_t src, double value)
{
    if (pathway < 0 || pathway >= s->n_pathways) {
        return BC_EINVAL;
    }
    bc_syn_pathway *w = &s->pathways[pathway];
    if (a < 0 || a >= w->n_acc || src < -1 || src >= s->n_vars) {
        return BC_EINVAL;
    }
    w->acc_src[a] = src;
    w->acc_const[a] = value;
    return BC_OK;
}

bc_status
bc_synapses_add_output(bc_synapses *s, const bc_program *p, double *dst)
{
    if (dst == NULL && s->n_syn > 0) {
        return BC_EINVAL;
    }
    bc_status st = bc_synapses_add_lumped(s, p, 0);
    if (st == BC_OK) {
        s->lumped[s->n_lumped - 1].dst = dst;
    }
    return st;
}

bc_status
bc_synapses_add_lumped(bc_synapses *s, const bc_program *p,
                       int32_t target_row)
{
    if (p == NULL || bc_program_check(p, s->n_rows, 0) != BC_OK
        || p->lin_n > 0 || p->out_reg < 0 || target_row < 0
        || (s->pre == NULL && reads_source(s, p))
        || target_row >= s->target->n_vars) {
        return BC_EINVAL;
    }
    bc_syn_lumped *grown = realloc(s->lumped, ((size_t)s->n_lumped + 1)
                                              * sizeof(*grown));
    if (grown == NULL) {
        return BC_ENOMEM;
    }
    s->lumped = grown;
    bc_syn_lumped *l = &s->lumped[s->n_lumped];
    memset(l, 0, sizeof(*l));
    bc_status st = bc_vm_init(&l->vm, p);
    if (st != BC_OK) {
        return st;
    }
    l->program = p;
    l->target_row = target_row;
    s->n_lumped++;
    return BC_OK;
}

static bc_vm_env
vm_env(const bc_synapses *s, bc_step step)
{
    bc_vm_env env = {.state = s->state, .n = s->n_syn, .arrays = NULL,
                     .t = (double)step * s->dt, .seed = s->seed,
                     .stream = s->stream, .step = step};
    return env;
}

/* The additions of an accumulating pathway for the synapses ids[0..n)
 * (or first..first + n - 1 when ids is NULL). */
static void
accumulate(bc_synapses *s, const bc_syn_pathway *w, const bc_index *ids,
           bc_index first, bc_index n)
{
    const bc_group *g = s->target;
    const bc_index *post = s->post;
    for (int32_t a = 0; a < w->n_acc; a++) {
        double *restrict x = g->state + (size_t)w->acc_row[a] * (size_t)g->n
                             + s->tgt_origin;
        if (w->acc_src[a] < 0) {
            double c = w->acc_const[a];
            if (ids == NULL) {
                const bc_index *restrict p = post + first;
                for (bc_index k = 0; k < n; k++) {
                    x[p[k]] += c;
                }
            }
            else {
                for (bc_index k = 0; k < n; k++) {
                    x[post[ids[k]]] += c;
                }
            }
            continue;
        }
        const double *restrict y = s->state + (size_t)w->acc_src[a]
                                              * (size_t)s->var_step;
        size_t st = (size_t)s->syn_step;
        if (ids == NULL && st == 1) {
            const bc_index *restrict p = post + first;
            const double *restrict v = y + first;
            for (bc_index k = 0; k < n; k++) {
                x[p[k]] += v[k];
            }
        }
        else if (ids == NULL) {         /* interleaved */
            const bc_index *restrict p = post + first;
            const double *restrict v = y + (size_t)first * st;
            for (bc_index k = 0; k < n; k++) {
                x[p[k]] += v[(size_t)k * st];
            }
        }
        else if (st != 1) {
            for (bc_index k = 0; k < n; k++) {
                bc_index e = ids[k];
                x[post[e]] += y[(size_t)e * st];
            }
        }
        else {
            for (bc_index k = 0; k < n; k++) {
                bc_index e = ids[k];
                x[post[e]] += y[e];
            }
        }
    }
}

/* Rows of the spikes to come are fetched while the current row is added
 * (as in connection.c: the group updates between two steps push the rows
 * out of the caches); the first PREFETCH_SPAN synapses of a row start the
 * hardware prefetcher on the rest. */
#define PREFETCH_AHEAD 4
#define PREFETCH_SPAN 128

static inline void
prefetch_row(const bc_synapses *s, const bc_syn_pathway *w,
             const bc_count *row_start, bc_index i)
{
    bc_count k0 = row_start[i], k1 = row_start[i + 1];
    k1 = k1 - k0 > PREFETCH_SPAN ? k0 + PREFETCH_SPAN : k1;
    for (bc_count k = k0; k < k1; k += 64 / sizeof(bc_index)) {
        __builtin_prefetch(s->post + k);
    }
    for (int32_t a = 0; a < w->n_acc; a++) {
        if (w->acc_src[a] < 0) {
            continue;
        }
        const double *y = s->state + (size_t)w->acc_src[a]
                                     * (size_t)s->var_step;
        size_t st = (size_t)s->syn_step;
        for (size_t k = (size_t)k0 * st; k < (size_t)k1 * st;
             k += 64 / sizeof(double)) {
            __builtin_prefetch(y + k);
        }
    }
}

/* The additions of the spikes' rows of consecutive synapses (the common
 * `v += w` with synapses created neuron by neuron). */
static void
add_rows(bc_synapses *s, const bc_syn_pathway *w, const bc_count *row_start,
         const bc_index *spikes, bc_index n_spikes, bc_index origin)
{
    for (bc_index m = 0; m < n_spikes && m < PREFETCH_AHEAD; m++) {
        prefetch_row(s, w, row_start, spikes[m] - origin);
    }
    for (bc_index m = 0; m < n_spikes; m++) {
        if (m + PREFETCH_AHEAD < n_spikes) {
            prefetch_row(s, w, row_start, spikes[m + PREFETCH_AHEAD] - origin);
        }
        bc_index i = spikes[m] - origin;
        bc_count k0 = row_start[i];
        accumulate(s, w, NULL, (bc_index)k0,
                   (bc_index)(row_start[i + 1] - k0));
    }
}

/* A pathway's program on the events ids[0..n): in rounds whose target
 * neurons are distinct when it writes target rows (several synapses onto
 * one neuron then act one after the other, as in Brian 1). */
static void
run_program(bc_synapses *s, bc_syn_pathway *w, const bc_vm_env *env,
            const bc_vm_rows *rows, const bc_index *ids, bc_index n)
{
    if (!w->writes_target) {
        bc_vm_run_mapped(&w->vm, w->program, env, rows, ids, 0, n, NULL);
        return;
    }
    const bc_index *todo = ids;
    while (n > 0) {
        if (++s->stamp == 0) {      /* wrapped: old marks could match */
            memset(s->mark, 0, ((size_t)s->n_post + 1) * sizeof(*s->mark));
            s->stamp = 1;
        }
        bc_index n_batch = 0, n_left = 0;
        for (bc_index k = 0; k < n; k++) {
            bc_index e = todo[k];
            bc_index j = s->post[e];
            if (s->mark[j] == s->stamp) {
                s->deferred[n_left++] = e;
            }
            else {
                s->mark[j] = s->stamp;
                s->batch[n_batch++] = e;
            }
        }
        bc_vm_run_mapped(&w->vm, w->program, env, rows, s->batch, 0,
                         n_batch, NULL);
        /* the deferred events become the next round's list */
        bc_index *tmp = s->events;
        memcpy(tmp, s->deferred, (size_t)n_left * sizeof(*tmp));
        todo = tmp;
        n = n_left;
    }
}

/* A program on the spikes' rows of consecutive synapses (synapses made
 * neuron by neuron): each row runs in place, with no list of events nor
 * gathering of the synapses' rows.  Events of one step reach distinct
 * synapses; a program that writes the target then needs rows onto
 * distinct targets (w->rows_distinct), and running the rows one after
 * the other gives every target neuron its events in the order of the
 * list, as the batches of run_program do: the same bits. */
static void
run_rows(bc_syn_pathway *w, const bc_vm_env *env, const bc_vm_rows *rows,
         const bc_count *row_start, const bc_index *spikes,
         bc_index n_spikes, bc_index origin)
{
    for (bc_index m = 0; m < n_spikes; m++) {
        bc_index i = spikes[m] - origin;
        bc_count k0 = row_start[i], k1 = row_start[i + 1];
        if (k1 > k0) {
            bc_vm_run_mapped(&w->vm, w->program, env, rows, NULL,
                             (bc_index)k0, (bc_index)(k1 - k0), NULL);
        }
    }
}

/* Spikes of the pathway's trigger side `delay` steps ago, local. */
static const bc_index *
trigger_spikes(const bc_synapses *s, const bc_syn_pathway *w, int32_t delay,
               bc_index *n, bc_index *origin)
{
    if (w->reverse) {
        *origin = s->tgt_origin;
        return bc_window_spikes(s->target, delay, s->tgt_origin, s->n_post,
                                n);
    }
    *origin = s->src_origin;
    return bc_window_spikes(s->source, delay, s->src_origin, s->n_pre, n);
}

/* Append events to a deferred pathway's pending list. */
static bc_status
keep_pending(bc_syn_pathway *w, const bc_index *ids, bc_index n)
{
    if (n > BC_INDEX_MAX - w->n_pending) {
        return BC_ERANGE;
    }
    bc_index want = w->n_pending + n;
    if (want > w->pending_capacity) {
        bc_index cap = want < BC_INDEX_MAX / 2 ? 2 * want : BC_INDEX_MAX;
        bc_index *grown = realloc(w->pending, (size_t)cap * sizeof(*grown));
        if (grown == NULL) {
            return BC_ENOMEM;
        }
        w->pending = grown;
        w->pending_capacity = cap;
    }
    memcpy(w->pending + w->n_pending, ids, (size_t)n * sizeof(*ids));
    w->n_pending = want;
    return BC_OK;
}

/* The events of one pathway due at `step`. */
static bc_status
run_pathway(bc_synapses *s, bc_syn_pathway *w, const bc_vm_env *env,
            const bc_vm_rows *rows)
{
    const bc_syn_index *x = w->reverse ? &s->by_post : &s->by_pre;
    bc_index n_spikes, origin;
    const bc_index *spikes = trigger_spikes(
        s, w, w->delay == NULL ? w->delay_steps : 0, &n_spikes, &origin);
    if (w->delay != NULL) {
        /* Per-synapse delays: queue this step's events, run those due. */
        for (bc_index m = 0; m < n_spikes; m++) {
            bc_index i = spikes[m] - origin;
            for (bc_count k = x->row_start[i]; k < x->row_start[i + 1]; k++) {
                bc_index e = x->ids != NULL ? x->ids[k] : (bc_index)k;
                bc_status st = bc_spike_queue_push(&w->queue, w->delay[e], e);
                if (st != BC_OK) {
                    return st;
                }
            }
        }
        bc_index n;
        const bc_index *due = bc_spike_queue_due(&w->queue, &n);
        if (n > 0 && w->deferred) {
            bc_status st = keep_pending(w, due, n);
            if (st != BC_OK) {
                return st;
            }
        }
        else if (n > 0) {
            if (w->program != NULL) {
                bc_status st = reserve_events(s, n);
                if (st != BC_OK) {
                    return st;
                }
                /* run_program reuses s->events: copy the list first */
                memcpy(s->events, due, (size_t)n * sizeof(*due));
                run_program(s, w, env, rows, s->events, n);
            }
            else {
                accumulate(s, w, due, 0, n);
            }
        }
        bc_spike_queue_advance(&w->queue);
        return BC_OK;
    }
    if (w->program == NULL && x->ids == NULL && !w->deferred) {
        add_rows(s, w, x->row_start, spikes, n_spikes, origin);
        return BC_OK;
    }
    if (w->program != NULL && (!w->writes_target || w->rows_distinct)
        && x->ids == NULL && !w->deferred) {
        run_rows(w, env, rows, x->row_start, spikes, n_spikes, origin);
        return BC_OK;
    }
    bc_count total = 0;
    for (bc_index m = 0; m < n_spikes; m++) {
        bc_index i = spikes[m] - origin;
        total += x->row_start[i + 1] - x->row_start[i];
    }
    if (total == 0) {
        return BC_OK;
    }
    bc_status st = reserve_events(s, (bc_index)total);
    if (st != BC_OK) {
        return st;
    }
    bc_index n = 0;
    for (bc_index m = 0; m < n_spikes; m++) {
        bc_index i = spikes[m] - origin;
        for (bc_count k = x->row_start[i]; k < x->row_start[i + 1]; k++) {
            s->events[n++] = x->ids != NULL ? x->ids[k] : (bc_index)k;
        }
    }
    if (w->deferred) {
        return keep_pending(w, s->events, n);
    }
    if (w->program != NULL) {
        run_program(s, w, env, rows, s->events, n);
    }
    else {
        accumulate(s, w, s->events, 0, n);
    }
    return BC_OK;
}

bc_status
bc_synapses_run(void *synapses, bc_step step)
{
    bc_synapses *s = synapses;
    bc_vm_env env = vm_env(s, step);
    bc_vm_rows rows = row_space(s);
    if (s->update != NULL && s->n_syn > 0) {
        if (s->update_mapped) {
            bc_vm_run_mapped(&s->update_vm, s->update, &env, &rows, NULL, 0,
                             s->n_syn, NULL);
        }
        else {
            bc_vm_run(&s->update_vm, s->update, &env, 0, s->n_syn, NULL);
        }
    }
    for (int32_t k = 0; k < s->n_pathways; k++) {
        bc_status st = run_pathway(s, &s->pathways[k], &env, &rows);
        if (st != BC_OK) {
            return st;
        }
    }
    return BC_OK;
}

/* The operands of a lumped program of the gap-junction form
 * (x - y) * z: one SUBMUL whose x and y are rows of the groups and z a
 * row of the synapses' own.  Such sums take the fused loop below. */
typedef struct fused_diff {
    const double *x, *y, *z;
    const bc_index *x_map, *y_map;
    size_t z_stride;
} fused_diff;

static int
fused_diff_operands(const bc_program *p, const bc_vm_rows *rows,
                    fused_diff *f)
{
    if (p->n_instr != 1 || p->code[0] != BC_OP_SUBMUL
        || p->code[1] != p->out_reg) {
        return 0;
    }
    int32_t row[3], space[3];
    for (int k = 0; k < 3; k++) {
        int32_t r = p->code[2 + k];
        if (p->reg_kind[r] != BC_REG_VAR) {
            return 0;
        }
        row[k] = p->reg_index[r];
        space[k] = rows->space[row[k]];
    }
    if (space[0] == 0 || space[1] == 0 || space[2] != 0) {
        return 0;
    }
    f->x = rows->row[row[0]];
    f->y = rows->row[row[1]];
    f->z = rows->row[row[2]];
    f->z_stride = rows->stride == NULL ? 1 : (size_t)rows->stride[row[2]];
    f->x_map = rows->map[space[0] - 1];
    f->y_map = rows->map[space[1] - 1];
    return 1;
}

/* Whether the rows a[0..na) and b[0..nb) share memory. */
static int
overlaps(const double *a, bc_index na, const double *b, bc_index nb)
{
    uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
    return a0 < b0 + (uintptr_t)nb * sizeof(double)
           && b0 < a0 + (uintptr_t)na * sizeof(double);
}

/* Length of a group row read through map (the source's or the target's). */
static bc_index
operand_length(const bc_synapses *s, const bc_index *map)
{
    return map == s->pre ? s->n_pre : s->n_post;
}

/* sum_fused_diff below on an interleaved state (z strided): the same
 * operations in the same order. */
static void
sum_fused_diff_strided(const bc_synapses *s, const fused_diff *f,
                       double *target)
{
    const double *x = f->x, *y = f->y, *z = f->z;
    const bc_index *post = s->post, *xm = f->x_map, *ym = f->y_map;
    size_t st = f->z_stride;
    for (bc_index e = 0; e < s->n_syn; e++) {
        target[post[e]] += (x[xm[e]] - y[ym[e]]) * z[(size_t)e * st];
    }
}

/* target[post[e]] += (x - y) * z of synapse e, for e in synapse order:
 * the very roundings and additions of the general path (the VM's SUBMUL
 * into sums, then the sums added in order), in one pass without the
 * gathered blocks and the array of sums. */
static void
sum_fused_diff(const bc_synapses *s, const fused_diff *f, double *target)
{
    const double *x = f->x, *y = f->y, *z = f->z;
    const bc_index *post = s->post;
    if (f->z_stride != 1) {
        sum_fused_diff_strided(s, f, target);
        return;
    }
    if (f->x_map == s->pre && f->y_map == post && s->by_pre.ids == NULL) {
        /* x_pre - y_post with the synapses in presynaptic order (as
         * built): x_pre is the same along a neuron's row */
        const bc_count *row = s->by_pre.row_start;
        for (bc_index i = 0; i < s->n_pre; i++) {
            double xi = x[i];
            for (bc_count e = row[i]; e < row[i + 1]; e++) {
                bc_index j = post[e];
                target[j] += (xi - y[j]) * z[e];
            }
        }
        return;
    }
    const bc_index *xm = f->x_map, *ym = f->y_map;
    for (bc_index e = 0; e < s->n_syn; e++) {
        target[post[e]] += (x[xm[e]] - y[ym[e]]) * z[e];
    }
}

/* Whether a program writes row `row` of the row space. */
static int
writes_row(const bc_program *p, int32_t row)
{
    for (int32_t i = 0; p != NULL && i < p->n_instr; i++) {
        int32_t dst = p->code[5 * i + 1];
        if (p->reg_kind[dst] == BC_REG_VAR && p->reg_index[dst] == row) {
            return 1;
        }
    }
    return 0;
}

/* Whether synaptic row `row` keeps its values through a run: a variable
 * of the synapses' own (not values the caller computes each step) that no
 * pathway and no update writes, nor the caller between steps. */
static int
fixed_during_run(const bc_synapses *s, int32_t row)
{
    if (row >= s->n_vars || s->writes_between_steps
        || (s->update != NULL && writes_row(s->update, row))) {
        return 0;
    }
    for (int32_t k = 0; k < s->n_pathways; k++) {
        if (writes_row(s->pathways[k].program, row)) {
            return 0;
        }
    }
    return 1;
}

/* Whether the fused sum f of l may run target by target: z keeps its
 * values through the run, so it is copied once (at the first step after
 * bc_synapses_before_run) in the order of s->by_target, built on first
 * use.  Else (or without memory) the sum runs in synapse order, with the
 * same bits. */
static int
lanes_ready(bc_synapses *s, bc_syn_lumped *l, const fused_diff *f)
{
    if (s->writes_between_steps) {
        return 0;
    }
    if (l->lanes != LANES_STALE) {
        return l->lanes == LANES_COPIED;
    }
    l->lanes = LANES_UNUSED;
    int32_t z_row = l->program->reg_index[l->program->code[4]];
    if (s->pre == NULL || !fixed_during_run(s, z_row)) {
        return 0;
    }
    if (s->by_target.syn == NULL
        && bc_sum_lanes_build(&s->by_target, s->n_syn, s->pre, s->post,
                              s->n_post) != BC_OK) {
        return 0;
    }
    if (l->z_lanes == NULL) {
        l->z_lanes = malloc(((size_t)s->by_target.n_slots + 1)
                            * sizeof(*l->z_lanes));
        if (l->z_lanes == NULL) {
            return 0;
        }
    }
    bc_sum_lanes_gather(&s->by_target, f->z, f->z_stride, l->z_lanes);
    l->lanes = LANES_COPIED;
    return 1;
}

bc_status
bc_synapses_run_lumped(void *synapses, bc_step step)
{
    bc_synapses *s = synapses;
    bc_vm_env env = vm_env(s, step);
    bc_vm_rows rows = row_space(s);
    const bc_group *g = s->target;
    for (int32_t k = 0; k < s->n_lumped; k++) {
        bc_syn_lumped *l = &s->lumped[k];
        if (l->dst != NULL) {
            bc_vm_run_mapped(&l->vm, l->program, &env, &rows, NULL, 0,
                             s->n_syn, l->dst);
            continue;
        }
        double *x = g->state + (size_t)l->target_row * (size_t)g->n
                    + s->tgt_origin;
        fused_diff f;
        /* (the fused loop reads its operands after clearing x: not when
         * one of them is x itself) */
        if (fused_diff_operands(l->program, &rows, &f)
            && !overlaps(f.x, operand_length(s, f.x_map), x, s->n_post)
            && !overlaps(f.y, operand_length(s, f.y_map), x, s->n_post)) {
            memset(x, 0, (size_t)s->n_post * sizeof(*x));
            if (lanes_ready(s, l, &f)) {
                bc_sum_lanes_diff(&s->by_target, f.x, f.x_map == s->pre,
                                  f.y, f.y_map == s->pre, l->z_lanes, x);
            }
            else {
                sum_fused_diff(s, &f, x);
            }
            continue;
        }
        bc_vm_run_mapped(&l->vm, l->program, &env, &rows, NULL, 0, s->n_syn,
                         s->sums);
        memset(x, 0, (size_t)s->n_post * sizeof(*x));
        for (bc_index e = 0; e < s->n_syn; e++) {
            x[s->post[e]] += s->sums[e];
        }
    }
    return BC_OK;
}

bc_status
bc_synapses_set_calls(bc_synapses *s, double *calls, int32_t n_calls)
{
    if (n_calls < 0 || (n_calls > 0 && s->n_syn > 0 && calls == NULL)
        || s->n_rows - s->n_calls > INT32_MAX - n_calls) {
        return BC_EINVAL;
    }
    int32_t n_rows = s->n_rows - s->n_calls + n_calls;
    if (reserve_row_space(s, n_rows) != BC_OK) {
        return BC_ENOMEM;
    }
    s->calls = calls;
    s->n_calls = n_calls;
    s->n_rows = n_rows;
    lumped_stale(s);
    return BC_OK;
}

bc_status
bc_synapses_defer(bc_synapses *s, int32_t pathway)
{
    if (pathway < 0 || pathway >= s->n_pathways
        || s->pathways[pathway].program == NULL) {
        return BC_EINVAL;
    }
    s->pathways[pathway].deferred = 1;
    return BC_OK;
}

const bc_index *
bc_synapses_take_pending(bc_synapses *s, int32_t pathway, bc_index *n)
{
    if (pathway < 0 || pathway >= s->n_pathways) {
        *n = 0;
        return NULL;
    }
    bc_syn_pathway *w = &s->pathways[pathway];
    *n = w->n_pending;
    w->n_pending = 0;
    return w->pending;
}

static int
ids_in_range(const bc_synapses *s, const bc_index *ids, bc_index n)
{
    for (bc_index k = 0; k < n; k++) {
        if (ids[k] < 0 || ids[k] >= s->n_syn) {
            return 0;
        }
    }
    return 1;
}

bc_status
bc_synapses_run_events(bc_synapses *s, int32_t pathway, bc_step step,
                       const bc_index *ids, bc_index n)
{
    if (pathway < 0 || pathway >= s->n_pathways
        || s->pathways[pathway].program == NULL || n < 0) {
        return BC_EINVAL;
    }
    if (!ids_in_range(s, ids, n)) {
        return BC_ERANGE;
    }
    bc_syn_pathway *w = &s->pathways[pathway];
    bc_vm_env env = vm_env(s, step);
    bc_vm_rows rows = row_space(s);
    bc_status st = reserve_events(s, n);
    if (st != BC_OK) {
        return st;
    }
    memcpy(s->events, ids, (size_t)n * sizeof(*ids));
    run_program(s, w, &env, &rows, s->events, n);
    return BC_OK;
}

/* Whether p writes any register that is a row (a pure evaluation does
 * not). */
static int
writes_rows(const bc_program *p)
{
    for (int32_t k = 0; k < p->n_instr; k++) {
        int32_t dst = p->code[5 * (size_t)k + 1];
        if (p->reg_kind[dst] == BC_REG_VAR) {
            return 1;
        }
    }
    return 0;
}

bc_status
bc_synapses_evaluate(bc_synapses *s, const bc_program *p, bc_step step,
                     const bc_index *ids, bc_index n, double *out)
{
    if (p == NULL || bc_program_check(p, s->n_rows, 0) != BC_OK
        || p->lin_n > 0 || p->out_reg < 0 || writes_rows(p) || n < 0
        || (ids == NULL && n != s->n_syn)
        || (s->pre == NULL && reads_source(s, p))) {
        return BC_EINVAL;
    }
    if (ids != NULL && !ids_in_range(s, ids, n)) {
        return BC_ERANGE;
    }
    bc_vm vm;
    bc_status st = bc_vm_init(&vm, p);
    if (st != BC_OK) {
        return st;
    }
    bc_vm_env env = vm_env(s, step);
    bc_vm_rows rows = row_space(s);
    bc_vm_run_mapped(&vm, p, &env, &rows, ids, 0, n, out);
    bc_vm_free(&vm);
    return BC_OK;
}

void
bc_synapses_clear_queues(bc_synapses *s)
{
    for (int32_t k = 0; k < s->n_pathways; k++) {
        s->pathways[k].n_pending = 0;
        if (s->pathways[k].delay != NULL) {
            bc_spike_queue_clear(&s->pathways[k].queue);
        }
    }
}

size_t
bc_synapses_bytes(const bc_synapses *s)
{
    size_t bytes = ((size_t)s->n_pre + 1) * sizeof(bc_count);
    if (s->by_pre.ids != NULL) {
        bytes += (size_t)s->n_syn * sizeof(bc_index);
    }
    if (s->by_post.row_start != NULL) {
        bytes += ((size_t)s->n_post + 1) * sizeof(bc_count);
        if (s->by_post.ids != NULL) {
            bytes += (size_t)s->n_syn * sizeof(bc_index);
        }
    }
    for (int32_t k = 0; k < s->n_pathways; k++) {
        if (s->pathways[k].delay != NULL) {
            bytes += bc_spike_queue_bytes(&s->pathways[k].queue);
        }
    }
    const bc_sum_lanes *l = &s->by_target;
    if (l->syn != NULL) {
        size_t n_groups = (size_t)l->n_groups;
        bytes += (size_t)l->n_slots * 2 * sizeof(bc_index)
                 + n_groups * BC_SUM_LANES
                   * (sizeof(bc_index) + sizeof(bc_count))
                 + (2 * n_groups + 1) * sizeof(bc_count);
    }
    for (int32_t k = 0; k < s->n_lumped; k++) {
        if (s->lumped[k].z_lanes != NULL) {
            bytes += (size_t)l->n_slots * sizeof(double);
        }
    }
    return bytes;
}
