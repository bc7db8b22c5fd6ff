/*
 * ccsim — the command-line program.
 *
 * Exit status: 0 done; 1 failed while running (a replication failed, a file could not be
 * written); 2 bad command line or scenario (nothing is run and nothing is written). Every
 * command returns a code of sim/error.h, and ccsim_exit_status() alone turns it into the status.
 *
 * Under MPI (make MPI=1, docs/cluster.md) every rank runs the command and they exit with the same
 * status (analysis/par.h).
 */
#include "cli/cli.h"

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    char err[512];

    sim_fail_install_gsl_handler();
    folder_install_signals();
    int rc = par_init(&argc, &argv, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return ccsim_exit_status(rc);
    }
    return par_finalize(dispatch(argc, argv));
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        options_help_main(cmd_specs, n_cmd_specs, stderr);
        return ccsim_exit_status(CCSIM_EUSAGE);
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        options_help_main(cmd_specs, n_cmd_specs, stdout);
        scenarios_help(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
#ifdef CCSIM_MPI
        printf("ccsim %s (%s, MPI)\n", CCSIM_VERSION, CCSIM_GIT_REV);
#else
        printf("ccsim %s (%s)\n", CCSIM_VERSION, CCSIM_GIT_REV);
#endif
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
    } commands[] = {
        {"run", cmd_run},
        {"check", cmd_check},
        {"compare", cmd_compare},
        {"sweep", cmd_sweep},
        {"sensitivity", cmd_sensitivity},
        {"psa", cmd_psa},
        {"calibrate", cmd_calibrate},
        {"validate", cmd_validate},
        {"plot", cmd_plot},
        {"report", cmd_report},
        {"keys", cmd_keys},
        {"scenarios", cmd_scenarios},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name) == 0) {
            return ccsim_exit_status(commands[i].fn(argc, argv));
        }
    }
    const char *names[sizeof commands / sizeof commands[0]];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        names[i] = commands[i].name;
    }
    const char *near = options_suggest(cmd, names, (int)(sizeof names / sizeof names[0]));
    if (near) {
        fprintf(stderr, "ccsim: unknown command '%s'; did you mean '%s'?\n(see 'ccsim --help')\n",
                cmd, near);
        return ccsim_exit_status(CCSIM_EUSAGE);
    }
    fprintf(stderr, "ccsim: unknown command '%s'\n", cmd);
    options_help_main(cmd_specs, n_cmd_specs, stderr);
    return ccsim_exit_status(CCSIM_EUSAGE);
}
