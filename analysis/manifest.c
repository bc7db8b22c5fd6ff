#include "analysis/manifest.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#ifndef CCSIM_VERSION
#define CCSIM_VERSION "unknown"
#endif
#ifndef CCSIM_GIT_REV
#define CCSIM_GIT_REV "unknown"
#endif

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        default:
            if (*p < 0x20) {
                fprintf(out, "\\u%04x", *p);
            } else {
                fputc(*p, out);
            }
        }
    }
    fputc('"', out);
}

static void iso_time(time_t t, char *buf, size_t n)
{
    struct tm tm;

    if (gmtime_r(&t, &tm)) {
        strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
    } else {
        snprintf(buf, n, "unknown");
    }
}

int manifest_write(const char *path, const struct manifest *m)
{
    char host[256] = "unknown", started[32], finished[32];
    FILE *out = fopen(path, "w");

    if (!out) {
        return -errno;
    }
    if (gethostname(host, sizeof host) != 0) {
        snprintf(host, sizeof host, "unknown");
    }
    host[sizeof host - 1] = '\0';
    iso_time(m->started, started, sizeof started);
    iso_time(m->finished, finished, sizeof finished);

    fputs("{\n  \"ccsim_version\": ", out);
    json_string(out, CCSIM_VERSION);
    fputs(",\n  \"git_revision\": ", out);
    json_string(out, CCSIM_GIT_REV);
    fputs(",\n  \"command\": [", out);
    for (int i = 0; i < m->argc; i++) {
        fputs(i ? ", " : "", out);
        json_string(out, m->argv[i]);
    }
    fputs("],\n  \"scenario\": ", out);
    json_string(out, m->scenario);
    char abs[PATH_MAX];
    if (m->scenario && realpath(m->scenario, abs)) {
        fputs(",\n  \"scenario_file\": ", out);
        json_string(out, abs);
    }
    fputs(",\n  \"model\": ", out);
    json_string(out, m->model);
    fprintf(out,
            ",\n  \"seed\": %" PRIu64 ",\n  \"replications\": %ld,\n  \"threads\": %d,\n"
            "  \"started\": \"%s\",\n  \"finished\": \"%s\",\n  \"wall_seconds\": %.3f,\n"
            "  \"events\": %" PRIu64 ",\n  \"host\": ",
            m->seed, m->replications, m->threads, started, finished, m->wall_seconds, m->n_events);
    json_string(out, host);
    if (m->note) {
        fputs(",\n  \"note\": ", out);
        json_string(out, m->note);
    }
    fputs(",\n  \"files\": [", out);
    for (int i = 0; i < m->n_files; i++) {
        fputs(i ? ", " : "", out);
        json_string(out, m->files[i]);
    }
    fputs("]\n}\n", out);
    int rc = ferror(out) ? -EIO : 0;
    if (fclose(out) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}
