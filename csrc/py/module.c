/* module.c -- binding: the brianc._core module: its state, the opcode
 * table, status-to-exception mapping and the array conversion helpers. */
#define BC_IMPORT_ARRAY_HERE
#include "numpy_glue.h"

#include "kernels.h"

static struct PyModuleDef core_module;

module_state *
bc_state_of_type(PyTypeObject *type)
{
    PyObject *module = PyType_GetModuleByDef(type, &core_module);
    return module != NULL ? PyModule_GetState(module) : NULL;
}

PyObject *
bc_status_error(bc_status st, const char *what)
{
    switch (st) {
    case BC_OK:
        Py_RETURN_NONE;
    case BC_ENOMEM:
        return PyErr_NoMemory();
    case BC_ERANGE:
        return PyErr_Format(PyExc_IndexError, "%s: index or size out of "
                            "range", what);
    case BC_INTERRUPTED:
        return PyErr_Format(PyExc_KeyboardInterrupt, "%s", what);
    default:
        return PyErr_Format(PyExc_ValueError, "%s: invalid input", what);
    }
}

PyArrayObject *
bc_as_array(PyObject *obj, int typenum, int ndim, const char *what)
{
    PyArrayObject *a = (PyArrayObject *)PyArray_FROM_OTF(
        obj, typenum, NPY_ARRAY_IN_ARRAY);
    if (a == NULL) {
        return NULL;
    }
    if (PyArray_NDIM(a) != ndim) {
        PyErr_Format(PyExc_ValueError, "%s must be %d-dimensional, got %d "
                     "dimensions", what, ndim, PyArray_NDIM(a));
        Py_DECREF(a);
        return NULL;
    }
    return a;
}

int
bc_to_index(Py_ssize_t v, bc_index *out, const char *what)
{
    if (v < 0 || v > BC_INDEX_MAX) {
        PyErr_Format(PyExc_ValueError, "%s out of range: %zd", what, v);
        return -1;
    }
    *out = (bc_index)v;
    return 0;
}

/* random_pairs(seed, stream, row0, row1, col0, col1, p) -> (pre, post) */
static PyObject *
random_pairs(PyObject *Py_UNUSED(module), PyObject *args)
{
    unsigned long long seed, stream;
    Py_ssize_t r0, r1, c0, c1;
    double p;
    if (!PyArg_ParseTuple(args, "KKnnnnd", &seed, &stream, &r0, &r1, &c0,
                          &c1, &p)) {
        return NULL;
    }
    bc_index row0, row1, col0, col1;
    if (bc_to_index(r0, &row0, "row0") || bc_to_index(r1, &row1, "row1") ||
        bc_to_index(c0, &col0, "col0") || bc_to_index(c1, &col1, "col1")) {
        return NULL;
    }
    if (!(p >= 0.0 && p <= 1.0)) {
        return PyErr_Format(PyExc_ValueError, "connection probability must "
                            "be in [0, 1], got %g", p);
    }
    bc_count n = 0;
    bc_status st;
    Py_BEGIN_ALLOW_THREADS
    st = bc_random_pairs(seed, stream, row0, row1, col0, col1, p, 0, NULL,
                         NULL, &n);
    Py_END_ALLOW_THREADS
    if (st != BC_OK) {
        return bc_status_error(st, "random_pairs");
    }
    npy_intp dims[1] = {(npy_intp)n};
    PyArrayObject *pre = (PyArrayObject *)PyArray_SimpleNew(1, dims,
                                                            NPY_INT32);
    PyArrayObject *post = (PyArrayObject *)PyArray_SimpleNew(1, dims,
                                                             NPY_INT32);
    if (pre == NULL || post == NULL) {
        Py_XDECREF(pre);
        Py_XDECREF(post);
        return NULL;
    }
    bc_count m = 0;
    bc_index *pre_data = PyArray_DATA(pre), *post_data = PyArray_DATA(post);
    Py_BEGIN_ALLOW_THREADS
    st = bc_random_pairs(seed, stream, row0, row1, col0, col1, p, n,
                         pre_data, post_data, &m);
    Py_END_ALLOW_THREADS
    if (st != BC_OK || m != n) {
        Py_DECREF(pre);
        Py_DECREF(post);
        return bc_status_error(st != BC_OK ? st : BC_EINVAL, "random_pairs");
    }
    return Py_BuildValue("(NN)", pre, post);
}

static PyMethodDef core_methods[] = {
    {"random_pairs", random_pairs, METH_VARARGS,
     "random_pairs(seed, stream, row0, row1, col0, col1, p) -> (pre, post)"
     "\n\nEvery pair of the block kept with probability p; pre is relative "
     "to row0, post to col0."},
    {"iir_apply", bc_py_iir_apply, METH_VARARGS,
     "iir_apply(b, a, state, x) -> y\n\nFilter x (n_samples, nchannels) "
     "through cascades of IIR sections in direct form II transposed; b, a "
     "and state are float64 Fortran-ordered (nchannels, m, ncascade) and "
     "the state is updated in place."},
    {"drnl_apply", bc_py_drnl_apply, METH_VARARGS,
     "drnl_apply(scale, banks, gain, a, b, c, x) -> y\n\nThe fused DRNL "
     "filterbank over one buffer (drnl.h)."},
    {"tan_carney_apply", bc_py_tan_carney_apply, METH_VARARGS,
     "tan_carney_apply(params, state, fs2, x0, shift, with_ihc, interval, "
     "x) -> y\n\nTan & Carney's filterbank over one buffer "
     "(tan_carney.h)."},
    {NULL, NULL, 0, NULL}
};

