/* test_neuron_group.c -- C tests of the group core: strict thresholds,
 * the threshold's compaction at every density, refractory suppression
 * and clamping (Brian 1's step counts), variable refractoriness, spikes
 * installed from outside, the spike history, and the monitors that read
 * a group. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "neuron_group.h"
#include "spike_monitor.h"
#include "state_monitor.h"

/* One step of a group whose only variable is set by the test. */
static bc_index
step_with(bc_group *g, double *x, const double *values, bc_step step)
{
    memcpy(x, values, (size_t)g->n * sizeof(double));
    bc_group_update(g, step, NULL);
    bc_index k;
    bc_group_spikes(g, 0, &k);
    bc_group_reset(g, step);
    return k;
}

static void
test_free_zeroed_and_bad_init(void)
{
    bc_group g;
    memset(&g, 0, sizeof(g));
    bc_group_free(&g);                  /* safe on a zeroed struct */
    double x[1];
    CHECK(bc_group_init(&g, 0, 1, x, 1e-4, 0, 0) == BC_EINVAL);
    CHECK(bc_group_init(&g, 1, 1, x, 0.0, 0, 0) == BC_EINVAL);
    bc_group_free(&g);
}

static void
test_strict_scalar_threshold(void)
{
    double x[3] = {0};
    bc_group g;
    CHECK(bc_group_init(&g, 3, 1, x, 1e-4, 1, 0) == BC_OK);
    g.threshold_kind = BC_THRESHOLD_SCALAR;
    g.threshold_value = 1.0;
    const double v[3] = {1.0, 1.5, 0.5};
    CHECK(step_with(&g, x, v, 0) == 1);
    bc_index k;
    const bc_index *s = bc_group_spikes(&g, 0, &k);
    CHECK(k == 1 && s[0] == 1);
    bc_group_free(&g);
}

/* Spikes of 1003 neurons (not a whole number of the threshold's chunks)
 * at densities from none to all, against the scalar and the variable
 * threshold written out: same neurons, ascending.  NaNs never spike. */
static void
test_threshold_compaction_at_every_density(void)
{
    enum { N = 1003 };
    double x[2 * N];
    bc_group g;
    CHECK(bc_group_init(&g, N, 2, x, 1e-4, 1, 0) == BC_OK);
    uint32_t h = 12345u;
    int ok = 1;
    for (int variable = 0; variable < 2; variable++) {
        g.threshold_kind = variable ? BC_THRESHOLD_VARIABLE
                                    : BC_THRESHOLD_SCALAR;
        g.threshold_var = 0;
        g.threshold_var2 = 1;
        g.threshold_value = 0.5;
        static const double density[6] = {0.0, 0.001, 0.01, 0.1, 0.6, 1.0};
        for (int d = 0; d < 6; d++) {
            for (bc_index i = 0; i < N; i++) {
                h = h * 1664525u + 1013904223u;
                double u = (double)(h >> 8) / 16777216.0;
                x[N + i] = variable ? 0.25 + 0.5 * u : 0.0;
                double theta = variable ? x[N + i] : 0.5;
                x[i] = u < density[d] ? theta + 0.125 : theta;
                x[i] = i % 97 == 5 && d > 0 ? NAN : x[i];
            }
            bc_index want[N], n_want = 0;
            for (bc_index i = 0; i < N; i++) {
                if (x[i] > (variable ? x[N + i] : 0.5)) {
                    want[n_want++] = i;
                }
            }
            bc_group_update(&g, 2 * d + variable, NULL);
            bc_index k;
            const bc_index *got = bc_group_spikes(&g, 0, &k);
            ok &= k == n_want &&
                  (k == 0 || memcmp(got, want, (size_t)k * sizeof(bc_index))
                                 == 0);
        }
    }
    CHECK(ok);
    bc_group_free(&g);
}

/* A neuron always above threshold with a scalar reset: suppression lets
 * a spike through every `suppress` steps; the clamp holds the reset
 * value for clamp reset phases. */
