/* synapse_construction.h -- C core: the (pre, post) pairs a Synapses
 * object creates, for a block of rows (presynaptic neurons pre[0..n_pre))
 * and candidate columns (postsynaptic neurons post[0..n_post)):
 *
 *   - every pair, the block repeated `times` times (S[i, j] = True or n);
 *   - each pair with probability p (connect_random, S[i, j] = 0.1), rows
 *     drawn by the random rows sampler, so the pairs are those of
 *     bc_random_pairs mapped through pre and post;
 *   - the pairs where a compiled condition holds, or (for a numeric
 *     condition) kept with that probability (S[i, j] = 'i == j').
 *
 * Pairs come out row by row, in row order, columns ascending.  A row is a
 * pure function of (seed, stream, row number), so the pairs are the same
 * on any number of threads. */
#ifndef BC_SYNAPSE_CONSTRUCTION_H
#define BC_SYNAPSE_CONSTRUCTION_H

#include "expr_vm.h"
#include "types.h"

/* Where the pairs go: n pairs, pre[k] and post[k] (neuron numbers), owned
 * arrays of exactly n entries (NULL when n == 0). */
typedef struct bc_pair_list {
    bc_index *pre, *post;
    bc_count n;
} bc_pair_list;

void bc_pair_list_free(bc_pair_list *l);    /* safe on a zeroed struct */

/* out_pre/out_post (n_pre * n_post * times entries each) = every pair,
 * row by row, the whole block repeated `times` times (times >= 0). */
void bc_full_pairs(const bc_index *pre, bc_index n_pre, const bc_index *post,
                   bc_index n_post, bc_count times, bc_index *out_pre,
                   bc_index *out_post);

/* Each pair kept with probability p in [0, 1] (BC_EINVAL otherwise): row k
 * holds the columns bc_random_pairs(seed, stream, 0, n_pre, 0, n_post, p)
 * gives it.  n_threads: 0 one per CPU, else at most that many. */
bc_status bc_random_pair_list(uint64_t seed, uint64_t stream,
                              const bc_index *pre, bc_index n_pre,
                              const bc_index *post, bc_index n_post,
                              double p, int32_t n_threads,
                              bc_pair_list *out);

/* A condition over the pairs of a block.  The program reads VAR rows
 * 0..n_vars-1 (no ARRAY registers) and returns its value in out_reg; VAR
 * row r of the pair (row k, column c) is values[r][k] if per_row[r], else
 * values[r][c] (i, a variable gathered by i; j, one gathered by j).
 * RAND/RANDN in the program draw at (seed, stream + substream, step = k,
 * index = c).  With draw_substream < 0 the value is a truth value (nonzero:
 * the pair is kept); otherwise it is a probability, checked to be in
 * [0, 1], and the pair is kept when u = (w + r) / 2^32 is below it: w the
 * raw 32-bit word c % 4 of counter c / 4 (bc_rng_words at (seed, stream +
 * draw_substream, step k)), r drawn only when w alone cannot tell (w =
 * floor(p 2^32)), as bc_rng_uniform at (seed, stream + draw_substream, k,
 * c).  So a pair is kept with probability p exactly, for a quarter of a
 * cipher call. */
typedef struct bc_condition {
    const bc_program *program;  /* borrowed; checked for n_vars rows */
    int32_t n_vars;
    const double *const *values;    /* borrowed; n_vars arrays */
    const uint8_t *per_row;     /* borrowed; n_vars flags */
    uint64_t seed, stream;
    int32_t draw_substream;     /* -1: a truth value */
} bc_condition;

/* Where a probability condition went wrong: the first bad pair in row
 * order (its row and column positions and the value). */
typedef struct bc_condition_error {
    bc_index row, col;
    double value;
} bc_condition_error;

/* The pairs of the block where cond holds.  BC_EINVAL if the program does
 * not fit (bc_program_check) or has no output; BC_ERANGE if a
 * probability is NaN or outside [0, 1], with *err naming the first such
 * pair (out then holds nothing).  n_threads as above. */
bc_status bc_condition_pair_list(const bc_condition *cond,
                                 const bc_index *pre, bc_index n_pre,
                                 const bc_index *post, bc_index n_post,
                                 int32_t n_threads, bc_pair_list *out,
                                 bc_condition_error *err);

/* A string assigned to synaptic variables (S.w = 'rand()*gmax'): an
 * expression over each synapse's own rows, its presynaptic neuron's and
 * its postsynaptic neuron's.  VAR row r of synapse e is rows[r][e] (space
 * 0), rows[r][pre[e]] (space 1) or rows[r][post[e]] (space 2); row r has
 * row_len[r] values.  RAND/RANDN draw at (seed, stream + substream, step,
 * index = e), so a synapse's numbers do not depend on the threads or on
 * which other synapses are evaluated with it. */
typedef struct bc_synapse_expr {
    const bc_program *program;  /* borrowed; no ARRAY registers, no write
                                   to a VAR row, an output */
    int32_t n_vars;
    const double *const *rows;  /* borrowed; n_vars rows */
    const bc_index *row_len;    /* borrowed; n_vars lengths */
    const int8_t *space;        /* borrowed; n_vars values in 0..2 */
    const bc_index *pre, *post; /* borrowed; n_syn entries each (NULL if
                                   no row of that space) */
    bc_index n_syn;
    uint64_t seed, stream;
    bc_step step;
} bc_synapse_expr;

/* out[k] = the expression for synapse ids[k], k < n (ids NULL: synapse
 * k, n == n_syn); *n_nan = how many of them are NaN.  BC_EINVAL if the
 * program does not fit or a space is unknown; BC_ERANGE if an id is not
 * a synapse or a pre/post entry a row reads falls outside it (out then
 * untouched).  n_threads as above: fixed chunks, same values on any
 * count. */
bc_status bc_synapse_expr_values(const bc_synapse_expr *e,
                                 const bc_index *ids, bc_index n,
                                 int32_t n_threads, double *out,
                                 bc_count *n_nan);

/* The synapses e < n (ascending) whose presynaptic neuron pre[e] is
 * flagged in in_pre (n_in_pre flags) and postsynaptic neuron post[e] in
 * in_post (n_in_post): S.w[i, j] for neuron selections i and j.  out
 * holds n entries; *n_out says how many were written.  BC_ERANGE if a
 * pre or post entry is outside its flags (out then unspecified). */
bc_status bc_synapses_between(const bc_index *pre, const bc_index *post,
                              bc_index n, const uint8_t *in_pre,
                              bc_index n_in_pre, const uint8_t *in_post,
                              bc_index n_in_post, bc_index *out,
                              bc_index *n_out);

/* out[k] = delay steps of seconds[k], (int64) (seconds[k] * inv_dt) as
 * NumPy's astype truncates, k < n; limit <= UINT16_MAX.  BC_EINVAL if a
 * delay is negative or NaN, BC_ERANGE if one is more than limit steps:
 * *worst is then that delay (the first negative one, or the longest)
 * and out is untouched. */
bc_status bc_delay_steps(const double *seconds, bc_count n, double inv_dt,
                         int64_t limit, uint16_t *out, double *worst);

#endif
