/* sparse_inhibitory.c -- hand-written C baseline of
 * demos/sparse_inhibitory.py: 5000*scale noisy LIF neurons (forward Euler),
 * inhibitory recurrent input with C = 1000 synapses per neuron and a 2 ms
 * delay kept as a ring of dense input arrays; prints one JSON line. */
#include "models.h"

int
main(int argc, char **argv)
{
    bl_args a = bl_parse_args(argc, argv, 100.0);
    double t0 = bl_now();
    int32_t n = (int32_t)lround(5000 * a.scale);
    double p = 1000.0 / n;
    int32_t delay = (int32_t)lround(2e-3 / BL_DT);
    int32_t n_slots = delay + 1;
    bl_rng rng = {bl_mix64(a.seed)};
    bl_noisy par = bl_noisy_params(BL_DT);

    double *v = bl_alloc(sizeof(double) * (size_t)n);
    double *z = bl_alloc(sizeof(double) * (size_t)n);
    int32_t *refr = bl_alloc(sizeof(int32_t) * (size_t)n);
    uint8_t *flag = bl_alloc((size_t)n);
    int32_t *spikes = bl_alloc(sizeof(int32_t) * (size_t)n);
    /* slot s % n_slots holds the input arriving at step s */
    double *ring = bl_alloc(sizeof(double) * (size_t)n * (size_t)n_slots);
    for (int32_t i = 0; i < n; i++) {
        v[i] = par.v_reset;
    }
    bl_csr conn;
    bl_csr_random(&conn, n, n, p, -0.1e-3, &rng);
    uint64_t noise_key = bl_next(&rng);
    bl_record rec = {0};
    double t1 = bl_now();

    int64_t n_steps = llround(a.duration_ms * 1e-3 / BL_DT);
    for (int64_t step = 0; step < n_steps; step++) {
        bl_fill_normals(z, n, noise_key, step);
        double *now = ring + (size_t)(step % n_slots) * (size_t)n;
        bl_noisy_update(&par, n, v, refr, z, now, flag);
        int32_t ns = bl_collect(flag, n, spikes);
        double *later = ring + (size_t)((step + delay) % n_slots) * (size_t)n;
        bl_csr_propagate(&conn, spikes, ns, later);
        bl_noisy_reset(&par, spikes, ns, v, refr);
        bl_record_push(&rec, spikes, ns, step);
    }
    double t2 = bl_now();
    bl_print_result("sparse_inhibitory", &a, n, t1 - t0, t2 - t1, rec.n,
                    conn.row_start[n]);
    bl_csr_free(&conn);
    free(v), free(z), free(refr), free(flag), free(spikes), free(ring);
    free(rec.index), free(rec.step);
    return 0;
}
