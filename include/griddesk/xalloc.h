#ifndef GRIDDESK_XALLOC_H
#define GRIDDESK_XALLOC_H

#include <stddef.h>

/* Allocation that cannot fail: out of memory ends the process with a message,
 * so callers never carry a half-built state. Every pointer returned is owned
 * by the caller, who frees it with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
