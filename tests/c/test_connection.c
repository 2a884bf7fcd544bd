/* test_connection.c -- C tests for connection.{h,c}: building, compression
 * (in-place and scattered), element access, removal, decompression,
 * random blocks, propagation (sparse, dense rows, modulation, homogeneous
 * and per-synapse delays), uniform-weight storage and _free on zeroed
 * structs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "random_rows.h"
#include "connection.h"
#include "thread_pool.h"

/* A group whose spikes come from a schedule: n neurons, 2 state rows. */
typedef struct fixture {
    bc_group g;
    double *state;
} fixture;

static void
fixture_init(fixture *f, bc_index n, bc_count n_spikes,
             const bc_step *steps, const bc_index *idx)
{
    f->state = calloc((size_t)n * 2, sizeof(double));
    CHECK(bc_group_init(&f->g, n, 2, f->state, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_set_schedule(&f->g, n_spikes, steps, idx, 0) == BC_OK);
}

static void
fixture_free(fixture *f)
{
    bc_group_free(&f->g);
    free(f->state);
}

static void
test_free_zeroed(void)
{
    bc_connection c;
    memset(&c, 0, sizeof(c));
    bc_connection_free(&c);
    CHECK(c.modulation_var == -1);
    bc_connection_free(&c);             /* twice is fine too */
    CHECK(c.row_start == NULL && c.post == NULL);
}

static void
test_init_rejects_bad_windows(void)
{
    fixture a, b;
    fixture_init(&a, 4, 0, NULL, NULL);
    fixture_init(&b, 3, 0, NULL, NULL);
    bc_connection c;
    CHECK(bc_connection_init(&c, &a.g, 2, 3, &b.g, 0, 3, 0) == BC_ERANGE);
    CHECK(bc_connection_init(&c, &a.g, 0, 4, &b.g, 0, 3, 2) == BC_ERANGE);
    CHECK(bc_connection_init(&c, &a.g, 0, 0, &b.g, 0, 3, 0) == BC_ERANGE);
    bc_connection_free(&c);
    CHECK(bc_connection_init(&c, &a.g, 1, 3, &b.g, 1, 2, 1) == BC_OK);
    bc_index pre[1] = {3}, post[1] = {0};
    double w[1] = {1.0};
    CHECK(bc_connection_add(&c, 1, pre, post, w, NULL) == BC_ERANGE);
    pre[0] = 2;
    post[0] = 2;
    CHECK(bc_connection_add(&c, 1, pre, post, w, NULL) == BC_ERANGE);
    post[0] = 1;
    int32_t d[1] = {70000};
    CHECK(bc_connection_add(&c, 1, pre, post, w, d) == BC_ERANGE);
    CHECK(bc_connection_add(&c, 1, pre, post, w, NULL) == BC_OK);
    d[0] = 1;
    CHECK(bc_connection_add(&c, 1, pre, post, w, d) == BC_EINVAL);
    bc_connection_free(&c);
    fixture_free(&a);
    fixture_free(&b);
}

/* Unordered list with duplicates -> sorted stable CSR; then back. */
static void
test_compress_scatter_and_decompress(void)
{
    fixture a, b;
    fixture_init(&a, 3, 0, NULL, NULL);
    fixture_init(&b, 4, 0, NULL, NULL);
    bc_connection c;
    CHECK(bc_connection_init(&c, &a.g, 0, 3, &b.g, 0, 4, 0) == BC_OK);
    bc_index pre[7] = {2, 0, 2, 0, 1, 2, 0};
    bc_index post[7] = {3, 2, 0, 2, 1, 1, 0};
    double w[7] = {1, 2, 3, 4, 5, 6, 7};
    CHECK(bc_connection_add(&c, 7, pre, post, w, NULL) == BC_OK);
    CHECK(bc_connection_nnz(&c) == 7);
    CHECK(bc_connection_compress(&c) == BC_OK);
    CHECK(c.compressed && c.built_pre == NULL);
    bc_count rs[4] = {0, 3, 4, 7};
    bc_index want_post[7] = {0, 2, 2, 1, 0, 1, 3};
    double want_w[7] = {7, 2, 4, 5, 3, 6, 1};   /* duplicates in order */
    for (int k = 0; k < 4; k++) {
        CHECK(c.row_start[k] == rs[k]);
    }
    for (int k = 0; k < 7; k++) {
        CHECK(c.post[k] == want_post[k]);
        CHECK(c.weight[k] == want_w[k]);
    }
    bc_count m;
    CHECK(bc_connection_get(&c, 0, 2, &m) == 6.0 && m == 2);
    CHECK(bc_connection_get(&c, 1, 3, &m) == 0.0 && m == 0);
    CHECK(bc_connection_set(&c, 0, 2, 9.0) == 2);
    CHECK(bc_connection_get(&c, 0, 2, &m) == 9.0);
    CHECK(bc_connection_set(&c, 1, 3, 9.0) == 0);
    bc_index rows[3];
    bc_count pos[3];
    CHECK(bc_connection_column(&c, 1, rows, pos) == 2);
    CHECK(rows[0] == 1 && rows[1] == 2 && pos[0] == 3 && pos[1] == 5);

    double dense[12] = {0};
    bc_connection_todense(&c, dense);
    CHECK(dense[0 * 4 + 2] == 9.0 && dense[2 * 4 + 3] == 1.0);

    CHECK(bc_connection_remove(&c, 0, 2) == 2);
    CHECK(bc_connection_remove(&c, 0, 2) == 0);
    CHECK(bc_connection_nnz(&c) == 5 && c.row_start[1] == 1 &&
          c.row_start[3] == 5);

    CHECK(bc_connection_decompress(&c) == BC_OK);
    CHECK(!c.compressed && c.n_built == 5);
    CHECK(c.built_pre[0] == 0 && c.built_pre[1] == 1 && c.built_pre[4] == 2);
    /* unordered access works on the list too */
    CHECK(bc_connection_get(&c, 2, 1, &m) == 6.0 && m == 1);
    CHECK(bc_connection_set(&c, 2, 1, 8.0) == 1);
    memset(dense, 0, sizeof(dense));
    bc_connection_todense(&c, dense);
    CHECK(dense[2 * 4 + 1] == 8.0 && dense[0] == 7.0);
    bc_connection_free(&c);
    fixture_free(&a);
    fixture_free(&b);
}

static void
test_full_rows_flagged(void)
{
    fixture a, b;
    fixture_init(&a, 3, 0, NULL, NULL);
    fixture_init(&b, 4, 0, NULL, NULL);
    bc_connection c;
    CHECK(bc_connection_init(&c, &a.g, 0, 3, &b.g, 0, 4, 0) == BC_OK);
    CHECK(bc_connection_add_full(&c, 0, 1, 0, 4, 1.0, -1) == BC_OK);
    CHECK(bc_connection_add_full(&c, 1, 2, 1, 3, 2.0, -1) == BC_OK);
    CHECK(bc_connection_add_full(&c, 2, 1, 0, 1, 3.0, -1) == BC_OK);
    CHECK(bc_connection_add_full(&c, 2, 2, 0, 1, 3.0, -1) == BC_ERANGE);
    CHECK(bc_connection_compress(&c) == BC_OK);
    CHECK(c.row_full[0] == 1 && c.row_full[1] == 0 && c.row_full[2] == 1);
    CHECK(bc_connection_nnz(&c) == 4 + 3 + 4);
    bc_connection_free(&c);
    fixture_free(&a);
    fixture_free(&b);
}

/* keep_columns leaves each row's synapses onto [begin, end), in order,
 * with their weights; a full row is no longer flagged. */
static void
test_keep_columns(void)
{
    fixture a, b;
    fixture_init(&a, 3, 0, NULL, NULL);
    fixture_init(&b, 6, 0, NULL, NULL);
    bc_connection c;
    CHECK(bc_connection_init(&c, &a.g, 0, 3, &b.g, 0, 6, 0) == BC_OK);
    CHECK(bc_connection_add_full(&c, 0, 1, 0, 6, 1.0, -1) == BC_OK);
    bc_index pre[4] = {1, 1, 2, 2}, post[4] = {5, 2, 0, 3};
    double w[4] = {2.0, 3.0, 4.0, 5.0};
    CHECK(bc_connection_add(&c, 4, pre, post, w, NULL) == BC_OK);
    CHECK(bc_connection_keep_columns(&c, 2, 4) == BC_EINVAL);
    CHECK(bc_connection_compress(&c) == BC_OK);
    CHECK(c.row_full[0] == 1);
    CHECK(bc_connection_keep_columns(&c, 3, 2) == BC_ERANGE);
    CHECK(bc_connection_keep_columns(&c, 0, 7) == BC_ERANGE);
    CHECK(bc_connection_keep_columns(&c, 2, 4) == BC_OK);
    CHECK(bc_connection_nnz(&c) == 2 + 1 + 1);
    CHECK(c.row_start[1] == 2 && c.row_start[2] == 3 && c.row_start[3] == 4);
    CHECK(c.post[0] == 2 && c.post[1] == 3 && c.post[2] == 2 &&
          c.post[3] == 3);
    CHECK(c.weight[0] == 1.0 && c.weight[2] == 3.0 && c.weight[3] == 5.0);
    CHECK(c.row_full[0] == 0);
    CHECK(bc_connection_keep_columns(&c, 3, 3) == BC_OK);
    CHECK(bc_connection_nnz(&c) == 0);
    bc_connection_free(&c);
    fixture_free(&a);
    fixture_free(&b);
}

/* Compressed synapses of c and d are the same, weights and delays
 * included. */
static int
same_synapses(const bc_connection *c, const bc_connection *d)
{
    if (c->n_pre != d->n_pre || bc_connection_nnz(c) != bc_connection_nnz(d)) {
        return 0;
    }
    for (bc_index i = 0; i <= c->n_pre; i++) {
        if (c->row_start[i] != d->row_start[i]) {
            return 0;
        }
    }
    for (bc_count k = 0; k < bc_connection_nnz(c); k++) {
        if (c->post[k] != d->post[k] ||
            bc_connection_weight_at(c, k) != bc_connection_weight_at(d, k) ||
            (c->delay != NULL && c->delay[k] != d->delay[k])) {
            return 0;
        }
    }
    return 1;
}

/* Cuts the whole build to targets [lo, hi), checks the part built alone
 * is that cut (and not empty), and frees both. */
static void
check_part_is_whole_cut(bc_connection *whole, bc_connection *part,
                        bc_index lo, bc_index hi)
{
    CHECK(bc_connection_keep_columns(whole, lo, hi) == BC_OK);
    CHECK(bc_connection_nnz(part) > 0);
    CHECK(same_synapses(whole, part));
    bc_connection_free(whole);
    bc_connection_free(part);
}

/* Building only targets [300, 700) keeps the synapses of a whole build
 * cut to them, for random rows (bitmap and skip regimes), fixed
 * in-degrees, full blocks and lists. */
static void
test_build_columns(void)
{
    fixture a;
    fixture_init(&a, 1000, 0, NULL, NULL);
    bc_connection whole, part;
    for (int kind = 0; kind < 5; kind++) {
        CHECK(bc_connection_init(&whole, &a.g, 0, 1000, &a.g, 0, 1000, 0)
              == BC_OK);
        CHECK(bc_connection_init(&part, &a.g, 0, 1000, &a.g, 0, 1000, 0)
              == BC_OK);
        CHECK(bc_connection_build_columns(&part, 700, 300) == BC_ERANGE);
        CHECK(bc_connection_build_columns(&part, 300, 1001) == BC_ERANGE);
        CHECK(bc_connection_build_columns(&part, 300, 700) == BC_OK);
        bc_connection *both[2] = {&whole, &part};
        bc_index pre[3] = {5, 5, 9}, post[3] = {299, 300, 699};
        double w[3] = {1.0, 2.0, 3.0};
        int32_t d[3] = {4, 5, 6};
        for (int b = 0; b < 2; b++) {
            bc_connection *c = both[b];
            bc_count n = 0;
            if (kind == 0) {
                CHECK(bc_connection_add_random(c, 7, 3, 0, 1000, 0, 1000,
                                               0.05, 1.0, -1, 1, &n)
                      == BC_OK);
            } else if (kind == 1) {
                CHECK(bc_connection_add_random(c, 7, 3, 10, 900, 50, 900,
                                               0.0005, 2.0, 3, 1, &n)
                      == BC_OK);
            } else if (kind == 2) {
                CHECK(bc_connection_add_fixed(c, 7, 3, 0, 1000, 100, 800,
                                              20, 1.0, -1) == BC_OK);
            } else if (kind == 3) {
                CHECK(bc_connection_add_full(c, 4, 3, 250, 100, 1.5, -1)
                      == BC_OK);
            } else {
                CHECK(bc_connection_add(c, 3, pre, post, w, d) == BC_OK);
            }
            CHECK(bc_connection_compress(c) == BC_OK);
        }
        check_part_is_whole_cut(&whole, &part, 300, 700);
    }
    fixture_free(&a);
}

/* Random rows over several column blocks, built by K = 2 and 3 parts
 * (one part's range inside a block, others across block edges, a block
 * shared by two parts): each part keeps the synapses of the whole build
 * cut to its targets, for bitmap rows, their complement and skip rows,
 * with and without delays, the block's columns starting past 0. */
static void
test_build_columns_blocks(void)
{
    static const struct {
        bc_index n_post, col0, n_cols, n_rows;
        double p;
        int32_t delay;
    } cases[] = {{20000, 1234, 15000, 300, 0.02, -1},
                 {20000, 0, 20000, 200, 0.02, 2},
                 {9000, 0, 9000, 60, 0.7, -1},
                 {600000, 500, 599000, 40, 0.0009, -1}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        bc_index n = cases[c].n_post;
        /* the sizes above really span several blocks */
        CHECK(cases[c].n_cols > bc_row_block_columns(cases[c].p));
        fixture a;
        fixture_init(&a, n, 0, NULL, NULL);
        for (bc_index k = 2; k <= 3; k++) {
            for (bc_index r = 0; r < k; r++) {
                bc_index lo = r * n / k, hi = (r + 1) * n / k;
                bc_connection whole, part;
                bc_connection *both[2] = {&whole, &part};
                for (int b = 0; b < 2; b++) {
                    CHECK(bc_connection_init(both[b], &a.g, 0,
                                             cases[c].n_rows, &a.g, 0, n, 0)
                          == BC_OK);
                    if (b == 1) {
                        CHECK(bc_connection_build_columns(&part, lo, hi)
                              == BC_OK);
                    }
                    bc_count added = 0;
                    CHECK(bc_connection_add_random(
                              both[b], 5, 8, 0, cases[c].n_rows,
                              cases[c].col0, cases[c].n_cols, cases[c].p,
                              1.0, cases[c].delay, 2, &added) == BC_OK);
                    CHECK(bc_connection_compress(both[b]) == BC_OK);
                }
                check_part_is_whole_cut(&whole, &part, lo, hi);
            }
        }
        fixture_free(&a);
    }
}

static void
test_random_blocks(void)
{
    fixture a;
    fixture_init(&a, 1000, 0, NULL, NULL);
    bc_connection c;
    CHECK(bc_connection_init(&c, &a.g, 0, 1000, &a.g, 0, 1000, 0) == BC_OK);
    bc_count n = 0;
    CHECK(bc_connection_add_random(&c, 7, 3, 0, 1000, 0, 1000, 0.05, 1.0,
                                   -1, 1, &n) == BC_OK);
    /* Binomial(10^6, 0.05): mean 50000, sd 218 */
    CHECK(fabs((double)n - 50000.0) < 5 * 218.0);
    CHECK(bc_connection_nnz(&c) == n);
    /* the same pairs as bc_random_pairs */
    bc_count m = 0;
    CHECK(bc_random_pairs(7, 3, 0, 1000, 0, 1000, 0.05, 0, NULL, NULL, &m)
          == BC_OK && m == n);
    bc_index *pre = malloc((size_t)m * sizeof(bc_index));
    bc_index *post = malloc((size_t)m * sizeof(bc_index));
    CHECK(bc_random_pairs(7, 3, 0, 1000, 0, 1000, 0.05, m, pre, post, &m)
          == BC_OK);
    /* an empty connection gets the CSR form directly */
    CHECK(c.compressed && c.built_pre == NULL);
    int same = 1;
    for (bc_count k = 0; k < m; k++) {
        same &= post[k] == c.post[k] && k >= c.row_start[pre[k]] &&
                k < c.row_start[pre[k] + 1];
    }
    CHECK(same);
    CHECK(bc_random_pairs(7, 3, 0, 1000, 0, 1000, 0.05, m - 1, pre, post,
                          &m) == BC_ERANGE);
    free(pre);
    free(post);
    CHECK(bc_connection_compress(&c) == BC_OK);
    int sorted = 1;
    for (bc_index i = 0; i < 1000; i++) {
        for (bc_count k = c.row_start[i] + 1; k < c.row_start[i + 1]; k++) {
            sorted &= c.post[k] > c.post[k - 1];
        }
    }
    CHECK(sorted);
    /* a second block goes through the list; p = 0 and p = 1 are exact;
     * fixed gives k per column */
    CHECK(bc_connection_add_random(&c, 7, 4, 0, 10, 0, 10, 0.0, 1.0, -1, 1,
                                   &n) == BC_OK && n == 0);
    bc_count before = bc_connection_nnz(&c);
    CHECK(bc_connection_add_random(&c, 7, 4, 0, 10, 0, 10, 1.0, 1.0, -1, 1,
                                   &n) == BC_OK && n == 100 &&
          !c.compressed);
    CHECK(bc_connection_nnz(&c) == before + 100);
    /* list and scatter compression: row 0 now starts with targets 0..9
     * of the second block, then the first block's */
    CHECK(bc_connection_compress(&c) == BC_OK && c.row_full[0] == 0);
    CHECK(bc_connection_add_random(&c, 7, 4, 0, 10, 0, 10, 1.5, 1.0, -1, 1,
                                   &n) == BC_EINVAL);
    CHECK(bc_connection_add_random(&c, 7, 4, 0, 10, 0, 10, 0.5, 1.0, -1, -1,
                                   &n) == BC_EINVAL);
    CHECK(bc_connection_add_random(&c, 7, 4, 0, 10, 0, 10, 0.5, 1.0, -1,
                                   BC_POOL_MAX_THREADS + 1, &n)
          == BC_EINVAL);
    bc_connection_free(&c);

    CHECK(bc_connection_init(&c, &a.g, 0, 50, &a.g, 0, 20, 0) == BC_OK);
    CHECK(bc_connection_add_fixed(&c, 1, 2, 0, 50, 0, 20, 7, 1.0, -1)
          == BC_OK);
    CHECK(bc_connection_add_fixed(&c, 1, 2, 0, 50, 0, 20, 51, 1.0, -1)
          == BC_EINVAL);
    CHECK(bc_connection_compress(&c) == BC_OK);
    double *dense = calloc(50 * 20, sizeof(double));
    bc_connection_todense(&c, dense);
    int exact = 1;
    for (int j = 0; j < 20; j++) {
        double col = 0.0;
        for (int i = 0; i < 50; i++) {
            exact &= dense[i * 20 + j] == 0.0 || dense[i * 20 + j] == 1.0;
            col += dense[i * 20 + j];
        }
        exact &= col == 7.0;
    }
    CHECK(exact);
    free(dense);
    bc_connection_free(&c);
    fixture_free(&a);
}

/* Steps the source (the schedule pushes spikes) and propagates. */
static void
step(fixture *src, bc_connection *c, bc_step n)
{
    bc_group_update(&src->g, n, NULL);
    bc_connection_propagate(c);
    bc_connection_deliver(c);
}

static void
test_propagate_sparse_dense_modulated(void)
{
    bc_step steps[3] = {0, 0, 1};
    bc_index idx[3] = {0, 2, 1};
    fixture a, b;
    fixture_init(&a, 3, 3, steps, idx);
    fixture_init(&b, 5, 0, NULL, NULL);
    bc_connection c;
    /* source window neurons 0..2, target window neurons 1..4, row 1 */
    CHECK(bc_connection_init(&c, &a.g, 0, 3, &b.g, 1, 4, 1) == BC_OK);
    CHECK(bc_connection_add_full(&c, 0, 1, 0, 4, 1.0, -1) == BC_OK);
    bc_index pre[2] = {2, 1}, post[2] = {3, 0};
    double w[2] = {10.0, 100.0};
    CHECK(bc_connection_add(&c, 2, pre, post, w, NULL) == BC_OK);
    CHECK(bc_connection_compress(&c) == BC_OK);
    step(&a, &c, 0);
    const double *x = b.state + 5;      /* row 1 */
    CHECK(x[0] == 0.0 && x[1] == 1.0 && x[2] == 1.0 && x[3] == 1.0 &&
          x[4] == 11.0);
    step(&a, &c, 1);
    CHECK(x[1] == 101.0 && b.state[1] == 0.0);
    /* modulation by source row 0 */
    a.state[0] = 2.0;
    a.state[2] = -1.0;
    c.modulation_var = 0;
    bc_group_reset_history(&a.g);
    a.g.schedule_pos = 0;
    step(&a, &c, 0);
    CHECK(x[1] == 103.0 && x[4] == 11.0 + 2.0 - 10.0);
    bc_connection_free(&c);
    fixture_free(&a);
    fixture_free(&b);
}

static void
test_propagate_delays(void)
{
    bc_step steps[2] = {1, 2};
    bc_index idx[2] = {0, 1};
    fixture a, b;
    fixture_init(&a, 2, 2, steps, idx);
    fixture_init(&b, 2, 0, NULL, NULL);
    /* homogeneous: 3 steps, read from the source's history */
    bc_connection c;
    CHECK(bc_connection_init(&c, &a.g, 0, 2, &b.g, 0, 2, 0) == BC_OK);
    CHECK(bc_connection_add_full(&c, 0, 2, 0, 2, 1.0, -1) == BC_OK);
    CHECK(bc_connection_compress(&c) == BC_OK);
    c.delay_steps = 3;
    CHECK(bc_group_reserve_history(&a.g, 4) == BC_OK);
    double seen[8];
    for (bc_step n = 0; n < 8; n++) {
        step(&a, &c, n);
        seen[n] = b.state[0];
    }
    CHECK(seen[3] == 0.0 && seen[4] == 1.0 && seen[5] == 2.0 &&
          seen[7] == 2.0);
    bc_connection_free(&c);

    /* per synapse: 0 -> 0 after 0 steps, 0 -> 1 after 4, 1 -> 1 after 2 */
    bc_group_reset_history(&a.g);
    a.g.schedule_pos = 0;
    memset(b.state, 0, 4 * sizeof(double));
    CHECK(bc_connection_init(&c, &a.g, 0, 2, &b.g, 0, 2, 0) == BC_OK);
    bc_index pre[3] = {0, 0, 1}, post[3] = {0, 1, 1};
    double w[3] = {1.0, 2.0, 4.0};
    int32_t d[3] = {0, 4, 2};
    c.n_ring = 5;
    CHECK(bc_connection_add(&c, 3, pre, post, w, d) == BC_OK);
    CHECK(bc_connection_compress(&c) == BC_OK);
    CHECK(c.ring != NULL && c.n_ring == 5);
    double v0[8], v1[8];
    for (bc_step n = 0; n < 8; n++) {
        step(&a, &c, n);
        v0[n] = b.state[0];
        v1[n] = b.state[1];
    }
    CHECK(v0[0] == 0.0 && v0[1] == 1.0 && v0[7] == 1.0);
    CHECK(v1[3] == 0.0 && v1[4] == 4.0 && v1[5] == 6.0 && v1[7] == 6.0);
    /* decompress/compress keeps input in flight; clear_ring drops it */
    CHECK(bc_connection_decompress(&c) == BC_OK);
    CHECK(bc_connection_compress(&c) == BC_OK && c.ring != NULL);
    bc_connection_clear_ring(&c);
    CHECK(c.ring_pos == 0 && c.ring[0] == 0.0);
    bc_connection_free(&c);
    fixture_free(&a);
    fixture_free(&b);
}

/* Propagates this step's spikes of `src` through two connections from
 * it. */
static void
step_both(fixture *src, bc_connection *c1, bc_connection *c2, bc_step n)
{
    bc_group_update(&src->g, n, NULL);
    bc_connection_propagate(c1);
    bc_connection_propagate(c2);
}

/* A uniform connection stores one weight: it reads and propagates like
 * its materialised copy, and writing a weight materialises it. */
static void
test_uniform_weight(void)
{
    bc_step steps[4] = {0, 0, 1, 1};
    bc_index idx[4] = {0, 7, 3, 39};
    fixture a, b1, b2;
    fixture_init(&a, 40, 4, steps, idx);
    fixture_init(&b1, 30, 0, NULL, NULL);
    fixture_init(&b2, 30, 0, NULL, NULL);
    bc_connection u, m;
    CHECK(bc_connection_init(&u, &a.g, 0, 40, &b1.g, 0, 30, 0) == BC_OK);
    CHECK(bc_connection_init(&m, &a.g, 0, 40, &b2.g, 0, 30, 0) == BC_OK);
    bc_count n = 0, n2 = 0;
    CHECK(bc_connection_add_random(&u, 5, 1, 0, 40, 0, 30, 0.3, 0.5, -1,
                                   1, &n) == BC_OK && n > 0);
    CHECK(bc_connection_add_random(&m, 5, 1, 0, 40, 0, 30, 0.3, 0.5, -1,
                                   1, &n2) == BC_OK && n2 == n);
    CHECK(u.uniform && u.weight == NULL && u.compressed);
    size_t index_bytes = 41 * sizeof(bc_count) + 40;
    CHECK(bc_connection_bytes(&u) ==
          index_bytes + (size_t)n * sizeof(bc_index));
    CHECK(bc_connection_materialise(&m) == BC_OK && !m.uniform);
    CHECK(bc_connection_bytes(&m) == index_bytes + (size_t)n * 12);
    double *d1 = calloc(40 * 30, sizeof(double));
    double *d2 = calloc(40 * 30, sizeof(double));
    bc_connection_todense(&u, d1);
    bc_connection_todense(&m, d2);
    CHECK(memcmp(d1, d2, 40 * 30 * sizeof(double)) == 0);
    /* propagation, plain then modulated by source row 1 */
    step_both(&a, &u, &m, 0);
    step_both(&a, &u, &m, 1);
    for (int k = 0; k < 40; k++) {
        a.state[40 + k] = 0.1 * k - 1.3;
    }
    u.modulation_var = m.modulation_var = 1;
    bc_group_reset_history(&a.g);
    a.g.schedule_pos = 0;
    step_both(&a, &u, &m, 0);
    step_both(&a, &u, &m, 1);
    CHECK(b1.state[0] != 0.0 || b1.state[29] != 0.0);
    CHECK(memcmp(b1.state, b2.state, 60 * sizeof(double)) == 0);
    /* a missing element is not written, so nothing is materialised */
    bc_index i = 0;
    while (u.row_start[i + 1] == u.row_start[i] ||
           u.row_start[i + 1] - u.row_start[i] == 30) {
        i++;
    }
    bc_index missing = 0;
    while (bc_connection_get(&u, i, missing, NULL) != 0.0) {
        missing++;
    }
    CHECK(bc_connection_set(&u, i, missing, 2.0) == 0 && u.uniform);
    bc_count k0 = u.row_start[i];
    CHECK(bc_connection_set(&u, i, u.post[k0], 2.0) == 1 && !u.uniform);
    int rest = 1;
    for (bc_count k = 0; k < n; k++) {
        rest &= u.weight[k] == (k == k0 ? 2.0 : 0.5);
    }
    CHECK(rest);
    bc_connection_free(&u);
    bc_connection_free(&m);

    /* a second batch: same weight stays uniform, another materialises */
    CHECK(bc_connection_init(&u, &a.g, 0, 3, &b1.g, 0, 4, 0) == BC_OK);
    CHECK(bc_connection_add_full(&u, 1, 2, 0, 4, 1.0, -1) == BC_OK);
    CHECK(bc_connection_add_full(&u, 0, 1, 1, 2, 1.0, -1) == BC_OK);
    bc_index pre[2] = {0, 0}, post[2] = {3, 0};
    double same[2] = {1.0, 1.0}, zeros[1] = {0.0};
    CHECK(bc_connection_add(&u, 2, pre, post, same, NULL) == BC_OK);
    CHECK(u.uniform && u.built_weight == NULL);
    CHECK(bc_connection_bytes(&u) == (size_t)u.capacity * 8);
    /* scattered and row-sorted compression, removal, decompression */
    CHECK(bc_connection_compress(&u) == BC_OK && u.uniform);
    CHECK(u.post[0] == 0 && u.post[1] == 1 && u.post[3] == 3);
    CHECK(u.row_full[0] && u.row_full[1]);
    CHECK(bc_connection_remove(&u, 0, 1) == 1 && u.uniform);
    CHECK(bc_connection_nnz(&u) == 11);
    CHECK(bc_connection_decompress(&u) == BC_OK && u.uniform);
    CHECK(bc_connection_add_full(&u, 2, 1, 0, 2, 2.0, -1) == BC_OK);
    CHECK(!u.uniform && u.built_weight != NULL);
    CHECK(bc_connection_compress(&u) == BC_OK);
    bc_count cnt;
    CHECK(bc_connection_get(&u, 2, 0, &cnt) == 3.0 && cnt == 2);
    CHECK(bc_connection_get(&u, 2, 3, &cnt) == 1.0 && cnt == 1);
    CHECK(bc_connection_get(&u, 0, 2, &cnt) == 1.0 && cnt == 1);
    bc_connection_free(&u);

    /* -0.0 is not 0.0: todense would show the sign */
    CHECK(bc_connection_init(&u, &a.g, 0, 3, &b1.g, 0, 4, 0) == BC_OK);
    CHECK(bc_connection_add_full(&u, 0, 1, 0, 1, -0.0, -1) == BC_OK);
    CHECK(u.uniform);
    CHECK(bc_connection_add(&u, 1, pre, post, zeros, NULL) == BC_OK);
    CHECK(!u.uniform && signbit(u.built_weight[0]) &&
          !signbit(u.built_weight[1]));
    bc_connection_free(&u);
    free(d1);
    free(d2);
    fixture_free(&a);
    fixture_free(&b1);
    fixture_free(&b2);
}

/* Rows of a few targets, in an exactly sized target array: a row's
 * scratch writes past its end must stay inside the array (AddressSanitizer
 * sees the array's exact size), also with the chunks of two threads. */
static void
test_random_short_rows_stay_inside(void)
{
    fixture a;
    fixture_init(&a, 100000, 0, NULL, NULL);
    const bc_index sizes[][2] = {{300, 2000}, {60000, 50000}};
    for (int t = 0; t < 2; t++) {
        bc_index nr = sizes[t][0], nc = sizes[t][1];
        bc_connection c;
        bc_count n = 0;
        CHECK(bc_connection_init(&c, &a.g, 0, nr, &a.g, 0, nc, 0) == BC_OK);
        /* about 2 targets a row: the last rows hold fewer than the
         * BC_ROW_SLACK entries a fill may write past its end */
        CHECK(bc_connection_add_random(&c, 3, 9, 0, nr, 0, nc,
                                       2.0 / (double)nc, 1.0, -1, 2, &n)
              == BC_OK && n > 0 && c.row_start[nr] == n);
        bc_connection_free(&c);
    }
    fixture_free(&a);
}

/* A random block drawn by 1, 2, 3 or "one per CPU" threads: the same
 * CSR arrays, byte for byte, and the pairs of bc_random_pairs, in every
 * sampling regime (skip rows, sparse and plain bitmap rows, rows above
 * half full, full rows).  Blocks are big enough to be split, and sit at
 * an offset inside a wider connection. */
static void
test_random_threads_agree(void)
{
    static const struct {
        bc_index n_rows, n_cols;
        double p;
    } cases[] = {
        {2100, 100000, 0.0005},     /* skip rows */
        {2000, 100000, 0.001},      /* bitmap with a summary */
        {3000, 2000, 0.02},         /* bitmap */
        {1100, 200, 0.7},           /* the columns left out marked */
        {1500, 100, 1.0},           /* full rows */
    };
    const int32_t threads[] = {2, 3, 0};
    fixture a;
    fixture_init(&a, 100010, 0, NULL, NULL);
    for (size_t t = 0; t < sizeof(cases) / sizeof(cases[0]); t++) {
        bc_index nr = cases[t].n_rows, nc = cases[t].n_cols;
        bc_index n_pre = nr + 7, n_post = nc + 5;
        bc_connection ref;
        bc_count n_ref = 0;
        CHECK(bc_connection_init(&ref, &a.g, 0, n_pre, &a.g, 0, n_post, 0)
              == BC_OK);
        CHECK(bc_connection_add_random(&ref, 11, 2, 3, nr, 4, nc,
                                       cases[t].p, 1.0, -1, 1, &n_ref)
              == BC_OK);
        CHECK(ref.compressed && (double)n_ref > 100000.0 * 0.9);
        CHECK(ref.row_start[3] == 0 && ref.row_start[n_pre] == n_ref);
        /* the reference pairs, moved to (3, 4) */
        bc_index *pre = malloc((size_t)n_ref * sizeof(bc_index));
        bc_index *post = malloc((size_t)n_ref * sizeof(bc_index));
        bc_count m = 0;
        CHECK(bc_random_pairs(11, 2, 0, nr, 0, nc, cases[t].p, n_ref, pre,
                              post, &m) == BC_OK && m == n_ref);
        int same = 1;
        for (bc_count k = 0; k < m && same; k++) {
            same = ref.post[k] == post[k] + 4 &&
                   k >= ref.row_start[pre[k] + 3] &&
                   k < ref.row_start[pre[k] + 4];
        }
        CHECK(same);
        free(pre);
        free(post);
        for (size_t h = 0; h < sizeof(threads) / sizeof(threads[0]); h++) {
            bc_connection c;
            bc_count n = 0;
            CHECK(bc_connection_init(&c, &a.g, 0, n_pre, &a.g, 0, n_post, 0)
                  == BC_OK);
            CHECK(bc_connection_add_random(&c, 11, 2, 3, nr, 4, nc,
                                           cases[t].p, 1.0, -1, threads[h],
                                           &n) == BC_OK && n == n_ref);
            CHECK(memcmp(c.row_start, ref.row_start,
                         ((size_t)n_pre + 1) * sizeof(bc_count)) == 0);
            CHECK(memcmp(c.post, ref.post, (size_t)n * sizeof(bc_index))
                  == 0);
            CHECK(memcmp(c.row_full, ref.row_full, (size_t)n_pre) == 0);
            bc_connection_free(&c);
        }
        bc_connection_free(&ref);
    }
    fixture_free(&a);
}

int
main(void)
{
    test_free_zeroed();
    test_init_rejects_bad_windows();
    test_compress_scatter_and_decompress();
    test_full_rows_flagged();
    test_keep_columns();
    test_build_columns();
    test_build_columns_blocks();
    test_random_blocks();
    test_random_threads_agree();
    test_random_short_rows_stay_inside();
    test_propagate_sparse_dense_modulated();
    test_propagate_delays();
    test_uniform_weight();
    return check_report();
}
