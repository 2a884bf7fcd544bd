/* py_tan_carney.c -- binding: tan_carney_apply(params, state, fs2, x0,
 * shift, with_ihc, interval, x) -> y, one buffer of Tan & Carney's
 * cochlear filterbank (tan_carney.h) for TanCarney and TanCarneySignal. */
#include "numpy_glue.h"

/* True if obj is a C-contiguous float64 array of shape (n, width). */
static int
is_rows(PyObject *obj, npy_intp width, int writeable)
{
    if (!PyArray_Check(obj)) {
        return 0;
    }
    PyArrayObject *arr = (PyArrayObject *)obj;
    return PyArray_TYPE(arr) == NPY_FLOAT64 && PyArray_NDIM(arr) == 2 &&
           PyArray_IS_C_CONTIGUOUS(arr) && PyArray_ISALIGNED(arr) &&
           PyArray_DIM(arr, 1) == width &&
           (!writeable || PyArray_ISWRITEABLE(arr));
}

PyObject *
bc_py_tan_carney_apply(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *params, *state, *x_obj;
    double fs2, x0, shift;
    int with_ihc;
    long long interval;
    if (!PyArg_ParseTuple(args, "OOdddpLO", &params, &state, &fs2, &x0,
                          &shift, &with_ihc, &interval, &x_obj)) {
        return NULL;
    }
    if (!is_rows(params, BC_TC_N_PARAMS, 0) ||
        !is_rows(state, BC_TC_N_STATE, 1) ||
        PyArray_DIM((PyArrayObject *)params, 0) !=
            PyArray_DIM((PyArrayObject *)state, 0)) {
        return PyErr_Format(PyExc_TypeError, "tan_carney_apply: params and "
                            "state must be C-contiguous float64 arrays of "
                            "shape (nchannels, %d) and (nchannels, %d), the "
                            "state writeable", BC_TC_N_PARAMS,
                            BC_TC_N_STATE);
    }
    bc_index n;
    if (bc_to_index(PyArray_DIM((PyArrayObject *)params, 0), &n,
                    "number of channels") < 0) {
        return NULL;
    }
    if (n < 1 || interval < 1) {
        return PyErr_Format(PyExc_ValueError, "TanCarney: need at least one "
                            "channel and an update interval of at least one "
                            "sample (got %lld)", interval);
    }
    PyArrayObject *x, *y;
    if (bc_filter_arrays(x_obj, (int)n, "TanCarney input", &x, &y) < 0) {
        return NULL;
    }
    npy_intp width = PyArray_DIM(x, 1);
    bc_tan_carney tc = {.n = n, .fs2 = fs2, .x0 = x0, .shift = shift,
                        .with_ihc = with_ihc,
                        .params = PyArray_DATA((PyArrayObject *)params),
                        .state = PyArray_DATA((PyArrayObject *)state)};
    bc_step n_samples = (bc_step)PyArray_DIM(x, 0);
    const double *xd = PyArray_DATA(x);
    double *yd = PyArray_DATA(y);
    bc_status st;
    Py_BEGIN_ALLOW_THREADS          /* the core holds no Python objects */
    st = bc_tan_carney_apply(&tc, xd, (bc_index)width, yd, n_samples,
                             (bc_step)interval);
    Py_END_ALLOW_THREADS
    Py_DECREF(x);
    if (st != BC_OK) {
        Py_DECREF(y);
        return bc_status_error(st, "tan_carney_apply");
    }
    return (PyObject *)y;
}
