/* bench.h -- shared helpers of the hand-written C baselines: wall clock,
 * random numbers (a scalar generator for setup, a vectorisable counter-based
 * hash for per-step noise), CSR connectivity and command-line parsing.
 * Header-only: every baseline is one translation unit. */
#ifndef BL_BENCH_H
#define BL_BENCH_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BL_DT 1e-4              /* s; every demo runs at Brian's 0.1 ms */

static inline double
bl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the process (one thread here): unlike the wall clock, not
 * stretched by other processes on a shared machine. */
static inline double
bl_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static inline void *
bl_alloc(size_t bytes)
{
    /* 64-byte alignment lets AVX-512 loads stay aligned; zeroed so every
     * state array starts defined. */
    size_t rounded = (bytes + 63) / 64 * 64;
    void *p = aligned_alloc(64, rounded ? rounded : 64);
    if (p == NULL) {
        fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
        exit(2);
    }
    memset(p, 0, rounded ? rounded : 64);
    return p;
}

/* ---- random numbers ------------------------------------------------- */

/* 64-bit finaliser (splitmix64's): a bijection with full avalanche, used
 * both as a sequential generator and as a counter-based hash. */
static inline uint64_t
bl_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

typedef struct bl_rng {
    uint64_t state;
} bl_rng;

static inline uint64_t
bl_next(bl_rng *r)
{
    r->state += 0x9e3779b97f4a7c15ULL;
    return bl_mix64(r->state);
}

/* uniform in (0, 1): 53 random bits, offset by half an ulp so log() is
 * always finite */
