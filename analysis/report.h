/*
 * report — one self-contained HTML page from a results folder.
 *
 * report_write() draws the folder's figures if they are missing (analysis/plot.h) and writes
 * DIR/report.html: the question (the leading comments of each scenario file), the scenarios and
 * what differs between them (their resolved parameters compared key by key), the headline table
 * with 95% intervals (and paired differences for a comparison), the figures (PNG, embedded as
 * data URIs, so the file can be mailed or attached on its own), every parameter with its value
 * and origin (file and line, command-line option, or default with its published source), the
 * method (replications, warm-up, horizon, seeds, common random numbers, version and revision),
 * and the validation status (validation.csv of a `ccsim validate -o` folder when the folder is
 * one, else the pointer to docs/validation.md). Nothing in it loads from the network.
 *
 * With pdf, it also prints the page to DIR/report.pdf with a headless Chromium
 * (chromium or chromium-browser on PATH, or $CCSIM_CHROMIUM).
 */
#ifndef CCSIM_ANALYSIS_REPORT_H
#define CCSIM_ANALYSIS_REPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Writes DIR/report.html (and report.pdf with pdf). Returns 0; -1 with err set when DIR is not
 * a results folder; -2 when writing or printing failed (no Chromium for --pdf, say). A missing
 * gnuplot only leaves the figures out, and the page says so. */
int report_write(const char *dir, bool pdf, char *err, size_t err_len);

#endif
