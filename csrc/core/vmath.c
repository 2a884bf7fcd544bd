/* vmath.c -- C core: the block functions of vmath.h, run by the vector
 * kernels chosen for this CPU (kernels.h); all choices give the same
 * bits as the inline kernels of vmath.h. */
#include "vmath.h"

#include <math.h>

#include "kernels.h"

void
bc_vexp_affine(const double *x, double a, double b, double *y, bc_index n)
{
    bc_kernels_active()->exp_affine(x, a, b, y, n);
}

void
bc_vexpm1_affine(const double *x, double a, double b, double *y, bc_index n)
{
    bc_kernels_active()->expm1_affine(x, a, b, y, n);
}

void
bc_vdiv_exp_affine(const double *num, int num_const, const double *x,
                   double a, double b, double s, int minus_one, double *y,
                   bc_index n)
{
    bc_kernels_active()->div_exp_affine(num, num_const, x, a, b, s,
                                        minus_one, y, n);
}

void
bc_vexprel_affine(const double *x, double a, double b, double *y, bc_index n)
{
    bc_kernels_active()->exprel_affine(x, a, b, 1.0, y, n);
}

void
bc_vexprel_scaled(const double *x, double a, double s, double *y, bc_index n)
{
    bc_kernels_active()->exprel_affine(x, a, -0.0, s, y, n);
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

void
bc_vlog(const double *x, double *y, bc_index n)
{
    bc_kernels_active()->log(x, y, n);
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

static void
sincos_block(const double *x, double *y, bc_index n, int cos_wanted)
{
    if (trig_all_small(x, n)) {
        bc_kernels_active()->sincos(x, y, n, cos_wanted);
        return;
    }
    for (bc_index k = 0; k < n; k++) {
        y[k] = fabs(x[k]) <= BC_TRIG_MAX_ ? bc_sincos_kernel(x[k], cos_wanted)
               : cos_wanted ? cos(x[k]) : sin(x[k]);
    }
}

void
bc_vsin(const double *x, double *y, bc_index n)
{
    sincos_block(x, y, n, 0);
}

void
bc_vcos(const double *x, double *y, bc_index n)
{
    sincos_block(x, y, n, 1);
}

BC_VECTOR_FN void
bc_vsqrt(const double *x, double *y, bc_index n)
{
    BC_IVDEP
    for (bc_index k = 0; k < n; k++) {
        y[k] = sqrt(x[k]);
    }
}
