/*
 * Key declarations: every default a key declares is one its own validation accepts, so that a
 * resolved scenario (which writes every default out) always loads again; choice defaults are
 * among the choices; names are unique within a table. (A number whose default is derived from
 * other keys declares the derivation as text and is filled in by the code.)
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "models/model.h"
#include "support.h"

static int checked;

static void check_table(const struct cfg_table *t)
{
    for (size_t i = 0; i < t->n_keys; i++) {
        const struct cfg_key *k = &t->keys[i];
        for (size_t j = 0; j < i; j++) {
            if (strcmp(k->name, t->keys[j].name) == 0) {
                fail_msg("%s: key %s declared twice", t->path, k->name);
            }
        }
        assert_non_null(k->help);
        if (cfg_key_has_plausible(k) && (k->plausible_lo < k->lo || k->plausible_hi > k->hi)) {
            fail_msg("%s.%s: plausible range %g..%g outside the allowed %g..%g", t->path, k->name,
                     k->plausible_lo, k->plausible_hi, k->lo, k->hi);
        }
        if (k->is_required) {
            continue;
        }
        checked++;
        if ((k->type == CFG_REAL || k->type == CFG_INT) && !k->def_str) {
            bool lo_ok = k->flags & CFG_LO_OPEN ? k->def > k->lo : k->def >= k->lo;
            bool hi_ok = k->flags & CFG_HI_OPEN ? k->def < k->hi : k->def <= k->hi;
            if (!lo_ok || !hi_ok || isnan(k->def)) {
                fail_msg("%s.%s: default %g is outside its range", t->path, k->name, k->def);
            }
            if (k->type == CFG_INT && k->def != floor(k->def)) {
                fail_msg("%s.%s: integer default %g", t->path, k->name, k->def);
            }
        }
        if (k->type == CFG_CHOICE && k->def_str) {
            bool found = false;
            for (int c = 0; k->choices[c]; c++) {
                found |= strcmp(k->choices[c], k->def_str) == 0;
            }
            if (!found) {
                fail_msg("%s.%s: default \"%s\" is not a choice", t->path, k->name, k->def_str);
            }
        }
    }
}

static void test_defaults_are_valid(void **state)
{
    (void)state;
    checked = 0;
    check_table(&scenario_table);
    for (int m = 0; model_registry[m]; m++) {
        for (int t = 0; model_registry[m]->tables[t]; t++) {
            check_table(model_registry[m]->tables[t]);
        }
    }
    for (int t = 0; shared_tables[t]; t++) {
        check_table(shared_tables[t]);
    }
    printf("  %d optional keys checked\n", checked);
    assert_true(checked > 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
