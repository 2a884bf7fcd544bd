/* py_group.c -- binding: _core.Group, a neuron group's C side.  The state
 * matrix is a NumPy array owned by Python and updated in place. */
#include "numpy_glue.h"

static PyObject *
Group_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"state", "dt", "seed", "stream", NULL};
    PyObject *state;
    double dt;
    unsigned long long seed = 0, stream = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "Od|KK", kwlist, &state,
                                     &dt, &seed, &stream)) {
        return NULL;
    }
    if (!PyArray_Check(state) ||
        PyArray_TYPE((PyArrayObject *)state) != NPY_FLOAT64 ||
        PyArray_NDIM((PyArrayObject *)state) != 2 ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)state) ||
        !PyArray_ISALIGNED((PyArrayObject *)state) ||
        !PyArray_ISWRITEABLE((PyArrayObject *)state)) {
        PyErr_SetString(PyExc_TypeError, "group state must be a writeable, "
                        "C-contiguous 2-d float64 array (n_vars, N)");
        return NULL;
    }
    npy_intp n_vars = PyArray_DIM((PyArrayObject *)state, 0);
    npy_intp n = PyArray_DIM((PyArrayObject *)state, 1);
    if (n < 1 || n > BC_INDEX_MAX || n_vars > INT32_MAX) {
        return PyErr_Format(PyExc_ValueError, "a group needs 1 to %d "
                            "neurons, got %zd", BC_INDEX_MAX, (Py_ssize_t)n);
    }
    if (!(dt > 0.0)) {
        return PyErr_Format(PyExc_ValueError, "dt must be positive, got %g",
                            dt);
    }
    GroupObject *self = (GroupObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_group_init(&self->group, (bc_index)n, (int32_t)n_vars,
                                 PyArray_DATA((PyArrayObject *)state), dt,
                                 seed, stream);
    if (st != BC_OK) {
        Py_DECREF(self);
        return bc_status_error(st, "Group");
    }
    Py_INCREF(state);
    self->state = state;
    return (PyObject *)self;
}

static int
Group_traverse(GroupObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->state);
    Py_VISIT(self->update);
    Py_VISIT(self->threshold);
    Py_VISIT(self->reset);
    return 0;
}

static int
Group_clear(GroupObject *self)
{
    /* The core keeps pointers into these: drop the core's uses first. */
    bc_group_free(&self->group);
    Py_CLEAR(self->state);
    Py_CLEAR(self->update);
    Py_CLEAR(self->threshold);
    Py_CLEAR(self->reset);
    return 0;
}

