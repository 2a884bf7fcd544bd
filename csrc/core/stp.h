/* stp.h -- C core: Brian 1's STP, Tsodyks-Markram short-term plasticity
 * on the presynaptic side of a Connection.  Each source neuron i carries
 * u (utilisation) and x (available resources), relaxing between its
 * spikes as
 *     dx/dt = (1 - x) / taud,    du/dt = (U - u) / tauf,
 * solved exactly from its last spike.  At a spike (as it reaches the
 * connection, after the connection's delay) the spike's weights are
 * scaled by ux = u * x taken before the jump, then x <- x (1 - u) and
 * u <- u + U (1 - u).  The update runs in the before-connections slot, so
 * the connection propagates the same step with the new ux. */
#ifndef BC_STP_H
#define BC_STP_H

#include "connection.h"
#include "types.h"

typedef struct bc_stp {
    bc_connection *conn;        /* borrowed; its spike_scale points to
                                   state's ux row while attached */
    bc_index n;                 /* conn->n_pre */
    double *state;              /* borrowed; 3 rows of n: ux, x, u */
    double *last;               /* borrowed; n times (s) of the last
                                   update */
    const double *U;            /* borrowed; n values each */
    const double *taud;         /* seconds */
    const double *tauf;
    double dt;
} bc_stp;

/* Checks the sizes (n == conn->n_pre), that U is in [0, 1] and the time
 * constants are positive (BC_EINVAL otherwise), and that the connection
 * has no per-synapse delays. */
bc_status bc_stp_init(bc_stp *s, bc_connection *conn, bc_index n,
                      double *state, double *last, const double *U,
                      const double *taud, const double *tauf, double dt);

/* Point the connection's spike scale at ux (before a run), or detach. */
void bc_stp_attach(bc_stp *s);
void bc_stp_detach(bc_stp *s);

/* The network task (before-connections slot). */
bc_status bc_stp_run(void *stp, bc_step step);

#endif
