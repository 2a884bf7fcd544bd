/* poisson_input.c -- C core: PoissonInput's per-step binomial draws. */
#include "poisson_input.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* Sub-streams of the input's block. */
enum {
    SUB_EVENTS = 0,     /* Binomial(N, p) per target (index = neuron) */
    SUB_JITTER = 1,     /* Exp delays (index = copy * n + neuron) */
    SUB_RELIABLE = 2    /* Binomial(copies, alpha) (index 0) */
};

/* Delays beyond this many steps never arrive within any run. */
#define MAX_DELAY_STEPS 1e15

bc_status
bc_poisson_input_init(bc_poisson_input *in, bc_group *target,
                      bc_index origin, bc_index n, int32_t var,
                      int64_t n_sources, double p, double weight,
                      bc_poisson_mode mode, int32_t copies,
                      double jitter_steps, double reliability,
                      uint64_t seed, uint64_t stream, int record)
{
    memset(in, 0, sizeof(*in));
    bc_buffer_init(&in->rec_index, sizeof(bc_index));
    bc_buffer_init(&in->rec_step, sizeof(bc_step));
    if (origin < 0 || n < 0 || origin > target->n - n ||
        var < 0 || var >= target->n_vars) {
        return BC_ERANGE;
    }
    if (n_sources < 0 || !(p >= 0.0 && p <= 1.0) || copies < 0 ||
        !(jitter_steps >= 0.0) ||
        !(reliability >= 0.0 && reliability <= 1.0) ||
        (int)mode < 0 || mode > BC_POISSON_RELIABILITY) {
        return BC_EINVAL;
    }
    in->target = target;
    in->origin = origin;
    in->n = n;
    in->var = var;
    in->n_sources = n_sources;
    in->p = p;
    in->weight = weight;
    in->mode = mode;
    in->copies = copies;
    in->jitter_steps = jitter_steps;
    in->reliability = reliability;
    in->seed = seed;
    in->stream = stream;
    in->record = record != 0;
    if (mode == BC_POISSON_JITTER) {
        size_t count = (size_t)copies * (size_t)n;
        in->arrival = malloc((count > 0 ? count : 1) * sizeof(bc_step));
        if (in->arrival == NULL) {
            return BC_ENOMEM;
        }
    }
    bc_poisson_input_clear(in);
    return BC_OK;
}

void
bc_poisson_input_free(bc_poisson_input *in)
{
    free(in->arrival);
    in->arrival = NULL;
    bc_buffer_free(&in->rec_index);
    bc_buffer_free(&in->rec_step);
}

void
bc_poisson_input_clear(bc_poisson_input *in)
{
    if (in->arrival != NULL) {
        size_t count = (size_t)in->copies * (size_t)in->n;
        for (size_t k = 0; k < count; k++) {
            in->arrival[k] = BC_NEVER;
        }
    }
    bc_buffer_clear(&in->rec_index);
    bc_buffer_clear(&in->rec_step);
}

static bc_status
add_record(bc_poisson_input *in, bc_index i, bc_step step)
{
    if (bc_buffer_reserve(&in->rec_index, 1) != BC_OK ||
        bc_buffer_reserve(&in->rec_step, 1) != BC_OK) {
        return BC_ENOMEM;
    }
    ((bc_index *)in->rec_index.data)[in->rec_index.length++] = i;
    ((bc_step *)in->rec_step.data)[in->rec_step.length++] = step;
    return BC_OK;
}

/* One event of neuron i at `step`: draw the arrival of each copy. */
static void
schedule_copies(bc_poisson_input *in, bc_index i, bc_step step)
{
    for (int32_t c = 0; c < in->copies; c++) {
        double delay = 0.0;
        if (in->jitter_steps > 0.0) {
            uint64_t index = (uint64_t)c * (uint64_t)in->n + (uint64_t)i;
            double u = bc_rng_uniform(in->seed, in->stream + SUB_JITTER,
                                      step, index);
            delay = fmin(-in->jitter_steps * log(u), MAX_DELAY_STEPS);
        }
        /* Brian 1 fires a copy in the step within dt/2 of its time. */
        in->arrival[(size_t)c * (size_t)in->n + (size_t)i] =
            step + (bc_step)nearbyint(delay);
    }
}

