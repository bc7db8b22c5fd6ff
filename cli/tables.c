/* tables — the options of every command, from which parser and --help are made (options.h). */
#include <limits.h>
#include <stddef.h>

#include "cli/cli.h"

#define F(x) offsetof(struct run_opts, x)

#define OPT_OUTPUT(what)                                                                           \
    {                                                                                              \
        .shrt = "-o", .lng = "--output", .kind = OPT_TEXT, .arg = "DIR", .off = F(outdir),         \
        .missing = "a folder name", .help = what                                                   \
    }
#define OPT_RESUME                                                                                 \
    {                                                                                              \
        .shrt = "", .lng = "--resume", .kind = OPT_TEXT, .arg = "DIR", .off = F(resume),           \
        .missing = "the results folder of the interrupted run",                                    \
        .help = "write the results folder DIR, as -o DIR does, reusing the replications that an "  \
                "earlier run of the same command into DIR finished before it was killed or "       \
                "interrupted (a run with -o DIR keeps each replication as it finishes, in a "      \
                "hidden .NAME.ccsim-units beside DIR, until DIR is complete); the results are "    \
                "those of an uninterrupted run, byte for byte; with nothing kept, the run starts " \
                "from the beginning"                                                               \
    }
#define OPT_SET                                                                                    \
    {                                                                                              \
        .shrt = "", .lng = "--set", .kind = OPT_LIST, .arg = "KEY=VALUE", .hi = MAX_SETS,          \
        .off = F(sets), .n_off = F(n_sets), .missing = "KEY=VALUE", .full = "overrides",           \
        .help = "override a scenario key (dotted path, e.g. network.stations[0].servers=12)"       \
    }
#define OPT_REPS                                                                                   \
    {                                                                                              \
        .shrt = "-r", .lng = "--replications", .kind = OPT_COUNT, .arg = "N", .lo = 1,             \
        .hi = 1000000, .off = F(reps), .missing = "a number",                                      \
        .help = "replications, overriding the scenario (1 gives no confidence interval: every "    \
                "interval is NA)"                                                                  \
    }
#define OPT_SEED                                                                                   \
    {                                                                                              \
        .shrt = "-s", .lng = "--seed", .kind = OPT_COUNT, .arg = "N", .lo = 0, .hi = LLONG_MAX,    \
        .off = F(seed), .missing = "a number", .help = "scenario seed, overriding the scenario"    \
    }
#define OPT_THREADS                                                                                \
    {                                                                                              \
        .shrt = "-j", .lng = "--threads", .kind = OPT_COUNT, .arg = "N", .lo = 1, .hi = 256,       \
        .off = F(threads), .missing = "a number",                                                  \
        .help = "run replications on N threads (one per online core unless given); results do "    \
                "not depend on N"                                                                  \
    }
#define OPT_QUIET                                                                                  \
    {                                                                                              \
        .shrt = "-q", .lng = "--quiet", .kind = OPT_FLAG, .off = F(is_quiet),                      \
        .help = "no progress bar (it is shown only on a terminal anyway) and no closing line "     \
                "(\"wrote DIR in N s\")"                                                           \
    }
#define OPT_FORCE                                                                                  \
    {                                                                                              \
        .shrt = "", .lng = "--force", .kind = OPT_FLAG, .off = F(force), .needs = "--output",      \
        .needs_or = "--resume",                                                                    \
        .help =                                                                                    \
            "replace DIR if it is a results folder that ccsim wrote, once the new results are "    \
            "complete (never a link, a file, a folder holding other files or an input of the "     \
            "run)"                                                                                 \
    }
#define OPT_NO_PLOTS                                                                               \
    {                                                                                              \
        .shrt = "", .lng = "--no-plots", .kind = OPT_FLAG, .off = F(no_plots),                     \
        .help = "do not draw DIR/figures (drawn by default with -o; see ccsim plot)"               \
    }
