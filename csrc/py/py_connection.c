/* py_connection.c -- binding: _core.Connection, the C side of a Brian 1
 * Connection: synapses between two group windows onto one state row. */
#include "numpy_glue.h"

int
bc_check_windows(PyTypeObject *type, PyObject *source, Py_ssize_t so,
                 Py_ssize_t n_pre, PyObject *target, Py_ssize_t to,
                 Py_ssize_t n_post, bc_windows *out)
{
    module_state *s = bc_state_of_type(type);
    if (s == NULL || !PyObject_TypeCheck(source, s->GroupType) ||
        !PyObject_TypeCheck(target, s->GroupType)) {
        PyErr_SetString(PyExc_TypeError, "source and target must be "
                        "_core.Group objects");
        return -1;
    }
    out->source = &((GroupObject *)source)->group;
    out->target = &((GroupObject *)target)->group;
    return bc_to_index(so, &out->src_origin, "source origin") ||
           bc_to_index(n_pre, &out->n_pre, "source size") ||
           bc_to_index(to, &out->tgt_origin, "target origin") ||
           bc_to_index(n_post, &out->n_post, "target size") ? -1 : 0;
}

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
    bc_windows w;
    if (bc_check_windows(type, source, so, np_, target, to, npo, &w) < 0) {
        return NULL;
    }
    ConnectionObject *self = (ConnectionObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    bc_status st = bc_connection_init(&self->conn, w.source, w.src_origin,
                                      w.n_pre, w.target, w.tgt_origin,
                                      w.n_post, var);
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

/* Status of a builder -> exception, naming the connection's sizes. */
static PyObject *
build_error(ConnectionObject *self, bc_status st, const char *what)
{
    if (st == BC_ERANGE) {
        return PyErr_Format(PyExc_IndexError, "%s: synapse index out of "
                            "range (source has %d neurons, target %d) or "
                            "delay beyond %d steps", what,
                            (int)self->conn.n_pre, (int)self->conn.n_post,
                            BC_MAX_DELAY_STEPS);
    }
    if (st == BC_EINVAL) {
        return PyErr_Format(PyExc_ValueError, "%s: a connection's synapses "
                            "must all have delays or none", what);
    }
    return bc_status_error(st, what);
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
        if (!isfinite(wd[k])) {
            PyErr_Format(PyExc_ValueError, "synaptic weight %zd is %s",
                         (Py_ssize_t)k, isnan(wd[k]) ? "NaN" : "infinite");
            goto done;
        }
    }
    bc_status st = bc_connection_add(&self->conn, n, PyArray_DATA(pre),
                                     PyArray_DATA(post), wd,
                                     d != NULL ? PyArray_DATA(d) : NULL);
    result = build_error(self, st, "Connection.add");
done:
    Py_XDECREF(pre);
    Py_XDECREF(post);
    Py_XDECREF(w);
    Py_XDECREF(d);
    return result;
}

/* The block arguments shared by the builders, range-checked. */
static int
parse_block(Py_ssize_t r0, Py_ssize_t nr, Py_ssize_t c0, Py_ssize_t nc,
            bc_index out[4])
{
    return bc_to_index(r0, &out[0], "row0") ||
           bc_to_index(nr, &out[1], "n_rows") ||
           bc_to_index(c0, &out[2], "col0") ||
           bc_to_index(nc, &out[3], "n_cols") ? -1 : 0;
}

static int
check_weight(double w)
{
    if (!isfinite(w)) {
        PyErr_SetString(PyExc_ValueError, isnan(w) ?
                        "synaptic weight is NaN" :
                        "synaptic weight is infinite");
        return -1;
    }
    return 0;
}

/* add_full(row0, n_rows, col0, n_cols, weight, delay=-1) */
static PyObject *
Connection_add_full(ConnectionObject *self, PyObject *args)
{
    Py_ssize_t r0, nr, c0, nc;
    double w;
    int delay = -1;
    bc_index b[4];
    if (!PyArg_ParseTuple(args, "nnnnd|i", &r0, &nr, &c0, &nc, &w, &delay) ||
        parse_block(r0, nr, c0, nc, b) < 0 || check_weight(w) < 0) {
        return NULL;
    }
    bc_status st;
    Py_BEGIN_ALLOW_THREADS
    st = bc_connection_add_full(&self->conn, b[0], b[1], b[2], b[3], w,
                                delay);
    Py_END_ALLOW_THREADS
    return build_error(self, st, "connect_full");
}

