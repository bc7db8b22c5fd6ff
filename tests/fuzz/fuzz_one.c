/*
 * fuzz_one — see fuzz_one.h. Compiled into the libFuzzer binary (make fuzz-build) and, through
 * #include "fuzz/fuzz_one.c", into the cmocka replay tests/test_fuzz_regressions.c.
 */
#include "tests/fuzz/fuzz_one.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"
#include "sim/cfg.h"
#include "sim/fail.h"

/* A round-trip failure: says what differs, shows the resolved text, aborts (a crash to libFuzzer
 * and to cmocka). */
static _Noreturn void fuzz_fail(const struct cfg *c, const char *resolved, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static _Noreturn void fuzz_fail(const struct cfg *c, const char *resolved, const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "fuzz_one: round trip failed: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (c) {
        diag_print(&c->diag, stderr);
    }
    if (resolved) {
        fprintf(stderr, "---- resolved text ----\n%s---- end ----\n", resolved);
    }
    abort();
}

/* The first occurrence of the n bytes of word in p..end, or NULL (memmem is not POSIX). */
static const char *find_bytes(const char *p, const char *end, const char *word, size_t n)
{
    for (; p && (size_t)(end - p) >= n; p++) {
        p = memchr(p, word[0], (size_t)(end - p) - n + 1);
        if (!p || memcmp(p, word, n) == 0) {
            return p;
        }
    }
    return NULL;
}

/* Whether every "@include" in the size bytes of text names a plain file under
 * FUZZ_INCLUDE_DIR. Stricter than the loader, which follows @include only at the start of a
 * line: any occurrence counts, after a NUL byte too (the whole input is checked, as the whole
 * input is loaded). */
static bool includes_safe(const char *text, size_t size)
{
    const size_t dir_len = strlen(FUZZ_INCLUDE_DIR);
    const char *end = text + size;

    for (const char *p = text; (p = find_bytes(p, end, "@include", 8)) != NULL;) {
        p += strlen("@include");
        while (p < end && (*p == ' ' || *p == '\t')) {
            p++;
        }
        if (p >= end || *p != '"') {
            return false;
        }
        const char *name = p + 1;
        const char *close = memchr(name, '"', (size_t)(end - name));
        if (!close) {
            return false;
        }
        size_t n = (size_t)(close - name);
        if (n <= dir_len || strncmp(name, FUZZ_INCLUDE_DIR, dir_len) != 0) {
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)name[i];
            if (!(isalnum(ch) || ch == '_' || ch == '-' || ch == '.' || ch == '/')) {
                return false; /* no escapes, so libconfig reads the name the check read */
            }
            if (ch == '.' && i + 1 < n && name[i + 1] == '.') {
                return false;
            }
        }
        p = close + 1;
    }
    return true;
}

/* Applies the "#set KEY=VALUE" lines of text; returns how many. */
static int apply_sets(struct cfg *c, const char *text)
{
    int n = 0;

    for (const char *p = text; *p && n < FUZZ_MAX_SETS;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > 5 && strncmp(p, "#set ", 5) == 0) {
            char assignment[1024];
            size_t alen = len - 5;
            if (alen > 0 && p[5 + alen - 1] == '\r') {
                alen--;
            }
            if (alen < sizeof assignment) {
                memcpy(assignment, p + 5, alen);
                assignment[alen] = '\0';
                (void)cfg_set(c, assignment); /* problems go to the cfg's diagnostics */
                n++;
            }
        }
        if (!eol) {
            break;
        }
        p = eol + 1;
    }
    return n;
}

/* The visited settings of a tree, one "path = value" string each. */
struct walk_list {
    char **items;
    size_t n, cap;
    char *buf; /* for cfg_format_value */
    size_t buf_size;
};

static void visit(void *ctx, const config_setting_t *s, const char *path,
                  const struct cfg_origin *origin)
{
    struct walk_list *w = ctx;

    (void)origin;
    cfg_format_value(s, w->buf, w->buf_size);
    size_t n = strlen(path) + strlen(w->buf) + 4;
    char *item = malloc(n);
    if (!item) {
        abort();
    }
    snprintf(item, n, "%s = %s", path, w->buf);
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        char **items = realloc(w->items, w->cap * sizeof *items);
        if (!items) {
            abort();
        }
        w->items = items;
    }
    w->items[w->n++] = item;
}

static void walk_list_fill(struct walk_list *w, const struct cfg *c)
{
    /* Strings come from an input of at most FUZZ_MAX_INPUT bytes; escaped, each byte takes at
     * most 4 characters. */
    w->items = NULL;
    w->n = w->cap = 0;
    w->buf_size = 4 * (size_t)FUZZ_MAX_INPUT + 16;
    w->buf = malloc(w->buf_size);
    if (!w->buf) {
        abort();
    }
    cfg_walk(c, visit, w);
}

static void walk_list_fini(struct walk_list *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->items[i]);
    }
    free(w->items);
    free(w->buf);
}

