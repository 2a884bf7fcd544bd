/* py_synapse_construction.c -- binding: module functions giving the
 * (pre, post) pairs Synapses construction creates, as int32 arrays
 * (synapse_construction.h). */
#include "numpy_glue.h"

#include "synapse_construction.h"

/* Most synapses one Synapses object holds (its numbers are int32). */
#define MAX_PAIRS ((bc_count)BC_INDEX_MAX)

static PyObject *
too_many(double n)
{
    return PyErr_Format(PyExc_ValueError, "Synapses: %.0f synapses asked "
                        "for, more than 2**31 - 1", n);
}

/* Neuron numbers as an int32 1-d array, each in [0, BC_INDEX_MAX]. */
static PyArrayObject *
neuron_array(PyObject *obj, const char *what)
{
    PyArrayObject *a = bc_as_array(obj, NPY_INT32, 1, what);
    if (a == NULL) {
        return NULL;
    }
    const bc_index *x = PyArray_DATA(a);
    for (npy_intp k = 0; k < PyArray_DIM(a, 0); k++) {
        if (x[k] < 0) {
            PyErr_Format(PyExc_IndexError, "%s: negative neuron index %d",
                         what, (int)x[k]);
            Py_DECREF(a);
            return NULL;
        }
    }
    return a;
}

/* The presynaptic and postsynaptic neuron arrays of a block (0 and both
 * left NULL on error). */
static int
neuron_pair(PyObject *i_o, PyObject *j_o, PyArrayObject **i,
            PyArrayObject **j)
{
    *i = neuron_array(i_o, "presynaptic indices");
    *j = *i ? neuron_array(j_o, "postsynaptic indices") : NULL;
    if (*j == NULL) {
        Py_XDECREF(*i);
        *i = NULL;
        return 0;
    }
    return 1;
}

