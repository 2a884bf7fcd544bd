/* stdp1.c -- hand-written C baseline of Song, Miller & Abbott's STDP
 * (Brian 1's examples/plasticity/STDP1.py): 1000 Poisson inputs at 15 Hz
 * onto one neuron (exact linear update of v and ge), every synapse
 * plastic with additive all-pairs STDP on per-neuron traces, clipped to
 * [0, gmax].  Per step: decay the traces, draw the spiking inputs by
 * geometric gaps, update the neuron, deliver the input spikes (ge += w,
 * A_pre += dA_pre, w += A_post), then the neuron's spike (reset, A_post
 * += dA_post, w += A_pre on every synapse).
 *
 *     stdp1 [SECONDS [SEED]]
 *
 * Prints one JSON line: loop seconds (CPU), spikes, and the fractions of
 * weights within 10 % of gmax and of 0.  The rule is stdp_rule.h's, shared
 * with stdp.c. */
#include "stdp_rule.h"

int
main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 100.0;
    uint64_t seed = argc > 2 ? (uint64_t)atoll(argv[2]) : 1;
    enum { N = 1000 };
    const double dt = BL_DT, taum = 10e-3, taupre = 20e-3, taupost = 20e-3;
    const double taue = 5e-3, Ee = 0.0, vt = -54e-3, vr = -60e-3;
    const double El = -74e-3, F = 15.0, gmax = 0.01;
    const double dApre = 0.01 * gmax, dApost = -0.01 * 1.05 * gmax;
    /* exact update of dv/dt = (ge*(Ee-vr) + El - v)/taum, dge/dt =
     * -ge/taue over one step */
    const double em = exp(-dt / taum), ee = exp(-dt / taue);
    const double kv = (Ee - vr) / taum * (ee - em) / (1 / taum - 1 / taue);
    const double apre = exp(-dt / taupre), apost = exp(-dt / taupost);
    const double p = F * dt, log_q = log1p(-p);
    bl_rng rng = {seed * 0x9e3779b97f4a7c15ULL + 1};
    double *w = bl_alloc(N * sizeof(double));
    double *A_pre = bl_alloc(N * sizeof(double));
    int32_t *fired = bl_alloc(N * sizeof(int32_t));
    for (int i = 0; i < N; i++) {
        w[i] = bl_uniform(&rng) * gmax;
    }
    double v = vr, ge = 0.0, A_post = 0.0;
    long spikes = 0;
    int64_t n_steps = (int64_t)(seconds / dt + 0.5);

    double t0 = bl_cpu();
    for (int64_t step = 0; step < n_steps; step++) {
        stdp_decay(A_pre, N, apre);
        A_post *= apost;
        int n_fired = 0;
        for (int64_t i = -1;;) {
            i += 1 + (int64_t)floor(log(bl_uniform(&rng)) / log_q);
            if (i >= N) {
                break;
            }
            fired[n_fired++] = (int32_t)i;
        }
        double v_new = El + (v - El) * em + kv * ge;
        ge *= ee;
        v = v_new;
        int post_spike = v > vt;
        for (int q = 0; q < n_fired; q++) {
            int i = fired[q];
            ge += w[i];
            A_pre[i] += dApre;
            w[i] = stdp_clip(w[i] + A_post, gmax);
        }
        if (post_spike) {
            v = vr;
            spikes++;
            A_post += dApost;
            stdp_add_traces(w, 1, A_pre, N, gmax);
        }
    }
    double elapsed = bl_cpu() - t0;
    int near_max = 0, near_zero = 0;
    for (int i = 0; i < N; i++) {
        near_max += w[i] > 0.9 * gmax;
        near_zero += w[i] < 0.1 * gmax;
    }
    printf("{\"simulator\": \"hand_c\", \"run_s\": %.6f, \"spikes\": %ld, "
           "\"near_wmax\": %.4f, \"near_zero\": %.4f}\n", elapsed, spikes,
           near_max / (double)N, near_zero / (double)N);
    return 0;
}
