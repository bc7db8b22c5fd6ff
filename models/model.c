#include "models/model.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/care.h"
#include "models/netq.h"
#include "sim/dist.h"
#include "sim/schedule.h"
#include "sim/xalloc.h"

const struct model_ops *const model_registry[] = {
    &netq_ops,
    &care_ops,
    NULL,
};

static const char *const model_names[] = {"network", "care", NULL};

const struct cfg_table *const shared_tables[] = {&dist_table, &schedule_table, NULL};

enum { K_MODEL, K_HORIZON, K_WARMUP, K_REPLICATIONS, K_SEED, K_BASE, K_SET, K_UNCERTAINTY };

/* The horizon and warm-up in a time unit: the model's (model_ops.time_unit) once the model is
 * known, so that check and every message say "days" for a model in days. */
#define HORIZON_KEY(u)                                                                             \
    {                                                                                              \
        .name = "horizon", .type = CFG_REAL, .is_required = true, .lo = 0.0, .hi = HUGE_VAL,       \
        .flags = CFG_LO_OPEN, .unit = u,                                                           \
        .help = "simulated length of each replication, warm-up included, in the model's time "     \
                "unit (days in the care model)"                                                    \
    }
#define WARMUP_KEY(u)                                                                              \
    {                                                                                              \
        .name = "warmup", .type = CFG_REAL, .lo = 0.0, .hi = HUGE_VAL, .def = 0.0, .unit = u,      \
        .help = "statistics are discarded before this time; must be below horizon"                 \
    }

static const struct cfg_key scenario_keys[] = {
    [K_MODEL] = {.name = "model",
                 .type = CFG_CHOICE,
                 .is_required = true,
                 .choices = model_names,
                 .help = "which model the scenario describes"},
    [K_HORIZON] = HORIZON_KEY("time units"),
    [K_WARMUP] = WARMUP_KEY("time units"),
    [K_REPLICATIONS] = {.name = "replications",
                        .type = CFG_INT,
                        .lo = 1,
                        .hi = 1000000,
                        .def = 10,
                        .help = "independent replications (1 gives no confidence interval: at "
                                "least 2 for one)"},
    [K_SEED] = {.name = "seed",
                .type = CFG_INT,
                .lo = 0,
                .hi = 9223372036854775807.0, /* INT64_MAX: cfg reads a bound >= 2^63 as it */
                .def = 1,
                .help = "scenario seed; every random stream is derived from it"},
    [K_BASE] = {.name = "base",
                .type = CFG_STRING,
                .help = "a scenario file this one starts from, relative to this file; keys "
                        "given here override it (groups merge key by key, other values "
                        "replace)"},
    [K_SET] = {.name = "set",
               .type = CFG_LIST,
               .help = "overrides applied after the base and this file, in order, each "
                       "\"KEY=VALUE\" as for --set (to change one key inside a list)"},
    [K_UNCERTAINTY] = {.name = "uncertainty",
                       .type = CFG_GROUP,
                       .help = "the uncertainty of numeric keys, for ccsim psa (see "
                               "\"Parameter uncertainty\" below and docs/psa.md); a run "
                               "ignores it"},
};

/* The same two keys in days (a static table: a value's origin keeps a pointer to its key). */
static const struct cfg_key day_keys[] = {HORIZON_KEY("days"), WARMUP_KEY("days")};

const struct cfg_table scenario_table = {
    .path = "",
    .help = "keys every scenario holds at its top level",
    .keys = scenario_keys,
    .n_keys = sizeof scenario_keys / sizeof scenario_keys[0],
};

/* Unknown-key check at the root against the shared keys plus the model's own, or every model's
 * when the model is not known (so that a bad model name is not followed by noise). */
