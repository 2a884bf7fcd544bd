/* test_thread_pool.c -- C tests of the worker pool: every index of a
 * parallel for runs exactly once on chunk boundaries, loops follow each
 * other with the workers spinning or asleep, the tuner keeps a split that
 * is slower serial, and a group's update split across threads gives the
 * serial result bit for bit. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "neuron_group.h"
#include "thread_pool.h"

enum { MAX_N = 5000, GRAIN = 256, THREADS = 4 };

typedef struct visit_ctx {
    int32_t hits[MAX_N];        /* per index: each is written by the one
                                   thread that holds its chunk */
    int32_t calls[THREADS];     /* per thread: calls of visit */
    int bad_range;              /* a call broke the chunk rules */
    int bad_thread;
    bc_index n, grain;
    int32_t n_threads;
} visit_ctx;

static void
visit(void *p, int32_t thread, bc_index begin, bc_index end)
{
    visit_ctx *ctx = p;
    if (thread < 0 || thread >= ctx->n_threads) {
        ctx->bad_thread = 1;
        return;
    }
    if (begin < 0 || end > ctx->n || begin >= end || begin % ctx->grain ||
        (end != ctx->n && end % ctx->grain)) {
        ctx->bad_range = 1;
        return;
    }
    ctx->calls[thread]++;
    for (bc_index i = begin; i < end; i++) {
        ctx->hits[i]++;
    }
}

/* Runs loops over n and checks that every index ran once per loop. */
static int
loops_cover_once(bc_thread_pool *pool, visit_ctx *ctx, bc_index n,
                 int loops, long pause_ns)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->n = n;
    ctx->grain = GRAIN;
    ctx->n_threads = pool != NULL ? pool->n_threads : 1;
    for (int l = 0; l < loops; l++) {
        bc_thread_pool_for(pool, n, GRAIN, visit, ctx);
        if (pause_ns > 0) {
            struct timespec ts = {0, pause_ns};
            nanosleep(&ts, NULL);
        }
    }
    int ok = !ctx->bad_range && !ctx->bad_thread;
    for (bc_index i = 0; i < n; i++) {
        ok &= ctx->hits[i] == loops;
    }
    return ok;
}

static void
test_init_and_free(void)
{
    bc_thread_pool pool;
    memset(&pool, 0, sizeof(pool));
    bc_thread_pool_free(&pool);             /* safe on a zeroed struct */
    CHECK(bc_thread_pool_init(&pool, 0) == BC_EINVAL);
    bc_thread_pool_free(&pool);
    CHECK(bc_thread_pool_init(&pool, BC_POOL_MAX_THREADS + 1) == BC_EINVAL);
    bc_thread_pool_free(&pool);
    CHECK(bc_thread_pool_init(&pool, 1) == BC_OK && pool.n_threads == 1);
    bc_thread_pool_free(&pool);
    CHECK(bc_thread_pool_init(&pool, THREADS) == BC_OK);
    CHECK(pool.n_threads == THREADS);
    bc_thread_pool_free(&pool);             /* never used: joins idle */
    CHECK(bc_thread_pool_cpus() >= 1);
}

static void
test_every_index_once(void)
{
    static visit_ctx ctx;
    CHECK(loops_cover_once(NULL, &ctx, 1000, 3, 0));
    bc_thread_pool pool;
    CHECK(bc_thread_pool_init(&pool, THREADS) == BC_OK);
    const bc_index sizes[] = {0, 1, 255, 256, 257, 512, 1000, 4000, MAX_N};
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        CHECK(loops_cover_once(&pool, &ctx, sizes[k], 200, 0));
    }
    /* Workers asleep between loops (pauses beyond their spin). */
    CHECK(loops_cover_once(&pool, &ctx, 4000, 20, 300000));
    bc_thread_pool_free(&pool);
}

