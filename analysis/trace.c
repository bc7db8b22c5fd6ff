/* trace — the journeys of one replication as trace.csv (see trace.h). */
#include "analysis/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/csv.h"
#include "sim/xalloc.h"

/* The first allocation, in events; the buffer doubles from there up to the limit. */
#define TRACE_FIRST_CAP 65536

void trace_init(struct trace *t, long replication, size_t limit)
{
    *t = (struct trace){.replication = replication, .limit = limit > 0 ? limit : 1};
}

void trace_fini(struct trace *t)
{
    free(t->ev);
    t->ev = NULL;
    t->n = t->cap = 0;
}

void trace_record(void *ctx, const struct model_event *e)
{
    struct trace *t = ctx;

    if (t->n == t->limit) {
        if (t->n_dropped++ == 0) {
            t->t_dropped = e->t;
        }
        return;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : TRACE_FIRST_CAP;
        t->cap = cap < t->limit ? cap : t->limit;
        t->ev = xreallocarray(t->ev, t->cap, sizeof *t->ev);
    }
    t->ev[t->n++] = *e;
}

/* The names of one field's codes, -1 (none) to 126, looked up once: names[code + 1]. */
struct names {
    const char *name[128];
};

static void names_fill(struct names *nm, const struct scenario *sc, enum model_journey_field f)
{
    nm->name[0] = "";
    for (int i = 0; i < 127; i++) {
        const char *s = sc->ops->journey_name ? sc->ops->journey_name(sc->params, f, i) : NULL;
        nm->name[i + 1] = s ? s : "";
    }
}

static const char *name_of(const struct names *nm, int code)
{
    return code >= -1 && code < 127 ? nm->name[code + 1] : "";
}

int trace_write(const char *path, const struct scenario *sc, const struct trace *t)
{
    struct names stage, model, service;
    FILE *f = fopen(path, "w");

    if (!f) {
        return -errno;
    }
    char *buf = xmalloc(1u << 20); /* a million rows make some 60 MB: write them in large blocks */
    setvbuf(f, buf, _IOFBF, 1u << 20);
    /* Event codes run to 255: the table covers those the model names. */
    const char *event_name[256];
    for (int i = 0; i < 256; i++) {
        const char *s = sc->ops->journey_name
                            ? sc->ops->journey_name(sc->params, MODEL_JOURNEY_EVENT, i)
                            : NULL;
        event_name[i] = s ? s : "";
    }
    names_fill(&stage, sc, MODEL_JOURNEY_STAGE);
    names_fill(&model, sc, MODEL_JOURNEY_MODEL);
    names_fill(&service, sc, MODEL_JOURNEY_SERVICE);
    fputs("replication,time_days,client,event,stage,model,service\n", f);
    for (size_t i = 0; i < t->n; i++) {
        const struct model_event *e = &t->ev[i];
        fprintf(f, "%ld,", t->replication);
        csv_number(f, e->t);
        fprintf(f, ",%lu,", (unsigned long)e->entity);
        csv_field(f, event_name[e->event]);
        fputc(',', f);
        csv_field(f, name_of(&stage, e->stage));
        fputc(',', f);
        csv_field(f, name_of(&model, e->model));
        fputc(',', f);
        csv_field(f, name_of(&service, e->service));
        fputc('\n', f);
    }
    if (t->n_dropped > 0) {
        fprintf(f, "%ld,", t->replication);
        csv_number(f, t->t_dropped);
        fputs(",,truncated,,,\n", f);
    }
    int bad = ferror(f);
    int rc = fclose(f) != 0 || bad ? (errno ? -errno : -EIO) : 0;
    free(buf);
    return rc;
}

bool trace_truncation(const struct trace *t, const char *name, char *buf, size_t n)
{
    if (t->n_dropped == 0) {
        return false;
    }
    snprintf(buf, n,
             "%s is truncated: it holds the first %zu events of replication %ld, to day %.1f; "
             "%llu more from day %.1f on are not in it (its last row says 'truncated'); raise "
             "--trace-rows or trace a shorter run",
             name, t->n, t->replication, t->n ? t->ev[t->n - 1].t : t->t_dropped,
             (unsigned long long)t->n_dropped, t->t_dropped);
    return true;
}
