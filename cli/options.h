/*
 * options — the command line of every command, declared once as a table.
 *
 * Each command has one table of options (short and long name, the kind and range of the
 * argument, the help line, and the field of the command's options struct that it fills). The
 * parser and the --help text are both generated from it, so the help cannot drift from what the
 * parser accepts. Every option takes the spellings -x VALUE, -xVALUE, --long VALUE and
 * --long=VALUE; flags only -x and --long.
 */
#ifndef CCSIM_CLI_OPTIONS_H
#define CCSIM_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum opt_kind {
    OPT_FLAG,     /* sets a bool */
    OPT_TEXT,     /* a const char * */
    OPT_LIST,     /* appends to a const char *[hi]; the int count is at n_off */
    OPT_COUNT,    /* a long long in lo..hi */
    OPT_FRACTION, /* a double > 0 and < 1 */
    OPT_WORD,     /* only the word `word`: sets a bool */
    OPT_OPTIONAL, /* a long long in lo..hi (lo >= 0) whose value may be left out: -1 before
                     parsing, dflt when given alone; the value is --long=VALUE, or the next
                     argument when it is a whole number */
};

struct opt {
    const char *shrt; /* "-o", or "" for none */
    const char *lng;  /* "--output" */
    enum opt_kind kind;
    const char *arg;  /* the argument's name in the help, e.g. "DIR" (none for flags) */
    long long lo, hi; /* OPT_COUNT: the range; OPT_LIST: hi is the most entries */
    size_t off;       /* where the value goes in the options struct */
    size_t n_off;     /* OPT_LIST: where the count (int) goes */
    /* OPT_TEXT, OPT_LIST, OPT_COUNT, OPT_FRACTION: printed as "OPTION: needs <missing>" when
     * the value is missing; NULL for an OPT_LIST prints its full message instead. */
    const char *missing;
    /* OPT_LIST: "--set: at most <hi> <full>" is printed when the list is full; when full_pre
     * is set, "--target: <full_pre><hi>" instead. */
    const char *full, *full_pre;
    /* OPT_FRACTION: "OPTION: 'TEXT' is not <bad>"; OPT_WORD: "OPTION: <bad>". */
    const char *bad;
    const char *word; /* OPT_WORD: the one word accepted */
    /* The value before parsing, shown in the help: OPT_COUNT dflt when has_dflt, OPT_TEXT
     * dflt_text when set (otherwise the field is left as the caller set it). */
    bool has_dflt;
    long long dflt;
    const char *dflt_text;
    bool is_required;     /* shown without brackets; missing: the command's `required` message */
    const char *needs;    /* the long name of an option this one is only given with, or NULL:
                             "--force: only with -o DIR" otherwise */
    const char *needs_or; /* with needs: another option that does as well, or NULL ("--force:
                             only with -o DIR or --resume DIR") */
    const char *help;     /* what the option does, one paragraph (wrapped when printed) */
};

/* What happens to an argument that is not an option, or an option the table lacks. */
enum opt_extra {
    OPT_EXTRA_SCENARIO,   /* "unknown option 'X'"; "one scenario at a time ('X' is extra)" */
    OPT_EXTRA_SCENARIOS,  /* "unknown option 'X'"; "at most N scenarios" */
    OPT_EXTRA_UNEXPECTED, /* "CMD: unexpected argument 'X'" for both */
};

struct command {
    const char *name;     /* "run" */
    const char *operands; /* "SCENARIO.cfg", shown after the name */
    const char *summary;  /* one line for ccsim --help */
    const char *about;    /* what the command does and writes, one or more paragraphs ("\n\n") */
    const struct opt *opts;
    int n_opts;
    int max_operands;
    enum opt_extra extra;
    bool is_dash_option; /* a lone "-" is an (unknown) option, not an operand */
    /* Checked once every argument is read, in this order: */
    const char *no_operands; /* printed ("ccsim: ...") when no operand is given, or NULL */
    const char *required;    /* printed when an is_required option is missing */
    int min_operands;        /* fewer than this many operands: few_operands is printed */
    const char *few_operands;
};

/* The most options one command's table may have. */
#define OPTIONS_MAX 64

/* The value returned by options_parse after printing the help: the command then exits 0. */
#define OPTIONS_HELP 1

/* The command named in "(see 'ccsim CMD --help')" under a usage message. */
extern const char *options_usage_cmd;

/* Prints "ccsim: MESSAGE" and the pointer to --help; returns CCSIM_EUSAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The name among names[0..n-1] that word most likely meant, for "did you mean": the one name
 * word begins (when only one does), otherwise the nearest within an edit distance of about a
 * third of word's length, leading dashes not counted (the first of equals); NULL when word is a
 * name, is shorter than 2 characters or nothing is near. */
const char *options_suggest(const char *word, const char *const *names, int n);

/* Parses argv[2..argc-1] for cmd into out (the command's options struct, whose fields the table
 * names), after setting the table's defaults. Operands are stored in operands[0..max_operands-1]
 * and counted in *n_operands. Then checks what the table declares across options: operands
 * given, required options present, an option given without the one it needs. Returns 0,
 * OPTIONS_HELP after printing the help to stdout for -h or --help, or CCSIM_EUSAGE after
 * printing the problem. */
int options_parse(const struct command *cmd, int argc, char **argv, void *out,
                  const char **operands, int *n_operands);
/* options_parse() without the checks across options: only reads each argument, marking in
 * seen[k] (when not NULL; cmd->n_opts entries) that option k was given. */
int options_read(const struct command *cmd, int argc, char **argv, void *out, const char **operands,
                 int *n_operands, bool *seen);

/* Writes text from column col, continuing lines at column indent, words wrapped before column
 * width (never at '\x01', printed as a space; a word longer than a line runs past it); a
 * newline in text starts a new line. Returns the column it ends at. */
int options_put_wrapped(FILE *f, const char *text, int col, int indent, int width);

/* The columns of the terminal on standard output: $COLUMNS when it is a number from 40 to
 * 1000, otherwise the terminal's width, or 80 when standard output is not a terminal. */
int options_out_width(void);

/* Writes the help of cmd: the synopsis, what it does, then every option with its range. */
void options_help(const struct command *cmd, FILE *f);

/* Writes the help of ccsim itself: every command of cmds with its summary. */
void options_help_main(const struct command *const *cmds, int n, FILE *f);

#endif
