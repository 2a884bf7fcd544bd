/* py_linked_var.c -- binding: _core.LinkedVar, the C side of Brian 1's
 * linked_var: each step of its clock, in its slot, a program's values
 * over a window of the source group are written into a float64 array (a
 * window of a target state row). */
#include "numpy_glue.h"

typedef struct {
    PyObject_HEAD
    bc_linked_var link;
    PyObject *source;           /* GroupObject */
    PyObject *program;          /* ProgramObject */
    PyObject *dst;              /* float64 array written each step */
    int32_t slot;
} LinkedVarObject;

/* LinkedVar(source, program, first, n_source, dst, dt, slot) */
static PyObject *
LinkedVar_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"source", "program", "first", "n_source", "dst",
                             "dt", "slot", NULL};
    PyObject *source, *program, *dst;
    Py_ssize_t first, n_source;
    double dt;
    int slot;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOnnOdi", kwlist, &source,
                                     &program, &first, &n_source, &dst, &dt,
                                     &slot)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(source, s->GroupType) ||
        !PyObject_TypeCheck(program, s->ProgramType)) {
        PyErr_SetString(PyExc_TypeError, "LinkedVar needs a _core.Group and "
                        "a _core.Program");
        return NULL;
    }
    /* No silent copies: the link writes through dst's pointer. */
    if (!PyArray_Check(dst) ||
        PyArray_TYPE((PyArrayObject *)dst) != NPY_FLOAT64 ||
        PyArray_NDIM((PyArrayObject *)dst) != 1 ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)dst) ||
        !PyArray_ISALIGNED((PyArrayObject *)dst) ||
        !PyArray_ISWRITEABLE((PyArrayObject *)dst)) {
        PyErr_SetString(PyExc_TypeError, "LinkedVar: dst must be a "
                        "writeable C-contiguous 1-d float64 array");
        return NULL;
    }
    if (slot < 0 || slot > BC_SLOT_CONNECTIONS) {
        return PyErr_Format(PyExc_ValueError, "bad schedule slot %d", slot);
    }
    GroupObject *g = (GroupObject *)source;
    ProgramObject *p = (ProgramObject *)program;
    if (bc_program_attach_check(p, &g->group) < 0) {
        return NULL;
    }
    bc_index first_i, n_source_i, n_dst;
    if (bc_to_index(first, &first_i, "LinkedVar first") < 0 ||
        bc_to_index(n_source, &n_source_i, "LinkedVar n_source") < 0 ||
        bc_to_index(PyArray_DIM((PyArrayObject *)dst, 0), &n_dst,
                    "LinkedVar dst length") < 0) {
        return NULL;
    }
    LinkedVarObject *self = (LinkedVarObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_linked_var_init(
        &self->link, &g->group, &p->prog, p->array_ptrs,
        (int32_t)p->n_arrays, first_i, n_source_i,
        PyArray_DATA((PyArrayObject *)dst), n_dst, dt);
    if (st != BC_OK) {
        Py_DECREF(self);
        if (st == BC_EINVAL) {
            return PyErr_Format(PyExc_ValueError, "LinkedVar: the source "
                                "window [%zd, %zd) of a group of %d, %d "
                                "targets and the program's output do not "
                                "fit", first, first + n_source,
                                (int)g->group.n, (int)n_dst);
        }
        return bc_status_error(st, "LinkedVar");
    }
    self->source = Py_NewRef(source);
    self->program = Py_NewRef(program);
    self->dst = Py_NewRef(dst);
    self->slot = slot;
    return (PyObject *)self;
}

static int
LinkedVar_traverse(LinkedVarObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->source);
    Py_VISIT(self->program);
    Py_VISIT(self->dst);
    return 0;
}

static int
LinkedVar_clear(LinkedVarObject *self)
{
    bc_linked_var_free(&self->link);
    Py_CLEAR(self->source);
    Py_CLEAR(self->program);
    Py_CLEAR(self->dst);
    return 0;
}

static void
LinkedVar_dealloc(LinkedVarObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    LinkedVar_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

/* apply(step): write the values of that step now. */
static PyObject *
LinkedVar_apply(LinkedVarObject *self, PyObject *arg)
{
    long long step = PyLong_AsLongLong(arg);
    if (step == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (self->source == NULL) {
        PyErr_SetString(PyExc_ValueError, "LinkedVar was cleared");
        return NULL;
    }
    bc_linked_var_run(&self->link, (bc_step)step);
    Py_RETURN_NONE;
}

static PyMethodDef LinkedVar_methods[] = {
    {"apply", (PyCFunction)LinkedVar_apply, METH_O,
     "apply(step): write the linked values of that step now"},
    {NULL, NULL, 0, NULL}
};

static PyType_Slot LinkedVar_slots[] = {
    {Py_tp_new, LinkedVar_new},
    {Py_tp_dealloc, LinkedVar_dealloc},
    {Py_tp_traverse, LinkedVar_traverse},
    {Py_tp_clear, LinkedVar_clear},
    {Py_tp_methods, LinkedVar_methods},
    {Py_tp_doc, "LinkedVar(source, program, first, n_source, dst, dt, "
                "slot)"},
    {0, NULL}
};

PyType_Spec bc_linked_var_spec = {
    .name = "brianc._core.LinkedVar",
    .basicsize = sizeof(LinkedVarObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = LinkedVar_slots,
};

int
bc_linked_var_task(PyObject *obj, bc_task_fn *task, void **object,
                   int32_t *slot)
{
    LinkedVarObject *self = (LinkedVarObject *)obj;
    if (self->source == NULL) {
        PyErr_SetString(PyExc_ValueError, "LinkedVar was cleared");
        return -1;
    }
    *task = bc_linked_var_run;
    *object = &self->link;
    *slot = self->slot;
    return 0;
}