#define OPT_REPORT                                                                                 \
    {                                                                                              \
        .shrt = "", .lng = "--report", .kind = OPT_FLAG, .off = F(report),                         \
        .help = "also write DIR/report.html, the report for a bid (as ccsim report DIR does)"      \
    }

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct opt run_opts_table[] = {
    OPT_OUTPUT("write the results folder DIR: summary.csv, replications.csv, "
               "scenario.resolved.cfg, manifest.json (and timeseries.csv, warnings.txt, figures/ "
               "when there are any); DIR must not exist (see --force); it appears complete or not "
               "at all"),
    OPT_SET,
    OPT_REPS,
    OPT_SEED,
    OPT_THREADS,
    {.shrt = "",
     .lng = "--precision",
     .kind = OPT_FRACTION,
     .arg = "P",
     .off = F(precision),
     .missing = "a fraction, e.g. 0.05",
     .bad = "a fraction of the mean (real > 0 and < 1, e.g. 0.05 for 5%)",
     .help = "add replications until every headline metric's 95% interval is within P x its mean "
             "(real > 0 and < 1, e.g. 0.05), starting from the scenario's replications"},
    {.shrt = "",
     .lng = "--max-reps",
     .kind = OPT_COUNT,
     .arg = "N",
     .lo = 2,
     .hi = 1000000,
     .off = F(max_reps),
     .missing = "a number",
     .has_dflt = true,
     .dflt = 1000,
     .needs = "--precision",
     .help = "the most replications --precision may run"},
    {.shrt = "",
     .lng = "--warmup",
     .kind = OPT_WORD,
     .arg = "auto",
     .off = F(warmup_auto),
     .word = "auto",
     .bad = "only 'auto' (MSER-5 on a pilot run); give a fixed warm-up in the scenario or with "
            "--set warmup=DAYS",
     .help = "estimate the warm-up with MSER-5 on the weekly series of a pilot run, then run with "
             "it (reported, and in the resolved scenario)"},
    {.shrt = "",
     .lng = "--trace",
     .kind = OPT_OPTIONAL,
     .arg = "REP",
     .lo = 0,
     .hi = 999999,
     .off = F(trace_rep),
     .dflt = 0,
     .needs = "--output",
     .needs_or = "--resume",
     .help = "write DIR/trace.csv: every event of every client of replication REP (numbered as "
             "in replications.csv, from 0), one row each: replication,time_days,client,event,"
             "stage,model,service; the results are the same as without it"},
    {.shrt = "",
     .lng = "--trace-rows",
     .kind = OPT_COUNT,
     .arg = "N",
     .lo = 1,
     .hi = 100000000,
     .off = F(trace_rows),
     .missing = "a number",
     .has_dflt = true,
     .dflt = 5000000,
     .needs = "--trace",
     .help = "the most rows of trace.csv (16 bytes of memory each while running); past them the "
             "file ends with a row whose event is 'truncated', and ccsim says so"},
    OPT_QUIET,
    OPT_FORCE,
    OPT_RESUME,
    OPT_NO_PLOTS,
    OPT_REPORT,
};

const struct command cmd_spec_run = {
    .name = "run",
    .operands = "SCENARIO.cfg",
    .summary = "run the replications of a scenario and summarise them",
    .about = "Runs the scenario's replications and prints a summary table (mean, sd, 95% "
             "confidence interval across replications), or writes a results folder with -o. "
             "SCENARIO.cfg is a file, or the name of a shipped scenario (ccsim run care/baseline; "
             "ccsim scenarios lists them).",
    .opts = run_opts_table,
    .n_opts = N(run_opts_table),
    .max_operands = 1,
    .extra = OPT_EXTRA_SCENARIO,
    .no_operands = "run: no scenario file given",
};

static const struct opt check_opts_table[] = {OPT_SET, OPT_REPS, OPT_SEED};

const struct command cmd_spec_check = {
    .name = "check",
    .operands = "SCENARIO.cfg",
    .summary = "validate a scenario and show every resolved value and its origin",
    .about = "Validates the scenario without running it. When it is valid, prints every resolved "
             "value (after base files, @include and overrides) with its unit and where it came "
             "from: file and line, a command-line option, or a built-in default with its "
             "published source, and what a run needs (memory, time), in lines that fit the "
             "terminal ($COLUMNS, or 80 columns when not a terminal). Every problem is reported "
             "otherwise.",
    .opts = check_opts_table,
    .n_opts = N(check_opts_table),
    .max_operands = 1,
    .extra = OPT_EXTRA_SCENARIO,
    .no_operands = "check: no scenario file given",
};