/* A fork child has the pool's memory but not its workers: it sees the
 * pool as inherited, and freeing it returns (joining would wait forever)
 * without touching the lock a parent's worker may hold.  The child does
 * not start threads of its own: ThreadSanitizer forbids that after a
 * multi-threaded fork (the Python tests run a new pool in a child). */
static void
test_fork_child_leaves_the_parents_pool(void)
{
    static visit_ctx ctx;
    bc_thread_pool pool;
    CHECK(bc_thread_pool_init(&pool, THREADS) == BC_OK);
    CHECK(loops_cover_once(&pool, &ctx, 4000, 50, 0));
    CHECK(!bc_thread_pool_inherited(&pool));
    fflush(NULL);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        alarm(20);      /* a hang ends the child with SIGALRM */
        int ok = bc_thread_pool_inherited(&pool);
        bc_thread_pool_free(&pool);
        ok &= pool.n_threads == 0 && pool.workers == NULL;
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    CHECK(child > 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The parent's pool is untouched by the child. */
    CHECK(loops_cover_once(&pool, &ctx, 4000, 50, 300000));
    bc_thread_pool_free(&pool);
}

/* A pool more threads than chunks; loops back to back for a while. */
static void
test_many_loops_few_chunks(void)
{
    static visit_ctx ctx;
    bc_thread_pool pool;
    CHECK(bc_thread_pool_init(&pool, THREADS) == BC_OK);
    CHECK(loops_cover_once(&pool, &ctx, 600, 20000, 0));
    bc_thread_pool_free(&pool);
}

static void
spin_ns(long ns)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    do {
        clock_gettime(CLOCK_MONOTONIC, &b);
    } while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec)
             < ns);
}

/* 10 us a chunk on the caller, 2 ms on a worker (as if it had to wait
 * for a CPU): the split is far slower than the serial loop, by more than
 * a busy machine's noise. */
static void
slow_workers(void *p, int32_t thread, bc_index begin, bc_index end)
{
    (void)p;
    spin_ns(thread == 0 ? 10000L * ((end - begin + GRAIN - 1) / GRAIN)
                        : 2000000L);
}

/* n_windows tuner windows of slow_workers' loop. */
static void
slow_windows(bc_thread_pool *pool, bc_pool_tuner *tuner, int n_windows)
{
    for (int k = 0; k < n_windows * BC_TUNER_WINDOW; k++) {
        bc_thread_pool_for_tuned(pool, tuner, 8 * GRAIN, GRAIN,
                                 slow_workers, NULL);
    }
}

static void
test_tuner_drops_a_slower_split(void)
{
    bc_thread_pool pool;
    CHECK(bc_thread_pool_init(&pool, 2) == BC_OK);
    bc_pool_tuner tuner;
    memset(&tuner, 0, sizeof(tuner));
    CHECK(tuner.serial == 0);
    slow_windows(&pool, &tuner, 1);
    CHECK(tuner.serial == 1);
    /* serial for 15 windows, then a window tries the split again */
    slow_windows(&pool, &tuner, 15);
    CHECK(tuner.serial == 1);
    slow_windows(&pool, &tuner, 1);
    CHECK(tuner.serial == 0 && tuner.calls == 0);
    /* the probe fails: the next one waits twice as long, 32 windows */
    slow_windows(&pool, &tuner, 1);
    CHECK(tuner.serial == 1 && tuner.probe_after == 32);
    slow_windows(&pool, &tuner, 31);
    CHECK(tuner.serial == 1);
    slow_windows(&pool, &tuner, 1);
    CHECK(tuner.serial == 0 && tuner.probing == 1);
    /* and never longer than 256 windows */
    tuner.probe_after = 256;
    slow_windows(&pool, &tuner, 1);
    CHECK(tuner.serial == 1 && tuner.probe_after == 256);
    /* tests can insist on the split */
    static visit_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.n = 8 * GRAIN;
    ctx.grain = GRAIN;
    ctx.n_threads = 2;
    tuner.serial = 1;
    pool.always_split = 1;
    bc_thread_pool_for_tuned(&pool, &tuner, ctx.n, GRAIN, visit, &ctx);
    CHECK(!ctx.bad_range && ctx.hits[0] == 1 && ctx.hits[ctx.n - 1] == 1);
    CHECK(ctx.calls[0] + ctx.calls[1] == 8);      /* one call per chunk */
    bc_thread_pool_free(&pool);
}

