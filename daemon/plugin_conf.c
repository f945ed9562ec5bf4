/*
 * Plugin host: logging for plugins, their view of oakleyd.conf (the
 * generic block accessors of conf.h behind opaque types) and the record
 * of the first error a plugin reports, which the loader turns into the
 * plugin's one failure message.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "plugin_priv.h"

/* The ABI's opaque configuration types are conf.h's, renamed. */
static const struct conf_block *
block_of(const struct oakley_conf_block *b)
{
	return (const struct conf_block *)b;
}

static const struct conf_stmt *
stmt_of(const struct oakley_conf_stmt *s)
{
	return (const struct conf_stmt *)s;
}

void
plugin_record_error(struct oakley_host_priv *p, bool conf, const char *fmt,
    ...)
{
	va_list ap;

	if (p->has_error)
		return;
	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	p->has_error = true;
	p->error_is_conf = conf;
}

void
plugin_host_log(const struct oakley_host *h, int level, const char *fmt, ...)
{
	char msg[1024];
	const char *name = plugin_of(h)->name;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	switch (level) {
	case OAKLEY_LOG_ERR:
		log_err("plugin %s: %s", name, msg);
		break;
	case OAKLEY_LOG_WARN:
		log_warn("plugin %s: %s", name, msg);
		break;
	case OAKLEY_LOG_NOTICE:
		log_notice("plugin %s: %s", name, msg);
		break;
	case OAKLEY_LOG_INFO:
		log_info("plugin %s: %s", name, msg);
		break;
	default:
		log_debug("plugin %s: %s", name, msg);
		break;
	}
}

static const struct oakley_conf_stmt *
host_conf_first(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	(void)h;
	if (b == NULL)
		return NULL;
	return (const struct oakley_conf_stmt *)conf_block_first(block_of(b));
}

static const struct oakley_conf_stmt *
host_conf_next(const struct oakley_host *h, const struct oakley_conf_stmt *s)
{
	(void)h;
	return (const struct oakley_conf_stmt *)conf_stmt_next(stmt_of(s));
}

static const char *
host_conf_key(const struct oakley_host *h, const struct oakley_conf_stmt *s)
{
	(void)h;
	return conf_stmt_key(stmt_of(s));
}

static size_t
host_conf_nargs(const struct oakley_host *h, const struct oakley_conf_stmt *s)
{
	(void)h;
	return conf_stmt_nargs(stmt_of(s));
}

static const char *
host_conf_arg(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    size_t i)
{
	(void)h;
	return conf_stmt_arg(stmt_of(s), i);
}

/* conf.h's messages already start "FILE:LINE:COL: ". */
static int
host_conf_result(const struct oakley_host *h, int rc, const char *err)
{
	if (rc != 0)
		plugin_record_error(plugin_of(h), true, "%s", err);
	return rc == 0 ? 0 : -1;
}

static int
host_conf_number(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    size_t i, uint64_t min, uint64_t max, uint64_t *out)
{
	char err[PLUGIN_ERROR_MAX];
	int rc;

	rc = conf_stmt_arg_number(stmt_of(s), i, min, max, out, err,
	    sizeof(err));
	return host_conf_result(h, rc, err);
}

static int
host_conf_seconds(const struct oakley_host *h,
    const struct oakley_conf_stmt *s, size_t i, uint64_t min, uint64_t max,
    uint64_t *out)
{
	char err[PLUGIN_ERROR_MAX];
	int rc;

	rc = conf_stmt_arg_seconds(stmt_of(s), i, min, max, out, err,
	    sizeof(err));
	return host_conf_result(h, rc, err);
}

static int
host_conf_bytes(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    size_t i, uint64_t min, uint64_t max, uint64_t *out)
{
	char err[PLUGIN_ERROR_MAX];
	int rc;

	rc = conf_stmt_arg_bytes(stmt_of(s), i, min, max, out, err,
	    sizeof(err));
	return host_conf_result(h, rc, err);
}

static int
host_conf_bool(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    size_t i, bool *out)
{
	char err[PLUGIN_ERROR_MAX];
	int rc;

	rc = conf_stmt_arg_bool(stmt_of(s), i, out, err, sizeof(err));
	return host_conf_result(h, rc, err);
}

static const struct oakley_conf_block *
host_conf_block(const struct oakley_host *h, const struct oakley_conf_stmt *s)
{
	(void)h;
	return (const struct oakley_conf_block *)conf_stmt_block(stmt_of(s));
}

static void
host_conf_where(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    const char **file, int *line, int *col)
{
	(void)h;
	conf_stmt_where(stmt_of(s), file, line, col);
}

/*
 * "FILE:LINE:COL: message" at the statement, or at the plugin block when
 * stmt is NULL (a missing statement, say).
 */
static void
host_conf_error(const struct oakley_host *h, const struct oakley_conf_stmt *s,
    const char *fmt, ...)
{
	struct oakley_host_priv *p = plugin_of(h);
	char msg[PLUGIN_ERROR_MAX], where[PLUGIN_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s != NULL) {
		conf_stmt_errorf(stmt_of(s), where, sizeof(where), "%s", msg);
		plugin_record_error(p, true, "%s", where);
	} else if (p->conf_file != NULL)
		plugin_record_error(p, true, "%s:%d:%d: %s", p->conf_file,
		    p->conf_line, p->conf_col, msg);
	else
		plugin_record_error(p, true, "%s", msg);
}

void
plugin_host_set_conf(struct oakley_host *h)
{
	h->log = plugin_host_log;
	h->conf_first = host_conf_first;
	h->conf_next = host_conf_next;
	h->conf_key = host_conf_key;
	h->conf_nargs = host_conf_nargs;
	h->conf_arg = host_conf_arg;
	h->conf_number = host_conf_number;
	h->conf_seconds = host_conf_seconds;
	h->conf_bytes = host_conf_bytes;
	h->conf_bool = host_conf_bool;
	h->conf_block = host_conf_block;
	h->conf_where = host_conf_where;
	h->conf_error = host_conf_error;
}
