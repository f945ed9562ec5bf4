/*
 * Logging for oakleyd, pfkeyemud and the tools: stderr in the foreground,
 * syslog(LOG_DAEMON) otherwise.  Secrets never go through these at any
 * level above debug; key material is never logged at all.
 */
#ifndef OAKLEY_LOG_H
#define OAKLEY_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

enum log_level {
	LOG_LEVEL_ERR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_NOTICE,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

void	log_init(const char *ident, bool to_stderr, enum log_level level);
void	log_set_level(enum log_level level);
/*
 * Where stderr logging writes instead (NULL: stderr again): the engine's
 * fuzz target formats every message at debug level into /dev/null.
 */
void	log_set_stream(FILE *);
enum log_level log_get_level(void);
int	log_level_by_name(const char *name);	/* -1 if unknown */

void	log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * For what a peer, or anyone, can make us log at will: true at most once
 * a second (wall clock) for each *last, which the caller keeps (0 at
 * first) and this updates.
 */
bool	log_once_a_second(time_t *last);
/* The clock log_once_a_second reads (NULL: time(3)); for tests. */
void	log_set_clock(time_t (*)(void));

#endif /* OAKLEY_LOG_H */