static const struct opt compare_opts_table[] = {
    OPT_OUTPUT("write DIR/comparison.csv (metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,"
               "diff_ci_high,unit,label,headline; diff is the scenario minus the first), each "
               "scenario's NAME.replications.csv, NAME.timeseries.csv (weekly series) and "
               "NAME.resolved.cfg, and manifest.json"),
    OPT_SET,
    OPT_REPS,
    OPT_SEED,
    OPT_THREADS,
    OPT_QUIET,
    OPT_FORCE,
    OPT_RESUME,
    OPT_NO_PLOTS,
    OPT_REPORT,
};

const struct command cmd_spec_compare = {
    .name = "compare",
    .operands = "A.cfg B.cfg [C.cfg ...]",
    .summary = "the same clients under each scenario; paired differences",
    .about = "Runs every scenario on the same clients with the same random numbers and reports, "
             "for each metric of any scenario, each scenario's mean and its difference from the "
             "first scenario with a 95% confidence interval from the paired replications (NA "
             "where a scenario lacks the metric), then a summary in words of each count a year "
             "and headline outcome (\"Admissions per year (all clients): 37 fewer (31 to 43), "
             "better\"). Replications and seed are the first scenario's unless given; --set "
             "applies to every scenario. A warning says when the scenarios' horizons, warm-ups "
             "or seeds differ. Each is a file or the name of a shipped scenario (ccsim compare "
             "care/baseline care/act).",
    .opts = compare_opts_table,
    .n_opts = N(compare_opts_table),
    .max_operands = MAX_SCENARIOS,
    .extra = OPT_EXTRA_SCENARIOS,
    .no_operands = "compare: no scenario file given",
    .min_operands = 2,
    .few_operands = "compare: at least two scenarios (the first is the reference)",
};

static const struct opt psa_opts_table[] = {
    {.shrt = "",
     .lng = "--draws",
     .kind = OPT_COUNT,
     .arg = "N",
     .lo = 1,
     .hi = 1000000,
     .off = F(draws),
     .missing = "a number",
     .is_required = true,
     .help = "parameter draws; each runs every scenario for the replications (-r) on clients of "
             "its own"},
    {.shrt = "",
     .lng = "--wtp-max",
     .kind = OPT_COUNT,
     .arg = "N",
     .lo = 1,
     .hi = 1000000000000LL,
     .off = F(wtp_max),
     .missing = "a number",
     .help = "the largest willingness to pay per admission or bed-day averted of the "
             "acceptability curves, in the scenarios' currency (chosen from the results unless "
             "given)"},
    OPT_OUTPUT("write DIR/psa.csv (draw,scenario,metric,value,difference), psa_parameters.csv, "
               "psa_summary.csv (each metric's mean and 95% uncertainty interval, its difference "
               "from the first scenario, the probability of being better and best), "
               "psa_drivers.csv (rank correlations), psa_ceac.csv (acceptability, with costs), "
               "each NAME.resolved.cfg and manifest.json"),
    OPT_RESUME,
    OPT_SET,
    OPT_REPS,
    OPT_SEED,
    OPT_THREADS,
    OPT_QUIET,
    OPT_FORCE,
    OPT_NO_PLOTS,
    OPT_REPORT,
};

const struct command cmd_spec_psa = {
    .name = "psa",
    .operands = "A.cfg [B.cfg ...]",
    .summary = "probabilistic sensitivity analysis: parameter draws from their evidence",
    .about = "Draws every uncertain parameter of the scenarios (their uncertainty groups and the "
             "default uncertainty of keys whose evidence gives an interval: see ccsim check and "
             "docs/psa.md) N times; each draw runs every scenario on the same clients with the "
             "same values, and the draws give each outcome's 95% uncertainty interval, its "
             "difference from the first scenario, the probability that each scenario is better "
             "and best, the parameters that drive the differences and, with costs, the "
             "probability of being cost-effective at each willingness to pay. Results do not "
             "depend on -j.",
    .opts = psa_opts_table,
    .n_opts = N(psa_opts_table),
    .max_operands = MAX_SCENARIOS,
    .extra = OPT_EXTRA_SCENARIOS,
    .no_operands = "psa: no scenario file given",
    .required = "psa: --draws N is required (how many parameter draws)",
};

