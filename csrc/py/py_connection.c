/* py_connection.c -- binding: _core.Connection, the C side of a Brian 1
 * Connection: synapses between two group windows onto one state row. */
#include "numpy_glue.h"

static PyObject *
Connection_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"source", "src_origin", "n_pre", "target",
                             "tgt_origin", "n_post", "target_var", NULL};
    PyObject *source, *target;
    Py_ssize_t so, np_, to, npo;
    int var;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OnnOnni", kwlist, &source,
                                     &so, &np_, &target, &to, &npo, &var)) {
        return NULL;
    }
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(source, s->GroupType) ||
        !PyObject_TypeCheck(target, s->GroupType)) {
        PyErr_SetString(PyExc_TypeError, "source and target must be "
                        "_core.Group objects");
        return NULL;
    }
    bc_index src_origin, n_pre, tgt_origin, n_post;
    if (bc_to_index(so, &src_origin, "source origin") ||
        bc_to_index(np_, &n_pre, "source size") ||
        bc_to_index(to, &tgt_origin, "target origin") ||
        bc_to_index(npo, &n_post, "target size")) {
        return NULL;
    }
    ConnectionObject *self = (ConnectionObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_connection_init(
        &self->conn, &((GroupObject *)source)->group, src_origin, n_pre,
        &((GroupObject *)target)->group, tgt_origin, n_post, var);
    if (st != BC_OK) {
        Py_DECREF(self);
        return PyErr_Format(PyExc_IndexError, "connection windows or target "
                            "variable out of range");
    }
    Py_INCREF(source);
    Py_INCREF(target);
    self->source = source;
    self->target = target;
    return (PyObject *)self;
}

static int
Connection_traverse(ConnectionObject *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->source);
    Py_VISIT(self->target);
    return 0;
}

static int
Connection_clear(ConnectionObject *self)
{
    bc_connection_free(&self->conn);
    Py_CLEAR(self->source);
    Py_CLEAR(self->target);
    return 0;
}

static void
Connection_dealloc(ConnectionObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Connection_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
Connection_add(ConnectionObject *self, PyObject *args)
{
    PyObject *pre_o, *post_o, *w_o, *d_o = Py_None;
    if (!PyArg_ParseTuple(args, "OOO|O", &pre_o, &post_o, &w_o, &d_o)) {
        return NULL;
    }
    PyObject *result = NULL;
    PyArrayObject *pre = bc_as_array(pre_o, NPY_INT32, 1, "pre");
    PyArrayObject *post = pre ? bc_as_array(post_o, NPY_INT32, 1, "post")
                              : NULL;
    PyArrayObject *w = post ? bc_as_array(w_o, NPY_FLOAT64, 1, "weight")
                            : NULL;
    PyArrayObject *d = NULL;
    if (w == NULL) {
        goto done;
    }
    if (d_o != Py_None &&
        (d = bc_as_array(d_o, NPY_INT32, 1, "delays")) == NULL) {
        goto done;
    }
    npy_intp n = PyArray_DIM(pre, 0);
    if (PyArray_DIM(post, 0) != n || PyArray_DIM(w, 0) != n ||
        (d != NULL && PyArray_DIM(d, 0) != n)) {
        PyErr_SetString(PyExc_ValueError, "pre, post, weight (and delays) "
                        "must have the same length");
        goto done;
    }
    const double *wd = PyArray_DATA(w);
    for (npy_intp k = 0; k < n; k++) {
        if (isnan(wd[k])) {
            PyErr_Format(PyExc_ValueError, "synaptic weight %zd is NaN",
                         (Py_ssize_t)k);
            goto done;
        }
    }
    bc_status st = bc_connection_decompress(&self->conn);
    if (st == BC_OK) {
        st = bc_connection_add(&self->conn, n, PyArray_DATA(pre),
                               PyArray_DATA(post), wd,
                               d != NULL ? PyArray_DATA(d) : NULL);
    }
    if (st == BC_ERANGE) {
        PyErr_Format(PyExc_IndexError, "synapse index out of range (source "
                     "has %d neurons, target %d) or delay beyond 65535 "
                     "steps", (int)self->conn.n_pre, (int)self->conn.n_post);
        goto done;
    }
    if (st == BC_EINVAL) {
        PyErr_SetString(PyExc_ValueError, "a connection's synapses must all "
                        "have delays or none");
        goto done;
    }
    result = bc_status_error(st, "Connection.add");
done:
    Py_XDECREF(pre);
    Py_XDECREF(post);
    Py_XDECREF(w);
    Py_XDECREF(d);
    return result;
}

static PyObject *
Connection_compress(ConnectionObject *self, PyObject *Py_UNUSED(arg))
{
    return bc_status_error(bc_connection_compress(&self->conn), "compress");
}

static PyObject *
new_copy(npy_intp n, int typenum, const void *src, size_t item)
{
    npy_intp dims[1] = {n};
    PyObject *a = PyArray_SimpleNew(1, dims, typenum);
    if (a != NULL && n > 0) {
        memcpy(PyArray_DATA((PyArrayObject *)a), src, (size_t)n * item);
    }
    return a;
}

/* synapses() -> (pre, post, weight, delays or None), compressed order. */
static PyObject *
Connection_synapses(ConnectionObject *self, PyObject *Py_UNUSED(arg))
{
    bc_connection *c = &self->conn;
    bc_status st = bc_connection_compress(c);
    if (st != BC_OK) {
        return bc_status_error(st, "compress");
    }
    npy_intp n = (npy_intp)c->row_start[c->n_pre];
    npy_intp dims[1] = {n};
    PyObject *pre = PyArray_SimpleNew(1, dims, NPY_INT32);
    PyObject *post = new_copy(n, NPY_INT32, c->post, sizeof(bc_index));
    PyObject *w = new_copy(n, NPY_FLOAT64, c->weight, sizeof(double));
    PyObject *d = NULL;
    if (pre == NULL || post == NULL || w == NULL) {
        goto fail;
    }
    bc_index *pd = PyArray_DATA((PyArrayObject *)pre);
    for (bc_index i = 0; i < c->n_pre; i++) {
        for (bc_count k = c->row_start[i]; k < c->row_start[i + 1]; k++) {
            pd[k] = i;
        }
    }
    if (c->delay != NULL) {
        d = PyArray_SimpleNew(1, dims, NPY_INT32);
        if (d == NULL) {
            goto fail;
        }
        int32_t *dd = PyArray_DATA((PyArrayObject *)d);
        for (npy_intp k = 0; k < n; k++) {
            dd[k] = c->delay[k];
        }
    } else {
        d = Py_NewRef(Py_None);
    }
    return Py_BuildValue("(NNNN)", pre, post, w, d);
fail:
    Py_XDECREF(pre);
    Py_XDECREF(post);
    Py_XDECREF(w);
    return NULL;
}

/* set_weights(w): replace the weights, in synapses() order. */
static PyObject *
Connection_set_weights(ConnectionObject *self, PyObject *arg)
{
    bc_connection *c = &self->conn;
    bc_status st = bc_connection_compress(c);
    if (st != BC_OK) {
        return bc_status_error(st, "compress");
    }
    PyArrayObject *w = bc_as_array(arg, NPY_FLOAT64, 1, "weights");
    if (w == NULL) {
        return NULL;
    }
    if (PyArray_DIM(w, 0) != (npy_intp)c->row_start[c->n_pre]) {
        Py_DECREF(w);
        return PyErr_Format(PyExc_ValueError, "expected %lld weights",
                            (long long)c->row_start[c->n_pre]);
    }
    memcpy(c->weight, PyArray_DATA(w),
           (size_t)PyArray_DIM(w, 0) * sizeof(double));
    Py_DECREF(w);
    Py_RETURN_NONE;
}

static PyObject *
Connection_clear_ring(ConnectionObject *self, PyObject *Py_UNUSED(arg))
{
    bc_connection_clear_ring(&self->conn);
    Py_RETURN_NONE;
}

static PyObject *
Connection_get_nnz(ConnectionObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLongLong(bc_connection_nnz(&self->conn));
}

static PyObject *
Connection_get_int(ConnectionObject *self, void *closure)
{
    return PyLong_FromLong(*(int32_t *)((char *)&self->conn +
                                        (size_t)closure));
}

static int
Connection_set_int(ConnectionObject *self, PyObject *v, void *closure)
{
    long x = v != NULL ? PyLong_AsLong(v) : -2;
    if (x == -1 && PyErr_Occurred()) {
        return -1;
    }
    size_t off = (size_t)closure;
    long lo = off == offsetof(bc_connection, modulation_var) ? -1 : 0;
    long hi = off == offsetof(bc_connection, modulation_var)
        ? self->conn.source->n_vars - 1 : 65535;
    if (x < lo || x > hi) {
        PyErr_Format(PyExc_ValueError, "value %ld out of range [%ld, %ld]",
                     x, lo, hi);
        return -1;
    }
    if (off == offsetof(bc_connection, n_ring) && self->conn.compressed &&
        self->conn.delay != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "delay ring already built");
        return -1;
    }
    *(int32_t *)((char *)&self->conn + off) = (int32_t)x;
    return 0;
}

