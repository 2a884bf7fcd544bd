/* tan_carney.c -- C core: Tan & Carney's cochlear filterbank and inner
 * hair cell (tan_carney.h), one channel at a time through a buffer. */
#include "tan_carney.h"

#include <math.h>

#define TWO_PI_ 6.283185307179586

typedef struct biquad_ {
    double b0, b1, b2, a1, a2;
} biquad_;

/* Direct form II transposed, lfilter's operations in its order. */
static inline double
biquad_step(const biquad_ *c, double *z, double x)
{
    double y = z[0] + c->b0 * x;
    z[0] = z[1] + x * c->b1 - y * c->a1;
    z[1] = x * c->b2 - y * c->a2;
    return y;
}

/* A first-order section with b0 = b1 = b. */
static inline double
lowpass_step(double b, double a1, double *z, double x)
{
    double y = *z + b * x;
    *z = x * b - y * a1;
    return y;
}

/* The digital section of the analog pole pair preal +- j pimg by the
 * bilinear transform (denominator temp). */
static void
pole_pair(double fs2, double preal, double pimg, double *temp, double *a1,
          double *a2)
{
    *temp = (fs2 - preal) * (fs2 - preal) + pimg * pimg;
    *a1 = -2 * (fs2 * fs2 - preal * preal - pimg * pimg) / *temp;
    *a2 = ((fs2 + preal) * (fs2 + preal) + pimg * pimg) / *temp;
}

/* The control path's band-pass, its poles damped by `control` (the
 * feedback low-pass's output): three pole pairs, a differentiator and a
 * gain keeping the peak gain. */
static void
control_sections(const double *p, double fs2, double control, biquad_ s[5])
{
    const double cf = p[BC_TC_CF], f_shift = p[BC_TC_F_SHIFT];
    double wbw = -(p[BC_TC_PREAL0] - control) / TWO_PI_;
    double g = TWO_PI_ * TWO_PI_ * sqrt(wbw * wbw + f_shift * f_shift) *
               sqrt((2 * cf + f_shift) * (2 * cf + f_shift) + wbw * wbw);
    double gain = g * g * g / sqrt(TWO_PI_ * TWO_PI_ * (cf * cf));
    double temp, a1, a2;
    pole_pair(fs2, p[BC_TC_PREAL0] - control, p[BC_TC_PIMG], &temp, &a1,
              &a2);
    for (int k = 0; k < 3; k++) {
        s[k] = (biquad_){1 / temp, 2 / temp, 1 / temp, a1, a2};
    }
    s[3] = (biquad_){fs2, -fs2, 0.0, 1.0, 0.0};
    s[4] = (biquad_){gain, 0.0, 0.0, 0.0, 0.0};
}

/* The signal path: ten pole pairs damped by `control` (the control
 * path's output), in the pattern fp1, fp1 - tb/2, fp1 - tb, fp1,
 * fp1 - tb twice over, each with the real zero, then the gain. */
static void
signal_sections(const double *p, double fs2, double control,
                biquad_ s[11])
{
    static const int pattern[10] = {0, 1, 2, 0, 2, 0, 1, 2, 0, 2};
    double p0 = -p[BC_TC_RGAIN] - control;
    double p4 = p0 - p[BC_TC_TA];
    double q0 = TWO_PI_ * p[BC_TC_FP1];
    double q4 = q0 - p[BC_TC_TB];
    const double preal[3] = {p0, 0.5 * (p0 + p4), p4};
    const double pimg[3] = {q0, 0.5 * (q0 + q4), q4};
    const double z = p[BC_TC_ZERO_R];
    biquad_ pair[3];
    for (int k = 0; k < 3; k++) {
        double temp, a1, a2;
        pole_pair(fs2, preal[k], pimg[k], &temp, &a1, &a2);
        pair[k] = (biquad_){(fs2 - z) / temp, -2 * z / temp,
                            (-z - fs2) / temp, a1, a2};
    }
    for (int k = 0; k < 10; k++) {
        s[k] = pair[pattern[k]];
    }
    s[10] = (biquad_){p[BC_TC_GAIN] / 3.0, 0.0, 0.0, 0.0, 0.0};
}