static const struct opt sweep_opts_table[] = {
    {.shrt = "",
     .lng = "--vary",
     .kind = OPT_LIST,
     .arg = "KEY=FROM:TO:STEP",
     .hi = SWEEP_MAX_KEYS,
     .off = F(vary),
     .n_off = F(n_vary),
     .missing = "KEY=FROM:TO:STEP",
     .full = "keys",
     .is_required = true,
     .help = "a key to vary (dotted path as for --set) from FROM to TO by STEP"},
    OPT_OUTPUT("write DIR/sweep.csv (the varied keys, then metric,mean,ci_low,ci_high,n,unit,label,"
               "headline) and "
               "manifest.json"),
    OPT_SET,
    OPT_REPS,
    OPT_SEED,
    OPT_THREADS,
    OPT_QUIET,
    OPT_FORCE,
    OPT_RESUME,
    OPT_NO_PLOTS,
    OPT_REPORT,
};

const struct command cmd_spec_sweep = {
    .name = "sweep",
    .operands = "SCENARIO.cfg",
    .summary = "a grid over keys (--vary KEY=FROM:TO:STEP), each point with CIs",
    .about = "Runs the scenario at every point of the grid of the varied keys (FROM, FROM+STEP, "
             "... TO; several --vary give every combination, the last varying fastest), each "
             "point with the same seed and replications, and reports each metric with its 95% "
             "confidence interval. Every point is validated before anything runs.",
    .opts = sweep_opts_table,
    .n_opts = N(sweep_opts_table),
    .max_operands = 1,
    .extra = OPT_EXTRA_SCENARIO,
    .no_operands = "sweep: no scenario file given",
    .required = "sweep: give at least one --vary KEY=FROM:TO:STEP",
};

static const struct opt sensitivity_opts_table[] = {
    OPT_OUTPUT("write DIR/sensitivity.csv (parameter,low,high,metric,base,low_mean,high_mean,"
               "low_diff,...,high_diff_ci_high,unit,label,headline) and manifest.json"),
    OPT_SET,
    OPT_REPS,
    OPT_SEED,
    OPT_THREADS,
    OPT_QUIET,
    OPT_FORCE,
    OPT_RESUME,
    OPT_NO_PLOTS,
    OPT_REPORT,
};

const struct command cmd_spec_sensitivity = {
    .name = "sensitivity",
    .operands = "SCENARIO.cfg",
    .summary = "one-way low/high for every parameter with a plausible range",
    .about = "One-way sensitivity: runs the scenario with each parameter that declares a "
             "plausible range (see docs/scenarios.md) at the low and at the high end of it, "
             "everything else as given, on the same random numbers, and reports each metric's "
             "paired difference from the base.",
    .opts = sensitivity_opts_table,
    .n_opts = N(sensitivity_opts_table),
    .max_operands = 1,
    .extra = OPT_EXTRA_SCENARIO,
    .no_operands = "sensitivity: no scenario file given",
};

static const struct opt calibrate_opts_table[] = {
    {.shrt = "",
     .lng = "--target",
     .kind = OPT_LIST,
     .arg = "METRIC=VALUE",
     .hi = CALIB_MAX,
     .off = F(targets),
     .n_off = F(n_targets),
     .full_pre = "METRIC=VALUE, at most ",
     .help = "an outcome to match (its relative error counts)"},
    {.shrt = "",
     .lng = "--targets",
     .kind = OPT_TEXT,
     .arg = "FILE",
     .off = F(target_file),
     .missing = "a file",
     .help = "targets from a CSV file (metric,target,low,high,use,source,tag; e.g. "
             "scenarios/care/targets.csv): rows with use \"fit\" are matched, their error "
             "counted in half-ranges; rows with use \"check\" only reported"},
    {.shrt = "",
     .lng = "--free",
     .kind = OPT_LIST,
     .arg = "KEY=LOW:HIGH",
     .hi = CALIB_MAX,
     .off = F(frees),
     .n_off = F(n_frees),
     .full_pre = "KEY=LOW:HIGH, at most ",
     .help = "a parameter to fit (a real-valued key) within LOW..HIGH; without any, the "
             "scenario is run as it is and checked against the targets"},
    OPT_OUTPUT("write DIR/fit.csv (metric,target,low,high,mean,ci_low,ci_high,inside,use,tag,"
               "source), calibration.md (the same as a table in words, with the parameters' "
               "uncertainty), params.csv (param,value,ci_low,ci_high,lo,hi,sd,identified,"
               "problem), calibrated.cfg (loadable, the fitted values marked), evaluations.csv "
               "and manifest.json"),
    {.shrt = "",
     .lng = "--max-iter",
     .kind = OPT_COUNT,
     .arg = "N",
     .lo = 1,
     .hi = 100000,
     .off = F(max_iter),
     .missing = "a number",
     .has_dflt = true,
     .dflt = 60,
     .help = "simplex iterations at most"},
    OPT_SET,
    OPT_REPS,
    OPT_SEED,
    OPT_THREADS,
    OPT_QUIET,
    OPT_FORCE,
    OPT_RESUME,
};