/* add_random(seed, stream, row0, n_rows, col0, n_cols, p, weight,
 * delay=-1, threads=1) -> number of synapses added */
static PyObject *
Connection_add_random(ConnectionObject *self, PyObject *args)
{
    unsigned long long seed, stream;
    Py_ssize_t r0, nr, c0, nc;
    double p, w;
    int delay = -1, threads = 1;
    bc_index b[4];
    if (!PyArg_ParseTuple(args, "KKnnnndd|ii", &seed, &stream, &r0, &nr, &c0,
                          &nc, &p, &w, &delay, &threads) ||
        parse_block(r0, nr, c0, nc, b) < 0 || check_weight(w) < 0) {
        return NULL;
    }
    if (!(p >= 0.0 && p <= 1.0)) {
        return PyErr_Format(PyExc_ValueError, "connection probability must "
                            "be in [0, 1], got %g", p);
    }
    if (threads < 0 || threads > BC_POOL_MAX_THREADS) {
        return PyErr_Format(PyExc_ValueError, "threads must be 0 (one per "
                            "CPU) to %d, got %d", BC_POOL_MAX_THREADS,
                            threads);
    }
    bc_status st;
    bc_count n = 0;
    Py_BEGIN_ALLOW_THREADS
    st = bc_connection_add_random(&self->conn, seed, stream, b[0], b[1],
                                  b[2], b[3], p, w, delay, (int32_t)threads,
                                  &n);
    Py_END_ALLOW_THREADS
    if (st != BC_OK) {
        return build_error(self, st, "connect_random");
    }
    return PyLong_FromLongLong(n);
}

/* add_fixed(seed, stream, row0, n_rows, col0, n_cols, k, weight,
 * delay=-1) */
static PyObject *
Connection_add_fixed(ConnectionObject *self, PyObject *args)
{
    unsigned long long seed, stream;
    Py_ssize_t r0, nr, c0, nc, k;
    double w;
    int delay = -1;
    bc_index b[4], kk;
    if (!PyArg_ParseTuple(args, "KKnnnnnd|i", &seed, &stream, &r0, &nr, &c0,
                          &nc, &k, &w, &delay) ||
        parse_block(r0, nr, c0, nc, b) < 0 || check_weight(w) < 0 ||
        bc_to_index(k, &kk, "k")) {
        return NULL;
    }
    if (kk > b[1]) {
        return PyErr_Format(PyExc_ValueError, "fixed connect_random: %d "
                            "sources per target but only %d rows", (int)kk,
                            (int)b[1]);
    }
    bc_status st;
    Py_BEGIN_ALLOW_THREADS
    st = bc_connection_add_fixed(&self->conn, seed, stream, b[0], b[1],
                                 b[2], b[3], kk, w, delay);
    Py_END_ALLOW_THREADS
    return build_error(self, st, "connect_random(fixed=True)");
}

static PyObject *
Connection_compress(ConnectionObject *self, PyObject *Py_UNUSED(arg))
{
    return bc_status_error(bc_connection_compress(&self->conn), "compress");
}

/* The (begin, end) argument of keep_columns/build_columns: a range of
 * the connection's targets (0 with the error set otherwise). */
static int
column_range(const ConnectionObject *self, PyObject *args,
             Py_ssize_t *begin, Py_ssize_t *end)
{
    if (!PyArg_ParseTuple(args, "nn", begin, end)) {
        return 0;
    }
    if (*begin < 0 || *begin > *end || *end > self->conn.n_post) {
        PyErr_Format(PyExc_ValueError, "columns [%zd, %zd) are not within "
                     "the connection's %d targets", *begin, *end,
                     (int)self->conn.n_post);
        return 0;
    }
    return 1;
}

/* keep_columns(begin, end): only the synapses onto these targets of the
 * window (compressed). */
static PyObject *
Connection_keep_columns(ConnectionObject *self, PyObject *args)
{
    Py_ssize_t begin, end;
    if (!column_range(self, args, &begin, &end)) {
        return NULL;
    }
    if (!self->conn.compressed) {
        PyErr_SetString(PyExc_ValueError, "keep_columns needs a compressed "
                        "connection");
        return NULL;
    }
    return bc_status_error(bc_connection_keep_columns(&self->conn,
                                                      (bc_index)begin,
                                                      (bc_index)end),
                           "keep_columns");
}

/* build_columns(begin, end): build only the synapses onto these targets
 * of the window from now on. */