/* The control path's compressive nonlinearity, then its sigmoid. */
static inline double
control_nonlinearity(const bc_tan_carney *tc, double nlgain, double x)
{
    double sign = x > 0 ? 1.0 : (x < 0 ? -1.0 : (x == 0 ? 0.0 : x));
    double u = sign * 2.5 * log(1.0 + 100.0 * pow(fabs(x), 0.6));
    double e0 = exp(-(u - tc->x0) / 8.0), e1 = exp(-(u - 5.0) / 3.0);
    return (1.0 / (1.0 + e0 * (1.0 + e1)) - tc->shift) * nlgain;
}

/* The hair cell's asymmetric logarithmic saturation. */
static inline double
ihc_saturation(double x)
{
    const double a0 = 0.1, b = 2000.0, c = 1.74, d = 6.87e-9;
    if (x >= 0) {
        return a0 * log(x * b + 1.0);
    }
    double dx = pow(-x, c);
    return -a0 * (dx + d) / (3 * dx + d) * log(fabs(x) * b + 1.0);
}

/* Channel j through the whole buffer. */
static void
tan_carney_channel(const bc_tan_carney *tc, bc_index j, const double *x,
                   bc_index x_width, double *y, bc_step n_samples,
                   bc_step interval)
{
    const size_t n = (size_t)tc->n;
    const double *p = tc->params + (size_t)j * BC_TC_N_PARAMS;
    double *st = tc->state + (size_t)j * BC_TC_N_STATE;
    biquad_ control[5], signal[11];
    control_sections(p, tc->fs2, st[BC_TC_FEEDBACK], control);
    signal_sections(p, tc->fs2, st[BC_TC_CONTROL], signal);
    bc_step in_piece = 0;
    for (bc_step s = 0; s < n_samples; s++) {
        const double in = x_width == 1 ? x[s] : x[(size_t)s * n + j];
        double c = in;
        for (int k = 0; k < 5; k++) {
            c = biquad_step(&control[k], st + BC_TC_Z_CONTROL + 2 * k, c);
        }
        c = control_nonlinearity(tc, p[BC_TC_NLGAIN], c);
        for (int k = 0; k < 3; k++) {
            c = lowpass_step(k == 2 ? p[BC_TC_LPC_BG] : p[BC_TC_LPC_B],
                             p[BC_TC_LPC_A1], st + BC_TC_Z_LPC + k, c);
        }
        double fb = lowpass_step(p[BC_TC_FB_B], p[BC_TC_FB_A1],
                                 st + BC_TC_Z_FB, c);
        double v = in;
        for (int k = 0; k < 11; k++) {
            v = biquad_step(&signal[k], st + BC_TC_Z_SIGNAL + 2 * k, v);
        }
        if (tc->with_ihc) {
            v = ihc_saturation(v);
            for (int k = 0; k < 7; k++) {
                v = lowpass_step(p[BC_TC_IHC_B], p[BC_TC_IHC_A1],
                                 st + BC_TC_Z_IHC + k, v);
            }
        }
        y[(size_t)s * n + j] = v;
        if (++in_piece == interval || s == n_samples - 1) {
            /* the end of a piece: retune both paths */
            in_piece = 0;
            st[BC_TC_FEEDBACK] = fb;
            st[BC_TC_CONTROL] = c;
            control_sections(p, tc->fs2, fb, control);
            signal_sections(p, tc->fs2, c, signal);
        }
    }
}

bc_status
bc_tan_carney_apply(const bc_tan_carney *tc, const double *x,
                    bc_index x_width, double *y, bc_step n_samples,
                    bc_step interval)
{
    if (tc->n < 1 || interval < 1 || n_samples < 0 ||
        (x_width != 1 && x_width != tc->n)) {
        return BC_EINVAL;
    }
    for (bc_index j = 0; j < tc->n; j++) {
        tan_carney_channel(tc, j, x, x_width, y, n_samples, interval);
    }
    return BC_OK;
}
