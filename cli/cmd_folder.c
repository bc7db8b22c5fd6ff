/* plot, report and keys: the commands that read a results folder or the key reference. */
#include "cli/cli.h"

int cmd_plot(int argc, char **argv)
{
    char err[1024];
    options_usage_cmd = "plot";
    if (argc >= 3 && (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0)) {
        options_help(&cmd_spec_plot, stdout);
        return 0;
    }
    if (argc != 3) {
        return usage_error("plot: give one results folder");
    }
    int n = plot_folder(argv[2], err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "ccsim: plot: %s\n", err);
        return n;
    }
    printf("%d figure%s in %s/figures (PNG, SVG, PDF, with their gnuplot scripts)\n", n,
           n == 1 ? "" : "s", argv[2]);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    char err[1024];
    struct run_opts ro = {.cmd = "report"};
    const char *dir = NULL;
    int n_operands = 0;
    int parsed = options_parse(&cmd_spec_report, argc, argv, &ro, &dir, &n_operands);
    if (parsed != 0) {
        return parsed == OPTIONS_HELP ? 0 : parsed;
    }
    bool pdf = ro.pdf;
    unsigned flags = pdf ? REPORT_PDF : 0;
    if (ro.paper && strcmp(ro.paper, "letter") == 0) {
        flags |= REPORT_LETTER;
    } else if (ro.paper && strcmp(ro.paper, "a4") != 0) {
        fprintf(stderr, "ccsim: report: --paper: '%s' is not a paper size (a4 or letter)\n",
                ro.paper);
        return CCSIM_EUSAGE;
    }
    int rc = report_write_flags(dir, flags, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "ccsim: report: %s\n", err);
        return rc;
    }
    printf("%s/report.html%s\n", dir, pdf ? " and report.pdf" : "");
    return 0;
}

int cmd_keys(int argc, char **argv)
{
    struct run_opts ko = {.cmd = "keys"};
    int n_operands = 0;
    int parsed = options_parse(&cmd_spec_keys, argc, argv, &ko, NULL, &n_operands);
    if (parsed != 0) {
        return parsed == OPTIONS_HELP ? 0 : parsed;
    }
    int rc = reference_write_markdown(stdout);
    if (rc != 0) {
        fprintf(stderr, "ccsim: keys: cannot write: %s\n", ccsim_strerror(rc));
        return CCSIM_EIO;
    }
    return 0;
}
