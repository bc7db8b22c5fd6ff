#include "analysis/sensitivity.h"

#include <errno.h>
#include <string.h>

#include "analysis/ci.h"
#include "analysis/csv.h"
#include "sim/xalloc.h"

struct collect {
    struct sens_param *v;
    int n, cap;
};

static void visit(void *ctx, const config_setting_t *s, const char *path,
                  const struct cfg_origin *o)
{
    struct collect *col = ctx;
    int t = config_setting_type(s);

    if (!o->key || !cfg_key_has_plausible(o->key) ||
        (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)) {
        return;
    }
    if (col->n == col->cap) {
        col->cap = col->cap ? 2 * col->cap : 32;
        col->v = xreallocarray(col->v, (size_t)col->cap, sizeof *col->v);
    }
    struct sens_param *p = &col->v[col->n++];
    snprintf(p->path, sizeof p->path, "%s", path);
    p->key = o->key;
    p->value =
        t == CONFIG_TYPE_FLOAT ? config_setting_get_float(s) : (double)config_setting_get_int64(s);
}

struct sens_param *sens_parameters(const struct cfg *c, int *n)
{
    struct collect col = {0};
    cfg_walk(c, visit, &col);
    *n = col.n;
    return col.v;
}

int sens_write_csv(const char *path, const struct sens_param *params, int n,
                   const struct scenario *base_sc, const struct experiment_result *base,
                   const struct experiment_result *low, const struct experiment_result *high)
{
    return sens_write_csv_flags(path, params, n, base_sc, base, low, high, 0);
}

int sens_write_csv_flags(const char *path, const struct sens_param *params, int n,
                         const struct scenario *base_sc, const struct experiment_result *base,
                         const struct experiment_result *low, const struct experiment_result *high,
                         unsigned flags)
{
    FILE *f = fopen(path, "w");
    size_t nm = (size_t)base->n_metrics;

    if (!f) {
        return -errno;
    }
    fputs("parameter,low,high,metric,base,low_mean,high_mean,low_diff,low_diff_ci_low,"
          "low_diff_ci_high,high_diff,high_diff_ci_low,high_diff_ci_high",
          f);
    fputs(flags & CSV_DESCRIBED ? "," CSV_DESCRIBE_HEADER "\n" : "\n", f);
    for (int i = 0; i < n; i++) {
        for (size_t m = 0; m < nm; m++) {
            struct ci b, l, h, dl, dh;
            size_t reps = (size_t)base->replications;
            ci_t(base->metrics + m, reps, nm, CSV_CI_LEVEL, &b);
            ci_t(low[i].metrics + m, reps, nm, CSV_CI_LEVEL, &l);
            ci_t(high[i].metrics + m, reps, nm, CSV_CI_LEVEL, &h);
            ci_paired(base->metrics + m, nm, low[i].metrics + m, nm, reps, CSV_CI_LEVEL, &dl);
            ci_paired(base->metrics + m, nm, high[i].metrics + m, nm, reps, CSV_CI_LEVEL, &dh);
            csv_field(f, params[i].path);
            fprintf(f, ",%.15g,%.15g,", params[i].key->plausible_lo, params[i].key->plausible_hi);
            csv_field(f, scenario_metric_name(base_sc, (int)m));
            const double v[] = {b.mean, l.mean,  h.mean, dl.mean, dl.lo,
                                dl.hi,  dh.mean, dh.lo,  dh.hi};
            for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
                fputc(',', f);
                csv_number(f, v[k]);
            }
            if (flags & CSV_DESCRIBED) {
                csv_describe(f, scenario_metric(base_sc, (int)m), true);
            }
            fputc('\n', f);
        }
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        return errno ? -errno : -EIO;
    }
    return 0;
}
