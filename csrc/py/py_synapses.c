/* py_synapses.c -- binding: _core.Synapses, the C side of a Brian 1
 * Synapses object (csrc/core/synapses.h), and _core.SynapticSums, the
 * task that writes its lumped variables at the end of each step. */
#include "numpy_glue.h"

typedef struct {
    PyObject_HEAD
    bc_synapses syn;
    PyObject *source, *target;  /* GroupObject */
    PyObject *held;             /* list: arrays and programs the core
                                   points to */
} SynapsesObject;

typedef struct {
    PyObject_HEAD
    PyObject *synapses;         /* SynapsesObject */
} SynapticSumsObject;

/* Synapses(source, src_origin, n_pre, target, tgt_origin, n_post, dt,
 *          seed, stream) */
static PyObject *
Synapses_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"source", "src_origin", "n_pre", "target",
                             "tgt_origin", "n_post", "dt", "seed", "stream",
                             NULL};
    PyObject *source, *target;
    Py_ssize_t so, np_, to, npo;
    double dt;
    unsigned long long seed, stream;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OnnOnndKK", kwlist,
                                     &source, &so, &np_, &target, &to, &npo,
                                     &dt, &seed, &stream)) {
        return NULL;
    }
    bc_windows w;
    if (bc_check_windows(type, source, so, np_, target, to, npo, &w) < 0) {
        return NULL;
    }
    SynapsesObject *self = (SynapsesObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->held = PyList_New(0);
    if (self->held == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    bc_status st = bc_synapses_init(&self->syn, w.source, w.src_origin,
                                    w.n_pre, w.target, w.tgt_origin,
                                    w.n_post, dt, seed, stream);
    if (st != BC_OK) {
        Py_DECREF(self);
        if (st == BC_ENOMEM) {
            return PyErr_NoMemory();
        }
        return PyErr_Format(PyExc_ValueError, "Synapses: group windows out "
                            "of range or dt not positive");
    }
    self->source = Py_NewRef(source);
    self->target = Py_NewRef(target);
    return (PyObject *)self;
}

static int
Synapses_traverse(SynapsesObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->source);
    Py_VISIT(self->target);
    Py_VISIT(self->held);
    return 0;
}

static int
Synapses_clear(SynapsesObject *self)
{
    bc_synapses_free(&self->syn);
    Py_CLEAR(self->source);
    Py_CLEAR(self->target);
    Py_CLEAR(self->held);
    return 0;
}

static void
Synapses_dealloc(SynapsesObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Synapses_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

/* An array the core will write or keep pointing at: exact type, C order,
 * aligned and writeable, never a silent copy. */
static PyArrayObject *
exact_array(PyObject *obj, int typenum, int ndim, const char *what)
{
    if (!PyArray_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a NumPy array", what);
        return NULL;
    }
    PyArrayObject *a = (PyArrayObject *)obj;
    if (PyArray_TYPE(a) != typenum || PyArray_NDIM(a) != ndim ||
        !PyArray_ISCARRAY(a)) {
        PyErr_Format(PyExc_ValueError, "%s must be a C-contiguous, aligned, "
                     "writeable %d-dimensional array of the core's type",
                     what, ndim);
        return NULL;
    }
    return a;
}

/* The synaptic state, (n_vars, n) float64, aligned and writeable: C
 * order (each variable's values one after the other) or Fortran order
 * (interleaved: the variables of one synapse side by side, the
 * transpose of a C-ordered (n, n_vars) array). */
static PyArrayObject *
state_array(PyObject *obj)
{
    if (!PyArray_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "state must be a NumPy array");
        return NULL;
    }
    PyArrayObject *a = (PyArrayObject *)obj;
    if (PyArray_TYPE(a) != NPY_FLOAT64 || PyArray_NDIM(a) != 2 ||
        !(PyArray_ISCARRAY(a) || PyArray_ISFARRAY(a))) {
        PyErr_SetString(PyExc_ValueError, "state must be an aligned, "
                        "writeable 2-dimensional float64 array in C or "
                        "Fortran order");
        return NULL;
    }
    return a;
}

