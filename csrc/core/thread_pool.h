/* thread_pool.h -- C core: a few worker threads that split a loop over
 * [0, n) with the calling thread ("parallel for").  Meant for steps of
 * 10-100 us of work: idle workers spin briefly, then sleep on a condition
 * variable, so that they neither add wake-up latency to back-to-back loops
 * nor steal a busy machine's CPUs between runs. */
#ifndef BC_THREAD_POOL_H
#define BC_THREAD_POOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "types.h"

/* Most threads a pool runs (caller included): far beyond any core count
 * the simulations need, small enough for the claim word's fields. */
#define BC_POOL_MAX_THREADS 256

/* Bytes in a cache line, for keeping the threads' shared words apart. */
#define BC_CACHE_LINE 64

/* Work on [begin, end) as thread `thread` (0 is the caller, workers are
 * 1..n_threads-1).  One thread's calls never overlap, so per-thread
 * scratch indexed by `thread` needs no locking. */
typedef void (*bc_pool_fn)(void *ctx, int32_t thread, bc_index begin,
                           bc_index end);

typedef struct bc_thread_pool {
    int32_t n_threads;          /* threads that work, caller included */
    pthread_t *workers;         /* owned; n_threads - 1 */
    pthread_mutex_t lock;       /* guards the two condition variables */
    pthread_cond_t work_ready;  /* a new loop, or stop */
    pthread_cond_t work_done;   /* the last chunk of a loop finished */
    int sync_ready;             /* lock and conditions initialised */
    pid_t owner;                /* the process whose threads these are */
    int always_split;           /* tuners always split (tests) */

    /* The loop being run: written by the caller before it publishes the
     * loop in `claim`, read by a worker only while it holds an unfinished
     * chunk (so the caller cannot have moved on to the next loop).  The
     * fields every chunk touches sit on cache lines of their own: a claim
     * or a finish then moves one line between cores, not the loop's
     * read-only fields as well. */
    _Alignas(BC_CACHE_LINE) bc_pool_fn fn;
    void *ctx;
    bc_index n, grain;
    int64_t n_chunks;

    /* generation (24 bits) | first unclaimed chunk (20) | end of the
     * unclaimed chunks (20).  The caller claims from the front, workers
     * from the back, so with two threads each keeps the same neurons
     * (and their cache lines) from step to step; the generation keeps a
     * late worker from claiming a chunk of a loop it did not read. */
    _Alignas(BC_CACHE_LINE) _Atomic uint64_t claim;
    _Atomic int32_t stop;       /* workers exit */
    _Alignas(BC_CACHE_LINE) _Atomic int64_t done;   /* chunks finished in
                                                       this loop */
    _Alignas(BC_CACHE_LINE) _Atomic int32_t sleepers;   /* workers waiting
                                                           on work_ready */
    _Atomic int32_t caller_waiting;     /* caller waiting on work_done */
} bc_thread_pool;

/* Online CPUs (sysconf), at least 1 and at most BC_POOL_MAX_THREADS. */
int32_t bc_thread_pool_cpus(void);

/* A pool of n_threads threads, the caller included: n_threads - 1
 * workers are started.  BC_EINVAL unless 1 <= n_threads <=
 * BC_POOL_MAX_THREADS, BC_ENOMEM on allocation failure.  If the system
 * refuses a thread, the pool keeps those it has (n_threads says how
 * many).  On failure the pool is safe to free. */
bc_status bc_thread_pool_init(bc_thread_pool *pool, int32_t n_threads);

/* Stops and joins the workers; safe on a zeroed struct; zeroes it.  In
 * a process forked from the owner (see bc_thread_pool_inherited) it only
 * releases the memory: the workers do not exist there, and the lock may
 * be held forever by one of them. */
void bc_thread_pool_free(bc_thread_pool *pool);

/* Whether the pool was started by another process: this one is a fork
 * child, which has the pool's memory but none of its worker threads
 * (fork copies only the calling thread).  Such a pool must not run a
 * loop; free it and start a new one. */
int bc_thread_pool_inherited(const bc_thread_pool *pool);

/* The pool must stay at the same address from init to free (the workers
 * hold it).
 *
 * Calls fn over [0, n) cut into chunks of `grain` (the last may be
 * shorter), each chunk exactly once, on the pool's threads and the
 * caller's, and returns when all are done.  Chunk boundaries are
 * multiples of grain, whichever thread runs them.  pool may be NULL (one
 * call fn(ctx, 0, 0, n)).  Not reentrant: one caller at a time, and fn
 * must not use the same pool. */
void bc_thread_pool_for(bc_thread_pool *pool, bc_index n, bc_index grain,
                        bc_pool_fn fn, void *ctx);

/* Whether splitting one recurring loop pays, learnt from its wall time:
 * on a machine whose other CPUs are busy, a split can be slower than the
 * serial loop (a worker waits for a CPU while holding a chunk).  While
 * split, the mean wall time of a window of BC_TUNER_WINDOW loops is
 * compared with the serial time they replace (the caller's time per chunk
 * times the chunks, in its fastest loop); a split that does not gain 10 %
 * turns serial, and a serial loop tries the split again after 16 windows;
 * after 32 if that probe fails too, and so on up to 256, so that a
 * machine that stays busy pays little for the probes.  The loop must keep
 * the same n and grain.  Zeroed is the starting state (split). */
#define BC_TUNER_WINDOW 32
typedef struct bc_pool_tuner {
    int serial;                 /* 1: serial until the next probe */
    int probing;                /* this split window is a probe */
    int32_t calls;              /* loops in this window so far */
    int32_t windows;            /* serial windows since the last probe */
    int32_t probe_after;        /* serial windows before the next probe
                                   (0: the first interval) */
    double split_ns;            /* this window's split loops: wall time */
    double serial_ns;           /* least estimated serial time of one of
                                   them, 0 if none yet */
} bc_pool_tuner;

/* bc_thread_pool_for, run split or serially as the tuner decides (always
 * split if pool->always_split). */
void bc_thread_pool_for_tuned(bc_thread_pool *pool, bc_pool_tuner *tuner,
                              bc_index n, bc_index grain, bc_pool_fn fn,
                              void *ctx);

#endif