const struct command cmd_spec_calibrate = {
    .name = "calibrate",
    .operands = "SCENARIO.cfg",
    .summary = "fit --free parameters to target outcomes, or check a scenario against them",
    .about = "Fits the free parameters (real-valued keys, each within LOW..HIGH) so that the "
             "metrics' means over the replications come as close as possible to the targets "
             "(least squares, Nelder-Mead simplex, the same random numbers at every evaluation), "
             "then reports the fit, target by target inside its range or not, and writes the "
             "calibrated scenario. Without --free it checks the scenario as it is. Exit status 1 "
             "when a target with a range is outside it (the results are still written).",
    .opts = calibrate_opts_table,
    .n_opts = N(calibrate_opts_table),
    .max_operands = 1,
    .extra = OPT_EXTRA_SCENARIO,
    .no_operands = "calibrate: no scenario file given",
};

static const struct opt validate_opts_table[] = {
    {.shrt = "",
     .lng = "--dir",
     .kind = OPT_TEXT,
     .arg = "DIR",
     .off = F(dir),
     .missing = "a folder",
     .dflt_text = "scenarios/validation",
     .help = "the folder of the validation scenarios and their table of published effects "
             "(trials.csv); one that is not a folder here is looked up in the scenarios folder, "
             "so the installed validation/ is found from any folder"},
    OPT_OUTPUT("write DIR/validation.csv (row,source,published,published_low,published_high,"
               "simulated,simulated_low,simulated_high,result,kind,use,models) and manifest.json "
               "(with --free also fitted.csv, evaluations.csv, params.csv and across.csv; with "
               "--leave-one-out loo.csv)"),
    {.shrt = "",
     .lng = "--status",
     .kind = OPT_TEXT,
     .arg = "FILE",
     .off = F(status_file),
     .missing = "a file",
     .help = "write the validation status of every row to FILE (row,models,kind,published,low,"
             "high,simulated,sim_low,sim_high,verdict,use,date,seed; reports read "
             "scenarios/validation/status.csv), replacing it whole, failing rows included"},
    {.shrt = "",
     .lng = "--free",
     .kind = OPT_LIST,
     .arg = "KEY=LOW:HIGH",
     .hi = CALIB_MAX,
     .off = F(frees),
     .n_off = F(n_frees),
     .full_pre = "KEY=LOW:HIGH, at most ",
     .help = "a parameter to fit jointly (a real-valued key, the same value in every scenario) "
             "within LOW..HIGH on the rows with use \"train\" (their misfits in half-widths of "
             "the published interval, on the log scale for RR and OR, squared and summed); every "
             "row is then reported at the fitted values"},
    {.shrt = "",
     .lng = "--leave-one-out",
     .kind = OPT_FLAG,
     .off = F(is_loo),
     .needs = "--free",
     .help = "also predict each training row from a fit on the other training rows (each "
             "held-out row from the fit on all of them): a table, and DIR/loo.csv with -o"},
    {.shrt = "",
     .lng = "--max-iter",
     .kind = OPT_COUNT,
     .arg = "N",
     .lo = 1,
     .hi = 100000,
     .off = F(max_iter),
     .missing = "a number",
     .has_dflt = true,
     .dflt = 60,
     .needs = "--free",
     .help = "simplex iterations at most, per fit"},
    OPT_SET,
    OPT_REPS,
    OPT_SEED,
    OPT_THREADS,
    OPT_QUIET,
    OPT_FORCE,
    OPT_RESUME,
};

