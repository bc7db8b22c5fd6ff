#include "analysis/validate.h"

#include <math.h>
#include <stdlib.h>

#include "analysis/ci.h"
#include "sim/xalloc.h"

const struct validate_row validate_rows[] = {
    {"ICM vs standard care: hospital days per client-month", "cohort.cfg", "cohort_icm.cfg",
     "cohort.bed_days", VALIDATE_MD_MONTH, VALIDATE_INSIDE, -0.86, -1.37, -0.34,
     "Dieterich et al. 2017, Cochrane CD007906 (24 RCTs)"},
    {"ACT vs standard care: admitted to hospital", "cohort.cfg", "cohort_act.cfg",
     "cohort.admissions", VALIDATE_RR, VALIDATE_INSIDE, 0.71, 0.5, 0.97,
     "Marshall & Lockwood, Cochrane CD001089"},
    {"ACT vs standard care: lost to follow-up", "cohort.cfg", "cohort_act.cfg", "cohort.disengaged",
     VALIDATE_RR, VALIDATE_INSIDE, 0.6, 0.5, 0.7, "Marshall & Lockwood, Cochrane CD001089"},
    {"Caseload 12 vs 30 alone: hospital days per client-month", "cohort.cfg",
     "cohort_caseload12.cfg", "cohort.bed_days", VALIDATE_MD_MONTH, VALIDATE_INSIDE, -0.08, -0.37,
     0.21, "UK700 (Burns et al. 1999); Cochrane ICM vs non-ICM, 21 RCTs"},
    {"Broker case management vs standard care: admissions not fewer", "cohort.cfg",
     "cohort_broker.cfg", "cohort.admissions", VALIDATE_RR, VALIDATE_NOT_BELOW, 1.6, 1.0, 2.1,
     "Marshall et al., Cochrane CD000050 (RR 1.6, 1.2-2.1)"},
};

const int validate_n_rows = sizeof validate_rows / sizeof validate_rows[0];

void validate_effect(const struct validate_row *r, const double *ref, const double *treat, long n,
                     struct validate_outcome *out)
{
    struct ci c;

    if (r->kind == VALIDATE_MD_MONTH) {
        ci_paired(ref, 1, treat, 1, (size_t)n, 0.95, &c);
        out->point = c.mean / 1200.0;
        out->lo = c.lo / 1200.0;
        out->hi = c.hi / 1200.0;
    } else {
        /* log(treatment / reference) per replication; the ratio of means is the estimate. */
        double *lr = xcalloc((size_t)n, sizeof *lr), sr = 0, st = 0;
        for (long i = 0; i < n; i++) {
            lr[i] = ref[i] > 0 && treat[i] > 0 ? log(treat[i] / ref[i]) : NAN;
            sr += ref[i];
            st += treat[i];
        }
        ci_t(lr, (size_t)n, 1, 0.95, &c);
        out->point = sr > 0 ? st / sr : NAN;
        out->lo = exp(c.lo);
        out->hi = exp(c.hi);
        free(lr);
    }
    if (r->rule == VALIDATE_INSIDE) {
        out->pass = out->point >= r->lo && out->point <= r->hi;
    } else {
        out->pass = !(out->hi < r->lo);
    }
}
