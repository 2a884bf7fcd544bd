/* kernels_avx2.c -- C core: the vector kernels (vkernels.h) for x86-64-v3,
 * four lanes of AVX2 with FMA. */
#if defined(__x86_64__) && defined(__GNUC__)
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,bmi2"))), \
                             apply_to = function)
#else
#pragma GCC target("avx2,fma,bmi2")
#endif
#define BC_VEC_AVX2 1
#define BC_VSUFFIX avx2
#define BC_VNAME "avx2"
#include "vkernels.h"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#else
/* ISO C forbids an empty translation unit. */
typedef int bc_kernels_avx2_unused;
#endif
