/* py_filterbank.c -- binding: Brian Hears' linear filtering in C.
 * iir_apply(b, a, state, x) filters one buffer through a bank of IIR
 * cascades (LinearFilterbank.buffer_apply), drnl_apply one through the
 * fused DRNL (drnl.h); _core.IIRFeed is the run
 * loop's task that filters a precomputed input one sample per step into
 * a state row (FilterbankGroup). */
#include "numpy_glue.h"

/* True if a is a float64, aligned, Fortran-ordered 3-d array (Brian 1's
 * layout of filt_b, filt_a and filt_state). */
static int
is_bank_array(PyObject *a, int writeable)
{
    if (!PyArray_Check(a)) {
        return 0;
    }
    PyArrayObject *arr = (PyArrayObject *)a;
    return PyArray_TYPE(arr) == NPY_FLOAT64 && PyArray_NDIM(arr) == 3 &&
           PyArray_IS_F_CONTIGUOUS(arr) && PyArray_ISALIGNED(arr) &&
           (!writeable || PyArray_ISWRITEABLE(arr));
}

/* Checks b, a and state and fills bank (pointers borrowed from them). */
static int
bank_from_arrays(PyObject *b, PyObject *a, PyObject *state,
                 bc_iir_bank *bank)
{
    if (!is_bank_array(b, 0) || !is_bank_array(a, 0) ||
        !is_bank_array(state, 1)) {
        PyErr_SetString(PyExc_TypeError, "filter coefficients and state "
                        "must be float64 Fortran-ordered arrays of shape "
                        "(nchannels, order + 1, ncascade), the state "
                        "writeable");
        return -1;
    }
    npy_intp *shape = PyArray_DIMS((PyArrayObject *)b);
    for (int d = 0; d < 3; d++) {
        if (PyArray_DIM((PyArrayObject *)a, d) != shape[d] ||
            PyArray_DIM((PyArrayObject *)state, d) != shape[d]) {
            PyErr_Format(PyExc_ValueError, "filter coefficients b, a and "
                         "the state must have the same shape; b has "
                         "(%zd, %zd, %zd)", (Py_ssize_t)shape[0],
                         (Py_ssize_t)shape[1], (Py_ssize_t)shape[2]);
            return -1;
        }
    }
    bc_index n, m, p;
    if (bc_to_index(shape[0], &n, "number of channels") ||
        bc_to_index(shape[1], &m, "number of coefficients") ||
        bc_to_index(shape[2], &p, "number of cascaded filters")) {
        return -1;
    }
    bc_status st = bc_iir_bank_init(
        bank, n, m, p, PyArray_DATA((PyArrayObject *)b),
        PyArray_DATA((PyArrayObject *)a),
        PyArray_DATA((PyArrayObject *)state));
    if (st != BC_OK) {
        PyErr_Format(PyExc_ValueError, "filterbank of shape (%zd, %zd, "
                     "%zd): every dimension must be at least 1 and the "
                     "arrays at most %d values", (Py_ssize_t)shape[0],
                     (Py_ssize_t)shape[1], (Py_ssize_t)shape[2],
                     BC_INDEX_MAX);
        return -1;
    }
    return 0;
}

/* True if every section of the bank has a0 == 1. */
static int
unit_a0(const bc_iir_bank *bank)
{
    for (bc_index k = 0; k < bank->p; k++) {
        const double *a0 = bank->a + (size_t)k * bank->m * bank->n;
        for (bc_index j = 0; j < bank->n; j++) {
            if (a0[j] != 1.0) {
                return 0;
            }
        }
    }
    return 1;
}

/* See numpy_glue.h. */
int
bc_filter_arrays(PyObject *x_obj, int n, const char *what,
                 PyArrayObject **x, PyArrayObject **y)
{
    *x = bc_as_array(x_obj, NPY_FLOAT64, 2, what);
    if (*x == NULL) {
        return -1;
    }
    npy_intp width = PyArray_DIM(*x, 1);
    if (width != n && width != 1) {
        PyErr_Format(PyExc_ValueError, "%s has %zd channels, the "
                     "filterbank %d (or 1, shared by all)", what,
                     (Py_ssize_t)width, n);
        Py_CLEAR(*x);
        return -1;
    }
    npy_intp dims[2] = {PyArray_DIM(*x, 0), n};
    *y = (PyArrayObject *)PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    if (*y == NULL) {
        Py_CLEAR(*x);
        return -1;
    }
    return 0;
}

/* iir_apply(b, a, state, x[, only_if_unit_a0]) -> y, x of shape
 * (n_samples, nchannels) or (n_samples, 1) for one input shared by every
 * channel; with only_if_unit_a0 true, None (and nothing filtered) unless
 * every a0 is 1 (the caller then normalises). */