static int
hold(SynapsesObject *self, PyObject *obj)
{
    return PyList_Append(self->held, obj);
}

static PyObject *
synapses_error(bc_status st, const char *what)
{
    if (st == BC_ERANGE) {
        return PyErr_Format(PyExc_IndexError, "%s: a synapse index or "
                            "delay is out of range", what);
    }
    if (st == BC_EINVAL) {
        return PyErr_Format(PyExc_ValueError, "%s: invalid program or "
                            "arguments", what);
    }
    return bc_status_error(st, what);
}

/* set(pre, post, state, by_post): the synapses and their state. */
static PyObject *
Synapses_set(SynapsesObject *self, PyObject *args)
{
    PyObject *pre_o, *post_o, *state_o;
    int by_post;
    if (!PyArg_ParseTuple(args, "OOOp", &pre_o, &post_o, &state_o,
                          &by_post)) {
        return NULL;
    }
    PyArrayObject *pre = exact_array(pre_o, NPY_INT32, 1, "pre");
    PyArrayObject *post = pre ? exact_array(post_o, NPY_INT32, 1, "post")
                              : NULL;
    PyArrayObject *state = post ? state_array(state_o) : NULL;
    if (state == NULL) {
        return NULL;
    }
    npy_intp n = PyArray_DIM(pre, 0);
    if (PyArray_DIM(post, 0) != n || PyArray_DIM(state, 1) != n ||
        n > BC_INDEX_MAX || PyArray_DIM(state, 0) > INT32_MAX) {
        return PyErr_Format(PyExc_ValueError, "pre, post and the state's "
                            "rows must have the same length (at most %d)",
                            BC_INDEX_MAX);
    }
    PyObject *fresh = PyList_New(0);
    if (fresh == NULL) {
        return NULL;
    }
    bc_status st = bc_synapses_set_layout(
        &self->syn, (bc_index)n, PyArray_DATA(pre), PyArray_DATA(post),
        PyArray_DATA(state), (int32_t)PyArray_DIM(state, 0),
        !PyArray_IS_C_CONTIGUOUS(state), by_post);
    /* Whatever the core pointed at before is dropped with its code. */
    Py_SETREF(self->held, fresh);
    if (hold(self, pre_o) < 0 || hold(self, post_o) < 0 ||
        hold(self, state_o) < 0) {
        return NULL;
    }
    return st == BC_OK ? Py_NewRef(Py_None) : synapses_error(st, "set");
}

static const bc_program *
program_of(SynapsesObject *self, PyObject *obj)
{
    module_state *s = bc_state_of_type(Py_TYPE(self));
    if (s == NULL || !PyObject_TypeCheck(obj, s->ProgramType)) {
        PyErr_SetString(PyExc_TypeError, "expected a _core.Program");
        return NULL;
    }
    if (((ProgramObject *)obj)->n_arrays != 0) {
        PyErr_SetString(PyExc_ValueError, "synaptic programs cannot read "
                        "external arrays");
        return NULL;
    }
    return &((ProgramObject *)obj)->prog;
}

/* set_update(program or None, mapped) */
static PyObject *
Synapses_set_update(SynapsesObject *self, PyObject *args)
{
    PyObject *prog_o;
    int mapped;
    if (!PyArg_ParseTuple(args, "Op", &prog_o, &mapped)) {
        return NULL;
    }
    const bc_program *p = NULL;
    if (prog_o != Py_None && (p = program_of(self, prog_o)) == NULL) {
        return NULL;
    }
    if (p != NULL && hold(self, prog_o) < 0) {
        return NULL;
    }
    bc_status st = bc_synapses_set_update(&self->syn, p, mapped);
    return st == BC_OK ? Py_NewRef(Py_None)
                       : synapses_error(st, "set_update");
}

/* add_pathway(reverse, program or None, writes_target, acc_row, acc_src,
 *             acc_const, delay (uint16 array or None), delay_steps,
 *             n_slots) */