static inline double
bl_uniform(bl_rng *r)
{
    return ((double)(bl_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

static inline double
bl_normal(bl_rng *r)
{
    double u1 = bl_uniform(r), u2 = bl_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* n standard normals for one time step, a pure function of
 * (key, step, index) so the loop has no carried state and vectorises:
 * one 64-bit hash gives two 32-bit uniforms, Box-Muller turns them into
 * two normals (for i and i + half). */
static inline void
bl_fill_normals(double *restrict z, int32_t n, uint64_t key, int64_t step)
{
    int32_t half = n / 2;
    uint64_t base = key + ((uint64_t)step << 32);
    for (int32_t i = 0; i < half; i++) {
        uint64_t h = bl_mix64(base + (uint64_t)i);
        double u1 = ((double)(uint32_t)h + 0.5) * 0x1.0p-32;
        double u2 = ((double)(uint32_t)(h >> 32) + 0.5) * 0x1.0p-32;
        double r = sqrt(-2.0 * log(u1));
        /* sin(x) written as cos(x - pi/2): gcc would fuse sin and cos of
         * one argument into sincos, which has no vector version */
        z[i] = r * cos(2.0 * M_PI * u2);
        z[i + half] = r * cos(2.0 * M_PI * u2 - 0.5 * M_PI);
    }
    if (n % 2) {
        uint64_t h = bl_mix64(base + (uint64_t)half);
        double u1 = ((double)(uint32_t)h + 0.5) * 0x1.0p-32;
        double u2 = ((double)(uint32_t)(h >> 32) + 0.5) * 0x1.0p-32;
        z[n - 1] = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
    }
}

/* ---- CSR connectivity ----------------------------------------------- */

typedef struct bl_csr {
    int32_t n_pre, n_post;
    int64_t *row_start;     /* n_pre + 1 entries */
    int32_t *target;        /* row_start[n_pre] entries, ascending per row */
    double *weight;         /* same length, SI unit of the target variable */
} bl_csr;

/* Each (pre, post) pair present with probability p, self-pairs included
 * (as Brian 1's connect_random): geometric skips between present targets
 * make the cost proportional to the synapse count, not n_pre * n_post. */
static inline void
bl_csr_random(bl_csr *c, int32_t n_pre, int32_t n_post, double p,
              double w, bl_rng *r)
{
    int64_t cap = (int64_t)((double)n_pre * n_post * p * 1.1) + 1024;
    c->n_pre = n_pre;
    c->n_post = n_post;
    c->row_start = bl_alloc(sizeof(int64_t) * ((size_t)n_pre + 1));
    c->target = malloc(sizeof(int32_t) * (size_t)cap);
    int64_t k = 0;
    double log_q = log1p(-p);
    for (int32_t i = 0; i < n_pre; i++) {
        c->row_start[i] = k;
        int64_t j = -1;
        for (;;) {
            if (p < 1.0) {
                j += 1 + (int64_t)(log(bl_uniform(r)) / log_q);
            }
            else {
                j += 1;
            }
            if (j >= n_post) {
                break;
            }
            if (k == cap) {
                cap *= 2;
                c->target = realloc(c->target, sizeof(int32_t) * (size_t)cap);
                if (c->target == NULL) {
                    fprintf(stderr, "out of memory\n");
                    exit(2);
                }
            }
            c->target[k++] = (int32_t)j;
        }
    }
    c->row_start[n_pre] = k;
    c->weight = bl_alloc(sizeof(double) * (size_t)(k ? k : 1));
    for (int64_t s = 0; s < k; s++) {
        c->weight[s] = w;
    }
}

static inline void
bl_csr_free(bl_csr *c)
{
    free(c->row_start);
    free(c->target);
    free(c->weight);
    memset(c, 0, sizeof(*c));
}

/* Add the weights of every spiking presynaptic neuron (indices relative to
 * the connection's source) to its targets' variable; returns the number of
 * synaptic events delivered. */
static inline int64_t
bl_csr_propagate(const bl_csr *c, const int32_t *spikes, int32_t n_spikes,
                 double *restrict var)
{
    int64_t events = 0;
    for (int32_t s = 0; s < n_spikes; s++) {
        int32_t pre = spikes[s];
        int64_t a = c->row_start[pre], b = c->row_start[pre + 1];
        const int32_t *restrict tgt = c->target;
        const double *restrict w = c->weight;
        for (int64_t k = a; k < b; k++) {
            var[tgt[k]] += w[k];
        }
        events += b - a;
    }
    return events;
}

/* ---- spike record (what a SpikeMonitor keeps) ------------------------- */

typedef struct bl_record {
    int64_t n, cap;
    int32_t *index;
    int64_t *step;
} bl_record;

static inline void
bl_record_push(bl_record *m, const int32_t *spikes, int32_t n_spikes,
               int64_t step)
{
    if (m->n + n_spikes > m->cap) {
        while (m->n + n_spikes > m->cap) {
            m->cap = m->cap ? 2 * m->cap : 4096;
        }
        m->index = realloc(m->index, sizeof(int32_t) * (size_t)m->cap);
        m->step = realloc(m->step, sizeof(int64_t) * (size_t)m->cap);
        if (m->index == NULL || m->step == NULL) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    for (int32_t s = 0; s < n_spikes; s++) {
        m->index[m->n + s] = spikes[s];
        m->step[m->n + s] = step;
    }
    m->n += n_spikes;
}

/* ---- command line and output --------------------------------------- */

typedef struct bl_args {
    double scale, duration_ms;
    uint64_t seed;
} bl_args;

static inline bl_args
bl_parse_args(int argc, char **argv, double default_duration_ms)
{
    bl_args a = {1.0, default_duration_ms, 1};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--scale") == 0) {
            a.scale = atof(argv[i + 1]);
        }
        else if (strcmp(argv[i], "--duration-ms") == 0) {
            a.duration_ms = atof(argv[i + 1]);
        }
        else if (strcmp(argv[i], "--seed") == 0) {
            a.seed = (uint64_t)strtoull(argv[i + 1], NULL, 10);
        }
        else {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            exit(2);
        }
    }
    if (a.scale <= 0 || a.duration_ms < 0) {
        fprintf(stderr, "need --scale > 0 and --duration-ms >= 0\n");
        exit(2);
    }
    return a;
}

static inline void
bl_print_result(const char *model, const bl_args *a, int32_t n,
                double setup_s, double run_s, int64_t spikes,
                int64_t synapses)
{
    printf("{\"simulator\": \"c\", \"model\": \"%s\", \"setup_s\": %.6f, "
           "\"run_s\": %.6f, \"spikes\": %lld, \"n\": %d, "
           "\"synapses\": %lld, \"scale\": %g, \"duration_ms\": %g, "
           "\"seed\": %llu}\n",
           model, setup_s, run_s, (long long)spikes, (int)n,
           (long long)synapses, a->scale, a->duration_ms,
           (unsigned long long)a->seed);
}

#endif /* BL_BENCH_H */
