/* gap_junctions.c -- hand-written C baseline of the gap-junction network
 * of bench_synapses_brian2.py ("gap"; Brian 1's gapjunctions.py scaled to
 * 1000 neurons): dv/dt = (1.05 - v + Igap)/(10 ms), threshold v > 1,
 * reset v = 0, and random gap junctions (p = 0.01, w = 0.02) whose
 * currents w*(v_pre - v_post) are summed into each target's Igap at the
 * end of every step.
 *
 * Per step: the exact linear update of v (Igap held), threshold and reset
 * (spikes recorded as a SpikeMonitor would), then each neuron's Igap as
 * one contiguous reduction over its incoming junctions (stored by target,
 * presynaptic index and weight side by side in memory order).
 *
 *     gap_junctions [SECONDS [SEED]]
 *
 * Prints one JSON line: loop seconds (CPU), spikes, synapses. */
#include "bench.h"

int
main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    uint64_t seed = argc > 2 ? (uint64_t)atoll(argv[2]) : 1;
    enum { N = 1000 };
    const double dt = BL_DT, tau = 10e-3, p = 0.01, w = 0.02;
    bl_rng rng = {seed * 0x9e3779b97f4a7c15ULL + 1};
    /* connectivity drawn by presynaptic row, then turned around: the
     * junctions of each target side by side */
    bl_csr by_pre;
    bl_csr_random(&by_pre, N, N, p, w, &rng);
    int64_t n_syn = by_pre.row_start[N];
    int64_t *in_start = bl_alloc(sizeof(int64_t) * (N + 1));
    int32_t *in_pre = bl_alloc(sizeof(int32_t) * (size_t)(n_syn + 1));
    double *in_w = bl_alloc(sizeof(double) * (size_t)(n_syn + 1));
    for (int64_t k = 0; k < n_syn; k++) {
        in_start[by_pre.target[k] + 1]++;
    }
    for (int j = 0; j < N; j++) {
        in_start[j + 1] += in_start[j];
    }
    int64_t *fill = bl_alloc(sizeof(int64_t) * N);
    memcpy(fill, in_start, sizeof(int64_t) * N);
    for (int32_t i = 0; i < N; i++) {
        for (int64_t k = by_pre.row_start[i]; k < by_pre.row_start[i + 1];
             k++) {
            int64_t q = fill[by_pre.target[k]]++;
            in_pre[q] = i;
            in_w[q] = by_pre.weight[k];
        }
    }
    double *v = bl_alloc(sizeof(double) * N);
    double *Igap = bl_alloc(sizeof(double) * N);
    for (int i = 0; i < N; i++) {
        v[i] = bl_uniform(&rng);
    }
    /* exact step of dv/dt = (1.05 + Igap - v)/tau with Igap held */
    const double a = exp(-dt / tau), b = 1.0 - a;
    int64_t n_steps = (int64_t)(seconds / dt + 0.5);
    int64_t cap = 1 << 16, spikes = 0;
    int32_t *spike_i = malloc(sizeof(int32_t) * (size_t)cap);
    int64_t *spike_step = malloc(sizeof(int64_t) * (size_t)cap);

    double t0 = bl_cpu();
    for (int64_t step = 0; step < n_steps; step++) {
        for (int i = 0; i < N; i++) {
            v[i] = a * v[i] + b * (1.05 + Igap[i]);
        }
        for (int i = 0; i < N; i++) {
            if (v[i] > 1.0) {
                v[i] = 0.0;
                if (spikes == cap) {
                    cap *= 2;
                    spike_i = realloc(spike_i, sizeof(int32_t) * (size_t)cap);
                    spike_step = realloc(spike_step,
                                         sizeof(int64_t) * (size_t)cap);
                    if (spike_i == NULL || spike_step == NULL) {
                        fprintf(stderr, "out of memory\n");
                        return 2;
                    }
                }
                spike_i[spikes] = i;
                spike_step[spikes++] = step;
            }
        }
        for (int j = 0; j < N; j++) {
            double vj = v[j], sum = 0.0;
            for (int64_t k = in_start[j]; k < in_start[j + 1]; k++) {
                sum += in_w[k] * (v[in_pre[k]] - vj);
            }
            Igap[j] = sum;
        }
    }
    double elapsed = bl_cpu() - t0;
    printf("{\"simulator\": \"hand_c\", \"run_s\": %.6f, \"spikes\": %lld, "
           "\"synapses\": %lld}\n", elapsed, (long long)spikes,
           (long long)n_syn);
    free(spike_i);
    free(spike_step);
    bl_csr_free(&by_pre);
    return 0;
}
