/*
 * care_snapshot — starting a run from a current caseload and waiting lists.
 *
 * Community services never start empty. `initial = { snapshot = "caseload.csv"; };` names a CSV
 * file (relative to the scenario that names it) with the header
 *
 *     stage,severity,needs,days,model
 *
 * and one row per client present at day 0: stage is waiting_assessment, waiting_coordination or
 * coordinated; severity is low, moderate, high or complex; needs is a list of need names
 * separated by '|' (empty for none); days is the time already spent in that stage (a wait so
 * far, or the part of the episode already past); model is the coordination model (empty: the
 * model triage would choose, or signposted if none accepts the client). Every problem is reported
 * as file:line: column: what is wrong (what is allowed).
 *
 * The snapshot's clients are clients 0..n-1 of every replication, with their own substreams
 * like any other, so scenarios compared on the same snapshot start with the same people; the
 * referral process numbers new clients from n. A coordinated client takes a slot in its model
 * (or waits for one, if the snapshot holds more than the model's slots); its episode is drawn
 * as usual and shortened by the days already past (at least one day remains).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

struct initial_row {
    const char *snapshot; /* file name as written, borrowed from the tree */
};

static const struct cfg_key initial_keys[] = {
    {.name = "snapshot",
     .type = CFG_STRING,
     .help = "CSV of the clients present at day 0: stage,severity,needs,days,model (see "
             "docs/model.md)",
     CFG_TARGET_STRING(struct initial_row, snapshot)},
};

const struct cfg_table care_initial_table = {
    .path = "initial",
    .help = "the state of the service at day 0 (default: empty)",
    .keys = initial_keys,
    .n_keys = 1,
};

static const char *const stage_names[] = {"waiting_assessment", "waiting_coordination",
                                          "coordinated", NULL};
static const enum care_stage stage_of[] = {STAGE_WAIT_ASSESS, STAGE_WAIT_COORD, STAGE_COORDINATED};

/* Splits line into at most max fields at commas (no quoting); returns the count. */
static int split_csv(char *line, char **field, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        field[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma) {
            break;
        }
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' ')) {
        s[--n] = '\0';
    }
    size_t k = strspn(s, " ");
    memmove(s, s + k, n - k + 1);
}

static int lookup(const char *const *names, const char *s)
{
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], s) == 0) {
            return i;
        }
    }
    return -1;
}

