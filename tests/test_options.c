/*
 * Unit tests of cli/options and the option tables of cli/tables.c: the parser and the --help
 * text are made from one table per command, so here every option of every command must appear
 * in that command's help (with its range when it has one), every option must be accepted in its
 * spellings and fill its field, and a value out of range must give the range message.
 *
 * The two cli files are compiled into this test directly (the cli objects are not part of
 * libccsim).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "cli/options.c"
#include "cli/tables.c"

/* The help of cmd as a string (caller frees). */
static char *help_of(const struct command *cmd)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    options_help(cmd, f);
    fclose(f);
    return buf;
}

/* Reads the words given (after "ccsim CMD"), stderr caught into err: with check_all, through
 * options_parse() and its checks across options; otherwise each argument alone (options_read). */
static int parse_as(const struct command *cmd, struct run_opts *o, char *err, size_t err_len, int n,
                    const char *const *words, bool check_all)
{
    char *argv[32];
    const char *operands[MAX_SCENARIOS];
    int n_operands = 0;

    assert_true(n + 2 <= 32);
    argv[0] = (char *)"ccsim";
    argv[1] = (char *)cmd->name;
    for (int i = 0; i < n; i++) {
        argv[i + 2] = (char *)words[i];
    }
    fflush(stderr);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(fileno(stderr));
    dup2(fileno(tmp), fileno(stderr));
    int rc = check_all ? options_parse(cmd, n + 2, argv, o, operands, &n_operands)
                       : options_read(cmd, n + 2, argv, o, operands, &n_operands, NULL);
    fflush(stderr);
    dup2(saved, fileno(stderr));
    close(saved);
    rewind(tmp);
    size_t got = fread(err, 1, err_len - 1, tmp);
    err[got] = '\0';
    fclose(tmp);
    return rc;
}

static int parse_words(const struct command *cmd, struct run_opts *o, char *err, size_t err_len,
                       int n, const char *const *words)
{
    return parse_as(cmd, o, err, err_len, n, words, false);
}

static int parse_all(const struct command *cmd, struct run_opts *o, char *err, size_t err_len,
                     int n, const char *const *words)
{
    return parse_as(cmd, o, err, err_len, n, words, true);
}

static void test_options_every_option_is_in_its_help(void **state)
{
    (void)state;
    char want[256];
    for (int c = 0; c < n_cmd_specs; c++) {
        const struct command *cmd = cmd_specs[c];
        char *help = help_of(cmd);
        snprintf(want, sizeof want, "usage: ccsim %s", cmd->name);
        assert_non_null(strstr(help, want));
        assert_non_null(strstr(help, "-h, --help"));
        assert_non_null(strstr(help, cmd->about[0] ? "options:" : ""));
        for (int k = 0; k < cmd->n_opts; k++) {
            const struct opt *p = &cmd->opts[k];
            if (p->shrt[0]) {
                snprintf(want, sizeof want, "%s, %s", p->shrt, p->lng);
            } else {
                snprintf(want, sizeof want, "    %s", p->lng);
            }
            if (!strstr(help, want)) {
                fail_msg("ccsim %s --help lacks '%s'", cmd->name, want);
            }
            if (p->kind == OPT_COUNT && p->has_dflt) {
                snprintf(want, sizeof want, "(integer %lld..%lld; %lld unless given)", p->lo, p->hi,
                         p->dflt);
                if (!strstr(help, want)) {
                    fail_msg("ccsim %s --help lacks the range and default of %s", cmd->name,
                             p->lng);
                }
            } else if (p->kind == OPT_TEXT && p->dflt_text) {
                snprintf(want, sizeof want, "(%s unless given)", p->dflt_text);
                assert_non_null(strstr(help, want));
            } else if (p->kind == OPT_COUNT) {
                snprintf(want, sizeof want, "(integer %lld..%lld)", p->lo, p->hi);
                if (!strstr(help, want)) {
                    fail_msg("ccsim %s --help lacks the range of %s", cmd->name, p->lng);
                }
            }
            assert_non_null(p->help);
        }
        free(help);
    }
}

