/*
 * oakleyctl -c / -f FILE: setkey commands from stdin or a file.
 *
 * The whole input is read and parsed first; if any command has a syntax
 * error, every error is reported and nothing is sent.  Otherwise the input
 * is parsed a second time and each command is sent as it is parsed (so
 * at most one command's keys are in a struct at a time).  A command the
 * kernel refuses is reported and the next one still runs; the exit status
 * is then 1.  The input buffer may hold keys: it is wiped before freeing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oakleyctl.h"

#define SCRIPT_MAX_BYTES	(16 * 1024 * 1024)

struct script_input {
	char	*buf;
	size_t	len, size;
};

static void
input_free(struct script_input *in)
{
	if (in->buf != NULL)
		explicit_bzero(in->buf, in->size);
	free(in->buf);
	memset(in, 0, sizeof(*in));
}

/* Grow without realloc, which could leave an unwiped copy behind. */
static int
input_grow(struct script_input *in)
{
	size_t size = in->size == 0 ? 4096 : in->size * 2;
	char *buf;

	if (size > SCRIPT_MAX_BYTES)
		return EFBIG;
	if ((buf = malloc(size)) == NULL)
		return ENOMEM;
	if (in->buf != NULL) {
		memcpy(buf, in->buf, in->len);
		explicit_bzero(in->buf, in->size);
		free(in->buf);
	}
	in->buf = buf;
	in->size = size;
	return 0;
}

static int
input_read(FILE *fp, struct script_input *in)
{
	size_t n;
	int rc;

	for (;;) {
		if (in->len == in->size && (rc = input_grow(in)) != 0)
			return rc;
		n = fread(in->buf + in->len, 1, in->size - in->len, fp);
		in->len += n;
		if (n == 0)
			return ferror(fp) ? EIO : 0;
	}
}

static int
input_load(const char *path, struct script_input *in)
{
	FILE *fp = stdin;
	int rc;

	memset(in, 0, sizeof(*in));
	if (path != NULL && (fp = fopen(path, "r")) == NULL) {
		ctl_warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	rc = input_read(fp, in);
	if (fp != stdin)
		fclose(fp);
	if (rc == 0)
		return 0;
	if (rc == EFBIG)
		ctl_warnx("%s: larger than %d bytes", path != NULL ? path :
		    "(stdin)", SCRIPT_MAX_BYTES);
	else
		ctl_warnx("%s: %s", path != NULL ? path : "(stdin)",
		    strerror(rc));
	input_free(in);
	return -1;
}

/* Pass 1: report every syntax error; returns how many commands parsed. */
static long
script_check(const char *name, const struct script_input *in, bool *ok)
{
	struct setkey_parser p;
	struct setkey_error err;
	struct setkey_cmd cmd;
	long count = 0;
	int rc;

	*ok = true;
	setkey_init(&p, name, in->buf, in->len);
	while ((rc = setkey_next(&p, &cmd, &err)) != 0) {
		if (rc < 0) {
			ctl_warnx("%s", err.text);
			*ok = false;
			continue;
		}
		count++;
		setkey_cmd_clear(&cmd);
	}
	return count;
}

/* Pass 2: parse again and send each command. */
static int
script_send(const struct ctl_options *o, const char *name,
    const struct script_input *in)
{
	struct pfkey_session *s;
	struct setkey_parser p;
	struct setkey_error err;
	struct setkey_cmd cmd;
	char where[300];
	int status = CTL_EXIT_OK;

	if ((s = ctl_open(o)) == NULL)
		return CTL_EXIT_FAIL;
	setkey_init(&p, name, in->buf, in->len);
	while (setkey_next(&p, &cmd, &err) > 0) {
		snprintf(where, sizeof(where), "%s:%u", name, cmd.line);
		if (cmd_run(s, &cmd, where) != 0)
			status = CTL_EXIT_FAIL;
		setkey_cmd_clear(&cmd);
	}
	pfkey_close(s);
	return status;
}

int
script_run(const struct ctl_options *o, const char *path)
{
	const char *name = path != NULL ? path : "(stdin)";
	struct script_input in;
	long count;
	bool ok;
	int status;

	if (input_load(path, &in) != 0)
		return CTL_EXIT_FAIL;
	count = script_check(name, &in, &ok);
	if (!ok)
		status = CTL_EXIT_FAIL;
	else if (count == 0)
		status = CTL_EXIT_OK;
	else
		status = script_send(o, name, &in);
	input_free(&in);
	return status;
}