static int
add_opcodes(PyObject *module)
{
    static const char *const names[] = {
#define BC_OP(name, n_args) #name,
#include "opcodes.def"
#undef BC_OP
    };
    static const int arity[] = {
#define BC_OP(name, n_args) n_args,
#include "opcodes.def"
#undef BC_OP
    };
    PyObject *ops = PyDict_New();
    PyObject *ar = PyDict_New();
    if (ops == NULL || ar == NULL) {
        goto fail;
    }
    for (int k = 0; k < BC_OP_COUNT; k++) {
        PyObject *v = PyLong_FromLong(k);
        PyObject *a = PyLong_FromLong(arity[k]);
        int bad = v == NULL || a == NULL ||
                  PyDict_SetItemString(ops, names[k], v) < 0 ||
                  PyDict_SetItemString(ar, names[k], a) < 0;
        Py_XDECREF(v);
        Py_XDECREF(a);
        if (bad) {
            goto fail;
        }
    }
    if (PyModule_AddObject(module, "OPCODES", ops) < 0) {
        goto fail;
    }
    ops = NULL;
    if (PyModule_AddObject(module, "OPCODE_ARITY", ar) < 0) {
        goto fail;
    }
    return 0;
fail:
    Py_XDECREF(ops);
    Py_XDECREF(ar);
    return -1;
}

static int
add_type(PyObject *module, PyType_Spec *spec, PyTypeObject **slot)
{
    PyObject *type = PyType_FromModuleAndSpec(module, spec, NULL);
    if (type == NULL) {
        return -1;
    }
    *slot = (PyTypeObject *)type;
    return PyModule_AddType(module, (PyTypeObject *)type);
}

static int
core_exec(PyObject *module)
{
    import_array1(-1);
    /* A BRIANC_ISA the CPU cannot honour stops the import: running on
     * other kernels than the ones asked for would hide the mistake. */
    const char *isa_error = bc_isa_error();
    if (isa_error != NULL) {
        PyErr_SetString(PyExc_RuntimeError, isa_error);
        return -1;
    }
    module_state *s = PyModule_GetState(module);
    if (add_type(module, &bc_clock_spec, &s->ClockType) < 0 ||
        add_type(module, &bc_program_spec, &s->ProgramType) < 0 ||
        add_type(module, &bc_group_spec, &s->GroupType) < 0 ||
        add_type(module, &bc_connection_spec, &s->ConnectionType) < 0 ||
        add_type(module, &bc_spike_monitor_spec, &s->SpikeMonitorType) < 0 ||
        add_type(module, &bc_state_monitor_spec, &s->StateMonitorType) < 0 ||
        add_type(module, &bc_network_spec, &s->NetworkType) < 0) {
        return -1;
    }
#define BC_TASK_TYPE(field, spec, getter) \
    if (add_type(module, &spec, &s->field) < 0) { \
        return -1; \
    }
#include "task_types.def"
#undef BC_TASK_TYPE
    if (add_opcodes(module) < 0 ||
        PyModule_AddFunctions(module, bc_statistics_methods) < 0 ||
        PyModule_AddFunctions(module, bc_synapse_construction_methods) < 0 ||
        PyModule_AddFunctions(module, bc_spike_exchange_methods) < 0 ||
        PyModule_AddIntConstant(module, "BLOCK", BC_BLOCK) < 0 ||
        PyModule_AddIntConstant(module, "N_SLOTS", BC_N_SLOTS) < 0 ||
        PyModule_AddStringConstant(module, "ISA",
                                   bc_kernels_active()->name) < 0 ||
        PyModule_AddStringConstant(module, "ISA_AVAILABLE",
                                   bc_isa_available()) < 0) {
        return -1;
    }
    return 0;
}

static int
core_traverse(PyObject *module, visitproc visit, void *arg)
{
    module_state *s = PyModule_GetState(module);
    Py_VISIT(s->ClockType);
    Py_VISIT(s->ProgramType);
    Py_VISIT(s->GroupType);
    Py_VISIT(s->ConnectionType);
    Py_VISIT(s->SpikeMonitorType);
    Py_VISIT(s->StateMonitorType);
    Py_VISIT(s->NetworkType);
#define BC_TASK_TYPE(field, spec, getter) Py_VISIT(s->field);
#include "task_types.def"
#undef BC_TASK_TYPE
    return 0;
}

static int
core_clear(PyObject *module)
{
    module_state *s = PyModule_GetState(module);
    Py_CLEAR(s->ClockType);
    Py_CLEAR(s->ProgramType);
    Py_CLEAR(s->GroupType);
    Py_CLEAR(s->ConnectionType);
    Py_CLEAR(s->SpikeMonitorType);
    Py_CLEAR(s->StateMonitorType);
    Py_CLEAR(s->NetworkType);
#define BC_TASK_TYPE(field, spec, getter) Py_CLEAR(s->field);
#include "task_types.def"
#undef BC_TASK_TYPE
    return 0;
}

static void
core_free(void *module)
{
    core_clear((PyObject *)module);
}

static PyModuleDef_Slot core_slots[] = {
    {Py_mod_exec, core_exec},
    {0, NULL}
};

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "brianc._core",
    .m_doc = "brianc's C engine: groups, connections, monitors, run loop.",
    .m_size = sizeof(module_state),
    .m_methods = core_methods,
    .m_slots = core_slots,
    .m_traverse = core_traverse,
    .m_clear = core_clear,
    .m_free = core_free,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    return PyModuleDef_Init(&core_module);
}