static PyObject *
Synapses_add_pathway(SynapsesObject *self, PyObject *args)
{
    PyObject *prog_o, *row_o, *src_o, *const_o, *delay_o;
    int reverse, writes_target, delay_steps, n_slots;
    if (!PyArg_ParseTuple(args, "pOpOOOOii", &reverse, &prog_o,
                          &writes_target, &row_o, &src_o, &const_o, &delay_o,
                          &delay_steps, &n_slots)) {
        return NULL;
    }
    const bc_program *p = NULL;
    if (prog_o != Py_None && (p = program_of(self, prog_o)) == NULL) {
        return NULL;
    }
    PyObject *result = NULL;
    PyArrayObject *row = bc_as_array(row_o, NPY_INT32, 1, "acc_row");
    PyArrayObject *src = row ? bc_as_array(src_o, NPY_INT32, 1, "acc_src")
                             : NULL;
    PyArrayObject *cst = src ? bc_as_array(const_o, NPY_FLOAT64, 1,
                                           "acc_const") : NULL;
    if (cst == NULL) {
        goto done;
    }
    npy_intp n_acc = PyArray_DIM(row, 0);
    if (PyArray_DIM(src, 0) != n_acc || PyArray_DIM(cst, 0) != n_acc ||
        n_acc > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "acc_row, acc_src and acc_const "
                        "must have the same length");
        goto done;
    }
    const uint16_t *delay = NULL;
    if (delay_o != Py_None) {
        PyArrayObject *d = exact_array(delay_o, NPY_UINT16, 1, "delay");
        if (d == NULL) {
            goto done;
        }
        if (PyArray_DIM(d, 0) != self->syn.n_syn) {
            PyErr_SetString(PyExc_ValueError, "delay needs one value per "
                            "synapse");
            goto done;
        }
        if (hold(self, delay_o) < 0) {
            goto done;
        }
        delay = PyArray_DATA(d);
    }
    if (p != NULL && hold(self, prog_o) < 0) {
        goto done;
    }
    bc_status st = bc_synapses_add_pathway(
        &self->syn, reverse, p, writes_target, (int32_t)n_acc,
        PyArray_DATA(row), PyArray_DATA(src), PyArray_DATA(cst), delay,
        delay_steps, n_slots);
    if (st == BC_OK && delay == NULL) {
        bc_group *g = reverse ? self->syn.target : self->syn.source;
        st = bc_group_reserve_history(g, delay_steps + 1);
    }
    result = st == BC_OK ? Py_NewRef(Py_None)
                         : synapses_error(st, "add_pathway");
done:
    Py_XDECREF(row);
    Py_XDECREF(src);
    Py_XDECREF(cst);
    return result;
}

/* set_accumulation(pathway, index, src, value) */
static PyObject *
Synapses_set_accumulation(SynapsesObject *self, PyObject *args)
{
    int pathway, index, src;
    double value;
    if (!PyArg_ParseTuple(args, "iiid", &pathway, &index, &src, &value)) {
        return NULL;
    }
    bc_status st = bc_synapses_set_accumulation(&self->syn, pathway, index,
                                                src, value);
    return st == BC_OK ? Py_NewRef(Py_None)
                       : synapses_error(st, "set_accumulation");
}

/* before_run(writes_between_steps) */
static PyObject *
Synapses_before_run(SynapsesObject *self, PyObject *arg)
{
    int flag = PyObject_IsTrue(arg);
    if (flag < 0) {
        return NULL;
    }
    bc_synapses_before_run(&self->syn, flag);
    return Py_NewRef(Py_None);
}

/* add_lumped(program, target_row) */
static PyObject *
Synapses_add_lumped(SynapsesObject *self, PyObject *args)
{
    PyObject *prog_o;
    int row;
    if (!PyArg_ParseTuple(args, "Oi", &prog_o, &row)) {
        return NULL;
    }
    const bc_program *p = program_of(self, prog_o);
    if (p == NULL || hold(self, prog_o) < 0) {
        return NULL;
    }
    bc_status st = bc_synapses_add_lumped(&self->syn, p, row);
    return st == BC_OK ? Py_NewRef(Py_None)
                       : synapses_error(st, "add_lumped");
}

