/*
 * resolve — writes the resolved text of scenario files into a folder, as extra fuzzing seeds:
 * most shipped scenarios start from a base, which the harness (loading text) does not follow.
 * Usage: resolve OUTDIR FILE...; a file that does not load is left out. Built with the normal
 * toolchain against build/libccsim.a by `make fuzz-corpus`.
 */
#include <stdio.h>
#include <string.h>

#include "models/model.h"
#include "sim/cfg.h"

int main(int argc, char **argv)
{
    int n = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: resolve OUTDIR FILE...\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        struct cfg c;
        cfg_init(&c);
        struct scenario *sc = cfg_load_file(&c, argv[i]) ? scenario_load(&c) : NULL;
        if (sc) {
            char name[1024], path[2048];
            snprintf(name, sizeof name, "%s", argv[i]);
            for (char *p = name; *p; p++) {
                *p = *p == '/' ? '_' : *p;
            }
            snprintf(path, sizeof path, "%s/resolved_%s", argv[1], name);
            FILE *f = fopen(path, "w");
            if (f && cfg_write(&c, f, NULL) == 0) {
                n++;
            }
            if (f) {
                fclose(f);
            }
        }
        scenario_destroy(sc);
        cfg_fini(&c);
    }
    printf("resolve: %d of %d scenarios written to %s\n", n, argc - 2, argv[1]);
    return 0;
}
