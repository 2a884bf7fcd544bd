/* kernels_avx512.c -- C core: the vector kernels (vkernels.h) for
 * x86-64-v4, eight lanes of AVX-512F/DQ. */
#if defined(__x86_64__) && defined(__GNUC__)
#if defined(__clang__)
#pragma clang attribute push(                                           \
    __attribute__((target("avx512f,avx512dq,avx2,fma,bmi2"))),          \
    apply_to = function)
#else
#pragma GCC target("avx512f,avx512dq,avx2,fma,bmi2")
#endif
#define BC_VEC_AVX512 1
#define BC_VSUFFIX avx512
#define BC_VNAME "avx512"
#include "vkernels.h"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#else
/* ISO C forbids an empty translation unit. */
typedef int bc_kernels_avx512_unused;
#endif
