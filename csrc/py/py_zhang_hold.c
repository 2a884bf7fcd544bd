/* py_zhang_hold.c -- binding: _core.ZhangHold, the refractory hold of
 * Brian Hears' ZhangSynapse fibres (zhang_hold.h) as a network task in
 * the after-resets slot of their group's clock. */
#include "numpy_glue.h"
#include "zhang_hold.h"

typedef struct {
    PyObject_HEAD
    bc_zhang_hold hold;
    PyObject *members;          /* tuple: the group, e_0, e_1 */
} ZhangHoldObject;

/* The data of a C-contiguous, aligned, writeable float64 1-d array of n
 * values, or NULL with a TypeError naming it. */
static double *
row_of(PyObject *obj, npy_intp n, const char *what)
{
    PyArrayObject *a = (PyArrayObject *)obj;
    if (!PyArray_Check(obj) || PyArray_TYPE(a) != NPY_FLOAT64 ||
        PyArray_NDIM(a) != 1 || PyArray_DIM(a, 0) != n ||
        !PyArray_IS_C_CONTIGUOUS(a) || !PyArray_ISALIGNED(a) ||
        !PyArray_ISWRITEABLE(a)) {
        PyErr_Format(PyExc_TypeError, "ZhangHold: %s must be a "
                     "C-contiguous writeable float64 array of %zd values",
                     what, (Py_ssize_t)n);
        return NULL;
    }
    return PyArray_DATA(a);
}

/* ZhangHold(group, e_0, e_1, phases) */
static PyObject *
ZhangHold_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"group", "e_0", "e_1", "phases", NULL};
    PyObject *group, *e_0, *e_1;
    int phases;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOi", kwlist, &group,
                                     &e_0, &e_1, &phases)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(group, s->GroupType)) {
        PyErr_SetString(PyExc_TypeError, "ZhangHold: group must be a "
                        "_core.Group");
        return NULL;
    }
    const bc_group *g = &((GroupObject *)group)->group;
    if (phases < 1 || phases > g->n_slots) {
        return PyErr_Format(PyExc_ValueError, "ZhangHold: phases must be "
                            "from 1 to the group's %d steps of spike "
                            "history (got %d)", (int)g->n_slots, phases);
    }
    bc_zhang_hold hold = {.group = g, .phases = phases};
    if ((hold.e_0 = row_of(e_0, g->n, "e_0")) == NULL ||
        (hold.e_1 = row_of(e_1, g->n, "e_1")) == NULL) {
        return NULL;
    }
    PyObject *members = PyTuple_Pack(3, group, e_0, e_1);
    if (members == NULL) {
        return NULL;
    }
    ZhangHoldObject *self = (ZhangHoldObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(members);
        return NULL;
    }
    self->hold = hold;
    self->members = members;
    return (PyObject *)self;
}

static int
ZhangHold_traverse(ZhangHoldObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->members);
    return 0;
}

static int
ZhangHold_clear(ZhangHoldObject *self)
{
    memset(&self->hold, 0, sizeof(self->hold));
    Py_CLEAR(self->members);
    return 0;
}

static void
ZhangHold_dealloc(ZhangHoldObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    ZhangHold_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot ZhangHold_slots[] = {
    {Py_tp_new, ZhangHold_new},
    {Py_tp_dealloc, ZhangHold_dealloc},
    {Py_tp_traverse, ZhangHold_traverse},
    {Py_tp_clear, ZhangHold_clear},
    {Py_tp_doc, "ZhangHold(group, e_0, e_1, phases): e_0 = e_1 = 1 for the "
                "neurons that spiked in the last phases steps, each step "
                "after the resets"},
    {0, NULL}
};

PyType_Spec bc_zhang_hold_spec = {
    .name = "brianc._core.ZhangHold",
    .basicsize = sizeof(ZhangHoldObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = ZhangHold_slots,
};

int
bc_zhang_hold_task(PyObject *obj, bc_task_fn *task, void **object,
                   int32_t *slot)
{
    ZhangHoldObject *self = (ZhangHoldObject *)obj;
    if (self->members == NULL) {
        PyErr_SetString(PyExc_ValueError, "ZhangHold was cleared");
        return -1;
    }
    *task = bc_zhang_hold_run;
    *object = &self->hold;
    *slot = BC_SLOT_AFTER_RESETS;
    return 0;
}
