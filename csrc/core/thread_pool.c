/* thread_pool.c -- C core: worker threads for a parallel for (pthreads,
 * C11 atomics).  Protocol: the caller writes the loop, then publishes it
 * in one atomic word that threads claim chunks from; a chunk's finish is
 * counted in `done`; the caller returns when all chunks are done. */
#define _POSIX_C_SOURCE 200809L

#include "thread_pool.h"

#include <assert.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long an idle thread polls before it sleeps: longer than the serial
 * part of a typical step (threshold, propagation, monitors: a few us), so
 * workers are awake for the next step's update, yet short enough not to
 * steal much from other processes when the machine is oversubscribed. */
#define SPIN_NS 50000

/* A tuner running serially tries the split again after PROBE_FIRST
 * windows, doubling the wait after each failed probe up to PROBE_MOST,
 * and keeps the split only if it is at least SPLIT_GAIN faster: a split
 * that merely ties keeps a second CPU busy for nothing. */
#define PROBE_FIRST 16
#define PROBE_MOST 256
#define SPLIT_GAIN 0.9

#define FIELD_BITS 20
#define FIELD_MASK ((UINT64_C(1) << FIELD_BITS) - 1)
#define MAX_CHUNKS ((int64_t)FIELD_MASK)
#define GEN_MASK ((UINT64_C(1) << (64 - 2 * FIELD_BITS)) - 1)

static uint64_t
pack(uint64_t gen, int64_t lo, int64_t hi)
{
    return (gen & GEN_MASK) << (2 * FIELD_BITS) |
           (uint64_t)lo << FIELD_BITS | (uint64_t)hi;
}

static uint64_t
gen_of(uint64_t word)
{
    return word >> (2 * FIELD_BITS);
}

static int64_t
lo_of(uint64_t word)
{
    return (int64_t)((word >> FIELD_BITS) & FIELD_MASK);
}

static int64_t
hi_of(uint64_t word)
{
    return (int64_t)(word & FIELD_MASK);
}

static void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static int64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Claims one chunk of generation gen, from the front (caller) or the
 * back (workers).  -1 when none is left or the loop is no longer gen. */
static int64_t
claim_chunk(bc_thread_pool *pool, uint64_t gen, int front)
{
    uint64_t word = atomic_load_explicit(&pool->claim, memory_order_acquire);
    for (;;) {
        int64_t lo = lo_of(word), hi = hi_of(word);
        if (gen_of(word) != (gen & GEN_MASK) || lo >= hi) {
            return -1;
        }
        uint64_t next = front ? pack(gen, lo + 1, hi)
                              : pack(gen, lo, hi - 1);
        if (atomic_compare_exchange_weak_explicit(
                &pool->claim, &word, next, memory_order_acq_rel,
                memory_order_acquire)) {
            return front ? lo : hi - 1;
        }
    }
}

/* Runs claimed chunks until none is left and returns how many; only
 * reads the loop's fields while holding a chunk not yet counted done. */
static int64_t
run_chunks(bc_thread_pool *pool, uint64_t gen, int32_t thread)
{
    int front = thread == 0;
    int64_t c, ran = 0;
    while ((c = claim_chunk(pool, gen, front)) >= 0) {
        ran++;
        int64_t n_chunks = pool->n_chunks;
        bc_index begin = (bc_index)(c * pool->grain);
        bc_index end = c + 1 == n_chunks ? pool->n
                                         : (bc_index)((c + 1) * pool->grain);
        pool->fn(pool->ctx, thread, begin, end);
        int64_t before = atomic_fetch_add(&pool->done, 1);
        if (thread != 0 && before + 1 == n_chunks &&
            atomic_load(&pool->caller_waiting)) {
            pthread_mutex_lock(&pool->lock);
            pthread_cond_signal(&pool->work_done);
            pthread_mutex_unlock(&pool->lock);
        }
    }
    return ran;
}

typedef struct worker_arg {
    bc_thread_pool *pool;
    int32_t thread;
} worker_arg;

