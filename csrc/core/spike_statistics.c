/* spike_statistics.c -- C core: one pass over sorted spike trains for the
 * statistics in brianc/tools/statistics.py and the van Rossum metric. */
#include "spike_statistics.h"

#include <assert.h>
#include <math.h>

void
bc_isi_deviation(const double *t, bc_count n, double mean, double *sum_sq,
                 bc_count *n_decreasing)
{
    double acc = 0.0;
    bc_count down = 0;
    for (bc_count k = 0; k + 1 < n; k++) {
        double isi = t[k + 1] - t[k];
        double dev = isi - mean;
        acc += dev * dev;
        down += isi < 0.0;
    }
    *sum_sq = acc;
    *n_decreasing = down;
}

/* The bin of lag d among uniform edges, or -1 outside them: a first guess
 * from the bin width, corrected against the edges themselves so that a lag
 * on an edge lands where NumPy's histogram puts it. */
static inline bc_index
lag_bin(double d, const double *edges, bc_index n_bins, double inv_bin)
{
    if (!(d >= edges[0] && d <= edges[n_bins])) {
        return -1;
    }
    double guess = (d - edges[0]) * inv_bin;
    bc_index b = guess >= (double)n_bins ? n_bins - 1 : (bc_index)guess;
    if (d < edges[b]) {
        b--;
    }
    else if (b + 1 < n_bins && d >= edges[b + 1]) {
        b++;
    }
    return b;
}

void
bc_correlogram_counts(const double *t1, bc_count n1, const double *t2,
                      bc_count n2, double width, const double *edges,
                      bc_index n_bins, int64_t *counts)
{
    assert(n_bins >= 1);
    double inv_bin = (double)n_bins / (edges[n_bins] - edges[0]);
    bc_count lo = 0, hi = 0;
    for (bc_count a = 0; a < n1; a++) {
        double t = t1[a];
        while (lo < n2 && t2[lo] < t - width) {
            lo++;
        }
        if (hi < lo) {
            hi = lo;
        }
        while (hi < n2 && t2[hi] < t + width) {
            hi++;
        }
        for (bc_count k = lo; k < hi; k++) {
            bc_index b = lag_bin(t2[k] - t, edges, n_bins, inv_bin);
            if (b >= 0) {
                counts[b]++;
            }
        }
    }
}

double
bc_windowed_pair_sum(const double *t1, bc_count n1, const double *t2,
                     bc_count n2, double width, double T)
{
    double sum = 0.0;
    bc_count lo = 0, hi = 0;
    for (bc_count a = 0; a < n1; a++) {
        double t = t1[a];
        while (lo < n2 && t2[lo] < t - width) {
            lo++;
        }
        if (hi < lo) {
            hi = lo;
        }
        while (hi < n2 && t2[hi] < t + width) {
            hi++;
        }
        for (bc_count k = lo; k < hi; k++) {
            sum += 1.0 / (T - fabs(t2[k] - t));
        }
    }
    return sum;
}

/* Adds w times the traces to row i of the (not yet symmetric) Gram
 * matrix. */
static void
add_row(double *restrict row, const double *restrict trace, bc_index n,
        double w)
{
    for (bc_index j = 0; j < n; j++) {
        row[j] += w * trace[j];
    }
}

bc_status
bc_van_rossum_gram(bc_index n_neurons, bc_count n_spikes,
                   const bc_index *neuron, const bc_step *step,
                   bc_step n_steps, double q, double *gram, double *trace)
{
    if (n_neurons < 0 || n_spikes < 0 || n_steps < 0 || !(q > 0.0) ||
        !(q < 1.0)) {
        return BC_EINVAL;
    }
    for (bc_count k = 0; k < n_spikes; k++) {
        if (neuron[k] < 0 || neuron[k] >= n_neurons || step[k] < 0 ||
            step[k] >= n_steps || (k > 0 && step[k] < step[k - 1])) {
            return BC_EINVAL;
        }
    }
    size_t n = (size_t)n_neurons;
    for (size_t j = 0; j < n; j++) {
        trace[j] = 0.0;
    }
    /* Pairs of spikes (a of i, b of j) contribute q^|sa - sb| times
     * c(s) = sum over steps from s = max(sa, sb) to the end of q^(2m):
     * when a spike of i at s is reached, its row gets c(s) times the
     * traces, which hold every earlier spike's q^(s - sb).  Same-step
     * pairs enter both rows with half their weight, so the symmetrised
     * sum below counts each pair once. */
    double one_minus_q2 = 1.0 - q * q;
    bc_step current = 0;
    bc_count k0 = 0;
    while (k0 < n_spikes) {
        bc_step s = step[k0];
        bc_count k1 = k0;
        while (k1 < n_spikes && step[k1] == s) {
            k1++;
        }
        if (s > current) {
            double decay = pow(q, (double)(s - current));
            for (size_t j = 0; j < n; j++) {
                trace[j] *= decay;
            }
            current = s;
        }
        for (bc_count k = k0; k < k1; k++) {
            trace[neuron[k]] += 0.5;
        }
        double c = (1.0 - pow(q, 2.0 * (double)(n_steps - s))) /
                   one_minus_q2;
        for (bc_count k = k0; k < k1; k++) {
            add_row(gram + (size_t)neuron[k] * n, trace, n_neurons, c);
        }
        for (bc_count k = k0; k < k1; k++) {
            trace[neuron[k]] += 0.5;
        }
        k0 = k1;
    }
    for (size_t i = 0; i < n; i++) {
        gram[i * n + i] *= 2.0;
        for (size_t j = i + 1; j < n; j++) {
            double g = gram[i * n + j] + gram[j * n + i];
            gram[i * n + j] = g;
            gram[j * n + i] = g;
        }
    }
    return BC_OK;
}
