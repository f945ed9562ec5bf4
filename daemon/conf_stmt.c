/*
 * oakleyd.conf generic tree accessors: the API plugins read their blocks
 * with, typed argument parsing (numbers, durations, sizes, booleans) and
 * the "FILE:LINE:COL: reason" message format every error uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* conf_parse_* results besides 0: a syntax error and an overflow. */
#define PARSE_BAD	(-1)
#define PARSE_OVERFLOW	(-2)

struct unit {
	const char	*name;
	uint64_t	factor;
};

static const struct unit seconds_units[] = {
	{ "", 1 }, { "s", 1 }, { "m", 60 }, { "h", 3600 }, { NULL, 0 }
};

static const struct unit bytes_units[] = {
	{ "", 1 }, { "KB", 1024 }, { "MB", 1024 * 1024 }, { NULL, 0 }
};

const char *
conf_file_name(const struct conf_file *f)
{
	return f != NULL ? f->name : "";
}

void
conf_verrorf(char *err, size_t errlen, const struct conf_file *f, int line,
    int col, const char *fmt, va_list ap)
{
	int n;

	if (err == NULL || errlen == 0)
		return;
	n = snprintf(err, errlen, "%s:%d:%d: ", conf_file_name(f), line, col);
	if (n < 0 || (size_t)n >= errlen)
		return;
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
}

void
conf_errorf(char *err, size_t errlen, const struct conf_file *f, int line,
    int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_verrorf(err, errlen, f, line, col, fmt, ap);
	va_end(ap);
}

/* 'text' for a message, cut at CONF_ECHO_MAX bytes. */
static void
echo(const char *text, char *buf, size_t len)
{
	if (strlen(text) > CONF_ECHO_MAX)
		snprintf(buf, len, "'%.*s...'", CONF_ECHO_MAX, text);
	else
		snprintf(buf, len, "'%s'", text);
}

/* Leading decimal digits of s into *out; *endp after them. */
static int
parse_digits(const char *s, uint64_t *out, const char **endp)
{
	uint64_t v = 0;
	int rc = 0;

	if (*s < '0' || *s > '9')
		return PARSE_BAD;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			rc = PARSE_OVERFLOW;
		else
			v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	*endp = s;
	return rc;
}

int
conf_parse_number(const char *s, uint64_t *out, char *reason, size_t len)
{
	char q[CONF_ECHO_MAX + 8];
	const char *end;
	int rc;

	echo(s, q, sizeof(q));
	rc = parse_digits(s, out, &end);
	if (rc == PARSE_BAD || *end != '\0') {
		snprintf(reason, len, "bad number %s", q);
		return PARSE_BAD;
	}
	if (rc == PARSE_OVERFLOW)
		snprintf(reason, len, "number %s too large", q);
	return rc;
}

static int
parse_with_unit(const char *s, const struct unit *units, const char *what,
    const char *expect, uint64_t *out, char *reason, size_t len)
{
	char q[CONF_ECHO_MAX + 8];
	const char *end;
	uint64_t v;
	int rc;

	echo(s, q, sizeof(q));
	if ((rc = parse_digits(s, &v, &end)) == PARSE_BAD) {
		snprintf(reason, len, "bad %s %s", what, q);
		return PARSE_BAD;
	}
	for (; units->name != NULL; units++)
		if (strcmp(end, units->name) == 0)
			break;
	if (units->name == NULL) {
		echo(end, q, sizeof(q));
		snprintf(reason, len, "unknown unit %s (expected %s)", q,
		    expect);
		return PARSE_BAD;
	}
	if (rc == PARSE_OVERFLOW || v > UINT64_MAX / units->factor) {
		snprintf(reason, len, "%s %s too large", what, q);
		return PARSE_OVERFLOW;
	}
	*out = v * units->factor;
	return 0;
}

int
conf_parse_seconds(const char *s, uint64_t *out, char *reason, size_t len)
{
	return parse_with_unit(s, seconds_units, "duration", "s, m, h", out,
	    reason, len);
}

int
conf_parse_bytes(const char *s, uint64_t *out, char *reason, size_t len)
{
	return parse_with_unit(s, bytes_units, "size", "KB, MB", out, reason,
	    len);
}

int
conf_parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "yes") == 0 || strcmp(s, "on") == 0 ||
	    strcmp(s, "true") == 0) {
		*out = true;
		return 0;
	}
	if (strcmp(s, "no") == 0 || strcmp(s, "off") == 0 ||
	    strcmp(s, "false") == 0) {
		*out = false;
		return 0;
	}
	return -1;
}

const struct conf_stmt *
conf_block_first(const struct conf_block *blk)
{
	return blk != NULL ? blk->first : NULL;
}

const struct conf_stmt *
conf_stmt_next(const struct conf_stmt *st)
{
	return st != NULL ? st->next : NULL;
}

const char *
conf_stmt_key(const struct conf_stmt *st)
{
	return st->key;
}

size_t
conf_stmt_nargs(const struct conf_stmt *st)
{
	return st->nargs;
}

const char *
conf_stmt_arg(const struct conf_stmt *st, size_t i)
{
	return i < st->nargs ? st->args[i].text : NULL;
}

