/* stdp.c -- hand-written C baseline of additive, all-pairs exponential STDP
 * on a dense n_pre x n_post weight matrix, replaying recorded spike trains:
 * per step the traces decay (one multiply per neuron, Brian's exact linear
 * update), then each presynaptic spike i does A_pre[i] += Ap and
 * w[i, :] = clip(w[i, :] + A_post, 0, wmax), then each postsynaptic spike j
 * does A_post[j] += Am and w[:, j] = clip(w[:, j] + A_pre, 0, wmax).
 *
 *     stdp SPIKES_FILE WEIGHTS_IN WEIGHTS_OUT
 *
 * SPIKES_FILE (little-endian): int64 n_pre, n_post, n_steps, n_pre_spikes,
 * n_post_spikes; double a_pre, a_post (per-step decays), Ap, Am, wmax;
 * then int64 steps and int32 indices of the presynaptic spikes (sorted by
 * step), then those of the postsynaptic spikes.  WEIGHTS_IN/OUT: n_pre *
 * n_post doubles, row-major.  Prints the CPU seconds of the loop.  The
 * rule itself is stdp_rule.h's, shared with stdp1.c. */
#include "stdp_rule.h"

static void *
read_exact(FILE *f, size_t bytes)
{
    void *p = bl_alloc(bytes);
    if (bytes > 0 && fread(p, 1, bytes, f) != bytes) {
        fprintf(stderr, "short read\n");
        exit(2);
    }
    return p;
}

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: stdp SPIKES WEIGHTS_IN WEIGHTS_OUT\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    int64_t *head = read_exact(f, 5 * sizeof(int64_t));
    int64_t n_pre = head[0], n_post = head[1], n_steps = head[2];
    int64_t n_ps = head[3], n_qs = head[4];
    double *par = read_exact(f, 5 * sizeof(double));
    double a_pre = par[0], a_post = par[1], Ap = par[2], Am = par[3];
    double wmax = par[4];
    int64_t *ps_step = read_exact(f, (size_t)n_ps * sizeof(int64_t));
    int32_t *ps_idx = read_exact(f, (size_t)n_ps * sizeof(int32_t));
    int64_t *qs_step = read_exact(f, (size_t)n_qs * sizeof(int64_t));
    int32_t *qs_idx = read_exact(f, (size_t)n_qs * sizeof(int32_t));
    fclose(f);
    size_t nw = (size_t)n_pre * (size_t)n_post;
    f = fopen(argv[2], "rb");
    if (f == NULL) {
        perror(argv[2]);
        return 2;
    }
    double *w = read_exact(f, nw * sizeof(double));
    fclose(f);
    double *A_pre = bl_alloc((size_t)n_pre * sizeof(double));
    double *A_post = bl_alloc((size_t)n_post * sizeof(double));

    double t0 = bl_cpu();
    int64_t p = 0, q = 0;
    for (int64_t step = 0; step < n_steps; step++) {
        stdp_decay(A_pre, n_pre, a_pre);
        stdp_decay(A_post, n_post, a_post);
        for (; p < n_ps && ps_step[p] == step; p++) {
            int64_t i = ps_idx[p];
            A_pre[i] += Ap;
            stdp_add_traces(w + (size_t)i * (size_t)n_post, 1, A_post,
                            n_post, wmax);
        }
        for (; q < n_qs && qs_step[q] == step; q++) {
            int64_t j = qs_idx[q];
            A_post[j] += Am;
            stdp_add_traces(w + (size_t)j, (size_t)n_post, A_pre, n_pre,
                            wmax);
        }
    }
    double elapsed = bl_cpu() - t0;
    printf("%.6f\n", elapsed);
    f = fopen(argv[3], "wb");
    if (f == NULL || fwrite(w, sizeof(double), nw, f) != nw) {
        perror(argv[3]);
        return 2;
    }
    fclose(f);
    return 0;
}
