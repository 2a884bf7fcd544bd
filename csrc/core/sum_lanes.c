/* sum_lanes.c -- C core: synapses grouped by target, four targets side by
 * side, for lumped sums (sum_lanes.h). */
#include "sum_lanes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmath.h"          /* BC_VECTOR_FN, BC_ALWAYS_INLINE */

void
bc_sum_lanes_free(bc_sum_lanes *l)
{
    free(l->target);
    free(l->count);
    free(l->row);
    free(l->full);
    free(l->syn);
    free(l->pre);
    memset(l, 0, sizeof(*l));
}

static int
compare_keys(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The targets that have synapses, most synapses first (ties in neuron
 * order); returns how many, or -1 without memory. */
static bc_index
targets_by_count(const bc_count *count, bc_index n_post, bc_index *order)
{
    uint64_t *key = malloc(((size_t)n_post + 1) * sizeof(*key));
    if (key == NULL) {
        return -1;
    }
    bc_index n = 0;
    for (bc_index j = 0; j < n_post; j++) {
        if (count[j] > 0) {     /* count <= n_syn <= INT32_MAX */
            key[n++] = ((uint64_t)(INT32_MAX - count[j]) << 32)
                       | (uint64_t)j;
        }
    }
    qsort(key, (size_t)n, sizeof(*key), compare_keys);
    for (bc_index q = 0; q < n; q++) {
        order[q] = (bc_index)(key[q] & 0xffffffffu);
    }
    free(key);
    return n;
}

/* Each target's synapses in synapse order: by_target[start[j] ..
 * start[j + 1]) (start: n_post + 1 counts on entry, starts on return). */
static void
synapses_by_target(bc_index n_syn, const bc_index *post, bc_index n_post,
                   bc_count *start, bc_index *by_target, bc_count *fill)
{
    bc_count sum = 0;
    for (bc_index j = 0; j < n_post; j++) {
        bc_count c = start[j];
        start[j] = sum;
        fill[j] = sum;
        sum += c;
    }
    start[n_post] = sum;
    for (bc_index e = 0; e < n_syn; e++) {
        by_target[fill[post[e]]++] = e;
    }
}

/* Rows of each group, from its lanes' counts. */
static void
count_rows(bc_sum_lanes *l)
{
    l->row[0] = 0;
    for (bc_index g = 0; g < l->n_groups; g++) {
        const bc_count *c = l->count + (size_t)g * BC_SUM_LANES;
        bc_count longest = 0, shortest = c[0];
        for (int k = 0; k < BC_SUM_LANES; k++) {
            longest = c[k] > longest ? c[k] : longest;
            shortest = c[k] < shortest ? c[k] : shortest;
        }
        l->row[g + 1] = l->row[g] + longest;
        l->full[g] = shortest;
    }
    l->n_slots = BC_SUM_LANES * l->row[l->n_groups];
}

/* The slots, from the targets' synapse lists. */
static void
place_synapses(bc_sum_lanes *l, const bc_index *pre, const bc_count *start,
               const bc_index *by_target)
{
    for (bc_index g = 0; g < l->n_groups; g++) {
        for (int k = 0; k < BC_SUM_LANES; k++) {
            size_t lane = (size_t)g * BC_SUM_LANES + (size_t)k;
            bc_index j = l->target[lane];
            for (bc_count r = 0; r < l->row[g + 1] - l->row[g]; r++) {
                bc_count q = (l->row[g] + r) * BC_SUM_LANES + k;
                bc_index e = r < l->count[lane] ? by_target[start[j] + r]
                                                : -1;
                l->syn[q] = e;
                l->pre[q] = e < 0 ? 0 : pre[e];
            }
        }
    }
}

bc_status
bc_sum_lanes_build(bc_sum_lanes *l, bc_index n_syn, const bc_index *pre,
                   const bc_index *post, bc_index n_post)
{
    bc_sum_lanes_free(l);
    if (n_syn < 0 || n_post < 0 || (n_syn > 0 && (pre == NULL
                                                  || post == NULL))) {
        return BC_EINVAL;
    }
    size_t n_lanes = ((size_t)n_post + BC_SUM_LANES) / BC_SUM_LANES
                     * BC_SUM_LANES;
    bc_count *start = calloc((size_t)n_post + 1, sizeof(*start));
    bc_count *fill = malloc(((size_t)n_post + 1) * sizeof(*fill));
    bc_index *by_target = malloc(((size_t)n_syn + 1) * sizeof(*by_target));
    l->target = malloc(n_lanes * sizeof(*l->target));
    l->count = malloc(n_lanes * sizeof(*l->count));
    l->row = malloc((n_lanes / BC_SUM_LANES + 1) * sizeof(*l->row));
    l->full = malloc((n_lanes / BC_SUM_LANES + 1) * sizeof(*l->full));
    bc_status st = BC_ENOMEM;
    if (start == NULL || fill == NULL || by_target == NULL
        || l->target == NULL || l->count == NULL || l->row == NULL
        || l->full == NULL) {
        goto done;
    }
    for (bc_index e = 0; e < n_syn; e++) {
        start[post[e]]++;
    }
    bc_index n_active = targets_by_count(start, n_post, l->target);
    if (n_active < 0) {
        goto done;
    }
    l->n_groups = (n_active + BC_SUM_LANES - 1) / BC_SUM_LANES;
    for (size_t q = 0; q < (size_t)l->n_groups * BC_SUM_LANES; q++) {
        int used = q < (size_t)n_active;
        l->count[q] = used ? start[l->target[q]] : 0;
        l->target[q] = used ? l->target[q] : -1;
    }
    synapses_by_target(n_syn, post, n_post, start, by_target, fill);
    count_rows(l);
    /* (at most 4/3 of n_syn + 3 * n_groups: the order by count) */
    l->syn = malloc(((size_t)l->n_slots + 1) * sizeof(*l->syn));
    l->pre = malloc(((size_t)l->n_slots + 1) * sizeof(*l->pre));
    if (l->syn == NULL || l->pre == NULL) {
        goto done;
    }
    place_synapses(l, pre, start, by_target);
    st = BC_OK;
done:
    free(start);
    free(fill);
    free(by_target);
    if (st != BC_OK) {
        bc_sum_lanes_free(l);
    }
    return st;
}

void
bc_sum_lanes_gather(const bc_sum_lanes *l, const double *src, size_t stride,
                    double *dst)
{
    const bc_index *syn = l->syn;
    for (bc_count q = 0; q < l->n_slots; q++) {
        dst[q] = syn[q] < 0 ? 0.0 : src[(size_t)syn[q] * stride];
    }
}

/* Two doubles: a group's four lanes are two of them (a pair of halves is
 * native on every x86-64 and aarch64 CPU, where a four-wide vector would
 * go through memory without AVX).  Plain arithmetic on them is the same
 * IEEE operation lane by lane as on scalars (-ffp-contract=off: no
 * fusing), so the sums have the bits of scalar sums on every instruction
 * set. */
typedef double pair_v __attribute__((vector_size(16)));
typedef int64_t pair_m __attribute__((vector_size(16)));

/* The four lanes of a group, as two halves. */
typedef struct lanes {
    pair_v lo, hi;
} lanes;

/* (x - y) * z of the four slots of row r; own: the lanes' x and y read at
 * their targets (those the slots do not give) */
BC_ALWAYS_INLINE static inline void
row_terms(const bc_sum_lanes *l, bc_count r, const double *restrict x,
          int x_pre, const double *restrict y, int y_pre,
          const double *restrict z, const lanes *x_own, const lanes *y_own,
          lanes *terms)
{
    const bc_index *p = l->pre + r * BC_SUM_LANES;
    lanes xv = *x_own, yv = *y_own;
    if (x_pre) {
        xv.lo = (pair_v){x[p[0]], x[p[1]]};
        xv.hi = (pair_v){x[p[2]], x[p[3]]};
    }
    if (y_pre) {
        yv.lo = (pair_v){y[p[0]], y[p[1]]};
        yv.hi = (pair_v){y[p[2]], y[p[3]]};
    }
    pair_v z_lo, z_hi;
    memcpy(&z_lo, z + r * BC_SUM_LANES, sizeof(z_lo));
    memcpy(&z_hi, z + r * BC_SUM_LANES + 2, sizeof(z_hi));
    terms->lo = (xv.lo - yv.lo) * z_lo;
    terms->hi = (xv.hi - yv.hi) * z_hi;
}

/* The lanes' values of a row read at the group's targets j[0..3]. */
BC_ALWAYS_INLINE static inline lanes
at_targets(const double *restrict v, const bc_index *j)
{
    lanes out = {{v[j[0]], v[j[1]]}, {v[j[2]], v[j[3]]}};
    return out;
}

/* bc_sum_lanes_diff for one choice of where x and y are read (constants
 * once inlined: the loops carry no test).  Each lane adds its terms one
 * after the other from +0.0, as a sum in memory would; an empty slot adds
 * +0.0, which leaves such a sum unchanged (it is never -0.0: +0.0 plus
 * anything is not, nor is a sum that is not -0.0 plus anything that
 * rounds to zero). */
BC_ALWAYS_INLINE static inline void
diff_groups(const bc_sum_lanes *l, const double *restrict x, int x_pre,
            const double *restrict y, int y_pre, const double *restrict z,
            double *restrict target)
{
    for (bc_index g = 0; g < l->n_groups; g++) {
        const bc_index *t = l->target + (size_t)g * BC_SUM_LANES;
        const bc_count *c = l->count + (size_t)g * BC_SUM_LANES;
        /* an unused lane reads neuron t[0] (never stored); a row of the
         * source may be shorter than the target's: x, y read at the
         * target only when they are the target's */
        bc_index j[BC_SUM_LANES] = {t[0], t[1] < 0 ? t[0] : t[1],
                                    t[2] < 0 ? t[0] : t[2],
                                    t[3] < 0 ? t[0] : t[3]};
        lanes acc = {{0.0, 0.0}, {0.0, 0.0}}, x_own = acc, y_own = acc;
        lanes terms;
        if (!x_pre) {
            x_own = at_targets(x, j);
        }
        if (!y_pre) {
            y_own = at_targets(y, j);
        }
        bc_count r = l->row[g], full_end = r + l->full[g];
        for (; r < full_end; r++) {
            row_terms(l, r, x, x_pre, y, y_pre, z, &x_own, &y_own, &terms);
            acc.lo += terms.lo;
            acc.hi += terms.hi;
        }
        if (r < l->row[g + 1]) {
            /* the lanes' ends: row numbers as doubles (exact below 2^53)
             * against the counts */
            pair_v end_lo = {(double)c[0], (double)c[1]};
            pair_v end_hi = {(double)c[2], (double)c[3]};
            double f = (double)l->full[g];
            pair_v k = {f, f};
            for (; r < l->row[g + 1]; r++) {
                row_terms(l, r, x, x_pre, y, y_pre, z, &x_own, &y_own,
                          &terms);
                pair_m in_lo = k < end_lo, in_hi = k < end_hi;
                acc.lo += (pair_v)((pair_m)terms.lo & in_lo);
                acc.hi += (pair_v)((pair_m)terms.hi & in_hi);
                k += 1.0;
            }
        }
        double sums[BC_SUM_LANES] = {acc.lo[0], acc.lo[1], acc.hi[0],
                                     acc.hi[1]};
        for (int q = 0; q < BC_SUM_LANES && t[q] >= 0; q++) {
            target[t[q]] = sums[q];
        }
    }
}

BC_VECTOR_FN void
bc_sum_lanes_diff(const bc_sum_lanes *l, const double *x, int x_pre,
                  const double *y, int y_pre, const double *z,
                  double *target)
{
    if (x_pre && !y_pre) {          /* the gap junction's v_pre - v_post */
        diff_groups(l, x, 1, y, 0, z, target);
    }
    else if (!x_pre && y_pre) {
        diff_groups(l, x, 0, y, 1, z, target);
    }
    else if (x_pre) {
        diff_groups(l, x, 1, y, 1, z, target);
    }
    else {
        diff_groups(l, x, 0, y, 0, z, target);
    }
}
