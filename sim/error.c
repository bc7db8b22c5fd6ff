/* error — the phrases and exit statuses of ccsim's error codes (see error.h). */
#include "sim/error.h"

#include <string.h>

const char *ccsim_strerror(int code)
{
    switch (code) {
    case CCSIM_OK:
        return "success";
    case CCSIM_EUSAGE:
        return "bad command line";
    case CCSIM_EINPUT:
        return "bad input";
    case CCSIM_EIO:
        return "input/output error";
    case CCSIM_ETOOL:
        return "an external program is missing or failed";
    case CCSIM_ERUN:
        return "a replication failed";
    case CCSIM_ENOMEM:
        return "out of memory";
    case CCSIM_EEXIST:
        return "a results folder is in the way";
    case CCSIM_EMISSED:
        return "a target was missed";
    default:
        break;
    }
    if (code < 0 && code > -4000) {
        return strerror(-code);
    }
    return "unknown error";
}

int ccsim_exit_status(int code)
{
    switch (code) {
    case CCSIM_OK:
        return CCSIM_EXIT_OK;
    case CCSIM_EUSAGE:
    case CCSIM_EINPUT:
    case CCSIM_EEXIST:
        return CCSIM_EXIT_INPUT;
    default:
        return CCSIM_EXIT_FAILED;
    }
}
