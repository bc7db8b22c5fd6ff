/*
 * scenarios — where the shipped scenarios and documents are, a scenario named rather than given
 * as a file, and `ccsim scenarios`, the list of them with the question each answers.
 *
 * The scenarios folder is, in this order: $CCSIM_SCENARIOS when set; share/ccsim/scenarios
 * beside the program's own folder (PREFIX/bin/ccsim finds PREFIX/share/ccsim/scenarios, wherever
 * PREFIX was moved); scenarios/ beside it (a program run from its build folder in the source
 * tree); the folder compiled in from PREFIX (CCSIM_DATADIR). The documents likewise:
 * share/doc/ccsim beside the program, docs/ in the source tree, or CCSIM_DOCDIR.
 */
#include <sys/ioctl.h>

#include "analysis/catalog.h"
#include "cli/cli.h"

#ifndef CCSIM_DATADIR
#define CCSIM_DATADIR "/usr/local/share/ccsim"
#endif
#ifndef CCSIM_DOCDIR
#define CCSIM_DOCDIR "/usr/local/share/doc/ccsim"
#endif

#define SCENARIOS_ENV "CCSIM_SCENARIOS"

static bool is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder rel beside the running program's folder (PROGRAM_DIR/../rel), when it is one. */
static bool beside_program(const char *rel, char *out, size_t n)
{
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        return false;
    }
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) {
        return false;
    }
    *slash = '\0';
    char cand[8400];
    snprintf(cand, sizeof cand, "%s/../%s", exe, rel);
    char *real = realpath(cand, NULL);
    bool ok = real && is_folder(real);
    if (ok) {
        snprintf(out, n, "%s", real);
    }
    free(real);
    return ok;
}

/* The scenarios folder into dir; returns what chose it, for messages. */
static const char *scenarios_dir(char *dir, size_t n)
{
    const char *env = getenv(SCENARIOS_ENV);
    if (env && env[0]) {
        snprintf(dir, n, "%s", env);
        return "$" SCENARIOS_ENV;
    }
    if (beside_program("share/ccsim/scenarios", dir, n)) {
        return "the one installed with this program";
    }
    if (beside_program("scenarios", dir, n)) {
        return "scenarios/ of the source tree of this program";
    }
    snprintf(dir, n, "%s/scenarios", CCSIM_DATADIR);
    return is_folder(dir) ? "the installed one" : "where make install puts them, not there now";
}

/* The folder of the documents: README.md there, the others in its docs/. */
static void docs_dir(char *dir, size_t n)
{
    if (beside_program("share/doc/ccsim", dir, n)) {
        return;
    }
    if (beside_program("docs", dir, n)) {
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0'; /* the source tree itself */
        }
        return;
    }
    snprintf(dir, n, "%s", CCSIM_DOCDIR);
}

const char *scenarios_folder_resolve(const char *arg, char *path, size_t n)
{
    if (is_folder(arg) || arg[0] == '/' || strncmp(arg, "./", 2) == 0 ||
        strncmp(arg, "../", 3) == 0) {
        return arg;
    }
    char dir[4096];
    scenarios_dir(dir, sizeof dir);
    const char *name = strncmp(arg, "scenarios/", 10) == 0 ? arg + 10 : arg;
    snprintf(path, n, "%s/%s", dir, name);
    return is_folder(path) ? path : arg;
}

int scenario_resolve(const char *arg, char *path, size_t n)
{
    struct stat st;
    snprintf(path, n, "%s", arg);
    /* A file (or anything else there: the loader says what is wrong with it), or a path that
     * is explicitly one (absolute, ./ or ../): taken as it is. */
    if (stat(arg, &st) == 0 || arg[0] == '/' || strncmp(arg, "./", 2) == 0 ||
        strncmp(arg, "../", 3) == 0 || arg[0] == '\0') {
        return 0;
    }
    char dir[4096];
    const char *why = scenarios_dir(dir, sizeof dir);
    if (catalog_find(dir, arg, path, n)) {
        return 0;
    }
    size_t len = strlen(arg);
    bool has_cfg = len > 4 && strcmp(arg + len - 4, ".cfg") == 0;
    char looked[8400];
    if (has_cfg) {
        snprintf(looked, sizeof looked, "%s/%s", dir, arg);
    } else {
        snprintf(looked, sizeof looked, "%s/%s.cfg and %s/%s", dir, arg, dir, arg);
    }
    bool is_env = why[0] == '$';
    fprintf(stderr,
            "ccsim: %s: no such scenario: not a file here, nor in the scenarios folder (looked "
            "for %s; the folder is %s%s); 'ccsim scenarios' lists them\n",
            arg, looked, why, is_env ? "" : ", " SCENARIOS_ENV " names another");
    snprintf(path, n, "%s", arg);
    return CCSIM_EINPUT;
}

