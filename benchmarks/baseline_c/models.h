/* models.h -- per-step neuron kernels of the hand-written C baselines:
 * the CUBA model of random_network (exact propagator), the noisy LIF of
 * sparse_inhibitory (forward Euler) and the HH model of hh_network
 * (exponential Euler).  State is structure-of-arrays, SI units. */
#ifndef BL_MODELS_H
#define BL_MODELS_H

#include "bench.h"

/* Indices i with flag[i] != 0, ascending; flags are scanned eight at a time
 * because spikes are rare. */
static inline int32_t
bl_collect(const uint8_t *flag, int32_t n, int32_t *out)
{
    int32_t k = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        memcpy(&word, flag + i, 8);
        if (word == 0) {
            continue;
        }
        for (int32_t j = i; j < i + 8; j++) {
            out[k] = j;
            k += flag[j] != 0;
        }
    }
    for (; i < n; i++) {
        out[k] = i;
        k += flag[i] != 0;
    }
    return k;
}

/* ---- random_network: dv/dt = (ge+gi-(v+49 mV))/20 ms, ge, gi decay ---- */

typedef struct bl_cuba {
    double p_vv, p_ve, p_vi, p_ee, p_ii;    /* one-step propagator */
    double v_rest, v_th, v_reset;           /* V */
} bl_cuba;

static inline bl_cuba
bl_cuba_params(double dt)
{
    const double tm = 20e-3, te = 5e-3, ti = 10e-3;
    bl_cuba p;
    /* u = v - v_rest obeys du/dt = (ge + gi - u)/tm; an input g e^{-t/tx}
     * contributes g tx/(tx - tm) (e^{-t/tx} - e^{-t/tm}) to u. */
    p.p_vv = exp(-dt / tm);
    p.p_ee = exp(-dt / te);
    p.p_ii = exp(-dt / ti);
    p.p_ve = te / (te - tm) * (p.p_ee - p.p_vv);
    p.p_vi = ti / (ti - tm) * (p.p_ii - p.p_vv);
    p.v_rest = -49e-3;
    p.v_th = -50e-3;
    p.v_reset = -60e-3;
    return p;
}

/* Advance every neuron one step and flag those above threshold. */
static inline void
bl_cuba_update(const bl_cuba *p, int32_t n, double *restrict v,
               double *restrict ge, double *restrict gi,
               uint8_t *restrict flag)
{
    const double pvv = p->p_vv, pve = p->p_ve, pvi = p->p_vi;
    const double pee = p->p_ee, pii = p->p_ii, vr = p->v_rest;
    const double vth = p->v_th;
    for (int32_t i = 0; i < n; i++) {
        double u = v[i] - vr;
        double vn = vr + pvv * u + pve * ge[i] + pvi * gi[i];
        v[i] = vn;
        ge[i] *= pee;
        gi[i] *= pii;
        flag[i] = vn > vth;
    }
}

/* ---- sparse_inhibitory: dV/dt = (-V + mu + sigma sqrt(tau) xi)/tau ---- */

typedef struct bl_noisy {
    double a, b, c;             /* V <- a V + b + c z, z ~ N(0, 1) */
    double v_reset, v_th;       /* V */
    int32_t refractory;         /* steps */
} bl_noisy;

static inline bl_noisy
bl_noisy_params(double dt)
{
    const double tau = 20e-3, mu = 25e-3, sigma = 1e-3;
    bl_noisy p;
    /* Euler-Maruyama: dt/tau * (mu - V) + sigma sqrt(tau)/tau sqrt(dt) z */
    p.a = 1.0 - dt / tau;
    p.b = dt / tau * mu;
    p.c = sigma * sqrt(dt / tau);
    p.v_reset = 10e-3;
    p.v_th = 20e-3;
    p.refractory = (int32_t)lround(2e-3 / dt);
    return p;
}

/* One step: integrate non-refractory neurons, flag threshold crossings,
 * then add this step's delayed input (Brian 1 delivers after the threshold
 * test) unless the neuron is refractory, when V stays clamped at the reset
 * value and input is lost. */
static inline void
bl_noisy_update(const bl_noisy *p, int32_t n, double *restrict v,
                int32_t *restrict refr, const double *restrict z,
                double *restrict input, uint8_t *restrict flag)
{
    const double a = p->a, b = p->b, c = p->c, vth = p->v_th;
    for (int32_t i = 0; i < n; i++) {
        /* refr counts the steps left; a neuron that spiked r steps ago
         * (r < refractory) is still held, as Brian 2's lastspike test */
        int32_t r = refr[i] - (refr[i] > 0);
        int active = r == 0;
        double vn = active ? a * v[i] + b + c * z[i] : v[i];
        flag[i] = vn > vth;
        v[i] = vn + (active ? input[i] : 0.0);
        input[i] = 0.0;
        refr[i] = r;
    }
}