/* add_output(program, dst): dst (n_syn float64, held) receives the
 * program's out_reg at the end of each step */
static PyObject *
Synapses_add_output(SynapsesObject *self, PyObject *args)
{
    PyObject *prog_o, *dst_o;
    if (!PyArg_ParseTuple(args, "OO", &prog_o, &dst_o)) {
        return NULL;
    }
    const bc_program *p = program_of(self, prog_o);
    PyArrayObject *dst = p ? exact_array(dst_o, NPY_FLOAT64, 1, "dst")
                           : NULL;
    if (dst == NULL) {
        return NULL;
    }
    if (PyArray_DIM(dst, 0) != self->syn.n_syn) {
        return PyErr_Format(PyExc_ValueError, "dst needs one value per "
                            "synapse (%d)", self->syn.n_syn);
    }
    if (hold(self, prog_o) < 0 || hold(self, dst_o) < 0) {
        return NULL;
    }
    bc_status st = bc_synapses_add_output(&self->syn, p, PyArray_DATA(dst));
    return st == BC_OK ? Py_NewRef(Py_None)
                       : synapses_error(st, "add_output");
}

/* forget_pre() -> bool: drop the presynaptic indices if the core can do
 * without them (see bc_synapses_forget_pre). */
static PyObject *
Synapses_forget_pre(SynapsesObject *self, PyObject *Py_UNUSED(arg))
{
    if (self->syn.pre == NULL) {
        Py_RETURN_TRUE;
    }
    if (bc_synapses_forget_pre(&self->syn) != BC_OK) {
        Py_RETURN_FALSE;
    }
    /* set() holds pre first */
    if (PyList_GET_SIZE(self->held) > 0 &&
        PyList_SetItem(self->held, 0, Py_NewRef(Py_None)) < 0) {
        return NULL;
    }
    Py_RETURN_TRUE;
}

/* set_calls(calls): the (n_calls, n_syn) float64 rows after the groups'
 * in the row space (see bc_synapses_set_calls). */
static PyObject *
Synapses_set_calls(SynapsesObject *self, PyObject *calls_o)
{
    PyArrayObject *calls = exact_array(calls_o, NPY_FLOAT64, 2, "calls");
    if (calls == NULL) {
        return NULL;
    }
    if (PyArray_DIM(calls, 1) != self->syn.n_syn ||
        PyArray_DIM(calls, 0) > INT32_MAX) {
        return PyErr_Format(PyExc_ValueError, "calls needs one value per "
                            "synapse (%d) in each row", self->syn.n_syn);
    }
    if (hold(self, calls_o) < 0) {
        return NULL;
    }
    bc_status st = bc_synapses_set_calls(&self->syn, PyArray_DATA(calls),
                                         (int32_t)PyArray_DIM(calls, 0));
    return st == BC_OK ? Py_NewRef(Py_None)
                       : synapses_error(st, "set_calls");
}

/* defer(pathway) */
static PyObject *
Synapses_defer(SynapsesObject *self, PyObject *args)
{
    int pathway;
    if (!PyArg_ParseTuple(args, "i", &pathway)) {
        return NULL;
    }
    bc_status st = bc_synapses_defer(&self->syn, pathway);
    return st == BC_OK ? Py_NewRef(Py_None) : synapses_error(st, "defer");
}

static PyObject *
index_array(const bc_index *ids, bc_index n)
{
    npy_intp dims[1] = {n};
    PyObject *out = PyArray_SimpleNew(1, dims, NPY_INT32);
    if (out != NULL && n > 0) {
        memcpy(PyArray_DATA((PyArrayObject *)out), ids,
               (size_t)n * sizeof(*ids));
    }
    return out;
}

/* take_pending(pathway) -> int32 array of the events kept since the last
 * call */
static PyObject *
Synapses_take_pending(SynapsesObject *self, PyObject *args)
{
    int pathway;
    if (!PyArg_ParseTuple(args, "i", &pathway)) {
        return NULL;
    }
    if (pathway < 0 || pathway >= self->syn.n_pathways) {
        return PyErr_Format(PyExc_IndexError, "no pathway %d", pathway);
    }
    bc_index n;
    const bc_index *ids = bc_synapses_take_pending(&self->syn, pathway, &n);
    return index_array(ids, n);
}

