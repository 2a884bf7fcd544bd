/* test_random_rows.c -- C tests for random_rows.{h,c}: every method
 * (bitmap, its complement above p = 1/2, skips, empty, full) gives
 * distinct ascending targets in range, Binomial(n, p) row sizes, columns
 * hit with probability p independently of each other, and rows that
 * depend on (seed, stream, row) only. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "random_rows.h"

#define CANARY (-7)

/* Draws rows 0..n_rows-1 and checks their shape; col_hits[j] counts the
 * rows holding column j, size_sum/size_sq the row sizes. */
static void
draw_rows(bc_index n_cols, double p, bc_index n_rows, long *col_hits,
          double *size_mean, double *size_var)
{
    bc_row_sampler s;
    CHECK(bc_row_sampler_init(&s, 11, 3, n_cols, p) == BC_OK);
    bc_index *out = malloc(((size_t)n_cols + 2 * BC_ROW_SLACK) *
                           sizeof(bc_index));
    const bc_index offset = 5;
    int shape_ok = 1;
    double sum = 0.0, sq = 0.0;
    for (bc_index k = 0; k < n_rows; k++) {
        bc_index m = bc_row_sampler_count(&s, k);
        shape_ok &= 0 <= m && m <= n_cols;
        for (bc_index a = 0; a < m + 2 * BC_ROW_SLACK; a++) {
            out[a] = CANARY;
        }
        bc_row_sampler_fill(&s, k, m, offset, out);
        for (bc_index a = 0; a < m; a++) {
            shape_ok &= offset <= out[a] && out[a] < offset + n_cols;
            shape_ok &= a == 0 || out[a] > out[a - 1];
            if (offset <= out[a] && out[a] < offset + n_cols) {
                col_hits[out[a] - offset]++;
            }
        }
        /* nothing written past the promised slack */
        for (bc_index a = m + BC_ROW_SLACK; a < m + 2 * BC_ROW_SLACK; a++) {
            shape_ok &= out[a] == CANARY;
        }
        sum += m;
        sq += (double)m * m;
    }
    CHECK(shape_ok);
    *size_mean = sum / n_rows;
    *size_var = sq / n_rows - *size_mean * *size_mean;
    free(out);
    bc_row_sampler_free(&s);
}

static void
test_distribution(void)
{
    /* bitmap, complement, skips, word-boundary widths, tiny rows */
    static const struct {
        bc_index n_cols;
        double p;
        bc_index n_rows;
    } cases[] = {{4000, 0.02, 4000}, {1000, 0.7, 2000}, {300, 0.5, 4000},
                 {200000, 0.0002, 3000}, {64, 0.3, 20000},
                 {65, 0.97, 20000}, {63, 0.1, 20000}, {1, 0.4, 20000},
                 {20000, 0.001, 2000}, {5000, 0.005, 2000},
                 {2, 0.01, 40000}, {1, 0.005, 40000},
                 /* several column blocks: bitmap, complement, a last
                  * block of one column (often complemented), skips */
                 {20000, 0.02, 1500}, {10000, 0.7, 800},
                 {16385, 0.005, 10000}, {600000, 0.0009, 1000}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        bc_index n = cases[c].n_cols, rows = cases[c].n_rows;
        double p = cases[c].p;
        long *hits = calloc((size_t)n, sizeof(long));
        double mean, var;
        draw_rows(n, p, rows, hits, &mean, &var);
        double mu = n * p, s2 = n * p * (1 - p);
        CHECK(fabs(mean - mu) < 5.0 * sqrt(s2 / rows));
        CHECK(fabs(var - s2) < 6.0 * s2 * sqrt(2.0 / rows) + 0.05);
        /* column hits ~ Binomial(rows, p) each: chi-square over columns,
         * n degrees of freedom (columns are nearly independent) */
        double e = rows * p, chi2 = 0.0;
        for (bc_index j = 0; j < n; j++) {
            chi2 += (hits[j] - e) * (hits[j] - e) / (e * (1 - p));
        }
        CHECK(fabs(chi2 - n) < 6.0 * sqrt(2.0 * n) + 3.0);
        free(hits);
    }
}

/* Given the row size, columns are not correlated: pairs of columns are
 * both in a row with probability p^2, and the size has the binomial
 * pmf (n = 6). */
