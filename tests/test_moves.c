/*
 * Moves of a model's highest-ranked clients to another model (coordination.moves[]) and posts
 * that change over time (coordination.posts_plan[]), on small fixtures traced client by client:
 * a move takes exactly the clients asked for, the highest-ranked ones (ties by earlier
 * referral), or fewer when the model moved to has fewer places; a recruitment step lets the
 * waiting list in at its day. Every run passes the conservation audit (scenario_run() fails
 * otherwise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/care_int.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "tests/support.h"

#define MOVES      "tests/fixtures/care/moves.cfg"
#define POSTS_STEP "tests/fixtures/care/posts_step.cfg"

struct rec {
    uint32_t entity;
    int kind, what;
    double t;
};

struct trace {
    struct rec *r;
    size_t n, cap;
};

static void record(void *ctx, enum model_trace_kind kind, uint32_t entity, int what, double t,
                   double value)
{
    struct trace *tr = ctx;
    (void)value;

    if (tr->n == tr->cap) {
        tr->cap = tr->cap ? 2 * tr->cap : 1 << 12;
        tr->r = realloc(tr->r, tr->cap * sizeof *tr->r);
        assert_non_null(tr->r);
    }
    tr->r[tr->n++] = (struct rec){entity, (int)kind, what, t};
}

/* Runs replication 0 of the fixture with the overrides, tracing; returns the warnings' text
 * (freed by the caller). */
static char *run_traced(const char *file, const char *const *sets, struct trace *tr)
{
    struct cfg c;
    char *text = NULL;
    size_t len = 0;

    struct scenario *sc = support_load(&c, file, sets);
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    cfg_print_warnings(&c, out);
    fclose(out);
    double *metrics = calloc((size_t)sc->n_metrics, sizeof *metrics);
    struct model_run run = {.metrics = metrics, .trace = record, .trace_ctx = tr};
    assert_int_equal(scenario_run(sc, 7, 0, &run), 0);
    free(metrics);
    scenario_destroy(sc);
    cfg_fini(&c);
    return text;
}

/* The clients (serials, in the order moved) whose rest of episode was drawn by a move. */
static int moved(const struct trace *tr, uint32_t *out, int cap)
{
    int n = 0;
    for (size_t i = 0; i < tr->n; i++) {
        if (tr->r[i].kind == MODEL_TRACE_DRAW && tr->r[i].what == CARE_DRAW_MOVE_EPISODE) {
            assert_true(tr->r[i].t == 0.0); /* the move's day */
            if (n < cap) {
                out[n] = tr->r[i].entity;
            }
            n++;
        }
    }
    return n;
}

static void check_move(const char *rank_by, int clients, const uint32_t *want, int n_want)
{
    char set[128];
    snprintf(set, sizeof set, "coordination.moves[0].rank_by=\"%s\"", rank_by);
    char set_n[64];
    snprintf(set_n, sizeof set_n, "coordination.moves[0].clients=%d", clients);
    const char *const sets[] = {set, set_n, NULL};
    struct trace tr = {0};
    free(run_traced(MOVES, sets, &tr));
    uint32_t got[16];
    int n = moved(&tr, got, 16);
    printf("  rank_by %s: %d moved:", rank_by, n);
    for (int i = 0; i < n && i < 16; i++) {
        printf(" %u", got[i]);
    }
    printf("\n");
    assert_int_equal(n, n_want);
    for (int i = 0; i < n_want; i++) {
        assert_int_equal(got[i], want[i]);
    }
    free(tr.r);
}

/* moves.csv: prior admissions 3 0 5 1 5 2 0 4 5 1, admissions since referral 0 2 0 1 0 4 0 0 1 0,
 * severities mod high cx mod low high mod cx high mod, clients 3 and 5 deteriorating. */
static void test_move_takes_the_highest_ranked(void **state)
{
    (void)state;
    check_move("prior_admissions", 3, (const uint32_t[]){2, 4, 8}, 3);
    check_move("recent_admissions", 3, (const uint32_t[]){5, 1, 3}, 3);
    check_move("severity", 3, (const uint32_t[]){2, 7, 1}, 3);
    /* Deteriorating first (5: high x 1.5 before 3: moderate x 0.5), then the deterioration rate
     * of the severity times the frailty: 1 (high x 2), then 2 and 7 (complex x 1) tied: 2. */
    check_move("risk", 4, (const uint32_t[]){5, 3, 1, 2}, 4);
}

/* act has 1 post of 10 places at day 0: a move of 12 takes 10 and says so when loaded; with
 * room for all, a move of 20 takes the 10 that standard holds. */
static void test_move_takes_fewer_when_short(void **state)
{
    (void)state;
    struct trace tr = {0};
    const char *const short_of_places[] = {"coordination.moves[0].clients=12", NULL};
    char *warn = run_traced(MOVES, short_of_places, &tr);
    printf("  %s", warn);
    assert_non_null(strstr(warn, "has 10 places at day 0: at most 10 of the 12 clients move"));
    uint32_t got[16];
    assert_int_equal(moved(&tr, got, 16), 10);
    free(warn);
    free(tr.r);

    struct trace tr2 = {0};
    const char *const room[] = {"coordination.moves[0].clients=20",
                                "coordination.posts_plan[0].posts=3", NULL};
    free(run_traced(MOVES, room, &tr2));
    assert_int_equal(moved(&tr2, got, 16), 10);
    free(tr2.r);
}

/* Clients given a coordinator at exactly day t. */
static int coordinated_at(const struct trace *tr, double t)
{
    int n = 0;
    for (size_t i = 0; i < tr->n; i++) {
        n += tr->r[i].kind == MODEL_TRACE_STAGE && tr->r[i].what == STAGE_COORDINATED &&
             tr->r[i].t == t;
    }
    return n;
}

/* One post fills within weeks and a waiting list forms; nine more at day 50 take clients from
 * the list at once. Without the step nobody starts at day 50 exactly. */
static void test_recruitment_step_takes_the_waiting_list(void **state)
{
    (void)state;
    struct trace a = {0}, b = {0};
    const char *const no_step[] = {"coordination.posts_plan[0].posts=1", NULL};
    free(run_traced(POSTS_STEP, no_step, &a));
    free(run_traced(POSTS_STEP, NULL, &b));
    int before = coordinated_at(&a, 50.0), after = coordinated_at(&b, 50.0);
    printf("  coordinated at day 50: %d without the step, %d with it\n", before, after);
    assert_int_equal(before, 0);
    assert_true(after >= 20);
    free(a.r);
    free(b.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_move_takes_the_highest_ranked),
        cmocka_unit_test(test_move_takes_fewer_when_short),
        cmocka_unit_test(test_recruitment_step_takes_the_waiting_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