static void test_options_every_command_is_in_the_main_help(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    char want[64];
    FILE *f = open_memstream(&buf, &len);
    options_help_main(cmd_specs, n_cmd_specs, f);
    fclose(f);
    for (int c = 0; c < n_cmd_specs; c++) {
        snprintf(want, sizeof want, "\n  %s ", cmd_specs[c]->name);
        assert_non_null(strstr(buf, want));
    }
    free(buf);
}

/* Each option, given a valid value in each of its spellings, is accepted and fills its field. */
static void test_options_every_option_fills_its_field(void **state)
{
    (void)state;
    char err[1024], joined[256], value[64];
    for (int c = 0; c < n_cmd_specs; c++) {
        const struct command *cmd = cmd_specs[c];
        for (int k = 0; k < cmd->n_opts; k++) {
            const struct opt *p = &cmd->opts[k];
            for (int form = 0; form < 4; form++) {
                struct run_opts o = {0};
                const char *words[2];
                int n = 1;
                switch (p->kind) {
                case OPT_FLAG:
                    snprintf(value, sizeof value, "%s", "");
                    break;
                case OPT_COUNT:
                case OPT_OPTIONAL:
                    snprintf(value, sizeof value, "%lld", p->lo + (p->kind == OPT_OPTIONAL));
                    break;
                case OPT_FRACTION:
                    snprintf(value, sizeof value, "0.25");
                    break;
                case OPT_WORD:
                    snprintf(value, sizeof value, "%s", p->word);
                    break;
                default:
                    snprintf(value, sizeof value, "x=1");
                    break;
                }
                const char *name = form % 2 == 0 || !p->shrt[0] ? p->lng : p->shrt;
                if (p->kind == OPT_FLAG) {
                    words[0] = name;
                } else if (form < 2) {
                    words[0] = name;
                    words[1] = value;
                    n = 2;
                } else {
                    snprintf(joined, sizeof joined, "%s%s%s", name, name == p->lng ? "=" : "",
                             value);
                    words[0] = joined;
                }
                int rc = parse_words(cmd, &o, err, sizeof err, n, words);
                if (rc != 0) {
                    fail_msg("ccsim %s %s %s: %d (%s)", cmd->name, words[0], n > 1 ? words[1] : "",
                             rc, err);
                }
                char *f = (char *)&o + p->off;
                switch (p->kind) {
                case OPT_FLAG:
                case OPT_WORD:
                    assert_true(*(bool *)f);
                    break;
                case OPT_TEXT:
                    assert_string_equal(*(const char **)f, value);
                    break;
                case OPT_LIST:
                    assert_int_equal(*(int *)((char *)&o + p->n_off), 1);
                    assert_string_equal(((const char **)f)[0], value);
                    break;
                case OPT_COUNT:
                    assert_true(*(long long *)f == p->lo);
                    break;
                case OPT_OPTIONAL: /* not its value when alone: the one given was read */
                    assert_true(*(long long *)f == p->lo + 1 && p->lo + 1 != p->dflt);
                    break;
                case OPT_FRACTION:
                    assert_true(*(double *)f == 0.25);
                    break;
                }
            }
        }
    }
}

/* A value beyond the range of any counted option gives the range message, naming the option
 * by its short name when it has one. */
static void test_options_out_of_range_gives_the_range_message(void **state)
{
    (void)state;
    char err[1024], value[64], want[256];
    int n_checked = 0;
    for (int c = 0; c < n_cmd_specs; c++) {
        const struct command *cmd = cmd_specs[c];
        for (int k = 0; k < cmd->n_opts; k++) {
            const struct opt *p = &cmd->opts[k];
            if (p->kind != OPT_COUNT) {
                continue;
            }
            struct run_opts o = {0};
            if (p->hi < LLONG_MAX) {
                snprintf(value, sizeof value, "%lld", p->hi + 1);
            } else {
                snprintf(value, sizeof value, "%lld", p->lo - 1);
            }
            const char *words[] = {p->lng, value};
            assert_int_equal(parse_words(cmd, &o, err, sizeof err, 2, words), CCSIM_EUSAGE);
            snprintf(want, sizeof want, "ccsim: %s: %s is out of range (integer %lld..%lld)\n",
                     p->shrt[0] ? p->shrt : p->lng, value, p->lo, p->hi);
            assert_string_equal(err, want);
            const char *words2[] = {p->lng, "ten"};
            assert_int_equal(parse_words(cmd, &o, err, sizeof err, 2, words2), CCSIM_EUSAGE);
            assert_non_null(strstr(err, "'ten' is not a whole number"));
            n_checked++;
        }
    }
    assert_true(n_checked >= 20);
}