const struct command cmd_spec_validate = {
    .name = "validate",
    .operands = "",
    .summary = "published effects against simulated ones (scenarios/validation)",
    .about = "Runs the validation scenarios on the same clients and random numbers and prints, "
             "for each published effect, the published estimate with its 95% interval, the "
             "simulated effect with its paired 95% interval, and pass or fail (inside the "
             "published interval or not). Exit status 1 when any row fails (the results are "
             "still written, and the last line names the failing rows). docs/validation.md "
             "explains every row.",
    .opts = validate_opts_table,
    .n_opts = N(validate_opts_table),
    .max_operands = 0,
    .extra = OPT_EXTRA_UNEXPECTED,
};

const struct command cmd_spec_plot = {
    .name = "plot",
    .operands = "DIR",
    .summary = "figures (PNG, SVG, PDF) from a results folder",
    .about = "Draws every figure the results folder DIR allows (from summary.csv, comparison.csv, "
             "timeseries.csv, sweep.csv, sensitivity.csv, psa_summary.csv) into DIR/figures/ as "
             "PNG, SVG and PDF, "
             "with the gnuplot script and data of each beside it. run, compare, sweep and "
             "sensitivity draw their figures by default (--no-plots to skip). Needs gnuplot "
             "(make deps).",
    .max_operands = 1,
    .extra = OPT_EXTRA_UNEXPECTED,
};

static const struct opt report_opts_table[] = {
    {.shrt = "",
     .lng = "--pdf",
     .kind = OPT_FLAG,
     .off = F(pdf),
     .help = "also print the report to DIR/report.pdf with a headless Chromium (make "
             "deps-browser)"},
    {.shrt = "",
     .lng = "--paper",
     .kind = OPT_TEXT,
     .arg = "SIZE",
     .off = F(paper),
     .missing = "a paper size (a4 or letter)",
     .help = "the page size of the printed report: a4 (the default) or letter"},
};

const struct command cmd_spec_report = {
    .name = "report",
    .operands = "DIR",
    .summary = "a self-contained HTML report of a results folder",
    .about = "Writes DIR/report.html, one self-contained page (figures embedded): the question, "
             "the scenarios and what differs between them, the headline table with 95% "
             "intervals, the figures, every parameter with its source, the method and the "
             "validation status. A sweep's report tables each headline metric at every point "
             "of the grid, a sensitivity report at both ends of every parameter's range.",
    .opts = report_opts_table,
    .n_opts = N(report_opts_table),
    .max_operands = 1,
    .extra = OPT_EXTRA_UNEXPECTED,
    .is_dash_option = true,
    .min_operands = 1,
    .few_operands = "report: give a results folder",
};

const struct command cmd_spec_keys = {
    .name = "keys",
    .operands = "",
    .summary = "print the reference of every scenario key (Markdown)",
    .about = "Prints the reference of every scenario key (Markdown), as in docs/scenarios.md.",
    .max_operands = 0,
    .extra = OPT_EXTRA_UNEXPECTED,
    .is_dash_option = true,
};

static const struct opt scenarios_opts_table[] = {
    {.shrt = "",
     .lng = "--dir",
     .kind = OPT_TEXT,
     .arg = "DIR",
     .off = F(dir),
     .missing = "a folder",
     .help = "list the scenarios of DIR instead (e.g. scenarios in the source tree)"},
};

const struct command cmd_spec_scenarios = {
    .name = "scenarios",
    .operands = "",
    .summary = "list the shipped scenarios, each with the question it answers",
    .about = "Lists every scenario of the scenarios folder by folder, each by the name that runs "
             "it from any folder (ccsim run care/baseline) and with the question it answers, from "
             "the comment the file opens with. The scenarios folder is $CCSIM_SCENARIOS when set, "
             "else the one installed with ccsim (PREFIX/share/ccsim/scenarios); the first line "
             "says which folder was read.",
    .opts = scenarios_opts_table,
    .n_opts = N(scenarios_opts_table),
    .max_operands = 0,
    .extra = OPT_EXTRA_UNEXPECTED,
    .is_dash_option = true,
};

const struct command *const cmd_specs[] = {
    &cmd_spec_run,         &cmd_spec_check,  &cmd_spec_compare,   &cmd_spec_sweep,
    &cmd_spec_sensitivity, &cmd_spec_psa,    &cmd_spec_calibrate, &cmd_spec_validate,
    &cmd_spec_plot,        &cmd_spec_report, &cmd_spec_keys,      &cmd_spec_scenarios,
};
const int n_cmd_specs = N(cmd_specs);