/* Writes c's resolved tree, loads the text again and checks that it reads back to the same
 * values and the same scenario as sc. */
static void check_round_trip(struct cfg *c, const struct scenario *sc)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f) {
        fuzz_fail(NULL, NULL, "open_memstream failed");
    }
    int rc = cfg_write(c, f, "resolved by the fuzz harness\nsecond header line");
    if (fclose(f) != 0 || rc != 0) {
        fuzz_fail(c, text, "cfg_write returned %d", rc);
    }

    struct cfg c2;
    cfg_init(&c2);
    bool parsed = cfg_load_string(&c2, "fuzz.resolved.cfg", text);
    struct scenario *sc2 = parsed ? scenario_load(&c2) : NULL;
    if (!sc2 || cfg_n_problems(&c2) > 0) {
        fuzz_fail(&c2, text, "the resolved file does not load (%s)",
                  parsed ? "scenario_load" : "cfg_load_string");
    }

    struct walk_list a, b;
    walk_list_fill(&a, c);
    walk_list_fill(&b, &c2);
    for (size_t i = 0; i < a.n || i < b.n; i++) {
        const char *x = i < a.n ? a.items[i] : "(nothing)";
        const char *y = i < b.n ? b.items[i] : "(nothing)";
        if (strcmp(x, y) != 0) {
            fuzz_fail(NULL, text, "setting %zu: loaded %s, reloaded %s", i, x, y);
        }
    }
    walk_list_fini(&a);
    walk_list_fini(&b);

    /* Same scenario: shared keys and metric names. (Compared through memcmp: NaN cannot
     * occur, and -0.0 must stay -0.0.) */
    if (memcmp(&sc->horizon, &sc2->horizon, sizeof sc->horizon) != 0 ||
        memcmp(&sc->warmup, &sc2->warmup, sizeof sc->warmup) != 0 ||
        sc->replications != sc2->replications || sc->seed != sc2->seed || sc->ops != sc2->ops ||
        sc->n_metrics != sc2->n_metrics) {
        fuzz_fail(NULL, text,
                  "scenario differs: horizon %.17g/%.17g warmup %.17g/%.17g replications "
                  "%ld/%ld seed %llu/%llu metrics %d/%d",
                  sc->horizon, sc2->horizon, sc->warmup, sc2->warmup, sc->replications,
                  sc2->replications, (unsigned long long)sc->seed, (unsigned long long)sc2->seed,
                  sc->n_metrics, sc2->n_metrics);
    }
    for (int i = 0; i < sc->n_metrics; i++) {
        if (strcmp(scenario_metric_name(sc, i), scenario_metric_name(sc2, i)) != 0) {
            fuzz_fail(NULL, text, "metric %d: %s, reloaded %s", i, scenario_metric_name(sc, i),
                      scenario_metric_name(sc2, i));
        }
    }

    scenario_destroy(sc2);
    cfg_fini(&c2);
    free(text);
}

/* Loads the size bytes of text (already checked; NUL bytes and all) and, when the scenario
 * loads, checks its round trip. */
static void run_text(const char *text, size_t size, struct fuzz_result *res)
{
    struct cfg c;

    sim_fail_install_gsl_handler(); /* as the command line does: a GSL error is a bug */
    cfg_init(&c);
    res->parsed = cfg_load_text(&c, "fuzz.cfg", text, size);
    if (res->parsed) {
        res->n_sets = apply_sets(&c, text);
        struct scenario *sc = scenario_load(&c);
        if (sc) {
            res->loaded = true;
            check_round_trip(&c, sc);
            res->round_tripped = true;
        }
        scenario_destroy(sc);
    }
    cfg_fini(&c);
}

int fuzz_one_ex(const uint8_t *data, size_t size, struct fuzz_result *out)
{
    struct fuzz_result res = {0};

    if (size > FUZZ_MAX_INPUT) {
        res.skipped = true;
    } else {
        char *text = malloc(size + 1);
        if (!text) {
            abort();
        }
        if (size > 0) {
            memcpy(text, data, size);
        }
        text[size] = '\0';
        if (includes_safe(text, size)) {
            run_text(text, size, &res);
        } else {
            res.skipped = true;
        }
        free(text);
    }
    if (out) {
        *out = res;
    }
    return res.skipped ? -1 : 0;
}

int fuzz_one(const uint8_t *data, size_t size)
{
    return fuzz_one_ex(data, size, NULL);
}

void fuzz_check_file(const char *path, struct fuzz_result *out)
{
    struct fuzz_result res = {0};
    struct cfg c;

    sim_fail_install_gsl_handler();
    cfg_init(&c);
    res.parsed = cfg_load_file(&c, path);
    struct scenario *sc = res.parsed ? scenario_load(&c) : NULL;
    if (sc) {
        res.loaded = true;
        check_round_trip(&c, sc);
        res.round_tripped = true;
    } else {
        diag_print(&c.diag, stderr);
    }
    scenario_destroy(sc);
    cfg_fini(&c);
    *out = res;
}
