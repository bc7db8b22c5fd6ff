/*
 * catalog — the scenarios of a folder by name, and the question each answers.
 *
 * A scenario's name is its path under the folder without ".cfg" ("care/baseline" for
 * DIR/care/baseline.cfg). Its question is read from the comment the file opens with: the
 * paragraph that starts "Question:" (or "Question (...):"), up to its first question mark, or,
 * when the file states none, the first sentence of its opening comment. Nothing here runs or
 * loads a scenario.
 *
 * catalog_list() owns the entries it fills until catalog_fini(); functions return 0 or a code of
 * sim/error.h and fill err with a one-line reason.
 */
#ifndef CCSIM_ANALYSIS_CATALOG_H
#define CCSIM_ANALYSIS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

/* The longest question kept; a longer one is cut with "...". */
#define CATALOG_QUESTION_MAX 1024

struct catalog_entry {
    char *name;   /* "care/baseline" */
    char *folder; /* "care"; "" for a file directly in the folder */
    char *path;   /* DIR/care/baseline.cfg */
    char question[CATALOG_QUESTION_MAX];
    bool is_question; /* the file states a question (otherwise: its first sentence) */
};

struct catalog {
    struct catalog_entry *entries; /* sorted by folder, then name */
    int n;
};

/* The question of the scenario text (the whole file's text), into out (always terminated).
 * Returns whether the file states one. */
bool catalog_question(const char *text, char *out, size_t n);

/* Every *.cfg under dir (in subfolders too, hidden ones skipped), each with its question.
 * Returns 0, CCSIM_EIO when dir or a file cannot be read. */
int catalog_list(const char *dir, struct catalog *c, char *err, size_t err_len);
void catalog_fini(struct catalog *c);

/* The file of the scenario called name in dir: dir/name when name ends in ".cfg", otherwise
 * dir/name.cfg, then dir/name; the first regular file goes into path. Returns whether one
 * exists. */
bool catalog_find(const char *dir, const char *name, char *path, size_t n);

#endif
