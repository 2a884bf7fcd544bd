/* neuron_group.c -- C core: one step of a neuron group in Brian 1's order:
 * state update, threshold, refractory filter, history push; then, later in
 * the step, the reset. */
#include "neuron_group.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "bernoulli_skips.h"
#include "program_cost.h"
#include "rng.h"
#include "vmath.h"

/* Clamps longer than this scan last_spike instead of keeping history. */
#define BC_CLAMP_HISTORY_MAX 4096

/* Sub-streams within a group's block of 256: the compiler gives each
 * program kind its own range (noise: the variable's row; rand() in the
 * equations from 64, in thresholds from 128, in resets from 192), so the
 * programs run without an offset; the Poisson draw takes the last one. */
#define BC_SUBSTREAM_UPDATE 0
#define BC_SUBSTREAM_THRESHOLD 0
#define BC_SUBSTREAM_RESET 0
#define BC_SUBSTREAM_POISSON 255

static void
program_free(bc_group_program *gp)
{
    bc_vm_free(&gp->vm);
    memset(gp, 0, sizeof(*gp));
}

static bc_status
program_set(bc_group_program *gp, const bc_program *p,
            const double *const *arrays)
{
    program_free(gp);
    bc_status st = bc_vm_init(&gp->vm, p);
    if (st != BC_OK) {
        return st;
    }
    gp->prog = *p;
    gp->arrays = arrays;
    gp->active = 1;
    return BC_OK;
}

bc_status
bc_group_init(bc_group *g, bc_index n, int32_t n_vars, double *state,
              double dt, uint64_t seed, uint64_t stream)
{
    memset(g, 0, sizeof(*g));
    if (n < 1 || n_vars < 0 || !(dt > 0.0)) {
        return BC_EINVAL;
    }
    g->n = n;
    g->n_vars = n_vars;
    g->state = state;
    g->dt = dt;
    g->seed = seed;
    g->stream = stream;
    g->threshold_var = g->threshold_var2 = 0;
    g->reset_var = g->reset_var2 = 0;
    g->refractory_var = -1;
    g->local_begin = 0;
    g->local_end = n;
    g->last_spike = malloc((size_t)n * sizeof(bc_step));
    g->condition = malloc((size_t)n * sizeof(double));
    if (g->last_spike == NULL || g->condition == NULL) {
        bc_group_free(g);
        return BC_ENOMEM;
    }
    bc_status st = bc_group_reserve_history(g, 2);
    if (st != BC_OK) {
        bc_group_free(g);
        return st;
    }
    bc_group_reset_history(g);
    return BC_OK;
}

static void
thread_vms_free(bc_group *g)
{
    for (int32_t k = 0; k < g->n_thread_vms; k++) {
        bc_vm_free(&g->thread_vms[k]);
    }
    free(g->thread_vms);
    free(g->chunk_spikes);
    g->thread_vms = NULL;
    g->chunk_spikes = NULL;
    g->n_thread_vms = 0;
}

void
bc_group_free(bc_group *g)
{
    thread_vms_free(g);
    program_free(&g->update);
    program_free(&g->threshold);
    program_free(&g->reset);
    free(g->condition);
    free(g->last_spike);
    free(g->next_allowed);
    free(g->refractory_values);
    free(g->history);
    free(g->history_count);
    free(g->schedule_step);
    free(g->schedule_index);
    memset(g, 0, sizeof(*g));
}

bc_status
bc_group_set_update(bc_group *g, const bc_program *p,
                    const double *const *arrays)
{
    /* The threads' scratch belongs to the old program. */
    thread_vms_free(g);
    memset(&g->tuner, 0, sizeof(g->tuner));
    g->update_cost = g->neuron_cost = 0.0;
    bc_status st = program_set(&g->update, p, arrays);
    if (st == BC_OK) {
        g->neuron_cost = bc_program_cost(p);
        g->update_cost = g->neuron_cost *
                         (double)(g->local_end - g->local_begin);
    }
    return st;
}

bc_status
bc_group_set_local_range(bc_group *g, bc_index begin, bc_index end)
{
    if (begin < 0 || begin > end || end > g->n) {
        return BC_ERANGE;
    }
    g->local_begin = begin;
    g->local_end = end;
    g->update_cost = g->update.active
        ? g->neuron_cost * (double)(end - begin) : 0.0;
    memset(&g->tuner, 0, sizeof(g->tuner));
    return BC_OK;
}

/* Whether idx[0..k) is a spike list of g: at most n neurons of the
 * group, strictly ascending. */