/* (pre, post) int32 arrays of n entries, NULL with an exception. */
static PyObject *
new_pair_arrays(bc_count n, bc_index **pre, bc_index **post)
{
    npy_intp dims[1] = {(npy_intp)n};
    PyObject *a = PyArray_SimpleNew(1, dims, NPY_INT32);
    PyObject *b = PyArray_SimpleNew(1, dims, NPY_INT32);
    if (a == NULL || b == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    *pre = PyArray_DATA((PyArrayObject *)a);
    *post = PyArray_DATA((PyArrayObject *)b);
    return Py_BuildValue("(NN)", a, b);
}

static void
free_capsule(PyObject *capsule)
{
    free(PyCapsule_GetPointer(capsule, "brianc.pairs"));
}

/* An int32 array over malloc'd data (NULL: an empty array), which it
 * frees; the data is freed on failure too. */
static PyObject *
adopt(bc_index *data, bc_count n)
{
    npy_intp dims[1] = {(npy_intp)n};
    if (data == NULL) {
        return PyArray_SimpleNew(1, dims, NPY_INT32);
    }
    PyObject *owner = PyCapsule_New(data, "brianc.pairs", free_capsule);
    if (owner == NULL) {
        free(data);
        return NULL;
    }
    PyObject *a = PyArray_SimpleNewFromData(1, dims, NPY_INT32, data);
    if (a == NULL) {
        Py_DECREF(owner);       /* frees data */
        return NULL;
    }
    /* steals owner, on failure too */
    if (PyArray_SetBaseObject((PyArrayObject *)a, owner) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    return a;
}

/* A pair list handed over to (pre, post) arrays (no copy); the list is
 * left empty. */
static PyObject *
pair_arrays(bc_pair_list *l)
{
    bc_count n = l->n;
    bc_index *pre = l->pre, *post = l->post;
    memset(l, 0, sizeof(*l));
    PyObject *a = adopt(pre, n);
    if (a == NULL) {
        free(post);
        return NULL;
    }
    PyObject *b = adopt(post, n);
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    return Py_BuildValue("(NN)", a, b);
}

/* full_pairs(i, j, times) -> (pre, post) */
static PyObject *
full_pairs(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *i_o, *j_o;
    long long times;
    if (!PyArg_ParseTuple(args, "OOL", &i_o, &j_o, &times)) {
        return NULL;
    }
    if (times < 0) {
        return PyErr_Format(PyExc_ValueError, "full_pairs: times must be "
                            ">= 0, got %lld", times);
    }
    PyArrayObject *i, *j;
    if (!neuron_pair(i_o, j_o, &i, &j)) {
        return NULL;
    }
    PyObject *out = NULL;
    bc_index n_i = (bc_index)PyArray_DIM(i, 0);
    bc_index n_j = (bc_index)PyArray_DIM(j, 0);
    double n = (double)n_i * (double)n_j * (double)times;
    if (n > (double)MAX_PAIRS) {
        too_many(n);
    }
    else {
        bc_index *pre, *post;
        out = new_pair_arrays((bc_count)n, &pre, &post);
        if (out != NULL) {
            const bc_index *a = PyArray_DATA(i), *b = PyArray_DATA(j);
            Py_BEGIN_ALLOW_THREADS
            bc_full_pairs(a, n_i, b, n_j, times, pre, post);
            Py_END_ALLOW_THREADS
        }
    }
    Py_DECREF(i);
    Py_DECREF(j);
    return out;
}

/* random_pairs(seed, stream, i, j, p, n_threads) -> (pre, post) */
static PyObject *
random_pairs(PyObject *Py_UNUSED(module), PyObject *args)
{
    unsigned long long seed, stream;
    PyObject *i_o, *j_o;
    double p;
    int n_threads;
    if (!PyArg_ParseTuple(args, "KKOOdi", &seed, &stream, &i_o, &j_o, &p,
                          &n_threads)) {
        return NULL;
    }
    if (!(p >= 0.0 && p <= 1.0)) {
        return PyErr_Format(PyExc_ValueError, "connection probability must "
                            "be in [0, 1], got %g", p);
    }
    PyArrayObject *i, *j;
    if (!neuron_pair(i_o, j_o, &i, &j)) {
        return NULL;
    }
    bc_index n_i = (bc_index)PyArray_DIM(i, 0);
    bc_index n_j = (bc_index)PyArray_DIM(j, 0);
    const bc_index *a = PyArray_DATA(i), *b = PyArray_DATA(j);
    bc_pair_list l;
    bc_status st;
    Py_BEGIN_ALLOW_THREADS
    st = bc_random_pair_list(seed, stream, a, n_i, b, n_j, p, n_threads, &l);
    Py_END_ALLOW_THREADS
    Py_DECREF(i);
    Py_DECREF(j);
    if (st != BC_OK) {
        return bc_status_error(st, "random_pairs");
    }
    if (l.n > MAX_PAIRS) {
        bc_pair_list_free(&l);
        return too_many((double)l.n);
    }
    return pair_arrays(&l);
}

/* The condition's state rows: each a float64 array of len(i) values
 * (per_row) or len(j); the arrays are appended to keep. */
static int
condition_rows(PyObject *values_o, PyObject *per_row_o, bc_index n_i,
               bc_index n_j, PyObject *keep, const double **values,
               uint8_t *per_row, Py_ssize_t n_vars)
{
    for (Py_ssize_t r = 0; r < n_vars; r++) {
        int by_row = PyObject_IsTrue(PyTuple_GET_ITEM(per_row_o, r));
        if (by_row < 0) {
            return -1;
        }
        PyArrayObject *a = bc_as_array(PyTuple_GET_ITEM(values_o, r),
                                       NPY_FLOAT64, 1, "condition values");
        if (a == NULL || PyList_Append(keep, (PyObject *)a) < 0) {
            Py_XDECREF(a);
            return -1;
        }
        Py_DECREF(a);
        if (PyArray_DIM(a, 0) != (by_row ? n_i : n_j)) {
            PyErr_Format(PyExc_ValueError, "condition values: row %zd has "
                         "%zd values, expected %d", r,
                         (Py_ssize_t)PyArray_DIM(a, 0),
                         (int)(by_row ? n_i : n_j));
            return -1;
        }
        values[r] = PyArray_DATA(a);
        per_row[r] = (uint8_t)by_row;
    }
    return 0;
}

/* condition_pairs(program, values, per_row, i, j, seed, stream,
 *                 draw_substream, n_threads) -> (pre, post, bad) */
static PyObject *
condition_pairs(PyObject *module, PyObject *args)
{
    PyObject *prog_o, *values_o, *per_row_o, *i_o, *j_o;
    unsigned long long seed, stream;
    int draw, n_threads;
    if (!PyArg_ParseTuple(args, "OO!O!OOKKii", &prog_o, &PyTuple_Type,
                          &values_o, &PyTuple_Type, &per_row_o, &i_o, &j_o,
                          &seed, &stream, &draw, &n_threads)) {
        return NULL;
    }
    module_state *ms = PyModule_GetState(module);
    if (ms == NULL || !PyObject_TypeCheck(prog_o, ms->ProgramType)) {
        PyErr_SetString(PyExc_TypeError, "expected a _core.Program");
        return NULL;
    }
    Py_ssize_t n_vars = PyTuple_GET_SIZE(values_o);
    if (PyTuple_GET_SIZE(per_row_o) != n_vars || n_vars > INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "condition_pairs: one per_row "
                        "flag per values row");
        return NULL;
    }
    PyArrayObject *i = neuron_array(i_o, "presynaptic indices");
    PyArrayObject *j = i ? neuron_array(j_o, "postsynaptic indices") : NULL;
    PyObject *keep = j ? PyList_New(0) : NULL;
    const double **values = PyMem_Calloc((size_t)n_vars + 1,
                                         sizeof(double *));
    uint8_t *per_row = PyMem_Calloc((size_t)n_vars + 1, 1);
    PyObject *out = NULL;
    if (keep == NULL || values == NULL || per_row == NULL) {
        if (keep != NULL) {
            PyErr_NoMemory();
        }
        goto done;
    }
    bc_index n_i = (bc_index)PyArray_DIM(i, 0);
    bc_index n_j = (bc_index)PyArray_DIM(j, 0);
    if (condition_rows(values_o, per_row_o, n_i, n_j, keep, values, per_row,
                       n_vars) < 0) {
        goto done;
    }
    bc_condition cond = {&((ProgramObject *)prog_o)->prog, (int32_t)n_vars,
                         values, per_row, seed, stream, draw};
    const bc_index *a = PyArray_DATA(i), *b = PyArray_DATA(j);
    bc_pair_list l;
    bc_condition_error err = {0, 0, 0.0};
    bc_status st;
    Py_BEGIN_ALLOW_THREADS
    st = bc_condition_pair_list(&cond, a, n_i, b, n_j, n_threads, &l, &err);
    Py_END_ALLOW_THREADS
    if (st == BC_ERANGE) {
        out = Py_BuildValue("(OO(iid))", Py_None, Py_None, (int)err.row,
                            (int)err.col, err.value);
    }
    else if (st != BC_OK) {
        bc_status_error(st, "condition_pairs: the condition program does "
                        "not fit");
    }
    else if (l.n > MAX_PAIRS) {
        bc_pair_list_free(&l);
        too_many((double)l.n);
    }
    else {
        PyObject *pairs = pair_arrays(&l);
        if (pairs != NULL) {
            out = Py_BuildValue("(OOO)", PyTuple_GET_ITEM(pairs, 0),
                                PyTuple_GET_ITEM(pairs, 1), Py_None);
            Py_DECREF(pairs);
        }
    }
done:
    PyMem_Free(values);
    PyMem_Free(per_row);
    Py_XDECREF(keep);
    Py_XDECREF(i);
    Py_XDECREF(j);
    return out;
}

/* An int32 synapse-map array (pre, post or ids), or NULL for None; 0 on
 * error. */
static int
optional_map(PyObject *obj, const char *what, PyArrayObject **out)
{
    *out = NULL;
    if (obj == Py_None) {
        return 1;
    }
    *out = bc_as_array(obj, NPY_INT32, 1, what);
    return *out != NULL;
}

/* The expression's rows: float64 1-d arrays (kept alive in keep) with
 * their lengths and spaces (0, 1 or 2). */
static int
expr_rows(PyObject *rows_o, PyObject *spaces_o, PyObject *keep,
          const double **rows, bc_index *row_len, int8_t *space)
{
    Py_ssize_t n_vars = PyTuple_GET_SIZE(rows_o);
    for (Py_ssize_t r = 0; r < n_vars; r++) {
        long sp = PyLong_AsLong(PyTuple_GET_ITEM(spaces_o, r));
        if (sp == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (sp < 0 || sp > 2) {
            PyErr_Format(PyExc_ValueError, "synapse_expr_values: row %zd "
                         "has space %ld (0, 1 or 2)", r, sp);
            return -1;
        }
        PyArrayObject *a = bc_as_array(PyTuple_GET_ITEM(rows_o, r),
                                       NPY_FLOAT64, 1, "expression rows");
        if (a == NULL || PyList_Append(keep, (PyObject *)a) < 0) {
            Py_XDECREF(a);
            return -1;
        }
        Py_DECREF(a);
        if (PyArray_DIM(a, 0) > BC_INDEX_MAX) {
            PyErr_SetString(PyExc_ValueError, "synapse_expr_values: a row "
                            "longer than 2**31 - 1");
            return -1;
        }
        rows[r] = PyArray_DATA(a);
        row_len[r] = (bc_index)PyArray_DIM(a, 0);
        space[r] = (int8_t)sp;
    }
    return 0;
}

/* Checks the maps' lengths against n_syn and runs the expression into a
 * new float64 array (NULL with an exception). */
static PyObject *
run_synapse_expr(bc_synapse_expr *e, PyArrayObject *pre, PyArrayObject *post,
                 PyArrayObject *ids, int n_threads, bc_count *n_nan)
{
    if ((pre && PyArray_DIM(pre, 0) != e->n_syn) ||
        (post && PyArray_DIM(post, 0) != e->n_syn)) {
        return PyErr_Format(PyExc_ValueError, "synapse_expr_values: pre "
                            "and post must have n_syn = %d entries",
                            (int)e->n_syn);
    }
    e->pre = pre ? PyArray_DATA(pre) : NULL;
    e->post = post ? PyArray_DATA(post) : NULL;
    npy_intp n = ids ? PyArray_DIM(ids, 0) : e->n_syn;
    if (n > BC_INDEX_MAX) {
        return too_many((double)n);
    }
    PyObject *out = PyArray_SimpleNew(1, &n, NPY_FLOAT64);
    if (out == NULL) {
        return NULL;
    }
    const bc_index *id = ids ? PyArray_DATA(ids) : NULL;
    double *od = PyArray_DATA((PyArrayObject *)out);
    bc_status st;
    Py_BEGIN_ALLOW_THREADS
    st = bc_synapse_expr_values(e, id, (bc_index)n, n_threads, od, n_nan);
    Py_END_ALLOW_THREADS
    if (st != BC_OK) {
        Py_DECREF(out);
        return bc_status_error(st, st == BC_ERANGE
                               ? "synapse_expr_values: a synapse or neuron "
                                 "index out of range"
                               : "synapse_expr_values: the program does "
                                 "not fit its rows");
    }
    return out;
}

/* synapse_expr_values(program, rows, spaces, pre, post, n_syn, ids, seed,
 *                     stream, step, n_threads) -> (values, n_nan) */
static PyObject *
synapse_expr_values(PyObject *module, PyObject *args)
{
    PyObject *prog_o, *rows_o, *spaces_o, *pre_o, *post_o, *ids_o;
    int n_syn, n_threads;
    unsigned long long seed, stream;
    long long step;
    if (!PyArg_ParseTuple(args, "OO!O!OOiOKKLi", &prog_o, &PyTuple_Type,
                          &rows_o, &PyTuple_Type, &spaces_o, &pre_o, &post_o,
                          &n_syn, &ids_o, &seed, &stream, &step,
                          &n_threads)) {
        return NULL;
    }
    module_state *ms = PyModule_GetState(module);
    if (ms == NULL || !PyObject_TypeCheck(prog_o, ms->ProgramType)) {
        PyErr_SetString(PyExc_TypeError, "expected a _core.Program");
        return NULL;
    }
    Py_ssize_t n_vars = PyTuple_GET_SIZE(rows_o);
    if (PyTuple_GET_SIZE(spaces_o) != n_vars || n_vars > INT32_MAX / 2 ||
        n_syn < 0 || step < 0) {
        PyErr_SetString(PyExc_ValueError, "synapse_expr_values: one space "
                        "per row, n_syn >= 0 and step >= 0");
        return NULL;
    }
    PyArrayObject *pre = NULL, *post = NULL, *ids = NULL;
    PyObject *keep = PyList_New(0), *out = NULL;
    const double **rows = PyMem_Calloc((size_t)n_vars + 1, sizeof(double *));
    bc_index *row_len = PyMem_Calloc((size_t)n_vars + 1, sizeof(bc_index));
    int8_t *space = PyMem_Calloc((size_t)n_vars + 1, 1);
    if (keep == NULL || rows == NULL || row_len == NULL || space == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (!optional_map(pre_o, "presynaptic indices", &pre) ||
        !optional_map(post_o, "postsynaptic indices", &post) ||
        !optional_map(ids_o, "synapse numbers", &ids) ||
        expr_rows(rows_o, spaces_o, keep, rows, row_len, space) < 0) {
        goto done;
    }
    bc_synapse_expr e = {&((ProgramObject *)prog_o)->prog, (int32_t)n_vars,
                         rows, row_len, space, NULL, NULL, (bc_index)n_syn,
                         seed, stream, (bc_step)step};
    bc_count n_nan = 0;
    PyObject *values = run_synapse_expr(&e, pre, post, ids, n_threads,
                                        &n_nan);
    if (values != NULL) {
        out = Py_BuildValue("(NL)", values, (long long)n_nan);
    }
done:
    PyMem_Free(rows);
    PyMem_Free(row_len);
    PyMem_Free(space);
    Py_XDECREF(keep);
    Py_XDECREF(pre);
    Py_XDECREF(post);
    Py_XDECREF(ids);
    return out;
}

/* A neuron selection's flags: a bool array (kept in *keep). */
static const uint8_t *
flags_of(PyObject *obj, PyArrayObject **keep, bc_index *n)
{
    *keep = bc_as_array(obj, NPY_BOOL, 1, "neuron flags");
    if (*keep == NULL) {
        return NULL;
    }
    *n = (bc_index)PyArray_DIM(*keep, 0);
    return PyArray_DATA(*keep);
}

/* synapses_between(pre, post, in_pre, in_post) -> int32 synapse numbers */
static PyObject *
synapses_between(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *pre_o, *post_o, *fi_o, *fj_o;
    if (!PyArg_ParseTuple(args, "OOOO", &pre_o, &post_o, &fi_o, &fj_o)) {
        return NULL;
    }
    PyArrayObject *pre, *post, *fi = NULL, *fj = NULL;
    PyObject *out = NULL;
    if (!neuron_pair(pre_o, post_o, &pre, &post)) {
        return NULL;
    }
    bc_index n_fi = 0, n_fj = 0;
    const uint8_t *in_pre = flags_of(fi_o, &fi, &n_fi);
    const uint8_t *in_post = in_pre ? flags_of(fj_o, &fj, &n_fj) : NULL;
    bc_index n = (bc_index)PyArray_DIM(pre, 0);
    bc_index *ids = NULL;
    if (in_post == NULL) {
        goto done;
    }
    if (PyArray_DIM(post, 0) != n) {
        PyErr_SetString(PyExc_ValueError, "synapses_between: pre and post "
                        "differ in length");
        goto done;
    }
    ids = malloc(((size_t)n + 1) * sizeof(bc_index));
    if (ids == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    bc_index m = 0;
    bc_status st;
    const bc_index *a = PyArray_DATA(pre), *b = PyArray_DATA(post);
    Py_BEGIN_ALLOW_THREADS
    st = bc_synapses_between(a, b, n, in_pre, n_fi, in_post, n_fj, ids, &m);
    Py_END_ALLOW_THREADS
    if (st != BC_OK) {
        bc_status_error(st, "synapses_between: a neuron outside the flags");
        goto done;
    }
    bc_index *fit = realloc(ids, ((size_t)m + 1) * sizeof(bc_index));
    ids = fit != NULL ? fit : ids;
    out = adopt(ids, m);            /* frees ids on failure too */
    ids = NULL;
done:
    free(ids);
    Py_DECREF(pre);
    Py_DECREF(post);
    Py_XDECREF(fi);
    Py_XDECREF(fj);
    return out;
}

/* delay_steps(seconds, dt, limit, out) -> None, or (kind, seconds) with
 * kind "negative" (or NaN) or "long" */
static PyObject *
delay_steps(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *s_o;
    PyArrayObject *out;
    double dt;
    long long limit;
    if (!PyArg_ParseTuple(args, "OdLO!", &s_o, &dt, &limit, &PyArray_Type,
                          &out)) {
        return NULL;
    }
    if (!(dt > 0.0) || limit < 0 || limit > UINT16_MAX) {
        return PyErr_Format(PyExc_ValueError, "delay_steps: dt must be > 0 "
                            "and limit in [0, 65535]");
    }
    if (PyArray_TYPE(out) != NPY_UINT16 || PyArray_NDIM(out) != 1 ||
        !PyArray_ISCARRAY(out)) {
        PyErr_SetString(PyExc_TypeError, "delay_steps: out must be a "
                        "writable contiguous uint16 vector");
        return NULL;
    }
    PyArrayObject *s = bc_as_array(s_o, NPY_FLOAT64, 1, "delays");
    if (s == NULL) {
        return NULL;
    }
    if (PyArray_DIM(s, 0) != PyArray_DIM(out, 0)) {
        Py_DECREF(s);
        return PyErr_Format(PyExc_ValueError, "delay_steps: %zd delays for "
                            "%zd synapses", (Py_ssize_t)PyArray_DIM(s, 0),
                            (Py_ssize_t)PyArray_DIM(out, 0));
    }
    double worst = 0.0;
    bc_status st;
    const double *sd = PyArray_DATA(s);
    uint16_t *od = PyArray_DATA(out);
    bc_count n = PyArray_DIM(s, 0);
    Py_BEGIN_ALLOW_THREADS
    st = bc_delay_steps(sd, n, 1.0 / dt, limit, od, &worst);
    Py_END_ALLOW_THREADS
    Py_DECREF(s);
    if (st == BC_OK) {
        Py_RETURN_NONE;
    }
    return Py_BuildValue("(sd)", st == BC_ERANGE ? "long" : "negative",
                         worst);
}

PyMethodDef bc_synapse_construction_methods[] = {
    {"synapse_delay_steps", delay_steps, METH_VARARGS,
     "synapse_delay_steps(seconds, dt, limit, out) -> None or (kind, "
     "seconds)\n\nout[k] = int(seconds[k] / dt) as NumPy truncates "
     "seconds * (1 / dt); kind 'negative' (or NaN) or 'long' (more than "
     "limit steps) names the culprit, out then untouched."},
    {"synapse_expr_values", synapse_expr_values, METH_VARARGS,
     "synapse_expr_values(program, rows, spaces, pre, post, n_syn, ids, "
     "seed, stream, step, n_threads) -> (values, n_nan)\n\nThe program's "
     "value for each synapse (ids, or all n_syn); VAR row r is rows[r] "
     "indexed by the synapse (space 0), its pre entry (1) or its post "
     "entry (2); n_nan counts the NaN values."},
    {"synapses_between", synapses_between, METH_VARARGS,
     "synapses_between(pre, post, in_pre, in_post) -> int32 array\n\n"
     "The synapse numbers e, ascending, with in_pre[pre[e]] and "
     "in_post[post[e]] (bool flags per neuron)."},
    {"synapse_full_pairs", full_pairs, METH_VARARGS,
     "synapse_full_pairs(i, j, times) -> (pre, post)\n\nEvery pair of "
     "i x j, pre by pre, the block repeated times times (int32)."},
    {"synapse_random_pairs", random_pairs, METH_VARARGS,
     "synapse_random_pairs(seed, stream, i, j, p, n_threads) -> (pre, "
     "post)\n\nEach pair of i x j kept with probability p; row k drawn as "
     "random_pairs draws it."},
    {"synapse_condition_pairs", condition_pairs, METH_VARARGS,
     "synapse_condition_pairs(program, values, per_row, i, j, seed, stream, "
     "draw_substream, n_threads) -> (pre, post, bad)\n\nThe pairs of i x j "
     "where the program's value holds (draw_substream -1) or, as a "
     "probability, wins a draw; bad is None, or (row, column, value) of "
     "the first probability outside [0, 1] (pre and post then None)."},
    {NULL, NULL, 0, NULL}
};
