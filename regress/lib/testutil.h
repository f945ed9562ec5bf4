/*
 * Small helpers shared by the atf-c unit tests.  Append what you need;
 * keep each helper short and documented.
 */
#ifndef OAKLEY_TESTUTIL_H
#define OAKLEY_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Parse "0a0b.." (spaces allowed) into buf; returns bytes or -1. */
int	tu_hex_decode(const char *hex, uint8_t *buf, size_t bufsize);

/*
 * The real path of "SRCDIR/rel" (SRCDIR: atf's "srcdir", the test
 * program's directory) into out; the test fails if there is none.
 */
void	tu_srcdir_path(const char *srcdir, const char *rel, char *out,
	    size_t outlen);

/* Plugins through the real plugin host (daemon/plugin.h): 0, or -1 (err). */
int	tu_plugin_load(const char *dir, const char *name, char *err,
	    size_t errlen);
/*
 * The plugins of an oakleyd.conf text ("test.conf", which must parse),
 * from dir, as oakleyd loads them at start-up.
 */
int	tu_plugin_load_conf(const char *dir, const char *text, char *err,
	    size_t errlen);

/*
 * Capture stderr (the daemon's log in the tests) in "stderr.txt" of the
 * test's work directory until tu_stderr_end, which puts what was written,
 * NUL-terminated, in buf.  The test fails if either cannot.
 */
void	tu_stderr_start(void);
void	tu_stderr_end(char *buf, size_t len);
/* How many times needle occurs in text. */
size_t	tu_count(const char *text, const char *needle);

#endif /* OAKLEY_TESTUTIL_H */