static int
valid_spike_list(const bc_group *g, const bc_index *idx, bc_index k)
{
    if (k < 0 || k > g->n) {
        return 0;
    }
    for (bc_index s = 0; s < k; s++) {
        if (idx[s] < 0 || idx[s] >= g->n || (s > 0 && idx[s] <= idx[s - 1])) {
            return 0;
        }
    }
    return 1;
}

bc_status
bc_group_import_spikes(bc_group *g, int32_t delay, const bc_index *idx,
                       bc_index k)
{
    if (delay < 0 || delay >= g->n_slots) {
        return BC_ERANGE;
    }
    if (!valid_spike_list(g, idx, k)) {
        return BC_EINVAL;
    }
    int32_t slot = (g->head - delay + g->n_slots) % g->n_slots;
    memcpy(g->history + (size_t)slot * (size_t)g->n, idx,
           (size_t)k * sizeof(bc_index));
    g->history_count[slot] = k;
    return BC_OK;
}

int
bc_group_update_is_parallel(const bc_group *g)
{
    /* Fewer than two blocks cannot be split on block boundaries. */
    bc_index local = g->local_end - g->local_begin;
    return g->update.active && local > BC_BLOCK &&
           g->update_cost >= BC_PARALLEL_MIN_COST &&
           g->update_cost >= BC_PARALLEL_MIN_NEURON_COST * (double)local;
}

int32_t
bc_group_useful_threads(const bc_group *g)
{
    if (!bc_group_update_is_parallel(g)) {
        return 1;
    }
    double by_cost = g->update_cost / BC_PARALLEL_MIN_COST;
    bc_index local = g->local_end - g->local_begin;
    double by_blocks = (double)((local + BC_BLOCK - 1) / BC_BLOCK) / 2.0;
    double most = by_cost < by_blocks ? by_cost : by_blocks;
    if (most >= BC_POOL_MAX_THREADS) {
        return BC_POOL_MAX_THREADS;
    }
    return most < 2.0 ? 2 : (int32_t)most;     /* parallel: worth two */
}

bc_status
bc_group_reserve_threads(bc_group *g, int32_t n_threads)
{
    if (n_threads < 1) {
        return BC_EINVAL;
    }
    int32_t extra = n_threads - 1;
    if (!bc_group_update_is_parallel(g) || extra <= g->n_thread_vms) {
        return BC_OK;
    }
    thread_vms_free(g);
    bc_vm *vms = calloc((size_t)extra, sizeof(bc_vm));
    /* Chunks are whole blocks: at most one per block. */
    size_t blocks = (size_t)((g->n + BC_BLOCK - 1) / BC_BLOCK);
    g->chunk_spikes = calloc(blocks, sizeof(bc_index));
    if (vms == NULL || g->chunk_spikes == NULL) {
        free(vms);
        thread_vms_free(g);
        return BC_ENOMEM;
    }
    g->thread_vms = vms;
    for (int32_t k = 0; k < extra; k++) {
        bc_status st = bc_vm_init(&vms[k], &g->update.prog);
        if (st != BC_OK) {
            g->n_thread_vms = k + 1;    /* vms[k] is safe to free */
            thread_vms_free(g);
            return st;
        }
    }
    g->n_thread_vms = extra;
    return BC_OK;
}

bc_status
bc_group_set_threshold_program(bc_group *g, const bc_program *p,
                               const double *const *arrays)
{
    if (p->out_reg < 0) {
        return BC_EINVAL;
    }
    bc_status st = program_set(&g->threshold, p, arrays);
    if (st == BC_OK) {
        g->threshold_kind = BC_THRESHOLD_PROGRAM;
    }
    return st;
}

bc_status
bc_group_set_reset_program(bc_group *g, const bc_program *p,
                           const double *const *arrays)
{
    bc_status st = program_set(&g->reset, p, arrays);
    if (st == BC_OK) {
        g->reset_kind = BC_RESET_PROGRAM;
    }
    return st;
}

