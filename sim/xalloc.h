/*
 * xalloc — allocation that never returns NULL.
 *
 * On failure these print "ccsim: out of memory (N bytes)" and exit with status 1, so call sites
 * never test for NULL. xfree(NULL) is a no-op like free(). Not for use inside the event loop:
 * the kernel allocates per replication, never per event.
 */
#ifndef CCSIM_SIM_XALLOC_H
#define CCSIM_SIM_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
/* Grows or shrinks p to n bytes; p may be NULL. */
void *xrealloc(void *p, size_t n);
/* Reallocates an array of count elements of size bytes, checking the product for overflow. */
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);

#endif
