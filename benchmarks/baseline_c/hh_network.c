/* hh_network.c -- hand-written C baseline of demos/hh_network.py: 4000*scale
 * HH neurons (exponential Euler), conductance synapses, threshold -20 mV
 * with a 3 ms refractory period that does not clamp v; p = 0.02/scale. */
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
    bl_hh par = bl_hh_params(BL_DT);

    double *v = bl_alloc(sizeof(double) * (size_t)n);
    double *m = bl_alloc(sizeof(double) * (size_t)n);
    double *h = bl_alloc(sizeof(double) * (size_t)n);
    double *nk = bl_alloc(sizeof(double) * (size_t)n);
    double *ge = bl_alloc(sizeof(double) * (size_t)n);
    double *gi = bl_alloc(sizeof(double) * (size_t)n);
    int32_t *refr = bl_alloc(sizeof(int32_t) * (size_t)n);
    uint8_t *flag = bl_alloc((size_t)n);
    int32_t *spikes = bl_alloc(sizeof(int32_t) * (size_t)n);
    int32_t *spikes_i = bl_alloc(sizeof(int32_t) * (size_t)n);
    bl_csr ce, ci;
    bl_csr_random(&ce, n_exc, n, p, 6e-9, &rng);
    bl_csr_random(&ci, n - n_exc, n, p, 67e-9, &rng);
    /* the demo's initial state; m, h, n start at 0 as in Brian */
    for (int32_t i = 0; i < n; i++) {
        v[i] = par.el + (bl_normal(&rng) * 5 - 5) * 1e-3;
    }
    for (int32_t i = 0; i < n; i++) {
        ge[i] = (bl_normal(&rng) * 1.5 + 4) * 10e-9;
    }
    for (int32_t i = 0; i < n; i++) {
        gi[i] = (bl_normal(&rng) * 12 + 20) * 10e-9;
    }
    bl_record rec = {0};
    double t1 = bl_now();

    int64_t n_steps = llround(a.duration_ms * 1e-3 / BL_DT);
    for (int64_t step = 0; step < n_steps; step++) {
        bl_hh_update(&par, n, v, m, h, nk, ge, gi, refr, flag);
        int32_t ns = bl_collect(flag, n, spikes);
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
            refr[spikes[s]] = par.refractory;
        }
        bl_record_push(&rec, spikes, ns, step);
    }
    double t2 = bl_now();
    double v_mean = 0;
    for (int32_t i = 0; i < n; i++) {
        v_mean += v[i];
    }
    fprintf(stderr, "final mean v %.3f mV\n", 1e3 * v_mean / n);
    bl_print_result("hh_network", &a, n, t1 - t0, t2 - t1, rec.n,
                    ce.row_start[ce.n_pre] + ci.row_start[ci.n_pre]);
    bl_csr_free(&ce);
    bl_csr_free(&ci);
    free(v), free(m), free(h), free(nk), free(ge), free(gi), free(refr);
    free(flag), free(spikes), free(spikes_i), free(rec.index), free(rec.step);
    return 0;
}
