/* micro.c -- hand-written C micro-benchmarks: the per-step neuron work alone
 * (update, threshold, reset; no synapses), spike propagation alone through
 * random_network's connectivity, and Poisson input generation.  Each prints
 * one JSON line with the best of three timings in ns per unit of work. */
#include "models.h"

#define N_STEPS 10000
#define N_REPEATS 3

/* best_s: wall time; best_cpu_s: CPU time of the process, which a
 * shared machine's other load does not stretch (ns_per_unit_cpu). */
static void
report(const char *name, const char *unit, double best_s, double best_cpu_s,
       double units, int64_t spikes)
{
    printf("{\"simulator\": \"c\", \"benchmark\": \"%s\", \"unit\": \"%s\", "
           "\"ns_per_unit\": %.4f, \"ns_per_unit_cpu\": %.4f, "
           "\"units\": %.0f, \"best_s\": %.6f, \"best_cpu_s\": %.6f, "
           "\"spikes\": %lld}\n",
           name, unit, 1e9 * best_s / units, 1e9 * best_cpu_s / units, units,
           best_s, best_cpu_s, (long long)spikes);
}

static void
bench_cuba(void)
{
    const int32_t n = 4000;
    bl_cuba par = bl_cuba_params(BL_DT);
    double *v = bl_alloc(sizeof(double) * n);
    double *ge = bl_alloc(sizeof(double) * n);
    double *gi = bl_alloc(sizeof(double) * n);
    uint8_t *flag = bl_alloc(n);
    int32_t *spikes = bl_alloc(sizeof(int32_t) * n);
    double best = 1e30, best_cpu = 1e30;
    int64_t total = 0;
    for (int rep = 0; rep < N_REPEATS; rep++) {
        bl_rng rng = {1};
        for (int32_t i = 0; i < n; i++) {
            v[i] = -60e-3 + 10e-3 * bl_uniform(&rng);
            ge[i] = 1e-3 * bl_uniform(&rng);
            gi[i] = -1e-3 * bl_uniform(&rng);
        }
        total = 0;
        double t0 = bl_now(), c0 = bl_cpu();
        for (int64_t step = 0; step < N_STEPS; step++) {
            bl_cuba_update(&par, n, v, ge, gi, flag);
            int32_t ns = bl_collect(flag, n, spikes);
            for (int32_t s = 0; s < ns; s++) {
                v[spikes[s]] = par.v_reset;
            }
            total += ns;
        }
        double t = bl_now() - t0, c = bl_cpu() - c0;
        best = t < best ? t : best;
        best_cpu = c < best_cpu ? c : best_cpu;
    }
    report("cuba_update_4000", "neuron-step", best, best_cpu,
           (double)n * N_STEPS,
           total);
    free(v), free(ge), free(gi), free(flag), free(spikes);
}

static void
bench_noisy(void)
{
    const int32_t n = 5000;
    bl_noisy par = bl_noisy_params(BL_DT);
    double *v = bl_alloc(sizeof(double) * n);
    double *z = bl_alloc(sizeof(double) * n);
    double *input = bl_alloc(sizeof(double) * n);
    int32_t *refr = bl_alloc(sizeof(int32_t) * n);
    uint8_t *flag = bl_alloc(n);
    int32_t *spikes = bl_alloc(sizeof(int32_t) * n);
    double best = 1e30, best_cpu = 1e30;
    int64_t total = 0;
    for (int rep = 0; rep < N_REPEATS; rep++) {
        for (int32_t i = 0; i < n; i++) {
            v[i] = par.v_reset;
            refr[i] = 0;
        }
        total = 0;
        double t0 = bl_now(), c0 = bl_cpu();
        for (int64_t step = 0; step < N_STEPS; step++) {
            bl_fill_normals(z, n, 12345, step);
            bl_noisy_update(&par, n, v, refr, z, input, flag);
            int32_t ns = bl_collect(flag, n, spikes);
            bl_noisy_reset(&par, spikes, ns, v, refr);
            total += ns;
        }
        double t = bl_now() - t0, c = bl_cpu() - c0;
        best = t < best ? t : best;
        best_cpu = c < best_cpu ? c : best_cpu;
    }
    report("noisy_lif_update_5000", "neuron-step", best, best_cpu,
           (double)n * N_STEPS,
           total);
    free(v), free(z), free(input), free(refr), free(flag), free(spikes);
}

static void
bench_hh(void)
{
    const int32_t n = 4000;
    bl_hh par = bl_hh_params(BL_DT);
    double *s[6];
    for (int k = 0; k < 6; k++) {
        s[k] = bl_alloc(sizeof(double) * n);
    }
    int32_t *refr = bl_alloc(sizeof(int32_t) * n);
    uint8_t *flag = bl_alloc(n);
    int32_t *spikes = bl_alloc(sizeof(int32_t) * n);
    double best = 1e30, best_cpu = 1e30;
    int64_t total = 0;
    for (int rep = 0; rep < N_REPEATS; rep++) {
        bl_rng rng = {1};
        for (int32_t i = 0; i < n; i++) {
            s[0][i] = par.el + (bl_normal(&rng) * 5 - 5) * 1e-3;
            s[1][i] = s[2][i] = s[3][i] = 0.0;
            /* the demo's large initial conductances make neurons fire */
            s[4][i] = (bl_normal(&rng) * 1.5 + 4) * 10e-9;
            s[5][i] = (bl_normal(&rng) * 12 + 20) * 10e-9;
            refr[i] = 0;
        }
        total = 0;
        double t0 = bl_now(), c0 = bl_cpu();
        for (int64_t step = 0; step < N_STEPS; step++) {
            bl_hh_update(&par, n, s[0], s[1], s[2], s[3], s[4], s[5], refr,
                         flag);
            int32_t ns = bl_collect(flag, n, spikes);
            for (int32_t k = 0; k < ns; k++) {
                refr[spikes[k]] = par.refractory;
            }
            total += ns;
        }
        double t = bl_now() - t0, c = bl_cpu() - c0;
        best = t < best ? t : best;
        best_cpu = c < best_cpu ? c : best_cpu;
    }
    report("hh_update_4000", "neuron-step", best, best_cpu,
           (double)n * N_STEPS, total);
    for (int k = 0; k < 6; k++) {
        free(s[k]);
    }
    free(refr), free(flag), free(spikes);
}

