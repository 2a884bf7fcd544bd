/* py_poisson_input.c -- binding: _core.PoissonInput (Brian 1's sourceless
 * binomial input) and its per-step task. */
#include "numpy_glue.h"

typedef struct {
    PyObject_HEAD
    bc_poisson_input in;
    PyObject *target;           /* GroupObject */
    int32_t slot;               /* always BC_SLOT_CONNECTIONS */
} PoissonInputObject;

/* PoissonInput(target, origin, n, var, n_sources, p, weight, mode, copies,
 *              jitter_steps, reliability, seed, stream, record) */
static PyObject *
PoissonInput_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"target", "origin", "n", "var", "n_sources",
                             "p", "weight", "mode", "copies",
                             "jitter_steps", "reliability", "seed",
                             "stream", "record", NULL};
    PyObject *target;
    Py_ssize_t origin, n;
    int var, mode, copies, record;
    long long n_sources;
    double p, weight, jitter_steps, reliability;
    unsigned long long seed, stream;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OnniLddiiddKKp", kwlist,
                                     &target, &origin, &n, &var,
                                     &n_sources, &p, &weight, &mode,
                                     &copies, &jitter_steps, &reliability,
                                     &seed, &stream, &record)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(target, s->GroupType)) {
        PyErr_SetString(PyExc_TypeError, "target must be a _core.Group");
        return NULL;
    }
    bc_index o, len;
    if (bc_to_index(origin, &o, "origin") < 0 ||
        bc_to_index(n, &len, "n") < 0) {
        return NULL;
    }
    PoissonInputObject *self = (PoissonInputObject *)type->tp_alloc(type,
                                                                    0);
    if (self == NULL) {
        return NULL;
    }
    self->slot = BC_SLOT_CONNECTIONS;
    bc_status st = bc_poisson_input_init(
        &self->in, &((GroupObject *)target)->group, o, len, var, n_sources,
        p, weight, (bc_poisson_mode)mode, copies, jitter_steps, reliability,
        seed, stream, record);
    if (st != BC_OK) {
        Py_DECREF(self);
        return bc_status_error(st, "PoissonInput");
    }
    self->target = Py_NewRef(target);
    return (PyObject *)self;
}

static int
PoissonInput_traverse(PoissonInputObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->target);
    return 0;
}

static int
PoissonInput_clear(PoissonInputObject *self)
{
    bc_poisson_input_free(&self->in);
    Py_CLEAR(self->target);
    return 0;
}

static void
PoissonInput_dealloc(PoissonInputObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    PoissonInput_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
PoissonInput_reinit(PoissonInputObject *self, PyObject *Py_UNUSED(arg))
{
    bc_poisson_input_clear(&self->in);
    Py_RETURN_NONE;
}

/* records() -> (index int32 array, step int64 array), fresh copies. */
static PyObject *
PoissonInput_records(PoissonInputObject *self, PyObject *Py_UNUSED(arg))
{
    npy_intp dims[1] = {(npy_intp)self->in.rec_index.length};
    PyObject *idx = PyArray_SimpleNew(1, dims, NPY_INT32);
    PyObject *steps = PyArray_SimpleNew(1, dims, NPY_INT64);
    if (idx == NULL || steps == NULL) {
        Py_XDECREF(idx);
        Py_XDECREF(steps);
        return NULL;
    }
    if (dims[0] > 0) {
        memcpy(PyArray_DATA((PyArrayObject *)idx), self->in.rec_index.data,
               (size_t)dims[0] * sizeof(bc_index));
        memcpy(PyArray_DATA((PyArrayObject *)steps), self->in.rec_step.data,
               (size_t)dims[0] * sizeof(bc_step));
    }
    return Py_BuildValue("(NN)", idx, steps);
}

static PyObject *
PoissonInput_get_p(PoissonInputObject *self, void *Py_UNUSED(closure))
{
    return PyFloat_FromDouble(self->in.p);
}

static int
PoissonInput_set_p(PoissonInputObject *self, PyObject *v,
                   void *Py_UNUSED(closure))
{
    double p = v != NULL ? PyFloat_AsDouble(v) : -1.0;
    if (p == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    if (!(p >= 0.0 && p <= 1.0)) {
        PyErr_Format(PyExc_ValueError, "rate*dt must be in [0, 1], got %g",
                     p);
        return -1;
    }
    self->in.p = p;
    return 0;
}

static PyObject *
PoissonInput_get_weight(PoissonInputObject *self, void *Py_UNUSED(closure))
{
    return PyFloat_FromDouble(self->in.weight);
}

static int
PoissonInput_set_weight(PoissonInputObject *self, PyObject *v,
                        void *Py_UNUSED(closure))
{
    double w = v != NULL ? PyFloat_AsDouble(v) : NAN;
    if (w == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    if (v == NULL) {
        PyErr_SetString(PyExc_TypeError, "weight cannot be deleted");
        return -1;
    }
    self->in.weight = w;
    return 0;
}

static PyMethodDef PoissonInput_methods[] = {
    {"reinit", (PyCFunction)PoissonInput_reinit, METH_NOARGS,
     "Forget pending jittered copies and records."},
    {"records", (PyCFunction)PoissonInput_records, METH_NOARGS,
     "records() -> (local indices int32, steps int64)"},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef PoissonInput_getset[] = {
    {"p", (getter)PoissonInput_get_p, (setter)PoissonInput_set_p,
     "rate * dt", NULL},
    {"weight", (getter)PoissonInput_get_weight,
     (setter)PoissonInput_set_weight, "SI weight", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot PoissonInput_slots[] = {
    {Py_tp_new, PoissonInput_new},
    {Py_tp_dealloc, PoissonInput_dealloc},
    {Py_tp_traverse, PoissonInput_traverse},
    {Py_tp_clear, PoissonInput_clear},
    {Py_tp_methods, PoissonInput_methods},
    {Py_tp_getset, PoissonInput_getset},
    {Py_tp_doc, "PoissonInput(target, origin, n, var, n_sources, p, weight, "
                "mode, copies, jitter_steps, reliability, seed, stream, "
                "record)"},
    {0, NULL}
};

PyType_Spec bc_poisson_input_spec = {
    .name = "brianc._core.PoissonInput",
    .basicsize = sizeof(PoissonInputObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = PoissonInput_slots,
};

int
bc_poisson_input_task(PyObject *obj, bc_task_fn *task, void **object,
                      int32_t *slot)
{
    PoissonInputObject *p = (PoissonInputObject *)obj;
    if (p->target == NULL) {
        PyErr_SetString(PyExc_ValueError, "PoissonInput was cleared");
        return -1;
    }
    *task = bc_poisson_input_run;
    *object = &p->in;
    *slot = p->slot;
    return 0;
}
