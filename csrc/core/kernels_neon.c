/* kernels_neon.c -- C core: the vector kernels (vkernels.h) for aarch64,
 * two lanes of NEON (Advanced SIMD, always present on aarch64). */
#if defined(__aarch64__) && defined(__GNUC__)
#define BC_VEC_NEON 1
#define BC_VSUFFIX neon
#define BC_VNAME "neon"
#include "vkernels.h"
#else
/* ISO C forbids an empty translation unit. */
typedef int bc_kernels_neon_unused;
#endif
