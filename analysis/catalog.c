/* catalog — the scenarios of a folder by name, and the question each answers (catalog.h). */
#include "analysis/catalog.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>

#include "sim/error.h"
#include "sim/xalloc.h"

/* How much of a file is read for its opening comment, and how deep subfolders are followed. */
#define CATALOG_HEAD_BYTES 65536
#define CATALOG_DEPTH      8

/* The opening comment of text as paragraphs: the text of each comment line (after "#" and
 * spaces), lines joined by one space, paragraphs (separated by empty comment lines) by '\n'.
 * Ends at the first line that is neither a comment nor blank. The caller frees the result. */
static char *opening_comment(const char *text)
{
    char *out = xmalloc(strlen(text) + 1);
    size_t len = 0;
    bool in_para = false;

    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t line_len = end ? (size_t)(end - line) : strlen(line);
        const char *s = line;
        const char *e = line + line_len;
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\r')) {
            s++;
        }
        if (s < e && *s != '#') {
            break; /* the first setting: the comment is over */
        }
        if (s < e) {
            s++; /* the '#' */
        }
        while (s < e && isspace((unsigned char)*s)) {
            s++;
        }
        while (e > s && isspace((unsigned char)e[-1])) {
            e--;
        }
        if (s == e) {
            if (in_para) {
                out[len++] = '\n';
                in_para = false;
            }
        } else {
            if (in_para) {
                /* "Question:" starts a paragraph of its own, blank line before it or not. */
                bool is_q = strncmp(s, "Question", 8) == 0 &&
                            (s[8] == ':' || (s[8] == ' ' && s + 9 < e && s[9] == '('));
                out[len++] = is_q ? '\n' : ' ';
            }
            for (; s < e; s++) { /* runs of spaces become one */
                bool is_space = isspace((unsigned char)*s);
                if (!is_space || (len > 0 && out[len - 1] != ' ')) {
                    out[len++] = is_space ? ' ' : *s;
                }
            }
            in_para = true;
        }
        line = end ? end + 1 : line + line_len;
    }
    out[len] = '\0';
    return out;
}

/* Where the question of a paragraph begins, after "Question:" or "Question (...):"; NULL when
 * the paragraph is not a question. */
static const char *question_start(const char *p)
{
    if (strncmp(p, "Question", 8) != 0) {
        return NULL;
    }
    p += 8;
    if (*p == ':') {
        return p + 1;
    }
    if (p[0] == ' ' && p[1] == '(') {
        const char *close = strstr(p, "):");
        const char *stop = strchr(p, '\n');
        if (close && (!stop || close < stop)) {
            return close + 2;
        }
    }
    return NULL;
}

/* The length of the first question (up to its first "?" that ends a sentence, with a closing
 * quote or bracket) or sentence (up to a full stop before a capital) of the n bytes at s. */
static size_t first_sentence(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '?' && (i + 1 == n || strchr(" \"')", s[i + 1]))) {
            while (i + 1 < n && strchr("\"')", s[i + 1])) {
                i++;
            }
            return i + 1;
        }
    }
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] == '.' && s[i + 1] == ' ' && isupper((unsigned char)s[i + 2])) {
            return i + 1;
        }
    }
    return n;
}

bool catalog_question(const char *text, char *out, size_t n)
{
    char *block = opening_comment(text);
    const char *q = NULL;
    bool is_question = false;

    for (char *p = block; *p;) {
        const char *start = question_start(p);
        if (start) {
            q = start;
            is_question = true;
            break;
        }
        char *nl = strchr(p, '\n');
        if (!nl) {
            break;
        }
        p = nl + 1;
    }
    if (!q) {
        q = block; /* no question stated: the first sentence of the comment */
    }
    while (*q == ' ') {
        q++;
    }
    size_t len = strcspn(q, "\n");
    len = first_sentence(q, len);
    while (len > 0 && q[len - 1] == ' ') {
        len--;
    }
    /* A question quoted whole ("If we move ...?") is shown without its quotes. */
    if (len >= 2 && q[0] == '"' && q[len - 1] == '"') {
        q++;
        len -= 2;
    }
    if (n > 0) {
        if (len >= n) {
            len = n >= 4 ? n - 4 : 0;
            snprintf(out, n, "%.*s...", (int)len, q);
        } else {
            snprintf(out, n, "%.*s", (int)len, q);
        }
        out[0] = (char)toupper((unsigned char)out[0]);
    }
    free(block);
    return is_question;
}