bc_status
bc_group_set_schedule(bc_group *g, bc_count n, const bc_step *steps,
                      const bc_index *indices, bc_step period_steps)
{
    if (n < 0 || period_steps < 0) {
        return BC_EINVAL;
    }
    bc_count same_step = 0;     /* spikes so far in steps[k]'s step */
    for (bc_count k = 0; k < n; k++) {
        if (indices[k] < 0 || indices[k] >= g->n || steps[k] < 0) {
            return BC_ERANGE;
        }
        /* A step's spike list holds at most n entries (the history slot):
         * a neuron listed twice in one step counts twice. */
        same_step = (k > 0 && steps[k] == steps[k - 1]) ? same_step + 1 : 1;
        if (same_step > g->n) {
            return BC_ERANGE;
        }
        if (k > 0 && (steps[k] < steps[k - 1] ||
                      (steps[k] == steps[k - 1] &&
                       indices[k] < indices[k - 1]))) {
            return BC_EINVAL;   /* must be sorted by step, then index */
        }
        if (period_steps > 0 && steps[k] >= period_steps) {
            return BC_ERANGE;
        }
    }
    size_t count = n > 0 ? (size_t)n : 1;
    bc_step *s = malloc(count * sizeof(bc_step));
    bc_index *i = malloc(count * sizeof(bc_index));
    if (s == NULL || i == NULL) {
        free(s);
        free(i);
        return BC_ENOMEM;
    }
    if (n > 0) {
        memcpy(s, steps, (size_t)n * sizeof(bc_step));
        memcpy(i, indices, (size_t)n * sizeof(bc_index));
    }
    free(g->schedule_step);
    free(g->schedule_index);
    g->schedule_step = s;
    g->schedule_index = i;
    g->n_scheduled = n;
    g->period_steps = period_steps;
    g->schedule_pos = 0;
    g->schedule_offset = 0;
    g->schedule_last = BC_NEVER;
    g->threshold_kind = BC_THRESHOLD_GENERATOR;
    return BC_OK;
}

bc_status
bc_group_set_fixed_refractory(bc_group *g, bc_step suppress_steps,
                              bc_step clamp_steps)
{
    if (suppress_steps < 0 || clamp_steps < 0) {
        return BC_EINVAL;
    }
    /* The clamp walks the spike lists of its last clamp_steps steps
     * (Brian 1's LS[0:p]); keep that much history when it is short. */
    if (clamp_steps > 0 && clamp_steps <= BC_CLAMP_HISTORY_MAX) {
        bc_status st = bc_group_reserve_history(g, (int32_t)clamp_steps);
        if (st != BC_OK) {
            return st;
        }
    }
    free(g->next_allowed);
    free(g->refractory_values);
    g->next_allowed = NULL;
    g->refractory_values = NULL;
    g->refractory_var = -1;
    g->refractory_steps = suppress_steps;
    g->clamp_steps = clamp_steps;
    return BC_OK;
}

bc_status
bc_group_set_variable_refractory(bc_group *g, int32_t var,
                                 const double *values, bc_step clamp_steps)
{
    if (clamp_steps < 0 || var >= g->n_vars || (var < 0 && values == NULL)) {
        return BC_EINVAL;
    }
    size_t bytes = (size_t)g->n * sizeof(double);
    double *copy = NULL;
    if (var < 0 && (copy = malloc(bytes)) == NULL) {
        return BC_ENOMEM;
    }
    if (g->next_allowed == NULL) {
        g->next_allowed = malloc(bytes);
        if (g->next_allowed == NULL) {
            free(copy);
            return BC_ENOMEM;
        }
        for (bc_index i = 0; i < g->n; i++) {
            g->next_allowed[i] = -1.0;
        }
    }
    if (copy != NULL) {
        memcpy(copy, values, bytes);
    }
    free(g->refractory_values);
    g->refractory_values = copy;
    g->refractory_var = var < 0 ? -1 : var;
    g->refractory_steps = 0;
    g->clamp_steps = clamp_steps;
    return BC_OK;
}

bc_status
bc_group_reserve_history(bc_group *g, int32_t slots)
{
    if (slots < 1) {
        return BC_EINVAL;
    }
    if (slots <= g->n_slots) {
        return BC_OK;
    }
    bc_index *h = malloc((size_t)slots * (size_t)g->n * sizeof(bc_index));
    bc_index *c = calloc((size_t)slots, sizeof(bc_index));
    if (h == NULL || c == NULL) {
        free(h);
        free(c);
        return BC_ENOMEM;
    }
    /* Keep the existing history, oldest first, so delays stay right. */
    for (int32_t k = 0; k < g->n_slots; k++) {
        int32_t from = (g->head + 1 + k) % g->n_slots;
        int32_t to = slots - g->n_slots + k;
        c[to] = g->history_count[from];
        memcpy(h + (size_t)to * (size_t)g->n,
               g->history + (size_t)from * (size_t)g->n,
               (size_t)c[to] * sizeof(bc_index));
    }
    free(g->history);
    free(g->history_count);
    g->history = h;
    g->history_count = c;
    g->head = slots - 1;
    g->n_slots = slots;
    return BC_OK;
}

void
bc_group_reset_history(bc_group *g)
{
    for (int32_t k = 0; k < g->n_slots; k++) {
        g->history_count[k] = 0;
    }
    for (bc_index i = 0; i < g->n; i++) {
        g->last_spike[i] = BC_NEVER;
    }
    if (g->next_allowed != NULL) {
        for (bc_index i = 0; i < g->n; i++) {
            g->next_allowed[i] = -1.0;      /* Brian 1's initial value */
        }
    }
    g->schedule_pos = 0;
    g->schedule_offset = 0;
    g->schedule_last = BC_NEVER;
}

