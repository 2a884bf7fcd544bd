/* py_monitor.c -- binding: _core.SpikeMonitor and _core.StateMonitor.
 * Records live in C buffers; every read returns a fresh copy, so no view
 * outlives a realloc. */
#include "numpy_glue.h"

static PyObject *
buffer_copy(const bc_buffer *b, int typenum)
{
    npy_intp dims[1] = {(npy_intp)b->length};
    PyObject *a = PyArray_SimpleNew(1, dims, typenum);
    if (a != NULL && b->length > 0) {
        memcpy(PyArray_DATA((PyArrayObject *)a), b->data,
               b->length * b->item_size);
    }
    return a;
}

static GroupObject *
as_group(PyTypeObject *type, PyObject *obj)
{
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(obj, s->GroupType)) {
        PyErr_SetString(PyExc_TypeError, "expected a _core.Group");
        return NULL;
    }
    return (GroupObject *)obj;
}

/* ---- SpikeMonitor ---- */

static PyObject *
SpikeMonitor_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"source", "origin", "n", "delay_steps",
                             "record", "count", "bin_steps", NULL};
    PyObject *src;
    Py_ssize_t origin, n;
    int delay = 0, record = 1, count = 0;
    long long bin_steps = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "Onn|ippL", kwlist, &src,
                                     &origin, &n, &delay, &record, &count,
                                     &bin_steps)) {
        return NULL;
    }
    GroupObject *g = as_group(type, src);
    bc_index o, len;
    if (g == NULL || bc_to_index(origin, &o, "origin") ||
        bc_to_index(n, &len, "size")) {
        return NULL;
    }
    SpikeMonitorObject *self = (SpikeMonitorObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_spike_monitor_init(&self->mon, &g->group, o, len,
                                         delay, record, count, bin_steps);
    if (st != BC_OK) {
        Py_DECREF(self);
        return bc_status_error(st, "SpikeMonitor");
    }
    Py_INCREF(src);
    self->source = src;
    return (PyObject *)self;
}

static int
SpikeMonitor_traverse(SpikeMonitorObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->source);
    return 0;
}

static int
SpikeMonitor_clear_refs(SpikeMonitorObject *self)
{
    Py_CLEAR(self->source);
    return 0;
}