static void
test_refractory_suppression_and_clamp(void)
{
    double x[1] = {0};
    bc_group g;
    CHECK(bc_group_init(&g, 1, 1, x, 1e-4, 1, 0) == BC_OK);
    g.threshold_kind = BC_THRESHOLD_SCALAR;
    g.threshold_value = 0.5;
    g.reset_kind = BC_RESET_SCALAR;
    g.reset_value = -1.0;
    CHECK(bc_group_set_fixed_refractory(&g, 20, 21) == BC_OK);
    int spikes[60];
    double after[60];
    const double high = 1.0;
    for (bc_step n = 0; n < 60; n++) {
        spikes[n] = step_with(&g, x, &high, n) == 1;
        after[n] = x[0];
    }
    int ok = 1;
    for (bc_step n = 0; n < 60; n++) {
        ok &= spikes[n] == (n % 20 == 0);
        /* every step is within 21 phases of a spike here */
        ok &= after[n] == -1.0;
    }
    CHECK(ok);
    CHECK(bc_group_set_fixed_refractory(&g, -1, 0) == BC_EINVAL);
    bc_group_free(&g);
}

/* The clamp holds the same neurons whether it walks the window's spike
 * lists (few held) or every neuron's last spike (many held): a run whose
 * firing goes from sparse to dense and back, against the held set kept
 * by hand (suppression and clamp of 10 steps). */
static void
test_clamp_sparse_and_dense_firing(void)
{
    enum { N = 64, STEPS = 90, PERIOD = 10 };
    double x[N] = {0};
    bc_group g;
    CHECK(bc_group_init(&g, N, 1, x, 1e-4, 1, 0) == BC_OK);
    g.threshold_kind = BC_THRESHOLD_SCALAR;
    g.threshold_value = 0.5;
    g.reset_kind = BC_RESET_SCALAR;
    g.reset_value = -1.0;
    CHECK(bc_group_set_fixed_refractory(&g, PERIOD, PERIOD) == BC_OK);
    bc_step last[N];
    for (int i = 0; i < N; i++) {
        last[i] = -1000;
    }
    int ok = 1;
    for (bc_step n = 0; n < STEPS; n++) {
        int dense = n >= 30 && n < 60;
        double in[N];
        for (int i = 0; i < N; i++) {
            int high = dense ? (i * 7 + n) % 3 != 0 : (i < 3 && n % 4 == 0);
            in[i] = high ? 1.0 : 0.25 + 0.001 * i;
            if (high && n - last[i] >= PERIOD) {
                last[i] = n;
            }
        }
        step_with(&g, x, in, n);
        for (int i = 0; i < N; i++) {
            ok &= x[i] == (n - last[i] < PERIOD ? -1.0 : in[i]);
        }
    }
    CHECK(ok);
    bc_group_free(&g);
}

static void
test_variable_refractoriness(void)
{
    double state[2][2] = {{0, 0}, {0.75e-3, 1.55e-3}};
    bc_group g;
    CHECK(bc_group_init(&g, 2, 2, &state[0][0], 1e-4, 1, 0) == BC_OK);
    g.threshold_kind = BC_THRESHOLD_SCALAR;
    g.threshold_value = 0.5;
    g.reset_kind = BC_RESET_SCALAR;
    g.reset_value = 0.0;
    CHECK(bc_group_set_variable_refractory(&g, 1, NULL, 16) == BC_OK);
    int first_again[2] = {-1, -1};
    for (bc_step n = 0; n < 30; n++) {
        const double high[2] = {1.0, 1.0};
        memcpy(state[0], high, sizeof(high));
        bc_group_update(&g, n, NULL);
        bc_index k;
        const bc_index *s = bc_group_spikes(&g, 0, &k);
        for (bc_index j = 0; j < k; j++) {
            if (n > 0 && first_again[s[j]] < 0) {
                first_again[s[j]] = (int)n;
            }
        }
        bc_group_reset(&g, n);
    }
    /* next_allowed = t + R: ceil(7.5) = 8 and ceil(15.5) = 16 steps */
    CHECK(first_again[0] == 8 && first_again[1] == 16);
    /* a copied array of periods works alike */
    const double periods[2] = {0.75e-3, 0.75e-3};
    CHECK(bc_group_set_variable_refractory(&g, -1, periods, 8) == BC_OK);
    CHECK(bc_group_set_variable_refractory(&g, 5, NULL, 8) == BC_EINVAL);
    CHECK(bc_group_set_fixed_refractory(&g, 0, 0) == BC_OK);
    CHECK(g.next_allowed == NULL);
    bc_group_free(&g);
}