static void
Group_dealloc(GroupObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Group_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

/* Checks that obj is a Program usable on this group; NULL on error. */
static ProgramObject *
as_program(GroupObject *self, PyObject *obj)
{
    module_state *s = bc_state_of_type(Py_TYPE(self));
    if (s == NULL || !PyObject_TypeCheck(obj, s->ProgramType)) {
        PyErr_SetString(PyExc_TypeError, "expected a _core.Program");
        return NULL;
    }
    ProgramObject *p = (ProgramObject *)obj;
    return bc_program_attach_check(p, &self->group) == 0 ? p : NULL;
}

static int
check_var(GroupObject *self, int var, const char *what)
{
    if (var < 0 || var >= self->group.n_vars) {
        PyErr_Format(PyExc_IndexError, "%s: state row %d out of range "
                     "(group has %d)", what, var, (int)self->group.n_vars);
        return -1;
    }
    return 0;
}

/* Kind names of set_threshold/set_reset and their core values. */
typedef struct kind_name {
    const char *name;
    int value;
} kind_name;

static const kind_name threshold_kinds[] = {
    {"none", BC_THRESHOLD_NONE}, {"scalar", BC_THRESHOLD_SCALAR},
    {"variable", BC_THRESHOLD_VARIABLE}, {"empirical", BC_THRESHOLD_EMPIRICAL},
    {"poisson", BC_THRESHOLD_POISSON}, {NULL, 0}
};

static const kind_name reset_kinds[] = {
    {"none", BC_RESET_NONE}, {"scalar", BC_RESET_SCALAR},
    {"variable", BC_RESET_VARIABLE}, {NULL, 0}
};

/* The value of `name` in table, or -1 with ValueError set. */
static int
kind_value(const kind_name *table, const char *name, const char *what)
{
    for (const kind_name *k = table; k->name != NULL; k++) {
        if (strcmp(k->name, name) == 0) {
            return k->value;
        }
    }
    PyErr_Format(PyExc_ValueError, "unknown %s kind '%s'", what, name);
    return -1;
}

typedef bc_status (*program_setter)(bc_group *, const bc_program *,
                                    const double *const *);

/* Installs a Program through set and keeps a reference in *slot; a
 * condition (needs_output) must name its output register. */
static PyObject *
install_program(GroupObject *self, PyObject *program, program_setter set,
                PyObject **slot, const char *what, int needs_output)
{
    ProgramObject *p = as_program(self, program);
    if (p == NULL) {
        return NULL;
    }
    if (needs_output && p->prog.out_reg < 0) {
        return PyErr_Format(PyExc_ValueError, "%s: the program needs an "
                            "output register", what);
    }
    bc_status st = set(&self->group, &p->prog, p->array_ptrs);
    if (st != BC_OK) {
        return bc_status_error(st, what);
    }
    Py_INCREF(program);
    Py_XSETREF(*slot, program);
    Py_RETURN_NONE;
}

static PyObject *
Group_set_update(GroupObject *self, PyObject *arg)
{
    if (arg == Py_None) {
        bc_vm_free(&self->group.update.vm);
        memset(&self->group.update, 0, sizeof(self->group.update));
        Py_CLEAR(self->update);
        Py_RETURN_NONE;
    }
    return install_program(self, arg, bc_group_set_update, &self->update,
                           "set_update", 0);
}

static PyObject *
Group_set_threshold(GroupObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"kind", "var", "var2", "value", "program",
                             "steps", NULL};
    const char *kind;
    int var = 0, var2 = 0;
    double value = 0.0;
    PyObject *program = Py_None;
    long long steps = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "s|iidOL", kwlist, &kind,
                                     &var, &var2, &value, &program,
                                     &steps)) {
        return NULL;
    }
    bc_group *g = &self->group;
    if (strcmp(kind, "program") == 0) {
        return install_program(self, program, bc_group_set_threshold_program,
                               &self->threshold, "set_threshold", 1);
    }
    int k = kind_value(threshold_kinds, kind, "threshold");
    if (k < 0) {
        return NULL;
    }
    if (k != BC_THRESHOLD_NONE && check_var(self, var, "threshold") < 0) {
        return NULL;
    }
    if (k == BC_THRESHOLD_VARIABLE && check_var(self, var2, "threshold") < 0) {
        return NULL;
    }
    if (steps < 0) {
        return PyErr_Format(PyExc_ValueError, "negative step count");
    }
    g->threshold_kind = (bc_threshold_kind)k;
    g->threshold_var = var;
    g->threshold_var2 = var2;
    g->threshold_value = value;
    g->empirical_steps = steps;
    Py_RETURN_NONE;
}

static PyObject *
Group_set_reset(GroupObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"kind", "var", "var2", "value", "program",
                             NULL};
    const char *kind;
    int var = 0, var2 = 0;
    double value = 0.0;
    PyObject *program = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "s|iidO", kwlist, &kind,
                                     &var, &var2, &value, &program)) {
        return NULL;
    }
    bc_group *g = &self->group;
    if (strcmp(kind, "program") == 0) {
        return install_program(self, program, bc_group_set_reset_program,
                               &self->reset, "set_reset", 0);
    }
    int k = kind_value(reset_kinds, kind, "reset");
    if (k < 0) {
        return NULL;
    }
    if (k != BC_RESET_NONE && (check_var(self, var, "reset") < 0 ||
                               check_var(self, var2, "reset") < 0)) {
        return NULL;
    }
    g->reset_kind = (bc_reset_kind)k;
    g->reset_var = var;
    g->reset_var2 = var2;
    g->reset_value = value;
    Py_RETURN_NONE;
}

