/* test_spike_statistics.c -- C tests for spike_statistics.{h,c}: interval
 * deviations, correlogram counts on edges, windowed sums and the van
 * Rossum Gram matrix against sums over filtered traces. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "spike_statistics.h"

static void
test_isi_deviation(void)
{
    const double t[] = {0.0, 1.0, 3.0, 6.0};     /* intervals 1, 2, 3 */
    double ss;
    bc_count down;
    bc_isi_deviation(t, 4, 2.0, &ss, &down);
    CHECK(fabs(ss - 2.0) < 1e-12);
    CHECK(down == 0);
    const double unsorted[] = {0.0, 2.0, 1.0};
    bc_isi_deviation(unsorted, 3, 0.5, &ss, &down);
    CHECK(down == 1);
}

static void
test_correlogram_counts(void)
{
    /* Lags of 0.0025 (twice), -0.0005 and exactly +width (left out, the
     * window is [-width, width)). */
    const double t1[] = {1.0, 2.0};
    const double t2[] = {0.9995, 1.0025, 2.0025, 2.004};
    double edges[9];
    for (int k = 0; k < 9; k++) {
        edges[k] = -0.004 + 0.001 * k;
    }
    int64_t counts[8] = {0};
    bc_correlogram_counts(t1, 2, t2, 4, 0.004, edges, 8, counts);
    int64_t total = 0;
    for (int k = 0; k < 8; k++) {
        total += counts[k];
    }
    CHECK(total == 3);
    CHECK(counts[3] == 1);          /* -0.0005 in [-0.001, 0) */
    CHECK(counts[6] == 2);          /* 0.0025 in [0.002, 0.003) */
    double sum = bc_windowed_pair_sum(t1, 2, t2, 4, 0.004, 10.0);
    double expected = 1 / (10.0 - 0.0005) + 2 / (10.0 - 0.0025);
    CHECK(fabs(sum - expected) < 1e-9);
}

static void
test_van_rossum_gram(void)
{
    enum { N = 3, STEPS = 50, SPIKES = 5 };
    const bc_index neuron[SPIKES] = {0, 1, 1, 2, 0};
    const bc_step step[SPIKES] = {2, 2, 10, 10, 30};
    const double q = 0.8;
    double x[N][STEPS] = {{0}};
    for (int k = 0; k < SPIKES; k++) {
        for (int s = (int)step[k]; s < STEPS; s++) {
            x[neuron[k]][s] += pow(q, s - (int)step[k]);
        }
    }
    double gram[N * N] = {0}, trace[N];
    CHECK(bc_van_rossum_gram(N, SPIKES, neuron, step, STEPS, q, gram,
                             trace) == BC_OK);
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double direct = 0.0;
            for (int s = 0; s < STEPS; s++) {
                direct += x[i][s] * x[j][s];
            }
            CHECK(fabs(gram[i * N + j] - direct) < 1e-9);
        }
    }
    const bc_step late[SPIKES] = {2, 2, 10, 10, STEPS};
    CHECK(bc_van_rossum_gram(N, SPIKES, neuron, late, STEPS, q, gram,
                             trace) == BC_EINVAL);
    const bc_step backwards[SPIKES] = {2, 1, 10, 10, 30};
    CHECK(bc_van_rossum_gram(N, SPIKES, neuron, backwards, STEPS, q, gram,
                             trace) == BC_EINVAL);
    CHECK(bc_van_rossum_gram(N, SPIKES, neuron, step, STEPS, 1.0, gram,
                             trace) == BC_EINVAL);
}

int
main(void)
{
    test_isi_deviation();
    test_correlogram_counts();
    test_van_rossum_gram();
    return check_report();
}
