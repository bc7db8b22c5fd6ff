#include "sim/schedule.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

static const struct cfg_key schedule_keys[] = {
    {.name = "period",
     .type = CFG_REAL,
     .is_required = true,
     .lo = 0.0,
     .hi = HUGE_VAL,
     .flags = CFG_LO_OPEN,
     .help = "length of one cycle, in the model's time unit (7 for a week in days)"},
    {.name = "at",
     .type = CFG_LIST,
     .is_required = true,
     .help = "start of each piece within the cycle, from 0, increasing"},
    {.name = "value",
     .type = CFG_LIST,
     .is_required = true,
     .help = "the value (servers on duty) during each piece"},
};

const struct cfg_table schedule_table = {
    .path = "<schedule>",
    .help = "a value repeating over a cycle, piecewise constant",
    .keys = schedule_keys,
    .n_keys = sizeof schedule_keys / sizeof schedule_keys[0],
};

bool schedule_load(struct cfg *c, const config_setting_t *s, int lo, int hi, struct schedule *out)
{
    const config_setting_t *at, *val;
    double period = 0;
    bool ok;

    memset(out, 0, sizeof *out);
    if (!config_setting_is_group(s)) {
        cfg_error(c, s, "not a schedule (a group { period = ...; at = [...]; value = [...]; })");
        return false;
    }
    ok = cfg_check_keys(c, s, &schedule_table);
    ok &= cfg_get_real(c, s, &schedule_keys[0], &period);
    ok &= cfg_get_list(c, s, &schedule_keys[1], &at);
    ok &= cfg_get_list(c, s, &schedule_keys[2], &val);
    if (!ok) {
        return false;
    }
    int n = config_setting_length(at);
    if (n == 0) {
        cfg_error(c, at, "empty list (at least one piece, starting at 0)");
        return false;
    }
    if (config_setting_length(val) != n) {
        cfg_error(c, val, "%d values for %d start times (one value per start time)",
                  config_setting_length(val), n);
        return false;
    }
    double *ts = xcalloc((size_t)n, sizeof *ts);
    int *vs = xcalloc((size_t)n, sizeof *vs);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(at, (unsigned)i);
        const config_setting_t *v = config_setting_get_elem(val, (unsigned)i);
        if (!cfg_number(c, e, &ts[i])) {
            ok = false;
        } else if (i == 0 && ts[i] != 0.0) {
            cfg_error(c, e, "the first piece starts at %g (it must start at 0)", ts[i]);
            ok = false;
        } else if (i > 0 && !(ts[i] > ts[i - 1])) {
            cfg_error(c, e, "%g does not come after %g (start times strictly increasing)", ts[i],
                      ts[i - 1]);
            ok = false;
        } else if (!(ts[i] < period)) {
            cfg_error(c, e, "%g is not inside the period (0 <= at < %g)", ts[i], period);
            ok = false;
        }
        int t = config_setting_type(v);
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
            cfg_error(c, v, "not an integer (integer %d..%d)", lo, hi);
            ok = false;
        } else {
            long long x = config_setting_get_int64(v);
            if (x < lo || x > hi) {
                cfg_error(c, v, "%lld is out of range (integer %d..%d)", x, lo, hi);
                ok = false;
            }
            vs[i] = (int)x;
        }
    }
    if (!ok) {
        free(ts);
        free(vs);
        return false;
    }
    out->period = period;
    out->n = n;
    out->at = ts;
    out->value = vs;
    return true;
}

void schedule_fini(struct schedule *sch)
{
    free(sch->at);
    free(sch->value);
    memset(sch, 0, sizeof *sch);
}

/* Index of the piece containing phase x in [0, period). */
static int piece(const struct schedule *sch, double x)
{
    int lo = 0, hi = sch->n - 1;

    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (sch->at[mid] <= x) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

int schedule_value_at(const struct schedule *sch, double t)
{
    double x = fmod(t, sch->period);

    return sch->value[piece(sch, x)];
}

double schedule_next_change(const struct schedule *sch, double t)
{
    /* The phase comes from fmod(), which is exact, as in schedule_value_at(), so that both find
     * the same piece in force at t. */
    double x = fmod(t, sch->period);
    double cycle = t - x;
    int i = piece(sch, x);
    double next = i + 1 < sch->n ? cycle + sch->at[i + 1] : cycle + sch->period;

    /* The sum can round to t itself or to just below the boundary, where schedule_value_at()
     * still finds piece i and a pool woken there would miss the change. Step up to the first
     * time after t at which another piece is in force: a few units in the last place. */
    while (!(next > t) || (sch->n > 1 && piece(sch, fmod(next, sch->period)) == i)) {
        next = nextafter(next, HUGE_VAL);
    }
    return next;
}

double schedule_mean(const struct schedule *sch)
{
    double area = 0.0;

    for (int i = 0; i < sch->n; i++) {
        double end = i + 1 < sch->n ? sch->at[i + 1] : sch->period;
        area += sch->value[i] * (end - sch->at[i]);
    }
    return area / sch->period;
}
