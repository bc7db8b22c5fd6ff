/*
 * error — the one vocabulary of failures that every layer returns and cli/ turns into an exit
 * status.
 *
 * A function that can fail returns 0 (CCSIM_OK) or one of the negative codes below; new code
 * returns these codes, never an ad-hoc -1/-2, and puts the detail for the user (a path, a key,
 * a tool's message) in its own error text.
 *
 * One kind of function returns a negative errno instead: a writer given only a path or a stream
 * and no error text, for which the errno is the whole reason and the path is the caller's: the CSV
 * writers of analysis/csv, compare_write_csv, sweep_write_csv, sens_write_csv, manifest_write,
 * cfg_write, reference_write_markdown and diag_print_warnings (cfg_print_warnings). Their callers
 * add the path and return a code: folder_wrote() (analysis/folder) turns the errno into CCSIM_EIO
 * with "path: reason" in the folder's error text, `ccsim keys` into CCSIM_EIO after printing
 * ccsim_strerror() of it; diag_print_warnings is only given a memory stream (analysis/warnings).
 * The codes lie below -4000, outside the range of any -errno, so a raw -errno is never mistaken
 * for one: ccsim_strerror() gives strerror(errno) for it and ccsim_exit_status() treats it as
 * CCSIM_EIO.
 *
 * Exit status (ccsim_exit_status): 0 done; 1 failed while running (I/O, a tool, a replication,
 * memory); 2 bad input (command line, scenario or results content, a folder in the way), in
 * which case nothing was run and nothing written.
 */
#ifndef CCSIM_SIM_ERROR_H
#define CCSIM_SIM_ERROR_H

enum ccsim_error {
    CCSIM_OK = 0,
    CCSIM_EUSAGE = -4001,  /* bad command line */
    CCSIM_EINPUT = -4002,  /* bad scenario, or a results folder whose content is unusable */
    CCSIM_EIO = -4003,     /* a file or folder could not be read or written */
    CCSIM_ETOOL = -4004,   /* an external program (gnuplot, chromium) missing or failing */
    CCSIM_ERUN = -4005,    /* a replication or an evaluation failed */
    CCSIM_ENOMEM = -4006,  /* out of memory (where it is reported rather than fatal) */
    CCSIM_EEXIST = -4007,  /* a results folder is in the way */
    CCSIM_EMISSED = -4008, /* results complete, but a target or check they were held to missed */
};

/* Exit statuses of the ccsim program. */
#define CCSIM_EXIT_OK     0
#define CCSIM_EXIT_FAILED 1 /* failed while running */
#define CCSIM_EXIT_INPUT  2 /* bad command line or input; nothing run */

/* A short lower-case phrase for code (0, a CCSIM_E* code or a negative errno); never NULL. */
const char *ccsim_strerror(int code);

/* The exit status for code: 0 for CCSIM_OK, CCSIM_EXIT_INPUT for CCSIM_EUSAGE, CCSIM_EINPUT and
 * CCSIM_EEXIST, CCSIM_EXIT_FAILED for every other negative code (a raw -errno included). */
int ccsim_exit_status(int code);

#endif
