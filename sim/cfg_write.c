/*
 * cfg_write — the resolved scenario tree as text: values for `ccsim check`, and a scenario file
 * that loads back to the same values (scenario.resolved.cfg in a results folder).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/xalloc.h"

/* A real with the fewest significant digits that read back to the same double, always with a
 * '.' or an exponent so that it reads back as a real. */
static void format_real(double v, char *buf, size_t n)
{
    /* Whole numbers of ordinary size read best without an exponent. */
    if (fabs(v) < 1e15 && v == floor(v)) {
        snprintf(buf, n, "%.1f", v);
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, n, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) {
            break;
        }
    }
    if (!strpbrk(buf, ".eEn")) { /* n: inf and nan are left as they are */
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, ".0");
    }
}

static size_t format_string(const char *s, char *buf, size_t n)
{
    size_t len = 0;

    if (n < 3) {
        return 0;
    }
    buf[len++] = '"';
    for (; *s && len + 5 < n; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            buf[len++] = '\\';
            buf[len++] = (char)ch;
        } else if (ch == '\n') {
            buf[len++] = '\\';
            buf[len++] = 'n';
        } else if (ch == '\t') {
            buf[len++] = '\\';
            buf[len++] = 't';
        } else if (ch < 0x20 || ch == 0x7f) {
            len += (size_t)snprintf(buf + len, n - len, "\\x%02x", ch);
        } else {
            buf[len++] = (char)ch;
        }
    }
    if (len + 1 < n) {
        buf[len++] = '"';
    }
    buf[len < n ? len : n - 1] = '\0';
    return len;
}

void cfg_format_value(const config_setting_t *s, char *buf, size_t n)
{
    if (n == 0) {
        return;
    }
    buf[0] = '\0';
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        snprintf(buf, n, "%d", config_setting_get_int(s));
        break;
    case CONFIG_TYPE_INT64:
        snprintf(buf, n, "%lldL", config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        format_real(config_setting_get_float(s), buf, n);
        break;
    case CONFIG_TYPE_STRING:
        format_string(config_setting_get_string(s), buf, n);
        break;
    case CONFIG_TYPE_BOOL:
        snprintf(buf, n, "%s", config_setting_get_bool(s) ? "true" : "false");
        break;
    case CONFIG_TYPE_ARRAY: {
        size_t len = (size_t)snprintf(buf, n, "[");
        int count = config_setting_length(s);
        for (int i = 0; i < count && len < n; i++) {
            char item[256];
            cfg_format_value(config_setting_get_elem(s, (unsigned)i), item, sizeof item);
            len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", item);
        }
        if (len < n) {
            snprintf(buf + len, n - len, "]");
        }
        break;
    }
    case CONFIG_TYPE_GROUP:
        snprintf(buf, n, "{ ... }");
        break;
    case CONFIG_TYPE_LIST:
        snprintf(buf, n, "( ... )");
        break;
    default:
        break;
    }
}

static void walk(const struct cfg *c, const config_setting_t *s, cfg_visit_fn *fn, void *ctx)
{
    int type = config_setting_type(s);

    if (type == CONFIG_TYPE_GROUP || type == CONFIG_TYPE_LIST) {
        for (int i = 0; i < config_setting_length(s); i++) {
            walk(c, config_setting_get_elem(s, (unsigned)i), fn, ctx);
        }
        return;
    }
    char path[512];
    struct cfg_origin o;
    cfg_path(s, path, sizeof path);
    cfg_origin_of(c, s, &o);
    fn(ctx, s, path, &o);
}

void cfg_walk(const struct cfg *c, cfg_visit_fn *fn, void *ctx)
{
    walk(c, cfg_root(c), fn, ctx);
}

static void origin_comment(const struct cfg *c, const config_setting_t *s, char *buf, size_t n)
{
    struct cfg_origin o;

    cfg_origin_of(c, s, &o);
    switch (o.kind) {
    case CFG_FROM_FILE:
        snprintf(buf, n, "%s:%d", o.file ? o.file : "?", o.line);
        break;
    case CFG_FROM_SET:
        snprintf(buf, n, "%s", o.file);
        break;
    case CFG_FROM_DEFAULT: {
        const char *src = o.source ? o.source : o.key ? o.key->source : NULL;
        snprintf(buf, n, "default%s%s", src ? ": " : "", src ? src : "");
        break;
    }
    }
    /* A comment ends at the line's end. */
    for (char *p = buf; *p; p++) {
        if (*p == '\n' || *p == '\r') {
            *p = ' ';
        }
    }
}

static void write_setting(const struct cfg *c, FILE *out, const config_setting_t *s, int indent,
                          bool is_last)
{
    const char *name = config_setting_name(s);
    const config_setting_t *parent = config_setting_parent(s);
    bool in_group = parent && config_setting_is_group(parent);
    int type = config_setting_type(s);
    const char *end = in_group ? ";" : is_last ? "" : ",";

    fprintf(out, "%*s", indent, "");
    if (in_group && name) {
        fprintf(out, "%s = ", name);
    }
    if (type == CONFIG_TYPE_GROUP || type == CONFIG_TYPE_LIST) {
        int n = config_setting_length(s);
        fputs(type == CONFIG_TYPE_GROUP ? "{\n" : "(\n", out);
        for (int i = 0; i < n; i++) {
            write_setting(c, out, config_setting_get_elem(s, (unsigned)i), indent + 2, i == n - 1);
        }
        fprintf(out, "%*s%s%s\n", indent, "", type == CONFIG_TYPE_GROUP ? "}" : ")", end);
        return;
    }
    char value[4096], from[512];
    if (type == CONFIG_TYPE_ARRAY) { /* element by element: arrays may be long */
        int n = config_setting_length(s);
        fputc('[', out);
        for (int i = 0; i < n; i++) {
            cfg_format_value(config_setting_get_elem(s, (unsigned)i), value, sizeof value);
            fprintf(out, "%s%s", i ? ", " : "", value);
        }
        fputc(']', out);
    } else if (type == CONFIG_TYPE_STRING) { /* sized to the string: never cut short */
        size_t n = 4 * strlen(config_setting_get_string(s)) + 8;
        char *text = xmalloc(n);
        format_string(config_setting_get_string(s), text, n);
        fputs(text, out);
        free(text);
    } else {
        cfg_format_value(s, value, sizeof value);
        fputs(value, out);
    }
    origin_comment(c, s, from, sizeof from);
    fprintf(out, "%s  # %s\n", end, from);
}

int cfg_write(const struct cfg *c, FILE *out, const char *header)
{
    if (header) {
        for (const char *p = header; *p;) {
            size_t len = strcspn(p, "\n");
            fprintf(out, "# %.*s\n", (int)len, p);
            p += len;
            if (*p) {
                p++;
            }
        }
    }
    const config_setting_t *root = cfg_root(c);
    for (int i = 0; i < config_setting_length(root); i++) {
        write_setting(c, out, config_setting_get_elem(root, (unsigned)i), 0, false);
    }
    if (fflush(out) != 0 || ferror(out)) {
        return -(errno ? errno : EIO);
    }
    return 0;
}
