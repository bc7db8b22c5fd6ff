/*
 * The scenario catalogue: the question read from a scenario's opening comment (its own
 * paragraph or inside the first, bracketed and quoted forms, the first sentence when none is
 * stated, cut when too long), and the listing and lookup of a folder of scenarios.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/catalog.h"

static void test_question_paragraph(void **state)
{
    (void)state;
    char q[256];
    const char *text = "# Fewer beds.\n"
                       "#\n"
                       "# Question: what happens to ED boarding\n"
                       "#   and bed-days if two beds close? Everything else\n"
                       "# is unchanged.\n"
                       "#\n"
                       "# Question: a second one?\n"
                       "base = \"baseline.cfg\";\n"
                       "# Question: not in the opening comment?\n";
    assert_true(catalog_question(text, q, sizeof q));
    assert_string_equal(q, "What happens to ED boarding and bed-days if two beds close?");
}

static void test_question_inside_first_paragraph(void **state)
{
    (void)state;
    char q[256];
    assert_true(catalog_question("# M/M/1 at 0.7.\n# Question: does it match? Exact: 2.33.\n"
                                 "model = \"network\";\n",
                                 q, sizeof q));
    assert_string_equal(q, "Does it match?");
}

static void test_question_bracketed_and_quoted(void **state)
{
    (void)state;
    char q[256];
    assert_true(catalog_question("# Move 150 clients.\n#\n# Question (as planners ask it): \"If "
                                 "we move them,\n# what is averted?\"\n#\n# More.\n",
                                 q, sizeof q));
    assert_string_equal(q, "If we move them, what is averted?");
    /* A question that ends in a quote inside a bracket keeps both. */
    assert_true(catalog_question("# Question: with 20 posts, what happens (as planners ask: "
                                 "\"which limit?\")\n# Sweep it.\n",
                                 q, sizeof q));
    assert_string_equal(q, "With 20 posts, what happens (as planners ask: \"which limit?\")");
}

static void test_no_question_first_sentence(void **state)
{
    (void)state;
    char q[256];
    assert_false(catalog_question("# Trial arm: the act preset (Smith et al. 2005) at\n"
                                  "# enrolment. The rest as usual.\nbase = \"x.cfg\";\n",
                                  q, sizeof q));
    assert_string_equal(q, "Trial arm: the act preset (Smith et al. 2005) at enrolment.");
    assert_false(catalog_question("model = \"care\";\n# Question: too late?\n", q, sizeof q));
    assert_string_equal(q, "");
    assert_false(catalog_question("", q, sizeof q));
    assert_string_equal(q, "");
}

static void test_long_question_cut(void **state)
{
    (void)state;
    char text[4096] = "# Question: ";
    for (int i = 0; i < 300; i++) {
        strcat(text, "word ");
    }
    strcat(text, "end?\n");
    char q[64];
    assert_true(catalog_question(text, q, sizeof q));
    assert_int_equal(strlen(q), sizeof q - 1);
    assert_string_equal(q + strlen(q) - 3, "...");
    assert_int_equal(strncmp(q, "Word word", 9), 0);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_list_and_find(void **state)
{
    (void)state;
    char root[] = "/tmp/ccsim-test-catalog-XXXXXX";
    char p[512], found[512], err[512];
    assert_non_null(mkdtemp(root));
    snprintf(p, sizeof p, "%s/care", root);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/.hidden", root);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/care/b.cfg", root);
    put(p, "# Question: b?\n");
    snprintf(p, sizeof p, "%s/care/a.cfg", root);
    put(p, "# Question: a?\n");
    snprintf(p, sizeof p, "%s/care/state.csv", root);
    put(p, "not a scenario\n");
    snprintf(p, sizeof p, "%s/top.cfg", root);
    put(p, "# The top one.\n");
    snprintf(p, sizeof p, "%s/.hidden/h.cfg", root);
    put(p, "# Hidden.\n");

    struct catalog c;
    assert_int_equal(catalog_list(root, &c, err, sizeof err), 0);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.entries[0].name, "top"); /* folder "" sorts first */
    assert_string_equal(c.entries[0].folder, "");
    assert_false(c.entries[0].is_question);
    assert_string_equal(c.entries[1].name, "care/a");
    assert_string_equal(c.entries[1].folder, "care");
    assert_string_equal(c.entries[1].question, "A?");
    assert_string_equal(c.entries[2].name, "care/b");
    catalog_fini(&c);

    snprintf(p, sizeof p, "%s/care/a.cfg", root);
    assert_true(catalog_find(root, "care/a", found, sizeof found));
    assert_string_equal(found, p);
    assert_true(catalog_find(root, "care/a.cfg", found, sizeof found));
    assert_string_equal(found, p);
    assert_false(catalog_find(root, "care/c", found, sizeof found));
    assert_false(catalog_find(root, "care", found, sizeof found)); /* a folder is no scenario */

    snprintf(p, sizeof p, "%s/nowhere", root);
    assert_int_not_equal(catalog_list(p, &c, err, sizeof err), 0);
    assert_non_null(strstr(err, "nowhere"));

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_question_paragraph),
        cmocka_unit_test(test_question_inside_first_paragraph),
        cmocka_unit_test(test_question_bracketed_and_quoted),
        cmocka_unit_test(test_no_question_first_sentence),
        cmocka_unit_test(test_long_question_cut),
        cmocka_unit_test(test_list_and_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
