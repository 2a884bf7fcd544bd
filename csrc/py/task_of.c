/* task_of.c -- binding: bc_task_of, which hands the network the core task
 * of any object whose type is listed in task_types.def.  The lookup is a
 * walk over that table, so a new task type needs no code here. */
#include <stddef.h>

#include "numpy_glue.h"

typedef struct {
    size_t type_offset;         /* of its PyTypeObject * in module_state */
    const PyType_Spec *spec;    /* for the type's name in errors */
    bc_task_getter getter;
} task_type;

static const task_type task_types[] = {
#define BC_TASK_TYPE(field, spec, getter) \
    {offsetof(module_state, field), &spec, getter},
#include "task_types.def"
#undef BC_TASK_TYPE
};

enum { N_TASK_TYPES = sizeof task_types / sizeof task_types[0] };

static PyTypeObject *
type_in_state(const module_state *s, const task_type *t)
{
    return *(PyTypeObject *const *)((const char *)s + t->type_offset);
}

/* "brianc._core.STDP" -> "_core.STDP": the name a user sees. */
static const char *
short_name(const PyType_Spec *spec)
{
    const char *dot = strchr(spec->name, '.');
    return dot != NULL ? dot + 1 : spec->name;
}

/* TypeError naming every task type and the type obj has; -1. */
static int
not_a_task(PyObject *obj)
{
    PyObject *names = PyList_New(N_TASK_TYPES);
    if (names == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < N_TASK_TYPES; i++) {
        PyObject *name = PyUnicode_FromString(short_name(task_types[i].spec));
        if (name == NULL) {
            Py_DECREF(names);
            return -1;
        }
        PyList_SET_ITEM(names, i, name);
    }
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *listed = sep != NULL ? PyUnicode_Join(sep, names) : NULL;
    if (listed != NULL) {
        PyErr_Format(PyExc_TypeError, "expected a core object with a task "
                     "(%U), got %.200s", listed, Py_TYPE(obj)->tp_name);
    }
    Py_XDECREF(listed);
    Py_XDECREF(sep);
    Py_DECREF(names);
    return -1;
}

int
bc_task_of(PyObject *obj, bc_task_fn *task, void **object, int32_t *slot)
{
    module_state *s = bc_state_of_type(Py_TYPE(obj));
    if (s == NULL) {
        PyErr_Clear();          /* not one of ours: the TypeError below */
        return not_a_task(obj);
    }
    for (Py_ssize_t i = 0; i < N_TASK_TYPES; i++) {
        if (PyObject_TypeCheck(obj, type_in_state(s, &task_types[i]))) {
            return task_types[i].getter(obj, task, object, slot);
        }
    }
    return not_a_task(obj);
}