static int entry_cmp(const void *a, const void *b)
{
    const struct catalog_entry *x = a, *y = b;
    int c = strcmp(x->folder, y->folder);
    return c != 0 ? c : strcmp(x->name, y->name);
}

/* Reads the head of path into buf (terminated). Returns 0 or -errno. */
static int read_head(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        return -errno;
    }
    size_t got = fread(buf, 1, n - 1, f);
    int rc = ferror(f) ? -EIO : 0;
    fclose(f);
    buf[got] = '\0';
    return rc;
}

/* Adds every scenario under dir/rel (rel "" for dir itself) to c. */
static int list_folder(const char *dir, const char *rel, int depth, struct catalog *c, int *cap,
                       char *buf, char *err, size_t err_len)
{
    char here[4096];
    snprintf(here, sizeof here, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    DIR *d = opendir(here);
    if (!d) {
        snprintf(err, err_len, "%s: %s", here, strerror(errno));
        return CCSIM_EIO;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char sub[4096], path[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, sub);
        struct stat st;
        if (stat(path, &st) != 0) {
            continue; /* a dangling link */
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth < CATALOG_DEPTH) {
                rc = list_folder(dir, sub, depth + 1, c, cap, buf, err, err_len);
            }
            continue;
        }
        size_t len = strlen(sub);
        if (!S_ISREG(st.st_mode) || len <= 4 || strcmp(sub + len - 4, ".cfg") != 0) {
            continue;
        }
        int rd = read_head(path, buf, CATALOG_HEAD_BYTES);
        if (rd != 0) {
            snprintf(err, err_len, "%s: %s", path, ccsim_strerror(rd));
            rc = CCSIM_EIO;
            break;
        }
        if (c->n == *cap) {
            *cap = *cap ? 2 * *cap : 64;
            c->entries = xreallocarray(c->entries, (size_t)*cap, sizeof *c->entries);
        }
        struct catalog_entry *e = &c->entries[c->n++];
        memset(e, 0, sizeof *e);
        e->name = xstrdup(sub);
        e->name[len - 4] = '\0';
        e->folder = xstrdup(rel);
        e->path = xstrdup(path);
        e->is_question = catalog_question(buf, e->question, sizeof e->question);
    }
    closedir(d);
    return rc;
}

int catalog_list(const char *dir, struct catalog *c, char *err, size_t err_len)
{
    int cap = 0;
    char *buf = xmalloc(CATALOG_HEAD_BYTES);

    memset(c, 0, sizeof *c);
    int rc = list_folder(dir, "", 0, c, &cap, buf, err, err_len);
    free(buf);
    if (rc != 0) {
        catalog_fini(c);
        return rc;
    }
    if (c->n > 1) {
        qsort(c->entries, (size_t)c->n, sizeof *c->entries, entry_cmp);
    }
    return 0;
}

void catalog_fini(struct catalog *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->entries[i].name);
        free(c->entries[i].folder);
        free(c->entries[i].path);
    }
    free(c->entries);
    memset(c, 0, sizeof *c);
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool catalog_find(const char *dir, const char *name, char *path, size_t n)
{
    size_t len = strlen(name);
    bool has_cfg = len > 4 && strcmp(name + len - 4, ".cfg") == 0;

    if (!has_cfg) {
        snprintf(path, n, "%s/%s.cfg", dir, name);
        if (is_file(path)) {
            return true;
        }
    }
    snprintf(path, n, "%s/%s", dir, name);
    return is_file(path);
}
