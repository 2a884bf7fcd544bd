/* stdp1000.c -- hand-written C of the whole stdp1000 model of
 * bench_synapses_brian2.py: Song, Miller & Abbott's STDP scaled to 1000
 * neurons.  1000 Poisson inputs at 15 Hz, each with one synapse onto each
 * of the 1000 neurons (10^6 synapses, weights uniform in [0, gmax]); per
 * synapse the weight w and the event-driven traces Apre and Apost, brought
 * up to date when a spike reaches the synapse (per-synapse traces, as the
 * Synapses model writes them, not per-neuron ones); exact linear update of
 * v and ge; 1 s at dt = 0.1 ms, one thread.
 *
 *     stdp1000 [SECONDS [SEED]]
 *
 * Per step: draw the spiking inputs (geometric gaps), update the neurons,
 * find the spiking neurons, deliver the input spikes (pre pathway:
 * ge += w, Apre += dApre, w = clip(w + Apost, 0, gmax)), then the
 * neurons' spikes (reset; post pathway: Apost += dApost,
 * w = clip(w + Apre, 0, gmax)).
 *
 * Layout.  The neurons fire at ~74 Hz, the inputs at 15 Hz: five times
 * more synapse updates come from postsynaptic spikes than from
 * presynaptic ones.  So by default the synapses onto one neuron are
 * consecutive (record j * 1000 + i for synapse (i, j)) and each variable
 * is an array of its own: a postsynaptic spike is one contiguous loop the
 * compiler vectorises (vector exp included); a presynaptic spike walks
 * 1000 records 8 kB apart, prefetched PREFETCH records ahead.  The state
 * sits on transparent huge pages (madvise) so strided walks do not miss
 * the TLB.  Compile-time options, to measure what each choice is worth:
 *   -DPRE_MAJOR=1    synapses from one input consecutive (record
 *                    i * 1000 + j, the order S[:, :] = True makes)
 *   -DINTERLEAVED=1  the four variables of a synapse side by side in a
 *                    32-byte record (one cache line per strided update)
 *   -DDERIVED_LAST=1 no per-synapse time of last update: in this model a
 *                    synapse is updated exactly when its input or its
 *                    neuron spikes, so it is the later of the two neurons'
 *                    last spike times
 *   -DPREFETCH=0     no software prefetch in the strided loop
 * (Blocks of 2, 4 or 8 synapses per variable were slower than both.)
 *
 * Prints one JSON line: the setup's and the loop's CPU time, the neurons'
 * spike count and the mean weight.  The whole process's CPU time is
 * measured from outside (bench_synapses_brian2.py --hand-c). */
#include "bench.h"

#include <sys/mman.h>

#ifndef PRE_MAJOR
#define PRE_MAJOR 0
#endif
#ifndef INTERLEAVED
#define INTERLEAVED 0
#endif
#ifndef DERIVED_LAST
#define DERIVED_LAST 0
#endif
#ifndef PREFETCH
#define PREFETCH 8
#endif

enum { N_IN = 1000, N = 1000 };
static const int64_t n_syn = (int64_t)N_IN * N;

#if PRE_MAJOR                   /* record of synapse (i, j) */
#define SYN(i, j) ((i) * N + (j))
#define PRE_STRIDE 1
#define POST_STRIDE N
#else
#define SYN(i, j) ((j) * N_IN + (i))
#define PRE_STRIDE N_IN
#define POST_STRIDE 1
#endif

#if INTERLEAVED
#define W(s, k) ((s)[4 * (k)])
#define APRE(s, k) ((s)[4 * (k) + 1])
#define APOST(s, k) ((s)[4 * (k) + 2])
#define LAST(s, k) ((s)[4 * (k) + 3])
#else
#define W(s, k) ((s)[(k)])
#define APRE(s, k) ((s)[n_syn + (k)])
#define APOST(s, k) ((s)[2 * n_syn + (k)])
#define LAST(s, k) ((s)[3 * n_syn + (k)])
#endif

typedef struct rule {
    double taupre, taupost, dApre, dApost, gmax;
} rule;

static inline double
clip(double x, double gmax)
{
    return x < 0.0 ? 0.0 : (x > gmax ? gmax : x);
}

/* Ask for synapse k's variables ahead of use (strided walks). */
static inline void
prefetch_record(double *s, int64_t k)
{
    __builtin_prefetch(&W(s, k), 1, 0);
#if !INTERLEAVED
    __builtin_prefetch(&APRE(s, k), 1, 0);
    __builtin_prefetch(&APOST(s, k), 1, 0);
#if !DERIVED_LAST
    __builtin_prefetch(&LAST(s, k), 1, 0);
#endif
#endif
}

/* Bring synapse k's traces from its last update, `last`, to t. */
static inline void
catch_up(double *restrict s, int64_t k, double last, double t,
         const rule *r)
{
    double elapsed = last - t;
    APRE(s, k) *= exp(elapsed / r->taupre);
    APOST(s, k) *= exp(elapsed / r->taupost);
#if !DERIVED_LAST
    LAST(s, k) = t;
#endif
}

#if DERIVED_LAST
#define LAST_OF(s, k, i, j) \
    (last_pre[i] > last_post[j] ? last_pre[i] : last_post[j])
#else
#define LAST_OF(s, k, i, j) LAST(s, k)
#endif

