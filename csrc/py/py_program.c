/* py_program.c -- binding: _core.Program, a compiled expression program
 * (docs/ARCHITECTURE.md section 2).  Holds the arrays the core reads. */
#include "numpy_glue.h"

/* The linear prologue X <- A X + C: linear is (A, C) with A dense
 * (m, m), or (values, C, index) with A sparse (see bc_program). */
static int
set_linear_prologue(ProgramObject *self, PyObject *linear_o)
{
    PyObject *a_o, *c_o, *index_o = NULL;
    if (!PyArg_ParseTuple(linear_o, "OO|O", &a_o, &c_o, &index_o)) {
        return -1;
    }
    int sparse = index_o != NULL;
    PyArrayObject *a = bc_as_array(a_o, NPY_FLOAT64, sparse ? 1 : 2,
                                   "linear A");
    self->lin_a = (PyObject *)a;
    PyArrayObject *c = a ? bc_as_array(c_o, NPY_FLOAT64, 1, "linear C")
                         : NULL;
    self->lin_c = (PyObject *)c;
    if (c == NULL) {
        return -1;
    }
    npy_intp m = PyArray_DIM(c, 0), n_a;
    if (m > INT32_MAX - 1) {
        PyErr_SetString(PyExc_ValueError, "linear C is too long");
        return -1;
    }
    if (sparse) {
        PyArrayObject *index = bc_as_array(index_o, NPY_INT32, 1,
                                           "linear index");
        self->lin_index = (PyObject *)index;
        if (index == NULL) {
            return -1;
        }
        n_a = PyArray_DIM(a, 0);
        const int32_t *ix = PyArray_DATA(index);
        if (PyArray_DIM(index, 0) != m + 1 + n_a || ix[m] != n_a) {
            PyErr_SetString(PyExc_ValueError, "linear index must hold "
                            "len(C) + 1 row starts, the last len(A), and "
                            "a column per entry of A");
            return -1;
        }
        self->prog.lin_index = ix;
    }
    else {
        if (PyArray_DIM(a, 0) != m || PyArray_DIM(a, 1) != m) {
            PyErr_SetString(PyExc_ValueError, "linear A must be square and "
                            "match C");
            return -1;
        }
        n_a = m * m;
    }
    const double *ad = PyArray_DATA(a), *cd = PyArray_DATA(c);
    for (npy_intp k = 0; k < n_a || k < m; k++) {
        if ((k < n_a && !isfinite(ad[k])) || (k < m && !isfinite(cd[k]))) {
            PyErr_SetString(PyExc_ValueError, "linear propagator is not "
                            "finite");
            return -1;
        }
    }
    self->prog.lin_n = (int32_t)m;
    self->prog.lin_a = ad;
    self->prog.lin_c = cd;
    return 0;
}