static int
past_spikes_are_valid(const bc_group *g, int32_t n_past,
                      const bc_index *counts, const bc_index *indices)
{
    size_t at = 0;
    for (int32_t d = 0; d < n_past; d++) {
        if (counts[d] < 0 || counts[d] > g->n) {
            return 0;
        }
        for (bc_index k = 0; k < counts[d]; k++, at++) {
            if (indices[at] < 0 || indices[at] >= g->n ||
                (k > 0 && indices[at] <= indices[at - 1])) {
                return 0;
            }
        }
    }
    return 1;
}

bc_status
bc_group_restore_spikes(bc_group *g, const bc_step *last_spike,
                        const double *next_allowed, int32_t n_past,
                        const bc_index *counts, const bc_index *indices)
{
    if (n_past < 0 || n_past > g->n_slots ||
        (next_allowed != NULL) != (g->next_allowed != NULL)) {
        return BC_EINVAL;
    }
    if (!past_spikes_are_valid(g, n_past, counts, indices)) {
        return BC_ERANGE;
    }
    memcpy(g->last_spike, last_spike, (size_t)g->n * sizeof(bc_step));
    if (next_allowed != NULL) {
        memcpy(g->next_allowed, next_allowed, (size_t)g->n * sizeof(double));
    }
    for (int32_t k = 0; k < g->n_slots; k++) {
        g->history_count[k] = 0;
    }
    size_t at = 0;
    for (int32_t d = 0; d < n_past; d++) {
        int32_t slot = (g->head - d + g->n_slots) % g->n_slots;
        g->history_count[slot] = counts[d];
        memcpy(g->history + (size_t)slot * (size_t)g->n, indices + at,
               (size_t)counts[d] * sizeof(bc_index));
        at += (size_t)counts[d];
    }
    return BC_OK;
}

const bc_index *
bc_group_spikes(const bc_group *g, int32_t delay, bc_index *count)
{
    assert(delay >= 0 && delay < g->n_slots);
    int32_t slot = (g->head - delay + g->n_slots) % g->n_slots;
    *count = g->history_count[slot];
    return g->history + (size_t)slot * (size_t)g->n;
}

static bc_vm_env
group_env(const bc_group *g, const bc_group_program *gp, bc_step step,
          uint64_t substream)
{
    bc_vm_env env = {
        .state = g->state, .n = g->n, .arrays = gp->arrays,
        .t = (double)step * g->dt, .seed = g->seed,
        .stream = g->stream + substream, .step = step,
    };
    return env;
}

/* Bit j of the result: x[j] > y[j] (or > theta when y is NULL), j < 32.
 * Written as shifts and ors of the 32 comparisons, which gcc turns into
 * a few vector compares and packs. */
static inline uint32_t
above_mask32(const double *x, const double *y, double theta)
{
    uint32_t m = 0;
    if (y == NULL) {
        for (int j = 0; j < 32; j++) {
            m |= (uint32_t)(x[j] > theta) << j;
        }
    } else {
        for (int j = 0; j < 32; j++) {
            m |= (uint32_t)(x[j] > y[j]) << j;
        }
    }
    return m;
}

/* Indices i in [begin, end) with x[i] > y[i] (or > theta when y is
 * NULL), ascending.  Spikes are rare, so each chunk of 64 is first tested
 * as a whole with a loop that vectorises; a chunk holding a spike becomes
 * a bit mask whose set bits are read off one per spike (a third of the
 * time of a compaction of every neuron of the chunk, measured from 0.7%
 * to 20% of neurons spiking). */
BC_VECTOR_FN static bc_index
spikes_above(const double *x, const double *y, double theta, bc_index begin,
             bc_index end, bc_index *out)
{
    enum { CHUNK = 64 };
    bc_index k = 0;
    bc_index start = begin;
    for (; end - start >= CHUNK; start += CHUNK) {
        /* through pointers: indexed from start, gcc vectorised the test
         * with per-element index arithmetic, twice as slow */
        const double *xs = x + start;
        const double *ys = y != NULL ? y + start : NULL;
        int any = 0;
        if (ys == NULL) {
            for (int j = 0; j < CHUNK; j++) {
                any |= xs[j] > theta;
            }
        } else {
            for (int j = 0; j < CHUNK; j++) {
                any |= xs[j] > ys[j];
            }
        }
        if (!any) {
            continue;
        }
        uint64_t m = above_mask32(xs, ys, theta) |
                     (uint64_t)above_mask32(xs + 32,
                                            ys != NULL ? ys + 32 : NULL,
                                            theta) << 32;
        while (m != 0) {
            out[k++] = start + (bc_index)__builtin_ctzll(m);
            m &= m - 1;
        }
    }
    for (bc_index i = start; i < end; i++) {
        out[k] = i;
        k += y == NULL ? x[i] > theta : x[i] > y[i];
    }
    return k;
}

