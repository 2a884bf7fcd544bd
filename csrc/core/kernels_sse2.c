/* kernels_sse2.c -- C core: the vector kernels (vkernels.h) for the
 * x86-64 baseline, two lanes of SSE2; fma() is libm's (correctly rounded,
 * in hardware where the CPU has FMA). */
#if defined(__x86_64__) && defined(__GNUC__)
#define BC_VEC_SSE2 1
#define BC_VSUFFIX sse2
#define BC_VNAME "baseline"
#include "vkernels.h"
#else
/* ISO C forbids an empty translation unit. */
typedef int bc_kernels_sse2_unused;
#endif