static PyObject *
Program_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"code", "reg_kind", "reg_index", "reg_const",
                             "out_reg", "arrays", "linear", NULL};
    PyObject *code_o, *kind_o, *index_o, *const_o, *arrays_o = NULL;
    PyObject *linear_o = Py_None;
    int out_reg = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOO|iOO", kwlist, &code_o,
                                     &kind_o, &index_o, &const_o, &out_reg,
                                     &arrays_o, &linear_o)) {
        return NULL;
    }
    ProgramObject *self = (ProgramObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->array_length = -1;
    PyArrayObject *code = bc_as_array(code_o, NPY_INT32, 2, "code");
    self->code = (PyObject *)code;
    if (code == NULL) {
        goto fail;
    }
    if (PyArray_DIM(code, 1) != 5 || PyArray_DIM(code, 0) > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "code must have shape (n, 5)");
        goto fail;
    }
    PyArrayObject *kind = bc_as_array(kind_o, NPY_INT32, 1, "reg_kind");
    self->reg_kind = (PyObject *)kind;
    PyArrayObject *index = kind ? bc_as_array(index_o, NPY_INT32, 1,
                                              "reg_index") : NULL;
    self->reg_index = (PyObject *)index;
    PyArrayObject *cons = index ? bc_as_array(const_o, NPY_FLOAT64, 1,
                                              "reg_const") : NULL;
    self->reg_const = (PyObject *)cons;
    if (cons == NULL) {
        goto fail;
    }
    npy_intp n_regs = PyArray_DIM(kind, 0);
    if (PyArray_DIM(index, 0) != n_regs || PyArray_DIM(cons, 0) != n_regs ||
        n_regs > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "reg_kind, reg_index and "
                        "reg_const must have the same length");
        goto fail;
    }
    self->arrays = arrays_o != NULL && arrays_o != Py_None
        ? PySequence_Tuple(arrays_o) : PyTuple_New(0);
    if (self->arrays == NULL) {
        goto fail;
    }
    self->n_arrays = PyTuple_GET_SIZE(self->arrays);
    self->array_ptrs = PyMem_Calloc((size_t)self->n_arrays + 1,
                                    sizeof(double *));
    if (self->array_ptrs == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t k = 0; k < self->n_arrays; k++) {
        PyObject *a = PyTuple_GET_ITEM(self->arrays, k);
        if (!PyArray_Check(a) ||
            PyArray_TYPE((PyArrayObject *)a) != NPY_FLOAT64 ||
            PyArray_NDIM((PyArrayObject *)a) != 1 ||
            !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)a) ||
            !PyArray_ISALIGNED((PyArrayObject *)a)) {
            PyErr_Format(PyExc_TypeError, "program array %zd must be a "
                         "contiguous 1-d float64 array", k);
            goto fail;
        }
        npy_intp len = PyArray_DIM((PyArrayObject *)a, 0);
        if (self->array_length >= 0 && len != self->array_length) {
            PyErr_SetString(PyExc_ValueError, "program arrays differ in "
                            "length");
            goto fail;
        }
        if (len > BC_INDEX_MAX) {
            PyErr_SetString(PyExc_ValueError, "program array too long");
            goto fail;
        }
        self->array_length = (bc_index)len;
        self->array_ptrs[k] = PyArray_DATA((PyArrayObject *)a);
    }
    self->prog.n_instr = (int32_t)PyArray_DIM(code, 0);
    self->prog.code = PyArray_DATA(code);
    self->prog.n_regs = (int32_t)n_regs;
    self->prog.reg_kind = PyArray_DATA(kind);
    self->prog.reg_index = PyArray_DATA(index);
    self->prog.reg_const = PyArray_DATA(cons);
    self->prog.out_reg = out_reg;
    if (linear_o != Py_None && set_linear_prologue(self, linear_o) < 0) {
        goto fail;
    }
    /* Structural checks now; rows and lengths when attached to a group. */
    if (bc_program_check(&self->prog, INT32_MAX,
                         (int32_t)self->n_arrays) != BC_OK) {
        PyErr_SetString(PyExc_ValueError, "malformed program (bad opcode, "
                        "register, operand kind or output register)");
        goto fail;
    }
    return (PyObject *)self;
fail:
    Py_DECREF(self);
    return NULL;
}

int
bc_program_attach_check(ProgramObject *p, const bc_group *g)
{
    if (bc_program_check(&p->prog, g->n_vars, (int32_t)p->n_arrays) !=
        BC_OK) {
        PyErr_SetString(PyExc_ValueError, "program refers to a state "
                        "variable the group does not have");
        return -1;
    }
    if (p->n_arrays > 0 && p->array_length != g->n) {
        PyErr_Format(PyExc_ValueError, "program arrays have length %d, "
                     "the group has %d neurons", (int)p->array_length,
                     (int)g->n);
        return -1;
    }
    return 0;
}

static int
Program_traverse(ProgramObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->arrays);
    return 0;
}

static int
Program_clear(ProgramObject *self)
{
    Py_CLEAR(self->arrays);
    return 0;
}

static void
Program_dealloc(ProgramObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Program_clear(self);
    Py_XDECREF(self->code);
    Py_XDECREF(self->reg_kind);
    Py_XDECREF(self->reg_index);
    Py_XDECREF(self->reg_const);
    Py_XDECREF(self->lin_a);
    Py_XDECREF(self->lin_c);
    Py_XDECREF(self->lin_index);
    PyMem_Free(self->array_ptrs);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot Program_slots[] = {
    {Py_tp_new, Program_new},
    {Py_tp_dealloc, Program_dealloc},
    {Py_tp_traverse, Program_traverse},
    {Py_tp_clear, Program_clear},
    {Py_tp_doc, "Program(code, reg_kind, reg_index, reg_const, out_reg=-1, "
                "arrays=()): a checked VM program."},
    {0, NULL}
};

PyType_Spec bc_program_spec = {
    .name = "brianc._core.Program",
    .basicsize = sizeof(ProgramObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = Program_slots,
};