bool
conf_stmt_arg_quoted(const struct conf_stmt *st, size_t i)
{
	return i < st->nargs && st->args[i].quoted;
}

const struct conf_block *
conf_stmt_block(const struct conf_stmt *st)
{
	return st->block;
}

void
conf_stmt_where(const struct conf_stmt *st, const char **file, int *line,
    int *col)
{
	*file = conf_file_name(st->file);
	*line = st->line;
	*col = st->col;
}

void
conf_stmt_arg_where(const struct conf_stmt *st, size_t i, const char **file,
    int *line, int *col)
{
	conf_stmt_where(st, file, line, col);
	if (i < st->nargs) {
		*line = st->args[i].line;
		*col = st->args[i].col;
	}
}

void
conf_stmt_errorf(const struct conf_stmt *st, char *buf, size_t len,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_verrorf(buf, len, st->file, st->line, st->col, fmt, ap);
	va_end(ap);
}

static void
arg_errorf(const struct conf_stmt *st, size_t i, char *err, size_t errlen,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
arg_errorf(const struct conf_stmt *st, size_t i, char *err, size_t errlen,
    const char *fmt, ...)
{
	const char *file;
	int line, col;
	va_list ap;

	conf_stmt_arg_where(st, i, &file, &line, &col);
	va_start(ap, fmt);
	conf_verrorf(err, errlen, st->file, line, col, fmt, ap);
	va_end(ap);
}

static int
arg_present(const struct conf_stmt *st, size_t i, char *err, size_t errlen)
{
	if (i < st->nargs)
		return 0;
	arg_errorf(st, i, err, errlen, "missing argument %zu to '%s'", i + 1,
	    st->key);
	return -1;
}

static int
arg_range(const struct conf_stmt *st, size_t i, uint64_t v, uint64_t min,
    uint64_t max, const char *unit, char *err, size_t errlen)
{
	char q[CONF_ECHO_MAX + 8];

	if (v >= min && v <= max)
		return 0;
	echo(st->args[i].text, q, sizeof(q));
	arg_errorf(st, i, err, errlen, "value %s out of range (%llu to %llu%s)",
	    q, (unsigned long long)min, (unsigned long long)max, unit);
	return -1;
}

typedef int (*value_parser)(const char *, uint64_t *, char *, size_t);

static int
arg_typed(const struct conf_stmt *st, size_t i, value_parser parse,
    const char *unit, uint64_t min, uint64_t max, uint64_t *out, char *err,
    size_t errlen)
{
	char reason[160];
	uint64_t v = 0;
	int rc;

	if (arg_present(st, i, err, errlen) == -1)
		return -1;
	rc = parse(st->args[i].text, &v, reason, sizeof(reason));
	if (rc == PARSE_OVERFLOW)
		v = UINT64_MAX;
	else if (rc != 0) {
		arg_errorf(st, i, err, errlen, "%s", reason);
		return -1;
	}
	if (arg_range(st, i, v, min, max, unit, err, errlen) == -1)
		return -1;
	*out = v;
	return 0;
}

int
conf_stmt_arg_number(const struct conf_stmt *st, size_t i, uint64_t min,
    uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	return arg_typed(st, i, conf_parse_number, "", min, max, out, err,
	    errlen);
}

int
conf_stmt_arg_seconds(const struct conf_stmt *st, size_t i, uint64_t min,
    uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	return arg_typed(st, i, conf_parse_seconds, " seconds", min, max, out,
	    err, errlen);
}

int
conf_stmt_arg_bytes(const struct conf_stmt *st, size_t i, uint64_t min,
    uint64_t max, uint64_t *out, char *err, size_t errlen)
{
	return arg_typed(st, i, conf_parse_bytes, " bytes", min, max, out,
	    err, errlen);
}

int
conf_stmt_arg_bool(const struct conf_stmt *st, size_t i, bool *out,
    char *err, size_t errlen)
{
	char q[CONF_ECHO_MAX + 8];

	if (arg_present(st, i, err, errlen) == -1)
		return -1;
	if (conf_parse_bool(st->args[i].text, out) == 0)
		return 0;
	echo(st->args[i].text, q, sizeof(q));
	arg_errorf(st, i, err, errlen, "expected yes or no, got %s", q);
	return -1;
}

static bool
stmt_equal(const struct conf_stmt *a, const struct conf_stmt *b)
{
	size_t i;

	if (strcmp(a->key, b->key) != 0 || a->nargs != b->nargs)
		return false;
	for (i = 0; i < a->nargs; i++) {
		if (a->args[i].quoted != b->args[i].quoted ||
		    a->args[i].len != b->args[i].len ||
		    memcmp(a->args[i].text, b->args[i].text,
		    a->args[i].len) != 0)
			return false;
	}
	if ((a->block == NULL) != (b->block == NULL))
		return false;
	return a->block == NULL || conf_block_equal(a->block, b->block);
}

bool
conf_block_equal(const struct conf_block *a, const struct conf_block *b)
{
	const struct conf_stmt *sa, *sb;

	sa = conf_block_first(a);
	sb = conf_block_first(b);
	for (; sa != NULL && sb != NULL; sa = sa->next, sb = sb->next)
		if (!stmt_equal(sa, sb))
			return false;
	return sa == NULL && sb == NULL;
}