/* Whether the threshold reads nothing but each neuron's own state, so
 * that any range of neurons can be tested alone, on any thread. */
static int
threshold_is_local(const bc_group *g)
{
    switch (g->threshold_kind) {
    case BC_THRESHOLD_NONE:
    case BC_THRESHOLD_SCALAR:
    case BC_THRESHOLD_VARIABLE:
    case BC_THRESHOLD_EMPIRICAL:
        return 1;
    default:
        return 0;
    }
}

/* A local threshold on neurons [begin, end): the candidate spikes,
 * ascending, into out. */
static bc_index
find_spikes_local(const bc_group *g, bc_step step, bc_index begin,
                  bc_index end, bc_index *out)
{
    if (g->threshold_kind == BC_THRESHOLD_NONE) {
        return 0;       /* and no threshold variable to point at */
    }
    const double *x = g->state + (size_t)g->threshold_var * (size_t)g->n;
    switch (g->threshold_kind) {
    case BC_THRESHOLD_SCALAR:
        return spikes_above(x, NULL, g->threshold_value, begin, end, out);
    case BC_THRESHOLD_VARIABLE:
        return spikes_above(x, g->state + (size_t)g->threshold_var2 *
                                          (size_t)g->n,
                            0.0, begin, end, out);
    case BC_THRESHOLD_EMPIRICAL: {
        /* Above threshold first (rare, vectorised), then the
         * refractory test on those few. */
        bc_index k = spikes_above(x, NULL, g->threshold_value, begin, end,
                                  out);
        bc_step r = g->empirical_steps;
        bc_index kept = 0;
        for (bc_index s = 0; s < k; s++) {
            out[kept] = out[s];
            kept += step - g->last_spike[out[s]] > r;
        }
        return kept;
    }
    default:
        assert(!"find_spikes_local: not a local threshold");
        return 0;
    }
}

/* Whether every rate equals x[0] (a NaN never does).  A compare pass
 * over the row is cheap next to one uniform per neuron, and stops at the
 * first block that differs, but with the gaps it would cost more than
 * the draws: rates_uniform below looks once per run segment when it
 * can. */
BC_VECTOR_FN static int
rates_all_equal(const double *x, bc_index n)
{
    const double r = x[0];
    for (bc_index start = 0; start < n; start += BC_BLOCK) {
        bc_index end = n - start < BC_BLOCK ? n : start + BC_BLOCK;
        int differ = 0;
        for (bc_index i = start; i < end; i++) {
            differ |= x[i] != r;
        }
        if (differ) {
            return 0;
        }
    }
    return 1;
}

/* Put the generator's cursor on the first entry due at or after step:
 * the schedule is a function of the step alone (as Brian 1's), so a
 * clock set back (reinit_default_clock() between runs) replays it. */
