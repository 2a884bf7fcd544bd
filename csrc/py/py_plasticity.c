/* py_plasticity.c -- binding: _core.STDP and _core.STP, the C side of
 * Brian 1's STDP and STP on a Connection.  Each holds references to the
 * connection, groups, programs and arrays its core struct points to. */
#include "numpy_glue.h"

/* ---- STDP ------------------------------------------------------------ */

/* STDP(connection, pre_traces, post_traces, wmin, wmax, delay_pre,
 *      delay_post, dt) */
static PyObject *
STDP_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"connection", "pre_traces", "post_traces",
                             "wmin", "wmax", "delay_pre", "delay_post", "dt",
                             NULL};
    PyObject *conn, *pre, *post;
    double wmin, wmax, dt;
    int delay_pre, delay_post;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOddiid", kwlist, &conn,
                                     &pre, &post, &wmin, &wmax, &delay_pre,
                                     &delay_post, &dt)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(conn, s->ConnectionType) ||
        !PyObject_TypeCheck(pre, s->GroupType) ||
        !PyObject_TypeCheck(post, s->GroupType)) {
        PyErr_SetString(PyExc_TypeError, "STDP needs a _core.Connection and "
                        "two _core.Group objects");
        return NULL;
    }
    bc_connection *c = &((ConnectionObject *)conn)->conn;
    if (!(wmax >= wmin)) {
        return PyErr_Format(PyExc_ValueError, "STDP: wmax (%g) must not be "
                            "smaller than wmin (%g)", wmax, wmin);
    }
    STDPObject *self = (STDPObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_stdp_init(&self->stdp, c, &((GroupObject *)pre)->group,
                                &((GroupObject *)post)->group, wmin, wmax,
                                delay_pre, delay_post, dt);
    if (st != BC_OK) {
        Py_DECREF(self);
        return PyErr_Format(PyExc_ValueError, "STDP: trace groups must have "
                            "the connection's sizes (%d and %d), delays "
                            "must be in [0, %d] steps and dt > 0",
                            (int)c->n_pre, (int)c->n_post,
                            BC_MAX_DELAY_STEPS);
    }
    self->members = PyList_New(0);
    if (self->members == NULL || PyList_Append(self->members, conn) < 0 ||
        PyList_Append(self->members, pre) < 0 ||
        PyList_Append(self->members, post) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
STDP_traverse(STDPObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->members);
    return 0;
}

static int
STDP_clear(STDPObject *self)
{
    bc_stdp_free(&self->stdp);
    Py_CLEAR(self->members);
    return 0;
}

static void
STDP_dealloc(STDPObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    STDP_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

/* A 1-d int32 array of exactly n entries (new reference). */
static PyArrayObject *
int32_list(PyObject *obj, Py_ssize_t *n, const char *what)
{
    PyArrayObject *a = bc_as_array(obj, NPY_INT32, 1, what);
    if (a != NULL) {
        *n = PyArray_DIM(a, 0);
    }
    return a;
}

/* add_segment(side, on_synapses, program, gather_side, gather_row) */
static PyObject *
STDP_add_segment(STDPObject *self, PyObject *args)
{
    int side, on_synapses;
    PyObject *prog, *gs_obj, *gr_obj;
    if (!PyArg_ParseTuple(args, "ipOOO", &side, &on_synapses, &prog,
                          &gs_obj, &gr_obj)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(Py_TYPE(self));
    if (s == NULL || !PyObject_TypeCheck(prog, s->ProgramType)) {
        PyErr_SetString(PyExc_TypeError, "program must be a _core.Program");
        return NULL;
    }
    if (self->members == NULL) {
        PyErr_SetString(PyExc_ValueError, "STDP was cleared");
        return NULL;
    }
    Py_ssize_t n_side = 0, n_row = 0;
    PyArrayObject *gs = int32_list(gs_obj, &n_side, "gather_side");
    PyArrayObject *gr = gs != NULL ? int32_list(gr_obj, &n_row, "gather_row")
                                   : NULL;
    PyObject *result = NULL;
    if (gr == NULL) {
        goto done;
    }
    if (n_side != n_row || n_side > INT32_MAX - 1) {
        PyErr_SetString(PyExc_ValueError, "gather_side and gather_row must "
                        "have the same length");
        goto done;
    }
    bc_status st = bc_stdp_add_segment(
        &self->stdp, side, on_synapses, &((ProgramObject *)prog)->prog,
        (int32_t)n_side, PyArray_DATA(gs), PyArray_DATA(gr));
    if (st != BC_OK) {
        bc_status_error(st, "STDP segment (program, side or gathered rows)");
        goto done;
    }
    if (PyList_Append(self->members, prog) < 0) {
        goto done;
    }
    result = Py_None;
    Py_INCREF(result);
done:
    Py_XDECREF(gs);
    Py_XDECREF(gr);
    return result;
}

static PyObject *
STDP_prepare(STDPObject *self, PyObject *Py_UNUSED(arg))
{
    if (self->members == NULL) {
        PyErr_SetString(PyExc_ValueError, "STDP was cleared");
        return NULL;
    }
    bc_status st = bc_stdp_prepare(&self->stdp);
    if (st != BC_OK) {
        return bc_status_error(st, "STDP prepare");
    }
    Py_RETURN_NONE;
}

static PyObject *
STDP_use_synapse_delays(STDPObject *self, PyObject *arg)
{
    long max_delay = PyLong_AsLong(arg);
    if (max_delay == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (max_delay < 1 || max_delay > BC_MAX_DELAY_STEPS ||
        bc_stdp_use_synapse_delays(&self->stdp, (int32_t)max_delay) !=
        BC_OK) {
        return PyErr_Format(PyExc_ValueError, "STDP: per-synapse delays "
                            "need max_delay in [1, %d] steps and no "
                            "delay_pre or delay_post", BC_MAX_DELAY_STEPS);
    }
    Py_RETURN_NONE;
}

static PyObject *
STDP_get_nbytes(STDPObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromSize_t(bc_stdp_bytes(&self->stdp));
}

static PyMethodDef STDP_methods[] = {
    {"add_segment", (PyCFunction)STDP_add_segment, METH_VARARGS,
     "add_segment(side, on_synapses, program, gather_side, gather_row): "
     "append a trace (on_synapses False) or synapse segment to the pre "
     "(side 0) or post (side 1) code."},
    {"use_synapse_delays", (PyCFunction)STDP_use_synapse_delays, METH_O,
     "use_synapse_delays(max_delay): the connection has per-synapse "
     "delays of at most max_delay steps (Brian 1's rules for them)."},
    {"prepare", (PyCFunction)STDP_prepare, METH_NOARGS,
     "Compress the connection and build its column index (a network does "
     "this when it takes the STDP)."},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef STDP_getset[] = {
    {"nbytes", (getter)STDP_get_nbytes, NULL,
     "bytes of the column index and scratch", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot STDP_slots[] = {
    {Py_tp_new, STDP_new},
    {Py_tp_dealloc, STDP_dealloc},
    {Py_tp_traverse, STDP_traverse},
    {Py_tp_clear, STDP_clear},
    {Py_tp_methods, STDP_methods},
    {Py_tp_getset, STDP_getset},
    {Py_tp_doc, "STDP(connection, pre_traces, post_traces, wmin, wmax, "
                "delay_pre, delay_post, dt)"},
    {0, NULL}
};

PyType_Spec bc_stdp_spec = {
    .name = "brianc._core.STDP",
    .basicsize = sizeof(STDPObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = STDP_slots,
};

/* ---- STP ------------------------------------------------------------- */

/* A float64, C-contiguous, writeable array of `ndim` dimensions, used in
 * place (no copy). */
static int
check_in_place(PyObject *obj, int ndim, const char *what)
{
    if (!PyArray_Check(obj) ||
        PyArray_TYPE((PyArrayObject *)obj) != NPY_FLOAT64 ||
        PyArray_NDIM((PyArrayObject *)obj) != ndim ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)obj) ||
        !PyArray_ISWRITEABLE((PyArrayObject *)obj) ||
        !PyArray_ISALIGNED((PyArrayObject *)obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a writeable C-contiguous "
                     "%d-d float64 array", what, ndim);
        return -1;
    }
    return 0;
}

/* STP(connection, state, last, U, taud, tauf, dt): state is (3, n) rows
 * ux, x, u; last, U, taud, tauf have n entries (seconds). */
static PyObject *
STP_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"connection", "state", "last", "U", "taud",
                             "tauf", "dt", NULL};
    PyObject *conn, *state, *last, *U, *taud, *tauf;
    double dt;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOOd", kwlist, &conn,
                                     &state, &last, &U, &taud, &tauf, &dt)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(conn, s->ConnectionType)) {
        PyErr_SetString(PyExc_TypeError, "STP needs a _core.Connection");
        return NULL;
    }
    PyObject *arrays[] = {state, last, U, taud, tauf};
    const char *names[] = {"state", "last", "U", "taud", "tauf"};
    for (int k = 0; k < 5; k++) {
        if (check_in_place(arrays[k], k == 0 ? 2 : 1, names[k]) < 0) {
            return NULL;
        }
    }
    bc_connection *c = &((ConnectionObject *)conn)->conn;
    npy_intp n = c->n_pre;
    if (PyArray_DIM((PyArrayObject *)state, 0) != 3 ||
        PyArray_DIM((PyArrayObject *)state, 1) != n) {
        return PyErr_Format(PyExc_ValueError, "STP state must have shape "
                            "(3, %d)", (int)n);
    }
    for (int k = 1; k < 5; k++) {
        if (PyArray_DIM((PyArrayObject *)arrays[k], 0) != n) {
            return PyErr_Format(PyExc_ValueError, "STP %s must have %d "
                                "entries", names[k], (int)n);
        }
    }
    STPObject *self = (STPObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_stp_init(
        &self->stp, c, (bc_index)n, PyArray_DATA((PyArrayObject *)state),
        PyArray_DATA((PyArrayObject *)last),
        PyArray_DATA((PyArrayObject *)U), PyArray_DATA((PyArrayObject *)taud),
        PyArray_DATA((PyArrayObject *)tauf), dt);
    if (st != BC_OK) {
        Py_DECREF(self);
        return PyErr_Format(PyExc_ValueError, "STP: U must be in [0, 1], "
                            "taud and tauf positive, and the connection "
                            "without per-synapse delays");
    }
    self->members = Py_BuildValue("(OOOOOO)", conn, state, last, U, taud,
                                  tauf);
    if (self->members == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    bc_stp_attach(&self->stp);
    return (PyObject *)self;
}

static int
STP_traverse(STPObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->members);
    return 0;
}

static int
STP_clear(STPObject *self)
{
    /* Detach while the connection is still held. */
    if (self->members != NULL) {
        bc_stp_detach(&self->stp);
    }
    memset(&self->stp, 0, sizeof(self->stp));
    Py_CLEAR(self->members);
    return 0;
}

static void
STP_dealloc(STPObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    STP_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot STP_slots[] = {
    {Py_tp_new, STP_new},
    {Py_tp_dealloc, STP_dealloc},
    {Py_tp_traverse, STP_traverse},
    {Py_tp_clear, STP_clear},
    {Py_tp_doc, "STP(connection, state, last, U, taud, tauf, dt): "
                "scales the connection's spikes by ux = state[0]"},
    {0, NULL}
};

PyType_Spec bc_stp_spec = {
    .name = "brianc._core.STP",
    .basicsize = sizeof(STPObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = STP_slots,
};

/* The network task of an STDP, prepared now. */
int
bc_stdp_task(PyObject *obj, bc_task_fn *task, void **object, int32_t *slot)
{
    STDPObject *p = (STDPObject *)obj;
    if (p->members == NULL) {
        PyErr_SetString(PyExc_ValueError, "STDP was cleared");
        return -1;
    }
    bc_status st = bc_stdp_prepare(&p->stdp);
    if (st != BC_OK) {
        bc_status_error(st, "STDP prepare");
        return -1;
    }
    *task = bc_stdp_run;
    *object = &p->stdp;
    *slot = BC_SLOT_CONNECTIONS;
    return 0;
}

/* The network task of an STP; its connection's source keeps the spike
 * history the delay needs. */
int
bc_stp_task(PyObject *obj, bc_task_fn *task, void **object, int32_t *slot)
{
    STPObject *p = (STPObject *)obj;
    if (p->members == NULL) {
        PyErr_SetString(PyExc_ValueError, "STP was cleared");
        return -1;
    }
    bc_status st = bc_group_reserve_history(
        p->stp.conn->source, p->stp.conn->delay_steps + 1);
    if (st != BC_OK) {
        bc_status_error(st, "STP");
        return -1;
    }
    *task = bc_stp_run;
    *object = &p->stp;
    *slot = BC_SLOT_BEFORE_CONNECTIONS;
    return 0;
}