/* random_network's two connections driven by precomputed random spike
 * trains (20 Hz, above the demo's 6 Hz so the timing is well above the
 * clock's resolution); counts every synaptic event delivered. */
static void
bench_propagation(void)
{
    const int32_t n = 4000, n_exc = 3200;
    const double rate = 20.0;
    bl_rng rng = {7};
    bl_csr ce, ci;
    bl_csr_random(&ce, n_exc, n, 0.02, 1.62e-3, &rng);
    bl_csr_random(&ci, n - n_exc, n, 0.02, -9e-3, &rng);
    double *ge = bl_alloc(sizeof(double) * n);
    double *gi = bl_alloc(sizeof(double) * n);
    int64_t cap = (int64_t)(n * rate * BL_DT * N_STEPS * 1.5) + 1000;
    int32_t *train = bl_alloc(sizeof(int32_t) * (size_t)cap);
    int64_t *start = bl_alloc(sizeof(int64_t) * (N_STEPS + 1));
    int32_t *n_exc_spk = bl_alloc(sizeof(int32_t) * N_STEPS);
    int64_t k = 0;
    for (int64_t step = 0; step < N_STEPS; step++) {
        start[step] = k;
        for (int32_t i = 0; i < n && k < cap; i++) {
            if (bl_uniform(&rng) < rate * BL_DT) {
                /* inhibitory sources are stored relative to their group */
                train[k++] = i < n_exc ? i : i - n_exc;
                if (i < n_exc) {
                    n_exc_spk[step]++;
                }
            }
        }
    }
    start[N_STEPS] = k;
    double best = 1e30, best_cpu = 1e30;
    int64_t events = 0;
    for (int rep = 0; rep < N_REPEATS; rep++) {
        events = 0;
        double t0 = bl_now(), c0 = bl_cpu();
        for (int64_t step = 0; step < N_STEPS; step++) {
            const int32_t *spk = train + start[step];
            int32_t ns = (int32_t)(start[step + 1] - start[step]);
            int32_t ne = n_exc_spk[step];
            events += bl_csr_propagate(&ce, spk, ne, ge);
            events += bl_csr_propagate(&ci, spk + ne, ns - ne, gi);
        }
        double t = bl_now() - t0, c = bl_cpu() - c0;
        best = t < best ? t : best;
        best_cpu = c < best_cpu ? c : best_cpu;
    }
    report("propagation_random_network", "synaptic-event", best, best_cpu,
           (double)events, k);
    bl_csr_free(&ce);
    bl_csr_free(&ci);
    free(ge), free(gi), free(train), free(start), free(n_exc_spk);
}

/* 10,000 Poisson sources at 10 Hz: one hashed uniform per source and step,
 * compared with rate * dt, then the spike list is collected. */
static void
bench_poisson(void)
{
    const int32_t n = 10000;
    const double rate = 10.0;
    /* h < p * 2^64, with h the 64-bit hash: probability p */
    const uint64_t limit = (uint64_t)(rate * BL_DT * 0x1.0p64);
    uint8_t *flag = bl_alloc(n);
    int32_t *spikes = bl_alloc(sizeof(int32_t) * n);
    double best = 1e30, best_cpu = 1e30;
    int64_t total = 0;
    for (int rep = 0; rep < N_REPEATS; rep++) {
        total = 0;
        double t0 = bl_now(), c0 = bl_cpu();
        for (int64_t step = 0; step < N_STEPS; step++) {
            uint64_t base = 99 + ((uint64_t)step << 32);
            for (int32_t i = 0; i < n; i++) {
                flag[i] = bl_mix64(base + (uint64_t)i) < limit;
            }
            total += bl_collect(flag, n, spikes);
        }
        double t = bl_now() - t0, c = bl_cpu() - c0;
        best = t < best ? t : best;
        best_cpu = c < best_cpu ? c : best_cpu;
    }
    report("poisson_10000_at_10Hz", "source-step", best, best_cpu,
           (double)n * N_STEPS,
           total);
    free(flag), free(spikes);
}

/* optional argument: run only the benchmarks whose key (hh, cuba, noisy,
 * propagation, poisson) occurs in it */
int
main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : "";
    if (!*only || strstr(only, "hh")) {
        bench_hh();
    }
    if (!*only || strstr(only, "cuba")) {
        bench_cuba();
    }
    if (!*only || strstr(only, "noisy")) {
        bench_noisy();
    }
    if (!*only || strstr(only, "propagation")) {
        bench_propagation();
    }
    if (!*only || strstr(only, "poisson")) {
        bench_poisson();
    }
    return 0;
}