/* An int32 array of synapse numbers, or NULL with an exception. */
static PyArrayObject *
synapse_ids(PyObject *obj)
{
    PyArrayObject *ids = bc_as_array(obj, NPY_INT32, 1, "ids");
    if (ids != NULL && PyArray_DIM(ids, 0) > BC_INDEX_MAX) {
        Py_DECREF(ids);
        PyErr_SetString(PyExc_ValueError, "too many ids");
        return NULL;
    }
    return ids;
}

/* run_events(pathway, step, ids) */
static PyObject *
Synapses_run_events(SynapsesObject *self, PyObject *args)
{
    int pathway;
    long long step;
    PyObject *ids_o;
    if (!PyArg_ParseTuple(args, "iLO", &pathway, &step, &ids_o)) {
        return NULL;
    }
    PyArrayObject *ids = synapse_ids(ids_o);
    if (ids == NULL) {
        return NULL;
    }
    bc_status st = bc_synapses_run_events(&self->syn, pathway, step,
                                          PyArray_DATA(ids),
                                          (bc_index)PyArray_DIM(ids, 0));
    Py_DECREF(ids);
    return st == BC_OK ? Py_NewRef(Py_None)
                       : synapses_error(st, "run_events");
}

/* evaluate(program, step, ids or None) -> float64 array of its out_reg
 * for the synapses ids (all without ids) */
static PyObject *
Synapses_evaluate(SynapsesObject *self, PyObject *args)
{
    PyObject *prog_o, *ids_o;
    long long step;
    if (!PyArg_ParseTuple(args, "OLO", &prog_o, &step, &ids_o)) {
        return NULL;
    }
    const bc_program *p = program_of(self, prog_o);
    if (p == NULL) {
        return NULL;
    }
    PyArrayObject *ids = NULL;
    if (ids_o != Py_None && (ids = synapse_ids(ids_o)) == NULL) {
        return NULL;
    }
    bc_index n = ids ? (bc_index)PyArray_DIM(ids, 0) : self->syn.n_syn;
    npy_intp dims[1] = {n};
    PyObject *out = PyArray_SimpleNew(1, dims, NPY_FLOAT64);
    bc_status st = BC_ENOMEM;
    if (out != NULL) {
        st = bc_synapses_evaluate(&self->syn, p, step,
                                  ids ? PyArray_DATA(ids) : NULL, n,
                                  PyArray_DATA((PyArrayObject *)out));
    }
    Py_XDECREF(ids);
    if (st != BC_OK) {
        Py_XDECREF(out);
        return out == NULL ? NULL : synapses_error(st, "evaluate");
    }
    return out;
}

static bc_spike_queue *
queue_of(SynapsesObject *self, int pathway)
{
    if (pathway < 0 || pathway >= self->syn.n_pathways ||
        self->syn.pathways[pathway].delay == NULL) {
        PyErr_Format(PyExc_IndexError, "no pathway %d with a queue",
                     pathway);
        return NULL;
    }
    return &self->syn.pathways[pathway].queue;
}

/* queue(pathway) -> list: for each delay d, from 0 (the next step), the
 * int32 array of the synapses whose events arrive then */
static PyObject *
Synapses_queue(SynapsesObject *self, PyObject *args)
{
    int pathway;
    if (!PyArg_ParseTuple(args, "i", &pathway)) {
        return NULL;
    }
    const bc_spike_queue *q = queue_of(self, pathway);
    PyObject *out = q ? PyList_New(q->n_slots) : NULL;
    for (int32_t d = 0; out != NULL && d < q->n_slots; d++) {
        bc_index n;
        const bc_index *ids = bc_spike_queue_at(q, d, &n);
        PyObject *a = index_array(ids, n);
        if (a == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, d, a);
    }
    return out;
}

/* queue_push(pathway, delay, ids): queue events of the synapses ids to
 * arrive `delay` steps from now (0: the next step) */
