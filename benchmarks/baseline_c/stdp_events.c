/* stdp_events.c -- hand-written C baseline for bench_synapses.py: the
 * pair-based STDP of a Synapses object with event-driven traces (Song,
 * Miller & Abbott), replaying a recorded spike list.
 *
 *   stdp_events FILE
 *
 * FILE (float64 little-endian): n_pre, n_post, n_steps, dt, taupre,
 * taupost, dApre, dApost, gmax, n_pre_spikes, n_post_spikes, then the pre
 * and the post spikes as (step, index) pairs in step order, then the
 * initial weights.  Every presynaptic neuron i has one synapse onto every
 * postsynaptic neuron j, number i * n_post + j (S[:, :] = True).  Prints
 * the loop's median CPU time of three in seconds (CPU time: the machine
 * is shared, and brianc's side is measured in CPU time too) and the
 * final weight sum.
 *
 * Built with -DINTERLEAVED=1, the four variables of a synapse (w, Apre,
 * Apost, last update) sit side by side, so a postsynaptic spike, whose
 * synapses are n_post apart, touches one cache line per synapse instead
 * of four; by default each variable is an array of its own. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef INTERLEAVED
#define INTERLEAVED 0
#endif
/* Distance between two synapses' values of one variable. */
#define STRIDE (INTERLEAVED ? 4 : 1)

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Bring synapse k's traces from its last update to t. */
static inline void
catch_up(double *apre, double *apost, double *last, long k, double t,
         double taupre, double taupost)
{
    k *= STRIDE;
    double elapsed = last[k] - t;
    apre[k] *= exp(elapsed / taupre);
    apost[k] *= exp(elapsed / taupost);
    last[k] = t;
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: stdp_events FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    double head[11];
    if (f == NULL || fread(head, sizeof(double), 11, f) != 11) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    long n_pre = (long)head[0], n_post = (long)head[1];
    long n_steps = (long)head[2], n = n_pre * n_post;
    double dt = head[3], taupre = head[4], taupost = head[5];
    double dapre = head[6], dapost = head[7], gmax = head[8];
    long n_pre_sp = (long)head[9], n_post_sp = (long)head[10];
    double *pre_sp = malloc(sizeof(double) * 2 * (size_t)n_pre_sp + 8);
    double *post_sp = malloc(sizeof(double) * 2 * (size_t)n_post_sp + 8);
    double *w0 = malloc(sizeof(double) * (size_t)n);
    if (fread(pre_sp, sizeof(double), 2 * (size_t)n_pre_sp, f)
            != 2 * (size_t)n_pre_sp
        || fread(post_sp, sizeof(double), 2 * (size_t)n_post_sp, f)
            != 2 * (size_t)n_post_sp
        || fread(w0, sizeof(double), (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "short file\n");
        return 1;
    }
    fclose(f);
    double *syn = malloc(sizeof(double) * 4 * (size_t)n);
    size_t var = INTERLEAVED ? 1 : (size_t)n;   /* from one to the next */
    double *w = syn, *apre = syn + var, *apost = syn + 2 * var;
    double *last = syn + 3 * var;
    double times[3], total = 0.0;
    for (int rep = 0; rep < 3; rep++) {
        for (long k = 0; k < n; k++) {
            w[k * STRIDE] = w0[k];
            apre[k * STRIDE] = apost[k * STRIDE] = last[k * STRIDE] = 0.0;
        }
        double t0 = now();
        long ip = 0, iq = 0;
        for (long step = 0; step < n_steps; step++) {
            double t = (double)step * dt;
            for (; ip < n_pre_sp && (long)pre_sp[2 * ip] == step; ip++) {
                long i = (long)pre_sp[2 * ip + 1];
                for (long k = i * n_post; k < (i + 1) * n_post; k++) {
                    catch_up(apre, apost, last, k, t, taupre, taupost);
                    long m = k * STRIDE;
                    apre[m] += dapre;
                    double x = w[m] + apost[m];
                    w[m] = x < 0.0 ? 0.0 : (x > gmax ? gmax : x);
                }
            }
            for (; iq < n_post_sp && (long)post_sp[2 * iq] == step; iq++) {
                long j = (long)post_sp[2 * iq + 1];
                for (long k = j; k < n; k += n_post) {
                    catch_up(apre, apost, last, k, t, taupre, taupost);
                    long m = k * STRIDE;
                    apost[m] += dapost;
                    double x = w[m] + apre[m];
                    w[m] = x < 0.0 ? 0.0 : (x > gmax ? gmax : x);
                }
            }
        }
        times[rep] = now() - t0;
    }
    double lo = times[0] < times[1] ? times[0] : times[1];
    double hi = times[0] < times[1] ? times[1] : times[0];
    double median = times[2] < lo ? lo : (times[2] > hi ? hi : times[2]);
    for (long k = 0; k < n; k++) {
        total += w[k * STRIDE];
    }
    printf("%.9f %.17g\n", median, total);
    return 0;
}
