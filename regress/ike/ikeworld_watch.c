/*
 * Freed memory that still holds a secret (ikeworld.h): free() and
 * realloc() wrapped at link time (-Wl,--wrap=free,--wrap=realloc), for
 * the unit tests that link this file; the fuzz target links ikeworld.c
 * alone.
 */
#if defined(__linux__)
#include <malloc.h>
#define HAVE_MALLOC_USABLE_SIZE	1
#elif defined(__FreeBSD__)
#include <malloc_np.h>
#define HAVE_MALLOC_USABLE_SIZE	1
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikeworld.h"


void	__real_free(void *);
void	__wrap_free(void *);
void	*__real_realloc(void *, size_t);
void	*__wrap_realloc(void *, size_t);

static const uint8_t *watch_secret;
static size_t watch_len;
static long watch_hits;

static void
watch_block(void *p)
{
#ifdef HAVE_MALLOC_USABLE_SIZE
	if (p != NULL && watch_secret != NULL &&
	    memmem(p, malloc_usable_size(p), watch_secret, watch_len) != NULL)
		watch_hits++;
#else
	(void)p;
#endif
}

void
__wrap_free(void *p)
{
	watch_block(p);
	__real_free(p);
}

/* realloc may free the old block unwiped: as bad as free. */
void *
__wrap_realloc(void *p, size_t n)
{
	watch_block(p);
	return __real_realloc(p, n);
}

void
ikeworld_watch_frees(const uint8_t *secret, size_t len)
{
	watch_secret = secret;
	watch_len = len;
	watch_hits = 0;
}

long
ikeworld_freed_holding(void)
{
	watch_secret = NULL;
#ifdef HAVE_MALLOC_USABLE_SIZE
	return watch_hits;
#else
	return -1;
#endif
}
