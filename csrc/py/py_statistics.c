/* py_statistics.c -- binding: module functions over spike trains
 * (spike_statistics.h).  Arrays in, numbers or fresh arrays out; the
 * Python callers in brianc/tools/ check units, order and sizes first. */
#include "numpy_glue.h"

#include <string.h>

/* isi_deviation(t, mean) -> (sum of squared deviations, n decreasing) */
static PyObject *
isi_deviation(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *obj;
    double mean;
    if (!PyArg_ParseTuple(args, "Od", &obj, &mean)) {
        return NULL;
    }
    PyArrayObject *t = bc_as_array(obj, NPY_FLOAT64, 1, "spike train");
    if (t == NULL) {
        return NULL;
    }
    bc_count n = (bc_count)PyArray_DIM(t, 0);
    const double *data = PyArray_DATA(t);
    double sum_sq = 0.0;
    bc_count down = 0;
    if (n >= 2) {
        Py_BEGIN_ALLOW_THREADS
        bc_isi_deviation(data, n, mean, &sum_sq, &down);
        Py_END_ALLOW_THREADS
    }
    Py_DECREF(t);
    return Py_BuildValue("(dL)", sum_sq, (long long)down);
}

/* The two trains of a pairwise function, as float64 arrays. */
static int
two_trains(PyObject *a, PyObject *b, PyArrayObject **t1, PyArrayObject **t2)
{
    *t1 = bc_as_array(a, NPY_FLOAT64, 1, "first spike train");
    if (*t1 == NULL) {
        return -1;
    }
    *t2 = bc_as_array(b, NPY_FLOAT64, 1, "second spike train");
    if (*t2 == NULL) {
        Py_CLEAR(*t1);
        return -1;
    }
    return 0;
}

/* correlogram_counts(t1, t2, width, edges) -> int64 counts per bin */
static PyObject *
correlogram_counts(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *a, *b, *e;
    double width;
    if (!PyArg_ParseTuple(args, "OOdO", &a, &b, &width, &e)) {
        return NULL;
    }
    PyArrayObject *t1, *t2, *edges = NULL, *counts = NULL;
    if (two_trains(a, b, &t1, &t2) < 0) {
        return NULL;
    }
    edges = bc_as_array(e, NPY_FLOAT64, 1, "correlogram bin edges");
    if (edges == NULL) {
        goto done;
    }
    npy_intp n_edges = PyArray_DIM(edges, 0);
    if (n_edges < 2 || n_edges - 1 > BC_INDEX_MAX) {
        PyErr_Format(PyExc_ValueError, "correlogram needs between 1 and %d "
                     "bins, got %zd", BC_INDEX_MAX, (Py_ssize_t)n_edges - 1);
        goto done;
    }
    npy_intp dims[1] = {n_edges - 1};
    counts = (PyArrayObject *)PyArray_ZEROS(1, dims, NPY_INT64, 0);
    if (counts == NULL) {
        goto done;
    }
    const double *d1 = PyArray_DATA(t1), *d2 = PyArray_DATA(t2);
    const double *de = PyArray_DATA(edges);
    int64_t *dc = PyArray_DATA(counts);
    bc_count n1 = (bc_count)PyArray_DIM(t1, 0);
    bc_count n2 = (bc_count)PyArray_DIM(t2, 0);
    Py_BEGIN_ALLOW_THREADS
    bc_correlogram_counts(d1, n1, d2, n2, width, de, (bc_index)dims[0], dc);
    Py_END_ALLOW_THREADS
done:
    Py_DECREF(t1);
    Py_DECREF(t2);
    Py_XDECREF(edges);
    return (PyObject *)counts;
}