/* x <- x + dt * (sin(x) - x) / (1 + exp(-x)): dear enough to split, and
 * enough kernels (exp, sin, div) that any change of blocking would show. */
static void
test_group_update_split_is_bit_identical(void)
{
    enum { N = 40 * BC_BLOCK + 77, STEPS = 50 };
    /* registers: 0 x (VAR 0), 1..3 TEMP, 4 dt, 5 one */
    const int32_t code[] = {
        BC_OP_SIN, 1, 0, 0, 0,
        BC_OP_SUB, 1, 1, 0, 0,
        BC_OP_NEG, 2, 0, 0, 0,
        BC_OP_EXP, 2, 2, 0, 0,
        BC_OP_ADD, 2, 2, 5, 0,
        BC_OP_DIV, 3, 1, 2, 0,
        BC_OP_FMA, 0, 3, 4, 0,
    };
    const int32_t kind[] = {BC_REG_VAR, BC_REG_TEMP, BC_REG_TEMP,
                            BC_REG_TEMP, BC_REG_CONST, BC_REG_CONST};
    const int32_t index[] = {0, 0, 0, 0, 0, 0};
    const double constant[] = {0, 0, 0, 0, 0.01, 1.0};
    bc_program p = {.n_instr = 7, .code = code, .n_regs = 6,
                    .reg_kind = kind, .reg_index = index,
                    .reg_const = constant, .out_reg = -1};
    CHECK(bc_program_check(&p, 1, 0) == BC_OK);
    static double serial[N], split[N];
    for (bc_index i = 0; i < N; i++) {
        serial[i] = split[i] = sin(0.37 * i) * 3.0;
    }
    bc_group a, b;
    CHECK(bc_group_init(&a, N, 1, serial, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_init(&b, N, 1, split, 1e-4, 1, 0) == BC_OK);
    CHECK(bc_group_set_update(&a, &p, NULL) == BC_OK);
    CHECK(bc_group_set_update(&b, &p, NULL) == BC_OK);
    CHECK(b.update_cost > BC_PARALLEL_MIN_COST);   /* 3.3 ns a neuron */
    CHECK(bc_group_update_is_parallel(&b));
    bc_thread_pool pool;
    CHECK(bc_thread_pool_init(&pool, THREADS) == BC_OK);
    pool.always_split = 1;
    CHECK(bc_group_reserve_threads(&b, pool.n_threads) == BC_OK);
    CHECK(b.n_thread_vms == pool.n_threads - 1);
    CHECK(bc_group_reserve_threads(&b, 2) == BC_OK);    /* keeps more */
    CHECK(b.n_thread_vms == pool.n_threads - 1);
    for (bc_step s = 0; s < STEPS; s++) {
        bc_group_update(&a, s, NULL);
        bc_group_update(&b, s, &pool);
    }
    CHECK(memcmp(serial, split, sizeof(serial)) == 0);
    /* A new program drops the threads' scratch (it was the old one's). */
    CHECK(bc_group_set_update(&b, &p, NULL) == BC_OK);
    CHECK(b.n_thread_vms == 0 && b.thread_vms == NULL);
    bc_thread_pool_free(&pool);
    bc_group_free(&a);
    bc_group_free(&b);
}

int
main(void)
{
    test_init_and_free();
    test_every_index_once();
    test_many_loops_few_chunks();
    test_fork_child_leaves_the_parents_pool();
    test_tuner_drops_a_slower_split();
    test_group_update_split_is_bit_identical();
    return check_report();
}