PyObject *
bc_py_iir_apply(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *b, *a, *state, *x_obj;
    int only_if_unit_a0 = 0;
    if (!PyArg_ParseTuple(args, "OOOO|p", &b, &a, &state, &x_obj,
                          &only_if_unit_a0)) {
        return NULL;
    }
    bc_iir_bank bank;
    if (bank_from_arrays(b, a, state, &bank) < 0) {
        return NULL;
    }
    if (only_if_unit_a0 && !unit_a0(&bank)) {
        Py_RETURN_NONE;
    }
    PyArrayObject *x, *y;
    if (bc_filter_arrays(x_obj, (int)bank.n, "filter input", &x, &y) < 0) {
        return NULL;
    }
    npy_intp width = PyArray_DIM(x, 1);
    bc_step n_samples = (bc_step)PyArray_DIM(x, 0);
    const double *xd = PyArray_DATA(x);
    double *yd = PyArray_DATA(y);
    bc_status st;
    Py_BEGIN_ALLOW_THREADS          /* the core holds no Python objects */
    st = bc_iir_bank_apply(&bank, xd, (bc_index)width, yd, n_samples);
    Py_END_ALLOW_THREADS
    Py_DECREF(x);
    if (st != BC_OK) {
        Py_DECREF(y);
        return bc_status_error(st, "iir_apply");
    }
    return (PyObject *)y;
}

/* A float64 C-contiguous 1-d array of n values (borrowed data), or NULL
 * with an exception naming what. */
static const double *
channel_values(PyObject *obj, bc_index n, const char *what)
{
    if (!PyArray_Check(obj) ||
        PyArray_TYPE((PyArrayObject *)obj) != NPY_FLOAT64 ||
        PyArray_NDIM((PyArrayObject *)obj) != 1 ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)obj) ||
        PyArray_DIM((PyArrayObject *)obj, 0) != n) {
        PyErr_Format(PyExc_TypeError, "DRNL: %s must be a contiguous "
                     "float64 array of %d values (one per channel)", what,
                     (int)n);
        return NULL;
    }
    return PyArray_DATA((PyArrayObject *)obj);
}

/* drnl_apply(scale, banks, gain, a, b, c, x) -> y: banks is a tuple of
 * five (b, a, state) triples (gt_linear, lp_linear, gt_nl, gt_nl2,
 * lp_nl, drnl.h); x of shape (n_samples, nchannels) or (n_samples, 1). */
PyObject *
bc_py_drnl_apply(PyObject *Py_UNUSED(module), PyObject *args)
{
    double scale;
    PyObject *banks_obj, *gain, *a, *b, *c, *x_obj;
    if (!PyArg_ParseTuple(args, "dO!OOOOO", &scale, &PyTuple_Type,
                          &banks_obj, &gain, &a, &b, &c, &x_obj)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(banks_obj) != 5) {
        PyErr_SetString(PyExc_ValueError, "drnl_apply: banks must be five "
                        "(b, a, state) triples");
        return NULL;
    }
    bc_iir_bank banks[5];
    for (int k = 0; k < 5; k++) {
        PyObject *t = PyTuple_GET_ITEM(banks_obj, k);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 3) {
            PyErr_SetString(PyExc_ValueError, "drnl_apply: banks must be "
                            "five (b, a, state) triples");
            return NULL;
        }
        if (bank_from_arrays(PyTuple_GET_ITEM(t, 0), PyTuple_GET_ITEM(t, 1),
                             PyTuple_GET_ITEM(t, 2), &banks[k]) < 0) {
            return NULL;
        }
    }
    const bc_index n = banks[0].n;
    const double *gd = channel_values(gain, n, "gain");
    const double *ad = gd ? channel_values(a, n, "a") : NULL;
    const double *bd = ad ? channel_values(b, n, "b") : NULL;
    const double *cd = bd ? channel_values(c, n, "c") : NULL;
    if (cd == NULL) {
        return NULL;
    }
    bc_drnl drnl;
    if (bc_drnl_init(&drnl, scale, banks, gd, ad, bd, cd) != BC_OK) {
        PyErr_SetString(PyExc_ValueError, "DRNL: every stage must have the "
                        "same number of channels");
        return NULL;
    }
    PyArrayObject *x, *y;
    if (bc_filter_arrays(x_obj, (int)n, "DRNL input", &x, &y) < 0) {
        return NULL;
    }
    npy_intp width = PyArray_DIM(x, 1);
    bc_step n_samples = (bc_step)PyArray_DIM(x, 0);
    const double *xd = PyArray_DATA(x);
    double *yd = PyArray_DATA(y);
    bc_status st;
    Py_BEGIN_ALLOW_THREADS          /* the core holds no Python objects */
    st = bc_drnl_apply(&drnl, xd, (bc_index)width, yd, n_samples);
    Py_END_ALLOW_THREADS
    Py_DECREF(x);
    if (st != BC_OK) {
        Py_DECREF(y);
        return bc_status_error(st, "drnl_apply");
    }
    return (PyObject *)y;
}

typedef struct {
    PyObject_HEAD
    bc_iir_feed feed;
    PyObject *b, *a, *state, *input, *dst;
    int32_t slot;
} IIRFeedObject;