static void
test_joint(void)
{
    enum { N = 6, ROWS = 200000 };
    const double p = 0.35;
    bc_row_sampler s;
    CHECK(bc_row_sampler_init(&s, 1, 2, N, p) == BC_OK);
    long both[N][N] = {{0}}, sizes[N + 1] = {0};
    bc_index out[N + BC_ROW_SLACK];
    for (bc_index k = 0; k < ROWS; k++) {
        bc_index m = bc_row_sampler_count(&s, k);
        bc_row_sampler_fill(&s, k, m, 0, out);
        sizes[m]++;
        for (bc_index a = 0; a < m; a++) {
            for (bc_index b = a + 1; b < m; b++) {
                both[out[a]][out[b]]++;
            }
        }
    }
    bc_row_sampler_free(&s);
    int pairs_ok = 1;
    double e = ROWS * p * p;
    for (int a = 0; a < N; a++) {
        for (int b = a + 1; b < N; b++) {
            pairs_ok &= fabs(both[a][b] - e) < 5.0 * sqrt(e);
        }
    }
    CHECK(pairs_ok);
    double pk = pow(1 - p, N);      /* P(0), then the pmf recurrence */
    int pmf_ok = 1;
    for (int k = 0; k <= N; k++) {
        double ek = ROWS * pk;
        pmf_ok &= fabs(sizes[k] - ek) < 5.0 * sqrt(ek) + 1.0;
        pk *= (double)(N - k) / (k + 1) * p / (1 - p);
    }
    CHECK(pmf_ok);
}

/* Rows depend on (seed, stream, row) only: drawn alone, in another
 * order or twice, a row is the same; the edge probabilities are exact. */
static void
test_rows_independent(void)
{
    static const double ps[] = {0.05, 0.8, 0.0001};
    for (size_t c = 0; c < sizeof ps / sizeof ps[0]; c++) {
        const bc_index n = 5000;
        bc_row_sampler a, b;
        CHECK(bc_row_sampler_init(&a, 4, 9, n, ps[c]) == BC_OK);
        CHECK(bc_row_sampler_init(&b, 4, 9, n, ps[c]) == BC_OK);
        bc_index *ra = malloc((n + BC_ROW_SLACK) * sizeof(bc_index));
        bc_index *rb = malloc((n + BC_ROW_SLACK) * sizeof(bc_index));
        int same = 1;
        for (bc_index k = 0; k < 20; k++) {
            bc_index ma = bc_row_sampler_count(&a, k);
            bc_row_sampler_fill(&a, k, ma, 0, ra);
            bc_index kb = 19 - k;   /* b in reverse order, counted twice */
            bc_index mb = bc_row_sampler_count(&b, kb);
            same &= bc_row_sampler_count(&b, kb) == mb;
            bc_row_sampler_fill(&b, kb, mb, 0, rb);
            ma = bc_row_sampler_count(&a, kb);
            bc_row_sampler_fill(&a, kb, ma, 0, ra);
            same &= ma == mb && memcmp(ra, rb, (size_t)ma * 4) == 0;
        }
        CHECK(same);
        free(ra);
        free(rb);
        bc_row_sampler_free(&a);
        bc_row_sampler_free(&b);
    }
    bc_row_sampler s;
    bc_index out[10 + BC_ROW_SLACK];
    CHECK(bc_row_sampler_init(&s, 1, 1, 10, 0.0) == BC_OK);
    CHECK(bc_row_sampler_count(&s, 3) == 0);
    bc_row_sampler_free(&s);
    CHECK(bc_row_sampler_init(&s, 1, 1, 10, 1.0) == BC_OK);
    CHECK(bc_row_sampler_count(&s, 3) == 10);
    bc_row_sampler_fill(&s, 3, 10, 2, out);
    CHECK(out[0] == 2 && out[9] == 11);
    bc_row_sampler_free(&s);
    CHECK(bc_row_sampler_init(&s, 1, 1, 0, 0.5) == BC_OK);
    CHECK(bc_row_sampler_count(&s, 0) == 0);
    bc_row_sampler_free(&s);
}

/* The targets of row k in the drawn blocks of a window: those of the
 * whole row in the blocks' columns, for any window; K windows cut to
 * their ranges rebuild the row. */