static void
SpikeMonitor_dealloc(SpikeMonitorObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    bc_spike_monitor_free(&self->mon);
    SpikeMonitor_clear_refs(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
SpikeMonitor_indices(SpikeMonitorObject *self, PyObject *Py_UNUSED(a))
{
    return buffer_copy(&self->mon.index, NPY_INT32);
}

static PyObject *
SpikeMonitor_steps(SpikeMonitorObject *self, PyObject *Py_UNUSED(a))
{
    return buffer_copy(&self->mon.step, NPY_INT64);
}

static PyObject *
SpikeMonitor_counts(SpikeMonitorObject *self, PyObject *Py_UNUSED(a))
{
    if (self->mon.count == NULL) {
        Py_RETURN_NONE;
    }
    npy_intp dims[1] = {self->mon.n};
    PyObject *a = PyArray_SimpleNew(1, dims, NPY_INT64);
    if (a != NULL) {
        memcpy(PyArray_DATA((PyArrayObject *)a), self->mon.count,
               (size_t)self->mon.n * sizeof(int64_t));
    }
    return a;
}

static PyObject *
SpikeMonitor_bins(SpikeMonitorObject *self, PyObject *Py_UNUSED(a))
{
    PyObject *counts = buffer_copy(&self->mon.bins, NPY_INT64);
    PyObject *starts = buffer_copy(&self->mon.bin_start, NPY_INT64);
    if (counts == NULL || starts == NULL) {
        Py_XDECREF(counts);
        Py_XDECREF(starts);
        return NULL;
    }
    /* The open bin too: Brian 1 reports a partial last bin. */
    return Py_BuildValue("(NNLL)", counts, starts,
                         (long long)self->mon.bin_count,
                         (long long)self->mon.bin_fill);
}

static PyObject *
SpikeMonitor_set_vars(SpikeMonitorObject *self, PyObject *arg)
{
    PyArrayObject *v = bc_as_array(arg, NPY_INT32, 1, "vars");
    if (v == NULL) {
        return NULL;
    }
    bc_status st = bc_spike_monitor_set_vars(
        &self->mon, (int32_t)PyArray_DIM(v, 0), PyArray_DATA(v));
    Py_DECREF(v);
    if (st == BC_ERANGE || st == BC_EINVAL) {
        PyErr_SetString(PyExc_ValueError, "SpikeMonitor vars: state rows "
                        "out of range, or the monitor does not record");
        return NULL;
    }
    return bc_status_error(st, "set_vars");
}

static PyObject *
SpikeMonitor_values(SpikeMonitorObject *self, PyObject *Py_UNUSED(a))
{
    npy_intp nv = self->mon.n_vars;
    npy_intp dims[2] = {(npy_intp)self->mon.index.length, nv};
    if (nv == 0) {
        dims[0] = 0;
    }
    PyObject *a = PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    if (a != NULL && dims[0] * nv > 0) {
        memcpy(PyArray_DATA((PyArrayObject *)a), self->mon.values.data,
               (size_t)(dims[0] * nv) * sizeof(double));
    }
    return a;
}

static PyObject *
SpikeMonitor_clear(SpikeMonitorObject *self, PyObject *Py_UNUSED(a))
{
    bc_spike_monitor_clear(&self->mon);
    Py_RETURN_NONE;
}

/* record_late(step, late): step's recording, late steps after it. */
static PyObject *
SpikeMonitor_record_late(SpikeMonitorObject *self, PyObject *args)
{
    long long step;
    int late;
    if (!PyArg_ParseTuple(args, "Li", &step, &late)) {
        return NULL;
    }
    bc_status st = bc_spike_monitor_record_late(&self->mon, (bc_step)step,
                                                (int32_t)late);
    if (st == BC_ERANGE) {
        return PyErr_Format(PyExc_IndexError, "spike history too short to "
                            "record %d steps late", late);
    }
    return bc_status_error(st, "record_late");
}

static PyObject *
SpikeMonitor_get_total(SpikeMonitorObject *self, void *Py_UNUSED(c))
{
    return PyLong_FromLongLong(self->mon.total);
}

/* (indices, steps, values, counts or None, total, bins, bin starts,
 * open bin count, open bin steps, open bin start): all a pickled monitor
 * needs to go on recording where it stopped. */
static PyObject *
SpikeMonitor_snapshot(SpikeMonitorObject *self, PyObject *Py_UNUSED(a))
{
    const bc_spike_monitor *m = &self->mon;
    PyObject *items[6] = {
        buffer_copy(&m->index, NPY_INT32), buffer_copy(&m->step, NPY_INT64),
        SpikeMonitor_values(self, NULL), SpikeMonitor_counts(self, NULL),
        buffer_copy(&m->bins, NPY_INT64),
        buffer_copy(&m->bin_start, NPY_INT64)};
    for (int k = 0; k < 6; k++) {
        if (items[k] == NULL) {
            for (int j = 0; j < 6; j++) {
                Py_XDECREF(items[j]);
            }
            return NULL;
        }
    }
    return Py_BuildValue("(NNNNLNNLLL)", items[0], items[1], items[2],
                         items[3], (long long)m->total, items[4], items[5],
                         (long long)m->bin_count, (long long)m->bin_fill,
                         (long long)m->open_bin_start);
}

/* One array of a snapshot, converted, with its length checked. */
static PyArrayObject *
snapshot_array(PyObject *obj, int typenum, int ndim, npy_intp length,
               const char *what)
{
    PyArrayObject *a = bc_as_array(obj, typenum, ndim, what);
    if (a != NULL && length >= 0 && PyArray_DIM(a, 0) != length) {
        PyErr_Format(PyExc_ValueError, "monitor snapshot: %s has %zd "
                     "entries, expected %zd", what,
                     (Py_ssize_t)PyArray_DIM(a, 0), (Py_ssize_t)length);
        Py_DECREF(a);
        return NULL;
    }
    return a;
}

static PyObject *
SpikeMonitor_restore(SpikeMonitorObject *self, PyObject *arg)
{
    PyObject *o[6];
    long long total, bin_count, bin_fill, open_start;
    if (!PyArg_ParseTuple(arg, "OOOOLOOLLL:restore", &o[0], &o[1], &o[2],
                          &o[3], &total, &o[4], &o[5], &bin_count,
                          &bin_fill, &open_start)) {
        return NULL;
    }
    PyArrayObject *a[6] = {NULL};
    PyObject *result = NULL;
    const bc_spike_monitor *m = &self->mon;
    a[0] = snapshot_array(o[0], NPY_INT32, 1, -1, "indices");
    npy_intp n_spikes = a[0] != NULL ? PyArray_DIM(a[0], 0) : 0;
    if (a[0] == NULL ||
        (a[1] = snapshot_array(o[1], NPY_INT64, 1, n_spikes, "steps")) ==
        NULL ||
        (a[2] = snapshot_array(o[2], NPY_FLOAT64, 2,
                               m->n_vars > 0 ? n_spikes : -1, "values")) ==
        NULL ||
        (o[3] != Py_None &&
         (a[3] = snapshot_array(o[3], NPY_INT64, 1, m->n, "counts")) ==
         NULL) ||
        (a[4] = snapshot_array(o[4], NPY_INT64, 1, -1, "bins")) == NULL ||
        (a[5] = snapshot_array(o[5], NPY_INT64, 1, PyArray_DIM(a[4], 0),
                               "bin starts")) == NULL) {
        goto done;
    }
    if (m->n_vars > 0 && PyArray_DIM(a[2], 1) != m->n_vars) {
        PyErr_SetString(PyExc_ValueError, "monitor snapshot: values do not "
                        "match the recorded variables");
        goto done;
    }
    bc_spike_record r = {
        .n_spikes = (size_t)n_spikes, .index = PyArray_DATA(a[0]),
        .step = PyArray_DATA(a[1]),
        .values = m->n_vars > 0 ? PyArray_DATA(a[2]) : NULL,
        .count = a[3] != NULL ? PyArray_DATA(a[3]) : NULL, .total = total,
        .n_bins = (size_t)PyArray_DIM(a[4], 0), .bins = PyArray_DATA(a[4]),
        .bin_start = PyArray_DATA(a[5]), .bin_count = bin_count,
        .bin_fill = bin_fill, .open_bin_start = open_start};
    bc_status st = bc_spike_monitor_restore(&self->mon, &r);
    if (st == BC_ERANGE) {
        PyErr_SetString(PyExc_ValueError, "monitor snapshot does not fit "
                        "this monitor (indices, counts or bins)");
    } else {
        result = bc_status_error(st, "SpikeMonitor.restore");
    }
done:
    for (int k = 0; k < 6; k++) {
        Py_XDECREF(a[k]);
    }
    return result;
}

static PyMethodDef SpikeMonitor_methods[] = {
    {"snapshot", (PyCFunction)SpikeMonitor_snapshot, METH_NOARGS,
     "everything recorded, for restore()"},
    {"restore", (PyCFunction)SpikeMonitor_restore, METH_O,
     "restore(snapshot): replace the records"},
    {"indices", (PyCFunction)SpikeMonitor_indices, METH_NOARGS,
     "int32 local index of each recorded spike"},
    {"steps", (PyCFunction)SpikeMonitor_steps, METH_NOARGS,
     "int64 step of each recorded spike"},
    {"counts", (PyCFunction)SpikeMonitor_counts, METH_NOARGS,
     "per-neuron spike counts, or None"},
    {"bins", (PyCFunction)SpikeMonitor_bins, METH_NOARGS,
     "(counts, start steps, open bin count, open bin steps)"},
    {"clear", (PyCFunction)SpikeMonitor_clear, METH_NOARGS, "forget all"},
    {"record_late", (PyCFunction)SpikeMonitor_record_late, METH_VARARGS,
     "record_late(step, late): record step's spikes late steps after it"},
    {"set_vars", (PyCFunction)SpikeMonitor_set_vars, METH_O,
     "set_vars(int32 rows): record these rows with each spike"},
    {"values", (PyCFunction)SpikeMonitor_values, METH_NOARGS,
     "(spikes, vars) float64 copy of the rows recorded with each spike"},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef SpikeMonitor_getset[] = {
    {"total", (getter)SpikeMonitor_get_total, NULL, "spikes seen", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot SpikeMonitor_slots[] = {
    {Py_tp_new, SpikeMonitor_new},
    {Py_tp_dealloc, SpikeMonitor_dealloc},
    {Py_tp_traverse, SpikeMonitor_traverse},
    {Py_tp_clear, SpikeMonitor_clear_refs},
    {Py_tp_methods, SpikeMonitor_methods},
    {Py_tp_getset, SpikeMonitor_getset},
    {Py_tp_doc, "SpikeMonitor(source, origin, n, delay_steps=0, record=True,"
                " count=False, bin_steps=0)"},
    {0, NULL}
};

PyType_Spec bc_spike_monitor_spec = {
    .name = "brianc._core.SpikeMonitor",
    .basicsize = sizeof(SpikeMonitorObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = SpikeMonitor_slots,
};

/* ---- StateMonitor ---- */

static PyObject *
StateMonitor_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"group", "origin", "n", "var", "record",
                             "timestep", "stats", "program", NULL};
    PyObject *grp, *rec_o, *program = Py_None;
    Py_ssize_t origin, n;
    int var, stats = 0;
    long long timestep = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OnniO|LpO", kwlist, &grp,
                                     &origin, &n, &var, &rec_o, &timestep,
                                     &stats, &program)) {
        return NULL;
    }
    GroupObject *g = as_group(type, grp);
    bc_index o, len;
    if (g == NULL || bc_to_index(origin, &o, "origin") ||
        bc_to_index(n, &len, "size")) {
        return NULL;
    }
    module_state *s = bc_state_of_type(type);
    if (program != Py_None && !PyObject_TypeCheck(program, s->ProgramType)) {
        PyErr_SetString(PyExc_TypeError, "program must be a _core.Program");
        return NULL;
    }
    PyArrayObject *rec = bc_as_array(rec_o, NPY_INT32, 1, "record");
    if (rec == NULL) {
        return NULL;
    }
    StateMonitorObject *self = (StateMonitorObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(rec);
        return NULL;
    }
    bc_status st = bc_state_monitor_init(
        &self->mon, &g->group, o, len, program != Py_None ? 0 : var,
        (bc_index)PyArray_DIM(rec, 0), PyArray_DATA(rec), timestep, stats);
    Py_DECREF(rec);
    if (st != BC_OK) {
        Py_DECREF(self);
        return PyErr_Format(PyExc_IndexError, "StateMonitor: variable, "
                            "recorded index or timestep out of range");
    }
    Py_INCREF(grp);
    self->group = grp;
    if (program != Py_None) {
        ProgramObject *p = (ProgramObject *)program;
        if (bc_program_attach_check(p, &g->group) < 0) {
            Py_DECREF(self);
            return NULL;
        }
        st = bc_state_monitor_set_program(&self->mon, &p->prog,
                                          p->array_ptrs);
        if (st != BC_OK) {
            Py_DECREF(self);
            return bc_status_error(st, "StateMonitor program");
        }
        Py_INCREF(program);
        self->program = program;
    }
    return (PyObject *)self;
}

static int
StateMonitor_traverse(StateMonitorObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->group);
    Py_VISIT(self->program);
    return 0;
}

static int
StateMonitor_clear_refs(StateMonitorObject *self)
{
    bc_state_monitor_free(&self->mon);
    Py_CLEAR(self->group);
    Py_CLEAR(self->program);
    return 0;
}

static void
StateMonitor_dealloc(StateMonitorObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    StateMonitor_clear_refs(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

/* Copies `count` items of `size` bytes from a ring whose oldest item is
 * `first`, oldest first. */
static void
copy_ring(void *dst, const void *src, size_t count, size_t first,
          size_t size)
{
    memcpy(dst, (const char *)src + first * size, (count - first) * size);
    memcpy((char *)dst + (count - first) * size, src, first * size);
}

static PyObject *
StateMonitor_values(StateMonitorObject *self, PyObject *Py_UNUSED(a))
{
    npy_intp n_rec = self->mon.n_rec;
    npy_intp samples = (npy_intp)self->mon.steps.length;
    npy_intp dims[2] = {samples, n_rec};
    PyObject *a = PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    if (a != NULL && samples * n_rec > 0) {
        copy_ring(PyArray_DATA((PyArrayObject *)a), self->mon.values.data,
                  (size_t)samples, self->mon.ring_next,
                  (size_t)n_rec * sizeof(double));
    }
    return a;
}

static PyObject *
StateMonitor_steps(StateMonitorObject *self, PyObject *Py_UNUSED(a))
{
    npy_intp dims[1] = {(npy_intp)self->mon.steps.length};
    PyObject *a = PyArray_SimpleNew(1, dims, NPY_INT64);
    if (a != NULL && dims[0] > 0) {
        copy_ring(PyArray_DATA((PyArrayObject *)a), self->mon.steps.data,
                  (size_t)dims[0], self->mon.ring_next, sizeof(bc_step));
    }
    return a;
}

static PyObject *
StateMonitor_set_capacity(StateMonitorObject *self, PyObject *arg)
{
    long long c = PyLong_AsLongLong(arg);
    if (c == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (c < 1) {
        return PyErr_Format(PyExc_ValueError, "capacity must be >= 1, got "
                            "%lld", c);
    }
    return bc_status_error(bc_state_monitor_set_capacity(&self->mon,
                                                         (size_t)c),
                           "set_capacity");
}

static PyObject *
StateMonitor_stats(StateMonitorObject *self, PyObject *Py_UNUSED(a))
{
    if (!self->mon.stats) {
        Py_RETURN_NONE;
    }
    npy_intp dims[1] = {self->mon.n};
    PyObject *s = PyArray_SimpleNew(1, dims, NPY_FLOAT64);
    PyObject *q = PyArray_SimpleNew(1, dims, NPY_FLOAT64);
    if (s == NULL || q == NULL) {
        Py_XDECREF(s);
        Py_XDECREF(q);
        return NULL;
    }
    memcpy(PyArray_DATA((PyArrayObject *)s), self->mon.sum,
           (size_t)self->mon.n * sizeof(double));
    memcpy(PyArray_DATA((PyArrayObject *)q), self->mon.sumsq,
           (size_t)self->mon.n * sizeof(double));
    return Py_BuildValue("(NNL)", s, q, (long long)self->mon.n_stat);
}

static PyObject *
StateMonitor_clear(StateMonitorObject *self, PyObject *Py_UNUSED(a))
{
    bc_state_monitor_clear(&self->mon);
    Py_RETURN_NONE;
}

/* (values oldest first, steps, calls, (sum, sumsq, n) or None). */
static PyObject *
StateMonitor_snapshot(StateMonitorObject *self, PyObject *Py_UNUSED(a))
{
    PyObject *values = StateMonitor_values(self, NULL);
    PyObject *steps = StateMonitor_steps(self, NULL);
    PyObject *stats = StateMonitor_stats(self, NULL);
    if (values == NULL || steps == NULL || stats == NULL) {
        Py_XDECREF(values);
        Py_XDECREF(steps);
        Py_XDECREF(stats);
        return NULL;
    }
    return Py_BuildValue("(NNLN)", values, steps,
                         (long long)self->mon.calls, stats);
}

static PyObject *
StateMonitor_restore(StateMonitorObject *self, PyObject *arg)
{
    PyObject *values_o, *steps_o, *stats_o;
    long long calls, n_stat = 0;
    if (!PyArg_ParseTuple(arg, "OOLO:restore", &values_o, &steps_o, &calls,
                          &stats_o)) {
        return NULL;
    }
    const bc_state_monitor *m = &self->mon;
    PyArrayObject *a[4] = {NULL};
    PyObject *result = NULL, *sum_o = NULL, *sumsq_o = NULL;
    if ((stats_o == Py_None) != !m->stats) {
        PyErr_SetString(PyExc_ValueError, "monitor snapshot: statistics do "
                        "not match this monitor");
        return NULL;
    }
    if (stats_o != Py_None &&
        !PyArg_ParseTuple(stats_o, "OOL", &sum_o, &sumsq_o, &n_stat)) {
        return NULL;
    }
    a[1] = snapshot_array(steps_o, NPY_INT64, 1, -1, "steps");
    if (a[1] == NULL ||
        (a[0] = snapshot_array(values_o, NPY_FLOAT64, 2,
                               PyArray_DIM(a[1], 0), "values")) == NULL ||
        (sum_o != NULL &&
         ((a[2] = snapshot_array(sum_o, NPY_FLOAT64, 1, m->n, "sums")) ==
          NULL ||
          (a[3] = snapshot_array(sumsq_o, NPY_FLOAT64, 1, m->n,
                                 "sums of squares")) == NULL))) {
        goto done;
    }
    if (PyArray_DIM(a[0], 1) != m->n_rec) {
        PyErr_SetString(PyExc_ValueError, "monitor snapshot: values do not "
                        "match the recorded neurons");
        goto done;
    }
    bc_state_record r = {
        .samples = (size_t)PyArray_DIM(a[1], 0), .values = PyArray_DATA(a[0]),
        .steps = PyArray_DATA(a[1]), .calls = calls,
        .sum = a[2] != NULL ? PyArray_DATA(a[2]) : NULL,
        .sumsq = a[3] != NULL ? PyArray_DATA(a[3]) : NULL, .n_stat = n_stat};
    bc_status st = bc_state_monitor_restore(&self->mon, &r);
    if (st == BC_ERANGE) {
        PyErr_SetString(PyExc_ValueError, "monitor snapshot does not fit "
                        "this monitor (more samples than it keeps)");
    } else {
        result = bc_status_error(st, "StateMonitor.restore");
    }
done:
    for (int k = 0; k < 4; k++) {
        Py_XDECREF(a[k]);
    }
    return result;
}

static PyMethodDef StateMonitor_methods[] = {
    {"snapshot", (PyCFunction)StateMonitor_snapshot, METH_NOARGS,
     "everything recorded, for restore()"},
    {"restore", (PyCFunction)StateMonitor_restore, METH_O,
     "restore(snapshot): replace the records"},
    {"values", (PyCFunction)StateMonitor_values, METH_NOARGS,
     "(samples, recorded) float64 copy"},
    {"steps", (PyCFunction)StateMonitor_steps, METH_NOARGS,
     "int64 step of each sample"},
    {"stats", (PyCFunction)StateMonitor_stats, METH_NOARGS,
     "(sum, sum of squares, samples) per neuron, or None"},
    {"clear", (PyCFunction)StateMonitor_clear, METH_NOARGS, "forget all"},
    {"set_capacity", (PyCFunction)StateMonitor_set_capacity, METH_O,
     "keep only the last n samples (a ring)"},
    {NULL, NULL, 0, NULL}
};

static PyType_Slot StateMonitor_slots[] = {
    {Py_tp_new, StateMonitor_new},
    {Py_tp_dealloc, StateMonitor_dealloc},
    {Py_tp_traverse, StateMonitor_traverse},
    {Py_tp_clear, StateMonitor_clear_refs},
    {Py_tp_methods, StateMonitor_methods},
    {Py_tp_doc, "StateMonitor(group, origin, n, var, record, timestep=1, "
                "stats=False, program=None)"},
    {0, NULL}
};

PyType_Spec bc_state_monitor_spec = {
    .name = "brianc._core.StateMonitor",
    .basicsize = sizeof(StateMonitorObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = StateMonitor_slots,
};
