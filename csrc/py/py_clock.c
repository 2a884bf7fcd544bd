/* py_clock.c -- binding: _core.Clock, a step counter with its dt.  The
 * network keeps pointers to the C struct, so the Python object owns it. */
#include "numpy_glue.h"

#include <structmember.h>

static PyObject *
Clock_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"dt", "order", NULL};
    double dt;
    int order = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "d|i", kwlist, &dt,
                                     &order)) {
        return NULL;
    }
    if (!(dt > 0.0) || !isfinite(dt)) {
        return PyErr_Format(PyExc_ValueError, "Clock dt must be a positive "
                            "time, got %g s", dt);
    }
    ClockObject *self = (ClockObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->clock.dt = dt;
    self->clock.order = order;
    return (PyObject *)self;
}

static void
Clock_dealloc(ClockObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static int
Clock_traverse(ClockObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static PyObject *
Clock_get_dt(ClockObject *self, void *Py_UNUSED(closure))
{
    return PyFloat_FromDouble(self->clock.dt);
}

static int
Clock_set_dt(ClockObject *self, PyObject *value, void *Py_UNUSED(closure))
{
    double dt = value != NULL ? PyFloat_AsDouble(value) : -1.0;
    if (dt == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    if (!(dt > 0.0) || !isfinite(dt)) {
        PyErr_Format(PyExc_ValueError, "dt must be a positive time, got "
                     "%g s", dt);
        return -1;
    }
    self->clock.dt = dt;
    return 0;
}

static PyObject *
Clock_get_step(ClockObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLongLong(self->clock.step);
}

static int
Clock_set_step(ClockObject *self, PyObject *value, void *Py_UNUSED(closure))
{
    long long v = value != NULL ? PyLong_AsLongLong(value) : -1;
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (v < 0) {
        PyErr_SetString(PyExc_ValueError, "a clock's step must be >= 0");
        return -1;
    }
    self->clock.step = v;
    return 0;
}

static PyObject *
Clock_get_end(ClockObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLongLong(self->clock.end);
}

static int
Clock_set_end(ClockObject *self, PyObject *value, void *Py_UNUSED(closure))
{
    long long v = value != NULL ? PyLong_AsLongLong(value) : -1;
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    self->clock.end = v;
    return 0;
}

static PyObject *
Clock_get_order(ClockObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLong(self->clock.order);
}

static PyGetSetDef Clock_getset[] = {
    {"dt", (getter)Clock_get_dt, (setter)Clock_set_dt, "seconds", NULL},
    {"step", (getter)Clock_get_step, (setter)Clock_set_step,
     "current step", NULL},
    {"end", (getter)Clock_get_end, (setter)Clock_set_end, "end step", NULL},
    {"order", (getter)Clock_get_order, NULL, "tie-break order", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot Clock_slots[] = {
    {Py_tp_new, Clock_new},
    {Py_tp_dealloc, Clock_dealloc},
    {Py_tp_traverse, Clock_traverse},
    {Py_tp_getset, Clock_getset},
    {Py_tp_doc, "Clock(dt, order=0): time as a step count."},
    {0, NULL}
};

PyType_Spec bc_clock_spec = {
    .name = "brianc._core.Clock",
    .basicsize = sizeof(ClockObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = Clock_slots,
};
