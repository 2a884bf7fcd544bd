/* py_zhang_rate.c -- binding: _core.ZhangRate, the per-step coupling of
 * Brian Hears' ZhangSynapse (zhang_rate.h) as a network task in the
 * start slot of the spike group's clock: it reads the rate group's V_ihc
 * and C_I rows and writes the spike group's s and R rows. */
#include "numpy_glue.h"
#include "zhang_rate.h"

typedef struct {
    PyObject_HEAD
    bc_zhang_rate z;
    PyObject *arrays;           /* tuple: every array the task reads */
} ZhangRateObject;

/* The data of a C-contiguous, aligned float64 1-d array of n values
 * (writeable if asked), or NULL with a TypeError naming it. */
static double *
row_of(PyObject *obj, npy_intp n, int writeable, const char *what)
{
    PyArrayObject *a = (PyArrayObject *)obj;
    if (!PyArray_Check(obj) || PyArray_TYPE(a) != NPY_FLOAT64 ||
        PyArray_NDIM(a) != 1 || PyArray_DIM(a, 0) != n ||
        !PyArray_IS_C_CONTIGUOUS(a) || !PyArray_ISALIGNED(a) ||
        (writeable && !PyArray_ISWRITEABLE(a))) {
        PyErr_Format(PyExc_TypeError, "ZhangRate: %s must be a "
                     "C-contiguous%s float64 array of %zd values", what,
                     writeable ? " writeable" : "", (Py_ssize_t)n);
        return NULL;
    }
    return PyArray_DATA(a);
}

/* ZhangRate(v_ihc, c_i, p_2, e_0, e_1, s, r, p_1, k_0, k_1, repeat) */
static PyObject *
ZhangRate_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"v_ihc", "c_i", "p_2", "e_0", "e_1", "s", "r",
                             "p_1", "k_0", "k_1", "repeat", NULL};
    PyObject *v, *c_i, *p_2, *e_0, *e_1, *s, *r;
    double p_1, k_0, k_1;
    Py_ssize_t repeat;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOOOdddn", kwlist, &v,
                                     &c_i, &p_2, &e_0, &e_1, &s, &r, &p_1,
                                     &k_0, &k_1, &repeat)) {
        return NULL;
    }
    npy_intp n = PyArray_Check(v) ? PyArray_SIZE((PyArrayObject *)v) : 0;
    if (repeat < 1 || repeat > BC_INDEX_MAX || n > BC_INDEX_MAX ||
        (int64_t)n * repeat > BC_INDEX_MAX) {
        return PyErr_Format(PyExc_ValueError, "ZhangRate: repeat must be at "
                            "least 1 and channels x repeat fibres at most "
                            "%d (got repeat %zd)", BC_INDEX_MAX, repeat);
    }
    npy_intp fibres = n * repeat;
    bc_zhang_rate z = {.n_channels = (bc_index)n, .repeat = (bc_index)repeat,
                       .p_1 = p_1, .k_0 = k_0, .k_1 = k_1};
    if ((z.v_ihc = row_of(v, n, 0, "v_ihc")) == NULL ||
        (z.c_i = row_of(c_i, n, 0, "c_i")) == NULL ||
        (z.p_2 = row_of(p_2, n, 0, "p_2")) == NULL ||
        (z.e_0 = row_of(e_0, fibres, 0, "e_0")) == NULL ||
        (z.e_1 = row_of(e_1, fibres, 0, "e_1")) == NULL ||
        (z.s = row_of(s, fibres, 1, "s")) == NULL ||
        (z.r = row_of(r, fibres, 1, "r")) == NULL) {
        return NULL;
    }
    if (bc_zhang_rate_check(&z) != BC_OK) {
        return bc_status_error(BC_EINVAL, "ZhangRate");
    }
    PyObject *arrays = PyTuple_Pack(7, v, c_i, p_2, e_0, e_1, s, r);
    if (arrays == NULL) {
        return NULL;
    }
    ZhangRateObject *self = (ZhangRateObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(arrays);
        return NULL;
    }
    self->z = z;
    self->arrays = arrays;
    return (PyObject *)self;
}

static int
ZhangRate_traverse(ZhangRateObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->arrays);
    return 0;
}

static int
ZhangRate_clear(ZhangRateObject *self)
{
    memset(&self->z, 0, sizeof(self->z));
    Py_CLEAR(self->arrays);
    return 0;
}

static void
ZhangRate_dealloc(ZhangRateObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    ZhangRate_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

/* apply(): s and R now, outside a run. */
static PyObject *
ZhangRate_apply(ZhangRateObject *self, PyObject *Py_UNUSED(arg))
{
    if (self->arrays == NULL) {
        PyErr_SetString(PyExc_ValueError, "ZhangRate was cleared");
        return NULL;
    }
    bc_zhang_rate_run(&self->z, 0);
    Py_RETURN_NONE;
}

static PyMethodDef ZhangRate_methods[] = {
    {"apply", (PyCFunction)ZhangRate_apply, METH_NOARGS,
     "apply(): write s and R from the current state now"},
    {NULL, NULL, 0, NULL}
};

static PyType_Slot ZhangRate_slots[] = {
    {Py_tp_new, ZhangRate_new},
    {Py_tp_dealloc, ZhangRate_dealloc},
    {Py_tp_traverse, ZhangRate_traverse},
    {Py_tp_clear, ZhangRate_clear},
    {Py_tp_methods, ZhangRate_methods},
    {Py_tp_doc, "ZhangRate(v_ihc, c_i, p_2, e_0, e_1, s, r, p_1, k_0, k_1, "
                "repeat): ZhangSynapse's s and R, each step at the start"},
    {0, NULL}
};

PyType_Spec bc_zhang_rate_spec = {
    .name = "brianc._core.ZhangRate",
    .basicsize = sizeof(ZhangRateObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = ZhangRate_slots,
};

int
bc_zhang_rate_task(PyObject *obj, bc_task_fn *task, void **object,
                   int32_t *slot)
{
    ZhangRateObject *self = (ZhangRateObject *)obj;
    if (self->arrays == NULL) {
        PyErr_SetString(PyExc_ValueError, "ZhangRate was cleared");
        return -1;
    }
    *task = bc_zhang_rate_run;
    *object = &self->z;
    *slot = BC_SLOT_START;
    return 0;
}