static void test_options_messages(void **state)
{
    (void)state;
    char err[1024];
    struct run_opts o = {0};

    const char *missing[] = {"-o"};
    assert_int_equal(parse_words(&cmd_spec_run, &o, err, sizeof err, 1, missing), CCSIM_EUSAGE);
    assert_string_equal(err, "ccsim: -o: needs a folder name\n(see 'ccsim run --help')\n");

    const char *unknown[] = {"--fast"};
    assert_int_equal(parse_words(&cmd_spec_run, &o, err, sizeof err, 1, unknown), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "unknown option '--fast'"));

    const char *only_run[] = {"-o", "dir"};
    assert_int_equal(parse_words(&cmd_spec_check, &o, err, sizeof err, 2, only_run), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "unknown option '-o'"));

    const char *two[] = {"a.cfg", "b.cfg"};
    assert_int_equal(parse_words(&cmd_spec_run, &o, err, sizeof err, 2, two), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "one scenario at a time ('b.cfg' is extra)"));

    const char *fraction[] = {"--precision", "2"};
    assert_int_equal(parse_words(&cmd_spec_run, &o, err, sizeof err, 2, fraction), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "--precision: '2' is not a fraction of the mean"));

    const char *word[] = {"--warmup=10"};
    assert_int_equal(parse_words(&cmd_spec_run, &o, err, sizeof err, 1, word), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "--warmup: only 'auto'"));

    struct run_opts full = {0};
    const char *targets[] = {"--target", "a=1", "--target",     "b=1",         "--target", "c=1",
                             "--target", "d=1", "--target",     "e=1",         "--target", "f=1",
                             "--target", "g=1", "--target=h=1", "--target=i=1"};
    assert_int_equal(parse_words(&cmd_spec_calibrate, &full, err, sizeof err, 16, targets),
                     CCSIM_EUSAGE);
    assert_int_equal(full.n_targets, CALIB_MAX);
    assert_non_null(strstr(err, "--target: METRIC=VALUE, at most 8"));

    const char *stray[] = {"DIR"};
    assert_int_equal(parse_words(&cmd_spec_validate, &o, err, sizeof err, 1, stray), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "validate: unexpected argument 'DIR'"));
}

/* A mistyped option or command is answered with the name meant: a letter dropped or swapped,
 * or the start of a name (or a name as near); nothing is suggested for a word far from every name.
 */