/* windowed_pair_sum(t1, t2, width, T) -> float */
static PyObject *
windowed_pair_sum(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *a, *b;
    double width, T;
    if (!PyArg_ParseTuple(args, "OOdd", &a, &b, &width, &T)) {
        return NULL;
    }
    PyArrayObject *t1, *t2;
    if (two_trains(a, b, &t1, &t2) < 0) {
        return NULL;
    }
    const double *d1 = PyArray_DATA(t1), *d2 = PyArray_DATA(t2);
    bc_count n1 = (bc_count)PyArray_DIM(t1, 0);
    bc_count n2 = (bc_count)PyArray_DIM(t2, 0);
    double sum;
    Py_BEGIN_ALLOW_THREADS
    sum = bc_windowed_pair_sum(d1, n1, d2, n2, width, T);
    Py_END_ALLOW_THREADS
    Py_DECREF(t1);
    Py_DECREF(t2);
    return PyFloat_FromDouble(sum);
}

/* van_rossum_gram(n_neurons, neurons, steps, n_steps, q) -> (n, n) array */
static PyObject *
van_rossum_gram(PyObject *Py_UNUSED(module), PyObject *args)
{
    Py_ssize_t n_py;
    long long n_steps;
    PyObject *ni, *si;
    double q;
    if (!PyArg_ParseTuple(args, "nOOLd", &n_py, &ni, &si, &n_steps, &q)) {
        return NULL;
    }
    bc_index n;
    if (bc_to_index(n_py, &n, "number of neurons")) {
        return NULL;
    }
    PyArrayObject *neurons = bc_as_array(ni, NPY_INT32, 1, "spike indices");
    if (neurons == NULL) {
        return NULL;
    }
    PyArrayObject *steps = bc_as_array(si, NPY_INT64, 1, "spike steps");
    PyArrayObject *gram = NULL;
    double *trace = NULL;
    if (steps == NULL) {
        goto done;
    }
    if (PyArray_DIM(neurons, 0) != PyArray_DIM(steps, 0)) {
        PyErr_SetString(PyExc_ValueError, "van_rossum_gram: spike indices "
                        "and steps differ in length");
        goto done;
    }
    npy_intp dims[2] = {n, n};
    gram = (PyArrayObject *)PyArray_ZEROS(2, dims, NPY_FLOAT64, 0);
    trace = PyMem_Malloc(((size_t)n + 1) * sizeof(double));
    if (gram == NULL || trace == NULL) {
        if (trace == NULL) {
            PyErr_NoMemory();
        }
        Py_CLEAR(gram);
        goto done;
    }
    bc_status st;
    const bc_index *dn = PyArray_DATA(neurons);
    const bc_step *ds = PyArray_DATA(steps);
    double *dg = PyArray_DATA(gram);
    bc_count n_spikes = (bc_count)PyArray_DIM(steps, 0);
    Py_BEGIN_ALLOW_THREADS
    st = bc_van_rossum_gram(n, n_spikes, dn, ds, (bc_step)n_steps, q, dg,
                            trace);
    Py_END_ALLOW_THREADS
    if (st != BC_OK) {
        Py_CLEAR(gram);
        PyErr_SetString(PyExc_ValueError, "van_rossum_gram: spikes must be "
                        "in step order, inside [0, n_steps) and the group, "
                        "with 0 < q < 1");
    }
done:
    PyMem_Free(trace);
    Py_DECREF(neurons);
    Py_XDECREF(steps);
    return (PyObject *)gram;
}

PyMethodDef bc_statistics_methods[] = {
    {"isi_deviation", isi_deviation, METH_VARARGS,
     "isi_deviation(t, mean) -> (sum of squared deviations of the "
     "intervals from mean, number of negative intervals)"},
    {"correlogram_counts", correlogram_counts, METH_VARARGS,
     "correlogram_counts(t1, t2, width, edges) -> int64 counts of the lags "
     "t2 - t1 in [-width, width) binned by edges"},
    {"windowed_pair_sum", windowed_pair_sum, METH_VARARGS,
     "windowed_pair_sum(t1, t2, width, T) -> sum of 1/(T - |lag|) over "
     "the lags in [-width, width)"},
    {"van_rossum_gram", van_rossum_gram, METH_VARARGS,
     "van_rossum_gram(n, neurons, steps, n_steps, q) -> Gram matrix of the "
     "exponentially filtered trains sampled at every step"},
    {NULL, NULL, 0, NULL}
};