static void
seek_schedule(bc_group *g, bc_step step)
{
    bc_step offset = 0;
    if (g->period_steps > 0 && step > 0) {
        offset = (step / g->period_steps) * g->period_steps;
    }
    bc_step local = step - offset;
    bc_count lo = 0, hi = g->n_scheduled;      /* lower bound of local */
    while (lo < hi) {
        bc_count mid = lo + (hi - lo) / 2;
        if (g->schedule_step[mid] < local) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    g->schedule_pos = lo;
    g->schedule_offset = offset;
}

/* Generator threshold: the scheduled spikes of this step. */
static bc_index
generator_spikes(bc_group *g, bc_step step, bc_index *out)
{
    bc_index k = 0;
    if (g->n_scheduled == 0) {
        return 0;
    }
    if (step <= g->schedule_last) {
        seek_schedule(g, step);
    }
    g->schedule_last = step;
    for (;;) {
        if (g->schedule_pos == g->n_scheduled) {
            if (g->period_steps <= 0) {
                break;
            }
            g->schedule_pos = 0;
            g->schedule_offset += g->period_steps;
        }
        bc_step s = g->schedule_step[g->schedule_pos] + g->schedule_offset;
        if (s > step) {
            break;
        }
        if (s == step && k < g->n) {    /* missed ones never fire;
                                           k < n by set_schedule */
            out[k++] = g->schedule_index[g->schedule_pos];
        }
        g->schedule_pos++;
    }
    return k;
}

void
bc_group_pin_rates(bc_group *g, int pinned)
{
    g->rates_pinned = pinned;
    g->rates_uniform = -1;
}

/* rates_all_equal on the rate row x, looked at once per run segment
 * while the row is pinned (bc_group_pin_rates). */
static int
rates_uniform(bc_group *g, const double *x)
{
    if (g->rates_pinned && g->rates_uniform >= 0) {
        return g->rates_uniform;
    }
    int uniform = rates_all_equal(x, g->n);
    g->rates_uniform = g->rates_pinned ? uniform : -1;
    return uniform;
}

/* Whether the n rates x are all 0 (a stimulus that silences some
 * sources, e.g. an input group whose parts are switched on and off). */
BC_VECTOR_FN static int
rates_all_zero(const double *x, bc_index n)
{
    int nonzero = 0;
    for (bc_index i = 0; i < n; i++) {
        nonzero |= x[i] != 0.0;
    }
    return !nonzero;
}

/* The k ascending spikes in out that fall in the local range, moved to
 * the front; their number. */
static bc_index
keep_local(const bc_group *g, bc_index *out, bc_index k)
{
    if (g->local_begin == 0 && g->local_end == g->n) {
        return k;
    }
    bc_index kept = 0;
    for (bc_index s = 0; s < k; s++) {
        out[kept] = out[s];
        kept += out[s] >= g->local_begin && out[s] < g->local_end;
    }
    return kept;
}

/* Threshold: write the candidate spikes of the local range, ascending,
 * into out. */
static bc_index
find_spikes(bc_group *g, bc_step step, bc_index *out)
{
    bc_index n = g->n, k = 0;
    bc_index begin = g->local_begin, end = g->local_end;
    if (threshold_is_local(g)) {
        return find_spikes_local(g, step, begin, end, out);
    }
    switch (g->threshold_kind) {
    case BC_THRESHOLD_PROGRAM: {
        bc_vm_env env = group_env(g, &g->threshold, step,
                                   BC_SUBSTREAM_THRESHOLD);
        bc_vm_run(&g->threshold.vm, &g->threshold.prog, &env, begin, end,
                  g->condition);
        for (bc_index i = begin; i < end; i++) {
            out[k] = i;
            k += g->condition[i - begin] != 0.0;
        }
        break;
    }
    case BC_THRESHOLD_POISSON: {
        /* Brian 1: spike when rand() < rate * dt (no 1 - exp). */
        const double *x = g->state + (size_t)g->threshold_var * (size_t)n;
        double dt = g->dt;
        if (n > 0 && x[0] * dt < BC_SKIPS_MAX_P && rates_uniform(g, x)) {
            /* One rate for all: draw the spiking neurons themselves. */
            k = bc_bernoulli_skips(g->seed, g->stream + BC_SUBSTREAM_POISSON,
                                   step, n, x[0] * dt, out);
            break;
        }
        /* A rate each: one draw per neuron of the local range (index =
         * neuron, so any range draws the same). */
        for (bc_index start = begin; start < end; start += BC_BLOCK) {
            bc_index len = end - start < BC_BLOCK ? end - start : BC_BLOCK;
            if (rates_all_zero(x + start, len)) {
                continue;   /* silent sources (counter-based draws: the
                               other blocks' draws do not change) */
            }
            double u[BC_BLOCK];
            bc_rng_uniform_block(g->seed,
                                 g->stream + BC_SUBSTREAM_POISSON, step,
                                 (uint64_t)start, len, u);
            for (bc_index j = 0; j < len; j++) {
                out[k] = start + j;
                k += u[j] < x[start + j] * dt;
            }
        }
        break;
    }
    case BC_THRESHOLD_GENERATOR:
        k = generator_spikes(g, step, out);
        break;
    default:
        break;      /* the local kinds, above */
    }
    /* The sources draw for every neuron: keep this process's. */
    return keep_local(g, out, k);
}

/* Refractory filter on the k candidates in spikes (in place); marks the
 * survivors' spike step.  Returns the number kept. */
static bc_index
filter_spikes(bc_group *g, bc_step step, bc_index *spikes, bc_index k)
{
    if (g->next_allowed != NULL) {
        /* Brian 1 compares float times: next_allowed <= t. */
        const double *period = g->refractory_var >= 0
            ? g->state + (size_t)g->refractory_var * (size_t)g->n
            : g->refractory_values;
        double t = (double)step * g->dt;
        bc_index kept = 0;
        for (bc_index s = 0; s < k; s++) {
            bc_index i = spikes[s];
            spikes[kept] = i;
            if (g->next_allowed[i] <= t) {
                g->next_allowed[i] = t + period[i];
                kept++;
            }
        }
        k = kept;
    } else if (g->refractory_steps > 0) {
        bc_index kept = 0;
        for (bc_index s = 0; s < k; s++) {
            bc_index i = spikes[s];
            spikes[kept] = i;
            kept += step - g->last_spike[i] >= g->refractory_steps;
        }
        k = kept;
    }
    for (bc_index s = 0; s < k; s++) {
        g->last_spike[spikes[s]] = step;
    }
    return k;
}

typedef struct update_job {
    bc_group *g;
    const bc_vm_env *env;
    bc_step step;
    int local_threshold;
    bc_index grain;
    bc_index *spikes;   /* the candidates of the chunk that starts at
                           neuron c * grain go to spikes + c * grain, and
                           their number to g->chunk_spikes[c] */
} update_job;

/* One chunk of the update, and of a local threshold while the chunk's
 * state is still in this thread's cache: the thread's own VM scratch and
 * disjoint neurons, so the threads share nothing they write. */
static void
update_range(void *ctx, int32_t thread, bc_index begin, bc_index end)
{
    const update_job *job = ctx;
    bc_group *g = job->g;
    assert(thread >= 0 && thread <= g->n_thread_vms);
    bc_vm *vm = thread == 0 ? &g->update.vm : &g->thread_vms[thread - 1];
    bc_index first = g->local_begin;    /* chunks count from the range */
    bc_vm_run(vm, &g->update.prog, job->env, first + begin, first + end,
              NULL);
    if (job->local_threshold) {
        g->chunk_spikes[begin / job->grain] =
            find_spikes_local(g, job->step, first + begin, first + end,
                              job->spikes + begin);
    }
}

/* The update split across the pool.  Chunks are whole blocks, so every
 * block is the one the serial run makes (neurons are independent and
 * draws depend only on the neuron index: the same bits); about two per
 * thread: enough for a thread that starts late to hand one over, few
 * enough that claims, which move a cache line between cores, stay rare
 * (eight a thread measured 5 % slower on HH).  Returns the number
 * of candidate spikes, or -1 when the threshold is not local and so was
 * not run. */
static bc_index
update_split(bc_group *g, const bc_vm_env *env, bc_step step,
             bc_thread_pool *pool, bc_index *spikes)
{
    bc_index local = g->local_end - g->local_begin;
    bc_index blocks = (local + BC_BLOCK - 1) / BC_BLOCK;
    int32_t useful = bc_group_useful_threads(g);
    int32_t threads = pool->n_threads < useful ? pool->n_threads : useful;
    bc_index per = blocks / (2 * threads);
    update_job job = {
        .g = g, .env = env, .step = step,
        .local_threshold = threshold_is_local(g),
        .grain = BC_BLOCK * (per > 1 ? per : 1), .spikes = spikes,
    };
    /* A chunk that does not run (all but the first when the loop runs
     * serially, or the pool coarsens the chunks) finds nothing. */
    bc_index n_chunks = (local + job.grain - 1) / job.grain;
    memset(g->chunk_spikes, 0, (size_t)n_chunks * sizeof(bc_index));
    bc_thread_pool_for_tuned(pool, &g->tuner, local, job.grain,
                             update_range, &job);
    if (!job.local_threshold) {
        return -1;
    }
    bc_index k = 0;
    for (bc_index c = 0; c < n_chunks; c++) {
        memmove(spikes + k, spikes + c * job.grain,
                (size_t)g->chunk_spikes[c] * sizeof(bc_index));
        k += g->chunk_spikes[c];
    }
    return k;
}

void
bc_group_update(bc_group *g, bc_step step, bc_thread_pool *pool)
{
    int32_t slot = (g->head + 1) % g->n_slots;
    bc_index *spikes = g->history + (size_t)slot * (size_t)g->n;
    bc_index k = -1;
    if (g->update.active) {
        bc_vm_env env = group_env(g, &g->update, step,
                                   BC_SUBSTREAM_UPDATE);
        if (pool != NULL && pool->n_threads > 1 &&
            g->n_thread_vms >= pool->n_threads - 1) {
            k = update_split(g, &env, step, pool, spikes);
        } else {
            bc_vm_run(&g->update.vm, &g->update.prog, &env, g->local_begin,
                      g->local_end, NULL);
        }
    }
    if (k < 0) {
        k = find_spikes(g, step, spikes);
    }
    g->history_count[slot] = filter_spikes(g, step, spikes, k);
    g->head = slot;
}

bc_status
bc_group_replace_spikes(bc_group *g, bc_step step, const bc_index *idx,
                        bc_index k)
{
    if (!valid_spike_list(g, idx, k)) {
        return BC_EINVAL;
    }
    bc_index *spikes = g->history + (size_t)g->head * (size_t)g->n;
    /* Undo the marks of the spikes this step already pushed (normally
     * none: the group's own threshold is off). */
    bc_index old = g->history_count[g->head];
    for (bc_index s = 0; s < old; s++) {
        if (g->last_spike[spikes[s]] == step) {
            g->last_spike[spikes[s]] = BC_NEVER;
        }
    }
    memcpy(spikes, idx, (size_t)k * sizeof(bc_index));
    g->history_count[g->head] = filter_spikes(g, step, spikes, k);
    return BC_OK;
}

/* The spikes of `delay` steps ago among the neurons this process
 * updates: a split group's imported lists hold every process's. */
static const bc_index *
local_spikes(const bc_group *g, int32_t delay, bc_index *count)
{
    bc_index n;
    const bc_index *s = bc_group_spikes(g, delay, &n);
    bc_index first = 0, last = n;
    if (g->local_begin > 0 || g->local_end < g->n) {
        while (first < n && s[first] < g->local_begin) {
            first++;
        }
        last = first;
        while (last < n && s[last] < g->local_end) {
            last++;
        }
    }
    *count = last - first;
    return s + first;
}

/* Whether the spike lists of the clamp window hold more than an eighth of
 * the group: a scattered write per held neuron then costs more than one
 * pass over every neuron's last spike (a vector compare and blend).  A
 * group split over processes keeps the lists: imported spikes of the
 * other ranks have no last spike here. */
static int
clamp_holds_many(const bc_group *g)
{
    if (g->local_begin != 0 || g->local_end != g->n) {
        return 0;
    }
    bc_index held = 0;
    for (int32_t d = 0; d < (int32_t)g->clamp_steps; d++) {
        bc_index m;
        bc_group_spikes(g, d, &m);
        held += m;
        if (held > g->n / 8) {
            return 1;
        }
    }
    return 0;
}

/* x[i] = value for every neuron whose last spike came after `since`
 * (written as a select, so that the loop vectorises). */
BC_VECTOR_FN static void
clamp_dense(double *restrict x, const bc_step *restrict last_spike,
            bc_index n, bc_step since, double value)
{
    for (bc_index i = 0; i < n; i++) {
        x[i] = last_spike[i] > since ? value : x[i];
    }
}

void
bc_group_reset(bc_group *g, bc_step step)
{
    bc_index n_spikes;
    const bc_index *spikes = local_spikes(g, 0, &n_spikes);
    bc_index n = g->n;
    double *x = g->state + (size_t)g->reset_var * (size_t)n;
    switch (g->reset_kind) {
    case BC_RESET_NONE:
        break;
    case BC_RESET_SCALAR:
        if (g->clamp_steps > 0 && g->next_allowed != NULL) {
            /* Variable periods: only while next_allowed > t - dt/4. */
            bc_step since = step - g->clamp_steps;
            double value = g->reset_value;
            double limit = (double)step * g->dt - 0.25 * g->dt;
            for (bc_index i = 0; i < n; i++) {
                if (g->last_spike[i] > since &&
                    g->next_allowed[i] > limit) {
                    x[i] = value;
                }
            }
        } else if (g->clamp_steps > 0 && g->clamp_steps <= g->n_slots &&
                   !clamp_holds_many(g)) {
            /* Brian 1's Refractoriness: every neuron that spiked in the
             * last clamp_steps steps (this one included) is held; their
             * spike lists are at hand, so only those neurons are read. */
            for (int32_t d = 0; d < (int32_t)g->clamp_steps; d++) {
                bc_index m;
                const bc_index *held = local_spikes(g, d, &m);
                for (bc_index s = 0; s < m; s++) {
                    x[held[s]] = g->reset_value;
                }
            }
        } else if (g->clamp_steps > 0) {
            /* A very long clamp, or one holding a good part of the group:
             * the same neurons, from each neuron's last spike. */
            clamp_dense(x, g->last_spike, n, step - g->clamp_steps,
                        g->reset_value);
        } else {
            for (bc_index s = 0; s < n_spikes; s++) {
                x[spikes[s]] = g->reset_value;
            }
        }
        break;
    case BC_RESET_VARIABLE: {
        const double *y = g->state + (size_t)g->reset_var2 * (size_t)n;
        for (bc_index s = 0; s < n_spikes; s++) {
            x[spikes[s]] = y[spikes[s]];
        }
        break;
    }
    case BC_RESET_PROGRAM:
        if (n_spikes > 0) {
            bc_vm_env env = group_env(g, &g->reset, step,
                                       BC_SUBSTREAM_RESET);
            bc_vm_run_indexed(&g->reset.vm, &g->reset.prog, &env, spikes,
                              n_spikes, NULL);
        }
        break;
    }
}