static void
test_windows(void)
{
    static const struct {
        bc_index n_cols;
        double p;
    } cases[] = {{20000, 0.02}, {10000, 0.7}, {16385, 0.005},
                 {600000, 0.0009}, {9000, 1.0}, {5000, 0.05}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        bc_index n = cases[c].n_cols, big = bc_row_block_columns(cases[c].p);
        CHECK(c > 3 || n > big);    /* several blocks, the last narrower */
        bc_row_sampler whole;
        CHECK(bc_row_sampler_init(&whole, 6, 2, n, cases[c].p) == BC_OK);
        bc_index *row = malloc(((size_t)n + BC_ROW_SLACK) * sizeof(bc_index));
        bc_index *part = malloc(((size_t)n + BC_ROW_SLACK) *
                                sizeof(bc_index));
        int same = 1, rebuilt = 1;
        for (bc_index k_parts = 1; k_parts <= 4; k_parts++) {
            bc_row_sampler win[4];
            for (bc_index r = 0; r < k_parts; r++) {
                CHECK(bc_row_sampler_init_window(
                          &win[r], 6, 2, n, cases[c].p, r * n / k_parts,
                          (r + 1) * n / k_parts) == BC_OK);
            }
            for (bc_index k = 0; k < 30; k++) {
                bc_index m = bc_row_sampler_count(&whole, k);
                bc_row_sampler_fill(&whole, k, m, 3, row);
                bc_index joined = 0;
                for (bc_index r = 0; r < k_parts; r++) {
                    bc_index lo = r * n / k_parts, hi = (r + 1) * n / k_parts;
                    bc_index b_lo = lo / big * big;
                    bc_index b_hi = (hi + big - 1) / big * big;
                    bc_index mp = bc_row_sampler_count(&win[r], k);
                    bc_row_sampler_fill(&win[r], k, mp, 3, part);
                    /* the whole row's targets in the drawn blocks */
                    bc_index a = 0;
                    while (a < m && row[a] - 3 < b_lo) {
                        a++;
                    }
                    bc_index e = a;
                    while (e < m && row[e] - 3 < b_hi) {
                        e++;
                    }
                    same &= mp == e - a &&
                            memcmp(part, row + a,
                                   (size_t)mp * sizeof(bc_index)) == 0;
                    for (bc_index q = 0; q < mp; q++) {
                        if (part[q] - 3 >= lo && part[q] - 3 < hi) {
                            rebuilt &= joined < m && part[q] == row[joined];
                            joined++;
                        }
                    }
                }
                rebuilt &= joined == m;
            }
            for (bc_index r = 0; r < k_parts; r++) {
                bc_row_sampler_free(&win[r]);
            }
        }
        CHECK(same);
        CHECK(rebuilt);
        free(row);
        free(part);
        bc_row_sampler_free(&whole);
    }
    bc_row_sampler s;
    CHECK(bc_row_sampler_init_window(&s, 1, 1, 100, 0.5, 50, 101)
          == BC_ERANGE);
    CHECK(bc_row_sampler_init_window(&s, 1, 1, 100, 0.5, 60, 50)
          == BC_ERANGE);
    CHECK(bc_row_sampler_init_window(&s, 1, 1, 100, 0.5, 40, 40) == BC_OK);
    CHECK(bc_row_sampler_count(&s, 2) == 0);
    bc_row_sampler_free(&s);
    /* blocks: powers of two of at least 4096 columns, about 64 targets
     * (128 for skip rows) */
    CHECK(bc_row_block_columns(0.5) == 4096);
    CHECK(bc_row_block_columns(0.001) == 65536);
    CHECK(bc_row_block_columns(0.0005) == 262144);
    CHECK(bc_row_block_columns(1e-9) == (bc_index)1 << 30);
}

/* Blocks draw from counters of their own: a column and the same column
 * of another block (the narrower last one too) are both in a row with
 * probability p^2. */
static void
test_blocks_independent(void)
{
    enum { ROWS = 8000 };
    const double p = 0.3;
    const bc_index big = bc_row_block_columns(p), n = 3 * big + 100;
    const bc_index first[] = {5, 50, 700, 4000 % big};
    bc_row_sampler s;
    CHECK(bc_row_sampler_init(&s, 3, 5, n, p) == BC_OK);
    bc_index *out = malloc(((size_t)n + BC_ROW_SLACK) * sizeof(bc_index));
    uint8_t *in = malloc((size_t)n);
    long both[4][3] = {{0}};
    for (bc_index k = 0; k < ROWS; k++) {
        bc_index m = bc_row_sampler_count(&s, k);
        bc_row_sampler_fill(&s, k, m, 0, out);
        memset(in, 0, (size_t)n);
        for (bc_index a = 0; a < m; a++) {
            in[out[a]] = 1;
        }
        for (int c = 0; c < 4; c++) {
            for (int b = 1; b <= 3; b++) {
                bc_index j = first[c] + b * big;
                both[c][b - 1] += j < n && in[first[c]] && in[j];
            }
        }
    }
    int ok = 1;
    double e = ROWS * p * p;
    for (int c = 0; c < 4; c++) {
        for (int b = 1; b <= 3; b++) {
            if (first[c] + b * big < n) {
                ok &= fabs(both[c][b - 1] - e) < 5.0 * sqrt(e);
            }
        }
    }
    CHECK(ok);
    free(out);
    free(in);
    bc_row_sampler_free(&s);
}

int
main(void)
{
    test_distribution();
    test_joint();
    test_rows_independent();
    test_windows();
    test_blocks_independent();
    return check_report();
}