/* Input i spiked at t: its synapse onto every neuron. */
static void
on_pre(double *restrict s, double *restrict ge, int64_t i, double t,
       const double *last_pre, const double *last_post, const rule *r)
{
    (void)last_pre, (void)last_post;
    for (int64_t j = 0; j < N; j++) {
        int64_t k = SYN(i, j);
#if PREFETCH > 0 && PRE_STRIDE > 1
        prefetch_record(s, k + PREFETCH * PRE_STRIDE);
#endif
        catch_up(s, k, LAST_OF(s, k, i, j), t, r);
        ge[j] += W(s, k);
        APRE(s, k) += r->dApre;
        W(s, k) = clip(W(s, k) + APOST(s, k), r->gmax);
    }
}

/* Neuron j spiked at t: the synapse of every input onto it. */
static void
on_post(double *restrict s, int64_t j, double t, const double *last_pre,
        const double *last_post, const rule *r)
{
    (void)last_pre, (void)last_post;
    for (int64_t i = 0; i < N_IN; i++) {
        int64_t k = SYN(i, j);
#if PREFETCH > 0 && POST_STRIDE > 1
        prefetch_record(s, k + PREFETCH * POST_STRIDE);
#endif
        catch_up(s, k, LAST_OF(s, k, i, j), t, r);
        APOST(s, k) += r->dApost;
        W(s, k) = clip(W(s, k) + APRE(s, k), r->gmax);
    }
}

static double *
state_alloc(void)
{
    /* padded so the prefetches past the last record stay inside */
    size_t bytes = sizeof(double) * 4 * (size_t)(n_syn + PREFETCH * N + 8);
    size_t huge = (size_t)1 << 21;
    bytes = (bytes + huge - 1) / huge * huge;
    double *s = aligned_alloc(huge, bytes);
    if (s == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    madvise(s, bytes, MADV_HUGEPAGE);
    return s;
}

int
main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    uint64_t seed = argc > 2 ? (uint64_t)atoll(argv[2]) : 1;
    const double dt = BL_DT, taum = 10e-3, taue = 5e-3, Ee = 0.0;
    const double vt = -54e-3, vr = -60e-3, El = -74e-3, F = 15.0;
    const double gmax = 0.01;
    const rule r = {20e-3, 20e-3, 0.01 * gmax, -0.01 * 1.05 * gmax, gmax};
    /* exact update of dv/dt = (ge*(Ee-vr) + El - v)/taum, dge/dt =
     * -ge/taue over one step */
    const double em = exp(-dt / taum), ee = exp(-dt / taue);
    const double kv = (Ee - vr) / taum * (ee - em) / (1 / taum - 1 / taue);
    const double log_q = log1p(-F * dt);

    double c0 = bl_cpu();
    bl_rng rng = {seed * 0x9e3779b97f4a7c15ULL + 1};
    double *s = state_alloc();
    for (int64_t i = 0; i < N_IN; i++) {   /* drawn in (i, j) order */
        for (int64_t j = 0; j < N; j++) {
            int64_t k = SYN(i, j);
            W(s, k) = bl_uniform(&rng) * gmax;
            APRE(s, k) = APOST(s, k) = LAST(s, k) = 0.0;
        }
    }
    double *last_pre = bl_alloc(N_IN * sizeof(double));   /* zeroed */
    double *last_post = bl_alloc(N * sizeof(double));
    double *v = bl_alloc(N * sizeof(double));
    double *ge = bl_alloc(N * sizeof(double));
    int32_t *fired_in = bl_alloc(N_IN * sizeof(int32_t));
    int32_t *fired = bl_alloc(N * sizeof(int32_t));
    for (int j = 0; j < N; j++) {
        v[j] = vr;
    }
    long spikes = 0;
    int64_t n_steps = (int64_t)(seconds / dt + 0.5);

    double c1 = bl_cpu();
    for (int64_t step = 0; step < n_steps; step++) {
        double t = (double)step * dt;
        int n_in = 0;
        for (int64_t i = -1;;) {
            i += 1 + (int64_t)floor(log(bl_uniform(&rng)) / log_q);
            if (i >= N_IN) {
                break;
            }
            fired_in[n_in++] = (int32_t)i;
        }
        int n_fired = 0;
        for (int j = 0; j < N; j++) {
            double v_new = El + (v[j] - El) * em + kv * ge[j];
            ge[j] *= ee;
            v[j] = v_new;
        }
        for (int j = 0; j < N; j++) {
            if (v[j] > vt) {
                fired[n_fired++] = j;
            }
        }
        for (int q = 0; q < n_in; q++) {
            on_pre(s, ge, fired_in[q], t, last_pre, last_post, &r);
            last_pre[fired_in[q]] = t;
        }
        for (int q = 0; q < n_fired; q++) {
            v[fired[q]] = vr;
            on_post(s, fired[q], t, last_pre, last_post, &r);
            last_post[fired[q]] = t;
        }
        spikes += n_fired;
    }
    double c2 = bl_cpu();
    double total = 0.0;
    for (int64_t k = 0; k < n_syn; k++) {
        total += W(s, k);
    }
    printf("{\"simulator\": \"hand_c\", \"setup_cpu_s\": %.6f, "
           "\"run_cpu_s\": %.6f, \"spikes\": %ld, \"mean_w\": %.6g}\n",
           c1 - c0, c2 - c1, spikes, total / (double)n_syn);
    return 0;
}
