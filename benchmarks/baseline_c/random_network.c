/* random_network.c -- hand-written C baseline of demos/random_network.py:
 * 4000*scale CUBA neurons (exact propagator), 80 % excitatory, p = 0.02/scale
 * so each neuron keeps ~80 inputs; prints one JSON line. */
#include "models.h"

int
main(int argc, char **argv)
{
    bl_args a = bl_parse_args(argc, argv, 1000.0);
    double t0 = bl_now();
    int32_t n = (int32_t)lround(4000 * a.scale);
    int32_t n_exc = (int32_t)lround(3200 * a.scale);
    double p = 0.02 / a.scale;
    bl_rng rng = {bl_mix64(a.seed)};
    bl_cuba par = bl_cuba_params(BL_DT);

    double *v = bl_alloc(sizeof(double) * (size_t)n);
    double *ge = bl_alloc(sizeof(double) * (size_t)n);
    double *gi = bl_alloc(sizeof(double) * (size_t)n);
    uint8_t *flag = bl_alloc((size_t)n);
    int32_t *spikes = bl_alloc(sizeof(int32_t) * (size_t)n);
    int32_t *spikes_i = bl_alloc(sizeof(int32_t) * (size_t)n);
    for (int32_t i = 0; i < n; i++) {
        v[i] = -60e-3 + 10e-3 * bl_uniform(&rng);
    }
    bl_csr ce, ci;
    bl_csr_random(&ce, n_exc, n, p, 1.62e-3, &rng);
    bl_csr_random(&ci, n - n_exc, n, p, -9e-3, &rng);
    bl_record rec = {0};
    double t1 = bl_now();

    int64_t n_steps = llround(a.duration_ms * 1e-3 / BL_DT);
    for (int64_t step = 0; step < n_steps; step++) {
        bl_cuba_update(&par, n, v, ge, gi, flag);
        int32_t ns = bl_collect(flag, n, spikes);
        /* spikes are sorted, so the excitatory ones come first */
        int32_t ne = 0;
        while (ne < ns && spikes[ne] < n_exc) {
            ne++;
        }
        for (int32_t s = ne; s < ns; s++) {
            spikes_i[s - ne] = spikes[s] - n_exc;
        }
        bl_csr_propagate(&ce, spikes, ne, ge);
        bl_csr_propagate(&ci, spikes_i, ns - ne, gi);
        for (int32_t s = 0; s < ns; s++) {
            v[spikes[s]] = par.v_reset;
        }
        bl_record_push(&rec, spikes, ns, step);
    }
    double t2 = bl_now();
    bl_print_result("random_network", &a, n, t1 - t0, t2 - t1, rec.n,
                    ce.row_start[ce.n_pre] + ci.row_start[ci.n_pre]);
    bl_csr_free(&ce);
    bl_csr_free(&ci);
    free(v), free(ge), free(gi), free(flag), free(spikes), free(spikes_i);
    free(rec.index), free(rec.step);
    return 0;
}
