/* isa.c -- C core: picks the vector kernels (kernels.h) once, when the
 * library loads: the fastest table the CPU runs, or the one BRIANC_ISA
 * names.  After that choice everything here is read-only. */
#include "kernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One entry per table built for this architecture, slowest first. */
typedef struct isa_entry {
    const char *name;
    const bc_kernels *kernels;
    int (*cpu_has)(void);
} isa_entry;

static int
always(void)
{
    return 1;
}

#if defined(__x86_64__) && defined(__GNUC__)
extern const bc_kernels bc_kernels_sse2, bc_kernels_avx2, bc_kernels_avx512;

/* __builtin_cpu_supports also checks that the OS saves the wide
 * registers.  The AVX-512 table needs F and DQ (every AVX-512 CPU but the
 * Xeon Phi has both). */
static int
cpu_has_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
           && __builtin_cpu_supports("bmi2");
}

static int
cpu_has_avx512(void)
{
    __builtin_cpu_init();
    return cpu_has_avx2() && __builtin_cpu_supports("avx512f")
           && __builtin_cpu_supports("avx512dq");
}

static const isa_entry isa_table[] = {
    {"baseline", &bc_kernels_sse2, always},
    {"avx2", &bc_kernels_avx2, cpu_has_avx2},
    {"avx512", &bc_kernels_avx512, cpu_has_avx512},
};
#elif defined(__aarch64__) && defined(__GNUC__)
extern const bc_kernels bc_kernels_neon;

/* NEON is the aarch64 baseline: both names give the one table. */
static const isa_entry isa_table[] = {
    {"baseline", &bc_kernels_neon, always},
    {"neon", &bc_kernels_neon, always},
};
#else
extern const bc_kernels bc_kernels_generic;

static const isa_entry isa_table[] = {
    {"baseline", &bc_kernels_generic, always},
};
#endif

#define N_ISA ((int)(sizeof isa_table / sizeof isa_table[0]))

/* Written once under pthread_once, read-only after.  active is published
 * last (release), so that a caller seeing it set needs no pthread_once:
 * the kernel calls, one per block, then pay one load instead of a call
 * into libc. */
static _Atomic(const bc_kernels *) active;
static char error_text[160];
static char available_text[64];
static pthread_once_t choose_once = PTHREAD_ONCE_INIT;

/* The table BRIANC_ISA names, or the fastest the CPU runs; error_text
 * says why BRIANC_ISA could not be honoured. */
static const bc_kernels *
chosen_kernels(void)
{
    int best = 0;
    size_t used = 0;
    for (int i = 0; i < N_ISA; i++) {
        if (isa_table[i].cpu_has()) {
            best = i;
            int w = snprintf(available_text + used,
                             sizeof available_text - used, "%s%s",
                             used > 0 ? " " : "", isa_table[i].name);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    const char *want = getenv("BRIANC_ISA");
    if (want == NULL || want[0] == '\0') {
        return isa_table[best].kernels;
    }
    for (int i = 0; i < N_ISA; i++) {
        if (strcmp(want, isa_table[i].name) != 0) {
            continue;
        }
        if (!isa_table[i].cpu_has()) {
            snprintf(error_text, sizeof error_text,
                     "BRIANC_ISA=%s: this CPU cannot run that instruction "
                     "set (available: %s)", want, available_text);
            return isa_table[0].kernels;
        }
        return isa_table[i].kernels;
    }
    snprintf(error_text, sizeof error_text,
             "BRIANC_ISA=%.40s: unknown instruction set (available: %s)",
             want, available_text);
    return isa_table[0].kernels;
}

static void
choose(void)
{
    atomic_store_explicit(&active, chosen_kernels(), memory_order_release);
}

/* At load time, so the first block does not pay for the choice. */
__attribute__((constructor)) static void
choose_at_load(void)
{
    pthread_once(&choose_once, choose);
}

const bc_kernels *
bc_kernels_active(void)
{
    const bc_kernels *k =
        atomic_load_explicit(&active, memory_order_acquire);
    if (k != NULL) {
        return k;
    }
    pthread_once(&choose_once, choose);
    return atomic_load_explicit(&active, memory_order_acquire);
}

const char *
bc_isa_error(void)
{
    pthread_once(&choose_once, choose);
    return error_text[0] != '\0' ? error_text : NULL;
}

const char *
bc_isa_available(void)
{
    pthread_once(&choose_once, choose);
    return available_text;
}