void scenarios_help(FILE *f)
{
    char dir[4096], docs[4096];
    const char *why = scenarios_dir(dir, sizeof dir);
    docs_dir(docs, sizeof docs);
    fprintf(f,
            "\nScenarios: a SCENARIO that is not a file is the name of one (with or without .cfg) "
            "in the\nscenarios folder: $" SCENARIOS_ENV " when set, else PREFIX/share/ccsim/"
            "scenarios as installed\n(ccsim run care/baseline; ccsim scenarios lists them). "
            "Here:\n  %s (%s)\n"
            "Documents: README.md, LICENSE, CITATION.cff, docs/*.md (the model, its validation, "
            "every\nscenario key); the manual page: man ccsim. Here:\n  %s\n",
            dir, why, docs);
}

/* Columns of the terminal on stdout, 100 elsewhere. */
static int out_columns(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 60) {
        return ws.ws_col;
    }
    return 100;
}

/* text wrapped at width, the first line continuing at column col, the others from indent. */
static void put_wrapped_at(const char *text, int col, int indent, int width)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ') {
            p++;
        }
        size_t word = strcspn(p, " ");
        if (word == 0) {
            break;
        }
        if (col > indent && col + 1 + (int)word > width) {
            printf("\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            putchar(' ');
            col++;
        }
        printf("%.*s", (int)word, p);
        col += (int)word;
        p += word;
    }
    putchar('\n');
}

int cmd_scenarios(int argc, char **argv)
{
    char err[1024];
    struct run_opts so = {.cmd = "scenarios"};
    int n_operands = 0;
    int parsed = options_parse(&cmd_spec_scenarios, argc, argv, &so, NULL, &n_operands);
    if (parsed != 0) {
        return parsed == OPTIONS_HELP ? 0 : parsed;
    }
    char dir[4096];
    const char *why = "given with --dir";
    if (so.dir) {
        snprintf(dir, sizeof dir, "%s", so.dir);
    } else {
        why = scenarios_dir(dir, sizeof dir);
    }
    if (!is_folder(dir)) {
        fprintf(stderr,
                "ccsim: scenarios: no scenarios folder at %s (%s); install them with make install, "
                "or name the folder with --dir DIR or " SCENARIOS_ENV "\n",
                dir, why);
        return CCSIM_EINPUT;
    }
    struct catalog c;
    int rc = catalog_list(dir, &c, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "ccsim: scenarios: %s\n", err);
        return rc;
    }
    int width = out_columns();
    int name_w = 0;
    for (int i = 0; i < c.n; i++) {
        int len = (int)strlen(c.entries[i].name) - (int)strlen(c.entries[i].folder);
        name_w = len > name_w ? len : name_w;
    }
    name_w = name_w > 28 ? 28 : name_w;
    char head[8192];
    snprintf(head, sizeof head,
             "%d scenario%s in %s (%s). Run one by name from any folder: ccsim run FOLDER/NAME "
             "(e.g. ccsim run care/baseline); ccsim check FOLDER/NAME shows every value and its "
             "source.",
             c.n, c.n == 1 ? "" : "s", dir, why);
    put_wrapped_at(head, 0, 0, width);
    for (int i = 0; i < c.n; i++) {
        const struct catalog_entry *e = &c.entries[i];
        if (i == 0 || strcmp(e->folder, c.entries[i - 1].folder) != 0) {
            printf("\n%s/\n", e->folder[0] ? e->folder : ".");
        }
        const char *shown = e->name + (e->folder[0] ? strlen(e->folder) + 1 : 0);
        printf("  %-*s  ", name_w, shown);
        int col = 2 + ((int)strlen(shown) > name_w ? (int)strlen(shown) : name_w) + 2;
        put_wrapped_at(e->question, col, 4 + name_w, width);
    }
    catalog_fini(&c);
    return 0;
}