/* IIRFeed(b, a, state, input, dst, slot) */
static PyObject *
IIRFeed_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"b", "a", "state", "input", "dst", "slot",
                             NULL};
    PyObject *b, *a, *state, *input, *dst;
    int slot;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOi", kwlist, &b, &a,
                                     &state, &input, &dst, &slot)) {
        return NULL;
    }
    bc_iir_bank bank;
    if (bank_from_arrays(b, a, state, &bank) < 0) {
        return NULL;
    }
    /* No silent copies: the feed reads and writes through these. */
    if (!PyArray_Check(input) || !PyArray_Check(dst) ||
        PyArray_TYPE((PyArrayObject *)input) != NPY_FLOAT64 ||
        PyArray_NDIM((PyArrayObject *)input) != 2 ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)input) ||
        PyArray_TYPE((PyArrayObject *)dst) != NPY_FLOAT64 ||
        PyArray_NDIM((PyArrayObject *)dst) != 1 ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)dst) ||
        !PyArray_ISWRITEABLE((PyArrayObject *)dst)) {
        PyErr_SetString(PyExc_TypeError, "IIRFeed needs C-contiguous "
                        "float64 arrays: input 2-d, dst 1-d writeable");
        return NULL;
    }
    if (PyArray_DIM((PyArrayObject *)dst, 0) != bank.n) {
        return PyErr_Format(PyExc_ValueError, "IIRFeed: dst has %zd "
                            "values, the filterbank %d channels",
                            (Py_ssize_t)PyArray_DIM((PyArrayObject *)dst, 0),
                            (int)bank.n);
    }
    npy_intp width = PyArray_DIM((PyArrayObject *)input, 1);
    if (width != 1 && width != bank.n) {
        return PyErr_Format(PyExc_ValueError, "IIRFeed: input has %zd "
                            "channels, need 1 or %d", (Py_ssize_t)width,
                            (int)bank.n);
    }
    if (slot < 0 || slot > BC_SLOT_CONNECTIONS) {
        return PyErr_Format(PyExc_ValueError, "bad schedule slot %d", slot);
    }
    IIRFeedObject *self = (IIRFeedObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_iir_feed_init(
        &self->feed, &bank, PyArray_DATA((PyArrayObject *)input),
        (bc_step)PyArray_DIM((PyArrayObject *)input, 0), (bc_index)width,
        PyArray_DATA((PyArrayObject *)dst));
    if (st != BC_OK) {
        Py_DECREF(self);
        return bc_status_error(st, "IIRFeed");
    }
    self->b = Py_NewRef(b);
    self->a = Py_NewRef(a);
    self->state = Py_NewRef(state);
    self->input = Py_NewRef(input);
    self->dst = Py_NewRef(dst);
    self->slot = slot;
    return (PyObject *)self;
}

static int
IIRFeed_traverse(IIRFeedObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->b);
    Py_VISIT(self->a);
    Py_VISIT(self->state);
    Py_VISIT(self->input);
    Py_VISIT(self->dst);
    return 0;
}

static int
IIRFeed_clear(IIRFeedObject *self)
{
    bc_iir_feed_free(&self->feed);
    memset(&self->feed, 0, sizeof(self->feed));
    Py_CLEAR(self->b);
    Py_CLEAR(self->a);
    Py_CLEAR(self->state);
    Py_CLEAR(self->input);
    Py_CLEAR(self->dst);
    return 0;
}

static void
IIRFeed_dealloc(IIRFeedObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    IIRFeed_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

/* apply(step): push the next input row through now. */
static PyObject *
IIRFeed_apply(IIRFeedObject *self, PyObject *arg)
{
    long long step = PyLong_AsLongLong(arg);
    if (step == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (self->dst == NULL) {
        PyErr_SetString(PyExc_ValueError, "IIRFeed was cleared");
        return NULL;
    }
    return bc_status_error(bc_iir_feed_run(&self->feed, (bc_step)step),
                           "IIRFeed.apply");
}

static PyMethodDef IIRFeed_methods[] = {
    {"apply", (PyCFunction)IIRFeed_apply, METH_O,
     "apply(step): filter the next input row into dst now"},
    {NULL, NULL, 0, NULL}
};

static PyType_Slot IIRFeed_slots[] = {
    {Py_tp_new, IIRFeed_new},
    {Py_tp_dealloc, IIRFeed_dealloc},
    {Py_tp_traverse, IIRFeed_traverse},
    {Py_tp_clear, IIRFeed_clear},
    {Py_tp_methods, IIRFeed_methods},
    {Py_tp_doc, "IIRFeed(b, a, state, input, dst, slot)"},
    {0, NULL}
};

PyType_Spec bc_iir_feed_spec = {
    .name = "brianc._core.IIRFeed",
    .basicsize = sizeof(IIRFeedObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = IIRFeed_slots,
};

int
bc_iir_feed_task(PyObject *obj, bc_task_fn *task, void **object,
                 int32_t *slot)
{
    IIRFeedObject *self = (IIRFeedObject *)obj;
    if (self->dst == NULL) {
        PyErr_SetString(PyExc_ValueError, "IIRFeed was cleared");
        return -1;
    }
    *task = bc_iir_feed_run;
    *object = &self->feed;
    *slot = self->slot;
    return 0;
}