/* k[j] ~ Binomial(n_sources, p) for neurons start + j, j < len: for small
 * means, inversion of the CDF on a vectorised block of uniforms (the
 * expected number of terms is 1 + mean); otherwise the generator's own
 * binomial draw. */
static void
binomial_block(const bc_poisson_input *in, bc_step step, bc_index start,
               bc_index len, int64_t *k)
{
    uint64_t events = in->stream + SUB_EVENTS;
    int64_t n = in->n_sources;
    double p = in->p;
    int flip = p > 0.5;
    double q = flip ? 1.0 - p : p;
    if (n == 0 || q == 0.0 || (double)n * q >= 16.0) {
        for (bc_index j = 0; j < len; j++) {
            k[j] = bc_rng_binomial(in->seed, events, step,
                                   (uint64_t)(start + j), n, p);
        }
        return;
    }
    double u[BC_BLOCK];
    double p0 = exp((double)n * log1p(-q));     /* P(K = 0) */
    double odds = q / (1.0 - q);
    bc_rng_uniform_block(in->seed, events, step, (uint64_t)start, len, u);
    for (bc_index j = 0; j < len; j++) {
        int64_t m = 0;
        double pk = p0, cdf = p0;
        while (u[j] > cdf && m < n) {
            pk *= (double)(n - m) / (double)(m + 1) * odds;
            m++;
            cdf += pk;
        }
        k[j] = flip ? n - m : m;
    }
}

bc_status
bc_poisson_input_run(void *object, bc_step step)
{
    bc_poisson_input *in = object;
    bc_group *g = in->target;
    double *x = g->state + (size_t)in->var * (size_t)g->n + in->origin;
    uint64_t events = in->stream + SUB_EVENTS;
    bc_index n = in->n;
    switch (in->mode) {
    case BC_POISSON_FROZEN: {
        int64_t k = bc_rng_binomial(in->seed, events, step, 0,
                                    in->n_sources, in->p);
        double w = in->weight * (double)k;
        for (bc_index i = 0; i < n; i++) {
            x[i] += w;
        }
        if (k > 0) {
            return add_record(in, -1, step);
        }
        break;
    }
    case BC_POISSON_PLAIN:
    case BC_POISSON_RELIABILITY: {
        double w = in->weight;
        if (in->mode == BC_POISSON_RELIABILITY) {
            if (in->copies == 0 || in->reliability == 0.0) {
                break;
            }
            w *= (double)bc_rng_binomial(in->seed,
                                         in->stream + SUB_RELIABLE, step, 0,
                                         in->copies, in->reliability);
        }
        int64_t k[BC_BLOCK];
        for (bc_index start = 0; start < n; start += BC_BLOCK) {
            bc_index len = n - start < BC_BLOCK ? n - start : BC_BLOCK;
            binomial_block(in, step, start, len, k);
            for (bc_index j = 0; j < len; j++) {
                x[start + j] += w * (double)k[j];
            }
            for (bc_index j = 0; in->record && j < len; j++) {
                if (k[j] > 0 && add_record(in, start + j, step) != BC_OK) {
                    return BC_ENOMEM;
                }
            }
        }
        break;
    }
    case BC_POISSON_JITTER: {
        if (in->copies == 0 || in->p == 0.0) {
            break;
        }
        for (bc_index i = 0; i < n; i++) {
            int64_t k = bc_rng_binomial(in->seed, events, step,
                                        (uint64_t)i, in->n_sources, in->p);
            if (k > 0) {
                schedule_copies(in, i, step);
                if (in->record && add_record(in, i, step) != BC_OK) {
                    return BC_ENOMEM;
                }
            }
            int64_t due = 0;
            for (int32_t c = 0; c < in->copies; c++) {
                due += in->arrival[(size_t)c * (size_t)n + (size_t)i] ==
                       step;
            }
            x[i] += in->weight * (double)due;
        }
        break;
    }
    }
    return BC_OK;
}
