/* kernels.h -- C core: the table of vector kernels for one instruction
 * set, and the choice of the table, made once when the library loads.
 *
 * The kernels are written once (vkernels.h, with the vector operations of
 * vec.h) and compiled per instruction set: kernels_sse2.c (x86-64
 * baseline), kernels_avx2.c (x86-64-v3: AVX2 + FMA), kernels_avx512.c
 * (x86-64-v4: AVX-512F + DQ), kernels_neon.c (aarch64) and
 * kernels_generic.c (any other CPU).  Every table computes the same bits;
 * they differ only in speed.  The environment variable BRIANC_ISA =
 * baseline | avx2 | avx512 (x86-64) or baseline | neon (aarch64) forces
 * one; a name the CPU cannot run, or an unknown name, is an error that
 * bc_isa_error() reports (the kernels then are the baseline ones). */
#ifndef BC_KERNELS_H
#define BC_KERNELS_H

#include "types.h"

struct bc_philox_chunk;
struct bc_iir_bank;
struct bc_drnl;

/* A Philox call's fixed counter words (all but the index word) and key,
 * as rng.c packs them. */
typedef struct bc_rng_counter {
    uint64_t w1, w2, w3;
    uint32_t key0, key1;
} bc_rng_counter;

/* The block functions of one instruction set; the contracts are those of
 * the public functions in vmath.h and rng.h that call them. */
typedef struct bc_kernels {
    const char *name;
    /* y = exp(x a + b), expm1(x a + b), s exprel(x a + b) */
    void (*exp_affine)(const double *x, double a, double b, double *y,
                       bc_index n);
    void (*expm1_affine)(const double *x, double a, double b, double *y,
                         bc_index n);
    void (*exprel_affine)(const double *x, double a, double b, double s,
                          double *y, bc_index n);
    /* y = s * (num / expm1(x a + b)) or s * (num / (1 + exp(x a + b))) */
    void (*div_exp_affine)(const double *num, int num_const, const double *x,
                           double a, double b, double s, int minus_one,
                           double *y, bc_index n);
    void (*log)(const double *x, double *y, bc_index n);
    /* |x| <= BC_TRIG_MAX_ only */
    void (*sincos)(const double *x, double *y, bc_index n, int cos_wanted);
    /* the cipher over ch->w[0][0..n) as index words */
    void (*philox_chunk)(struct bc_philox_chunk *ch, bc_index n,
                         const bc_rng_counter *ctr);
    /* out[k] = the uniform of counter idx[k] (idx given) or first + k */
    void (*uniforms)(const bc_index *idx, uint64_t first, bc_index n,
                     const bc_rng_counter *ctr, double *out);
    /* out[2j], out[2j + 1] = the uniform pair of counter pair0 + j */
    void (*uniform_pairs)(uint64_t pair0, bc_index n_pairs,
                          const bc_rng_counter *ctr, double *out);
    /* out[k] = half idx[k] & 1 of the uniform pair of counter idx[k] >> 1 */
    void (*uniform_paired_indexed)(const bc_index *idx, bc_index n,
                                   const bc_rng_counter *ctr, double *out);
    /* out[2j], out[2j + 1] = the normal pair of counter pair0 + j */
    void (*normal_pairs)(uint64_t pair0, bc_index n_pairs,
                         const bc_rng_counter *ctr, double *out);
    /* out[k] = half idx[k] & 1 of the pair of counter idx[k] >> 1 */
    void (*normal_indexed)(const bc_index *idx, bc_index n,
                           const bc_rng_counter *ctr, double *out);
    /* bc_iir_bank_apply's filtering, its arguments checked */
    bc_status (*iir_cascade)(const struct bc_iir_bank *bank,
                             const double *x, bc_index x_width, double *y,
                             bc_step n_samples);
    /* bc_drnl_apply's filtering, its arguments checked */
    bc_status (*drnl)(const struct bc_drnl *d, const double *x,
                      bc_index x_width, double *y, bc_step n_samples);
} bc_kernels;

/* The kernels chosen for this process: the fastest the CPU runs, or the
 * ones BRIANC_ISA names.  Chosen once (the first call, or at load time),
 * read-only after. */
const bc_kernels *bc_kernels_active(void);

/* NULL, or why BRIANC_ISA could not be honoured. */
const char *bc_isa_error(void);

/* The names of the instruction-set paths this CPU can run, fastest last,
 * separated by spaces (e.g. "baseline avx2"). */
const char *bc_isa_available(void);

#endif
