/*
 * Logging: stderr (foreground, tests) or syslog LOG_DAEMON (daemon).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static const char	*log_ident = "oakleyd";
static bool		 log_stderr = true;
static FILE		*log_stream;	/* NULL: stderr */
static enum log_level	 log_threshold = LOG_LEVEL_INFO;

static const struct {
	const char	*name;
	int		 syslog_prio;
} log_levels[] = {
	[LOG_LEVEL_ERR] = { "error", LOG_ERR },
	[LOG_LEVEL_WARN] = { "warning", LOG_WARNING },
	[LOG_LEVEL_NOTICE] = { "notice", LOG_NOTICE },
	[LOG_LEVEL_INFO] = { "info", LOG_INFO },
	[LOG_LEVEL_DEBUG] = { "debug", LOG_DEBUG },
};

void
log_init(const char *ident, bool to_stderr, enum log_level level)
{
	log_ident = ident;
	log_stderr = to_stderr;
	log_threshold = level;
	if (!to_stderr)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_stream(FILE *fp)
{
	log_stream = fp;
}

void
log_set_level(enum log_level level)
{
	log_threshold = level;
}

enum log_level
log_get_level(void)
{
	return log_threshold;
}

int
log_level_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcmp(log_levels[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
log_emit(enum log_level level, const char *fmt, va_list ap)
{
	FILE *fp;

	if (level > log_threshold)
		return;
	if (!log_stderr) {
		vsyslog(log_levels[level].syslog_prio, fmt, ap);
		return;
	}
	fp = log_stream != NULL ? log_stream : stderr;
	fprintf(fp, "%s: %s: ", log_ident, log_levels[level].name);
	vfprintf(fp, fmt, ap);
	fputc('\n', fp);
	fflush(fp);
}

#define LOG_FUNCTION(fn, level)				\
void							\
fn(const char *fmt, ...)				\
{							\
	va_list ap;					\
							\
	va_start(ap, fmt);				\
	log_emit(level, fmt, ap);			\
	va_end(ap);					\
}

LOG_FUNCTION(log_err, LOG_LEVEL_ERR)
LOG_FUNCTION(log_warn, LOG_LEVEL_WARN)
LOG_FUNCTION(log_notice, LOG_LEVEL_NOTICE)
LOG_FUNCTION(log_info, LOG_LEVEL_INFO)
LOG_FUNCTION(log_debug, LOG_LEVEL_DEBUG)

static time_t (*once_clock)(void);

void
log_set_clock(time_t (*clock)(void))
{
	once_clock = clock;
}

bool
log_once_a_second(time_t *last)
{
	time_t now = once_clock != NULL ? once_clock() : time(NULL);

	if (now == *last)
		return false;
	*last = now;
	return true;
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_LEVEL_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
