/* program_cost.h -- C core: a rough price of one neuron's run through an
 * expression program, to decide whether a group's update is worth
 * splitting across threads (a split costs about a microsecond a step). */
#ifndef BC_PROGRAM_COST_H
#define BC_PROGRAM_COST_H

#include "expr_vm.h"

/* Estimated nanoseconds per neuron for one run of p (its linear prologue
 * included), from the measured speed of the VM's kernels on a 2020s x86
 * core: about 0.2 ns for a plain arithmetic pass over a block, 1 ns for a
 * vectorised exp or log, a few ns for a normal draw, ~15 ns for a libm
 * call per element.  Only the order of magnitude matters. */
double bc_program_cost(const bc_program *p);

#endif