static void check_root_keys(struct cfg *c, const config_setting_t *root,
                            const struct model_ops *ops)
{
    size_t n = scenario_table.n_keys;

    for (int i = 0; model_registry[i]; i++) {
        n += model_registry[i]->root_table->n_keys;
    }
    struct cfg_key *keys = xcalloc(n, sizeof *keys);
    memcpy(keys, scenario_keys, sizeof scenario_keys);
    n = scenario_table.n_keys;
    for (int i = 0; model_registry[i]; i++) {
        const struct cfg_table *t = model_registry[i]->root_table;
        if (!ops || ops == model_registry[i]) {
            memcpy(keys + n, t->keys, t->n_keys * sizeof *keys);
            n += t->n_keys;
        }
    }
    struct cfg_table t = {.path = "", .keys = keys, .n_keys = n};
    cfg_check_keys(c, root, &t);
    free(keys);
}

struct scenario *scenario_load(struct cfg *c)
{
    const config_setting_t *root = cfg_root(c);
    int model = -1;
    long long reps = 10, seed = 1;
    double horizon = 0, warmup = 0;
    bool ok = true;

    ok &= cfg_get_choice(c, root, &scenario_keys[K_MODEL], &model);
    const struct model_ops *ops = model >= 0 ? model_registry[model] : NULL;
    check_root_keys(c, root, ops);
    bool in_days = ops && ops->time_unit && strcmp(ops->time_unit, "days") == 0;
    ok &= cfg_get_real(c, root, in_days ? &day_keys[0] : &scenario_keys[K_HORIZON], &horizon);
    ok &= cfg_get_real(c, root, in_days ? &day_keys[1] : &scenario_keys[K_WARMUP], &warmup);
    ok &= cfg_get_int(c, root, &scenario_keys[K_REPLICATIONS], &reps);
    ok &= cfg_get_int(c, root, &scenario_keys[K_SEED], &seed);
    if (ok && !(warmup < horizon)) {
        const config_setting_t *w = config_setting_get_member(root, "warmup");
        if (w) {
            cfg_error(c, w, "warm-up %g is not shorter than the horizon %g (0 <= warmup < horizon)",
                      warmup, horizon);
        } else {
            cfg_error_key(c, root, "warmup", "warm-up %g is not shorter than the horizon %g",
                          warmup, horizon);
        }
        ok = false;
    }
    void *params = ops ? ops->load(c, root) : NULL;
    if (!ok || !params || cfg_n_problems(c) > 0) {
        if (params) {
            ops->destroy(params);
        }
        return NULL;
    }
    /* One point of the time series per period: their number must fit an int (fuzz finding). */
    if (ops->n_series && ops->series_period > 0 &&
        !(floor(horizon / ops->series_period) <= INT_MAX)) {
        cfg_error(c, config_setting_get_member(root, "horizon"),
                  "%g is too long for the model's time series (at most %d periods of %g)", horizon,
                  INT_MAX, ops->series_period);
        ops->destroy(params);
        return NULL;
    }
    struct scenario *s = xcalloc(1, sizeof *s);
    s->ops = ops;
    s->params = params;
    s->horizon = horizon;
    s->warmup = warmup;
    s->replications = (long)reps;
    s->seed = (uint64_t)seed;
    s->n_metrics = ops->n_metrics(params);
    if (ops->n_series && ops->series_period > 0) {
        s->n_series = ops->n_series(params);
        s->n_points = (int)floor(horizon / ops->series_period);
    }
    return s;
}

void scenario_destroy(struct scenario *s)
{
    if (!s) {
        return;
    }
    s->ops->destroy(s->params);
    free(s);
}

int scenario_run(const struct scenario *s, uint64_t seed, unsigned replication,
                 struct model_run *out)
{
    for (int i = 0; i < s->n_metrics; i++) {
        out->metrics[i] = NAN;
    }
    if (out->series) {
        for (size_t i = 0; i < (size_t)s->n_series * (size_t)s->n_points; i++) {
            out->series[i] = NAN;
        }
    }
    out->n_events = 0;
    out->n_entities = 0;
    out->err[0] = '\0';
    return s->ops->run(s->params, seed, replication, s->warmup, s->horizon, out);
}
