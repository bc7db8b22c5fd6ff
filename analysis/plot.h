/*
 * plot — figures from a results folder, drawn by gnuplot run as an external program.
 *
 * plot_folder() reads the CSV files a results folder holds (summary.csv and timeseries.csv of a
 * run, comparison.csv of a comparison, sweep.csv of a sweep, sensitivity.csv of a sensitivity
 * analysis) and draws every figure they allow into DIR/figures/:
 *
 *   outcomes      headline metrics, one panel each, bars with 95% CI whiskers per scenario
 *   differences   forest plot of paired differences against the first scenario, in the units
 *                 a planner reads ("admissions averted per 100 clients per year")
 *   timeseries    weekly series with a 95% CI band
 *   sweep_METRIC  metric against the first varied key, a line and CI band per second key
 *   tornado_METRIC  one-way sensitivity, parameters sorted by the width of their effect
 *   flow          where clients went in a year: referred, assessed, coordinated, crises, ED,
 *                 admitted (care model)
 *
 * Each figure is written as NAME.png (slides), NAME.svg (web) and NAME.pdf (print), beside
 * NAME.gp, the gnuplot script that drew it, and NAME.dat, its data, so that a user can restyle
 * it (`gnuplot -e "set terminal pngcairo size 1600,1000; set output 'x.png'" NAME.gp`). Style:
 * titles, axis labels with units, fonts readable at slide size, the Okabe-Ito colour-blind-safe
 * palette, the scenario names the user gave (file names).
 *
 * The program is "gnuplot" on PATH, or $CCSIM_GNUPLOT. Results are never touched: only
 * DIR/figures/ is written, and what an earlier drawing left there is removed first.
 */
#ifndef CCSIM_ANALYSIS_PLOT_H
#define CCSIM_ANALYSIS_PLOT_H

#include <stdbool.h>
#include <stddef.h>

/* Whether gnuplot can be run; else err says so and how to install it. */
bool plot_available(char *err, size_t err_len);

/* Draws every figure the folder allows. Returns the number of figures drawn (>= 1), or -1 with
 * a one-line reason in err (no gnuplot, no CSV file to draw from, a malformed file, gnuplot
 * failing). */
int plot_folder(const char *dir, char *err, size_t err_len);

#endif
