/* options — the table-driven parser and help of every command (see options.h). */
#include "cli/options.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sys/ioctl.h>
#include <unistd.h>

#include "sim/cfg.h"
#include "sim/error.h"

enum { HELP_WIDTH = 96, HELP_COLUMN = 26 };

/* A space the help never breaks a line at (printed as a space). */
#define NBSP '\x01'

const char *options_usage_cmd = "run";

int usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "ccsim: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'ccsim %s --help')\n", options_usage_cmd);
    return CCSIM_EUSAGE;
}

const char *options_suggest(const char *word, const char *const *names, int n)
{
    const char *best = NULL, *prefix_of = NULL;
    int n_prefix = 0;
    size_t len = strlen(word);
    /* The one name word begins, or the nearest within about a third of the word's length, leading
     * dashes not counted (as for scenario keys, sim/cfg.h). */
    int best_d = (int)(len - strspn(word, "-")) / 3 + 1;

    if (len < 2) {
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        if (strcmp(word, names[i]) == 0) {
            return NULL;
        }
        if (strncmp(word, names[i], len) == 0) {
            prefix_of = names[i];
            n_prefix++;
        }
        int d = cfg_edit_distance(word, names[i]);
        if (d <= best_d && (!best || d < best_d)) {
            best = names[i];
            best_d = d;
        }
    }
    return n_prefix == 1 ? prefix_of : best;
}

/* "unknown option 'A'", with the nearest long option of cmd when one is close. */
static int unknown_option(const struct command *cmd, const char *a, const char *what)
{
    const char *names[OPTIONS_MAX + 1];
    char word[128];
    int n = 0;

    for (int k = 0; k < cmd->n_opts; k++) {
        names[n++] = cmd->opts[k].lng;
    }
    names[n++] = "--help";
    /* "--replicatons=5" is matched by its name. */
    snprintf(word, sizeof word, "%.*s", (int)strcspn(a, "="), a);
    const char *near = strncmp(word, "--", 2) == 0 ? options_suggest(word, names, n) : NULL;
    if (near) {
        return usage_error("%s '%s'; did you mean '%s'?", what, a, near);
    }
    return usage_error("%s '%s'", what, a);
}