static void test_options_did_you_mean(void **state)
{
    (void)state;
    char err[1024], word[128];
    int n_checked = 0;

    for (int c = 0; c < n_cmd_specs; c++) {
        const struct command *cmd = cmd_specs[c];
        for (int k = 0; k < cmd->n_opts; k++) {
            const char *lng = cmd->opts[k].lng;
            size_t len = strlen(lng);
            /* A letter dropped from the middle, and two letters swapped there. */
            for (int variant = 0; variant < 2; variant++) {
                size_t mid = len / 2 + 1;
                snprintf(word, sizeof word, "%s", lng);
                if (variant == 0) {
                    memmove(word + mid, word + mid + 1, len - mid);
                } else {
                    char t = word[mid];
                    word[mid] = word[mid + 1];
                    word[mid + 1] = t;
                }
                if (strcmp(word, lng) == 0 || find_long(cmd, word) >= 0) {
                    continue;
                }
                struct run_opts o = {0};
                const char *words[] = {word};
                assert_int_equal(parse_words(cmd, &o, err, sizeof err, 1, words), CCSIM_EUSAGE);
                /* The name meant, one as near ("--sed": --seed or --set), or the one name the
                 * word begins ("--st": --status). */
                const char *near = strstr(err, "did you mean '");
                char got[128] = "";
                if (near) {
                    near += strlen("did you mean '");
                    snprintf(got, sizeof got, "%.*s", (int)strcspn(near, "'"), near);
                }
                bool begins = strncmp(got, word, strlen(word)) == 0;
                if (!near || find_long(cmd, got) < 0 ||
                    (!begins && cfg_edit_distance(word, got) > cfg_edit_distance(word, lng))) {
                    fail_msg("ccsim %s %s: no suggestion of %s: %s", cmd->name, word, lng, err);
                }
                n_checked++;
            }
        }
    }
    assert_true(n_checked >= 40);

    struct run_opts o = {0};
    const char *typo[] = {"--replicatons=5"};
    assert_int_equal(parse_words(&cmd_spec_run, &o, err, sizeof err, 1, typo), CCSIM_EUSAGE);
    assert_string_equal(err, "ccsim: unknown option '--replicatons=5'; did you mean "
                             "'--replications'?\n(see 'ccsim run --help')\n");
    const char *far[] = {"--fast"};
    assert_int_equal(parse_words(&cmd_spec_run, &o, err, sizeof err, 1, far), CCSIM_EUSAGE);
    assert_null(strstr(err, "did you mean"));

    const char *names[] = {"run", "check", "compare", "sweep", "sensitivity", "report", "keys"};
    assert_string_equal(options_suggest("compar", names, 7), "compare");
    assert_string_equal(options_suggest("comapre", names, 7), "compare");
    assert_string_equal(options_suggest("sens", names, 7), "sensitivity");
    assert_string_equal(options_suggest("chek", names, 7), "check");
    assert_null(options_suggest("walk", names, 7));
    assert_null(options_suggest("run", names, 7));
    assert_null(options_suggest("r", names, 7));
}

/* The checks the tables declare across options and operands, each with its message. */
static void test_options_declared_checks(void **state)
{
    (void)state;
    char err[1024];
    struct run_opts o = {0};

    const char *none[] = {"-q"};
    assert_int_equal(parse_all(&cmd_spec_run, &o, err, sizeof err, 1, none), CCSIM_EUSAGE);
    assert_string_equal(err, "ccsim: run: no scenario file given\n(see 'ccsim run --help')\n");

    const char *one[] = {"a.cfg"};
    assert_int_equal(parse_all(&cmd_spec_compare, &o, err, sizeof err, 1, one), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "compare: at least two scenarios (the first is the reference)"));

    memset(&o, 0, sizeof o);
    assert_int_equal(parse_all(&cmd_spec_sweep, &o, err, sizeof err, 1, one), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "sweep: give at least one --vary KEY=FROM:TO:STEP"));

    memset(&o, 0, sizeof o);
    const char *force[] = {"a.cfg", "--force"};
    assert_int_equal(parse_all(&cmd_spec_run, &o, err, sizeof err, 2, force), CCSIM_EUSAGE);
    assert_string_equal(err, "ccsim: --force: only with -o DIR or --resume DIR\n(see 'ccsim run "
                             "--help')\n");

    memset(&o, 0, sizeof o);
    const char *max_reps[] = {"a.cfg", "--max-reps", "50"};
    assert_int_equal(parse_all(&cmd_spec_run, &o, err, sizeof err, 3, max_reps), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "--max-reps: only with --precision P"));

    memset(&o, 0, sizeof o);
    const char *fine[] = {"a.cfg", "--max-reps", "50", "--precision", "0.1", "-o", "d", "--force"};
    assert_int_equal(parse_all(&cmd_spec_run, &o, err, sizeof err, 8, fine), 0);
    assert_string_equal(err, "");

    const char *no_dir[] = {"--pdf"};
    memset(&o, 0, sizeof o);
    assert_int_equal(parse_all(&cmd_spec_report, &o, err, sizeof err, 1, no_dir), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "report: give a results folder"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_every_option_is_in_its_help),
        cmocka_unit_test(test_options_every_command_is_in_the_main_help),
        cmocka_unit_test(test_options_every_option_fills_its_field),
        cmocka_unit_test(test_options_out_of_range_gives_the_range_message),
        cmocka_unit_test(test_options_messages),
        cmocka_unit_test(test_options_declared_checks),
        cmocka_unit_test(test_options_did_you_mean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