static void *
worker_main(void *p)
{
    worker_arg arg = *(worker_arg *)p;
    free(p);
    bc_thread_pool *pool = arg.pool;
    uint64_t seen = 0;      /* generation 0 is never a loop */
    for (;;) {
        uint64_t word = atomic_load_explicit(&pool->claim,
                                             memory_order_acquire);
        int64_t spin_until = 0;
        for (unsigned k = 0; gen_of(word) == seen &&
                             !atomic_load_explicit(&pool->stop,
                                                   memory_order_relaxed);
             k++) {
            /* Read the clock rarely: it costs more than a poll. */
            if ((k & 255) == 0) {
                int64_t t = now_ns();
                if (spin_until == 0) {
                    spin_until = t + SPIN_NS;
                } else if (t > spin_until) {
                    break;
                }
            }
            cpu_relax();
            word = atomic_load_explicit(&pool->claim, memory_order_acquire);
        }
        if (gen_of(word) == seen && !atomic_load(&pool->stop)) {
            /* Sleep.  sleepers is raised before claim is read again, and
             * the caller reads sleepers after publishing (both seq_cst),
             * so one of the two sees the other: no lost wake-up. */
            pthread_mutex_lock(&pool->lock);
            atomic_fetch_add(&pool->sleepers, 1);
            while (gen_of(word = atomic_load(&pool->claim)) == seen &&
                   !atomic_load(&pool->stop)) {
                pthread_cond_wait(&pool->work_ready, &pool->lock);
            }
            atomic_fetch_sub(&pool->sleepers, 1);
            pthread_mutex_unlock(&pool->lock);
        }
        if (atomic_load(&pool->stop)) {
            return NULL;
        }
        seen = gen_of(word);
        (void)run_chunks(pool, seen, arg.thread);
    }
}

int32_t
bc_thread_pool_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) {
        return 1;
    }
    return n > BC_POOL_MAX_THREADS ? BC_POOL_MAX_THREADS : (int32_t)n;
}

bc_status
bc_thread_pool_init(bc_thread_pool *pool, int32_t n_threads)
{
    memset(pool, 0, sizeof(*pool));
    if (n_threads < 1 || n_threads > BC_POOL_MAX_THREADS) {
        return BC_EINVAL;
    }
    pool->n_threads = 1;
    pool->owner = getpid();
    if (n_threads == 1) {
        return BC_OK;
    }
    pool->workers = calloc((size_t)n_threads - 1, sizeof(pthread_t));
    if (pool->workers == NULL) {
        return BC_ENOMEM;
    }
    if (pthread_mutex_init(&pool->lock, NULL) != 0) {
        goto fail;
    }
    if (pthread_cond_init(&pool->work_ready, NULL) != 0) {
        pthread_mutex_destroy(&pool->lock);
        goto fail;
    }
    if (pthread_cond_init(&pool->work_done, NULL) != 0) {
        pthread_cond_destroy(&pool->work_ready);
        pthread_mutex_destroy(&pool->lock);
        goto fail;
    }
    pool->sync_ready = 1;
    /* Workers inherit a mask blocking every signal, so that Ctrl-C and
     * the like always reach the thread that runs the interpreter. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (int32_t t = 1; t < n_threads; t++) {
        worker_arg *arg = malloc(sizeof(*arg));
        if (arg == NULL) {
            break;
        }
        arg->pool = pool;
        arg->thread = t;
        if (pthread_create(&pool->workers[t - 1], NULL, worker_main,
                           arg) != 0) {
            free(arg);
            break;      /* keep the threads we have */
        }
        pool->n_threads = t + 1;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return BC_OK;
fail:
    free(pool->workers);
    pool->workers = NULL;
    return BC_ENOMEM;
}

int
bc_thread_pool_inherited(const bc_thread_pool *pool)
{
    return pool->owner != 0 && pool->owner != getpid();
}

void
bc_thread_pool_free(bc_thread_pool *pool)
{
    /* In a fork child, joining would wait forever for threads that were
     * never copied, and destroying a lock or condition a parent's thread
     * held or waited on is undefined: leave them be. */
    if (pool->sync_ready && !bc_thread_pool_inherited(pool)) {
        pthread_mutex_lock(&pool->lock);
        atomic_store(&pool->stop, 1);
        pthread_cond_broadcast(&pool->work_ready);
        pthread_mutex_unlock(&pool->lock);
        for (int32_t t = 1; t < pool->n_threads; t++) {
            pthread_join(pool->workers[t - 1], NULL);
        }
        pthread_cond_destroy(&pool->work_done);
        pthread_cond_destroy(&pool->work_ready);
        pthread_mutex_destroy(&pool->lock);
    }
    free(pool->workers);
    memset(pool, 0, sizeof(*pool));
}

/* The split loop of bc_thread_pool_for, for a pool of at least two
 * threads and n > 0.  *serial_ns receives an estimate of the loop's
 * serial time: the caller's time per chunk times the chunks. */
