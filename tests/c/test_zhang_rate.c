/* test_zhang_rate.c -- Zhang et al.'s rate-to-spikes step: the release
 * rate's two regimes (the soft plus and its linear bound), every fibre of
 * a channel sharing s with its own R, NaN carried as numpy.minimum
 * carries it, and the size checks. */
#include <math.h>

#include "check.h"
#include "zhang_rate.h"

static void
test_release_rate(void)
{
    /* small p_2 V: log(1 + e^x); large: the bound |x| + 1 is smaller */
    double x = 0.25;
    CHECK(bc_zhang_release_rate(2.0, 0.5, 0.5, 3.0) ==
          3.0 * (2.0 * log1p(exp(x))));
    CHECK(bc_zhang_release_rate(2.0, 100.0, 8.0, 3.0) ==
          3.0 * (2.0 * 801.0));
    /* exp overflows: the bound still holds */
    CHECK(bc_zhang_release_rate(1.0, 1.0, 1000.0, 1.0) == 1001.0);
    CHECK(isnan(bc_zhang_release_rate(1.0, 1.0, NAN, 1.0)));
}

static void
test_fibres_of_a_channel(void)
{
    double v[2] = {0.1, -0.2}, c_i[2] = {40.0, 60.0}, p_2[2] = {3.0, 2.0};
    double e_0[6] = {0.0, 1.0, 0.5, 0.0, 0.25, 1.0};
    double e_1[6] = {0.0, 1.0, 0.0, 0.5, 0.25, 1.0};
    double s[6], r[6];
    bc_zhang_rate z = {.n_channels = 2, .repeat = 3, .v_ihc = v,
                       .c_i = c_i, .p_2 = p_2, .p_1 = 0.7, .k_0 = 0.45,
                       .k_1 = 0.49, .e_0 = e_0, .e_1 = e_1, .s = s, .r = r};
    CHECK(bc_zhang_rate_check(&z) == BC_OK);
    CHECK(bc_zhang_rate_run(&z, 7) == BC_OK);
    for (int j = 0; j < 6; j++) {
        int c = j / 3;
        double want = bc_zhang_release_rate(0.7, p_2[c], v[c], c_i[c]);
        CHECK(s[j] == want);
        CHECK(r[j] == want * ((1.0 - 0.45 * e_0[j]) - 0.49 * e_1[j]));
    }
    CHECK(r[0] == s[0]);                /* no refractoriness: R = s */
    CHECK(s[3] != s[0]);
}

static void
test_checks(void)
{
    bc_zhang_rate z = {.n_channels = 4, .repeat = 0};
    CHECK(bc_zhang_rate_check(&z) == BC_EINVAL);
    z.repeat = 1;
    z.n_channels = -1;
    CHECK(bc_zhang_rate_check(&z) == BC_EINVAL);
    z.n_channels = 1 << 20;
    z.repeat = 1 << 12;                 /* 2^32 fibres */
    CHECK(bc_zhang_rate_check(&z) == BC_EINVAL);
    z.repeat = 1 << 10;
    CHECK(bc_zhang_rate_check(&z) == BC_OK);
    z.n_channels = 0;
    CHECK(bc_zhang_rate_check(&z) == BC_OK);
    CHECK(bc_zhang_rate_run(&z, 0) == BC_OK);   /* nothing to touch */
}

int
main(void)
{
    test_release_rate();
    test_fibres_of_a_channel();
    test_checks();
    return check_report();
}
