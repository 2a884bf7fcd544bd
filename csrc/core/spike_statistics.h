/* spike_statistics.h -- C core: statistics of recorded spike trains that
 * would need a loop over spikes in Python (interval moments, correlogram
 * counts, windowed pair sums, van Rossum Gram matrix).  Plain C11; every
 * train is an ascending array of times in seconds (or of steps). */
#ifndef BC_SPIKE_STATISTICS_H
#define BC_SPIKE_STATISTICS_H

#include "types.h"

/* Sum of (t[k+1] - t[k] - mean)^2 over the n - 1 intervals of t into
 * *sum_sq, and the number of negative intervals into *n_decreasing (0 for
 * an ascending train).  n >= 2. */
void bc_isi_deviation(const double *t, bc_count n, double mean,
                      double *sum_sq, bc_count *n_decreasing);

/* Cross-correlogram counts: for every t in t1, the lags d = u - t of the
 * u in t2 with t - width <= u < t + width, binned by the ascending edges
 * (n_bins + 1 of them, uniform, left-closed, the last bin closed on both
 * sides as NumPy's histogram does); lags outside the edges are dropped.
 * counts (n_bins entries) is added to, not cleared. */
void bc_correlogram_counts(const double *t1, bc_count n1, const double *t2,
                           bc_count n2, double width, const double *edges,
                           bc_index n_bins, int64_t *counts);

/* Sum over the same pairs as bc_correlogram_counts of 1 / (T - |u - t|),
 * the windowed coincidence count of total_correlation. */
double bc_windowed_pair_sum(const double *t1, bc_count n1, const double *t2,
                            bc_count n2, double width, double T);

/* Gram matrix of exponentially filtered spike trains sampled once per
 * step: gram[i * n_neurons + j] = sum over steps s in [0, n_steps) of
 * x_i(s) x_j(s), where x_i(s) = sum over spikes of i at steps
 * k <= s of q^(s - k).  Spikes are (neuron[k], step[k]) in ascending step
 * order, steps in [0, n_steps), neurons in [0, n_neurons); 0 < q < 1.
 * gram (n_neurons^2, zeroed by the caller) and trace (n_neurons, scratch)
 * are the caller's.  BC_EINVAL on unsorted or out-of-range spikes. */
bc_status bc_van_rossum_gram(bc_index n_neurons, bc_count n_spikes,
                             const bc_index *neuron, const bc_step *step,
                             bc_step n_steps, double q, double *gram,
                             double *trace);

#endif