bool care_snapshot_load(struct cfg *c, const config_setting_t *root, struct care_params *p)
{
    static const struct cfg_key group_key = {.name = "initial", .type = CFG_GROUP};
    const config_setting_t *g;
    struct initial_row row = {0};
    char path[4096], line[4096];

    bool ok = cfg_read_group(c, root, &group_key, &care_initial_table, &row, &g);
    if (!g || !row.snapshot) {
        return ok;
    }
    const char *name = row.snapshot;
    const config_setting_t *s = config_setting_get_member(g, "snapshot");
    cfg_resolve_path(c, s, name, path, sizeof path);
    struct stat fst;
    const char *why = NULL;
    if (stat(path, &fst) != 0) {
        why = strerror(errno);
    } else if (!S_ISREG(fst.st_mode)) {
        why = "not a regular file";
    } else if (fst.st_size > CFG_MAX_FILE_SIZE) {
        why = "too large";
    }
    FILE *f = why ? NULL : fopen(path, "r");
    if (!f) {
        cfg_error(c, s, "cannot read %s: %s (a CSV file, relative to this scenario)", path,
                  why ? why : strerror(errno));
        return false;
    }
    /* The resolved scenario must find the file from wherever it is written: keep the file's
     * full name in the tree. */
    char full[PATH_MAX];
    if (realpath(path, full)) {
        config_setting_set_string((config_setting_t *)s, full);
    }
    int lineno = 0, n_bad = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        trim(line);
        if (lineno == 1) {
            if (strcmp(line, "stage,severity,needs,days,model") != 0) {
                diag_add(&c->diag, path, 1, NULL,
                         "the header is not stage,severity,needs,days,model");
                n_bad++;
                break;
            }
            continue;
        }
        if (line[0] == '\0' || line[0] == '#') {
            continue;
        }
        char *field[6];
        int nf = split_csv(line, field, 6);
        if (nf != 5) {
            diag_add(&c->diag, path, lineno, NULL,
                     "%d fields (five: stage,severity,needs,days,model)", nf);
            n_bad++;
            continue;
        }
        for (int k = 0; k < 5; k++) {
            trim(field[k]);
        }
        struct care_initial rec = {0};
        int st = lookup(stage_names, field[0]);
        int sev = lookup(care_severity_names, field[1]);
        if (st < 0) {
            diag_add(&c->diag, path, lineno, "stage",
                     "\"%s\" is not a stage (waiting_assessment, waiting_coordination, "
                     "coordinated)",
                     field[0]);
            n_bad++;
        }
        if (sev < 0) {
            diag_add(&c->diag, path, lineno, "severity",
                     "\"%s\" is not a severity (low, moderate, high, complex)", field[1]);
            n_bad++;
        }
        for (char *save = NULL, *t = strtok_r(field[2], "|", &save); t;
             t = strtok_r(NULL, "|", &save)) {
            trim(t);
            int found = -1;
            for (int i = 0; i < p->n_needs; i++) {
                if (strcmp(p->need[i].name, t) == 0) {
                    found = i;
                }
            }
            if (found < 0) {
                char list[512] = "";
                size_t len = 0;
                for (int i = 0; i < p->n_needs && len < sizeof list; i++) {
                    int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                     p->need[i].name);
                    len += w > 0 ? (size_t)w : 0;
                }
                diag_add(&c->diag, path, lineno, "needs", "\"%s\" is not a need (%s)", t, list);
                n_bad++;
            } else {
                rec.needs |= (uint16_t)(1u << found);
            }
        }
        char *end;
        rec.days = strtod(field[3], &end);
        if (end == field[3] || *end != '\0' || !(rec.days >= 0) || !isfinite(rec.days)) {
            diag_add(&c->diag, path, lineno, "days", "\"%s\" is not a number of days (real >= 0)",
                     field[3]);
            n_bad++;
        }
        rec.model = -1;
        if (field[4][0]) {
            for (int i = 0; i < p->n_models; i++) {
                if (strcmp(p->model[i].name, field[4]) == 0) {
                    rec.model = i;
                }
            }
            if (rec.model < 0) {
                char list[512] = "";
                size_t len = 0;
                for (int i = 0; i < p->n_models && len < sizeof list; i++) {
                    int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                     p->model[i].name);
                    len += w > 0 ? (size_t)w : 0;
                }
                diag_add(&c->diag, path, lineno, "model",
                         "\"%s\" is not a coordination model (%s, or empty for the front door)",
                         field[4], list);
                n_bad++;
            }
        }
        if (n_bad >= DIAG_MAX) {
            break;
        }
        if (st >= 0 && sev >= 0) {
            rec.stage = (int)stage_of[st];
            rec.severity = (uint8_t)sev;
            p->initial = xreallocarray(p->initial, (size_t)p->n_initial + 1, sizeof *p->initial);
            p->initial[p->n_initial++] = rec;
        }
    }
    if (ferror(f)) {
        diag_add(&c->diag, path, lineno, NULL, "read error");
        n_bad++;
    }
    fclose(f);
    if (lineno == 0) {
        diag_add(&c->diag, path, 1, NULL, "empty file (a header stage,severity,needs,days,model)");
        n_bad++;
    }
    return ok && n_bad == 0;
}

void care_snapshot_start(struct care_run *run)
{
    const struct care_params *p = run->p;

    for (int i = 0; i < p->n_initial; i++) {
        const struct care_initial *rec = &p->initial[i];
        uint32_t id = care_new_client(run);
        struct care_client *c = &run->cl[id];
        c->severity = rec->severity;
        c->needs = rec->needs;
        /* A row without a model is triaged like a referral: the front door's eligibility and
         * fallbacks; a client no model accepts is signposted. */
        int m = rec->model >= 0 ? rec->model : care_choose_model(run, c);
        if (m == CARE_SIGNPOST) {
            c->t_referred = -rec->days;
            care_triage(run, id);
            care_risk_redraw(run, id);
            continue;
        }
        c->model = (int8_t)m;
        switch (rec->stage) {
        case STAGE_WAIT_ASSESS:
            c->t_referred = -rec->days;
            care_enter_assessment_wait(run, id);
            break;
        case STAGE_WAIT_COORD:
            c->t_referred = -rec->days;
            care_enter_coordination_wait(run, id, -rec->days);
            break;
        default:
            c->t_referred = -rec->days;
            care_enter_coordination(run, id, rec->days);
            break;
        }
        care_risk_redraw(run, id);
    }
}
