/* kernels_generic.c -- C core: the vector kernels (vkernels.h) for CPUs
 * with no dedicated table (neither x86-64 nor aarch64): two lanes of the
 * compiler's generic vectors, libm's fma() and sqrt(). */
#if defined(__GNUC__) && !defined(__x86_64__) && !defined(__aarch64__)
#define BC_VEC_GENERIC 1
#define BC_VSUFFIX generic
#define BC_VNAME "generic"
#include "vkernels.h"
#else
/* ISO C forbids an empty translation unit. */
typedef int bc_kernels_generic_unused;
#endif