static PyObject *
Synapses_queue_push(SynapsesObject *self, PyObject *args)
{
    int pathway, delay;
    PyObject *ids_o;
    if (!PyArg_ParseTuple(args, "iiO", &pathway, &delay, &ids_o)) {
        return NULL;
    }
    bc_spike_queue *q = queue_of(self, pathway);
    if (q == NULL) {
        return NULL;
    }
    if (delay < 0 || delay >= q->n_slots) {
        return PyErr_Format(PyExc_ValueError, "delay %d out of the queue's "
                            "range [0, %d)", delay, q->n_slots);
    }
    PyArrayObject *ids = synapse_ids(ids_o);
    if (ids == NULL) {
        return NULL;
    }
    const bc_index *id = PyArray_DATA(ids);
    bc_status st = BC_OK;
    for (npy_intp k = 0; k < PyArray_DIM(ids, 0) && st == BC_OK; k++) {
        st = id[k] < 0 || id[k] >= self->syn.n_syn
             ? BC_ERANGE : bc_spike_queue_push(q, delay, id[k]);
    }
    Py_DECREF(ids);
    return st == BC_OK ? Py_NewRef(Py_None)
                       : synapses_error(st, "queue_push");
}

static PyObject *
Synapses_clear_queues(SynapsesObject *self, PyObject *Py_UNUSED(arg))
{
    bc_synapses_clear_queues(&self->syn);
    Py_RETURN_NONE;
}

static PyObject *
Synapses_get_memory(SynapsesObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromSize_t(bc_synapses_bytes(&self->syn));
}

static PyObject *
Synapses_get_n_rows(SynapsesObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLong(self->syn.n_rows);
}

static PyMethodDef Synapses_methods[] = {
    {"set", (PyCFunction)Synapses_set, METH_VARARGS,
     "set(pre, post, state, by_post): the synapses (int32 local indices) "
     "and their (n_vars, n) float64 state (C order, or Fortran order for "
     "an interleaved state), held by reference; drops the "
     "update, pathways and lumped variables"},
    {"set_update", (PyCFunction)Synapses_set_update, METH_VARARGS,
     "set_update(program or None, mapped): the clock-driven update"},
    {"add_pathway", (PyCFunction)Synapses_add_pathway, METH_VARARGS,
     "add_pathway(reverse, program, writes_target, acc_row, acc_src, "
     "acc_const, delay, delay_steps, n_slots)"},
    {"set_accumulation", (PyCFunction)Synapses_set_accumulation,
     METH_VARARGS, "set_accumulation(pathway, index, src, value): addition "
     "index of a pathway adds synaptic row src, or value when src is -1"},
    {"add_lumped", (PyCFunction)Synapses_add_lumped, METH_VARARGS,
     "add_lumped(program, target_row): target_row = sum of the program's "
     "out_reg over each target neuron's synapses"},
    {"before_run", (PyCFunction)Synapses_before_run, METH_O,
     "before_run(writes_between_steps): the state may have changed since "
     "the last step; when writes_between_steps, Python may also write it "
     "between the steps of the coming run"},
    {"add_output", (PyCFunction)Synapses_add_output, METH_VARARGS,
     "add_output(program, dst): dst = the program's out_reg per synapse at "
     "the end of each step"},
    {"forget_pre", (PyCFunction)Synapses_forget_pre, METH_NOARGS,
     "forget_pre() -> bool: drop the presynaptic indices if possible"},
    {"set_calls", (PyCFunction)Synapses_set_calls, METH_O,
     "set_calls(calls): (n_calls, n) float64 rows read after the groups' "
     "in the row space (held by reference)"},
    {"defer", (PyCFunction)Synapses_defer, METH_VARARGS,
     "defer(pathway): keep its due events for take_pending"},
    {"take_pending", (PyCFunction)Synapses_take_pending, METH_VARARGS,
     "take_pending(pathway) -> int32 array of the events kept"},
    {"run_events", (PyCFunction)Synapses_run_events, METH_VARARGS,
     "run_events(pathway, step, ids): the pathway's program on ids"},
    {"evaluate", (PyCFunction)Synapses_evaluate, METH_VARARGS,
     "evaluate(program, step, ids or None) -> float64 array of out_reg"},
    {"queue", (PyCFunction)Synapses_queue, METH_VARARGS,
     "queue(pathway) -> list of int32 arrays: events by delay from now"},
    {"queue_push", (PyCFunction)Synapses_queue_push, METH_VARARGS,
     "queue_push(pathway, delay, ids): queue events"},
    {"clear_queues", (PyCFunction)Synapses_clear_queues, METH_NOARGS,
     "drop every queued synaptic event"},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef Synapses_getset[] = {
    {"memory_bytes", (getter)Synapses_get_memory, NULL,
     "bytes the core holds beyond the state and index arrays", NULL},
    {"n_rows", (getter)Synapses_get_n_rows, NULL,
     "rows of the programs' row space (after set)", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot Synapses_slots[] = {
    {Py_tp_new, Synapses_new},
    {Py_tp_dealloc, Synapses_dealloc},
    {Py_tp_traverse, Synapses_traverse},
    {Py_tp_clear, Synapses_clear},
    {Py_tp_methods, Synapses_methods},
    {Py_tp_getset, Synapses_getset},
    {Py_tp_doc, "Synapses(source, src_origin, n_pre, target, tgt_origin, "
                "n_post, dt, seed, stream): synapses between two group "
                "windows"},
    {0, NULL}
};

PyType_Spec bc_synapses_spec = {
    .name = "brianc._core.Synapses",
    .basicsize = sizeof(SynapsesObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = Synapses_slots,
};

/* SynapticSums(synapses) */
static PyObject *
SynapticSums_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"synapses", NULL};
    PyObject *syn;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O", kwlist, &syn)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(syn, s->SynapsesType)) {
        PyErr_SetString(PyExc_TypeError, "expected a _core.Synapses");
        return NULL;
    }
    SynapticSumsObject *self = (SynapticSumsObject *)type->tp_alloc(type,
                                                                     0);
    if (self != NULL) {
        self->synapses = Py_NewRef(syn);
    }
    return (PyObject *)self;
}

static int
SynapticSums_traverse(SynapticSumsObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->synapses);
    return 0;
}

