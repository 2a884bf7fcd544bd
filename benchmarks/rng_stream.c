/* rng_stream.c -- writes one of the core's random streams to stdout as
 * 32-bit words, for external batteries (PractRand's RNG_test stdin32,
 * TestU01's file readers), without end unless a word count is given.
 *
 *   gcc -O3 -fno-math-errno -fno-trapping-math -ffp-contract=off
 *       -Icsrc/core benchmarks/rng_stream.c csrc/core/[a-z]*.c -lm -lpthread
 *       -o rng_stream
 *   ./rng_stream uniform | RNG_test stdin32 -tlmax 64GB
 *
 * Streams, in the order a model draws them (index = neuron, 4096
 * neurons a step, then the next step):
 *   uniform  the top 32 of the 53 bits behind each rand()
 *   normal   each randn() z mapped through the normal distribution
 *            function to u = Phi(z), then its top 32 bits: a flaw of the
 *            Box-Muller transform shows as a non-uniform u
 *   words    the raw Philox-4x32-10 output words (counter draw 3) */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define NEURONS 4096

/* Phi(z) = erfc(-z / sqrt 2) / 2, accurate in both tails. */
static uint32_t
normal_word(double z)
{
    double u = 0.5 * erfc(-z * 0x1.6a09e667f3bcdp-1);
    double w = ldexp(u, 32);
    return w >= 4294967295.0 ? UINT32_MAX : (uint32_t)w;
}

int
main(int argc, char **argv)
{
    const char *kind = argc > 1 ? argv[1] : "uniform";
    long long limit = argc > 2 ? atoll(argv[2]) : -1;
    static double x[NEURONS];
    static uint32_t w[NEURONS];
    long long written = 0;
    if (strcmp(kind, "uniform") != 0 && strcmp(kind, "normal") != 0
        && strcmp(kind, "words") != 0) {
        fprintf(stderr, "rng_stream: uniform | normal | words [n]\n");
        return 2;
    }
    for (bc_step step = 0; limit < 0 || written < limit; step++) {
        if (kind[0] == 'u') {
            bc_rng_uniform_block(7, 3, step, 0, NEURONS, x);
            for (int i = 0; i < NEURONS; i++) {
                w[i] = (uint32_t)ldexp(x[i], 32);
            }
        }
        else if (kind[0] == 'n') {
            bc_rng_normal_block(7, 3, step, 0, NEURONS, x);
            for (int i = 0; i < NEURONS; i++) {
                w[i] = normal_word(x[i]);
            }
        }
        else {
            bc_rng_words(7, 3, step, 0, NEURONS / 4, w);
        }
        if (fwrite(w, sizeof w[0], NEURONS, stdout) != NEURONS) {
            return 0;               /* the reader stopped */
        }
        written += NEURONS;
    }
    return 0;
}
