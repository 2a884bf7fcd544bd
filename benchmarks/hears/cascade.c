/* cascade.c -- the hand-written baseline of bench_hears.py: n channels of
 * p cascaded biquads (direct form II transposed) over one mono input,
 * one channel at a time with its state in registers.
 * usage: cascade COEFFS INPUT  (raw float64 files: COEFFS holds
 * n*p*5 values b0 b1 b2 a1 a2 per section, INPUT the samples); prints
 * the CPU seconds spent filtering and a checksum. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double *
read_all(const char *path, long *count)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    double *data = malloc((size_t)bytes);
    if (data != NULL && fread(data, 1, (size_t)bytes, f) != (size_t)bytes) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *count = bytes / (long)sizeof(double);
    return data;
}

int
main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: cascade COEFFS INPUT NSTAGES\n");
        return 2;
    }
    long n_coef, n_samples;
    double *coef = read_all(argv[1], &n_coef);
    double *x = read_all(argv[2], &n_samples);
    int p = atoi(argv[3]);
    if (coef == NULL || x == NULL || p < 1) {
        fprintf(stderr, "cannot read the inputs\n");
        return 1;
    }
    long n = n_coef / (5L * p);
    double *y = malloc(sizeof(double) * (size_t)n_samples * (size_t)n);
    struct timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (long j = 0; j < n; j++) {
        const double *c = coef + j * 5L * p;
        double z1[16] = {0}, z2[16] = {0};
        for (long s = 0; s < n_samples; s++) {
            double v = x[s];
            for (int k = 0; k < p; k++) {
                const double *ck = c + 5 * k;
                double out = ck[0] * v + z1[k];
                z1[k] = ck[1] * v - ck[3] * out + z2[k];
                z2[k] = ck[2] * v - ck[4] * out;
                v = out;
            }
            y[j * n_samples + s] = v;   /* channel-major: each channel's
                                           output is contiguous */
        }
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double sum = 0;
    for (long k = 0; k < n_samples * n; k += 997) {
        sum += y[k];
    }
    printf("%.6f %.17g\n", (double)(t1.tv_sec - t0.tv_sec) +
           1e-9 * (double)(t1.tv_nsec - t0.tv_nsec), sum);
    return 0;
}
