/* py_timed_array.c -- binding: _core.TimedSetter, the C side of Brian 1's
 * TimedArraySetter: each step of its clock, in its slot, it copies the
 * sample due into a float64 array (a state row window or a hidden array
 * read by a program). */
#include "numpy_glue.h"

typedef struct {
    PyObject_HEAD
    bc_timed_setter setter;
    PyObject *dst, *values, *times;     /* arrays; times may be NULL */
    int32_t slot;
} TimedSetterObject;

/* True if a is a float64, C-contiguous, aligned array of ndim dims. */
static int
is_plain(PyObject *a, int ndim, int writeable)
{
    if (!PyArray_Check(a)) {
        return 0;
    }
    PyArrayObject *arr = (PyArrayObject *)a;
    return PyArray_TYPE(arr) == NPY_FLOAT64 && PyArray_NDIM(arr) == ndim &&
           PyArray_IS_C_CONTIGUOUS(arr) && PyArray_ISALIGNED(arr) &&
           (!writeable || PyArray_ISWRITEABLE(arr));
}

/* TimedSetter(dst, values, times, start, sample_dt, dt, slot) */
static PyObject *
TimedSetter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"dst", "values", "times", "start", "sample_dt",
                             "dt", "slot", NULL};
    PyObject *dst, *values, *times;
    double start, sample_dt, dt;
    int slot;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOdddi", kwlist, &dst,
                                     &values, &times, &start, &sample_dt,
                                     &dt, &slot)) {
        return NULL;
    }
    /* No silent copies: the setter writes through dst's pointer. */
    if (!is_plain(dst, 1, 1) || !is_plain(values, 2, 0) ||
        (times != Py_None && !is_plain(times, 1, 0))) {
        PyErr_SetString(PyExc_TypeError, "TimedSetter needs C-contiguous "
                        "float64 arrays: dst 1-d writeable, values 2-d, "
                        "times 1-d or None");
        return NULL;
    }
    if (slot < 0 || slot > BC_SLOT_CONNECTIONS) {
        return PyErr_Format(PyExc_ValueError, "bad schedule slot %d", slot);
    }
    PyArrayObject *d = (PyArrayObject *)dst, *v = (PyArrayObject *)values;
    npy_intp n = PyArray_DIM(d, 0), n_samples = PyArray_DIM(v, 0);
    npy_intp width = PyArray_DIM(v, 1);
    if (times != Py_None &&
        PyArray_DIM((PyArrayObject *)times, 0) != n_samples) {
        PyErr_SetString(PyExc_ValueError, "TimedSetter: one time per sample "
                        "needed");
        return NULL;
    }
    if (n > BC_INDEX_MAX || width > BC_INDEX_MAX) {
        PyErr_SetString(PyExc_ValueError, "TimedSetter: too many values");
        return NULL;
    }
    TimedSetterObject *self = (TimedSetterObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_timed_setter_init(
        &self->setter, PyArray_DATA(d), (bc_index)n, PyArray_DATA(v),
        (bc_step)n_samples, (bc_index)width,
        times != Py_None ? PyArray_DATA((PyArrayObject *)times) : NULL,
        start, sample_dt, dt);
    if (st != BC_OK) {
        Py_DECREF(self);
        return bc_status_error(st, "TimedSetter");
    }
    self->dst = Py_NewRef(dst);
    self->values = Py_NewRef(values);
    self->times = times != Py_None ? Py_NewRef(times) : NULL;
    self->slot = slot;
    return (PyObject *)self;
}

static int
TimedSetter_traverse(TimedSetterObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->dst);
    Py_VISIT(self->values);
    Py_VISIT(self->times);
    return 0;
}

static int
TimedSetter_clear(TimedSetterObject *self)
{
    memset(&self->setter, 0, sizeof(self->setter));
    Py_CLEAR(self->dst);
    Py_CLEAR(self->values);
    Py_CLEAR(self->times);
    return 0;
}

static void
TimedSetter_dealloc(TimedSetterObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    TimedSetter_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

/* sample(t) -> index of the sample used at time t (seconds). */
static PyObject *
TimedSetter_sample(TimedSetterObject *self, PyObject *arg)
{
    double t = PyFloat_AsDouble(arg);
    if (t == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLongLong(bc_timed_sample(&self->setter, t));
}

/* apply(step): run the setter once now (initial values). */
static PyObject *
TimedSetter_apply(TimedSetterObject *self, PyObject *arg)
{
    long long step = PyLong_AsLongLong(arg);
    if (step == -1 && PyErr_Occurred()) {
        return NULL;
    }
    bc_timed_setter_run(&self->setter, (bc_step)step);
    Py_RETURN_NONE;
}

static PyMethodDef TimedSetter_methods[] = {
    {"sample", (PyCFunction)TimedSetter_sample, METH_O,
     "sample(t) -> the sample index used at time t"},
    {"apply", (PyCFunction)TimedSetter_apply, METH_O,
     "apply(step): write the sample of that step now"},
    {NULL, NULL, 0, NULL}
};

static PyType_Slot TimedSetter_slots[] = {
    {Py_tp_new, TimedSetter_new},
    {Py_tp_dealloc, TimedSetter_dealloc},
    {Py_tp_traverse, TimedSetter_traverse},
    {Py_tp_clear, TimedSetter_clear},
    {Py_tp_methods, TimedSetter_methods},
    {Py_tp_doc, "TimedSetter(dst, values, times, start, sample_dt, dt, "
                "slot)"},
    {0, NULL}
};

PyType_Spec bc_timed_setter_spec = {
    .name = "brianc._core.TimedSetter",
    .basicsize = sizeof(TimedSetterObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = TimedSetter_slots,
};

int
bc_timed_setter_task(PyObject *obj, bc_task_fn *task, void **object,
                     int32_t *slot)
{
    TimedSetterObject *self = (TimedSetterObject *)obj;
    if (self->dst == NULL) {
        PyErr_SetString(PyExc_ValueError, "TimedSetter was cleared");
        return -1;
    }
    *task = bc_timed_setter_run;
    *object = &self->setter;
    *slot = self->slot;
    return 0;
}