static void
test_replace_spikes_applies_the_filter(void)
{
    double x[4] = {0};
    bc_group g;
    CHECK(bc_group_init(&g, 4, 1, x, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_set_fixed_refractory(&g, 3, 0) == BC_OK);
    const bc_index mine[2] = {1, 3};
    bc_index k;
    bc_group_update(&g, 0, NULL);
    CHECK(bc_group_replace_spikes(&g, 0, mine, 2) == BC_OK);
    const bc_index *s = bc_group_spikes(&g, 0, &k);
    CHECK(k == 2 && s[0] == 1 && s[1] == 3);
    bc_group_update(&g, 1, NULL);
    const bc_index again[3] = {0, 1, 2};
    CHECK(bc_group_replace_spikes(&g, 1, again, 3) == BC_OK);
    s = bc_group_spikes(&g, 0, &k);
    CHECK(k == 2 && s[0] == 0 && s[1] == 2);   /* 1 is refractory */
    s = bc_group_spikes(&g, 1, &k);
    CHECK(k == 2 && s[0] == 1);                /* history intact */
    const bc_index unsorted[2] = {2, 1};
    CHECK(bc_group_replace_spikes(&g, 1, unsorted, 2) == BC_EINVAL);
    const bc_index outside[1] = {4};
    CHECK(bc_group_replace_spikes(&g, 1, outside, 1) == BC_EINVAL);
    bc_group_free(&g);
}

static void
test_history_grows_keeping_old_spikes(void)
{
    double x[2] = {0};
    bc_group g;
    CHECK(bc_group_init(&g, 2, 1, x, 1e-4, 1, 0) == BC_OK);
    g.threshold_kind = BC_THRESHOLD_SCALAR;
    g.threshold_value = 0.5;
    const double a[2] = {1, 0}, b[2] = {0, 1};
    step_with(&g, x, a, 0);
    step_with(&g, x, b, 1);
    CHECK(bc_group_reserve_history(&g, 10) == BC_OK);
    bc_index k;
    const bc_index *s = bc_group_spikes(&g, 1, &k);
    CHECK(k == 1 && s[0] == 0);
    s = bc_group_spikes(&g, 0, &k);
    CHECK(k == 1 && s[0] == 1);
    bc_group_reset_history(&g);
    bc_group_spikes(&g, 0, &k);
    CHECK(k == 0);
    bc_group_free(&g);
}

static void
test_empirical_threshold_blocks_r_steps(void)
{
    double x[1] = {1.0};
    bc_group g;
    CHECK(bc_group_init(&g, 1, 1, x, 1e-4, 1, 0) == BC_OK);
    g.threshold_kind = BC_THRESHOLD_EMPIRICAL;
    g.threshold_value = 0.0;
    g.empirical_steps = 4;
    int ok = 1;
    for (bc_step n = 0; n < 16; n++) {
        bc_group_update(&g, n, NULL);
        bc_index k;
        bc_group_spikes(&g, 0, &k);
        ok &= k == (n % 5 == 0);
    }
    CHECK(ok);
    bc_group_free(&g);
}

static void
test_monitors_ring_and_values(void)
{
    double state[2][3] = {{0, 0, 0}, {10, 20, 30}};
    bc_group g;
    CHECK(bc_group_init(&g, 3, 2, &state[0][0], 1e-4, 1, 0) == BC_OK);
    g.threshold_kind = BC_THRESHOLD_SCALAR;
    g.threshold_value = 0.5;
    bc_state_monitor sm;
    const bc_index rec[2] = {0, 2};
    CHECK(bc_state_monitor_init(&sm, &g, 0, 3, 1, 2, rec, 1, 0) == BC_OK);
    CHECK(bc_state_monitor_set_capacity(&sm, 3) == BC_OK);
    bc_spike_monitor spm;
    CHECK(bc_spike_monitor_init(&spm, &g, 1, 2, 0, 1, 0, 0) == BC_OK);
    const int32_t rows[2] = {1, 0};
    CHECK(bc_spike_monitor_set_vars(&spm, 2, rows) == BC_OK);
    for (bc_step n = 0; n < 5; n++) {
        state[1][0] = (double)n;
        state[0][2] = n == 3 ? 1.0 : 0.0;
        bc_group_update(&g, n, NULL);
        CHECK(bc_spike_monitor_record(&spm, n) == BC_OK);
        CHECK(bc_state_monitor_record(&sm, n) == BC_OK);
    }
    /* ring of 3: samples 3, 4 overwrote 0, 1; the oldest is 2 */
    const bc_step *steps = sm.steps.data;
    CHECK(sm.steps.length == 3 && sm.ring_next == 2);
    CHECK(steps[0] == 3 && steps[1] == 4 && steps[2] == 2);
    const double *v = sm.values.data;
    CHECK(v[0] == 3.0 && v[1] == 30.0 && v[4] == 2.0);
    /* the spike of neuron 2 (local 1) at step 3 with rows 1 and 0 */
    CHECK(spm.index.length == 1 && ((bc_index *)spm.index.data)[0] == 1);
    const double *sv = spm.values.data;
    CHECK(spm.values.length == 2 && sv[0] == 30.0 && sv[1] == 1.0);
    const int32_t bad[1] = {2};
    CHECK(bc_spike_monitor_set_vars(&spm, 1, bad) == BC_ERANGE);
    bc_state_monitor_free(&sm);
    bc_spike_monitor_free(&spm);
    bc_group_free(&g);
}

static void
test_schedule_bounds_and_repeats(void)
{
    bc_group g;
    CHECK(bc_group_init(&g, 2, 0, NULL, 1e-4, 1, 0) == BC_OK);
    /* Three spikes in one step of a 2-neuron group: more than a step's
     * spike list holds. */
    bc_step steps3[3] = {4, 4, 4};
    bc_index idx3[3] = {0, 1, 1};
    CHECK(bc_group_set_schedule(&g, 3, steps3, idx3, 0) == BC_ERANGE);
    bc_index bad[1] = {2};
    CHECK(bc_group_set_schedule(&g, 1, steps3, bad, 0) == BC_ERANGE);
    bc_step unsorted[2] = {5, 4};
    CHECK(bc_group_set_schedule(&g, 2, unsorted, idx3, 0) == BC_EINVAL);
    /* A neuron twice in one step fires twice; the period repeats. */
    bc_step steps[3] = {1, 1, 3};
    bc_index idx[3] = {1, 1, 0};
    CHECK(bc_group_set_schedule(&g, 3, steps, idx, 5) == BC_OK);
    int fired[12] = {0};
    for (bc_step s = 0; s < 12; s++) {
        bc_group_update(&g, s, NULL);
        bc_index n;
        bc_group_spikes(&g, 0, &n);
        fired[s] = n;
    }
    CHECK(fired[0] == 0 && fired[1] == 2 && fired[3] == 1);
    CHECK(fired[6] == 2 && fired[8] == 1 && fired[11] == 2);
    CHECK(fired[2] == 0 && fired[4] == 0 && fired[5] == 0);
    /* The clock set back: the schedule is replayed from that step, in
     * any period (the spikes are a function of the step alone). */
    int again[3];
    bc_step back[3] = {1, 3, 11};
    for (int k = 0; k < 3; k++) {
        bc_group_update(&g, back[k], NULL);
        bc_index n;
        bc_group_spikes(&g, 0, &n);
        again[k] = n;
    }
    CHECK(again[0] == 2 && again[1] == 1 && again[2] == 2);
    bc_group_update(&g, 6, NULL);       /* back again, mid-period */
    bc_index n6;
    bc_group_spikes(&g, 0, &n6);
    CHECK(n6 == 2);
    bc_group_free(&g);
}

static void
test_restoring_records_and_spiking_state(void)
{
    double state[1][3] = {{0, 0, 0}};
    bc_group g;
    CHECK(bc_group_init(&g, 3, 1, &state[0][0], 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_reserve_history(&g, 3) == BC_OK);
    /* Spikes: local 0 and 2 one step ago, 1 now; ascending per step. */
    bc_step last[3] = {7, 8, 7};
    bc_index counts[3] = {1, 2, 0};
    bc_index idx[3] = {1, 0, 2};
    CHECK(bc_group_restore_spikes(&g, last, NULL, 3, counts, idx) == BC_OK);
    bc_index n;
    const bc_index *s = bc_group_spikes(&g, 1, &n);
    CHECK(n == 2 && s[0] == 0 && s[1] == 2);
    s = bc_group_spikes(&g, 0, &n);
    CHECK(n == 1 && s[0] == 1 && g.last_spike[1] == 8);
    bc_index unsorted[3] = {1, 2, 0};
    CHECK(bc_group_restore_spikes(&g, last, NULL, 3, counts, unsorted) ==
          BC_ERANGE);
    CHECK(bc_group_restore_spikes(&g, last, NULL, 4, counts, idx) ==
          BC_EINVAL);                   /* more steps than the history */
    double allowed[3] = {0, 0, 0};
    CHECK(bc_group_restore_spikes(&g, last, allowed, 1, counts, idx) ==
          BC_EINVAL);                   /* no variable refractoriness */

    bc_spike_monitor spm;
    CHECK(bc_spike_monitor_init(&spm, &g, 0, 3, 0, 1, 1, 4) == BC_OK);
    bc_step steps[2] = {5, 6};
    int64_t count[3] = {1, 0, 1}, bins[1] = {2};
    bc_step starts[1] = {4};
    bc_spike_record r = {.n_spikes = 2, .index = idx + 1, .step = steps,
                         .count = count, .total = 2, .n_bins = 1,
                         .bins = bins, .bin_start = starts, .bin_count = 0,
                         .bin_fill = 1, .open_bin_start = 8};
    CHECK(bc_spike_monitor_restore(&spm, &r) == BC_OK);
    CHECK(spm.index.length == 2 && spm.total == 2 && spm.count[2] == 1);
    CHECK(spm.bins.length == 1 && spm.bin_fill == 1);
    r.bin_fill = 4;                     /* a bin is only 4 steps long */
    CHECK(bc_spike_monitor_restore(&spm, &r) == BC_ERANGE);
    r.bin_fill = 1;
    bc_index out_of_range[2] = {0, 3};   /* neuron 3 of 3 */
    r.index = out_of_range;
    CHECK(bc_spike_monitor_restore(&spm, &r) == BC_ERANGE);

    bc_state_monitor sm;
    const bc_index rec[1] = {2};
    CHECK(bc_state_monitor_init(&sm, &g, 0, 3, 0, 1, rec, 2, 0) == BC_OK);
    CHECK(bc_state_monitor_set_capacity(&sm, 2) == BC_OK);
    double values[3] = {1.0, 2.0, 3.0};
    bc_step at[3] = {0, 2, 4};
    bc_state_record sr = {.samples = 3, .values = values, .steps = at,
                          .calls = 5};
    CHECK(bc_state_monitor_restore(&sm, &sr) == BC_ERANGE);   /* 3 > 2 */
    sr.samples = 2;
    CHECK(bc_state_monitor_restore(&sm, &sr) == BC_OK);
    state[0][2] = 9.0;
    CHECK(bc_state_monitor_record(&sm, 5) == BC_OK);    /* call 5: skip */
    CHECK(bc_state_monitor_record(&sm, 6) == BC_OK);    /* call 6: ring */
    const double *v = sm.values.data;
    CHECK(sm.ring_next == 1 && v[0] == 9.0 && v[1] == 2.0);
    bc_state_monitor_free(&sm);
    bc_spike_monitor_free(&spm);
    bc_group_free(&g);
}

/* Spikes of steps 0..n_steps-1 of a Poisson group of 1000 neurons run
 * over [begin, end), appended to out; their number. */
static bc_index
poisson_spikes(bc_index begin, bc_index end, const double *rates,
               int n_steps, bc_index *out)
{
    enum { N = 1000 };
    double *x = calloc(N, sizeof(double));
    memcpy(x, rates, N * sizeof(double));
    bc_group g;
    CHECK(bc_group_init(&g, N, 1, x, 1e-3, 7, 256) == BC_OK);
    g.threshold_kind = BC_THRESHOLD_POISSON;
    CHECK(bc_group_set_local_range(&g, begin, end) == BC_OK);
    bc_index total = 0;
    for (int s = 0; s < n_steps; s++) {
        bc_group_update(&g, s, NULL);
        bc_index k;
        const bc_index *sp = bc_group_spikes(&g, 0, &k);
        for (bc_index j = 0; j < k; j++) {
            CHECK(sp[j] >= begin && sp[j] < end);
            out[total++] = sp[j] + s * N;
        }
    }
    bc_group_free(&g);
    free(x);
    return total;
}

/* A group run as two ranges [0, 400) and [400, 1000) spikes exactly as
 * the whole group, for one rate (drawn by skips over the whole group) and
 * for rates per neuron; a bad range is refused. */
static void
test_local_range_splits_the_spikes(void)
{
    enum { N = 1000, STEPS = 20 };
    static double rates[N];
    static bc_index whole[N * STEPS], parts[N * STEPS];
    for (int kind = 0; kind < 2; kind++) {
        for (int i = 0; i < N; i++) {
            rates[i] = kind == 0 ? 20.0 : 10.0 + i;
        }
        bc_index n = poisson_spikes(0, N, rates, STEPS, whole);
        bc_index n1 = poisson_spikes(0, 400, rates, STEPS, parts);
        bc_index n2 = poisson_spikes(400, N, rates, STEPS, parts + n1);
        CHECK(n > 50 && n == n1 + n2);
        /* Sort the concatenation by (step, neuron): both halves are. */
        bc_index merged = 0, a = 0, b = n1;
        while (a < n1 || b < n1 + n2) {
            int take_a = b == n1 + n2 || (a < n1 && parts[a] < parts[b]);
            CHECK(whole[merged++] == (take_a ? parts[a++] : parts[b++]));
        }
    }
    double x[4] = {2.0, 0.0, 2.0, 2.0};
    bc_group g;
    CHECK(bc_group_init(&g, 4, 1, x, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_set_local_range(&g, 2, 1) == BC_ERANGE);
    CHECK(bc_group_set_local_range(&g, -1, 1) == BC_ERANGE);
    CHECK(bc_group_set_local_range(&g, 0, 5) == BC_ERANGE);
    g.threshold_kind = BC_THRESHOLD_SCALAR;
    g.threshold_value = 1.0;
    CHECK(bc_group_set_local_range(&g, 1, 3) == BC_OK);
    bc_group_update(&g, 0, NULL);
    bc_index k;
    const bc_index *s = bc_group_spikes(&g, 0, &k);
    CHECK(k == 1 && s[0] == 2);
    bc_group_free(&g);
}

/* Imported spikes replace a step's list unfiltered (this step's or a
 * past one's); bad lists and steps beyond the history are refused and
 * leave it alone. */
static void
test_import_spikes(void)
{
    double x[4] = {0};
    bc_group g;
    CHECK(bc_group_init(&g, 4, 1, x, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_set_fixed_refractory(&g, 100, 0) == BC_OK);
    bc_group_update(&g, 0, NULL);
    bc_index in[3] = {0, 1, 3};
    CHECK(bc_group_import_spikes(&g, 0, in, 3) == BC_OK);
    bc_index bad_order[2] = {3, 1}, bad_range[2] = {1, 4}, dup[2] = {1, 1};
    CHECK(bc_group_import_spikes(&g, 0, bad_order, 2) == BC_EINVAL);
    CHECK(bc_group_import_spikes(&g, 0, bad_range, 2) == BC_EINVAL);
    CHECK(bc_group_import_spikes(&g, 0, dup, 2) == BC_EINVAL);
    CHECK(bc_group_import_spikes(&g, 0, in, 5) == BC_EINVAL);
    bc_index k;
    const bc_index *s = bc_group_spikes(&g, 0, &k);
    CHECK(k == 3 && s[0] == 0 && s[1] == 1 && s[2] == 3);
    CHECK(g.last_spike[0] == BC_NEVER);     /* the owner marks its own */
    /* A past step: one step on, the list above is delay 1. */
    CHECK(bc_group_reserve_history(&g, 3) == BC_OK);
    bc_group_update(&g, 1, NULL);
    bc_index past[1] = {2};
    CHECK(bc_group_import_spikes(&g, 3, past, 1) == BC_ERANGE);
    CHECK(bc_group_import_spikes(&g, -1, past, 1) == BC_ERANGE);
    CHECK(bc_group_import_spikes(&g, 1, past, 1) == BC_OK);
    s = bc_group_spikes(&g, 1, &k);
    CHECK(k == 1 && s[0] == 2);
    s = bc_group_spikes(&g, 0, &k);
    CHECK(k == 0);
    bc_group_free(&g);
}

/* A split group resets only the spikes of its own range. */
static void
test_reset_acts_on_local_spikes(void)
{
    double x[6] = {1, 1, 1, 1, 1, 1};
    bc_group g;
    CHECK(bc_group_init(&g, 6, 1, x, 1e-4, 1, 0) == BC_OK);
    g.reset_kind = BC_RESET_SCALAR;
    g.reset_var = 0;
    g.reset_value = -1.0;
    CHECK(bc_group_set_local_range(&g, 2, 4) == BC_OK);
    bc_group_update(&g, 0, NULL);
    bc_index all[5] = {0, 2, 3, 4, 5};
    CHECK(bc_group_import_spikes(&g, 0, all, 5) == BC_OK);
    bc_group_reset(&g, 0);
    CHECK(x[0] == 1 && x[1] == 1 && x[2] == -1 && x[3] == -1 &&
          x[4] == 1 && x[5] == 1);
    bc_group_free(&g);
}

int
main(void)
{
    test_reset_acts_on_local_spikes();
    test_free_zeroed_and_bad_init();
    test_strict_scalar_threshold();
    test_threshold_compaction_at_every_density();
    test_refractory_suppression_and_clamp();
    test_clamp_sparse_and_dense_firing();
    test_variable_refractoriness();
    test_replace_spikes_applies_the_filter();
    test_history_grows_keeping_old_spikes();
    test_empirical_threshold_blocks_r_steps();
    test_monitors_ring_and_values();
    test_schedule_bounds_and_repeats();
    test_restoring_records_and_spiking_state();
    test_local_range_splits_the_spikes();
    test_import_spikes();
    return check_report();
}
