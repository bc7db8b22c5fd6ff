/*
 * schedule — a capacity that repeats over a period (a week of staffing, say).
 *
 * Piecewise constant: value[i] holds from at[i] until at[i+1] (or the end of the period),
 * repeating every `period` time units; at[0] must be 0 and the at[] strictly increasing
 * inside [0, period). Lookups are O(log n) and allocate nothing; the arrays are owned by the
 * schedule (schedule_fini() frees them). A loaded schedule is immutable and may be shared.
 *
 * Scenario form:  schedule = { period = 7.0; at = [0.0, 0.375, 0.708]; value = [2, 10, 2]; };
 */
#ifndef CCSIM_SIM_SCHEDULE_H
#define CCSIM_SIM_SCHEDULE_H

#include <stdbool.h>

#include <libconfig.h>

#include "sim/cfg.h"

struct schedule {
    double period; /* length of one cycle, > 0 */
    int n;         /* number of pieces, >= 1 */
    double *at;    /* start of each piece within the cycle */
    int *value;    /* value during each piece, >= 0 */
};

extern const struct cfg_table schedule_table;

/* Reads a schedule group; values must lie in [lo, hi]. Records problems and returns false on
 * any (then nothing needs freeing). */
bool schedule_load(struct cfg *c, const config_setting_t *s, int lo, int hi, struct schedule *out);
void schedule_fini(struct schedule *sch);

/* The value in force at time t >= 0. */
int schedule_value_at(const struct schedule *sch, double t);
/* The first time after t at which the value may change. */
double schedule_next_change(const struct schedule *sch, double t);
/* Time-average of the value over one period. */
double schedule_mean(const struct schedule *sch);

#endif