static PyObject *
Group_set_refractory(GroupObject *self, PyObject *args)
{
    long long suppress, clamp;
    if (!PyArg_ParseTuple(args, "LL", &suppress, &clamp)) {
        return NULL;
    }
    if (suppress < 0 || clamp < 0) {
        return PyErr_Format(PyExc_ValueError, "refractory step counts must "
                            "be >= 0");
    }
    return bc_status_error(bc_group_set_fixed_refractory(&self->group,
                                                         suppress, clamp),
                           "set_refractory");
}

/* set_variable_refractory(periods, clamp_steps): periods is a state row
 * number or n float64 seconds (copied by the core). */
static PyObject *
Group_set_variable_refractory(GroupObject *self, PyObject *args)
{
    PyObject *periods;
    long long clamp;
    if (!PyArg_ParseTuple(args, "OL", &periods, &clamp)) {
        return NULL;
    }
    if (clamp < 0) {
        return PyErr_Format(PyExc_ValueError, "clamp steps must be >= 0");
    }
    if (PyLong_Check(periods)) {
        long var = PyLong_AsLong(periods);
        if (var == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (check_var(self, (int)var, "refractory") < 0) {
            return NULL;
        }
        return bc_status_error(bc_group_set_variable_refractory(
                                   &self->group, (int32_t)var, NULL, clamp),
                               "set_variable_refractory");
    }
    PyArrayObject *a = bc_as_array(periods, NPY_FLOAT64, 1, "periods");
    if (a == NULL) {
        return NULL;
    }
    PyObject *result = NULL;
    if (PyArray_DIM(a, 0) != self->group.n) {
        PyErr_Format(PyExc_ValueError, "refractory periods: expected %d "
                     "values, got %zd", (int)self->group.n,
                     (Py_ssize_t)PyArray_DIM(a, 0));
    } else {
        result = bc_status_error(bc_group_set_variable_refractory(
                                     &self->group, -1, PyArray_DATA(a),
                                     clamp),
                                 "set_variable_refractory");
    }
    Py_DECREF(a);
    return result;
}

/* replace_spikes(indices, step): this step's spikes, from a threshold
 * computed in Python; the refractory filter applies. */
static PyObject *
Group_replace_spikes(GroupObject *self, PyObject *args)
{
    PyObject *idx_o;
    long long step;
    if (!PyArg_ParseTuple(args, "OL", &idx_o, &step)) {
        return NULL;
    }
    PyArrayObject *idx = bc_as_array(idx_o, NPY_INT32, 1, "spikes");
    if (idx == NULL) {
        return NULL;
    }
    PyObject *result = NULL;
    npy_intp k = PyArray_DIM(idx, 0);
    bc_status st = k > self->group.n ? BC_EINVAL
        : bc_group_replace_spikes(&self->group, step, PyArray_DATA(idx),
                                  (bc_index)k);
    if (st == BC_EINVAL) {
        PyErr_Format(PyExc_ValueError, "spikes must be distinct, ascending "
                     "neuron indices in [0, %d)", (int)self->group.n);
    } else {
        result = bc_status_error(st, "replace_spikes");
    }
    Py_DECREF(idx);
    return result;
}

static PyObject *
Group_set_schedule(GroupObject *self, PyObject *args)
{
    PyObject *steps_o, *idx_o;
    long long period = 0;
    if (!PyArg_ParseTuple(args, "OO|L", &steps_o, &idx_o, &period)) {
        return NULL;
    }
    PyArrayObject *steps = bc_as_array(steps_o, NPY_INT64, 1, "steps");
    PyArrayObject *idx = steps ? bc_as_array(idx_o, NPY_INT32, 1, "indices")
                               : NULL;
    PyObject *result = NULL;
    if (idx == NULL) {
        goto done;
    }
    if (PyArray_DIM(steps, 0) != PyArray_DIM(idx, 0)) {
        PyErr_SetString(PyExc_ValueError, "steps and indices differ in "
                        "length");
        goto done;
    }
    bc_status st = bc_group_set_schedule(&self->group, PyArray_DIM(idx, 0),
                                         PyArray_DATA(steps),
                                         PyArray_DATA(idx), period);
    if (st == BC_ERANGE) {
        PyErr_SetString(PyExc_IndexError, "spike schedule: neuron index out "
                        "of range, negative step, or step beyond the period");
        goto done;
    }
    if (st == BC_EINVAL) {
        PyErr_SetString(PyExc_ValueError, "spike schedule must be sorted by "
                        "step, then index");
        goto done;
    }
    result = bc_status_error(st, "set_schedule");
done:
    Py_XDECREF(steps);
    Py_XDECREF(idx);
    return result;
}

static PyObject *
Group_reserve_history(GroupObject *self, PyObject *arg)
{
    long slots = PyLong_AsLong(arg);
    if (slots == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (slots < 1 || slots > 1000000) {
        return PyErr_Format(PyExc_ValueError, "spike history of %ld steps "
                            "is out of range", slots);
    }
    return bc_status_error(bc_group_reserve_history(&self->group,
                                                    (int32_t)slots),
                           "reserve_history");
}

static PyObject *
Group_reinit(GroupObject *self, PyObject *Py_UNUSED(arg))
{
    bc_group_reset_history(&self->group);
    Py_RETURN_NONE;
}

static PyObject *
Group_spikes(GroupObject *self, PyObject *args)
{
    int delay = 0;
    if (!PyArg_ParseTuple(args, "|i", &delay)) {
        return NULL;
    }
    if (delay < 0 || delay >= self->group.n_slots) {
        return PyErr_Format(PyExc_IndexError, "spike history holds %d "
                            "steps, asked for %d", (int)self->group.n_slots,
                            delay);
    }
    bc_index n;
    const bc_index *s = bc_group_spikes(&self->group, delay, &n);
    npy_intp dims[1] = {n};
    PyObject *a = PyArray_SimpleNew(1, dims, NPY_INT32);
    if (a != NULL && n > 0) {
        memcpy(PyArray_DATA((PyArrayObject *)a), s,
               (size_t)n * sizeof(bc_index));
    }
    return a;
}

/* evaluate(program, step) -> the program's output for every neuron,
 * without changing state (static equations, threshold checks). */
static PyObject *
Group_evaluate(GroupObject *self, PyObject *args)
{
    PyObject *program;
    long long step = 0;
    if (!PyArg_ParseTuple(args, "O|L", &program, &step)) {
        return NULL;
    }
    ProgramObject *p = as_program(self, program);
    if (p == NULL) {
        return NULL;
    }
    if (p->prog.out_reg < 0) {
        PyErr_SetString(PyExc_ValueError, "program has no output register");
        return NULL;
    }
    npy_intp dims[1] = {self->group.n};
    PyObject *out = PyArray_SimpleNew(1, dims, NPY_FLOAT64);
    if (out == NULL) {
        return NULL;
    }
    bc_vm vm;
    bc_status st = bc_vm_init(&vm, &p->prog);
    if (st != BC_OK) {
        Py_DECREF(out);
        return bc_status_error(st, "evaluate");
    }
    bc_vm_env env = {
        .state = self->group.state, .n = self->group.n,
        .arrays = p->array_ptrs, .t = (double)step * self->group.dt,
        .seed = self->group.seed, .stream = self->group.stream,
        .step = step,
    };
    bc_vm_run(&vm, &p->prog, &env, 0, self->group.n,
              PyArray_DATA((PyArrayObject *)out));
    bc_vm_free(&vm);
    return out;
}

static PyObject *
Group_get_n(GroupObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLong(self->group.n);
}

static PyObject *
Group_get_dt(GroupObject *self, void *Py_UNUSED(closure))
{
    return PyFloat_FromDouble(self->group.dt);
}

static int
Group_set_dt(GroupObject *self, PyObject *v, void *Py_UNUSED(closure))
{
    double dt = v != NULL ? PyFloat_AsDouble(v) : -1.0;
    if (dt == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    if (!(dt > 0.0)) {
        PyErr_SetString(PyExc_ValueError, "dt must be positive");
        return -1;
    }
    self->group.dt = dt;
    return 0;
}

static PyObject *
Group_get_seed(GroupObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromUnsignedLongLong(self->group.seed);
}

static int
Group_set_seed(GroupObject *self, PyObject *v, void *Py_UNUSED(closure))
{
    unsigned long long s = v != NULL ? PyLong_AsUnsignedLongLong(v) : 0;
    if (PyErr_Occurred()) {
        return -1;
    }
    self->group.seed = s;
    return 0;
}

static PyObject *
Group_get_last_spike(GroupObject *self, void *Py_UNUSED(closure))
{
    npy_intp dims[1] = {self->group.n};
    PyObject *a = PyArray_SimpleNew(1, dims, NPY_INT64);
    if (a != NULL) {
        memcpy(PyArray_DATA((PyArrayObject *)a), self->group.last_spike,
               (size_t)self->group.n * sizeof(bc_step));
    }
    return a;
}

/* (last_spike, next_allowed or None, counts, indices): the spiking state,
 * spikes of every step the history holds, delay 0 first. */
static PyObject *
Group_spiking_state(GroupObject *self, PyObject *Py_UNUSED(a))
{
    const bc_group *g = &self->group;
    npy_intp n = g->n, slots = g->n_slots, total = 0;
    for (int32_t k = 0; k < g->n_slots; k++) {
        total += g->history_count[k];
    }
    npy_intp one[1] = {n}, many[1] = {total}, per[1] = {slots};
    PyObject *last = PyArray_SimpleNew(1, one, NPY_INT64);
    PyObject *allowed = g->next_allowed != NULL
        ? PyArray_SimpleNew(1, one, NPY_FLOAT64) : Py_NewRef(Py_None);
    PyObject *counts = PyArray_SimpleNew(1, per, NPY_INT32);
    PyObject *indices = PyArray_SimpleNew(1, many, NPY_INT32);
    if (last == NULL || allowed == NULL || counts == NULL ||
        indices == NULL) {
        Py_XDECREF(last);
        Py_XDECREF(allowed);
        Py_XDECREF(counts);
        Py_XDECREF(indices);
        return NULL;
    }
    memcpy(PyArray_DATA((PyArrayObject *)last), g->last_spike,
           (size_t)n * sizeof(bc_step));
    if (g->next_allowed != NULL) {
        memcpy(PyArray_DATA((PyArrayObject *)allowed), g->next_allowed,
               (size_t)n * sizeof(double));
    }
    bc_index *c = PyArray_DATA((PyArrayObject *)counts);
    bc_index *out = PyArray_DATA((PyArrayObject *)indices);
    for (int32_t d = 0; d < g->n_slots; d++) {
        bc_index k;
        const bc_index *s = bc_group_spikes(g, d, &k);
        c[d] = k;
        if (k > 0) {
            memcpy(out, s, (size_t)k * sizeof(bc_index));
        }
        out += k;
    }
    return Py_BuildValue("(NNNN)", last, allowed, counts, indices);
}

static PyObject *
Group_restore_spiking_state(GroupObject *self, PyObject *arg)
{
    PyObject *last_o, *allowed_o, *counts_o, *indices_o;
    if (!PyArg_ParseTuple(arg, "OOOO:restore_spiking_state", &last_o,
                          &allowed_o, &counts_o, &indices_o)) {
        return NULL;
    }
    bc_group *g = &self->group;
    PyArrayObject *a[4] = {NULL};
    PyObject *result = NULL;
    a[0] = bc_as_array(last_o, NPY_INT64, 1, "last spikes");
    if (a[0] == NULL ||
        (allowed_o != Py_None &&
         (a[1] = bc_as_array(allowed_o, NPY_FLOAT64, 1, "next allowed")) ==
         NULL) ||
        (a[2] = bc_as_array(counts_o, NPY_INT32, 1, "spike counts")) ==
        NULL ||
        (a[3] = bc_as_array(indices_o, NPY_INT32, 1, "spikes")) == NULL) {
        goto done;
    }
    npy_intp total = 0, n_past = PyArray_DIM(a[2], 0);
    const bc_index *c = PyArray_DATA(a[2]);
    for (npy_intp d = 0; d < n_past; d++) {
        total += c[d] > 0 ? c[d] : 0;
    }
    if (PyArray_DIM(a[0], 0) != g->n ||
        (a[1] != NULL && PyArray_DIM(a[1], 0) != g->n) ||
        PyArray_DIM(a[3], 0) != total || n_past > 1000000) {
        PyErr_SetString(PyExc_ValueError, "spiking state: sizes do not "
                        "match this group");
        goto done;
    }
    if (n_past > g->n_slots &&
        bc_group_reserve_history(g, (int32_t)n_past) != BC_OK) {
        PyErr_NoMemory();
        goto done;
    }
    bc_status st = bc_group_restore_spikes(
        g, PyArray_DATA(a[0]), a[1] != NULL ? PyArray_DATA(a[1]) : NULL,
        (int32_t)n_past, c, PyArray_DATA(a[3]));
    if (st != BC_OK) {
        PyErr_SetString(PyExc_ValueError, "spiking state does not fit this "
                        "group (refractoriness, or spike indices)");
        goto done;
    }
    result = Py_NewRef(Py_None);
done:
    for (int k = 0; k < 4; k++) {
        Py_XDECREF(a[k]);
    }
    return result;
}

/* set_local_range(begin, end): update and test only these neurons (a
 * group split over processes). */
static PyObject *
Group_set_local_range(GroupObject *self, PyObject *args)
{
    Py_ssize_t begin, end;
    if (!PyArg_ParseTuple(args, "nn", &begin, &end)) {
        return NULL;
    }
    if (begin < 0 || begin > end || end > self->group.n) {
        return PyErr_Format(PyExc_ValueError, "local range [%zd, %zd) is not "
                            "within the group's %d neurons", begin, end,
                            (int)self->group.n);
    }
    return bc_status_error(bc_group_set_local_range(&self->group,
                                                    (bc_index)begin,
                                                    (bc_index)end),
                           "set_local_range");
}

/* import_spikes(indices, delay=0): the spikes of every process, this
 * step's or those of `delay` steps ago. */
static PyObject *
Group_import_spikes(GroupObject *self, PyObject *args)
{
    PyObject *arg;
    int delay = 0;
    if (!PyArg_ParseTuple(args, "O|i", &arg, &delay)) {
        return NULL;
    }
    if (delay < 0 || delay >= self->group.n_slots) {
        return PyErr_Format(PyExc_IndexError, "spike history holds %d "
                            "steps, asked for %d", (int)self->group.n_slots,
                            delay);
    }
    PyArrayObject *idx = bc_as_array(arg, NPY_INT32, 1, "spikes");
    if (idx == NULL) {
        return NULL;
    }
    npy_intp k = PyArray_DIM(idx, 0);
    bc_status st = k > self->group.n ? BC_EINVAL
        : bc_group_import_spikes(&self->group, delay, PyArray_DATA(idx),
                                 (bc_index)k);
    Py_DECREF(idx);
    if (st == BC_EINVAL) {
        return PyErr_Format(PyExc_ValueError, "imported spikes must be "
                            "distinct, ascending neuron indices in [0, %d)",
                            (int)self->group.n);
    }
    return bc_status_error(st, "import_spikes");
}

static PyMethodDef Group_methods[] = {
    {"spiking_state", (PyCFunction)Group_spiking_state, METH_NOARGS,
     "(last_spike, next_allowed or None, counts, indices) for pickling"},
    {"restore_spiking_state", (PyCFunction)Group_restore_spiking_state,
     METH_O, "restore_spiking_state(spiking_state())"},
    {"set_update", (PyCFunction)Group_set_update, METH_O,
     "set_update(program or None)"},
    {"set_threshold", (PyCFunction)(void (*)(void))Group_set_threshold,
     METH_VARARGS | METH_KEYWORDS,
     "set_threshold(kind, var=0, var2=0, value=0., program=None, steps=0)"},
    {"set_reset", (PyCFunction)(void (*)(void))Group_set_reset,
     METH_VARARGS | METH_KEYWORDS,
     "set_reset(kind, var=0, var2=0, value=0., program=None)"},
    {"set_refractory", (PyCFunction)Group_set_refractory, METH_VARARGS,
     "set_refractory(suppress_steps, clamp_steps)"},
    {"set_variable_refractory", (PyCFunction)Group_set_variable_refractory,
     METH_VARARGS, "set_variable_refractory(row or float64 periods, "
     "clamp_steps)"},
    {"replace_spikes", (PyCFunction)Group_replace_spikes, METH_VARARGS,
     "replace_spikes(int32 ascending indices, step): this step's spikes"},
    {"set_schedule", (PyCFunction)Group_set_schedule, METH_VARARGS,
     "set_schedule(steps int64, indices int32, period_steps=0)"},
    {"reserve_history", (PyCFunction)Group_reserve_history, METH_O,
     "keep at least this many steps of spikes"},
    {"reinit", (PyCFunction)Group_reinit, METH_NOARGS,
     "forget spikes and refractoriness"},
    {"evaluate", (PyCFunction)Group_evaluate, METH_VARARGS,
     "evaluate(program, step=0) -> float64 array of out_reg"},
    {"set_local_range", (PyCFunction)Group_set_local_range, METH_VARARGS,
     "set_local_range(begin, end): the neurons this process updates"},
    {"import_spikes", (PyCFunction)Group_import_spikes, METH_VARARGS,
     "import_spikes(int32 ascending indices, delay=0): a step's spikes, "
     "unfiltered"},
    {"spikes", (PyCFunction)Group_spikes, METH_VARARGS,
     "spikes(delay=0) -> int32 array of local indices"},
    {NULL, NULL, 0, NULL}
};

static PyObject *
Group_get_update_cost(GroupObject *self, void *Py_UNUSED(c))
{
    return PyFloat_FromDouble(self->group.update_cost);
}

static PyObject *
Group_get_update_is_parallel(GroupObject *self, void *Py_UNUSED(c))
{
    return PyBool_FromLong(bc_group_update_is_parallel(&self->group));
}

static PyObject *
Group_get_useful_threads(GroupObject *self, void *Py_UNUSED(c))
{
    return PyLong_FromLong(bc_group_useful_threads(&self->group));
}

static PyObject *
Group_get_local_range(GroupObject *self, void *Py_UNUSED(c))
{
    return Py_BuildValue("(ii)", (int)self->group.local_begin,
                         (int)self->group.local_end);
}

static PyGetSetDef Group_getset[] = {
    {"n", (getter)Group_get_n, NULL, "neurons", NULL},
    {"dt", (getter)Group_get_dt, (setter)Group_set_dt, "seconds", NULL},
    {"seed", (getter)Group_get_seed, (setter)Group_set_seed, "seed", NULL},
    {"last_spike", (getter)Group_get_last_spike, NULL,
     "step of each neuron's last spike", NULL},
    {"local_range", (getter)Group_get_local_range, NULL,
     "(begin, end) of the neurons this process updates", NULL},
    {"update_cost", (getter)Group_get_update_cost, NULL,
     "estimated nanoseconds of one state update", NULL},
    {"update_is_parallel", (getter)Group_get_update_is_parallel, NULL,
     "whether the state update is split across threads", NULL},
    {"useful_threads", (getter)Group_get_useful_threads, NULL,
     "most threads the state update keeps busy (automatic thread count)",
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot Group_slots[] = {
    {Py_tp_new, Group_new},
    {Py_tp_dealloc, Group_dealloc},
    {Py_tp_traverse, Group_traverse},
    {Py_tp_clear, Group_clear},
    {Py_tp_methods, Group_methods},
    {Py_tp_getset, Group_getset},
    {Py_tp_doc, "Group(state, dt, seed=0, stream=0)"},
    {0, NULL}
};

PyType_Spec bc_group_spec = {
    .name = "brianc._core.Group",
    .basicsize = sizeof(GroupObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = Group_slots,
};
