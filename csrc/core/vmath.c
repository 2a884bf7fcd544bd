/* vmath.c -- C core: block versions of the vmath.h kernels, compiled as
 * AVX-512 / AVX2 / baseline clones chosen at load time. */
#include "vmath.h"

#include <math.h>

#ifdef BC_HAVE_EXP_AVX512
/* The AVX-512 exp family when the CPU has it (a cached cpu-model check;
 * every AVX-512 CPU but the Xeon Phi has DQ), else the clones below. */
static int
use_exp_avx512(void)
{
    return __builtin_cpu_supports("avx512f")
           && __builtin_cpu_supports("avx512dq");
}
#endif

/* Call the AVX-512 kernel when the CPU has it, else the portable clone:
 * both compute the same bits. */
#ifdef BC_HAVE_EXP_AVX512
#define DISPATCH(avx512_call, portable_call)                            \
    do {                                                                \
        if (use_exp_avx512()) {                                         \
            avx512_call;                                                \
        } else {                                                        \
            portable_call;                                              \
        }                                                               \
    } while (0)
#else
#define DISPATCH(avx512_call, portable_call) portable_call
#endif

/* The affine argument, rounded twice as the AVX-512 kernels do. */
#define AFFINE(v) ((v) * a + b)

BC_VECTOR_FN static void
vexp_portable(const double *x, double a, double b, double *y, bc_index n)
{
    BC_IVDEP
    for (bc_index k = 0; k < n; k++) {
        y[k] = bc_exp_kernel(AFFINE(x[k]));
    }
}

BC_VECTOR_FN static void
vexpm1_portable(const double *x, double a, double b, double *y, bc_index n)
{
    BC_IVDEP
    for (bc_index k = 0; k < n; k++) {
        y[k] = bc_expm1_kernel(AFFINE(x[k]));
    }
}

/* bc_exprel_kernel (a division under a mask, or a second kernel for
 * huge x, would cost more than the whole rest), times s. */
BC_VECTOR_FN static void
vexprel_portable(const double *x, double a, double b, double s, double *y,
                 bc_index n)
{
    BC_IVDEP
    for (bc_index k = 0; k < n; k++) {
        y[k] = bc_exprel_kernel(AFFINE(x[k])) * s;
    }
}

void
bc_vexp_affine(const double *x, double a, double b, double *y, bc_index n)
{
    DISPATCH(bc_vexp_avx512(x, a, b, y, n), vexp_portable(x, a, b, y, n));
}

void
bc_vexpm1_affine(const double *x, double a, double b, double *y, bc_index n)
{
    DISPATCH(bc_vexpm1_avx512(x, a, b, y, n), vexpm1_portable(x, a, b, y, n));
}

BC_VECTOR_FN static void
vdiv_exp_portable(const double *num, int num_const, const double *x,
                  double a, double b, int minus_one, double *y, bc_index n)
{
    const double num0 = num[0];
    BC_IVDEP
    for (bc_index k = 0; k < n; k++) {
        double v = AFFINE(x[k]);
        double den = minus_one ? bc_expm1_kernel(v) : 1.0 + bc_exp_kernel(v);
        y[k] = (num_const ? num0 : num[k]) / den;
    }
}

void
bc_vdiv_exp_affine(const double *num, int num_const, const double *x,
                   double a, double b, int minus_one, double *y, bc_index n)
{
    DISPATCH(bc_vdiv_exp_avx512(num, num_const, x, a, b, minus_one, y, n),
             vdiv_exp_portable(num, num_const, x, a, b, minus_one, y, n));
}

void
bc_vexprel_affine(const double *x, double a, double b, double *y, bc_index n)
{
    DISPATCH(bc_vexprel_avx512(x, a, b, 1.0, y, n),
             vexprel_portable(x, a, b, 1.0, y, n));
}

void
bc_vexprel_scaled(const double *x, double a, double s, double *y, bc_index n)
{
    DISPATCH(bc_vexprel_avx512(x, a, -0.0, s, y, n), vexprel_portable(x, a, -0.0, s, y, n));
}

/* x * 1 + (-0) is x for every x, signed zeros and NaN included. */
void
bc_vexp(const double *x, double *y, bc_index n)
{
    bc_vexp_affine(x, 1.0, -0.0, y, n);
}

void
bc_vexpm1(const double *x, double *y, bc_index n)
{
    bc_vexpm1_affine(x, 1.0, -0.0, y, n);
}

void
bc_vexprel(const double *x, double *y, bc_index n)
{
    bc_vexprel_affine(x, 1.0, -0.0, y, n);
}

BC_VECTOR_FN void
bc_vlog(const double *x, double *y, bc_index n)
{
    BC_IVDEP
    for (bc_index k = 0; k < n; k++) {
        y[k] = bc_log_kernel(x[k]);
    }
}

/* Inputs beyond the inline reduction's range (huge, inf, NaN) are rare: a
 * compare-only pass finds them, and only then does a scalar loop hand
 * them to libm. */
BC_VECTOR_FN static int
trig_all_small(const double *x, bc_index n)
{
    int bad = 0;
    for (bc_index k = 0; k < n; k++) {
        bad |= !(fabs(x[k]) <= BC_TRIG_MAX_);
    }
    return !bad;
}

BC_VECTOR_FN static void
sincos_block(const double *x, double *y, bc_index n, int cos_wanted)
{
    BC_IVDEP
    for (bc_index k = 0; k < n; k++) {
        y[k] = bc_sincos_kernel(x[k], cos_wanted);
    }
}

void
bc_vsin(const double *x, double *y, bc_index n)
{
    if (trig_all_small(x, n)) {
        sincos_block(x, y, n, 0);
        return;
    }
    for (bc_index k = 0; k < n; k++) {
        y[k] = fabs(x[k]) <= BC_TRIG_MAX_ ? bc_sincos_kernel(x[k], 0)
                                          : sin(x[k]);
    }
}

void
bc_vcos(const double *x, double *y, bc_index n)
{
    if (trig_all_small(x, n)) {
        sincos_block(x, y, n, 1);
        return;
    }
    for (bc_index k = 0; k < n; k++) {
        y[k] = fabs(x[k]) <= BC_TRIG_MAX_ ? bc_sincos_kernel(x[k], 1)
                                          : cos(x[k]);
    }
}

BC_VECTOR_FN void
bc_vsqrt(const double *x, double *y, bc_index n)
{
    BC_IVDEP
    for (bc_index k = 0; k < n; k++) {
        y[k] = sqrt(x[k]);
    }
}