static inline void
bl_noisy_reset(const bl_noisy *p, const int32_t *spikes, int32_t n_spikes,
               double *restrict v, int32_t *restrict refr)
{
    for (int32_t s = 0; s < n_spikes; s++) {
        v[spikes[s]] = p->v_reset;
        refr[spikes[s]] = p->refractory;
    }
}

/* ---- hh_network: Traub-Miles HH with conductance synapses ------------- */

typedef struct bl_hh {
    double cm, gl, el, ek, ena, g_na, g_kd, vt;   /* F, S, V */
    double ee, ei, decay_e, decay_i;              /* V; per-step factors */
    double v_th;                                  /* V */
    double dt;
    int32_t refractory;                           /* steps */
} bl_hh;

static inline bl_hh
bl_hh_params(double dt)
{
    const double area = 20000e-12;                /* 20000 um^2 in m^2 */
    bl_hh p;
    p.cm = 1e-6 / 1e-4 * area;                    /* 1 uF/cm^2 */
    p.gl = 5e-5 / 1e-4 * area;                    /* 5e-5 S/cm^2 */
    p.el = -60e-3;
    p.ek = -90e-3;
    p.ena = 50e-3;
    p.g_na = 100e-3 / 1e-4 * area;                /* 100 mS/cm^2 */
    p.g_kd = 30e-3 / 1e-4 * area;                 /* 30 mS/cm^2 */
    p.vt = -63e-3;
    p.ee = 0.0;
    p.ei = -80e-3;
    p.decay_e = exp(-dt / 5e-3);
    p.decay_i = exp(-dt / 10e-3);
    p.v_th = -20e-3;
    p.dt = dt;
    p.refractory = (int32_t)lround(3e-3 / dt);
    return p;
}

/* Exponential Euler: each variable x' = A + B x is advanced exactly with
 * the others frozen at their old values, x <- x_inf + (x - x_inf) e^{B dt}.
 * Rates are in 1/ms and voltages in mV inside the loop, as in the model. */
static inline void
bl_hh_update(const bl_hh *p, int32_t n, double *restrict v,
             double *restrict m, double *restrict h, double *restrict nk,
             double *restrict ge, double *restrict gi,
             int32_t *restrict refr, uint8_t *restrict flag)
{
    const double dt_ms = p->dt * 1e3, vt = p->vt * 1e3;
    const double gl = p->gl, el = p->el, ek = p->ek, ena = p->ena;
    const double gna = p->g_na, gkd = p->g_kd, ee = p->ee, ei = p->ei;
    const double dt_cm = p->dt / p->cm, vth = p->v_th;
    const double de = p->decay_e, di = p->decay_i;
    for (int32_t i = 0; i < n; i++) {
        double vm = v[i] * 1e3, mi = m[i], hi = h[i], ni = nk[i];
        double x;
        x = 13.0 - vm + vt;
        double am = 0.32 * x / (exp(x * 0.25) - 1.0);
        x = vm - vt - 40.0;
        double bm = 0.28 * x / (exp(x * 0.2) - 1.0);
        double ah = 0.128 * exp((17.0 - vm + vt) * (1.0 / 18.0));
        double bh = 4.0 / (1.0 + exp((40.0 - vm + vt) * 0.2));
        x = 15.0 - vm + vt;
        double an = 0.032 * x / (exp(x * 0.2) - 1.0);
        double bn = 0.5 * exp((10.0 - vm + vt) * (1.0 / 40.0));
        double m3h = mi * mi * mi * hi, n2 = ni * ni, n4 = n2 * n2;
        double g_tot = gl + ge[i] + gi[i] + gna * m3h + gkd * n4;
        double i_rev = gl * el + ge[i] * ee + gi[i] * ei + gna * m3h * ena
                       + gkd * n4 * ek;
        double v_inf = i_rev / g_tot;
        double vn = v_inf + (v[i] - v_inf) * exp(-g_tot * dt_cm);
        double sm = am + bm, sh = ah + bh, sn = an + bn;
        m[i] = am / sm + (mi - am / sm) * exp(-sm * dt_ms);
        h[i] = ah / sh + (hi - ah / sh) * exp(-sh * dt_ms);
        nk[i] = an / sn + (ni - an / sn) * exp(-sn * dt_ms);
        v[i] = vn;
        ge[i] *= de;
        gi[i] *= di;
        int32_t r = refr[i] - (refr[i] > 0);
        flag[i] = (vn > vth) & (r == 0);
        refr[i] = r;
    }
}

#endif /* BL_MODELS_H */
