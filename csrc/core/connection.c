/* connection.c -- C core: building, compressing and propagating a
 * connection's synapses. */
#include "connection.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

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
    return BC_OK;
}

void
bc_connection_free(bc_connection *c)
{
    free(c->built_pre);
    free(c->built_post);
    free(c->built_weight);
    free(c->built_delay);
    free(c->row_start);
    free(c->post);
    free(c->weight);
    free(c->delay);
    free(c->ring);
    memset(c, 0, sizeof(*c));
    c->modulation_var = -1;
}

static bc_status
grow(bc_connection *c, bc_count need, int with_delays)
{
    if (need <= c->capacity && (!with_delays || c->built_delay != NULL)) {
        return BC_OK;
    }
    bc_count cap = c->capacity > 0 ? c->capacity : 1024;
    while (cap < need) {
        cap *= 2;
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
    if ((p = realloc(c->built_weight, (size_t)cap * sizeof(double))) == NULL) {
        return BC_ENOMEM;
    }
    c->built_weight = p;
    if (with_delays) {
        p = realloc(c->built_delay, (size_t)cap * sizeof(uint16_t));
        if (p == NULL) {
            return BC_ENOMEM;
        }
        c->built_delay = p;
    }
    c->capacity = cap;
    return BC_OK;
}

bc_status
bc_connection_add(bc_connection *c, bc_count n, const bc_index *pre,
                  const bc_index *post, const double *weight,
                  const int32_t *delays)
{
    if (c->compressed) {
        return BC_EINVAL;   /* the binding decompresses first */
    }
    if (n < 0) {
        return BC_EINVAL;
    }
    /* Either every synapse has its own delay or none has. */
    if ((delays != NULL) != (c->built_delay != NULL) && c->n_built > 0) {
        return BC_EINVAL;
    }
    for (bc_count k = 0; k < n; k++) {
        if (pre[k] < 0 || pre[k] >= c->n_pre || post[k] < 0 ||
            post[k] >= c->n_post) {
            return BC_ERANGE;
        }
        if (delays != NULL && (delays[k] < 0 || delays[k] > UINT16_MAX)) {
            return BC_ERANGE;
        }
    }
    bc_status st = grow(c, c->n_built + n, delays != NULL);
    if (st != BC_OK) {
        return st;
    }
    size_t at = (size_t)c->n_built;
    if (n > 0) {
        memcpy(c->built_pre + at, pre, (size_t)n * sizeof(bc_index));
        memcpy(c->built_post + at, post, (size_t)n * sizeof(bc_index));
        memcpy(c->built_weight + at, weight, (size_t)n * sizeof(double));
    }
    if (delays != NULL) {
        for (bc_count k = 0; k < n; k++) {
            c->built_delay[at + (size_t)k] = (uint16_t)delays[k];
        }
    }
    c->n_built += n;
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
    bc_count n = 0;
    bc_index width = col1 - col0;
    /* Skip ahead by geometric gaps: each pair is kept with probability p,
     * independently, so the row's count is Binomial(width, p) and its
     * targets a uniform sample without replacement, as in Brian 1. */
    double log_q = p < 1.0 ? log1p(-p) : 0.0;
    for (bc_index i = row0; i < row1; i++) {
        if (p <= 0.0) {
            break;
        }
        bc_count draw = 0;
        double j = -1.0;
        for (;;) {
            if (p >= 1.0) {
                j += 1.0;
            } else {
                double u = bc_rng_uniform(seed, stream, (bc_step)i,
                                          (uint64_t)draw++);
                j += 1.0 + floor(log(u) / log_q);
            }
            if (j >= (double)width) {
                break;
            }
            if (pre != NULL) {
                if (n >= cap) {
                    return BC_ERANGE;
                }
                pre[n] = i - row0;
                post[n] = (bc_index)j;
            }
            n++;
        }
    }
    *n_pairs = n;
    return BC_OK;
}

bc_status
bc_connection_compress(bc_connection *c)
{
    if (c->compressed) {
        return BC_OK;
    }
    bc_status st = BC_ENOMEM;
    bc_count n = c->n_built;
    size_t count = n > 0 ? (size_t)n : 1;
    bc_count *row_start = calloc((size_t)c->n_pre + 1, sizeof(bc_count));
    bc_index *post = malloc(count * sizeof(bc_index));
    double *weight = malloc(count * sizeof(double));
    uint16_t *delay = NULL;
    bc_count *fill = malloc(((size_t)c->n_pre + 1) * sizeof(bc_count));
    bc_count *order = malloc(count * sizeof(bc_count));
    if (row_start == NULL || post == NULL || weight == NULL ||
        fill == NULL || order == NULL) {
        goto done;
    }
    if (c->built_delay != NULL &&
        (delay = malloc(count * sizeof(uint16_t))) == NULL) {
        goto done;
    }
    /* Counting sort by row; within a row, a stable sort by target so
     * duplicates keep insertion order. */
    for (bc_count k = 0; k < n; k++) {
        row_start[c->built_pre[k] + 1]++;
    }
    for (bc_index i = 0; i < c->n_pre; i++) {
        row_start[i + 1] += row_start[i];
    }
    memcpy(fill, row_start, ((size_t)c->n_pre + 1) * sizeof(bc_count));
    for (bc_count k = 0; k < n; k++) {
        order[fill[c->built_pre[k]]++] = k;
    }
    for (bc_index i = 0; i < c->n_pre; i++) {
        /* Insertion sort: rows arrive mostly sorted from the builders. */
        for (bc_count a = row_start[i] + 1; a < row_start[i + 1]; a++) {
            bc_count key = order[a];
            bc_count b = a;
            while (b > row_start[i] &&
                   c->built_post[order[b - 1]] > c->built_post[key]) {
                order[b] = order[b - 1];
                b--;
            }
            order[b] = key;
        }
    }
    int32_t max_delay = 0;
    for (bc_count k = 0; k < n; k++) {
        post[k] = c->built_post[order[k]];
        weight[k] = c->built_weight[order[k]];
        if (delay != NULL) {
            delay[k] = c->built_delay[order[k]];
            if (delay[k] > max_delay) {
                max_delay = delay[k];
            }
        }
    }
    if (delay != NULL) {
        int32_t slots = c->n_ring > max_delay + 1 ? c->n_ring : max_delay + 1;
        double *ring = calloc((size_t)slots * (size_t)c->n_post,
                              sizeof(double));
        if (ring == NULL) {
            goto done;
        }
        free(c->ring);
        c->ring = ring;
        c->n_ring = slots;
        c->ring_pos = 0;
    }
    free(c->row_start);
    free(c->post);
    free(c->weight);
    free(c->delay);
    c->row_start = row_start;
    c->post = post;
    c->weight = weight;
    c->delay = delay;
    row_start = NULL;
    post = NULL;
    weight = NULL;
    delay = NULL;
    free(c->built_pre);
    free(c->built_post);
    free(c->built_weight);
    free(c->built_delay);
    c->built_pre = c->built_post = NULL;
    c->built_weight = NULL;
    c->built_delay = NULL;
    c->n_built = c->capacity = 0;
    c->compressed = 1;
    st = BC_OK;
done:
    free(row_start);
    free(post);
    free(weight);
    free(delay);
    free(fill);
    free(order);
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
    c->row_start = NULL;
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

void
bc_connection_propagate(bc_connection *c)
{
    assert(c->compressed);
    bc_index n_spikes;
    int32_t delay = c->delay != NULL ? 0 : c->delay_steps;
    const bc_index *spikes = bc_window_spikes(c->source, delay,
                                              c->src_origin, c->n_pre,
                                              &n_spikes);
    const double *mod = c->modulation_var >= 0
        ? c->source->state + (size_t)c->modulation_var * (size_t)c->source->n
        : NULL;
    for (bc_index s = 0; s < n_spikes; s++) {
        bc_index i = spikes[s] - c->src_origin;
        double scale = mod != NULL ? mod[spikes[s]] : 1.0;
        bc_count k0 = c->row_start[i], k1 = c->row_start[i + 1];
        if (c->delay == NULL) {
            double *restrict x = c->target->state +
                (size_t)c->target_var * (size_t)c->target->n +
                c->tgt_origin;
            if (mod == NULL) {
                for (bc_count k = k0; k < k1; k++) {
                    x[c->post[k]] += c->weight[k];
                }
            } else {
                for (bc_count k = k0; k < k1; k++) {
                    x[c->post[k]] += c->weight[k] * scale;
                }
            }
        } else {
            for (bc_count k = k0; k < k1; k++) {
                int32_t slot = (c->ring_pos + c->delay[k]) % c->n_ring;
                c->ring[(size_t)slot * (size_t)c->n_post + c->post[k]] +=
                    c->weight[k] * scale;
            }
        }
    }
}

void
bc_connection_deliver(bc_connection *c)
{
    if (c->ring == NULL) {
        return;
    }
    double *x = c->target->state +
        (size_t)c->target_var * (size_t)c->target->n + c->tgt_origin;
    double *slot = c->ring + (size_t)c->ring_pos * (size_t)c->n_post;
    for (bc_index j = 0; j < c->n_post; j++) {
        x[j] += slot[j];
        slot[j] = 0.0;
    }
    c->ring_pos = (c->ring_pos + 1) % c->n_ring;
}

void
bc_connection_clear_ring(bc_connection *c)
{
    if (c->ring != NULL) {
        memset(c->ring, 0,
               (size_t)c->n_ring * (size_t)c->n_post * sizeof(double));
        c->ring_pos = 0;
    }
}
