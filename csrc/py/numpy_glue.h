/* numpy_glue.h -- binding: NumPy defines, and the declarations the
 * binding files share (module state, the types, conversion helpers). */
#ifndef BC_NUMPY_GLUE_H
#define BC_NUMPY_GLUE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL brianc_ARRAY_API
#ifndef BC_IMPORT_ARRAY_HERE
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>

#include "connection.h"
#include "expr_vm.h"
#include "drnl.h"
#include "filterbank.h"
#include "linked_var.h"
#include "network.h"
#include "neuron_group.h"
#include "poisson_input.h"
#include "spike_monitor.h"
#include "spike_statistics.h"
#include "state_monitor.h"
#include "synapses.h"
#include "tan_carney.h"
#include "stdp.h"
#include "stp.h"
#include "timed_array.h"

typedef struct module_state {
    PyTypeObject *ClockType;
    PyTypeObject *ProgramType;
    PyTypeObject *GroupType;
    PyTypeObject *ConnectionType;
    PyTypeObject *SpikeMonitorType;
    PyTypeObject *StateMonitorType;
    PyTypeObject *NetworkType;
    /* the types with a per-step task, one member each (task_types.def) */
#define BC_TASK_TYPE(field, spec, getter) PyTypeObject *field;
#include "task_types.def"
#undef BC_TASK_TYPE
} module_state;

typedef struct {
    PyObject_HEAD
    bc_clock clock;
} ClockObject;

typedef struct {
    PyObject_HEAD
    bc_program prog;
    PyObject *code, *reg_kind, *reg_index, *reg_const;  /* int32/float64 */
    PyObject *lin_a, *lin_c;    /* float64 linear prologue, or NULL */
    PyObject *lin_index;        /* int32 sparse A's index, or NULL */
    PyObject *arrays;           /* tuple of float64 arrays */
    const double **array_ptrs;  /* owned; data of each array */
    Py_ssize_t n_arrays;
    bc_index array_length;      /* common length of the arrays, or -1 */
} ProgramObject;

typedef struct {
    PyObject_HEAD
    bc_group group;
    PyObject *state;            /* the (n_vars, n) float64 array */
    PyObject *update, *threshold, *reset;   /* ProgramObject or NULL */
} GroupObject;

typedef struct {
    PyObject_HEAD
    bc_connection conn;
    PyObject *source, *target;  /* GroupObject */
} ConnectionObject;

typedef struct {
    PyObject_HEAD
    bc_spike_monitor mon;
    PyObject *source;           /* GroupObject */
} SpikeMonitorObject;

typedef struct {
    PyObject_HEAD
    bc_state_monitor mon;
    PyObject *group;            /* GroupObject */
    PyObject *program;          /* ProgramObject or NULL */
} StateMonitorObject;

typedef struct {
    PyObject_HEAD
    bc_network net;
    PyObject *members;          /* list: every object the core points to */
    int running;
} NetworkObject;

typedef struct {
    PyObject_HEAD
    bc_stdp stdp;
    PyObject *members;          /* list: connection, trace groups, programs */
} STDPObject;

typedef struct {
    PyObject_HEAD
    bc_stp stp;
    PyObject *members;          /* tuple: connection and the arrays */
} STPObject;

/* module.c */
module_state *bc_state_of_type(PyTypeObject *type);
PyObject *bc_status_error(bc_status st, const char *what);
PyArrayObject *bc_as_array(PyObject *obj, int typenum, int ndim,
                           const char *what);

/* A filterbank's input (samples x width, width n or 1, shared by all
 * channels) as float64 and a fresh output of samples x n; 0, or -1 with
 * an error naming what and nothing held. */
int bc_filter_arrays(PyObject *x_obj, int n, const char *what,
                     PyArrayObject **x, PyArrayObject **y);
int bc_to_index(Py_ssize_t v, bc_index *out, const char *what);

/* py_connection.c: the source and target windows that _core.Connection
 * and _core.Synapses take, checked (0, or -1 with an exception). */
typedef struct bc_windows {
    bc_group *source, *target;
    bc_index src_origin, n_pre, tgt_origin, n_post;
} bc_windows;
int bc_check_windows(PyTypeObject *type, PyObject *source, Py_ssize_t so,
                     Py_ssize_t n_pre, PyObject *target, Py_ssize_t to,
                     Py_ssize_t n_post, bc_windows *out);

/* type specs, one file each */
extern PyType_Spec bc_clock_spec, bc_program_spec, bc_group_spec,
    bc_connection_spec, bc_spike_monitor_spec, bc_state_monitor_spec,
    bc_network_spec;

/* The types with a per-step task (task_types.def): each one's spec, in
 * its own file, and its getter, which hands back the core task of an
 * object already checked to be of that type: 0, or -1 with an
 * exception (a cleared object, a failed preparation). */
typedef int (*bc_task_getter)(PyObject *obj, bc_task_fn *task,
                              void **object, int32_t *slot);
#define BC_TASK_TYPE(field, spec, getter) \
    extern PyType_Spec spec; \
    int getter(PyObject *obj, bc_task_fn *task, void **object, \
               int32_t *slot);
#include "task_types.def"
#undef BC_TASK_TYPE

/* task_of.c: the task of any object whose type is in task_types.def; -1
 * with a TypeError otherwise. */
int bc_task_of(PyObject *obj, bc_task_fn *task, void **object,
               int32_t *slot);

/* py_statistics.c: module functions over spike trains */
extern PyMethodDef bc_statistics_methods[];
/* py_synapse_construction.c: the pairs Synapses construction creates */
extern PyMethodDef bc_synapse_construction_methods[];
/* py_spike_exchange.c: brianc.mpi's exchange bookkeeping */
extern PyMethodDef bc_spike_exchange_methods[];

/* py_filterbank.c: iir_apply(b, a, state, x) and drnl_apply;
 * py_tan_carney.c: tan_carney_apply (module functions). */
PyObject *bc_py_iir_apply(PyObject *module, PyObject *args);
PyObject *bc_py_drnl_apply(PyObject *module, PyObject *args);
PyObject *bc_py_tan_carney_apply(PyObject *module, PyObject *args);

/* py_program.c: check p against a group with n_vars rows of n values. */
int bc_program_attach_check(ProgramObject *p, const bc_group *g);

#endif