static int
SynapticSums_clear(SynapticSumsObject *self)
{
    Py_CLEAR(self->synapses);
    return 0;
}

static void
SynapticSums_dealloc(SynapticSumsObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    SynapticSums_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot SynapticSums_slots[] = {
    {Py_tp_new, SynapticSums_new},
    {Py_tp_dealloc, SynapticSums_dealloc},
    {Py_tp_traverse, SynapticSums_traverse},
    {Py_tp_clear, SynapticSums_clear},
    {Py_tp_doc, "SynapticSums(synapses): the task writing the lumped "
                "variables of a _core.Synapses at the end of each step"},
    {0, NULL}
};

PyType_Spec bc_synaptic_sums_spec = {
    .name = "brianc._core.SynapticSums",
    .basicsize = sizeof(SynapticSumsObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = SynapticSums_slots,
};

int
bc_synapses_task(PyObject *obj, bc_task_fn *task, void **object,
                 int32_t *slot)
{
    SynapsesObject *self = (SynapsesObject *)obj;
    if (self->source == NULL) {
        PyErr_SetString(PyExc_ValueError, "Synapses was cleared");
        return -1;
    }
    *task = bc_synapses_run;
    *object = &self->syn;
    *slot = BC_SLOT_SYNAPSES;
    return 0;
}

int
bc_synaptic_sums_task(PyObject *obj, bc_task_fn *task, void **object,
                      int32_t *slot)
{
    SynapsesObject *syn =
        (SynapsesObject *)((SynapticSumsObject *)obj)->synapses;
    if (syn == NULL || syn->source == NULL) {
        PyErr_SetString(PyExc_ValueError, "Synapses was cleared");
        return -1;
    }
    *task = bc_synapses_run_lumped;
    *object = &syn->syn;
    *slot = BC_SLOT_END;
    return 0;
}
