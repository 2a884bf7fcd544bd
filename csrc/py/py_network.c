/* py_network.c -- binding: _core.Network, the run loop's owner.  It holds
 * a reference to every object the core points to, releases the GIL while
 * the core runs, and takes it back at each pause to call the caller's
 * operations, check for Ctrl-C and report progress. */
#include "numpy_glue.h"

static PyObject *
Network_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "", kwlist)) {
        return NULL;
    }
    NetworkObject *self = (NetworkObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_network_init(&self->net);
    self->members = PyList_New(0);
    if (self->members == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
Network_traverse(NetworkObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->members);
    return 0;
}

static int
Network_clear(NetworkObject *self)
{
    bc_network_free(&self->net);
    Py_CLEAR(self->members);
    return 0;
}

static void
Network_dealloc(NetworkObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Network_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static int
check_type(PyObject *obj, PyTypeObject *type, const char *what)
{
    if (!PyObject_TypeCheck(obj, type)) {
        PyErr_Format(PyExc_TypeError, "expected a %s", what);
        return -1;
    }
    return 0;
}

static int
not_running(NetworkObject *self)
{
    if (self->running) {
        PyErr_SetString(PyExc_RuntimeError, "the network is running: it "
                        "cannot be changed from inside run()");
        return -1;
    }
    return 0;
}

/* add(kind, obj, clock[, slot[, id]]) */
static PyObject *
Network_add(NetworkObject *self, PyObject *args)
{
    const char *kind;
    PyObject *obj, *clock_o;
    int slot = BC_SLOT_END, id = -1;
    if (!PyArg_ParseTuple(args, "sOO|ii", &kind, &obj, &clock_o, &slot,
                          &id)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(Py_TYPE(self));
    if (s == NULL || not_running(self) < 0 ||
        check_type(clock_o, s->ClockType, "_core.Clock") < 0) {
        return NULL;
    }
    if (slot < 0 || slot >= BC_N_SLOTS) {
        return PyErr_Format(PyExc_ValueError, "bad schedule slot %d", slot);
    }
    bc_clock *clock = &((ClockObject *)clock_o)->clock;
    bc_network *net = &self->net;
    bc_status st;
    if (strcmp(kind, "group") == 0) {
        if (check_type(obj, s->GroupType, "_core.Group") < 0) {
            return NULL;
        }
        st = bc_network_add_group(net, &((GroupObject *)obj)->group, clock);
    } else if (strcmp(kind, "connection") == 0) {
        if (check_type(obj, s->ConnectionType, "_core.Connection") < 0) {
            return NULL;
        }
        bc_connection *c = &((ConnectionObject *)obj)->conn;
        st = bc_connection_compress(c);
        if (st == BC_OK) {
            st = bc_group_reserve_history(c->source, c->delay_steps + 1);
        }
        if (st == BC_OK) {
            st = bc_network_add_connection(net, c, clock);
        }
    } else if (strcmp(kind, "spike_monitor") == 0) {
        if (check_type(obj, s->SpikeMonitorType, "_core.SpikeMonitor") < 0) {
            return NULL;
        }
        bc_spike_monitor *m = &((SpikeMonitorObject *)obj)->mon;
        st = bc_group_reserve_history(m->source, m->delay_steps + 1);
        if (st == BC_OK) {
            st = bc_network_add_spike_monitor(net, m, clock);
        }
    } else if (strcmp(kind, "state_monitor") == 0) {
        if (check_type(obj, s->StateMonitorType, "_core.StateMonitor") < 0) {
            return NULL;
        }
        st = bc_network_add_operation(
            net, BC_OPERATION_STATE_MONITOR, (bc_slot)slot, clock, -1,
            &((StateMonitorObject *)obj)->mon);
    } else if (strcmp(kind, "operation") == 0) {
        if (id < 0) {
            return PyErr_Format(PyExc_ValueError, "operation id must be "
                                ">= 0");
        }
        st = bc_network_add_operation(net, BC_OPERATION_EXTERNAL,
                                      (bc_slot)slot, clock, id, NULL);
    } else if (strcmp(kind, "task") == 0) {
        bc_task_fn task;
        void *object;
        int32_t task_slot;
        if (bc_task_of(obj, &task, &object, &task_slot) < 0) {
            return NULL;
        }
        st = bc_network_add_task(net, task_slot, clock, task, object);
    } else {
        return PyErr_Format(PyExc_ValueError, "unknown member kind '%s'",
                            kind);
    }
    if (st != BC_OK) {
        return bc_status_error(st, "Network.add");
    }
    if (PyList_Append(self->members, obj) < 0 ||
        PyList_Append(self->members, clock_o) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* run(callback): callback(id) runs operation id; callback(-1) is a pause
 * (progress report).  Returns True if stopped by stop(). */
static PyObject *
Network_run(NetworkObject *self, PyObject *callback)
{
    if (not_running(self) < 0) {
        return NULL;
    }
    if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "run() needs a callback");
        return NULL;
    }
    self->running = 1;
    PyObject *result = NULL;
    for (;;) {
        bc_status st;
        Py_BEGIN_ALLOW_THREADS
        st = bc_network_run(&self->net);
        Py_END_ALLOW_THREADS
        if (st == BC_OK) {
            result = Py_NewRef(Py_False);
            break;
        }
        if (st == BC_INTERRUPTED) {
            result = Py_NewRef(Py_True);
            break;
        }
        if (st != BC_YIELD) {
            bc_status_error(st, "run");
            break;
        }
        /* Ctrl-C is raised here, between phases; a pause (yield_id -1)
         * always comes between two whole steps. */
        if (PyErr_CheckSignals() < 0) {
            break;
        }
        PyObject *r = PyObject_CallFunction(callback, "i",
                                            (int)self->net.yield_id);
        if (r == NULL) {
            break;
        }
        Py_DECREF(r);
    }
    if (result == NULL && self->net.current >= 0) {
        /* An exception mid-step: complete the step in C (skipping the
         * remaining Python operations) so that a later run continues
         * from a consistent state. */
        bc_network_finish_step(&self->net);
    }
    self->running = 0;
    return result;
}

static PyObject *
Network_stop(NetworkObject *self, PyObject *Py_UNUSED(arg))
{
    self->net.stop_requested = 1;
    Py_RETURN_NONE;
}

static PyObject *
Network_abandon_step(NetworkObject *self, PyObject *Py_UNUSED(arg))
{
    /* reinit: forget a step paused half-way. */
    if (not_running(self) < 0) {
        return NULL;
    }
    self->net.current = -1;
    self->net.stop_requested = 0;
    Py_RETURN_NONE;
}

static PyObject *
Network_profile_times(NetworkObject *self, PyObject *Py_UNUSED(arg))
{
    const uint64_t *p = self->net.step_profile;
    return Py_BuildValue("{s:d,s:d,s:d,s:d}", "update", 1e-9 * (double)p[0],
                         "propagate", 1e-9 * (double)p[1],
                         "reset", 1e-9 * (double)p[2],
                         "monitors", 1e-9 * (double)p[3]);
}

static PyObject *
Network_get_profile(NetworkObject *self, void *Py_UNUSED(c))
{
    return PyBool_FromLong(self->net.profile);
}

static int
Network_set_profile(NetworkObject *self, PyObject *v, void *Py_UNUSED(c))
{
    int on = v != NULL ? PyObject_IsTrue(v) : 0;
    if (on < 0) {
        return -1;
    }
    self->net.profile = on;
    memset(self->net.step_profile, 0, sizeof(self->net.step_profile));
    return 0;
}

static PyObject *
Network_get_pause(NetworkObject *self, void *Py_UNUSED(c))
{
    return PyFloat_FromDouble(self->net.yield_interval);
}

static int
Network_set_pause(NetworkObject *self, PyObject *v, void *Py_UNUSED(c))
{
    double x = v != NULL ? PyFloat_AsDouble(v) : -1.0;
    if (x == -1.0 && PyErr_Occurred()) {
        return -1;
    }
    if (!(x > 0.0)) {
        PyErr_SetString(PyExc_ValueError, "pause interval must be > 0");
        return -1;
    }
    self->net.yield_interval = x;
    return 0;
}

static PyObject *
Network_get_threads(NetworkObject *self, void *Py_UNUSED(c))
{
    return PyLong_FromLong((long)self->net.n_threads);
}

static int
Network_set_threads(NetworkObject *self, PyObject *v, void *Py_UNUSED(c))
{
    long n = v != NULL ? PyLong_AsLong(v) : 0;
    if (n == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (not_running(self) < 0) {
        return -1;
    }
    if (n < 0 || n > BC_POOL_MAX_THREADS) {
        PyErr_Format(PyExc_ValueError, "threads must be 0 (one per CPU) "
                     "to %d, got %ld", BC_POOL_MAX_THREADS, n);
        return -1;
    }
    bc_status st = bc_network_set_threads(&self->net, (int32_t)n);
    if (st != BC_OK) {
        bc_status_error(st, "Network.threads");
        return -1;
    }
    return 0;
}

static PyObject *
Network_get_always_split(NetworkObject *self, void *Py_UNUSED(c))
{
    return PyBool_FromLong(self->net.always_split);
}

static int
Network_set_always_split(NetworkObject *self, PyObject *v,
                         void *Py_UNUSED(c))
{
    int on = v != NULL ? PyObject_IsTrue(v) : 0;
    if (on < 0 || not_running(self) < 0) {
        return -1;
    }
    self->net.always_split = on;
    return 0;
}

static PyMethodDef Network_methods[] = {
    {"add", (PyCFunction)Network_add, METH_VARARGS,
     "add(kind, obj, clock, slot=END, id=-1); kind is 'group', "
     "'connection', 'spike_monitor', 'state_monitor' or 'operation'"},
    {"run", (PyCFunction)Network_run, METH_O,
     "run(callback) until the clocks' ends; True if stopped"},
    {"stop", (PyCFunction)Network_stop, METH_NOARGS,
     "end the run after the current step"},
    {"abandon_step", (PyCFunction)Network_abandon_step, METH_NOARGS,
     "forget a half-done step (reinit)"},
    {"profile_times", (PyCFunction)Network_profile_times, METH_NOARGS,
     "seconds spent per phase since profiling was switched on"},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef Network_getset[] = {
    {"profile", (getter)Network_get_profile, (setter)Network_set_profile,
     "time the phases", NULL},
    {"pause_interval", (getter)Network_get_pause, (setter)Network_set_pause,
     "wall seconds between pauses", NULL},
    {"threads", (getter)Network_get_threads, (setter)Network_set_threads,
     "threads for dear state updates: 0 = one per online CPU, 1 = serial",
     NULL},
    {"always_split", (getter)Network_get_always_split,
     (setter)Network_set_always_split,
     "split dear updates even when timing favours serial (tests)", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot Network_slots[] = {
    {Py_tp_new, Network_new},
    {Py_tp_dealloc, Network_dealloc},
    {Py_tp_traverse, Network_traverse},
    {Py_tp_clear, Network_clear},
    {Py_tp_methods, Network_methods},
    {Py_tp_getset, Network_getset},
    {Py_tp_doc, "Network(): the C run loop"},
    {0, NULL}
};

PyType_Spec bc_network_spec = {
    .name = "brianc._core.Network",
    .basicsize = sizeof(NetworkObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = Network_slots,
};
