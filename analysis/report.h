/*
 * report — one self-contained HTML page from a results folder.
 *
 * report_write() draws the folder's figures if they are missing (analysis/plot.h) and writes
 * DIR/report.html: for a run or a comparison first the sections for a bid (report_bid.h: the
 * summary in words, counts a year, costs, the year-by-year counts), then the question (the leading
 * comments of each scenario file), the scenarios and what differs between them (their resolved
 * parameters compared key by key), the headline table with 95% intervals (and paired differences
 * for a comparison), the figures (PNG, embedded as data URIs, so the file can be mailed or attached
 * on its own), every parameter with its value and origin (file and line, command-line option, or
 * default with its published source), the method (replications, warm-up, horizon, seeds, common
 * random numbers, version and revision), and the validation status (validation.csv of a `ccsim
 * validate -o` folder when the folder is one, else the pointer to docs/validation.md). A folder
 * of a probabilistic sensitivity analysis (psa_summary.csv; `ccsim psa`) is titled so and gets the
 * section Parameter uncertainty (report_psa.h) in place of the headline table, with its figures,
 * and limitations that say the parameters' uncertainty is included. Nothing in it loads from the
 * network.
 *
 * With pdf, it also prints the page to DIR/report.pdf with a headless Chromium
 * (chromium or chromium-browser on PATH, or $CCSIM_CHROMIUM).
 *
 * Every file read is checked first (analysis/table.h): a CSV file that is malformed, or a
 * manifest.json that is not ccsim's, is reported as "FILE:LINE: what is wrong (what is
 * expected)" and nothing is written. The page and the PDF are written into a staging folder
 * DIR/.report.ccsim-partial-XXXXXX (see plot.h) and each replaces its old file in one rename, so
 * a failure or a signal never leaves a half-written report and never destroys the previous one.
 */
#ifndef CCSIM_ANALYSIS_REPORT_H
#define CCSIM_ANALYSIS_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#define REPORT_PDF    1u /* print report.pdf too */
#define REPORT_LETTER 4u /* US Letter pages when printed (A4 otherwise) */
#define REPORT_DRY_RUN                                                                             \
    2u /* no gnuplot, no Chromium: figures prepared only (plot.h's                                 \
        * PLOT_DRY_RUN), for the fuzzing harness and tests */

/* Writes DIR/report.html (and report.pdf with pdf). Returns 0 on success; CCSIM_EINPUT
 * (sim/error.h) when the folder's content is missing or bad (not a folder, no manifest.json or
 * not ccsim's, no results, a malformed CSV file: the command line exits 2); CCSIM_EIO when
 * report.html cannot be written (a full disk); CCSIM_ETOOL when the page cannot be put in place
 * (another ccsim writing the same report, a failed rename) or printing failed (no Chromium for
 * --pdf, or Chromium failing; report.html is then written and err says so). CCSIM_EIO and
 * CCSIM_ETOOL make the command line exit 1. A missing or failing gnuplot only leaves the
 * figures out, and the page says so. err gets one line, "FILE:LINE: what is wrong (what is
 * expected)" for bad content. */
int report_write(const char *dir, bool pdf, char *err, size_t err_len);
/* The same with flags (REPORT_PDF, REPORT_DRY_RUN). */
int report_write_flags(const char *dir, unsigned flags, char *err, size_t err_len);

/* For a SIGINT, SIGTERM or SIGHUP handler: stops a Chromium printing the PDF and removes the
 * report's staging folder (and a drawing's, as plot_on_signal() does), with async-signal-safe
 * calls only. Does nothing when no report is being written. */
void report_on_signal(void);

#endif
