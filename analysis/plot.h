/*
 * plot — figures from a results folder, drawn by gnuplot run as an external program.
 *
 * plot_folder() reads the CSV files a results folder holds (summary.csv and timeseries.csv of a
 * run, comparison.csv of a comparison, sweep.csv of a sweep, sensitivity.csv of a sensitivity
 * analysis, psa_summary.csv with psa.csv, psa_ceac.csv and psa_drivers.csv of a probabilistic
 * sensitivity analysis) and draws every figure they allow into DIR/figures/:
 *
 *   outcomes      headline metrics, one panel each, bars with 95% CI whiskers per scenario
 *   differences   forest plot of paired differences from the first scenario (the reference),
 *                 scenario minus reference as comparison.csv's diff column (differences.dat
 *                 holds those numbers), in the metric's unit ("change from baseline (days)"),
 *                 the better direction marked ("<- lower is better") from the column better
 *   costs         the cost metrics by component (those whose unit names a price year, "GBP a
 *                 year, 2023 prices", and not per model or service), their change from the
 *                 reference in a comparison or their means in a run, on an axis in that unit
 *   years         per-year metrics ("yearK.NAME") of a run with a planning horizon
 *   timeseries    weekly series with a 95% CI band
 *   sweep_METRIC  metric against the first varied key, a line and CI band per second key
 *   tornado_METRIC  one-way sensitivity, parameters sorted by the width of their effect
 *   psa_plane     the cost-effectiveness plane of a PSA: for each scenario but the first, each
 *                 draw's admissions averted a year (minus psa.csv's difference of
 *                 admissions_per_year) against its change in cost a year, the axes through 0,
 *                 the mean (psa_summary.csv's difference) marked; without costs, the draws'
 *                 differences in the first two headline metrics
 *   psa_ceac      the acceptability curves (psa_ceac.csv): the probability that each scenario
 *                 is cost-effective against the willingness to pay, a panel per outcome
 *                 averted (admissions, bed-days); only with costs
 *   psa_intervals each headline metric's difference from the reference over the draws, the
 *                 mean and 95% uncertainty interval (psa_summary.csv) per scenario, the better
 *                 direction marked and the share of draws in which it is better written beside
 *   psa_drivers   the Spearman rank correlation of each parameter's draws with a headline
 *                 difference (psa_drivers.csv), the ten largest in absolute value as bars, a
 *                 panel per scenario and headline metric (four shared among the scenarios
 *                 after the first: their first headline metrics)
 *
 * The metrics drawn are the headline ones, titled by their labels, with their units on the axes,
 * all read from the files' columns headline, label, unit and better (analysis/csv.h); a folder
 * written before those columns existed is drawn by metric names, with every metric counted a
 * headline (at most six of them in a figure) and no better direction.
 *
 * Each figure is written as NAME.png (slides), NAME.svg (web) and NAME.pdf (print), beside
 * NAME.gp, the gnuplot script that drew it, and NAME.dat, its data, so that a user can restyle
 * it (`gnuplot -e "set terminal pngcairo size 1400,1000 fontscale 1.5; set output 'x.png'"
 * NAME.gp`). Style: titles, axis labels with units, laid out for the width of an A4 page (1400
 * pixels, 7 inches in the PDF) with text of 7 points there, the Okabe-Ito colour-blind-safe
 * palette, the scenario names the user gave (file names). METRIC in a file name keeps letters,
 * digits, '_', '-' and '.'; other characters become '_'.
 *
 * All or nothing. Every file is read and checked (analysis/table.h) before anything is drawn.
 * Figures are drawn into a staging folder DIR/.figures.ccsim-partial-XXXXXX, which replaces
 * DIR/figures only once every figure is drawn (an atomic exchange where the file system has
 * one, else two renames), so a failure or a signal leaves the previous figures as they were.
 * Staging folders left by a killed process are removed by the next plot of the folder (a lock
 * file, DIR/.figures.ccsim-lock while drawing, tells a live one from a leftover). Results are
 * never touched.
 *
 * The program is "gnuplot" on PATH, or $CCSIM_GNUPLOT. Not thread-safe: one drawing per process
 * at a time (the signal handler's paths are static).
 */
#ifndef CCSIM_ANALYSIS_PLOT_H
#define CCSIM_ANALYSIS_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/table.h"

#define PLOT_PATH_MAX 4400 /* bytes of a staging path; results folders up to 4000 */

/* plot_folder_flags(): write the scripts and data of every figure but run no gnuplot, then
 * remove them (the results folder is left as it was): for the fuzzing harness and tests. */
#define PLOT_DRY_RUN 1u

/* Whether gnuplot can be run; else err says so and how to install it. */
bool plot_available(char *err, size_t err_len);

/* Draws every figure the folder allows. Returns the number of figures drawn (>= 1);
 * CCSIM_EINPUT (sim/error.h) when the folder's content is missing or bad (not a folder, no file
 * to draw from, a malformed file: err is "FILE:LINE: what is wrong (what is expected)"; the
 * command line exits 2); CCSIM_ETOOL when drawing failed for another reason (gnuplot missing or
 * failing, a file that cannot be written, another ccsim drawing the same folder; the command
 * line exits 1). err gets one line. */
int plot_folder(const char *dir, char *err, size_t err_len);
/* The same with flags (PLOT_DRY_RUN). */
int plot_folder_flags(const char *dir, unsigned flags, char *err, size_t err_len);

/* The name (without extension) of the figure of metric drawn with prefix ("sweep_",
 * "tornado_") under figures/: prefix and metric, with every character but letters, digits,
 * '_', '-' and '.' as '_'. */
void plot_figure_name(const char *prefix, const char *metric, char *buf, size_t n);

/* For a SIGINT, SIGTERM or SIGHUP handler: stops a gnuplot being run and removes the staging
 * folders of a drawing (and of a report being written, see report.h) with their files, using
 * async-signal-safe calls only. Does nothing when nothing is being drawn. */
void plot_on_signal(void);

/* ---- staging folders (shared with analysis/report) ----------------------------------------
 *
 * A staging folder DIR/.NAME.ccsim-partial-XXXXXX holds new files until they replace the old
 * ones in one step. plot_stage_begin() takes the lock DIR/.NAME.ccsim-lock (refusing when
 * another process holds it), removes the leftovers of a killed process, creates the folder and
 * registers it for plot_on_signal(); plot_stage_swap() exchanges it with the folder DIR/DEST;
 * plot_stage_install() renames one file of it to DIR/FILE; plot_stage_end() removes what is
 * left and the lock. At most two at a time per process. They return 0 or -1 with err set. */
struct plot_stage {
    char dir[PLOT_PATH_MAX];
    char tmp[PLOT_PATH_MAX]; /* the staging folder */
    char lock[PLOT_PATH_MAX];
    int lock_fd, slot;
};

int plot_stage_begin(struct plot_stage *s, const char *dir, const char *name, char *err,
                     size_t err_len);
int plot_stage_swap(struct plot_stage *s, const char *dest, char *err, size_t err_len);
int plot_stage_install(struct plot_stage *s, const char *file, char *err, size_t err_len);
void plot_stage_end(struct plot_stage *s);

/* Checks column c of a comparison table: each scenario name is a file name (no '/', not "." or
 * ".."), as compare writes them. 0, or -1 with "FILE:LINE: ..." in err. */
int plot_check_scenario_names(const struct table *t, int c, char *err, size_t err_len);

#endif
