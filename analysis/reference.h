/*
 * reference — the scenario-key reference, generated from the key declarations.
 *
 * Every key a scenario may hold is declared once in a struct cfg_key beside the code that reads
 * it; this module writes those declarations out as docs/scenarios.md (`make docs`, `ccsim keys`),
 * so that the reference can never drift from what ccsim accepts. A test regenerates it and
 * compares it with the committed file.
 */
#ifndef CCSIM_ANALYSIS_REFERENCE_H
#define CCSIM_ANALYSIS_REFERENCE_H

#include <stdio.h>

/* Writes the Markdown reference of every declared key. Returns 0 or -errno. */
int reference_write_markdown(FILE *out);

#endif