static PyObject *
Connection_build_columns(ConnectionObject *self, PyObject *args)
{
    Py_ssize_t begin, end;
    if (!column_range(self, args, &begin, &end)) {
        return NULL;
    }
    return bc_status_error(bc_connection_build_columns(&self->conn,
                                                       (bc_index)begin,
                                                       (bc_index)end),
                           "build_columns");
}

/* min_delay() -> the shortest delay in steps (compressed). */
static PyObject *
Connection_min_delay(ConnectionObject *self, PyObject *Py_UNUSED(ignored))
{
    if (!self->conn.compressed) {
        PyErr_SetString(PyExc_ValueError, "min_delay needs a compressed "
                        "connection");
        return NULL;
    }
    return PyLong_FromLong((long)bc_connection_min_delay(&self->conn));
}

/* set_spike_lag(lag): per-synapse delays read spikes lag steps late. */
static PyObject *
Connection_set_spike_lag(ConnectionObject *self, PyObject *arg)
{
    long lag = PyLong_AsLong(arg);
    if (lag == -1 && PyErr_Occurred()) {
        return NULL;
    }
    bc_status st = lag < 0 || lag > BC_MAX_DELAY_STEPS ? BC_ERANGE
        : bc_connection_set_spike_lag(&self->conn, (int32_t)lag);
    if (st == BC_EINVAL) {
        PyErr_SetString(PyExc_ValueError, "set_spike_lag needs a compressed "
                        "connection with per-synapse delays");
        return NULL;
    }
    if (st == BC_ERANGE) {
        return PyErr_Format(PyExc_ValueError, "spike lag %ld is longer than "
                            "the shortest delay or the source's history",
                            lag);
    }
    return bc_status_error(st, "set_spike_lag");
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

/* n weights from CSR position k0 into a new array: copied, or the uniform
 * weight repeated. */
static PyObject *
weights_from(const bc_connection *c, bc_count k0, npy_intp n)
{
    if (!c->uniform) {
        return new_copy(n, NPY_FLOAT64, c->weight + k0, sizeof(double));
    }
    npy_intp dims[1] = {n};
    PyObject *a = PyArray_SimpleNew(1, dims, NPY_FLOAT64);
    if (a != NULL) {
        double *d = PyArray_DATA((PyArrayObject *)a);
        for (npy_intp k = 0; k < n; k++) {
            d[k] = c->uniform_weight;
        }
    }
    return a;
}

/* Per-synapse weights before one is written. */
static int
ensure_materialised(ConnectionObject *self)
{
    bc_status st = bc_connection_materialise(&self->conn);
    if (st != BC_OK) {
        bc_status_error(st, "weights");
        return -1;
    }
    return 0;
}

/* Compress (element and row access need sorted rows). */
static int
ensure_compressed(ConnectionObject *self)
{
    bc_status st = bc_connection_compress(&self->conn);
    if (st != BC_OK) {
        bc_status_error(st, "compress");
        return -1;
    }
    return 0;
}

/* synapses() -> (pre, post, weight, delays or None), compressed order. */
static PyObject *
Connection_synapses(ConnectionObject *self, PyObject *Py_UNUSED(arg))
{
    bc_connection *c = &self->conn;
    if (ensure_compressed(self) < 0) {
        return NULL;
    }
    npy_intp n = (npy_intp)c->row_start[c->n_pre];
    npy_intp dims[1] = {n};
    PyObject *pre = PyArray_SimpleNew(1, dims, NPY_INT32);
    PyObject *post = new_copy(n, NPY_INT32, c->post, sizeof(bc_index));
    PyObject *w = weights_from(c, 0, n);
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
    if (ensure_compressed(self) < 0 || ensure_materialised(self) < 0) {
        return NULL;
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

/* set_delays(d): replace the per-synapse delays (steps), synapses()
 * order; each must fit the ring. */
static PyObject *
Connection_set_delays(ConnectionObject *self, PyObject *arg)
{
    bc_connection *c = &self->conn;
    if (ensure_compressed(self) < 0) {
        return NULL;
    }
    if (c->delay == NULL) {
        PyErr_SetString(PyExc_ValueError, "connection has no per-synapse "
                        "delays");
        return NULL;
    }
    PyArrayObject *d = bc_as_array(arg, NPY_INT32, 1, "delays");
    if (d == NULL) {
        return NULL;
    }
    npy_intp n = PyArray_DIM(d, 0);
    const int32_t *dd = PyArray_DATA(d);
    PyObject *result = NULL;
    if (n != (npy_intp)c->row_start[c->n_pre]) {
        PyErr_Format(PyExc_ValueError, "expected %lld delays",
                     (long long)c->row_start[c->n_pre]);
        goto done;
    }
    for (npy_intp k = 0; k < n; k++) {
        if (dd[k] < 0 || dd[k] >= c->n_ring) {
            PyErr_Format(PyExc_ValueError, "delay of %d steps outside "
                         "[0, %d)", (int)dd[k], (int)c->n_ring);
            goto done;
        }
    }
    for (npy_intp k = 0; k < n; k++) {
        c->delay[k] = (uint16_t)dd[k];
    }
    result = Py_NewRef(Py_None);
done:
    Py_DECREF(d);
    return result;
}

/* Parses (i, j) and checks them against the matrix shape. */
static int
parse_element(ConnectionObject *self, PyObject *args, bc_index *i,
              bc_index *j, double *w)
{
    Py_ssize_t a, b;
    int ok = w != NULL ? PyArg_ParseTuple(args, "nnd", &a, &b, w)
                       : PyArg_ParseTuple(args, "nn", &a, &b);
    if (!ok) {
        return -1;
    }
    if (a < 0 || a >= self->conn.n_pre || b < 0 || b >= self->conn.n_post) {
        PyErr_Format(PyExc_IndexError, "element (%zd, %zd) outside the "
                     "%d x %d weight matrix", a, b, (int)self->conn.n_pre,
                     (int)self->conn.n_post);
        return -1;
    }
    *i = (bc_index)a;
    *j = (bc_index)b;
    return 0;
}

/* get(i, j) -> (value, count of synapses (i, j)) */
static PyObject *
Connection_get(ConnectionObject *self, PyObject *args)
{
    bc_index i, j;
    if (parse_element(self, args, &i, &j, NULL) < 0) {
        return NULL;
    }
    bc_count m;
    double v = bc_connection_get(&self->conn, i, j, &m);
    return Py_BuildValue("(dL)", v, (long long)m);
}

/* set(i, j, w) -> number of synapses found (0: nothing set) */
static PyObject *
Connection_set(ConnectionObject *self, PyObject *args)
{
    bc_index i, j;
    double w;
    if (parse_element(self, args, &i, &j, &w) < 0 || check_weight(w) < 0) {
        return NULL;
    }
    bc_count m = bc_connection_set(&self->conn, i, j, w);
    if (m < 0) {
        return PyErr_NoMemory();
    }
    return PyLong_FromLongLong(m);
}

/* remove(i, j) -> number of synapses removed */
static PyObject *
Connection_remove(ConnectionObject *self, PyObject *args)
{
    bc_index i, j;
    if (parse_element(self, args, &i, &j, NULL) < 0 ||
        ensure_compressed(self) < 0) {
        return NULL;
    }
    return PyLong_FromLongLong(bc_connection_remove(&self->conn, i, j));
}

/* row(i) -> (targets int32, weights, first position) */
static PyObject *
Connection_row(ConnectionObject *self, PyObject *arg)
{
    Py_ssize_t i = PyLong_AsSsize_t(arg);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    bc_connection *c = &self->conn;
    if (i < 0 || i >= c->n_pre) {
        return PyErr_Format(PyExc_IndexError, "row %zd outside [0, %d)", i,
                            (int)c->n_pre);
    }
    if (ensure_compressed(self) < 0) {
        return NULL;
    }
    bc_count k0 = c->row_start[i];
    npy_intp len = (npy_intp)(c->row_start[i + 1] - k0);
    return Py_BuildValue(
        "(NNL)", new_copy(len, NPY_INT32, c->post + k0, sizeof(bc_index)),
        weights_from(c, k0, len),
        (long long)k0);
}

/* column(j) -> (rows int32, weights, positions int64) */
static PyObject *
Connection_column(ConnectionObject *self, PyObject *arg)
{
    Py_ssize_t j = PyLong_AsSsize_t(arg);
    if (j == -1 && PyErr_Occurred()) {
        return NULL;
    }
    bc_connection *c = &self->conn;
    if (j < 0 || j >= c->n_post) {
        return PyErr_Format(PyExc_IndexError, "column %zd outside [0, %d)",
                            j, (int)c->n_post);
    }
    if (ensure_compressed(self) < 0) {
        return NULL;
    }
    npy_intp dims[1] = {(npy_intp)bc_connection_column(c, (bc_index)j, NULL,
                                                       NULL)};
    PyObject *rows = PyArray_SimpleNew(1, dims, NPY_INT32);
    PyObject *w = PyArray_SimpleNew(1, dims, NPY_FLOAT64);
    PyObject *pos = PyArray_SimpleNew(1, dims, NPY_INT64);
    if (rows == NULL || w == NULL || pos == NULL) {
        Py_XDECREF(rows);
        Py_XDECREF(w);
        Py_XDECREF(pos);
        return NULL;
    }
    bc_count *pd = PyArray_DATA((PyArrayObject *)pos);
    double *wd = PyArray_DATA((PyArrayObject *)w);
    bc_connection_column(c, (bc_index)j, PyArray_DATA((PyArrayObject *)rows),
                         pd);
    for (npy_intp k = 0; k < dims[0]; k++) {
        wd[k] = bc_connection_weight_at(c, pd[k]);
    }
    return Py_BuildValue("(NNN)", rows, w, pos);
}

/* set_at(positions int64, values): weights at CSR positions. */
static PyObject *
Connection_set_at(ConnectionObject *self, PyObject *args)
{
    PyObject *pos_o, *val_o;
    if (!PyArg_ParseTuple(args, "OO", &pos_o, &val_o) ||
        ensure_compressed(self) < 0 || ensure_materialised(self) < 0) {
        return NULL;
    }
    PyObject *result = NULL;
    PyArrayObject *pos = bc_as_array(pos_o, NPY_INT64, 1, "positions");
    PyArrayObject *val = pos ? bc_as_array(val_o, NPY_FLOAT64, 1, "values")
                             : NULL;
    if (val == NULL) {
        goto done;
    }
    npy_intp n = PyArray_DIM(pos, 0);
    const int64_t *pd = PyArray_DATA(pos);
    const double *vd = PyArray_DATA(val);
    bc_count nnz = self->conn.row_start[self->conn.n_pre];
    if (PyArray_DIM(val, 0) != n) {
        PyErr_SetString(PyExc_ValueError, "positions and values differ in "
                        "length");
        goto done;
    }
    for (npy_intp k = 0; k < n; k++) {
        if (pd[k] < 0 || pd[k] >= nnz || !isfinite(vd[k])) {
            PyErr_SetString(PyExc_ValueError, "bad synapse position, or a "
                            "NaN or infinite weight");
            goto done;
        }
    }
    for (npy_intp k = 0; k < n; k++) {
        self->conn.weight[pd[k]] = vd[k];
    }
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(pos);
    Py_XDECREF(val);
    return result;
}

/* todense() -> (n_pre, n_post) float64, duplicates summed. */
static PyObject *
Connection_todense(ConnectionObject *self, PyObject *Py_UNUSED(arg))
{
    npy_intp dims[2] = {self->conn.n_pre, self->conn.n_post};
    PyObject *a = PyArray_ZEROS(2, dims, NPY_FLOAT64, 0);
    if (a != NULL) {
        bc_connection_todense(&self->conn,
                              PyArray_DATA((PyArrayObject *)a));
    }
    return a;
}

static PyObject *
Connection_get_memory(ConnectionObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromSize_t(bc_connection_bytes(&self->conn));
}

static PyObject *
Connection_get_uniform(ConnectionObject *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->conn.uniform);
}

static PyObject *
Connection_get_compressed(ConnectionObject *self, void *Py_UNUSED(closure))
{
    return PyBool_FromLong(self->conn.compressed);
}

static PyObject *
Connection_clear_ring(ConnectionObject *self, PyObject *Py_UNUSED(arg))
{
    bc_connection_clear_ring(&self->conn);
    Py_RETURN_NONE;
}

/* (ring_pos, ring as (n_ring, ring_width) float64; ring_width is n_post
 * unless the connection builds a part), or None before the ring is built:
 * delayed input in flight, for pickling. */
static PyObject *
Connection_ring(ConnectionObject *self, PyObject *Py_UNUSED(arg))
{
    const bc_connection *c = &self->conn;
    if (c->ring == NULL) {
        Py_RETURN_NONE;
    }
    npy_intp dims[2] = {c->n_ring, c->ring_width};
    PyObject *a = PyArray_SimpleNew(2, dims, NPY_FLOAT64);
    if (a == NULL) {
        return NULL;
    }
    memcpy(PyArray_DATA((PyArrayObject *)a), c->ring,
           (size_t)c->n_ring * (size_t)c->ring_width * sizeof(double));
    return Py_BuildValue("(iN)", (int)c->ring_pos, a);
}

static PyObject *
Connection_restore_ring(ConnectionObject *self, PyObject *arg)
{
    int pos;
    PyObject *ring_o;
    if (!PyArg_ParseTuple(arg, "iO:restore_ring", &pos, &ring_o)) {
        return NULL;
    }
    bc_connection *c = &self->conn;
    PyArrayObject *a = bc_as_array(ring_o, NPY_FLOAT64, 2, "ring");
    if (a == NULL) {
        return NULL;
    }
    if (c->ring == NULL || PyArray_DIM(a, 0) != c->n_ring ||
        PyArray_DIM(a, 1) != c->ring_width || pos < 0 || pos >= c->n_ring) {
        Py_DECREF(a);
        PyErr_SetString(PyExc_ValueError, "the delay ring saved does not "
                        "fit this connection (build it first, same size)");
        return NULL;
    }
    memcpy(c->ring, PyArray_DATA(a),
           (size_t)c->n_ring * (size_t)c->ring_width * sizeof(double));
    c->ring_pos = pos;
    Py_DECREF(a);
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
    {"keep_columns", (PyCFunction)Connection_keep_columns, METH_VARARGS,
     "keep_columns(begin, end): drop the synapses onto other targets"},
    {"build_columns", (PyCFunction)Connection_build_columns, METH_VARARGS,
     "build_columns(begin, end): build only the synapses onto these "
     "targets"},
    {"min_delay", (PyCFunction)Connection_min_delay, METH_NOARGS,
     "min_delay() -> the shortest delay in steps"},
    {"set_spike_lag", (PyCFunction)Connection_set_spike_lag, METH_O,
     "set_spike_lag(steps): per-synapse delays read spikes that late"},
    {"synapses", (PyCFunction)Connection_synapses, METH_NOARGS,
     "(pre, post, weight, delays or None) in row order"},
    {"set_weights", (PyCFunction)Connection_set_weights, METH_O,
     "replace all weights, in synapses() order"},
    {"clear_ring", (PyCFunction)Connection_clear_ring, METH_NOARGS,
     "drop delayed input in flight"},
    {"ring", (PyCFunction)Connection_ring, METH_NOARGS,
     "(ring_pos, ring) of delayed input in flight, or None"},
    {"restore_ring", (PyCFunction)Connection_restore_ring, METH_O,
     "restore_ring(ring()): put delayed input back"},
    {"add_full", (PyCFunction)Connection_add_full, METH_VARARGS,
     "add_full(row0, n_rows, col0, n_cols, weight, delay=-1): every pair"},
    {"add_random", (PyCFunction)Connection_add_random, METH_VARARGS,
     "add_random(seed, stream, row0, n_rows, col0, n_cols, p, weight, "
     "delay=-1, threads=1) -> n: each pair with probability p (threads: "
     "0 = one per CPU; the pairs do not depend on it)"},
    {"add_fixed", (PyCFunction)Connection_add_fixed, METH_VARARGS,
     "add_fixed(seed, stream, row0, n_rows, col0, n_cols, k, weight, "
     "delay=-1): k distinct rows per column"},
    {"set_delays", (PyCFunction)Connection_set_delays, METH_O,
     "replace all delays (steps), in synapses() order"},
    {"get", (PyCFunction)Connection_get, METH_VARARGS,
     "get(i, j) -> (summed weight, number of synapses)"},
    {"set", (PyCFunction)Connection_set, METH_VARARGS,
     "set(i, j, w) -> number of synapses (i, j) found and set"},
    {"remove", (PyCFunction)Connection_remove, METH_VARARGS,
     "remove(i, j) -> number of synapses removed"},
    {"row", (PyCFunction)Connection_row, METH_O,
     "row(i) -> (targets, weights, position of the first)"},
    {"column", (PyCFunction)Connection_column, METH_O,
     "column(j) -> (rows, weights, positions)"},
    {"set_at", (PyCFunction)Connection_set_at, METH_VARARGS,
     "set_at(positions, values): weights at synapses() positions"},
    {"todense", (PyCFunction)Connection_todense, METH_NOARGS,
     "dense (n_pre, n_post) weights, duplicates summed"},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef Connection_getset[] = {
    {"nnz", (getter)Connection_get_nnz, NULL, "number of synapses", NULL},
    {"memory_bytes", (getter)Connection_get_memory, NULL,
     "bytes held for the synapses", NULL},
    {"compressed", (getter)Connection_get_compressed, NULL,
     "True when in CSR form", NULL},
    {"uniform", (getter)Connection_get_uniform, NULL,
     "True while one weight is stored for every synapse", NULL},
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
