/* py_spike_exchange.c -- binding: the bookkeeping of brianc.mpi's spike
 * exchange in one call each (spike_exchange.h); mpi4py's collective runs
 * between them on the same NumPy arrays. */
#include "numpy_glue.h"

#include "spike_exchange.h"

/* Groups of one call fit here without an allocation. */
#define FEW_GROUPS 16

/* The core groups of a tuple of _core.Group into out (room for
 * FEW_GROUPS) or a PyMem block (*owned, to free); NULL on error. */
static bc_group **
core_groups(PyObject *module, PyObject *tuple, bc_group **out,
            bc_group ***owned)
{
    module_state *ms = PyModule_GetState(module);
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    *owned = NULL;
    if (n > INT32_MAX / 4) {
        PyErr_SetString(PyExc_ValueError, "too many groups");
        return NULL;
    }
    if (n > FEW_GROUPS) {
        out = *owned = PyMem_Malloc((size_t)n * sizeof(bc_group *));
        if (out == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
    }
    for (Py_ssize_t g = 0; g < n; g++) {
        PyObject *o = PyTuple_GET_ITEM(tuple, g);
        if (ms == NULL || !PyObject_TypeCheck(o, ms->GroupType)) {
            PyMem_Free(*owned);
            *owned = NULL;
            PyErr_SetString(PyExc_TypeError, "exchange: expected a tuple "
                            "of _core.Group");
            return NULL;
        }
        out[g] = &((GroupObject *)o)->group;
    }
    return out;
}

/* An int32 array of ndim dimensions used in place (C-contiguous,
 * aligned, writable when asked), or NULL with a TypeError. */
static PyArrayObject *
int32_in_place(PyObject *o, int ndim, int writable, const char *what)
{
    int flags = NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED |
                (writable ? NPY_ARRAY_WRITEABLE : 0);
    if (!PyArray_Check(o) || PyArray_TYPE((PyArrayObject *)o) != NPY_INT32 ||
        PyArray_NDIM((PyArrayObject *)o) != ndim ||
        !PyArray_CHKFLAGS((PyArrayObject *)o, flags)) {
        PyErr_Format(PyExc_TypeError, "exchange: %s must be a contiguous "
                     "%s%d-D int32 array", what, writable ? "writable " : "",
                     ndim);
        return NULL;
    }
    return (PyArrayObject *)o;
}

/* exchange_pack(groups, n_steps, capacity, record) -> the number of
 * spikes: record's counts, then its spikes if they fit. */
static PyObject *
exchange_pack(PyObject *module, PyObject *args)
{
    PyObject *groups_o, *record_o;
    int n_steps;
    Py_ssize_t capacity;
    if (!PyArg_ParseTuple(args, "O!inO", &PyTuple_Type, &groups_o, &n_steps,
                          &capacity, &record_o)) {
        return NULL;
    }
    PyArrayObject *record = int32_in_place(record_o, 1, 1, "record");
    bc_group *few[FEW_GROUPS], **owned;
    bc_group **groups = record ? core_groups(module, groups_o, few, &owned)
                               : NULL;
    if (groups == NULL) {
        return NULL;
    }
    int32_t n_groups = (int32_t)PyTuple_GET_SIZE(groups_o);
    if (n_steps < 0 || capacity < 0 ||
        PyArray_DIM(record, 0) < (npy_intp)n_steps * n_groups + capacity) {
        PyMem_Free(owned);
        return PyErr_Format(PyExc_ValueError, "exchange_pack: the record "
                            "holds %zd entries, not %d lists and %zd spikes",
                            (Py_ssize_t)PyArray_DIM(record, 0),
                            n_steps * n_groups, capacity);
    }
    bc_count total = 0;
    bc_status st = bc_exchange_pack(groups, n_groups, n_steps,
                                    (bc_count)capacity,
                                    PyArray_DATA(record), &total);
    PyMem_Free(owned);
    if (st != BC_OK) {
        return bc_status_error(st, "exchange_pack");
    }
    return PyLong_FromLongLong((long long)total);
}

/* Rank r's spikes and how many: after its counts in its record, or its
 * part of `whole` (per_rank given). */
static int
rank_spikes(PyArrayObject *records, bc_count n_lists, Py_ssize_t capacity,
            PyArrayObject *whole, PyArrayObject *per_rank,
            const int32_t **spikes, bc_count *n_spikes)
{
    npy_intp n_ranks = PyArray_DIM(records, 0);
    const int32_t *rec = PyArray_DATA(records);
    npy_intp width = PyArray_DIM(records, 1);
    if (whole == NULL) {
        for (npy_intp r = 0; r < n_ranks; r++) {
            spikes[r] = rec + r * width + n_lists;
            n_spikes[r] = capacity;
        }
        return 0;
    }
    const int32_t *w = PyArray_DATA(whole), *per = PyArray_DATA(per_rank);
    bc_count at = 0;
    for (npy_intp r = 0; r < n_ranks; r++) {
        if (per[r] < 0 || at + per[r] > PyArray_DIM(whole, 0)) {
            PyErr_SetString(PyExc_ValueError, "exchange_import: per_rank "
                            "does not fit the whole list");
            return -1;
        }
        spikes[r] = w + at;
        n_spikes[r] = per[r];
        at += per[r];
    }
    return 0;
}

/* exchange_import(groups, n_steps, records, capacity, whole=None,
 * per_rank=None) -> whether imported: every rank's lists (counts first
 * in each rank's row of records, the spikes after them, or per_rank[r]
 * of `whole` from rank r) into the groups' histories.  False, importing
 * nothing, when a rank's counts exceed `capacity` in its record (it sent
 * counts only: the exact lists follow in `whole`). */
static PyObject *
exchange_import(PyObject *module, PyObject *args)
{
    PyObject *groups_o, *records_o, *whole_o = Py_None, *per_rank_o = Py_None;
    int n_steps;
    Py_ssize_t capacity;
    if (!PyArg_ParseTuple(args, "O!iOn|OO", &PyTuple_Type, &groups_o,
                          &n_steps, &records_o, &capacity, &whole_o,
                          &per_rank_o)) {
        return NULL;
    }
    PyArrayObject *records = int32_in_place(records_o, 2, 0, "records");
    PyArrayObject *whole = NULL, *per_rank = NULL;
    if (records != NULL && whole_o != Py_None) {
        whole = int32_in_place(whole_o, 1, 0, "whole");
        per_rank = whole ? int32_in_place(per_rank_o, 1, 0, "per_rank")
                         : NULL;
        if (per_rank != NULL &&
            PyArray_DIM(per_rank, 0) != PyArray_DIM(records, 0)) {
            PyErr_SetString(PyExc_ValueError, "exchange_import: one "
                            "per_rank entry per record");
            per_rank = NULL;
        }
        if (per_rank == NULL) {
            return NULL;
        }
    }
    bc_group *few[FEW_GROUPS], **owned;
    bc_group **groups = records ? core_groups(module, groups_o, few, &owned)
                                : NULL;
    if (groups == NULL) {
        return NULL;
    }
    int32_t n_groups = (int32_t)PyTuple_GET_SIZE(groups_o);
    npy_intp n_ranks = PyArray_DIM(records, 0);
    bc_count n_lists = (bc_count)n_steps * n_groups;
    if (n_steps < 0 || capacity < 0 || n_ranks > INT32_MAX ||
        (whole == NULL &&
         PyArray_DIM(records, 1) < n_lists + (bc_count)capacity) ||
        PyArray_DIM(records, 1) < n_lists) {
        PyMem_Free(owned);
        return PyErr_Format(PyExc_ValueError, "exchange_import: records "
                            "of %zd entries cannot hold %lld lists and %zd "
                            "spikes", (Py_ssize_t)PyArray_DIM(records, 1),
                            (long long)n_lists, capacity);
    }
    const int32_t *rec = PyArray_DATA(records);
    npy_intp width = PyArray_DIM(records, 1);
    if (whole == NULL) {
        for (npy_intp r = 0; r < n_ranks; r++) {
            bc_count sum = 0;
            for (bc_count j = 0; j < n_lists; j++) {
                sum += rec[r * width + j];
            }
            if (sum > capacity) {
                PyMem_Free(owned);
                Py_RETURN_FALSE;
            }
        }
    }
    const int32_t **spikes = PyMem_Malloc((size_t)(n_ranks + 1) *
                                          sizeof(int32_t *));
    bc_count *n_spikes = PyMem_Malloc((size_t)(n_ranks + 1) *
                                      sizeof(bc_count));
    PyObject *out = NULL;
    if (spikes == NULL || n_spikes == NULL) {
        PyErr_NoMemory();
    } else if (rank_spikes(records, n_lists, capacity, whole, per_rank,
                           spikes, n_spikes) == 0) {
        bc_status st = bc_exchange_import(groups, n_groups, n_steps,
                                          (int32_t)n_ranks, rec,
                                          (bc_count)width, spikes, n_spikes);
        out = st == BC_OK ? Py_NewRef(Py_True)
                          : bc_status_error(st, "exchange_import");
    }
    PyMem_Free(spikes);
    PyMem_Free(n_spikes);
    PyMem_Free(owned);
    return out;
}

PyMethodDef bc_spike_exchange_methods[] = {
    {"exchange_pack", exchange_pack, METH_VARARGS,
     "exchange_pack(groups, n_steps, capacity, record) -> spikes: the "
     "spike counts of the last n_steps steps of each group into record "
     "(oldest step first), then the spikes if they fit the capacity"},
    {"exchange_import", exchange_import, METH_VARARGS,
     "exchange_import(groups, n_steps, records, capacity, whole=None, "
     "per_rank=None) -> bool: every rank's lists into the groups' spike "
     "histories; False (nothing imported) when a rank sent counts only"},
    {NULL, NULL, 0, NULL}
};