static PyMethodDef Connection_methods[] = {
    {"add", (PyCFunction)Connection_add, METH_VARARGS,
     "add(pre, post, weight, delays=None): append synapses (local indices)"},
    {"compress", (PyCFunction)Connection_compress, METH_NOARGS,
     "sort the synapses into the compressed row form"},
    {"synapses", (PyCFunction)Connection_synapses, METH_NOARGS,
     "(pre, post, weight, delays or None) in row order"},
    {"set_weights", (PyCFunction)Connection_set_weights, METH_O,
     "replace all weights, in synapses() order"},
    {"clear_ring", (PyCFunction)Connection_clear_ring, METH_NOARGS,
     "drop delayed input in flight"},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef Connection_getset[] = {
    {"nnz", (getter)Connection_get_nnz, NULL, "number of synapses", NULL},
    {"delay_steps", (getter)Connection_get_int, (setter)Connection_set_int,
     "homogeneous delay in steps",
     (void *)offsetof(bc_connection, delay_steps)},
    {"modulation_var", (getter)Connection_get_int,
     (setter)Connection_set_int, "source row scaling spikes, or -1",
     (void *)offsetof(bc_connection, modulation_var)},
    {"ring_slots", (getter)Connection_get_int, (setter)Connection_set_int,
     "minimum delay ring length (max_delay steps + 1)",
     (void *)offsetof(bc_connection, n_ring)},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot Connection_slots[] = {
    {Py_tp_new, Connection_new},
    {Py_tp_dealloc, Connection_dealloc},
    {Py_tp_traverse, Connection_traverse},
    {Py_tp_clear, Connection_clear},
    {Py_tp_methods, Connection_methods},
    {Py_tp_getset, Connection_getset},
    {Py_tp_doc, "Connection(source, src_origin, n_pre, target, tgt_origin, "
                "n_post, target_var)"},
    {0, NULL}
};

PyType_Spec bc_connection_spec = {
    .name = "brianc._core.Connection",
    .basicsize = sizeof(ConnectionObject),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = Connection_slots,
};