/* Parses a whole number in [lo, hi] for an option; prints the problem and returns false. */
static bool parse_count(const char *opt, const char *text, long long lo, long long hi,
                        long long *out)
{
    char *end;

    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno == ERANGE && end != text && *end == '\0') {
        fprintf(stderr, "ccsim: %s: %s is out of range (integer %lld..%lld)\n", opt, text, lo, hi);
        return false;
    }
    if (errno || end == text || *end != '\0') {
        fprintf(stderr, "ccsim: %s: '%s' is not a whole number (integer %lld..%lld)\n", opt, text,
                lo, hi);
        return false;
    }
    if (v < lo || v > hi) {
        fprintf(stderr, "ccsim: %s: %lld is out of range (integer %lld..%lld)\n", opt, v, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

/* Matches "-x VALUE", "-xVALUE", "--long VALUE" and "--long=VALUE". */
static bool take_value(int argc, char **argv, int *i, const char *shrt, const char *lng,
                       const char **value, bool *missing)
{
    const char *a = argv[*i];
    size_t ll = strlen(lng);

    *missing = false;
    if (strcmp(a, shrt) == 0 || strcmp(a, lng) == 0) {
        if (*i + 1 >= argc) {
            *missing = true;
            return true;
        }
        *value = argv[++*i];
        return true;
    }
    if (strncmp(a, lng, ll) == 0 && a[ll] == '=') {
        *value = a + ll + 1;
        return true;
    }
    if (shrt[0] && strncmp(a, shrt, 2) == 0 && a[1] != '-' && a[2] != '\0') {
        *value = a + 2;
        return true;
    }
    return false;
}

static void *field(void *out, size_t off)
{
    return (char *)out + off;
}

/* The list of an OPT_LIST option is full: its message. */
static int list_full(const struct opt *p)
{
    if (p->full_pre) {
        return usage_error("%s: %s%lld", p->lng, p->full_pre, p->hi);
    }
    return usage_error("%s: at most %lld %s", p->lng, p->hi, p->full);
}

/* Stores the value v of option p (as typed: a); returns 0 or CCSIM_EUSAGE. */
static int store(const struct opt *p, const char *a, const char *v, bool missing, void *out)
{
    if (missing && p->kind == OPT_LIST && !p->missing) {
        return list_full(p);
    }
    if (missing && p->kind == OPT_WORD) {
        return usage_error("%s: %s", p->lng, p->bad);
    }
    if (missing) {
        return usage_error("%s: needs %s", a, p->missing);
    }
    switch (p->kind) {
    case OPT_FLAG:
        break;
    case OPT_TEXT:
        *(const char **)field(out, p->off) = v;
        break;
    case OPT_LIST: {
        int *n = field(out, p->n_off);
        if (*n >= p->hi) {
            return list_full(p);
        }
        ((const char **)field(out, p->off))[(*n)++] = v;
        break;
    }
    case OPT_COUNT:
    case OPT_OPTIONAL:
        if (!parse_count(p->shrt[0] ? p->shrt : p->lng, v, p->lo, p->hi, field(out, p->off))) {
            return CCSIM_EUSAGE;
        }
        break;
    case OPT_FRACTION: {
        char *end;
        double x = strtod(v, &end);
        *(double *)field(out, p->off) = x;
        if (end == v || *end != '\0' || !(x > 0.0 && x < 1.0)) {
            return usage_error("%s: '%s' is not %s", p->lng, v, p->bad);
        }
        break;
    }
    case OPT_WORD:
        if (strcmp(v, p->word) != 0) {
            return usage_error("%s: %s", p->lng, p->bad);
        }
        *(bool *)field(out, p->off) = true;
        break;
    }
    return 0;
}

static int find_long(const struct command *cmd, const char *lng)
{
    for (int k = 0; k < cmd->n_opts; k++) {
        if (strcmp(cmd->opts[k].lng, lng) == 0) {
            return k;
        }
    }
    return -1;
}

/* The checks across options and operands that the table declares (options.h), once every
 * argument is read; seen[k]: option k was given. */
static int check_declared(const struct command *cmd, const bool *seen, int n_operands)
{
    if (n_operands == 0 && cmd->no_operands) {
        return usage_error("%s", cmd->no_operands);
    }
    for (int k = 0; k < cmd->n_opts; k++) {
        if (cmd->opts[k].is_required && !seen[k]) {
            return usage_error("%s", cmd->required);
        }
    }
    if (n_operands < cmd->min_operands) {
        return usage_error("%s", cmd->few_operands);
    }
    for (int k = 0; k < cmd->n_opts; k++) {
        const struct opt *p = &cmd->opts[k];
        int need = p->needs ? find_long(cmd, p->needs) : -1;
        int other = p->needs_or ? find_long(cmd, p->needs_or) : -1;
        if (seen[k] && need >= 0 && !seen[need] && (other < 0 || !seen[other])) {
            const struct opt *q = &cmd->opts[need];
            bool bare = q->kind == OPT_FLAG || q->kind == OPT_OPTIONAL;
            char alt[128] = "";
            if (other >= 0) {
                const struct opt *a = &cmd->opts[other];
                bool a_bare = a->kind == OPT_FLAG || a->kind == OPT_OPTIONAL;
                snprintf(alt, sizeof alt, " or %s%s%s", a->shrt[0] ? a->shrt : a->lng,
                         a_bare ? "" : " ", a_bare ? "" : a->arg);
            }
            return usage_error("%s: only with %s%s%s%s", p->lng, q->shrt[0] ? q->shrt : q->lng,
                               bare ? "" : " ", bare ? "" : q->arg, alt);
        }
    }
    return 0;
}

int options_parse(const struct command *cmd, int argc, char **argv, void *out,
                  const char **operands, int *n_operands)
{
    bool seen[OPTIONS_MAX] = {false};
    int rc = options_read(cmd, argc, argv, out, operands, n_operands, seen);

    return rc != 0 ? rc : check_declared(cmd, seen, *n_operands);
}

int options_read(const struct command *cmd, int argc, char **argv, void *out, const char **operands,
                 int *n_operands, bool *seen)
{
    assert(cmd->n_opts <= OPTIONS_MAX);
    options_usage_cmd = cmd->name;
    for (int k = 0; k < cmd->n_opts; k++) {
        const struct opt *p = &cmd->opts[k];
        if (p->kind == OPT_OPTIONAL) {
            *(long long *)field(out, p->off) = -1;
        } else if (p->kind == OPT_COUNT && p->has_dflt) {
            *(long long *)field(out, p->off) = p->dflt;
        } else if (p->kind == OPT_TEXT && p->dflt_text) {
            *(const char **)field(out, p->off) = p->dflt_text;
        }
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int k;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            options_help(cmd, stdout);
            return OPTIONS_HELP;
        }
        for (k = 0; k < cmd->n_opts; k++) {
            const struct opt *p = &cmd->opts[k];
            const char *v = NULL;
            bool missing = false;
            if (p->kind == OPT_FLAG) {
                if (strcmp(a, p->lng) == 0 || (p->shrt[0] && strcmp(a, p->shrt) == 0)) {
                    *(bool *)field(out, p->off) = true;
                    if (seen) {
                        seen[k] = true;
                    }
                    break;
                }
            } else if (p->kind == OPT_OPTIONAL && strcmp(a, p->lng) == 0) {
                /* Alone, or with the next argument when that is a whole number. */
                const char *next = i + 1 < argc ? argv[i + 1] : "";
                bool has_value = next[0] && strspn(next, "0123456789") == strlen(next);
                *(long long *)field(out, p->off) = p->dflt;
                if (has_value &&
                    !parse_count(p->lng, argv[++i], p->lo, p->hi, field(out, p->off))) {
                    return CCSIM_EUSAGE;
                }
                if (seen) {
                    seen[k] = true;
                }
                break;
            } else if (take_value(argc, argv, &i, p->shrt, p->lng, &v, &missing)) {
                int rc = store(p, a, v, missing, out);
                if (rc != 0) {
                    return rc;
                }
                if (seen) {
                    seen[k] = true;
                }
                break;
            }
        }
        if (k < cmd->n_opts) {
            continue;
        }
        bool is_option = a[0] == '-' && (a[1] != '\0' || cmd->is_dash_option);
        if (cmd->extra == OPT_EXTRA_UNEXPECTED && is_option) {
            char what[64];
            snprintf(what, sizeof what, "%s: unexpected argument", cmd->name);
            return unknown_option(cmd, a, what);
        } else if (cmd->extra == OPT_EXTRA_UNEXPECTED && *n_operands >= cmd->max_operands) {
            return usage_error("%s: unexpected argument '%s'", cmd->name, a);
        } else if (is_option) {
            return unknown_option(cmd, a, "unknown option");
        } else if (*n_operands >= cmd->max_operands && cmd->extra == OPT_EXTRA_SCENARIO) {
            return usage_error("one scenario at a time ('%s' is extra)", a);
        } else if (*n_operands >= cmd->max_operands) {
            return usage_error("at most %d scenarios", cmd->max_operands);
        }
        operands[(*n_operands)++] = a;
    }
    return 0;
}

int options_put_wrapped(FILE *f, const char *text, int col, int indent, int width)
{
    bool need_space = col > indent;

    for (const char *s = text; *s;) {
        if (*s == '\n') {
            fputc('\n', f);
            col = 0;
            need_space = false;
            s++;
            continue;
        }
        if (*s == ' ') {
            s++;
            continue;
        }
        size_t len = strcspn(s, " \n");
        if (need_space && col + 1 + (int)len > width) {
            fputc('\n', f);
            col = 0;
            need_space = false;
        }
        if (col < indent) {
            fprintf(f, "%*s", indent - col, "");
            col = indent;
        } else if (need_space) {
            fputc(' ', f);
            col++;
        }
        for (size_t j = 0; j < len; j++) {
            fputc(s[j] == NBSP ? ' ' : s[j], f);
        }
        col += (int)len;
        s += len;
        need_space = true;
    }
    return col;
}

int options_out_width(void)
{
    const char *env = getenv("COLUMNS");
    char *end;
    long cols = env ? strtol(env, &end, 10) : 0;
    struct winsize ws;

    if (env && end != env && *end == '\0' && cols >= 40 && cols <= 1000) {
        return (int)cols;
    }
    if (isatty(STDOUT_FILENO) == 1 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col >= 20) {
        return ws.ws_col;
    }
    return 80;
}

/* Text wrapped as the help is, before HELP_WIDTH. */
static int put_wrapped(FILE *f, const char *text, int col, int indent)
{
    return options_put_wrapped(f, text, col, indent, HELP_WIDTH);
}

/* "[-o DIR]", "--vary KEY=FROM:TO:STEP", "[--set KEY=VALUE]..." for the synopsis. */
static void synopsis_item(const struct opt *p, char *buf, size_t n)
{
    const char *name = p->shrt[0] ? p->shrt : p->lng;
    const char *sep = p->kind == OPT_FLAG ? "" : " ";
    const char *arg = p->kind == OPT_FLAG ? "" : p->arg;
    const char *more = p->kind == OPT_LIST ? "..." : "";
    char optional[64];

    if (p->kind == OPT_OPTIONAL) {
        snprintf(optional, sizeof optional, "[%s]", p->arg);
        arg = optional;
    }

    if (p->is_required) {
        snprintf(buf, n, "%s%s%s%s", name, sep, arg, more);
    } else {
        snprintf(buf, n, "[%s%s%s]%s", name, sep, arg, more);
    }
}

void options_help(const struct command *cmd, FILE *f)
{
    char item[128], label[128], help[1024];
    int indent = (int)strlen("usage: ccsim ") + (int)strlen(cmd->name) + 1;

    fprintf(f, "usage: ccsim %s", cmd->name);
    int col = indent - 1;
    if (cmd->operands[0]) {
        fprintf(f, " %s", cmd->operands);
        col += 1 + (int)strlen(cmd->operands);
    }
    for (int k = 0; k < cmd->n_opts; k++) {
        synopsis_item(&cmd->opts[k], item, sizeof item);
        int len = (int)strlen(item);
        if (col + 1 + len > HELP_WIDTH) {
            fprintf(f, "\n%*s%s", indent, "", item);
            col = indent + len;
        } else {
            fprintf(f, " %s", item);
            col += 1 + len;
        }
    }
    fputs("\n\n", f);
    put_wrapped(f, cmd->about, 0, 0);
    fputs("\n\noptions:\n", f);
    for (int k = 0; k <= cmd->n_opts; k++) {
        const struct opt *p = k < cmd->n_opts ? &cmd->opts[k] : NULL;
        if (!p) {
            snprintf(label, sizeof label, "  -h, --help");
            snprintf(help, sizeof help, "show this help");
        } else {
            snprintf(label, sizeof label, "  %s%s%s%s%s%s%s", p->shrt[0] ? p->shrt : "  ",
                     p->shrt[0] ? ", " : "  ", p->lng, p->kind == OPT_FLAG ? "" : " ",
                     p->kind == OPT_OPTIONAL ? "[" : "", p->kind == OPT_FLAG ? "" : p->arg,
                     p->kind == OPT_OPTIONAL ? "]" : "");
            if (p->kind == OPT_OPTIONAL) {
                snprintf(help, sizeof help,
                         "%s (integer\x01%lld..%lld;\x01%lld\x01when\x01left\x01out)", p->help,
                         p->lo, p->hi, p->dflt);
            } else if (p->kind == OPT_COUNT && p->has_dflt) {
                snprintf(help, sizeof help,
                         "%s (integer\x01%lld..%lld;\x01%lld\x01unless\x01given)", p->help, p->lo,
                         p->hi, p->dflt);
            } else if (p->kind == OPT_COUNT) {
                snprintf(help, sizeof help, "%s (integer\x01%lld..%lld)", p->help, p->lo, p->hi);
            } else if (p->kind == OPT_TEXT && p->dflt_text) {
                snprintf(help, sizeof help, "%s (%s\x01unless\x01given)", p->help, p->dflt_text);
            } else if (p->kind == OPT_LIST) {
                snprintf(help, sizeof help, "%s; repeatable, up to %lld", p->help, p->hi);
            } else {
                snprintf(help, sizeof help, "%s", p->help);
            }
        }
        fputs(label, f);
        int lc = (int)strlen(label);
        if (lc + 2 > HELP_COLUMN) {
            fputc('\n', f);
            lc = 0;
        }
        put_wrapped(f, help, lc, HELP_COLUMN);
        fputc('\n', f);
    }
}

void options_help_main(const struct command *const *cmds, int n, FILE *f)
{
    char name[128];

    fputs("usage: ccsim <command> [options]\n\ncommands:\n", f);
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "  %s%s%s", cmds[i]->name, cmds[i]->operands[0] ? " " : "",
                 cmds[i]->operands);
        fputs(name, f);
        int lc = (int)strlen(name);
        if (lc + 2 > HELP_COLUMN) {
            fputs("  ", f);
            lc += 2;
            put_wrapped(f, cmds[i]->summary, lc, lc);
        } else {
            put_wrapped(f, cmds[i]->summary, lc, HELP_COLUMN);
        }
        fputc('\n', f);
    }
    fputs("\noptions:\n"
          "  -h, --help              show this help (ccsim run --help: the options of run)\n"
          "  --version               show the version\n"
          "\n"
          "Exit status: 0 done, 1 failed while running, 2 bad command line or scenario.\n",
          f);
}