static void
split_for(bc_thread_pool *pool, bc_index n, bc_index grain, bc_pool_fn fn,
          void *ctx, double *serial_ns)
{
    int64_t n_chunks = ((int64_t)n + grain - 1) / grain;
    if (n_chunks > MAX_CHUNKS) {
        /* Coarser chunks, still whole multiples of grain. */
        int64_t k = (n_chunks + MAX_CHUNKS - 1) / MAX_CHUNKS;
        grain = (bc_index)((int64_t)grain * k);
        n_chunks = ((int64_t)n + grain - 1) / grain;
    }
    /* Every chunk of the previous loop is done, so no thread reads these
     * fields now; a late worker's claim fails on the new generation. */
    pool->fn = fn;
    pool->ctx = ctx;
    pool->n = n;
    pool->grain = grain;
    pool->n_chunks = n_chunks;
    atomic_store_explicit(&pool->done, 0, memory_order_relaxed);
    uint64_t gen = gen_of(atomic_load(&pool->claim)) + 1;
    if ((gen & GEN_MASK) == 0) {
        gen = 1;        /* 0 is the workers' "nothing seen yet" */
    }
    atomic_store(&pool->claim, pack(gen, 0, n_chunks));
    if (atomic_load(&pool->sleepers) > 0) {
        pthread_mutex_lock(&pool->lock);
        pthread_cond_broadcast(&pool->work_ready);
        pthread_mutex_unlock(&pool->lock);
    }
    int64_t t0 = now_ns();
    int64_t mine = run_chunks(pool, gen, 0);
    /* The caller always runs at least one chunk unless the workers took
     * them all; then the loop cost it nothing of its own. */
    *serial_ns = mine > 0 ? (double)(now_ns() - t0) / (double)mine *
                            (double)n_chunks : 0.0;

    /* Wait for chunks the workers hold: poll, then sleep. */
    int64_t spin_until = 0;
    for (unsigned k = 0; atomic_load_explicit(&pool->done,
                                              memory_order_acquire)
                         < n_chunks; k++) {
        if ((k & 255) == 0) {
            int64_t t = now_ns();
            if (spin_until == 0) {
                spin_until = t + SPIN_NS;
            } else if (t > spin_until) {
                pthread_mutex_lock(&pool->lock);
                atomic_store(&pool->caller_waiting, 1);
                while (atomic_load(&pool->done) < n_chunks) {
                    pthread_cond_wait(&pool->work_done, &pool->lock);
                }
                atomic_store(&pool->caller_waiting, 0);
                pthread_mutex_unlock(&pool->lock);
                break;
            }
        }
        cpu_relax();
    }
}

void
bc_thread_pool_for(bc_thread_pool *pool, bc_index n, bc_index grain,
                   bc_pool_fn fn, void *ctx)
{
    assert(n >= 0 && grain >= 1);
    if (n == 0) {
        return;
    }
    if (pool == NULL || pool->n_threads < 2 || n <= grain) {
        fn(ctx, 0, 0, n);
        return;
    }
    double serial_ns;
    split_for(pool, n, grain, fn, ctx, &serial_ns);
}

void
bc_thread_pool_for_tuned(bc_thread_pool *pool, bc_pool_tuner *tuner,
                         bc_index n, bc_index grain, bc_pool_fn fn,
                         void *ctx)
{
    assert(n >= 0 && grain >= 1);
    if (pool == NULL || pool->n_threads < 2 || n <= grain) {
        fn(ctx, 0, 0, n);
        return;
    }
    if (pool->always_split) {
        bc_thread_pool_for(pool, n, grain, fn, ctx);
        return;
    }
    if (tuner->serial) {
        fn(ctx, 0, 0, n);
        if (++tuner->calls == BC_TUNER_WINDOW) {
            tuner->calls = 0;
            if (++tuner->windows >= tuner->probe_after) {
                tuner->windows = 0;
                tuner->serial = 0;      /* probe: one window split */
                tuner->probing = 1;
            }
        }
        return;
    }
    /* Split, timing the loop against the serial time it replaces.  The
     * latter comes from the caller's own chunks; their fastest loop in
     * the window stands for the serial loop, since a caller that shares
     * its CPU (with a worker or another process) has its chunks slowed
     * by the others' time slices. */
    double serial_ns;
    int64_t t0 = now_ns();
    split_for(pool, n, grain, fn, ctx, &serial_ns);
    tuner->split_ns += (double)(now_ns() - t0);
    if (serial_ns > 0.0 &&
        (tuner->serial_ns == 0.0 || serial_ns < tuner->serial_ns)) {
        tuner->serial_ns = serial_ns;
    }
    if (++tuner->calls == BC_TUNER_WINDOW) {
        double split_mean = tuner->split_ns / BC_TUNER_WINDOW;
        tuner->serial = !(split_mean < SPLIT_GAIN * tuner->serial_ns);
        if (!tuner->serial || !tuner->probing) {
            tuner->probe_after = PROBE_FIRST;   /* a fresh start */
        } else if (tuner->probe_after < PROBE_MOST) {
            tuner->probe_after *= 2;            /* still busy: wait longer */
        }
        tuner->probing = 0;
        tuner->calls = 0;
        tuner->split_ns = 0.0;
        tuner->serial_ns = 0.0;
    }
}
