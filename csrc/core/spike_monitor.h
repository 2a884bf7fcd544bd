/* spike_monitor.h -- C core: records the spikes of a group window
 * (Brian 1's SpikeMonitor, SpikeCounter, PopulationSpikeCounter and
 * PopulationRateMonitor share it).  A recorded spike costs 12 bytes: its
 * int32 local index and its int64 step. */
#ifndef BC_SPIKE_MONITOR_H
#define BC_SPIKE_MONITOR_H

#include "buffer.h"
#include "neuron_group.h"

typedef struct bc_spike_monitor {
    bc_group *source;           /* borrowed; owner group */
    bc_index origin, n;         /* window of the owner */
    int32_t delay_steps;
    int record;                 /* keep (index, step) of every spike */
    bc_buffer index;            /* bc_index per recorded spike */
    bc_buffer step;             /* bc_step per recorded spike */
    int64_t *count;             /* owned, n per-neuron counts, or NULL */
    int64_t total;              /* spikes seen, recorded or not */
    /* Population rate: spikes per bin of bin_steps steps. */
    bc_step bin_steps;          /* 0: no rate recording */
    bc_step bin_fill;           /* steps in the open bin */
    int64_t bin_count;          /* spikes in the open bin */
    bc_buffer bins;             /* int64 spike count per closed bin */
    bc_buffer bin_start;        /* bc_step first step of each closed bin */
    bc_step open_bin_start;
    /* StateSpikeMonitor: with each recorded spike, the values of n_vars
     * state rows, read in the connection phase (after the update, before
     * the reset). */
    int32_t n_vars;
    int32_t *vars;              /* owned; n_vars state rows */
    bc_buffer values;           /* double, n_vars per recorded spike */
} bc_spike_monitor;

/* Everything a spike monitor has recorded, as saved by a pickled monitor
 * and put back into a new one of the same window and options.  Arrays are
 * borrowed: n_spikes indices and steps (and n_spikes * n_vars values),
 * n counts when the monitor counts, n_bins closed bins. */
typedef struct bc_spike_record {
    size_t n_spikes;
    const bc_index *index;
    const bc_step *step;
    const double *values;
    const int64_t *count;
    int64_t total;
    size_t n_bins;
    const int64_t *bins;
    const bc_step *bin_start;
    int64_t bin_count;
    bc_step bin_fill;
    bc_step open_bin_start;
} bc_spike_record;

bc_status bc_spike_monitor_init(bc_spike_monitor *m, bc_group *source,
                                bc_index origin, bc_index n,
                                int32_t delay_steps, int record,
                                int count, bc_step bin_steps);
/* Also record the rows `vars` at each recorded spike (record must be on). */
bc_status bc_spike_monitor_set_vars(bc_spike_monitor *m, int32_t n_vars,
                                    const int32_t *vars);
void bc_spike_monitor_free(bc_spike_monitor *m);
void bc_spike_monitor_clear(bc_spike_monitor *m);
/* Replace m's records with r (checked: indices in the window, counts and
 * bins not negative, the open bin shorter than bin_steps). */
bc_status bc_spike_monitor_restore(bc_spike_monitor *m,
                                   const bc_spike_record *r);
/* Connection phase of step `step`. */
bc_status bc_spike_monitor_record(bc_spike_monitor *m, bc_step step);
/* The same, `late` steps after step's connection phase (its spikes are
 * then `late` steps further back in the history; BC_ERANGE beyond it):
 * a group split over processes has every process's spikes only after
 * the exchange that ends a minimum delay. */
bc_status bc_spike_monitor_record_late(bc_spike_monitor *m, bc_step step,
                                       int32_t late);

#endif
